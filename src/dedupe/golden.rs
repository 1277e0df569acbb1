//! Golden records (`steward dedupe --golden FILE`): one row per unified ID, each field's
//! value chosen among the ID's records by the field's survivorship rule
//! (`duplicates.fuzzy.golden`, docs/rules.md#golden-records-survivorship), with the
//! record it came from.
//!
//! Values are the text the source holds (not the normalised form used for matching),
//! read in the same pass as the compared fields and kept in the linking state, so a
//! later `--previous` run chooses among all of a customer's records, old and new.
//!
//! Every rule skips blank values, then ranks the rest; a tie goes to the record with
//! the latest `by` timestamp (when the field has one), then to the first record in
//! canonical (dataset, key) order, so the choice never depends on row order.
//!
//! The file: `unified_id,records,<field>,<field>_source,...`, sorted by unified ID;
//! a source is `dataset:key`. Written to a temporary file and renamed.

use std::collections::HashMap;
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};

use super::records::Records;
use crate::error::Result;
use crate::rules::Survivorship;

/// One field of the golden record, as a run applies it.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub field: String,
    pub rule: Survivorship,
    /// Index of the field's value among the records' extra columns.
    pub value: usize,
    /// Index of the `by` timestamp among the extra columns.
    pub by: Option<usize>,
    /// `source_priority`: datasets, most trusted first.
    pub order: Vec<String>,
}

/// A timestamp in a common written form: RFC 3339 (compared in UTC), or digit groups
/// year, month, day and optionally hour, minute, second with any separators
/// (`2024-03-05 14:30:00`, `2024/3/5 14:30`, `2024年3月5日`, `20240305`,
/// `20240305143000`), full-width digits folded. `None` when it is not a valid time.
pub fn timestamp(text: &str) -> Option<NaiveDateTime> {
    let v: String = text
        .chars()
        .map(crate::validate::text::half_width)
        .collect();
    let v = v.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(v) {
        return Some(t.naive_utc());
    }
    let groups: Vec<&str> = v
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let num = |s: &str| s.parse::<u32>().ok();
    let parts: Vec<u32> = match groups.as_slice() {
        [d] if d.len() == 8 || d.len() == 14 => {
            let mut p = vec![num(&d[..4])?, num(&d[4..6])?, num(&d[6..8])?];
            if d.len() == 14 {
                p.extend([num(&d[8..10])?, num(&d[10..12])?, num(&d[12..14])?]);
            }
            p
        }
        [y, rest @ ..] if y.len() == 4 && (2..=6).contains(&rest.len()) => {
            // A seventh group (fractions of a second) is ignored.
            let mut p = vec![num(y)?];
            for g in rest.iter().take(5) {
                if g.len() > 2 {
                    return None;
                }
                p.push(num(g)?);
            }
            if p.len() < 3 {
                return None;
            }
            p
        }
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(parts[0] as i32, parts[1], parts[2])?;
    let at = |i: usize| parts.get(i).copied().unwrap_or(0);
    date.and_hms_opt(at(3), at(4), at(5))
}

/// The chosen value of one field among `members`: record index and value. `stamps`
/// are the records' parsed `by` timestamps (all `None` without `by`).
fn choose<'a>(
    records: &'a Records,
    members: &[u32],
    rule: &Rule,
    stamps: &[Option<NaiveDateTime>],
) -> Option<(usize, &'a str)> {
    // (record, value), blanks skipped, in canonical order.
    let held: Vec<(usize, &str)> = members
        .iter()
        .filter_map(|&i| {
            let v = records.extra[rule.value].get(i as usize)?;
            (!v.trim().is_empty()).then_some((i as usize, v))
        })
        .collect();
    // Higher rank wins; then the later stamp; then the earlier record.
    let best_by = |rank: &dyn Fn(usize, &str) -> i64| {
        held.iter().copied().max_by(|a, b| {
            rank(a.0, a.1)
                .cmp(&rank(b.0, b.1))
                .then_with(|| stamps[a.0].cmp(&stamps[b.0]))
                .then_with(|| b.0.cmp(&a.0))
        })
    };
    match rule.rule {
        Survivorship::MostFrequent => {
            let mut counts: HashMap<&str, i64> = HashMap::new();
            for &(_, v) in &held {
                *counts.entry(v.trim()).or_default() += 1;
            }
            best_by(&|_, v| counts[v.trim()])
        }
        Survivorship::MostRecent => best_by(&|_, _| 0),
        Survivorship::Longest => best_by(&|_, v| v.trim().chars().count() as i64),
        Survivorship::SourcePriority => {
            let n = rule.order.len() as i64;
            best_by(&|i, _| {
                let d = records.dataset_name(i);
                -(rule
                    .order
                    .iter()
                    .position(|x| x == d)
                    .map_or(n, |p| p as i64))
            })
        }
    }
}

