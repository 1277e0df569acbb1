//! Rule SQL that does not plan, and query failures, as errors a user can act on.

use datafusion::arrow::datatypes::{DataType, Schema};
use datafusion::error::DataFusionError;
use datafusion::prelude::SessionContext;

use super::compile::{self, BoundDataset, Plan};
use super::{ScanOptions, sql_options};
use crate::engine::duplicates;
use crate::error::{Error, RuleDiagnostic};
use crate::source::{self, Input};

/// Map a failure while running a dataset's queries to a user-facing error.
pub(super) fn execution_error(
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
pub(super) struct SqlFailure {
    pub(super) diag: RuleDiagnostic,
    pub(super) columns: Vec<String>,
}

/// Plan each SQL check alone, so a bad expression is reported at its own position, with
/// the check id, the types of the columns it names and a hint.
pub(super) async fn validate_sql(
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
