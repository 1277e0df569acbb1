//! `cn_uscc`: Unified Social Credit Codes of organisations (GB 32100-2015), validated by
//! their mod-31 check character (`cn_uscc_valid`).

use super::{Detector, Match, strong_if};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "cn_uscc",
        pipl_sensitive: false,
        gdpr_special: false,
        gbt_group: "sensitive",
        default_mask: DefaultMask::Tokenize,
        partial: PartialShape::AsSample,
        sample: SampleShape::Generic,
        key: KeyShape::AsSample,
        token: TokenInput::AsWritten,
        minors: false,
        suggest: Suggest::Format { duplicates: false },
        risk: RiskRole::Direct,
    },
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
    status: Status::Stable,
    since: "0.1.0",
};

fn check(v: &str) -> Match {
    strong_if(crate::validate::cn_uscc::is_valid(v))
}
