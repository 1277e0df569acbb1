//! The `steward` command line: clap parsing, one [`cmd`] call per subcommand, and the
//! outcome -> exit code mapping. No logic lives here.
//!
//! Exit codes: 0 gate passed, 1 gate failed (or, for `report`, an obligation failed;
//! for `audit verify`, the chain is broken), 2 usage or input error, 3 internal error.
//! A closed pipe on stdout exits 0 quietly.

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use steward::audit::Event;
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
    #[command(flatten)]
    global: cmd::GlobalArgs,
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
    Scan(cmd::scan::Args),
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
    Classify(cmd::classify::Args),
    /// Write a starter rule file from a dataset's profile and classification
    #[command(
        long_about = "Write a starter rule file from a dataset's profile and classification.\n\n\
required where nulls are rare, formats from detected categories, not_future / \
fresh_within on date and timestamp columns, unique on key-like columns, exact duplicates \
on ID and mobile columns. No data value is written. `steward scan` accepts the file \
unchanged; review it before relying on it.\n\n\
Example:\n  steward suggest fixtures/customers.csv --output rules/customers.yaml"
    )]
    Suggest(cmd::suggest::Args),
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
    Mask(cmd::mask::Args),
    /// Decrypt values written by `steward mask` with the encrypt method
    Unmask(cmd::unmask::Args),
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
    Dedupe(cmd::dedupe::Args),
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
    Report(cmd::report::Args),
    /// Check the audit log's hash chain
    #[command(
        long_about = "Re-identification risk of an extract: k-anonymity, prosecutor, journalist \
and marketer risk, l-diversity and t-closeness, and a grade in the terms of GB/T \
42460-2023 (identifiable, de-identified, low-risk).\n\n\
Direct identifiers (ID numbers, mobiles, names, e-mail, cards) are listed apart; the \
quasi-identifiers (birth date, gender, address, postcode, ...) default to what the \
classifier and the headers say. Classes are reported by size; no value is printed. \
Formulas: docs/risk.md.\n\n\
Exit codes: 0 every dataset is low-risk at --k and --max-risk, 1 one is not, 2 usage \
or input error, 3 internal error.\n\n\
Examples:\n  \
steward risk fixtures/risk/patients.csv --quasi 性别,出生日期,邮编 --sensitive 诊断\n  \
steward risk members.csv --individual member_id --k 11 --max-risk 0.09 --format markdown"
    )]
    Risk(cmd::risk::Args),
    /// Runs kept by --history: trends, drift, anomalies, failing-row diffs, compaction
    #[command(
        long_about = "The runs kept by `steward scan --history DIR` (and `report --history`): per \
dataset the scores of each run, the pass rate of each check, the last run's drift against \
the one before and its anomaly verdicts. `--diff A B` compares the failing rows of two runs \
by their masked keys: new failures, fixed rows, rows still failing. `--retain` compacts the \
store first. HTML draws the trends as inline SVG charts. The store's layout: \
docs/history.md.\n\n\
Examples:\n  \
steward history .steward/history\n  \
steward history .steward/history --dataset customers --diff latest~1 latest\n  \
steward history .steward/history --retain 90d --format html --output history.html"
    )]
    History(cmd::history::Args),
    #[command(subcommand)]
    Audit(cmd::audit::Command),
    /// Validate rule files, or list the built-in checks, formats and SQL functions
    #[command(subcommand)]
    Rules(cmd::rules::Command),
    /// Run a Ballista scheduler or executor that knows steward's SQL functions
    #[command(
        subcommand,
        long_about = "Run the processes of a Ballista cluster for `steward scan --cluster \
df://scheduler:50050`. Executors must be steward's own (they resolve steward's SQL \
functions by name) and must be able to read the scanned paths or object-store URLs. \
Needs the `ballista` cargo feature. See docs/scaling.md for a deployment sketch."
    )]
    Cluster(cmd::cluster::Command),
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
    let ctx = cmd::Context::new(&cli.global);
    if let Err(err) = steward::interrupt::install() {
        eprintln!("error: {err}");
        return ExitCode::from(3);
    }
    let audit_log = steward::audit::log::resolve_path(cli.global.audit_log, cli.global.no_audit);
    let argv: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    // Commands that change or judge data are audited; `audit` opens their entry.
    let mut event: Option<Event> = None;
    let result = match cli.command {
        Command::Scan(args) => cmd::scan::run(args, &ctx, audit(&mut event, "scan", &argv)),
        Command::Classify(args) => cmd::classify::run(args, &ctx),
        Command::Suggest(args) => cmd::suggest::run(args, &ctx),
        Command::Mask(args) => cmd::mask::run(args, &ctx, audit(&mut event, "mask", &argv)),
        Command::Unmask(args) => cmd::unmask::run(args, &ctx, audit(&mut event, "unmask", &argv)),
        Command::Report(args) => cmd::report::run(
            args,
            audit_log.clone(),
            &ctx,
            audit(&mut event, "report", &argv),
        ),
        Command::Risk(args) => cmd::risk::run(args, &ctx, audit(&mut event, "risk", &argv)),
        Command::History(args) => cmd::history::run(args),
        Command::Audit(command) => cmd::audit::run(command),
        Command::Dedupe(args) => cmd::dedupe::run(args, &ctx, audit(&mut event, "dedupe", &argv)),
        Command::Rules(command) => cmd::rules::run(command),
        Command::Cluster(command) => cmd::cluster::run(command),
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
