//! Rule files: loading, validation and merging into a [`RuleSet`].
//!
//! A rule file is read in two steps. `raw` deserializes the YAML (shape errors stop that
//! file at the first problem, with its position). This module then validates names,
//! values and combinations, gathering every problem of every file before failing, each
//! with `file:line:col`, what was expected and a suggestion for misspelt names.
//! Nothing here looks at data: checking that columns exist and SQL plans is `scan`'s job.

pub mod anomaly;
mod assign;
pub mod compliance;
pub mod country;
pub mod format;
pub mod linkage;
mod raw;
pub mod schema;
pub mod shorthand;

mod checks;
mod fuzzy;
mod merge;
mod model;
mod parse;

pub(crate) use assign::assign;
use checks::*;
use fuzzy::*;
use merge::*;
pub use model::*;
pub(crate) use parse::yaml_error;
use parse::*;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use serde_saphyr::Spanned;
use sha2::{Digest, Sha256};

use crate::error::{Error, Origin, Result, RuleDiagnostic, did_you_mean};
use crate::report::{Dimension, Severity};
pub use crate::source::ColumnType;
use raw::{RawCheck, RawColumn, RawRuleFile, Scalar};

const SEVERITIES: [&str; 3] = ["error", "warn", "info"];
const DIMENSIONS: [&str; 5] = [
    "completeness",
    "validity",
    "consistency",
    "timeliness",
    "uniqueness",
];

/// Expand `--rules` arguments: files as given, directories to their `*.yaml`/`*.yml`
/// files sorted by name.
pub fn expand_paths(args: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for arg in args {
        if arg.is_dir() {
            let entries = std::fs::read_dir(arg).map_err(|e| {
                Error::Usage(format!("{}: cannot read directory: {e}", arg.display()))
            })?;
            let mut files: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
                })
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(Error::Usage(format!(
                    "{}: no rule files (*.yaml, *.yml) in this directory",
                    arg.display()
                )));
            }
            out.extend(files);
        } else if arg.is_file() {
            out.push(arg.clone());
        } else {
            return Err(Error::Usage(format!(
                "{}: no such rule file or directory",
                arg.display()
            )));
        }
    }
    Ok(out)
}

/// Load, validate and merge rule files. Every problem in every file is reported at once.
pub fn load(args: &[PathBuf]) -> Result<RuleSet> {
    let paths = expand_paths(args)?;
    let mut hasher = Sha256::new();
    let mut diags = Vec::new();
    let mut parsed = Vec::new();
    for path in &paths {
        let text = std::fs::read(path)
            .map_err(|e| Error::Usage(format!("{}: cannot read rule file: {e}", path.display())))?;
        hasher.update(&text);
        let text = match String::from_utf8(text) {
            Ok(t) => t,
            Err(_) => {
                diags.push(diag(path, 1, 1, "rule file is not valid UTF-8", None));
                continue;
            }
        };
        match parse_file(path, &text) {
            Ok(file) => parsed.push(file),
            Err(mut d) => diags.append(&mut d),
        }
    }
    let datasets = merge(parsed, &mut diags);
    if !diags.is_empty() {
        diags.sort_by(|a, b| a.origin.cmp(&b.origin));
        return Err(Error::RuleFile(diags));
    }
    Ok(RuleSet {
        files: paths,
        sha256: hex::encode(hasher.finalize()),
        datasets,
    })
}

/// Validate one rule file's text as `load` would (shape, names, values, merging), without
/// reading it from disk. `path` only names it in errors.
pub fn check_text(path: &Path, text: &str) -> Result<()> {
    let mut diags = match parse_file(path, text) {
        Ok(file) => {
            let mut diags = Vec::new();
            merge(vec![file], &mut diags);
            diags
        }
        Err(d) => d,
    };
    if diags.is_empty() {
        return Ok(());
    }
    diags.sort_by(|a, b| a.origin.cmp(&b.origin));
    Err(Error::RuleFile(diags))
}

pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

fn parse_bound(s: &Scalar) -> Option<Bound> {
    match s {
        Scalar::Int(i) => Some(Bound::Number(*i as f64)),
        Scalar::Float(f) if f.is_finite() => Some(Bound::Number(*f)),
        Scalar::Float(_) | Scalar::Bool(_) => None,
        Scalar::Text(t) => {
            let t = t.trim();
            if let Some(d) = parse_date(t) {
                return Some(Bound::Date(d));
            }
            for fmt in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"] {
                if let Ok(dt) = NaiveDateTime::parse_from_str(t, fmt) {
                    return Some(Bound::DateTime(dt));
                }
            }
            t.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(Bound::Number)
        }
    }
}

/// `365d`, `12w`, `2y` (365 days each), `48h`.
pub(crate) fn parse_duration(s: &str) -> Option<chrono::Duration> {
    let s = s.trim();
    let unit = s.chars().last()?;
    let n: i64 = s[..s.len() - unit.len_utf8()].trim().parse().ok()?;
    if n < 0 {
        return None;
    }
    match unit {
        'h' => chrono::Duration::try_hours(n),
        'd' => chrono::Duration::try_days(n),
        'w' => chrono::Duration::try_weeks(n),
        'y' => chrono::Duration::try_days(n.checked_mul(365)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
