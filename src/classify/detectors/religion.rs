//! `religion`: religious belief.
//!
//! Strong: a religion's Chinese name (佛教, 道教, 伊斯兰教, 基督教, 天主教, ...). Weak:
//! English names and "none" answers (无, 无宗教信仰, none), which need a header.

use super::{Detector, Match};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "religion",
        pipl_sensitive: true,
        gdpr_special: true,
        gbt_group: "special category",
        default_mask: DefaultMask::Redact,
        partial: PartialShape::AsSample,
        sample: SampleShape::Generic,
        key: KeyShape::AsSample,
        token: TokenInput::AsWritten,
        minors: false,
        suggest: Suggest::Nothing,
        risk: RiskRole::Sensitive,
    },
    validator: "religion vocabulary",
    headers: &[
        "宗教",
        "宗教信仰",
        "信仰",
        "zjxy",
        "zj",
        "religion",
        "faith",
        "belief",
    ],
    check,
    alone: Some(0.6),
    with_header: 0.8,
    specificity: 5,
    status: Status::Stable,
    since: "0.1.0",
};

const STRONG: &[&str] = &[
    "佛教",
    "道教",
    "伊斯兰教",
    "基督教",
    "天主教",
    "东正教",
    "犹太教",
    "印度教",
    "新教",
    "喇嘛教",
    "藏传佛教",
];
const WEAK: &[&str] = &[
    "无",
    "无宗教信仰",
    "不信教",
    "其他",
    "none",
    "buddhism",
    "buddhist",
    "christianity",
    "christian",
    "islam",
    "muslim",
    "catholic",
    "catholicism",
    "judaism",
    "jewish",
    "hinduism",
    "hindu",
    "taoism",
    "atheist",
    "other",
];

fn check(v: &str) -> Match {
    let v = v.trim().to_lowercase();
    if STRONG.contains(&v.as_str()) {
        Match::Strong
    } else if WEAK.contains(&v.as_str()) {
        Match::Weak
    } else {
        Match::No
    }
}
