//! Issue 20: four scans of a changing extract with `--history`, then `steward history`.
//! The expected figures come from the data the test writes: which customers have a bad
//! e-mail in which run, how many rows each run has, which column goes and which changes
//! type.

use std::collections::BTreeSet;

use serde_json::Value;

use super::CliTest;

const RULES: &str = "version: 1
dataset: customers
key: [customer_id, mobile]
columns:
  customer_id: { required: true, unique: true }
  mobile: { format: cn_mobile }
  email: { format: email }
schema:
  columns:
    customer_id: { type: text }
    email: { type: text }
  unexpected: ignore
anomalies:
  - { metric: row_count, method: relative, max_change: 0.3, gate: fail }
  - { metric: row_count, method: zscore }
  - { metric: pass_rate, check: customers.email.format, method: window, windows: [1, 7] }
";

fn mobile(i: u32) -> String {
    format!("1380000{i:04}")
}

/// `n` customers; those in `bad` have a malformed e-mail; `email: false` drops the
/// column; `age_text` writes one age as a word, so the column is read as text.
fn extract(n: u32, bad: &[u32], email: bool, age_text: bool) -> String {
    let mut out = String::from(if email {
        "customer_id,mobile,email,age\n"
    } else {
        "customer_id,mobile,age\n"
    });
    for i in 1..=n {
        let age = if age_text && i == 1 {
            "unknown".to_string()
        } else {
            (20 + i).to_string()
        };
        let mail = if bad.contains(&i) {
            format!("c{i}-at-example.com,")
        } else {
            format!("c{i}@example.com,")
        };
        out.push_str(&format!(
            "C{i:04},{},{}{age}\n",
            mobile(i),
            if email { mail } else { String::new() }
        ));
    }
    out
}

fn scan(t: &CliTest, as_of: &str) -> (i32, Value, String) {
    let r = t.run(&[
        "scan",
        "customers.csv",
        "--rules",
        "customers.yaml",
        "--history",
        "hist",
        "--as-of",
        as_of,
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("{e}\n{}\n{}", r.stdout, r.stderr));
    (r.code, v, r.stderr)
}

/// The entry with `id` in the first dataset's `list` (`anomalies`, `checks`).
fn item<'a>(report: &'a Value, list: &str, id: &str) -> &'a Value {
    report["datasets"][0][list]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("no {list} entry {id} in {report:#}"))
}

fn anomaly<'a>(report: &'a Value, id: &str) -> &'a Value {
    item(report, "anomalies", id)
}

fn check<'a>(report: &'a Value, id: &str) -> &'a Value {
    item(report, "checks", id)
}

/// The masked key of customer `i` as the diff prints it: the id in clear, the mobile
/// masked (never the 11 digits).
fn key_of(keys: &[Value], i: u32) -> String {
    let id = format!("C{i:04}|");
    let k = keys
        .iter()
        .filter_map(Value::as_str)
        .find(|k| k.starts_with(&id))
        .unwrap_or_else(|| panic!("no key for {id} in {keys:?}"));
    assert!(!k.contains(&mobile(i)), "raw mobile in {k}");
    assert!(k.contains('*'), "mobile not masked in {k}");
    k.to_string()
}

