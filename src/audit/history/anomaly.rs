//! The rule files' anomaly declarations (`rules::anomaly`) evaluated on the history.
//!
//! - `relative`: the change to the previous run with the metric, `|c − p| / |p|`, held
//!   against `max_change`. Needs one previous run.
//! - `zscore`: `|c − mean| / sd` over the last `runs` runs, against `max_z`. Needs two
//!   previous runs. The deviation used is at least a floor (5 % of the mean for counts
//!   and means, one percentage point for rates), so a metric that never moved does not
//!   flag every tiny change. While fewer than [`SHORT_HISTORY`] runs are known the
//!   threshold is widened by `sqrt(SHORT_HISTORY / n)` (2.2× with two runs), and the
//!   verdict says so.
//! - `window`: the relative change to the run recorded 1, 7, 30 … days before by as-of
//!   date (the latest run of that as-of date), against `max_change`; the window that
//!   moved most decides. Windows without a run of that date are named in the note.

use chrono::NaiveDate;

use super::drift::null_rate;
use super::store::{StoredDataset, StoredRun};
use crate::report::history::{Anomaly, AnomalyStatus};
use crate::rules::anomaly::{AnomalySpec, Method, Metric};

/// Runs of history below which z-score bands are widened.
pub const SHORT_HISTORY: usize = 10;
/// The smallest deviation of counts and means, as a fraction of their mean.
pub const RELATIVE_SD_FLOOR: f64 = 0.05;
/// The smallest deviation of rates (0-1): one percentage point.
pub const RATE_SD_FLOOR: f64 = 0.01;

/// The metric's value in a dataset's recorded run.
pub fn value(metric: &Metric, d: &StoredDataset) -> Option<f64> {
    match metric {
        Metric::RowCount => Some(d.rows as f64),
        Metric::NullRate(c) => null_rate(d, c),
        Metric::Distinct(c) => d.column(c).map(|c| c.distinct as f64),
        Metric::PassRate(id) => d.check(id).and_then(|c| c.pass_rate()),
        Metric::Mean(c) => d.column(c).and_then(|c| c.mean),
    }
}

fn is_rate(metric: &Metric) -> bool {
    matches!(metric, Metric::NullRate(_) | Metric::PassRate(_))
}

/// Figures as people read them: counts whole, rates in percent.
fn show(metric: &Metric, v: f64) -> String {
    if is_rate(metric) {
        format!("{:.2} %", v * 100.0)
    } else if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v:.4}")
    }
}

struct Verdict {
    expected: Option<f64>,
    lower: Option<f64>,
    upper: Option<f64>,
    deviation: Option<f64>,
    threshold: Option<f64>,
    outside: bool,
    runs: usize,
    short: bool,
    note: String,
}

/// Relative change from `p` to `c`, and whether it is beyond `max`.
/// A relative change as the notes show it: signed per cent, or "from zero".
fn change_text(deviation: Option<f64>) -> String {
    deviation
        .map(|d| format!("{:+.1} %", d * 100.0))
        .unwrap_or_else(|| "from zero".into())
}

/// The verdict of a relative-change method (previous run or a day window): the band is
/// ±`max_change` of the reference value `p`.
fn within_band(
    p: f64,
    max_change: f64,
    deviation: Option<f64>,
    outside: bool,
    runs: usize,
    short: bool,
    note: String,
) -> Verdict {
    let band = max_change * p.abs();
    Verdict {
        expected: Some(p),
        lower: Some(p - band),
        upper: Some(p + band),
        deviation,
        threshold: Some(max_change),
        outside,
        runs,
        short,
        note,
    }
}

fn relative(p: f64, c: f64, max: f64) -> (Option<f64>, bool) {
    if p == 0.0 {
        (if c == 0.0 { Some(0.0) } else { None }, c != 0.0)
    } else {
        let dev = (c - p) / p.abs();
        (Some(dev), dev.abs() > max)
    }
}

/// Evaluate `spec` for `dataset` on `history` (earlier runs, oldest first) and the run
/// `current` as of `as_of`.
pub fn evaluate(
    spec: &AnomalySpec,
    dataset: &str,
    history: &[&StoredRun],
    current: &StoredDataset,
    as_of: &str,
) -> Anomaly {
    let metric = &spec.metric;
    let name = metric.id();
    // (run, value) of the earlier runs that recorded the metric, oldest first.
    let series: Vec<(&StoredRun, f64)> = history
        .iter()
        .copied()
        .filter_map(|r| {
            let d = r
                .dataset(dataset)
                .filter(|d| d.detailed || *metric == Metric::RowCount)?;
            Some((r, value(metric, d)?))
        })
        .collect();
    let now = value(metric, current);
    let verdict = match now {
        None => Err(format!(
            "this run has no {name} (missing column or check, no rows, or a personal column's mean, which is never kept)"
        )),
        Some(c) => judge(&spec.method, metric, &series, c, as_of),
    };
    let (status, v) = match verdict {
        Err(note) => (
            AnomalyStatus::NoBaseline,
            Verdict {
                expected: None,
                lower: None,
                upper: None,
                deviation: None,
                threshold: None,
                outside: false,
                runs: series.len(),
                short: series.len() < SHORT_HISTORY,
                note,
            },
        ),
        Ok(v) if v.outside && spec.fail => (AnomalyStatus::Fail, v),
        Ok(v) if v.outside => (AnomalyStatus::Warn, v),
        Ok(v) => (AnomalyStatus::Pass, v),
    };
    Anomaly {
        id: spec.id(dataset),
        metric: name,
        method: spec.method.name().to_string(),
        status,
        current: now,
        expected: v.expected,
        lower: v.lower,
        upper: v.upper,
        deviation: v.deviation,
        threshold: v.threshold,
        history_runs: v.runs as u64,
        short_history: v.short,
        note: v.note,
    }
}

