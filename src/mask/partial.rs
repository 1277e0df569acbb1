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
//! [`mask_as`] refines this with the column's category (addresses, birth dates, names,
//! mobiles: a mobile in any written form keeps the first 3 and last 4 of its 11 digits,
//! `+86 138 **** 6138`, so every form shows the same digits).
//! ## Limits
//! A short identifier keeps one character. Counting is by Unicode scalar, not by
//! display width.

use crate::classify::category::SampleShape;

/// Mask one value for display in a report.
pub fn mask(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    mask_into(value, &mut out);
    out
}

/// [`mask`], appended to `out`.
pub fn mask_into(value: &str, out: &mut String) {
    let value = value.trim();
    if let Some((local, domain)) = value.split_once('@')
        && !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
    {
        if let Some(first) = local.chars().next() {
            out.push(first);
        }
        out.push_str("***@");
        out.push_str(domain);
        return;
    }
    let n = char_count(value);
    let (head, tail) = match n {
        0 => return,
        1 => (0, 0),
        2..=6 => (1, 0),
        7..=10 => (2, 2),
        _ => (3, 4),
    };
    keep_ends_into(value, n, head, tail, out);
}

/// Characters of `value` (its length when it is ASCII).
pub fn char_count(value: &str) -> usize {
    if value.is_ascii() {
        value.len()
    } else {
        value.chars().count()
    }
}

/// `value` (of `n` characters) with all but the first `head` and last `tail` characters
/// replaced by `*`: one pass, one allocation.
pub fn keep_ends(value: &str, n: usize, head: usize, tail: usize) -> String {
    let mut out = String::with_capacity(value.len());
    keep_ends_into(value, n, head, tail, &mut out);
    out
}

/// [`keep_ends`], appended to `out`: the kept ends are copied as byte ranges.
pub fn keep_ends_into(value: &str, n: usize, head: usize, tail: usize, out: &mut String) {
    // Characters [a, b) become `*`.
    let a = head.min(n);
    let b = n.saturating_sub(tail).max(a);
    if a == b {
        out.push_str(value);
        return;
    }
    let (start, end) = if value.len() == n {
        (a, b)
    } else {
        let byte_at = |i: usize| value.char_indices().nth(i).map_or(value.len(), |(p, _)| p);
        (byte_at(a), byte_at(b))
    };
    out.push_str(&value[..start]);
    out.extend(std::iter::repeat_n('*', b - a));
    out.push_str(&value[end..]);
}

/// Mask one value knowing its column's personal-data category (from the classifier):
/// addresses keep only their first characters (province and city), birth dates their
/// year, names their first character, mobile numbers (any form `validate::phone`
/// accepts) the first 3 and last 4 of their 11 digits, written as they were
/// (`+86 138-****-6138`); anything else as [`mask`].
pub fn mask_as(category: Option<&str>, value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    mask_as_into(category, value, &mut out);
    out
}

/// [`mask_as`], appended to `out`.
pub fn mask_as_into(category: Option<&str>, value: &str, out: &mut String) {
    let shape = category
        .and_then(crate::classify::category::get)
        .map_or(SampleShape::Generic, |c| c.sample);
    mask_shape_into(shape, value, out)
}

/// A text with the personal data inside it ([`crate::classify::spans`]) masked span by
/// span in each span's category shape, the rest kept as written:
/// `客户电话13812346138，下午联系` becomes `客户电话138****6138，下午联系`.
pub fn mask_spans(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for s in crate::classify::spans::find(text) {
        out.push_str(&text[at..s.start]);
        mask_as_into(Some(s.category), &text[s.start..s.end], &mut out);
        at = s.end;
    }
    out.push_str(&text[at..]);
    out
}

/// A value masked in a category's [`SampleShape`], appended to `out`.
pub fn mask_shape_into(shape: SampleShape, value: &str, out: &mut String) {
    let value = value.trim();
    let n = || char_count(value);
    match shape {
        SampleShape::Address => {
            let n = n();
            keep_ends_into(value, n, 6.min(n / 2), 0, out)
        }
        SampleShape::BirthYear if n() >= 8 => keep_ends_into(value, n(), 4, 0, out),
        SampleShape::NameInitial => {
            let n = n();
            keep_ends_into(value, n, 1.min(n), 0, out)
        }
        SampleShape::Mobile if crate::validate::phone::is_cn_mobile(value) => {
            mobile_in_place(value, out)
        }
        SampleShape::LastFour => last_four_into(value, out),
        _ => mask_into(value, out),
    }
}

