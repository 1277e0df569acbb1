//! The scan engine: rules + inputs -> metrics -> scores -> report model.
//!
//! Per dataset, every row-level check, the column profile, exact `unique` / duplicate
//! key counts (`duplicates`), failing-row samples (`sample`) and the classifier's value
//! samples (`distinct_sample`, `minors`) are computed by ONE DataFusion aggregate over
//! one scan; references are joins. The results are plain counts, scored by `score` and
//! returned as a `report::Report`; this module never renders anything.

pub(crate) mod compile;

use std::path::PathBuf;
use std::time::Instant;

use chrono::NaiveDate;
use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use datafusion::arrow::datatypes::{DataType, Int64Type, Schema, UInt64Type};
use datafusion::error::DataFusionError;
use datafusion::execution::context::SQLOptions;
use datafusion::prelude::SessionContext;

use crate::engine::{count_true, distinct_sample, duplicates, float_bits, minors, sample, session};
use crate::error::{Error, Result, RuleDiagnostic};
use crate::mask::partial::{mask, mask_as};
use crate::report::{
    CheckResult, Classification, ColumnProfile, DatasetReport, Input as InputReport, Report, Run,
    SCHEMA_VERSION, SCORING_FORMULA, Sample, Tool,
};
use crate::rules::{DatasetRules, RuleSet};
use crate::score;
use crate::source::{self, Input, SourceOptions};
use compile::{BoundCheck, BoundDataset, Col, Plan, ident, is_text};

/// Everything a scan needs besides the files themselves.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub data: Vec<String>,
    pub rules: Vec<PathBuf>,
    pub source: SourceOptions,
    /// Reference date for timeliness; falls back to the rule files' `as_of`, then today.
    pub as_of: Option<NaiveDate>,
    /// Overrides every dataset's `gate.min_overall`.
    pub fail_under: Option<f64>,
    /// Failing-row samples per check (0 disables them).
    pub samples: usize,
    /// Report progress on stderr (hidden when stderr is not a terminal).
    pub progress: bool,
    /// Compute the column profile (blanks, distinct estimates, min/max, minors). Off when
    /// only the classification is wanted (`steward mask` plans and verifies with it).
    pub profile: bool,
    /// Bytes the query engine may hold (sorts and group-bys spill past it); `None`: no
    /// limit. Exceeding it is an `Error::Limit`.
    pub memory_limit: Option<usize>,
    /// Run the queries on a Ballista cluster instead of in this process.
    pub cluster: Option<crate::cluster::Cluster>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        Self {
            data: Vec::new(),
            rules: Vec::new(),
            source: SourceOptions::default(),
            as_of: None,
            fail_under: None,
            samples: 5,
            progress: false,
            profile: true,
            memory_limit: None,
            cluster: None,
        }
    }
}

/// Separates the row key from the value inside a sample string.
const SAMPLE_SEP: char = '\u{1f}';

/// Run a scan and build its report. A failed gate is a normal outcome (`report.gate`).
pub async fn scan(opts: &ScanOptions) -> Result<Report> {
    let started = Instant::now();
    let started_at = chrono::Utc::now();
    // No rule files (`steward classify`): profile and classify only.
    let rules = if opts.rules.is_empty() {
        RuleSet::default()
    } else {
        crate::rules::load(&opts.rules)?
    };
    let mut inputs = source::expand(&opts.data, &opts.source)?;
    let datasets = crate::rules::assign(&rules, &mut inputs)?;
    let as_of = resolve_as_of(opts.as_of, &rules)?;

    // Hash the inputs beside the scan (files on a blocking thread, objects streamed).
    let to_hash = inputs.clone();
    let hasher = tokio::spawn(async move {
        let mut out = Vec::with_capacity(to_hash.len());
        for input in &to_hash {
            out.push(source::fingerprint(input).await?);
        }
        Ok::<_, Error>(out)
    });
    // A CSV column whose later values do not fit the type inferred from the first rows is
    // read again as text; each retry fixes one column, so this ends.
    let mut text_columns: Vec<source::TextColumns> = vec![Default::default(); inputs.len()];
    let mut reports = loop {
        match scan_all(opts, &inputs, &datasets, as_of, &text_columns).await {
            Err(Retry::AsText { input, column }) if text_columns[input].insert(column) => {}
            Err(Retry::AsText { .. }) => {
                return Err(Error::internal(
                    "a column read as text still failed to parse",
                ));
            }
            Err(Retry::Fail(e)) => return Err(e),
            Ok(r) => break r,
        }
    };
    for ((report, rules), input) in reports.iter_mut().zip(&datasets).zip(&inputs) {
        if let Some(rules) = rules
            && rules.fuzzy.is_some()
        {
            fuzzy_duplicates(report, rules, input, &opts.source).await?;
        }
    }
    let hashes = hasher
        .await
        .map_err(|_| Error::internal("hashing task failed"))??;

    let mut reasons = Vec::new();
    for (report, rules) in reports.iter().zip(&datasets) {
        let gate = rules.as_ref().map(|r| r.gate.clone()).unwrap_or_default();
        reasons.extend(score::gate_reasons(
            &report.name,
            &report.scores,
            &report.checks,
            &gate,
            opts.fail_under,
        ));
    }
    let run_inputs = inputs
        .iter()
        .zip(&hashes)
        .zip(&reports)
        .map(|((input, (sha256, bytes)), report)| InputReport {
            path: input.path.display().to_string(),
            dataset: input.name.clone(),
            format: input.format.as_str().to_string(),
            sha256: sha256.clone(),
            rows: report.rows,
            bytes: *bytes,
        })
        .collect();
    Ok(Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "steward".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        run: Run {
            started_at: started_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            duration_ms: started.elapsed().as_millis() as u64,
            as_of: as_of.format("%Y-%m-%d").to_string(),
            rules_sha256: rules.sha256.clone(),
            rule_files: rules
                .files
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
            inputs: run_inputs,
        },
        datasets: reports,
        gate: score::gate(reasons),
        scoring_formula: SCORING_FORMULA.into(),
    })
}

