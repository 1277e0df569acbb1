//! `hk_macau_permit`: Exit-Entry Permits for Travelling to and from Hong Kong and Macao
//! (往来港澳通行证) and Home Return Permits (回乡证). Header-led: `C` + 8 characters
//! also looks like many customer numbers.
//!
//! Weak: `C` or `W` and 8 digits, `C` + letter + 7 digits, or `H`/`M` + 8 or 10 digits.

use super::{Detector, Match, is_doc_letter, weak_if};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "hk_macau_permit",
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
    validator: "permit number format (C/W + 8, C + letter + 7, H/M + 8 or 10)",
    headers: &[
        "港澳通行证",
        "往来港澳通行证",
        "回乡证",
        "港澳居民来往内地通行证",
        "gatxz",
        "hxz",
        "hkmacaopermit",
        "homereturnpermit",
        "eep",
    ],
    check,
    alone: None,
    with_header: 0.8,
    specificity: 6,
    status: Status::Stable,
    since: "0.1.0",
};

fn check(v: &str) -> Match {
    let c: Vec<char> = v.trim().to_ascii_uppercase().chars().collect();
    let digits = |r: std::ops::Range<usize>| c[r].iter().all(char::is_ascii_digit);
    let ok = match c.len() {
        9 => {
            (matches!(c[0], 'C' | 'W' | 'H' | 'M') && digits(1..9))
                || (c[0] == 'C' && is_doc_letter(c[1]) && digits(2..9))
        }
        11 => matches!(c[0], 'H' | 'M') && digits(1..11),
        _ => false,
    };
    weak_if(ok)
}
