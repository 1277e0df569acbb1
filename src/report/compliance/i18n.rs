//! The languages of the compliance report (`--lang en|zh-CN`): the labels the renderers
//! print, the Chinese names of categories, statuses and protection states, article
//! references in the form used in China (`PIPL Art. 28` -> 《个人信息保护法》第二十八条)
//! and the gate's reasons in Chinese.
//!
//! English strings here are the ones the report printed before it had a second
//! language; they must not change, so English reports stay byte-identical.

use serde::{Deserialize, Serialize};

/// The language a compliance report is written in.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
pub enum Lang {
    #[default]
    #[value(name = "en")]
    #[serde(rename = "en")]
    En,
    /// Simplified Chinese.
    #[value(name = "zh-CN")]
    #[serde(rename = "zh-CN")]
    ZhCn,
}

impl Lang {
    /// The BCP 47 tag (`lang` attribute of the HTML).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    pub fn is_en(&self) -> bool {
        *self == Lang::En
    }

    /// The English or the Chinese text.
    pub fn pick<T>(self, en: T, zh: T) -> T {
        match self {
            Lang::En => en,
            Lang::ZhCn => zh,
        }
    }
}

/// `28` -> `二十八`, `100` -> `一百`, `4` -> `四` (article numbers, 1..=999).
pub fn zh_number(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n == 0 || n > 999 {
        return n.to_string();
    }
    let (h, t, u) = (n / 100, n / 10 % 10, n % 10);
    let mut out = String::new();
    if h > 0 {
        out.push_str(D[h as usize]);
        out.push('百');
    }
    match (h > 0, t) {
        (false, 0) => {}
        (false, 1) => out.push('十'),
        (true, 0) if u > 0 => out.push('零'),
        (true, 0) => {}
        (_, t) => {
            out.push_str(D[t as usize]);
            out.push('十');
        }
    }
    if u > 0 {
        out.push_str(D[u as usize]);
    }
    out
}

/// An article reference as cited in China. `PIPL Art. 28` -> 《个人信息保护法》第二十八条,
/// `PIPL Art. 55(4)` -> 《个人信息保护法》第五十五条第（四）项, `GDPR Art. 5(1)(c)` ->
/// 《通用数据保护条例》第5条第1款第(c)项. Anything else is returned unchanged.
pub fn article_zh(reference: &str) -> String {
    let (law, rest) = if let Some(r) = reference.strip_prefix("PIPL Art. ") {
        ("PIPL", r)
    } else if let Some(r) = reference.strip_prefix("GDPR Art. ") {
        ("GDPR", r)
    } else {
        return reference.to_string();
    };
    let (number, tail) = rest
        .find(|c: char| !c.is_ascii_digit())
        .map_or((rest, ""), |i| rest.split_at(i));
    let Ok(n) = number.parse::<u32>() else {
        return reference.to_string();
    };
    let parts: Vec<&str> = tail.split(['(', ')']).filter(|p| !p.is_empty()).collect();
    if parts.len() * 2 != tail.len() - parts.iter().map(|p| p.len()).sum::<usize>() {
        return reference.to_string();
    }
    match law {
        "PIPL" => {
            // Chinese law: 条, 款 (paragraph), 项 (item, numbered （一）...).
            let mut out = format!("《个人信息保护法》第{}条", zh_number(n));
            for p in &parts {
                match p.parse::<u32>() {
                    Ok(i) => out.push_str(&format!("第（{}）项", zh_number(i))),
                    Err(_) => return reference.to_string(),
                }
            }
            out
        }
        _ => {
            let mut out = format!("《通用数据保护条例》第{n}条");
            for (k, p) in parts.iter().enumerate() {
                if p.chars().all(|c| c.is_ascii_digit()) && k == 0 {
                    out.push_str(&format!("第{p}款"));
                } else {
                    out.push_str(&format!("第({p})项"));
                }
            }
            out
        }
    }
}

/// The articles of a finding, in the report's language.
pub fn articles(lang: Lang, articles: &[String]) -> String {
    match lang {
        Lang::En => articles.join(", "),
        Lang::ZhCn => {
            // 《个人信息保护法》第二十八条、第二十九条: the law named once per run.
            let mut out: Vec<String> = Vec::new();
            let mut last_law: Option<String> = None;
            for a in articles {
                let zh = article_zh(a);
                let law = zh.find('》').map(|i| zh[..i + '》'.len_utf8()].to_string());
                match (&law, &last_law) {
                    (Some(l), Some(p)) if l == p => out.push(zh[l.len()..].to_string()),
                    _ => out.push(zh.clone()),
                }
                last_law = law;
            }
            out.join("、")
        }
    }
}

