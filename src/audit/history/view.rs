//! `steward history`: the store read into a [`HistoryView`] (runs, trends, the last
//! run's drift and anomalies, the diff of two runs). Renderers print the view.

use std::collections::{BTreeMap, BTreeSet};

use super::drift;
use super::store::StoredRun;
use crate::error::{Error, Result, did_you_mean};
use crate::report::history::{
    CheckDiff, CheckTrend, DatasetDiff, DatasetHistory, HistoryView, RunDiff, RunPoint, RunRef,
};

/// What to show.
#[derive(Debug, Clone, Default)]
pub struct ViewOptions {
    pub dataset: Option<String>,
    pub check: Option<String>,
    /// Two run references: a run number (as shown), a run id or a unique prefix of one,
    /// `latest`, or `latest~N`.
    pub diff: Option<(String, String)>,
    /// Runs per dataset shown (the last ones).
    pub last: usize,
}

fn reference(runs: &[StoredRun], at: usize) -> RunRef {
    RunRef {
        number: at as u64 + 1,
        run_id: runs[at].run_id.clone(),
        started_at: runs[at].started_at.clone(),
        as_of: runs[at].as_of.clone(),
    }
}

/// Resolve a run reference to its index in `runs`.
pub fn resolve(runs: &[StoredRun], text: &str) -> Result<usize> {
    let t = text.trim();
    let bad = |why: String| Error::Usage(format!("--diff: run '{t}' {why}"));
    if runs.is_empty() {
        return Err(bad("cannot be found: the history has no runs".into()));
    }
    if let Some(back) = t.strip_prefix("latest") {
        let n = match back.strip_prefix('~') {
            None if back.is_empty() => 0,
            Some(n) => n
                .parse::<usize>()
                .map_err(|_| bad("is not latest~N with N a number".into()))?,
            None => return Err(bad("is not latest or latest~N".into())),
        };
        return runs
            .len()
            .checked_sub(n + 1)
            .ok_or_else(|| bad(format!("is before the first of {} runs", runs.len())));
    }
    if !t.is_empty() && t.len() <= 6 && t.bytes().all(|b| b.is_ascii_digit()) {
        let n: usize = t.parse().unwrap_or(0);
        return if (1..=runs.len()).contains(&n) {
            Ok(n - 1)
        } else {
            Err(bad(format!("is not a run number from 1 to {}", runs.len())))
        };
    }
    let hits: Vec<usize> = (0..runs.len())
        .filter(|&i| runs[i].run_id.starts_with(t))
        .collect();
    match hits[..] {
        [one] => Ok(one),
        [] => Err(bad(
            "matches no run id; `steward history DIR` lists them (or use a run number, latest, latest~1)"
                .into(),
        )),
        _ => Err(bad(format!(
            "matches {} runs; give more of the id",
            hits.len()
        ))),
    }
}

