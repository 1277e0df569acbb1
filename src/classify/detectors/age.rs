//! `age`: a person's age in years (header-led: small integers are everywhere).
//!
//! Weak: an integer from 0 to 130, optionally followed by 岁.

use super::{Detector, Match, weak_if};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "age",
        pipl_sensitive: false,
        gdpr_special: false,
        gbt_group: "sensitive",
        default_mask: DefaultMask::Redact,
        partial: PartialShape::AsSample,
        sample: SampleShape::Generic,
        key: KeyShape::AsSample,
        token: TokenInput::AsWritten,
        minors: false,
        suggest: Suggest::Nothing,
        risk: RiskRole::Quasi,
    },
    validator: "integer 0-130",
    headers: &["年龄", "岁数", "nl", "age", "ageyears"],
    check,
    alone: None,
    with_header: 0.95,
    specificity: 4,
    status: Status::Stable,
    since: "0.1.0",
};

fn check(v: &str) -> Match {
    let v = v.trim();
    let v = v.strip_suffix('岁').unwrap_or(v);
    weak_if(v.parse::<u32>().is_ok_and(|n| n <= 130) && !v.starts_with('+'))
}
