//! The obligation catalogues, as data: `rules/compliance/pipl.yaml` and `gdpr.yaml`,
//! embedded in the binary with `include_str!` so a report needs no file beside it.
//!
//! This module only reads and checks the catalogue; what each evidence kind measures
//! is `evidence/`.

use serde::Deserialize;

/// A regulation steward has a catalogue for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Regime {
    Pipl,
    Gdpr,
}

impl Regime {
    pub fn as_str(self) -> &'static str {
        match self {
            Regime::Pipl => "pipl",
            Regime::Gdpr => "gdpr",
        }
    }

    fn source(self) -> &'static str {
        match self {
            Regime::Pipl => include_str!("../../rules/compliance/pipl.yaml"),
            Regime::Gdpr => include_str!("../../rules/compliance/gdpr.yaml"),
        }
    }
}

/// What steward measures to decide an obligation. A small fixed set: adding one means
/// adding its evaluation in `evidence/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// Personal columns not in `compliance.declared_columns`.
    UndeclaredColumns,
    /// Quality scores against the gate.
    QualityScore,
    /// Records older than the declared retention period.
    Retention,
    /// PIPL Art. 28 sensitive columns.
    SensitivePresent,
    /// Records of children under 14.
    MinorsPresent,
    /// Sensitive columns in clear.
    SensitiveUnprotected,
    /// Identifiers and special categories in clear.
    IdentifiersUnprotected,
    /// The declared destination against the regime's territory and thresholds.
    CrossBorder,
    /// Earlier runs in the history and the audit log's chain.
    AuditHistory,
    /// Triggers of an impact assessment.
    ImpactAssessment,
    /// The personal-data inventory and the controller's declarations.
    Inventory,
    /// GDPR Art. 9 special categories.
    SpecialCategories,
}

/// Every evidence kind, in documentation order.
pub const EVIDENCE_KINDS: [EvidenceKind; 12] = [
    EvidenceKind::UndeclaredColumns,
    EvidenceKind::QualityScore,
    EvidenceKind::Retention,
    EvidenceKind::SensitivePresent,
    EvidenceKind::MinorsPresent,
    EvidenceKind::SensitiveUnprotected,
    EvidenceKind::IdentifiersUnprotected,
    EvidenceKind::CrossBorder,
    EvidenceKind::AuditHistory,
    EvidenceKind::ImpactAssessment,
    EvidenceKind::Inventory,
    EvidenceKind::SpecialCategories,
];

