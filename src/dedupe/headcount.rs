//! Records -> people, for the compliance report's headcounts: every input linked by the
//! rule files' `duplicates.fuzzy` (as `steward dedupe` with all inputs links them), and
//! per record whether it holds a value in one of its dataset's "flag" columns (the
//! sensitive columns, so people with sensitive personal information can be counted).
//!
//! Only cluster numbers and booleans leave this module; the values read for the flags
//! stay in the records, which are dropped here.

use std::collections::BTreeMap;

use super::{Golden, run};
use crate::error::Result;
use crate::source::{self, SourceOptions};

/// Every record of a linked run, as numbers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Linked {
    /// Dataset names, indexed by `dataset`.
    pub datasets: Vec<String>,
    /// Per record: its dataset, its cluster (the smallest member's index: records with
    /// the same number are one person) and whether a flag column of its dataset holds a
    /// value.
    pub dataset: Vec<u16>,
    pub cluster: Vec<u32>,
    pub flagged: Vec<bool>,
}

impl Linked {
    /// Distinct people among the records `keep` selects.
    pub fn people(&self, keep: impl Fn(usize) -> bool) -> u64 {
        let mut seen = vec![false; self.cluster.len()];
        let mut n = 0;
        for i in 0..self.cluster.len() {
            let c = self.cluster[i] as usize;
            if keep(i) && !seen[c] {
                seen[c] = true;
                n += 1;
            }
        }
        n
    }

    /// People, and people with a flagged record, among the records of `datasets`.
    pub fn count(&self, datasets: &[&str]) -> (u64, u64) {
        let idx: Vec<usize> = datasets
            .iter()
            .filter_map(|n| self.datasets.iter().position(|x| x == n))
            .collect();
        let mine = |i: usize| idx.contains(&(self.dataset[i] as usize));
        (
            self.people(mine),
            self.people(|i| mine(i) && self.flagged[i]),
        )
    }

    /// People with records in more than one dataset.
    pub fn in_several_datasets(&self) -> u64 {
        let mut first: Vec<Option<u16>> = vec![None; self.cluster.len()];
        let mut several = vec![false; self.cluster.len()];
        for i in 0..self.cluster.len() {
            let c = self.cluster[i] as usize;
            match first[c] {
                None => first[c] = Some(self.dataset[i]),
                Some(d) if d != self.dataset[i] => several[c] = true,
                Some(_) => {}
            }
        }
        several.iter().filter(|&&s| s).count() as u64
    }
}

/// Link every input. `flags` names, per dataset, the columns whose presence
/// [`Linked::flagged`] reports.
pub async fn link_all(
    data: &[String],
    rules: &[std::path::PathBuf],
    opts: &SourceOptions,
    flags: &BTreeMap<String, Vec<String>>,
) -> Result<Linked> {
    let set = crate::rules::load(rules)?;
    let mut inputs = source::expand(data, opts)?;
    let assigned = crate::rules::assign(&set, &mut inputs)?;
    let mut columns: Vec<String> = flags.values().flatten().cloned().collect();
    columns.sort();
    columns.dedup();
    let m = run(&inputs, &assigned, opts, Golden::Skip, &columns).await?;
    let first_flag = m.plan.extras.len() - columns.len();
    let records = &m.records;
    let mut flagged = Vec::with_capacity(records.len());
    for i in 0..records.len() {
        let name = &records.datasets[records.dataset[i] as usize];
        let own = flags.get(name);
        flagged.push(columns.iter().enumerate().any(|(k, c)| {
            own.is_some_and(|o| o.contains(c)) && records.extra[first_flag + k].get(i).is_some()
        }));
    }
    Ok(Linked {
        datasets: records.datasets.clone(),
        dataset: records.dataset.clone(),
        cluster: m.smallest.clone(),
        flagged,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_people_not_records() {
        // Records 0,1 one person (dataset 0 and 1), 2 alone, 3,4 one person in dataset 1.
        let l = Linked {
            datasets: vec!["a".into(), "b".into()],
            dataset: vec![0, 1, 0, 1, 1],
            cluster: vec![0, 0, 2, 3, 3],
            flagged: vec![false, true, false, false, true],
        };
        assert_eq!(l.people(|_| true), 3);
        assert_eq!(l.people(|i| l.dataset[i] == 1), 2);
        assert_eq!(l.people(|i| l.flagged[i]), 2);
        assert_eq!(l.in_several_datasets(), 1);
        assert_eq!(l.count(&["b"]), (2, 2));
        assert_eq!(l.count(&["a", "b"]), (3, 2));
        assert_eq!(l.count(&["a"]), (2, 0));
        assert_eq!(l.count(&["none"]), (0, 0));
    }
}
