//! `postal_address`: postal addresses.
//!
//! Strong: Chinese text of at least 6 characters with two or more different address
//! markers (省, 市, 区, 县, 镇, 路, 街, 号, 村, 弄, 栋, 单元, 室, ...), or Latin text with a
//! house number and a street word (`12 Baker Street`, `5 Main St`).

use super::{Detector, Match, strong_if};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "postal_address",
        pipl_sensitive: false,
        gdpr_special: false,
        gbt_group: "sensitive",
        default_mask: DefaultMask::GeneralizeCity,
        partial: PartialShape::AsSample,
        sample: SampleShape::Address,
        key: KeyShape::AsSample,
        token: TokenInput::AsWritten,
        minors: false,
        suggest: Suggest::Nothing,
        risk: RiskRole::Quasi,
    },
    validator: "two or more address markers (province/city/district/road/number)",
    headers: &[
        "地址",
        "住址",
        "家庭住址",
        "联系地址",
        "通讯地址",
        "收货地址",
        "户籍地址",
        "居住地址",
        "dz",
        "jtzz",
        "lxdz",
        "shdz",
        "txdz",
        "address",
        "addr",
        "street",
        "streetaddress",
        "homeaddress",
        "mailingaddress",
        "shippingaddress",
    ],
    check,
    alone: Some(0.8),
    with_header: 0.6,
    specificity: 5,
    status: Status::Stable,
    since: "0.1.0",
};

const MARKERS: &[&str] = &[
    "省",
    "市",
    "区",
    "县",
    "镇",
    "乡",
    "街道",
    "路",
    "街",
    "号",
    "村",
    "弄",
    "巷",
    "栋",
    "幢",
    "单元",
    "室",
    "楼",
    "大道",
    "胡同",
    "小区",
    "自治州",
];

const STREET_WORDS: &[&str] = &[
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
    "lane",
    "ln",
    "boulevard",
    "blvd",
    "drive",
    "dr",
    "way",
    "court",
    "ct",
    "place",
    "pl",
    "square",
    "sq",
];

fn check(v: &str) -> Match {
    let v = v.trim();
    if v.chars().count() >= 6 && !v.is_ascii() {
        let markers = MARKERS.iter().filter(|m| v.contains(*m)).count();
        return strong_if(markers >= 2);
    }
    let lower = v.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let number = words.iter().any(|w| w.bytes().all(|b| b.is_ascii_digit()));
    let street = words.iter().any(|w| STREET_WORDS.contains(w));
    strong_if(v.len() >= 8 && number && street)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_and_latin_addresses() {
        assert_eq!(check("北京市朝阳区建国路88号"), Match::Strong);
        assert_eq!(check("12 Baker Street, London"), Match::Strong);
        assert_eq!(check("北京市"), Match::No);
        assert_eq!(check("Baker Street"), Match::No);
    }
}
