//! The optional `anomalies:` declarations of a rule file: which metric of a dataset is
//! watched over its run history (`--history DIR`), by which method, and whether an
//! anomaly warns or fails the gate.
//!
//! Only the declaration is validated here (names, thresholds, that a column or check is
//! given where the metric needs one). Whether the column exists is the scan's business;
//! the methods themselves live in `audit::anomaly`.

use serde_saphyr::Spanned;

use super::Ctx;
use super::raw::RawAnomaly;
use crate::error::{Origin, did_you_mean};

/// The metrics an anomaly can watch.
pub const METRICS: [&str; 5] = ["row_count", "null_rate", "distinct", "pass_rate", "mean"];
/// The detection methods.
pub const METHODS: [&str; 3] = ["relative", "zscore", "window"];

/// Default `max_change` of `relative` and `window` (a fraction: 0.5 = 50 %).
pub const DEFAULT_MAX_CHANGE: f64 = 0.5;
/// Default `max_z` of `zscore`.
pub const DEFAULT_MAX_Z: f64 = 3.0;
/// Default `runs` of `zscore`: the previous runs the mean and deviation come from.
pub const DEFAULT_RUNS: usize = 30;
/// Default `windows` of `window` (days back by as-of date, as DataWorks' day, week and
/// month fluctuation rules).
pub const DEFAULT_WINDOWS: [u32; 3] = [1, 7, 30];

/// A watched metric of one dataset.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Metric {
    RowCount,
    /// Nulls and blanks / rows of a column.
    NullRate(String),
    /// The approximate distinct count of a column.
    Distinct(String),
    /// A check's passed / evaluated (the check's id as reported).
    PassRate(String),
    /// The mean of a numeric column.
    Mean(String),
}