/// `duplicates.fuzzy` in a scan: the records a merge of the fuzzy clusters would remove
/// count as failures of a uniqueness check `<dataset>.duplicates.fuzzy` (evaluated: every
/// record), so the duplicate rate is part of the score. This reads the dataset again
/// through `steward dedupe`'s pipeline; its pairs and IDs come from `steward dedupe`.
async fn fuzzy_duplicates(
    report: &mut DatasetReport,
    rules: &DatasetRules,
    input: &Input,
    source: &SourceOptions,
) -> Result<()> {
    let Some(fuzzy) = &rules.fuzzy else {
        return Ok(());
    };
    let s = crate::dedupe::summarize_dataset(input, rules, source).await?;
    let fields: Vec<&str> = fuzzy.fields.iter().map(|f| f.field.as_str()).collect();
    report.checks.push(CheckResult {
        id: format!("{}.duplicates.fuzzy", report.name),
        dimension: crate::report::Dimension::Uniqueness,
        column: Some(fields.join("+")),
        kind: "fuzzy_duplicates".into(),
        description: format!(
            "no two records are the same customer by fuzzy match on {}",
            fields.join(", ")
        ),
        severity: crate::report::Severity::Error,
        weight: 1.0,
        evaluated: s.records,
        failed: s.duplicate_records,
        score: score::check_score(s.records, s.duplicate_records),
        min_pass_rate: None,
        status: score::status(
            s.records,
            s.duplicate_records,
            crate::report::Severity::Error,
            None,
        ),
        duplicate_values: Some(s.multi_record_clusters),
        duplicate_rows: Some(s.duplicate_records + s.multi_record_clusters),
        samples: Vec::new(),
    });
    report.scores = score::dataset_scores(&report.checks, &rules.weights);
    Ok(())
}

/// Why a scan attempt stopped.
enum Retry {
    /// A CSV value did not fit the type inferred from the first rows: read the column as
    /// text.
    AsText {
        input: usize,
        column: usize,
    },
    Fail(Error),
}

impl From<Error> for Retry {
    fn from(e: Error) -> Self {
        Retry::Fail(e)
    }
}

fn resolve_as_of(cli: Option<NaiveDate>, rules: &RuleSet) -> Result<NaiveDate> {
    if let Some(d) = cli {
        return Ok(d);
    }
    let mut declared: Vec<NaiveDate> = rules.datasets.iter().filter_map(|d| d.as_of).collect();
    declared.sort();
    declared.dedup();
    match declared.as_slice() {
        [] => Ok(chrono::Local::now().date_naive()),
        [one] => Ok(*one),
        _ => Err(Error::Usage(
            "rule files declare different `as_of` dates; pass --as-of to choose one".into(),
        )),
    }
}

fn sql_options() -> SQLOptions {
    SQLOptions::new()
        .with_allow_ddl(false)
        .with_allow_dml(false)
        .with_allow_statements(false)
}

