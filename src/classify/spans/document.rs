//! `cn_passport`, `passport`, `hk_macau_permit`, `taiwan_permit` and `iban` spans:
//! identifiers reported only after a keyword naming them.
//!
//! What it finds, when the window before the value (see `context`) names the document:
//! - after `护照` / `passport`: a PRC passport number (`E12345678`, `EA1234567`: the
//!   `cn_passport` detector's check) as `cn_passport`, else 6-9 letters and digits with
//!   a digit (the `passport` detector's check) as `passport`;
//! - after `港澳` / `回乡证` (or `通行证` / `permit` alone, for this shape): `C`/`W` + 8
//!   digits, `C` + letter + 7 digits, `H`/`M` + 8 or 10 digits as `hk_macau_permit`;
//! - after `台胞` / `台湾` (or `通行证` / `permit` alone): 8 or 10 digits, `L`/`T` + 8
//!   digits as `taiwan_permit`;
//! - after `IBAN` / `账户` / `账号` / `account`: an IBAN, as one group or in groups of four
//!   (`GB82 WEST 1234 5698 7654 32`), valid by the `iban` detector's mod-97 check.
//!
//! Why: passport and permit numbers have no check digit and look like customer and
//! product codes (`C00000001`), so a keyword must say what they are. IBANs carry a
//! check, but are written in many shapes; the keyword keeps product codes that pass
//! mod 97 by chance out.
//!
//! Example: `护照号码：E12345678` gives a `cn_passport` span; `E12345678` alone, or
//! after `工号`, gives none.
//!
//! Limits: the keyword must be in the same clause and within the window; a permit
//! number of a shape that is also a passport's is the nearer keyword's.

use super::chain::Chain;
use super::checks::{checks, matches};
use super::context::{Doc, Lazy};
use super::{CN_PASSPORT, HK_MACAU_PERMIT, IBAN, PASSPORT, TAIWAN_PERMIT};
use crate::classify::Match;

/// The document category of the single atom `s`, if a keyword names one it fits.
pub(super) fn classify(c: &Chain, s: usize, e: usize, ctx: &mut Lazy) -> Option<&'static str> {
    if e != s || (s == 0 && (c.plus || c.paren)) || !(6..=11).contains(&c.atoms[s].len) {
        return None;
    }
    let doc = ctx.get().doc?;
    let v = c.folded(s, e);
    let k = checks();
    let hk = || matches((k.hk_macau_permit)(v)).then_some(HK_MACAU_PERMIT);
    let tw = || matches((k.taiwan_permit)(v)).then_some(TAIWAN_PERMIT);
    match doc {
        Doc::Passport => {
            if (k.cn_passport)(v) == Match::Strong {
                Some(CN_PASSPORT)
            } else {
                matches((k.passport)(v)).then_some(PASSPORT)
            }
        }
        Doc::HkMacau => hk(),
        Doc::Taiwan => tw(),
        Doc::Permit => hk().or_else(tw),
    }
}

/// An IBAN in atoms `s..=e`, after an account keyword.
pub(super) fn iban(c: &Chain, s: usize, e: usize, ctx: &mut Lazy) -> Option<&'static str> {
    if s == 0 && (c.plus || c.paren) {
        return None;
    }
    let lens = c.lens(s, e);
    let total: usize = lens.iter().sum();
    let head = c.folded(s, s).as_bytes();
    let head_ok = head.len() >= 4
        && head[..2].iter().all(u8::is_ascii_alphabetic)
        && head[2..4].iter().all(u8::is_ascii_digit);
    let groups_ok = match *lens {
        [_] => true,
        [ref init @ .., last] => init.iter().all(|&l| l == 4) && (1..=4).contains(&last),
        [] => false,
    };
    ((15..=34).contains(&total)
        && head_ok
        && groups_ok
        && ctx.get().iban
        && (checks().iban)(c.folded(s, e)) == Match::Strong)
        .then_some(IBAN)
}
