//! `email`: exact, the same local part at another domain, or Jaro-Winkler >= 0.92.
//!
//! | a                 | b                  | level                |
//! |-------------------|--------------------|----------------------|
//! | `zhang.wei@qq.com`| `zhang.wei@163.com`| same local part      |
//! | `zhangwei@qq.com` | `zhangwel@qq.com`  | jaro-winkler >= 0.92 |

use super::jw;

pub const LEVELS: &[&str] = &[
    "exact",
    "same local part",
    "jaro-winkler >= 0.92",
    "different",
];

pub fn level(a: &str, b: &str) -> u8 {
    let local = |s: &str| s.split_once('@').map(|(l, _)| l.to_string());
    if let (Some(x), Some(y)) = (local(a), local(b))
        && x == y
        && x.len() >= 3
    {
        return 2;
    }
    if jw(a, b) >= 0.92 { 3 } else { 4 }
}

#[cfg(test)]
mod tests {
    #[test]
    fn levels() {
        assert_eq!(super::level("zhang.wei@qq.com", "zhang.wei@163.com"), 2);
        assert_eq!(super::level("zhangwei@qq.com", "zhangwel@qq.com"), 3);
        assert_eq!(super::level("a@qq.com", "b@163.com"), 4);
    }
}