fn judge(
    method: &Method,
    metric: &Metric,
    series: &[(&StoredRun, f64)],
    c: f64,
    as_of: &str,
) -> Result<Verdict, String> {
    let show = |v: f64| show(metric, v);
    match method {
        Method::Relative { max_change } => {
            let Some((run, p)) = series.last() else {
                return Err("no previous run recorded this metric yet".into());
            };
            let (deviation, outside) = relative(*p, c, *max_change);
            let note = format!(
                "{} against {} in the previous run ({}): {}, allowed ±{:.1} %",
                show(c),
                show(*p),
                run.started_at,
                change_text(deviation),
                max_change * 100.0
            );
            Ok(within_band(
                *p,
                *max_change,
                deviation,
                outside,
                series.len(),
                false,
                note,
            ))
        }
        Method::ZScore { runs, max_z } => {
            let last: Vec<f64> = series.iter().rev().take(*runs).map(|(_, v)| *v).collect();
            let n = last.len();
            if n < 2 {
                return Err(format!(
                    "a z-score needs 2 earlier runs with this metric; the history has {n}"
                ));
            }
            let mean = last.iter().sum::<f64>() / n as f64;
            let var = last.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            let floor = if is_rate(metric) {
                RATE_SD_FLOOR
            } else {
                RELATIVE_SD_FLOOR * mean.abs()
            };
            let sd = var.sqrt().max(floor);
            let short = n < SHORT_HISTORY;
            let threshold = if short {
                max_z * (SHORT_HISTORY as f64 / n as f64).sqrt()
            } else {
                *max_z
            };
            let (deviation, outside) = if sd > 0.0 {
                let z = (c - mean) / sd;
                (Some(z), z.abs() > threshold)
            } else {
                // Every earlier value was 0 and so is the floor: any other value is new.
                (if c == mean { Some(0.0) } else { None }, c != mean)
            };
            Ok(Verdict {
                expected: Some(mean),
                lower: Some(mean - threshold * sd),
                upper: Some(mean + threshold * sd),
                deviation,
                threshold: Some(threshold),
                outside,
                runs: n,
                short,
                note: format!(
                    "{} against a mean of {} over the last {n} runs (sd {}): z {}, allowed ±{threshold:.2}{}",
                    show(c),
                    show(mean),
                    show(sd),
                    deviation
                        .map(|z| format!("{z:+.2}"))
                        .unwrap_or_else(|| "unbounded".into()),
                    if short {
                        format!(" (max_z {max_z} widened: only {n} of {SHORT_HISTORY} runs known)")
                    } else {
                        String::new()
                    }
                ),
            })
        }
        Method::Window { days, max_change } => {
            let Ok(today) = NaiveDate::parse_from_str(as_of, "%Y-%m-%d") else {
                return Err(format!("the run's as-of date '{as_of}' is not a date"));
            };
            let mut best: Option<(u32, f64, Option<f64>, bool)> = None;
            let mut seen = Vec::new();
            let mut missing = Vec::new();
            for d in days {
                let day = today - chrono::Duration::days(i64::from(*d));
                let day = day.format("%Y-%m-%d").to_string();
                // The latest run of that as-of date.
                match series.iter().rev().find(|(r, _)| r.as_of == day) {
                    None => missing.push(format!("{d}d")),
                    Some((_, p)) => {
                        let (dev, outside) = relative(*p, c, *max_change);
                        seen.push(format!("{d}d {}", change_text(dev)));
                        let size = dev.map(f64::abs).unwrap_or(f64::INFINITY);
                        if best.is_none_or(|(_, _, b, _)| {
                            size > b.map(f64::abs).unwrap_or(f64::INFINITY)
                        }) {
                            best = Some((*d, *p, dev, outside));
                        }
                    }
                }
            }
            let Some((d, p, deviation, outside)) = best else {
                return Err(format!(
                    "no earlier run as of {} day(s) before {as_of}",
                    days.iter()
                        .map(|d| d.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            };
            let note = format!(
                "{} against {} as of {d} day(s) before: {}, allowed ±{:.1} %{}",
                show(c),
                show(p),
                seen.join(", "),
                max_change * 100.0,
                if missing.is_empty() {
                    String::new()
                } else {
                    format!("; no run yet for {}", missing.join(", "))
                }
            );
            let short = !missing.is_empty();
            Ok(within_band(
                p,
                *max_change,
                deviation,
                outside,
                series.len(),
                short,
                note,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(as_of: &str, rows: u64) -> StoredRun {
        StoredRun {
            run_id: format!("r{as_of}"),
            started_at: format!("{as_of}T08:00:00Z"),
            as_of: as_of.into(),
            rules_sha256: String::new(),
            version: 2,
            datasets: vec![StoredDataset {
                name: "people".into(),
                rows,
                detailed: true,
                ..Default::default()
            }],
        }
    }

    fn spec(method: Method, fail: bool) -> AnomalySpec {
        AnomalySpec {
            metric: Metric::RowCount,
            method,
            fail,
            origin: crate::error::Origin {
                path: "t.yaml".into(),
                line: 1,
                col: 1,
            },
        }
    }

    fn refs(runs: &[StoredRun]) -> Vec<&StoredRun> {
        runs.iter().collect()
    }

    fn rows(n: u64) -> StoredDataset {
        StoredDataset {
            name: "people".into(),
            rows: n,
            detailed: true,
            ..Default::default()
        }
    }

    #[test]
    fn relative_flags_a_halving_and_passes_a_small_change() {
        let h = [run("2026-12-01", 1000)];
        let s = spec(Method::Relative { max_change: 0.3 }, true);
        let a = evaluate(&s, "people", &refs(&h), &rows(500), "2026-12-02");
        assert_eq!(a.status, AnomalyStatus::Fail);
        assert_eq!(a.deviation, Some(-0.5));
        assert_eq!((a.lower, a.upper), (Some(700.0), Some(1300.0)));
        let a = evaluate(&s, "people", &refs(&h), &rows(900), "2026-12-02");
        assert_eq!(a.status, AnomalyStatus::Pass);
        let a = evaluate(&s, "people", &[], &rows(900), "2026-12-02");
        assert_eq!(a.status, AnomalyStatus::NoBaseline);
    }

    #[test]
    fn zscore_answers_from_the_third_run_with_a_widened_band() {
        let s = spec(
            Method::ZScore {
                runs: 30,
                max_z: 3.0,
            },
            false,
        );
        let one = [run("2026-12-01", 1000)];
        assert_eq!(
            evaluate(&s, "people", &refs(&one), &rows(500), "2026-12-02").status,
            AnomalyStatus::NoBaseline
        );
        let two = [run("2026-12-01", 1000), run("2026-12-02", 1010)];
        // mean 1005, sample sd 7.07 < floor 5 % of 1005 = 50.25; threshold 3 * sqrt(5).
        let a = evaluate(&s, "people", &refs(&two), &rows(500), "2026-12-03");
        assert_eq!(a.status, AnomalyStatus::Warn);
        assert!(a.short_history);
        let t = 3.0 * 5f64.sqrt();
        assert!((a.threshold.unwrap() - t).abs() < 1e-12);
        assert!((a.deviation.unwrap() - (500.0 - 1005.0) / 50.25).abs() < 1e-9);
        // A 20 % drop is inside the widened band at first...
        assert_eq!(
            evaluate(&s, "people", &refs(&two), &rows(804), "2026-12-03").status,
            AnomalyStatus::Pass
        );
        // ...and outside it once ten runs are known (z = -4 against 3).
        let ten: Vec<StoredRun> = (1..=10)
            .map(|d| run(&format!("2026-11-{d:02}"), 1005))
            .collect();
        let a = evaluate(&s, "people", &refs(&ten), &rows(804), "2026-12-03");
        assert!(!a.short_history);
        assert_eq!(a.status, AnomalyStatus::Warn);
    }

    #[test]
    fn window_compares_with_the_run_of_that_as_of_date() {
        let s = spec(
            Method::Window {
                days: vec![1, 7],
                max_change: 0.2,
            },
            true,
        );
        let h = [run("2026-11-24", 1000), run("2026-11-30", 700)];
        // 1 day: 700 -> 720 (+2.9 %); 7 days: 1000 -> 720 (-28 %): the week decides.
        let a = evaluate(&s, "people", &refs(&h), &rows(720), "2026-12-01");
        assert_eq!(a.status, AnomalyStatus::Fail);
        assert_eq!(a.expected, Some(1000.0));
        assert!(!a.short_history);
        let a = evaluate(&s, "people", &refs(&h[1..]), &rows(720), "2026-12-01");
        assert_eq!(a.status, AnomalyStatus::Pass);
        assert!(a.short_history, "{}", a.note);
        let a = evaluate(&s, "people", &refs(&h), &rows(720), "2026-12-05");
        assert_eq!(a.status, AnomalyStatus::NoBaseline);
    }
}
