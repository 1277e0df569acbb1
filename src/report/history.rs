//! What a run's history adds to a scan report, as plain data: the drift against the
//! previous run of the same dataset, the anomaly verdicts, and what the history store
//! keeps beside the report (means of numeric columns, masked keys of failing rows).
//!
//! Every figure is computed by its producer (`audit`); renderers only print it. Nothing
//! here holds a raw data value: column minimums and maximums are the report's (masked
//! for personal columns), keys are masked like samples.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How a number changed since the previous run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub previous: f64,
    pub current: f64,
    /// `current - previous`.
    pub delta: f64,
    /// `(current - previous) / |previous|`; null when `previous` is 0.
    pub relative: Option<f64>,
}

impl Change {
    pub fn new(previous: f64, current: f64) -> Change {
        Change {
            previous,
            current,
            delta: current - previous,
            relative: (previous != 0.0).then(|| (current - previous) / previous.abs()),
        }
    }

    pub fn changed(&self) -> bool {
        self.delta != 0.0
    }
}

/// A text figure (a column's type, smallest or largest value) that changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextChange {
    pub previous: Option<String>,
    pub current: Option<String>,
}

/// A dataset's drift against its previous recorded run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    /// The previous run's id (its history file stem) and times.
    pub previous_run: String,
    pub previous_started_at: String,
    pub previous_as_of: String,
    pub rows: Change,
    pub columns_added: Vec<String>,
    pub columns_removed: Vec<String>,
    /// Columns read with another type than in the previous run.
    pub columns_retyped: Vec<Retyped>,
    /// Columns whose profile changed, by name; unchanged columns are left out.
    pub columns: Vec<ColumnDrift>,
    /// Checks whose pass rate changed, by id; checks new or gone since are listed too.
    pub checks: Vec<CheckDrift>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Retyped {
    pub column: String,
    pub previous: String,
    pub current: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnDrift {
    pub name: String,
    /// Null or blank values / rows.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub null_rate: Option<Change>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub distinct: Option<Change>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub min: Option<TextChange>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub max: Option<TextChange>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub mean: Option<Change>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckDrift {
    pub id: String,
    /// Pass rates 0-1; null where the check did not run.
    pub previous: Option<f64>,
    pub current: Option<f64>,
}

impl Drift {
    /// Nothing changed but (maybe) unchanged figures.
    pub fn is_empty(&self) -> bool {
        !self.rows.changed()
            && self.columns_added.is_empty()
            && self.columns_removed.is_empty()
            && self.columns_retyped.is_empty()
            && self.columns.is_empty()
            && self.checks.is_empty()
    }
}

/// The verdict of one anomaly declaration on this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnomalyStatus {
    /// Within the band.
    Pass,
    /// Outside the band, `gate: warn`.
    Warn,
    /// Outside the band, `gate: fail`: the gate fails.
    Fail,
    /// Not enough history (or the metric is missing): no verdict yet.
    NoBaseline,
}

impl AnomalyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AnomalyStatus::Pass => "pass",
            AnomalyStatus::Warn => "warn",
            AnomalyStatus::Fail => "fail",
            AnomalyStatus::NoBaseline => "no_baseline",
        }
    }
}

/// One anomaly declaration evaluated against the history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Anomaly {
    /// `<dataset>.anomaly.<metric>.<method>`.
    pub id: String,
    /// `row_count`, `null_rate.email`, `pass_rate.<check id>`, ...
    pub metric: String,
    /// `relative`, `zscore` or `window`.
    pub method: String,
    pub status: AnomalyStatus,
    /// This run's value of the metric; null when the run lacks it.
    pub current: Option<f64>,
    /// What the history expects: the previous value, the mean of the last runs, or the
    /// baseline of the window that decided.
    pub expected: Option<f64>,
    /// The accepted band around `expected`, `[lower, upper]`.
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    /// The measured deviation: the relative change, or the z-score.
    pub deviation: Option<f64>,
    /// The threshold the deviation was held against (widened while history is short).
    pub threshold: Option<f64>,
    /// Previous runs of the dataset the verdict rests on.
    pub history_runs: u64,
    /// The band is wider than declared because the history is still short.
    pub short_history: bool,
    /// One line saying what was compared, for people.
    pub note: String,
}

/// What the history store keeps of a run beside its report. Not part of the report
/// JSON (`#[serde(skip)]` on [`crate::report::DatasetReport::observed`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observed {
    /// The mean of each numeric (non-personal) column, by name.
    pub means: BTreeMap<String, f64>,
    /// Per row-level check id: the masked keys of failing rows, the smallest first, at
    /// most the run's limit, and whether more rows failed.
    pub failing_keys: BTreeMap<String, FailingKeys>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FailingKeys {
    pub keys: Vec<String>,
    /// More rows failed than `keys` holds.
    pub truncated: bool,
}

