//! Comparison kinds: how two normalised values of a field agree, as an ordered list of
//! levels from the strongest agreement to "different". Level 0 means a value is
//! missing on either side; it carries no evidence (Bayes factor 1).
//!
//! One kind per module below; each has a fixed list of level labels (reported with
//! every pair and in `--explain`) and one `level` function. Kinds are registered under
//! stable ids (`name`, `date`, ...) that rule files use in `fields.<f>.kind`.

mod address;
mod date;
mod email;
mod identifier;
mod name;
mod text;

use crate::classify::header::Header;
use crate::entry::{Entry, Kind as EntryKind, Status};

pub use crate::rules::{CompareKind as Kind, KINDS};

/// A normalised field value of one record: the value and, for names, its pinyin.
#[derive(Debug, Clone, Copy)]
pub struct Value<'a> {
    pub norm: &'a str,
    pub alt: Option<&'a str>,
}

impl Kind {
    /// Its entry in `steward rules list`, with its levels.
    pub fn entry(self) -> Entry {
        Entry {
            kind: EntryKind::Comparison,
            id: self.name().to_string(),
            summary: format!("{} [levels: {}]", self.summary(), self.levels().join(", ")),
            doc: "docs/rules.md#fuzzy-duplicates-steward-dedupe".into(),
            status: Status::Stable,
            since: "0.1.0",
        }
    }

    /// Labels of levels 1.. (level 0 is "missing").
    pub fn levels(self) -> &'static [&'static str] {
        match self {
            Kind::Name => name::LEVELS,
            Kind::Text => text::LEVELS,
            Kind::Phone => identifier::PHONE_LEVELS,
            Kind::Identifier => identifier::LEVELS,
            Kind::Email => email::LEVELS,
            Kind::Date => date::LEVELS,
            Kind::Address => address::LEVELS,
            Kind::Code => identifier::CODE_LEVELS,
            Kind::Exact => &["exact", "different"],
        }
    }

    /// The label of a level, `missing` for 0.
    pub fn label(self, level: u8) -> &'static str {
        match level {
            0 => "missing",
            l => self.levels().get(l as usize - 1).copied().unwrap_or("?"),
        }
    }

    /// Number of levels including 0.
    pub fn level_count(self) -> usize {
        self.levels().len() + 1
    }

    /// The agreement level of two present values (1 = exact).
    pub fn level(self, a: Value<'_>, b: Value<'_>) -> u8 {
        if a.norm == b.norm {
            return 1;
        }
        match self {
            Kind::Name => name::level(a, b),
            Kind::Text => text::level(a.norm, b.norm),
            Kind::Phone => identifier::phone_level(a.norm, b.norm),
            Kind::Identifier => identifier::level(a.norm, b.norm),
            Kind::Email => email::level(a.norm, b.norm),
            Kind::Date => date::level(a.norm, b.norm),
            Kind::Address => address::level(a.norm, b.norm),
            Kind::Code => identifier::code_level(a.norm, b.norm),
            Kind::Exact => 2,
        }
    }

    /// The kind a field's name suggests, `text` when it suggests none.
    pub fn infer(field: &str) -> Kind {
        let h = Header::new(field);
        const RULES: [(Kind, &[&str]); 7] = [
            (Kind::Email, &["email", "mail", "邮箱", "邮件", "yx"]),
            (
                Kind::Phone,
                &[
                    "mobile", "phone", "tel", "cell", "手机", "电话", "sjhm", "sj", "dh",
                ],
            ),
            (
                Kind::Date,
                &[
                    "birth", "dob", "date", "birthday", "生日", "出生", "日期", "csrq",
                ],
            ),
            (
                Kind::Address,
                &["address", "addr", "street", "地址", "住址", "dz"],
            ),
            (
                Kind::Identifier,
                &[
                    "id_number",
                    "idnumber",
                    "idno",
                    "idcard",
                    "ssn",
                    "sec",
                    "passport",
                    "身份证",
                    "证件",
                    "sfz",
                    "sfzh",
                    "zjhm",
                    "card",
                    "license",
                    "uscc",
                ],
            ),
            (
                Kind::Name,
                &[
                    "name", "surname", "given", "姓名", "名字", "姓", "xm", "xingming",
                ],
            ),
            (
                Kind::Code,
                &[
                    "postcode", "zip", "postal", "邮编", "yb", "number", "no", "num",
                ],
            ),
        ];
        for (kind, keywords) in RULES {
            if h.hit(keywords).is_some() {
                return kind;
            }
        }
        Kind::Text
    }
}

/// Jaro-Winkler similarity on characters.
pub(crate) fn jw(a: &str, b: &str) -> f64 {
    strsim::jaro_winkler(a, b)
}

/// Optimal string alignment distance (edits with adjacent transpositions), or
/// `limit + 1` when the lengths alone rule out `limit` edits.
pub(crate) fn edits(a: &str, b: &str, limit: usize) -> usize {
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    strsim::osa_distance(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Value<'_> {
        Value { norm: s, alt: None }
    }

    #[test]
    fn kinds_round_trip_and_levels_are_labelled() {
        for k in KINDS {
            assert_eq!(Kind::parse(k.name()), Some(k));
            assert_eq!(k.label(0), "missing");
            assert_eq!(k.label(1), "exact");
            assert_eq!(*k.levels().last().unwrap(), "different");
            assert!(k.level_count() <= 15, "levels are packed in 4 bits");
        }
    }

    #[test]
    fn every_kind_gives_exact_and_different() {
        for k in KINDS {
            assert_eq!(k.level(v("13800138000"), v("13800138000")), 1, "{k:?}");
            let last = k.levels().len() as u8;
            assert_eq!(k.level(v("abcdefgh"), v("zyxwvuts")), last, "{k:?}");
        }
    }

    #[test]
    fn infers_kinds_from_names() {
        assert_eq!(Kind::infer("mobile"), Kind::Phone);
        assert_eq!(Kind::infer("email"), Kind::Email);
        assert_eq!(Kind::infer("date_of_birth"), Kind::Date);
        assert_eq!(Kind::infer("soc_sec_id"), Kind::Identifier);
        assert_eq!(Kind::infer("id_number"), Kind::Identifier);
        assert_eq!(Kind::infer("given_name"), Kind::Name);
        assert_eq!(Kind::infer("姓名"), Kind::Name);
        assert_eq!(Kind::infer("address_1"), Kind::Address);
        assert_eq!(Kind::infer("postcode"), Kind::Code);
        assert_eq!(Kind::infer("suburb"), Kind::Text);
    }
}
