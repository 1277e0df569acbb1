//! Values written with digits: which readings of a chain are values, longest first.
//!
//! What it does: for each atom `s` where a value may start, it tries the atoms `s..=e`
//! from the longest `e` down, and takes the first reading a family accepts: a resident
//! ID, a phone number, a payment card, a USCC, a passport or permit, an IBAN, an IPv4
//! address (dotted atoms are read as nothing else). It then continues after that
//! value. A value whose nearest keyword is a negative one (`订单号`, `tracking`, `¥`)
//! is consumed but not reported, so its parts are not found either.
//!
//! Why longest first: `+86 138 1234 5678` must be one mobile, not `138 1234 5678`
//! after a stray `86`; `0755 8888 6666` one landline, not three numbers.
//!
//! Example: the chain `0755` `8888` `6666` `13812345678` (spaces) gives a landline over
//! the first three atoms, then a mobile.
//!
//! Limits: at most `MAX_ATOMS` atoms are read per chain; a value is never longer than
//! the chain.

use super::chain::{Chain, Link};
use super::context::Lazy;
use super::{IP_ADDRESS, card, document, id, ip, phone};

enum Verdict {
    Value(&'static str),
    /// A value, after a negative keyword.
    Suppressed,
    No,
}

fn classify(c: &Chain, s: usize, e: usize, ctx: &mut Lazy) -> Verdict {
    let atoms = &c.atoms[s..=e];
    if atoms.iter().any(|a| a.dirty) {
        return Verdict::No;
    }
    if atoms[..atoms.len() - 1].iter().any(|a| a.link == Link::Dot) {
        return match ip::v4(c, s, e, ctx) {
            ip::V4::Address => Verdict::Value(IP_ADDRESS),
            ip::V4::Version => Verdict::Suppressed,
            ip::V4::No => Verdict::No,
        };
    }
    let letters = c.letters(s, e);
    let found = if letters == 0 {
        id::resident_id(c, s, e, ctx)
            .or_else(|| phone::classify(c, s, e, ctx))
            .or_else(|| card::classify(c, s, e))
            .or_else(|| id::uscc(c, s, e, ctx))
            .or_else(|| document::classify(c, s, e, ctx))
    } else {
        (if letters == 1 {
            id::resident_id(c, s, e, ctx)
        } else {
            None
        })
        .or_else(|| id::uscc(c, s, e, ctx))
        .or_else(|| document::classify(c, s, e, ctx))
        .or_else(|| document::iban(c, s, e, ctx))
    };
    match found {
        Some(_) if ctx.get().negative() => Verdict::Suppressed,
        Some(cat) => Verdict::Value(cat),
        None => Verdict::No,
    }
}

/// The values of a chain, as (start, end, category), in order.
pub(super) fn values(c: &Chain, emit: &mut dyn FnMut(usize, usize, &'static str)) {
    let mut s = 0;
    'start: while s < c.n {
        if !c.can_start(s) {
            s += 1;
            continue;
        }
        let mut ctx = Lazy::new(c.text, c.vstart(s));
        for e in (s..c.n).rev() {
            if !c.can_end(e) {
                continue;
            }
            match classify(c, s, e, &mut ctx) {
                Verdict::Value(cat) => {
                    emit(c.vstart(s), c.vend(e), cat);
                    s = e + 1;
                    continue 'start;
                }
                Verdict::Suppressed => {
                    s = e + 1;
                    continue 'start;
                }
                Verdict::No => {}
            }
        }
        s += 1;
    }
}
