//! Phone numbers: the one normaliser behind every mobile and phone check in steward.
//!
//! The SQL functions `cn_mobile_valid`, `cn_mobile_strict_valid` and `phone_normalize`,
//! the formats `cn_mobile` and `cn_mobile_strict`, the `cn_mobile` and `phone`
//! detectors, dedupe's `phone` normalisation, duplicate keys of phone columns, and the
//! masking of mobile columns (partial masks, tokens) all call this module. It is pure:
//! no other steward module, no crate, no I/O; [`cn_mobile`], [`parse`] and the
//! already-normal case of [`phone_key`] allocate nothing (they run once per value).
//! The full reference, with the measured agreement with libphonenumber, is
//! `docs/phones.md`.
//!
//! ## Accepted forms of a mainland mobile number
//! After leading and trailing whitespace is trimmed (any Unicode white space: tab,
//! NBSP, the ideographic space U+3000):
//! - an optional country prefix: `+86`, `0086`, `(+86)`, `(86)`, `(0086)`, or `86`
//!   followed by a separator (`86 138 0013 8000`); the parentheses may be full-width
//!   `（ ）` and the plus full-width `＋`;
//! - `86` glued to the number (`8613800138000`) is accepted: 13 digits starting with
//!   `86` cannot be an 11-digit mobile, so the reading is unambiguous (a mobile column
//!   read as integers loses the `+` of `+8613800138000`);
//! - then the 11 national digits, ASCII or full-width (`０`-`９`, U+FF10..U+FF19), in
//!   groups separated by runs of spaces (ASCII, NBSP, thin and narrow spaces, U+3000),
//!   dashes (`-`, `‐`, `‑`, `‒`, `–`, `—`, `−`, full-width `－`) or dots (`.`, `．`);
//! - the 11 digits must fall in a range of [`MOBILE_RANGES`].
//!
//! The *canonical* form is exactly 11 ASCII digits and nothing else
//! ([`Mobile::is_canonical`], the `cn_mobile_strict` format).
//!
//! ## Rejected
//! 10 or 12 national digits; a national trunk `0` before the mobile (`013800138000`, a
//! dialling habit, not a way of writing the number); carrier-selection prefixes
//! (`17951`); letters, extensions (`ext. 12`) and any other character; a separator at
//! either end or right after `+` or `(`; an unclosed or misplaced parenthesis; a country
//! code other than 86; prefixes outside the ranges (`128`, `146`, `174 1`).
//!
//! ## Ranges
//! [`MOBILE_RANGES`] is the mobile `nationalNumberPattern` of territory `CN` in
//! libphonenumber's `PhoneNumberMetadata.xml`, metadata version 9.0.33 (as shipped by
//! the `phonenumber` crate 0.3.10+9.0.33, which the tests compare against):
//! `1740[0-5]\d{6}|1(?:[38]\d|4[57]|[59][0-35-9]|6[25-7]|7[0-35-8])\d{8}`. steward
//! follows it on every five-digit prefix: data-only and IoT ranges that libphonenumber
//! leaves out (146, 148, 149, 174 beyond 17405) are rejected. A newly opened range is
//! one line in the table.
//!
//! ## Other phone numbers
//! [`parse`] reads any phone number written with the same prefixes and separators (plus
//! a parenthesised area code, `(0755) 1234567`); [`phone_key`] turns it into the key
//! duplicate checks and dedupe compare: a mobile as its 11 digits, a mainland landline in
//! national form with its trunk `0` (`+86 10 6552 9988` and `010-6552-9988` both give
//! `01065529988`), another country's number as `+` and its digits.

use std::borrow::Cow;

/// Mainland mobile ranges by their first five digits, inclusive, from libphonenumber's
/// CN mobile pattern (metadata 9.0.33).
pub const MOBILE_RANGES: &[(u32, u32)] = &[
    (13000, 13999),
    (14500, 14599),
    (14700, 14799),
    (15000, 15399),
    (15500, 15999),
    (16200, 16299),
    (16500, 16799),
    (17000, 17399),
    (17400, 17405),
    (17500, 17899),
    (18000, 18999),
    (19000, 19399),
    (19500, 19999),
];

/// The most digits [`parse`] reads: E.164 allows 15, and `00` and a parenthesised area
/// code add a few.
const MAX_DIGITS: usize = 20;

