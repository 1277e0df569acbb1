//! Evidence from the personal-data inventory: sensitive and special categories, minors,
//! and whether identifying columns are protected.

use super::*;

pub(super) fn sensitive_present(cx: &Context<'_>) -> Outcome {
    let sensitive: Vec<&InventoryItem> = cx.inventory.iter().filter(|i| i.pipl_sensitive).collect();
    if sensitive.is_empty() {
        return (
            Pass,
            vec![cx.tr(
                format!(
                    "no sensitive personal information detected in {} personal column(s)",
                    cx.inventory.len()
                ),
                format!(
                    "在 {} 个个人信息字段中未发现敏感个人信息",
                    cx.inventory.len()
                ),
            )],
        );
    }
    let mut lines: Vec<String> = sensitive
        .iter()
        .map(|i| {
            cx.tr(
                format!(
                    "{}.{}: {} ({}), {} value(s)",
                    i.dataset,
                    i.column,
                    i.category,
                    category_group(&i.category),
                    i.present
                ),
                format!(
                    "{}.{}：{}（{}），{} 个值",
                    i.dataset,
                    i.column,
                    i18n::category(cx.lang, &i.category),
                    i18n::group_zh(category_group(&i.category)),
                    i.present
                ),
            )
        })
        .collect();
    for d in &cx.scan.datasets {
        let basis =
            super::super::spec_for(cx.rules, &d.name).and_then(|s| s.lawful_basis.as_deref());
        if of(cx, &d.name).any(|i| i.pipl_sensitive) {
            lines.push(match basis {
                Some(b) => cx.tr(
                    format!(
                        "{}: lawful basis '{b}'; separate consent (Art. 29) must be on record where consent is relied on",
                        d.name
                    ),
                    format!(
                        "{}：处理依据为“{}”；以同意为依据的，须留存单独同意的记录（《个人信息保护法》第二十九条）",
                        d.name,
                        i18n::lawful_basis(cx.lang, b)
                    ),
                ),
                None => cx.tr(
                    format!("{}: no lawful basis declared (compliance.lawful_basis)", d.name),
                    format!("{}：未声明处理依据（compliance.lawful_basis）", d.name),
                ),
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
            vec![cx.tr(
                "no ID number or birth-date column to count children under 14".into(),
                "没有可用于统计不满十四周岁未成年人的身份证号码或出生日期字段".into(),
            )],
        );
    }
    let lines = checked
        .iter()
        .map(|i| {
            cx.tr(
                format!(
                    "{}.{}: {} record(s) of children under 14 at {}",
                    i.dataset,
                    i.column,
                    i.minors.unwrap_or(0),
                    cx.scan.run.as_of
                ),
                format!(
                    "{}.{}：截至 {}，有 {} 条不满十四周岁未成年人的记录",
                    i.dataset,
                    i.column,
                    cx.scan.run.as_of,
                    i.minors.unwrap_or(0)
                ),
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
        return (
            Pass,
            vec![cx.tr(
                "no sensitive column to protect".into(),
                "没有需要保护的敏感字段".into(),
            )],
        );
    }
    let lines = sensitive
        .iter()
        .map(|i| {
            cx.tr(
                format!(
                    "{}.{} ({}): {}; {}",
                    i.dataset,
                    i.column,
                    i.category,
                    i.protection.as_str(),
                    i.protection_evidence
                ),
                format!(
                    "{}.{}（{}）：{}；{}",
                    i.dataset,
                    i.column,
                    i18n::category(cx.lang, &i.category),
                    i18n::protection(cx.lang, i.protection),
                    i.protection_evidence
                ),
            )
        })
        .collect();
    let clear = sensitive.iter().any(|i| !i.protection.protected());
    (if clear { Fail } else { Pass }, lines)
}

pub(super) fn identifiers_unprotected(cx: &Context<'_>) -> Outcome {
    if cx.inventory.is_empty() {
        return (
            Pass,
            vec![cx.tr("no personal-data column".into(), "没有个人信息字段".into())],
        );
    }
    let clear: Vec<&InventoryItem> = cx
        .inventory
        .iter()
        .filter(|i| !i.protection.protected())
        .collect();
    let protected = cx.inventory.len() - clear.len();
    let mut lines = vec![cx.tr(
        format!(
            "{protected} of {} personal column(s) pseudonymised, encrypted or masked",
            cx.inventory.len()
        ),
        format!(
            "{} 个个人信息字段中有 {protected} 个已假名化、加密或屏蔽",
            cx.inventory.len()
        ),
    )];
    if !clear.is_empty() {
        let list = names(cx.lang, clear.iter().copied());
        lines.push(cx.tr(format!("in clear: {list}"), format!("明文：{list}")));
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
        let sensitive = items.iter().filter(|i| i.pipl_sensitive).count();
        let special = items.iter().filter(|i| i.gdpr_special).count();
        lines.push(cx.tr(
            format!(
                "{}: {} personal-data column(s) ({sensitive} sensitive, {special} special) in {} record(s)",
                d.name,
                items.len(),
                d.rows
            ),
            format!(
                "{}：{} 条记录，{} 个个人信息字段（敏感 {sensitive} 个，特殊类别 {special} 个）",
                d.name,
                d.rows,
                items.len()
            ),
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
            lines.push(cx.tr(
                format!(
                    "{}: not declared: compliance.{}",
                    d.name,
                    missing.join(", compliance.")
                ),
                format!(
                    "{}：未声明 compliance.{}",
                    d.name,
                    missing.join("、compliance.")
                ),
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
            vec![cx.tr(
                format!(
                    "no special category detected in {} personal column(s)",
                    cx.inventory.len()
                ),
                format!(
                    "在 {} 个个人信息字段中未发现特殊类别个人数据",
                    cx.inventory.len()
                ),
            )],
        );
    }
    let lines = special
        .iter()
        .map(|i| {
            cx.tr(
                format!(
                    "{}.{}: {}, {} value(s); an Art. 9(2) condition must be on record",
                    i.dataset, i.column, i.category, i.present
                ),
                format!(
                    "{}.{}：{}，{} 个值；须记录所依据的《通用数据保护条例》第9条第2款情形",
                    i.dataset,
                    i.column,
                    i18n::category(cx.lang, &i.category),
                    i.present
                ),
            )
        })
        .collect();
    (NeedsReview, lines)
}
