//! The `steward` command line: clap parsing, one library call per subcommand, and the
//! outcome -> exit code mapping. No logic lives here.
//!
//! Exit codes: 0 gate passed, 1 gate failed (or, for `report`, an obligation failed;
//! for `audit verify`, the chain is broken), 2 usage or input error, 3 internal error.
//! A closed pipe on stdout exits 0 quietly.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use steward::audit::Event;
use steward::report::Format;
use steward::source::{InputFormat, SourceOptions, TextEncoding};
use steward::{Error, Outcome};

#[derive(Parser)]
#[command(
    name = "steward",
    version,
    about = "Data-quality scoring and compliance auditing for customer data extracts",
    long_about = "steward runs declarative rule files over CSV, Parquet and NDJSON extracts with \
Apache DataFusion, scores completeness, validity, consistency, timeliness and uniqueness \
(0-100), and fails a CI gate when the data is not good enough.\n\n\
Exit codes: 0 gate passed, 1 gate failed, 2 usage or input error, 3 internal error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Append the audit entry to FILE (default: STEWARD_AUDIT_LOG, else .steward/audit.jsonl)
    #[arg(long, global = true, value_name = "FILE")]
    audit_log: Option<PathBuf>,
    /// Do not write an audit entry for this run
    #[arg(long, global = true)]
    no_audit: bool,
    /// Stop the command after SECS seconds (exit 2, no output written)
    #[arg(long, global = true, value_name = "SECS", value_parser = parse_seconds)]
    timeout: Option<std::time::Duration>,
    /// Memory the query engine may use for a scan (512M, 2G); sorts and group-bys spill
    /// to disk before it, and a scan that still needs more stops with exit 2
    #[arg(long, global = true, value_name = "SIZE", value_parser = steward::interrupt::parse_size)]
    memory_limit: Option<usize>,
}

/// `--timeout` and `--memory-limit` of this run.
static LIMITS: std::sync::OnceLock<(Option<std::time::Duration>, Option<usize>)> =
    std::sync::OnceLock::new();

fn memory_limit() -> Option<usize> {
    LIMITS.get().and_then(|l| l.1)
}

fn parse_seconds(s: &str) -> Result<std::time::Duration, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() => Ok(std::time::Duration::from_secs_f64(v)),
        _ => Err(format!("'{s}' is not a number of seconds")),
    }
}

