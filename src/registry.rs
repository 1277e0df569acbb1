//! `steward rules list`: every built-in check shorthand, format, personal-data detector,
//! dedupe comparison kind, blocking transform, survivorship rule, SQL function, mask method and evidence
//! kind, collected from the [`Entry`] each registers next to its code, so the list (and
//! the README table made from it) cannot drift from the code.

use tabled::settings::Style;

use crate::rules::format::FORMATS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    Markdown,
}

pub use crate::entry::Entry;

/// Every registered entry, kind by kind, each registry in its own order.
pub fn entries() -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    out.extend(
        crate::rules::shorthand::SHORTHANDS
            .iter()
            .map(|s| s.entry()),
    );
    out.extend(FORMATS.iter().map(|f| f.entry()));
    out.extend(crate::classify::DETECTORS.iter().map(|d| d.entry()));
    out.extend(crate::dedupe::compare::KINDS.map(|k| k.entry()));
    out.extend(crate::rules::TRANSFORMS.map(|t| t.entry()));
    out.extend(crate::rules::SURVIVORSHIP.map(|r| r.entry()));
    out.extend(crate::udf::registry().iter().map(|f| f.entry()));
    out.extend(crate::mask::policy::METHODS.iter().map(|m| m.entry()));
    out.extend(crate::compliance::catalogue::EVIDENCE_KINDS.map(|e| e.entry()));
    out
}

pub fn render(format: ListFormat) -> String {
    let entries = entries();
    match format {
        ListFormat::Json => {
            let mut s = serde_json::to_string_pretty(&entries).unwrap_or_default();
            s.push('\n');
            s
        }
        ListFormat::Table => {
            let mut t = tabled::Table::new(&entries);
            t.with(Style::sharp());
            format!("{t}\n")
        }
        ListFormat::Markdown => {
            let mut s = String::from(
                "| kind | id | summary | doc | status | since |\n|---|---|---|---|---|---|\n",
            );
            for e in &entries {
                s.push_str(&format!(
                    "| {} | `{}` | {} | [{}]({}) | {} | {} |\n",
                    e.kind,
                    e.id,
                    e.summary.replace('|', "\\|"),
                    e.doc.rsplit('/').next().unwrap_or(&e.doc),
                    e.doc,
                    e.status,
                    e.since
                ));
            }
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// GitHub's anchor of a Markdown heading.
    fn slug(heading: &str) -> String {
        heading
            .trim()
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_entry_is_unique_and_its_doc_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut seen = BTreeSet::new();
        for e in entries() {
            assert!(
                seen.insert((e.kind, e.id.clone())),
                "{} {} twice",
                e.kind,
                e.id
            );
            assert!(!e.summary.is_empty(), "{} {}", e.kind, e.id);
            let (file, anchor) = e.doc.split_once('#').unwrap_or((&e.doc, ""));
            let text = std::fs::read_to_string(root.join(file))
                .unwrap_or_else(|_| panic!("{} {}: no file {file}", e.kind, e.id));
            if !anchor.is_empty() {
                let anchors: Vec<String> = text
                    .lines()
                    .filter_map(|l| l.strip_prefix('#'))
                    .map(|l| slug(l.trim_start_matches('#')))
                    .collect();
                assert!(
                    anchors.iter().any(|a| a == anchor),
                    "{} {}: no heading #{anchor} in {file}",
                    e.kind,
                    e.id
                );
            }
        }
    }

    #[test]
    fn mask_methods_and_evidence_kinds_are_all_listed() {
        use crate::mask::policy::{METHODS, Method};
        let listed: BTreeSet<&str> = METHODS.iter().map(|m| m.id).collect();
        let methods = [
            Method::Keep,
            Method::Partial {
                keep_first: None,
                keep_last: None,
            },
            Method::Redact { with: None },
            Method::Tokenize {
                format_preserving: true,
            },
            Method::Encrypt,
            Method::Generalize(crate::mask::generalize::To::Year),
            Method::Shift {
                days: 3,
                by: "id".into(),
            },
            Method::Spans(crate::mask::policy::SpanWith::Encrypt),
        ];
        let ids: BTreeSet<&str> = methods.iter().map(|m| m.id()).collect();
        assert_eq!(listed, ids);
        // The shown name starts with the id, so sidecars written before `method_id`
        // are read alike.
        for m in &methods {
            assert_eq!(m.name().split(' ').next(), Some(m.id()));
        }
        // Every evidence kind a catalogue can name is listed, under the id serde reads.
        use crate::compliance::catalogue::{EVIDENCE_KINDS, EvidenceKind};
        for k in EVIDENCE_KINDS {
            let parsed: EvidenceKind =
                serde_json::from_value(serde_json::Value::String(k.as_str().into())).unwrap();
            assert_eq!(parsed, k);
        }
    }
}
