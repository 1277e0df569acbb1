//! The compliance report model (`steward report`) and its renderers: JSON for machines,
//! Markdown for pull requests, one self-contained HTML file for the people who sign it.
//!
//! Like the scan report, the model holds only counts, names, categories and masked
//! text, never a raw value, and renderers read only the model: they never query data.
//! Everything is sorted when built (`compliance::evaluate`), so the same input gives
//! the same bytes apart from the run's time and duration.

pub(crate) mod escape;
mod html;
pub mod i18n;
mod markdown;
mod svg;

pub use i18n::Lang;

use serde::{Deserialize, Serialize};

use super::{GateResult, Run, Scores, Tool};

/// Output formats of `steward report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Html,
    Markdown,
    Json,
}

/// Render in the language the report was built in (`ComplianceReport::lang`).
pub fn render(report: &ComplianceReport, format: ReportFormat) -> String {
    match format {
        ReportFormat::Html => html::render(report),
        ReportFormat::Markdown => markdown::render(report),
        ReportFormat::Json => {
            let mut s = serde_json::to_string_pretty(report)
                .expect("the compliance model always serializes");
            s.push('\n');
            s
        }
    }
}

/// The one-line verdict for stderr.
pub fn verdict_line(report: &ComplianceReport) -> String {
    let c = &report.summary.obligations;
    if report.lang == Lang::ZhCn {
        return format!(
            "{}  共 {} 项义务：{} 项不符合，{} 项待复核，{} 项符合；质量门禁{}",
            i18n::status(report.lang, report.verdict),
            c.pass + c.fail + c.needs_review,
            c.fail,
            c.needs_review,
            c.pass,
            if report.gate.passed {
                "通过"
            } else {
                "未通过"
            }
        );
    }
    format!(
        "{}  {} obligation(s): {} fail, {} needs review, {} pass; quality gate {}",
        report.verdict.as_str().to_uppercase(),
        c.pass + c.fail + c.needs_review,
        c.fail,
        c.needs_review,
        c.pass,
        if report.gate.passed {
            "passed"
        } else {
            "failed"
        }
    )
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplianceReport {
    pub schema_version: u32,
    /// Always `compliance`, to tell it from a scan report.
    pub kind: String,
    /// The language of the report's text (`en` is left out of the JSON).
    #[serde(default, skip_serializing_if = "Lang::is_en")]
    pub lang: Lang,
    pub tool: Tool,
    pub run: Run,
    /// `pipl`, `gdpr`, in the order given.
    pub regimes: Vec<String>,
    pub verdict: ObligationStatus,
    pub summary: Summary,
    pub declarations: Vec<Declaration>,
    pub inventory: Vec<InventoryItem>,
    pub scorecard: Vec<Scorecard>,
    /// Quality checks that did not pass, failing first; counts only, no samples.
    pub quality_issues: Vec<QualityIssue>,
    pub duplicates: Vec<DuplicateSummary>,
    /// Re-identification risk per dataset (`steward risk` at its defaults).
    #[serde(default)]
    pub anonymisation: Vec<Anonymisation>,
    pub findings: Vec<Finding>,
    /// Individuals counted across every input (unified IDs when the rule files link
    /// records), the number the regulations' thresholds use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headcount: Option<Headcount>,
    /// The regulations' thresholds applied to the headcount.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calculations: Vec<Calculation>,
    /// GB/T 43697-2024 classification and grading suggestion per dataset.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grading: Vec<Grading>,
    /// Draft record of processing activities (GDPR Art. 30, 个人信息处理活动记录).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub processing_records: Vec<ProcessingRecord>,
    /// Which PIA / DPIA criteria the data shows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub impact_prescreen: Vec<Criterion>,
    pub history: Option<HistorySummary>,
    pub audit_log: Option<AuditSummary>,
    /// The quality gate of the scan, plus a drop beyond `gate.max_drop`.
    pub gate: GateResult,
    pub scoring_formula: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObligationStatus {
    Pass,
    NeedsReview,
    Fail,
}

impl ObligationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ObligationStatus::Pass => "pass",
            ObligationStatus::NeedsReview => "needs_review",
            ObligationStatus::Fail => "fail",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ObligationStatus::Pass => "PASS",
            ObligationStatus::NeedsReview => "NEEDS REVIEW",
            ObligationStatus::Fail => "FAIL",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub datasets: u64,
    /// Individuals over all datasets: records minus fuzzy duplicates for datasets whose
    /// rules have `duplicates.fuzzy`, else rows (an upper bound).
    pub individuals: u64,
    /// True when some dataset's individuals are counted after fuzzy deduplication.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub individuals_deduplicated: bool,
    pub personal_columns: u64,
    /// PIPL Art. 28 sensitive columns.
    pub sensitive_columns: u64,
    /// GDPR Art. 9 special-category columns.
    pub special_columns: u64,
    /// Records of children under 14 at the as-of date (largest count of one column).
    pub minors: u64,
    /// Records holding sensitive personal information: at least the largest count of
    /// present values of one sensitive column, summed over datasets.
    pub sensitive_records: u64,
    pub obligations: StatusCounts,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatusCounts {
    pub pass: u64,
    pub fail: u64,
    pub needs_review: u64,
}

/// A dataset's `compliance:` declarations as the rule files state them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Declaration {
    pub dataset: String,
    pub purpose: Option<String>,
    pub lawful_basis: Option<String>,
    pub retention: Option<String>,
    pub retention_column: Option<String>,
    pub destination: Option<String>,
    pub declared_columns: Option<Vec<String>>,
    pub data_controller: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InventoryItem {
    pub dataset: String,
    pub column: String,
    /// Personal-data category id (design.md).
    pub category: String,
    /// `sensitive` (PIPL Art. 28), `special` (GDPR Art. 9, also sensitive) or `personal`.
    pub sensitivity: String,
    pub pipl_sensitive: bool,
    pub gdpr_special: bool,
    /// Non-blank values in the column.
    pub present: u64,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub minors: Option<u64>,
    pub protection: ProtectionState,
    /// Why steward thinks so: sampled value shapes or the mask sidecar.
    pub protection_evidence: String,
    /// Listed in `compliance.declared_columns`; null when nothing is declared.
    pub declared: Option<bool>,
    /// Found inside the column's text (a notes column's mobiles), not as the column's
    /// own category; `present` then counts the rows holding it.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub embedded: bool,
}

impl InventoryItem {
    /// The category as a reviewer reads it: `cn_mobile`, or `cn_mobile (inside text)`.
    pub fn category_shown(&self) -> String {
        if self.embedded {
            format!("{} (inside text)", self.category)
        } else {
            self.category.clone()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProtectionState {
    /// Values in clear.
    Clear,
    /// Some sampled values protected, others in clear.
    Partial,
    Encrypted,
    Tokenized,
    Masked,
    Generalized,
}

impl ProtectionState {
    pub fn as_str(self) -> &'static str {
        match self {
            ProtectionState::Clear => "clear",
            ProtectionState::Partial => "partial",
            ProtectionState::Encrypted => "encrypted",
            ProtectionState::Tokenized => "tokenized",
            ProtectionState::Masked => "masked",
            ProtectionState::Generalized => "generalized",
        }
    }

    pub fn protected(self) -> bool {
        !matches!(self, ProtectionState::Clear | ProtectionState::Partial)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    pub dataset: String,
    pub rows: u64,
    pub scores: Scores,
    pub checks: u64,
    pub checks_not_passing: u64,
    pub gate_min_overall: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityIssue {
    pub dataset: String,
    pub check: String,
    pub dimension: String,
    pub severity: String,
    /// `fail` or `warn`.
    pub status: String,
    pub failed: u64,
    pub evaluated: u64,
    pub score: f64,
}

/// One dataset's re-identification risk (docs/risk.md): evidence for PIPL Art. 51 and
/// 73(4), GB/T 37964-2019 and GB/T 42460-2023, GDPR Recital 26 and Art. 25, 32.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Anonymisation {
    pub dataset: String,
    pub rows: u64,
    /// `column (category)` of the direct identifiers in clear (or inside text).
    pub direct_in_clear: Vec<String>,
    /// `column (why)` of the quasi-identifiers measured.
    pub quasi_identifiers: Vec<String>,
    pub k: u64,
    pub k_target: u64,
    pub max_risk: f64,
    pub records_below_k: u64,
    pub highest_risk: f64,
    pub average_risk: f64,
    /// `identifiable`, `de-identified` or `low-risk`.
    pub grade: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicateSummary {
    pub dataset: String,
    pub check: String,
    pub columns: String,
    /// Distinct keys occurring more than once.
    pub duplicate_values: u64,
    /// All rows in such groups.
    pub duplicate_rows: u64,
    /// Rows beyond the first of each group (what the check fails).
    pub excess_rows: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable obligation id from the catalogue (`PIPL-51`).
    pub id: String,
    pub regime: String,
    pub title: String,
    pub articles: Vec<String>,
    pub references: Vec<String>,
    pub requirement: String,
    /// The evidence kind the catalogue names (`sensitive_unprotected`).
    pub evidence_kind: String,
    pub status: ObligationStatus,
    /// What steward measured, one line each; counts and names only.
    pub evidence: Vec<String>,
    pub remediation: String,
    /// The items of the PI protection compliance audit guidelines this evidence serves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audit_items: Vec<AuditItem>,
}

/// An item of 个人信息保护合规审计指引 (`rules/compliance/audit_items.yaml`) as a
/// finding or section cites it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditItem {
    /// Stable id (`AUDIT-14`).
    pub id: String,
    /// The guideline's article number.
    pub article: u32,
    /// Checked against the official text; `false` marks a paraphrase.
    pub verified: bool,
    pub title: String,
    /// What the auditor examines (审计内容).
    pub content: String,
    /// How steward's evidence serves it and what is left to check (审计方法).
    pub method: String,
    pub references: Vec<String>,
}

/// Individuals across every input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Headcount {
    /// `unified_ids` (records linked by the rule files' `duplicates.fuzzy` across every
    /// input), `exact_keys` (per dataset, records minus excess rows of its exact
    /// duplicate keys; not linked across datasets) or `rows` (not deduplicated).
    pub method: String,
    /// How the count was made, in the report's language.
    pub explanation: String,
    pub rows: u64,
    pub people: u64,
    /// People with sensitive personal information in some record.
    pub sensitive_people: u64,
    /// People found in more than one dataset (`unified_ids` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_several_datasets: Option<u64>,
    pub datasets: Vec<HeadcountDataset>,
}

impl Headcount {
    /// The counts of one dataset.
    pub fn dataset(&self, name: &str) -> Option<&HeadcountDataset> {
        self.datasets.iter().find(|d| d.dataset == name)
    }

    /// Whether people are unified IDs across every input.
    pub fn linked(&self) -> bool {
        self.method == "unified_ids"
    }
}

/// How the summary's individuals were counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// Unified IDs across every input (the headcount).
    UnifiedIds,
    /// Records minus fuzzy duplicates within each dataset.
    FuzzyPerDataset,
    /// Rows, not deduplicated.
    Rows,
}

impl ComplianceReport {
    /// The individuals the summary shows: the headcount's unified IDs when the inputs
    /// were linked, else the summary's count.
    pub fn individuals_shown(&self) -> (u64, Counted) {
        match self.headcount.as_ref().filter(|h| h.linked()) {
            Some(h) => (h.people, Counted::UnifiedIds),
            None if self.summary.individuals_deduplicated => {
                (self.summary.individuals, Counted::FuzzyPerDataset)
            }
            None => (self.summary.individuals, Counted::Rows),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadcountDataset {
    pub dataset: String,
    pub rows: u64,
    pub people: u64,
    pub sensitive_people: u64,
}

/// One regulation threshold applied to a headcount.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calculation {
    /// `cross_border`, `audit_frequency`, `incident_scale`.
    pub id: String,
    /// What it is about (a destination, the whole processing).
    pub subject: String,
    /// The rule applied, with its thresholds.
    pub rule: String,
    /// The regulation and article.
    pub source: String,
    /// People and sensitive people used.
    pub people: u64,
    pub sensitive_people: u64,
    /// What follows.
    pub result: String,
    pub status: ObligationStatus,
    /// The thresholds were checked against the official text; `false` says to confirm.
    pub verified: bool,
}

/// GB/T 43697-2024 suggestion for one dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grading {
    pub dataset: String,
    /// `general` or `important_candidate`.
    pub level: String,
    /// The dataset's level shown (highest of its columns, 就高从严).
    pub level_shown: String,
    pub why: String,
    pub columns: Vec<ColumnGrading>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnGrading {
    pub column: String,
    /// `sensitive_personal`, `personal` or `non_personal`.
    pub class: String,
    pub class_shown: String,
}

/// A draft record of processing for one dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessingRecord {
    pub dataset: String,
    /// (field, value) pairs in the report's language.
    pub fields: Vec<(String, String)>,
}

/// A PIA / DPIA criterion and whether the data shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    pub id: String,
    pub label: String,
    /// `met`, `not_met` or `unknown` (not visible in the data).
    pub state: String,
    pub evidence: String,
    pub source: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HistorySummary {
    /// Earlier runs kept (this one excluded).
    pub previous_runs: u64,
    /// The last runs, oldest first, this one last.
    pub trend: Vec<HistoryPoint>,
    /// Per dataset: overall now minus overall in the previous run.
    pub changes: Vec<ScoreChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryPoint {
    pub started_at: String,
    pub rules_sha256: String,
    pub dataset: String,
    pub overall: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreChange {
    pub dataset: String,
    pub previous: Option<f64>,
    pub current: Option<f64>,
    pub delta: Option<f64>,
    pub max_drop: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditSummary {
    pub entries: u64,
    pub intact: bool,
    /// The first line that fails verification, when the chain is broken.
    pub first_bad_line: Option<u64>,
}
