//! The rule file exactly as written (serde), with source positions.
//!
//! Only shape is checked here (unknown fields, wrong YAML types). Names such as formats,
//! dimensions and severities stay strings with their positions so that `validate` can
//! gather every semantic problem of a file at once and suggest corrections.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_saphyr::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRuleFile {
    pub version: Spanned<u64>,
    #[serde(default)]
    pub dataset: Option<Spanned<String>>,
    #[serde(default)]
    pub key: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    pub as_of: Option<Spanned<String>>,
    #[serde(default)]
    pub columns: IndexMap<String, Spanned<RawColumn>>,
    #[serde(default)]
    pub checks: Vec<Spanned<RawCheck>>,
    #[serde(default)]
    pub duplicates: Option<RawDuplicates>,
    #[serde(default)]
    pub scoring: Option<RawScoring>,
    #[serde(default)]
    pub gate: Option<RawGate>,
    #[serde(default)]
    pub compliance: Option<Spanned<RawCompliance>>,
    #[serde(default)]
    pub schema: Option<Spanned<RawSchema>>,
    #[serde(default)]
    pub anomalies: Vec<Spanned<RawAnomaly>>,
}

/// `schema:`: the columns the data must have, and what an unexpected column is.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSchema {
    #[serde(default)]
    pub columns: IndexMap<String, Spanned<RawSchemaColumn>>,
    /// `fail | warn | ignore` (default `warn`).
    #[serde(default)]
    pub unexpected: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSchemaColumn {
    #[serde(default, rename = "type")]
    pub type_: Option<Spanned<String>>,
    /// The column must be present (default true).
    #[serde(default)]
    pub required: Option<bool>,
}

/// One `anomalies:` entry: a metric, a method and its threshold, and the gate.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAnomaly {
    pub metric: Spanned<String>,
    #[serde(default)]
    pub column: Option<Spanned<String>>,
    #[serde(default)]
    pub check: Option<Spanned<String>>,
    pub method: Spanned<String>,
    #[serde(default)]
    pub max_change: Option<Spanned<f64>>,
    #[serde(default)]
    pub max_z: Option<Spanned<f64>>,
    #[serde(default)]
    pub runs: Option<Spanned<u64>>,
    #[serde(default)]
    pub windows: Option<Spanned<Vec<u64>>>,
    #[serde(default)]
    pub gate: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawColumn {
    /// `text | integer | decimal | date | timestamp | boolean`: how the column is read.
    #[serde(default, rename = "type")]
    pub type_: Option<Spanned<String>>,
    #[serde(default)]
    pub required: Option<bool>,
    #[serde(default)]
    pub unique: Option<bool>,
    #[serde(default)]
    pub format: Option<Spanned<String>>,
    #[serde(default)]
    pub allowed: Option<Spanned<Vec<Scalar>>>,
    #[serde(default)]
    pub min: Option<Spanned<Scalar>>,
    #[serde(default)]
    pub max: Option<Spanned<Scalar>>,
    #[serde(default)]
    pub pattern: Option<Spanned<String>>,
    #[serde(default)]
    pub fresh_within: Option<Spanned<String>>,
    #[serde(default)]
    pub not_future: Option<bool>,
    #[serde(default)]
    pub severity: Option<Spanned<String>>,
    #[serde(default)]
    pub weight: Option<Spanned<f64>>,
    #[serde(default)]
    pub min_pass_rate: Option<Spanned<f64>>,
}

/// A YAML scalar as written: `allowed` lists and `min`/`max` bounds.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub(crate) enum Scalar {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
}

impl Scalar {
    pub fn to_text(&self) -> String {
        match self {
            Scalar::Bool(b) => b.to_string(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Text(s) => s.clone(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCheck {
    pub id: Spanned<String>,
    #[serde(default)]
    pub dimension: Option<Spanned<String>>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, rename = "where")]
    pub where_: Option<Spanned<String>>,
    #[serde(default)]
    pub expect: Option<Spanned<String>>,
    #[serde(default)]
    pub reference: Option<Spanned<RawReference>>,
    #[serde(default)]
    pub severity: Option<Spanned<String>>,
    #[serde(default)]
    pub weight: Option<Spanned<f64>>,
    #[serde(default)]
    pub min_pass_rate: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawReference {
    pub dataset: Spanned<String>,
    pub column: Spanned<String>,
    #[serde(rename = "in")]
    pub in_: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDuplicates {
    #[serde(default)]
    pub exact: Vec<Spanned<Vec<String>>>,
    #[serde(default)]
    pub fuzzy: Option<Spanned<RawFuzzy>>,
}

/// Fuzzy matching settings; validated here, used by `steward dedupe`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFuzzy {
    pub compare: Vec<Spanned<String>>,
    /// Per-field options, keyed by a name listed in `compare`.
    #[serde(default)]
    pub fields: IndexMap<String, Spanned<RawFuzzyField>>,
    /// Blocking rules: each a list of `field` or `field.transform`.
    #[serde(default)]
    pub blocking: Option<Spanned<Vec<Vec<Spanned<String>>>>>,
    #[serde(default)]
    pub threshold: Option<Spanned<f64>>,
    #[serde(default)]
    pub mode: Option<Spanned<String>>,
    #[serde(default)]
    pub max_block: Option<Spanned<u64>>,
    /// Survivorship per golden-record field: a rule name, or the rule with options.
    #[serde(default)]
    pub golden: IndexMap<String, Spanned<RawGolden>>,
}

/// `golden.<field>`: `most_frequent`, or `{ rule, column, by, order }`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum RawGolden {
    Rule(String),
    Full(RawGoldenField),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGoldenField {
    pub rule: String,
    #[serde(default)]
    pub column: Option<String>,
    #[serde(default)]
    pub by: Option<String>,
    #[serde(default)]
    pub order: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFuzzyField {
    /// This dataset's column for the field (default: the field's name).
    #[serde(default)]
    pub column: Option<Spanned<String>>,
    #[serde(default)]
    pub kind: Option<Spanned<String>>,
    #[serde(default)]
    pub term_frequency: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScoring {
    #[serde(default)]
    pub weights: IndexMap<String, Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGate {
    #[serde(default)]
    pub min_overall: Option<Spanned<f64>>,
    #[serde(default)]
    pub min: IndexMap<String, Spanned<f64>>,
    #[serde(default)]
    pub max_drop: Option<Spanned<f64>>,
}

/// The `compliance:` declarations read by `steward report` (see `rules::compliance`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCompliance {
    #[serde(default)]
    pub purpose: Option<Spanned<String>>,
    #[serde(default)]
    pub lawful_basis: Option<Spanned<String>>,
    #[serde(default)]
    pub retention: Option<Spanned<RawRetention>>,
    #[serde(default)]
    pub destination: Option<Spanned<String>>,
    #[serde(default)]
    pub declared_columns: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub data_controller: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRetention {
    pub period: Spanned<String>,
    pub column: Spanned<String>,
}
