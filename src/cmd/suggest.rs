//! `steward suggest`: a starter rule file from one dataset's profile and classification.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args as ClapArgs;
use steward::{Error, Outcome};

use super::{Context, SourceArgs, print_stdout};

#[derive(ClapArgs)]
pub struct Args {
    /// One data file (.csv .tsv .parquet .json .ndjson .jsonl)
    #[arg(value_name = "DATA")]
    pub data: String,
    /// Write the rule file to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub source: SourceArgs,
}

pub fn run(args: Args, ctx: &Context) -> steward::Result<Outcome> {
    let opts = steward::scan::ScanOptions {
        data: vec![args.data],
        source: args.source.options(),
        samples: 0,
        progress: std::io::stderr().is_terminal(),
        memory_limit: ctx.memory_limit,
        ..Default::default()
    };
    let report = ctx.block_on(steward::scan::scan(&opts))?;
    let [dataset] = report.datasets.as_slice() else {
        return Err(Error::Usage(format!(
            "suggest writes one rule file for one dataset; {} matched {} files",
            steward::source::remote::redact(&opts.data[0]),
            report.datasets.len()
        )));
    };
    let text = steward::classify::suggest::rule_file(dataset, &report.run.as_of);
    match &args.output {
        Some(path) => steward::output::write_atomic(path, text.as_bytes())?,
        None => print_stdout(&text)?,
    }
    Ok(Outcome::Passed)
}
