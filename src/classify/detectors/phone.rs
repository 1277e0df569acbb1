//! `phone`: landline numbers with an area code and international E.164 numbers.
//!
//! Strong: a mainland landline `0` + 2-3 digit area code + 7-8 digit number
//! (`010-12345678`, `(0755) 1234567`, `+86 10 6552 9988`), or `+` and a country code
//! with 8-15 digits in all (`+44 20 7946 0958`), read by `validate::phone::parse` (the
//! same prefixes, separators and full-width digits as mobiles).
//! Weak: a mainland local number without its area code, 7 or 8 digits starting with 2-9
//! (`82345678`, `6552-9988`), as a `固定电话` column often holds: a phone number only
//! under a phone header. Other plain digit strings (shorter or longer counts, amounts,
//! numbers starting with 0 or 1) never match, so a `phone` header over counts is not
//! classified.

use super::{Detector, Match, strong_if};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "phone",
        pipl_sensitive: false,
        gdpr_special: false,
        gbt_group: "sensitive",
        default_mask: DefaultMask::Partial,
        partial: PartialShape::AsSample,
        sample: SampleShape::Generic,
        key: KeyShape::AsSample,
        token: TokenInput::AsWritten,
        minors: false,
        suggest: Suggest::Nothing,
        risk: RiskRole::Direct,
    },
    validator: "landline with area code or E.164",
    headers: &[
        "电话",
        "电话号码",
        "座机",
        "固话",
        "固定电话",
        "联系电话",
        "dh",
        "dhhm",
        "gddh",
        "zj",
        "phone",
        "phoneno",
        "phonenumber",
        "tel",
        "telephone",
        "landline",
        "fax",
    ],
    check,
    alone: Some(0.8),
    with_header: 0.5,
    specificity: 6,
    status: Status::Stable,
    since: "0.1.0",
};

pub(crate) fn check(v: &str) -> Match {
    // The prefixes, separators and full-width digits `validate::phone` reads.
    match strong_if(
        crate::validate::phone::parse(v).is_some_and(|p| p.is_e164() || p.is_cn_landline()),
    ) {
        Match::No if is_local_number(v) => Match::Weak,
        m => m,
    }
}

/// A mainland local number without area code: 7 or 8 digits (ASCII or full-width) in
/// at most two groups split by one space or dash, the first digit 2-9.
fn is_local_number(v: &str) -> bool {
    use crate::validate::phone::digit_value;
    let v = v.trim();
    let mut digits = 0;
    let mut first = None;
    let mut separators = 0;
    let mut last_was_digit = false;
    for c in v.chars() {
        if let Some(d) = digit_value(c) {
            first.get_or_insert(d);
            digits += 1;
            last_was_digit = true;
        } else if matches!(c, ' ' | '-' | '－') && last_was_digit && separators == 0 {
            separators += 1;
            last_was_digit = false;
        } else {
            return false;
        }
    }
    last_was_digit && (7..=8).contains(&digits) && first.is_some_and(|d| d >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn landlines_and_e164_but_not_counts_or_mobiles() {
        for v in [
            "010-12345678",
            "(0755) 1234567",
            "021 6123 4567",
            "+44 20 7946 0958",
            "+1-202-555-0123",
            "+86 10 6552 9988",
            "０１０－６５５２９９８８",
        ] {
            assert_eq!(check(v), Match::Strong, "{v}");
        }
        for v in ["12", "13812346138", "0", "00441234567", "1234567890", "abc"] {
            assert_eq!(check(v), Match::No, "{v}");
        }
        // Local numbers: a phone only under a phone header.
        for v in [
            "82345678",
            "6552-9988",
            "6552 9988",
            "2345678",
            "８２３４５６７８",
        ] {
            assert_eq!(check(v), Match::Weak, "{v}");
        }
        for v in [
            "12345678",
            "02345678",
            "823456789",
            "823456",
            "8234-56-78",
            "8234567-",
        ] {
            assert_eq!(check(v), Match::No, "{v}");
        }
    }
}
