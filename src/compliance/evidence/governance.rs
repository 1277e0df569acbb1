//! Evidence about how the data is governed: declarations, quality, retention, the audit
//! trail and impact assessments.

use super::transfer::destination;
use super::*;

pub(super) fn undeclared_columns(cx: &Context<'_>) -> Outcome {
    let mut lines = Vec::new();
    let mut status = Vec::new();
    for d in &cx.scan.datasets {
        let personal = of(cx, &d.name).count();
        let spec = super::super::spec_for(cx.rules, &d.name);
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

pub(super) fn quality_score(cx: &Context<'_>) -> Outcome {
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

pub(super) fn retention(cx: &Context<'_>) -> Outcome {
    let mut lines = Vec::new();
    let mut status = Vec::new();
    for d in &cx.scan.datasets {
        let Some(r) = super::super::spec_for(cx.rules, &d.name).and_then(|s| s.retention.as_ref())
        else {
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

pub(super) fn audit_history(cx: &Context<'_>) -> Outcome {
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

pub(super) fn impact_assessment(cx: &Context<'_>, regime: Regime) -> Outcome {
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
