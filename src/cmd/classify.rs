//! `steward classify`: which columns hold personal data, and which kind.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args as ClapArgs;
use steward::Outcome;
use steward::report::Format;

use super::{Context, OutputFormat, SourceArgs, parse_date, print_stdout};

#[derive(ClapArgs)]
pub struct Args {
    /// Data files, directories or globs (.csv .tsv .parquet .json .ndjson .jsonl)
    #[arg(required = true, value_name = "DATA")]
    pub data: Vec<String>,
    /// Output format
    #[arg(long, short, value_enum, default_value = "table")]
    pub format: OutputFormat,
    /// Write the result to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Reference date for counting minors (YYYY-MM-DD); default today
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    #[command(flatten)]
    pub source: SourceArgs,
}

pub fn run(args: Args, ctx: &Context) -> steward::Result<Outcome> {
    let opts = steward::scan::ScanOptions {
        data: args.data,
        source: args.source.options(),
        as_of: args.as_of,
        samples: 0,
        progress: std::io::stderr().is_terminal(),
        memory_limit: ctx.memory_limit,
        ..Default::default()
    };
    let report = ctx.block_on(steward::scan::scan(&opts))?;
    let text = match args.format {
        OutputFormat::Table => steward::report::classification::render(&report),
        OutputFormat::Json => steward::report::render(&report, Format::Json),
    };
    match &args.output {
        Some(path) => steward::output::write_atomic(path, text.as_bytes())?,
        None => print_stdout(&text)?,
    }
    Ok(Outcome::Passed)
}