impl EvidenceKind {
    /// What the evidence looks at, for `steward rules list`.
    pub fn summary(self) -> &'static str {
        match self {
            EvidenceKind::UndeclaredColumns => {
                "personal columns not in `compliance.declared_columns`"
            }
            EvidenceKind::QualityScore => "quality scores against the gate",
            EvidenceKind::Retention => "records older than the declared retention period",
            EvidenceKind::SensitivePresent => "PIPL Art. 28 sensitive columns",
            EvidenceKind::MinorsPresent => "records of children under 14",
            EvidenceKind::SensitiveUnprotected => "sensitive columns in clear",
            EvidenceKind::IdentifiersUnprotected => "identifiers and special categories in clear",
            EvidenceKind::CrossBorder => {
                "the declared destination against the regime's territory and thresholds"
            }
            EvidenceKind::AuditHistory => "earlier runs in the history and the audit log's chain",
            EvidenceKind::ImpactAssessment => "triggers of an impact assessment",
            EvidenceKind::Inventory => {
                "the personal-data inventory and the controller's declarations"
            }
            EvidenceKind::SpecialCategories => "GDPR Art. 9 special categories",
        }
    }

    /// The file of `compliance/evidence/` that evaluates it.
    fn module(self) -> &'static str {
        use EvidenceKind::*;
        match self {
            UndeclaredColumns | QualityScore | Retention | AuditHistory | ImpactAssessment => {
                "governance"
            }
            SensitivePresent
            | MinorsPresent
            | SensitiveUnprotected
            | IdentifiersUnprotected
            | Inventory
            | SpecialCategories => "inventory",
            CrossBorder => "transfer",
        }
    }

    /// Its entry in `steward rules list`.
    pub fn entry(self) -> crate::entry::Entry {
        crate::entry::Entry {
            kind: crate::entry::Kind::Evidence,
            id: self.as_str().to_string(),
            summary: self.summary().to_string(),
            doc: format!("src/compliance/evidence/{}.rs", self.module()),
            status: crate::entry::Status::Stable,
            since: "0.1.0",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::UndeclaredColumns => "undeclared_columns",
            EvidenceKind::QualityScore => "quality_score",
            EvidenceKind::Retention => "retention",
            EvidenceKind::SensitivePresent => "sensitive_present",
            EvidenceKind::MinorsPresent => "minors_present",
            EvidenceKind::SensitiveUnprotected => "sensitive_unprotected",
            EvidenceKind::IdentifiersUnprotected => "identifiers_unprotected",
            EvidenceKind::CrossBorder => "cross_border",
            EvidenceKind::AuditHistory => "audit_history",
            EvidenceKind::ImpactAssessment => "impact_assessment",
            EvidenceKind::Inventory => "inventory",
            EvidenceKind::SpecialCategories => "special_categories",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    pub regime: Regime,
    pub name: String,
    pub obligations: Vec<Obligation>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Obligation {
    pub id: String,
    pub title: String,
    pub articles: Vec<String>,
    #[serde(default)]
    pub references: Vec<String>,
    pub requirement: String,
    pub evidence: EvidenceKind,
    pub remediation: String,
    /// The obligation in Simplified Chinese (`--lang zh-CN`).
    #[serde(default)]
    pub zh: Option<ObligationZh>,
}

/// An obligation's text in Simplified Chinese; the articles are cited from `articles`
/// (`report::compliance::i18n::article_zh`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObligationZh {
    pub title: String,
    pub requirement: String,
    pub remediation: String,
    /// Same order and length as the obligation's `references`.
    #[serde(default)]
    pub references: Vec<String>,
}

/// The embedded catalogue of a regime. It is validated by the tests below, so a
/// failure here is a bug.
pub fn load(regime: Regime) -> crate::Result<Catalogue> {
    serde_saphyr::from_str(regime.source()).map_err(|e| {
        crate::Error::internal(format!(
            "the embedded {} catalogue does not parse: {e}",
            regime.as_str()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogues_are_valid() {
        let id = regex::Regex::new(r"^(PIPL|GDPR)-[0-9][0-9A-Z-]*$").unwrap();
        let mut seen = std::collections::BTreeSet::new();
        for regime in [Regime::Pipl, Regime::Gdpr] {
            let c = load(regime).unwrap();
            assert_eq!(c.regime, regime);
            assert!(!c.obligations.is_empty());
            let prefix = regime.as_str().to_uppercase();
            for o in &c.obligations {
                assert!(id.is_match(&o.id), "{}", o.id);
                assert!(o.id.starts_with(&prefix), "{}", o.id);
                assert!(seen.insert(o.id.clone()), "{} twice", o.id);
                assert!(!o.title.trim().is_empty(), "{}", o.id);
                assert!(!o.requirement.trim().is_empty(), "{}", o.id);
                assert!(!o.remediation.trim().is_empty(), "{}", o.id);
                assert!(!o.articles.is_empty(), "{}", o.id);
                for a in &o.articles {
                    assert!(a.starts_with(&format!("{prefix} Art. ")), "{}: {a}", o.id);
                }
            }
        }
    }

    #[test]
    fn catalogues_cover_the_required_articles() {
        let articles = |r| -> Vec<String> {
            load(r)
                .unwrap()
                .obligations
                .into_iter()
                .flat_map(|o| o.articles)
                .collect()
        };
        let pipl = articles(Regime::Pipl);
        for a in [6, 8, 19, 28, 29, 30, 31, 32, 38, 39, 40, 51, 54, 55, 56] {
            assert!(pipl.contains(&format!("PIPL Art. {a}")), "PIPL Art. {a}");
        }
        let gdpr = articles(Regime::Gdpr);
        for a in [
            "5(1)(c)", "5(1)(d)", "5(1)(e)", "9", "25", "30", "32", "35", "44",
        ] {
            assert!(gdpr.contains(&format!("GDPR Art. {a}")), "GDPR Art. {a}");
        }
    }
}