/// The value of a digit character: ASCII `0`-`9` or full-width `０`-`９`.
pub fn digit_value(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '\u{FF10}'..='\u{FF19}' => Some((c as u32 - 0xFF10) as u8),
        _ => None,
    }
}

/// Characters that separate digit groups: spaces, dashes and dots, ASCII or not.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{00A0}' | '\u{2009}' | '\u{202F}' | '\u{3000}' | '-' | '\u{2010}'
            ..='\u{2014}' | '\u{2212}' | '\u{FF0D}' | '.' | '\u{FF0E}'
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tok {
    Digit(u8),
    Plus,
    Open,
    Close,
    Sep,
    Other,
}

fn tok(c: char) -> Tok {
    if let Some(d) = digit_value(c) {
        return Tok::Digit(d);
    }
    match c {
        '+' | '\u{FF0B}' => Tok::Plus,
        '(' | '\u{FF08}' => Tok::Open,
        ')' | '\u{FF09}' => Tok::Close,
        c if is_separator(c) => Tok::Sep,
        _ => Tok::Other,
    }
}

/// Which country a written number names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Country {
    /// No country prefix: a national number (or digits of unknown kind).
    Unknown,
    /// `+86`, `0086`, `(+86)`, `86` and a separator.
    China,
    /// `+` or `00` with another country code.
    Other,
}

/// A phone number as written, read by [`parse`]: its digits in order (ASCII) and where
/// the number after the country code starts. Lives on the stack; its `Debug` shows no
/// digit.
#[derive(Clone, Copy)]
pub struct Phone {
    digits: [u8; MAX_DIGITS],
    len: u8,
    /// Index of the first digit after the country code (0 when there is none).
    start: u8,
    country: Country,
    /// Written with a `+` (bare or in parentheses).
    plus: bool,
    /// No prefix, and the first digit group (before any separator) starts with `86`
    /// and has more digits: `8613800138000`.
    glued86: bool,
}

impl Phone {
    /// Every digit, prefix included, as ASCII.
    pub fn digits(&self) -> &str {
        ascii(&self.digits[..self.len as usize])
    }

    /// The digits after the country code (all of them when there is none).
    pub fn national(&self) -> &str {
        ascii(&self.digits[self.start as usize..self.len as usize])
    }

    pub fn country(&self) -> Country {
        self.country
    }

    /// The mainland mobile number it is (11 national digits in [`MOBILE_RANGES`]).
    pub fn mobile(&self) -> Option<Mobile> {
        let national = match self.country {
            Country::China => self.national().as_bytes(),
            Country::Other => return None,
            Country::Unknown => {
                let d = self.digits().as_bytes();
                if self.glued86 && d.len() == 13 {
                    &d[2..]
                } else {
                    d
                }
            }
        };
        let digits: [u8; 11] = national.try_into().ok()?;
        in_mobile_range(&digits).then_some(Mobile {
            digits,
            canonical: false,
        })
    }

    /// E.164 as written with a `+`: 8-15 digits, the country code not starting with 0.
    pub fn is_e164(&self) -> bool {
        self.plus && (8..=15).contains(&self.len) && self.digits[0] != b'0'
    }

    /// A mainland landline in national form: `0`, an area code (`10`, `2x` or a
    /// 3-digit `3xx`-`9xx`) and a 7-8 digit number; 10-12 digits with the trunk `0`.
    pub fn is_cn_landline(&self) -> bool {
        if self.country == Country::Other {
            return false;
        }
        let mut buf = [0u8; MAX_DIGITS + 1];
        let b = self.national_key(&mut buf);
        (10..=12).contains(&b.len())
            && b[0] == b'0'
            && b[1] != b'0'
            && !(b[1] == b'1' && b[2] != b'0')
    }

    /// The key's digits for a number without a foreign country code: a glued `86`
    /// dropped before a mobile-shaped number, the trunk `0` restored after `+86`.
    fn national_key<'b>(&self, buf: &'b mut [u8; MAX_DIGITS + 1]) -> &'b [u8] {
        let d = self.digits().as_bytes();
        let n = match self.country {
            Country::China => {
                let n = self.national().as_bytes();
                if n.is_empty() {
                    d
                } else if needs_trunk(n) {
                    buf[0] = b'0';
                    buf[1..=n.len()].copy_from_slice(n);
                    return &buf[..=n.len()];
                } else {
                    n
                }
            }
            _ if self.glued86 && mobile_shaped(&d[2.min(d.len())..]) => &d[2..],
            _ => d,
        };
        buf[..n.len()].copy_from_slice(n);
        &buf[..n.len()]
    }

    /// The key [`phone_key`] gives, appended to `out`.
    pub fn key_into(&self, out: &mut String) {
        if self.country == Country::Other && self.start < self.len {
            out.push('+');
            out.push_str(self.national());
            return;
        }
        let mut buf = [0u8; MAX_DIGITS + 1];
        out.push_str(ascii(self.national_key(&mut buf)));
    }
}

