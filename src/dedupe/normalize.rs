//! Normalisation before comparison: every value of a compared field is turned into the
//! form two records of the same customer would share, per comparison kind.
//!
//! All kinds fold full-width characters to half-width (`１３８` -> `138`, `（` -> `(`),
//! trim and lowercase. Then: phones become `validate::phone::phone_key` (a mobile's 11
//! digits from any accepted form, a mainland landline in national form with its `0`);
//! identifiers drop spaces and dashes and upper-case (`x` -> `X`); e-mail addresses are
//! lower-cased; dates become `YYYYMMDD` from the common written forms; names drop
//! punctuation and, when they contain Han characters, get a toneless pinyin spelling so
//! homophone typos (张伟 / 张玮) can be compared; addresses drop punctuation, spaces and
//! the administrative markers that exports abbreviate (省, 市, 区, `street` -> `st`).
//! Nothing here allocates more than the value's own length a few times over.

use std::borrow::Cow;

use pinyin::ToPinyin;

use super::compare::Kind;
pub use crate::validate::text::{half_width, identifier};

/// Half-width, lowercase, whitespace runs collapsed to one space, trimmed.
pub fn basic(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut space = false;
    for c in value.chars().map(half_width) {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// The normalised value for `kind`, or `None` when nothing comparable is left.
pub fn normalize(kind: Kind, value: &str) -> Option<String> {
    let out = match kind {
        // A mobile in any accepted form as its 11 digits, a mainland landline as `0` +
        // area code + number, another country's number as `+` and digits.
        Kind::Phone => return crate::validate::phone::phone_key(value).map(Cow::into_owned),
        Kind::Identifier => identifier(value),
        Kind::Date => date(value),
        Kind::Name => name(value),
        Kind::Address => address(value),
        Kind::Email | Kind::Text | Kind::Code | Kind::Exact => basic(value),
    };
    (!out.is_empty()).then_some(out)
}

/// `YYYYMMDD` from `YYYY-MM-DD`, `YYYY/M/D`, `YYYY.MM.DD`, `YYYY年M月D日`, `YYYYMMDD`,
/// with any time part dropped; other text keeps its digits only.
pub fn date(value: &str) -> String {
    let v: String = value.chars().map(half_width).collect();
    let v = v.trim();
    let day_part = v.split([' ', 'T']).next().unwrap_or("");
    let parts: Vec<&str> = day_part
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() == 3 && parts[0].len() == 4 && parts[1].len() <= 2 && parts[2].len() <= 2 {
        return format!("{}{:0>2}{:0>2}", parts[0], parts[1], parts[2]);
    }
    v.chars().filter(char::is_ascii_digit).collect()
}

/// Lowercase, no punctuation; Han characters kept as written, without spaces between.
pub fn name(value: &str) -> String {
    let b = basic(value);
    let han = b.chars().any(is_han);
    b.chars()
        .filter(|c| c.is_alphanumeric() || (*c == ' ' && !han))
        .collect::<String>()
        .trim()
        .to_string()
}

/// Toneless pinyin of a name's Han characters (`张玮` -> `zhangwei`); other characters
/// are kept. `None` when the name has no Han character.
pub fn pinyin(name: &str) -> Option<String> {
    if !name.chars().any(is_han) {
        return None;
    }
    let mut out = String::with_capacity(name.len() * 2);
    for (c, p) in name.chars().zip(name.to_pinyin()) {
        match p {
            Some(p) => out.push_str(p.plain()),
            None => out.push(c),
        }
    }
    Some(out)
}

pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Administrative markers that exports drop or abbreviate; removed before comparing.
const CJK_MARKERS: [&str; 8] = [
    "特别行政区",
    "自治区",
    "自治州",
    "省",
    "市",
    "区",
    "县",
    "号",
];

/// English street words and their common abbreviations.
const ABBREVIATIONS: [(&str, &str); 12] = [
    ("street", "st"),
    ("road", "rd"),
    ("avenue", "ave"),
    ("drive", "dr"),
    ("place", "pl"),
    ("court", "ct"),
    ("lane", "ln"),
    ("crescent", "cres"),
    ("circuit", "cct"),
    ("boulevard", "blvd"),
    ("terrace", "tce"),
    ("highway", "hwy"),
];

/// Lowercase, abbreviations unified, markers, punctuation and spaces removed.
pub fn address(value: &str) -> String {
    let b = basic(value);
    let mut words: Vec<&str> = Vec::new();
    for w in b.split(' ') {
        let w = ABBREVIATIONS
            .iter()
            .find(|(long, _)| *long == w)
            .map(|(_, short)| *short)
            .unwrap_or(w);
        words.push(w);
    }
    let mut joined: String = words
        .concat()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    for m in CJK_MARKERS {
        if joined.contains(m) {
            joined = joined.replace(m, "");
        }
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_lose_country_code_and_separators() {
        for v in [
            "+86 138 0013 8000",
            "0086-13800138000",
            "１３８００１３８０００",
            "13800138000",
            "(+86)13800138000",
            "（＋８６）138.0013.8000",
        ] {
            assert_eq!(
                normalize(Kind::Phone, v).as_deref(),
                Some("13800138000"),
                "{v}"
            );
        }
        assert_eq!(
            normalize(Kind::Phone, "010-6552 9988").as_deref(),
            Some("01065529988")
        );
        assert_eq!(
            normalize(Kind::Phone, "+86 10 6552 9988").as_deref(),
            Some("01065529988")
        );
        assert_eq!(normalize(Kind::Phone, "86123").as_deref(), Some("86123"));
        assert_eq!(normalize(Kind::Phone, "n/a"), None);
    }

    #[test]
    fn identifiers_upper_case_without_separators() {
        assert_eq!(identifier("110101 19900101 123x"), "11010119900101123X");
        assert_eq!(identifier("ｅ１２３４５６７８"), "E12345678");
    }

    #[test]
    fn dates_in_written_forms() {
        for v in [
            "1990-03-07",
            "1990/3/7",
            "1990年3月7日",
            "19900307",
            "1990-03-07 10:00:00",
        ] {
            assert_eq!(date(v), "19900307", "{v}");
        }
        assert_eq!(date("n/a"), "");
    }

    #[test]
    fn names_and_pinyin() {
        assert_eq!(name("  Zhang  Wei. "), "zhang wei");
        assert_eq!(name("张 伟"), "张伟");
        assert_eq!(pinyin("张玮").as_deref(), Some("zhangwei"));
        assert_eq!(pinyin("张伟"), pinyin("张玮"));
        assert_eq!(pinyin("wei"), None);
    }

    #[test]
    fn addresses_drop_markers_and_abbreviate() {
        assert_eq!(
            address("北京市朝阳区建国路88号"),
            address("北京朝阳建国路88")
        );
        assert_eq!(address("12 Wallaby Street"), address("12 wallaby st"));
        assert_eq!(normalize(Kind::Address, " ，"), None);
    }

    #[test]
    fn full_width_folds() {
        assert_eq!(basic("ＡＢＣ　ｄ"), "abc d");
    }
}
