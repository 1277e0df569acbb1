//! JUnit XML: one testcase per check, so CI systems list each check and show failures
//! with their counts; plus a `gate` testcase. Warnings pass with their text in
//! `system-out`. No timestamps, so output is deterministic. Renderers only read the model.

use super::{CheckResult, Report, Status, sample_text};

/// Escape for XML 1.0 text and attributes, dropping characters XML cannot carry.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

fn summary(c: &CheckResult) -> String {
    let mut s = format!(
        "{} of {} rows failed (score {:.2}",
        c.failed, c.evaluated, c.score
    );
    if let Some(m) = c.min_pass_rate {
        s.push_str(&format!(", min pass rate {m}"));
    }
    s.push(')');
    if let (Some(v), Some(r)) = (c.duplicate_values, c.duplicate_rows) {
        s.push_str(&format!("; {v} duplicated values in {r} rows"));
    }
    s
}

fn details(c: &CheckResult) -> String {
    let mut s = format!("{}\n{}\n", c.description, summary(c));
    for sample in &c.samples {
        s.push_str(&format!("  {}\n", sample_text(sample)));
    }
    s
}

pub(super) fn render(report: &Report) -> String {
    let tests: usize = report
        .datasets
        .iter()
        .map(|d| d.checks.len())
        .sum::<usize>()
        + 1;
    let failures: usize = report
        .datasets
        .iter()
        .flat_map(|d| &d.checks)
        .filter(|c| c.status == Status::Fail)
        .count()
        + usize::from(!report.gate.passed);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"steward\" tests=\"{tests}\" failures=\"{failures}\">\n"
    ));
    for d in &report.datasets {
        let f = d.checks.iter().filter(|c| c.status == Status::Fail).count();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{f}\">\n",
            xml(&d.name),
            d.checks.len()
        ));
        for c in &d.checks {
            out.push_str(&format!(
                "    <testcase classname=\"{}.{}\" name=\"{}\">",
                xml(&d.name),
                c.dimension,
                xml(&c.id)
            ));
            match c.status {
                Status::Pass => {}
                Status::Fail => out.push_str(&format!(
                    "\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    ",
                    xml(&summary(c)),
                    xml(&c.kind),
                    xml(&details(c))
                )),
                Status::Warn => out.push_str(&format!(
                    "\n      <system-out>warning: {}</system-out>\n    ",
                    xml(&details(c))
                )),
            }
            out.push_str("</testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str(&format!(
        "  <testsuite name=\"steward.gate\" tests=\"1\" failures=\"{}\">\n    <testcase classname=\"steward\" name=\"gate\">",
        usize::from(!report.gate.passed)
    ));
    if !report.gate.passed {
        out.push_str(&format!(
            "\n      <failure message=\"gate failed\" type=\"gate\">{}</failure>\n    ",
            xml(&report.gate.reasons.join("\n"))
        ));
    }
    out.push_str("</testcase>\n  </testsuite>\n</testsuites>\n");
    out
}