/// Build the view of `runs` (oldest first).
pub fn build(runs: &[StoredRun], opts: &ViewOptions) -> Result<HistoryView> {
    let mut names: BTreeSet<&str> = BTreeSet::new();
    for r in runs {
        names.extend(r.datasets.iter().map(|d| d.name.as_str()));
    }
    if let Some(want) = &opts.dataset
        && !names.contains(want.as_str())
    {
        let help = did_you_mean(want, names.iter().copied())
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        return Err(Error::Usage(format!(
            "--dataset: no dataset '{want}' in the history{help}; it has: {}",
            names.iter().copied().collect::<Vec<_>>().join(", ")
        )));
    }
    let shown: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| opts.dataset.as_deref().is_none_or(|w| w == *n))
        .collect();
    if let Some(want) = &opts.check {
        let ids: BTreeSet<&str> = runs
            .iter()
            .flat_map(|r| &r.datasets)
            .filter(|d| shown.contains(&d.name.as_str()))
            .flat_map(|d| d.checks.iter().map(|c| c.id.as_str()))
            .collect();
        if !ids.contains(want.as_str()) {
            let help = did_you_mean(want, ids.iter().copied())
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            return Err(Error::Usage(format!(
                "--check: no check '{want}' in the history{help}"
            )));
        }
    }
    let check_shown = |id: &str| opts.check.as_deref().is_none_or(|w| w == id);

    let mut datasets = Vec::new();
    for name in &shown {
        let of: Vec<usize> = (0..runs.len())
            .filter(|&i| runs[i].dataset(name).is_some())
            .collect();
        let last = &of[of.len().saturating_sub(opts.last.max(1))..];
        let points: Vec<RunPoint> = last
            .iter()
            .map(|&i| {
                let d = runs[i].dataset(name).expect("filtered above");
                RunPoint {
                    number: i as u64 + 1,
                    run_id: runs[i].run_id.clone(),
                    started_at: runs[i].started_at.clone(),
                    as_of: runs[i].as_of.clone(),
                    rows: d.rows,
                    scores: d.scores.clone(),
                    gate_passed: d.gate_passed,
                }
            })
            .collect();
        // Checks in order of first appearance, then by id.
        let mut ids: BTreeMap<&str, &str> = BTreeMap::new();
        for &i in last {
            for c in &runs[i].dataset(name).expect("filtered above").checks {
                ids.entry(&c.id).or_insert(&c.dimension);
            }
        }
        let checks = ids
            .into_iter()
            .filter(|(id, _)| check_shown(id))
            .map(|(id, dimension)| {
                let at = |i: usize| runs[i].dataset(name).and_then(|d| d.check(id));
                CheckTrend {
                    id: id.to_string(),
                    dimension: dimension.to_string(),
                    pass_rate: last
                        .iter()
                        .map(|&i| at(i).and_then(|c| c.pass_rate()))
                        .collect(),
                    failed: last.iter().map(|&i| at(i).map(|c| c.failed)).collect(),
                }
            })
            .collect();
        let (drift, anomalies) = match of[..] {
            [.., a, b] => {
                let (pa, pb) = (runs[a].dataset(name), runs[b].dataset(name));
                let drift = match (pa, pb) {
                    (Some(p), Some(c)) if p.detailed && c.detailed => {
                        Some(drift::compare(&runs[a], p, c))
                    }
                    _ => None,
                };
                (drift, pb.map(|d| d.anomalies.clone()).unwrap_or_default())
            }
            [b] => (
                None,
                runs[b]
                    .dataset(name)
                    .map(|d| d.anomalies.clone())
                    .unwrap_or_default(),
            ),
            [] => (None, Vec::new()),
        };
        datasets.push(DatasetHistory {
            name: name.to_string(),
            runs_total: of.len() as u64,
            runs: points,
            checks,
            drift,
            anomalies,
        });
    }

    let diff = match &opts.diff {
        None => None,
        Some((a, b)) => {
            let (a, b) = (resolve(runs, a)?, resolve(runs, b)?);
            let mut out = Vec::new();
            for name in &shown {
                let (da, db) = (runs[a].dataset(name), runs[b].dataset(name));
                if da.is_none() && db.is_none() {
                    continue;
                }
                let ids: BTreeSet<&str> = da
                    .iter()
                    .chain(db.iter())
                    .flat_map(|d| d.checks.iter().map(|c| c.id.as_str()))
                    .filter(|id| check_shown(id))
                    .collect();
                let mut checks = Vec::new();
                for id in ids {
                    let ca = da.and_then(|d| d.check(id));
                    let cb = db.and_then(|d| d.check(id));
                    let keys = |c: Option<&super::store::StoredCheck>| -> BTreeSet<String> {
                        c.map(|c| c.keys.iter().cloned().collect())
                            .unwrap_or_default()
                    };
                    let (ka, kb) = (keys(ca), keys(cb));
                    let partial = [ca, cb]
                        .iter()
                        .flatten()
                        .any(|c| c.failed > 0 && (!c.keys_kept || c.keys_truncated));
                    let failed = |c: Option<&super::store::StoredCheck>| c.map(|c| c.failed);
                    if failed(ca).unwrap_or(0) == 0 && failed(cb).unwrap_or(0) == 0 {
                        continue;
                    }
                    checks.push(CheckDiff {
                        id: id.to_string(),
                        failed_from: failed(ca),
                        failed_to: failed(cb),
                        new_failures: kb.difference(&ka).cloned().collect(),
                        fixed: ka.difference(&kb).cloned().collect(),
                        still_failing: ka.intersection(&kb).cloned().collect(),
                        partial,
                    });
                }
                out.push(DatasetDiff {
                    name: name.to_string(),
                    checks,
                });
            }
            Some(RunDiff {
                from: reference(runs, a),
                to: reference(runs, b),
                datasets: out,
            })
        }
    };
    Ok(HistoryView {
        schema_version: 1,
        runs_total: runs.len() as u64,
        compaction: None,
        datasets,
        diff,
    })
}
