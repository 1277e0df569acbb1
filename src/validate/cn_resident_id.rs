//! `cn_id_valid`, `cn_id_birth_date`, `cn_id_gender`: mainland resident ID numbers
//! (GB 11643-1999).

use chrono::NaiveDate;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// Province-level codes (first two digits), GB/T 2260.
fn known_province(code: u32) -> bool {
    matches!(code, 11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81 | 82 | 83 | 91)
}

/// The check character for the first 17 digits.
pub fn check_char(first17: &[u8]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| (d - b'0') as u32 * w)
        .sum();
    CHECK_CHARS[(sum % 11) as usize] as char
}

/// Birth date and gender digit of a valid ID, or `None`.
fn parse(s: &str) -> Option<(NaiveDate, u8)> {
    let s = super::text::trim(s).as_bytes();
    let (year, month_day, gender_digit) = match s.len() {
        18 => {
            if !s[..17].iter().all(u8::is_ascii_digit) {
                return None;
            }
            if s[17].to_ascii_uppercase() as char != check_char(&s[..17]) {
                return None;
            }
            (digits(&s[6..10]), &s[10..14], s[16])
        }
        15 => {
            if !s.iter().all(u8::is_ascii_digit) {
                return None;
            }
            (1900 + digits(&s[6..8]), &s[8..12], s[14])
        }
        _ => return None,
    };
    if !known_province(digits(&s[..2])) {
        return None;
    }
    if !(1900..=2099).contains(&year) {
        return None;
    }
    let birth = NaiveDate::from_ymd_opt(
        year as i32,
        digits(&month_day[..2]),
        digits(&month_day[2..]),
    )?;
    Some((birth, gender_digit - b'0'))
}

/// The value of ASCII digits (already checked to be digits).
fn digits(s: &[u8]) -> u32 {
    s.iter().fold(0, |n, d| n * 10 + (d - b'0') as u32)
}

/// ## What it checks
/// An 18-character resident ID: 17 digits and an ISO 7064 MOD 11-2 check character
/// (`X` or `x` for 10), a real birth date (YYYYMMDD, years 1900-2099) and a known
/// province code; or a 15-digit first-generation number with a real 19YYMMDD birth date.
/// ## Why it matters
/// Identity document: PIPL sensitive personal information (Art. 28); a wrong check
/// character means a typo or a made-up number.
/// ## Example
/// | value                | verdict               |
/// |----------------------|-----------------------|
/// | `11010519491231002X` | match                 |
/// | `110105194912310021` | no: wrong check digit |
/// | `110105491231002`    | match (15-digit form) |
/// ## Limits
/// 15-digit numbers have no check digit: only length, province and birth date are
/// checked, so they are weaker evidence. County codes are not checked beyond the province.
pub fn is_valid(s: &str) -> bool {
    parse(s).is_some()
}

/// The birth date encoded in a valid ID.
pub fn birth_date(s: &str) -> Option<NaiveDate> {
    parse(s).map(|(d, _)| d)
}

/// `"M"` or `"F"` from a valid ID's sequence digit (odd = male).
pub fn gender(s: &str) -> Option<&'static str> {
    parse(s).map(|(_, g)| if g % 2 == 1 { "M" } else { "F" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn table() {
        for (v, ok) in [
            ("11010519491231002X", true),
            ("11010519491231002x", true),
            (" 11010519491231002X ", true),
            ("110105194912310021", false),
            ("11010519491331002X", false),
            ("99010519491231002X", false),
            ("1101051949123100", false),
            ("１１０１０５１９４９１２３１００２Ｘ", false),
            ("110105491231002", true),
            ("110105490230002", false),
            ("", false),
        ] {
            assert_eq!(is_valid(v), ok, "{v}");
        }
    }

    #[test]
    fn leap_days() {
        let make = |date: &str| {
            let first = format!("110105{date}001");
            format!("{first}{}", check_char(first.as_bytes()))
        };
        assert!(is_valid(&make("20000229")));
        assert!(!is_valid(&make("19000229")));
        assert!(!is_valid(&make("19850230")));
    }

    #[test]
    fn birth_date_and_gender() {
        assert_eq!(
            birth_date("11010519491231002X"),
            NaiveDate::from_ymd_opt(1949, 12, 31)
        );
        assert_eq!(gender("11010519491231002X"), Some("F"));
        assert_eq!(gender("110105491231003"), Some("M"));
        assert_eq!(gender("110105194912310021"), None);
    }

    fn valid_id() -> impl Strategy<Value = String> {
        (
            prop::sample::select(vec![11u32, 31, 44, 65, 71, 81, 91]),
            0u32..10_000,
            0i64..(200 * 365),
            0u32..1000,
        )
            .prop_map(|(p, county, days, seq)| {
                let date =
                    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
                let first = format!("{p}{county:04}{}{seq:03}", date.format("%Y%m%d"));
                format!("{first}{}", check_char(first.as_bytes()))
            })
    }

    proptest! {
        #[test]
        fn generated_ids_pass(id in valid_id()) {
            prop_assert!(is_valid(&id));
        }

        #[test]
        fn one_changed_digit_fails(id in valid_id(), pos in 0usize..17, delta in 1u8..10) {
            let mut b = id.into_bytes();
            b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
            prop_assert!(!is_valid(std::str::from_utf8(&b).unwrap()));
        }

        #[test]
        fn any_string_is_safe(s in ".*") {
            let _ = (is_valid(&s), birth_date(&s), gender(&s));
        }
    }
}
