//! The items of 个人信息保护合规审计指引 (the annex of the Measures for Personal
//! Information Protection Compliance Audits, CAC, effective 2025-05-01) that steward's
//! data-level evidence serves: `rules/compliance/audit_items.yaml`, embedded in the
//! binary. An item not checked against the official text carries `verified: false`,
//! and the report says so beside it.

use serde::Deserialize;

use crate::report::compliance::{AuditItem, Lang};

/// Evidence a finding does not carry but a report section does.
pub const SECTION_EVIDENCE: [&str; 2] = ["deidentification", "classification_grading"];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Text {
    en: String,
    zh: String,
}

impl Text {
    fn get(&self, lang: Lang) -> String {
        lang.pick(&self.en, &self.zh).trim().to_string()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Item {
    id: String,
    article: u32,
    verified: bool,
    title: Text,
    content: Text,
    method: Text,
    evidence: Vec<String>,
    #[serde(default)]
    references: Vec<Text>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    source: Text,
    items: Vec<Item>,
}

impl Catalogue {
    /// The guideline's name.
    pub fn source(&self, lang: Lang) -> String {
        self.source.get(lang)
    }

    /// The items an evidence kind (or section) serves, in catalogue order.
    pub fn for_evidence(&self, evidence: &str, lang: Lang) -> Vec<AuditItem> {
        self.items
            .iter()
            .filter(|i| i.evidence.iter().any(|e| e == evidence))
            .map(|i| AuditItem {
                id: i.id.clone(),
                article: i.article,
                verified: i.verified,
                title: i.title.get(lang),
                content: i.content.get(lang),
                method: i.method.get(lang),
                references: i.references.iter().map(|r| r.get(lang)).collect(),
            })
            .collect()
    }
}

/// The embedded catalogue; it is validated by the tests below, so a failure is a bug.
pub fn load() -> crate::Result<Catalogue> {
    serde_saphyr::from_str(include_str!("../../rules/compliance/audit_items.yaml")).map_err(|e| {
        crate::Error::internal(format!(
            "the embedded audit-item catalogue does not parse: {e}"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compliance::catalogue::EVIDENCE_KINDS;

    #[test]
    fn catalogue_is_valid_and_covers_every_evidence_kind() {
        let c = load().unwrap();
        let known: Vec<&str> = EVIDENCE_KINDS
            .iter()
            .map(|k| k.as_str())
            .chain(SECTION_EVIDENCE)
            .collect();
        let mut ids = std::collections::BTreeSet::new();
        for i in &c.items {
            assert_eq!(i.id, format!("AUDIT-{}", i.article), "{}", i.id);
            assert!(ids.insert(i.id.clone()), "{} twice", i.id);
            for t in [&i.title, &i.content, &i.method] {
                assert!(
                    !t.en.trim().is_empty() && !t.zh.trim().is_empty(),
                    "{}",
                    i.id
                );
            }
            assert!(!i.evidence.is_empty(), "{}", i.id);
            for e in &i.evidence {
                assert!(
                    known.contains(&e.as_str()),
                    "{}: unknown evidence {e}",
                    i.id
                );
            }
        }
        for k in known {
            assert!(
                c.items.iter().any(|i| i.evidence.iter().any(|e| e == k)),
                "no audit item for {k}"
            );
        }
    }
}
