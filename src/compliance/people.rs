//! Records -> people, and the regulation thresholds that count people.
//!
//! [`headcount`] counts individuals across every input: unified IDs when the rule files
//! link records (`duplicates.fuzzy`, `dedupe::link_all`), records minus exact duplicate
//! keys per dataset when they only have `duplicates.exact`, else rows. [`calculations`]
//! applies the thresholds of
//! - 促进和规范数据跨境流动规定 (CAC, 2024), Art. 5, 7, 8: cross-border transfer
//!   mechanism per destination;
//! - 个人信息保护合规审计管理办法 (CAC, effective 2025-05-01): audit frequency;
//! - 国家网络安全事件报告管理办法 (CAC, 2025) and its grading annex: the scale of an
//!   incident a leak of these extracts would be.
//!
//! "以上" in these texts includes the number itself (100万人以上 = 1,000,000 or more);
//! "超过" does not (超过1000万人 = more than 10,000,000). The tests check both sides of
//! every boundary.

use std::collections::BTreeMap;

use super::evidence::{
    CAC_ASSESSMENT_INDIVIDUALS, CAC_ASSESSMENT_SENSITIVE, CAC_CONTRACT_INDIVIDUALS, thousands,
};
use crate::dedupe::Linked;
use crate::report::Report;
use crate::report::compliance::{
    Calculation, Headcount, HeadcountDataset, InventoryItem, Lang, ObligationStatus,
};

/// 个人信息保护合规审计管理办法: more than this many people -> an audit at least every
/// two years.
pub const AUDIT_BIENNIAL_PEOPLE: u64 = 10_000_000;
/// Incident scale: a leak of this many people's personal information or more ...
pub const INCIDENT_PEOPLE: u64 = 1_000_000;
/// ... or of this many people's sensitive personal information or more.
pub const INCIDENT_SENSITIVE: u64 = 100_000;

/// The sensitive columns of each dataset whose values make a record "with sensitive
/// personal information": categories sensitive in themselves (not columns sensitive
/// only because some rows are children's, and not data found inside free text).
pub fn sensitive_columns(inventory: &[InventoryItem]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for i in inventory.iter().filter(|i| !i.embedded) {
        if crate::classify::pipl_sensitive(&i.category) || i.gdpr_special {
            out.entry(i.dataset.clone())
                .or_default()
                .push(i.column.clone());
        }
    }
    out
}

/// Count individuals. `linked` is every input linked by unified IDs, when the rule
/// files have a `duplicates.fuzzy` section.
pub fn headcount(
    scan: &Report,
    inventory: &[InventoryItem],
    linked: Option<&Linked>,
    lang: Lang,
) -> Headcount {
    let rows: u64 = scan.datasets.iter().map(|d| d.rows).sum();
    if let Some(l) = linked {
        let datasets: Vec<HeadcountDataset> = scan
            .datasets
            .iter()
            .map(|d| {
                let (people, sensitive_people) = l.count(&[d.name.as_str()]);
                HeadcountDataset {
                    dataset: d.name.clone(),
                    rows: d.rows,
                    people,
                    sensitive_people,
                }
            })
            .collect();
        let people = l.people(|_| true);
        let several = l.in_several_datasets();
        return Headcount {
            method: "unified_ids".into(),
            explanation: lang.pick(
                format!(
                    "{rows} records of {} dataset(s) linked into {people} unified customer IDs by the rule files' duplicates.fuzzy model (as steward dedupe with every input); {several} people appear in more than one dataset. People with sensitive personal information: unified IDs with a value in a sensitive column (children's records are counted separately).",
                    scan.datasets.len()
                ),
                format!(
                    "按规则文件 duplicates.fuzzy 的匹配模型（与对全部输入运行 steward dedupe 相同），将 {} 个数据集的 {rows} 条记录归并为 {people} 个统一客户编号；其中 {several} 人出现在多个数据集中。涉及敏感个人信息的人数：在敏感字段中有值的统一客户编号数（未成年人记录另行统计）。",
                    scan.datasets.len()
                ),
            ),
            rows,
            people,
            sensitive_people: l.people(|i| l.flagged[i]),
            in_several_datasets: Some(several),
            datasets,
        };
    }
    let mut exact = false;
    let datasets: Vec<HeadcountDataset> = scan
        .datasets
        .iter()
        .map(|d| {
            let excess = d
                .checks
                .iter()
                .filter(|c| c.kind != "fuzzy_duplicates" && c.id.contains(".duplicates."))
                .map(|c| c.failed)
                .max();
            exact |= excess.is_some();
            let people = d.rows.saturating_sub(excess.unwrap_or(0));
            HeadcountDataset {
                dataset: d.name.clone(),
                rows: d.rows,
                people,
                sensitive_people: super::evidence::sensitive_records(inventory, &d.name)
                    .min(people),
            }
        })
        .collect();
    let people = datasets.iter().map(|d| d.people).sum();
    let sensitive_people = datasets.iter().map(|d| d.sensitive_people).sum();
    let (method, explanation) = if exact {
        (
            "exact_keys",
            lang.pick(
                "Per dataset: records minus the excess rows of its exact duplicate keys (duplicates.exact, the key removing the most); datasets are not linked to each other, so a person in several datasets is counted in each (an upper bound).".to_string(),
                "按数据集统计：记录数减去精确重复键（duplicates.exact，取去重最多的键）的多余行数；数据集之间未做关联，同一人出现在多个数据集中会被重复计数（为上限值）。".to_string(),
            ),
        )
    } else {
        (
            "rows",
            lang.pick(
                "Rows, not deduplicated: the rule files have no duplicates section, so every record counts as one person (an upper bound).".to_string(),
                "按行数统计，未去重：规则文件中没有 duplicates 配置，每条记录计为一人（为上限值）。".to_string(),
            ),
        )
    };
    Headcount {
        method: method.into(),
        explanation,
        rows,
        people,
        sensitive_people,
        in_several_datasets: None,
        datasets,
    }
}

