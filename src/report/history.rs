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