#[test]
fn issue_20_four_runs_flag_the_drop_the_schema_break_the_retype_and_diff_the_failing_keys() {
    let t = CliTest::new();
    t.write("customers.yaml", RULES);

    // Run 1: 20 customers, bad e-mails 3 and 7. Nothing to compare with.
    t.write("customers.csv", &extract(20, &[3, 7], true, false));
    let (code, r1, stderr) = scan(&t, "2026-12-01");
    assert_eq!(code, 0, "{stderr}");
    assert!(r1["datasets"][0].get("drift").is_none());
    let a = anomaly(&r1, "customers.anomaly.row_count.relative");
    assert_eq!(a["status"], "no_baseline");

    // Run 2: 3 fixed, 11 broken, 7 still bad; same size.
    t.write("customers.csv", &extract(20, &[7, 11], true, false));
    let (_, r2, _) = scan(&t, "2026-12-02");
    assert_eq!(
        anomaly(&r2, "customers.anomaly.row_count.relative")["status"],
        "pass"
    );
    assert_eq!(
        anomaly(&r2, "customers.anomaly.row_count.zscore")["status"],
        "no_baseline"
    );
    // The e-mail pass rate is the same (18 of 20) as the day before.
    let w = anomaly(
        &r2,
        "customers.anomaly.pass_rate.customers.email.format.window",
    );
    assert_eq!(w["status"], "pass", "{w:#}");
    assert_eq!(w["expected"], 0.9);
    let drift = &r2["datasets"][0]["drift"];
    assert_eq!(drift["rows"]["delta"], 0.0);
    assert!(drift["columns_retyped"].as_array().unwrap().is_empty());

    // Run 3: half the rows. The third run already flags it: relative (fail) and the
    // z-score with its widened band (warn).
    t.write("customers.csv", &extract(10, &[7], true, false));
    let (code, r3, stderr) = scan(&t, "2026-12-03");
    assert_eq!(code, 1, "{stderr}");
    let rel = anomaly(&r3, "customers.anomaly.row_count.relative");
    assert_eq!(rel["status"], "fail");
    assert_eq!(rel["current"], 10.0);
    assert_eq!(rel["expected"], 20.0);
    assert_eq!(rel["deviation"], -0.5);
    let z = anomaly(&r3, "customers.anomaly.row_count.zscore");
    assert_eq!(z["status"], "warn", "{z:#}");
    assert_eq!(z["short_history"], true);
    assert_eq!(z["history_runs"], 2);
    let reasons = r3["gate"]["reasons"].as_array().unwrap();
    assert!(
        reasons.iter().any(|r| r
            .as_str()
            .unwrap()
            .contains("customers.anomaly.row_count.relative")),
        "{reasons:?}"
    );
    assert_eq!(r3["datasets"][0]["drift"]["rows"]["relative"], -0.5);

    // Run 4: e-mail column gone (a schema failure), age now read as text (drift).
    t.write("customers.csv", &extract(20, &[], false, true));
    let (code, r4, _) = scan(&t, "2026-12-04");
    assert_eq!(code, 1);
    let missing = check(&r4, "customers.schema.missing.email");
    assert_eq!(
        (missing["failed"].as_u64(), missing["status"].as_str()),
        (Some(1), Some("fail"))
    );
    let drift = &r4["datasets"][0]["drift"];
    assert_eq!(drift["columns_removed"], serde_json::json!(["email"]));
    assert_eq!(
        drift["columns_retyped"],
        serde_json::json!([{ "column": "age", "previous": "Int64", "current": "Utf8" }])
    );

    // The history: four runs, and the diff of runs 1 and 2 by masked keys.
    let h = t.run(&["history", "hist", "--format", "json", "--diff", "1", "2"]);
    assert_eq!(h.code, 0, "{}", h.stderr);
    let v: Value = serde_json::from_str(&h.stdout).unwrap();
    assert_eq!(v["runs_total"], 4);
    let ds = &v["datasets"][0];
    let rows: Vec<u64> = ds["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rows"].as_u64().unwrap())
        .collect();
    assert_eq!(rows, [20, 20, 10, 20]);
    let diff = v["diff"]["datasets"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "customers.email.format")
        .expect("the email check in the diff");
    let list = |name: &str| diff[name].as_array().unwrap().clone();
    assert_eq!(list("new_failures").len(), 1);
    assert_eq!(list("fixed").len(), 1);
    assert_eq!(list("still_failing").len(), 1);
    key_of(&list("new_failures"), 11);
    key_of(&list("fixed"), 3);
    key_of(&list("still_failing"), 7);
    assert_eq!(diff["partial"], false);
    // The last run's drift and verdicts are in the history view too.
    assert_eq!(ds["drift"]["columns_removed"], serde_json::json!(["email"]));

    // The terminal view of the same, as a snapshot (times filtered).
    let table = t.run(&["history", "hist", "--diff", "1", "2"]);
    assert_run_snapshot!(t, "four_runs_table", table);

    // No raw mobile number anywhere in the store or the outputs.
    for f in std::fs::read_dir(t.path("hist")).unwrap() {
        let bytes = std::fs::read(f.unwrap().path()).unwrap();
        for i in 1..=20 {
            let m = mobile(i);
            assert!(
                !bytes.windows(m.len()).any(|w| w == m.as_bytes()),
                "raw mobile {i} in the store"
            );
        }
    }
    for format in ["table", "markdown", "html"] {
        let r = t.run(&[
            "history", "hist", "--format", format, "--diff", "latest~3", "latest~2",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(!r.stdout.contains(&mobile(11)), "{format}");
        let key = if format == "markdown" {
            "C0011\\|"
        } else {
            "C0011|"
        };
        assert!(r.stdout.contains(key), "{format}: {}", r.stdout);
        if format == "html" {
            assert!(r.stdout.contains("<svg"), "charts are inline SVG");
            assert!(!r.stdout.contains("http://") && !r.stdout.contains("https://"));
        }
    }
}

#[test]
fn issue_20_two_scans_at_once_both_land_in_the_history() {
    let t = CliTest::new();
    t.write("customers.yaml", RULES);
    t.write("customers.csv", &extract(20, &[3], true, false));
    let spawn = || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("steward"))
            .current_dir(t.path(""))
            .env_clear()
            .args([
                "scan",
                "customers.csv",
                "--rules",
                "customers.yaml",
                "--history",
                "hist",
                "--no-audit",
                "--format",
                "json",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let children: Vec<_> = (0..4).map(|_| spawn()).collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        // Each run's own verdict (the gate passes); never a store error (2).
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let h = t.run(&["history", "hist", "--format", "json"]);
    assert_eq!(h.code, 0, "{}", h.stderr);
    let v: Value = serde_json::from_str(&h.stdout).unwrap();
    assert_eq!(v["runs_total"], 4);
    let ids: BTreeSet<&str> = v["datasets"][0]["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["run_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 4);
}

#[test]
fn issue_20_history_mistakes_are_usage_errors() {
    let t = CliTest::new();
    t.write("customers.yaml", RULES);
    t.write("customers.csv", &extract(5, &[], true, false));
    let r = t.run(&["history", "nowhere"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("nowhere"), "{}", r.stderr);
    let s = t.run(&[
        "scan",
        "customers.csv",
        "--rules",
        "customers.yaml",
        "--history",
        "hist",
    ]);
    assert_eq!(s.code, 0, "{}{}", s.stdout, s.stderr);
    let r = t.run(&["history", "hist", "--dataset", "custmers"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("did you mean 'customers'?"),
        "{}",
        r.stderr
    );
    let r = t.run(&["history", "hist", "--diff", "1", "9"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("run '9'"), "{}", r.stderr);
    let r = t.run(&["history", "hist", "--retain", "3w"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("90d"), "{}", r.stderr);
}
