//! `steward risk` and mask's `verify:` target: every metric against an independent
//! computation (`fixtures/gen/risk_oracle.py`, written from docs/risk.md, its numbers
//! in `fixtures/risk/expected.json`), a hand-checked fixture, exit codes, and no value
//! of a quasi-identifier in any output.

use serde_json::Value;

use crate::CliTest;

fn json(r: &crate::Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", r.stdout, r.stderr))
}

fn close(a: &Value, b: &Value, what: &str) {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => assert!(
            (x - y).abs() <= 1e-9 * y.abs().max(1.0),
            "{what}: steward {x}, oracle {y}"
        ),
        _ => assert_eq!(a, b, "{what}"),
    }
}

/// Compare every field the oracle gives (numbers within 1e-9, the rest exactly).
fn compare(got: &Value, want: &Value, path: &str) {
    match want {
        Value::Object(m) => {
            for (k, w) in m {
                compare(&got[k], w, &format!("{path}.{k}"));
            }
        }
        Value::Array(items) => {
            let g = got
                .as_array()
                .unwrap_or_else(|| panic!("{path}: not a list: {got}"));
            assert_eq!(g.len(), items.len(), "{path}: length");
            for (i, (g, w)) in g.iter().zip(items).enumerate() {
                compare(g, w, &format!("{path}[{i}]"));
            }
        }
        _ => close(got, want, path),
    }
}

/// A copy of `file` with `columns` cut to their first 4 characters (the year of a
/// date), written as CSV: the oracle's `generalize_year`, done here without steward.
fn generalized(t: &CliTest, file: &str, columns: &[String]) -> String {
    let text = std::fs::read_to_string(t.path(file)).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&headers).unwrap();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let row: Vec<String> = headers
            .iter()
            .zip(rec.iter())
            .map(|(h, v)| {
                if columns.iter().any(|c| c == h) {
                    v.chars().take(4).collect()
                } else {
                    v.to_string()
                }
            })
            .collect();
        w.write_record(&row).unwrap();
    }
    let out = format!("{}.year.csv", file.replace('/', "_"));
    std::fs::write(t.path(&out), w.into_inner().unwrap()).unwrap();
    out
}

