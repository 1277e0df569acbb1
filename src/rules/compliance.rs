//! The optional `compliance:` section of a rule file: what the data is processed for,
//! on which lawful basis, how long it may be kept, where it goes and who controls it.
//!
//! `steward report` evaluates the PIPL / GDPR obligation catalogue against these
//! declarations. Only the declaration is validated here; whether `declared_columns`
//! exist is checked against the data by `compliance::evaluate`, and the retention
//! column by the scan, which runs the retention period as a check
//! (`<dataset>.<column>.retention`, kind `retention`, timeliness, severity info) that is
//! reported but left out of every score.

use serde_saphyr::Spanned;

use super::raw::RawCompliance;
use super::{CheckId, CheckKind, CheckSpec, Ctx, parse_duration};
use crate::error::{Origin, did_you_mean};
use crate::report::{Dimension, Severity};

/// Lawful bases steward knows: GDPR Art. 6(1) (a)-(f) and PIPL Art. 13 (1)-(7).
pub const LAWFUL_BASES: [&str; 10] = [
    "consent",
    "contract",
    "legal_obligation",
    "vital_interests",
    "public_task",
    "legitimate_interests",
    "hr_management",
    "public_health_emergency",
    "news_reporting",
    "disclosed_information",
];

/// A dataset's compliance declarations, validated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ComplianceSpec {
    pub purpose: Option<String>,
    pub lawful_basis: Option<String>,
    pub retention: Option<RetentionSpec>,
    /// ISO 3166-1 alpha-2 code of the country the data is transferred to.
    pub destination: Option<String>,
    /// Columns the purpose needs; `None` when the file declares none.
    pub declared_columns: Option<Vec<(String, Origin)>>,
    pub data_controller: Option<String>,
    /// Where the section starts, for clash messages.
    pub origin: Option<Origin>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RetentionSpec {
    /// As written (`730d`, `3y`).
    pub period: String,
    pub duration: chrono::Duration,
    pub column: String,
}

impl ComplianceSpec {
    pub fn declared(&self) -> Option<Vec<&str>> {
        self.declared_columns
            .as_ref()
            .map(|c| c.iter().map(|(n, _)| n.as_str()).collect())
    }
}

