//! Character classes of the span finder, on UTF-8 bytes.
//!
//! What they are: the bytes that can start a candidate (the prefilter), the characters
//! a value is made of (*atom* characters), the separators between digit groups, and the
//! characters that end a clause (for the context window).
//!
//! Why on bytes: the finder scans whole text cells, mostly Chinese, where candidates
//! are rare. A table lookup per byte finds the next digit, `@` or `:` at memory speed,
//! and every other decision is taken at a candidate only.
//!
//! Example: in `客户电话１３８１２３４５６７８，下午联系` the first trigger is the lead byte
//! `0xEF` of `１`; [`atom_char`] reads `１` as `b'1'` (3 bytes), so the run of
//! full-width digits is one atom, as ASCII digits would be.
//!
//! Limits: atom characters are ASCII letters, digits and `_`, and their full-width
//! forms (U+FF10..U+FF19, U+FF21..U+FF3A, U+FF41..U+FF5A, U+FF3F); other scripts'
//! digits are not read. The separators are exactly those `validate::phone` accepts.

/// What a trigger byte starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Trigger {
    /// An ASCII digit.
    Digit,
    /// `0xEF`: the lead byte of full-width forms (a digit when followed by `BC 90..99`).
    FullWidth,
    /// `@`: an e-mail address.
    At,
    /// `:`: an IPv6 address or a URL scheme.
    Colon,
}

const fn trigger_table() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut d = b'0';
    while d <= b'9' {
        t[d as usize] = 1;
        d += 1;
    }
    t[0xEF] = 2;
    t[b'@' as usize] = 3;
    t[b':' as usize] = 4;
    t
}

static TRIGGERS: [u8; 256] = trigger_table();

/// The next trigger at or after `from`.
#[inline]
pub(super) fn next_trigger(b: &[u8], from: usize) -> Option<(usize, Trigger)> {
    let rest = b.get(from..)?;
    let i = rest.iter().position(|&x| TRIGGERS[x as usize] != 0)?;
    let kind = match TRIGGERS[rest[i] as usize] {
        1 => Trigger::Digit,
        2 => Trigger::FullWidth,
        3 => Trigger::At,
        _ => Trigger::Colon,
    };
    Some((from + i, kind))
}

/// The atom character at `i`: its ASCII form (letters upper-cased, `_` kept) and its
/// length in bytes.
#[inline]
pub(super) fn atom_char(b: &[u8], i: usize) -> Option<(u8, usize)> {
    let c = *b.get(i)?;
    match c {
        b'0'..=b'9' | b'A'..=b'Z' | b'_' => Some((c, 1)),
        b'a'..=b'z' => Some((c.to_ascii_uppercase(), 1)),
        0xEF => {
            let (c1, c2) = (*b.get(i + 1)?, *b.get(i + 2)?);
            match (c1, c2) {
                (0xBC, 0x90..=0x99) => Some((b'0' + (c2 - 0x90), 3)),
                (0xBC, 0xA1..=0xBA) => Some((b'A' + (c2 - 0xA1), 3)),
                (0xBC, 0xBF) => Some((b'_', 3)),
                (0xBD, 0x81..=0x9A) => Some((b'A' + (c2 - 0x81), 3)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The length of the atom character that ends just before `i`, if one does.
#[inline]
pub(super) fn atom_char_before(b: &[u8], i: usize) -> Option<(u8, usize)> {
    if i == 0 {
        return None;
    }
    let c = b[i - 1];
    if c < 0x80 {
        return atom_char(b, i - 1);
    }
    if i >= 3 && b[i - 3] == 0xEF {
        return atom_char(b, i - 3);
    }
    None
}

/// Whether an atom character ends just before `i`.
#[inline]
pub(super) fn atom_before(b: &[u8], i: usize) -> bool {
    atom_char_before(b, i).is_some()
}

/// Whether a digit (ASCII or full-width) ends just before `i`.
#[inline]
pub(super) fn digit_before(b: &[u8], i: usize) -> bool {
    atom_char_before(b, i).is_some_and(|(c, _)| c.is_ascii_digit())
}

/// A separator between digit groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sep {
    Space,
    Dash,
    Dot,
}

/// The separator character at `i` and its length: spaces (ASCII, NBSP, thin and narrow
/// spaces, U+3000), dashes (`-`, U+2010..U+2014, U+2212, `－`) and dots (`.`, `．`).
#[inline]
pub(super) fn sep_at(b: &[u8], i: usize) -> Option<(Sep, usize)> {
    match *b.get(i)? {
        b' ' => Some((Sep::Space, 1)),
        b'-' => Some((Sep::Dash, 1)),
        b'.' => Some((Sep::Dot, 1)),
        0xC2 if b.get(i + 1) == Some(&0xA0) => Some((Sep::Space, 2)),
        0xE3 if b.get(i + 1..i + 3) == Some(&[0x80, 0x80]) => Some((Sep::Space, 3)),
        0xE2 => match (*b.get(i + 1)?, *b.get(i + 2)?) {
            (0x80, 0x89) | (0x80, 0xAF) => Some((Sep::Space, 3)),
            (0x80, 0x90..=0x94) | (0x88, 0x92) => Some((Sep::Dash, 3)),
            _ => None,
        },
        0xEF => match (*b.get(i + 1)?, *b.get(i + 2)?) {
            (0xBC, 0x8D) => Some((Sep::Dash, 3)),
            (0xBC, 0x8E) => Some((Sep::Dot, 3)),
            _ => None,
        },
        _ => None,
    }
}

/// The separator character that ends just before `i`.
pub(super) fn sep_before(b: &[u8], i: usize) -> Option<(Sep, usize)> {
    (1..=3)
        .filter(|&n| n <= i)
        .find_map(|n| sep_at(b, i - n).filter(|&(_, len)| len == n))
}

/// `+` or `＋` at `i`: its length.
pub(super) fn plus_before(b: &[u8], i: usize) -> Option<usize> {
    if i >= 1 && b[i - 1] == b'+' {
        Some(1)
    } else if i >= 3 && b[i - 3..i] == [0xEF, 0xBC, 0x8B] {
        Some(3)
    } else {
        None
    }
}

/// `(` or `（` just before `i`: its length.
pub(super) fn open_before(b: &[u8], i: usize) -> Option<usize> {
    if i >= 1 && b[i - 1] == b'(' {
        Some(1)
    } else if i >= 3 && b[i - 3..i] == [0xEF, 0xBC, 0x88] {
        Some(3)
    } else {
        None
    }
}

/// `)` or `）` at `i`: its length.
pub(super) fn close_at(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) == Some(&b')') {
        Some(1)
    } else if b.get(i..i + 3) == Some(&[0xEF, 0xBC, 0x89]) {
        Some(3)
    } else {
        None
    }
}

/// Characters that end a clause, so that a keyword before one does not describe a value
/// after it: line breaks, `，。；！？、`, their ASCII forms and `|`. A colon is no break:
/// a keyword is followed by one (`护照号码：E12345678`).
pub(super) fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | ',' | ';' | '!' | '?' | '，' | '。' | '；' | '！' | '？' | '、' | '|'
    )
}

/// Whether `c` is an ASCII letter (for keyword word boundaries).
pub(super) fn ascii_letter_at(b: &[u8], i: usize) -> bool {
    b.get(i).is_some_and(u8::is_ascii_alphabetic)
}
