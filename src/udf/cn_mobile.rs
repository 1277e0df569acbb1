//! `cn_mobile_valid`: mainland China mobile numbers.

/// Prefixes allocated to mobile networks (MIIT numbering plan): 130-139, 145-149,
/// 150-153, 155-159, 162, 165-167, 170-178, 180-189, 190-193, 195-199.
fn allocated(prefix: u32) -> bool {
    matches!(prefix, 130..=139 | 145..=149 | 150..=153 | 155..=159 | 162 | 165..=167 | 170..=178 | 180..=189 | 190..=193 | 195..=199)
}

/// The 11 digits of a mobile number written with an optional `+86`, `0086` or `86`
/// country prefix and spaces or dashes; `None` when it is not a valid mobile number.
pub fn normalize(s: &str) -> Option<String> {
    // Only ASCII digits are returned.
    digits(s).map(|d| d.iter().map(|&b| char::from(b)).collect())
}

/// [`normalize`] without allocating (it runs once per value of a `format: cn_mobile`
/// column).
fn digits(s: &str) -> Option<[u8; 11]> {
    // The longest accepted form without separators is `0086` and 11 digits.
    let mut buf = [0u8; 15];
    let mut n = 0;
    for b in s.trim().bytes() {
        if b == b' ' || b == b'-' {
            continue;
        }
        *buf.get_mut(n)? = b;
        n += 1;
    }
    let compact = &buf[..n];
    let digits = compact
        .strip_prefix(b"+86")
        .or_else(|| compact.strip_prefix(b"0086"))
        .or_else(|| (n == 13).then(|| compact.strip_prefix(b"86")).flatten())
        .unwrap_or(compact);
    let digits: [u8; 11] = digits.try_into().ok()?;
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let prefix = digits[..3]
        .iter()
        .fold(0u32, |p, &d| p * 10 + u32::from(d - b'0'));
    allocated(prefix).then_some(digits)
}

/// ## What it checks
/// A mainland China mobile number: 11 digits in an allocated prefix range, optionally
/// written with a `+86`/`0086`/`86` prefix, spaces or dashes.
/// ## Why it matters
/// A mobile number is personal information that identifies a person (PIPL Art. 4);
/// an invalid one cannot be used to reach the customer.
/// ## Example
/// | value               | verdict                    |
/// |---------------------|----------------------------|
/// | `13812346138`       | match                      |
/// | `+86 138-1234-6138` | match                      |
/// | `12812346138`       | no: 128 is not allocated   |
/// | `1381234613`        | no: 10 digits              |
/// ## Limits
/// The prefix list follows allocations up to 2024; a newly opened range needs an update.
/// Full-width digits are not accepted.
pub fn is_valid(s: &str) -> bool {
    digits(s).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn table() {
        for (v, ok) in [
            ("13812346138", true),
            ("+86 138-1234-6138", true),
            ("0086 13812346138", true),
            ("8613812346138", true),
            (" 19912346138 ", true),
            ("16212346138", true),
            ("12812346138", false),
            ("14412346138", false),
            ("1381234613", false),
            ("138123461388", false),
            ("１３８１２３４６１３８", false),
            ("1381234613a", false),
            ("", false),
        ] {
            assert_eq!(is_valid(v), ok, "{v}");
        }
        assert_eq!(
            normalize("+86 138 1234 6138").as_deref(),
            Some("13812346138")
        );
    }

    /// The first version, which built the compact form as a String.
    fn reference(s: &str) -> Option<String> {
        let compact: String = s
            .trim()
            .chars()
            .filter(|c| *c != ' ' && *c != '-')
            .collect();
        let digits = compact
            .strip_prefix("+86")
            .or_else(|| compact.strip_prefix("0086"))
            .or_else(|| {
                if compact.len() == 13 {
                    compact.strip_prefix("86")
                } else {
                    None
                }
            })
            .unwrap_or(&compact);
        if digits.len() != 11 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let prefix: u32 = digits[..3].parse().ok()?;
        allocated(prefix).then(|| digits.to_string())
    }

    proptest! {
        #[test]
        fn any_string_is_safe(s in ".*") {
            let _ = is_valid(&s);
        }

        #[test]
        fn agrees_with_the_first_version(
            s in "[ ]?(\\+86|0086|86)?[ -]?1[2-9][0-9 -]{7,11}[ a]?|.{0,16}"
        ) {
            prop_assert_eq!(normalize(&s), reference(&s), "{:?}", s);
        }

        #[test]
        fn allocated_numbers_pass(p in prop::sample::select(vec![130u32, 139, 147, 150, 159, 162, 166, 170, 178, 186, 191, 199]), rest in 0u32..100_000_000) {
            let n = format!("{p}{rest:08}");
            prop_assert!(is_valid(&n));
        }
    }
}
