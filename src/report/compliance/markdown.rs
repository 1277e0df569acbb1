//! The compliance report as Markdown, for a pull request or a ticket. Every value from
//! data, rule files or paths is escaped. Reads only the model.

use super::{ComplianceReport, ObligationStatus};
use crate::report::markdown::escape;
use crate::report::{Dimension, fmt_score};

fn opt(s: &Option<String>) -> String {
    s.as_deref().map(escape).unwrap_or_else(|| "—".into())
}

fn status(s: ObligationStatus) -> String {
    format!("**{}**", s.label())
}

pub(super) fn render(r: &ComplianceReport) -> String {
    let s = &r.summary;
    let regimes: Vec<String> = r.regimes.iter().map(|x| x.to_uppercase()).collect();
    let mut out = format!("# steward compliance report: {}\n\n", r.verdict.label());
    out.push_str(&format!(
        "{} · as of {} · {} dataset(s) · {} individual(s) ({}) · {} personal column(s), {} sensitive, {} special · {} sensitive record(s) · {} child record(s) under 14\n\n",
        regimes.join(" + "),
        escape(&r.run.as_of),
        s.datasets,
        s.individuals,
        if s.individuals_deduplicated { "fuzzy-deduplicated" } else { "rows" },
        s.personal_columns,
        s.sensitive_columns,
        s.special_columns,
        s.sensitive_records,
        s.minors
    ));
    let c = &s.obligations;
    out.push_str(&format!(
        "| obligations | fail | needs review | pass | quality gate |\n|---:|---:|---:|---:|---|\n| {} | {} | {} | {} | {} |\n",
        c.pass + c.fail + c.needs_review,
        c.fail,
        c.needs_review,
        c.pass,
        if r.gate.passed { "passed" } else { "failed" }
    ));
    for reason in &r.gate.reasons {
        out.push_str(&format!("\n- gate: {}", escape(reason)));
    }
    if !r.gate.reasons.is_empty() {
        out.push('\n');
    }

    out.push_str(
        "\n## Obligations\n\n| status | id | obligation | articles |\n|---|---|---|---|\n",
    );
    for f in &r.findings {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            status(f.status),
            escape(&f.id),
            escape(&f.title),
            escape(&f.articles.join(", "))
        ));
    }

    out.push_str("\n## Declarations\n\n");
    if r.declarations.is_empty() {
        out.push_str("No `compliance:` section in the rule files.\n");
    } else {
        out.push_str("| dataset | purpose | lawful basis | retention | destination | data controller | declared columns |\n|---|---|---|---|---|---|---|\n");
        for d in &r.declarations {
            let retention = match (&d.retention, &d.retention_column) {
                (Some(p), Some(c)) => format!("{} by {}", escape(p), escape(c)),
                _ => "—".into(),
            };
            out.push_str(&format!(
                "| {} | {} | {} | {retention} | {} | {} | {} |\n",
                escape(&d.dataset),
                opt(&d.purpose),
                opt(&d.lawful_basis),
                opt(&d.destination),
                opt(&d.data_controller),
                d.declared_columns
                    .as_ref()
                    .map(|c| escape(&c.join(", ")))
                    .unwrap_or_else(|| "—".into())
            ));
        }
    }

    out.push_str("\n## Personal-data inventory\n\n");
    if r.inventory.is_empty() {
        out.push_str("No personal-data column found.\n");
    } else {
        out.push_str("| dataset | column | category | sensitivity | values | children < 14 | protection | declared |\n|---|---|---|---|---:|---:|---|---|\n");
        for i in &r.inventory {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
                escape(&i.dataset),
                escape(&i.column),
                escape(&i.category_shown()),
                i.sensitivity,
                i.present,
                i.minors
                    .map(|m| m.to_string())
                    .unwrap_or_else(|| "—".into()),
                i.protection.as_str(),
                match i.declared {
                    Some(true) => "yes",
                    Some(false) => "**no**",
                    None => "—",
                }
            ));
        }
    }

    out.push_str("\n## Quality scorecard\n\n| dataset | rows | overall | gate min |");
    for d in Dimension::ALL {
        out.push_str(&format!(" {d} |"));
    }
    out.push_str(" checks not passing |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
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
        out.push_str(&format!(" {} of {} |\n", sc.checks_not_passing, sc.checks));
    }

    if !r.quality_issues.is_empty() {
        out.push_str(&format!(
            "\n<details><summary>{} quality check(s) not passing</summary>\n\n| status | dataset | check | dimension | failed / evaluated | score |\n|---|---|---|---|---:|---:|\n",
            r.quality_issues.len()
        ));
        for q in &r.quality_issues {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} / {} | {:.2} |\n",
                q.status,
                escape(&q.dataset),
                escape(&q.check),
                q.dimension,
                q.failed,
                q.evaluated,
                q.score
            ));
        }
        out.push_str("\n</details>\n");
    }

    out.push_str("\n## Duplicates\n\n");
    if r.duplicates.is_empty() {
        out.push_str("No unique or duplicate-key check in the rule files.\n");
    } else {
        out.push_str("| dataset | check | key | duplicated values | rows in groups | excess rows |\n|---|---|---|---:|---:|---:|\n");
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
        out.push_str("\n## Anonymisation (GB/T 42460-2023)\n\nRe-identification risk of each extract at k ≥ 5 and highest prosecutor risk ≤ 0.2 (`steward risk`, docs/risk.md): evidence for PIPL Art. 51 and Art. 73(4), GB/T 37964-2019, GDPR Recital 26 and Art. 25, 32.\n\n| dataset | grade | direct identifiers in clear | quasi-identifiers | k | records below k | highest / average risk |\n|---|---|---|---|---:|---:|---:|\n");
        for a in &r.anonymisation {
            let list = |v: &[String]| {
                if v.is_empty() {
                    "none".to_string()
                } else {
                    escape(&v.join(", "))
                }
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} of {} | {:.4} / {:.4} |\n",
                escape(&a.dataset),
                escape(&a.grade),
                list(&a.direct_in_clear),
                list(&a.quasi_identifiers),
                a.k,
                a.records_below_k,
                a.rows,
                a.highest_risk,
                a.average_risk
            ));
        }
    }

    if let Some(h) = &r.history {
        out.push_str(&format!(
            "\n## History\n\n{} earlier run(s) recorded.\n\n| dataset | previous | now | change | max drop |\n|---|---:|---:|---:|---:|\n",
            h.previous_runs
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
            out.push_str("\n| run | dataset | overall |\n|---|---|---:|\n");
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

    out.push_str("\n## Findings\n");
    for f in &r.findings {
        out.push_str(&format!(
            "\n### {} {}: {}\n\n*{}*",
            status(f.status),
            escape(&f.id),
            escape(&f.title),
            escape(&f.articles.join(", "))
        ));
        if !f.references.is_empty() {
            out.push_str(&format!(" · {}", escape(&f.references.join("; "))));
        }
        out.push_str(&format!(
            "\n\n{}\n\nEvidence (`{}`):\n\n",
            escape(&f.requirement),
            f.evidence_kind
        ));
        for e in &f.evidence {
            out.push_str(&format!("- {}\n", escape(e)));
        }
        if f.status != ObligationStatus::Pass {
            out.push_str(&format!("\nRemediation: {}\n", escape(&f.remediation)));
        }
    }

    out.push_str(&format!(
        "\n## Run\n\n| | |\n|---|---|\n| tool | {} {} |\n| started | {} |\n| duration | {} ms |\n| as of | {} |\n| rules sha256 | `{}` |\n| rule files | {} |\n",
        escape(&r.tool.name),
        escape(&r.tool.version),
        escape(&r.run.started_at),
        r.run.duration_ms,
        escape(&r.run.as_of),
        escape(&r.run.rules_sha256),
        escape(&r.run.rule_files.join(", "))
    ));
    if let Some(a) = &r.audit_log {
        out.push_str(&format!(
            "| audit log | {} entries, {} |\n",
            a.entries,
            if a.intact {
                "chain intact".to_string()
            } else {
                format!("chain broken at line {}", a.first_bad_line.unwrap_or(0))
            }
        ));
    }
    out.push_str(
        "\n| input | dataset | format | rows | bytes | sha256 |\n|---|---|---|---:|---:|---|\n",
    );
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
