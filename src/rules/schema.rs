//! The optional `schema:` contract of a rule file: the columns a dataset must have, their
//! types, and what a column the contract does not name means (`unexpected: fail | warn |
//! ignore`, default `warn`).
//!
//! Only the declaration is validated here. The scan compares it with the columns it
//! read and reports each difference as a validity check of its own
//! (`<dataset>.schema.missing.<column>`, `<dataset>.schema.type.<column>`,
//! `<dataset>.schema.unexpected.<column>`), so a contract breach fails the gate like any
//! other check and never stops the other checks.

use serde_saphyr::Spanned;

use super::raw::RawSchema;
use super::{ColumnType, Ctx};
use crate::error::{Origin, did_you_mean};

/// What a column the contract does not name does to the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unexpected {
    /// A failing `error` check: the gate fails.
    Fail,
    /// A `warn` check: reported, scored, the gate unaffected.
    #[default]
    Warn,
    /// Not reported.
    Ignore,
}

const UNEXPECTED: [&str; 3] = ["fail", "warn", "ignore"];

/// A dataset's schema contract, validated.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SchemaSpec {
    /// The contract's columns, in the order written.
    pub columns: Vec<SchemaColumn>,
    pub unexpected: Unexpected,
    /// Where the section starts, for clash messages.
    pub origin: Option<Origin>,
}

/// One column of the contract.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaColumn {
    pub name: String,
    /// `None`: any type.
    pub column_type: Option<ColumnType>,
    /// The column must be present (default true); an optional column is still
    /// type-checked when it is there.
    pub required: bool,
    pub origin: Origin,
}

impl SchemaSpec {
    /// Whether the contract names column `name`.
    pub fn declares(&self, name: &str) -> bool {
        self.columns.iter().any(|c| c.name == name)
    }
}

pub(super) fn validate(cx: &mut Ctx<'_>, raw: &Spanned<RawSchema>) -> SchemaSpec {
    let mut spec = SchemaSpec {
        origin: Some(cx.origin(raw)),
        ..Default::default()
    };
    for (name, col) in &raw.value.columns {
        let column_type = col.value.type_.as_ref().and_then(|t| {
            let parsed = ColumnType::parse(t.value.trim());
            if parsed.is_none() {
                let names = ColumnType::ALL.map(|t| t.as_str());
                let help = did_you_mean(&t.value, names);
                cx.error(
                    t,
                    format!(
                        "unknown column type '{}' in schema.columns.{name}; expected one of {}",
                        t.value,
                        names.join(", ")
                    ),
                    help,
                );
            }
            parsed
        });
        if name.trim().is_empty() {
            cx.error(col, "empty column name in schema.columns", None);
        }
        spec.columns.push(SchemaColumn {
            name: name.clone(),
            column_type,
            required: col.value.required.unwrap_or(true),
            origin: cx.origin(col),
        });
    }
    if let Some(u) = &raw.value.unexpected {
        spec.unexpected = match u.value.as_str() {
            "fail" => Unexpected::Fail,
            "warn" => Unexpected::Warn,
            "ignore" => Unexpected::Ignore,
            other => {
                let help = did_you_mean(other, UNEXPECTED);
                cx.error(
                    u,
                    format!("unknown schema.unexpected '{other}'; expected fail, warn or ignore"),
                    help,
                );
                Unexpected::Warn
            }
        };
    }
    spec
}
