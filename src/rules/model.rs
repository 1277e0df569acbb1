//! The validated rule-file model: what a [`RuleSet`] holds once every file is checked.

use super::*;

/// All rule files of a run, validated and merged per dataset.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// The files in load order.
    pub files: Vec<PathBuf>,
    /// SHA-256 over the files' bytes in load order.
    pub sha256: String,
    pub datasets: Vec<DatasetRules>,
}

/// The merged rules for one dataset.
#[derive(Debug, Clone, Default)]
pub struct DatasetRules {
    /// The dataset the rules apply to; `None` when the file names none (single input).
    pub name: Option<String>,
    pub files: Vec<PathBuf>,
    pub key: Vec<String>,
    pub key_origin: Option<Origin>,
    pub as_of: Option<NaiveDate>,
    pub checks: Vec<CheckSpec>,
    pub weights: BTreeMap<Dimension, f64>,
    pub gate: GateSpec,
    /// Fuzzy duplicate settings, used by `steward dedupe`.
    pub fuzzy: Option<FuzzySpec>,
    /// `compliance:` declarations, used by `steward report`.
    pub compliance: Option<compliance::ComplianceSpec>,
    /// `columns.<c>.type`: how a column is read, winning over inference.
    pub types: BTreeMap<String, TypeDecl>,
    /// `schema:`: the columns the data must have (checked by the scan).
    pub schema: Option<schema::SchemaSpec>,
    /// `anomalies:`: metrics watched over the run history, in the order written.
    pub anomalies: Vec<anomaly::AnomalySpec>,
}

/// A column type declared in a rule file, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDecl {
    pub column_type: ColumnType,
    pub origin: Origin,
}

impl DatasetRules {
    /// The declared column types, as the source reads them.
    pub fn declared_types(&self) -> crate::source::Declared {
        self.types
            .iter()
            .map(|(c, d)| (c.clone(), d.column_type))
            .collect()
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct GateSpec {
    pub min_overall: Option<f64>,
    pub min: BTreeMap<Dimension, f64>,
    /// Largest allowed drop of the overall score since the last recorded run (points).
    pub max_drop: Option<f64>,
}

/// `duplicates.fuzzy`: how `steward dedupe` compares records of this dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct FuzzySpec {
    /// The compared fields, in the order written.
    pub fields: Vec<FuzzyField>,
    /// Blocking rules; `None` means one rule per compared field.
    pub blocking: Option<Vec<Vec<BlockingKey>>>,
    pub threshold: Option<f64>,
    pub mode: Option<LinkMode>,
    pub max_block: Option<usize>,
    /// `golden`: how `steward dedupe --golden` chooses each field's value, in the
    /// order written.
    pub golden: Vec<GoldenField>,
    pub origin: Origin,
}

/// One field of the golden record and the rule that chooses its value.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldenField {
    pub field: String,
    pub rule: Survivorship,
    /// This dataset's column for the field, if the rule file names one (else the
    /// compared field's column, else a column of the field's name).
    pub column: Option<String>,
    /// A timestamp column: the order of `most_recent`, the tie-breaker of the others.
    pub by: Option<String>,
    /// `source_priority`: datasets, most trusted first.
    pub order: Vec<String>,
    pub origin: Origin,
}

/// One compared field and the column that holds it in this dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct FuzzyField {
    pub field: String,
    pub column: String,
    /// `None`: chosen from the field's name when the comparison is built.
    pub kind: Option<CompareKind>,
    pub term_frequency: bool,
    pub origin: Origin,
}

/// One part of a blocking rule: a field's normalised value or a transform of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockingKey {
    pub field: String,
    pub transform: Transform,
    pub origin: Origin,
}

pub use linkage::{
    CompareKind, KINDS, LinkMode, SURVIVORSHIP, Survivorship, TRANSFORMS, Transform,
};

/// One check, before it is bound to a dataset's schema.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckSpec {
    /// The id as it will be reported once the dataset name is known: shorthand checks
    /// are `<dataset>.<suffix>`; SQL and reference checks use their own id.
    pub id: CheckId,
    pub dimension: Dimension,
    pub severity: Severity,
    pub weight: f64,
    pub min_pass_rate: Option<f64>,
    pub column: Option<String>,
    pub description: String,
    pub kind: CheckKind,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckId {
    /// `mobile.format`: reported as `<dataset>.mobile.format`.
    Shorthand(String),
    /// A rule file's own id, reported verbatim.
    Named(String),
}

impl CheckId {
    pub fn resolve(&self, dataset: &str) -> String {
        match self {
            CheckId::Shorthand(suffix) => format!("{dataset}.{suffix}"),
            CheckId::Named(id) => id.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum CheckKind {
    Required,
    Unique,
    Format(&'static format::FormatInfo),
    Allowed(Vec<String>),
    Min(Bound),
    Max(Bound),
    Pattern(String),
    FreshWithin(chrono::Duration),
    /// `compliance.retention`: fails like `fresh_within`, reported but never scored.
    Retention(chrono::Duration),
    NotFuture,
    Sql {
        where_: Option<Located>,
        expect: Located,
    },
    Reference {
        column: String,
        target_dataset: String,
        target_column: String,
    },
    Duplicates(Vec<String>),
}

impl CheckKind {
    /// The short kind name used in reports.
    pub fn name(&self) -> &'static str {
        match self {
            CheckKind::Required => "required",
            CheckKind::Unique => "unique",
            CheckKind::Format(_) => "format",
            CheckKind::Allowed(_) => "allowed",
            CheckKind::Min(_) => "min",
            CheckKind::Max(_) => "max",
            CheckKind::Pattern(_) => "pattern",
            CheckKind::FreshWithin(_) => "fresh_within",
            CheckKind::Retention(_) => "retention",
            CheckKind::NotFuture => "not_future",
            CheckKind::Sql { .. } => "sql",
            CheckKind::Reference { .. } => "reference",
            CheckKind::Duplicates(_) => "duplicates",
        }
    }
}

/// A piece of rule-file text (SQL) with its position, for errors found when planning it.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub text: String,
    pub origin: Origin,
}

/// A `min`/`max` bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    Number(f64),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
}

impl PartialOrd for CheckId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for CheckId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let key = |c: &CheckId| match c {
            CheckId::Shorthand(s) => (0, s.clone()),
            CheckId::Named(s) => (1, s.clone()),
        };
        key(self).cmp(&key(other))
    }
}
