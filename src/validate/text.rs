//! Width and case normalisation shared by the validators, dedupe and duplicate keys.

/// Full-width ASCII variants and the ideographic space folded to ASCII.
pub fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
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
