//! Evidence about where the data goes: cross-border transfer declarations.

use super::*;

pub(super) fn destination(cx: &Context<'_>, dataset: &str) -> Option<String> {
    super::super::spec_for(cx.rules, dataset).and_then(|s| s.destination.clone())
}

pub(super) fn cross_border(cx: &Context<'_>, regime: Regime) -> Outcome {
    let mut lines = Vec::new();
    let mut status = Vec::new();
    for d in &cx.scan.datasets {
        let n = &d.name;
        let Some(dest) = destination(cx, n) else {
            status.push(NeedsReview);
            lines.push(cx.tr(
                format!("{n}: no destination declared (compliance.destination)"),
                format!("{n}：未声明数据接收地（compliance.destination）"),
            ));
            continue;
        };
        let (people, sensitive, deduplicated) = cx.people(d);
        match regime {
            Regime::Pipl if !country::outside_mainland_china(&dest) => {
                status.push(Pass);
                lines.push(cx.tr(
                    format!("{n}: destination {dest} (mainland China): no cross-border transfer"),
                    format!("{n}：接收地 {dest}（中国境内）：不涉及向境外提供"),
                ));
            }
            Regime::Pipl => {
                lines.push(cx.tr(
                    format!(
                        "{n}: destination {dest} is outside mainland China; {people} individual(s){}, {sensitive} with sensitive personal information",
                        if deduplicated {
                            format!(" (fuzzy-deduplicated from {} records)", d.rows)
                        } else {
                            " (records)".to_string()
                        }
                    ),
                    format!(
                        "{n}：接收地 {dest} 位于中国境外；涉及 {people} 人{}，其中 {sensitive} 人涉及敏感个人信息",
                        if deduplicated {
                            format!("（由 {} 条记录去重）", d.rows)
                        } else {
                            "（按记录数，未去重）".to_string()
                        }
                    ),
                ));
                let (s, line) = if people >= CAC_ASSESSMENT_INDIVIDUALS
                    || sensitive >= CAC_ASSESSMENT_SENSITIVE
                {
                    (
                        Fail,
                        cx.tr(
                            format!(
                                "at or above {} individuals or {} with sensitive data: CAC security assessment required",
                                thousands(CAC_ASSESSMENT_INDIVIDUALS),
                                thousands(CAC_ASSESSMENT_SENSITIVE)
                            ),
                            "达到 100 万人以上个人信息或 1 万人以上敏感个人信息：须申报数据出境安全评估".into(),
                        ),
                    )
                } else if people >= CAC_CONTRACT_INDIVIDUALS || sensitive > 0 {
                    (
                        Fail,
                        cx.tr(
                            format!(
                                "at or above {} individuals, or sensitive data of fewer than {}: standard contract (filed) or certification required",
                                thousands(CAC_CONTRACT_INDIVIDUALS),
                                thousands(CAC_ASSESSMENT_SENSITIVE)
                            ),
                            "达到 10 万人以上个人信息，或不满 1 万人的敏感个人信息：须订立个人信息出境标准合同并备案，或通过个人信息保护认证".into(),
                        ),
                    )
                } else {
                    (
                        NeedsReview,
                        cx.tr(
                            format!(
                                "under {} individuals and no sensitive data: exempt from the standard contract; notice and separate consent (Art. 39) still apply",
                                thousands(CAC_CONTRACT_INDIVIDUALS)
                            ),
                            "不满 10 万人个人信息且不含敏感个人信息：免于订立标准合同；仍须履行告知并取得单独同意（《个人信息保护法》第三十九条）".into(),
                        ),
                    )
                };
                status.push(s);
                lines.push(line);
            }
            Regime::Gdpr if country::in_eea(&dest) => {
                status.push(Pass);
                lines.push(cx.tr(
                    format!("{n}: destination {dest} is in the EEA: no Chapter V transfer"),
                    format!("{n}：接收地 {dest} 位于欧洲经济区内：不构成第五章所称的跨境传输"),
                ));
            }
            Regime::Gdpr if country::gdpr_adequate(&dest) => {
                status.push(NeedsReview);
                lines.push(cx.tr(
                    format!(
                        "{n}: destination {dest} is outside the EEA with an adequacy decision (Art. 45); confirm the recipient is covered; {} record(s)",
                        d.rows
                    ),
                    format!(
                        "{n}：接收地 {dest} 位于欧洲经济区外，已获充分性认定（第45条）；请确认接收方在认定范围内；{} 条记录",
                        d.rows
                    ),
                ));
            }
            Regime::Gdpr => {
                status.push(Fail);
                lines.push(cx.tr(
                    format!(
                        "{n}: destination {dest} is outside the EEA without an adequacy decision: Art. 46 safeguards (SCCs, BCRs) or an Art. 49 derogation required; {} record(s)",
                        d.rows
                    ),
                    format!(
                        "{n}：接收地 {dest} 位于欧洲经济区外且无充分性认定：须采取第46条规定的保障措施（标准合同条款、约束性公司规则）或适用第49条的例外；{} 条记录",
                        d.rows
                    ),
                ));
            }
        }
    }
    (worst(status), lines)
}
