//! Stable unified IDs: after a run links new or changed records into the clusters of an
//! earlier run, which cluster keeps which ID, and what changed.
//!
//! Every record that was in the earlier run (changed or not) carries the ID it had.
//! Each new cluster (connected component of the matched pairs) may hold records of
//! several earlier IDs, and an earlier ID's records may now be in several clusters. IDs
//! are handed out greedily over (cluster, earlier ID) pairs, in this order:
//!
//! 1. more of the ID's records in the cluster first (a cluster keeps the ID most of
//!    its records had; of a split ID, the largest part keeps it);
//! 2. then the older ID (created in an earlier run);
//! 3. then the smaller ID text, then the cluster whose first record (canonical
//!    dataset, key order) comes first.
//!
//! Each cluster gets at most one earlier ID and each earlier ID at most one cluster.
//! A cluster left without one gets a new ID derived from its first record, as a full
//! run derives it ([`super::cluster::unified_id`]); if that ID is taken, a counter is
//! hashed in. So a cluster the delta does not touch keeps its ID byte for byte, and
//! the same inputs always give the same IDs.
//!
//! Changes, one row per (kind, earlier ID, new ID):
//! - `created`: a cluster of new records only got a new ID;
//! - `merged`: an earlier ID lost all its records to clusters with other IDs (a new
//!   record bridged two customers): earlier ID -> the ID that absorbed them;
//! - `split`: an earlier ID kept some of its records and some went to another
//!   cluster (a changed or removed record was the link): earlier ID -> that cluster's ID;
//! - `retired`: every record of an earlier ID was removed.

use std::collections::{HashMap, HashSet};

use super::cluster::unified_id;

/// Which change a row of the changes file records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    Merged,
    Split,
    Retired,
    Created,
}

impl ChangeKind {
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::Merged => "merged",
            ChangeKind::Split => "split",
            ChangeKind::Retired => "retired",
            ChangeKind::Created => "created",
        }
    }
}

/// A pair of records that explains a change: (dataset, key) of each, the match
/// probability, and why it matters.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub a: (String, String),
    pub b: (String, String),
    pub probability: f64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub kind: ChangeKind,
    pub old_id: Option<String>,
    pub new_id: Option<String>,
    /// Records the change moved (for `created`: the new cluster's size; for `retired`:
    /// the records removed).
    pub records: u64,
    pub evidence: Option<Evidence>,
}

/// What the earlier run knew.
pub struct Earlier<'a> {
    /// The earlier IDs and the run that created each.
    pub ids: &'a [(String, u32)],
    /// Per earlier ID, how many records it had.
    pub sizes: &'a [u64],
    /// Per earlier ID, the strongest matched pair of that cluster that no longer holds
    /// (an end was changed or removed), for the evidence of a split.
    pub broken: &'a HashMap<u32, Evidence>,
}

/// The IDs of this run.
pub struct Assignment {
    /// The IDs in use and the run that created each.
    pub ids: Vec<(String, u32)>,
    /// Per record: index into `ids`.
    pub id_of: Vec<u32>,
    pub changes: Vec<Change>,
}

