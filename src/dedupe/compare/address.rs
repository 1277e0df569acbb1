//! `address`: exact, one address contained in the other (a shortened form without the
//! province or city), Jaro-Winkler >= 0.90, >= 0.75, different. Values are normalised
//! without markers, punctuation and spaces (see `normalize::address`).
//!
//! | a (normalised)      | b (normalised)    | level                 |
//! |---------------------|-------------------|-----------------------|
//! | `北京朝阳建国路88`  | `朝阳建国路88`    | one contains the other|
//! | `7wallabypl`        | `7walabypl`       | jaro-winkler >= 0.90  |

use super::jw;

pub const LEVELS: &[&str] = &[
    "exact",
    "one contains the other",
    "jaro-winkler >= 0.90",
    "jaro-winkler >= 0.75",
    "different",
];

pub fn level(a: &str, b: &str) -> u8 {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.chars().count() >= 4 && long.contains(short) {
        return 2;
    }
    let s = jw(a, b);
    if s >= 0.90 {
        3
    } else if s >= 0.75 {
        4
    } else {
        5
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn levels() {
        assert_eq!(super::level("北京朝阳建国路88", "朝阳建国路88"), 2);
        assert_eq!(super::level("7wallabypl", "7walabypl"), 3);
        assert_eq!(super::level("上海浦东世纪大道1", "广州天河体育西路9"), 5);
    }
}
