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
        let purpose_text = spec.and_then(|s| s.purpose.as_deref());
        let purpose = purpose_text
            .map(|p| format!(" for the purpose '{p}'"))
            .unwrap_or_default();
        let purpose_zh = purpose_text
            .map(|p| format!("（处理目的：{p}）"))
            .unwrap_or_default();
        match spec.and_then(|s| s.declared()) {
            None => {
                status.push(NeedsReview);
                lines.push(cx.tr(
                    format!(
                        "{}: no compliance.declared_columns; {personal} personal column(s) cannot be checked against the purpose",
                        d.name
                    ),
                    format!(
                        "{}：未声明 compliance.declared_columns，{personal} 个个人信息字段无法与处理目的比对",
                        d.name
                    ),
                ));
            }
            Some(_) => {
                let undeclared: Vec<&InventoryItem> = of(cx, &d.name)
                    .filter(|i| i.declared == Some(false))
                    .collect();
                if undeclared.is_empty() {
                    status.push(Pass);
                    lines.push(cx.tr(
                        format!(
                            "{}: all {personal} personal column(s) are declared{purpose}",
                            d.name
                        ),
                        format!(
                            "{}：全部 {personal} 个个人信息字段均已声明{purpose_zh}",
                            d.name
                        ),
                    ));
                } else {
                    status.push(Fail);
                    lines.push(cx.tr(
                        format!(
                            "{}: {} of {personal} personal column(s) not declared{purpose}: {}",
                            d.name,
                            undeclared.len(),
                            names(cx.lang, undeclared.iter().copied())
                        ),
                        format!(
                            "{}：{personal} 个个人信息字段中有 {} 个未声明{purpose_zh}：{}",
                            d.name,
                            undeclared.len(),
                            names(cx.lang, undeclared.iter().copied())
                        ),
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
            .filter_map(|dim| {
                d.scores
                    .get(*dim)
                    .map(|s| format!("{} {s:.2}", i18n::dimension(cx.lang, *dim)))
            })
            .collect();
        let min_value = gate.and_then(|g| g.min_overall);
        lines.push(cx.tr(
            format!(
                "{}: overall {}{}; {}",
                d.name,
                crate::report::fmt_score(d.scores.overall),
                min_value
                    .map(|m| format!(" (gate min {m})"))
                    .unwrap_or_default(),
                dims.join(", ")
            ),
            format!(
                "{}：总分 {}{}；{}",
                d.name,
                crate::report::fmt_score(d.scores.overall),
                min_value
                    .map(|m| format!("（门限 {m}）"))
                    .unwrap_or_default(),
                dims.join("，")
            ),
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
                lines.push(cx.tr(
                    format!("gate: {r}"),
                    format!("质量门禁：{}", i18n::gate_reason(cx.lang, r)),
                ));
            }
        } else if gate.is_none_or(|g| g.min_overall.is_none() && g.min.is_empty()) {
            status.push(NeedsReview);
            lines.push(cx.tr(
                format!(
                    "{}: no quality gate declared (gate.min_overall, gate.min)",
                    d.name
                ),
                format!("{}：未设置质量门禁（gate.min_overall、gate.min）", d.name),
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
            lines.push(cx.tr(
                format!(
                    "{}: no retention period declared (compliance.retention)",
                    d.name
                ),
                format!("{}：未声明保存期限（compliance.retention）", d.name),
            ));
            continue;
        };
        let id = format!("{}.{}.retention", d.name, r.column);
        let cutoff = crate::rules::parse_date(&cx.scan.run.as_of)
            .and_then(|a| a.and_hms_opt(0, 0, 0))
            .map(|a| (a - r.duration).format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let as_of = &cx.scan.run.as_of;
        match d.checks.iter().find(|c| c.id == id) {
            Some(c) if c.failed > 0 => {
                status.push(Fail);
                lines.push(cx.tr(
                    format!(
                        "{}: {} of {} records have {} before {cutoff} or unreadable (retention {} as of {as_of})",
                        d.name, c.failed, c.evaluated, r.column, r.period
                    ),
                    format!(
                        "{}：{} 条记录中有 {} 条的 {} 早于 {cutoff} 或无法识别（保存期限 {}，基准日 {as_of}）",
                        d.name, c.evaluated, c.failed, r.column, r.period
                    ),
                ));
            }
            Some(c) => {
                status.push(Pass);
                lines.push(cx.tr(
                    format!(
                        "{}: all {} records have {} on or after {cutoff} (retention {} as of {as_of})",
                        d.name, c.evaluated, r.column, r.period
                    ),
                    format!(
                        "{}：全部 {} 条记录的 {} 均不早于 {cutoff}（保存期限 {}，基准日 {as_of}）",
                        d.name, c.evaluated, r.column, r.period
                    ),
                ));
            }
            None => {
                status.push(NeedsReview);
                lines.push(cx.tr(
                    format!("{}: retention check {id} did not run", d.name),
                    format!("{}：保存期限检查 {id} 未运行", d.name),
                ));
            }
        }
    }
    (worst(status), lines)
}

pub(super) fn audit_history(cx: &Context<'_>) -> Outcome {
    let sha = cx.scan.run.rules_sha256.get(..12).unwrap_or("");
    let mut lines = vec![cx.tr(
        format!(
            "this report: run at {}, rules sha256 {sha}",
            cx.scan.run.started_at
        ),
        format!(
            "本报告：运行于 {}，规则文件 sha256 {sha}",
            cx.scan.run.started_at
        ),
    )];
    let mut status = match cx.history {
        Some(h) if h.previous_runs > 0 => {
            lines.push(cx.tr(
                format!("{} earlier run(s) in the history", h.previous_runs),
                format!("历史记录中有 {} 次此前的运行", h.previous_runs),
            ));
            Pass
        }
        Some(_) => {
            lines.push(cx.tr(
                "no earlier run in the history yet".into(),
                "历史记录中尚无此前的运行".into(),
            ));
            NeedsReview
        }
        None => {
            lines.push(cx.tr(
                "no history kept (pass --history DIR to record each run)".into(),
                "未保留历史记录（使用 --history DIR 记录每次运行）".into(),
            ));
            NeedsReview
        }
    };
    match cx.audit_log {
        Some(a) if a.intact => lines.push(cx.tr(
            format!(
                "audit log: {} earlier entries, chain intact; this run is appended to it",
                a.entries
            ),
            format!(
                "审计日志：此前 {} 条记录，哈希链完整；本次运行将追加其后",
                a.entries
            ),
        )),
        Some(a) => {
            status = Fail;
            let line = a.first_bad_line.unwrap_or(0);
            lines.push(cx.tr(
                format!("audit log: chain broken at line {line}"),
                format!("审计日志：哈希链在第 {line} 行断裂"),
            ));
        }
        None => lines.push(cx.tr(
            "no audit log kept (--no-audit)".into(),
            "未保留审计日志（--no-audit）".into(),
        )),
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
        let n = &d.name;
        match regime {
            Regime::Pipl => {
                if sensitive > 0 {
                    triggers.push(cx.tr(
                        format!("{n}: {sensitive} sensitive column(s) (Art. 55(1))"),
                        format!(
                            "{n}：{sensitive} 个敏感个人信息字段（《个人信息保护法》第五十五条第（一）项）"
                        ),
                    ));
                }
                if let Some(dest) = dest.filter(|c| country::outside_mainland_china(c)) {
                    triggers.push(cx.tr(
                        format!("{n}: provided abroad to {dest} (Art. 55(4))"),
                        format!(
                            "{n}：向境外（{dest}）提供（《个人信息保护法》第五十五条第（四）项）"
                        ),
                    ));
                }
            }
            Regime::Gdpr => {
                if special > 0 {
                    triggers.push(cx.tr(
                        format!("{n}: {special} special-category column(s)"),
                        format!("{n}：{special} 个特殊类别个人数据字段"),
                    ));
                }
                if minors > 0 {
                    triggers.push(cx.tr(
                        format!("{n}: {minors} children's record(s)"),
                        format!("{n}：{minors} 条儿童记录"),
                    ));
                }
                if d.rows >= GDPR_LARGE_SCALE {
                    triggers.push(cx.tr(
                        format!(
                            "{n}: large scale ({} records, from {})",
                            thousands(d.rows),
                            thousands(GDPR_LARGE_SCALE)
                        ),
                        format!(
                            "{n}：大规模处理（{} 条记录，阈值 {}）",
                            thousands(d.rows),
                            thousands(GDPR_LARGE_SCALE)
                        ),
                    ));
                }
                if let Some(dest) = dest.filter(|c| !country::in_eea(c)) {
                    triggers.push(cx.tr(
                        format!("{n}: transfer outside the EEA to {dest}"),
                        format!("{n}：向欧洲经济区以外（{dest}）传输"),
                    ));
                }
            }
        }
    }
    if triggers.is_empty() {
        (
            Pass,
            vec![cx.tr(
                "no trigger found (sensitive or special data, transfer, scale)".into(),
                "未发现触发情形（敏感或特殊类别数据、向境外提供、规模）".into(),
            )],
        )
    } else {
        triggers.push(cx.tr(
            "an assessment is required before processing; attach it to this report".into(),
            "处理前须开展影响评估，并将评估报告附于本报告".into(),
        ));
        (NeedsReview, triggers)
    }
}
