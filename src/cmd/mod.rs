//! The subcommands: one file each, with its clap arguments and a `run` that calls the
//! library and returns the [`steward::Outcome`]. `main.rs` parses, dispatches and maps outcomes
//! and errors to exit codes; the shared options travel in a [`Context`], never in a
//! global.

pub mod audit;
pub mod classify;
pub mod cluster;
pub mod dedupe;
pub mod history;
pub mod mask;
pub mod report;
pub mod risk;
pub mod rules;
pub mod scan;
pub mod suggest;
pub mod unmask;

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use steward::Error;
use steward::source::{InputFormat, SourceOptions, TextEncoding};

/// Options every subcommand takes (flattened into the top-level parser).
#[derive(Args)]
pub struct GlobalArgs {
    /// Append the audit entry to FILE (default: STEWARD_AUDIT_LOG, else .steward/audit.jsonl)
    #[arg(long, global = true, value_name = "FILE")]
    pub audit_log: Option<PathBuf>,
    /// Do not write an audit entry for this run
    #[arg(long, global = true)]
    pub no_audit: bool,
    /// Stop the command after SECS seconds (exit 2, no output written)
    #[arg(long, global = true, value_name = "SECS", value_parser = parse_seconds)]
    pub timeout: Option<std::time::Duration>,
    /// Memory the query engine may use for a scan (512M, 2G); sorts and group-bys spill
    /// to disk before it, and a scan that still needs more stops with exit 2
    #[arg(long, global = true, value_name = "SIZE", value_parser = steward::interrupt::parse_size)]
    pub memory_limit: Option<usize>,
}

/// What a command needs of the shared options: `--timeout` and `--memory-limit`.
pub struct Context {
    pub timeout: Option<std::time::Duration>,
    pub memory_limit: Option<usize>,
}

impl Context {
    pub fn new(global: &GlobalArgs) -> Context {
        Context {
            timeout: global.timeout,
            memory_limit: global.memory_limit,
        }
    }

    /// Run a command's future on a fresh runtime, stopped by SIGINT/SIGTERM or `--timeout`.
    pub fn block_on<T>(
        &self,
        fut: impl std::future::Future<Output = steward::Result<T>>,
    ) -> steward::Result<T> {
        runtime()?.block_on(steward::interrupt::guarded(fut, self.timeout))
    }
}

#[derive(Args)]
pub struct SourceArgs {
    /// Text encoding of CSV/TSV inputs (Chinese CRM exports are often GBK)
    #[arg(long, value_enum, default_value = "utf-8")]
    pub encoding: TextEncoding,
    /// Read every input as this format instead of going by the file extension
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,
}

impl SourceArgs {
    pub fn options(&self) -> SourceOptions {
        SourceOptions {
            encoding: self.encoding,
            format: self.input_format,
            distributed: false,
        }
    }
}

/// `--notify URL`: post the run's summary when it is worth it. Whatever happens is a
/// line on stderr, never a change of the exit code.
pub fn notify(
    ctx: &Context,
    url: &str,
    flavor: steward::notify::Flavor,
    report: &steward::report::Report,
    command: &str,
    extra_reasons: &[String],
) {
    let sent = ctx.block_on(async {
        Ok(steward::notify::notify(url, flavor, report, command, extra_reasons).await)
    });
    match sent {
        Ok(Ok(true)) => eprintln!("notified {}", steward::notify::shown(url)),
        Ok(Ok(false)) => {}
        Ok(Err(why)) => eprintln!("warning: --notify: {why}"),
        Err(e) => eprintln!("warning: --notify: {e}"),
    }
}

/// `--format` of `classify` and `dedupe`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
}

pub fn parse_seconds(s: &str) -> Result<std::time::Duration, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() => Ok(std::time::Duration::from_secs_f64(v)),
        _ => Err(format!("'{s}' is not a number of seconds")),
    }
}

pub fn parse_score(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=100.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "'{s}' is not a score; expected a number from 0 to 100"
        )),
    }
}

pub fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("'{s}' is not a date; expected YYYY-MM-DD"))
}

pub fn runtime() -> steward::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(format!("cannot start the runtime: {e}")))
}

/// `--cluster`, checked here rather than by clap, which would echo a bad value (it could
/// be a URL with credentials).
pub fn cluster(spec: Option<&str>) -> steward::Result<Option<steward::cluster::Cluster>> {
    spec.map(|s| steward::cluster::parse(s).map_err(|e| Error::Usage(format!("--cluster: {e}"))))
        .transpose()
}

pub fn print_stdout(text: &str) -> steward::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|source| Error::Output {
            path: PathBuf::from("<stdout>"),
            source,
        })
}
