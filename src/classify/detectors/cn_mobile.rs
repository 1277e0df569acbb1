//! `cn_mobile`: mainland China mobile numbers.
//!
//! Strong: a mobile number in any form `cn_mobile_valid` accepts (`+86`/`0086`/`(+86)`
//! prefix, spaces, dashes, dots, full-width digits), 11 digits in a mobile range of
//! `validate::phone::MOBILE_RANGES` (libphonenumber's). An 11-digit ticket number
//! outside those ranges does not match.

use super::{Detector, Match, strong_if};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "cn_mobile",
        pipl_sensitive: false,
        gdpr_special: false,
        gbt_group: "sensitive",
        default_mask: DefaultMask::Partial,
        partial: PartialShape::CanonicalMobile,
        sample: SampleShape::Mobile,
        key: KeyShape::AsSample,
        token: TokenInput::CanonicalMobile,
        minors: false,
        suggest: Suggest::Format { duplicates: true },
        risk: RiskRole::Direct,
    },
    validator: "libphonenumber mobile ranges, 11 digits in any written form",
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
    status: Status::Stable,
    since: "0.1.0",
};

fn check(v: &str) -> Match {
    strong_if(crate::validate::phone::is_cn_mobile(v))
}
