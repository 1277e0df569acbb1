//! `steward history` output: a terminal table, JSON, Markdown, or one self-contained
//! HTML page whose trends are inline SVG charts (no script, no network). Renderers only
//! read the [`HistoryView`].

use tabled::builder::Builder;
use tabled::settings::Style;

use super::compliance::escape::esc;
use super::history::{DatasetHistory, HistoryView, RunDiff};
use super::markdown::escape as md;
use super::{Dimension, fmt_score};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HistoryFormat {
    Table,
    Json,
    Markdown,
    Html,
}

pub fn render(view: &HistoryView, format: HistoryFormat) -> String {
    match format {
        HistoryFormat::Table => table(view),
        HistoryFormat::Json => {
            let mut s = serde_json::to_string_pretty(view).expect("the view always serializes");
            s.push('\n');
            s
        }
        HistoryFormat::Markdown => markdown(view),
        HistoryFormat::Html => html(view),
    }
}

fn rate(v: Option<f64>) -> String {
    v.map(|v| format!("{:.2}", v * 100.0))
        .unwrap_or_else(|| "–".into())
}

fn gate(passed: bool) -> &'static str {
    if passed { "pass" } else { "FAIL" }
}

fn run_rows(d: &DatasetHistory) -> Vec<Vec<String>> {
    let mut rows = vec![
        ["#", "started", "as of", "rows", "overall"]
            .into_iter()
            .map(String::from)
            .chain(Dimension::ALL.iter().map(|d| d.as_str().to_string()))
            .chain(["gate".to_string()])
            .collect(),
    ];
    for r in &d.runs {
        let mut row = vec![
            r.number.to_string(),
            r.started_at.clone(),
            r.as_of.clone(),
            r.rows.to_string(),
            fmt_score(r.scores.overall),
        ];
        row.extend(
            Dimension::ALL
                .iter()
                .map(|dim| fmt_score(r.scores.get(*dim))),
        );
        row.push(gate(r.gate_passed).into());
        rows.push(row);
    }
    rows
}

/// The last (up to) three runs' pass rates of each check, and its failed rows now.
fn check_rows(d: &DatasetHistory) -> Vec<Vec<String>> {
    let n = d.runs.len();
    let from = n.saturating_sub(3);
    let mut head = vec!["check".to_string(), "dimension".to_string()];
    head.extend(
        d.runs[from..]
            .iter()
            .map(|r| format!("#{} pass %", r.number)),
    );
    head.push("failed now".into());
    let mut rows = vec![head];
    for c in &d.checks {
        let mut row = vec![c.id.clone(), c.dimension.clone()];
        row.extend(c.pass_rate[from..].iter().map(|v| rate(*v)));
        row.push(
            c.failed
                .last()
                .copied()
                .flatten()
                .map(|f| f.to_string())
                .unwrap_or_else(|| "–".into()),
        );
        rows.push(row);
    }
    rows
}

fn diff_lines(diff: &RunDiff) -> Vec<String> {
    let mut out = vec![format!(
        "diff #{} ({}) -> #{} ({})",
        diff.from.number, diff.from.started_at, diff.to.number, diff.to.started_at
    )];
    for d in &diff.datasets {
        if d.checks.is_empty() {
            out.push(format!("{}: no failing rows in either run", d.name));
        }
        for c in &d.checks {
            let n = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_else(|| "–".into());
            out.push(format!(
                "{}: failed {} -> {}{}",
                c.id,
                n(c.failed_from),
                n(c.failed_to),
                if c.partial {
                    " (keys incomplete: a run kept only some, or the check has no key)"
                } else {
                    ""
                }
            ));
            for (label, keys) in [
                ("new", &c.new_failures),
                ("fixed", &c.fixed),
                ("still failing", &c.still_failing),
            ] {
                if !keys.is_empty() {
                    out.push(format!("  {label} ({}): {}", keys.len(), keys.join(", ")));
                }
            }
        }
    }
    out
}

fn grid(rows: Vec<Vec<String>>) -> String {
    let mut b = Builder::default();
    for r in rows {
        b.push_record(r);
    }
    let mut t = b.build();
    t.with(Style::sharp());
    format!("{t}\n")
}

fn table(view: &HistoryView) -> String {
    let mut out = format!("{} run(s) in the history\n", view.runs_total);
    if let Some(c) = &view.compaction {
        out.push_str(&format!(
            "retain {}: kept {} of {} run(s); {} file(s) -> {}\n",
            c.retain, c.runs_kept, c.runs_before, c.files_before, c.files_after
        ));
    }
    for d in &view.datasets {
        out.push_str(&format!(
            "\n{} — {} run(s){}\n",
            d.name,
            d.runs_total,
            if d.runs.len() < d.runs_total as usize {
                format!(", the last {} shown", d.runs.len())
            } else {
                String::new()
            }
        ));
        out.push_str(&grid(run_rows(d)));
        if !d.checks.is_empty() {
            out.push_str(&grid(check_rows(d)));
        }
        if let Some(drift) = &d.drift {
            out.push_str(&format!("drift since {}:\n", drift.previous_started_at));
            for l in drift.lines() {
                out.push_str(&format!("  {l}\n"));
            }
        }
        if !d.anomalies.is_empty() {
            out.push_str("anomalies (last run):\n");
            for a in &d.anomalies {
                out.push_str(&format!("  {}\n", a.line()));
            }
        }
    }
    if let Some(diff) = &view.diff {
        out.push('\n');
        for l in diff_lines(diff) {
            out.push_str(&format!("{l}\n"));
        }
    }
    out
}

