//! A GB/T 43697-2024 (数据安全技术 数据分类分级规则) classification and grading
//! suggestion, for the officer to confirm: each column is non-personal, personal or
//! sensitive personal information (Appendix B of the standard; sensitive as PIPL
//! Art. 28); a dataset takes the highest level of its columns (就高从严, §6.6); a
//! dataset holding the personal information of many people is flagged as a candidate
//! for important data, to be checked against the sector's important-data catalogue
//! (Appendix G) — the screening thresholds below are steward's, not the standard's.

use crate::report::Report;
use crate::report::compliance::{ColumnGrading, Grading, Headcount, InventoryItem, Lang};

/// Screening threshold (steward's, not the standard's): personal information of this
/// many people or more makes a dataset an important-data candidate ...
pub const IMPORTANT_CANDIDATE_PEOPLE: u64 = 10_000_000;
/// ... or sensitive personal information of this many people or more.
pub const IMPORTANT_CANDIDATE_SENSITIVE: u64 = 1_000_000;

fn class_shown(lang: Lang, class: &str) -> String {
    match (lang, class) {
        (Lang::En, "sensitive_personal") => "sensitive personal information".into(),
        (Lang::En, "personal") => "personal information".into(),
        (Lang::En, _) => "non-personal data".into(),
        (Lang::ZhCn, "sensitive_personal") => "敏感个人信息".into(),
        (Lang::ZhCn, "personal") => "一般个人信息".into(),
        (Lang::ZhCn, _) => "非个人信息".into(),
    }
}

/// The suggestion for every dataset of the scan.
pub fn grading(
    scan: &Report,
    inventory: &[InventoryItem],
    head: &Headcount,
    lang: Lang,
) -> Vec<Grading> {
    scan.datasets
        .iter()
        .map(|d| {
            let columns: Vec<ColumnGrading> = d
                .columns
                .iter()
                .map(|c| {
                    let items: Vec<&InventoryItem> = inventory
                        .iter()
                        .filter(|i| i.dataset == d.name && i.column == c.name)
                        .collect();
                    let class = if items.iter().any(|i| i.pipl_sensitive || i.gdpr_special) {
                        "sensitive_personal"
                    } else if !items.is_empty() {
                        "personal"
                    } else {
                        "non_personal"
                    };
                    ColumnGrading {
                        column: c.name.clone(),
                        class: class.into(),
                        class_shown: class_shown(lang, class),
                    }
                })
                .collect();
            let highest = if columns.iter().any(|c| c.class == "sensitive_personal") {
                "sensitive_personal"
            } else if columns.iter().any(|c| c.class == "personal") {
                "personal"
            } else {
                "non_personal"
            };
            let (people, sensitive) = head
                .dataset(&d.name)
                .map_or((d.rows, 0), |x| (x.people, x.sensitive_people));
            let candidate =
                people >= IMPORTANT_CANDIDATE_PEOPLE || sensitive >= IMPORTANT_CANDIDATE_SENSITIVE;
            let level = if candidate {
                "important_candidate"
            } else {
                "general"
            };
            let level_shown = match (lang, candidate) {
                (Lang::En, true) => format!(
                    "important data candidate; holds {}",
                    class_shown(lang, highest)
                ),
                (Lang::En, false) => format!("general data; holds {}", class_shown(lang, highest)),
                (Lang::ZhCn, true) => format!(
                    "重要数据候选（含{}）",
                    class_shown(lang, highest)
                ),
                (Lang::ZhCn, false) => format!("一般数据（含{}）", class_shown(lang, highest)),
            };
            let why = lang.pick(
                format!(
                    "highest level of its columns (GB/T 43697-2024 §6.6); {people} people, {sensitive} with sensitive personal information; important-data screening from {} people or {} with sensitive personal information (steward's threshold: confirm against the sector's important-data catalogue, Appendix G)",
                    super::evidence::thousands(IMPORTANT_CANDIDATE_PEOPLE),
                    super::evidence::thousands(IMPORTANT_CANDIDATE_SENSITIVE)
                ),
                format!(
                    "按就高从严原则取各字段的最高级别（GB/T 43697-2024 第6.6条）；涉及 {people} 人，其中 {sensitive} 人涉及敏感个人信息；重要数据初筛阈值为1000万人个人信息或100万人敏感个人信息（本工具设定的初筛阈值，须对照行业领域重要数据目录确认，见附录G）"
                ),
            );
            Grading {
                dataset: d.name.clone(),
                level: level.into(),
                level_shown,
                why,
                columns,
            }
        })
        .collect()
}
