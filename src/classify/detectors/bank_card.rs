//! `bank_card`: mainland bank cards (UnionPay).
//!
//! Strong: 16-19 digits (spaces and dashes allowed) starting with the UnionPay prefix
//! 62 and passing the Luhn check. Weak: any other 16-19 digit Luhn-valid number (many
//! mainland debit cards carry other prefixes), only with a bank-card header.

use super::{Detector, Match, digits_only};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "bank_card",
        pipl_sensitive: true,
        gdpr_special: false,
        gbt_group: "financial account",
        default_mask: DefaultMask::Partial,
        partial: PartialShape::Ends { first: 0, last: 4 },
        sample: SampleShape::Generic,
        key: KeyShape::AsSample,
        token: TokenInput::AsWritten,
        minors: false,
        suggest: Suggest::Format { duplicates: false },
        risk: RiskRole::Direct,
    },
    validator: "UnionPay 62 prefix, 16-19 digits, Luhn",
    headers: &[
        "银行卡",
        "银行卡号",
        "银行账号",
        "卡号",
        "借记卡",
        "储蓄卡",
        "yhkh",
        "yhk",
        "yhzh",
        "kh",
        "bankcard",
        "bankcardno",
        "cardno",
        "debitcard",
        "bankaccount",
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
    if !(16..=19).contains(&d.len()) || !crate::validate::luhn::luhn(d.as_bytes()) {
        return Match::No;
    }
    if d.starts_with("62") {
        Match::Strong
    } else {
        Match::Weak
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unionpay_is_strong_and_a_broken_check_digit_is_not() {
        assert_eq!(check("6222 0212 3456 7894"), Match::Strong);
        assert_eq!(check("6222021234567895"), Match::No);
        assert_eq!(check("4111111111111111"), Match::Weak);
    }
}
