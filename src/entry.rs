//! The one registry idiom: everything a rule file, a policy or a catalogue names by id
//! (check shorthands, formats, detectors, SQL functions, comparison kinds, blocking
//! transforms, mask methods, evidence kinds) describes itself as an [`Entry`], next to
//! its code. `steward rules list` (and the README table made from it) only collects the
//! entries (`registry.rs`), so the list cannot drift from the code.

use serde::Serialize;

/// What kind of thing an entry registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Kind {
    #[serde(rename = "check")]
    Check,
    #[serde(rename = "format")]
    Format,
    #[serde(rename = "detector")]
    Detector,
    #[serde(rename = "comparison")]
    Comparison,
    #[serde(rename = "blocking transform")]
    BlockingTransform,
    #[serde(rename = "sql function")]
    SqlFunction,
    #[serde(rename = "mask method")]
    MaskMethod,
    #[serde(rename = "evidence")]
    Evidence,
    #[serde(rename = "survivorship")]
    Survivorship,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Check => "check",
            Kind::Format => "format",
            Kind::Detector => "detector",
            Kind::Comparison => "comparison",
            Kind::BlockingTransform => "blocking transform",
            Kind::SqlFunction => "sql function",
            Kind::MaskMethod => "mask method",
            Kind::Evidence => "evidence",
            Kind::Survivorship => "survivorship",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether an id may still change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Kept as it is; never renamed or reused.
    Stable,
    /// May change in a minor release.
    Preview,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Stable => "stable",
            Status::Preview => "preview",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One registered thing, as `steward rules list` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, tabled::Tabled)]
pub struct Entry {
    pub kind: Kind,
    /// The stable id, as written in rule files, policies and catalogues.
    pub id: String,
    /// One line: what it does.
    pub summary: String,
    /// Where it is documented (a file of this repository, with an anchor).
    pub doc: String,
    pub status: Status,
    /// The release that introduced it.
    pub since: &'static str,
}
