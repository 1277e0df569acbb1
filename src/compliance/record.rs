//! A draft record of processing activities per dataset (GDPR Art. 30(1);
//! 个人信息处理活动记录, PIPL Art. 55 and GB/T 35273-2020 §11.3) from what was scanned
//! and declared, and a PIA / DPIA pre-screen that ticks the criteria the data shows
//! (PIPL Art. 55; GDPR Art. 35(3) and the EDPB's criteria in WP248 rev.01).
//!
//! Both are drafts for the officer: anything steward cannot see in the data is written
//! as "not declared" or `unknown`, never guessed.

use super::spec_for;
use crate::report::Report;
use crate::report::compliance::{
    Criterion, Headcount, InventoryItem, Lang, ProcessingRecord, i18n,
};
use crate::rules::RuleSet;

fn or_missing(lang: Lang, v: Option<String>) -> String {
    v.unwrap_or_else(|| lang.pick("not declared", "未声明").to_string())
}

pub fn processing_records(
    scan: &Report,
    rules: &RuleSet,
    inventory: &[InventoryItem],
    head: &Headcount,
    lang: Lang,
) -> Vec<ProcessingRecord> {
    scan.datasets
        .iter()
        .map(|d| {
            let spec = spec_for(rules, &d.name);
            let items: Vec<&InventoryItem> =
                inventory.iter().filter(|i| i.dataset == d.name).collect();
            let mut categories: Vec<String> = items
                .iter()
                .map(|i| i18n::category(lang, &i.category))
                .collect();
            categories.sort();
            categories.dedup();
            let sensitive: Vec<String> = {
                let mut v: Vec<String> = items
                    .iter()
                    .filter(|i| i.pipl_sensitive || i.gdpr_special)
                    .map(|i| i18n::category(lang, &i.category))
                    .collect();
                v.sort();
                v.dedup();
                v
            };
            let people = head.dataset(&d.name).map_or(d.rows, |x| x.people);
            let mut measures: Vec<String> = items
                .iter()
                .filter(|i| i.protection.protected())
                .map(|i| format!("{}: {}", i.column, i18n::protection(lang, i.protection)))
                .collect();
            measures.sort();
            let list = |v: Vec<String>| {
                if v.is_empty() {
                    lang.pick("none found", "未发现").to_string()
                } else {
                    v.join(lang.pick(", ", "、"))
                }
            };
            let destination = spec.and_then(|s| s.destination.clone());
            let transfer = match &destination {
                Some(c) if crate::rules::country::outside_mainland_china(c) => lang.pick(
                    format!("to {c} (outside mainland China)"),
                    format!("向 {c} 提供（中国境外）"),
                ),
                Some(c) => lang.pick(
                    format!("{c}: none abroad"),
                    format!("{c}：不涉及向境外提供"),
                ),
                None => or_missing(lang, None),
            };
            let f = |en: &str, zh: &str, v: String| (lang.pick(en, zh).to_string(), v);
            ProcessingRecord {
                dataset: d.name.clone(),
                fields: vec![
                    f(
                        "controller",
                        "个人信息处理者",
                        or_missing(lang, spec.and_then(|s| s.data_controller.clone())),
                    ),
                    f(
                        "purpose",
                        "处理目的",
                        or_missing(lang, spec.and_then(|s| s.purpose.clone())),
                    ),
                    f(
                        "lawful basis",
                        "处理依据",
                        or_missing(
                            lang,
                            spec.and_then(|s| s.lawful_basis.as_deref())
                                .map(|b| i18n::lawful_basis(lang, b)),
                        ),
                    ),
                    f(
                        "data subjects",
                        "个人信息主体数量",
                        lang.pick(
                            format!("{people} people in {} records", d.rows),
                            format!("{people} 人（{} 条记录）", d.rows),
                        ),
                    ),
                    f(
                        "categories of personal data",
                        "个人信息种类",
                        list(categories),
                    ),
                    f(
                        "sensitive personal information",
                        "敏感个人信息种类",
                        list(sensitive),
                    ),
                    f(
                        "retention",
                        "保存期限",
                        or_missing(
                            lang,
                            spec.and_then(|s| s.retention.as_ref())
                                .map(|r| format!("{} ({})", r.period, r.column)),
                        ),
                    ),
                    f("recipients and transfers", "接收方及向境外提供", transfer),
                    f(
                        "technical measures seen",
                        "已发现的技术措施",
                        list(measures),
                    ),
                ],
            }
        })
        .collect()
}

