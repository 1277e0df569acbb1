//! `steward history`: the runs kept by `--history DIR`, their trends, the last run's
//! drift and anomalies, the diff of two runs' failing rows; `--retain` compacts.

use std::path::PathBuf;

use clap::Args as ClapArgs;
use steward::Outcome;
use steward::audit::history::store::{self, Retain};
use steward::audit::history::view::{self, ViewOptions};
use steward::report::history_render::{HistoryFormat, render};

use super::print_stdout;

#[derive(ClapArgs)]
pub struct Args {
    /// The history directory given to `scan --history` or `report --history`
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Show only this dataset
    #[arg(long, value_name = "D")]
    pub dataset: Option<String>,
    /// Show only this check (its reported id)
    #[arg(long, value_name = "ID")]
    pub check: Option<String>,
    /// Compare the failing rows (masked keys) of two runs: run numbers as listed, run
    /// ids or unique prefixes, `latest`, `latest~1`
    #[arg(long, num_args = 2, value_names = ["RUN_A", "RUN_B"])]
    pub diff: Option<Vec<String>>,
    /// Compact the store first, keeping each dataset's last N runs (30) or the runs of
    /// the last N days (90d); the kept runs are rewritten into one file
    #[arg(long, value_name = "N|DAYS")]
    pub retain: Option<Retain>,
    /// Runs shown per dataset (the last ones)
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub last: usize,
    /// Output format
    #[arg(long, short, value_enum, default_value = "table")]
    pub format: HistoryFormat,
    /// Write to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: Args) -> steward::Result<Outcome> {
    if !args.dir.is_dir() {
        return Err(steward::Error::Usage(format!(
            "{}: no history directory here (it is made by `steward scan --history {}`)",
            args.dir.display(),
            args.dir.display()
        )));
    }
    let compaction = args
        .retain
        .map(|retain| store::compact(&args.dir, Some(retain), chrono::Utc::now()))
        .transpose()?;
    // The failing keys are only needed for a diff.
    let runs = store::read_with(&args.dir, args.diff.is_some())?;
    let opts = ViewOptions {
        dataset: args.dataset,
        check: args.check,
        diff: args.diff.map(|d| (d[0].clone(), d[1].clone())),
        last: args.last,
    };
    let mut v = view::build(&runs, &opts)?;
    v.compaction = compaction;
    let text = render(&v, args.format);
    match &args.output {
        Some(path) => steward::output::write_atomic(path, text.as_bytes())?,
        None => print_stdout(&text)?,
    }
    Ok(Outcome::Passed)
}
