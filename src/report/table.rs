//! Terminal output: a one-line verdict, then per dataset the scores and checks as tables.
//! Renderers only read the model.

use tabled::builder::Builder;
use tabled::settings::Style;

use super::{Dimension, Report, fmt_score, ordered_checks, sample_text, verdict_line};

pub(super) fn render(report: &Report) -> String {
    let mut out = format!("{}\n", verdict_line(report));
    for d in &report.datasets {
        out.push_str(&format!("\n{} — {} rows\n", d.name, d.rows));
        let mut scores = Builder::default();
        scores.push_record(["dimension", "score", "checks", "not passing"]);
        for dim in Dimension::ALL {
            let of: Vec<_> = d.checks.iter().filter(|c| c.dimension == dim).collect();
            let failing = of
                .iter()
                .filter(|c| c.status != super::Status::Pass)
                .count();
            scores.push_record([
                dim.as_str().to_string(),
                fmt_score(d.scores.get(dim)),
                of.len().to_string(),
                failing.to_string(),
            ]);
        }
        scores.push_record([
            "overall".to_string(),
            fmt_score(d.scores.overall),
            d.checks.len().to_string(),
            String::new(),
        ]);
        let mut t = scores.build();
        t.with(Style::sharp());
        out.push_str(&format!("{t}\n"));
        if d.checks.is_empty() {
            continue;
        }
        let mut checks = Builder::default();
        checks.push_record([
            "status",
            "check",
            "dimension",
            "evaluated",
            "failed",
            "score",
        ]);
        for c in ordered_checks(d) {
            checks.push_record([
                c.status.as_str().to_uppercase(),
                c.id.clone(),
                c.dimension.as_str().to_string(),
                c.evaluated.to_string(),
                c.failed.to_string(),
                format!("{:.2}", c.score),
            ]);
        }
        let mut t = checks.build();
        t.with(Style::sharp());
        out.push_str(&format!("{t}\n"));
        for c in ordered_checks(d)
            .into_iter()
            .filter(|c| !c.samples.is_empty())
        {
            let samples: Vec<String> = c.samples.iter().map(sample_text).collect();
            out.push_str(&format!("  {}: {}\n", c.id, samples.join(", ")));
        }
        if let Some(drift) = &d.drift {
            out.push_str(&format!("drift since {}:\n", drift.previous_started_at));
            for line in drift.lines() {
                out.push_str(&format!("  {line}\n"));
            }
        }
        if !d.anomalies.is_empty() {
            out.push_str("anomalies:\n");
            for a in &d.anomalies {
                out.push_str(&format!("  {}\n", a.line()));
            }
        }
    }
    if !report.gate.reasons.is_empty() {
        out.push_str("\ngate:\n");
        for r in &report.gate.reasons {
            out.push_str(&format!("  - {r}\n"));
        }
    }
    out.push_str(&format!(
        "\nas of {} · scoring: {}\n",
        report.run.as_of, report.scoring_formula
    ));
    out
}
