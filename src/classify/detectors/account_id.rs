//! `account_id`: customer, member and user account identifiers (header-led).
//!
//! An identifier assigned to a person is personal data (it singles them out), even if
//! it says nothing by itself. Weak: 4-64 letters, digits, `-` or `_`, at least one digit.

use super::{Detector, Match, weak_if};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "account_id",
        pipl_sensitive: false,
        gdpr_special: false,
        gbt_group: "sensitive",
        default_mask: DefaultMask::Tokenize,
        partial: PartialShape::AsSample,
        sample: SampleShape::Generic,
        key: KeyShape::Clear,
        token: TokenInput::AsWritten,
        minors: false,
        suggest: Suggest::Nothing,
        risk: RiskRole::Direct,
    },
    validator: "identifier token (4-64 characters with a digit)",
    headers: &[
        "客户编号",
        "客户号",
        "客户id",
        "会员号",
        "会员编号",
        "会员卡号",
        "用户id",
        "用户编号",
        "账号",
        "khbh",
        "khh",
        "hybh",
        "hyh",
        "yhid",
        "customerid",
        "custid",
        "customerno",
        "userid",
        "uid",
        "memberid",
        "memberno",
        "accountid",
        "accountno",
        "openid",
        "unionid",
    ],
    check,
    alone: None,
    with_header: 0.9,
    specificity: 2,
    status: Status::Stable,
    since: "0.1.0",
};

fn check(v: &str) -> Match {
    let v = v.trim();
    weak_if(
        (4..=64).contains(&v.len())
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && v.bytes().any(|b| b.is_ascii_digit()),
    )
}
