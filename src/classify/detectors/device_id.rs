//! `device_id`: device identifiers (header-led).
//!
//! Weak: an IMEI (15 digits passing Luhn), a UUID / IDFA / OAID
//! (`8-4-4-4-12` hex), a MAC address, or a 16-hex-digit Android ID.

use super::{Detector, Match, weak_if};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "device_id",
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
    validator: "IMEI (Luhn), UUID/IDFA, MAC, Android ID formats",
    headers: &[
        "设备号",
        "设备id",
        "设备标识",
        "sbh",
        "imei",
        "idfa",
        "oaid",
        "deviceid",
        "androidid",
        "mac",
        "macaddress",
        "udid",
    ],
    check,
    alone: None,
    with_header: 0.8,
    specificity: 4,
    status: Status::Stable,
    since: "0.1.0",
};

fn hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn check(v: &str) -> Match {
    let v = v.trim();
    let imei = v.len() == 15
        && v.bytes().all(|b| b.is_ascii_digit())
        && crate::validate::luhn::luhn(v.as_bytes());
    let parts: Vec<&str> = v.split('-').collect();
    let uuid = parts.len() == 5
        && parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts.iter().all(|p| hex(p));
    let mac_parts: Vec<&str> = v.split([':', '-']).collect();
    let mac = mac_parts.len() == 6 && mac_parts.iter().all(|p| p.len() == 2 && hex(p));
    let android = v.len() == 16 && hex(v);
    weak_if(imei || uuid || mac || android)
}