#[derive(Subcommand)]
enum Command {
    /// Score data extracts against rule files and apply the gate
    #[command(
        long_about = "Score data extracts against rule files and apply the gate.\n\n\
Every row-level check of a dataset, its exact unique and duplicate-key counts, the column \
profile and the classification sample run in one DataFusion aggregate over one read of \
the data; references are joins.\n\n\
Examples:\n  \
steward scan fixtures/customers.csv --rules rules/customer-core.yaml\n  \
steward scan exports/ --rules rules/ --format junit --output steward.xml\n  \
steward scan crm_gbk.csv --encoding gbk --rules rules/customer-core.yaml --as-of 2026-06-30 --fail-under 90"
    )]
    Scan(ScanArgs),
    /// Find the columns that hold personal data, and which kind
    #[command(
        long_about = "Find the columns that hold personal data, and which kind.\n\n\
Each column's header (English, Chinese, pinyin, pinyin initials) and a sample of up to \
2,000 of its distinct values go through one detector per category (checksums where the \
category has one). The JSON output is the scan report model with columns classified and \
no checks. Values are never printed.\n\n\
Examples:\n  \
steward classify fixtures/customers.csv\n  \
steward classify exports/ --format json --output classification.json"
    )]
    Classify(ClassifyArgs),
    /// Write a starter rule file from a dataset's profile and classification
    #[command(
        long_about = "Write a starter rule file from a dataset's profile and classification.\n\n\
required where nulls are rare, formats from detected categories, not_future / \
fresh_within on date and timestamp columns, unique on key-like columns, exact duplicates \
on ID and mobile columns. No data value is written. `steward scan` accepts the file \
unchanged; review it before relying on it.\n\n\
Example:\n  steward suggest fixtures/customers.csv --output rules/customers.yaml"
    )]
    Suggest(SuggestArgs),
    /// Mask, tokenize or encrypt personal data by a policy, streaming, and verify the result
    #[command(
        long_about = "Mask, tokenize or encrypt personal data by a policy file, streaming.\n\n\
Methods: partial, redact, tokenize (keyed HMAC-SHA256, optionally format-preserving), \
encrypt (AES-256-GCM, reversible with `steward unmask`), generalize, keep. With `auto: true` \
every column the classifier finds personal is masked with its category's default. The \
output (CSV, Parquet or NDJSON by extension) is written atomically with a sidecar \
<output>.steward.json (policy hash, key id, per-column counts), then classified again: a \
column still holding detectable personal data in clear makes the exit code 1.\n\n\
Keys come from --key-file or STEWARD_KEY (base64 of 32 bytes), never from the command line.\n\n\
Example:\n  STEWARD_KEY=$(cat key.b64) steward mask fixtures/customers.csv --policy policy.yaml --output masked.csv"
    )]
    Mask(MaskArgs),
    /// Decrypt values written by `steward mask` with the encrypt method
    Unmask(UnmaskArgs),
    /// Find duplicate customers within and across datasets and give each one unified ID
    #[command(
        long_about = "Find duplicate customers within and across datasets and give each one \
unified ID.\n\n\
Fields listed in the rule files' `duplicates.fuzzy` are normalised per kind (phones \
without +86, names through pinyin, dates as YYYYMMDD, ...), candidate pairs come from \
blocking rules (never all pairs), and a Fellegi-Sunter model trained by EM gives each \
pair a match probability. Pairs at or above the threshold are joined into clusters; a \
cluster's unified ID is derived from its smallest member key, so it is the same in every \
run and row order. Holds the compared fields of all records in memory; pairs are \
streamed block by block.\n\n\
Examples:\n  \
steward dedupe fixtures/dedupe/customers.csv --rules fixtures/dedupe/customers.yaml\n  \
steward dedupe crm.csv orders.csv members.csv --rules rules/ --clusters ids.csv --pairs pairs.csv\n  \
steward dedupe fixtures/dedupe/customers.csv --rules fixtures/dedupe/customers.yaml --explain C0001 C0002"
    )]
    Dedupe(DedupeArgs),
    /// PIPL / GDPR compliance report: obligations, evidence, inventory, scores, history
    #[command(
        long_about = "PIPL / GDPR compliance report over a scan: executive summary, \
personal-data inventory with protection state, quality scorecard, duplicates, one finding \
per obligation (pass, fail, needs_review) with its evidence and article references, \
remediation hints and run metadata (input SHA-256s, rules hash). The obligations are the \
catalogues in rules/compliance/, evaluated against the rule file's `compliance:` section. \
HTML is one self-contained file; no value from the data is ever written.\n\n\
Exit codes: 0 no obligation fails (some may need review), 1 an obligation or the quality \
gate fails, 2 usage or input error, 3 internal error.\n\n\
Examples:\n  \
steward report fixtures/customers.csv --rules rules/customer-core.yaml --rules fixtures/compliance/customers-compliance.yaml --regime pipl --regime gdpr --format html --output report.html\n  \
steward report exports/ --rules rules/ --regime pipl --format markdown --history .steward/history"
    )]
    Report(ReportArgs),
    /// Check the audit log's hash chain
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Validate rule files, or list the built-in checks, formats and SQL functions
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Run a Ballista scheduler or executor that knows steward's SQL functions
    #[command(
        subcommand,
        long_about = "Run the processes of a Ballista cluster for `steward scan --cluster \
df://scheduler:50050`. Executors must be steward's own (they resolve steward's SQL \
functions by name) and must be able to read the scanned paths or object-store URLs. \
Needs the `ballista` cargo feature. See docs/scaling.md for a deployment sketch."
    )]
    Cluster(ClusterCommand),
}

