//! `steward scan`: score data extracts against rule files and apply the gate.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args as ClapArgs;
use steward::Outcome;
use steward::report::Format;

use steward::audit::Event;

use super::{Context, SourceArgs, parse_date, parse_score, print_stdout};

#[derive(ClapArgs)]
pub struct Args {
    /// Data files, directories or globs (.csv .tsv .parquet .json .ndjson .jsonl)
    #[arg(required = true, value_name = "DATA")]
    pub data: Vec<String>,
    /// Rule file or directory of rule files (repeatable)
    #[arg(long, short, required = true, value_name = "FILE|DIR")]
    pub rules: Vec<PathBuf>,
    /// Output format
    #[arg(long, short, value_enum, default_value = "table")]
    pub format: Format,
    /// Language of the Markdown report's text: en, or zh-CN (Simplified Chinese)
    #[arg(long, value_enum, default_value = "en", value_name = "LANG")]
    pub lang: steward::report::compliance::Lang,
    /// Write the report to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Fail the gate when a dataset's overall score is under SCORE (overrides gate.min_overall)
    #[arg(long, value_name = "SCORE", value_parser = parse_score)]
    pub fail_under: Option<f64>,
    /// Reference date for timeliness checks (YYYY-MM-DD); default: the rule file's as_of, else today
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    #[command(flatten)]
    pub source: SourceArgs,
    /// Failing-row samples per check in the report (masked); 0 for none
    #[arg(long, value_name = "N", default_value_t = 5,
          value_parser = clap::value_parser!(u16).range(0..=1000))]
    pub samples: u16,
    /// Keep each run's scores as Parquet in DIR and apply gate.max_drop against the last run
    #[arg(long, value_name = "DIR")]
    pub history: Option<PathBuf>,
    /// With --history: masked keys of failing rows kept per check and run, for
    /// `steward history --diff`; 0 keeps none
    #[arg(long, value_name = "N", default_value_t = steward::audit::history::DEFAULT_KEYS as u32,
          value_parser = clap::value_parser!(u32).range(0..=100_000))]
    pub history_keys: u32,
    /// Post a summary to this webhook when the gate fails or an anomaly fires (WeCom,
    /// DingTalk, Feishu and Slack shapes by host, else JSON); never changes the exit code
    /// (needs the `notify` feature)
    #[arg(long, value_name = "URL")]
    pub notify: Option<String>,
    /// Payload shape for --notify
    #[arg(long, value_enum, default_value = "auto", value_name = "SHAPE")]
    pub notify_format: steward::notify::Flavor,
    /// Run the scan on a Ballista cluster: df://host:port, or standalone[:N] for a
    /// scheduler and N executors in this process (needs the `ballista` feature)
    // Parsed by `cluster()`, not by clap, which would echo a bad value.
    #[arg(long, value_name = "CLUSTER")]
    pub cluster: Option<String>,
}

pub fn run(args: Args, ctx: &Context, event: &mut Event) -> steward::Result<Outcome> {
    event.with_data(&args.data);
    let opts = steward::scan::ScanOptions {
        data: args.data,
        rules: args.rules,
        source: args.source.options(),
        as_of: args.as_of,
        fail_under: args.fail_under,
        samples: usize::from(args.samples),
        progress: std::io::stderr().is_terminal(),
        profile: true,
        memory_limit: ctx.memory_limit,
        cluster: super::cluster(args.cluster.as_deref())?,
        // Only the history keeps failing keys and means.
        observe: args
            .history
            .as_ref()
            .and_then(|_| (args.history_keys > 0).then_some(args.history_keys as usize)),
    };
    let mut report = ctx.block_on(steward::scan::scan(&opts))?;
    let rules = steward::rules::load(&opts.rules)?;
    match &args.history {
        Some(dir) => {
            steward::audit::history::record(dir, &mut report, &rules)?;
        }
        None => {
            // Say so rather than watch nothing in silence: anomalies need a history.
            let declared: usize = rules.datasets.iter().map(|d| d.anomalies.len()).sum();
            if declared > 0 {
                eprintln!(
                    "note: {declared} anomaly declaration(s) not evaluated: they compare runs kept with --history DIR (docs/rules.md#anomalies)"
                );
            }
        }
    }
    event.with_report(&report);
    let text = steward::report::render_in(&report, args.format, args.lang);
    match &args.output {
        Some(path) => steward::output::write_atomic(path, text.as_bytes())?,
        None => print_stdout(&text)?,
    }
    if args.output.is_some() || args.format != Format::Table {
        // Keep the verdict visible when the report goes to a file or a machine format.
        eprintln!("{}", steward::report::verdict_line(&report));
    }
    if let Some(url) = &args.notify {
        super::notify(ctx, url, args.notify_format, &report, "scan", &[]);
    }
    Ok(if report.gate.passed {
        Outcome::Passed
    } else {
        Outcome::GateFailed
    })
}
