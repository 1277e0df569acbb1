//! Rules -> SQL, bound to one dataset's schema.
//!
//! Every row-level check becomes an `(evaluated, failed, sample)` triple of aggregate
//! expressions, so that one aggregate over one scan computes all of them together with
//! the column profile. Uniqueness and duplicate keys become group-by plans, references
//! anti-joins. Problems that need the schema (unknown columns, SQL that does not plan,
//! a date check on a number column) are reported against the rule file's position.

use chrono::NaiveDate;
use datafusion::arrow::datatypes::{DataType, Schema};

use crate::error::{Origin, RuleDiagnostic, did_you_mean};
use crate::rules::{Bound, CheckKind, CheckSpec, DatasetRules};

/// Characters that count as blank: space, tab, CR, LF and the ideographic space U+3000.
const BLANK_CHARS: &str = " \t\r\n\u{3000}";

/// SQL for a quoted identifier.
pub(crate) fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// SQL for a string literal.
pub(crate) fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

pub(crate) fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

fn is_temporal(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Date32 | DataType::Date64 | DataType::Timestamp(..)
    )
}

fn is_numeric(t: &DataType) -> bool {
    t.is_numeric()
}

/// A column as it appears in generated SQL.
#[derive(Debug, Clone)]
pub(crate) struct Col {
    pub sql: String,
    pub data_type: DataType,
}

impl Col {
    /// The value as trimmed text (for comparisons that ignore surrounding blanks).
    pub fn text(&self) -> String {
        if is_text(&self.data_type) {
            format!("btrim({}, {})", self.sql, lit(BLANK_CHARS))
        } else {
            format!("CAST({} AS VARCHAR)", self.sql)
        }
    }

    /// The value as it is, as text.
    pub fn raw_text(&self) -> String {
        if is_text(&self.data_type) {
            self.sql.clone()
        } else {
            format!("CAST({} AS VARCHAR)", self.sql)
        }
    }

    /// True when the value is present: not null and, for text, not blank.
    pub fn present(&self) -> String {
        if is_text(&self.data_type) {
            format!("({} IS NOT NULL AND {} <> '')", self.sql, self.text())
        } else {
            format!("({} IS NOT NULL)", self.sql)
        }
    }

    fn timestamp(&self) -> Option<String> {
        if is_text(&self.data_type) {
            Some(format!("TRY_CAST({} AS TIMESTAMP)", self.text()))
        } else if is_temporal(&self.data_type) {
            Some(format!("CAST({} AS TIMESTAMP)", self.sql))
        } else {
            None
        }
    }

    fn number(&self) -> Option<String> {
        if is_text(&self.data_type) {
            Some(format!("TRY_CAST({} AS DOUBLE)", self.text()))
        } else if is_numeric(&self.data_type) {
            Some(format!("CAST({} AS DOUBLE)", self.sql))
        } else {
            None
        }
    }
}

/// How a check is computed.
#[derive(Debug, Clone)]
pub(crate) enum Plan {
    /// Part of the dataset's single aggregate.
    Row {
        /// Rows evaluated; `None` means every row.
        eval: Option<String>,
        /// Among evaluated rows, the row fails.
        fail: String,
        /// The failing value shown (masked) in samples.
        value: Option<String>,
    },
    /// Excess rows over trimmed key values (`unique`, `duplicates`).
    Group { keys: Vec<String>, present: String },
    /// Rows whose value is missing from another dataset's column.
    Reference {
        value: String,
        present: String,
        target_table: String,
        target_value: String,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct BoundCheck {
    pub id: String,
    pub spec: CheckSpec,
    pub plan: Plan,
}

/// A dataset's checks bound to its schema.
#[derive(Debug, Clone)]
pub(crate) struct BoundDataset {
    pub table: String,
    pub key: Vec<Col>,
    pub checks: Vec<BoundCheck>,
}

pub(crate) struct Binder<'a> {
    pub dataset: &'a str,
    pub schema: &'a Schema,
    pub as_of: NaiveDate,
    /// Other datasets of the run, by name, for reference checks.
    pub others: &'a [(String, Schema)],
    pub diags: &'a mut Vec<RuleDiagnostic>,
}

impl Binder<'_> {
    fn column(&mut self, name: &str, origin: &Origin) -> Option<Col> {
        column_in(self.dataset, self.schema, name, origin, self.diags)
    }

    fn error(&mut self, origin: &Origin, message: String) {
        self.diags.push(RuleDiagnostic {
            origin: origin.clone(),
            message,
            help: None,
        });
    }

