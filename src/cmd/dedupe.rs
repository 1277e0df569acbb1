//! `steward dedupe`: duplicate customers within and across datasets, one unified ID each.

use std::path::PathBuf;

use clap::Args as ClapArgs;
use steward::Outcome;

use steward::audit::Event;

use super::{Context, OutputFormat, SourceArgs, print_stdout};

#[derive(ClapArgs)]
pub struct Args {
    /// Data files, directories or globs (.csv .tsv .parquet .json .ndjson .jsonl); with
    /// --previous, the new and changed records (a delta)
    #[arg(value_name = "DATA", required_unless_present = "lookup")]
    pub data: Vec<String>,
    /// Rule file or directory of rule files (repeatable); `duplicates.fuzzy` configures matching
    #[arg(long, short, required = true, value_name = "FILE|DIR")]
    pub rules: Vec<PathBuf>,
    /// Write matched pairs (CSV: datasets, keys, probability, level per field)
    #[arg(long, value_name = "FILE")]
    pub pairs: Option<PathBuf>,
    /// Write every record's unified ID (CSV: dataset,key,unified_id); with a key, also
    /// FILE.steward-model, the encrypted linking state a later --previous reads
    #[arg(long, value_name = "FILE")]
    pub clusters: Option<PathBuf>,
    /// Link into the clusters file of an earlier run: its unified IDs are kept, new
    /// records join them (needs the key of its linking state)
    #[arg(long, value_name = "IDS.CSV")]
    pub previous: Option<PathBuf>,
    /// With --previous: records removed since (CSV: dataset,key)
    #[arg(long, value_name = "FILE", requires = "previous")]
    pub removed: Option<PathBuf>,
    /// With --previous: write the merges, splits, new and retired IDs (CSV)
    #[arg(long, value_name = "FILE", requires = "previous")]
    pub changes: Option<PathBuf>,
    /// With --previous: train the model again on all records
    #[arg(long, requires = "previous")]
    pub retrain: bool,
    /// With --previous: which unified ID each record of FILE belongs to; writes nothing
    #[arg(long, value_name = "FILE", requires = "previous", conflicts_with_all = ["data", "clusters", "pairs", "changes", "removed", "explain"])]
    pub lookup: Option<String>,
    /// Write one golden record per unified ID: each field's value chosen by the rule
    /// file's `duplicates.fuzzy.golden` rules (default: most frequent), with its source
    #[arg(long, value_name = "FILE", conflicts_with = "lookup")]
    pub golden: Option<PathBuf>,
    /// File holding the key of the linking state (base64 of 32 bytes); default: the
    /// STEWARD_KEY variable
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
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
    let lookup = args.lookup.is_some();
    let data = match args.lookup {
        Some(file) => vec![file],
        None => args.data,
    };
    event.with_data(&data);
    let opts = steward::dedupe::DedupeOptions {
        data,
        rules: args.rules,
        source: args.source.options(),
        pairs: args.pairs,
        clusters: args.clusters,
        explain: args.explain.map(|v| (v[0].clone(), v[1].clone())),
        previous: args.previous,
        removed: args.removed,
        changes: args.changes,
        retrain: args.retrain,
        key_file: args.key_file,
        golden: args.golden,
    };
    use steward::report::dedupe as render;
    if lookup {
        let l = ctx.block_on(steward::dedupe::lookup(&opts))?;
        let text = match args.format {
            OutputFormat::Table => render::render_lookup(&l),
            OutputFormat::Json => render::json(&l),
        };
        print_stdout(&text)?;
        return Ok(Outcome::Passed);
    }
    let (report, explain) = ctx.block_on(steward::dedupe::dedupe(&opts))?;
    let text = match (args.format, &explain) {
        (OutputFormat::Table, Some(e)) => render::render_explain(e),
        (OutputFormat::Json, Some(e)) => render::json(e),
        (OutputFormat::Table, None) => render::render_table(&report),
        (OutputFormat::Json, None) => render::json(&report),
    };
    print_stdout(&text)?;
    Ok(Outcome::Passed)
}
