//! `passport`: passport numbers of any country (header-led).
//!
//! Weak: 6-9 letters and digits with at least one digit; strong when it is also a PRC
//! passport number. Passport formats differ by country, so values alone never decide.

use super::{Detector, Match, weak_if};
use crate::classify::category::*;
use crate::entry::Status;

/// Passport headers, shared with `cn_passport`.
pub(super) const HEADERS: &[&str] = &[
    "护照",
    "护照号",
    "护照号码",
    "hz",
    "hzh",
    "hzhm",
    "passport",
    "passportno",
    "passportnumber",
    "traveldocument",
];

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "passport",
        pipl_sensitive: true,
        gdpr_special: false,
        gbt_group: "identity document",
        default_mask: DefaultMask::Tokenize,
        partial: PartialShape::AsSample,
        sample: SampleShape::Generic,
        key: KeyShape::AsSample,
        token: TokenInput::AsWritten,
        minors: false,
        suggest: Suggest::Nothing,
        risk: RiskRole::Direct,
    },
    validator: "6-9 letters/digits with a digit (ICAO 9303 document number)",
    headers: HEADERS,
    check,
    alone: None,
    with_header: 0.8,
    specificity: 4,
    status: Status::Stable,
    since: "0.1.0",
};

fn check(v: &str) -> Match {
    let v = v.trim();
    let ok = (6..=9).contains(&v.len())
        && v.bytes().all(|b| b.is_ascii_alphanumeric())
        && v.bytes().any(|b| b.is_ascii_digit());
    weak_if(ok)
}