    pub fn bind(&mut self, rules: &DatasetRules) -> BoundDataset {
        let key_origin = rules.key_origin.clone().unwrap_or_else(|| Origin {
            path: rules.files.first().cloned().unwrap_or_default(),
            line: 1,
            col: 1,
        });
        let key = rules
            .key
            .iter()
            .filter_map(|k| self.column(k, &key_origin))
            .collect();
        let checks = rules
            .checks
            .iter()
            .filter_map(|spec| {
                let plan = self.plan(spec)?;
                Some(BoundCheck {
                    id: spec.id.resolve(self.dataset),
                    spec: spec.clone(),
                    plan,
                })
            })
            .collect();
        BoundDataset {
            table: ident(self.dataset),
            key,
            checks,
        }
    }

    fn plan(&mut self, spec: &CheckSpec) -> Option<Plan> {
        let origin = &spec.origin;
        if let CheckKind::Sql { where_, expect } = &spec.kind {
            return Some(Plan::Row {
                eval: where_.as_ref().map(|w| format!("({})", w.text)),
                fail: format!("NOT ({})", expect.text),
                value: None,
            });
        }
        if let CheckKind::Duplicates(cols) = &spec.kind {
            let cols: Vec<Col> = cols
                .iter()
                .map(|c| self.column(c, origin))
                .collect::<Option<_>>()?;
            return Some(Plan::Group {
                keys: cols.iter().map(Col::text).collect(),
                present: cols
                    .iter()
                    .map(Col::present)
                    .collect::<Vec<_>>()
                    .join(" AND "),
            });
        }
        if let CheckKind::Reference {
            target_dataset,
            target_column,
            ..
        } = &spec.kind
        {
            let col = self.column(spec.column.as_deref()?, origin)?;
            let Some((_, target_schema)) = self.others.iter().find(|(n, _)| n == target_dataset)
            else {
                let names: Vec<&str> = self.others.iter().map(|(n, _)| n.as_str()).collect();
                self.diags.push(RuleDiagnostic {
                    origin: origin.clone(),
                    message: format!(
                        "reference check needs dataset '{target_dataset}', which is not an input of this run (inputs: {})",
                        names.join(", ")
                    ),
                    help: did_you_mean(target_dataset, names.iter().copied()),
                });
                return None;
            };
            let target = column_in(
                target_dataset,
                target_schema,
                target_column,
                origin,
                self.diags,
            )?;
            return Some(Plan::Reference {
                value: col.text(),
                present: col.present(),
                target_table: ident(target_dataset),
                target_value: target.text(),
            });
        }
        let name = spec.column.as_deref()?;
        let col = self.column(name, origin)?;
        let type_name = col.data_type.to_string();
        let present = Some(col.present());
        let value = Some(col.raw_text());
        let end_of_day = |d: NaiveDate| {
            let next = d.succ_opt().unwrap_or(d);
            format!("TIMESTAMP '{} 00:00:00'", next.format("%Y-%m-%d"))
        };
        let row = |fail: String| Plan::Row {
            eval: present.clone(),
            fail,
            value: value.clone(),
        };
        Some(match &spec.kind {
            CheckKind::Required => Plan::Row {
                eval: None,
                fail: format!("NOT {}", col.present()),
                value: None,
            },
            CheckKind::Unique => Plan::Group {
                keys: vec![col.text()],
                present: col.present(),
            },
            CheckKind::Format(f) => row(format_fail(f.id, &col)),
            CheckKind::Allowed(values) => {
                let list: Vec<String> = values.iter().map(|v| lit(v)).collect();
                row(format!("{} NOT IN ({})", col.text(), list.join(", ")))
            }
            CheckKind::Pattern(p) => {
                row(format!("NOT regexp_like({}, {})", col.raw_text(), lit(p)))
            }
            CheckKind::Min(b) | CheckKind::Max(b) => {
                let is_min = matches!(spec.kind, CheckKind::Min(_));
                match b {
                    Bound::Number(n) => {
                        let Some(v) = col.number() else {
                            self.error(origin, format!("{} on column '{name}' of type {type_name} needs numbers; expected a number or text column", spec.kind.name()));
                            return None;
                        };
                        let op = if is_min { "<" } else { ">" };
                        row(format!("({v} IS NULL OR {v} {op} {n:?})"))
                    }
                    Bound::Date(d) => {
                        let Some(v) = col.timestamp() else {
                            self.error(origin, format!("{} on column '{name}' of type {type_name} needs dates; expected a date, timestamp or text column", spec.kind.name()));
                            return None;
                        };
                        if is_min {
                            row(format!(
                                "({v} IS NULL OR {v} < TIMESTAMP '{} 00:00:00')",
                                d.format("%Y-%m-%d")
                            ))
                        } else {
                            row(format!("({v} IS NULL OR {v} >= {})", end_of_day(*d)))
                        }
                    }
                    Bound::DateTime(t) => {
                        let Some(v) = col.timestamp() else {
                            self.error(origin, format!("{} on column '{name}' of type {type_name} needs timestamps; expected a date, timestamp or text column", spec.kind.name()));
                            return None;
                        };
                        let op = if is_min { "<" } else { ">" };
                        row(format!(
                            "({v} IS NULL OR {v} {op} TIMESTAMP '{}')",
                            t.format("%Y-%m-%d %H:%M:%S")
                        ))
                    }
                }
            }
            CheckKind::FreshWithin(_) | CheckKind::NotFuture if col.timestamp().is_none() => {
                self.error(origin, format!("{} on column '{name}' of type {type_name} needs timestamps; expected a date, timestamp or text column", spec.kind.name()));
                return None;
            }
            CheckKind::FreshWithin(d) => {
                let v = col.timestamp()?;
                let cutoff = self.as_of.and_hms_opt(0, 0, 0)? - *d;
                row(format!(
                    "({v} IS NULL OR {v} < TIMESTAMP '{}')",
                    cutoff.format("%Y-%m-%d %H:%M:%S")
                ))
            }
            CheckKind::NotFuture => {
                let v = col.timestamp()?;
                row(format!(
                    "({v} IS NULL OR {v} >= {})",
                    end_of_day(self.as_of)
                ))
            }
            CheckKind::Sql { .. } | CheckKind::Duplicates(_) | CheckKind::Reference { .. } => {
                unreachable!("planned above")
            }
        })
    }
}

