//! `cn_uscc`: Unified Social Credit Codes of organisations (GB 32100-2015), validated by
//! their mod-31 check character (`cn_uscc_valid`).

use super::{Detector, Match, strong_if};

pub const DETECTOR: Detector = Detector {
    category: "cn_uscc",
    validator: "GB 32100 mod-31 check character",
    headers: &[
        "统一社会信用代码",
        "信用代码",
        "社会信用代码",
        "tyshxydm",
        "xydm",
        "uscc",
        "creditcode",
        "socialcreditcode",
    ],
    check,
    alone: Some(0.8),
    with_header: 0.5,
    specificity: 10,
};

fn check(v: &str) -> Match {
    strong_if(crate::validate::cn_uscc::is_valid(v))
}