/// Chinese names of the personal-data categories (design.md ids).
pub fn category_zh(id: &str) -> Option<&'static str> {
    Some(match id {
        "person_name" => "姓名",
        "cn_resident_id" => "居民身份证号码",
        "cn_passport" => "中国护照号码",
        "hk_macau_permit" => "港澳居民来往内地通行证号码",
        "taiwan_permit" => "台湾居民来往大陆通行证号码",
        "passport" => "护照号码",
        "cn_mobile" => "手机号码",
        "phone" => "电话号码",
        "email" => "电子邮箱",
        "postal_address" => "通信地址",
        "date_of_birth" => "出生日期",
        "age" => "年龄",
        "gender" => "性别",
        "ethnicity" => "民族",
        "religion" => "宗教信仰",
        "health" => "健康生理信息",
        "bank_card" => "银行卡号",
        "credit_card" => "信用卡号",
        "iban" => "国际银行账号（IBAN）",
        "cn_uscc" => "统一社会信用代码",
        "ip_address" => "IP 地址",
        "device_id" => "设备标识符",
        "geolocation" => "精准位置信息",
        "license_plate" => "车牌号码",
        "us_ssn" => "美国社会安全号码",
        "account_id" => "账号",
        _ => return None,
    })
}

/// A category as a reviewer reads it: `手机号码（cn_mobile）`.
pub fn category(lang: Lang, id: &str) -> String {
    match (lang, category_zh(id)) {
        (Lang::ZhCn, Some(zh)) => format!("{zh}（{id}）"),
        _ => id.to_string(),
    }
}

/// The GB/T 35273-2020 Appendix B group of a sensitive category, in Chinese.
pub fn group_zh(group: &str) -> &str {
    match group {
        "financial account" => "个人财产信息",
        "health" => "个人健康生理信息",
        "identity document" => "个人身份信息",
        "minors' data" => "不满十四周岁未成年人的个人信息",
        "precise location" => "精准定位信息",
        "special category" => "特殊类别个人信息",
        "sensitive" => "敏感个人信息",
        other => other,
    }
}

/// `pass`, `fail`, `needs_review` as a label.
pub fn status(lang: Lang, s: super::ObligationStatus) -> &'static str {
    use super::ObligationStatus::*;
    match lang {
        Lang::En => s.label(),
        Lang::ZhCn => match s {
            Pass => "符合",
            NeedsReview => "待复核",
            Fail => "不符合",
        },
    }
}

/// A scan check's status (`fail`, `warn`, `pass`).
pub fn check_status(lang: Lang, s: &str) -> String {
    match (lang, s) {
        (Lang::ZhCn, "fail") => "未通过".into(),
        (Lang::ZhCn, "warn") => "警告".into(),
        (Lang::ZhCn, "pass") => "通过".into(),
        _ => s.to_string(),
    }
}

pub fn protection(lang: Lang, p: super::ProtectionState) -> &'static str {
    use super::ProtectionState::*;
    match lang {
        Lang::En => p.as_str(),
        Lang::ZhCn => match p {
            Clear => "明文",
            Partial => "部分保护",
            Encrypted => "已加密",
            Tokenized => "已令牌化（假名化）",
            Masked => "已屏蔽",
            Generalized => "已泛化",
        },
    }
}

/// `personal`, `sensitive`, `special`.
pub fn sensitivity(lang: Lang, s: &str) -> String {
    match (lang, s) {
        (Lang::ZhCn, "personal") => "个人信息".into(),
        (Lang::ZhCn, "sensitive") => "敏感个人信息".into(),
        (Lang::ZhCn, "special") => "敏感个人信息（GDPR 特殊类别）".into(),
        _ => s.to_string(),
    }
}

pub fn dimension(lang: Lang, d: crate::report::Dimension) -> &'static str {
    use crate::report::Dimension::*;
    match lang {
        Lang::En => d.as_str(),
        Lang::ZhCn => match d {
            Completeness => "完整性",
            Validity => "有效性",
            Consistency => "一致性",
            Timeliness => "及时性",
            Uniqueness => "唯一性",
        },
    }
}

/// A dimension by its id (`validity`).
pub fn dimension_id(lang: Lang, id: &str) -> String {
    crate::report::Dimension::ALL
        .iter()
        .find(|d| d.as_str() == id)
        .map_or_else(|| id.to_string(), |d| dimension(lang, *d).to_string())
}

