//! `date`: dates normalised to `YYYYMMDD`; exact, one edit or day and month swapped,
//! two edits, different. Typing errors in dates are digit slips and swapped fields.
//!
//! | a          | b          | level                          |
//! |------------|------------|--------------------------------|
//! | `19560409` | `19560490` | one edit or day/month swapped  |
//! | `19560409` | `19560904` | one edit or day/month swapped  |
//! | `19560409` | `19650490` | two edits                      |

use super::edits;

pub const LEVELS: &[&str] = &[
    "exact",
    "one edit or day/month swapped",
    "two edits",
    "different",
];

pub fn level(a: &str, b: &str) -> u8 {
    if a.len() == 8 && b.len() == 8 && a[..4] == b[..4] && a[4..6] == b[6..8] && a[6..8] == b[4..6]
    {
        return 2;
    }
    match edits(a, b, 2) {
        0 | 1 => 2,
        2 => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn levels() {
        assert_eq!(super::level("19560409", "19560490"), 2);
        assert_eq!(super::level("19560409", "19560904"), 2);
        assert_eq!(super::level("19560409", "19650490"), 3);
        assert_eq!(super::level("19560409", "20011231"), 4);
    }
}
