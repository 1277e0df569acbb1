//! `identifier`, `phone` and `code`: values that are copied digit by digit, where an
//! error is a typo (one changed, dropped or swapped character), not a spelling variant.
//!
//! | kind         | a                    | b                    | level           |
//! |--------------|----------------------|----------------------|-----------------|
//! | `identifier` | `110101199003071234` | `110101199003071243` | one edit        |
//! | `phone`      | `13800138000`        | `13800138001`        | one edit        |
//! | `phone`      | `01065529988`        | `65529988`           | same last 8     |
//! | `code`       | `2119`               | `2118`               | one edit        |
//!
//! Values are normalised first (phones to `validate::phone::phone_key`: a mobile's 11
//! digits from any written form, a landline in national form; upper-case alphanumerics
//! for identifiers), so formatting never counts as an edit.

use super::edits;

pub const LEVELS: &[&str] = &["exact", "one edit", "two edits", "different"];
pub const PHONE_LEVELS: &[&str] = &["exact", "same last 8 digits", "one edit", "different"];
pub const CODE_LEVELS: &[&str] = &["exact", "one edit", "different"];

pub fn level(a: &str, b: &str) -> u8 {
    match edits(a, b, 2) {
        0 => 1,
        1 => 2,
        2 => 3,
        _ => 4,
    }
}

/// Two phone keys (`validate::phone::phone_key`) that are not equal.
pub fn phone_level(a: &str, b: &str) -> u8 {
    if a.len() >= 8 && b.len() >= 8 && a[a.len() - 8..] == b[b.len() - 8..] {
        return 2;
    }
    if edits(a, b, 1) <= 1 { 3 } else { 4 }
}

pub fn code_level(a: &str, b: &str) -> u8 {
    if edits(a, b, 1) <= 1 { 2 } else { 3 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        assert_eq!(level("110101199003071234", "110101199003071243"), 2);
        assert_eq!(level("1804974", "1804947"), 2);
        assert_eq!(level("1804974", "1084947"), 3);
        assert_eq!(level("1804974", "9999999"), 4);
        assert_eq!(phone_level("13800138000", "13800138001"), 3);
        assert_eq!(phone_level("13800138000", "13900138000"), 2);
        assert_eq!(phone_level("01065529988", "65529988"), 2);
        assert_eq!(code_level("2119", "2118"), 2);
        assert_eq!(code_level("2119", "3165"), 3);
    }
}
