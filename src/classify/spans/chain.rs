//! Chains: the digit groups (and letter groups) a candidate value is written in.
//!
//! What it builds: from the *atom* holding a trigger digit (a maximal run of ASCII or
//! full-width letters, digits and `_`), the following atoms joined by *links* (one to
//! three separator characters: spaces, at most one dash, or one dot alone), up to
//! [`MAX_ATOMS`]. A `+` or `＋` just before the first atom and parentheses around it
//! (`(+86)`, `（0755）`) are its prefix. Each atom's characters are kept folded to ASCII
//! upper case in one buffer, so the atoms `s..=e` of a value are one contiguous slice
//! (`6222 0212 3456 7894` -> `6222021234567894`).
//!
//! Why: values in text are written in groups (`138 1234 5678`, `+86-10-6552-9988`,
//! `GB82 WEST 1234 5698 7654 32`), and the groups tell which readings are possible
//! before any validator runs. An atom is never split, so a value can never be glued to
//! another ASCII letter or digit: `SF13812345678` and `DD2026110513812345678` are one
//! atom each, and no mobile.
//!
//! Example: `电话(+86) 138-1234-5678。` gives atoms `86` (prefix `(+`..`)`), `138`,
//! `1234`, `5678`, linked by a space and two dashes.
//!
//! Limits: a value starts at the first atom or after a spaced link, and ends at the
//! last atom or before a spaced link; a single dash or dot joins tightly (`2026-13812345678`,
//! `13812345678.00` are not mobiles). Atoms longer than [`MAX_ATOM`] characters are
//! never part of a value.

use super::chars::{self, Sep};

/// Atoms read per chain.
pub(super) const MAX_ATOMS: usize = 8;
/// The longest atom that can be (part of) a value: an IBAN has at most 34 characters.
pub(super) const MAX_ATOM: usize = 34;

/// Character counts of a value's atoms, on the stack (`[3, 4, 4]` for `138 1234 5678`).
#[derive(Debug, Default)]
pub(super) struct Lens {
    v: [usize; MAX_ATOMS],
    n: usize,
}

impl std::ops::Deref for Lens {
    type Target = [usize];
    fn deref(&self) -> &[usize] {
        &self.v[..self.n]
    }
}

/// How an atom is joined to the next one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) enum Link {
    /// Nothing follows (the chain ends here).
    #[default]
    None,
    /// A run with a space (`138 1234`, `138 - 1234`), or the close of a parenthesised
    /// prefix directly followed by digits (`(+86)138`): values may start or end here.
    Space,
    /// One dash (`138-1234`): joins tightly.
    Dash,
    /// One dot (`192.168`): joins tightly.
    Dot,
}

/// A run of letters and digits.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Atom {
    /// Byte range of its characters in the text.
    pub start: usize,
    pub end: usize,
    /// Its folded characters in [`Chain::buf`].
    pub off: usize,
    pub len: usize,
    pub digits: usize,
    pub letters: usize,
    /// Holds `_` or is longer than [`MAX_ATOM`]: never part of a value.
    pub dirty: bool,
    /// The link to the next atom.
    pub link: Link,
}

/// The atoms of a candidate value.
pub(super) struct Chain<'t> {
    pub text: &'t str,
    pub atoms: [Atom; MAX_ATOMS],
    pub n: usize,
    buf: [u8; MAX_ATOMS * MAX_ATOM],
    /// Where a value starting at the first atom starts (its prefix included).
    pub vstart: usize,
    /// Where a value ending at the first atom ends (a closing parenthesis included).
    pub vend0: usize,
    /// `+` before the first atom (inside the parentheses if any).
    pub plus: bool,
    /// The first atom is in parentheses.
    pub paren: bool,
    /// A value may start at the first atom (nothing glues it to the text before).
    pub left_ok: bool,
    /// A value may end at the last atom (no `@` or tight link follows).
    pub right_ok: bool,
}