/// Validate the section; returns the spec and the retention check to scan.
pub(super) fn validate(
    cx: &mut Ctx<'_>,
    raw: &Spanned<RawCompliance>,
) -> (ComplianceSpec, Option<CheckSpec>) {
    let c = &raw.value;
    let mut spec = ComplianceSpec {
        origin: Some(cx.origin(raw)),
        ..Default::default()
    };
    fn text(cx: &mut Ctx<'_>, s: &Option<Spanned<String>>, what: &str) -> Option<String> {
        let s = s.as_ref()?;
        if s.value.trim().is_empty() {
            cx.error(s, format!("compliance.{what} is empty"), None);
            return None;
        }
        Some(s.value.trim().to_string())
    }
    spec.purpose = text(cx, &c.purpose, "purpose");
    spec.data_controller = text(cx, &c.data_controller, "data_controller");
    if let Some(b) = &c.lawful_basis {
        if LAWFUL_BASES.contains(&b.value.as_str()) {
            spec.lawful_basis = Some(b.value.clone());
        } else {
            let help = did_you_mean(&b.value, LAWFUL_BASES);
            cx.error(
                b,
                format!(
                    "unknown lawful basis '{}'; expected one of {}",
                    b.value,
                    LAWFUL_BASES.join(", ")
                ),
                help,
            );
        }
    }
    if let Some(d) = &c.destination {
        let code = d.value.trim();
        if super::country::is_known(code) {
            spec.destination = Some(code.to_string());
        } else {
            let upper = code.to_uppercase();
            let help = if super::country::is_known(&upper) {
                Some(format!("did you mean '{upper}'?"))
            } else {
                None
            };
            cx.error(
                d,
                format!(
                    "unknown destination country '{code}'; expected an ISO 3166-1 alpha-2 code such as CN, DE or SG"
                ),
                help,
            );
        }
    }
    if let Some(cols) = &c.declared_columns {
        let mut seen: Vec<(String, Origin)> = Vec::new();
        for col in &cols.value {
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == col.value) {
                let first = first.to_string();
                cx.error(
                    col,
                    format!(
                        "column '{}' is declared twice; first declared at {first}",
                        col.value
                    ),
                    None,
                );
            } else {
                seen.push((col.value.clone(), cx.origin(col)));
            }
        }
        spec.declared_columns = Some(seen);
    }
    let mut check = None;
    if let Some(r) = &c.retention {
        let column = r.value.column.value.trim().to_string();
        if column.is_empty() {
            cx.error(
                &r.value.column,
                "compliance.retention.column is empty",
                None,
            );
        }
        match parse_duration(&r.value.period.value) {
            Some(duration) if !column.is_empty() => {
                let period = r.value.period.value.trim().to_string();
                check = Some(CheckSpec {
                    id: CheckId::Shorthand(format!("{column}.retention")),
                    dimension: Dimension::Timeliness,
                    severity: Severity::Info,
                    weight: 0.0,
                    min_pass_rate: None,
                    column: Some(column.clone()),
                    description: format!(
                        "{column} is within the declared retention period {period}"
                    ),
                    kind: CheckKind::Retention(duration),
                    origin: cx.origin(&r.value.column),
                });
                spec.retention = Some(RetentionSpec {
                    period,
                    duration,
                    column,
                });
            }
            Some(_) => {}
            None => cx.error(
                &r.value.period,
                format!(
                    "retention period '{}' is not a duration; expected a number and a unit such as 730d, 104w or 3y",
                    r.value.period.value
                ),
                None,
            ),
        }
    }
    (spec, check)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use crate::error::Error;
    use crate::rules::{CheckId, CheckKind, load};

    fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn the_shipped_fixture_declaration_loads_with_its_retention_check() {
        let rs = load(&[
            PathBuf::from("rules/customer-core.yaml"),
            PathBuf::from("fixtures/compliance/customers-compliance.yaml"),
        ])
        .unwrap();
        assert_eq!(rs.datasets.len(), 1, "both files name `customers`");
        let ds = &rs.datasets[0];
        let c = ds.compliance.as_ref().unwrap();
        assert_eq!(c.destination.as_deref(), Some("DE"));
        assert_eq!(c.lawful_basis.as_deref(), Some("contract"));
        assert_eq!(c.declared().unwrap().len(), 7);
        let r = c.retention.as_ref().unwrap();
        assert_eq!((r.period.as_str(), r.column.as_str()), ("3y", "created_at"));
        assert_eq!(r.duration, chrono::Duration::days(3 * 365));
        let check = ds
            .checks
            .iter()
            .find(|c| c.id == CheckId::Shorthand("created_at.retention".into()))
            .unwrap();
        assert!(matches!(check.kind, CheckKind::Retention(_)));
        assert_eq!(ds.gate.max_drop, Some(2.0));
        assert_eq!(
            ds.gate.min_overall,
            Some(95.0),
            "customer-core's gate still applies"
        );
    }

    #[test]
    fn two_compliance_sections_for_one_dataset_clash() {
        let dir = tempfile::tempdir().unwrap();
        let text = "version: 1\ndataset: customers\ncompliance:\n  destination: CN\n";
        let a = write(&dir, "a.yaml", text);
        let b = write(&dir, "b.yaml", text);
        let Err(Error::RuleFile(d)) = load(&[a, b]) else {
            panic!("expected a clash");
        };
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message
                .starts_with("compliance section is declared twice"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn duplicate_declared_columns_and_empty_text_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            &dir,
            "r.yaml",
            "version: 1\ncompliance:\n  purpose: \"  \"\n  declared_columns: [a, b, a]\n",
        );
        let Err(Error::RuleFile(d)) = load(&[p]) else {
            panic!("expected errors");
        };
        let messages: Vec<String> = d.iter().map(|d| d.to_string()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages[0].contains("r.yaml:3:12: compliance.purpose is empty"),
            "{messages:?}"
        );
        assert!(
            messages[1].contains("r.yaml:4:28: column 'a' is declared twice; first declared at"),
            "{messages:?}"
        );
    }
}