async fn scan_all(
    opts: &ScanOptions,
    inputs: &[Input],
    rules: &[Option<DatasetRules>],
    as_of: NaiveDate,
    text_columns: &[source::TextColumns],
) -> Result<Vec<DatasetReport>, Retry> {
    let ctx = match &opts.cluster {
        Some(cluster) => crate::cluster::session(cluster, opts.memory_limit).await?,
        None => session(opts.memory_limit)?,
    };
    let source_opts = SourceOptions {
        distributed: opts.cluster.is_some(),
        ..opts.source
    };
    let mut schemas = Vec::new();
    for ((input, text), rules) in inputs.iter().zip(text_columns).zip(rules) {
        let declared = rules
            .as_ref()
            .map(|r| r.declared_types())
            .unwrap_or_default();
        source::register(&ctx, input, &input.name, &source_opts, text, &declared).await?;
        let table = ctx
            .table_provider(datafusion::common::TableReference::bare(
                input.name.as_str(),
            ))
            .await
            .map_err(Error::internal)?;
        schemas.push((input.name.clone(), Schema::clone(&table.schema())));
    }

    // Bind every dataset's rules before running anything, so all rule errors come at once.
    let mut diags = Vec::new();
    let mut bound = Vec::new();
    for ((input, rules), (_, schema)) in inputs.iter().zip(rules).zip(&schemas) {
        let b = rules.as_ref().map(|r| {
            compile::Binder::new(&input.name, schema, as_of, &schemas, &mut diags).bind(r)
        });
        if let Some(b) = &b {
            let mut failures = Vec::new();
            validate_sql(&ctx, b, schema, &mut failures).await;
            for failure in failures {
                // A CSV column typed as a number from its values, used as text by a
                // rule: text-first, it is read as the text it is (a digits-only card
                // number in `trim()`), not refused.
                if let Some(column) = failure
                    .columns
                    .iter()
                    .find_map(|c| inferred_number(input, rules.as_ref(), schema, c))
                {
                    return Err(Retry::AsText {
                        input: bound.len(),
                        column,
                    });
                }
                diags.push(failure.diag);
            }
        }
        bound.push(b);
    }
    if !diags.is_empty() {
        diags.sort_by(|a, b| a.origin.cmp(&b.origin));
        diags.dedup();
        return Err(Retry::Fail(Error::RuleFile(diags)));
    }

    let all_rules = rules;
    let mut reports = Vec::new();
    for (index, ((input, rules), (b, (_, schema)))) in inputs
        .iter()
        .zip(rules)
        .zip(bound.iter().zip(&schemas))
        .enumerate()
    {
        let progress = spinner(opts.progress, &input.name);
        let result =
            scan_dataset(&ctx, opts, input, b.as_ref(), rules.as_ref(), schema, as_of).await;
        progress.finish_and_clear();
        match result {
            Ok(r) => reports.push(r),
            Err(Failed { reading, error }) => {
                // The failing read is this dataset's, or the referenced one's.
                let i = reading
                    .and_then(|name| inputs.iter().position(|c| c.name == name))
                    .unwrap_or(index);
                if let Some(column) = source::mistyped_column(&inputs[i], &error)
                    && !declares_type_at(all_rules[i].as_ref(), &schemas[i].1, column)
                {
                    return Err(Retry::AsText { input: i, column });
                }
                return Err(Retry::Fail(execution_error(
                    inputs, &inputs[i], opts, &error,
                )));
            }
        }
    }
    for (report, input) in reports.iter().zip(inputs) {
        if report.rows == 0 {
            return Err(Retry::Fail(Error::Data {
                path: input.path.clone(),
                line: matches!(
                    input.format,
                    source::InputFormat::Csv | source::InputFormat::Tsv
                )
                .then_some(2),
                column: None,
                message: "no data rows; expected at least one record after the header".into(),
            }));
        }
    }
    Ok(reports)
}

/// The position of column `name` when it is a CSV/TSV column that steward typed as a
/// number from its values (not declared by the rule file): such a column can be read as
/// text instead.
fn inferred_number(
    input: &Input,
    rules: Option<&DatasetRules>,
    schema: &Schema,
    name: &str,
) -> Option<usize> {
    if !matches!(
        input.format,
        source::InputFormat::Csv | source::InputFormat::Tsv
    ) || declares_type(rules, name)
    {
        return None;
    }
    let index = schema.index_of(name).ok()?;
    schema
        .field(index)
        .data_type()
        .is_numeric()
        .then_some(index)
}

/// Whether the rule file declares column `name`'s type (then a value that does not fit
/// is a data error, not a reason to read the column as text).
fn declares_type(rules: Option<&DatasetRules>, name: &str) -> bool {
    rules.is_some_and(|r| r.types.contains_key(name))
}

/// [`declares_type`] for the column at `index` of `schema`.
fn declares_type_at(rules: Option<&DatasetRules>, schema: &Schema, index: usize) -> bool {
    schema
        .fields()
        .get(index)
        .is_some_and(|f| declares_type(rules, f.name()))
}

