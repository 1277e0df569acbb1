//! `steward report`: the PIPL / GDPR compliance report over a scan.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args as ClapArgs;
use steward::Outcome;

use steward::audit::Event;

use super::{Context, SourceArgs, parse_date, print_stdout};

#[derive(ClapArgs)]
pub struct Args {
    /// Data files, directories or globs (.csv .tsv .parquet .json .ndjson .jsonl)
    #[arg(required = true, value_name = "DATA")]
    pub data: Vec<String>,
    /// Rule file or directory of rule files (repeatable)
    #[arg(long, short, required = true, value_name = "FILE|DIR")]
    pub rules: Vec<PathBuf>,
    /// Regulation to evaluate (repeatable)
    #[arg(long, value_enum, required = true, value_name = "REGIME")]
    pub regime: Vec<steward::compliance::Regime>,
    /// Output format
    #[arg(long, short, value_enum, default_value = "html")]
    pub format: steward::report::compliance::ReportFormat,
    /// Language of the report's text: en, or zh-CN (Simplified Chinese)
    #[arg(long, value_enum, default_value = "en", value_name = "LANG")]
    pub lang: steward::report::compliance::Lang,
    /// Write the report to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Reference date for timeliness and retention (YYYY-MM-DD); default: the rule file's as_of, else today
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Keep each run's scores as Parquet in DIR; show the trend and apply gate.max_drop
    #[arg(long, value_name = "DIR")]
    pub history: Option<PathBuf>,
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
    #[command(flatten)]
    pub source: SourceArgs,
}

pub fn run(
    args: Args,
    audit_log: Option<PathBuf>,
    ctx: &Context,
    event: &mut Event,
) -> steward::Result<Outcome> {
    use steward::report::compliance::{ObligationStatus, render, verdict_line};
    event.with_data(&args.data);
    let opts = steward::compliance::ReportOptions {
        scan: steward::scan::ScanOptions {
            data: args.data,
            rules: args.rules,
            source: args.source.options(),
            as_of: args.as_of,
            samples: 0,
            progress: std::io::stderr().is_terminal(),
            memory_limit: ctx.memory_limit,
            cluster: super::cluster(args.cluster.as_deref())?,
            observe: args
                .history
                .as_ref()
                .map(|_| steward::audit::history::DEFAULT_KEYS),
            ..Default::default()
        },
        regimes: args.regime,
        history: args.history,
        audit_log,
        lang: args.lang,
    };
    let run = ctx.block_on(steward::compliance::report(&opts))?;
    event.with_report(&run.scan);
    let text = render(&run.compliance, args.format);
    match &args.output {
        Some(path) => steward::output::write_atomic(path, text.as_bytes())?,
        None => print_stdout(&text)?,
    }
    eprintln!("{}", verdict_line(&run.compliance));
    if let Some(url) = &args.notify {
        let failing = run
            .compliance
            .findings
            .iter()
            .filter(|f| f.status == ObligationStatus::Fail)
            .count();
        let extra: Vec<String> = (failing > 0)
            .then(|| format!("compliance: {failing} obligation(s) fail"))
            .into_iter()
            .collect();
        super::notify(ctx, url, args.notify_format, &run.scan, "report", &extra);
    }
    Ok(if run.compliance.verdict == ObligationStatus::Fail {
        Outcome::GateFailed
    } else {
        Outcome::Passed
    })
}