/// Write the golden records of the clusters `ids` / `id_of` (per record, an index into
/// `ids`).
pub fn write(
    path: &Path,
    records: &Records,
    rules: &[Rule],
    ids: &[(String, u32)],
    id_of: &[u32],
) -> Result<()> {
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); ids.len()];
    for (i, &x) in id_of.iter().enumerate() {
        members[x as usize].push(i as u32);
    }
    let mut order: Vec<usize> = (0..ids.len()).filter(|&x| !members[x].is_empty()).collect();
    order.sort_by(|&a, &b| ids[a].0.cmp(&ids[b].0));
    // Every record's timestamp, parsed once per `by` column (fields may share one).
    let none = vec![None; records.len()];
    let mut parsed: HashMap<usize, Vec<Option<NaiveDateTime>>> = HashMap::new();
    for b in rules.iter().filter_map(|r| r.by) {
        parsed.entry(b).or_insert_with(|| {
            (0..records.len())
                .map(|i| records.extra[b].get(i).and_then(timestamp))
                .collect()
        });
    }
    let mut w = super::output::csv_writer(path)?;
    let mut header = vec!["unified_id".to_string(), "records".into()];
    for r in rules {
        header.push(r.field.clone());
        header.push(format!("{}_source", r.field));
    }
    let io = super::output::io(path);
    w.write_record(&header).map_err(&io)?;
    for x in order {
        let m = &members[x];
        let mut row = vec![ids[x].0.clone(), m.len().to_string()];
        for r in rules {
            let stamps = r.by.map_or(&none, |b| &parsed[&b]);
            match choose(records, m, r, stamps) {
                Some((i, v)) => {
                    row.push(v.to_string());
                    row.push(format!(
                        "{}:{}",
                        records.dataset_name(i),
                        super::output::cell(records.key(i))
                    ));
                }
                None => row.extend([String::new(), String::new()]),
            }
        }
        w.write_record(&row).map_err(&io)?;
    }
    super::output::finish(path, w)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Option<String> {
        timestamp(s).map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
    }

    #[test]
    fn timestamps_in_written_forms() {
        let cases = [
            ("2024-03-05 14:30:00", Some("2024-03-05 14:30:00")),
            ("2024-03-05T14:30:00.250", Some("2024-03-05 14:30:00")),
            ("2024-03-05T14:30:00+08:00", Some("2024-03-05 06:30:00")),
            ("2024/3/5 9:05", Some("2024-03-05 09:05:00")),
            ("2024年3月5日", Some("2024-03-05 00:00:00")),
            ("２０２４－０３－０５", Some("2024-03-05 00:00:00")),
            ("20240305", Some("2024-03-05 00:00:00")),
            ("20240305143000", Some("2024-03-05 14:30:00")),
            (" 2024-03-05 ", Some("2024-03-05 00:00:00")),
            ("2024-02-30", None),
            ("2024-03-05 25:00", None),
            ("05/03/2024", None),
            ("2024-03", None),
            ("yesterday", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(ts(text).as_deref(), want, "{text}");
        }
    }
}
