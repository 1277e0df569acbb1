//! Run history (`--history DIR`): each run's scores, column profile, check counts,
//! masked keys of failing rows and anomaly verdicts, one Parquet file per run
//! ([`store`], docs/history.md). A run is compared with the history before it is
//! stored: the drift against the previous run of each dataset ([`drift`]), the rule
//! files' anomaly declarations ([`anomaly`]), and `gate.max_drop` against the previous
//! overall score. `steward history` reads the store ([`view`]).
//!
//! Never a raw data value: keys are masked as samples are, extremes are the report's.

pub mod anomaly;
pub mod drift;
pub mod store;
pub mod view;

use std::path::Path;

use crate::error::Result;
use crate::report::Report;
use crate::report::compliance::{HistoryPoint, HistorySummary, ScoreChange};
use crate::report::history::AnomalyStatus;
use crate::rules::RuleSet;
use store::{StoredDataset, StoredRun};

/// Runs shown in a trend (this one included).
pub const TREND_RUNS: usize = 10;
/// Default bound on the failing-row keys kept per check and run (`--history-keys`).
pub const DEFAULT_KEYS: usize = 100;

/// The rule sets that apply to a dataset: its own and the nameless ones.
fn rules_for<'a>(
    rules: &'a RuleSet,
    dataset: &'a str,
) -> impl Iterator<Item = &'a crate::rules::DatasetRules> + 'a {
    rules
        .datasets
        .iter()
        .filter(move |r| r.name.as_deref() == Some(dataset) || r.name.is_none())
}

/// Compare this run with the history in `dir`: fill each dataset's drift and anomaly
/// verdicts, add a gate reason for every anomaly declared `gate: fail` that fired and for
/// every overall score that dropped more than its `gate.max_drop`; then store this run.
pub fn record(dir: &Path, report: &mut Report, rules: &RuleSet) -> Result<HistorySummary> {
    // Drift and anomalies need no failing keys of earlier runs.
    let previous = store::read_with(dir, false)?;
    let mut changes = Vec::new();
    let as_of = report.run.as_of.clone();
    for i in 0..report.datasets.len() {
        let name = report.datasets[i].name.clone();
        let earlier: Vec<&StoredRun> = previous
            .iter()
            .filter(|r| r.dataset(&name).is_some())
            .collect();
        let last = earlier.last().and_then(|r| Some((*r, r.dataset(&name)?)));
        let current = StoredDataset::of(&report.datasets[i], report.gate.passed);
        if let Some((run, d)) = last
            && d.detailed
        {
            report.datasets[i].drift = Some(drift::compare(run, d, &current));
        }
        let mut verdicts = Vec::new();
        for spec in rules_for(rules, &name).flat_map(|r| &r.anomalies) {
            let a = anomaly::evaluate(spec, &name, &earlier, &current, &as_of);
            if a.status == AnomalyStatus::Fail {
                report.gate.passed = false;
                report
                    .gate
                    .reasons
                    .push(format!("{name}: anomaly {}: {}", a.id, a.note));
            }
            verdicts.push(a);
        }
        report.datasets[i].anomalies = verdicts;

        let d = &report.datasets[i];
        let max_drop = rules_for(rules, &name).find_map(|r| r.gate.max_drop);
        let previous_score = last.and_then(|(_, l)| l.scores.overall);
        let delta = match (previous_score, d.scores.overall) {
            (Some(p), Some(c)) => Some(c - p),
            _ => None,
        };
        if let (Some(delta), Some(max), Some((run, _))) = (delta, max_drop, last)
            && -delta > max
        {
            report.gate.reasons.push(format!(
                "{}: overall dropped {:.2} points since the run at {} ({:.2} -> {:.2}), more than gate.max_drop {max}",
                d.name,
                -delta,
                run.started_at,
                previous_score.unwrap_or_default(),
                d.scores.overall.unwrap_or_default()
            ));
            report.gate.passed = false;
        }
        changes.push(ScoreChange {
            dataset: d.name.clone(),
            previous: previous_score,
            current: d.scores.overall,
            delta,
            max_drop,
        });
    }
    // Stored with the gate as it now stands (anomalies and max_drop included).
    let now = store::append(dir, StoredRun::of(report))?;

    let mut trend = Vec::new();
    for d in &report.datasets {
        let mut points: Vec<HistoryPoint> = previous
            .iter()
            .chain(std::iter::once(&now))
            .filter_map(|r| Some((r, r.dataset(&d.name)?)))
            .map(|(r, ds)| HistoryPoint {
                started_at: r.started_at.clone(),
                rules_sha256: r.rules_sha256.clone(),
                dataset: ds.name.clone(),
                overall: ds.scores.overall,
            })
            .collect();
        let skip = points.len().saturating_sub(TREND_RUNS);
        trend.extend(points.drain(skip..));
    }
    Ok(HistorySummary {
        previous_runs: previous.len() as u64,
        trend,
        changes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(at: &str, overall: f64) -> Report {
        let mut r = crate::report::test_support::report();
        r.gate = Default::default();
        r.gate.passed = true;
        r.datasets.truncate(1);
        r.run.started_at = at.into();
        r.datasets[0].scores.overall = Some(overall);
        r
    }

    #[test]
    fn runs_round_trip_and_a_drop_beyond_the_tolerance_fails_the_gate() {
        let dir = tempfile::tempdir().unwrap();
        let mut rules = RuleSet::default();
        rules.datasets.push(crate::rules::DatasetRules {
            name: Some("customers".into()),
            gate: crate::rules::GateSpec {
                max_drop: Some(2.0),
                ..Default::default()
            },
            ..Default::default()
        });
        let mut first = report("2026-11-01T10:00:00Z", 98.0);
        let h = record(dir.path(), &mut first, &rules).unwrap();
        assert_eq!(h.previous_runs, 0);
        assert!(first.gate.passed);
        let mut small = report("2026-11-02T10:00:00Z", 96.5);
        let h = record(dir.path(), &mut small, &rules).unwrap();
        assert!(small.gate.passed, "{:?}", small.gate);
        assert_eq!(h.previous_runs, 1);
        assert_eq!(h.trend.len(), 2);
        let mut big = report("2026-11-03T10:00:00Z", 94.0);
        let h = record(dir.path(), &mut big, &rules).unwrap();
        assert!(!big.gate.passed);
        assert!(
            big.gate.reasons[0].starts_with("customers: overall dropped 2.50 points"),
            "{:?}",
            big.gate.reasons
        );
        assert_eq!(h.changes[0].delta, Some(-2.5));
        let runs = store::read(dir.path()).unwrap();
        assert_eq!(runs.len(), 3);
        assert_eq!(runs[0].datasets[0].scores.overall, Some(98.0));
        assert_eq!(runs[2].started_at, "2026-11-03T10:00:00Z");
    }
}
