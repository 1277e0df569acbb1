//! `partial`: keep a few characters at the ends, replace the rest with `*`.
//!
//! ## What it does
//! Masks a value so a reviewer can recognise its shape but not the value:
//! e-mail addresses keep the first character of the local part and the domain; other
//! values keep the first 3 and last 4 characters when they are 11 characters or longer
//! (a mainland mobile becomes `138****6138`), the first and last 2 for 7-10 characters,
//! and only the first character for shorter values (a name `张三丰` becomes `张**`).
//! ## Why it matters
//! Report samples must never carry raw personal data (design.md, Principles).
//! ## Example
//! | value               | masked             |
//! |---------------------|--------------------|
//! | `13812346138`       | `138****6138`      |
//! | `zhang@example.com` | `z***@example.com` |
//! | `张三丰`             | `张**`              |
//! [`mask_as`] refines this with the column's category (addresses, birth dates, names).
//! ## Limits
//! A short identifier keeps one character. Counting is by Unicode scalar, not by
//! display width.

/// Mask one value for display in a report.
pub fn mask(value: &str) -> String {
    let value = value.trim();
    if let Some((local, domain)) = value.split_once('@')
        && !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
    {
        let first: String = local.chars().take(1).collect();
        return format!("{first}***@{domain}");
    }
    let n = value.chars().count();
    let (head, tail) = match n {
        0 => return String::new(),
        1 => (0, 0),
        2..=6 => (1, 0),
        7..=10 => (2, 2),
        _ => (3, 4),
    };
    keep_ends(value, n, head, tail)
}

/// `value` (of `n` characters) with all but the first `head` and last `tail` characters
/// replaced by `*`: one pass, one allocation.
pub fn keep_ends(value: &str, n: usize, head: usize, tail: usize) -> String {
    let mut out = String::with_capacity(value.len());
    for (i, c) in value.chars().enumerate() {
        out.push(if i < head || i + tail >= n { c } else { '*' });
    }
    out
}

/// Mask one value knowing its column's personal-data category (from the classifier):
/// addresses keep only their first characters (province and city), birth dates their
/// year, names their first character; anything else as [`mask`].
pub fn mask_as(category: Option<&str>, value: &str) -> String {
    let value = value.trim();
    let n = value.chars().count();
    match category {
        Some("postal_address") => keep_ends(value, n, 6.min(n / 2), 0),
        Some("date_of_birth") if n >= 8 => keep_ends(value, n, 4, 0),
        Some("person_name") => keep_ends(value, n, 1.min(n), 0),
        _ => mask(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_examples_hold() {
        assert_eq!(mask("13812346138"), "138****6138");
        assert_eq!(mask("zhang@example.com"), "z***@example.com");
        assert_eq!(mask("张三丰"), "张**");
        assert_eq!(mask("11010519491231002X"), "110***********002X");
        assert_eq!(mask("C00042"), "C*****");
        assert_eq!(mask("M"), "*");
        assert_eq!(mask(""), "");
    }

    #[test]
    fn masks_keep_the_length() {
        for v in [
            "1",
            "ab",
            "abcdefg",
            "abcdefghijk",
            "张伟",
            "北京市朝阳区建国路88号",
        ] {
            assert_eq!(mask(v).chars().count(), v.chars().count(), "{v}");
        }
    }
}
