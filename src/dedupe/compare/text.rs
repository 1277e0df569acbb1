//! `text`: free text such as suburbs or company names; exact or Jaro-Winkler bands.
//!
//! | a          | b           | level                |
//! |------------|-------------|----------------------|
//! | `marsden`  | `marsdon`   | jaro-winkler >= 0.92 |
//! | `milton`   | `granville` | different            |

use super::jw;

pub const LEVELS: &[&str] = &[
    "exact",
    "jaro-winkler >= 0.92",
    "jaro-winkler >= 0.80",
    "different",
];

pub fn level(a: &str, b: &str) -> u8 {
    let s = jw(a, b);
    if s >= 0.92 {
        2
    } else if s >= 0.80 {
        3
    } else {
        4
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn levels() {
        assert_eq!(super::level("marsden", "marsdon"), 2);
        assert_eq!(super::level("milton", "granville"), 4);
    }
}
