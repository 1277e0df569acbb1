//! Snapshots of whole runs, `(exit code, stdout, stderr)` as one text, of the commands
//! users and CI read: scan, classify, dedupe (and `--explain`), `mask --dry-run`, `rules
//! list` and the compliance HTML report, plus one or two usage or input errors (exit 2)
//! per command, so their wording is pinned. They exist so that a refactoring can show
//! that every output stays byte for byte the same; only times, durations, the version
//! and the temp dir are filtered (`CliTest::settings`). Each snapshot gets a fresh
//! `CliTest`: the compliance report counts earlier audit-log entries of its directory.
//! `scan.rs` already snapshots the stdout of `scan fixtures/customers.csv` in every
//! format; these are other inputs, and stderr and exit codes.

use crate::{CliTest, Run};

const AS_OF: &str = "2026-11-01";
// Base64 of 32 bytes 0x01: a test key only (as in mask.rs).
const KEY: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

fn run(args: &[&str]) -> (CliTest, Run) {
    let t = CliTest::new();
    let r = t.run(args);
    (t, r)
}

// scan

#[test]
fn scan_orders_and_customers_table() {
    let (t, r) = run(&[
        "scan",
        "fixtures/orders.csv",
        "fixtures/customers.csv",
        "--rules",
        "rules/",
        "--as-of",
        AS_OF,
    ]);
    assert_run_snapshot!(t, "scan_orders_and_customers_table", r);
}