fn spinner(enabled: bool, name: &str) -> indicatif::ProgressBar {
    if !enabled {
        return indicatif::ProgressBar::hidden();
    }
    let pb = indicatif::ProgressBar::new_spinner();
    pb.set_style(
        indicatif::ProgressStyle::with_template("{spinner} scanning {msg} ({elapsed})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    pb.set_message(name.to_string());
    pb.enable_steady_tick(std::time::Duration::from_millis(120));
    pb
}

/// Map a failure while running a dataset's queries to a user-facing error.
fn execution_error(
    inputs: &[Input],
    input: &Input,
    opts: &ScanOptions,
    err: &DataFusionError,
) -> Error {
    if let DataFusionError::External(e) = err.find_root()
        && let Some(duplicates::SpillError(io)) = e.downcast_ref()
    {
        return Error::Output {
            path: std::env::temp_dir(),
            source: std::io::Error::new(
                io.kind(),
                format!(
                    "spilling duplicate-check keys of dataset '{}': {io}",
                    input.name
                ),
            ),
        };
    }
    if let DataFusionError::ResourcesExhausted(what) = err.find_root() {
        return Error::Limit(format!(
            "dataset '{}': the scan needs more memory than --memory-limit allows ({}); raise the limit",
            input.name,
            // DataFusion's first line names the operator and byte counts, never data.
            what.lines().next().unwrap_or_default()
        ));
    }
    let is_data = matches!(
        err.find_root(),
        DataFusionError::ArrowError(..)
            | DataFusionError::ParquetError(..)
            | DataFusionError::IoError(..)
            | DataFusionError::External(..)
            | DataFusionError::ObjectStore(..)
            | DataFusionError::Execution(..)
    );
    if !is_data {
        return Error::internal(format!("query for dataset '{}' failed: {err}", input.name));
    }
    let mut candidates = vec![input];
    candidates.extend(inputs.iter().filter(|i| i.path != input.path));
    for candidate in candidates {
        let e = source::read_error(candidate, &opts.source, err);
        if matches!(e, Error::Data { line: Some(_), .. }) {
            return e;
        }
    }
    source::read_error(input, &opts.source, err)
}

/// A SQL check that does not plan, and the columns its expressions name.
struct SqlFailure {
    diag: RuleDiagnostic,
    columns: Vec<String>,
}

/// Plan each SQL check alone, so a bad expression is reported at its own position, with
/// the check id, the types of the columns it names and a hint.
async fn validate_sql(
    ctx: &SessionContext,
    b: &BoundDataset,
    schema: &Schema,
    failures: &mut Vec<SqlFailure>,
) {
    let Ok(df_schema) = datafusion::common::DFSchema::try_from(schema.clone()) else {
        return;
    };
    for check in &b.checks {
        let crate::rules::CheckKind::Sql { where_, expect } = &check.spec.kind else {
            continue;
        };
        let mut columns = Vec::new();
        let mut ok = true;
        for part in where_.iter().chain(std::iter::once(expect)) {
            match ctx.parse_sql_expr(&part.text, &df_schema) {
                Ok(expr) => columns.extend(expr.column_refs().iter().map(|c| c.name.clone())),
                Err(e) => {
                    ok = false;
                    failures.push(SqlFailure {
                        diag: RuleDiagnostic {
                            origin: part.origin.clone(),
                            message: format!(
                                "SQL expression of check '{}' does not plan: {}",
                                check.id,
                                short_df_error(&e)
                            ),
                            help: None,
                        },
                        columns: Vec::new(),
                    });
                }
            }
        }
        // Sorted over `where` and `expect` together, so a column both name is listed once.
        columns.sort();
        columns.dedup();
        if !ok {
            continue;
        }
        let Plan::Row { eval, fail, .. } = &check.plan else {
            continue;
        };
        let sql = format!(
            "SELECT CASE WHEN ({}) AND ({fail}) THEN 1 ELSE 0 END FROM {}",
            eval.as_deref().unwrap_or("TRUE"),
            b.table
        );
        let planned = match ctx.sql_with_options(&sql, sql_options()).await {
            // Type coercion and function signatures are checked when the plan is
            // optimized and made physical.
            Ok(df) => df.create_physical_plan().await.map(|_| ()),
            Err(e) => Err(e),
        };
        if let Err(e) = planned {
            let typed: Vec<(String, DataType)> = columns
                .iter()
                .filter_map(|c| {
                    schema
                        .field_with_name(c)
                        .ok()
                        .map(|f| (c.clone(), f.data_type().clone()))
                })
                .collect();
            let (message, help) = explain_plan_error(&e, &typed);
            failures.push(SqlFailure {
                diag: RuleDiagnostic {
                    origin: match where_ {
                        Some(w) if !plans(ctx, &w.text, &b.table).await => w.origin.clone(),
                        _ => expect.origin.clone(),
                    },
                    message: format!("SQL check '{}' does not plan: {message}", check.id),
                    help: Some(help),
                },
                columns,
            });
        }
    }
}

/// Whether a boolean expression over `table` plans on its own (to tell whether `where`
/// or `expect` is at fault: DataFusion's errors do not say).
async fn plans(ctx: &SessionContext, expr: &str, table: &str) -> bool {
    let sql = format!("SELECT CASE WHEN ({expr}) THEN 1 ELSE 0 END FROM {table}");
    match ctx.sql_with_options(&sql, sql_options()).await {
        Ok(df) => df.create_physical_plan().await.is_ok(),
        Err(_) => false,
    }
}

/// A planning error as a rule author can act on it: DataFusion's message without its
/// "internal error / please file a bug" framing, the types of the columns involved, and
/// a hint. Column types, not values: nothing from the data is quoted.
fn explain_plan_error(e: &DataFusionError, columns: &[(String, DataType)]) -> (String, String) {
    let text = e.strip_backtrace();
    let text = text
        .replace("Internal error: ", "")
        .replace("Error during planning: ", "")
        .replace("Schema error: ", "");
    let text = match text.find("This issue was likely caused by a bug") {
        Some(at) => text[..at].trim_end().trim_end_matches('.').to_string(),
        None => text.lines().next().unwrap_or("").trim().to_string(),
    };
    let involved = if columns.is_empty() {
        String::new()
    } else {
        format!(
            " (columns: {})",
            columns
                .iter()
                .map(|(c, t)| format!("{c} is {t}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    // `Function 'btrim' failed to match any signature ... requires String, but received Int64`
    let function = text
        .split("Function '")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .map(|f| match f {
            "btrim" => "trim",
            other => other,
        });
    let wants_text = text.contains("requires String") || text.contains("requires Utf8");
    let non_text: Vec<&(String, DataType)> = columns
        .iter()
        .filter(|(_, t)| !compile::is_text(t))
        .collect();
    if let (Some(f), true, Some((c, t))) = (function, wants_text, non_text.first()) {
        return (
            format!("{f}() takes text; column {c} is read as {t}{involved}"),
            format!(
                "declare `type: text` for {c} under the rule file's columns, or write CAST({} AS VARCHAR)",
                compile::ident(c)
            ),
        );
    }
    let message = match function {
        Some(f) if text.contains("failed to match any signature") => {
            let reasons: Vec<&str> = text
                .split(',')
                .filter(|p| p.contains("but received") || p.contains("expects"))
                .map(str::trim)
                .collect();
            format!(
                "{f}() does not accept these arguments: {}{involved}",
                if reasons.is_empty() {
                    text.as_str().into()
                } else {
                    reasons.join("; ")
                }
            )
        }
        _ => format!("{text}{involved}"),
    };
    (
        message,
        "`where` and `expect` must be boolean SQL expressions over this dataset's columns; a column's type can be declared with `type:` under columns".into(),
    )
}

fn short_df_error(e: &DataFusionError) -> String {
    let text = e.strip_backtrace();
    let first = text.lines().next().unwrap_or("").trim();
    first
        .trim_start_matches("Error during planning: ")
        .trim_start_matches("Schema error: ")
        .to_string()
}

async fn collect(ctx: &SessionContext, sql: &str) -> Result<Vec<RecordBatch>, DataFusionError> {
    let df = ctx.sql_with_options(sql, sql_options()).await?;
    if std::env::var_os("STEWARD_DEBUG_PLAN").is_some() {
        let plan = df.clone().create_physical_plan().await?;
        eprintln!(
            "{}",
            datafusion::physical_plan::displayable(plan.as_ref()).indent(true)
        );
    }
    df.collect().await
}

/// A query that failed, and which other dataset it was reading when that matters.
struct Failed {
    reading: Option<String>,
    error: DataFusionError,
}

impl From<DataFusionError> for Failed {
    fn from(error: DataFusionError) -> Self {
        Failed {
            reading: None,
            error,
        }
    }
}

/// The row key as one text value; `text` gives a key column's trimmed text.
fn key_sql(key: &[Col], text: fn(&Col) -> String) -> String {
    if key.is_empty() {
        return "''".into();
    }
    let parts: Vec<String> = key
        .iter()
        .map(|k| format!("COALESCE({}, '')", text(k)))
        .collect();
    if parts.len() == 1 {
        return parts[0].clone();
    }
    format!("concat_ws('|', {})", parts.join(", "))
}

async fn scan_dataset(
    ctx: &SessionContext,
    opts: &ScanOptions,
    input: &Input,
    bound: Option<&BoundDataset>,
    rules: Option<&DatasetRules>,
    schema: &Schema,
    as_of: NaiveDate,
) -> Result<DatasetReport, Failed> {
    let table = ident(&input.name);
    let n = opts.samples as i64;
    let key = bound
        .map(|b| key_sql(&b.key, Col::text))
        .unwrap_or_else(|| "''".into());
    let sensitive_key = bound.is_some_and(|b| !b.key.is_empty());

    // One aggregate over one scan, on top of two projections that compute what several
    // aggregate arguments share, once per row:
    //   1. every text column trimmed (`__steward_t{i}`), for checks, keys and profile;
    //   2. typed values the checks share (`__steward_ts{i}`, `__steward_n{i}`);
    //   3. per row-level check whether the row is evaluated and whether it fails;
    //   4. both together: the row is a failure to count and maybe sample.
    // The aggregate then only counts true bits, keeps bounded samples, counts duplicate
    // keys and profiles the columns.
    let mut level1 = vec!["*".to_string()];
    for (i, field) in schema.fields().iter().enumerate() {
        if is_text(field.data_type()) {
            level1.push(format!(
                "{} AS {}",
                compile::trim_expr(&ident(field.name())),
                ident(&compile::trimmed_alias(i))
            ));
        }
    }
    let mut level2 = vec!["*".to_string()];
    if let Some(b) = bound {
        level2.extend(
            b.derived
                .iter()
                .map(|(a, e)| format!("{e} AS {}", ident(a))),
        );
    }
    let mut level3 = vec!["*".to_string()];
    let mut level4 = vec!["*".to_string()];

    let mut select = Select::default();
    let rows_at = select.push("COUNT(*)");
    let checks_all = bound.map(|b| b.checks.as_slice()).unwrap_or_default();
    let mut check_outputs = Vec::with_capacity(checks_all.len());
    for (j, check) in checks_all.iter().enumerate() {
        check_outputs.push(match &check.plan {
            Plan::Row { eval, fail, value } => {
                let failing = format!("__steward_f{j}");
                let evaluated = match eval {
                    Some(e) => {
                        level3.push(format!("({e}) AS __steward_e{j}"));
                        level3.push(format!("({fail}) AS __steward_x{j}"));
                        level4.push(format!("__steward_e{j} AND __steward_x{j} AS {failing}"));
                        select.push(format!("{}(__steward_e{j})", count_true::NAME))
                    }
                    None => {
                        level3.push(format!("({fail}) AS {failing}"));
                        select.push("COUNT(*)")
                    }
                };
                let failed = select.push(format!("{}({failing})", count_true::NAME));
                let sample_value = value
                    .as_deref()
                    .map(|v| format!("COALESCE({v}, '')"))
                    .unwrap_or_else(|| "''".into());
                let samples = select.push(format!(
                    "{}(CASE WHEN {failing} THEN concat({key}, chr(31), {sample_value}) END, {n})",
                    sample::NAME
                ));
                CheckOutputs::Row {
                    evaluated,
                    failed,
                    samples,
                }
            }
            Plan::Group { keys } => CheckOutputs::Group {
                duplicates: select.push(format!("{}({}, {n})", duplicates::NAME, keys.join(", "))),
            },
            Plan::Reference { .. } => CheckOutputs::Separate,
        });
    }
    let mut profile_outputs = Vec::with_capacity(schema.fields().len());
    for (i, field) in schema.fields().iter().enumerate() {
        let c = ident(field.name());
        let t = field.data_type();
        let present = select.push(format!("COUNT({c})"));
        let [empty, distinct, min, max] = if !opts.profile {
            ["0", "0", "NULL", "NULL"].map(|e| select.push(e))
        } else if is_text(t) {
            [
                format!(
                    "{}({} = '')",
                    count_true::NAME,
                    ident(&compile::trimmed_alias(i))
                ),
                format!("approx_distinct({c})"),
                format!("MIN(character_length({c}))"),
                format!("MAX(character_length({c}))"),
            ]
            .map(|e| select.push(e))
        } else if t.is_numeric() || t.is_temporal() {
            [
                "0".to_string(),
                if t.is_integer() || t.is_temporal() {
                    format!("approx_distinct({c})")
                } else if t.is_floating() {
                    format!("approx_distinct({}(CAST({c} AS DOUBLE)))", float_bits::NAME)
                } else {
                    format!("approx_distinct(CAST({c} AS VARCHAR))")
                },
                format!("CAST(MIN({c}) AS VARCHAR)"),
                format!("CAST(MAX({c}) AS VARCHAR)"),
            ]
            .map(|e| select.push(e))
        } else {
            ["0", "0", "NULL", "NULL"].map(|e| select.push(e))
        };
        // For the classifier: a bounded sample of distinct values, and rows of minors.
        let sampled = is_text(t) || t.is_numeric() || t.is_temporal();
        let values = select.push(format!(
            "{}({}, {})",
            distinct_sample::NAME,
            if sampled { c.as_str() } else { "NULL" },
            crate::classify::SAMPLE_VALUES
        ));
        let minors = select.push(if opts.profile && (is_text(t) || t.is_temporal()) {
            format!(
                "{}({c}, DATE '{}', DATE '{}')",
                minors::NAME,
                minors_after(as_of).format("%Y-%m-%d"),
                as_of.format("%Y-%m-%d")
            )
        } else {
            "0".into()
        });
        profile_outputs.push(ProfileOutputs {
            present,
            empty,
            distinct,
            min,
            max,
            values,
            minors,
        });
    }
    let aliased: Vec<String> = select
        .0
        .iter()
        .enumerate()
        .map(|(j, e)| format!("{e} AS m{j}"))
        .collect();
    let mut from = table.clone();
    for level in [level1, level2, level3, level4] {
        if level.len() > 1 {
            from = format!("(SELECT {} FROM {from})", level.join(", "));
        }
    }
    let sql = format!("SELECT {}\nFROM {from}", aliased.join(",\n  "));
    let batches = collect(ctx, &sql).await?;
    let row = Row::first(&batches)?;
    let rows = row.u64(rows_at);

    let columns: Vec<ColumnProfile> = schema
        .fields()
        .iter()
        .zip(&profile_outputs)
        .map(|(field, at)| {
            let class = classification(field.name(), &row.strings(at.values), row.u64(at.minors));
            // The smallest and largest value of a personal column (a birth date, a
            // mobile number read as an integer) are personal data: masked like samples.
            let category = class.category.clone();
            let shown = |v: Option<String>| match &category {
                Some(c) => v.map(|v| mask_as(Some(c), &v)),
                None => v,
            };
            let text = is_text(field.data_type());
            let (min, max, min_len, max_len) = if text {
                (None, None, row.opt_u64(at.min), row.opt_u64(at.max))
            } else {
                (
                    shown(row.opt_string(at.min)),
                    shown(row.opt_string(at.max)),
                    None,
                    None,
                )
            };
            ColumnProfile {
                name: field.name().clone(),
                data_type: field.data_type().to_string(),
                nulls: rows.saturating_sub(row.u64(at.present)),
                empty: row.u64(at.empty),
                distinct: row.u64(at.distinct),
                min,
                max,
                min_length: min_len,
                max_length: max_len,
                classification: Some(class),
            }
        })
        .collect();
    // Samples are masked knowing what their column holds.
    let category = |check: &BoundCheck| -> Option<String> {
        let name = check.spec.column.as_deref()?;
        let c = columns.iter().find(|c| c.name == name)?;
        c.classification.as_ref()?.category.clone()
    };

    let mut checks = Vec::new();
    let has_value = |c: &BoundCheck| matches!(c.plan, Plan::Row { value: Some(_), .. });
    for (check, at) in checks_all.iter().zip(&check_outputs) {
        match *at {
            CheckOutputs::Row {
                evaluated,
                failed,
                samples,
            } => {
                let evaluated = row.u64(evaluated);
                let failed = row.u64(failed);
                let samples = row
                    .strings(samples)
                    .into_iter()
                    .map(|s| {
                        split_sample(
                            &s,
                            sensitive_key,
                            has_value(check),
                            category(check).as_deref(),
                        )
                    })
                    .collect();
                checks.push(result(check, evaluated, failed, samples, None));
            }
            CheckOutputs::Group { duplicates } => {
                let d = row.field(duplicates);
                let (groups, present_rows) = (d.u64(0), d.u64(1));
                let samples = d
                    .strings(4)
                    .into_iter()
                    .map(|s| {
                        let (value, count) =
                            s.split_once(duplicates::COUNT_SEP).unwrap_or((&s, ""));
                        Sample {
                            key: None,
                            value: Some(mask_as(category(check).as_deref(), value)),
                            count: count.parse().ok(),
                        }
                    })
                    .collect();
                let dups = Some((d.u64(2), d.u64(3)));
                checks.push(result(
                    check,
                    present_rows,
                    present_rows - groups,
                    samples,
                    dups,
                ));
            }
            CheckOutputs::Separate => {}
        }
    }

    for check in checks_all {
        match &check.plan {
            Plan::Row { .. } | Plan::Group { .. } => {}
            Plan::Reference {
                value,
                present,
                target_table,
                target_value,
            } => {
                let key_expr = bound
                    .map(|b| key_sql(&b.key, Col::text_expr))
                    .unwrap_or_else(|| "''".into());
                let sql = format!(
                    "SELECT COUNT(*), SUM(CASE WHEN r.k IS NULL THEN 1 ELSE 0 END), \
                     {}(CASE WHEN r.k IS NULL THEN concat(s.rk, chr(31), s.k) END, {n}) \
                     FROM (SELECT {value} AS k, {key_expr} AS rk FROM {table} WHERE {present}) s \
                     LEFT JOIN (SELECT DISTINCT {target_value} AS k FROM {target_table}) r ON s.k = r.k",
                    sample::NAME
                );
                let batches = collect(ctx, &sql).await.map_err(|error| Failed {
                    reading: match &check.spec.kind {
                        crate::rules::CheckKind::Reference { target_dataset, .. } => {
                            Some(target_dataset.clone())
                        }
                        _ => None,
                    },
                    error,
                })?;
                let r = Row::first(&batches)?;
                let samples = r
                    .strings(2)
                    .into_iter()
                    .map(|s| split_sample(&s, sensitive_key, true, category(check).as_deref()))
                    .collect();
                checks.push(result(check, r.u64(0), r.u64(1), samples, None));
            }
        }
    }
    // Report checks in rule-file order, whatever plan computed them.
    if let Some(b) = bound {
        checks.sort_by_key(|c| b.checks.iter().position(|bc| bc.id == c.id));
    }

    let weights = rules.map(|r| r.weights.clone()).unwrap_or_default();
    let scores = score::dataset_scores(&checks, &weights);
    Ok(DatasetReport {
        name: input.name.clone(),
        rows,
        scores,
        checks,
        columns,
    })
}

/// The select list of a dataset's one aggregate; [`Select::push`] gives an expression's
/// output index, which the decoding reads back by name.
#[derive(Default)]
struct Select(Vec<String>);

impl Select {
    fn push(&mut self, expr: impl Into<String>) -> usize {
        self.0.push(expr.into());
        self.0.len() - 1
    }
}

/// Where a check's figures are in the aggregate's output.
#[derive(Clone, Copy)]
enum CheckOutputs {
    /// A row-level check: rows evaluated, rows failed, the failing-row sample.
    Row {
        evaluated: usize,
        failed: usize,
        samples: usize,
    },
    /// A `unique` check: the duplicate-key summary (one struct).
    Group { duplicates: usize },
    /// A reference check, computed by a query of its own.
    Separate,
}

/// Where a column's profile is in the aggregate's output.
struct ProfileOutputs {
    /// Non-null values.
    present: usize,
    /// Blank text values.
    empty: usize,
    distinct: usize,
    /// Shortest and longest text (in characters), or smallest and largest value.
    min: usize,
    max: usize,
    /// The classifier's bounded sample of distinct values.
    values: usize,
    /// Rows whose birth date (or resident ID's) makes the person under 14.
    minors: usize,
}

/// Birth dates after this day make a person under 14 at `as_of`.
fn minors_after(as_of: NaiveDate) -> NaiveDate {
    as_of
        .checked_sub_months(chrono::Months::new(14 * 12))
        .unwrap_or(NaiveDate::MIN)
}

/// The classifier's verdict on one column, in the report's terms.
fn classification(name: &str, values: &[String], minors: u64) -> Classification {
    let f = crate::classify::classify_column(name, values);
    let category = f.category.and_then(crate::classify::category::get);
    Classification {
        category: f.category.map(String::from),
        confidence: f.confidence,
        pipl_sensitive: category.is_some_and(|c| c.pipl_sensitive),
        gdpr_special: category.is_some_and(|c| c.gdpr_special),
        evidence: crate::report::Evidence {
            header_hit: f.header_hit.map(String::from),
            values_checked: f.values_checked,
            values_matched: f.values_matched,
            validator: f.validator.map(String::from),
        },
        minors: category.is_some_and(|c| c.minors).then_some(minors),
        protection: crate::report::Protection::of_values(values),
    }
}

fn result(
    check: &BoundCheck,
    evaluated: u64,
    failed: u64,
    samples: Vec<Sample>,
    duplicates: Option<(u64, u64)>,
) -> CheckResult {
    let spec = &check.spec;
    CheckResult {
        id: check.id.clone(),
        dimension: spec.dimension,
        column: spec.column.clone(),
        kind: spec.kind.name().to_string(),
        description: spec.description.clone(),
        severity: spec.severity,
        weight: spec.weight,
        evaluated,
        failed,
        score: score::check_score(evaluated, failed),
        min_pass_rate: spec.min_pass_rate,
        status: score::status(evaluated, failed, spec.severity, spec.min_pass_rate),
        duplicate_values: duplicates.map(|d| d.0),
        duplicate_rows: duplicates.map(|d| d.1),
        samples,
    }
}

/// `key␟value` -> a masked sample. Keys are masked too: a key column may itself be
/// personal data (a mobile number used as the customer key).
fn split_sample(s: &str, has_key: bool, has_value: bool, category: Option<&str>) -> Sample {
    let (key, value) = s.split_once(SAMPLE_SEP).unwrap_or((s, ""));
    Sample {
        key: has_key.then(|| {
            key.split('|')
                .map(mask_key_part)
                .collect::<Vec<_>>()
                .join("|")
        }),
        value: has_value.then(|| mask_as(category, value)),
        count: None,
    }
}

/// Row keys are shown in clear when they look like internal identifiers (letters and
/// digits with at most 10 digits, e.g. `C000042`); anything longer or with other
/// characters (mobiles, ID numbers, e-mails, names) is masked.
fn mask_key_part(part: &str) -> String {
    let digits = part.chars().filter(|c| c.is_ascii_digit()).count();
    let internal = !part.is_empty()
        && part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && digits <= 10
        && part.len() <= 16;
    if internal {
        part.to_string()
    } else {
        mask(part)
    }
}

/// The single row of an aggregate's result (or of a struct value in it).
struct Row {
    columns: Vec<ArrayRef>,
}

impl Row {
    fn first(batches: &[RecordBatch]) -> Result<Row, DataFusionError> {
        batches
            .iter()
            .find(|b| b.num_rows() > 0)
            .map(|batch| Row {
                columns: batch.columns().iter().map(|c| c.slice(0, 1)).collect(),
            })
            .ok_or_else(|| DataFusionError::Internal("aggregate returned no row".into()))
    }

    /// The fields of a struct column; an empty row when it is not a struct.
    fn field(&self, i: usize) -> Row {
        let columns = self.columns[i]
            .as_struct_opt()
            .map(|s| s.columns().to_vec())
            .unwrap_or_default();
        Row { columns }
    }

    fn opt_u64(&self, i: usize) -> Option<u64> {
        let col = self.columns.get(i)?;
        if col.is_null(0) {
            return None;
        }
        match col.data_type() {
            DataType::Int64 => Some(col.as_primitive::<Int64Type>().value(0).max(0) as u64),
            DataType::UInt64 => Some(col.as_primitive::<UInt64Type>().value(0)),
            DataType::Int32 => Some(
                col.as_primitive::<datafusion::arrow::datatypes::Int32Type>()
                    .value(0)
                    .max(0) as u64,
            ),
            _ => None,
        }
    }

    fn u64(&self, i: usize) -> u64 {
        self.opt_u64(i).unwrap_or(0)
    }

    fn opt_string(&self, i: usize) -> Option<String> {
        let col = self.columns.get(i)?;
        if col.is_null(0) {
            return None;
        }
        match col.data_type() {
            DataType::Utf8 => Some(col.as_string::<i32>().value(0).to_string()),
            DataType::LargeUtf8 => Some(col.as_string::<i64>().value(0).to_string()),
            DataType::Utf8View => Some(col.as_string_view().value(0).to_string()),
            _ => None,
        }
    }

    fn strings(&self, i: usize) -> Vec<String> {
        let Some(list) = self.columns.get(i).and_then(|c| c.as_list_opt::<i32>()) else {
            return Vec::new();
        };
        if list.is_null(0) {
            return Vec::new();
        }
        let list = list.value(0);
        list.as_string::<i32>()
            .iter()
            .flatten()
            .map(str::to_string)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_keys_stay_readable_and_personal_keys_are_masked() {
        assert_eq!(mask_key_part("C000042"), "C000042");
        assert_eq!(mask_key_part("13812346138"), "138****6138");
        assert_eq!(mask_key_part("a@b.com"), "a***@b.com");
    }
}