#[derive(Subcommand)]
enum ClusterCommand {
    /// Run a scheduler until stopped
    Scheduler {
        /// Address to listen on
        #[arg(long, default_value = "0.0.0.0:50050", value_name = "ADDR")]
        bind: std::net::SocketAddr,
        /// Host name executors and clients use to reach this scheduler
        #[arg(long, value_name = "HOST")]
        external_host: Option<String>,
    },
    /// Run an executor until stopped
    Executor {
        /// The scheduler, host:port
        #[arg(long, default_value = "localhost:50050", value_name = "HOST:PORT")]
        scheduler: String,
        /// Address of the executor's Flight service (shuffle data)
        #[arg(long, default_value = "0.0.0.0:50051", value_name = "ADDR")]
        bind: std::net::SocketAddr,
        /// Port of the executor's gRPC service
        #[arg(long, default_value_t = 50052, value_name = "PORT")]
        grpc_port: u16,
        /// Host name the scheduler and other executors use to reach this one
        #[arg(long, value_name = "HOST")]
        external_host: Option<String>,
        /// Concurrent tasks (default: the number of cores)
        #[arg(long, value_name = "N")]
        vcores: Option<usize>,
        /// Directory for shuffle files (default: a temporary directory)
        #[arg(long, value_name = "DIR")]
        work_dir: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Verify every line of an audit log; exit 1 naming the first edited, removed or reordered line
    #[command(
        long_about = "Verify every line of an audit log: sequence numbers, each line's hash and \
the chain of `prev` hashes. Exit 0 with the entry count and the head hash when intact, 1 \
naming the first bad line otherwise. Lines removed from the end leave a valid chain: \
compare the head hash with a copy kept elsewhere.\n\n\
Example:\n  steward audit verify .steward/audit.jsonl"
    )]
    Verify {
        #[arg(value_name = "LOG")]
        log: PathBuf,
    },
}

#[derive(Args)]
struct ReportArgs {
    /// Data files, directories or globs (.csv .tsv .parquet .json .ndjson .jsonl)
    #[arg(required = true, value_name = "DATA")]
    data: Vec<String>,
    /// Rule file or directory of rule files (repeatable)
    #[arg(long, short, required = true, value_name = "FILE|DIR")]
    rules: Vec<PathBuf>,
    /// Regulation to evaluate (repeatable)
    #[arg(long, value_enum, required = true, value_name = "REGIME")]
    regime: Vec<steward::compliance::Regime>,
    /// Output format
    #[arg(long, short, value_enum, default_value = "html")]
    format: steward::report::compliance::ReportFormat,
    /// Write the report to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Reference date for timeliness and retention (YYYY-MM-DD); default: the rule file's as_of, else today
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<chrono::NaiveDate>,
    /// Keep each run's scores as Parquet in DIR; show the trend and apply gate.max_drop
    #[arg(long, value_name = "DIR")]
    history: Option<PathBuf>,
    /// Run the scan on a Ballista cluster: df://host:port, or standalone[:N] for a
    /// scheduler and N executors in this process (needs the `ballista` feature)
    // Parsed by `cluster()`, not by clap, which would echo a bad value.
    #[arg(long, value_name = "CLUSTER")]
    cluster: Option<String>,
    #[command(flatten)]
    source: SourceArgs,
}

#[derive(Args)]
struct ScanArgs {
    /// Data files, directories or globs (.csv .tsv .parquet .json .ndjson .jsonl)
    #[arg(required = true, value_name = "DATA")]
    data: Vec<String>,
    /// Rule file or directory of rule files (repeatable)
    #[arg(long, short, required = true, value_name = "FILE|DIR")]
    rules: Vec<PathBuf>,
    /// Output format
    #[arg(long, short, value_enum, default_value = "table")]
    format: Format,
    /// Write the report to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Fail the gate when a dataset's overall score is under SCORE (overrides gate.min_overall)
    #[arg(long, value_name = "SCORE", value_parser = parse_score)]
    fail_under: Option<f64>,
    /// Reference date for timeliness checks (YYYY-MM-DD); default: the rule file's as_of, else today
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<chrono::NaiveDate>,
    #[command(flatten)]
    source: SourceArgs,
    /// Failing-row samples per check in the report (masked); 0 for none
    #[arg(long, value_name = "N", default_value_t = 5,
          value_parser = clap::value_parser!(u16).range(0..=1000))]
    samples: u16,
    /// Keep each run's scores as Parquet in DIR and apply gate.max_drop against the last run
    #[arg(long, value_name = "DIR")]
    history: Option<PathBuf>,
    /// Run the scan on a Ballista cluster: df://host:port, or standalone[:N] for a
    /// scheduler and N executors in this process (needs the `ballista` feature)
    // Parsed by `cluster()`, not by clap, which would echo a bad value.
    #[arg(long, value_name = "CLUSTER")]
    cluster: Option<String>,
}

