//! Rules -> SQL, bound to one dataset's schema.
//!
//! Every row-level check becomes an `(evaluated, failed, sample)` triple of aggregate
//! expressions, so that one aggregate over one scan computes all of them together with
//! the column profile. Uniqueness and duplicate keys become `steward_duplicates`
//! aggregates in the same pass, references anti-joins. Problems that need the schema (unknown columns, SQL that does not plan,
//! a date check on a number column) are reported against the rule file's position.

use chrono::NaiveDate;
use datafusion::arrow::datatypes::{DataType, Schema};

use crate::error::{Origin, RuleDiagnostic, did_you_mean};
use crate::rules::{Bound, CheckKind, CheckSpec, DatasetRules};

const TEMPORAL: &str = "a date, timestamp or text column";

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

/// The alias under which a text column's trimmed value is computed, once, below the
/// dataset's aggregate.
pub(crate) fn trimmed_alias(index: usize) -> String {
    format!("__steward_t{index}")
}

/// The trimmed value of a text column, as computed by the first projection of a scan.
pub(crate) fn trim_expr(sql: &str) -> String {
    format!("{}({sql})", crate::engine::trim::NAME)
}

/// A column as it appears in generated SQL.
#[derive(Debug, Clone)]
pub(crate) struct Col {
    pub sql: String,
    pub data_type: DataType,
    /// Position in its dataset's schema (names the precomputed trimmed value).
    pub index: usize,
}

impl Col {
    /// The value as trimmed text (for comparisons that ignore surrounding blanks), inside
    /// the dataset's scan where the trimmed value is precomputed.
    pub fn text(&self) -> String {
        if is_text(&self.data_type) {
            ident(&trimmed_alias(self.index))
        } else {
            format!("CAST({} AS VARCHAR)", self.sql)
        }
    }

    /// The value as trimmed text, in a query of its own.
    pub fn text_expr(&self) -> String {
        if is_text(&self.data_type) {
            trim_expr(&self.sql)
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
        self.present_with(&self.text())
    }

    /// [`Col::present`] in a query of its own.
    pub fn present_expr(&self) -> String {
        self.present_with(&self.text_expr())
    }

    fn present_with(&self, text: &str) -> String {
        if is_text(&self.data_type) {
            format!("({} IS NOT NULL AND {text} <> '')", self.sql)
        } else {
            format!("({} IS NOT NULL)", self.sql)
        }
    }

    /// The expression and alias of the value as a timestamp, if the column can be one.
    fn timestamp(&self) -> Option<(String, String)> {
        let expr = if is_text(&self.data_type) {
            format!("TRY_CAST({} AS TIMESTAMP)", self.text())
        } else if is_temporal(&self.data_type) {
            format!("CAST({} AS TIMESTAMP)", self.sql)
        } else {
            return None;
        };
        Some((format!("__steward_ts{}", self.index), expr))
    }

    /// The expression and alias of the value as a number, if the column can be one.
    fn number(&self) -> Option<(String, String)> {
        let expr = if is_text(&self.data_type) {
            format!("TRY_CAST({} AS DOUBLE)", self.text())
        } else if is_numeric(&self.data_type) {
            format!("CAST({} AS DOUBLE)", self.sql)
        } else {
            return None;
        };
        Some((format!("__steward_n{}", self.index), expr))
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
    /// Excess rows over trimmed key values (`unique`, `duplicates`); a row takes part
    /// when every key is present.
    Group { keys: Vec<String> },
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
    /// Typed values the checks share (`(alias, expression)` over the trimmed columns),
    /// computed once per row below the aggregate.
    pub derived: Vec<(String, String)>,
}

pub(crate) struct Binder<'a> {
    pub dataset: &'a str,
    pub schema: &'a Schema,
    pub as_of: NaiveDate,
    /// Other datasets of the run, by name, for reference checks.
    pub others: &'a [(String, Schema)],
    pub diags: &'a mut Vec<RuleDiagnostic>,
    derived: std::collections::BTreeMap<String, String>,
}

impl<'a> Binder<'a> {
    pub fn new(
        dataset: &'a str,
        schema: &'a Schema,
        as_of: NaiveDate,
        others: &'a [(String, Schema)],
        diags: &'a mut Vec<RuleDiagnostic>,
    ) -> Self {
        Binder {
            dataset,
            schema,
            as_of,
            others,
            diags,
            derived: Default::default(),
        }
    }

    /// Uses a shared typed value: registers it and returns its alias.
    fn derive(&mut self, value: Option<(String, String)>) -> Option<String> {
        let (alias, expr) = value?;
        let sql = ident(&alias);
        self.derived.entry(alias).or_insert(expr);
        Some(sql)
    }

    /// Reports a check whose column has the wrong type.
    fn needs(&mut self, spec: &CheckSpec, col: &Col, what: &str, expected: &str) {
        let message = format!(
            "{} on column '{}' of type {} needs {what}; expected {expected}",
            spec.kind.name(),
            spec.column.as_deref().unwrap_or_default(),
            col.data_type
        );
        self.error(&spec.origin, message);
    }

