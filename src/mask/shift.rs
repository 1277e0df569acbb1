//! `shift`: move dates and timestamps by a keyed per-record offset.
//!
//! ## What it does
//! Every date of a record moves by the same number of days, between -`days` and
//! +`days` (never 0), derived from HMAC-SHA256(key, the record's `by` value): intervals
//! within a record (admission to discharge, signup to first order) are kept, the same
//! customer shifts alike in every file, and without the key the offset is unknown.
//! `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` and `YYYY-MM-DDTHH:MM:SS` keep their shape; other
//! values become null rather than staying in clear.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use hmac::Mac;

use super::keys::Key;

/// The record's offset in days, in `[-days, days]` without 0.
pub fn offset(key: &Key, record: &str, days: u32) -> i64 {
    let mut m = key.hmac();
    m.update(b"steward-shift-v1");
    m.update(record.as_bytes());
    let b = m.finalize().into_bytes();
    let x = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
    let days = days.max(1) as u64;
    let o = (x % (2 * days)) as i64 - days as i64;
    if o >= 0 { o + 1 } else { o }
}

pub fn shift(value: &str, offset_days: i64) -> Option<String> {
    let v = value.trim();
    let d = Duration::days(offset_days);
    if let Ok(date) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        return Some((date + d).format("%Y-%m-%d").to_string());
    }
    for fmt in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(v, fmt) {
            return Some((t + d).format(fmt).to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mask::keys::test_key;

    #[test]
    fn same_record_same_offset_intervals_kept() {
        let k = test_key(5);
        let o = offset(&k, "C00001", 180);
        assert!(o != 0 && o.abs() <= 180);
        assert_eq!(o, offset(&k, "C00001", 180));
        let (a, b) = ("2026-01-10", "2026-01-25 08:30:00");
        let (sa, sb) = (shift(a, o).unwrap(), shift(b, o).unwrap());
        let da = NaiveDate::parse_from_str(&sa, "%Y-%m-%d").unwrap();
        let db = NaiveDateTime::parse_from_str(&sb, "%Y-%m-%d %H:%M:%S")
            .unwrap()
            .date();
        assert_eq!((db - da).num_days(), 15);
        assert_eq!(shift("not a date", o), None);
    }
}
