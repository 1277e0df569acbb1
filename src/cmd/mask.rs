//! `steward mask`: mask, tokenize or encrypt personal data by a policy, and verify it.

use std::path::PathBuf;

use clap::Args as ClapArgs;
use steward::Outcome;

use steward::audit::Event;

use super::{Context, SourceArgs, print_stdout};

#[derive(ClapArgs)]
pub struct Args {
    /// One data file (.csv .tsv .parquet .json .ndjson .jsonl)
    #[arg(value_name = "DATA")]
    pub data: String,
    /// Masking policy (YAML)
    #[arg(long, short, value_name = "FILE")]
    pub policy: PathBuf,
    /// Output file; its extension chooses the format
    #[arg(long, short, value_name = "FILE", required_unless_present = "dry_run")]
    pub output: Option<PathBuf>,
    /// File holding the key (base64 of 32 bytes); default: the STEWARD_KEY variable
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// Print the plan (column, category, method) and write nothing
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub source: SourceArgs,
}

pub fn run(args: Args, ctx: &Context, event: &mut Event) -> steward::Result<Outcome> {
    event.with_data(std::slice::from_ref(&args.data));
    let opts = steward::pipeline::mask::MaskOptions {
        data: args.data,
        policy: args.policy,
        output: args.output.unwrap_or_default(),
        source: args.source.options(),
        key_file: args.key_file,
        dry_run: args.dry_run,
    };
    let summary = ctx.block_on(steward::pipeline::mask::mask(&opts))?;
    event.key_ids.extend(summary.key_id.clone());
    print_stdout(&steward::report::masking::render(&summary, args.dry_run))?;
    let risk_met = summary.risk.as_ref().is_none_or(|r| r.met());
    Ok(if summary.leaks().is_empty() && risk_met {
        Outcome::Passed
    } else {
        Outcome::GateFailed
    })
}
