//! The record-linkage vocabulary of rule files (`duplicates.fuzzy`): link modes,
//! blocking transforms and comparison kinds, each under the stable id rule files and
//! reports use. What they do lives in `dedupe` (`dedupe::block` applies a transform,
//! `dedupe::compare` gives each kind its levels); this module only names them, so the
//! rule-file model does not depend on the matcher.

use crate::entry::{Entry, Kind, Status};

/// Which record pairs may match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkMode {
    /// Only records of the same dataset.
    Dedupe,
    /// Only records of different datasets (each dataset is free of duplicates).
    Link,
    /// Any two records.
    LinkAndDedupe,
}

impl LinkMode {
    pub const NAMES: [&'static str; 3] = ["dedupe", "link", "link_and_dedupe"];

    pub fn parse(s: &str) -> Option<LinkMode> {
        Some(match s {
            "dedupe" => LinkMode::Dedupe,
            "link" => LinkMode::Link,
            "link_and_dedupe" => LinkMode::LinkAndDedupe,
            _ => return None,
        })
    }

    /// The id rule files and reports use.
    pub fn name(self) -> &'static str {
        match self {
            LinkMode::Dedupe => "dedupe",
            LinkMode::Link => "link",
            LinkMode::LinkAndDedupe => "link_and_dedupe",
        }
    }

    pub fn allows(self, a: u16, b: u16) -> bool {
        match self {
            LinkMode::Dedupe => a == b,
            LinkMode::Link => a != b,
            LinkMode::LinkAndDedupe => true,
        }
    }
}

/// What part of a field a blocking rule uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Transform {
    /// The normalised value.
    Value,
    /// Toneless pinyin of a name (the value itself for non-Han names).
    Pinyin,
    /// The year of a date (its first four digits).
    Year,
    /// The first character.
    Initial,
    /// The first three characters.
    First3,
    /// The last four characters (of a phone or an ID number).
    Last4,
}

pub const TRANSFORMS: [Transform; 5] = [
    Transform::Pinyin,
    Transform::Year,
    Transform::Initial,
    Transform::First3,
    Transform::Last4,
];

impl Transform {
    pub fn name(self) -> &'static str {
        match self {
            Transform::Value => "value",
            Transform::Pinyin => "pinyin",
            Transform::Year => "year",
            Transform::Initial => "initial",
            Transform::First3 => "first3",
            Transform::Last4 => "last4",
        }
    }

    /// One line for `steward rules list`.
    pub fn summary(self) -> &'static str {
        match self {
            Transform::Value => "the normalised value",
            Transform::Pinyin => {
                "toneless pinyin of a name (the name itself when it has no Han characters)"
            }
            Transform::Year => "the year of a date",
            Transform::Initial => "the first character",
            Transform::First3 => "the first three characters",
            Transform::Last4 => "the last four characters (phones, ID numbers)",
        }
    }

    /// Its entry in `steward rules list`.
    pub fn entry(self) -> Entry {
        Entry {
            kind: Kind::BlockingTransform,
            id: format!("<field>.{}", self.name()),
            summary: self.summary().to_string(),
            doc: "docs/rules.md#fuzzy-duplicates-steward-dedupe".into(),
            status: Status::Stable,
            since: "0.1.0",
        }
    }

    pub fn parse(s: &str) -> Option<Transform> {
        TRANSFORMS.iter().copied().find(|t| t.name() == s)
    }
}

/// How a field is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CompareKind {
    /// Personal names: exact, same pinyin (Han), Jaro-Winkler bands.
    Name,
    /// Free text: exact, Jaro-Winkler bands.
    Text,
    /// Phone numbers: `validate::phone::phone_key`; exact, last 8, one edit.
    Phone,
    /// Document numbers and other identifiers: exact, one edit, two edits.
    Identifier,
    /// E-mail addresses: exact, same local part, Jaro-Winkler.
    Email,
    /// Dates: exact, one edit or day/month swapped, two edits.
    Date,
    /// Postal addresses: exact, containment (a shortened address), Jaro-Winkler bands.
    Address,
    /// Short codes (postcodes, house numbers): exact, one edit.
    Code,
    /// Exact or different.
    Exact,
}

