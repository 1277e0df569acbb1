//! `iban`: International Bank Account Numbers (ISO 13616), validated by the mod-97
//! check digits.

use super::{Detector, Match, strong_if};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "iban",
        pipl_sensitive: true,
        gdpr_special: false,
        gbt_group: "financial account",
        default_mask: DefaultMask::Partial,
        partial: PartialShape::Ends { first: 0, last: 4 },
        sample: SampleShape::Generic,
        key: KeyShape::AsSample,
        token: TokenInput::AsWritten,
        minors: false,
        suggest: Suggest::Nothing,
        risk: RiskRole::Direct,
    },
    validator: "ISO 13616 mod-97 check digits",
    headers: &["iban", "ibanno", "bankaccount", "accountnumber"],
    check,
    alone: Some(0.8),
    with_header: 0.5,
    specificity: 10,
    status: Status::Stable,
    since: "0.1.0",
};

pub(crate) fn valid(v: &str) -> bool {
    let s: String = v
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let b = s.as_bytes();
    if !(15..=34).contains(&b.len())
        || !b[..2].iter().all(u8::is_ascii_uppercase)
        || !b[2..4].iter().all(u8::is_ascii_digit)
        || !b.iter().all(u8::is_ascii_alphanumeric)
    {
        return false;
    }
    let mut rem: u32 = 0;
    for &c in b[4..].iter().chain(&b[..4]) {
        let n = if c.is_ascii_digit() {
            (c - b'0') as u32
        } else {
            (c - b'A') as u32 + 10
        };
        rem = if n >= 10 {
            (rem * 100 + n) % 97
        } else {
            (rem * 10 + n) % 97
        };
    }
    rem == 1
}

fn check(v: &str) -> Match {
    strong_if(valid(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mod_97() {
        assert!(valid("GB82 WEST 1234 5698 7654 32"));
        assert!(valid("DE89370400440532013000"));
        assert!(!valid("GB82 WEST 1234 5698 7654 33"));
        assert!(!valid("C00000001"));
    }
}
