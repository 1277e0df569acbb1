//! `ip_address`: IPv4 and IPv6 addresses (parsed by the standard library, so
//! `999.1.1.1` and `1.2.3` do not match).

use super::{Detector, Match, strong_if};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "ip_address",
        pipl_sensitive: false,
        gdpr_special: false,
        gbt_group: "sensitive",
        default_mask: DefaultMask::Tokenize,
        partial: PartialShape::AsSample,
        sample: SampleShape::Generic,
        key: KeyShape::AsSample,
        token: TokenInput::AsWritten,
        minors: false,
        suggest: Suggest::Nothing,
        risk: RiskRole::Direct,
    },
    validator: "IPv4 / IPv6 address syntax",
    headers: &[
        "ip地址",
        "登录ip",
        "ip",
        "ipaddress",
        "ipaddr",
        "clientip",
        "remoteip",
        "sourceip",
        "loginip",
    ],
    check,
    alone: Some(0.8),
    with_header: 0.5,
    specificity: 8,
    status: Status::Stable,
    since: "0.1.0",
};

fn check(v: &str) -> Match {
    strong_if(v.trim().parse::<std::net::IpAddr>().is_ok())
}