fn md_table(rows: Vec<Vec<String>>) -> String {
    let mut out = String::new();
    for (i, r) in rows.iter().enumerate() {
        // A missing figure stays a plain dash (not a neutralised formula prefix).
        let cells: Vec<String> = r
            .iter()
            .map(|c| if c == "-" { c.clone() } else { md(c) })
            .collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
        if i == 0 {
            out.push_str(&format!("|{}\n", "---|".repeat(r.len())));
        }
    }
    out
}

fn markdown(view: &HistoryView) -> String {
    let mut out = format!(
        "# steward history\n\n{} run(s) in the history.\n",
        view.runs_total
    );
    if let Some(c) = &view.compaction {
        out.push_str(&format!(
            "\nRetain {}: kept {} of {} run(s); {} file(s) -> {}.\n",
            md(&c.retain),
            c.runs_kept,
            c.runs_before,
            c.files_before,
            c.files_after
        ));
    }
    for d in &view.datasets {
        out.push_str(&format!("\n## {}\n\n", md(&d.name)));
        out.push_str(&md_table(run_rows(d)));
        if !d.checks.is_empty() {
            out.push('\n');
            out.push_str(&md_table(check_rows(d)));
        }
        if let Some(drift) = &d.drift {
            out.push_str(&format!(
                "\n**Drift** since {}:\n\n",
                md(&drift.previous_started_at)
            ));
            for l in drift.lines() {
                out.push_str(&format!("- {}\n", md(&l)));
            }
        }
        if !d.anomalies.is_empty() {
            out.push_str("\n**Anomalies** (last run):\n\n");
            for a in &d.anomalies {
                out.push_str(&format!(
                    "- **{}** `{}`: {}\n",
                    a.status.as_str(),
                    a.id,
                    md(&a.note)
                ));
            }
        }
    }
    if let Some(diff) = &view.diff {
        out.push_str("\n## Diff\n\n");
        for l in diff_lines(diff) {
            out.push_str(&format!("- {}\n", md(&l)));
        }
    }
    out
}

