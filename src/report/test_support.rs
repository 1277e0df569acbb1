//! A hand-made report for renderer tests: pass/fail/warn checks, a unique check,
//! null scores, masked samples and hostile strings.

use super::*;

fn check(
    id: &str,
    dimension: Dimension,
    evaluated: u64,
    failed: u64,
    status: Status,
) -> CheckResult {
    CheckResult {
        id: id.into(),
        dimension,
        column: Some("mobile".into()),
        kind: "format".into(),
        description: format!("{id} holds"),
        severity: Severity::Error,
        weight: 1.0,
        evaluated,
        failed,
        score: crate::score::check_score(evaluated, failed),
        min_pass_rate: None,
        status,
        duplicate_values: None,
        duplicate_rows: None,
        samples: vec![],
    }
}

pub(crate) fn report() -> Report {
    let mut mobile = check(
        "customers.mobile.format",
        Dimension::Validity,
        190,
        5,
        Status::Fail,
    );
    mobile.samples = vec![Sample {
        key: Some("C0042".into()),
        value: Some("138****6138".into()),
        count: None,
    }];
    let mut unique = check(
        "customers.customer_id.unique",
        Dimension::Uniqueness,
        200,
        2,
        Status::Fail,
    );
    unique.kind = "unique".into();
    unique.duplicate_values = Some(2);
    unique.duplicate_rows = Some(4);
    let mut hostile = check(
        "<script>alert(1)</script>",
        Dimension::Consistency,
        10,
        1,
        Status::Warn,
    );
    hostile.severity = Severity::Warn;
    hostile.description = "=cmd|' /C calc'!A0 | a\nb & c".into();
    hostile.samples = vec![Sample {
        key: None,
        value: Some("<b>x</b>".into()),
        count: Some(3),
    }];
    let mut c = DatasetReport {
        name: "customers".into(),
        rows: 200,
        scores: Scores::default(),
        checks: vec![
            check(
                "customers.name.required",
                Dimension::Completeness,
                200,
                0,
                Status::Pass,
            ),
            mobile,
            unique,
            hostile,
        ],
        columns: vec![],
        drift: None,
        anomalies: vec![],
        observed: Default::default(),
    };
    c.scores = crate::score::dataset_scores(&c.checks, &Default::default());
    let orders = DatasetReport {
        name: "orders".into(),
        rows: 0,
        scores: Scores::default(),
        checks: vec![],
        columns: vec![],
        drift: None,
        anomalies: vec![],
        observed: Default::default(),
    };
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "steward".into(),
            version: "0.0.0-test".into(),
        },
        run: Run {
            started_at: "2026-11-01T00:00:00Z".into(),
            duration_ms: 1,
            as_of: "2026-11-01".into(),
            rules_sha256: "ab".repeat(32),
            rule_files: vec!["rules/customer-core.yaml".into()],
            inputs: vec![],
        },
        datasets: vec![c, orders],
        gate: GateResult {
            passed: false,
            reasons: vec!["customers: overall 97.81 < 99".into()],
        },
        scoring_formula: SCORING_FORMULA.into(),
    }
}

#[test]
fn table_snapshot() {
    insta::assert_snapshot!(render(&report(), Format::Table));
}

#[test]
fn markdown_snapshot() {
    insta::assert_snapshot!(render(&report(), Format::Markdown));
}

#[test]
fn junit_snapshot() {
    insta::assert_snapshot!(render(&report(), Format::Junit));
}

#[test]
fn json_round_trips() {
    let r = report();
    let json = render(&r, Format::Json);
    let back: Report = serde_json::from_str(&json).unwrap();
    assert_eq!(render(&back, Format::Json), json);
}

#[test]
fn hostile_text_is_escaped() {
    let r = report();
    for format in [Format::Markdown, Format::Junit] {
        let out = render(&r, format);
        assert!(!out.contains("<script>"), "{format:?}");
        assert!(!out.contains("<b>"), "{format:?}");
    }
    let md = render(&r, Format::Markdown);
    assert!(!md.contains("| =cmd"));
    let junit = render(&r, Format::Junit);
    assert!(junit.contains("&amp; c"));
    assert!(junit.contains("tests=\"5\" failures=\"3\""), "{junit}");
}
