//! `credit_card`: international payment cards by issuer identification number.
//!
//! Strong: Luhn-valid and of an issuer's prefix and length: Visa 4 (13, 16, 19),
//! Mastercard 51-55 and 2221-2720 (16), American Express 34/37 (15), Discover 6011/65
//! (16), JCB 3528-3589 (16), Diners 36/38/300-305 (14). UnionPay (62) is `bank_card`.

use super::{Detector, Match, digits_only, strong_if};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "credit_card",
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
    validator: "issuer prefix and length (IIN) + Luhn",
    headers: &[
        "信用卡",
        "信用卡号",
        "xyk",
        "xykh",
        "creditcard",
        "creditcardno",
        "ccnumber",
        "cardnumber",
        "pan",
    ],
    check,
    alone: Some(0.8),
    with_header: 0.6,
    specificity: 9,
    status: Status::Stable,
    since: "0.1.0",
};

fn check(v: &str) -> Match {
    let Some(d) = digits_only(v) else {
        return Match::No;
    };
    let n = d.len();
    let p = |k: usize| d.get(..k).and_then(|s| s.parse::<u32>().ok()).unwrap_or(0);
    let issuer = match n {
        13 | 19 => d.starts_with('4'),
        16 => {
            d.starts_with('4')
                || (51..=55).contains(&p(2))
                || (2221..=2720).contains(&p(4))
                || d.starts_with("6011")
                || d.starts_with("65")
                || (3528..=3589).contains(&p(4))
        }
        15 => d.starts_with("34") || d.starts_with("37"),
        14 => d.starts_with("36") || d.starts_with("38") || (300..=305).contains(&p(3)),
        _ => false,
    };
    strong_if(issuer && crate::validate::luhn::luhn(d.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers_and_luhn() {
        assert_eq!(check("4111 1111 1111 1111"), Match::Strong);
        assert_eq!(check("378282246310005"), Match::Strong);
        assert_eq!(check("5555555555554444"), Match::Strong);
        assert_eq!(check("4111111111111112"), Match::No);
        assert_eq!(check("6222021234567894"), Match::No);
    }
}
