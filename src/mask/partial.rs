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
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    let (head, tail) = match n {
        0 => return String::new(),
        1 => (0, 0),
        2..=6 => (1, 0),
        7..=10 => (2, 2),
        _ => (3, 4),
    };
    let mut out: String = chars[..head].iter().collect();
    out.extend(std::iter::repeat_n('*', n - head - tail));
    out.extend(&chars[n - tail..]);
    out
}

/// Mask one value knowing its column's personal-data category (from the classifier):
/// addresses keep only their first characters (province and city), birth dates their
/// year, names their first character; anything else as [`mask`].
pub fn mask_as(category: Option<&str>, value: &str) -> String {
    let value = value.trim();
    let chars: Vec<char> = value.chars().collect();
    let keep = |k: usize| -> String {
        let k = k.min(chars.len());
        chars[..k]
            .iter()
            .copied()
            .chain(std::iter::repeat_n('*', chars.len() - k))
            .collect()
    };
    match category {
        Some("postal_address") => keep(6.min(chars.len() / 2)),
        Some("date_of_birth") if chars.len() >= 8 => keep(4),
        Some("person_name") => keep(1),
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
