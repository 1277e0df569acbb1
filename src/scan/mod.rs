//! The scan engine: rules + inputs -> metrics -> scores -> report model.
//!
//! Per dataset, every row-level check, the column profile, exact `unique` / duplicate
//! key counts (`duplicates`), failing-row samples (`sample`) and the classifier's value
//! samples (`distinct_sample`, `minors`) are computed by ONE DataFusion aggregate over
//! one scan; references are joins. The results are plain counts, scored by `score` and
//! returned as a `report::Report`; this module never renders anything.

pub(crate) mod compile;
mod contract;
mod dataset;
mod errors;
mod row;

use std::path::PathBuf;
use std::time::Instant;

use chrono::NaiveDate;
use datafusion::arrow::datatypes::Schema;
use datafusion::execution::context::SQLOptions;

use crate::engine::session;
use crate::error::{Error, Result};
use crate::report::{
    CheckResult, DatasetReport, Input as InputReport, Report, Run, SCHEMA_VERSION, SCORING_FORMULA,
    Tool,
};
use crate::rules::{DatasetRules, RuleSet};
use crate::score;
use crate::source::{self, Input, SourceOptions};
use dataset::{Failed, scan_dataset};
use errors::{execution_error, validate_sql};

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
    /// For the run history (`--history`): keep, per row-level check, the masked keys of
    /// up to this many failing rows, and the mean of each numeric column
    /// (`DatasetReport::observed`). `None`: neither is computed.
    pub observe: Option<usize>,
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
            observe: None,
        }
    }
}

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

pub(super) fn sql_options() -> SQLOptions {
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