fn column_in(
    dataset: &str,
    schema: &Schema,
    name: &str,
    origin: &Origin,
    diags: &mut Vec<RuleDiagnostic>,
) -> Option<Col> {
    match schema.field_with_name(name) {
        Ok(field) => Some(Col {
            sql: ident(name),
            data_type: field.data_type().clone(),
        }),
        Err(_) => {
            let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            diags.push(RuleDiagnostic {
                origin: origin.clone(),
                message: format!(
                    "column '{name}' is not in dataset '{dataset}' (its columns: {})",
                    names.join(", ")
                ),
                help: did_you_mean(name, names.iter().copied()),
            });
            None
        }
    }
}

/// Fails when a present value is not of the format.
fn format_fail(id: &str, col: &Col) -> String {
    let text = is_text(&col.data_type);
    match id {
        "date" if text => format!("TRY_CAST({} AS DATE) IS NULL", col.text()),
        "timestamp" if text => format!("TRY_CAST({} AS TIMESTAMP) IS NULL", col.text()),
        "date" | "timestamp" if is_temporal(&col.data_type) => "FALSE".into(),
        "integer" if col.data_type.is_integer() => "FALSE".into(),
        "number" if is_numeric(&col.data_type) => "FALSE".into(),
        "date" => format!("TRY_CAST({} AS DATE) IS NULL", col.raw_text()),
        "timestamp" => format!("TRY_CAST({} AS TIMESTAMP) IS NULL", col.raw_text()),
        "integer" => format!("TRY_CAST({} AS BIGINT) IS NULL", col.text()),
        "number" => format!("TRY_CAST({} AS DOUBLE) IS NULL", col.text()),
        other => {
            let validator = crate::rules::format::lookup(other)
                .map(|f| f.validator)
                .unwrap_or("false_validator");
            format!("NOT COALESCE({validator}({}), FALSE)", col.sql)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_and_literals_are_quoted() {
        assert_eq!(ident("客户编号"), "\"客户编号\"");
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(lit("O'Brien"), "'O''Brien'");
    }

    #[test]
    fn presence_depends_on_type() {
        let t = Col {
            sql: ident("a"),
            data_type: DataType::Utf8,
        };
        assert!(t.present().contains("btrim"));
        let n = Col {
            sql: ident("a"),
            data_type: DataType::Int64,
        };
        assert_eq!(n.present(), "(\"a\" IS NOT NULL)");
    }
}
