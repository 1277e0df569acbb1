//! `license_plate`: mainland vehicle registration plates.
//!
//! Strong: a province abbreviation (京, 沪, 粤, ...), a letter (not I/O), then 5
//! letters/digits (6 for new-energy plates), optionally ending in 挂/学/警/港/澳.

use super::{Detector, Match, is_doc_letter, strong_if};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "license_plate",
        pipl_sensitive: false,
        gdpr_special: false,
        gbt_group: "sensitive",
        default_mask: DefaultMask::Partial,
        partial: PartialShape::AsSample,
        sample: SampleShape::Generic,
        key: KeyShape::AsSample,
        token: TokenInput::AsWritten,
        minors: false,
        suggest: Suggest::Nothing,
        risk: RiskRole::Quasi,
    },
    validator: "mainland plate format (province + letter + 5-6 characters)",
    headers: &[
        "车牌",
        "车牌号",
        "车牌号码",
        "号牌号码",
        "cph",
        "cphm",
        "licenseplate",
        "plate",
        "plateno",
        "platenumber",
        "vehicleplate",
    ],
    check,
    alone: Some(0.8),
    with_header: 0.6,
    specificity: 8,
    status: Status::Stable,
    since: "0.1.0",
};

const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

fn check(v: &str) -> Match {
    let c: Vec<char> = v
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '·' | '-'))
        .collect();
    let ok = (7..=8).contains(&c.len())
        && PROVINCES.contains(c[0])
        && is_doc_letter(c[1].to_ascii_uppercase())
        && c[2..c.len() - 1]
            .iter()
            .all(|x| is_doc_letter(x.to_ascii_uppercase()) || x.is_ascii_digit())
        && {
            let last = c[c.len() - 1];
            is_doc_letter(last.to_ascii_uppercase())
                || last.is_ascii_digit()
                || "挂学警港澳".contains(last)
        };
    strong_if(ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plates() {
        assert_eq!(check("京A12345"), Match::Strong);
        assert_eq!(check("粤B·D12345"), Match::Strong);
        assert_eq!(check("京I12345"), Match::No);
        assert_eq!(check("A123456"), Match::No);
    }
}