/// A line chart of several 0-100 series over the same runs (nulls leave gaps).
fn chart(title: &str, labels: &[String], series: &[(&str, Vec<Option<f64>>)]) -> String {
    let (w, h, left, right, top, bottom) = (860.0, 200.0, 44.0, 300.0, 14.0, 26.0);
    let values: Vec<f64> = series
        .iter()
        .flat_map(|s| s.1.iter().flatten().copied())
        .collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if !lo.is_finite() {
        (0.0, 1.0)
    } else if hi - lo < 1e-9 {
        (lo - 1.0, hi + 1.0)
    } else {
        (lo, hi)
    };
    let n = labels.len().max(2) - 1;
    let x = |i: usize| left + (w - left - right) * i as f64 / n as f64;
    let y = |v: f64| top + (h - top - bottom) * (1.0 - (v - lo) / (hi - lo));
    let mut out = format!(
        "<figure><figcaption>{}</figcaption><svg viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{}\">\
<line x1=\"{left}\" y1=\"{t:.1}\" x2=\"{r}\" y2=\"{t:.1}\" class=\"grid\"/>\
<line x1=\"{left}\" y1=\"{b:.1}\" x2=\"{r}\" y2=\"{b:.1}\" class=\"grid\"/>\
<text x=\"2\" y=\"{tt:.1}\" class=\"ax\">{hi:.2}</text><text x=\"2\" y=\"{bt:.1}\" class=\"ax\">{lo:.2}</text>",
        esc(title),
        esc(title),
        t = y(hi),
        b = y(lo),
        r = w - right,
        tt = y(hi) + 4.0,
        bt = y(lo) + 4.0,
    );
    for (k, (name, vals)) in series.iter().enumerate() {
        let mut segment: Vec<String> = Vec::new();
        let mut paths = Vec::new();
        for (i, v) in vals.iter().enumerate() {
            match v {
                Some(v) => segment.push(format!("{:.1},{:.1}", x(i), y(*v))),
                None if !segment.is_empty() => paths.push(std::mem::take(&mut segment)),
                None => {}
            }
        }
        if !segment.is_empty() {
            paths.push(segment);
        }
        for p in paths {
            out.push_str(&format!(
                "<polyline points=\"{}\" class=\"s{}\"/>",
                p.join(" "),
                k % 6
            ));
        }
        for (i, v) in vals.iter().enumerate() {
            if let Some(v) = v {
                out.push_str(&format!(
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" class=\"s{}\"><title>{} {}: {v:.2}</title></circle>",
                    x(i),
                    y(*v),
                    k % 6,
                    esc(name),
                    esc(&labels[i])
                ));
            }
        }
        out.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"lg s{}\">{}</text>",
            w - right + 8.0,
            top + 14.0 * k as f64 + 8.0,
            k % 6,
            esc(name)
        ));
    }
    let first = labels.first().map(|l| esc(l)).unwrap_or_default();
    let last = labels.last().map(|l| esc(l)).unwrap_or_default();
    out.push_str(&format!(
        "<text x=\"{left}\" y=\"{ly}\" class=\"ax\">{first}</text><text x=\"{r}\" y=\"{ly}\" class=\"ax end\">{last}</text></svg></figure>",
        ly = h - 6.0,
        r = w - right
    ));
    out
}

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI','Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;margin:2em auto;max-width:1100px;color:#1f2933}\
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}td,th{border:1px solid #cbd2d9;padding:.25em .6em;text-align:left}\
th{background:#f0f4f8}figure{margin:1em 0}figcaption{font-weight:600}\
svg .grid{stroke:#d9e2ec}svg .ax{font-size:11px;fill:#52606d}svg .end{text-anchor:end}svg polyline{fill:none!important;stroke-width:2}\
svg .lg{font-size:12px;stroke:none}.s0{stroke:#0b69a3;fill:#0b69a3}.s1{stroke:#2f8132;fill:#2f8132}.s2{stroke:#c65d21;fill:#c65d21}\
.s3{stroke:#7c5295;fill:#7c5295}.s4{stroke:#b8365a;fill:#b8365a}.s5{stroke:#3e4c59;fill:#3e4c59}\
.fail{color:#b42318;font-weight:600}.warn{color:#b54708}code{background:#f0f4f8;padding:0 .2em}";

fn html_table(rows: Vec<Vec<String>>) -> String {
    let mut out = String::from("<table>");
    for (i, r) in rows.iter().enumerate() {
        out.push_str("<tr>");
        for c in r {
            let tag = if i == 0 { "th" } else { "td" };
            let class = if c == "FAIL" { " class=\"fail\"" } else { "" };
            out.push_str(&format!("<{tag}{class}>{}</{tag}>", esc(c)));
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>\n");
    out
}

fn html(view: &HistoryView) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>steward history</title><style>{CSS}</style></head><body>\n<h1>steward history</h1>\n<p>{} run(s) in the history.</p>\n",
        view.runs_total
    );
    if let Some(c) = &view.compaction {
        out.push_str(&format!(
            "<p>Retain {}: kept {} of {} run(s); {} file(s) → {}.</p>\n",
            esc(&c.retain),
            c.runs_kept,
            c.runs_before,
            c.files_before,
            c.files_after
        ));
    }
    for d in &view.datasets {
        out.push_str(&format!("<h2>{}</h2>\n", esc(&d.name)));
        let labels: Vec<String> = d
            .runs
            .iter()
            .map(|r| format!("#{} {}", r.number, r.as_of))
            .collect();
        let mut series = vec![("overall", d.runs.iter().map(|r| r.scores.overall).collect())];
        for dim in Dimension::ALL {
            let v: Vec<Option<f64>> = d.runs.iter().map(|r| r.scores.get(dim)).collect();
            if v.iter().any(Option::is_some) {
                series.push((dim.as_str(), v));
            }
        }
        out.push_str(&chart("Scores per run", &labels, &series));
        out.push_str(&chart(
            "Rows per run",
            &labels,
            &[("rows", d.runs.iter().map(|r| Some(r.rows as f64)).collect())],
        ));
        out.push_str(&html_table(run_rows(d)));
        if !d.checks.is_empty() {
            let failing: Vec<_> = d
                .checks
                .iter()
                .filter(|c| c.pass_rate.iter().flatten().any(|r| *r < 1.0))
                .take(6)
                .map(|c| {
                    (
                        c.id.as_str(),
                        c.pass_rate.iter().map(|v| v.map(|v| v * 100.0)).collect(),
                    )
                })
                .collect();
            if !failing.is_empty() {
                out.push_str(&chart(
                    "Pass rate (%) of checks that failed rows",
                    &labels,
                    &failing,
                ));
            }
            out.push_str(&html_table(check_rows(d)));
        }
        if let Some(drift) = &d.drift {
            out.push_str(&format!(
                "<h3>Drift since {}</h3><ul>",
                esc(&drift.previous_started_at)
            ));
            for l in drift.lines() {
                out.push_str(&format!("<li>{}</li>", esc(&l)));
            }
            out.push_str("</ul>\n");
        }
        if !d.anomalies.is_empty() {
            out.push_str("<h3>Anomalies (last run)</h3><ul>");
            for a in &d.anomalies {
                out.push_str(&format!(
                    "<li><span class=\"{}\">{}</span> <code>{}</code>: {}</li>",
                    a.status.as_str(),
                    a.status.as_str(),
                    esc(&a.id),
                    esc(&a.note)
                ));
            }
            out.push_str("</ul>\n");
        }
    }
    if let Some(diff) = &view.diff {
        out.push_str("<h2>Diff</h2><ul>");
        for l in diff_lines(diff) {
            out.push_str(&format!("<li>{}</li>", esc(&l)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</body></html>\n");
    out
}
