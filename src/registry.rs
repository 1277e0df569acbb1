//! `steward rules list`: every built-in check shorthand, format, personal-data detector,
//! dedupe comparison kind and blocking transform, and SQL function, rendered
//! from the registries themselves so the list (and the README table made from it) cannot
//! drift from the code.

use serde::Serialize;
use tabled::settings::Style;

use crate::rules::format::FORMATS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    Markdown,
}

/// One row of the list.
#[derive(Debug, Clone, Serialize, tabled::Tabled)]
pub struct Entry {
    pub kind: &'static str,
    pub id: String,
    pub summary: String,
    pub status: &'static str,
    pub since: &'static str,
}

/// Column shorthands: (id, dimension, summary).
pub const SHORTHANDS: &[(&str, &str, &str)] = &[
    (
        "required",
        "completeness",
        "fails null, empty and whitespace-only values",
    ),
    (
        "unique",
        "uniqueness",
        "fails excess rows: present rows minus distinct trimmed values",
    ),
    (
        "format",
        "validity",
        "fails present values that do not pass the format's validator",
    ),
    (
        "allowed",
        "validity",
        "fails present values (trimmed) not in the list",
    ),
    (
        "min",
        "validity",
        "fails present values below the bound (number or date)",
    ),
    (
        "max",
        "validity",
        "fails present values above the bound (number or date)",
    ),
    (
        "pattern",
        "validity",
        "fails present values the regular expression does not match",
    ),
    (
        "fresh_within",
        "timeliness",
        "fails timestamps older than as-of minus the duration",
    ),
    (
        "not_future",
        "timeliness",
        "fails timestamps after the end of the as-of day",
    ),
];

pub fn entries() -> Vec<Entry> {
    let mut out = Vec::new();
    for (id, dimension, summary) in SHORTHANDS {
        out.push(Entry {
            kind: "check",
            id: (*id).to_string(),
            summary: format!("{summary} ({dimension})"),
            status: "stable",
            since: "0.1.0",
        });
    }
    for f in FORMATS {
        out.push(Entry {
            kind: "format",
            id: f.id.to_string(),
            summary: format!("{} [{}]", f.summary, f.validator),
            status: f.status,
            since: f.since,
        });
    }
    for d in crate::classify::DETECTORS {
        let mut flags = Vec::new();
        if crate::classify::pipl_sensitive(d.category.id) {
            flags.push("PIPL sensitive");
        }
        if crate::classify::gdpr_special(d.category.id) {
            flags.push("GDPR special");
        }
        flags.push(if d.alone.is_some() {
            "values decide alone"
        } else {
            "header-led"
        });
        out.push(Entry {
            kind: "detector",
            id: d.category.id.to_string(),
            summary: format!("{} ({})", d.validator, flags.join(", ")),
            status: "stable",
            since: "0.1.0",
        });
    }
    for k in crate::dedupe::compare::KINDS {
        out.push(Entry {
            kind: "comparison",
            id: k.name().to_string(),
            summary: format!("{} [levels: {}]", k.summary(), k.levels().join(", ")),
            status: "stable",
            since: "0.1.0",
        });
    }
    for t in crate::dedupe::block::TRANSFORMS {
        out.push(Entry {
            kind: "blocking transform",
            id: format!("<field>.{}", t.name()),
            summary: t.summary().to_string(),
            status: "stable",
            since: "0.1.0",
        });
    }
    for f in crate::udf::registry() {
        out.push(Entry {
            kind: "sql function",
            id: f.signature.to_string(),
            summary: f.summary.to_string(),
            status: f.status,
            since: f.since,
        });
    }
    out
}

pub fn render(format: ListFormat) -> String {
    let entries = entries();
    match format {
        ListFormat::Json => {
            let mut s = serde_json::to_string_pretty(&entries).unwrap_or_default();
            s.push('\n');
            s
        }
        ListFormat::Table => {
            let mut t = tabled::Table::new(&entries);
            t.with(Style::sharp());
            format!("{t}\n")
        }
        ListFormat::Markdown => {
            let mut s =
                String::from("| kind | id | summary | status | since |\n|---|---|---|---|---|\n");
            for e in &entries {
                s.push_str(&format!(
                    "| {} | `{}` | {} | {} | {} |\n",
                    e.kind,
                    e.id,
                    e.summary.replace('|', "\\|"),
                    e.status,
                    e.since
                ));
            }
            s
        }
    }
}
