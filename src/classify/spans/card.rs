//! `bank_card` and `credit_card` spans: payment card numbers.
//!
//! What it finds: 13-19 digits written as one group, or in groups of four with a
//! shorter last group (`6222 0212 3456 7894`, `4111-1111-1111-1111`), or as American
//! Express `4-6-5` / Diners `4-6-4`, passing the Luhn check (`validate::luhn`). A
//! UnionPay number (`62`, 16-19 digits) is a `bank_card`; a number of an international
//! issuer's prefix and length (the `credit_card` detector's check: Visa, Mastercard,
//! Amex, Discover, JCB, Diners) is a `credit_card`.
//!
//! Why: card numbers are PIPL sensitive (financial accounts) and often pasted into
//! refund notes (`退款至卡号6222 0212 3456 7894`). Luhn alone passes one random number
//! in ten, so the issuer prefix is required as well.
//!
//! Example: `退款至卡号6222021234567894` gives a `bank_card` span; `6222021234567890`
//! (Luhn fails) and `2026110514300012` (no issuer) give none.
//!
//! Limits: mainland debit cards of other prefixes (`9558...`) are not found; a
//! Luhn-valid order number of an issuer's prefix is, unless a negative keyword (`订单`,
//! `order`) precedes it.

use super::chain::Chain;
use super::checks::{checks, matches};
use super::{BANK_CARD, CREDIT_CARD};

fn shape(lens: &[usize]) -> bool {
    let total: usize = lens.iter().sum();
    if !(13..=19).contains(&total) {
        return false;
    }
    match lens {
        [_] => true,
        [4, 6, 5] | [4, 6, 4] => true,
        [init @ .., last] if init.len() >= 3 => {
            init.iter().all(|&l| l == 4) && (1..=4).contains(last)
        }
        _ => false,
    }
}

/// The card category of atoms `s..=e`, which hold digits only, if they are one.
pub(super) fn classify(c: &Chain, s: usize, e: usize) -> Option<&'static str> {
    if (s == 0 && (c.plus || c.paren)) || !shape(&c.lens(s, e)) {
        return None;
    }
    let d = c.folded(s, e);
    if !crate::validate::luhn::luhn(d.as_bytes()) {
        return None;
    }
    if d.starts_with("62") && (16..=19).contains(&d.len()) {
        return Some(BANK_CARD);
    }
    matches((checks().credit_card)(d)).then_some(CREDIT_CARD)
}