/// The cross-border mechanism for `people` individuals (non-sensitive) and `sensitive`
/// individuals' sensitive personal information sent to one destination.
pub fn cross_border_mechanism(people: u64, sensitive: u64) -> CrossBorder {
    if people >= CAC_ASSESSMENT_INDIVIDUALS || sensitive >= CAC_ASSESSMENT_SENSITIVE {
        CrossBorder::SecurityAssessment
    } else if people >= CAC_CONTRACT_INDIVIDUALS || sensitive > 0 {
        CrossBorder::ContractOrCertification
    } else {
        CrossBorder::Exempt
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrossBorder {
    SecurityAssessment,
    ContractOrCertification,
    Exempt,
}

/// Whether the audit measures require an audit at least every two years.
pub fn biennial_audit(people: u64) -> bool {
    people > AUDIT_BIENNIAL_PEOPLE
}

/// Whether a leak of all of it would reach the incident scale.
pub fn incident_scale(people: u64, sensitive: u64) -> bool {
    people >= INCIDENT_PEOPLE || sensitive >= INCIDENT_SENSITIVE
}

/// Apply every threshold. `destinations` maps each destination outside mainland China
/// to its datasets; `linked` counts people across them when present.
pub fn calculations(
    head: &Headcount,
    destinations: &BTreeMap<String, Vec<String>>,
    linked: Option<&Linked>,
    lang: Lang,
) -> Vec<Calculation> {
    let mut out = Vec::new();
    let counted = lang.pick(
        "counted for this run's extracts; the regulation counts cumulatively from 1 January of the year, so add the year's other transfers",
        "按本次检查的数据统计；规定按自当年1月1日起累计计算，须加上当年其他出境数量",
    );
    for (dest, datasets) in destinations {
        let (people, sensitive) = match linked {
            Some(l) => l.count(&datasets.iter().map(String::as_str).collect::<Vec<_>>()),
            None => head
                .datasets
                .iter()
                .filter(|d| datasets.contains(&d.dataset))
                .fold((0, 0), |(p, s), d| (p + d.people, s + d.sensitive_people)),
        };
        let (result, status) = match cross_border_mechanism(people, sensitive) {
            CrossBorder::SecurityAssessment => (
                lang.pick(
                    "security assessment by the CAC required (Art. 7)",
                    "须申报数据出境安全评估（第七条）",
                ),
                ObligationStatus::Fail,
            ),
            CrossBorder::ContractOrCertification => (
                lang.pick(
                    "standard contract (filed with the provincial CAC) or PI protection certification required (Art. 8)",
                    "须订立个人信息出境标准合同并向省级网信部门备案，或通过个人信息保护认证（第八条）",
                ),
                ObligationStatus::Fail,
            ),
            CrossBorder::Exempt => (
                lang.pick(
                    "exempt from the assessment, standard contract and certification (Art. 5(4)); notice and separate consent still apply",
                    "免于申报安全评估、订立标准合同和通过认证（第五条第（四）项）；仍须履行告知义务并取得单独同意",
                ),
                ObligationStatus::Pass,
            ),
        };
        out.push(Calculation {
            id: "cross_border".into(),
            subject: lang.pick(
                format!("transfer to {dest} ({})", datasets.join(", ")),
                format!("向 {dest} 提供（{}）", datasets.join("、")),
            ),
            rule: lang.pick(
                format!("security assessment from {} people's personal information (sensitive excluded) or {} people's sensitive personal information; standard contract or certification from {}, or any sensitive personal information below {}; exempt below {} and no sensitive personal information; {counted}",
                    thousands(CAC_ASSESSMENT_INDIVIDUALS), thousands(CAC_ASSESSMENT_SENSITIVE),
                    thousands(CAC_CONTRACT_INDIVIDUALS), thousands(CAC_ASSESSMENT_SENSITIVE),
                    thousands(CAC_CONTRACT_INDIVIDUALS)),
                format!("100万人以上个人信息（不含敏感个人信息）或1万人以上敏感个人信息：安全评估；10万人以上不满100万人个人信息，或不满1万人敏感个人信息：标准合同或认证；不满10万人个人信息且无敏感个人信息：豁免；{counted}"),
            ),
            source: lang.pick(
                "Provisions on Promoting and Regulating Cross-Border Data Flows (CAC, 2024), Art. 5, 7, 8".into(),
                "《促进和规范数据跨境流动规定》（国家互联网信息办公室，2024年）第五条、第七条、第八条".into(),
            ),
            people,
            sensitive_people: sensitive,
            result: result.to_string(),
            status,
            verified: true,
        });
    }
    let (people, sensitive) = (head.people, head.sensitive_people);
    let biennial = biennial_audit(people);
    out.push(Calculation {
        id: "audit_frequency".into(),
        subject: lang.pick("the processing as a whole", "整体处理活动").into(),
        rule: lang.pick(
            format!("a processor handling the personal information of more than {} people audits its compliance at least once every two years; counted over this run's extracts (add the processor's other systems)", thousands(AUDIT_BIENNIAL_PEOPLE)),
            "处理超过1000万人个人信息的个人信息处理者，应当每两年至少开展一次个人信息保护合规审计；按本次检查的数据统计（须加上处理者其他系统中的个人信息）".into(),
        ),
        source: lang.pick(
            "Measures for Personal Information Protection Compliance Audits (CAC, effective 2025-05-01)",
            "《个人信息保护合规审计管理办法》（国家互联网信息办公室，2025年5月1日起施行）",
        )
        .into(),
        people,
        sensitive_people: sensitive,
        result: if biennial {
            lang.pick(
                "more than 10,000,000 people: a compliance audit at least every two years",
                "超过1000万人：至少每两年开展一次合规审计",
            )
        } else {
            lang.pick(
                "not more than 10,000,000 people: no fixed minimum frequency; audit regularly (PIPL Art. 54) and when the CAC requires it",
                "未超过1000万人：无最低频次要求；应定期开展合规审计（《个人信息保护法》第五十四条），并在网信部门要求时开展",
            )
        }
        .into(),
        status: if biennial {
            ObligationStatus::NeedsReview
        } else {
            ObligationStatus::Pass
        },
        verified: true,
    });
    let major = incident_scale(people, sensitive);
    out.push(Calculation {
        id: "incident_scale".into(),
        subject: lang.pick("a leak of these extracts", "上述数据若发生泄露").into(),
        rule: lang.pick(
            format!("a leak of the personal information of {} people or more, or the sensitive personal information of {} people or more, is graded at least a relatively major incident and reported to the provincial CAC within 4 hours", thousands(INCIDENT_PEOPLE), thousands(INCIDENT_SENSITIVE)),
            "泄露100万人以上个人信息或10万人以上敏感个人信息的，按较大以上网络安全事件研判，须在4小时内向属地省级网信部门报告".into(),
        ),
        source: lang.pick(
            "Measures for the Reporting of National Cybersecurity Incidents (CAC, 2025), Art. 4 and annex: grading guide",
            "《国家网络安全事件报告管理办法》（国家互联网信息办公室，2025年）第四条及附件《网络安全事件分级指南》",
        )
        .into(),
        people,
        sensitive_people: sensitive,
        result: if major {
            lang.pick(
                "at or above the scale: prepare the incident response and 4-hour reporting path",
                "达到该规模：须准备事件应急处置和4小时报告流程",
            )
        } else {
            lang.pick("below the scale", "未达到该规模")
        }
        .into(),
        status: if major {
            ObligationStatus::NeedsReview
        } else {
            ObligationStatus::Pass
        },
        verified: false,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_border_boundaries() {
        use CrossBorder::*;
        // 不满10万人, no sensitive: exempt; 10万人以上 includes 100,000.
        assert_eq!(cross_border_mechanism(0, 0), Exempt);
        assert_eq!(cross_border_mechanism(99_999, 0), Exempt);
        assert_eq!(cross_border_mechanism(100_000, 0), ContractOrCertification);
        assert_eq!(cross_border_mechanism(100_001, 0), ContractOrCertification);
        assert_eq!(cross_border_mechanism(999_999, 0), ContractOrCertification);
        assert_eq!(cross_border_mechanism(1_000_000, 0), SecurityAssessment);
        // Any sensitive personal information below 1万人: contract; from 1万人: assessment.
        assert_eq!(cross_border_mechanism(10, 1), ContractOrCertification);
        assert_eq!(cross_border_mechanism(10, 9_999), ContractOrCertification);
        assert_eq!(cross_border_mechanism(10, 10_000), SecurityAssessment);
        assert_eq!(cross_border_mechanism(10, 10_001), SecurityAssessment);
    }

    #[test]
    fn audit_frequency_boundary() {
        // 超过1000万人: strictly more.
        assert!(!biennial_audit(9_999_999));
        assert!(!biennial_audit(10_000_000));
        assert!(biennial_audit(10_000_001));
    }

    #[test]
    fn incident_scale_boundaries() {
        assert!(!incident_scale(999_999, 99_999));
        assert!(incident_scale(1_000_000, 0));
        assert!(incident_scale(0, 100_000));
        assert!(!incident_scale(0, 99_999));
        assert!(incident_scale(1_000_001, 0));
    }
}
