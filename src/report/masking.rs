//! `steward mask` output: the plan or the result per column, and the verification.

use tabled::builder::Builder;
use tabled::settings::Style;

/// The result of a `steward mask` run, as rendered and as written to the manifest.
/// What happened to one column.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ColumnSummary {
    pub column: String,
    pub category: Option<String>,
    /// The method as shown, with its options (`tokenize (format-preserving)`).
    pub method: String,
    /// The method's stable id (`tokenize`): what readers of the sidecar go by.
    pub method_id: String,
    /// Declared in the policy (else chosen by `auto`, or kept).
    pub explicit: bool,
    pub values_changed: u64,
    /// A category the classifier still finds in the output, in clear (for `spans`, a
    /// category of a span still found inside the output's text).
    pub still_detected: Option<String>,
    /// Categories of personal data the scan found inside the column's text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub embedded: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct MaskSummary {
    pub input: String,
    pub output: Option<String>,
    pub rows: u64,
    pub key_id: Option<String>,
    pub policy_sha256: String,
    pub columns: Vec<ColumnSummary>,
    /// The output's re-identification risk against the policy's `verify:` target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk: Option<RiskCheck>,
}

/// The output measured against a policy's `verify:` target (docs/risk.md).
#[derive(Debug, Clone, serde::Serialize)]
pub struct RiskCheck {
    pub quasi: Vec<String>,
    pub k_target: u64,
    pub max_risk: f64,
    pub k: u64,
    pub highest_risk: f64,
    pub records_below_k: u64,
    pub rows: u64,
    /// The quasi-identifier whose further generalisation would help most, and the k
    /// and records below k without it.
    pub best: Option<(String, u64, u64)>,
}

impl RiskCheck {
    pub fn met(&self) -> bool {
        self.k >= self.k_target && self.highest_risk <= self.max_risk
    }
}

impl MaskSummary {
    /// Columns that should be protected but are still detectable in clear.
    pub fn leaks(&self) -> Vec<&ColumnSummary> {
        self.columns
            .iter()
            .filter(|c| c.still_detected.is_some())
            .collect()
    }
}

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
            match (&c.category, c.embedded.is_empty()) {
                (Some(cat), _) => cat.clone(),
                (None, false) => format!("- (inside text: {})", c.embedded.join(", ")),
                (None, true) => "-".into(),
            },
            c.method.clone(),
            if c.explicit {
                "policy"
            } else if c.method_id == "keep" {
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
        if let Some(r) = &s.risk {
            let verdict = if r.met() { "PASS" } else { "FAIL" };
            out.push_str(&format!(
                "{verdict}  re-identification: k = {} (target {}), highest prosecutor risk {:.4} (threshold {}), {} of {} records in classes below k; quasi-identifiers: {}\n",
                r.k,
                r.k_target,
                r.highest_risk,
                r.max_risk,
                r.records_below_k,
                r.rows,
                r.quasi.join(", ")
            ));
            if let (false, Some((column, k, below))) = (r.met(), &r.best) {
                out.push_str(&format!(
                    "      generalising {column} further helps most: without it k = {k}, {below} records below k\n"
                ));
            }
        }
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
