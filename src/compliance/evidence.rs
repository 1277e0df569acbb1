//! What each evidence kind measures, and the status it gives an obligation.
//!
//! One function per `EvidenceKind`. Each returns the status and the evidence lines a
//! reviewer reads: dataset and column names, categories, counts, thresholds and the
//! declarations they were compared with, never a data value. Datasets are visited in
//! report order and the worst dataset decides the status.

use super::catalogue::{EvidenceKind, Regime};
use super::country;
use crate::report::Report;
use crate::report::compliance::{AuditSummary, HistorySummary, InventoryItem, ObligationStatus};
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

fn names<'a>(items: impl Iterator<Item = &'a InventoryItem>) -> String {
    items
        .map(|i| format!("{} ({})", i.column, i.category))
        .collect::<Vec<_>>()
        .join(", ")
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
fn thousands(n: u64) -> String {
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

fn undeclared_columns(cx: &Context<'_>) -> Outcome {
    let mut lines = Vec::new();
    let mut status = Vec::new();
    for d in &cx.scan.datasets {
        let personal = of(cx, &d.name).count();
        let spec = super::spec_for(cx.rules, &d.name);
        let purpose = spec
            .and_then(|s| s.purpose.as_deref())
            .map(|p| format!(" for the purpose '{p}'"))
            .unwrap_or_default();
        match spec.and_then(|s| s.declared()) {
            None => {
                status.push(NeedsReview);
                lines.push(format!(
                    "{}: no compliance.declared_columns; {personal} personal column(s) cannot be checked against the purpose",
                    d.name
                ));
            }
            Some(_) => {
                let undeclared: Vec<&InventoryItem> = of(cx, &d.name)
                    .filter(|i| i.declared == Some(false))
                    .collect();
                if undeclared.is_empty() {
                    status.push(Pass);
                    lines.push(format!(
                        "{}: all {personal} personal column(s) are declared{purpose}",
                        d.name
                    ));
                } else {
                    status.push(Fail);
                    lines.push(format!(
                        "{}: {} of {personal} personal column(s) not declared{purpose}: {}",
                        d.name,
                        undeclared.len(),
                        names(undeclared.into_iter())
                    ));
                }
            }
        }
    }
    (worst(status), lines)
}

fn quality_score(cx: &Context<'_>) -> Outcome {
    let mut lines = Vec::new();
    let mut status = Vec::new();
    for d in &cx.scan.datasets {
        let gate = cx
            .rules
            .datasets
            .iter()
            .find(|r| r.name.as_deref() == Some(d.name.as_str()) || r.name.is_none())
            .map(|r| &r.gate);
        let dims: Vec<String> = crate::report::Dimension::ALL
            .iter()
            .filter_map(|dim| d.scores.get(*dim).map(|s| format!("{dim} {s:.2}")))
            .collect();
        let min = gate
            .and_then(|g| g.min_overall)
            .map(|m| format!(" (gate min {m})"))
            .unwrap_or_default();
        lines.push(format!(
            "{}: overall {}{min}; {}",
            d.name,
            crate::report::fmt_score(d.scores.overall),
            dims.join(", ")
        ));
        let prefix = format!("{}: ", d.name);
        let reasons: Vec<&String> = cx
            .scan
            .gate
            .reasons
            .iter()
            .filter(|r| r.starts_with(&prefix))
            .collect();
        if !reasons.is_empty() {
            status.push(Fail);
            for r in reasons {
                lines.push(format!("gate: {r}"));
            }
        } else if gate.is_none_or(|g| g.min_overall.is_none() && g.min.is_empty()) {
            status.push(NeedsReview);
            lines.push(format!(
                "{}: no quality gate declared (gate.min_overall, gate.min)",
                d.name
            ));
        } else {
            status.push(Pass);
        }
    }
    (worst(status), lines)
}

fn retention(cx: &Context<'_>) -> Outcome {
    let mut lines = Vec::new();
    let mut status = Vec::new();
    for d in &cx.scan.datasets {
        let Some(r) = super::spec_for(cx.rules, &d.name).and_then(|s| s.retention.as_ref()) else {
            status.push(NeedsReview);
            lines.push(format!(
                "{}: no retention period declared (compliance.retention)",
                d.name
            ));
            continue;
        };
        let id = format!("{}.{}.retention", d.name, r.column);
        let cutoff = crate::rules::parse_date(&cx.scan.run.as_of)
            .and_then(|a| a.and_hms_opt(0, 0, 0))
            .map(|a| (a - r.duration).format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        match d.checks.iter().find(|c| c.id == id) {
            Some(c) if c.failed > 0 => {
                status.push(Fail);
                lines.push(format!(
                    "{}: {} of {} records have {} before {cutoff} or unreadable (retention {} as of {})",
                    d.name, c.failed, c.evaluated, r.column, r.period, cx.scan.run.as_of
                ));
            }
            Some(c) => {
                status.push(Pass);
                lines.push(format!(
                    "{}: all {} records have {} on or after {cutoff} (retention {} as of {})",
                    d.name, c.evaluated, r.column, r.period, cx.scan.run.as_of
                ));
            }
            None => {
                status.push(NeedsReview);
                lines.push(format!("{}: retention check {id} did not run", d.name));
            }
        }
    }
    (worst(status), lines)
}

fn sensitive_present(cx: &Context<'_>) -> Outcome {
    let sensitive: Vec<&InventoryItem> = cx.inventory.iter().filter(|i| i.pipl_sensitive).collect();
    if sensitive.is_empty() {
        return (
            Pass,
            vec![format!(
                "no sensitive personal information detected in {} personal column(s)",
                cx.inventory.len()
            )],
        );
    }
    let mut lines: Vec<String> = sensitive
        .iter()
        .map(|i| {
            format!(
                "{}.{}: {} ({}), {} value(s)",
                i.dataset,
                i.column,
                i.category,
                category_group(&i.category),
                i.present
            )
        })
        .collect();
    for d in &cx.scan.datasets {
        let basis = super::spec_for(cx.rules, &d.name).and_then(|s| s.lawful_basis.as_deref());
        if of(cx, &d.name).any(|i| i.pipl_sensitive) {
            lines.push(match basis {
                Some(b) => format!(
                    "{}: lawful basis '{b}'; separate consent (Art. 29) must be on record where consent is relied on",
                    d.name
                ),
                None => format!("{}: no lawful basis declared (compliance.lawful_basis)", d.name),
            });
        }
    }
    (NeedsReview, lines)
}

/// The GB/T 35273-2020 Appendix B group of a sensitive category.
fn category_group(category: &str) -> &'static str {
    crate::classify::category::get(category).map_or("sensitive", |c| c.gbt_group)
}

fn minors_present(cx: &Context<'_>) -> Outcome {
    let checked: Vec<&InventoryItem> = cx.inventory.iter().filter(|i| i.minors.is_some()).collect();
    if checked.is_empty() {
        return (
            NeedsReview,
            vec!["no ID number or birth-date column to count children under 14".into()],
        );
    }
    let lines = checked
        .iter()
        .map(|i| {
            format!(
                "{}.{}: {} record(s) of children under 14 at {}",
                i.dataset,
                i.column,
                i.minors.unwrap_or(0),
                cx.scan.run.as_of
            )
        })
        .collect();
    let any = checked.iter().any(|i| i.minors.unwrap_or(0) > 0);
    (if any { NeedsReview } else { Pass }, lines)
}

fn sensitive_unprotected(cx: &Context<'_>) -> Outcome {
    let sensitive: Vec<&InventoryItem> = cx
        .inventory
        .iter()
        .filter(|i| i.pipl_sensitive || i.gdpr_special)
        .collect();
    if sensitive.is_empty() {
        return (Pass, vec!["no sensitive column to protect".into()]);
    }
    let lines = sensitive
        .iter()
        .map(|i| {
            format!(
                "{}.{} ({}): {}; {}",
                i.dataset,
                i.column,
                i.category,
                i.protection.as_str(),
                i.protection_evidence
            )
        })
        .collect();
    let clear = sensitive.iter().any(|i| !i.protection.protected());
    (if clear { Fail } else { Pass }, lines)
}

fn identifiers_unprotected(cx: &Context<'_>) -> Outcome {
    if cx.inventory.is_empty() {
        return (Pass, vec!["no personal-data column".into()]);
    }
    let clear: Vec<&InventoryItem> = cx
        .inventory
        .iter()
        .filter(|i| !i.protection.protected())
        .collect();
    let protected = cx.inventory.len() - clear.len();
    let mut lines = vec![format!(
        "{protected} of {} personal column(s) pseudonymised, encrypted or masked",
        cx.inventory.len()
    )];
    if !clear.is_empty() {
        lines.push(format!("in clear: {}", names(clear.iter().copied())));
    }
    let special_clear = clear.iter().any(|i| i.gdpr_special);
    let status = if special_clear {
        Fail
    } else if clear.is_empty() {
        Pass
    } else {
        NeedsReview
    };
    (status, lines)
}

fn destination(cx: &Context<'_>, dataset: &str) -> Option<String> {
    super::spec_for(cx.rules, dataset).and_then(|s| s.destination.clone())
}

fn cross_border(cx: &Context<'_>, regime: Regime) -> Outcome {
    let mut lines = Vec::new();
    let mut status = Vec::new();
    for d in &cx.scan.datasets {
        let Some(dest) = destination(cx, &d.name) else {
            status.push(NeedsReview);
            lines.push(format!(
                "{}: no destination declared (compliance.destination)",
                d.name
            ));
            continue;
        };
        let sensitive = sensitive_records(cx.inventory, &d.name);
        match regime {
            Regime::Pipl if !country::outside_mainland_china(&dest) => {
                status.push(Pass);
                lines.push(format!(
                    "{}: destination {dest} (mainland China): no cross-border transfer",
                    d.name
                ));
            }
            Regime::Pipl => {
                let (people, deduplicated) = individuals(d);
                let counts = format!(
                    "{}: destination {dest} is outside mainland China; {people} individual(s){}, {sensitive} with sensitive personal information",
                    d.name,
                    if deduplicated {
                        format!(" (fuzzy-deduplicated from {} records)", d.rows)
                    } else {
                        " (records)".to_string()
                    }
                );
                lines.push(counts);
                let (s, line) = if people >= CAC_ASSESSMENT_INDIVIDUALS
                    || sensitive >= CAC_ASSESSMENT_SENSITIVE
                {
                    (
                        Fail,
                        format!(
                            "at or above {} individuals or {} with sensitive data: CAC security assessment required",
                            thousands(CAC_ASSESSMENT_INDIVIDUALS),
                            thousands(CAC_ASSESSMENT_SENSITIVE)
                        ),
                    )
                } else if people >= CAC_CONTRACT_INDIVIDUALS || sensitive > 0 {
                    (
                        Fail,
                        format!(
                            "at or above {} individuals, or sensitive data of fewer than {}: standard contract (filed) or certification required",
                            thousands(CAC_CONTRACT_INDIVIDUALS),
                            thousands(CAC_ASSESSMENT_SENSITIVE)
                        ),
                    )
                } else {
                    (
                        NeedsReview,
                        format!(
                            "under {} individuals and no sensitive data: exempt from the standard contract; notice and separate consent (Art. 39) still apply",
                            thousands(CAC_CONTRACT_INDIVIDUALS)
                        ),
                    )
                };
                status.push(s);
                lines.push(line);
            }
            Regime::Gdpr if country::in_eea(&dest) => {
                status.push(Pass);
                lines.push(format!(
                    "{}: destination {dest} is in the EEA: no Chapter V transfer",
                    d.name
                ));
            }
            Regime::Gdpr if country::gdpr_adequate(&dest) => {
                status.push(NeedsReview);
                lines.push(format!(
                    "{}: destination {dest} is outside the EEA with an adequacy decision (Art. 45); confirm the recipient is covered; {} record(s)",
                    d.name, d.rows
                ));
            }
            Regime::Gdpr => {
                status.push(Fail);
                lines.push(format!(
                    "{}: destination {dest} is outside the EEA without an adequacy decision: Art. 46 safeguards (SCCs, BCRs) or an Art. 49 derogation required; {} record(s)",
                    d.name, d.rows
                ));
            }
        }
    }
    (worst(status), lines)
}

fn audit_history(cx: &Context<'_>) -> Outcome {
    let mut lines = vec![format!(
        "this report: run at {}, rules sha256 {}",
        cx.scan.run.started_at,
        cx.scan.run.rules_sha256.get(..12).unwrap_or("")
    )];
    let mut status = match cx.history {
        Some(h) if h.previous_runs > 0 => {
            lines.push(format!("{} earlier run(s) in the history", h.previous_runs));
            Pass
        }
        Some(_) => {
            lines.push("no earlier run in the history yet".into());
            NeedsReview
        }
        None => {
            lines.push("no history kept (pass --history DIR to record each run)".into());
            NeedsReview
        }
    };
    match cx.audit_log {
        Some(a) if a.intact => lines.push(format!(
            "audit log: {} earlier entries, chain intact; this run is appended to it",
            a.entries
        )),
        Some(a) => {
            status = Fail;
            lines.push(format!(
                "audit log: chain broken at line {}",
                a.first_bad_line.unwrap_or(0)
            ));
        }
        None => lines.push("no audit log kept (--no-audit)".into()),
    }
    (status, lines)
}

fn impact_assessment(cx: &Context<'_>, regime: Regime) -> Outcome {
    let mut triggers = Vec::new();
    for d in &cx.scan.datasets {
        let sensitive = of(cx, &d.name).filter(|i| i.pipl_sensitive).count();
        let special = of(cx, &d.name).filter(|i| i.gdpr_special).count();
        let minors = minors(cx.inventory, &d.name);
        let dest = destination(cx, &d.name);
        match regime {
            Regime::Pipl => {
                if sensitive > 0 {
                    triggers.push(format!(
                        "{}: {sensitive} sensitive column(s) (Art. 55(1))",
                        d.name
                    ));
                }
                if let Some(dest) = dest.filter(|c| country::outside_mainland_china(c)) {
                    triggers.push(format!(
                        "{}: provided abroad to {dest} (Art. 55(4))",
                        d.name
                    ));
                }
            }
            Regime::Gdpr => {
                if special > 0 {
                    triggers.push(format!("{}: {special} special-category column(s)", d.name));
                }
                if minors > 0 {
                    triggers.push(format!("{}: {minors} children's record(s)", d.name));
                }
                if d.rows >= GDPR_LARGE_SCALE {
                    triggers.push(format!(
                        "{}: large scale ({} records, from {})",
                        d.name,
                        thousands(d.rows),
                        thousands(GDPR_LARGE_SCALE)
                    ));
                }
                if let Some(dest) = dest.filter(|c| !country::in_eea(c)) {
                    triggers.push(format!("{}: transfer outside the EEA to {dest}", d.name));
                }
            }
        }
    }
    if triggers.is_empty() {
        (
            Pass,
            vec!["no trigger found (sensitive or special data, transfer, scale)".into()],
        )
    } else {
        triggers
            .push("an assessment is required before processing; attach it to this report".into());
        (NeedsReview, triggers)
    }
}

fn inventory(cx: &Context<'_>) -> Outcome {
    let mut lines = Vec::new();
    let mut status = Vec::new();
    for d in &cx.scan.datasets {
        let items: Vec<&InventoryItem> = of(cx, &d.name).collect();
        lines.push(format!(
            "{}: {} personal-data column(s) ({} sensitive, {} special) in {} record(s)",
            d.name,
            items.len(),
            items.iter().filter(|i| i.pipl_sensitive).count(),
            items.iter().filter(|i| i.gdpr_special).count(),
            d.rows
        ));
        let spec = super::spec_for(cx.rules, &d.name);
        let mut missing = Vec::new();
        if spec.and_then(|s| s.data_controller.as_ref()).is_none() {
            missing.push("data_controller");
        }
        if spec.and_then(|s| s.purpose.as_ref()).is_none() {
            missing.push("purpose");
        }
        if missing.is_empty() {
            status.push(Pass);
        } else {
            status.push(NeedsReview);
            lines.push(format!(
                "{}: not declared: compliance.{}",
                d.name,
                missing.join(", compliance.")
            ));
        }
    }
    (worst(status), lines)
}

fn special_categories(cx: &Context<'_>) -> Outcome {
    let special: Vec<&InventoryItem> = cx.inventory.iter().filter(|i| i.gdpr_special).collect();
    if special.is_empty() {
        return (
            Pass,
            vec![format!(
                "no special category detected in {} personal column(s)",
                cx.inventory.len()
            )],
        );
    }
    let lines = special
        .iter()
        .map(|i| {
            format!(
                "{}.{}: {}, {} value(s); an Art. 9(2) condition must be on record",
                i.dataset, i.column, i.category, i.present
            )
        })
        .collect();
    (NeedsReview, lines)
}
