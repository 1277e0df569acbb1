//! `luhn_valid`: payment card numbers.

/// Whether a string of ASCII digits passes the Luhn (mod 10) check.
pub fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = (d - b'0') as u32;
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// ## What it checks
/// A payment card number: 12 to 19 ASCII digits, spaces and dashes ignored, passing the
/// Luhn check (ISO/IEC 7812).
/// ## Why it matters
/// Bank card numbers are PIPL sensitive personal information (financial accounts, Art. 28).
/// ## Example
/// | value                 | verdict          |
/// |-----------------------|------------------|
/// | `6222 0212 3456 7894` | match            |
/// | `6222021234567890`    | no: Luhn fails   |
/// ## Limits
/// The issuer (IIN) is not checked, so any Luhn-valid number of card length passes.
pub fn is_valid(s: &str) -> bool {
    let digits: Vec<u8> = s
        .trim()
        .bytes()
        .filter(|b| *b != b' ' && *b != b'-')
        .collect();
    (12..=19).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit) && luhn(&digits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn table() {
        for (v, ok) in [
            ("6222 0212 3456 7894", true),
            ("4111111111111111", true),
            ("6222021234567890", false),
            ("4111-1111-1111-1111", true),
            ("41111111111", false),
            ("411111111111111a", false),
            ("", false),
        ] {
            assert_eq!(is_valid(v), ok, "{v}");
        }
    }

    fn with_check_digit(body: &str) -> String {
        (0..10)
            .map(|d| format!("{body}{d}"))
            .find(|c| luhn(c.as_bytes()))
            .unwrap()
    }

    proptest! {
        #[test]
        fn generated_numbers_pass_and_one_changed_digit_fails(body in "[0-9]{15}", pos in 0usize..16, delta in 1u8..10) {
            let n = with_check_digit(&body);
            prop_assert!(is_valid(&n));
            let mut b = n.into_bytes();
            b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
            prop_assert!(!is_valid(std::str::from_utf8(&b).unwrap()));
        }

        #[test]
        fn any_string_is_safe(s in ".*") {
            let _ = is_valid(&s);
        }
    }
}
