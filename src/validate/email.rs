//! `email_valid`: e-mail addresses.

fn atext(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~-".contains(&b)
}

/// A domain label: letters, digits and hyphens, 1-63 of them, no hyphen at either end.
fn ldh(label: &[u8]) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label[0] != b'-'
        && label[label.len() - 1] != b'-'
        && label
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'-')
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
    // One pass over the bytes, without allocating: every rule is about ASCII, and a
    // non-ASCII byte fails each of them.
    let b = s.trim().as_bytes();
    if b.len() > 254 {
        return false;
    }
    let Some(at) = b.iter().position(|&c| c == b'@') else {
        return false;
    };
    let (local, domain) = (&b[..at], &b[at + 1..]);
    if local.is_empty() || local.len() > 64 || domain.len() > 253 {
        return false;
    }
    // A dot-atom: atext runs joined by single dots.
    let mut after_dot = true;
    for &c in local {
        if c == b'.' {
            if after_dot {
                return false;
            }
            after_dot = true;
        } else if atext(c) {
            after_dot = false;
        } else {
            return false;
        }
    }
    if after_dot {
        return false;
    }
    let mut labels = 0;
    for label in domain.split(|&c| c == b'.') {
        if !ldh(label) {
            return false;
        }
        labels += 1;
        if label.as_ptr_range().end == domain.as_ptr_range().end {
            // The last label: the top-level domain.
            return labels >= 2
                && (label.starts_with(b"xn--")
                    || (label.len() >= 2 && label.iter().all(u8::is_ascii_alphabetic)));
        }
    }
    false
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

    /// The rules as first written, over chars and with the labels collected: the
    /// allocation-free version must agree with it.
    fn reference(s: &str) -> bool {
        let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
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

    proptest! {
        #[test]
        fn any_string_is_safe(s in ".*") {
            let _ = is_valid(&s);
        }

        #[test]
        fn agrees_with_the_first_version(
            s in "[ a-z0-9.@+-]{0,12}(\\.[a-z]{0,3}|\\.xn--[a-z]{0,3}|[张é@.-]|-)?[a-z.]{0,4}|.{0,20}"
        ) {
            prop_assert_eq!(is_valid(&s), reference(&s), "{:?}", s);
        }

        #[test]
        fn agrees_with_the_first_version_on_address_like_text(
            s in "[a-z0-9._+-]{1,8}@[a-z0-9-]{0,6}(\\.(xn--)?[a-z0-9-]{0,5}){0,3}\\.?"
        ) {
            prop_assert_eq!(is_valid(&s), reference(&s), "{:?}", s);
        }
    }
}