/// 11 digits starting with 1: how every mainland mobile number is shaped.
fn mobile_shaped(d: &[u8]) -> bool {
    d.len() == 11 && d[0] == b'1'
}

/// Whether a mainland number written after `+86` gets its trunk `0` back in national
/// form: landlines with an area code do; mobiles, 400/800 service numbers, numbers
/// already written with the `0` and short numbers do not.
fn needs_trunk(n: &[u8]) -> bool {
    n[0] != b'0'
        && n.len() >= 9
        && !mobile_shaped(n)
        && !(n.len() == 10 && (n.starts_with(b"400") || n.starts_with(b"800")))
}

fn ascii(b: &[u8]) -> &str {
    // Only ASCII digits are ever stored.
    std::str::from_utf8(b).unwrap_or_default()
}

/// Reads a phone number written with the forms of the module documentation; `None`
/// when it holds anything else (letters, misplaced signs) or more than 20 digits.
pub fn parse(s: &str) -> Option<Phone> {
    let mut p = Phone {
        digits: [0; MAX_DIGITS],
        len: 0,
        start: 0,
        country: Country::Unknown,
        plus: false,
        glued86: false,
    };
    fn push(p: &mut Phone, d: u8) -> Option<()> {
        *p.digits.get_mut(p.len as usize)? = b'0' + d;
        p.len += 1;
        Some(())
    }
    #[derive(PartialEq)]
    enum Last {
        Start,
        Plus,
        Close,
        Digit,
        Sep,
    }
    let mut toks = s.trim().chars().map(tok).peekable();
    let mut last = Last::Start;
    let mut paren = false;
    match toks.peek() {
        Some(Tok::Plus) => {
            toks.next();
            p.plus = true;
            last = Last::Plus;
        }
        Some(Tok::Open) => {
            toks.next();
            let plus = toks.next_if(|t| *t == Tok::Plus).is_some();
            loop {
                match toks.next()? {
                    Tok::Digit(d) => push(&mut p, d)?,
                    Tok::Close => break,
                    _ => return None,
                }
            }
            let group = &p.digits[..p.len as usize];
            if group.is_empty() {
                return None;
            }
            if plus {
                p.plus = true;
                p.country = if group == b"86" {
                    Country::China
                } else {
                    Country::Other
                };
                p.start = if group == b"86" { 2 } else { 0 };
            } else if group == b"86" || group == b"0086" {
                p.country = Country::China;
                p.start = p.len;
            }
            paren = true;
            last = Last::Close;
        }
        _ => {}
    }
    let body = p.len;
    // Digits of the body's first group (before its first separator).
    let mut first_group = None;
    for t in toks {
        match t {
            Tok::Digit(d) => {
                push(&mut p, d)?;
                last = Last::Digit;
            }
            Tok::Sep if matches!(last, Last::Digit | Last::Sep | Last::Close) => {
                if last == Last::Digit && first_group.is_none() {
                    first_group = Some(p.len - body);
                }
                last = Last::Sep;
            }
            _ => return None,
        }
    }
    if last != Last::Digit {
        return None;
    }
    let first_group = first_group.unwrap_or(p.len - body);
    let d = &p.digits[..p.len as usize];
    if p.country == Country::Unknown {
        if p.plus {
            // Country codes are prefix-free: no other starts with 86.
            if d.starts_with(b"86") && first_group >= 2 {
                p.country = Country::China;
                p.start = 2;
            } else {
                p.country = Country::Other;
            }
        } else if d.starts_with(b"0086") {
            p.country = Country::China;
            p.start = 4;
        } else if d.starts_with(b"00") {
            p.country = Country::Other;
            p.start = 2;
        } else if !paren && d.starts_with(b"86") {
            if first_group == 2 && p.len >= 11 {
                // `86 ` and at least an area code and a local number.
                p.country = Country::China;
                p.start = 2;
            } else if first_group > 2 {
                p.glued86 = true;
            }
        }
    }
    Some(p)
}

