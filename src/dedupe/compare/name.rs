//! `name`: personal names.
//!
//! | a          | b          | level                 |
//! |------------|------------|-----------------------|
//! | `张伟`     | `张玮`     | same pinyin           |
//! | `mitchell` | `mitchel`  | jaro-winkler >= 0.92  |
//! | `王芳`     | `李娜`     | different             |
//!
//! Han names are compared through their toneless pinyin, so homophone typos score
//! high; that also makes different people with homophone names agree, which the other
//! fields (mobile, ID, birth date) must then tell apart.

use super::{Value, jw};

pub const LEVELS: &[&str] = &[
    "exact",
    "same pinyin",
    "jaro-winkler >= 0.92",
    "jaro-winkler >= 0.80",
    "different",
];

pub fn level(a: Value<'_>, b: Value<'_>) -> u8 {
    let (x, y) = match (a.alt, b.alt) {
        (Some(x), Some(y)) => {
            if x == y {
                return 2;
            }
            (x, y)
        }
        _ => (a.norm, b.norm),
    };
    let s = jw(x, y);
    if s >= 0.92 {
        3
    } else if s >= 0.80 {
        4
    } else {
        5
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedupe::normalize::{name, pinyin};

    fn val(s: &str) -> (String, Option<String>) {
        let n = name(s);
        let p = pinyin(&n);
        (n, p)
    }

    fn lv(a: &str, b: &str) -> u8 {
        let (an, ap) = val(a);
        let (bn, bp) = val(b);
        super::super::Kind::Name.level(
            Value {
                norm: &an,
                alt: ap.as_deref(),
            },
            Value {
                norm: &bn,
                alt: bp.as_deref(),
            },
        )
    }

    #[test]
    fn levels() {
        assert_eq!(lv("张伟", "张伟"), 1);
        assert_eq!(lv("张伟", "张玮"), 2);
        assert_eq!(lv("mitchell", "mitchel"), 3);
        assert_eq!(lv("王芳", "李娜"), 5);
        assert_eq!(lv("Zhang Wei", "zhang  wei"), 1);
    }
}
