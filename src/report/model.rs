//! The report model: what a scan found, as plain data.
//!
//! This is the JSON contract of `design.md` (schema_version 1; additive changes only).
//! Renderers read this model and nothing else: they never query data. Every value in it
//! is already masked; nothing raw from the input may be stored here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub const SCHEMA_VERSION: u32 = 1;

/// The scoring formula, carried in every report so a reader can check the numbers.
pub const SCORING_FORMULA: &str = "check score = 100 x passed / evaluated (100 when nothing \
is evaluated); dimension score = weight-averaged score of its checks; overall = \
weight-averaged score of the dimensions that have checks; unique checks fail excess rows \
(present rows - distinct present values)";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub run: Run,
    pub datasets: Vec<DatasetReport>,
    pub gate: GateResult,
    pub scoring_formula: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// RFC 3339 UTC time the run started.
    pub started_at: String,
    pub duration_ms: u64,
    /// Reference date for timeliness checks (`YYYY-MM-DD`).
    pub as_of: String,
    /// SHA-256 over the rule files, in the order they were loaded.
    pub rules_sha256: String,
    pub rule_files: Vec<String>,
    pub inputs: Vec<Input>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Input {
    pub path: String,
    pub dataset: String,
    pub format: String,
    pub sha256: String,
    pub rows: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetReport {
    pub name: String,
    pub rows: u64,
    pub scores: Scores,
    pub checks: Vec<CheckResult>,
    pub columns: Vec<ColumnProfile>,
    /// Drift against the previous run of the dataset (`--history`); absent without one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub drift: Option<super::history::Drift>,
    /// The rule file's anomaly declarations evaluated against the history.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub anomalies: Vec<super::history::Anomaly>,
    /// What only the history store keeps (column means, masked failing keys).
    #[serde(skip)]
    pub observed: super::history::Observed,
}

/// Scores 0-100; `None` (JSON null) for a dimension without checks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    pub overall: Option<f64>,
    pub completeness: Option<f64>,
    pub validity: Option<f64>,
    pub consistency: Option<f64>,
    pub timeliness: Option<f64>,
    pub uniqueness: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    Completeness,
    Validity,
    Consistency,
    Timeliness,
    Uniqueness,
}

