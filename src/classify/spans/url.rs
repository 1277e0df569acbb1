//! URLs, skipped whole: the digits of a path or query are not personal data here.
//!
//! What it recognises: `scheme://` and what follows it, and a run of URL characters
//! before a number that holds `www.` or a host-like `name.tld/` (`shop.example.com/item/
//! 13812345678`). URL characters are ASCII graphic characters other than quotes, angle
//! brackets and parentheses; full-width punctuation and CJK text end a URL.
//!
//! Why: item ids, tracking links and query strings are full of digit runs that pass a
//! mobile or card check (`https://shop.example.com/item/13812345678?ref=6222...`).
//!
//! Example: in `详情见 https://x.cn/p/13812345678，电话13912345678` only the second
//! number is found.
//!
//! Limits: an e-mail or phone number inside a URL (`?email=a@b.com`) is skipped with it;
//! a URL written without a scheme, `www.` or a slash after its host is not recognised.

fn url_char(b: u8) -> bool {
    b.is_ascii_graphic() && !matches!(b, b'"' | b'\'' | b'<' | b'>' | b'(' | b')')
}

/// Where a URL running through byte `i` ends (trailing `.,;:!?` dropped).
pub(super) fn end(b: &[u8], i: usize) -> usize {
    let mut e = i;
    while e < b.len() && url_char(b[e]) {
        e += 1;
    }
    while e > i && matches!(b[e - 1], b'.' | b',' | b';' | b':' | b'!' | b'?') {
        e -= 1;
    }
    e
}

/// Whether `:` at byte `i` starts `://` after a scheme.
pub(super) fn scheme_at(b: &[u8], i: usize) -> bool {
    b.get(i..i + 3) == Some(b"://") && i > 0 && b[i - 1].is_ascii_alphabetic()
}

/// Whether the number starting at byte `i` is inside a URL: the URL characters before
/// it (back to `floor`, at most 256 bytes) hold `://`, `www.` or a `.x` before a `/`.
pub(super) fn before(b: &[u8], i: usize, floor: usize) -> bool {
    let mut s = i;
    while s > floor && i - s < 256 && url_char(b[s - 1]) {
        s -= 1;
    }
    let run = &b[s..i];
    if run.is_empty() {
        return false;
    }
    if run.windows(3).any(|w| w == b"://")
        || run.windows(4).any(|w| w.eq_ignore_ascii_case(b"www."))
    {
        return true;
    }
    let Some(slash) = run.iter().rposition(|&c| c == b'/') else {
        return false;
    };
    run[..slash]
        .windows(2)
        .any(|w| w[0] == b'.' && w[1].is_ascii_alphabetic())
}
