//! `cn_passport`: passports of the People's Republic of China.
//!
//! Strong: `E` or `G` and 8 digits (`E12345678`), or `E`, a letter (not I/O) and 7
//! digits (`EA1234567`, issued since 2019). Customer numbers like `C00000001` do not
//! match: the letter must be E or G.

use super::{Detector, Match, is_doc_letter, strong_if};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "cn_passport",
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
    validator: "PRC passport number format (E/G + 8 digits, E + letter + 7 digits)",
    headers: super::passport::HEADERS,
    check,
    alone: Some(0.9),
    with_header: 0.6,
    specificity: 7,
    status: Status::Stable,
    since: "0.1.0",
};

pub(crate) fn check(v: &str) -> Match {
    let c: Vec<char> = v.trim().to_ascii_uppercase().chars().collect();
    if c.len() != 9 {
        return Match::No;
    }
    let digits = |r: std::ops::Range<usize>| c[r].iter().all(char::is_ascii_digit);
    let old = matches!(c[0], 'E' | 'G') && digits(1..9);
    let new = c[0] == 'E' && is_doc_letter(c[1]) && digits(2..9);
    strong_if(old || new)
}
