//! `steward risk`: re-identification risk (k-anonymity, l-diversity, t-closeness) and
//! an anonymisation grade for every extract.

use std::path::PathBuf;

use clap::Args as ClapArgs;
use steward::Outcome;
use steward::audit::Event;
use steward::report::risk;

use super::{Context, SourceArgs, print_stdout};

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RiskFormat {
    Table,
    Json,
    Markdown,
}

#[derive(ClapArgs)]
pub struct Args {
    /// Data files, directories or globs (.csv .tsv .parquet .json .ndjson .jsonl)
    #[arg(required = true, value_name = "DATA")]
    pub data: Vec<String>,
    /// Quasi-identifier columns (comma-separated); default: birth dates, ages, gender,
    /// addresses, postcodes, ethnicity, occupation-like columns, plates
    #[arg(long, value_name = "C,..", value_delimiter = ',')]
    pub quasi: Option<Vec<String>>,
    /// Sensitive columns for l-diversity and t-closeness; default: health and religion
    #[arg(long, value_name = "C,..", value_delimiter = ',')]
    pub sensitive: Option<Vec<String>>,
    /// Column naming the person behind a record, when one person has several records
    #[arg(long, value_name = "C")]
    pub individual: Option<String>,
    /// Target k: every record hides among at least k individuals
    #[arg(long, value_name = "N", default_value_t = 5,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub k: u64,
    /// Highest prosecutor risk allowed (0-1); 0.2 for controlled sharing, 0.09 for publication
    #[arg(long, value_name = "R", default_value_t = 0.2, value_parser = parse_risk)]
    pub max_risk: f64,
    /// Output format
    #[arg(long, short, value_enum, default_value = "table")]
    pub format: RiskFormat,
    /// Write the report to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub source: SourceArgs,
}

fn parse_risk(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 1.0 => Ok(v),
        _ => Err(format!(
            "'{s}' is not a risk; expected a number above 0 and at most 1"
        )),
    }
}

pub fn run(args: Args, ctx: &Context, event: &mut Event) -> steward::Result<Outcome> {
    event.with_data(&args.data);
    let opts = steward::pipeline::risk::RiskOptions {
        data: args.data,
        source: args.source.options(),
        quasi: args.quasi,
        sensitive: args.sensitive,
        individual: args.individual,
        k: args.k,
        max_risk: args.max_risk,
        memory_limit: ctx.memory_limit,
    };
    let report = ctx.block_on(steward::pipeline::risk::risk(&opts))?;
    let text = match args.format {
        RiskFormat::Table => risk::render_table(&report),
        RiskFormat::Json => risk::render_json(&report),
        RiskFormat::Markdown => risk::render_markdown(&report),
    };
    match &args.output {
        Some(path) => steward::output::write_atomic(path, text.as_bytes())?,
        None => print_stdout(&text)?,
    }
    if args.output.is_some() || args.format != RiskFormat::Table {
        eprint!("{}", risk::verdict_lines(&report));
    }
    Ok(if report.passed() {
        Outcome::Passed
    } else {
        Outcome::GateFailed
    })
}
