//! `cn_mobile`: mainland China mobile numbers.
//!
//! Strong: 11 digits in an allocated MIIT prefix range (130-139, 145-149, ...), with an
//! optional `+86`/`0086` prefix, spaces or dashes (`cn_mobile_valid`). An 11-digit
//! ticket number outside those ranges does not match.

use super::{Detector, Match, strong_if};

pub const DETECTOR: Detector = Detector {
    category: "cn_mobile",
    validator: "MIIT mobile prefix ranges, 11 digits",
    headers: &[
        "手机",
        "手机号",
        "手机号码",
        "移动电话",
        "联系电话",
        "联系方式",
        "sjhm",
        "sjh",
        "sj",
        "lxdh",
        "mobile",
        "mobileno",
        "mobilephone",
        "cellphone",
        "cell",
        "phone",
        "tel",
        "telephone",
    ],
    check,
    alone: Some(0.8),
    with_header: 0.5,
    specificity: 8,
};

fn check(v: &str) -> Match {
    strong_if(crate::udf::cn_mobile::is_valid(v))
}
