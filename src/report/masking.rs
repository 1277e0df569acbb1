//! `steward mask` output: the plan or the result per column, and the verification.

use tabled::builder::Builder;
use tabled::settings::Style;

use crate::mask::pipeline::MaskSummary;

pub fn render(s: &MaskSummary, dry_run: bool) -> String {
    let mut t = Builder::default();
    let mut head = vec!["column", "category", "method", "from"];
    if !dry_run {
        head.extend(["values changed", "verification"]);
    }
    t.push_record(head);
    for c in &s.columns {
        let mut row = vec![
            c.column.clone(),
            c.category.clone().unwrap_or_else(|| "-".into()),
            c.method.clone(),
            if c.explicit {
                "policy"
            } else if c.method == "keep" {
                ""
            } else {
                "auto"
            }
            .into(),
        ];
        if !dry_run {
            row.push(c.values_changed.to_string());
            row.push(match &c.still_detected {
                Some(cat) => format!("LEAK: still {cat}"),
                None => "ok".into(),
            });
        }
        t.push_record(row);
    }
    let mut t = t.build();
    t.with(Style::sharp());
    let mut out = format!("{t}\n");
    if dry_run {
        out.push_str("dry run: nothing written\n");
    } else {
        let leaks = s.leaks();
        out.push_str(&format!(
            "{} rows -> {} (key {}, policy sha256 {})\n",
            s.rows,
            s.output.as_deref().unwrap_or("-"),
            s.key_id.as_deref().unwrap_or("none"),
            s.policy_sha256.get(..12).unwrap_or("")
        ));
        if leaks.is_empty() {
            out.push_str("PASS  no column holds detectable personal data in clear\n");
        } else {
            out.push_str(&format!(
                "FAIL  {} column(s) still hold detectable personal data in clear: {}\n",
                leaks.len(),
                leaks
                    .iter()
                    .map(|c| c.column.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    out
}
