//! The `format:` shorthand's registry: stable ids mapped to validators.
//!
//! Each id is never renamed or reused. The SQL a format compiles to lives in
//! `scan::compile`; this list is what users can name and what `steward rules list` shows.

use crate::entry::{Entry, Kind, Status};

/// One value format a column can be declared to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatInfo {
    pub id: &'static str,
    /// The SQL function or expression that validates it.
    pub validator: &'static str,
    pub summary: &'static str,
    /// Formats whose values are personal data; their samples and keys are always masked.
    pub sensitive: bool,
    pub status: Status,
    pub since: &'static str,
}

impl FormatInfo {
    /// Its entry in `steward rules list`.
    pub fn entry(&self) -> Entry {
        Entry {
            kind: Kind::Format,
            id: self.id.to_string(),
            summary: format!("{} [{}]", self.summary, self.validator),
            doc: "docs/rules.md#formats".into(),
            status: self.status,
            since: self.since,
        }
    }
}

pub const FORMATS: &[FormatInfo] = &[
    FormatInfo {
        id: "cn_mobile",
        validator: "cn_mobile_valid",
        summary: "mainland China mobile number in a mobile range, in any accepted form (+86/0086/(+86) prefix, spaces, dashes, dots, full-width digits; docs/phones.md)",
        sensitive: true,
        status: Status::Stable,
        since: "0.1.0",
    },
    FormatInfo {
        id: "cn_mobile_strict",
        validator: "cn_mobile_strict_valid",
        summary: "a valid mainland China mobile number written canonically: exactly 11 ASCII digits",
        sensitive: true,
        status: Status::Stable,
        since: "0.1.0",
    },
    FormatInfo {
        id: "cn_resident_id",
        validator: "cn_id_valid",
        summary: "resident ID: 18 characters with GB 11643 check character and real birth date, or 15-digit legacy",
        sensitive: true,
        status: Status::Stable,
        since: "0.1.0",
    },
    FormatInfo {
        id: "email",
        validator: "email_valid",
        summary: "e-mail address local@domain.tld",
        sensitive: true,
        status: Status::Stable,
        since: "0.1.0",
    },
    FormatInfo {
        id: "bank_card",
        validator: "luhn_valid",
        summary: "payment card number: 12-19 digits passing the Luhn check",
        sensitive: true,
        status: Status::Stable,
        since: "0.1.0",
    },
    FormatInfo {
        id: "cn_uscc",
        validator: "cn_uscc_valid",
        summary: "Unified Social Credit Code (GB 32100-2015) with its mod-31 check character",
        sensitive: false,
        status: Status::Stable,
        since: "0.1.0",
    },
    FormatInfo {
        id: "date",
        validator: "TRY_CAST(value AS DATE)",
        summary: "ISO date YYYY-MM-DD",
        sensitive: false,
        status: Status::Stable,
        since: "0.1.0",
    },
    FormatInfo {
        id: "timestamp",
        validator: "TRY_CAST(value AS TIMESTAMP)",
        summary: "ISO date-time YYYY-MM-DD HH:MM:SS",
        sensitive: false,
        status: Status::Stable,
        since: "0.1.0",
    },
    FormatInfo {
        id: "integer",
        validator: "TRY_CAST(value AS BIGINT)",
        summary: "a whole number",
        sensitive: false,
        status: Status::Stable,
        since: "0.1.0",
    },
    FormatInfo {
        id: "number",
        validator: "TRY_CAST(value AS DOUBLE)",
        summary: "a number",
        sensitive: false,
        status: Status::Stable,
        since: "0.1.0",
    },
];

pub fn lookup(id: &str) -> Option<&'static FormatInfo> {
    FORMATS.iter().find(|f| f.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_snake_case() {
        let mut seen = std::collections::BTreeSet::new();
        for f in FORMATS {
            assert!(seen.insert(f.id), "duplicate format id {}", f.id);
            assert!(
                f.id.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "format id {} is not snake_case",
                f.id
            );
        }
    }
}
