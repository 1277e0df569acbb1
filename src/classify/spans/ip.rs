//! `ip_address` spans: IPv4 and IPv6 addresses.
//!
//! What it finds:
//! - IPv4: four groups of 1-3 ASCII digits joined by single dots, each at most 255
//!   without leading zeros (the `ip_address` detector's check, the standard library's
//!   parser), not continued by another `.digit` or glued to a letter or digit, and not
//!   after a version keyword (`v`, `version`, `版本`, `build`, `固件`);
//! - IPv6: a run of hex digits and colons (and dots, for an embedded IPv4 tail) with at
//!   least two colons and a decimal digit, compressed forms included (`fe80::1`,
//!   `2001:db8::8a2e:370:7334`, `::ffff:192.168.1.1`), valid by the same check.
//!
//! Why: an IP address is personal data under GDPR when it identifies a device; login
//! notes and support tickets paste them (`登录IP 192.168.1.23`).
//!
//! Example: `登录IP：10.12.0.7，时间14:30:00` gives one span over `10.12.0.7`; the time
//! (one colon per group, no `::`) is not IPv6, `1.2.3.4.5` and `256.1.1.1` are no IPv4.
//!
//! Limits: addresses inside URLs are not reported (the URL is skipped whole); zone
//! ids (`fe80::1%eth0`) and bracketed forms with ports are cut at the `%` / `]`.

use super::chain::{Chain, Link};
use super::chars;
use super::checks::checks;
use super::context::Lazy;
use crate::classify::Match;

/// Verdict of a dotted value.
pub(super) enum V4 {
    Address,
    /// IPv4-shaped after a version keyword.
    Version,
    No,
}

/// Atoms `s..=e` as an IPv4 address.
pub(super) fn v4(c: &Chain, s: usize, e: usize, ctx: &mut Lazy) -> V4 {
    let shaped = e == s + 3
        && !(s == 0 && (c.plus || c.paren))
        && c.atoms[s..e].iter().all(|a| a.link == Link::Dot)
        && c.atoms[s..=e]
            .iter()
            .all(|a| (1..=3).contains(&a.len) && a.digits == a.len && a.end - a.start == a.len);
    if !shaped || (checks().ip_address)(c.written(s, e)) != Match::Strong {
        return V4::No;
    }
    if ctx.get().version {
        V4::Version
    } else {
        V4::Address
    }
}

fn hex(b: u8) -> bool {
    b.is_ascii_hexdigit()
}

/// An IPv6 address around byte `i` (a colon, or the start of a hex group followed by
/// one), not reaching back before `floor`: its byte range.
pub(super) fn v6(text: &str, i: usize, floor: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut start = i;
    while start > floor && i - start < 4 && hex(b[start - 1]) {
        start -= 1;
    }
    if chars::atom_before(b, start) || (start > 0 && matches!(b[start - 1], b':' | b'.')) {
        return None;
    }
    let mut end = start;
    while end < b.len() && end - start <= 45 && (hex(b[end]) || b[end] == b':' || b[end] == b'.') {
        end += 1;
    }
    // A sentence's full stop, a trailing single colon (`IP fe80::1: ...`).
    while end > start && b[end - 1] == b'.' {
        end -= 1;
    }
    if end >= start + 2 && b[end - 1] == b':' && b[end - 2] != b':' {
        end -= 1;
    }
    let cand = &b[start..end];
    let colons = cand.iter().filter(|&&x| x == b':').count();
    if colons < 2
        || !cand.iter().any(u8::is_ascii_digit)
        || chars::atom_char(b, end).is_some()
        || end - start > 45
    {
        return None;
    }
    let s = text.get(start..end)?;
    ((checks().ip_address)(s) == Match::Strong).then_some((start, end))
}