/// A mainland mobile number: its 11 canonical digits, and whether it was written so.
/// Its `Debug` shows no digit.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mobile {
    digits: [u8; 11],
    canonical: bool,
}

impl std::fmt::Debug for Mobile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mobile")
            .field("canonical", &self.canonical)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Phone")
            .field("digits", &self.len)
            .field("country", &self.country)
            .finish_non_exhaustive()
    }
}

impl Mobile {
    /// The 11 digits (`13800138000`).
    pub fn as_str(&self) -> &str {
        ascii(&self.digits)
    }

    /// The value was exactly its 11 ASCII digits: no prefix, separator, space or
    /// full-width digit.
    pub fn is_canonical(&self) -> bool {
        self.canonical
    }
}

/// Whether 11 ASCII digits fall in [`MOBILE_RANGES`].
pub fn in_mobile_range(digits: &[u8; 11]) -> bool {
    if !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let prefix = digits[..5]
        .iter()
        .fold(0u32, |p, &d| p * 10 + u32::from(d - b'0'));
    MOBILE_RANGES
        .iter()
        .any(|&(lo, hi)| (lo..=hi).contains(&prefix))
}

/// The mainland mobile number a value holds in any accepted form; `None` when it is not
/// one (see the module documentation).
pub fn cn_mobile(s: &str) -> Option<Mobile> {
    if let Ok(digits) = <[u8; 11]>::try_from(s.as_bytes())
        && digits.iter().all(u8::is_ascii_digit)
    {
        return in_mobile_range(&digits).then_some(Mobile {
            digits,
            canonical: true,
        });
    }
    parse(s)?.mobile()
}

/// ## What it checks
/// A mainland China mobile number in an allocated range, in any accepted form: `+86`,
/// `0086`, `(+86)`, `（+86）`, `86 ` prefixes; spaces, dashes and dots; full-width digits.
/// ## Why it matters
/// A mobile number identifies a person (PIPL Art. 4); an invalid one cannot reach the
/// customer.
/// ## Example
/// | value               | verdict                       |
/// |---------------------|-------------------------------|
/// | `13812346138`       | match                         |
/// | `(+86)137-2663-8532`| match                         |
/// | `12812346138`       | no: 128 is not a mobile range |
/// | `1381234613`        | no: 10 digits                 |
/// ## Limits
/// Ranges follow libphonenumber's metadata 9.0.33 (`docs/phones.md`); a range opened
/// later needs a table update. Whether a number is in service is not knowable here.
pub fn is_cn_mobile(s: &str) -> bool {
    cn_mobile(s).is_some()
}

/// A valid mainland mobile number written canonically: exactly 11 ASCII digits.
pub fn is_cn_mobile_strict(s: &str) -> bool {
    cn_mobile(s).is_some_and(|m| m.canonical)
}

/// The key duplicate checks and dedupe compare phone numbers by: a mainland mobile as
/// its 11 digits, a mainland landline in national form with its trunk `0`, another
/// country's number as `+` and its digits; a value that is not written as a phone
/// number keeps its digits (full-width folded), with a `0086`/`86` before a
/// mobile-shaped number dropped. `None` when the value has no digit. Borrowed when the
/// value is already its own key.
pub fn phone_key(s: &str) -> Option<Cow<'_, str>> {
    let b = s.as_bytes();
    if !b.is_empty()
        && b.iter().all(u8::is_ascii_digit)
        && !b.starts_with(b"00")
        && (b.len() != 13 || !b.starts_with(b"861"))
    {
        return Some(Cow::Borrowed(s));
    }
    if let Some(p) = parse(s) {
        let mut out = String::with_capacity(MAX_DIGITS + 2);
        p.key_into(&mut out);
        return Some(Cow::Owned(out));
    }
    let digits: String = s
        .chars()
        .filter_map(digit_value)
        .map(|d| char::from(b'0' + d))
        .collect();
    for prefix in ["0086", "86"] {
        if let Some(rest) = digits.strip_prefix(prefix)
            && mobile_shaped(rest.as_bytes())
        {
            return Some(Cow::Owned(rest.to_string()));
        }
    }
    (!digits.is_empty()).then_some(Cow::Owned(digits))
}

#[cfg(test)]
mod tests;
