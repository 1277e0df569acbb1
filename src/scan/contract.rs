//! A dataset's schema contract (`schema:` in the rule file) against the columns the scan
//! read: one validity check per contract column that must be present
//! (`<dataset>.schema.missing.<column>`), one per declared type
//! (`<dataset>.schema.type.<column>`), and one per column the contract does not name
//! (`<dataset>.schema.unexpected.<column>`, unless `unexpected: ignore`).
//!
//! Each check evaluates one thing (the column), so it scores 100 or 0. `error` checks
//! carry `min_pass_rate: 1`, so a breach fails the gate through the ordinary gate rule;
//! the other checks of the dataset run all the same (checks on a missing contract
//! column are left out by the binder).

use datafusion::arrow::datatypes::{DataType, Schema};

use crate::report::{CheckResult, Dimension, Severity};
use crate::rules::ColumnType;
use crate::rules::schema::{SchemaSpec, Unexpected};
use crate::score;

/// The rule-file type an Arrow type reads as: text, integer, decimal, date, timestamp,
/// boolean; `None` for anything else (lists, binary).
pub(crate) fn column_type_of(t: &DataType) -> Option<ColumnType> {
    Some(match t {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => ColumnType::Text,
        t if t.is_integer() => ColumnType::Integer,
        t if t.is_floating() => ColumnType::Decimal,
        DataType::Decimal128(..) | DataType::Decimal256(..) => ColumnType::Decimal,
        DataType::Date32 | DataType::Date64 => ColumnType::Date,
        DataType::Timestamp(..) => ColumnType::Timestamp,
        DataType::Boolean => ColumnType::Boolean,
        _ => return None,
    })
}

/// The contract's checks for a dataset whose columns are `schema`.
pub(crate) fn checks(dataset: &str, spec: &SchemaSpec, schema: &Schema) -> Vec<CheckResult> {
    let mut out = Vec::new();
    for c in &spec.columns {
        let field = schema.field_with_name(&c.name).ok();
        if c.required {
            out.push(check(
                format!("{dataset}.schema.missing.{}", c.name),
                &c.name,
                "schema_missing",
                format!("column '{}' is present", c.name),
                Severity::Error,
                field.is_none(),
            ));
        }
        if let Some(want) = c.column_type {
            let got = field.map(|f| column_type_of(f.data_type()));
            let description = match got {
                Some(Some(t)) if t != want => format!(
                    "column '{}' is {}; it is read as {}",
                    c.name,
                    want.as_str(),
                    t.as_str()
                ),
                Some(None) => format!(
                    "column '{}' is {}; it is read as {}",
                    c.name,
                    want.as_str(),
                    field.map(|f| f.data_type().to_string()).unwrap_or_default()
                ),
                _ => format!("column '{}' is {}", c.name, want.as_str()),
            };
            let mut result = check(
                format!("{dataset}.schema.type.{}", c.name),
                &c.name,
                "schema_type",
                description,
                Severity::Error,
                matches!(got, Some(t) if t != Some(want)),
            );
            if field.is_none() {
                // Nothing to type-check: the missing check says why.
                result.evaluated = 0;
                result.score = score::check_score(0, 0);
                result.status = score::status(0, 0, Severity::Error, Some(1.0));
            }
            out.push(result);
        }
    }
    let severity = match spec.unexpected {
        Unexpected::Ignore => return out,
        Unexpected::Fail => Severity::Error,
        Unexpected::Warn => Severity::Warn,
    };
    for f in schema.fields() {
        if !spec.declares(f.name()) {
            out.push(check(
                format!("{dataset}.schema.unexpected.{}", f.name()),
                f.name(),
                "schema_unexpected",
                format!("column '{}' is not in the schema contract", f.name()),
                severity,
                true,
            ));
        }
    }
    out
}

fn check(
    id: String,
    column: &str,
    kind: &str,
    description: String,
    severity: Severity,
    failed: bool,
) -> CheckResult {
    let failed = u64::from(failed);
    // `error` checks must pass outright: a breach is a gate reason.
    let min_pass_rate = (severity == Severity::Error).then_some(1.0);
    CheckResult {
        id,
        dimension: Dimension::Validity,
        column: Some(column.to_string()),
        kind: kind.into(),
        description,
        severity,
        weight: 1.0,
        evaluated: 1,
        failed,
        score: score::check_score(1, failed),
        min_pass_rate,
        status: score::status(1, failed, severity, min_pass_rate),
        duplicate_values: None,
        duplicate_rows: None,
        samples: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::schema::SchemaColumn;
    use datafusion::arrow::datatypes::Field;

    fn col(name: &str, t: Option<ColumnType>, required: bool) -> SchemaColumn {
        SchemaColumn {
            name: name.into(),
            column_type: t,
            required,
            origin: crate::error::Origin {
                path: "r.yaml".into(),
                line: 1,
                col: 1,
            },
        }
    }

    #[test]
    fn missing_retyped_and_unexpected_columns_are_checks_of_their_own() {
        let spec = SchemaSpec {
            columns: vec![
                col("id", Some(ColumnType::Text), true),
                col("email", None, true),
                col("age", Some(ColumnType::Integer), true),
                col("note", Some(ColumnType::Text), false),
            ],
            unexpected: Unexpected::Fail,
            origin: None,
        };
        let schema = Schema::new(vec![
            Field::new("id", DataType::Utf8, true),
            Field::new("age", DataType::Utf8, true),
            Field::new("extra", DataType::Int64, true),
        ]);
        let got: Vec<(String, u64, u64, &str)> = checks("c", &spec, &schema)
            .into_iter()
            .map(|c| (c.id, c.evaluated, c.failed, c.status.as_str()))
            .collect();
        let want = [
            ("c.schema.missing.id", 1, 0, "pass"),
            ("c.schema.type.id", 1, 0, "pass"),
            ("c.schema.missing.email", 1, 1, "fail"),
            ("c.schema.missing.age", 1, 0, "pass"),
            ("c.schema.type.age", 1, 1, "fail"),
            ("c.schema.type.note", 0, 0, "pass"),
            ("c.schema.unexpected.extra", 1, 1, "fail"),
        ];
        let want: Vec<(String, u64, u64, &str)> = want
            .iter()
            .map(|(i, e, f, s)| (i.to_string(), *e, *f, *s))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn unexpected_columns_warn_or_are_ignored_as_declared() {
        let schema = Schema::new(vec![Field::new("extra", DataType::Int64, true)]);
        let mut spec = SchemaSpec::default();
        let warn = checks("c", &spec, &schema);
        assert_eq!(warn[0].status.as_str(), "warn");
        assert_eq!(warn[0].min_pass_rate, None);
        spec.unexpected = Unexpected::Ignore;
        assert!(checks("c", &spec, &schema).is_empty());
    }
}
