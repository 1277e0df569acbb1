//! `cn_resident_id` and `cn_uscc` spans: mainland resident ID numbers and Unified
//! Social Credit Codes.
//!
//! What it finds:
//! - a resident ID: 18 characters (17 digits and a digit or `X`/`x`), as one group or
//!   as `6-8-4` (`110105 19491231 002X`), valid by `validate::cn_resident_id` (GB 11643
//!   check character, real birth date, province); a 15-digit legacy number only after
//!   an ID keyword (`身份证`, `证件`, `ID card`), since it has no check digit;
//! - a USCC: 18 characters of one group valid by `validate::cn_uscc` (GB 32100 mod-31
//!   check character), when a letter stands among its last ten characters (the
//!   organisation code: `91350100M000100Y43`) or after a credit-code keyword (`信用代码`,
//!   `税号`, `USCC`).
//!
//! Why: both carry checksums, so a value is found without a keyword; but the mod-31
//! check passes one random 18-character string in 31, so a code without a letter in
//! its organisation part (an 18-digit number, `DD` and 16 digits of an order) needs
//! the keyword.
//!
//! Example: `身份证号11010519491231002X` gives a `cn_resident_id` span;
//! `110105194912310021` (wrong check digit) gives none.
//!
//! Limits: full-width `Ｘ` is read, other scripts' digits are not; an ID glued to
//! letters or digits (`ID11010519491231002X`) is not found.

use super::chain::Chain;
use super::context::Lazy;
use super::{CN_RESIDENT_ID, CN_USCC};

fn id_chars(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 18
        && b[..17].iter().all(u8::is_ascii_digit)
        && (b[17].is_ascii_digit() || b[17] == b'X')
}

/// The resident-ID category of atoms `s..=e`, if they are one.
pub(super) fn resident_id(c: &Chain, s: usize, e: usize, ctx: &mut Lazy) -> Option<&'static str> {
    if s == 0 && (c.plus || c.paren) {
        return None;
    }
    let lens = c.lens(s, e);
    let d = c.folded(s, e);
    let valid = match *lens {
        [18] | [6, 8, 4] => id_chars(d) && crate::validate::cn_resident_id::is_valid(d),
        [15] => {
            c.atoms[s].letters == 0 && ctx.get().id && crate::validate::cn_resident_id::is_valid(d)
        }
        _ => false,
    };
    valid.then_some(CN_RESIDENT_ID)
}

/// The USCC category of atom `s..=e`, if they are one.
pub(super) fn uscc(c: &Chain, s: usize, e: usize, ctx: &mut Lazy) -> Option<&'static str> {
    if e != s || (s == 0 && (c.plus || c.paren)) || c.atoms[s].len != 18 {
        return None;
    }
    let d = c.folded(s, e);
    let letter_in_code = d.as_bytes()[8..].iter().any(u8::is_ascii_alphabetic);
    ((letter_in_code || ctx.get().uscc) && crate::validate::cn_uscc::is_valid(d)).then_some(CN_USCC)
}