/// The pre-screen: which criteria of an impact assessment the data shows.
pub fn impact_prescreen(
    scan: &Report,
    rules: &RuleSet,
    inventory: &[InventoryItem],
    head: &Headcount,
    lang: Lang,
) -> Vec<Criterion> {
    let sensitive: Vec<String> = inventory
        .iter()
        .filter(|i| i.pipl_sensitive || i.gdpr_special)
        .map(|i| format!("{}.{}", i.dataset, i.column))
        .collect();
    let minors: u64 = scan
        .datasets
        .iter()
        .map(|d| super::evidence::minors(inventory, &d.name))
        .sum();
    let abroad: Vec<String> = scan
        .datasets
        .iter()
        .filter_map(|d| {
            let dest = spec_for(rules, &d.name)?.destination.clone()?;
            crate::rules::country::outside_mainland_china(&dest)
                .then(|| format!("{} → {dest}", d.name))
        })
        .collect();
    let linked = head.in_several_datasets.unwrap_or(0);
    let state = |met: bool| if met { "met" } else { "not_met" }.to_string();
    let large = super::evidence::GDPR_LARGE_SCALE;
    vec![
        Criterion {
            id: "sensitive".into(),
            label: lang
                .pick(
                    "sensitive personal information / special categories",
                    "处理敏感个人信息（含特殊类别个人数据）",
                )
                .into(),
            state: state(!sensitive.is_empty()),
            evidence: if sensitive.is_empty() {
                lang.pick("none found", "未发现").into()
            } else {
                sensitive.join(lang.pick(", ", "、"))
            },
            source: lang
                .pick(
                    "PIPL Art. 55(1); GDPR Art. 35(3)(b)",
                    "《个人信息保护法》第五十五条第（一）项；《通用数据保护条例》第35条第3款第(b)项",
                )
                .into(),
        },
        Criterion {
            id: "minors".into(),
            label: lang
                .pick(
                    "children's data (under 14)",
                    "处理不满十四周岁未成年人的个人信息",
                )
                .into(),
            state: state(minors > 0),
            evidence: lang.pick(
                format!("{minors} record(s) of children under 14"),
                format!("{minors} 条不满十四周岁未成年人的记录"),
            ),
            source: lang
                .pick(
                    "PIPL Art. 28, 31, 55(1); EDPB WP248 (vulnerable data subjects)",
                    "《个人信息保护法》第二十八条、第三十一条、第五十五条第（一）项；欧洲数据保护委员会 WP248 指南（弱势数据主体）",
                )
                .into(),
        },
        Criterion {
            id: "scale".into(),
            label: lang.pick("large scale", "大规模处理").into(),
            state: state(head.people >= large),
            evidence: lang.pick(
                format!("{} people (large scale from {})", head.people, super::evidence::thousands(large)),
                format!("{} 人（大规模阈值 {}）", head.people, super::evidence::thousands(large)),
            ),
            source: lang
                .pick(
                    "GDPR Art. 35(3)(b); EDPB WP248 (large scale; threshold steward's)",
                    "《通用数据保护条例》第35条第3款第(b)项；欧洲数据保护委员会 WP248 指南（大规模；阈值为本工具设定）",
                )
                .into(),
        },
        Criterion {
            id: "matching".into(),
            label: lang
                .pick("matching or combining datasets", "对多个数据集进行匹配或合并")
                .into(),
            state: match head.in_several_datasets {
                Some(_) => state(linked > 0),
                None => "unknown".into(),
            },
            evidence: match head.in_several_datasets {
                Some(_) => lang.pick(
                    format!("{linked} people linked across datasets"),
                    format!("{linked} 人在多个数据集之间被关联"),
                ),
                None => lang
                    .pick(
                        "no linkage configured (duplicates.fuzzy)",
                        "未配置关联（duplicates.fuzzy）",
                    )
                    .into(),
            },
            source: lang
                .pick("EDPB WP248 (matching or combining datasets)", "欧洲数据保护委员会 WP248 指南（数据集匹配或合并）")
                .into(),
        },
        Criterion {
            id: "cross_border".into(),
            label: lang.pick("provided abroad", "向境外提供个人信息").into(),
            state: state(!abroad.is_empty()),
            evidence: if abroad.is_empty() {
                lang.pick("no destination outside mainland China declared", "未声明中国境外的接收地").into()
            } else {
                abroad.join(lang.pick(", ", "、"))
            },
            source: lang
                .pick("PIPL Art. 55(4)", "《个人信息保护法》第五十五条第（四）项")
                .into(),
        },
        Criterion {
            id: "automated_decisions".into(),
            label: lang
                .pick(
                    "automated decision-making",
                    "利用个人信息进行自动化决策",
                )
                .into(),
            state: "unknown".into(),
            evidence: lang
                .pick("not visible in the data: the officer decides", "无法从数据中判断，须由负责人确认")
                .into(),
            source: lang
                .pick(
                    "PIPL Art. 55(2); GDPR Art. 35(3)(a)",
                    "《个人信息保护法》第五十五条第（二）项；《通用数据保护条例》第35条第3款第(a)项",
                )
                .into(),
        },
        Criterion {
            id: "entrusting_providing".into(),
            label: lang
                .pick(
                    "entrusting processing, providing to others or making public",
                    "委托处理、向其他个人信息处理者提供或公开个人信息",
                )
                .into(),
            state: "unknown".into(),
            evidence: lang
                .pick("not visible in the data: the officer decides", "无法从数据中判断，须由负责人确认")
                .into(),
            source: lang
                .pick("PIPL Art. 55(3)", "《个人信息保护法》第五十五条第（三）项")
                .into(),
        },
    ]
}