fn risk_args(case: &Value, file: &str) -> Vec<String> {
    let list = |k: &str| -> String {
        case[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut args = vec![
        "risk".to_string(),
        file.to_string(),
        "--quasi".into(),
        list("quasi"),
        "--sensitive".into(),
        list("sensitive"),
        "--k".into(),
        case["k"].to_string(),
        "--max-risk".into(),
        case["max_risk"].to_string(),
        "--format".into(),
        "json".into(),
    ];
    if let Some(i) = case["individual"].as_str() {
        args.extend(["--individual".into(), i.to_string()]);
    }
    args
}

#[test]
fn every_metric_agrees_with_the_independent_oracle() {
    let t = CliTest::new();
    let cases: Value = serde_json::from_str(
        &std::fs::read_to_string(t.path("fixtures/risk/expected.json")).unwrap(),
    )
    .unwrap();
    let cases = cases.as_array().unwrap();
    assert!(cases.len() >= 8);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let mut file = case["file"].as_str().unwrap().to_string();
        let years: Vec<String> = case["generalize_year"]
            .as_array()
            .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
            .unwrap_or_default();
        if !years.is_empty() {
            file = generalized(&t, &file, &years);
        }
        let args = risk_args(case, &file);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = t.run(&args);
        assert!(r.code == 0 || r.code == 1, "{name}: {}", r.stderr);
        let report = json(&r);
        let d = &report["datasets"][0];
        compare(d, &case["expect"], name);
        // Exit 1 exactly when the grade is not low-risk.
        assert_eq!(r.code == 0, d["grade"] == "low-risk", "{name}");
    }
}

/// patients.csv, by hand (fixtures/risk/README.md).
#[test]
fn hand_checked_patients() {
    let t = CliTest::new();
    let r = t.run(&[
        "risk",
        "fixtures/risk/patients.csv",
        "--quasi",
        "性别,邮编",
        "--k",
        "2",
        "--format",
        "json",
    ]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let d = &json(&r)["datasets"][0];
    let csv = std::fs::read_to_string(t.path("fixtures/risk/patients.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let h = rdr.headers().unwrap().clone();
    let gi = h.iter().position(|c| c == "性别").unwrap();
    let pi = h.iter().position(|c| c == "邮编").unwrap();
    // A third count, with a map: class sizes.
    let mut classes = std::collections::BTreeMap::<(String, String), u64>::new();
    let mut n = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        *classes
            .entry((rec[gi].to_string(), rec[pi].to_string()))
            .or_default() += 1;
        n += 1;
    }
    let k = *classes.values().min().unwrap();
    assert_eq!(d["rows"], n);
    assert_eq!(d["classes"], classes.len() as u64);
    assert_eq!(d["k"], k);
    // Leading zeros count: 010020 is not 10020.
    assert!(
        csv.contains(",010020,") || csv.contains(",010020\n"),
        "fixture lost its leading zero"
    );
}

#[test]
fn masking_reaches_k_only_after_generalising_birth_dates_to_years() {
    let t = CliTest::new();
    let cases: Value = serde_json::from_str(
        &std::fs::read_to_string(t.path("fixtures/risk/expected.json")).unwrap(),
    )
    .unwrap();
    // The oracle's members case with years, and the same without.
    let with_years = cases
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["file"] == "fixtures/risk/members.csv"
                && c["generalize_year"]
                    .as_array()
                    .is_some_and(|a| !a.is_empty())
                && c["expect"]["k"].as_u64().unwrap() >= 5
        })
        .expect("a members case reaching k >= 5 with years");
    let quasi: Vec<&str> = with_years["quasi"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let individual = with_years["individual"].as_str();
    let verify = format!(
        "verify: {{ k_anonymity: 5, quasi: [{}]{} }}\n",
        quasi.join(", "),
        individual
            .map(|i| format!(", individual: {i}"))
            .unwrap_or_default()
    );
    // Masked, but birth dates kept: below the target, exit 1, with the figures.
    t.write("keep.yaml", &format!("version: 1\n{verify}"));
    let r = t.run(&[
        "mask",
        "fixtures/risk/members.csv",
        "--policy",
        "keep.yaml",
        "--output",
        "keep.csv",
    ]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("FAIL  re-identification: k = "),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("generalising birth_date further helps most"),
        "{}",
        r.stdout
    );
    // Birth dates to years: the target is met, and `steward risk` on the output agrees
    // with the oracle.
    t.write(
        "years.yaml",
        &format!(
            "version: 1\ncolumns:\n  birth_date: {{ method: generalize, to: year }}\n{verify}"
        ),
    );
    let r = t.run(&[
        "mask",
        "fixtures/risk/members.csv",
        "--policy",
        "years.yaml",
        "--output",
        "years.csv",
    ]);
    let k = with_years["expect"]["k"].as_u64().unwrap();
    assert!(
        r.stdout
            .contains(&format!("PASS  re-identification: k = {k} (target 5)")),
        "{}",
        r.stdout
    );
    let mut args = vec!["risk", "years.csv", "--quasi"];
    let q = quasi.join(",");
    args.push(&q);
    if let Some(i) = individual {
        args.extend(["--individual", i]);
    }
    args.extend(["--format", "json"]);
    let r = t.run(&args);
    let d = &json(&r)["datasets"][0];
    assert_eq!(d["k"], k);
    close(
        &d["prosecutor"]["average"],
        &with_years["expect"]["prosecutor"]["average"],
        "average",
    );
}

#[test]
fn usage_errors_exit_2_and_no_value_is_printed() {
    let t = CliTest::new();
    let r = t.run(&["risk", "fixtures/risk/patients.csv", "--quasi", "性别,邮政"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("--quasi: column '邮政' is not in"),
        "{}",
        r.stderr
    );
    let r = t.run(&["risk", "fixtures/risk/patients.csv", "--max-risk", "2"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = t.run(&["risk", "fixtures/malformed/ragged.csv"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("ragged.csv:5"), "{}", r.stderr);
    t.write(
        "bad.yaml",
        "version: 1\nverify: { k_anonymity: 5, quasi: [birth] }\n",
    );
    let r = t.run(&[
        "mask",
        "fixtures/risk/members.csv",
        "--policy",
        "bad.yaml",
        "--output",
        "o.csv",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("verify: column 'birth' is not in"),
        "{}",
        r.stderr
    );
    assert!(!t.path("o.csv").exists());

    // No quasi-identifier value in any format: every value of the quasi columns of the
    // fixtures (2+ characters) is absent from the outputs.
    let mut outputs = Vec::new();
    for format in ["table", "json", "markdown"] {
        for file in ["fixtures/risk/patients.csv", "fixtures/risk/members.csv"] {
            let r = t.run(&["risk", file, "--format", format]);
            assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
            outputs.push(r.stdout + &r.stderr);
        }
    }
    let mut values = Vec::new();
    for (file, columns) in [
        ("fixtures/risk/patients.csv", &["出生日期", "邮编"][..]),
        (
            "fixtures/risk/members.csv",
            &["birth_date", "member_id"][..],
        ),
    ] {
        let text = std::fs::read_to_string(t.path(file)).unwrap();
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let h = rdr.headers().unwrap().clone();
        for rec in rdr.records() {
            let rec = rec.unwrap();
            for (name, v) in h.iter().zip(rec.iter()) {
                if columns.contains(&name) && v.chars().count() >= 5 {
                    values.push(v.to_string());
                }
            }
        }
    }
    crate::assert_no_raw_values(&values, &outputs);
}
