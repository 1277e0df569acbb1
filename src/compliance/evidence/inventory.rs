//! Evidence from the personal-data inventory: sensitive and special categories, minors,
//! and whether identifying columns are protected.

use super::*;

pub(super) fn sensitive_present(cx: &Context<'_>) -> Outcome {
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
        let basis =
            super::super::spec_for(cx.rules, &d.name).and_then(|s| s.lawful_basis.as_deref());
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

pub(super) fn minors_present(cx: &Context<'_>) -> Outcome {
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

pub(super) fn sensitive_unprotected(cx: &Context<'_>) -> Outcome {
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

pub(super) fn identifiers_unprotected(cx: &Context<'_>) -> Outcome {
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

pub(super) fn inventory(cx: &Context<'_>) -> Outcome {
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
        let spec = super::super::spec_for(cx.rules, &d.name);
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

pub(super) fn special_categories(cx: &Context<'_>) -> Outcome {
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