#[derive(Args)]
struct ClassifyArgs {
    /// Data files, directories or globs (.csv .tsv .parquet .json .ndjson .jsonl)
    #[arg(required = true, value_name = "DATA")]
    data: Vec<String>,
    /// Output format
    #[arg(long, short, value_enum, default_value = "table")]
    format: ClassifyFormat,
    /// Write the result to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Reference date for counting minors (YYYY-MM-DD); default today
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<chrono::NaiveDate>,
    #[command(flatten)]
    source: SourceArgs,
}

#[derive(Args)]
struct SuggestArgs {
    /// One data file (.csv .tsv .parquet .json .ndjson .jsonl)
    #[arg(value_name = "DATA")]
    data: String,
    /// Write the rule file to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    source: SourceArgs,
}

#[derive(Args)]
struct MaskArgs {
    /// One data file (.csv .tsv .parquet .json .ndjson .jsonl)
    #[arg(value_name = "DATA")]
    data: String,
    /// Masking policy (YAML)
    #[arg(long, short, value_name = "FILE")]
    policy: PathBuf,
    /// Output file; its extension chooses the format
    #[arg(long, short, value_name = "FILE", required_unless_present = "dry_run")]
    output: Option<PathBuf>,
    /// File holding the key (base64 of 32 bytes); default: the STEWARD_KEY variable
    #[arg(long, value_name = "FILE")]
    key_file: Option<PathBuf>,
    /// Print the plan (column, category, method) and write nothing
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    source: SourceArgs,
}

#[derive(Args)]
struct UnmaskArgs {
    /// A file written by `steward mask`
    #[arg(value_name = "DATA")]
    data: String,
    /// Output file; its extension chooses the format
    #[arg(long, short, value_name = "FILE")]
    output: PathBuf,
    /// Only these columns (comma-separated); default: every column with encrypted values
    #[arg(long, value_delimiter = ',', value_name = "C,..")]
    columns: Option<Vec<String>>,
    /// Key file (repeatable, for rotated keys); default: the STEWARD_KEY variable
    #[arg(long, value_name = "FILE")]
    key_file: Vec<PathBuf>,
    #[command(flatten)]
    source: SourceArgs,
}

#[derive(Args)]
struct DedupeArgs {
    /// Data files, directories or globs (.csv .tsv .parquet .json .ndjson .jsonl)
    #[arg(required = true, value_name = "DATA")]
    data: Vec<String>,
    /// Rule file or directory of rule files (repeatable); `duplicates.fuzzy` configures matching
    #[arg(long, short, required = true, value_name = "FILE|DIR")]
    rules: Vec<PathBuf>,
    /// Write matched pairs (CSV: datasets, keys, probability, level per field)
    #[arg(long, value_name = "FILE")]
    pairs: Option<PathBuf>,
    /// Write every record's unified ID (CSV: dataset,key,unified_id)
    #[arg(long, value_name = "FILE")]
    clusters: Option<PathBuf>,
    /// Output format of the summary
    #[arg(long, short, value_enum, default_value = "table")]
    format: ClassifyFormat,
    /// Show the per-field weights of one pair (keys, or dataset:key)
    #[arg(long, num_args = 2, value_names = ["KEY1", "KEY2"])]
    explain: Option<Vec<String>>,
    #[command(flatten)]
    source: SourceArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ClassifyFormat {
    Table,
    Json,
}

#[derive(Args)]
struct SourceArgs {
    /// Text encoding of CSV/TSV inputs (Chinese CRM exports are often GBK)
    #[arg(long, value_enum, default_value = "utf-8")]
    encoding: TextEncoding,
    /// Read every input as this format instead of going by the file extension
    #[arg(long, value_enum, value_name = "FORMAT")]
    input_format: Option<InputFormat>,
}

#[derive(Subcommand)]
enum RulesCommand {
    /// Validate rule files without reading data; every problem is reported with file:line:col
    Check {
        #[arg(required = true, value_name = "FILE|DIR")]
        paths: Vec<PathBuf>,
    },
    /// List the built-in check shorthands, formats and SQL functions
    List {
        #[arg(long, short, value_enum, default_value = "table")]
        format: steward::registry::ListFormat,
    },
}

fn parse_score(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=100.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "'{s}' is not a score; expected a number from 0 to 100"
        )),
    }
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("'{s}' is not a date; expected YYYY-MM-DD"))
}

