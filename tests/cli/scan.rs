//! `steward scan` on the fixtures: counts and scores equal the independent oracle in
//! `fixtures/expected/`, exit codes, malformed inputs, report formats, and no raw
//! personal data in any output.

use serde_json::Value;

use super::CliTest;

const AS_OF: &str = "2026-11-01";

fn expected(name: &str) -> Value {
    let path = format!("{}/fixtures/expected/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every check's counts and every score of `dataset` equal the oracle's.
fn assert_matches_oracle(report: &Value, oracle: &Value) {
    let name = oracle["dataset"].as_str().unwrap();
    let ds = report["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == name)
        .unwrap_or_else(|| panic!("no dataset {name}"));
    assert_eq!(ds["rows"], oracle["rows"]);
    let checks = ds["checks"].as_array().unwrap();
    let expected = oracle["checks"].as_object().unwrap();
    assert_eq!(checks.len(), expected.len(), "check count");
    for c in checks {
        let id = c["id"].as_str().unwrap();
        let e = &expected[id];
        for field in [
            "dimension",
            "evaluated",
            "failed",
            "duplicate_values",
            "duplicate_rows",
        ] {
            if !e[field].is_null() {
                assert_eq!(c[field], e[field], "{id}.{field}");
            }
        }
    }
    for (dim, score) in oracle["scores"].as_object().unwrap() {
        let got = ds["scores"][dim].as_f64().unwrap();
        assert!(
            (got - score.as_f64().unwrap()).abs() < 1e-9,
            "{dim}: {got} vs {score}"
        );
    }
    assert_eq!(
        report["gate"]["passed"], oracle["gate"]["passed"],
        "gate: {}",
        report["gate"]
    );
}

/// `steward scan FILE --rules rules/customer-core.yaml --as-of 2026-11-01 EXTRA...`
fn scan_core(t: &CliTest, file: &str, extra: &[&str]) -> super::Run {
    let mut args = vec![
        "scan",
        file,
        "--rules",
        "rules/customer-core.yaml",
        "--as-of",
        AS_OF,
    ];
    args.extend_from_slice(extra);
    t.run(&args)
}

fn scan_json(t: &CliTest, args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["scan", "--as-of", AS_OF, "--format", "json"];
    all.extend_from_slice(args);
    let r = t.run(&all);
    let report =
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", r.stdout, r.stderr));
    (r.code, report, r.stderr)
}

#[test]
fn defective_customers_match_the_oracle_in_every_format() {
    let t = CliTest::new();
    let oracle = expected("customers.json");
    for (file, extra) in [
        ("fixtures/customers.csv", None),
        ("fixtures/customers_gbk.csv", Some("gbk")),
        ("fixtures/customers.ndjson", None),
        ("fixtures/customers.parquet", None),
    ] {
        let mut args = vec![file, "--rules", "rules/customer-core.yaml"];
        if let Some(enc) = extra {
            args.extend(["--encoding", enc]);
        }
        let (code, report, stderr) = scan_json(&t, &args);
        assert_eq!(code, 1, "{file}: {stderr}");
        assert_matches_oracle(&report, &oracle);
        assert!(
            stderr.starts_with("FAIL  gate failed: customers: check CONS-BIRTH"),
            "{stderr}"
        );
    }
}

#[test]
fn clean_customers_pass() {
    let t = CliTest::new();
    let (code, report, stderr) = scan_json(
        &t,
        &[
            "fixtures/customers_clean.csv",
            "--rules",
            "rules/customer-core.yaml",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_matches_oracle(&report, &expected("customers_clean.json"));
}

#[test]
fn orders_reference_customers_across_datasets() {
    let t = CliTest::new();
    for orders in ["fixtures/orders.csv", "fixtures/orders.parquet"] {
        let (code, report, _) =
            scan_json(&t, &[orders, "fixtures/customers.csv", "--rules", "rules/"]);
        assert_eq!(code, 1);
        assert_matches_oracle(&report, &expected("orders.json"));
        assert_matches_oracle(&report, &expected("customers.json"));
    }
}

#[test]
fn unique_checks_report_all_three_duplicate_counts() {
    let t = CliTest::new();
    let (_, report, _) = scan_json(
        &t,
        &[
            "fixtures/customers.csv",
            "--rules",
            "rules/customer-core.yaml",
        ],
    );
    let check = report["datasets"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "customers.duplicates.mobile")
        .unwrap()
        .clone();
    // One mobile shared by three rows: 1 duplicated value, 3 rows in the group, 2 excess.
    assert_eq!(
        (
            &check["duplicate_values"],
            &check["duplicate_rows"],
            &check["failed"]
        ),
        (&1.into(), &3.into(), &2.into())
    );
}

#[test]
fn fail_under_overrides_the_overall_minimum() {
    let t = CliTest::new();
    let r = scan_core(
        &t,
        "fixtures/customers_clean.csv",
        &["--fail-under", "100.5"],
    );
    assert_eq!(
        r.code, 2,
        "a score above 100 is a usage error: {}",
        r.stderr
    );
    let r = scan_core(&t, "fixtures/customers.csv", &["--fail-under", "99"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("customers: overall 98.01 < 99"),
        "{}",
        r.stdout
    );
    let r = t.run(&[
        "scan",
        "fixtures/orders.csv",
        "fixtures/customers.csv",
        "--rules",
        "rules/",
        "--as-of",
        AS_OF,
        "--fail-under",
        "0",
    ]);
    assert_eq!(r.code, 1, "dimension minimums still apply: {}", r.stderr);
    assert!(
        r.stdout.contains("orders: consistency 95.00 < 99"),
        "{}",
        r.stdout
    );
}

#[test]
fn malformed_inputs_exit_2_naming_file_and_line_and_write_nothing() {
    let t = CliTest::new();
    for (file, location) in [
        (
            "ragged.csv",
            "ragged.csv:5: expected 10 fields as in the header, found 11",
        ),
        ("bad_utf8.csv", "bad_utf8.csv:7: field 7 is not valid UTF-8"),
        (
            "wrong_types.ndjson",
            "wrong_types.ndjson:4: field 'age' is an object here",
        ),
        ("empty.csv", "empty.csv:1: the file is empty"),
        ("header_only.csv", "header_only.csv:2: no data rows"),
    ] {
        let path = format!("fixtures/malformed/{file}");
        let r = t.run(&[
            "scan",
            &path,
            "--rules",
            "rules/customer-core.yaml",
            "--output",
            "out.json",
        ]);
        assert_eq!(r.code, 2, "{file}: {}", r.stderr);
        assert!(
            r.stderr
                .starts_with(&format!("error: fixtures/malformed/{location}")),
            "{file}: {}",
            r.stderr
        );
        assert!(!t.path("out.json").exists(), "{file} left an output file");
        assert_eq!(r.stdout, "");
    }
}

#[test]
fn mistyped_csv_values_are_validity_failures_not_crashes() {
    let t = CliTest::new();
    // `age` is numeric in the first 1000 rows, then `n/a`: read as text and reported.
    let mut csv = String::from("id,age\n");
    for i in 0..1200 {
        csv.push_str(&format!(
            "{i},{}\n",
            if i == 1100 {
                "n/a".to_string()
            } else {
                (i % 90).to_string()
            }
        ));
    }
    t.write("people.csv", &csv);
    t.write(
        "people.yaml",
        "version: 1\ncolumns:\n  age: { format: integer, min: 0, max: 120 }\n",
    );
    let (code, report, stderr) = scan_json(&t, &["people.csv", "--rules", "people.yaml"]);
    assert_eq!(code, 0, "no gate is declared: {stderr}");
    let checks = &report["datasets"][0]["checks"];
    assert_eq!(checks[0]["id"], "people.age.format");
    assert_eq!(checks[0]["failed"], 1);
    assert_eq!(checks[1]["failed"], 1, "min fails the non-number");
    assert!(!report.to_string().contains("n/a"), "raw value leaked");
}

#[test]
fn rule_errors_found_against_the_data_name_the_rule_file() {
    let t = CliTest::new();
    t.write(
        "r.yaml",
        "version: 1\ncolumns:\n  mobil: { required: true }\nchecks:\n  - id: S\n    expect: nosuch_fn(name) > 1\n",
    );
    let r = t.run(&["scan", "fixtures/customers.csv", "--rules", "r.yaml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("r.yaml:3:10: column 'mobil' is not in dataset 'customers'"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("help: did you mean 'mobile'?"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("r.yaml:6:13: SQL expression of check 'S' does not plan"),
        "{}",
        r.stderr
    );
}

#[test]
fn rule_sql_cannot_run_statements() {
    let t = CliTest::new();
    t.write(
        "r.yaml",
        "version: 1\nchecks:\n  - id: S\n    expect: \"1 = 1) FROM customers; DROP TABLE customers; SELECT (1\"\n",
    );
    let r = t.run(&["scan", "fixtures/customers.csv", "--rules", "r.yaml"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("r.yaml:4:13: SQL expression of check 'S' does not plan"),
        "{}",
        r.stderr
    );
}

#[test]
fn output_is_written_atomically_and_verdict_goes_to_stderr() {
    let t = CliTest::new();
    let r = scan_core(
        &t,
        "fixtures/customers_clean.csv",
        &["--format", "junit", "--output", "report.xml"],
    );
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.starts_with("PASS  all gates met"), "{}", r.stderr);
    let xml = std::fs::read_to_string(t.path("report.xml")).unwrap();
    assert!(
        xml.contains("<testsuite name=\"customers\" tests=\"22\" failures=\"0\">"),
        "{xml}"
    );
}

/// Snapshot a report with the run-specific fields filtered out.
pub(crate) fn stable(text: &str) -> String {
    let filters = [
        (r#""started_at": "[^"]+""#, r#""started_at": "[time]""#),
        (r#""duration_ms": \d+"#, r#""duration_ms": "[ms]""#),
        (r#""version": "[^"]+""#, r#""version": "[version]""#),
        (r"steward \d+\.\d+\.\d+", "steward [version]"),
    ];
    let mut out = text.to_string();
    for (re, to) in filters {
        out = regex::Regex::new(re)
            .unwrap()
            .replace_all(&out, to)
            .into_owned();
    }
    out
}

#[test]
fn report_snapshots() {
    let t = CliTest::new();
    for format in ["json", "markdown", "junit", "table"] {
        let r = scan_core(&t, "fixtures/customers.csv", &["--format", format]);
        assert_eq!(r.code, 1);
        insta::assert_snapshot!(format!("customers_{format}"), stable(&r.stdout));
    }
}

#[test]
fn no_raw_personal_data_in_any_output() {
    let t = CliTest::new();
    let values = super::sensitive_values(&t);
    let mut outputs = Vec::new();
    for format in ["json", "markdown", "junit", "table"] {
        let r = scan_core(&t, "fixtures/customers.csv", &["--format", format]);
        outputs.push(r.stdout + &r.stderr);
    }
    for dir in [concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cli/snapshots")] {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries {
                outputs.push(std::fs::read_to_string(e.unwrap().path()).unwrap());
            }
        }
    }
    super::assert_no_raw_values(&values, &outputs);
}

/// A CSV file large enough to be read as parallel byte ranges, whose quoted values hold
/// line breaks (multi-line addresses): read in one piece, every record intact, as a file
/// and as the parts of a `file://` prefix. Read in ranges, a range would start inside a
/// quoted value.
#[test]
fn quoted_line_breaks_in_a_large_csv_keep_every_record() {
    let t = CliTest::new();
    let rows = 40_000;
    let part = |from: usize| {
        let mut csv = String::from("customer_id,address,city\n");
        for i in from..from + rows {
            csv.push_str(&format!(
                "C{i:08},\"北京市朝阳区\n建国路 {i} 号\n2 号楼\r\n3 单元\",北京市\n"
            ));
        }
        assert!(
            csv.len() > 2 << 20,
            "larger than DataFusion's 1 MiB range size"
        );
        csv
    };
    t.write("multiline.csv", &part(0));
    std::fs::create_dir_all(t.path("lake/multiline")).unwrap();
    t.write("lake/multiline/part-0.csv", &part(0));
    t.write("lake/multiline/part-1.csv", &part(rows));
    t.write(
        "multiline.yaml",
        "version: 1\ndataset: multiline\nkey: [customer_id]\ncolumns:\n  \
         customer_id: { required: true, unique: true, pattern: '^C[0-9]{8}$' }\n  \
         address: { required: true }\n  city: { allowed: [北京市] }\n",
    );
    let url = format!("file://{}/", t.path("lake/multiline").display());
    let inputs: [(&[&str], usize); 2] = [
        (&["multiline.csv"], rows),
        (&[&url, "--input-format", "csv"], 2 * rows),
    ];
    for (input, expected) in inputs {
        let mut args = input.to_vec();
        args.extend(["--rules", "multiline.yaml"]);
        let (code, report, stderr) = scan_json(&t, &args);
        assert_eq!(code, 0, "{input:?}: {stderr}");
        let d = &report["datasets"][0];
        assert_eq!(d["rows"], expected, "{input:?}");
        for c in d["checks"].as_array().unwrap() {
            assert_eq!(c["failed"], 0, "{input:?}: {c}");
        }
    }
}
