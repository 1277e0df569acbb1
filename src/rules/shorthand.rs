//! Column shorthands (`columns.<c>.required: true`, `format: ...`): the check kinds a
//! rule file can name under a column, each under a stable id. Their validation lives in
//! `rules/mod.rs`, their SQL in `scan::compile`; docs/rules.md, "Column shorthands".

use crate::entry::{Entry, Kind, Status};

/// One shorthand check kind.
#[derive(Debug, Clone, Copy)]
pub struct Shorthand {
    pub id: &'static str,
    /// The quality dimension its checks score.
    pub dimension: &'static str,
    pub summary: &'static str,
}

impl Shorthand {
    /// Its entry in `steward rules list`.
    pub fn entry(&self) -> Entry {
        Entry {
            kind: Kind::Check,
            id: self.id.to_string(),
            summary: format!("{} ({})", self.summary, self.dimension),
            doc: "docs/rules.md#column-shorthands".into(),
            status: Status::Stable,
            since: "0.1.0",
        }
    }
}

pub const SHORTHANDS: &[Shorthand] = &[
    Shorthand {
        id: "required",
        dimension: "completeness",
        summary: "fails null, empty and whitespace-only values",
    },
    Shorthand {
        id: "unique",
        dimension: "uniqueness",
        summary: "fails excess rows: present rows minus distinct trimmed values",
    },
    Shorthand {
        id: "format",
        dimension: "validity",
        summary: "fails present values that do not pass the format's validator",
    },
    Shorthand {
        id: "allowed",
        dimension: "validity",
        summary: "fails present values (trimmed) not in the list",
    },
    Shorthand {
        id: "min",
        dimension: "validity",
        summary: "fails present values below the bound (number or date)",
    },
    Shorthand {
        id: "max",
        dimension: "validity",
        summary: "fails present values above the bound (number or date)",
    },
    Shorthand {
        id: "pattern",
        dimension: "validity",
        summary: "fails present values the regular expression does not match",
    },
    Shorthand {
        id: "fresh_within",
        dimension: "timeliness",
        summary: "fails timestamps older than as-of minus the duration",
    },
    Shorthand {
        id: "not_future",
        dimension: "timeliness",
        summary: "fails timestamps after the end of the as-of day",
    },
];
