//! Width and case normalisation shared by the validators, dedupe and duplicate keys.

/// Full-width ASCII variants and the ideographic space folded to ASCII.
pub fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// `value.trim()` (Unicode white space off both ends), without decoding a character
/// when both ends are printable ASCII, as most values are. The scan's per-row
/// functions (minors, embedded spans, the resident-ID and date parsers) trim every
/// value they see.
#[inline]
pub fn trim(value: &str) -> &str {
    match value.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => value,
        [only] if only.is_ascii_graphic() => value,
        _ => value.trim(),
    }
}

/// Upper-case letters and digits only (`110101 19900101 123x` -> `11010119900101123X`).
pub fn identifier(value: &str) -> String {
    value
        .chars()
        .map(half_width)
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The same as the standard library's `str::trim` on any text.
        #[test]
        fn trim_is_str_trim(v in "[ \t\r\na-z0-9\u{3000}\u{a0}\u{85}\u{2028}北京，-]{0,12}") {
            prop_assert_eq!(super::trim(&v), v.trim());
        }
    }

    #[test]
    fn trim_edges() {
        for v in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\u{3000}a\u{3000}",
            "a\u{a0}",
            "北京",
            "é",
            "x\n",
        ] {
            assert_eq!(super::trim(v), v.trim(), "{v:?}");
        }
    }
}
