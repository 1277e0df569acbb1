//! `health`: health and medical information (header-led).
//!
//! Weak: a value naming a condition (高血压, 糖尿病, 哮喘, ..., diabetes, asthma, ...) or
//! a health status answer (健康, 良好, 正常, 无, healthy, none).

use super::{Detector, Match, weak_if};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "health",
        pipl_sensitive: true,
        gdpr_special: true,
        gbt_group: "health",
        default_mask: DefaultMask::Redact,
        partial: PartialShape::AsSample,
        sample: SampleShape::Generic,
        key: KeyShape::AsSample,
        token: TokenInput::AsWritten,
        minors: false,
        suggest: Suggest::Nothing,
        risk: RiskRole::Sensitive,
    },
    validator: "condition / health status vocabulary",
    headers: &[
        "健康",
        "健康状况",
        "病史",
        "既往病史",
        "疾病",
        "诊断",
        "过敏史",
        "残疾",
        "jkzk",
        "bs",
        "jb",
        "health",
        "healthstatus",
        "medical",
        "medicalhistory",
        "diagnosis",
        "condition",
        "allergy",
        "allergies",
        "disease",
    ],
    check,
    alone: None,
    with_header: 0.5,
    specificity: 4,
    status: Status::Stable,
    since: "0.1.0",
};

const TERMS: &[&str] = &[
    "高血压",
    "糖尿病",
    "心脏病",
    "冠心病",
    "哮喘",
    "癌",
    "肿瘤",
    "肝炎",
    "艾滋",
    "抑郁",
    "结核",
    "癫痫",
    "过敏",
    "残疾",
    "中风",
    "骨折",
    "健康",
    "良好",
    "正常",
    "无",
    "diabetes",
    "hypertension",
    "asthma",
    "cancer",
    "hiv",
    "allergy",
    "depression",
    "healthy",
    "none",
    "covid",
];

fn check(v: &str) -> Match {
    let v = v.trim().to_lowercase();
    weak_if(TERMS.iter().any(|t| v.contains(t)))
}
