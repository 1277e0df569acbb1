//! Markdown sized for a pull-request comment: verdict, scores, what is not passing, and
//! the full check list folded away. Every value from data or rule files is escaped.
//! Renderers only read the model.

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

pub(super) fn render(report: &Report) -> String {
    let verdict = if report.gate.passed { "PASS" } else { "FAIL" };
    let mut out = format!(
        "## steward: {verdict}\n\n{}\n\n",
        escape(&verdict_line(report))
    );
    out.push_str("| dataset | rows | overall |");
    for d in Dimension::ALL {
        out.push_str(&format!(" {d} |"));
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
            c.status.as_str(),
            escape(&c.id),
            c.dimension,
            c.failed,
            c.evaluated,
            c.score
        )
    };
    let header =
        "| status | check | dimension | failed / evaluated | score |\n|---|---|---|---:|---:|\n";
    let not_passing: Vec<_> = report
        .datasets
        .iter()
        .flat_map(|d| d.checks.iter())
        .filter(|c| c.status != Status::Pass)
        .collect();
    if !not_passing.is_empty() {
        out.push_str(&format!(
            "\n### Not passing ({})\n\n{header}",
            not_passing.len()
        ));
        for c in &not_passing {
            out.push_str(&row(c));
        }
        let with_samples: Vec<_> = not_passing
            .iter()
            .filter(|c| !c.samples.is_empty())
            .collect();
        if !with_samples.is_empty() {
            out.push_str("\nMasked samples:\n\n");
            for c in with_samples {
                let s: Vec<String> = c.samples.iter().map(|s| escape(&sample_text(s))).collect();
                out.push_str(&format!("- {}: {}\n", escape(&c.id), s.join(", ")));
            }
        }
    }
    let total: usize = report.datasets.iter().map(|d| d.checks.len()).sum();
    out.push_str(&format!(
        "\n<details><summary>All {total} checks</summary>\n\n{header}"
    ));
    for d in &report.datasets {
        for c in ordered_checks(d) {
            out.push_str(&row(c));
        }
    }
    out.push_str("\n</details>\n");
    if !report.gate.reasons.is_empty() {
        out.push_str("\n**Gate:**\n\n");
        for r in &report.gate.reasons {
            out.push_str(&format!("- {}\n", escape(r)));
        }
    }
    out.push_str(&format!(
        "\n<sub>{} {} · as of {} · rules sha256 {} · {}</sub>\n",
        report.tool.name,
        report.tool.version,
        report.run.as_of,
        report.run.rules_sha256.get(..12).unwrap_or(""),
        escape(&report.scoring_formula)
    ));
    out
}