impl Anomaly {
    /// `WARN  people.anomaly.row_count.relative: 50 against 100 ...`
    pub fn line(&self) -> String {
        format!(
            "{:<11} {}: {}",
            self.status.as_str().to_uppercase(),
            self.id,
            self.note
        )
    }
}

fn percent(c: &Change) -> String {
    c.relative
        .map(|r| format!(" ({:+.1} %)", r * 100.0))
        .unwrap_or_default()
}

fn rate(v: Option<f64>) -> String {
    v.map(|v| format!("{:.2} %", v * 100.0))
        .unwrap_or_else(|| "–".into())
}

impl Drift {
    /// The drift as short lines for people, the largest changes first: rows, columns
    /// added, removed and retyped, then per column and per check.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!(
            "rows {} -> {}{}",
            self.rows.previous,
            self.rows.current,
            percent(&self.rows)
        )];
        if !self.columns_added.is_empty() {
            out.push(format!("columns added: {}", self.columns_added.join(", ")));
        }
        if !self.columns_removed.is_empty() {
            out.push(format!(
                "columns removed: {}",
                self.columns_removed.join(", ")
            ));
        }
        for r in &self.columns_retyped {
            out.push(format!(
                "column {} retyped: {} -> {}",
                r.column, r.previous, r.current
            ));
        }
        for c in &self.columns {
            let mut parts = Vec::new();
            if let Some(n) = &c.null_rate {
                parts.push(format!(
                    "null rate {} -> {}",
                    rate(Some(n.previous)),
                    rate(Some(n.current))
                ));
            }
            if let Some(d) = &c.distinct {
                parts.push(format!(
                    "distinct {} -> {}{}",
                    d.previous,
                    d.current,
                    percent(d)
                ));
            }
            let text = |t: &Option<String>| t.clone().unwrap_or_else(|| "–".into());
            if let Some(m) = &c.min {
                parts.push(format!("min {} -> {}", text(&m.previous), text(&m.current)));
            }
            if let Some(m) = &c.max {
                parts.push(format!("max {} -> {}", text(&m.previous), text(&m.current)));
            }
            if let Some(m) = &c.mean {
                parts.push(format!(
                    "mean {:.4} -> {:.4}{}",
                    m.previous,
                    m.current,
                    percent(m)
                ));
            }
            out.push(format!("column {}: {}", c.name, parts.join(", ")));
        }
        for c in &self.checks {
            out.push(format!(
                "check {}: pass rate {} -> {}",
                c.id,
                rate(c.previous),
                rate(c.current)
            ));
        }
        out
    }
}

// ---- `steward history` -----------------------------------------------------------

/// What `steward history` shows: per dataset its runs, the trend of each check, the
/// last run's drift and anomalies; optionally the diff of two runs. Built by
/// `audit::history::view` from the store; renderers only print it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryView {
    pub schema_version: u32,
    /// Runs in the store (all datasets).
    pub runs_total: u64,
    /// What `--retain` did, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compaction: Option<Compaction>,
    pub datasets: Vec<DatasetHistory>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<RunDiff>,
}

/// What a compaction (`--retain`) did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Compaction {
    pub retain: String,
    pub runs_before: u64,
    pub runs_kept: u64,
    pub files_before: u64,
    pub files_after: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatasetHistory {
    pub name: String,
    /// Runs of this dataset in the store; `runs` holds the last of them.
    pub runs_total: u64,
    pub runs: Vec<RunPoint>,
    /// Per check, its pass rate and failed rows in each of `runs` (null: not run then).
    pub checks: Vec<CheckTrend>,
    /// The last run against the one before it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drift: Option<Drift>,
    /// The last run's anomaly verdicts.
    pub anomalies: Vec<Anomaly>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunPoint {
    /// 1 = the oldest run in the store.
    pub number: u64,
    pub run_id: String,
    pub started_at: String,
    pub as_of: String,
    pub rows: u64,
    pub scores: super::Scores,
    pub gate_passed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckTrend {
    pub id: String,
    pub dimension: String,
    pub pass_rate: Vec<Option<f64>>,
    pub failed: Vec<Option<u64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunRef {
    pub number: u64,
    pub run_id: String,
    pub started_at: String,
    pub as_of: String,
}

/// Failing rows of two runs compared by their masked keys.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunDiff {
    pub from: RunRef,
    pub to: RunRef,
    pub datasets: Vec<DatasetDiff>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatasetDiff {
    pub name: String,
    pub checks: Vec<CheckDiff>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckDiff {
    pub id: String,
    /// Failed rows in each run; null where the check did not run.
    pub failed_from: Option<u64>,
    pub failed_to: Option<u64>,
    /// Failing in `to`, not in `from`.
    pub new_failures: Vec<String>,
    /// Failing in `from`, not in `to`.
    pub fixed: Vec<String>,
    pub still_failing: Vec<String>,
    /// A run kept only some of its failing keys (`--history-keys`), or none (a check
    /// without a key): the lists are incomplete.
    pub partial: bool,
}
