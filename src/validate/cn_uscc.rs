//! `cn_uscc_valid`: Unified Social Credit Codes of organisations (GB 32100-2015).

const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [usize; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn value(c: u8) -> Option<usize> {
    CHARSET.iter().position(|x| *x == c)
}

/// The check character for the first 17 characters (already upper-case and in the set).
pub fn check_char(first17: &[u8]) -> Option<char> {
    let mut sum = 0;
    for (c, w) in first17.iter().zip(WEIGHTS) {
        sum += value(*c)? * w;
    }
    Some(CHARSET[(31 - sum % 31) % 31] as char)
}

/// ## What it checks
/// 18 characters from `0-9A-HJ-NPQRTUWXY` (lower case accepted): a registration-authority
/// code (`1-9`, `A-G` or `Y`), an organisation type, a six-digit administrative division
/// code, and a mod-31 check character (GB 32100-2015).
/// ## Why it matters
/// Identifies the organisation behind a business customer or counterparty; a wrong check
/// character means a typo.
/// ## Example
/// | value                | verdict             |
/// |----------------------|---------------------|
/// | `91350100M000100Y43` | match               |
/// | `91350100M000100Y44` | no: wrong check     |
/// ## Limits
/// The organisation-type character is not checked against its authority's list.
pub fn is_valid(s: &str) -> bool {
    let upper = s.trim().to_ascii_uppercase();
    let b = upper.as_bytes();
    if b.len() != 18 || !b.iter().all(|c| value(*c).is_some()) {
        return false;
    }
    let authority_ok = matches!(b[0], b'1'..=b'9' | b'A'..=b'G' | b'Y');
    let division_ok = b[2..8].iter().all(u8::is_ascii_digit);
    authority_ok && division_ok && check_char(&b[..17]) == Some(b[17] as char)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn table() {
        for (v, ok) in [
            ("91350100M000100Y43", true),
            ("91350100m000100y43", true),
            ("91350100M000100Y44", false),
            ("Z1350100M000100Y43", false),
            ("9135A100M000100Y43", false),
            ("91350100M000100Y4", false),
            ("91350100M000100I43", false),
            ("", false),
        ] {
            assert_eq!(is_valid(v), ok, "{v}");
        }
    }

    fn valid_code() -> impl Strategy<Value = String> {
        (
            "[1-9A-GY]",
            "[0-9A-HJ-NPQRTUWXY]",
            "[0-9]{6}",
            "[0-9A-HJ-NPQRTUWXY]{9}",
        )
            .prop_map(|(a, t, d, rest)| {
                let first = format!("{a}{t}{d}{rest}");
                format!("{first}{}", check_char(first.as_bytes()).unwrap())
            })
    }

    proptest! {
        #[test]
        fn generated_codes_pass_and_one_changed_character_fails(code in valid_code(), pos in 0usize..17, delta in 1usize..31) {
            prop_assert!(is_valid(&code));
            let mut b = code.into_bytes();
            let v = value(b[pos]).unwrap();
            b[pos] = CHARSET[(v + delta) % 31];
            prop_assert!(!is_valid(std::str::from_utf8(&b).unwrap()));
        }

        #[test]
        fn any_string_is_safe(s in ".*") {
            let _ = is_valid(&s);
        }
    }
}
