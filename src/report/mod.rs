//! The report model and its renderers (table, json, markdown, junit; the compliance
//! report's html, markdown and json in `compliance`).
//!
//! Renderers only read the model; they never query data, and print nothing that is not
//! in it. Output is deterministic: no clock, no hash-map order.

pub mod classification;
pub mod compliance;
pub mod dedupe;
pub mod history;
pub mod history_render;
mod junit;
mod markdown;
pub mod masking;
pub mod model;
pub mod risk;
mod table;

pub use model::*;

/// Output formats of `steward scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Markdown,
    Junit,
}

pub fn render(report: &Report, format: Format) -> String {
    render_in(report, format, compliance::Lang::En)
}

/// Render with the prose in `lang`: the Markdown is translated; the table, JSON and
/// JUnit stay as they are (machine formats and the terminal view).
pub fn render_in(report: &Report, format: Format, lang: compliance::Lang) -> String {
    match format {
        Format::Table => table::render(report),
        Format::Json => json(report),
        Format::Markdown => markdown::render(report, lang),
        Format::Junit => junit::render(report),
    }
}

fn json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("the report model always serializes");
    s.push('\n');
    s
}

/// `PASS  ...` or `FAIL  ...`: the one-line verdict.
pub fn verdict_line(report: &Report) -> String {
    let checks: usize = report.datasets.iter().map(|d| d.checks.len()).sum();
    if report.gate.passed {
        format!(
            "PASS  all gates met ({} dataset(s), {checks} checks)",
            report.datasets.len()
        )
    } else {
        format!("FAIL  gate failed: {}", report.gate.reasons.join("; "))
    }
}

/// A score for display: two decimals, `-` for none.
pub(crate) fn fmt_score(s: Option<f64>) -> String {
    s.map(|s| format!("{s:.2}")).unwrap_or_else(|| "-".into())
}

/// Failing checks first, then the rest; each group in report order.
pub(crate) fn ordered_checks(d: &DatasetReport) -> Vec<&CheckResult> {
    let mut v: Vec<&CheckResult> = d
        .checks
        .iter()
        .filter(|c| c.status != Status::Pass)
        .collect();
    v.extend(d.checks.iter().filter(|c| c.status == Status::Pass));
    v
}

/// A sample on one line: `key → value (×count)`, line breaks, tabs and other control
/// characters inside a value (a multi-line note) written as `\n`, `\r`, `\t`, `\u{..}`.
pub(crate) fn sample_text(s: &Sample) -> String {
    let mut out = match (&s.key, &s.value) {
        (Some(k), Some(v)) => format!("{} → {}", one_line(k), one_line(v)),
        (Some(k), None) => one_line(k),
        (None, Some(v)) => one_line(v),
        (None, None) => String::new(),
    };
    if let Some(n) = s.count {
        out.push_str(&format!(" (×{n})"));
    }
    out
}

/// `text` with its control characters escaped, so that it stays on one line.
fn one_line(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod test_support;
