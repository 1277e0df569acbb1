//! Inputs named by URL: `file://` objects and prefixes score exactly like the same data
//! read by path; missing objects are input errors; credentials in URLs never reach
//! stderr or the audit log.

use serde_json::{Value, json};

use super::CliTest;

const AS_OF: &str = "2026-11-01";

/// What must not change with where the data is read from: per dataset its rows, scores
/// and every check's counts, and the gate. (Paths, hashes and timings may differ.)
pub fn verdicts(report: &Value) -> Value {
    let datasets: Vec<Value> = report["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let checks: Vec<Value> = d["checks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    json!({
                        "id": c["id"], "evaluated": c["evaluated"], "failed": c["failed"],
                        "duplicate_values": c["duplicate_values"],
                        "duplicate_rows": c["duplicate_rows"], "passed": c["passed"],
                    })
                })
                .collect();
            json!({"name": d["name"], "rows": d["rows"], "scores": d["scores"], "checks": checks})
        })
        .collect();
    json!({"datasets": datasets, "gate": report["gate"]})
}

/// `steward scan ARGS --as-of 2026-11-01 --format json`: exit code, report, stderr.
pub fn scan_json(t: &CliTest, args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["scan", "--as-of", AS_OF, "--format", "json", "--no-audit"];
    all.extend_from_slice(args);
    let r = t.run(&all);
    let report =
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", r.stdout, r.stderr));
    (r.code, report, r.stderr)
}

fn file_url(t: &CliTest, rel: &str) -> String {
    format!("file://{}", t.path(rel).display())
}

#[test]
fn file_urls_score_like_paths() {
    let t = CliTest::new();
    for file in ["fixtures/customers.csv", "fixtures/customers.parquet"] {
        let (code, local, _) = scan_json(&t, &[file, "--rules", "rules/customer-core.yaml"]);
        let url = file_url(&t, file);
        let (code_url, remote, stderr) =
            scan_json(&t, &[&url, "--rules", "rules/customer-core.yaml"]);
        assert_eq!((code, code_url), (1, 1), "{stderr}");
        assert_eq!(verdicts(&local), verdicts(&remote), "{file}");
        let input = &remote["run"]["inputs"][0];
        assert_eq!(input["path"], url.as_str());
        assert_eq!(input["sha256"], local["run"]["inputs"][0]["sha256"]);
    }
}

#[test]
fn a_prefix_of_parts_is_one_dataset() {
    let t = CliTest::new();
    let csv = std::fs::read_to_string(t.path("fixtures/customers.csv")).unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    std::fs::create_dir_all(t.path("lake/customers")).unwrap();
    let mut bytes = 0;
    // Three parts; the birth dates of the first rows decide the inferred types, as for
    // one file, and a marker file without the extension is not read.
    for (i, chunk) in rows.chunks(50).enumerate() {
        let text = format!("{header}\n{}\n", chunk.join("\n"));
        bytes += text.len();
        t.write(&format!("lake/customers/part-{i}.csv"), &text);
    }
    t.write("lake/customers/_SUCCESS", "");
    let (_, local, _) = scan_json(
        &t,
        &[
            "fixtures/customers.csv",
            "--rules",
            "rules/customer-core.yaml",
        ],
    );
    let url = format!("{}/", file_url(&t, "lake/customers"));
    let (code, remote, stderr) = scan_json(
        &t,
        &[
            &url,
            "--input-format",
            "csv",
            "--rules",
            "rules/customer-core.yaml",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(verdicts(&local), verdicts(&remote));
    assert_eq!(remote["run"]["inputs"][0]["bytes"], bytes);

    // A prefix has no extension to go by.
    let r = t.run(&[
        "scan",
        &url,
        "--rules",
        "rules/customer-core.yaml",
        "--no-audit",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--input-format"), "{}", r.stderr);
}

#[test]
fn missing_objects_are_input_errors() {
    let t = CliTest::new();
    let url = format!("{}?token=hunter2", file_url(&t, "fixtures/nope.csv"));
    let r = t.run(&[
        "scan",
        &url,
        "--rules",
        "rules/customer-core.yaml",
        "--no-audit",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("nope.csv") && r.stderr.contains("not found"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("hunter2"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn credentials_never_reach_stderr_or_the_audit_log() {
    let t = CliTest::new();
    for url in [
        "ftp://steward:hunter2@files.example/customers.csv",
        "postgres://steward:hunter2@127.0.0.1:1/crm?password=hunter2&table=customers",
    ] {
        let r = t.run(&[
            "scan",
            url,
            "--rules",
            "rules/customer-core.yaml",
            "--audit-log",
            "audit.jsonl",
        ]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(!r.stderr.contains("hunter2"), "{}", r.stderr);
        assert!(r.stderr.contains("steward:***@"), "{}", r.stderr);
    }
    let log = std::fs::read_to_string(t.path("audit.jsonl")).unwrap();
    assert_eq!(log.lines().count(), 2);
    assert!(!log.contains("hunter2"));
    assert!(log.contains("steward:***@files.example"));
}

/// A file name with dots before its extension (`crm.2024-11.csv`) is one table name,
/// not a catalog.schema.table reference: classify and scan read it like any other.
#[test]
fn dotted_file_names_are_one_table() {
    let t = CliTest::new();
    let csv = std::fs::read_to_string(t.path("fixtures/customers_clean.csv")).unwrap();
    t.write("crm.2024-11.csv", &csv);
    let r = t.run(&["classify", "crm.2024-11.csv", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = t.run(&[
        "scan",
        "crm.2024-11.csv",
        "--rules",
        "rules/customer-core.yaml",
        "--as-of",
        AS_OF,
    ]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert!(!r.stderr.contains("catalog"), "{}", r.stderr);
}
