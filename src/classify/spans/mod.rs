//! Personal data inside free text: where in a text cell a mobile, an ID number, an
//! e-mail address... stands, with its category.
//!
//! A notes column (`备注`) holds text such as `客户电话13812345678，下午联系` or
//! `发票请发送至zhouboning0727@gmail.com`. [`find`] returns the byte ranges of such
//! values and their category ids (design.md, "Personal-data categories"), so that
//! classification can count them, masking can replace them and verification can check
//! that none is left.
//!
//! ## How
//! 1. A byte scan finds the *triggers*: digits (ASCII, and the `0xEF` lead byte of
//!    full-width forms), `@` and `:`. Text without them costs one table lookup per byte
//!    and allocates nothing (`chars`).
//! 2. At a digit, the *chain* of letter/digit groups around it is read: its atoms (runs
//!    of letters and digits, never split, so a value is never glued to other letters or
//!    digits), the separators between them and a `+` / `(..)` prefix (`chain`).
//! 3. The readings of the chain are tried longest first against the families: resident
//!    IDs and USCCs (`id`), mobiles, landlines and E.164 numbers (`phone`), payment
//!    cards (`card`), passports, permits and IBANs after a keyword (`document`), IPv4
//!    (`ip`); a value after a negative keyword (`订单号`, `tracking`, `¥`) is dropped
//!    (`context`, `number`). At `@` an e-mail address is read (`email`), at `:` an IPv6
//!    address or a URL, which is skipped whole (`ip`, `url`).
//! 4. Every value is confirmed by steward's one implementation of its check:
//!    `validate::phone`, `validate::cn_resident_id`, `validate::cn_uscc`,
//!    `validate::luhn`, `validate::email`, and the detectors' checks for passports,
//!    permits, IBAN, card issuers and IP addresses (`checks`).
//!
//! ## What is not found, on purpose
//! Order, tracking, invoice and coupon numbers, SKUs and model numbers (glued to
//! letters, or after a negative keyword), timestamps, epoch seconds, dates, postcodes,
//! amounts (`¥13,812.00`, `13812345678.00`), version strings (`v1.2.3.4`, `版本
//! 1.2.3.4`), digits in URLs, numbers failing their checksum or issuer prefix, and the
//! keyword-gated categories without their keyword. Each family's file says its limits.

mod card;
mod chain;
mod chars;
mod checks;
mod context;
mod document;
mod email;
mod id;
mod ip;
mod number;
mod phone;
mod url;

use chars::Trigger;

/// A personal-data value found inside a text: byte range [start, end) of the text, and
/// its category id (design.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub category: &'static str,
}

const CN_RESIDENT_ID: &str = "cn_resident_id";
const CN_MOBILE: &str = "cn_mobile";
const PHONE: &str = "phone";
const EMAIL: &str = "email";
const BANK_CARD: &str = "bank_card";
const CREDIT_CARD: &str = "credit_card";
const CN_USCC: &str = "cn_uscc";
const CN_PASSPORT: &str = "cn_passport";
const PASSPORT: &str = "passport";
const HK_MACAU_PERMIT: &str = "hk_macau_permit";
const TAIWAN_PERMIT: &str = "taiwan_permit";
const IBAN: &str = "iban";
const IP_ADDRESS: &str = "ip_address";

/// The categories a span can have, in a fixed order (used to count rows per category).
pub const CATEGORIES: &[&str] = &[
    CN_RESIDENT_ID,
    CN_MOBILE,
    PHONE,
    EMAIL,
    BANK_CARD,
    CREDIT_CARD,
    CN_USCC,
    CN_PASSPORT,
    PASSPORT,
    HK_MACAU_PERMIT,
    TAIWAN_PERMIT,
    IBAN,
    IP_ADDRESS,
];

/// Every span in `text`, sorted by start, non-overlapping.
pub fn find(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    find_into(text, &mut out);
    out
}

/// The spans pushed by one call: sorted and non-overlapping by construction, checked
/// again here.
struct Sink<'a> {
    out: &'a mut Vec<Span>,
    base: usize,
}

impl Sink<'_> {
    /// The end of the last span of this call (0 before the first).
    fn floor(&self) -> usize {
        if self.out.len() > self.base {
            self.out.last().map_or(0, |s| s.end)
        } else {
            0
        }
    }

    fn push(&mut self, start: usize, end: usize, category: &'static str) {
        if start >= self.floor() && start < end {
            self.out.push(Span {
                start,
                end,
                category,
            });
        }
    }
}

/// `find`, appended to `out` (reused buffer; no allocation when nothing is found).
pub fn find_into(text: &str, out: &mut Vec<Span>) {
    let b = text.as_bytes();
    let base = out.len();
    let mut sink = Sink { out, base };
    let mut pos = 0;
    while let Some((i, trigger)) = chars::next_trigger(b, pos) {
        pos = match trigger {
            Trigger::At => match email::at(text, i, sink.floor()) {
                Some((s, e)) => {
                    sink.push(s, e, EMAIL);
                    e
                }
                None => i + 1,
            },
            Trigger::Colon => {
                if url::scheme_at(b, i) {
                    url::end(b, i)
                } else if let Some((s, e)) = ip::v6(text, i, sink.floor().max(pos)) {
                    sink.push(s, e, IP_ADDRESS);
                    e
                } else {
                    i + 1
                }
            }
            Trigger::FullWidth if !matches!(chars::atom_char(b, i), Some((b'0'..=b'9', _))) => {
                i + 1
            }
            Trigger::Digit | Trigger::FullWidth => number(text, i, pos, &mut sink),
        }
        .max(i + 1);
    }
}

/// The values of the chain at the digit at byte `i` (scanning resumed at `pos`);
/// returns where to resume.
fn number(text: &str, i: usize, pos: usize, sink: &mut Sink) -> usize {
    let b = text.as_bytes();
    // The atom holding the digit starts at the first letter or digit before it.
    let mut a0 = i;
    while a0 > pos {
        match chars::atom_char_before(b, a0) {
            Some((_, len)) if a0 - len >= pos => a0 -= len,
            _ => break,
        }
    }
    let mut a_end = i;
    while let Some((_, len)) = chars::atom_char(b, a_end) {
        a_end += len;
    }
    // `2001:db8::1`, `fe80::1`: an IPv6 address starting with this atom.
    if b.get(a_end) == Some(&b':')
        && a_end - a0 <= 4
        && b[a0..a_end].iter().all(u8::is_ascii_hexdigit)
        && let Some((s, e)) = ip::v6(text, a0, a0)
    {
        sink.push(s, e, IP_ADDRESS);
        return e;
    }
    if url::before(b, a0, pos) {
        return url::end(b, a0).max(a_end);
    }
    let c = chain::Chain::build(text, a0);
    number::values(&c, &mut |s, e, cat| sink.push(s, e, cat));
    c.end()
}

#[cfg(test)]
mod tests;