fn main() -> ExitCode {
    // Still one thread here: take the key out of the environment, so no child process
    // or crash report inherits it.
    steward::mask::keys::take_env_key();
    // A panic is a bug; its message could quote a value from the data, so only the
    // place is printed (STEWARD_DEBUG_PANIC=1 prints the message too), and the exit code
    // is 3.
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "internal error: steward panicked at {place}\nThis is a bug in steward; please report it."
        );
        if std::env::var_os("STEWARD_DEBUG_PANIC").is_some() {
            let msg = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            eprintln!("panic message: {msg}");
        }
    }));
    match std::panic::catch_unwind(run) {
        Ok(code) => code,
        Err(_) => ExitCode::from(3),
    }
}

fn run() -> ExitCode {
    let cli = Cli::parse();
    let _ = LIMITS.set((cli.timeout, cli.memory_limit));
    if let Err(err) = steward::interrupt::install() {
        eprintln!("error: {err}");
        return ExitCode::from(3);
    }
    let audit_log = steward::audit::log::resolve_path(cli.audit_log, cli.no_audit);
    let argv: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    // Commands that change or judge data are audited; `audit` opens their entry.
    let mut event: Option<Event> = None;
    let result = match cli.command {
        Command::Scan(args) => run_scan(args, audit(&mut event, "scan", &argv)),
        Command::Classify(args) => run_classify(args),
        Command::Suggest(args) => run_suggest(args),
        Command::Mask(args) => run_mask(args, audit(&mut event, "mask", &argv)),
        Command::Unmask(args) => run_unmask(args, audit(&mut event, "unmask", &argv)),
        Command::Report(args) => {
            run_report(args, audit_log.clone(), audit(&mut event, "report", &argv))
        }
        Command::Audit(AuditCommand::Verify { log }) => run_audit_verify(&log),
        Command::Dedupe(args) => run_dedupe(args, audit(&mut event, "dedupe", &argv)),
        Command::Rules(RulesCommand::Check { paths }) => steward::rules::load(&paths).map(|rs| {
            let checks: usize = rs.datasets.iter().map(|d| d.checks.len()).sum();
            eprintln!("ok: {} rule file(s), {} check(s)", rs.files.len(), checks);
            Outcome::Passed
        }),
        Command::Rules(RulesCommand::List { format }) => {
            print_stdout(&steward::registry::render(format)).map(|_| Outcome::Passed)
        }
        Command::Cluster(command) => run_cluster(command),
    };
    let mut code = match result {
        Ok(Outcome::Passed) => 0,
        Ok(Outcome::GateFailed) => 1,
        Err(Error::Output { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(err) => {
            eprintln!("error: {err}");
            exit_code(&err)
        }
    };
    if let Some(mut event) = event {
        event.finish(code);
        if let Err(err) = steward::audit::record(audit_log.as_ref(), event) {
            eprintln!("error: audit log: {err}");
            code = code.max(2);
        }
    }
    ExitCode::from(code)
}

/// Open the audit entry of this run.
fn audit<'a>(slot: &'a mut Option<Event>, command: &str, argv: &[String]) -> &'a mut Event {
    slot.insert(Event::new(command, argv.to_vec()))
}

fn exit_code(err: &Error) -> u8 {
    match err {
        Error::Internal(_) => 3,
        // 128 + SIGINT, as shells report an interrupted command.
        Error::Interrupted(_) => 130,
        // Rule files, data, keys, usage and outputs are the user's to fix.
        _ => 2,
    }
}

