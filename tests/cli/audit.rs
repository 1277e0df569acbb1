//! The audit log: every audited command appends a chained line; `steward audit verify`
//! finds edited, removed, reordered and truncated lines (exit 1, naming the line) and
//! exits 0 with a count when the chain is intact.

use serde_json::Value;

use super::CliTest;

const LOG: &str = ".steward/audit.jsonl";

/// Three audited runs: two scans (one failing the gate) and a report.
fn three_runs(t: &CliTest) -> Vec<String> {
    let scan = |file: &str| {
        t.run(&[
            "scan",
            file,
            "--rules",
            "rules/customer-core.yaml",
            "--as-of",
            "2026-11-01",
        ])
    };
    assert_eq!(scan("fixtures/customers_clean.csv").code, 0);
    assert_eq!(scan("fixtures/customers.csv").code, 1);
    let r = t.run(&[
        "report",
        "fixtures/customers_clean.csv",
        "--rules",
        "rules/customer-core.yaml",
        "--regime",
        "pipl",
        "--format",
        "json",
        "--as-of",
        "2026-11-01",
    ]);
    assert!(r.code <= 1, "{}", r.stderr);
    std::fs::read_to_string(t.path(LOG))
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

fn verify(t: &CliTest) -> super::Run {
    t.run(&["audit", "verify", LOG])
}

#[test]
fn audited_commands_append_chained_lines() {
    let t = CliTest::new();
    let lines = three_runs(&t);
    assert_eq!(lines.len(), 3);
    let entries: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(entries[0]["seq"], 1);
    assert_eq!(entries[0]["prev"], "0".repeat(64));
    assert_eq!(entries[0]["command"], "scan");
    assert_eq!(entries[0]["outcome"], "passed");
    assert_eq!(entries[1]["outcome"], "gate_failed");
    assert_eq!(entries[1]["exit_code"], 1);
    let overall = entries[1]["scores"]["customers"].as_f64().unwrap();
    assert!((overall - 98.01).abs() < 0.005, "{overall}");
    assert_eq!(entries[2]["command"], "report");
    assert_eq!(
        entries[2]["inputs"][0]["sha256"].as_str().unwrap().len(),
        64
    );
    assert_eq!(entries[2]["user"], "unknown", "the environment is cleared");
    let r = verify(&t);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.starts_with("ok: 3 entries, chain intact; head "),
        "{}",
        r.stderr
    );
    // `audit verify` itself and read-only commands are not audited.
    assert_eq!(
        std::fs::read_to_string(t.path(LOG))
            .unwrap()
            .lines()
            .count(),
        3
    );
}

#[test]
fn the_log_path_comes_from_the_flag_the_variable_or_nowhere() {
    let t = CliTest::new();
    let args = [
        "scan",
        "fixtures/customers_clean.csv",
        "--rules",
        "rules/customer-core.yaml",
    ];
    let mut with_flag = args.to_vec();
    with_flag.extend(["--audit-log", "custom/log.jsonl"]);
    assert_eq!(t.run(&with_flag).code, 0);
    assert!(t.path("custom/log.jsonl").is_file());
    let r = t.run_env(
        &args,
        &[("STEWARD_AUDIT_LOG", "env.jsonl"), ("USER", "auditor")],
    );
    assert_eq!(r.code, 0);
    let line = std::fs::read_to_string(t.path("env.jsonl")).unwrap();
    assert!(line.contains("\"user\":\"auditor\""), "{line}");
    let mut off = args.to_vec();
    off.push("--no-audit");
    assert_eq!(t.run(&off).code, 0);
    assert!(!t.path(LOG).exists());
}

fn tampered(t: &CliTest, lines: &[String], edit: impl Fn(&mut Vec<String>)) -> super::Run {
    let mut l = lines.to_vec();
    edit(&mut l);
    std::fs::write(t.path(LOG), l.join("\n") + "\n").unwrap();
    verify(t)
}

fn assert_bad_line(r: &super::Run, line: u64) {
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.starts_with(&format!("FAIL  {LOG}:{line}: ")),
        "{}",
        r.stderr
    );
}

#[test]
fn an_edited_line_is_found() {
    let t = CliTest::new();
    let lines = three_runs(&t);
    let r = tampered(&t, &lines, |l| l[1] = l[1].replace("gate_failed", "passed"));
    assert_bad_line(&r, 2);
    let r = tampered(&t, &lines, |l| {
        l[2] = l[2].replace("\"user\":\"unknown\"", "\"user\":\"x\"")
    });
    assert_bad_line(&r, 3);
}

#[test]
fn a_removed_line_is_found() {
    let t = CliTest::new();
    let lines = three_runs(&t);
    let r = tampered(&t, &lines, |l| {
        l.remove(1);
    });
    assert_bad_line(&r, 2);
    let r = tampered(&t, &lines, |l| {
        l.remove(0);
    });
    assert_bad_line(&r, 1);
}

#[test]
fn reordered_lines_are_found() {
    let t = CliTest::new();
    let lines = three_runs(&t);
    let r = tampered(&t, &lines, |l| l.swap(1, 2));
    assert_bad_line(&r, 2);
}

#[test]
fn a_truncated_log_is_found() {
    let t = CliTest::new();
    let lines = three_runs(&t);
    let text = lines.join("\n") + "\n";
    std::fs::write(t.path(LOG), &text[..text.len() - 30]).unwrap();
    assert_bad_line(&verify(&t), 3);
    // Cut inside the second line: the first still verifies.
    let cut = lines[0].len() + 1 + lines[1].len() / 2;
    std::fs::write(t.path(LOG), &text[..cut]).unwrap();
    let r = verify(&t);
    assert_bad_line(&r, 2);
    assert!(
        r.stderr.contains("1 line(s) before it verify"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_missing_log_is_a_usage_error() {
    let t = CliTest::new();
    let r = t.run(&["audit", "verify", "nope.jsonl"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("nope.jsonl: cannot read the audit log"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_failed_run_is_recorded_with_its_input_digest() {
    let t = CliTest::new();
    let r = t.run(&[
        "scan",
        "fixtures/malformed/ragged.csv",
        "--rules",
        "rules/customer-core.yaml",
    ]);
    assert_eq!(r.code, 2);
    let log = std::fs::read_to_string(t.path(LOG)).unwrap();
    let entry: Value = serde_json::from_str(log.lines().next().unwrap()).unwrap();
    assert_eq!(entry["outcome"], "usage_error");
    assert_eq!(entry["exit_code"], 2);
    assert_eq!(entry["inputs"][0]["path"], "fixtures/malformed/ragged.csv");
    assert_eq!(entry["inputs"][0]["sha256"].as_str().unwrap().len(), 64);
    assert!(entry.get("pending_inputs").is_none());
}
