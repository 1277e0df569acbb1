//! One detector per personal-data category, registered under its stable id.
//!
//! A detector is data plus one pure function: the category id, the validator shown as
//! evidence, header keywords (normalised: lowercase, no separators), how it judges a
//! value, and when values alone are enough. Order in [`DETECTORS`] is the order of
//! `steward rules list`; ids are never renamed or reused.

use crate::entry::{Entry, Kind, Status};

mod account_id;
mod age;
mod bank_card;
mod cn_mobile;
mod cn_passport;
mod cn_resident_id;
mod cn_uscc;
mod credit_card;
mod date_of_birth;
mod device_id;
mod email;
mod ethnicity;
mod gender;
mod geolocation;
mod health;
mod hk_macau_permit;
mod iban;
mod ip_address;
mod license_plate;
mod passport;
mod person_name;
mod phone;
mod postal_address;
mod religion;
mod taiwan_permit;
mod us_ssn;

/// How a detector judges one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// Not of the category.
    No,
    /// Plausible, but only with a header pointing to the category (a 9-character
    /// passport number, an integer age).
    Weak,
    /// Of the category on its own (a checksum passed, a specific format).
    Strong,
}

/// A category's detector.
#[derive(Debug)]
pub struct Detector {
    /// The category: its stable id (design.md) and every property of it.
    pub category: crate::classify::category::Category,
    /// What the value check does, shown as evidence.
    pub validator: &'static str,
    /// Header keywords, normalised.
    pub headers: &'static [&'static str],
    pub check: fn(&str) -> Match,
    /// Strong-match rate at which values alone decide; `None`: header-led.
    pub alone: Option<f64>,
    /// Strong+weak rate needed when the header hits.
    pub with_header: f64,
    /// Tie-break between equally confident detectors: the more specific wins.
    pub specificity: u8,
    pub status: Status,
    /// The release that introduced it.
    pub since: &'static str,
}

impl Detector {
    /// Its entry in `steward rules list`: the validator and the category's legal flags.
    pub fn entry(&self) -> Entry {
        let mut flags = Vec::new();
        if self.category.pipl_sensitive {
            flags.push("PIPL sensitive");
        }
        if self.category.gdpr_special {
            flags.push("GDPR special");
        }
        flags.push(if self.alone.is_some() {
            "values decide alone"
        } else {
            "header-led"
        });
        Entry {
            kind: Kind::Detector,
            id: self.category.id.to_string(),
            summary: format!("{} ({})", self.validator, flags.join(", ")),
            doc: format!("src/classify/detectors/{}.rs", self.category.id),
            status: self.status,
            since: self.since,
        }
    }
}

/// Every detector, in a stable order.
pub const DETECTORS: &[Detector] = &[
    cn_resident_id::DETECTOR,
    cn_mobile::DETECTOR,
    phone::DETECTOR,
    email::DETECTOR,
    bank_card::DETECTOR,
    credit_card::DETECTOR,
    cn_uscc::DETECTOR,
    cn_passport::DETECTOR,
    passport::DETECTOR,
    hk_macau_permit::DETECTOR,
    taiwan_permit::DETECTOR,
    ip_address::DETECTOR,
    person_name::DETECTOR,
    postal_address::DETECTOR,
    date_of_birth::DETECTOR,
    age::DETECTOR,
    gender::DETECTOR,
    license_plate::DETECTOR,
    iban::DETECTOR,
    us_ssn::DETECTOR,
    geolocation::DETECTOR,
    ethnicity::DETECTOR,
    religion::DETECTOR,
    health::DETECTOR,
    device_id::DETECTOR,
    account_id::DETECTOR,
];

/// `Strong` when `ok`, else `No`.
pub(crate) fn strong_if(ok: bool) -> Match {
    if ok { Match::Strong } else { Match::No }
}

/// `Weak` when `ok`, else `No`.
pub(crate) fn weak_if(ok: bool) -> Match {
    if ok { Match::Weak } else { Match::No }
}

/// The digits of a value written with spaces or dashes, if that is all it has.
pub(crate) fn digits_only(v: &str) -> Option<String> {
    let d: String = v.chars().filter(|c| *c != ' ' && *c != '-').collect();
    (!d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())).then_some(d)
}

/// ASCII letters `A-Z` except I and O (as used in Chinese document numbers and plates).
pub(crate) fn is_doc_letter(c: char) -> bool {
    c.is_ascii_uppercase() && c != 'I' && c != 'O'
}
