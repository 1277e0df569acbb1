//! One dataset's scan: the one aggregate over its rows, its reference checks, and the
//! decoding of their results into the dataset's report.

use chrono::NaiveDate;
use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::Schema;
use datafusion::error::DataFusionError;
use datafusion::prelude::SessionContext;

use super::compile::{self, BoundCheck, BoundDataset, Col, Plan, ident, is_text};
use super::row::Row;
use super::{ScanOptions, sql_options};
use crate::classify::category::KeyShape;
use crate::engine::{
    count_empty, count_true, distinct_sample, duplicates, embedded, float_bits, minors, sample,
};
use crate::mask::partial::mask_as;
use crate::report::history::{FailingKeys, Observed};
use crate::report::{CheckResult, Classification, ColumnProfile, DatasetReport, Sample};
use crate::rules::DatasetRules;
use crate::score;
use crate::source::Input;

/// Separates the row key from the value inside a sample string.
const SAMPLE_SEP: char = '\u{1f}';

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
pub(super) struct Failed {
    pub(super) reading: Option<String>,
    pub(super) error: DataFusionError,
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

pub(super) async fn scan_dataset(
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
                // For the history: the failing rows' keys alone, one more than kept
                // so that a cut is known.
                let keys = match (opts.observe, bound.is_some_and(|b| !b.key.is_empty())) {
                    (Some(limit), true) => Some(select.push(format!(
                        "{}(CASE WHEN {failing} THEN {key} END, {})",
                        sample::NAME,
                        limit as i64 + 1
                    ))),
                    _ => None,
                };
                CheckOutputs::Row {
                    evaluated,
                    failed,
                    samples,
                    keys,
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
                    "{}({})",
                    count_empty::NAME,
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
        let mean = (opts.observe.is_some() && opts.profile && t.is_numeric())
            .then(|| select.push(format!("AVG(CAST({c} AS DOUBLE))")));
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
        // Personal data inside text (a notes column's mobiles and e-mail addresses).
        let embedded = select.push(if is_text(t) {
            format!("{}({})", embedded::NAME, ident(&compile::trimmed_alias(i)))
        } else {
            "NULL".into()
        });
        profile_outputs.push(ProfileOutputs {
            mean,
            present,
            empty,
            distinct,
            min,
            max,
            values,
            minors,
            embedded,
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
            let embedded = row
                .named_u64s(at.embedded)
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .collect();
            let class = classification(
                field.name(),
                &row.strings(at.values),
                row.u64(at.minors),
                embedded,
            );
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
    let mut observed = Observed::default();
    for ((field, at), column) in schema.fields().iter().zip(&profile_outputs).zip(&columns) {
        // The mean of a personal column (an age) is kept only when no category is found.
        let personal = column
            .classification
            .as_ref()
            .is_some_and(|c| c.category.is_some());
        if let Some(mean) = at.mean.and_then(|m| row.opt_f64(m))
            && !personal
            && mean.is_finite()
        {
            observed.means.insert(field.name().clone(), mean);
        }
    }
    // Samples are masked knowing what their column holds, and so are their keys.
    let key_parts: Vec<KeyPart> = bound
        .map(|b| &b.key[..])
        .unwrap_or_default()
        .iter()
        .map(|k| {
            let category = columns
                .get(k.index)
                .and_then(|c| c.classification.as_ref()?.category.as_deref());
            match category.and_then(|id| Some((id, crate::classify::category::get(id)?.key))) {
                Some((id, KeyShape::AsSample)) => KeyPart::Personal(id),
                // An internal account number, or no personal data: readable.
                Some((_, KeyShape::Clear)) | None => KeyPart::NotPersonal,
            }
        })
        .collect();
    // How a check's sample values are masked: by their column's category, or span by
    // span when the column is text holding personal data inside it (a notes column).
    let category = |check: &BoundCheck| -> ValueMask {
        let class = check
            .spec
            .column
            .as_deref()
            .and_then(|name| columns.iter().find(|c| c.name == name))
            .and_then(|c| c.classification.as_ref());
        match class {
            Some(k) if k.category.is_none() && !k.embedded.is_empty() => ValueMask::Spans,
            Some(k) => ValueMask::Category(k.category.clone()),
            None => ValueMask::Category(None),
        }
    };

    let mut checks = Vec::new();
    let has_value = |c: &BoundCheck| matches!(c.plan, Plan::Row { value: Some(_), .. });
    for (check, at) in checks_all.iter().zip(&check_outputs) {
        match *at {
            CheckOutputs::Row {
                evaluated,
                failed,
                samples,
                keys,
            } => {
                let evaluated = row.u64(evaluated);
                let failed = row.u64(failed);
                if let (Some(at), Some(limit)) = (keys, opts.observe) {
                    let mut keys: Vec<String> = row
                        .strings(at)
                        .iter()
                        .map(|k| mask_key(k, &key_parts))
                        .collect();
                    keys.sort();
                    keys.dedup();
                    let truncated = keys.len() > limit || (failed as usize) > keys.len();
                    keys.truncate(limit);
                    observed
                        .failing_keys
                        .insert(check.id.clone(), FailingKeys { keys, truncated });
                }
                let samples = row
                    .strings(samples)
                    .into_iter()
                    .map(|s| split_sample(&s, &key_parts, has_value(check), &category(check)))
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
                            value: Some(category(check).apply(value)),
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
                    .map(|s| split_sample(&s, &key_parts, true, &category(check)))
                    .collect();
                checks.push(result(check, r.u64(0), r.u64(1), samples, None));
            }
        }
    }
    // Report checks in rule-file order, whatever plan computed them.
    if let Some(b) = bound {
        checks.sort_by_key(|c| b.checks.iter().position(|bc| bc.id == c.id));
    }

    if let Some(contract) = rules.and_then(|r| r.schema.as_ref()) {
        checks.extend(super::contract::checks(&input.name, contract, schema));
    }

    let weights = rules.map(|r| r.weights.clone()).unwrap_or_default();
    let scores = score::dataset_scores(&checks, &weights);
    Ok(DatasetReport {
        name: input.name.clone(),
        rows,
        scores,
        checks,
        columns,
        drift: None,
        anomalies: Vec::new(),
        observed,
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
        /// Keys of failing rows for the history (`ScanOptions::observe`).
        keys: Option<usize>,
    },
    /// A `unique` check: the duplicate-key summary (one struct).
    Group { duplicates: usize },
    /// A reference check, computed by a query of its own.
    Separate,
}

/// Where a column's profile is in the aggregate's output.
struct ProfileOutputs {
    /// The mean of a numeric column, when the history wants it.
    mean: Option<usize>,
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
    /// Rows holding personal data inside text, by category (`engine::embedded`).
    embedded: usize,
}

/// Birth dates after this day make a person under 14 at `as_of`.
fn minors_after(as_of: NaiveDate) -> NaiveDate {
    as_of
        .checked_sub_months(chrono::Months::new(14 * 12))
        .unwrap_or(NaiveDate::MIN)
}

/// The classifier's verdict on one column, in the report's terms.
fn classification(
    name: &str,
    values: &[String],
    minors: u64,
    embedded: std::collections::BTreeMap<String, u64>,
) -> Classification {
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
        embedded,
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

/// How a sample shows one part of its row key: masked by the key column's category
/// (an ID, passport, permit, phone or name used as the key), or readable when the
/// classifier found no personal data in the column or an internal account number
/// (the category's [`KeyShape`]).
#[derive(Debug, Clone, Copy)]
enum KeyPart<'a> {
    Personal(&'a str),
    NotPersonal,
}

/// `key␟value` -> a masked sample. Key parts are masked by their column's category like
/// values; a part of a column with no personal data stays readable (`C000042`) unless
/// the value is of a category on its own (a mobile, an ID number with a valid check
/// character, an e-mail address), which is masked all the same.
fn split_sample(s: &str, key: &[KeyPart], has_value: bool, mask: &ValueMask) -> Sample {
    let (key_text, value) = s.split_once(SAMPLE_SEP).unwrap_or((s, ""));
    Sample {
        key: (!key.is_empty()).then(|| mask_key(key_text, key)),
        value: has_value.then(|| mask.apply(value)),
        count: None,
    }
}

/// How a sample value of a check's column is masked.
enum ValueMask {
    /// As a value of the column's category (or the general mask).
    Category(Option<String>),
    /// A text column with personal data inside its text: each span in its category's
    /// shape, the rest of the text as written.
    Spans,
}

impl ValueMask {
    fn apply(&self, value: &str) -> String {
        match self {
            ValueMask::Category(category) => mask_as(category.as_deref(), value),
            ValueMask::Spans => crate::mask::partial::mask_spans(value),
        }
    }
}

/// A row key (parts joined by `|`) with each part masked by its column.
fn mask_key(key_text: &str, key: &[KeyPart]) -> String {
    let mut out = String::with_capacity(key_text.len());
    // A part may itself contain `|`: the last column takes the rest.
    let mut rest = key_text;
    for (i, part) in key.iter().enumerate() {
        let text = if i + 1 == key.len() {
            std::mem::take(&mut rest)
        } else {
            match rest.split_once('|') {
                Some((a, b)) => {
                    rest = b;
                    a
                }
                None => std::mem::take(&mut rest),
            }
        };
        if i > 0 {
            out.push('|');
        }
        out.push_str(&mask_key_part(text, *part));
    }
    out
}

fn mask_key_part(text: &str, part: KeyPart) -> String {
    match part {
        KeyPart::Personal(category) => mask_as(Some(category), text),
        KeyPart::NotPersonal => match crate::classify::value_category(text.trim()) {
            Some(category) => mask_as(Some(category), text),
            None => text.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_masked_by_their_column() {
        use KeyPart::*;
        // Readable when the column holds no personal data...
        assert_eq!(mask_key("C000042", &[NotPersonal]), "C000042");
        assert_eq!(
            mask_key("ORD-2026-11-05-000123", &[NotPersonal]),
            "ORD-2026-11-05-000123"
        );
        // ...unless the value is personal on its own.
        assert_eq!(mask_key("13812346138", &[NotPersonal]), "138****6138");
        assert_eq!(mask_key("a@b.com", &[NotPersonal]), "a***@b.com");
        // A personal key column masks every value, whatever it looks like.
        assert_eq!(
            mask_key("E87654321", &[Personal("cn_passport")]),
            "E8*****21"
        );
        assert_eq!(mask_key("zhangwei", &[Personal("person_name")]), "z*******");
        assert_eq!(
            mask_key("C000042|张三丰", &[NotPersonal, Personal("person_name")]),
            "C000042|张**"
        );
    }
}
