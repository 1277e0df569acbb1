//! `us_ssn`: US Social Security numbers.
//!
//! Strong: `AAA-GG-SSSS` with an area other than 000, 666 and 900-999, a group other
//! than 00 and a serial other than 0000. Weak: the same 9 digits without dashes.

use super::{Detector, Match};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "us_ssn",
        pipl_sensitive: true,
        gdpr_special: false,
        gbt_group: "identity document",
        default_mask: DefaultMask::Tokenize,
        partial: PartialShape::AsSample,
        sample: SampleShape::LastFour,
        key: KeyShape::AsSample,
        token: TokenInput::AsWritten,
        minors: false,
        suggest: Suggest::Nothing,
        risk: RiskRole::Direct,
    },
    validator: "SSA number ranges (area, group, serial)",
    headers: &[
        "ssn",
        "socialsecurity",
        "socialsecuritynumber",
        "socialsecurityno",
    ],
    check,
    alone: Some(0.9),
    with_header: 0.8,
    specificity: 7,
    status: Status::Stable,
    since: "0.1.0",
};

fn check(v: &str) -> Match {
    let v = v.trim();
    let dashed = v.len() == 11 && v.as_bytes()[3] == b'-' && v.as_bytes()[6] == b'-';
    let d: String = v.chars().filter(|c| *c != '-').collect();
    if d.len() != 9 || !d.bytes().all(|b| b.is_ascii_digit()) || (v.contains('-') && !dashed) {
        return Match::No;
    }
    let (area, group, serial) = (&d[..3], &d[3..5], &d[5..]);
    if area == "000" || area == "666" || area.starts_with('9') || group == "00" || serial == "0000"
    {
        return Match::No;
    }
    if dashed { Match::Strong } else { Match::Weak }
}