impl Dimension {
    pub const ALL: [Dimension; 5] = [
        Dimension::Completeness,
        Dimension::Validity,
        Dimension::Consistency,
        Dimension::Timeliness,
        Dimension::Uniqueness,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Completeness => "completeness",
            Dimension::Validity => "validity",
            Dimension::Consistency => "consistency",
            Dimension::Timeliness => "timeliness",
            Dimension::Uniqueness => "uniqueness",
        }
    }

    pub fn parse(s: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

impl std::fmt::Display for Dimension {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Scores {
    pub fn get(&self, d: Dimension) -> Option<f64> {
        match d {
            Dimension::Completeness => self.completeness,
            Dimension::Validity => self.validity,
            Dimension::Consistency => self.consistency,
            Dimension::Timeliness => self.timeliness,
            Dimension::Uniqueness => self.uniqueness,
        }
    }

    pub fn set(&mut self, d: Dimension, v: Option<f64>) {
        match d {
            Dimension::Completeness => self.completeness = v,
            Dimension::Validity => self.validity = v,
            Dimension::Consistency => self.consistency = v,
            Dimension::Timeliness => self.timeliness = v,
            Dimension::Uniqueness => self.uniqueness = v,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warn,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warn => "warn",
            Severity::Info => "info",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    Warn,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Warn => "warn",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    /// Stable id: `customers.mobile.format`, or the rule file's id for SQL checks.
    pub id: String,
    pub dimension: Dimension,
    pub column: Option<String>,
    /// What kind of check: `required`, `unique`, `format`, ..., `sql`, `reference`,
    /// `duplicates`.
    pub kind: String,
    pub description: String,
    pub severity: Severity,
    pub weight: f64,
    pub evaluated: u64,
    pub failed: u64,
    pub score: f64,
    pub min_pass_rate: Option<f64>,
    pub status: Status,
    /// For `unique` and `duplicates` checks: distinct values occurring more than once.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub duplicate_values: Option<u64>,
    /// For `unique` and `duplicates` checks: all rows in groups of more than one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub duplicate_rows: Option<u64>,
    /// Up to a few failing rows, ordered by key then value; values masked.
    pub samples: Vec<Sample>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// The row's `key` columns joined with `|` (masked where sensitive); null without a key.
    pub key: Option<String>,
    /// The failing value, masked; null for checks that span several columns.
    pub value: Option<String>,
    /// For duplicate samples: how many rows share the value.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub count: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnProfile {
    pub name: String,
    /// Arrow type as DataFusion read it (`Utf8`, `Int64`, `Date32`, ...).
    #[serde(rename = "type")]
    pub data_type: String,
    pub nulls: u64,
    /// Empty or whitespace-only text values (0 for non-text columns).
    pub empty: u64,
    /// Approximate distinct count (HyperLogLog).
    pub distinct: u64,
    /// Smallest and largest value for numeric and temporal columns; text columns report
    /// lengths instead, so no personal data is copied into the report.
    pub min: Option<String>,
    pub max: Option<String>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    /// Filled by the classifier; null until then.
    pub classification: Option<Classification>,
}

/// What personal data a column holds, and why steward thinks so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    /// A personal-data category id (design.md), or null for no personal data.
    pub category: Option<String>,
    /// 0-1; 0 when the category is null.
    pub confidence: f64,
    /// PIPL Art. 28 sensitive personal information.
    #[serde(default)]
    pub pipl_sensitive: bool,
    /// GDPR Art. 9 special category.
    #[serde(default)]
    pub gdpr_special: bool,
    #[serde(default)]
    pub evidence: Evidence,
    /// Rows of children under 14 at the as-of date, for ID and birth-date columns.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub minors: Option<u64>,
    /// Sampled values that are already protected (encrypted, tokenized, masked); null
    /// when none of the sampled values is.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub protection: Option<Protection>,
    /// Rows whose text holds personal data inside other text, by category
    /// (`{"cn_mobile": 12, "email": 3}` for a notes column); omitted when there is none.
    /// The column's `category` stays what the column itself is.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub embedded: BTreeMap<String, u64>,
}

/// How many of a column's sampled distinct values look protected, recognised by the
/// shapes `steward mask` writes: `enc:v1:` ciphertexts, `tok_` tokens, `*` partial masks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Protection {
    /// Distinct non-blank values sampled.
    pub values_checked: u64,
    pub encrypted: u64,
    pub tokenized: u64,
    pub masked: u64,
}

impl Protection {
    /// Count the protected shapes among sampled values; `None` when no value is protected.
    pub fn of_values(values: &[String]) -> Option<Protection> {
        let mut p = Protection::default();
        for v in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
            p.values_checked += 1;
            if v.starts_with("enc:v1:") {
                p.encrypted += 1;
            } else if v.starts_with("tok_") {
                p.tokenized += 1;
            } else if v.contains('*') {
                p.masked += 1;
            }
        }
        (p.protected() > 0).then_some(p)
    }

    pub fn protected(&self) -> u64 {
        self.encrypted + self.tokenized + self.masked
    }

    /// Every sampled value is protected.
    pub fn complete(&self) -> bool {
        self.values_checked > 0 && self.protected() == self.values_checked
    }
}

/// The evidence behind a classification, for a reviewer to check.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The header keyword that matched the column name.
    pub header_hit: Option<String>,
    /// Distinct non-blank values sampled (up to 2,000) and checked.
    pub values_checked: u64,
    /// Of those, values the chosen detector accepted.
    pub values_matched: u64,
    /// What the chosen detector checks.
    pub validator: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GateResult {
    pub passed: bool,
    /// Why the gate failed, one line each (`customers: completeness 96.5 < 98`).
    pub reasons: Vec<String>,
}
