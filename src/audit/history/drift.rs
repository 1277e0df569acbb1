//! Drift: how a dataset changed since its previous recorded run. Columns added, removed
//! or read with another type, the row count, and per column the null rate, the distinct
//! estimate, the minimum, maximum and mean; per check the pass rate. Figures that did
//! not change are left out, so an empty drift means "the same as last time".

use std::collections::BTreeSet;

use super::store::{StoredDataset, StoredRun};
use crate::report::history::{Change, CheckDrift, ColumnDrift, Drift, Retyped, TextChange};

/// Null or blank values / rows; `None` for an empty dataset.
pub fn null_rate(d: &StoredDataset, column: &str) -> Option<f64> {
    let c = d.column(column)?;
    (d.rows > 0).then(|| (c.nulls + c.empty) as f64 / d.rows as f64)
}

fn change(previous: Option<f64>, current: Option<f64>) -> Option<Change> {
    match (previous, current) {
        (Some(p), Some(c)) if p != c => Some(Change::new(p, c)),
        _ => None,
    }
}

fn text_change(previous: &Option<String>, current: &Option<String>) -> Option<TextChange> {
    (previous != current).then(|| TextChange {
        previous: previous.clone(),
        current: current.clone(),
    })
}

/// `current` against `previous`, the dataset as recorded in the run `run`.
pub fn compare(run: &StoredRun, previous: &StoredDataset, current: &StoredDataset) -> Drift {
    let names = |d: &StoredDataset| -> BTreeSet<String> {
        d.columns.iter().map(|c| c.name.clone()).collect()
    };
    let (before, now) = (names(previous), names(current));
    let mut retyped = Vec::new();
    let mut columns = Vec::new();
    // In the current column order, so the drift reads like the report.
    for c in &current.columns {
        let Some(p) = previous.column(&c.name) else {
            continue;
        };
        if p.data_type != c.data_type {
            retyped.push(Retyped {
                column: c.name.clone(),
                previous: p.data_type.clone(),
                current: c.data_type.clone(),
            });
        }
        let d = ColumnDrift {
            name: c.name.clone(),
            null_rate: change(null_rate(previous, &c.name), null_rate(current, &c.name)),
            distinct: change(Some(p.distinct as f64), Some(c.distinct as f64)),
            // A retyped column's extremes are of different kinds: the type change says it.
            min: (p.data_type == c.data_type)
                .then(|| text_change(&p.min, &c.min))
                .flatten(),
            max: (p.data_type == c.data_type)
                .then(|| text_change(&p.max, &c.max))
                .flatten(),
            mean: change(p.mean, c.mean),
        };
        if d.null_rate.is_some()
            || d.distinct.is_some()
            || d.min.is_some()
            || d.max.is_some()
            || d.mean.is_some()
        {
            columns.push(d);
        }
    }
    let mut checks = Vec::new();
    let ids: BTreeSet<&str> = previous
        .checks
        .iter()
        .chain(&current.checks)
        .map(|c| c.id.as_str())
        .collect();
    for id in ids {
        let p = previous.check(id).map(|c| c.pass_rate());
        let c = current.check(id).map(|c| c.pass_rate());
        if p != c {
            checks.push(CheckDrift {
                id: id.to_string(),
                previous: p.flatten(),
                current: c.flatten(),
            });
        }
    }
    Drift {
        previous_run: run.run_id.clone(),
        previous_started_at: run.started_at.clone(),
        previous_as_of: run.as_of.clone(),
        rows: Change::new(previous.rows as f64, current.rows as f64),
        columns_added: now.difference(&before).cloned().collect(),
        columns_removed: before.difference(&now).cloned().collect(),
        columns_retyped: retyped,
        columns,
        checks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::history::store::{StoredCheck, StoredColumn};

    fn column(name: &str, t: &str, nulls: u64) -> StoredColumn {
        StoredColumn {
            name: name.into(),
            data_type: t.into(),
            nulls,
            distinct: 10,
            ..Default::default()
        }
    }

    #[test]
    fn added_removed_retyped_and_changed_figures_are_listed_and_the_rest_left_out() {
        let previous = StoredDataset {
            name: "people".into(),
            rows: 100,
            columns: vec![
                column("id", "Int64", 0),
                column("age", "Int64", 0),
                column("email", "Utf8", 5),
                column("fax", "Utf8", 0),
            ],
            checks: vec![StoredCheck {
                id: "people.email.format".into(),
                evaluated: 95,
                failed: 5,
                ..Default::default()
            }],
            ..Default::default()
        };
        let current = StoredDataset {
            name: "people".into(),
            rows: 50,
            columns: vec![
                column("id", "Int64", 0),
                column("age", "Utf8", 0),
                column("email", "Utf8", 10),
                column("city", "Utf8", 0),
            ],
            checks: vec![StoredCheck {
                id: "people.email.format".into(),
                evaluated: 40,
                failed: 0,
                ..Default::default()
            }],
            ..Default::default()
        };
        let run = StoredRun {
            run_id: "r1".into(),
            started_at: "2026-12-01T00:00:00Z".into(),
            as_of: "2026-12-01".into(),
            rules_sha256: String::new(),
            version: 2,
            datasets: vec![],
        };
        let d = compare(&run, &previous, &current);
        assert_eq!(d.rows.relative, Some(-0.5));
        assert_eq!(d.columns_added, ["city"]);
        assert_eq!(d.columns_removed, ["fax"]);
        assert_eq!(d.columns_retyped.len(), 1);
        assert_eq!(d.columns_retyped[0].column, "age");
        // email: 5 of 100 null before, 10 of 50 now: 0.05 -> 0.2. id's null rate stays 0.
        let email = d.columns.iter().find(|c| c.name == "email").unwrap();
        assert_eq!(email.null_rate.as_ref().map(|c| c.current), Some(0.2));
        assert!(d.columns.iter().all(|c| c.name != "id"));
        assert_eq!(d.checks[0].previous, Some(90.0 / 95.0));
        assert_eq!(d.checks[0].current, Some(1.0));
        assert!(!d.is_empty());
        assert!(compare(&run, &current, &current).is_empty());
    }
}