/// Every kind, in documentation order.
pub const KINDS: [CompareKind; 9] = [
    CompareKind::Name,
    CompareKind::Text,
    CompareKind::Phone,
    CompareKind::Identifier,
    CompareKind::Email,
    CompareKind::Date,
    CompareKind::Address,
    CompareKind::Code,
    CompareKind::Exact,
];

impl CompareKind {
    pub fn name(self) -> &'static str {
        match self {
            CompareKind::Name => "name",
            CompareKind::Text => "text",
            CompareKind::Phone => "phone",
            CompareKind::Identifier => "identifier",
            CompareKind::Email => "email",
            CompareKind::Date => "date",
            CompareKind::Address => "address",
            CompareKind::Code => "code",
            CompareKind::Exact => "exact",
        }
    }

    pub fn parse(s: &str) -> Option<CompareKind> {
        KINDS.iter().copied().find(|k| k.name() == s)
    }

    /// One line for `steward rules list`.
    pub fn summary(self) -> &'static str {
        match self {
            CompareKind::Name => "personal names; Han names also compared as toneless pinyin",
            CompareKind::Text => "free text, lowercase with spaces collapsed",
            CompareKind::Phone => {
                "phone numbers as one key from any written form: a mobile's 11 digits, a landline with its area code (docs/phones.md)"
            }
            CompareKind::Identifier => "document numbers and ids, upper-case alphanumerics",
            CompareKind::Email => "e-mail addresses, lowercase",
            CompareKind::Date => "dates as YYYYMMDD from common written forms",
            CompareKind::Address => "postal addresses without punctuation and 省/市/区 markers",
            CompareKind::Code => "short codes such as postcodes and house numbers",
            CompareKind::Exact => "any value, exact agreement only",
        }
    }
}

/// How a golden record (`steward dedupe --golden`) chooses one field's value among
/// the records of a unified ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Survivorship {
    /// The value most records hold (compared as trimmed text).
    MostFrequent,
    /// The value of the record with the latest timestamp in the `by` column.
    MostRecent,
    /// The longest value, in characters.
    Longest,
    /// The value of the first dataset in the `order` list that has one.
    SourcePriority,
}

/// Every survivorship rule, in documentation order.
pub const SURVIVORSHIP: [Survivorship; 4] = [
    Survivorship::MostFrequent,
    Survivorship::MostRecent,
    Survivorship::Longest,
    Survivorship::SourcePriority,
];

impl Survivorship {
    pub fn name(self) -> &'static str {
        match self {
            Survivorship::MostFrequent => "most_frequent",
            Survivorship::MostRecent => "most_recent",
            Survivorship::Longest => "longest",
            Survivorship::SourcePriority => "source_priority",
        }
    }

    pub fn parse(s: &str) -> Option<Survivorship> {
        SURVIVORSHIP.iter().copied().find(|r| r.name() == s)
    }

    /// One line for `steward rules list`.
    pub fn summary(self) -> &'static str {
        match self {
            Survivorship::MostFrequent => {
                "the value most of a customer's records hold; ties go to the latest `by` timestamp, then the first record"
            }
            Survivorship::MostRecent => {
                "the value of the record with the latest timestamp in the `by` column"
            }
            Survivorship::Longest => {
                "the longest value in characters (the fullest address or name)"
            }
            Survivorship::SourcePriority => {
                "the value of the first dataset in `order` that has one (the system of record first)"
            }
        }
    }

    /// Its entry in `steward rules list`.
    pub fn entry(self) -> Entry {
        Entry {
            kind: Kind::Survivorship,
            id: self.name().to_string(),
            summary: self.summary().to_string(),
            doc: "docs/rules.md#golden-records-survivorship".into(),
            status: Status::Stable,
            since: "0.1.0",
        }
    }
}
