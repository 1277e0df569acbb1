//! The compliance report as ONE self-contained HTML file for the people who review
//! and sign it: inline CSS (with print rules), inline SVG charts, no script, no font,
//! image, link or stylesheet from anywhere else. Every value from data, rule files or
//! paths goes through [`esc`]. Reads only the model.

use super::escape::esc;
use super::i18n::{self, Lang};
use super::{ComplianceReport, Counted, ObligationStatus, svg};
use crate::report::{Dimension, fmt_score};

fn opt(s: &Option<String>) -> String {
    s.as_deref().map(esc).unwrap_or_else(|| "—".into())
}

fn badge(l: Lang, s: ObligationStatus) -> String {
    format!(
        "<span class=\"badge {}\">{}</span>",
        s.as_str(),
        i18n::status(l, s)
    )
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

/// Chinese text first in the font stack, one page break before each section on paper.
const CSS_ZH: &str = r#"
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", system-ui, sans-serif; }
@media print { h2 { break-before: page; } h2.first { break-before: auto; } }
"#;

pub(super) fn render(r: &ComplianceReport) -> String {
    let l = r.lang;
    let s = &r.summary;
    let regimes: Vec<String> = r.regimes.iter().map(|x| x.to_uppercase()).collect();
    let title = l.pick(
        format!("Compliance report ({})", regimes.join(" + ")),
        format!("个人信息保护合规报告（{}）", regimes.join(" + ")),
    );
    let mut out = String::new();
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"{} {}\">\n<title>{}</title>\n<style>{CSS}{}</style>\n</head>\n<body>\n<main>\n",
        l.tag(),
        esc(&r.tool.name),
        esc(&r.tool.version),
        esc(&title),
        l.pick("", CSS_ZH)
    ));
    let datasets: Vec<String> = r.scorecard.iter().map(|d| esc(&d.dataset)).collect();
    out.push_str(&l.pick(
        format!(
            "<h1>{}</h1>\n<p class=\"sub\">{} · as of {} · generated {} by {} {}</p>\n",
            esc(&title),
            datasets.join(", "),
            esc(&r.run.as_of),
            esc(&r.run.started_at),
            esc(&r.tool.name),
            esc(&r.tool.version)
        ),
        format!(
            "<h1>{}</h1>\n<p class=\"sub\">{} · 基准日 {} · 由 {} {} 生成于 {}</p>\n",
            esc(&title),
            datasets.join("、"),
            esc(&r.run.as_of),
            esc(&r.tool.name),
            esc(&r.tool.version),
            esc(&r.run.started_at)
        ),
    ));

    // Executive summary.
    let c = &s.obligations;
    let total = c.pass + c.fail + c.needs_review;
    out.push_str(&l.pick(
        format!(
            "<section class=\"verdict {}\"><span class=\"big\">{}</span><span>{total} obligation(s): <b>{}</b> fail, <b>{}</b> need review, <b>{}</b> pass · quality gate <b>{}</b></span></section>\n",
            r.verdict.as_str(),
            r.verdict.label(),
            c.fail,
            c.needs_review,
            c.pass,
            if r.gate.passed { "passed" } else { "failed" }
        ),
        format!(
            "<section class=\"verdict {}\"><span class=\"big\">{}</span><span>共 {total} 项义务：<b>{}</b> 项不符合，<b>{}</b> 项待复核，<b>{}</b> 项符合 · 质量门禁<b>{}</b></span></section>\n",
            r.verdict.as_str(),
            i18n::status(l, r.verdict),
            c.fail,
            c.needs_review,
            c.pass,
            if r.gate.passed { "通过" } else { "未通过" }
        ),
    ));
    if !r.gate.reasons.is_empty() {
        out.push_str("<ul class=\"reasons\">");
        for reason in &r.gate.reasons {
            out.push_str(&format!(
                "<li>{}{}</li>",
                l.pick("gate: ", "质量门禁："),
                esc(&i18n::gate_reason(l, reason))
            ));
        }
        out.push_str("</ul>\n");
    }
    out.push_str(l.pick(
        "<h2>Executive summary</h2>\n<div class=\"cards\">",
        "<h2 class=\"first\">摘要</h2>\n<div class=\"cards\">",
    ));
    let (individuals, counted) = r.individuals_shown();
    for (n, label) in [
        (
            individuals,
            match counted {
                Counted::UnifiedIds => {
                    l.pick("individuals (unified IDs)", "人数（按统一客户编号去重）")
                }
                Counted::FuzzyPerDataset => {
                    l.pick("individuals (fuzzy-deduplicated)", "人数（模糊去重）")
                }
                Counted::Rows => l.pick("individuals (rows)", "人数（按行数，未去重）"),
            },
        ),
        (
            s.personal_columns,
            l.pick("personal-data columns", "个人信息字段"),
        ),
        (
            s.sensitive_columns,
            l.pick(
                "sensitive columns (PIPL Art. 28)",
                "敏感个人信息字段（《个人信息保护法》第二十八条）",
            ),
        ),
        (
            s.special_columns,
            l.pick(
                "special categories (GDPR Art. 9)",
                "特殊类别字段（《通用数据保护条例》第9条）",
            ),
        ),
        (
            s.sensitive_records,
            l.pick(
                "records with sensitive data (at least)",
                "含敏感个人信息的记录（至少）",
            ),
        ),
        (
            s.minors,
            l.pick("records of children under 14", "不满十四周岁未成年人的记录"),
        ),
    ] {
        out.push_str(&format!(
            "<div class=\"card\"><span class=\"n\">{n}</span><span class=\"l\">{label}</span></div>"
        ));
    }
    out.push_str("</div>\n<div class=\"charts\">");
    for sc in &r.scorecard {
        let bars: Vec<(&str, Option<f64>)> = Dimension::ALL
            .iter()
            .map(|d| (i18n::dimension(l, *d), sc.scores.get(*d)))
            .collect();
        out.push_str(&format!(
            "<div class=\"chart\"><h3>{}</h3>{}{}</div>",
            esc(&sc.dataset),
            svg::gauge(sc.scores.overall, l.pick("overall", "总分")),
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
                out.push_str(&l.pick(
                    format!(
                        "<div class=\"chart\"><h3>{}: overall, last {} runs</h3>{chart}</div>",
                        esc(&sc.dataset),
                        points.len()
                    ),
                    format!(
                        "<div class=\"chart\"><h3>{}：最近 {} 次运行的总分</h3>{chart}</div>",
                        esc(&sc.dataset),
                        points.len()
                    ),
                ));
            }
        }
    }
    out.push_str("</div>\n");

    // Obligations at a glance.
    out.push_str(l.pick("<h2>Obligations</h2>\n<table><thead><tr><th>status</th><th>id</th><th>obligation</th><th>articles</th></tr></thead><tbody>\n", "<h2>合规义务</h2>\n<table><thead><tr><th>结论</th><th>编号</th><th>义务</th><th>法律依据</th></tr></thead><tbody>\n"));
    for f in &r.findings {
        out.push_str(&format!(
            "<tr><td>{}</td><td class=\"nowrap\"><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td></tr>\n",
            badge(l, f.status),
            esc(&f.id),
            esc(&f.id),
            esc(&f.title),
            esc(&i18n::articles(l, &f.articles))
        ));
    }
    out.push_str("</tbody></table>\n");
    people_sections(&mut out, r);

    // Declarations.
    out.push_str(l.pick("<h2>Declarations</h2>\n", "<h2>处理者声明</h2>\n"));
    if r.declarations.is_empty() {
        out.push_str(l.pick(
            "<p>No <code>compliance:</code> section in the rule files.</p>\n",
            "<p>规则文件中没有 <code>compliance:</code> 配置。</p>\n",
        ));
    } else {
        out.push_str(l.pick("<table><thead><tr><th>dataset</th><th>purpose</th><th>lawful basis</th><th>retention</th><th>destination</th><th>data controller</th><th>declared columns</th></tr></thead><tbody>\n", "<table><thead><tr><th>数据集</th><th>处理目的</th><th>处理依据</th><th>保存期限</th><th>接收地</th><th>个人信息处理者</th><th>声明的字段</th></tr></thead><tbody>\n"));
        for d in &r.declarations {
            let retention = match (&d.retention, &d.retention_column) {
                (Some(p), Some(c)) => l.pick(
                    format!("{} by <code>{}</code>", esc(p), esc(c)),
                    format!("{}（按 <code>{}</code>）", esc(p), esc(c)),
                ),
                _ => "—".into(),
            };
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{retention}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                esc(&d.dataset),
                opt(&d.purpose),
                d.lawful_basis
                    .as_deref()
                    .map(|b| esc(&i18n::lawful_basis(l, b)))
                    .unwrap_or_else(|| "—".into()),
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
    out.push_str(l.pick(
        "<h2>Personal-data inventory</h2>\n",
        "<h2>个人信息清单</h2>\n",
    ));
    if r.inventory.is_empty() {
        out.push_str(l.pick(
            "<p>No personal-data column found.</p>\n",
            "<p>未发现个人信息字段。</p>\n",
        ));
    } else {
        out.push_str(l.pick("<table><thead><tr><th>dataset</th><th>column</th><th>category</th><th>sensitivity</th><th class=\"num\">values</th><th class=\"num\">children &lt; 14</th><th>protection</th><th>declared</th></tr></thead><tbody>\n", "<table><thead><tr><th>数据集</th><th>字段</th><th>类别</th><th>敏感程度</th><th class=\"num\">值的数量</th><th class=\"num\">不满十四周岁</th><th>保护状态</th><th>已声明</th></tr></thead><tbody>\n"));
        for i in &r.inventory {
            out.push_str(&format!(
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td><span class=\"prot {}\" title=\"{}\">{}</span></td><td>{}</td></tr>\n",
                esc(&i.dataset),
                esc(&i.column),
                esc(&i18n::category_shown(l, i)),
                esc(&i18n::sensitivity(l, &i.sensitivity)),
                i.present,
                i.minors.map(|m| m.to_string()).unwrap_or_else(|| "—".into()),
                i.protection.as_str(),
                esc(&i.protection_evidence),
                i18n::protection(l, i.protection),
                match (l, i.declared) {
                    (Lang::En, Some(true)) => "yes",
                    (Lang::En, Some(false)) => "<span class=\"no\">no</span>",
                    (Lang::ZhCn, Some(true)) => "是",
                    (Lang::ZhCn, Some(false)) => "<span class=\"no\">否</span>",
                    (_, None) => "—",
                }
            ));
        }
        out.push_str("</tbody></table>\n");
    }

    grading_section(&mut out, r);

    // Scorecard.
    out.push_str(l.pick("<h2>Quality scorecard</h2>\n<table><thead><tr><th>dataset</th><th class=\"num\">rows</th><th class=\"num\">overall</th><th class=\"num\">gate min</th>", "<h2>数据质量评分</h2>\n<table><thead><tr><th>数据集</th><th class=\"num\">记录数</th><th class=\"num\">总分</th><th class=\"num\">门限</th>"));
    for d in Dimension::ALL {
        out.push_str(&format!("<th class=\"num\">{}</th>", i18n::dimension(l, d)));
    }
    out.push_str(l.pick(
        "<th class=\"num\">checks not passing</th></tr></thead><tbody>\n",
        "<th class=\"num\">未通过的检查</th></tr></thead><tbody>\n",
    ));
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
            "<td class=\"num\">{} {} {}</td></tr>\n",
            sc.checks_not_passing,
            l.pick("of", "/"),
            sc.checks
        ));
    }
    out.push_str("</tbody></table>\n");

    if !r.quality_issues.is_empty() {
        out.push_str(&l.pick(
            format!(
                "<details open><summary>{} quality check(s) not passing</summary><table><thead><tr><th>status</th><th>dataset</th><th>check</th><th>dimension</th><th class=\"num\">failed / evaluated</th><th class=\"num\">score</th></tr></thead><tbody>\n",
                r.quality_issues.len()
            ),
            format!(
                "<details open><summary>{} 项质量检查未通过</summary><table><thead><tr><th>状态</th><th>数据集</th><th>检查</th><th>维度</th><th class=\"num\">未通过 / 评估数</th><th class=\"num\">得分</th></tr></thead><tbody>\n",
                r.quality_issues.len()
            ),
        ));
        for q in &r.quality_issues {
            out.push_str(&format!(
                "<tr><td><span class=\"st {}\">{}</span></td><td>{}</td><td><code>{}</code></td><td>{}</td><td class=\"num\">{} / {}</td><td class=\"num\">{:.2}</td></tr>\n",
                esc(&q.status),
                esc(&i18n::check_status(l, &q.status)),
                esc(&q.dataset),
                esc(&q.check),
                esc(&i18n::dimension_id(l, &q.dimension)),
                q.failed,
                q.evaluated,
                q.score
            ));
        }
        out.push_str("</tbody></table></details>\n");
    }

    // Duplicates.
    out.push_str(l.pick("<h2>Duplicates</h2>\n", "<h2>重复记录</h2>\n"));
    if r.duplicates.is_empty() {
        out.push_str(l.pick(
            "<p>No unique or duplicate-key check in the rule files.</p>\n",
            "<p>规则文件中没有唯一性或重复键检查。</p>\n",
        ));
    } else {
        out.push_str(l.pick("<table><thead><tr><th>dataset</th><th>check</th><th>key</th><th class=\"num\">duplicated values</th><th class=\"num\">rows in groups</th><th class=\"num\">excess rows</th></tr></thead><tbody>\n", "<table><thead><tr><th>数据集</th><th>检查</th><th>键</th><th class=\"num\">重复的值</th><th class=\"num\">重复组内行数</th><th class=\"num\">多余行数</th></tr></thead><tbody>\n"));
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
        out.push_str(l.pick("<h2>Anonymisation (GB/T 42460-2023)</h2>\n<p>Re-identification risk of each extract at k &ge; 5 and highest prosecutor risk &le; 0.2 (<code>steward risk</code>, docs/risk.md): evidence for PIPL Art. 51 and Art. 73(4), GB/T 37964-2019, GDPR Recital 26 and Art. 25, 32.</p>\n<table><thead><tr><th>dataset</th><th>grade</th><th>direct identifiers in clear</th><th>quasi-identifiers</th><th class=\"num\">k</th><th class=\"num\">records below k</th><th class=\"num\">highest / average risk</th></tr></thead><tbody>\n", "<h2>去标识化效果评估（GB/T 42460-2023）</h2>\n<p>各数据在 k &ge; 5、最高重识别风险 &le; 0.2 标准下的重识别风险（<code>steward risk</code>，docs/risk.md）：作为《个人信息保护法》第五十一条、第七十三条第（四）项、GB/T 37964-2019 及《通用数据保护条例》鉴于条款第26条、第25条、第32条的证据。</p>\n<table><thead><tr><th>数据集</th><th>评估结论</th><th>明文直接标识符</th><th>准标识符</th><th class=\"num\">k</th><th class=\"num\">低于 k 的记录</th><th class=\"num\">最高 / 平均风险</th></tr></thead><tbody>\n"));
        for a in &r.anonymisation {
            let list = |v: &[String]| {
                if v.is_empty() {
                    l.pick("none", "无").to_string()
                } else {
                    esc(&v.join(", "))
                }
            };
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{} {} {}</td><td class=\"num\">{:.4} / {:.4}</td></tr>\n",
                esc(&a.dataset),
                esc(&i18n::grade(l, &a.grade)),
                list(&a.direct_in_clear),
                list(&a.quasi_identifiers),
                a.k,
                a.records_below_k,
                l.pick("of", "/"),
                a.rows,
                a.highest_risk,
                a.average_risk
            ));
        }
        out.push_str("</tbody></table>\n");
    }

    record_sections(&mut out, r);

    // History.
    if let Some(h) = &r.history {
        out.push_str(&l.pick(
            format!(
                "<h2>History</h2>\n<p>{} earlier run(s) recorded.</p>\n<table><thead><tr><th>dataset</th><th class=\"num\">previous</th><th class=\"num\">now</th><th class=\"num\">change</th><th class=\"num\">max drop</th></tr></thead><tbody>\n",
                h.previous_runs
            ),
            format!(
                "<h2>历史记录</h2>\n<p>已记录此前 {} 次运行。</p>\n<table><thead><tr><th>数据集</th><th class=\"num\">上次</th><th class=\"num\">本次</th><th class=\"num\">变化</th><th class=\"num\">允许最大降幅</th></tr></thead><tbody>\n",
                h.previous_runs
            ),
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
    out.push_str(l.pick("<h2>Findings</h2>\n", "<h2>审计发现</h2>\n"));
    for f in &r.findings {
        out.push_str(&format!(
            "<section class=\"finding {}\" id=\"{}\"><h3>{} {}{}{}</h3><p class=\"refs\">{}",
            f.status.as_str(),
            esc(&f.id),
            badge(l, f.status),
            esc(&f.id),
            l.pick(": ", "："),
            esc(&f.title),
            esc(&i18n::articles(l, &f.articles))
        ));
        if !f.references.is_empty() {
            out.push_str(&format!(
                " · {}",
                esc(&f.references.join(l.pick("; ", "；")))
            ));
        }
        out.push_str(&format!("</p><p>{}</p><ul>", esc(&f.requirement)));
        for e in &f.evidence {
            out.push_str(&format!("<li>{}</li>", esc(e)));
        }
        out.push_str(&format!(
            "</ul><p class=\"refs\">{} <code>{}</code></p>",
            l.pick("evidence:", "证据类型："),
            esc(&f.evidence_kind)
        ));
        if f.status != ObligationStatus::Pass {
            out.push_str(&format!(
                "<p class=\"fix\"><b>{}</b> {}</p>",
                l.pick("Remediation:", "整改建议："),
                esc(&f.remediation)
            ));
        }
        audit_items(&mut out, l, &f.audit_items);
        out.push_str("</section>\n");
    }

    // Run metadata.
    let labels = l.pick(
        [
            "Run",
            "tool",
            "started",
            "duration",
            "ms",
            "as of",
            "rules sha256",
            "rule files",
        ],
        [
            "运行信息",
            "工具",
            "开始时间",
            "耗时",
            "ms",
            "基准日",
            "规则文件 sha256",
            "规则文件",
        ],
    );
    out.push_str(&format!(
        "<h2>{}</h2>\n<table><tbody>\n<tr><th>{}</th><td>{} {}</td></tr>\n<tr><th>{}</th><td>{}</td></tr>\n<tr><th>{}</th><td>{} {}</td></tr>\n<tr><th>{}</th><td>{}</td></tr>\n<tr><th>{}</th><td class=\"hash\">{}</td></tr>\n<tr><th>{}</th><td>{}</td></tr>\n",
        labels[0],
        labels[1],
        esc(&r.tool.name),
        esc(&r.tool.version),
        labels[2],
        esc(&r.run.started_at),
        labels[3],
        r.run.duration_ms,
        labels[4],
        labels[5],
        esc(&r.run.as_of),
        labels[6],
        esc(&r.run.rules_sha256),
        labels[7],
        esc(&r.run.rule_files.join(", "))
    ));
    if let Some(a) = &r.audit_log {
        out.push_str(&format!(
            "<tr><th>{}</th><td>{}</td></tr>\n",
            l.pick("audit log", "审计日志"),
            i18n::audit_log_line(l, a)
        ));
    }
    out.push_str(l.pick("</tbody></table>\n<table><thead><tr><th>input</th><th>dataset</th><th>format</th><th class=\"num\">rows</th><th class=\"num\">bytes</th><th>sha256</th></tr></thead><tbody>\n", "</tbody></table>\n<table><thead><tr><th>输入文件</th><th>数据集</th><th>格式</th><th class=\"num\">记录数</th><th class=\"num\">字节数</th><th>sha256</th></tr></thead><tbody>\n"));
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
    out.push_str(l.pick(
        "<div class=\"sign\"><div>Reviewed by</div><div>Role</div><div>Date and signature</div></div>\n",
        "<div class=\"sign\"><div>审核人</div><div>职务</div><div>日期及签字</div></div>\n",
    ));
    out.push_str(&format!(
        "<p class=\"foot\">{}</p>\n</main>\n</body>\n</html>\n",
        esc(&r.scoring_formula)
    ));
    out
}

fn table_head(out: &mut String, cols: &[(&str, bool)]) {
    out.push_str("<table><thead><tr>");
    for (c, num) in cols {
        if *num {
            out.push_str(&format!("<th class=\"num\">{c}</th>"));
        } else {
            out.push_str(&format!("<th>{c}</th>"));
        }
    }
    out.push_str("</tr></thead><tbody>\n");
}

/// Individuals and the regulation thresholds applied to them.
fn people_sections(out: &mut String, r: &ComplianceReport) {
    let l = r.lang;
    if let Some(h) = &r.headcount {
        out.push_str(&format!(
            "<h2>{}</h2>\n<p>{}</p>\n",
            l.pick("Individuals", "个人信息主体人数"),
            esc(&h.explanation)
        ));
        table_head(
            out,
            &l.pick(
                [
                    ("dataset", false),
                    ("rows", true),
                    ("people", true),
                    ("with sensitive personal information", true),
                ],
                [
                    ("数据集", false),
                    ("记录数", true),
                    ("人数", true),
                    ("涉及敏感个人信息的人数", true),
                ],
            ),
        );
        for d in &h.datasets {
            out.push_str(&format!(
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                esc(&d.dataset),
                d.rows,
                d.people,
                d.sensitive_people
            ));
        }
        out.push_str(&format!(
            "<tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr>\n</tbody></table>\n",
            l.pick("all inputs", "全部输入"),
            h.rows,
            h.people,
            h.sensitive_people
        ));
    }
    if r.calculations.is_empty() {
        return;
    }
    out.push_str(&format!(
        "<h2>{}</h2>\n",
        l.pick("Regulation thresholds", "法定阈值测算")
    ));
    table_head(
        out,
        &l.pick(
            [
                ("result", false),
                ("calculation", false),
                ("people", true),
                ("sensitive", true),
                ("rule and source", false),
            ],
            [
                ("结论", false),
                ("测算项", false),
                ("人数", true),
                ("敏感个人信息人数", true),
                ("适用规则及依据", false),
            ],
        ),
    );
    for c in &r.calculations {
        out.push_str(&format!(
            "<tr><td>{} {}</td><td><b>{}</b><br>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}<br><span class=\"refs\">{}{}</span></td></tr>\n",
            badge(l, c.status),
            esc(&c.result),
            i18n::calculation_name(l, &c.id),
            esc(&c.subject),
            c.people,
            c.sensitive_people,
            esc(&c.rule),
            esc(&c.source),
            if c.verified { "" } else { l.pick(" (not verified)", "（未核实）") }
        ));
    }
    out.push_str("</tbody></table>\n");
}

/// GB/T 43697-2024 grading suggestion.
fn grading_section(out: &mut String, r: &ComplianceReport) {
    let l = r.lang;
    if r.grading.is_empty() {
        return;
    }
    out.push_str(l.pick(
        "<h2>Classification and grading (GB/T 43697-2024, suggestion)</h2>\n<p>A suggestion for the officer to confirm, not a determination.</p>\n",
        "<h2>数据分类分级建议（GB/T 43697-2024）</h2>\n<p>以下为供负责人确认的建议，并非最终认定。</p>\n",
    ));
    table_head(
        out,
        &l.pick(
            [
                ("dataset", false),
                ("suggested level", false),
                ("sensitive personal information", false),
                ("personal information", false),
                ("why", false),
            ],
            [
                ("数据集", false),
                ("建议级别", false),
                ("敏感个人信息字段", false),
                ("一般个人信息字段", false),
                ("理由", false),
            ],
        ),
    );
    for g in &r.grading {
        let cols = |class: &str| {
            let v: Vec<String> = g
                .columns
                .iter()
                .filter(|c| c.class == class)
                .map(|c| format!("<code>{}</code>", esc(&c.column)))
                .collect();
            if v.is_empty() {
                "—".to_string()
            } else {
                v.join(" ")
            }
        };
        out.push_str(&format!(
            "<tr><td>{}</td><td><b>{}</b></td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            esc(&g.dataset),
            esc(&g.level_shown),
            cols("sensitive_personal"),
            cols("personal"),
            esc(&g.why)
        ));
    }
    out.push_str("</tbody></table>\n");
}

/// The draft record of processing and the impact-assessment pre-screen.
fn record_sections(out: &mut String, r: &ComplianceReport) {
    let l = r.lang;
    if !r.processing_records.is_empty() {
        out.push_str(l.pick(
            "<h2>Record of processing (draft, GDPR Art. 30)</h2>\n",
            "<h2>个人信息处理活动记录（草稿）</h2>\n",
        ));
        for p in &r.processing_records {
            out.push_str(&format!("<h3>{}</h3>\n<table><tbody>\n", esc(&p.dataset)));
            for (k, v) in &p.fields {
                out.push_str(&format!(
                    "<tr><th>{}</th><td>{}</td></tr>\n",
                    esc(k),
                    esc(v)
                ));
            }
            out.push_str("</tbody></table>\n");
        }
    }
    if !r.impact_prescreen.is_empty() {
        out.push_str(l.pick(
            "<h2>Impact assessment pre-screen (PIA / DPIA)</h2>\n",
            "<h2>个人信息保护影响评估预筛</h2>\n",
        ));
        table_head(
            out,
            &l.pick(
                [
                    ("criterion", false),
                    ("shown by the data", false),
                    ("evidence", false),
                    ("source", false),
                ],
                [
                    ("评估情形", false),
                    ("数据显示", false),
                    ("证据", false),
                    ("依据", false),
                ],
            ),
        );
        for c in &r.impact_prescreen {
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                esc(&c.label),
                i18n::criterion_state(l, &c.state),
                esc(&c.evidence),
                esc(&c.source)
            ));
        }
        out.push_str("</tbody></table>\n");
    }
}

/// The audit-guideline items a finding serves.
fn audit_items(out: &mut String, l: Lang, items: &[super::AuditItem]) {
    if items.is_empty() {
        return;
    }
    out.push_str(&format!(
        "<details><summary>{}</summary><table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        l.pick("Audit items (PI protection compliance audit guidelines)", "审计事项（《个人信息保护合规审计指引》）"),
        l.pick("item", "事项"),
        l.pick("audit content", "审计内容"),
        l.pick("method and evidence", "审计方法及证据")
    ));
    for a in items {
        let article = l.pick(
            format!("art. {}", a.article),
            format!("第{}条", i18n::zh_number(a.article)),
        );
        out.push_str(&format!(
            "<tr><td class=\"nowrap\">{} · {}{}<br>{}</td><td>{}</td><td>{}<br><span class=\"refs\">{}</span></td></tr>",
            esc(&a.id),
            article,
            if a.verified { "" } else { l.pick(" (not verified)", "（未核实）") },
            esc(&a.title),
            esc(&a.content),
            esc(&a.method),
            esc(&a.references.join(l.pick("; ", "；")))
        ));
    }
    out.push_str("</tbody></table></details>");
}
