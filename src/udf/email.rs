//! `email_valid`: e-mail addresses.

fn atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c)
}

/// ## What it checks
/// `local@domain`: a dot-atom local part of 1-64 characters (no leading, trailing or
/// double dots), a domain of at most 253 characters with two or more LDH labels of 1-63
/// characters not starting or ending with `-`, an alphabetic top-level label of at least
/// 2 characters (or an `xn--` IDN label), and at most 254 characters in all.
/// ## Why it matters
/// E-mail addresses identify a person (GDPR Art. 4(1)); malformed ones bounce.
/// ## Example
/// | value                   | verdict            |
/// |-------------------------|--------------------|
/// | `zhang.wei@example.com` | match              |
/// | `zhang.wei@example`     | no: one label      |
/// | `zhang..wei@example.cn` | no: double dot     |
/// ## Limits
/// ASCII only: internationalised local parts and quoted local parts are refused.
/// Whether the mailbox exists is not checked.
pub fn is_valid(s: &str) -> bool {
    let s = s.trim();
    if s.len() > 254 {
        return false;
    }
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    if local.is_empty() || local.len() > 64 || domain.len() > 253 {
        return false;
    }
    if local
        .split('.')
        .any(|part| part.is_empty() || !part.chars().all(atext))
    {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let ldh = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if !labels.iter().all(|l| ldh(l)) {
        return false;
    }
    let tld = labels[labels.len() - 1];
    tld.starts_with("xn--") || (tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn table() {
        for (v, ok) in [
            ("zhang.wei@example.com", true),
            ("a+tag@mail.example.com.cn", true),
            (" wf@example.com ", true),
            ("x@xn--fiqs8s", false),
            ("x@example.xn--fiqs8s", true),
            ("zhang.wei@example", false),
            ("zhang..wei@example.cn", false),
            (".zw@example.cn", false),
            ("zw@-example.cn", false),
            ("zw@example.c", false),
            ("zw@example.123", false),
            ("bad-email", false),
            ("a@b@c.com", false),
            ("张伟@example.com", false),
            ("", false),
        ] {
            assert_eq!(is_valid(v), ok, "{v}");
        }
        assert!(!is_valid(&format!("{}@example.com", "a".repeat(65))));
    }

    proptest! {
        #[test]
        fn any_string_is_safe(s in ".*") {
            let _ = is_valid(&s);
        }
    }
}
