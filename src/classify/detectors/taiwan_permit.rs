//! `taiwan_permit`: Mainland Travel Permits for Taiwan Residents (台胞证, 8 digits, or
//! 10 digits with an optional letter for older ones) and Travel Permits to Taiwan
//! (`L`/`T` + 8 digits). Header-led: 8 digits alone are too common.

use super::{Detector, Match, weak_if};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "taiwan_permit",
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
    validator: "permit number format (8 digits, 10 digits [+letter], L/T + 8 digits)",
    headers: &[
        "台胞证",
        "台湾通行证",
        "往来台湾通行证",
        "台湾居民来往大陆通行证",
        "tbz",
        "twtxz",
        "taiwanpermit",
        "mtp",
    ],
    check,
    alone: None,
    with_header: 0.8,
    specificity: 5,
    status: Status::Stable,
    since: "0.1.0",
};

fn check(v: &str) -> Match {
    let c: Vec<char> = v.trim().to_ascii_uppercase().chars().collect();
    let digits = |r: std::ops::Range<usize>| c[r].iter().all(char::is_ascii_digit);
    let ok = match c.len() {
        8 => digits(0..8),
        9 => matches!(c[0], 'L' | 'T') && digits(1..9),
        10 => digits(0..10),
        11 => digits(0..10) && c[10].is_ascii_uppercase(),
        _ => false,
    };
    weak_if(ok)
}
