//! The compliance report model (`steward report`) and its renderers: JSON for machines,
//! Markdown for pull requests, one self-contained HTML file for the people who sign it.
//!
//! Like the scan report, the model holds only counts, names, categories and masked
//! text, never a raw value, and renderers read only the model: they never query data.
//! Everything is sorted when built (`compliance::evaluate`), so the same input gives
//! the same bytes apart from the run's time and duration.

mod escape;
mod html;
mod markdown;
mod svg;

use serde::{Deserialize, Serialize};

use super::{GateResult, Run, Scores, Tool};

/// Output formats of `steward report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Html,
    Markdown,
    Json,
}

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