/// `value` with every letter and digit but its last 4 digits replaced by `*`, all other
/// characters kept: `123-45-6789` becomes `***-**-6789`. A value with fewer than 8
/// digits keeps none, so no more than half of a short value is shown.
fn last_four_into(value: &str, out: &mut String) {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let keep_from = if digits >= 8 { digits - 4 } else { digits };
    let mut i = 0;
    for c in value.chars() {
        if c.is_ascii_digit() {
            out.push(if i >= keep_from { c } else { '*' });
            i += 1;
        } else if c.is_alphanumeric() {
            out.push('*');
        } else {
            out.push(c);
        }
    }
}

/// A valid mobile (trimmed) with digits 4-7 of its 11 national digits replaced by `*`,
/// prefix and separators kept: the national digits are the value's last 11 digits.
fn mobile_in_place(value: &str, out: &mut String) {
    let digits = value
        .chars()
        .filter(|&c| crate::validate::phone::digit_value(c).is_some())
        .count();
    let first = digits.saturating_sub(11);
    let mut i = 0;
    for c in value.chars() {
        if crate::validate::phone::digit_value(c).is_some() {
            out.push(if (first + 3..first + 7).contains(&i) {
                '*'
            } else {
                c
            });
            i += 1;
        } else {
            out.push(c);
        }
    }
}

/// A valid mobile in any accepted form masked as its canonical digits: `138****6138`.
pub fn mobile_canonical_into(value: &str, out: &mut String) -> bool {
    match crate::validate::phone::cn_mobile(value) {
        Some(m) => {
            keep_ends_into(m.as_str(), 11, 3, 4, out);
            true
        }
        None => false,
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
    fn spans_are_masked_in_place() {
        assert_eq!(
            mask_spans("客户电话13812346138，下午联系"),
            "客户电话138****6138，下午联系"
        );
        assert_eq!(
            mask_spans("发票请发送至zhouboning0727@gmail.com"),
            "发票请发送至z***@gmail.com"
        );
        assert_eq!(
            mask_spans("订单号20241105123456789"),
            "订单号20241105123456789"
        );
    }

    #[test]
    fn last_four_keeps_separators_and_the_last_four_digits() {
        let shown = |v: &str| {
            let mut out = String::new();
            mask_shape_into(SampleShape::LastFour, v, &mut out);
            out
        };
        assert_eq!(shown("123-45-6789"), "***-**-6789");
        assert_eq!(shown("536221234"), "*****1234");
        assert_eq!(shown("12-34"), "**-**");
        assert_eq!(shown("A12-345-6789"), "***-***-6789");
    }

    /// The char-by-char definition the byte-range version must equal.
    fn keep_ends_by_chars(value: &str, n: usize, head: usize, tail: usize) -> String {
        value
            .chars()
            .enumerate()
            .map(|(i, c)| if i < head || i + tail >= n { c } else { '*' })
            .collect()
    }

    #[test]
    fn byte_ranges_equal_the_char_by_char_definition() {
        for v in [
            "",
            "a",
            "ab",
            "abcdefghijk",
            "张",
            "张三丰",
            "北京市朝阳区建国路88号",
            "a张b三c",
        ] {
            let n = v.chars().count();
            for head in 0..n + 2 {
                for tail in 0..n + 2 {
                    assert_eq!(
                        keep_ends(v, n, head, tail),
                        keep_ends_by_chars(v, n, head, tail),
                        "{v} {head} {tail}"
                    );
                }
            }
        }
    }

    #[test]
    fn mobiles_show_the_same_digits_in_every_form() {
        for (v, masked) in [
            ("13812346138", "138****6138"),
            (" 13812346138 ", "138****6138"),
            ("+86 138 1234 6138", "+86 138 **** 6138"),
            ("(+86)138-1234-6138", "(+86)138-****-6138"),
            ("8613812346138", "86138****6138"),
            ("１３８１２３４６１３８", "１３８****６１３８"),
        ] {
            assert_eq!(mask_as(Some("cn_mobile"), v), masked, "{v}");
            let mut canonical = String::new();
            assert!(mobile_canonical_into(v, &mut canonical));
            assert_eq!(canonical, "138****6138");
        }
        // Not a valid mobile: the generic mask.
        assert_eq!(mask_as(Some("cn_mobile"), "12812346138"), "128****6138");
        assert_eq!(mask_as(Some("cn_mobile"), "+86 128"), "+8***28");
        assert!(!mobile_canonical_into("12812346138", &mut String::new()));
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
