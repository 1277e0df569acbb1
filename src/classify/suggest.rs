//! `steward suggest`: a starter rule file from a dataset's profile and classification.
//!
//! Reads only the report model (never the data), and writes no data values: bounds and
//! vocabularies come from the categories, not from what the extract happens to hold.
//!
//! - `required: true` where at most 1 % of rows are null or blank;
//! - `format:` from the category (`cn_mobile`, `cn_resident_id`, `email`, `bank_card`,
//!   `cn_uscc`) or the type (`date` / `timestamp` for text birth dates);
//! - `allowed: [男, 女, M, F]` for gender columns;
//! - `not_future` on date and timestamp columns, and `fresh_within: 365d` on those whose
//!   name says they record a last change (`updated`, `modified`, `last`, `更新`);
//! - `unique: true` on key-like columns (nearly all values distinct, and an account id or
//!   an `id`/`no`/`code`/`编号` name), the first of which becomes the `key`;
//! - `duplicates.exact` on resident ID and mobile columns that are not already unique.

use std::fmt::Write as _;

use super::category::Suggest;
use crate::report::{ColumnProfile, DatasetReport};

/// The rule file for one profiled, classified dataset.
pub fn rule_file(d: &DatasetReport, as_of: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Starter rules for '{}' suggested by steward {} from {} rows (as of {as_of}).\n\
         # Review every line: thresholds and formats are guesses from the profile.",
        d.name,
        env!("CARGO_PKG_VERSION"),
        d.rows
    );
    let _ = writeln!(out, "version: 1\ndataset: {}", yaml_str(&d.name));
    let keys: Vec<&ColumnProfile> = d.columns.iter().filter(|c| key_like(c, d.rows)).collect();
    if let Some(k) = keys.first() {
        let _ = writeln!(out, "key: [{}]", yaml_str(&k.name));
    }
    let mut dup_sets = Vec::new();
    let _ = writeln!(out, "columns:");
    let mut any = false;
    for c in &d.columns {
        let category = c
            .classification
            .as_ref()
            .and_then(|k| k.category.as_deref());
        let mut parts: Vec<String> = Vec::new();
        let missing = c.nulls + c.empty;
        if d.rows > 0 && missing * 100 <= d.rows {
            parts.push("required: true".into());
        }
        let unique = keys.iter().any(|k| k.name == c.name);
        if unique {
            parts.push("unique: true".into());
        }
        let temporal = c.data_type.starts_with("Date") || c.data_type.starts_with("Timestamp");
        let text = c.data_type.contains("Utf8");
        let entry = category.and_then(super::category::get);
        let suggest = entry.map_or(Suggest::Nothing, |e| e.suggest);
        match suggest {
            Suggest::Format { duplicates } => {
                parts.push(format!("format: {}", entry.map_or("", |e| e.id)));
                if !unique && duplicates {
                    dup_sets.push(c.name.clone());
                }
            }
            Suggest::Date if text => parts.push("format: date".into()),
            Suggest::Allowed(values) => parts.push(format!("allowed: [{}]", values.join(", "))),
            _ => {}
        }
        if temporal || suggest == Suggest::Date {
            parts.push("not_future: true".into());
            if temporal && records_change(&c.name) {
                parts.push("fresh_within: 365d".into());
            }
        }
        if parts.is_empty() {
            continue;
        }
        any = true;
        let note = category.map(|k| format!("   # {k}")).unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}: {{ {} }}{note}",
            yaml_str(&c.name),
            parts.join(", ")
        );
    }
    if !any {
        // A rule file needs at least one check: require the first column.
        if let Some(c) = d.columns.first() {
            let _ = writeln!(out, "  {}: {{ required: true }}", yaml_str(&c.name));
        }
    }
    if !dup_sets.is_empty() {
        let sets: Vec<String> = dup_sets
            .iter()
            .map(|c| format!("[{}]", yaml_str(c)))
            .collect();
        let _ = writeln!(out, "duplicates:\n  exact: [{}]", sets.join(", "));
    }
    out
}

/// Nearly every row has its own value, and the column looks like an identifier.
fn key_like(c: &ColumnProfile, rows: u64) -> bool {
    let category = c
        .classification
        .as_ref()
        .and_then(|k| k.category.as_deref());
    let name = crate::classify::normalize_header(&c.name);
    let id_name = name.ends_with("id")
        || name.ends_with("no")
        || name.ends_with("code")
        || name.ends_with("编号")
        || name.ends_with("号码");
    let present = rows.saturating_sub(c.nulls + c.empty);
    rows > 0
        && present * 100 >= rows * 99
        && c.distinct as f64 >= 0.98 * present as f64
        && (category == Some("account_id") || (id_name && category.is_none()))
}

fn records_change(name: &str) -> bool {
    let n = name.to_lowercase();
    ["updat", "modif", "last", "更新", "修改"]
        .iter()
        .any(|w| n.contains(w))
}

/// A YAML scalar: plain when safe, else double-quoted.
fn yaml_str(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || (!c.is_ascii() && !c.is_whitespace()))
        && !s.chars().next().is_some_and(|c| c.is_ascii_digit());
    if plain {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}