impl Metric {
    /// `row_count`, `null_rate.email`, `pass_rate.customers.mobile.format`.
    pub fn id(&self) -> String {
        match self {
            Metric::RowCount => "row_count".into(),
            Metric::NullRate(c) => format!("null_rate.{c}"),
            Metric::Distinct(c) => format!("distinct.{c}"),
            Metric::PassRate(c) => format!("pass_rate.{c}"),
            Metric::Mean(c) => format!("mean.{c}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Method {
    /// `|current - previous| / |previous|` over `max_change`.
    Relative { max_change: f64 },
    /// `|current - mean| / sd` of the last `runs` runs over `max_z`.
    ZScore { runs: usize, max_z: f64 },
    /// The relative change to the run 1, 7, 30 ... days before by as-of date.
    Window { days: Vec<u32>, max_change: f64 },
}

impl Method {
    pub fn name(&self) -> &'static str {
        match self {
            Method::Relative { .. } => "relative",
            Method::ZScore { .. } => "zscore",
            Method::Window { .. } => "window",
        }
    }
}

/// One anomaly declaration, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct AnomalySpec {
    pub metric: Metric,
    pub method: Method,
    /// An anomaly fails the gate (`gate: fail`) or only warns (`gate: warn`, default).
    pub fail: bool,
    pub origin: Origin,
}

impl AnomalySpec {
    /// `<dataset>.anomaly.<metric id>.<method>`: stable run after run.
    pub fn id(&self, dataset: &str) -> String {
        format!(
            "{dataset}.anomaly.{}.{}",
            self.metric.id(),
            self.method.name()
        )
    }
}

pub(super) fn validate(cx: &mut Ctx<'_>, raw: &Spanned<RawAnomaly>) -> Option<AnomalySpec> {
    let a = &raw.value;
    let target = |cx: &mut Ctx<'_>, field: &Option<Spanned<String>>, what: &str| match field {
        Some(f) if !f.value.trim().is_empty() => Some(f.value.clone()),
        _ => {
            cx.error(
                &a.metric,
                format!("metric '{}' needs `{what}:`", a.metric.value),
                None,
            );
            None
        }
    };
    let unused = |cx: &mut Ctx<'_>, field: &Option<Spanned<String>>, what: &str| {
        if let Some(f) = field {
            cx.error(
                f,
                format!("`{what}:` does not apply to metric '{}'", a.metric.value),
                None,
            );
        }
    };
    let metric = match a.metric.value.as_str() {
        "row_count" => {
            unused(cx, &a.column, "column");
            unused(cx, &a.check, "check");
            Some(Metric::RowCount)
        }
        "null_rate" | "distinct" | "mean" => {
            unused(cx, &a.check, "check");
            target(cx, &a.column, "column").map(|c| match a.metric.value.as_str() {
                "null_rate" => Metric::NullRate(c),
                "distinct" => Metric::Distinct(c),
                _ => Metric::Mean(c),
            })
        }
        "pass_rate" => {
            unused(cx, &a.column, "column");
            target(cx, &a.check, "check").map(Metric::PassRate)
        }
        other => {
            let help = did_you_mean(other, METRICS);
            cx.error(
                &a.metric,
                format!(
                    "unknown anomaly metric '{other}'; expected one of {}",
                    METRICS.join(", ")
                ),
                help,
            );
            None
        }
    };
    let positive = |cx: &mut Ctx<'_>, v: &Option<Spanned<f64>>, name: &str, default: f64| match v {
        None => default,
        Some(v) if v.value.is_finite() && v.value > 0.0 => v.value,
        Some(v) => {
            cx.error(
                v,
                format!("{name} {} is not allowed; expected a number > 0", v.value),
                None,
            );
            default
        }
    };
    let not_for = |cx: &mut Ctx<'_>, method: &str| {
        let allowed: &[&str] = match method {
            "relative" => &["max_change"],
            "zscore" => &["max_z", "runs"],
            _ => &["max_change", "windows"],
        };
        let message = |name: &str| {
            format!(
                "`{name}:` does not apply to method '{method}'; it takes {}",
                allowed.join(", ")
            )
        };
        if let Some(v) = &a.max_change
            && !allowed.contains(&"max_change")
        {
            cx.error(v, message("max_change"), None);
        }
        if let Some(v) = &a.max_z
            && !allowed.contains(&"max_z")
        {
            cx.error(v, message("max_z"), None);
        }
        if let Some(v) = &a.runs
            && !allowed.contains(&"runs")
        {
            cx.error(v, message("runs"), None);
        }
        if let Some(v) = &a.windows
            && !allowed.contains(&"windows")
        {
            cx.error(v, message("windows"), None);
        }
    };
    let method = match a.method.value.as_str() {
        "relative" => {
            not_for(cx, "relative");
            Some(Method::Relative {
                max_change: positive(cx, &a.max_change, "max_change", DEFAULT_MAX_CHANGE),
            })
        }
        "zscore" => {
            not_for(cx, "zscore");
            let runs = match &a.runs {
                None => DEFAULT_RUNS,
                Some(r) if r.value >= 2 => r.value as usize,
                Some(r) => {
                    cx.error(
                        r,
                        format!("runs {} is too few; expected at least 2", r.value),
                        None,
                    );
                    DEFAULT_RUNS
                }
            };
            Some(Method::ZScore {
                runs,
                max_z: positive(cx, &a.max_z, "max_z", DEFAULT_MAX_Z),
            })
        }
        "window" => {
            not_for(cx, "window");
            let days = match &a.windows {
                None => DEFAULT_WINDOWS.to_vec(),
                Some(w)
                    if !w.value.is_empty() && w.value.iter().all(|d| (1..=3660).contains(d)) =>
                {
                    let mut d: Vec<u32> = w.value.iter().map(|d| *d as u32).collect();
                    d.sort_unstable();
                    d.dedup();
                    d
                }
                Some(w) => {
                    cx.error(
                        w,
                        "windows must list days from 1 to 3660, e.g. [1, 7, 30]",
                        None,
                    );
                    DEFAULT_WINDOWS.to_vec()
                }
            };
            Some(Method::Window {
                days,
                max_change: positive(cx, &a.max_change, "max_change", DEFAULT_MAX_CHANGE),
            })
        }
        other => {
            let help = did_you_mean(other, METHODS);
            cx.error(
                &a.method,
                format!(
                    "unknown anomaly method '{other}'; expected one of {}",
                    METHODS.join(", ")
                ),
                help,
            );
            None
        }
    };
    let fail = match &a.gate {
        None => false,
        Some(g) => match g.value.as_str() {
            "fail" => true,
            "warn" => false,
            other => {
                let help = did_you_mean(other, ["warn", "fail"]);
                cx.error(
                    g,
                    format!("unknown anomaly gate '{other}'; expected warn or fail"),
                    help,
                );
                false
            }
        },
    };
    Some(AnomalySpec {
        metric: metric?,
        method: method?,
        fail,
        origin: cx.origin(raw),
    })
}