fn run_scan(args: ScanArgs, event: &mut Event) -> steward::Result<Outcome> {
    event.with_data(&args.data);
    let opts = steward::scan::ScanOptions {
        data: args.data,
        rules: args.rules,
        source: source_options(&args.source),
        as_of: args.as_of,
        fail_under: args.fail_under,
        samples: usize::from(args.samples),
        progress: std::io::stderr().is_terminal(),
        profile: true,
        memory_limit: memory_limit(),
        cluster: cluster(args.cluster.as_deref())?,
    };
    let mut report = block_on(steward::scan::scan(&opts))?;
    if let Some(dir) = &args.history {
        steward::audit::history::record_for(dir, &mut report, &opts.rules)?;
    }
    event.with_report(&report);
    let text = steward::report::render(&report, args.format);
    match &args.output {
        Some(path) => steward::output::write_atomic(path, text.as_bytes())?,
        None => print_stdout(&text)?,
    }
    if args.output.is_some() || args.format != Format::Table {
        // Keep the verdict visible when the report goes to a file or a machine format.
        eprintln!("{}", steward::report::verdict_line(&report));
    }
    Ok(if report.gate.passed {
        Outcome::Passed
    } else {
        Outcome::GateFailed
    })
}

/// Run a command's future on a fresh runtime, stopped by SIGINT/SIGTERM or `--timeout`.
fn block_on<T>(fut: impl std::future::Future<Output = steward::Result<T>>) -> steward::Result<T> {
    let timeout = LIMITS.get().and_then(|l| l.0);
    runtime()?.block_on(steward::interrupt::guarded(fut, timeout))
}

fn runtime() -> steward::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(format!("cannot start the runtime: {e}")))
}

fn run_classify(args: ClassifyArgs) -> steward::Result<Outcome> {
    let opts = steward::scan::ScanOptions {
        data: args.data,
        source: source_options(&args.source),
        as_of: args.as_of,
        samples: 0,
        progress: std::io::stderr().is_terminal(),
        memory_limit: memory_limit(),
        ..Default::default()
    };
    let report = block_on(steward::scan::scan(&opts))?;
    let text = match args.format {
        ClassifyFormat::Table => steward::report::classification::render(&report),
        ClassifyFormat::Json => steward::report::render(&report, Format::Json),
    };
    match &args.output {
        Some(path) => steward::output::write_atomic(path, text.as_bytes())?,
        None => print_stdout(&text)?,
    }
    Ok(Outcome::Passed)
}

