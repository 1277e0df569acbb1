//! `steward risk`: the re-identification risk report model (plain data, every figure
//! computed by `pipeline::risk`) and its table, Markdown and JSON renderers. No value
//! of the data is held: classes are reported by size only.

use serde::Serialize;
use tabled::builder::Builder;
use tabled::settings::Style;

use super::markdown::escape;

#[derive(Debug, Clone, Serialize)]
pub struct RiskReport {
    /// The target k (`--k`).
    pub k_target: u64,
    /// The prosecutor-risk threshold (`--max-risk`).
    pub max_risk: f64,
    pub datasets: Vec<DatasetRisk>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DatasetRisk {
    pub name: String,
    pub rows: u64,
    /// The column naming the individual behind a record (`--individual`), if any.
    pub individual: Option<String>,
    pub direct_identifiers: Vec<DirectIdentifier>,
    pub quasi_identifiers: Vec<QuasiIdentifier>,
    pub classes: u64,
    pub k: u64,
    pub classes_below_k: u64,
    pub records_below_k: u64,
    pub records_below_k_share: f64,
    pub sample_uniques: u64,
    pub prosecutor: RiskFigures,
    pub records_at_risk: u64,
    pub records_at_risk_share: f64,
    pub journalist: RiskFigures,
    pub marketer: f64,
    /// Classes by size, ascending.
    pub class_sizes: Vec<ClassSize>,
    pub sensitive: Vec<SensitiveRisk>,
    /// For each quasi-identifier whose removal would lower the records below k or raise
    /// k, the figures without it (what generalising it completely would give), best
    /// first.
    pub without: Vec<Without>,
    /// `identifiable`, `de-identified` or `low-risk` (docs/risk.md, "Grade").
    pub grade: String,
    pub grade_reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DirectIdentifier {
    pub column: String,
    pub category: String,
    /// `clear`, `inside text` (personal data inside a text column) or `protected`
    /// (tokenized, encrypted or masked values).
    pub state: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuasiIdentifier {
    pub column: String,
    /// Why it is a quasi-identifier: `--quasi`, a classified category, or a header.
    pub why: String,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct RiskFigures {
    pub highest: f64,
    pub average: f64,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct ClassSize {
    pub size: u64,
    pub classes: u64,
    pub records: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SensitiveRisk {
    pub column: String,
    pub distinct_l: u64,
    pub entropy_l: f64,
    pub t_closeness: f64,
    /// t-closeness used the ordered distance (every present value a number).
    pub ordered: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Without {
    pub column: String,
    pub k: u64,
    pub records_below_k: u64,
}

impl RiskReport {
    /// Whether every dataset reaches `low-risk`.
    pub fn passed(&self) -> bool {
        self.datasets.iter().all(|d| d.grade == "low-risk")
    }
}

/// `risk: <dataset> <grade> ...`, one line per dataset, for stderr.
pub fn verdict_lines(r: &RiskReport) -> String {
    let mut out = String::new();
    for d in &r.datasets {
        let verdict = if d.grade == "low-risk" {
            "PASS"
        } else {
            "FAIL"
        };
        out.push_str(&format!(
            "{verdict}  {}: {} (k = {}, target {}; highest risk {:.4}, threshold {})\n",
            d.name, d.grade, d.k, r.k_target, d.prosecutor.highest, r.max_risk
        ));
    }
    out
}

pub fn render_json(r: &RiskReport) -> String {
    let mut s = serde_json::to_string_pretty(r).unwrap_or_default();
    s.push('\n');
    s
}

fn pct(share: f64) -> String {
    format!("{:.2} %", share * 100.0)
}

fn columns_line(d: &DatasetRisk) -> (String, String) {
    let direct = if d.direct_identifiers.is_empty() {
        "none".to_string()
    } else {
        d.direct_identifiers
            .iter()
            .map(|c| format!("{} ({}, {})", c.column, c.category, c.state))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let quasi = if d.quasi_identifiers.is_empty() {
        "none".to_string()
    } else {
        d.quasi_identifiers
            .iter()
            .map(|c| format!("{} ({})", c.column, c.why))
            .collect::<Vec<_>>()
            .join(", ")
    };
    (direct, quasi)
}

fn figures(d: &DatasetRisk, r: &RiskReport) -> Vec<[String; 2]> {
    let mut rows = vec![
        ["records".into(), d.rows.to_string()],
        ["equivalence classes".into(), d.classes.to_string()],
        [
            "k (smallest class)".into(),
            format!("{} (target {})", d.k, r.k_target),
        ],
        [
            format!("classes below k = {}", r.k_target),
            d.classes_below_k.to_string(),
        ],
        [
            format!("records below k = {}", r.k_target),
            format!("{} ({})", d.records_below_k, pct(d.records_below_k_share)),
        ],
        ["sample uniques".into(), d.sample_uniques.to_string()],
        [
            "prosecutor risk, highest / average".into(),
            format!("{:.4} / {:.4}", d.prosecutor.highest, d.prosecutor.average),
        ],
        [
            format!("records at risk > {}", r.max_risk),
            format!("{} ({})", d.records_at_risk, pct(d.records_at_risk_share)),
        ],
        [
            "journalist risk, highest / average".into(),
            format!("{:.4} / {:.4}", d.journalist.highest, d.journalist.average),
        ],
        ["marketer risk".into(), format!("{:.4}", d.marketer)],
    ];
    if let Some(i) = &d.individual {
        rows.insert(1, ["individual".into(), i.clone()]);
    }
    rows
}

fn sizes_text(d: &DatasetRisk) -> String {
    let shown: Vec<String> = d
        .class_sizes
        .iter()
        .take(10)
        .map(|s| {
            format!(
                "size {}: {} classes, {} records",
                s.size, s.classes, s.records
            )
        })
        .collect();
    let more = d.class_sizes.len().saturating_sub(10);
    let mut text = shown.join("; ");
    if more > 0 {
        text.push_str(&format!("; {more} larger sizes"));
    }
    text
}

pub fn render_table(r: &RiskReport) -> String {
    let mut out = String::new();
    for d in &r.datasets {
        let (direct, quasi) = columns_line(d);
        out.push_str(&format!(
            "{} — {} rows: {}\n  {}\ndirect identifiers: {direct}\nquasi-identifiers: {quasi}\n",
            d.name, d.rows, d.grade, d.grade_reason,
        ));
        let mut t = Builder::default();
        t.push_record(["metric", "value"]);
        for row in figures(d, r) {
            t.push_record(row);
        }
        out.push_str(&t.build().with(Style::sharp()).to_string());
        out.push('\n');
        if !d.sensitive.is_empty() {
            let mut t = Builder::default();
            t.push_record([
                "sensitive column",
                "distinct l",
                "entropy l",
                "t-closeness",
                "distance",
            ]);
            for s in &d.sensitive {
                t.push_record([
                    s.column.clone(),
                    s.distinct_l.to_string(),
                    format!("{:.4}", s.entropy_l),
                    format!("{:.4}", s.t_closeness),
                    if s.ordered { "ordered" } else { "equal" }.to_string(),
                ]);
            }
            out.push_str(&t.build().with(Style::sharp()).to_string());
            out.push('\n');
        }
        if !d.class_sizes.is_empty() {
            out.push_str(&format!("class sizes: {}\n", sizes_text(d)));
        }
        if let Some(best) = d.without.first() {
            out.push_str(&format!(
                "generalising {} helps most: without it k = {}, {} records below k\n",
                best.column, best.k, best.records_below_k
            ));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "grades in the terms of GB/T 42460-2023 at k >= {} and highest prosecutor risk <= {}; formulas: docs/risk.md\n",
        r.k_target, r.max_risk
    ));
    out
}

pub fn render_markdown(r: &RiskReport) -> String {
    let mut out = String::from("## steward risk\n\n");
    for d in &r.datasets {
        let (direct, quasi) = columns_line(d);
        out.push_str(&format!(
            "### {} — {}\n\n{}\n\n- direct identifiers: {}\n- quasi-identifiers: {}\n\n",
            escape(&d.name),
            escape(&d.grade),
            escape(&d.grade_reason),
            escape(&direct),
            escape(&quasi)
        ));
        out.push_str("| metric | value |\n|---|---:|\n");
        for [k, v] in figures(d, r) {
            out.push_str(&format!("| {} | {} |\n", escape(&k), escape(&v)));
        }
        out.push('\n');
        if !d.sensitive.is_empty() {
            out.push_str("| sensitive column | distinct l | entropy l | t-closeness | distance |\n|---|---:|---:|---:|---|\n");
            for s in &d.sensitive {
                out.push_str(&format!(
                    "| {} | {} | {:.4} | {:.4} | {} |\n",
                    escape(&s.column),
                    s.distinct_l,
                    s.entropy_l,
                    s.t_closeness,
                    if s.ordered { "ordered" } else { "equal" }
                ));
            }
            out.push('\n');
        }
        if !d.class_sizes.is_empty() {
            out.push_str(&format!("Class sizes: {}\n\n", escape(&sizes_text(d))));
        }
        if let Some(best) = d.without.first() {
            out.push_str(&format!(
                "Generalising {} helps most: without it k = {}, {} records below k.\n\n",
                escape(&best.column),
                best.k,
                best.records_below_k
            ));
        }
    }
    out.push_str(&format!(
        "Grades in the terms of GB/T 42460-2023 at k ≥ {} and highest prosecutor risk ≤ {}; formulas in docs/risk.md.\n",
        r.k_target, r.max_risk
    ));
    out
}