/// A check severity (`error`, `warn`, `info`).
pub fn severity(lang: Lang, s: &str) -> String {
    match (lang, s) {
        (Lang::ZhCn, "error") => "错误".into(),
        (Lang::ZhCn, "warn") => "警告".into(),
        (Lang::ZhCn, "info") => "提示".into(),
        _ => s.to_string(),
    }
}

/// A lawful basis id (`consent`) as PIPL Art. 13 / GDPR Art. 6(1) names it.
pub fn lawful_basis(lang: Lang, id: &str) -> String {
    let zh = match id {
        "consent" => "取得个人的同意",
        "contract" => "订立、履行合同所必需",
        "legal_obligation" => "履行法定职责或者法定义务所必需",
        "vital_interests" => "保护自然人的生命健康和财产安全所必需",
        "public_task" => "履行公共职责所必需",
        "legitimate_interests" => "正当利益（GDPR 第6条第1款第(f)项）",
        "hr_management" => "实施人力资源管理所必需",
        "public_health_emergency" => "应对突发公共卫生事件所必需",
        "news_reporting" => "为公共利益实施新闻报道、舆论监督",
        "disclosed_information" => "处理已合法公开的个人信息",
        _ => return id.to_string(),
    };
    match lang {
        Lang::En => id.to_string(),
        Lang::ZhCn => format!("{zh}（{id}）"),
    }
}

/// The re-identification grade (`identifiable`, `de-identified`, `low-risk`).
pub fn grade(lang: Lang, g: &str) -> String {
    match (lang, g) {
        (Lang::ZhCn, "identifiable") => "可识别".into(),
        (Lang::ZhCn, "de-identified") => "已去标识化".into(),
        (Lang::ZhCn, "low-risk") => "重识别风险低".into(),
        _ => g.to_string(),
    }
}

/// The scoring formula every report carries.
pub fn scoring_formula(lang: Lang, en: &str) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::ZhCn => "检查得分 = 100 × 通过数 / 评估数（无评估行时为 100）；维度得分 = 其各项检查得分的加权平均；总分 = 有检查的各维度得分的加权平均；唯一性检查以超出的行数计为未通过（非空行数 − 不同的非空值数）".into(),
    }
}

/// One reason of the quality gate (`score::gate_reasons`, `audit::history`) in the
/// report's language. A reason of a shape not known here is shown as written.
pub fn gate_reason(lang: Lang, reason: &str) -> String {
    if lang == Lang::En {
        return reason.to_string();
    }
    let Some((dataset, rest)) = reason.split_once(": ") else {
        return reason.to_string();
    };
    if let Some(r) = rest.strip_prefix("overall ")
        && let Some((score, min)) = r.split_once(" < ")
        && !score.contains(' ')
    {
        return format!("{dataset}：总分 {score} 低于门限 {min}");
    }
    if let Some(r) = rest.strip_prefix("check ")
        && let Some((id, r)) = r.split_once(" pass rate ")
        && let Some((rate, min)) = r.split_once(" < ")
    {
        return format!("{dataset}：检查 {id} 通过率 {rate} 低于 {min}");
    }
    if let Some(r) = rest.strip_prefix("overall dropped ")
        && let Some((points, r)) = r.split_once(" points since the run at ")
        && let Some((at, r)) = r.split_once(" (")
        && let Some((scores, max)) = r.split_once("), more than gate.max_drop ")
    {
        let scores = scores.replace(" -> ", " → ");
        return format!(
            "{dataset}：总分较 {at} 的运行下降 {points} 分（{scores}），超过 gate.max_drop {max}"
        );
    }
    for d in crate::report::Dimension::ALL {
        if let Some(r) = rest.strip_prefix(&format!("{} ", d.as_str()))
            && let Some((score, min)) = r.split_once(" < ")
        {
            return format!(
                "{dataset}：{}得分 {score} 低于门限 {min}",
                dimension(Lang::ZhCn, d)
            );
        }
    }
    reason.to_string()
}

/// The category of an inventory row: `cn_mobile (inside text)`, 手机号码（cn_mobile，文本中）.
pub fn category_shown(l: Lang, i: &super::InventoryItem) -> String {
    match l {
        Lang::En => i.category_shown(),
        Lang::ZhCn => {
            let c = category(l, &i.category);
            if i.embedded {
                format!("{c}（文本中）")
            } else {
                c
            }
        }
    }
}