fn run_suggest(args: SuggestArgs) -> steward::Result<Outcome> {
    let opts = steward::scan::ScanOptions {
        data: vec![args.data],
        source: source_options(&args.source),
        samples: 0,
        progress: std::io::stderr().is_terminal(),
        memory_limit: memory_limit(),
        ..Default::default()
    };
    let report = block_on(steward::scan::scan(&opts))?;
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

/// `--cluster`, checked here rather than by clap, which would echo a bad value (it could
/// be a URL with credentials).
fn cluster(spec: Option<&str>) -> steward::Result<Option<steward::cluster::Cluster>> {
    spec.map(|s| steward::cluster::parse(s).map_err(|e| Error::Usage(format!("--cluster: {e}"))))
        .transpose()
}

fn source_options(a: &SourceArgs) -> SourceOptions {
    SourceOptions {
        encoding: a.encoding,
        format: a.input_format,
        distributed: false,
    }
}

fn run_mask(args: MaskArgs, event: &mut Event) -> steward::Result<Outcome> {
    event.with_data(std::slice::from_ref(&args.data));
    let opts = steward::mask::pipeline::MaskOptions {
        data: args.data,
        policy: args.policy,
        output: args.output.unwrap_or_default(),
        source: source_options(&args.source),
        key_file: args.key_file,
        dry_run: args.dry_run,
    };
    let summary = block_on(steward::mask::pipeline::mask(&opts))?;
    event.key_ids.extend(summary.key_id.clone());
    print_stdout(&steward::report::masking::render(&summary, args.dry_run))?;
    Ok(if summary.leaks().is_empty() {
        Outcome::Passed
    } else {
        Outcome::GateFailed
    })
}

fn run_unmask(args: UnmaskArgs, event: &mut Event) -> steward::Result<Outcome> {
    event.with_data(std::slice::from_ref(&args.data));
    event.key_ids = steward::audit::key_ids(&args.key_file);
    let opts = steward::mask::pipeline::UnmaskOptions {
        data: args.data,
        output: args.output,
        columns: args.columns,
        key_files: args.key_file,
        source: source_options(&args.source),
    };
    let counts = block_on(steward::mask::pipeline::unmask(&opts))?;
    for (column, n) in counts {
        eprintln!("{column}: {n} values decrypted");
    }
    Ok(Outcome::Passed)
}

fn run_dedupe(args: DedupeArgs, event: &mut Event) -> steward::Result<Outcome> {
    event.with_data(&args.data);
    let opts = steward::dedupe::DedupeOptions {
        data: args.data,
        rules: args.rules,
        source: source_options(&args.source),
        pairs: args.pairs,
        clusters: args.clusters,
        explain: args.explain.map(|v| (v[0].clone(), v[1].clone())),
    };
    let (report, explain) = block_on(steward::dedupe::dedupe(&opts))?;
    use steward::report::dedupe as render;
    let text = match (args.format, &explain) {
        (ClassifyFormat::Table, Some(e)) => render::render_explain(e),
        (ClassifyFormat::Json, Some(e)) => render::json(e),
        (ClassifyFormat::Table, None) => render::render_table(&report),
        (ClassifyFormat::Json, None) => render::json(&report),
    };
    print_stdout(&text)?;
    Ok(Outcome::Passed)
}

#[cfg(feature = "ballista")]
fn run_cluster(command: ClusterCommand) -> steward::Result<Outcome> {
    let rt = runtime()?;
    match command {
        ClusterCommand::Scheduler {
            bind,
            external_host,
        } => rt.block_on(steward::cluster::run_scheduler(bind, external_host))?,
        ClusterCommand::Executor {
            scheduler,
            bind,
            grpc_port,
            external_host,
            vcores,
            work_dir,
        } => {
            let (host, port) = scheduler
                .rsplit_once(':')
                .and_then(|(h, p)| Some((h.to_string(), p.parse::<u16>().ok()?)))
                .ok_or_else(|| {
                    Error::Usage(format!("--scheduler '{scheduler}': expected host:port"))
                })?;
            let vcores = vcores
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
            rt.block_on(steward::cluster::run_executor(
                (host, port),
                bind,
                grpc_port,
                external_host,
                vcores,
                work_dir.map(|d| d.display().to_string()),
            ))?
        }
    }
    Ok(Outcome::Passed)
}

#[cfg(not(feature = "ballista"))]
fn run_cluster(_command: ClusterCommand) -> steward::Result<Outcome> {
    Err(Error::Usage(
        "this steward was built without the distributed mode; rebuild with `cargo build --release --features ballista`".into(),
    ))
}

fn run_report(
    args: ReportArgs,
    audit_log: Option<PathBuf>,
    event: &mut Event,
) -> steward::Result<Outcome> {
    use steward::report::compliance::{ObligationStatus, render, verdict_line};
    event.with_data(&args.data);
    let opts = steward::compliance::ReportOptions {
        scan: steward::scan::ScanOptions {
            data: args.data,
            rules: args.rules,
            source: source_options(&args.source),
            as_of: args.as_of,
            samples: 0,
            progress: std::io::stderr().is_terminal(),
            memory_limit: memory_limit(),
            cluster: cluster(args.cluster.as_deref())?,
            ..Default::default()
        },
        regimes: args.regime,
        history: args.history,
        audit_log,
    };
    let run = block_on(steward::compliance::report(&opts))?;
    event.with_report(&run.scan);
    let text = render(&run.compliance, args.format);
    match &args.output {
        Some(path) => steward::output::write_atomic(path, text.as_bytes())?,
        None => print_stdout(&text)?,
    }
    eprintln!("{}", verdict_line(&run.compliance));
    Ok(if run.compliance.verdict == ObligationStatus::Fail {
        Outcome::GateFailed
    } else {
        Outcome::Passed
    })
}

fn run_audit_verify(log: &std::path::Path) -> steward::Result<Outcome> {
    let v = steward::audit::log::verify(log)?;
    match &v.first_bad {
        None => {
            eprintln!("ok: {} entries, chain intact; head {}", v.entries, v.head);
            Ok(Outcome::Passed)
        }
        Some((line, why)) => {
            eprintln!(
                "FAIL  {}:{line}: {why}; {} line(s) before it verify",
                log.display(),
                v.entries
            );
            Ok(Outcome::GateFailed)
        }
    }
}

fn print_stdout(text: &str) -> steward::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|source| Error::Output {
            path: PathBuf::from("<stdout>"),
            source,
        })
}
