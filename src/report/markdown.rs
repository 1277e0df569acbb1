//! Markdown sized for a pull-request comment: verdict, scores, what is not passing, and
//! the full check list folded away. Every value from data or rule files is escaped.
//! Renderers only read the model.

use super::compliance::i18n::{self, Lang};
use super::{Dimension, Report, Status, fmt_score, ordered_checks, sample_text, verdict_line};

/// Escape text for a Markdown table cell, and neutralise spreadsheet formula prefixes.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    if s.starts_with(['=', '+', '-', '@']) {
        out.push('\'');
    }
    for c in s.chars() {
        match c {
            '|' | '`' | '*' | '_' | '[' | ']' | '\\' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The scan's one-line verdict in the report's language.
fn verdict(report: &Report, l: Lang) -> String {
    if l == Lang::En {
        return verdict_line(report);
    }
    let checks: usize = report.datasets.iter().map(|d| d.checks.len()).sum();
    if report.gate.passed {
        format!(
            "通过  全部门禁均满足（{} 个数据集，{checks} 项检查）",
            report.datasets.len()
        )
    } else {
        let reasons: Vec<String> = report
            .gate
            .reasons
            .iter()
            .map(|r| i18n::gate_reason(l, r))
            .collect();
        format!("未通过  质量门禁未通过：{}", reasons.join("；"))
    }
}

pub(super) fn render(report: &Report, l: Lang) -> String {
    let verdict_word = match (l, report.gate.passed) {
        (Lang::En, true) => "PASS",
        (Lang::En, false) => "FAIL",
        (Lang::ZhCn, true) => "通过",
        (Lang::ZhCn, false) => "未通过",
    };
    let mut out = format!(
        "## steward: {verdict_word}\n\n{}\n\n",
        escape(&verdict(report, l))
    );
    out.push_str(l.pick("| dataset | rows | overall |", "| 数据集 | 记录数 | 总分 |"));
    for d in Dimension::ALL {
        out.push_str(&format!(" {} |", i18n::dimension(l, d)));
    }
    out.push_str("\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for d in &report.datasets {
        out.push_str(&format!(
            "| {} | {} | {} |",
            escape(&d.name),
            d.rows,
            fmt_score(d.scores.overall)
        ));
        for dim in Dimension::ALL {
            out.push_str(&format!(" {} |", fmt_score(d.scores.get(dim))));
        }
        out.push('\n');
    }
    let row = |c: &super::CheckResult| {
        format!(
            "| {} | {} | {} | {} / {} | {:.2} |\n",
            i18n::check_status(l, c.status.as_str()),
            escape(&c.id),
            i18n::dimension(l, c.dimension),
            c.failed,
            c.evaluated,
            c.score
        )
    };
    let header = l.pick(
        "| status | check | dimension | failed / evaluated | score |\n|---|---|---|---:|---:|\n",
        "| 状态 | 检查 | 维度 | 未通过 / 评估数 | 得分 |\n|---|---|---|---:|---:|\n",
    );
    let not_passing: Vec<_> = report
        .datasets
        .iter()
        .flat_map(|d| d.checks.iter())
        .filter(|c| c.status != Status::Pass)
        .collect();
    if !not_passing.is_empty() {
        out.push_str(&l.pick(
            format!("\n### Not passing ({})\n\n{header}", not_passing.len()),
            format!("\n### 未通过（{}）\n\n{header}", not_passing.len()),
        ));
        for c in &not_passing {
            out.push_str(&row(c));
        }
        let with_samples: Vec<_> = not_passing
            .iter()
            .filter(|c| !c.samples.is_empty())
            .collect();
        if !with_samples.is_empty() {
            out.push_str(l.pick("\nMasked samples:\n\n", "\n已脱敏的样例：\n\n"));
            for c in with_samples {
                let s: Vec<String> = c.samples.iter().map(|s| escape(&sample_text(s))).collect();
                out.push_str(&format!("- {}: {}\n", escape(&c.id), s.join(", ")));
            }
        }
    }
    // With --history: what changed since the previous run, and the anomaly verdicts.
    for d in &report.datasets {
        if d.drift.is_none() && d.anomalies.is_empty() {
            continue;
        }
        out.push_str(&l.pick(
            format!("\n### {}: since the previous run\n\n", escape(&d.name)),
            format!("\n### {}：与上次运行相比\n\n", escape(&d.name)),
        ));
        if let Some(drift) = &d.drift {
            for line in drift.lines() {
                out.push_str(&format!("- {}\n", escape(&line)));
            }
        }
        for a in &d.anomalies {
            out.push_str(&format!(
                "- **{}** {}: {}\n",
                a.status.as_str(),
                escape(&a.id),
                escape(&a.note)
            ));
        }
    }
    let total: usize = report.datasets.iter().map(|d| d.checks.len()).sum();
    out.push_str(&l.pick(
        format!("\n<details><summary>All {total} checks</summary>\n\n{header}"),
        format!("\n<details><summary>全部 {total} 项检查</summary>\n\n{header}"),
    ));
    for d in &report.datasets {
        for c in ordered_checks(d) {
            out.push_str(&row(c));
        }
    }
    out.push_str("\n</details>\n");
    if !report.gate.reasons.is_empty() {
        out.push_str(l.pick("\n**Gate:**\n\n", "\n**质量门禁：**\n\n"));
        for r in &report.gate.reasons {
            out.push_str(&format!("- {}\n", escape(&i18n::gate_reason(l, r))));
        }
    }
    out.push_str(&format!(
        "\n<sub>{} {} · {} {} · {} {} · {}</sub>\n",
        report.tool.name,
        report.tool.version,
        l.pick("as of", "基准日"),
        report.run.as_of,
        l.pick("rules sha256", "规则文件 sha256"),
        report.run.rules_sha256.get(..12).unwrap_or(""),
        escape(&i18n::scoring_formula(l, &report.scoring_formula))
    ));
    out
}
