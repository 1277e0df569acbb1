//! Header evidence: does a column name point to a category?
//!
//! Names are compared normalised (lowercase, without spaces, `_`, `-`, `.`, brackets).
//! A keyword hits when it equals the whole name or one of its tokens (split at
//! separators and camelCase: `cust_sjhm`, `mobilePhone`), or, for keywords of at least
//! four ASCII letters or two CJK characters, when the name contains it
//! (`customer_mobile`, `客户手机号`). Short pinyin initials (`xm`, `dz`) only hit as a
//! whole name or token, so `index` does not look like `dz`.

/// A column name prepared for keyword lookups.
pub(crate) struct Header {
    whole: String,
    tokens: Vec<String>,
}

/// Lowercase without separators.
pub fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| !is_separator(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '_' | '-' | '.' | '(' | ')' | '（' | '）' | '/' | '#')
}

impl Header {
    pub(crate) fn new(name: &str) -> Self {
        let mut tokens = Vec::new();
        let mut current = String::new();
        let mut prev_lower = false;
        for c in name.chars() {
            if is_separator(c) {
                if !current.is_empty() {
                    tokens.push(std::mem::take(&mut current));
                }
                prev_lower = false;
                continue;
            }
            if c.is_uppercase() && prev_lower && !current.is_empty() {
                tokens.push(std::mem::take(&mut current));
            }
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            current.extend(c.to_lowercase());
        }
        if !current.is_empty() {
            tokens.push(current);
        }
        Header {
            whole: normalize(name),
            tokens,
        }
    }

    /// The first keyword that hits.
    pub(crate) fn hit(&self, keywords: &[&'static str]) -> Option<&'static str> {
        keywords.iter().copied().find(|k| {
            self.whole == *k
                || self.tokens.iter().any(|t| t == k)
                || (long_enough(k) && self.whole.contains(k))
        })
    }
}

fn long_enough(keyword: &str) -> bool {
    let cjk = keyword.chars().filter(|c| !c.is_ascii()).count();
    cjk >= 2 || (cjk == 0 && keyword.len() >= 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_whole_names_and_containment() {
        let h = Header::new("cust_sjhm");
        assert_eq!(h.hit(&["sjhm"]), Some("sjhm"));
        assert_eq!(Header::new("mobilePhone").hit(&["mobile"]), Some("mobile"));
        assert_eq!(Header::new("客户手机号").hit(&["手机"]), Some("手机"));
        assert_eq!(Header::new("index").hit(&["dz"]), None);
        assert_eq!(Header::new("DZ").hit(&["dz"]), Some("dz"));
        assert_eq!(Header::new("col_7").hit(&["xm", "name"]), None);
    }
}
