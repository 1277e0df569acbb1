//! `gender`: sex or gender.
//!
//! Strong: 男, 女, 男性, 女性, male, female. Weak (with a header): M, F, 1, 2, 0, 未知,
//! unknown, other.

use super::{Detector, Match};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "gender",
        pipl_sensitive: false,
        gdpr_special: false,
        gbt_group: "sensitive",
        default_mask: DefaultMask::Redact,
        partial: PartialShape::AsSample,
        sample: SampleShape::Generic,
        key: KeyShape::AsSample,
        token: TokenInput::AsWritten,
        minors: false,
        suggest: Suggest::Allowed(&["男", "女", "M", "F"]),
        risk: RiskRole::Quasi,
    },
    validator: "gender vocabulary (男/女, male/female, M/F)",
    headers: &["性别", "xb", "gender", "sex"],
    check,
    alone: Some(0.95),
    // Few distinct values: one bad spelling among six is already 17 %.
    with_header: 0.6,
    specificity: 5,
    status: Status::Stable,
    since: "0.1.0",
};

fn check(v: &str) -> Match {
    let v = v.trim().to_lowercase();
    match v.as_str() {
        "男" | "女" | "男性" | "女性" | "male" | "female" => Match::Strong,
        "m" | "f" | "1" | "2" | "0" | "未知" | "unknown" | "other" | "u" => Match::Weak,
        _ => Match::No,
    }
}
