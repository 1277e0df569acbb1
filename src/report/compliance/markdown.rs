//! The compliance report as Markdown, for a pull request or a ticket. Every value from
//! data, rule files or paths is escaped. Reads only the model; labels are in the
//! report's language (`i18n`).

use super::i18n::{self, Lang};
use super::{ComplianceReport, Counted, ObligationStatus};
use crate::report::markdown::escape;
use crate::report::{Dimension, fmt_score};

fn opt(s: &Option<String>) -> String {
    s.as_deref().map(escape).unwrap_or_else(|| "—".into())
}

fn status(l: Lang, s: ObligationStatus) -> String {
    format!("**{}**", i18n::status(l, s))
}

pub(super) fn render(r: &ComplianceReport) -> String {
    let l = r.lang;
    let s = &r.summary;
    let regimes: Vec<String> = r.regimes.iter().map(|x| x.to_uppercase()).collect();
    let mut out = l.pick(
        format!("# steward compliance report: {}\n\n", r.verdict.label()),
        format!("# 个人信息保护合规报告：{}\n\n", i18n::status(l, r.verdict)),
    );
    let (individuals, counted) = r.individuals_shown();
    out.push_str(&l.pick(
        format!(
            "{} · as of {} · {} dataset(s) · {} individual(s) ({}) · {} personal column(s), {} sensitive, {} special · {} sensitive record(s) · {} child record(s) under 14\n\n",
            regimes.join(" + "),
            escape(&r.run.as_of),
            s.datasets,
            individuals,
            match counted {
                Counted::UnifiedIds => "unified IDs",
                Counted::FuzzyPerDataset => "fuzzy-deduplicated",
                Counted::Rows => "rows",
            },
            s.personal_columns,
            s.sensitive_columns,
            s.special_columns,
            s.sensitive_records,
            s.minors
        ),
        format!(
            "{} · 基准日 {} · {} 个数据集 · {} 人（{}） · {} 个个人信息字段，其中敏感 {} 个、特殊类别 {} 个 · {} 条含敏感个人信息的记录 · {} 条不满十四周岁未成年人的记录\n\n",
            regimes.join(" + "),
            escape(&r.run.as_of),
            s.datasets,
            individuals,
            match counted {
                Counted::UnifiedIds => "按统一客户编号去重",
                Counted::FuzzyPerDataset => "模糊去重",
                Counted::Rows => "按行数，未去重",
            },
            s.personal_columns,
            s.sensitive_columns,
            s.special_columns,
            s.sensitive_records,
            s.minors
        ),
    ));
    let c = &s.obligations;
    out.push_str(&format!(
        "{}\n|---:|---:|---:|---:|---|\n| {} | {} | {} | {} | {} |\n",
        l.pick(
            "| obligations | fail | needs review | pass | quality gate |",
            "| 义务 | 不符合 | 待复核 | 符合 | 质量门禁 |"
        ),
        c.pass + c.fail + c.needs_review,
        c.fail,
        c.needs_review,
        c.pass,
        match (l, r.gate.passed) {
            (Lang::En, true) => "passed",
            (Lang::En, false) => "failed",
            (Lang::ZhCn, true) => "通过",
            (Lang::ZhCn, false) => "未通过",
        }
    ));
    for reason in &r.gate.reasons {
        out.push_str(&format!(
            "\n- {}{}",
            l.pick("gate: ", "质量门禁："),
            escape(&i18n::gate_reason(l, reason))
        ));
    }
    if !r.gate.reasons.is_empty() {
        out.push('\n');
    }

    out.push_str(l.pick(
        "\n## Obligations\n\n| status | id | obligation | articles |\n|---|---|---|---|\n",
        "\n## 合规义务\n\n| 结论 | 编号 | 义务 | 法律依据 |\n|---|---|---|---|\n",
    ));
    for f in &r.findings {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            status(l, f.status),
            escape(&f.id),
            escape(&f.title),
            escape(&i18n::articles(l, &f.articles))
        ));
    }

    if let Some(h) = &r.headcount {
        out.push_str(l.pick("\n## Individuals\n\n", "\n## 个人信息主体人数\n\n"));
        out.push_str(&format!("{}\n\n", escape(&h.explanation)));
        out.push_str(l.pick(
            "| dataset | rows | people | with sensitive personal information |\n|---|---:|---:|---:|\n",
            "| 数据集 | 记录数 | 人数 | 涉及敏感个人信息的人数 |\n|---|---:|---:|---:|\n",
        ));
        for d in &h.datasets {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                escape(&d.dataset),
                d.rows,
                d.people,
                d.sensitive_people
            ));
        }
        out.push_str(&format!(
            "| **{}** | **{}** | **{}** | **{}** |\n",
            l.pick("all inputs", "全部输入"),
            h.rows,
            h.people,
            h.sensitive_people
        ));
    }
    if !r.calculations.is_empty() {
        out.push_str(l.pick(
            "\n## Regulation thresholds\n\n| result | calculation | subject | people | sensitive | rule | source |\n|---|---|---|---:|---:|---|---|\n",
            "\n## 法定阈值测算\n\n| 结论 | 测算项 | 对象 | 人数 | 敏感个人信息人数 | 适用规则 | 依据 |\n|---|---|---|---:|---:|---|---|\n",
        ));
        for c in &r.calculations {
            out.push_str(&format!(
                "| {} {} | {} | {} | {} | {} | {} | {}{} |\n",
                status(l, c.status),
                escape(&c.result),
                i18n::calculation_name(l, &c.id),
                escape(&c.subject),
                c.people,
                c.sensitive_people,
                escape(&c.rule),
                escape(&c.source),
                if c.verified {
                    ""
                } else {
                    l.pick(" (not verified)", "（未核实）")
                }
            ));
        }
    }

    out.push_str(l.pick("\n## Declarations\n\n", "\n## 处理者声明\n\n"));
    if r.declarations.is_empty() {
        out.push_str(l.pick(
            "No `compliance:` section in the rule files.\n",
            "规则文件中没有 `compliance:` 配置。\n",
        ));
    } else {
        out.push_str(l.pick(
            "| dataset | purpose | lawful basis | retention | destination | data controller | declared columns |\n|---|---|---|---|---|---|---|\n",
            "| 数据集 | 处理目的 | 处理依据 | 保存期限 | 接收地 | 个人信息处理者 | 声明的字段 |\n|---|---|---|---|---|---|---|\n",
        ));
        for d in &r.declarations {
            let retention = match (&d.retention, &d.retention_column) {
                (Some(p), Some(c)) => l.pick(
                    format!("{} by {}", escape(p), escape(c)),
                    format!("{}（按 {}）", escape(p), escape(c)),
                ),
                _ => "—".into(),
            };
            out.push_str(&format!(
                "| {} | {} | {} | {retention} | {} | {} | {} |\n",
                escape(&d.dataset),
                opt(&d.purpose),
                d.lawful_basis
                    .as_deref()
                    .map(|b| escape(&i18n::lawful_basis(l, b)))
                    .unwrap_or_else(|| "—".into()),
                opt(&d.destination),
                opt(&d.data_controller),
                d.declared_columns
                    .as_ref()
                    .map(|c| escape(&c.join(", ")))
                    .unwrap_or_else(|| "—".into())
            ));
        }
    }

    out.push_str(l.pick("\n## Personal-data inventory\n\n", "\n## 个人信息清单\n\n"));
    if r.inventory.is_empty() {
        out.push_str(l.pick("No personal-data column found.\n", "未发现个人信息字段。\n"));
    } else {
        out.push_str(l.pick(
            "| dataset | column | category | sensitivity | values | children < 14 | protection | declared |\n|---|---|---|---|---:|---:|---|---|\n",
            "| 数据集 | 字段 | 类别 | 敏感程度 | 值的数量 | 不满十四周岁 | 保护状态 | 已声明 |\n|---|---|---|---|---:|---:|---|---|\n",
        ));
        for i in &r.inventory {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
                escape(&i.dataset),
                escape(&i.column),
                escape(&i18n::category_shown(l, i)),
                i18n::sensitivity(l, &i.sensitivity),
                i.present,
                i.minors
                    .map(|m| m.to_string())
                    .unwrap_or_else(|| "—".into()),
                i18n::protection(l, i.protection),
                match (l, i.declared) {
                    (Lang::En, Some(true)) => "yes",
                    (Lang::En, Some(false)) => "**no**",
                    (Lang::ZhCn, Some(true)) => "是",
                    (Lang::ZhCn, Some(false)) => "**否**",
                    (_, None) => "—",
                }
            ));
        }
    }

    if !r.grading.is_empty() {
        out.push_str(l.pick(
            "\n## Classification and grading (GB/T 43697-2024, suggestion)\n\nA suggestion for the officer to confirm, not a determination.\n\n| dataset | suggested level | sensitive personal information | personal information | why |\n|---|---|---|---|---|\n",
            "\n## 数据分类分级建议（GB/T 43697-2024）\n\n以下为供负责人确认的建议，并非最终认定。\n\n| 数据集 | 建议级别 | 敏感个人信息字段 | 一般个人信息字段 | 理由 |\n|---|---|---|---|---|\n",
        ));
        for g in &r.grading {
            let cols = |class: &str| {
                let v: Vec<String> = g
                    .columns
                    .iter()
                    .filter(|c| c.class == class)
                    .map(|c| escape(&c.column))
                    .collect();
                if v.is_empty() {
                    "—".to_string()
                } else {
                    v.join(", ")
                }
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                escape(&g.dataset),
                escape(&g.level_shown),
                cols("sensitive_personal"),
                cols("personal"),
                escape(&g.why)
            ));
        }
    }

    out.push_str(l.pick(
        "\n## Quality scorecard\n\n| dataset | rows | overall | gate min |",
        "\n## 数据质量评分\n\n| 数据集 | 记录数 | 总分 | 门限 |",
    ));
    for d in Dimension::ALL {
        out.push_str(&format!(" {} |", i18n::dimension(l, d)));
    }
    out.push_str(&format!(
        " {} |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
        l.pick("checks not passing", "未通过的检查")
    ));
    for sc in &r.scorecard {
        out.push_str(&format!(
            "| {} | {} | {} | {} |",
            escape(&sc.dataset),
            sc.rows,
            fmt_score(sc.scores.overall),
            sc.gate_min_overall
                .map(|m| m.to_string())
                .unwrap_or_else(|| "—".into())
        ));
        for d in Dimension::ALL {
            out.push_str(&format!(" {} |", fmt_score(sc.scores.get(d))));
        }
        out.push_str(&l.pick(
            format!(" {} of {} |\n", sc.checks_not_passing, sc.checks),
            format!(" {} / {} |\n", sc.checks_not_passing, sc.checks),
        ));
    }

    if !r.quality_issues.is_empty() {
        out.push_str(&l.pick(
            format!(
                "\n<details><summary>{} quality check(s) not passing</summary>\n\n| status | dataset | check | dimension | failed / evaluated | score |\n|---|---|---|---|---:|---:|\n",
                r.quality_issues.len()
            ),
            format!(
                "\n<details><summary>{} 项质量检查未通过</summary>\n\n| 状态 | 数据集 | 检查 | 维度 | 未通过 / 评估数 | 得分 |\n|---|---|---|---|---:|---:|\n",
                r.quality_issues.len()
            ),
        ));
        for q in &r.quality_issues {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} / {} | {:.2} |\n",
                i18n::check_status(l, &q.status),
                escape(&q.dataset),
                escape(&q.check),
                i18n::dimension_id(l, &q.dimension),
                q.failed,
                q.evaluated,
                q.score
            ));
        }
        out.push_str("\n</details>\n");
    }

    out.push_str(l.pick("\n## Duplicates\n\n", "\n## 重复记录\n\n"));
    if r.duplicates.is_empty() {
        out.push_str(l.pick(
            "No unique or duplicate-key check in the rule files.\n",
            "规则文件中没有唯一性或重复键检查。\n",
        ));
    } else {
        out.push_str(l.pick(
            "| dataset | check | key | duplicated values | rows in groups | excess rows |\n|---|---|---|---:|---:|---:|\n",
            "| 数据集 | 检查 | 键 | 重复的值 | 重复组内行数 | 多余行数 |\n|---|---|---|---:|---:|---:|\n",
        ));
        for d in &r.duplicates {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                escape(&d.dataset),
                escape(&d.check),
                escape(&d.columns),
                d.duplicate_values,
                d.duplicate_rows,
                d.excess_rows
            ));
        }
    }

    if !r.anonymisation.is_empty() {
        out.push_str(l.pick(
            "\n## Anonymisation (GB/T 42460-2023)\n\nRe-identification risk of each extract at k ≥ 5 and highest prosecutor risk ≤ 0.2 (`steward risk`, docs/risk.md): evidence for PIPL Art. 51 and Art. 73(4), GB/T 37964-2019, GDPR Recital 26 and Art. 25, 32.\n\n| dataset | grade | direct identifiers in clear | quasi-identifiers | k | records below k | highest / average risk |\n|---|---|---|---|---:|---:|---:|\n",
            "\n## 去标识化效果评估（GB/T 42460-2023）\n\n各数据在 k ≥ 5、最高重识别风险 ≤ 0.2 标准下的重识别风险（`steward risk`，docs/risk.md）：作为《个人信息保护法》第五十一条、第七十三条第（四）项、GB/T 37964-2019 及《通用数据保护条例》鉴于条款第26条、第25条、第32条的证据。\n\n| 数据集 | 评估结论 | 明文直接标识符 | 准标识符 | k | 低于 k 的记录 | 最高 / 平均风险 |\n|---|---|---|---|---:|---:|---:|\n",
        ));
        for a in &r.anonymisation {
            let list = |v: &[String]| {
                if v.is_empty() {
                    l.pick("none", "无").to_string()
                } else {
                    escape(&v.join(", "))
                }
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {:.4} / {:.4} |\n",
                escape(&a.dataset),
                escape(&i18n::grade(l, &a.grade)),
                list(&a.direct_in_clear),
                list(&a.quasi_identifiers),
                a.k,
                l.pick(
                    format!("{} of {}", a.records_below_k, a.rows),
                    format!("{} / {}", a.records_below_k, a.rows)
                ),
                a.highest_risk,
                a.average_risk
            ));
        }
    }

    if !r.processing_records.is_empty() {
        out.push_str(l.pick(
            "\n## Record of processing (draft, GDPR Art. 30)\n",
            "\n## 个人信息处理活动记录（草稿）\n",
        ));
        for p in &r.processing_records {
            out.push_str(&format!(
                "\n### {}\n\n| | |\n|---|---|\n",
                escape(&p.dataset)
            ));
            for (k, v) in &p.fields {
                out.push_str(&format!("| {} | {} |\n", escape(k), escape(v)));
            }
        }
    }
    if !r.impact_prescreen.is_empty() {
        out.push_str(l.pick(
            "\n## Impact assessment pre-screen (PIA / DPIA)\n\n| criterion | shown by the data | evidence | source |\n|---|---|---|---|\n",
            "\n## 个人信息保护影响评估预筛\n\n| 评估情形 | 数据显示 | 证据 | 依据 |\n|---|---|---|---|\n",
        ));
        for c in &r.impact_prescreen {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                escape(&c.label),
                match c.state.as_str() {
                    "met" => format!("**{}**", i18n::criterion_state(l, &c.state)),
                    _ => i18n::criterion_state(l, &c.state).to_string(),
                },
                escape(&c.evidence),
                escape(&c.source)
            ));
        }
    }

    if let Some(h) = &r.history {
        out.push_str(&l.pick(
            format!(
                "\n## History\n\n{} earlier run(s) recorded.\n\n| dataset | previous | now | change | max drop |\n|---|---:|---:|---:|---:|\n",
                h.previous_runs
            ),
            format!(
                "\n## 历史记录\n\n已记录此前 {} 次运行。\n\n| 数据集 | 上次 | 本次 | 变化 | 允许最大降幅 |\n|---|---:|---:|---:|---:|\n",
                h.previous_runs
            ),
        ));
        for c in &h.changes {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                escape(&c.dataset),
                fmt_score(c.previous),
                fmt_score(c.current),
                c.delta
                    .map(|d| format!("{d:+.2}"))
                    .unwrap_or_else(|| "—".into()),
                c.max_drop
                    .map(|m| m.to_string())
                    .unwrap_or_else(|| "—".into())
            ));
        }
        if !h.trend.is_empty() {
            out.push_str(l.pick(
                "\n| run | dataset | overall |\n|---|---|---:|\n",
                "\n| 运行时间 | 数据集 | 总分 |\n|---|---|---:|\n",
            ));
            for p in &h.trend {
                out.push_str(&format!(
                    "| {} | {} | {} |\n",
                    escape(&p.started_at),
                    escape(&p.dataset),
                    fmt_score(p.overall)
                ));
            }
        }
    }

    out.push_str(l.pick("\n## Findings\n", "\n## 审计发现\n"));
    for f in &r.findings {
        out.push_str(&format!(
            "\n### {} {}{}{}\n\n*{}*",
            status(l, f.status),
            escape(&f.id),
            l.pick(": ", "："),
            escape(&f.title),
            escape(&i18n::articles(l, &f.articles))
        ));
        if !f.references.is_empty() {
            out.push_str(&format!(
                " · {}",
                escape(&f.references.join(l.pick("; ", "；")))
            ));
        }
        out.push_str(&l.pick(
            format!(
                "\n\n{}\n\nEvidence (`{}`):\n\n",
                escape(&f.requirement),
                f.evidence_kind
            ),
            format!(
                "\n\n{}\n\n证据（`{}`）：\n\n",
                escape(&f.requirement),
                f.evidence_kind
            ),
        ));
        for e in &f.evidence {
            out.push_str(&format!("- {}\n", escape(e)));
        }
        if f.status != ObligationStatus::Pass {
            out.push_str(&format!(
                "\n{}{}\n",
                l.pick("Remediation: ", "整改建议："),
                escape(&f.remediation)
            ));
        }
        for a in &f.audit_items {
            out.push_str(&l.pick(
                format!(
                    "\nAudit item {} (guidelines art. {}{}): {}. Audit content: {} Method: {}\n",
                    escape(&a.id),
                    a.article,
                    if a.verified { "" } else { ", not verified" },
                    escape(&a.title),
                    escape(&a.content),
                    escape(&a.method)
                ),
                format!(
                    "\n审计事项 {}（《个人信息保护合规审计指引》第{}条{}）：{}。审计内容：{} 审计方法：{}\n",
                    escape(&a.id),
                    i18n::zh_number(a.article),
                    if a.verified { "" } else { "，未核实" },
                    escape(&a.title),
                    escape(&a.content),
                    escape(&a.method)
                ),
            ));
        }
    }

    out.push_str(&l.pick(
        format!(
            "\n## Run\n\n| | |\n|---|---|\n| tool | {} {} |\n| started | {} |\n| duration | {} ms |\n| as of | {} |\n| rules sha256 | `{}` |\n| rule files | {} |\n",
            escape(&r.tool.name),
            escape(&r.tool.version),
            escape(&r.run.started_at),
            r.run.duration_ms,
            escape(&r.run.as_of),
            escape(&r.run.rules_sha256),
            escape(&r.run.rule_files.join(", "))
        ),
        format!(
            "\n## 运行信息\n\n| | |\n|---|---|\n| 工具 | {} {} |\n| 开始时间 | {} |\n| 耗时 | {} ms |\n| 基准日 | {} |\n| 规则文件 sha256 | `{}` |\n| 规则文件 | {} |\n",
            escape(&r.tool.name),
            escape(&r.tool.version),
            escape(&r.run.started_at),
            r.run.duration_ms,
            escape(&r.run.as_of),
            escape(&r.run.rules_sha256),
            escape(&r.run.rule_files.join(", "))
        ),
    ));
    if let Some(a) = &r.audit_log {
        out.push_str(&format!(
            "| {} | {} |\n",
            l.pick("audit log", "审计日志"),
            i18n::audit_log_line(l, a)
        ));
    }
    out.push_str(l.pick(
        "\n| input | dataset | format | rows | bytes | sha256 |\n|---|---|---|---:|---:|---|\n",
        "\n| 输入文件 | 数据集 | 格式 | 记录数 | 字节数 | sha256 |\n|---|---|---|---:|---:|---|\n",
    ));
    for i in &r.run.inputs {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | `{}` |\n",
            escape(&i.path),
            escape(&i.dataset),
            escape(&i.format),
            i.rows,
            i.bytes,
            escape(&i.sha256)
        ));
    }
    out.push_str(&format!("\n<sub>{}</sub>\n", escape(&r.scoring_formula)));
    out
}
