//! `cn_mobile` and `phone` spans: mainland mobiles, landlines with an area code, and
//! international numbers written with `+`.
//!
//! What it finds, by the groups a number is written in:
//! - a mobile: 11 digits as one group or as `3-4-4`, `3-8`, `7-4`, `4-3-4`, after an
//!   optional `+86`, `＋86`, `(+86)`, `（+86）`, `(86)` or `0086` (`+8613812345678`
//!   glued too), with spaces (ASCII, NBSP, U+3000), dashes and full-width digits;
//! - a landline: an area code with its trunk `0` (`010`, `02x` or `0xxx`, alone, in
//!   parentheses `(0755)`, or without the `0` after `+86`) and a 7-8 digit local number
//!   as `7`, `8`, `3-4`, `4-3` or `4-4` groups starting with 2-9 (`010-12345678`,
//!   `0755 8888 6666`); written as one group of 10-12 digits only after a phone keyword
//!   (`座机075588886666`);
//! - an E.164 number: `+`, a country code of 1-3 digits other than 86, 8-15 digits in all
//!   (`+44 20 7946 0958`).
//!
//! Why: the shape says where a number starts and ends in running text; whether it is a
//! number is then decided by `validate::phone` (the ranges of `MOBILE_RANGES`, the area
//! code and E.164 rules), the one implementation steward has. So `12812345678` (128 is no
//! mobile range) and `2026-11-05` (no trunk `0`) are not found.
//!
//! Example: `客户电话(+86) 138-1234-5678，座机 0755-8888 6666` gives a `cn_mobile` span
//! over `(+86) 138-1234-5678` and a `phone` span over `0755-8888 6666`.
//!
//! Limits: dotted numbers (`138.1234.5678`) are not read (a dot is a decimal point or a
//! version here); bare `86` without `+` is not read as a country code; extensions
//! (`转801`) are left out of the span; an E.164 number followed by another digit group
//! within 15 digits takes it in.

use super::chain::Chain;
use super::checks::checks;
use super::context::Lazy;
use super::{CN_MOBILE, PHONE};
use crate::classify::Match;

/// National group lengths a mobile is written in.
fn mobile_shape(lens: &[usize]) -> bool {
    matches!(lens, [11] | [3, 4, 4] | [3, 8] | [7, 4] | [4, 3, 4])
}

/// A local number's groups (atoms `s..=e`): 7 or 8 digits, the first 2-9.
fn local_shape(c: &Chain, s: usize, e: usize) -> bool {
    s <= e
        && matches!(*c.lens(s, e), [7] | [8] | [3, 4] | [4, 3] | [4, 4])
        && c.folded(s, s)
            .as_bytes()
            .first()
            .is_some_and(|d| (b'2'..=b'9').contains(d))
}

/// An area code with its trunk `0`: `010`, `02x`, `0[3-9]xx`.
fn trunk_area(d: &str) -> bool {
    let d = d.as_bytes();
    match d.len() {
        3 => d[0] == b'0' && (d[1..] == *b"10" || d[1] == b'2'),
        4 => d[0] == b'0' && (b'3'..=b'9').contains(&d[1]),
        _ => false,
    }
}

/// An area code after `+86`: with or without its trunk `0`.
fn area(d: &str) -> bool {
    let b = d.as_bytes();
    trunk_area(d)
        || match b.len() {
            2 => b == b"10" || b[0] == b'2',
            3 => (b'3'..=b'9').contains(&b[0]),
            _ => false,
        }
}

fn is_mobile(c: &Chain, s: usize, e: usize) -> bool {
    crate::validate::phone::is_cn_mobile(c.written(s, e))
}

fn is_phone(c: &Chain, s: usize, e: usize) -> bool {
    (checks().phone)(c.written(s, e)) == Match::Strong
}

/// After a mainland country code at atom `s`: a mobile or a landline in atoms
/// `s+1..=e`.
fn national(c: &Chain, s: usize, e: usize) -> Option<&'static str> {
    if e == s {
        return None;
    }
    if mobile_shape(&c.lens(s + 1, e)) && is_mobile(c, s, e) {
        return Some(CN_MOBILE);
    }
    (area(c.folded(s + 1, s + 1)) && local_shape(c, s + 2, e) && is_phone(c, s, e)).then_some(PHONE)
}

/// The phone category of atoms `s..=e`, which hold digits only, if they are one.
pub(super) fn classify(c: &Chain, s: usize, e: usize, ctx: &mut Lazy) -> Option<&'static str> {
    let d0 = c.folded(s, s);
    let n0 = c.atoms[s].len;
    let prefixed = s == 0 && (c.plus || c.paren);
    if prefixed && !c.plus {
        // `(86)`, `(0086)` or a parenthesised area code `(0755)`.
        if d0 == "86" || d0 == "0086" {
            return national(c, s, e);
        }
        return (trunk_area(d0) && local_shape(c, s + 1, e) && is_phone(c, s, e)).then_some(PHONE);
    }
    if prefixed {
        // `+..` or `(+..)`.
        if d0 == "86" {
            return national(c, s, e);
        }
        if d0.starts_with("86") {
            // `+8613812345678`.
            return (e == s && !c.paren && n0 == 13 && is_mobile(c, s, e)).then_some(CN_MOBILE);
        }
        let groups_ok = (e == s && !c.paren) || (1..=3).contains(&n0);
        return (groups_ok && (8..=15).contains(&c.digits(s, e)) && is_phone(c, s, e))
            .then_some(PHONE);
    }
    if d0 == "0086" && e > s {
        return national(c, s, e);
    }
    if mobile_shape(&c.lens(s, e)) && is_mobile(c, s, e) {
        return Some(CN_MOBILE);
    }
    if trunk_area(d0) && local_shape(c, s + 1, e) && is_phone(c, s, e) {
        return Some(PHONE);
    }
    (e == s
        && (10..=12).contains(&n0)
        && d0.starts_with('0')
        && ctx.get().phone
        && is_phone(c, s, e))
    .then_some(PHONE)
}
