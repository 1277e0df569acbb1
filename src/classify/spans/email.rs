//! `email` spans: e-mail addresses inside text.
//!
//! What it finds: around an `@`, the local part back to the first character that is
//! not `A-Z a-z 0-9 . _ % + -` (at most 64, leading dots and dashes dropped) and the
//! domain forward over `A-Z a-z 0-9 . -` (trailing dots and dashes dropped: a full
//! stop ends the sentence), when `validate::email` accepts the whole (dot-atom, LDH
//! labels, alphabetic top-level domain).
//!
//! Why: Chinese notes glue addresses to the words around them (`发票请发送至
//! zhouboning0727@gmail.com，谢谢`); since the local part and domain are ASCII, the
//! nearest non-ASCII character is the boundary, with no word boundary needed.
//!
//! Example: `发票请发送至zhouboning0727@gmail.com。` gives one span over
//! `zhouboning0727@gmail.com`.
//!
//! Limits: ASCII addresses only (as `validate::email`); quoted local parts and
//! addresses inside URLs are not reported; an address glued to English letters after
//! its top-level domain (`a@b.comthanks`) is read with them and so not found.

fn local(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn domain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

/// The e-mail address around the `@` at byte `i`, not reaching back before `floor`:
/// its byte range.
pub(super) fn at(text: &str, i: usize, floor: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut start = i;
    while start > floor && i - start < 64 && local(b[start - 1]) {
        start -= 1;
    }
    if start > floor && local(b[start - 1]) {
        return None; // a local part longer than 64 characters
    }
    while start < i && matches!(b[start], b'.' | b'-' | b'+') {
        start += 1;
    }
    let mut end = i + 1;
    while end < b.len() && end - i <= 253 && domain(b[end]) {
        end += 1;
    }
    while end > i + 1 && matches!(b[end - 1], b'.' | b'-') {
        end -= 1;
    }
    if start == i || end == i + 1 {
        return None;
    }
    let s = text.get(start..end)?;
    crate::validate::email::is_valid(s).then_some((start, end))
}