pub fn calculation_name(l: Lang, id: &str) -> &'static str {
    match (l, id) {
        (Lang::En, "cross_border") => "cross-border transfer mechanism",
        (Lang::En, "audit_frequency") => "compliance audit frequency",
        (Lang::En, "incident_scale") => "incident scale",
        (Lang::ZhCn, "cross_border") => "数据出境路径",
        (Lang::ZhCn, "audit_frequency") => "合规审计频次",
        (Lang::ZhCn, "incident_scale") => "安全事件规模",
        _ => "",
    }
}

pub fn criterion_state(l: Lang, state: &str) -> &'static str {
    match (l, state) {
        (Lang::En, "met") => "yes",
        (Lang::En, "not_met") => "no",
        (Lang::En, _) => "unknown",
        (Lang::ZhCn, "met") => "是",
        (Lang::ZhCn, "not_met") => "否",
        (Lang::ZhCn, _) => "无法判断",
    }
}

pub fn audit_log_line(l: Lang, a: &super::AuditSummary) -> String {
    match (l, a.intact) {
        (Lang::En, true) => format!("{} entries, chain intact", a.entries),
        (Lang::En, false) => format!(
            "{} entries, chain broken at line {}",
            a.entries,
            a.first_bad_line.unwrap_or(0)
        ),
        (Lang::ZhCn, true) => format!("{} 条记录，哈希链完整", a.entries),
        (Lang::ZhCn, false) => format!(
            "{} 条记录，哈希链在第 {} 行断裂",
            a.entries,
            a.first_bad_line.unwrap_or(0)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_written_in_chinese_law() {
        // Hand-checked against the article headings of the PIPL's official text.
        for (n, zh) in [
            (1, "一"),
            (10, "十"),
            (13, "十三"),
            (20, "二十"),
            (28, "二十八"),
            (38, "三十八"),
            (55, "五十五"),
            (73, "七十三"),
            (100, "一百"),
            (101, "一百零一"),
            (110, "一百一十"),
            (125, "一百二十五"),
        ] {
            assert_eq!(zh_number(n), zh, "{n}");
        }
    }

    #[test]
    fn article_references() {
        assert_eq!(article_zh("PIPL Art. 28"), "《个人信息保护法》第二十八条");
        assert_eq!(article_zh("PIPL Art. 6"), "《个人信息保护法》第六条");
        assert_eq!(
            article_zh("PIPL Art. 55(4)"),
            "《个人信息保护法》第五十五条第（四）项"
        );
        assert_eq!(article_zh("GDPR Art. 9"), "《通用数据保护条例》第9条");
        assert_eq!(
            article_zh("GDPR Art. 5(1)(c)"),
            "《通用数据保护条例》第5条第1款第(c)项"
        );
        // Not an article reference: unchanged.
        assert_eq!(article_zh("GB/T 35273-2020 §5.2"), "GB/T 35273-2020 §5.2");
        let list = [
            "PIPL Art. 28",
            "PIPL Art. 29",
            "GDPR Art. 9",
            "GDPR Art. 35",
        ]
        .map(String::from);
        assert_eq!(
            articles(Lang::ZhCn, &list),
            "《个人信息保护法》第二十八条、第二十九条、《通用数据保护条例》第9条、第35条"
        );
        assert_eq!(article_zh("PIPL Art. 5((1)"), "PIPL Art. 5((1)");
    }

    #[test]
    fn gate_reasons_in_chinese() {
        let zh = |r: &str| gate_reason(Lang::ZhCn, r);
        assert_eq!(
            zh("customers: overall 97.81 < 99"),
            "customers：总分 97.81 低于门限 99"
        );
        assert_eq!(
            zh("customers: completeness 90.00 < 98"),
            "customers：完整性得分 90.00 低于门限 98"
        );
        assert_eq!(
            zh("c: check c.mobile.format pass rate 0.9000 < 0.99"),
            "c：检查 c.mobile.format 通过率 0.9000 低于 0.99"
        );
        assert_eq!(
            zh(
                "c: overall dropped 3.00 points since the run at 2026-01-01T00:00:00Z (99.00 -> 96.00), more than gate.max_drop 2"
            ),
            "c：总分较 2026-01-01T00:00:00Z 的运行下降 3.00 分（99.00 → 96.00），超过 gate.max_drop 2"
        );
        assert_eq!(
            gate_reason(Lang::En, "x: overall 1 < 2"),
            "x: overall 1 < 2"
        );
    }
}