/// Assign IDs to the clusters of this run (`smallest`: per record, its cluster's first
/// record) given each record's earlier ID (`old`: index into `earlier.ids`). `run` is
/// this run's number; `name(i)` is record i's (dataset, key); `edges` are this run's
/// matched pairs.
pub fn assign(
    smallest: &[u32],
    old: &[Option<u32>],
    earlier: &Earlier<'_>,
    run: u32,
    name: &dyn Fn(usize) -> (String, String),
    edges: &[(u32, u32, f64)],
) -> Assignment {
    let n = smallest.len();
    // (cluster, earlier ID) -> records.
    let mut counts: HashMap<(u32, u32), u64> = HashMap::new();
    for i in 0..n {
        if let Some(x) = old[i] {
            *counts.entry((smallest[i], x)).or_default() += 1;
        }
    }
    let mut candidates: Vec<((u32, u32), u64)> = counts.iter().map(|(&k, &v)| (k, v)).collect();
    candidates.sort_by(|&((ca, xa), na), &((cb, xb), nb)| {
        nb.cmp(&na)
            .then(earlier.ids[xa as usize].1.cmp(&earlier.ids[xb as usize].1))
            .then(earlier.ids[xa as usize].0.cmp(&earlier.ids[xb as usize].0))
            .then(ca.cmp(&cb))
    });
    // cluster -> earlier ID kept.
    let mut kept: HashMap<u32, u32> = HashMap::new();
    let mut given: HashMap<u32, u32> = HashMap::new();
    for &((c, x), _) in &candidates {
        if kept.contains_key(&c) || given.contains_key(&x) {
            continue;
        }
        kept.insert(c, x);
        given.insert(x, c);
    }
    // IDs: the kept earlier IDs first, in earlier order, then new ones by cluster.
    let mut taken: HashSet<&str> = earlier.ids.iter().map(|(s, _)| s.as_str()).collect();
    let mut out_ids: Vec<(String, u32)> = Vec::new();
    let mut id_of_cluster: HashMap<u32, u32> = HashMap::new();
    let mut kept_list: Vec<(u32, u32)> = kept.iter().map(|(&c, &x)| (x, c)).collect();
    kept_list.sort_unstable();
    for (x, c) in kept_list {
        id_of_cluster.insert(c, out_ids.len() as u32);
        out_ids.push(earlier.ids[x as usize].clone());
    }
    let mut fresh_names: HashSet<String> = HashSet::new();
    let mut created: Vec<(u32, u32)> = Vec::new();
    for i in 0..n as u32 {
        let c = smallest[i as usize];
        if c != i || id_of_cluster.contains_key(&c) {
            continue;
        }
        let (dataset, key) = name(c as usize);
        let mut id = unified_id(&dataset, &key);
        let mut k = 1u32;
        while taken.contains(id.as_str()) || fresh_names.contains(&id) {
            id = unified_id(&dataset, &format!("{key}\u{1f}{k}"));
            k += 1;
        }
        fresh_names.insert(id.clone());
        id_of_cluster.insert(c, out_ids.len() as u32);
        created.push((c, out_ids.len() as u32));
        out_ids.push((id, run));
    }
    taken.clear();
    let id_of: Vec<u32> = smallest.iter().map(|c| id_of_cluster[c]).collect();

    // The strongest pair of each cluster joining an earlier ID's records to the others.
    let mut bridge: HashMap<(u32, u32), (u32, u32, f64)> = HashMap::new();
    for &(i, j, p) in edges {
        let (xi, xj) = (old[i as usize], old[j as usize]);
        if xi == xj {
            continue;
        }
        let c = smallest[i as usize];
        for x in [xi, xj].into_iter().flatten() {
            let e = bridge.entry((c, x)).or_insert((i, j, p));
            if p > e.2 {
                *e = (i, j, p);
            }
        }
    }
    let evidence = |c: u32, x: u32, why: String| {
        bridge.get(&(c, x)).map(|&(i, j, p)| Evidence {
            a: name(i as usize),
            b: name(j as usize),
            probability: p,
            reason: why,
        })
    };

    let mut changes = Vec::new();
    let mut size_of_cluster: HashMap<u32, u64> = HashMap::new();
    for &c in smallest {
        *size_of_cluster.entry(c).or_default() += 1;
    }
    let with_earlier: HashSet<u32> = counts.keys().map(|&(c, _)| c).collect();
    for (c, idx) in created {
        // A cluster with records of an earlier ID is a split part, reported below.
        if with_earlier.contains(&c) {
            continue;
        }
        changes.push(Change {
            kind: ChangeKind::Created,
            old_id: None,
            new_id: Some(out_ids[idx as usize].0.clone()),
            records: size_of_cluster[&c],
            evidence: None,
        });
    }
    let mut by_earlier: Vec<((u32, u32), u64)> = candidates;
    by_earlier.sort_unstable_by_key(|&((c, x), _)| (x, c));
    let mut present = vec![false; earlier.ids.len()];
    for &((c, x), records) in &by_earlier {
        present[x as usize] = true;
        if given.get(&x) == Some(&c) {
            continue;
        }
        let old_id = earlier.ids[x as usize].0.clone();
        let new_id = out_ids[id_of_cluster[&c] as usize].0.clone();
        let (kind, evidence) = if given.contains_key(&x) {
            let ev = earlier.broken.get(&x).cloned().or_else(|| {
                evidence(
                    c,
                    x,
                    format!("these records now match {new_id} better than {old_id}"),
                )
            });
            (ChangeKind::Split, ev)
        } else {
            (
                ChangeKind::Merged,
                evidence(c, x, format!("this pair joins {old_id} to {new_id}")),
            )
        };
        changes.push(Change {
            kind,
            old_id: Some(old_id),
            new_id: Some(new_id),
            records,
            evidence,
        });
    }
    for (x, (id, _)) in earlier.ids.iter().enumerate() {
        if !present[x] {
            changes.push(Change {
                kind: ChangeKind::Retired,
                old_id: Some(id.clone()),
                new_id: None,
                records: earlier.sizes[x],
                evidence: None,
            });
        }
    }
    changes.sort_by(|a, b| (a.kind, &a.old_id, &a.new_id).cmp(&(b.kind, &b.old_id, &b.new_id)));
    Assignment {
        ids: out_ids,
        id_of,
        changes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedupe::cluster::components;

    fn names(i: usize) -> (String, String) {
        ("crm".to_string(), format!("C{i}"))
    }

    fn run(n: usize, edges: &[(u32, u32)], old: &[Option<u32>], ids: &[(&str, u32)]) -> Assignment {
        let smallest = components(n, edges.iter().copied());
        let ids: Vec<(String, u32)> = ids.iter().map(|(s, r)| (s.to_string(), *r)).collect();
        let mut sizes = vec![0u64; ids.len()];
        for x in old.iter().flatten() {
            sizes[*x as usize] += 1;
        }
        let broken = HashMap::new();
        let e: Vec<(u32, u32, f64)> = edges.iter().map(|&(i, j)| (i, j, 0.99)).collect();
        assign(
            &smallest,
            old,
            &Earlier {
                ids: &ids,
                sizes: &sizes,
                broken: &broken,
            },
            2,
            &names,
            &e,
        )
    }

    fn id(a: &Assignment, i: usize) -> &str {
        &a.ids[a.id_of[i] as usize].0
    }

    #[test]
    fn untouched_clusters_keep_their_ids_and_new_records_join() {
        // 0-1 was cluster A, 2 was B; 3 is new and matches 2; 4 is new alone.
        let a = run(
            5,
            &[(0, 1), (2, 3)],
            &[Some(0), Some(0), Some(1), None, None],
            &[("UA", 1), ("UB", 1)],
        );
        assert_eq!(
            [id(&a, 0), id(&a, 1), id(&a, 2), id(&a, 3)],
            ["UA", "UA", "UB", "UB"]
        );
        assert_eq!(id(&a, 4), unified_id("crm", "C4"));
        assert_eq!(a.changes.len(), 1);
        assert_eq!(a.changes[0].kind, ChangeKind::Created);
    }

    #[test]
    fn a_bridge_merges_into_the_larger_then_older_cluster() {
        // A = {0, 1} (run 2), B = {2} (run 1); 3 bridges 1 and 2.
        let a = run(
            4,
            &[(0, 1), (1, 3), (2, 3)],
            &[Some(0), Some(0), Some(1), None],
            &[("UA", 2), ("UB", 1)],
        );
        assert!((0..4).all(|i| id(&a, i) == "UA"));
        assert_eq!(a.changes.len(), 1);
        let c = &a.changes[0];
        assert_eq!(c.kind, ChangeKind::Merged);
        assert_eq!(
            (c.old_id.as_deref(), c.new_id.as_deref()),
            (Some("UB"), Some("UA"))
        );
        assert_eq!(c.records, 1);
        let ev = c.evidence.as_ref().unwrap();
        assert_eq!((ev.a.1.as_str(), ev.b.1.as_str()), ("C2", "C3"));

        // Equal sizes: the older ID survives.
        let a = run(
            3,
            &[(0, 2), (1, 2)],
            &[Some(0), Some(1), None],
            &[("UA", 2), ("UB", 1)],
        );
        assert_eq!(id(&a, 0), "UB");
    }

    #[test]
    fn a_split_keeps_the_id_on_the_larger_part() {
        // A = {0, 1, 2, 3} before; now {0, 1, 2} and {3}.
        let a = run(
            4,
            &[(0, 1), (1, 2)],
            &[Some(0), Some(0), Some(0), Some(0)],
            &[("UA", 1)],
        );
        assert_eq!(id(&a, 0), "UA");
        assert_eq!(id(&a, 3), unified_id("crm", "C3"));
        assert_eq!(a.changes.len(), 1);
        assert_eq!(a.changes[0].kind, ChangeKind::Split);
        assert_eq!(a.changes[0].records, 1);
    }

    #[test]
    fn retired_ids_are_reported_and_new_ids_never_reuse_a_taken_one() {
        // Old: UA = {gone}, and a cluster whose derived ID would be that of C0.
        let taken = unified_id("crm", "C0");
        let a = run(1, &[], &[None], &[("UA", 1), (taken.as_str(), 1)]);
        assert_ne!(id(&a, 0), taken);
        assert!(a.changes.iter().any(|c| c.kind == ChangeKind::Retired));
    }
}
