//! What each evidence kind measures, and the status it gives an obligation.
//!
//! One function per `EvidenceKind`. Each returns the status and the evidence lines a
//! reviewer reads: dataset and column names, categories, counts, thresholds and the
//! declarations they were compared with, never a data value. Datasets are visited in
//! report order and the worst dataset decides the status.

mod governance;
mod inventory;
mod transfer;

use governance::{audit_history, impact_assessment, quality_score, retention, undeclared_columns};
use inventory::{
    identifiers_unprotected, inventory, minors_present, sensitive_present, sensitive_unprotected,
    special_categories,
};
use transfer::cross_border;

use super::catalogue::{EvidenceKind, Regime};
use super::country;
use crate::report::Report;
use crate::report::compliance::i18n::{self, Lang};
use crate::report::compliance::{
    AuditSummary, Headcount, HistorySummary, InventoryItem, ObligationStatus,
};
use crate::rules::RuleSet;

use ObligationStatus::{Fail, NeedsReview, Pass};

/// Distinct individuals in a dataset: records minus the duplicates `steward dedupe`'s
/// model finds (the scan's `<dataset>.duplicates.fuzzy` check) when the rule file has a
/// `duplicates.fuzzy` section, else every record (an upper bound). The flag says which.
pub fn individuals(d: &crate::report::DatasetReport) -> (u64, bool) {
    match d.checks.iter().find(|c| c.kind == "fuzzy_duplicates") {
        Some(c) => (c.evaluated.saturating_sub(c.failed), true),
        None => (d.rows, false),
    }
}

/// CAC 2024 cross-border provisions: individuals (non-sensitive) from which the
/// standard contract or certification is needed.
pub const CAC_CONTRACT_INDIVIDUALS: u64 = 100_000;
/// ... and from which the CAC security assessment is needed.
pub const CAC_ASSESSMENT_INDIVIDUALS: u64 = 1_000_000;
/// Individuals with sensitive personal information from which the security
/// assessment is needed (any fewer needs the standard contract or certification).
pub const CAC_ASSESSMENT_SENSITIVE: u64 = 10_000;
/// Rows from which a GDPR processing counts as large scale for the DPIA indicators.
pub const GDPR_LARGE_SCALE: u64 = 100_000;

pub(super) struct Context<'a> {
    pub scan: &'a Report,
    pub rules: &'a RuleSet,
    pub inventory: &'a [InventoryItem],
    pub history: Option<&'a HistorySummary>,
    pub audit_log: Option<&'a AuditSummary>,
    pub headcount: Option<&'a Headcount>,
    pub lang: Lang,
}

impl Context<'_> {
    /// The English or the Chinese line.
    fn tr(&self, en: String, zh: String) -> String {
        self.lang.pick(en, zh)
    }

    /// People in a dataset, people with sensitive personal information, and whether
    /// they were deduplicated: the headcount's unified IDs when the inputs were linked,
    /// else [`individuals`] and [`sensitive_records`].
    fn people(&self, d: &crate::report::DatasetReport) -> (u64, u64, bool) {
        match self.headcount.filter(|h| h.linked()) {
            Some(h) => h
                .dataset(&d.name)
                .map_or((d.rows, 0, false), |x| (x.people, x.sensitive_people, true)),
            None => {
                let (people, deduplicated) = individuals(d);
                (
                    people,
                    sensitive_records(self.inventory, &d.name),
                    deduplicated,
                )
            }
        }
    }
}

type Outcome = (ObligationStatus, Vec<String>);

pub(super) fn evaluate(cx: &Context<'_>, regime: Regime, kind: EvidenceKind) -> Outcome {
    match kind {
        EvidenceKind::UndeclaredColumns => undeclared_columns(cx),
        EvidenceKind::QualityScore => quality_score(cx),
        EvidenceKind::Retention => retention(cx),
        EvidenceKind::SensitivePresent => sensitive_present(cx),
        EvidenceKind::MinorsPresent => minors_present(cx),
        EvidenceKind::SensitiveUnprotected => sensitive_unprotected(cx),
        EvidenceKind::IdentifiersUnprotected => identifiers_unprotected(cx),
        EvidenceKind::CrossBorder => cross_border(cx, regime),
        EvidenceKind::AuditHistory => audit_history(cx),
        EvidenceKind::ImpactAssessment => impact_assessment(cx, regime),
        EvidenceKind::Inventory => inventory(cx),
        EvidenceKind::SpecialCategories => special_categories(cx),
    }
}

fn of<'a>(cx: &'a Context<'_>, dataset: &'a str) -> impl Iterator<Item = &'a InventoryItem> {
    cx.inventory.iter().filter(move |i| i.dataset == dataset)
}

fn names<'a>(lang: Lang, items: impl Iterator<Item = &'a InventoryItem>) -> String {
    items
        .map(|i| match lang {
            Lang::En => format!("{} ({})", i.column, i.category_shown()),
            Lang::ZhCn => format!("{}（{}）", i.column, category_zh(i)),
        })
        .collect::<Vec<_>>()
        .join(lang.pick(", ", "、"))
}

/// An item's category in Chinese: 手机号码（cn_mobile）, or 手机号码（cn_mobile，文本中）.
fn category_zh(i: &InventoryItem) -> String {
    let name = i18n::category_zh(&i.category).unwrap_or("");
    match (name.is_empty(), i.embedded) {
        (false, false) => format!("{name}，{}", i.category),
        (false, true) => format!("{name}，{}，文本中", i.category),
        (true, false) => i.category.clone(),
        (true, true) => format!("{}，文本中", i.category),
    }
}

/// Records of children under 14 in a dataset: the largest count of one column.
pub(crate) fn minors(inventory: &[InventoryItem], dataset: &str) -> u64 {
    inventory
        .iter()
        .filter(|i| i.dataset == dataset)
        .filter_map(|i| i.minors)
        .max()
        .unwrap_or(0)
}

/// Records holding sensitive data: at least the largest count of present values of
/// one sensitive column.
pub(crate) fn sensitive_records(inventory: &[InventoryItem], dataset: &str) -> u64 {
    inventory
        .iter()
        .filter(|i| i.dataset == dataset && i.pipl_sensitive)
        .map(|i| i.present)
        .max()
        .unwrap_or(0)
}

/// `100000` -> `100,000`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn worst(statuses: impl IntoIterator<Item = ObligationStatus>) -> ObligationStatus {
    statuses.into_iter().max().unwrap_or(Pass)
}
