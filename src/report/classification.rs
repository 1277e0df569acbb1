//! `steward classify --format table`: one row per column with its category, confidence,
//! PIPL / GDPR flags and the evidence behind it. Renderers only read the model.

use tabled::builder::Builder;
use tabled::settings::Style;

use super::Report;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.datasets {
        let personal = d
            .columns
            .iter()
            .filter(|c| {
                c.classification
                    .as_ref()
                    .is_some_and(|k| k.category.is_some())
            })
            .count();
        out.push_str(&format!(
            "{} — {} rows, {} of {} columns hold personal data\n",
            d.name,
            d.rows,
            personal,
            d.columns.len()
        ));
        let mut t = Builder::default();
        t.push_record([
            "column",
            "category",
            "confidence",
            "PIPL sensitive",
            "GDPR special",
            "header",
            "values matched",
            "validator",
            "minors",
        ]);
        for c in &d.columns {
            let Some(k) = &c.classification else {
                continue;
            };
            let yes = |b: bool| if b { "yes" } else { "" }.to_string();
            t.push_record([
                c.name.clone(),
                k.category.clone().unwrap_or_else(|| "-".into()),
                if k.category.is_some() {
                    format!("{:.2}", k.confidence)
                } else {
                    String::new()
                },
                yes(k.pipl_sensitive),
                yes(k.gdpr_special),
                k.evidence.header_hit.clone().unwrap_or_default(),
                format!(
                    "{}/{}",
                    k.evidence.values_matched, k.evidence.values_checked
                ),
                k.evidence.validator.clone().unwrap_or_default(),
                k.minors.map(|m| m.to_string()).unwrap_or_default(),
            ]);
        }
        let mut t = t.build();
        t.with(Style::sharp());
        out.push_str(&format!("{t}\n\n"));
    }
    out
}