    /// Fails when a present value is not of the format.
    fn format_fail(&mut self, id: &str, col: &Col) -> String {
        let text = is_text(&col.data_type);
        match id {
            "date" | "timestamp" if is_temporal(&col.data_type) => "FALSE".into(),
            "integer" if col.data_type.is_integer() => "FALSE".into(),
            "number" if is_numeric(&col.data_type) => "FALSE".into(),
            "date" if text => format!("TRY_CAST({} AS DATE) IS NULL", col.text()),
            "date" => format!("TRY_CAST({} AS DATE) IS NULL", col.raw_text()),
            "timestamp" if text => format!(
                "{} IS NULL",
                self.derive(col.timestamp()).unwrap_or_default()
            ),
            "timestamp" => format!("TRY_CAST({} AS TIMESTAMP) IS NULL", col.raw_text()),
            "integer" => format!("TRY_CAST({} AS BIGINT) IS NULL", col.text()),
            "number" if text => {
                format!("{} IS NULL", self.derive(col.number()).unwrap_or_default())
            }
            "number" => format!("TRY_CAST({} AS DOUBLE) IS NULL", col.text()),
            other => {
                let validator = crate::rules::format::lookup(other)
                    .map(|f| f.validator)
                    .unwrap_or("false_validator");
                format!("NOT COALESCE({validator}({}), FALSE)", col.sql)
            }
        }
    }

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
        // Columns the schema contract declares and the data lacks: the contract's
        // `schema.missing` check reports them, and the checks on them are left out
        // rather than stopping the scan.
        let absent: Vec<&str> = rules
            .schema
            .iter()
            .flat_map(|s| &s.columns)
            .map(|c| c.name.as_str())
            .filter(|c| self.schema.index_of(c).is_err())
            .collect();
        for (name, decl) in &rules.types {
            if !absent.contains(&name.as_str()) {
                self.column(name, &decl.origin);
            }
        }
        let checks = rules
            .checks
            .iter()
            .filter(|spec| !on_absent(spec, &absent))
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
            derived: std::mem::take(&mut self.derived).into_iter().collect(),
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
            let names = cols.iter();
            let cols: Vec<Col> = cols
                .iter()
                .map(|c| self.column(c, origin))
                .collect::<Option<_>>()?;
            return Some(Plan::Group {
                keys: cols
                    .iter()
                    .zip(names)
                    .map(|(c, name)| duplicate_key(c, name))
                    .collect(),
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
                value: col.text_expr(),
                present: col.present_expr(),
                target_table: ident(target_dataset),
                target_value: target.text_expr(),
            });
        }
        let name = spec.column.as_deref()?;
        let col = self.column(name, origin)?;
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
            },
            CheckKind::Format(f) => row(self.format_fail(f.id, &col)),
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
                        let Some(v) = self.derive(col.number()) else {
                            self.needs(spec, &col, "numbers", "a number or text column");
                            return None;
                        };
                        let op = if is_min { "<" } else { ">" };
                        row(format!("({v} IS NULL OR {v} {op} {n:?})"))
                    }
                    Bound::Date(d) => {
                        let Some(v) = self.derive(col.timestamp()) else {
                            self.needs(spec, &col, "dates", TEMPORAL);
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
                        let Some(v) = self.derive(col.timestamp()) else {
                            self.needs(spec, &col, "timestamps", TEMPORAL);
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
            CheckKind::FreshWithin(_) | CheckKind::Retention(_) | CheckKind::NotFuture
                if col.timestamp().is_none() =>
            {
                self.needs(spec, &col, "timestamps", TEMPORAL);
                return None;
            }
            CheckKind::FreshWithin(d) | CheckKind::Retention(d) => {
                let v = self.derive(col.timestamp())?;
                let cutoff = self.as_of.and_hms_opt(0, 0, 0)? - *d;
                row(format!(
                    "({v} IS NULL OR {v} < TIMESTAMP '{}')",
                    cutoff.format("%Y-%m-%d %H:%M:%S")
                ))
            }
            CheckKind::NotFuture => {
                let v = self.derive(col.timestamp())?;
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

/// Whether a check reads a column the schema contract declares and the data lacks.
fn on_absent(spec: &CheckSpec, absent: &[&str]) -> bool {
    match &spec.kind {
        CheckKind::Sql { .. } => false,
        CheckKind::Duplicates(cols) => cols.iter().any(|c| absent.contains(&c.as_str())),
        CheckKind::Reference { column, .. } => absent.contains(&column.as_str()),
        _ => spec.column.as_deref().is_some_and(|c| absent.contains(&c)),
    }
}

fn column_in(
    dataset: &str,
    schema: &Schema,
    name: &str,
    origin: &Origin,
    diags: &mut Vec<RuleDiagnostic>,
) -> Option<Col> {
    match schema.index_of(name) {
        Ok(index) => Some(Col {
            sql: ident(name),
            data_type: schema.field(index).data_type().clone(),
            index,
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

/// A duplicate-key column as `steward dedupe` would compare it: phones without `+86`
/// and separators, identifiers upper-case without spaces or dashes, e-mail addresses
/// lower-case (by the column's name); other columns as trimmed text.
fn duplicate_key(col: &Col, name: &str) -> String {
    use crate::dedupe::compare::Kind;
    match Kind::infer(name) {
        Kind::Phone => format!("phone_normalize({})", col.text()),
        Kind::Identifier => format!("id_normalize({})", col.text()),
        Kind::Email => format!("lower({})", col.text()),
        _ => col.text(),
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
            index: 0,
        };
        assert!(t.present_expr().contains("steward_trim"));
        assert!(t.present().contains("__steward_t0"));
        let n = Col {
            sql: ident("a"),
            data_type: DataType::Int64,
            index: 1,
        };
        assert_eq!(n.present(), "(\"a\" IS NOT NULL)");
    }
}
