//! `cn_resident_id`: mainland resident identity card numbers (GB 11643).
//!
//! Strong: 18 characters with a valid ISO 7064 MOD 11-2 check character, a real birth
//! date and a province code, or a valid 15-digit legacy number (`cn_id_valid`). An
//! 18-digit product code passes the checksum for about one value in eleven, far below
//! the rate needed.

use super::{Detector, Match, strong_if};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "cn_resident_id",
        pipl_sensitive: true,
        gdpr_special: false,
        gbt_group: "identity document",
        default_mask: DefaultMask::Tokenize,
        partial: PartialShape::Ends { first: 6, last: 4 },
        sample: SampleShape::Generic,
        key: KeyShape::AsSample,
        token: TokenInput::AsWritten,
        minors: true,
        suggest: Suggest::Format { duplicates: true },
        risk: RiskRole::Direct,
    },
    validator: "GB 11643 check character + birth date + province code",
    headers: &[
        "身份证",
        "身份证号",
        "身份证号码",
        "公民身份号码",
        "证件号码",
        "sfzh",
        "sfzhm",
        "zjhm",
        "idcard",
        "idcardno",
        "idno",
        "idnumber",
        "residentid",
        "nationalid",
        "citizenid",
    ],
    check,
    alone: Some(0.8),
    with_header: 0.5,
    specificity: 10,
    status: Status::Stable,
    since: "0.1.0",
};

fn check(v: &str) -> Match {
    strong_if(crate::validate::cn_resident_id::is_valid(v))
}