impl<'t> Chain<'t> {
    /// The chain whose first atom starts at byte `a0`.
    pub(super) fn build(text: &'t str, a0: usize) -> Chain<'t> {
        let b = text.as_bytes();
        let mut c = Chain {
            text,
            atoms: [Atom::default(); MAX_ATOMS],
            n: 0,
            buf: [0; MAX_ATOMS * MAX_ATOM],
            vstart: a0,
            vend0: a0,
            plus: false,
            paren: false,
            left_ok: true,
            right_ok: true,
        };
        let mut at = c.read_atom(a0);
        // The prefix of the first atom.
        let first_end = c.atoms[0].end;
        let mut p = a0;
        if let Some(n) = chars::plus_before(b, p) {
            c.plus = true;
            p -= n;
        }
        if let (Some(o), Some(cl)) = (chars::open_before(b, p), chars::close_at(b, first_end)) {
            c.paren = true;
            p -= o;
            c.vend0 = first_end + cl;
            at = c.vend0;
        } else {
            c.vend0 = first_end;
            if c.plus && chars::atom_before(b, p) {
                c.left_ok = false;
            }
        }
        c.vstart = p;
        c.left_ok &= left_free(b, p);
        // The following atoms.
        loop {
            let last = c.n - 1;
            let (link, next) = read_link(b, at);
            let link = match link {
                None if c.paren && last == 0 && next == at => Some(Link::Space),
                l => l,
            };
            let (Some(link), true) = (link, chars::atom_char(b, next).is_some()) else {
                // Nothing joins: a value may end here unless an `@` follows.
                c.right_ok = b.get(at) != Some(&b'@');
                break;
            };
            c.atoms[last].link = link;
            if c.n == MAX_ATOMS {
                c.right_ok = link == Link::Space;
                break;
            }
            at = c.read_atom(next);
        }
        c
    }

    /// Reads the atom at `i` as the next one; returns its end.
    fn read_atom(&mut self, i: usize) -> usize {
        let b = self.text.as_bytes();
        let off = self.atoms[..self.n].iter().map(|a| a.len).sum::<usize>();
        let mut a = Atom {
            start: i,
            end: i,
            off,
            ..Atom::default()
        };
        let mut j = i;
        while let Some((ch, len)) = chars::atom_char(b, j) {
            if a.len < MAX_ATOM {
                self.buf[off + a.len] = ch;
            }
            a.len += 1;
            match ch {
                b'0'..=b'9' => a.digits += 1,
                b'_' => a.dirty = true,
                _ => a.letters += 1,
            }
            j += len;
        }
        a.end = j;
        if a.len > MAX_ATOM {
            a.dirty = true;
            a.len = 0;
        }
        self.atoms[self.n] = a;
        self.n += 1;
        j
    }

    /// Where a value starting at atom `s` starts.
    pub(super) fn vstart(&self, s: usize) -> usize {
        if s == 0 {
            self.vstart
        } else {
            self.atoms[s].start
        }
    }

    /// Where a value ending at atom `e` ends.
    pub(super) fn vend(&self, e: usize) -> usize {
        if e == 0 {
            self.vend0
        } else {
            self.atoms[e].end
        }
    }

    /// The end of the chain's last atom: where scanning resumes.
    pub(super) fn end(&self) -> usize {
        self.vend(self.n - 1)
    }

    /// The text of a value from atom `s` to atom `e`, as written.
    pub(super) fn written(&self, s: usize, e: usize) -> &'t str {
        self.text.get(self.vstart(s)..self.vend(e)).unwrap_or("")
    }

    /// The character counts of atoms `s..=e`.
    pub(super) fn lens(&self, s: usize, e: usize) -> Lens {
        let mut l = Lens::default();
        for a in &self.atoms[s..=e] {
            l.v[l.n] = a.len;
            l.n += 1;
        }
        l
    }

    /// The digits of atoms `s..=e`.
    pub(super) fn digits(&self, s: usize, e: usize) -> usize {
        self.atoms[s..=e].iter().map(|a| a.digits).sum()
    }

    /// The letters of atoms `s..=e`.
    pub(super) fn letters(&self, s: usize, e: usize) -> usize {
        self.atoms[s..=e].iter().map(|a| a.letters).sum()
    }

    /// The folded characters of atoms `s..=e`, without separators.
    pub(super) fn folded(&self, s: usize, e: usize) -> &str {
        let (a, z) = (&self.atoms[s], &self.atoms[e]);
        // Only ASCII is ever stored.
        std::str::from_utf8(&self.buf[a.off..z.off + z.len]).unwrap_or("")
    }

    /// A value may start at atom `s`.
    pub(super) fn can_start(&self, s: usize) -> bool {
        self.atoms[s].digits > 0
            && if s == 0 {
                self.left_ok
            } else {
                self.atoms[s - 1].link == Link::Space
            }
    }

    /// A value may end at atom `e`.
    pub(super) fn can_end(&self, e: usize) -> bool {
        if e + 1 == self.n {
            self.right_ok
        } else {
            self.atoms[e].link == Link::Space
        }
    }
}

/// Whether the text before byte `p` leaves a value starting there free: no `@` (an
/// e-mail's domain), no dash after a letter or digit (`SKU-138...`), no dot after a
/// digit (`1.138...`), no letter or digit.
fn left_free(b: &[u8], p: usize) -> bool {
    if p == 0 {
        return true;
    }
    if b[p - 1] == b'@' || chars::atom_before(b, p) {
        return false;
    }
    match chars::sep_before(b, p) {
        Some((Sep::Dash, n)) => !chars::atom_before(b, p - n),
        Some((Sep::Dot, n)) => !chars::digit_before(b, p - n),
        _ => true,
    }
}

/// The link starting at `i`: its kind (`None` when the characters there do not form
/// one) and where the next atom would start.
fn read_link(b: &[u8], i: usize) -> (Option<Link>, usize) {
    let (mut spaces, mut dashes, mut dots, mut chars_read) = (0, 0, 0, 0);
    let mut j = i;
    while chars_read < 3 {
        let Some((sep, len)) = chars::sep_at(b, j) else {
            break;
        };
        match sep {
            Sep::Space => spaces += 1,
            Sep::Dash => dashes += 1,
            Sep::Dot => dots += 1,
        }
        chars_read += 1;
        j += len;
    }
    let link = match (spaces, dashes, dots) {
        (0, 0, 0) => None,
        (0, 1, 0) => Some(Link::Dash),
        (0, 0, 1) => Some(Link::Dot),
        (s, d, 0) if s > 0 && d <= 1 => Some(Link::Space),
        _ => None,
    };
    (link, j)
}
