//! `steward dedupe`: duplicate customers within and across datasets, one unified ID each.

use std::path::PathBuf;

use clap::Args as ClapArgs;
use steward::Outcome;

use steward::audit::Event;

use super::{Context, OutputFormat, SourceArgs, print_stdout};

#[derive(ClapArgs)]
pub struct Args {
    /// Data files, directories or globs (.csv .tsv .parquet .json .ndjson .jsonl)
    #[arg(required = true, value_name = "DATA")]
    pub data: Vec<String>,
    /// Rule file or directory of rule files (repeatable); `duplicates.fuzzy` configures matching
    #[arg(long, short, required = true, value_name = "FILE|DIR")]
    pub rules: Vec<PathBuf>,
    /// Write matched pairs (CSV: datasets, keys, probability, level per field)
    #[arg(long, value_name = "FILE")]
    pub pairs: Option<PathBuf>,
    /// Write every record's unified ID (CSV: dataset,key,unified_id)
    #[arg(long, value_name = "FILE")]
    pub clusters: Option<PathBuf>,
    /// Output format of the summary
    #[arg(long, short, value_enum, default_value = "table")]
    pub format: OutputFormat,
    /// Show the per-field weights of one pair (keys, or dataset:key)
    #[arg(long, num_args = 2, value_names = ["KEY1", "KEY2"])]
    pub explain: Option<Vec<String>>,
    #[command(flatten)]
    pub source: SourceArgs,
}

pub fn run(args: Args, ctx: &Context, event: &mut Event) -> steward::Result<Outcome> {
    event.with_data(&args.data);
    let opts = steward::dedupe::DedupeOptions {
        data: args.data,
        rules: args.rules,
        source: args.source.options(),
        pairs: args.pairs,
        clusters: args.clusters,
        explain: args.explain.map(|v| (v[0].clone(), v[1].clone())),
    };
    let (report, explain) = ctx.block_on(steward::dedupe::dedupe(&opts))?;
    use steward::report::dedupe as render;
    let text = match (args.format, &explain) {
        (OutputFormat::Table, Some(e)) => render::render_explain(e),
        (OutputFormat::Json, Some(e)) => render::json(e),
        (OutputFormat::Table, None) => render::render_table(&report),
        (OutputFormat::Json, None) => render::json(&report),
    };
    print_stdout(&text)?;
    Ok(Outcome::Passed)
}
