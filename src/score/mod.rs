//! Check, dimension and overall scores, check status, and the gate.
//!
//! Pure arithmetic over counts; the formula is `design.md`'s and is printed in every
//! report (`report::SCORING_FORMULA`):
//! - a check's score is `100 × passed / evaluated` (100 when nothing was evaluated);
//! - a dimension's score is the weight-averaged score of its checks;
//! - overall is the weight-averaged score of the dimensions that have checks;
//! - the gate fails when overall or a dimension is under its minimum, or an `error`
//!   check that declares `min_pass_rate` is under it.

use std::collections::BTreeMap;

use crate::report::{CheckResult, Dimension, GateResult, Scores, Severity, Status};
use crate::rules::GateSpec;

/// `100 × passed / evaluated`; 100 when nothing was evaluated.
pub fn check_score(evaluated: u64, failed: u64) -> f64 {
    if evaluated == 0 {
        return 100.0;
    }
    let failed = failed.min(evaluated);
    100.0 * (evaluated - failed) as f64 / evaluated as f64
}

/// `pass` when the pass rate reaches `min_pass_rate` (default 1.0, i.e. no failures);
/// otherwise `fail` for `error` checks and `warn` for the others.
pub fn status(
    evaluated: u64,
    failed: u64,
    severity: Severity,
    min_pass_rate: Option<f64>,
) -> Status {
    if pass_rate(evaluated, failed) >= min_pass_rate.unwrap_or(1.0) {
        Status::Pass
    } else if severity == Severity::Error {
        Status::Fail
    } else {
        Status::Warn
    }
}

fn pass_rate(evaluated: u64, failed: u64) -> f64 {
    check_score(evaluated, failed) / 100.0
}

fn weighted_mean(items: impl Iterator<Item = (f64, f64)>) -> Option<f64> {
    let (mut sum, mut weights, mut any) = (0.0, 0.0, false);
    for (score, weight) in items {
        any = true;
        sum += score * weight;
        weights += weight;
    }
    match (any, weights > 0.0) {
        (false, _) => None,
        (true, true) => Some(sum / weights),
        // Every weight is zero: fall back to the plain mean rather than dividing by zero.
        (true, false) => None,
    }
}

/// Per-dimension and overall scores of one dataset's checks. Retention checks
/// (`compliance.retention`) are evidence for the compliance report, not quality: they are
/// left out.
pub fn dataset_scores(checks: &[CheckResult], weights: &BTreeMap<Dimension, f64>) -> Scores {
    let checks: Vec<&CheckResult> = checks.iter().filter(|c| c.kind != "retention").collect();
    let mut scores = Scores::default();
    let mut dims = Vec::new();
    for d in Dimension::ALL {
        let of_dim = checks.iter().filter(|c| c.dimension == d);
        let score = weighted_mean(of_dim.clone().map(|c| (c.score, c.weight))).or_else(|| {
            // All checks weigh 0: use the plain mean so the dimension still shows.
            weighted_mean(of_dim.map(|c| (c.score, 1.0)))
        });
        scores.set(d, score);
        if let Some(s) = score {
            dims.push((s, weights.get(&d).copied().unwrap_or(1.0)));
        }
    }
    scores.overall = weighted_mean(dims.iter().copied())
        .or_else(|| weighted_mean(dims.iter().map(|(s, _)| (*s, 1.0))));
    scores
}

/// Gate reasons for one dataset; empty when it passes. `fail_under` overrides
/// `min_overall`.
pub fn gate_reasons(
    dataset: &str,
    scores: &Scores,
    checks: &[CheckResult],
    gate: &GateSpec,
    fail_under: Option<f64>,
) -> Vec<String> {
    let mut reasons = Vec::new();
    if let (Some(min), Some(overall)) = (fail_under.or(gate.min_overall), scores.overall)
        && overall < min
    {
        reasons.push(format!("{dataset}: overall {overall:.2} < {min}"));
    }
    for (d, min) in &gate.min {
        if let Some(s) = scores.get(*d)
            && s < *min
        {
            reasons.push(format!("{dataset}: {d} {s:.2} < {min}"));
        }
    }
    for c in checks {
        if let (Severity::Error, Some(min)) = (c.severity, c.min_pass_rate) {
            let rate = pass_rate(c.evaluated, c.failed);
            if rate < min {
                reasons.push(format!(
                    "{dataset}: check {} pass rate {:.4} < {min}",
                    c.id, rate
                ));
            }
        }
    }
    reasons
}

