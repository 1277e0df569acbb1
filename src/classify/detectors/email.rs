//! `email`: e-mail addresses (RFC 5321 lengths, dot-atom local part, LDH domain,
//! alphabetic TLD: `email_valid`).

use super::{Detector, Match, strong_if};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "email",
        pipl_sensitive: false,
        gdpr_special: false,
        gbt_group: "sensitive",
        default_mask: DefaultMask::Partial,
        partial: PartialShape::AsSample,
        sample: SampleShape::Generic,
        key: KeyShape::AsSample,
        token: TokenInput::AsWritten,
        minors: false,
        suggest: Suggest::Format { duplicates: false },
        risk: RiskRole::Direct,
    },
    validator: "RFC 5321 address syntax",
    headers: &[
        "邮箱",
        "电子邮箱",
        "电子邮件",
        "邮件",
        "yx",
        "dzyx",
        "email",
        "mail",
        "emailaddress",
    ],
    check,
    alone: Some(0.8),
    with_header: 0.5,
    specificity: 8,
    status: Status::Stable,
    since: "0.1.0",
};

fn check(v: &str) -> Match {
    // `z***@example.com` is syntactically valid, but a run of `*` is a mask, not data.
    strong_if(!v.contains("**") && crate::validate::email::is_valid(v))
}
