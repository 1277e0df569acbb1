//! Calendar dates written as text, in the forms Chinese and international exports use.
//!
//! One parser for every part of steward that reads a date out of text: the
//! `date_of_birth` detector and the minors count (`steward_minors` on text columns).
//!
//! Accepted: `1990-03-07`, `1990/3/7`, `1990.03.07`, `19900307`, `1990年3月7日` (the
//! `日` may be missing), full-width digits and separators (`１９９０－０３－０７`), and
//! any of these followed by a midnight time (`1990-03-07 00:00:00`, `...T00:00:00`):
//! exports of a `DATE` column often add one. A date with another time of day is an event
//! (a timestamp), not a calendar date. Years run from 1900 to 2100. Nothing is allocated.

use chrono::NaiveDate;

use super::text::half_width;

/// The calendar date `value` writes, or `None`.
pub fn calendar_date(value: &str) -> Option<NaiveDate> {
    let v = super::text::trim(value);
    let v = v
        .strip_suffix(" 00:00:00")
        .or_else(|| v.strip_suffix("T00:00:00"))
        .unwrap_or(v)
        .trim_end();
    // At most 3 digit groups; a group of 8 digits is `YYYYMMDD` on its own.
    let mut groups = [0u32; 3];
    let mut lens = [0usize; 3];
    let mut n = 0;
    let mut day_mark = false;
    for c in v.chars() {
        if day_mark {
            return None;
        }
        let c = half_width(c);
        if let Some(d) = c.to_digit(10).filter(|_| c.is_ascii_digit()) {
            if lens[n] == 8 {
                return None;
            }
            groups[n] = groups[n] * 10 + d;
            lens[n] += 1;
            continue;
        }
        match c {
            '-' | '/' | '.' | '年' | '月' if lens[n] > 0 && n < 2 => n += 1,
            '日' if n == 2 && lens[2] > 0 => day_mark = true,
            _ => return None,
        }
    }
    let (y, m, d) = match (n, lens) {
        (0, [8, _, _]) => (groups[0] / 10_000, groups[0] / 100 % 100, groups[0] % 100),
        (2, [4, 1..=2, 1..=2]) => (groups[0], groups[1], groups[2]),
        _ => return None,
    };
    if !(1900..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn written_forms() {
        for v in [
            "1990-03-07",
            "1990/3/7",
            "1990.03.07",
            "19900307",
            "1990年3月7日",
            "1990年03月07",
            " 1990-03-07 00:00:00",
            "1990-03-07T00:00:00",
            "１９９０－０３－０７",
            "１９９０年３月７日",
        ] {
            assert_eq!(calendar_date(v), ymd(1990, 3, 7), "{v}");
        }
    }

    #[test]
    fn not_dates() {
        for v in [
            "",
            "abc",
            "17",
            "1990-02-30",
            "2019-01-01 10:23:00",
            "1990-03",
            "1990-03-07-01",
            "199003071",
            "1800-01-01",
            "90-03-07",
            "1990-003-07",
            "1990年3月7日x",
            "-1990-03-07",
            "1990--03-07",
        ] {
            assert_eq!(calendar_date(v), None, "{v}");
        }
    }
}