/// The run's gate from every dataset's reasons.
pub fn gate(reasons: Vec<String>) -> GateResult {
    GateResult {
        passed: reasons.is_empty(),
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(d: Dimension, evaluated: u64, failed: u64, weight: f64) -> CheckResult {
        CheckResult {
            id: format!("c{evaluated}{failed}"),
            dimension: d,
            column: None,
            kind: "sql".into(),
            description: String::new(),
            severity: Severity::Error,
            weight,
            evaluated,
            failed,
            score: check_score(evaluated, failed),
            min_pass_rate: None,
            status: Status::Pass,
            duplicate_values: None,
            duplicate_rows: None,
            samples: vec![],
        }
    }

    #[test]
    fn check_scores() {
        assert_eq!(check_score(200, 5), 97.5);
        assert_eq!(check_score(0, 0), 100.0);
        assert_eq!(check_score(10, 10), 0.0);
    }

    #[test]
    fn status_follows_threshold_and_severity() {
        assert_eq!(status(100, 0, Severity::Error, None), Status::Pass);
        assert_eq!(status(100, 1, Severity::Error, None), Status::Fail);
        assert_eq!(status(100, 1, Severity::Warn, None), Status::Warn);
        assert_eq!(status(100, 1, Severity::Error, Some(0.99)), Status::Pass);
        assert_eq!(status(100, 2, Severity::Info, Some(0.99)), Status::Warn);
    }

    #[test]
    fn dimensions_are_weighted_means_and_overall_skips_empty_dimensions() {
        let checks = vec![
            check(Dimension::Validity, 100, 10, 1.0),     // 90
            check(Dimension::Validity, 100, 0, 3.0),      // 100
            check(Dimension::Completeness, 100, 20, 1.0), // 80
        ];
        let mut weights = BTreeMap::new();
        weights.insert(Dimension::Completeness, 3.0);
        let s = dataset_scores(&checks, &weights);
        assert_eq!(s.validity, Some(97.5));
        assert_eq!(s.completeness, Some(80.0));
        assert_eq!(s.timeliness, None);
        assert_eq!(s.overall, Some((97.5 + 3.0 * 80.0) / 4.0));
    }

    #[test]
    fn retention_checks_are_reported_but_not_scored() {
        let mut retention = check(Dimension::Timeliness, 100, 60, 0.0);
        retention.kind = "retention".into();
        let checks = vec![check(Dimension::Validity, 100, 5, 1.0), retention];
        let s = dataset_scores(&checks, &BTreeMap::new());
        assert_eq!(s.timeliness, None);
        assert_eq!(s.overall, Some(95.0));
    }

    #[test]
    fn gate_names_every_reason() {
        let mut c = check(Dimension::Validity, 100, 5, 1.0);
        c.min_pass_rate = Some(0.99);
        let checks = vec![c];
        let scores = dataset_scores(&checks, &BTreeMap::new());
        let mut gate = GateSpec {
            min_overall: Some(90.0),
            ..Default::default()
        };
        gate.min.insert(Dimension::Validity, 96.0);
        let reasons = gate_reasons("t", &scores, &checks, &gate, None);
        assert_eq!(reasons.len(), 2, "{reasons:?}");
        assert!(reasons[0].starts_with("t: validity 95.00 < 96"));
        let reasons = gate_reasons("t", &scores, &checks, &gate, Some(99.0));
        assert_eq!(reasons.len(), 3);
    }
}
