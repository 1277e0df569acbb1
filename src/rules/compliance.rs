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
        if crate::compliance::country::is_known(code) {
            spec.destination = Some(code.to_string());
        } else {
            let upper = code.to_uppercase();
            let help = if crate::compliance::country::is_known(&upper) {
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
