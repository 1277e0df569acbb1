//! `date_of_birth`: birth dates (header-led: a date column could be any event).
//!
//! Weak: a calendar date (`1990-05-17`, `1990/5/17`, `19900517`, `1990年5月17日`,
//! optionally followed by a midnight time) with a year from 1900 to 2100
//! (`validate::date`).

use super::{Detector, Match, weak_if};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "date_of_birth",
        pipl_sensitive: false,
        gdpr_special: false,
        gbt_group: "minors' data",
        default_mask: DefaultMask::GeneralizeYear,
        partial: PartialShape::AsSample,
        sample: SampleShape::BirthYear,
        key: KeyShape::AsSample,
        token: TokenInput::AsWritten,
        minors: true,
        suggest: Suggest::Date,
        risk: RiskRole::Quasi,
    },
    validator: "calendar date, years 1900-2100",
    headers: &[
        "出生日期",
        "出生年月",
        "生日",
        "出生",
        "csrq",
        "sr",
        "birth",
        "birthday",
        "birthdate",
        "dob",
        "dateofbirth",
    ],
    check,
    alone: None,
    with_header: 0.9,
    specificity: 5,
    status: Status::Stable,
    since: "0.1.0",
};

fn check(v: &str) -> Match {
    weak_if(crate::validate::date::calendar_date(v).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_forms() {
        for v in [
            "1990-05-17",
            "1990/5/17",
            "19900517",
            "1990年5月17日",
            "1990-05-17 00:00:00",
        ] {
            assert_eq!(check(v), Match::Weak, "{v}");
        }
        for v in ["1990-02-30", "abc", "17", "2019-01-01 10:23:00"] {
            assert_eq!(check(v), Match::No, "{v}");
        }
    }
}
