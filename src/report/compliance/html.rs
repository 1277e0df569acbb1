//! The compliance report as ONE self-contained HTML file for the people who review
//! and sign it: inline CSS (with print rules), inline SVG charts, no script, no font,
//! image, link or stylesheet from anywhere else. Every value from data, rule files or
//! paths goes through [`esc`]. Reads only the model.

use super::escape::esc;
use super::{ComplianceReport, ObligationStatus, svg};
use crate::report::{Dimension, fmt_score};

fn opt(s: &Option<String>) -> String {
    s.as_deref().map(esc).unwrap_or_else(|| "—".into())
}

fn badge(s: ObligationStatus) -> String {
    format!("<span class=\"badge {}\">{}</span>", s.as_str(), s.label())
}

const CSS: &str = r#"
:root { --fg:#1d232b; --muted:#5b6673; --line:#d6dbe1; --bg:#ffffff; --soft:#f4f6f8;
  --pass:#1f7a3d; --pass-bg:#e3f4e8; --fail:#b42318; --fail-bg:#fde8e6;
  --review:#8a5a00; --review-bg:#fff3d6; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
  color: var(--fg); background: var(--bg); margin: 0; line-height: 1.45; font-size: 14px; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 32px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 0 0 4px; }
.sub { color: var(--muted); margin: 0 0 18px; }
.verdict { display: flex; align-items: center; gap: 16px; padding: 14px 18px; border-radius: 8px; margin-bottom: 18px; }
.verdict.fail { background: var(--fail-bg); border-left: 6px solid var(--fail); }
.verdict.needs_review { background: var(--review-bg); border-left: 6px solid var(--review); }
.verdict.pass { background: var(--pass-bg); border-left: 6px solid var(--pass); }
.verdict .big { font-size: 22px; font-weight: 700; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin: 12px 0; }
.card { background: var(--soft); border-radius: 8px; padding: 10px 12px; }
.card .n { font-size: 22px; font-weight: 700; display: block; }
.card .l { color: var(--muted); font-size: 12px; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
.chart { background: var(--soft); border-radius: 8px; padding: 12px 14px; }
.chart h3 { margin-bottom: 8px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 13px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: break-word; }
th { white-space: nowrap; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, .hash { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; overflow-wrap: anywhere; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 11px; font-weight: 700; white-space: nowrap; }
.badge.pass { color: var(--pass); background: var(--pass-bg); }
.badge.fail { color: var(--fail); background: var(--fail-bg); }
.badge.needs_review { color: var(--review); background: var(--review-bg); }
.prot.clear, .prot.partial, .no { color: var(--fail); font-weight: 600; }
.finding { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 10px 0; break-inside: avoid; }
.finding.fail { border-left: 5px solid var(--fail); }
.finding.needs_review { border-left: 5px solid var(--review); }
.finding.pass { border-left: 5px solid var(--pass); }
.finding .refs { color: var(--muted); font-size: 12px; margin: 0 0 6px; }
.finding ul { margin: 6px 0; padding-left: 20px; }
.finding .fix { background: var(--soft); padding: 6px 10px; border-radius: 6px; margin: 6px 0 0; }
.reasons { margin: 6px 0 0; padding-left: 20px; }
a { color: #2f5fa7; text-decoration: none; }
.nowrap { white-space: nowrap; }
.st.fail { color: var(--fail); font-weight: 600; } .st.warn { color: var(--review); font-weight: 600; }
summary { cursor: pointer; color: var(--muted); margin: 4px 0; }
.foot { color: var(--muted); font-size: 12px; margin-top: 24px; }
.sign { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 24px; margin-top: 28px; }
.sign div { border-top: 1px solid var(--fg); padding-top: 4px; color: var(--muted); font-size: 12px; }
svg text { font-family: inherit; fill: var(--fg); }
svg .track { fill: none; stroke: #e3e7ec; stroke-width: 12; }
svg rect.track { fill: #e3e7ec; stroke: none; }
svg .arc { fill: none; stroke-width: 12; stroke-linecap: butt; }
svg .arc.good { stroke: var(--pass); } svg .arc.warn { stroke: #c98a00; } svg .arc.bad { stroke: var(--fail); }
svg .bar.good { fill: var(--pass); } svg .bar.warn { fill: #c98a00; } svg .bar.bad { fill: var(--fail); } svg .bar.none { fill: #c5ccd3; }
svg .gv { font-size: 18px; font-weight: 700; text-anchor: middle; }
svg .gl { font-size: 10px; text-anchor: middle; fill: var(--muted); }
svg .bl, svg .bv, svg .ax { font-size: 11px; }
svg .ax { fill: var(--muted); } svg .ax.end { text-anchor: end; }
svg .grid { stroke: var(--line); stroke-dasharray: 3 3; }
svg .line { fill: none; stroke: #2f5fa7; stroke-width: 2; }
svg .pt { fill: #2f5fa7; }
@media print {
  @page { size: A4; margin: 14mm; }
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  .chart, .verdict, tr { break-inside: avoid; }
  thead { display: table-header-group; }
  .badge, .verdict, th, .card, .chart, .finding .fix { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

pub(super) fn render(r: &ComplianceReport) -> String {
    let s = &r.summary;
    let regimes: Vec<String> = r.regimes.iter().map(|x| x.to_uppercase()).collect();
    let title = format!("Compliance report ({})", regimes.join(" + "));
    let mut out = String::new();
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"{} {}\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        esc(&r.tool.name),
        esc(&r.tool.version),
        esc(&title)
    ));
    let datasets: Vec<String> = r.scorecard.iter().map(|d| esc(&d.dataset)).collect();
    out.push_str(&format!(
        "<h1>{}</h1>\n<p class=\"sub\">{} · as of {} · generated {} by {} {}</p>\n",
        esc(&title),
        datasets.join(", "),
        esc(&r.run.as_of),
        esc(&r.run.started_at),
        esc(&r.tool.name),
        esc(&r.tool.version)
    ));

    // Executive summary.
    let c = &s.obligations;
    out.push_str(&format!(
        "<section class=\"verdict {}\"><span class=\"big\">{}</span><span>{} obligation(s): <b>{}</b> fail, <b>{}</b> need review, <b>{}</b> pass · quality gate <b>{}</b></span></section>\n",
        r.verdict.as_str(),
        r.verdict.label(),
        c.pass + c.fail + c.needs_review,
        c.fail,
        c.needs_review,
        c.pass,
        if r.gate.passed { "passed" } else { "failed" }
    ));
    if !r.gate.reasons.is_empty() {
        out.push_str("<ul class=\"reasons\">");
        for reason in &r.gate.reasons {
            out.push_str(&format!("<li>gate: {}</li>", esc(reason)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<h2>Executive summary</h2>\n<div class=\"cards\">");
    for (n, l) in [
        (
            s.individuals,
            if s.individuals_deduplicated {
                "individuals (fuzzy-deduplicated)"
            } else {
                "individuals (rows)"
            },
        ),
        (s.personal_columns, "personal-data columns"),
        (s.sensitive_columns, "sensitive columns (PIPL Art. 28)"),
        (s.special_columns, "special categories (GDPR Art. 9)"),
        (
            s.sensitive_records,
            "records with sensitive data (at least)",
        ),
        (s.minors, "records of children under 14"),
    ] {
        out.push_str(&format!(
            "<div class=\"card\"><span class=\"n\">{n}</span><span class=\"l\">{l}</span></div>"
        ));
    }
    out.push_str("</div>\n<div class=\"charts\">");
    for sc in &r.scorecard {
        let bars: Vec<(&str, Option<f64>)> = Dimension::ALL
            .iter()
            .map(|d| (d.as_str(), sc.scores.get(*d)))
            .collect();
        out.push_str(&format!(
            "<div class=\"chart\"><h3>{}</h3>{}{}</div>",
            esc(&sc.dataset),
            svg::gauge(sc.scores.overall, "overall"),
            svg::bars(&bars)
        ));
    }
    if let Some(h) = &r.history {
        for sc in &r.scorecard {
            let points: Vec<(String, Option<f64>)> = h
                .trend
                .iter()
                .filter(|p| p.dataset == sc.dataset)
                .map(|p| (p.started_at.clone(), p.overall))
                .collect();
            if let Some(chart) = svg::trend(&points) {
                out.push_str(&format!(
                    "<div class=\"chart\"><h3>{}: overall, last {} runs</h3>{chart}</div>",
                    esc(&sc.dataset),
                    points.len()
                ));
            }
        }
    }
    out.push_str("</div>\n");

    // Obligations at a glance.
    out.push_str("<h2>Obligations</h2>\n<table><thead><tr><th>status</th><th>id</th><th>obligation</th><th>articles</th></tr></thead><tbody>\n");
    for f in &r.findings {
        out.push_str(&format!(
            "<tr><td>{}</td><td class=\"nowrap\"><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td></tr>\n",
            badge(f.status),
            esc(&f.id),
            esc(&f.id),
            esc(&f.title),
            esc(&f.articles.join(", "))
        ));
    }
    out.push_str("</tbody></table>\n");

    // Declarations.
    out.push_str("<h2>Declarations</h2>\n");
    if r.declarations.is_empty() {
        out.push_str("<p>No <code>compliance:</code> section in the rule files.</p>\n");
    } else {
        out.push_str("<table><thead><tr><th>dataset</th><th>purpose</th><th>lawful basis</th><th>retention</th><th>destination</th><th>data controller</th><th>declared columns</th></tr></thead><tbody>\n");
        for d in &r.declarations {
            let retention = match (&d.retention, &d.retention_column) {
                (Some(p), Some(c)) => format!("{} by <code>{}</code>", esc(p), esc(c)),
                _ => "—".into(),
            };
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{retention}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                esc(&d.dataset),
                opt(&d.purpose),
                opt(&d.lawful_basis),
                opt(&d.destination),
                opt(&d.data_controller),
                d.declared_columns
                    .as_ref()
                    .map(|c| esc(&c.join(", ")))
                    .unwrap_or_else(|| "—".into())
            ));
        }
        out.push_str("</tbody></table>\n");
    }

    // Inventory.
    out.push_str("<h2>Personal-data inventory</h2>\n");
    if r.inventory.is_empty() {
        out.push_str("<p>No personal-data column found.</p>\n");
    } else {
        out.push_str("<table><thead><tr><th>dataset</th><th>column</th><th>category</th><th>sensitivity</th><th class=\"num\">values</th><th class=\"num\">children &lt; 14</th><th>protection</th><th>declared</th></tr></thead><tbody>\n");
        for i in &r.inventory {
            out.push_str(&format!(
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td><span class=\"prot {}\" title=\"{}\">{}</span></td><td>{}</td></tr>\n",
                esc(&i.dataset),
                esc(&i.column),
                esc(&i.category_shown()),
                esc(&i.sensitivity),
                i.present,
                i.minors.map(|m| m.to_string()).unwrap_or_else(|| "—".into()),
                i.protection.as_str(),
                esc(&i.protection_evidence),
                i.protection.as_str(),
                match i.declared {
                    Some(true) => "yes",
                    Some(false) => "<span class=\"no\">no</span>",
                    None => "—",
                }
            ));
        }
        out.push_str("</tbody></table>\n");
    }

    // Scorecard.
    out.push_str("<h2>Quality scorecard</h2>\n<table><thead><tr><th>dataset</th><th class=\"num\">rows</th><th class=\"num\">overall</th><th class=\"num\">gate min</th>");
    for d in Dimension::ALL {
        out.push_str(&format!("<th class=\"num\">{d}</th>"));
    }
    out.push_str("<th class=\"num\">checks not passing</th></tr></thead><tbody>\n");
    for sc in &r.scorecard {
        out.push_str(&format!(
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\"><b>{}</b></td><td class=\"num\">{}</td>",
            esc(&sc.dataset),
            sc.rows,
            fmt_score(sc.scores.overall),
            sc.gate_min_overall
                .map(|m| m.to_string())
                .unwrap_or_else(|| "—".into())
        ));
        for d in Dimension::ALL {
            out.push_str(&format!(
                "<td class=\"num\">{}</td>",
                fmt_score(sc.scores.get(d))
            ));
        }
        out.push_str(&format!(
            "<td class=\"num\">{} of {}</td></tr>\n",
            sc.checks_not_passing, sc.checks
        ));
    }
    out.push_str("</tbody></table>\n");

    if !r.quality_issues.is_empty() {
        out.push_str(&format!(
            "<details open><summary>{} quality check(s) not passing</summary><table><thead><tr><th>status</th><th>dataset</th><th>check</th><th>dimension</th><th class=\"num\">failed / evaluated</th><th class=\"num\">score</th></tr></thead><tbody>\n",
            r.quality_issues.len()
        ));
        for q in &r.quality_issues {
            out.push_str(&format!(
                "<tr><td><span class=\"st {}\">{}</span></td><td>{}</td><td><code>{}</code></td><td>{}</td><td class=\"num\">{} / {}</td><td class=\"num\">{:.2}</td></tr>\n",
                esc(&q.status),
                esc(&q.status),
                esc(&q.dataset),
                esc(&q.check),
                esc(&q.dimension),
                q.failed,
                q.evaluated,
                q.score
            ));
        }
        out.push_str("</tbody></table></details>\n");
    }

    // Duplicates.
    out.push_str("<h2>Duplicates</h2>\n");
    if r.duplicates.is_empty() {
        out.push_str("<p>No unique or duplicate-key check in the rule files.</p>\n");
    } else {
        out.push_str("<table><thead><tr><th>dataset</th><th>check</th><th>key</th><th class=\"num\">duplicated values</th><th class=\"num\">rows in groups</th><th class=\"num\">excess rows</th></tr></thead><tbody>\n");
        for d in &r.duplicates {
            out.push_str(&format!(
                "<tr><td>{}</td><td><code>{}</code></td><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                esc(&d.dataset),
                esc(&d.check),
                esc(&d.columns),
                d.duplicate_values,
                d.duplicate_rows,
                d.excess_rows
            ));
        }
        out.push_str("</tbody></table>\n");
    }

    // Anonymisation.
    if !r.anonymisation.is_empty() {
        out.push_str("<h2>Anonymisation (GB/T 42460-2023)</h2>\n<p>Re-identification risk of each extract at k &ge; 5 and highest prosecutor risk &le; 0.2 (<code>steward risk</code>, docs/risk.md): evidence for PIPL Art. 51 and Art. 73(4), GB/T 37964-2019, GDPR Recital 26 and Art. 25, 32.</p>\n<table><thead><tr><th>dataset</th><th>grade</th><th>direct identifiers in clear</th><th>quasi-identifiers</th><th class=\"num\">k</th><th class=\"num\">records below k</th><th class=\"num\">highest / average risk</th></tr></thead><tbody>\n");
        for a in &r.anonymisation {
            let list = |v: &[String]| {
                if v.is_empty() {
                    "none".to_string()
                } else {
                    esc(&v.join(", "))
                }
            };
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{} of {}</td><td class=\"num\">{:.4} / {:.4}</td></tr>\n",
                esc(&a.dataset),
                esc(&a.grade),
                list(&a.direct_in_clear),
                list(&a.quasi_identifiers),
                a.k,
                a.records_below_k,
                a.rows,
                a.highest_risk,
                a.average_risk
            ));
        }
        out.push_str("</tbody></table>\n");
    }

    // History.
    if let Some(h) = &r.history {
        out.push_str(&format!(
            "<h2>History</h2>\n<p>{} earlier run(s) recorded.</p>\n<table><thead><tr><th>dataset</th><th class=\"num\">previous</th><th class=\"num\">now</th><th class=\"num\">change</th><th class=\"num\">max drop</th></tr></thead><tbody>\n",
            h.previous_runs
        ));
        for c in &h.changes {
            out.push_str(&format!(
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                esc(&c.dataset),
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
        out.push_str("</tbody></table>\n");
    }

    // Findings.
    out.push_str("<h2>Findings</h2>\n");
    for f in &r.findings {
        out.push_str(&format!(
            "<section class=\"finding {}\" id=\"{}\"><h3>{} {}: {}</h3><p class=\"refs\">{}",
            f.status.as_str(),
            esc(&f.id),
            badge(f.status),
            esc(&f.id),
            esc(&f.title),
            esc(&f.articles.join(", "))
        ));
        if !f.references.is_empty() {
            out.push_str(&format!(" · {}", esc(&f.references.join("; "))));
        }
        out.push_str(&format!("</p><p>{}</p><ul>", esc(&f.requirement)));
        for e in &f.evidence {
            out.push_str(&format!("<li>{}</li>", esc(e)));
        }
        out.push_str(&format!(
            "</ul><p class=\"refs\">evidence: <code>{}</code></p>",
            esc(&f.evidence_kind)
        ));
        if f.status != ObligationStatus::Pass {
            out.push_str(&format!(
                "<p class=\"fix\"><b>Remediation:</b> {}</p>",
                esc(&f.remediation)
            ));
        }
        out.push_str("</section>\n");
    }

    // Run metadata.
    out.push_str(&format!(
        "<h2>Run</h2>\n<table><tbody>\n<tr><th>tool</th><td>{} {}</td></tr>\n<tr><th>started</th><td>{}</td></tr>\n<tr><th>duration</th><td>{} ms</td></tr>\n<tr><th>as of</th><td>{}</td></tr>\n<tr><th>rules sha256</th><td class=\"hash\">{}</td></tr>\n<tr><th>rule files</th><td>{}</td></tr>\n",
        esc(&r.tool.name),
        esc(&r.tool.version),
        esc(&r.run.started_at),
        r.run.duration_ms,
        esc(&r.run.as_of),
        esc(&r.run.rules_sha256),
        esc(&r.run.rule_files.join(", "))
    ));
    if let Some(a) = &r.audit_log {
        out.push_str(&format!(
            "<tr><th>audit log</th><td>{} entries, {}</td></tr>\n",
            a.entries,
            if a.intact {
                "chain intact".to_string()
            } else {
                format!("chain broken at line {}", a.first_bad_line.unwrap_or(0))
            }
        ));
    }
    out.push_str("</tbody></table>\n<table><thead><tr><th>input</th><th>dataset</th><th>format</th><th class=\"num\">rows</th><th class=\"num\">bytes</th><th>sha256</th></tr></thead><tbody>\n");
    for i in &r.run.inputs {
        out.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"hash\">{}</td></tr>\n",
            esc(&i.path),
            esc(&i.dataset),
            esc(&i.format),
            i.rows,
            i.bytes,
            esc(&i.sha256)
        ));
    }
    out.push_str("</tbody></table>\n");
    out.push_str("<div class=\"sign\"><div>Reviewed by</div><div>Role</div><div>Date and signature</div></div>\n");
    out.push_str(&format!(
        "<p class=\"foot\">{}</p>\n</main>\n</body>\n</html>\n",
        esc(&r.scoring_formula)
    ));
    out
}
