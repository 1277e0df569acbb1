//! `ethnicity`: the 56 officially recognised ethnic groups of China.
//!
//! Strong: a group name with 族 (`汉族`, `维吾尔族`); weak: the bare name (`汉`).

use super::{Detector, Match};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "ethnicity",
        pipl_sensitive: true,
        gdpr_special: true,
        gbt_group: "special category",
        default_mask: DefaultMask::Redact,
        partial: PartialShape::AsSample,
        sample: SampleShape::Generic,
        key: KeyShape::AsSample,
        token: TokenInput::AsWritten,
        minors: false,
        suggest: Suggest::Nothing,
        risk: RiskRole::Quasi,
    },
    validator: "56 ethnic groups vocabulary",
    headers: &[
        "民族",
        "族别",
        "mz",
        "ethnicity",
        "ethnic",
        "ethnicgroup",
        "race",
    ],
    check,
    alone: Some(0.9),
    with_header: 0.8,
    specificity: 5,
    status: Status::Stable,
    since: "0.1.0",
};

const GROUPS: &[&str] = &[
    "汉",
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
];

fn check(v: &str) -> Match {
    let v = v.trim();
    match v.strip_suffix('族') {
        Some(name) if GROUPS.contains(&name) => Match::Strong,
        None if GROUPS.contains(&v) => Match::Weak,
        _ => Match::No,
    }
}