#[test]
fn scan_orders_and_customers_json() {
    let (t, r) = run(&[
        "scan",
        "fixtures/orders.csv",
        "fixtures/customers.csv",
        "--rules",
        "rules/",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    assert_run_snapshot!(t, "scan_orders_and_customers_json", r);
}

#[test]
fn scan_clean_customers_table() {
    let (t, r) = run(&[
        "scan",
        "fixtures/customers_clean.csv",
        "--rules",
        "rules/customer-core.yaml",
        "--as-of",
        AS_OF,
    ]);
    assert_run_snapshot!(t, "scan_clean_customers_table", r);
}

#[test]
fn scan_gbk_customers_table() {
    let (t, r) = run(&[
        "scan",
        "fixtures/customers_gbk.csv",
        "--encoding",
        "gbk",
        "--rules",
        "rules/customer-core.yaml",
        "--as-of",
        AS_OF,
    ]);
    assert_run_snapshot!(t, "scan_gbk_customers_table", r);
}

#[test]
fn scan_junit_to_a_file_prints_the_verdict_on_stderr() {
    let (t, r) = run(&[
        "scan",
        "fixtures/customers.csv",
        "--rules",
        "rules/customer-core.yaml",
        "--as-of",
        AS_OF,
        "--format",
        "junit",
        "--output",
        "report.xml",
    ]);
    assert_run_snapshot!(t, "scan_junit_to_a_file", r);
    assert!(t.path("report.xml").exists());
}

#[test]
fn scan_errors() {
    let (t, r) = run(&[
        "scan",
        "fixtures/malformed/ragged.csv",
        "--rules",
        "rules/customer-core.yaml",
        "--as-of",
        AS_OF,
    ]);
    assert_run_snapshot!(t, "scan_error_ragged_csv", r);
    let (t, r) = run(&[
        "scan",
        "fixtures/customers.csv",
        "--rules",
        "rules/nope.yaml",
        "--as-of",
        AS_OF,
    ]);
    assert_run_snapshot!(t, "scan_error_missing_rule_file", r);
}

// classify

#[test]
fn classify_customers_table() {
    let (t, r) = run(&["classify", "fixtures/customers.csv", "--as-of", AS_OF]);
    assert_run_snapshot!(t, "classify_customers_table", r);
}

#[test]
fn classify_customers_json() {
    let (t, r) = run(&[
        "classify",
        "fixtures/customers.csv",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    assert_run_snapshot!(t, "classify_customers_json", r);
}

#[test]
fn classify_error() {
    let (t, r) = run(&["classify", "fixtures/malformed/bad_utf8.csv"]);
    assert_run_snapshot!(t, "classify_error_bad_utf8", r);
}

// dedupe

const DEDUPE: [&str; 4] = [
    "dedupe",
    "fixtures/dedupe/customers.csv",
    "--rules",
    "fixtures/dedupe/customers.yaml",
];

fn dedupe(extra: &[&str]) -> (CliTest, Run) {
    let mut args = DEDUPE.to_vec();
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn dedupe_table() {
    let (t, r) = dedupe(&[]);
    assert_run_snapshot!(t, "dedupe_table", r);
}

#[test]
fn dedupe_json() {
    let (t, r) = dedupe(&["--format", "json"]);
    assert_run_snapshot!(t, "dedupe_json", r);
}

#[test]
fn dedupe_explain_table() {
    let (t, r) = dedupe(&["--explain", "C0000600", "C0002941"]);
    assert_run_snapshot!(t, "dedupe_explain_table", r);
}

#[test]
fn dedupe_explain_json() {
    let (t, r) = dedupe(&["--explain", "C0000600", "C0002941", "--format", "json"]);
    assert_run_snapshot!(t, "dedupe_explain_json", r);
}

#[test]
fn dedupe_errors() {
    let (t, r) = dedupe(&["--explain", "C0000001", "NOPE"]);
    assert_run_snapshot!(t, "dedupe_error_unknown_explain_key", r);
    let (t, r) = run(&[
        "dedupe",
        "fixtures/customers.csv",
        "--rules",
        "rules/customer-core.yaml",
    ]);
    assert_run_snapshot!(t, "dedupe_error_no_fuzzy_section", r);
}

// mask --dry-run

const POLICY: &str = "version: 1\nauto: true\ncolumns:\n  id_number: { method: tokenize, format_preserving: true }\n  name: encrypt\n  mobile: partial\n  address: { method: generalize, to: city }\n  created_at: keep\n";

#[test]
fn mask_dry_run_with_auto() {
    // The dry run loads no key; with one in the environment the plan is the same.
    for (name, env) in [
        ("mask_dry_run_auto", vec![]),
        ("mask_dry_run_auto_with_key", vec![("STEWARD_KEY", KEY)]),
    ] {
        let t = CliTest::new();
        t.write("policy.yaml", POLICY);
        let r = t.run_env(
            &[
                "mask",
                "fixtures/customers.csv",
                "--policy",
                "policy.yaml",
                "--dry-run",
            ],
            &env,
        );
        assert_run_snapshot!(t, name, r);
        let written: Vec<_> = std::fs::read_dir(t.path("."))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !["fixtures", "rules", "policy.yaml", ".steward"].contains(&n.as_str()))
            .collect();
        assert!(written.is_empty(), "a dry run wrote {written:?}");
    }
}

#[test]
fn mask_dry_run_without_auto() {
    let t = CliTest::new();
    t.write("policy.yaml", "version: 1\ncolumns:\n  name: partial\n");
    let r = t.run(&[
        "mask",
        "fixtures/customers.csv",
        "--policy",
        "policy.yaml",
        "--dry-run",
    ]);
    assert_run_snapshot!(t, "mask_dry_run_policy_only", r);
}

#[test]
fn mask_errors() {
    let t = CliTest::new();
    t.write(
        "bad.yaml",
        "version: 1\ncolumns:\n  mobil: partial\n  name: encryptt\n",
    );
    let r = t.run(&[
        "mask",
        "fixtures/customers.csv",
        "--policy",
        "bad.yaml",
        "--dry-run",
    ]);
    assert_run_snapshot!(t, "mask_error_bad_policy", r);
    let t = CliTest::new();
    t.write("policy.yaml", POLICY);
    let r = t.run(&[
        "mask",
        "fixtures/customers.csv",
        "--policy",
        "policy.yaml",
        "--output",
        "out.csv",
    ]);
    assert_run_snapshot!(t, "mask_error_no_key", r);
    assert!(!t.path("out.csv").exists());
}

// rules list

#[test]
fn rules_list_every_format() {
    for format in ["table", "json", "markdown"] {
        let (t, r) = run(&["rules", "list", "--format", format]);
        assert_run_snapshot!(t, format!("rules_list_{format}"), r);
    }
    // The default format is the table.
    let (_, default) = run(&["rules", "list"]);
    let (_, table) = run(&["rules", "list", "--format", "table"]);
    assert_eq!(default.transcript(), table.transcript());
}

#[test]
fn rules_errors() {
    let (t, r) = run(&["rules", "list", "--format", "yaml"]);
    assert_run_snapshot!(t, "rules_error_unknown_list_format", r);
    let (t, r) = run(&["rules", "check", "nope/"]);
    assert_run_snapshot!(t, "rules_error_missing_path", r);
}

// report (compliance HTML)

fn report(t: &CliTest, regimes: &[&str], extra: &[&str]) -> Run {
    let mut args = vec![
        "report",
        "fixtures/customers.csv",
        "--rules",
        "rules/customer-core.yaml",
        "--rules",
        "fixtures/compliance/customers-compliance.yaml",
    ];
    for r in regimes {
        args.extend(["--regime", r]);
    }
    args.extend(["--as-of", AS_OF]);
    args.extend_from_slice(extra);
    t.run(&args)
}

#[test]
fn report_html_file() {
    let t = CliTest::new();
    let r = report(
        &t,
        &["pipl", "gdpr"],
        &["--format", "html", "--output", "report.html"],
    );
    assert_run_snapshot!(t, "report_html_run", r);
    let html = std::fs::read_to_string(t.path("report.html")).unwrap();
    let mut settings = t.settings();
    settings.set_description(format!(
        "report.html written by: steward {}",
        r.args.join(" ")
    ));
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!("report_html_file", html));
}

#[test]
fn report_html_on_stdout_is_the_file() {
    // So the one snapshot of the file stands for both; times and durations differ.
    let t = CliTest::new();
    let r = report(&t, &["pipl", "gdpr"], &["--format", "html", "--no-audit"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let u = CliTest::new();
    report(
        &u,
        &["pipl", "gdpr"],
        &["--format", "html", "--output", "report.html", "--no-audit"],
    );
    let file = std::fs::read_to_string(u.path("report.html")).unwrap();
    let strip = |s: &str| {
        regex::Regex::new(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z|\b\d+ ms\b")
            .unwrap()
            .replace_all(s, "")
            .into_owned()
    };
    assert_eq!(strip(&r.stdout), strip(&file));
}

#[test]
fn report_errors() {
    let t = CliTest::new();
    let r = report(&t, &["pipl", "ccpa"], &["--format", "html"]);
    assert_run_snapshot!(t, "report_error_unknown_regime", r);
    let t = CliTest::new();
    t.write(
        "cols.yaml",
        "version: 1\ndataset: customers\ncompliance:\n  declared_columns: [customer_id, mobil]\n",
    );
    let r = t.run(&[
        "report",
        "fixtures/customers.csv",
        "--rules",
        "rules/customer-core.yaml",
        "--rules",
        "cols.yaml",
        "--regime",
        "gdpr",
        "--format",
        "html",
        "--output",
        "r.html",
    ]);
    assert_run_snapshot!(t, "report_error_undeclared_column", r);
    assert!(!t.path("r.html").exists());
}
