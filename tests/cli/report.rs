//! `steward report`: snapshots of the Markdown and JSON compliance report on the
//! fixtures, no raw personal data in any format, a self-contained HTML file, exit codes,
//! deterministic output, declaration errors, history and the max_drop gate.

use serde_json::Value;

use super::CliTest;

const COMPLIANCE: &str = "fixtures/compliance/customers-compliance.yaml";

fn report(t: &CliTest, format: &str, extra: &[&str]) -> super::Run {
    let mut args = vec![
        "report",
        "fixtures/customers.csv",
        "--rules",
        "rules/customer-core.yaml",
        "--rules",
        COMPLIANCE,
        "--regime",
        "pipl",
        "--regime",
        "gdpr",
        "--as-of",
        "2026-11-01",
        "--format",
        format,
    ];
    args.extend_from_slice(extra);
    t.run(&args)
}

/// Run-specific text out: times, durations, version, hashes.
fn stable(text: &str) -> String {
    let filters = [
        (
            r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})",
            "[time]",
        ),
        (r"\b\d+ ms\b", "[ms]"),
        (r"\b[0-9a-f]{64}\b", "[sha256]"),
        (r"rules sha256 [0-9a-f]{12}", "rules sha256 [sha256]"),
    ];
    let mut out = super::scan::stable(text);
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
    for format in ["markdown", "json"] {
        let r = report(&t, format, &[]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        insta::assert_snapshot!(format!("compliance_{format}"), stable(&r.stdout));
    }
}

#[test]
fn obligations_get_the_expected_status_and_evidence() {
    let t = CliTest::new();
    let r = report(&t, "json", &[]);
    assert_eq!(r.code, 1, "an obligation fails: {}", r.stderr);
    assert!(
        r.stderr.starts_with("FAIL  18 obligation(s)"),
        "{}",
        r.stderr
    );
    let json: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["kind"], "compliance");
    let status = |id: &str| -> String {
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .unwrap_or_else(|| panic!("no finding {id}"))["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    for (id, expected) in [
        ("PIPL-6", "fail"),
        ("PIPL-8", "fail"),
        ("PIPL-19", "fail"),
        ("PIPL-28", "needs_review"),
        ("PIPL-51", "fail"),
        ("PIPL-38", "fail"),
        ("PIPL-54", "needs_review"),
        ("PIPL-55", "needs_review"),
        ("GDPR-5-1-C", "fail"),
        ("GDPR-9", "pass"),
        ("GDPR-30", "pass"),
        ("GDPR-44", "pass"),
    ] {
        assert_eq!(status(id), expected, "{id}");
    }
    let inventory = json["inventory"].as_array().unwrap();
    let id_number = inventory
        .iter()
        .find(|i| i["column"] == "id_number")
        .unwrap();
    assert_eq!(id_number["category"], "cn_resident_id");
    assert_eq!(id_number["sensitivity"], "sensitive");
    assert_eq!(id_number["protection"], "clear");
    assert_eq!(id_number["declared"], false);
    assert_eq!(json["summary"]["individuals"], 120);
}

#[test]
fn no_raw_personal_data_in_any_report_format() {
    let t = CliTest::new();
    let values = super::sensitive_values(&t);
    let mut outputs = Vec::new();
    for format in ["html", "markdown", "json"] {
        let r = report(&t, format, &[]);
        outputs.push(r.stdout + &r.stderr);
    }
    outputs.push(std::fs::read_to_string(t.path(".steward/audit.jsonl")).unwrap());
    super::assert_no_raw_values(&values, &outputs);
}

#[test]
fn html_is_one_self_contained_escaped_file() {
    let t = CliTest::new();
    let r = report(&t, "html", &["--output", "report.html"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    let html = std::fs::read_to_string(t.path("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg class=\"gauge\""));
    let lower = html.to_lowercase();
    for needle in [
        "http://",
        "https://",
        "src=\"//",
        "href=\"//",
        "@import",
        "url(",
        "<script",
        "<link",
        "<img",
        "<iframe",
        "@font-face",
    ] {
        assert!(
            !lower.contains(needle),
            "external reference or script: {needle}"
        );
    }
    // Every href is an in-page anchor; no src attribute at all.
    for (i, _) in lower.match_indices("href=\"") {
        assert_eq!(&lower[i + 6..i + 7], "#", "{}", &lower[i..i + 40]);
    }
    assert!(!lower.contains(" src="));
}

#[test]
fn hostile_names_are_escaped_in_html() {
    let t = CliTest::new();
    t.write(
        "x.csv",
        "id,\"<img onerror=alert(1)>\",\"a&b\"\n1,<b>x</b>,\"<script>alert(2)</script>\"\n2,y,z\n",
    );
    t.write(
        "x.yaml",
        "version: 1\ncolumns:\n  id: { required: true }\ncompliance:\n  purpose: \"<script>p</script>\"\n  destination: CN\n",
    );
    let r = t.run(&[
        "report", "x.csv", "--rules", "x.yaml", "--regime", "pipl", "--format", "html",
    ]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert!(!r.stdout.contains("<script>"), "unescaped");
    assert!(!r.stdout.contains("<img onerror"), "unescaped");
    assert!(r.stdout.contains("&lt;script&gt;p&lt;/script&gt;"));
}

#[test]
fn same_input_gives_the_same_report() {
    let t = CliTest::new();
    for format in ["html", "markdown", "json"] {
        let a = report(&t, format, &["--no-audit"]);
        let b = report(&t, format, &["--no-audit"]);
        assert_eq!(stable(&a.stdout), stable(&b.stdout), "{format}");
    }
}

#[test]
fn declaration_errors_name_file_line_and_column() {
    let t = CliTest::new();
    t.write(
        "bad.yaml",
        "version: 1\ndataset: customers\ncompliance:\n  lawful_basis: consnt\n  destination: de\n  retention: { period: 3 years, column: created_at }\n  purpse: x\n",
    );
    let r = t.run(&["rules", "check", "bad.yaml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("bad.yaml:7:3: unknown field `purpse`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("did you mean 'purpose'?"), "{}", r.stderr);
    t.write(
        "bad.yaml",
        "version: 1\ndataset: customers\ncompliance:\n  lawful_basis: consnt\n  destination: de\n  retention: { period: 3 years, column: created_at }\n",
    );
    let r = t.run(&["rules", "check", "bad.yaml"]);
    assert_eq!(r.code, 2);
    for expected in [
        "bad.yaml:4:17: unknown lawful basis 'consnt'",
        "did you mean 'consent'?",
        "bad.yaml:5:16: unknown destination country 'de'",
        "did you mean 'DE'?",
        "bad.yaml:6:24: retention period '3 years' is not a duration",
    ] {
        assert!(r.stderr.contains(expected), "{expected}: {}", r.stderr);
    }
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
        "--output",
        "r.html",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("cols.yaml:4:35: declared column 'mobil' is not in dataset 'customers'"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("did you mean 'mobile'?"), "{}", r.stderr);
    assert!(!t.path("r.html").exists());
}

#[test]
fn history_shows_the_trend_and_a_drop_beyond_max_drop_fails_the_gate() {
    let t = CliTest::new();
    let r = report(&t, "json", &["--history", "hist"]);
    let first: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(first["history"]["previous_runs"], 0);
    let runs = std::fs::read_dir(t.path("hist")).unwrap().count();
    assert_eq!(runs, 1);
    let r = report(&t, "markdown", &["--history", "hist"]);
    assert!(r.stdout.contains("## History"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("| customers | 98.01 | 98.01 | +0.00 | 2 |"),
        "{}",
        r.stdout
    );
    // Make the data worse than the tolerance: blank name, mobile and address of 60 rows.
    let csv = std::fs::read_to_string(t.path("fixtures/customers.csv")).unwrap();
    let worse: Vec<String> = csv
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if (1..=60).contains(&i) {
                let mut f: Vec<&str> = l.split(',').collect();
                f[1] = "";
                f[5] = "";
                f[7] = "";
                f.join(",")
            } else {
                l.to_string()
            }
        })
        .collect();
    t.write("fixtures/customers.csv", &(worse.join("\n") + "\n"));
    let r = report(&t, "json", &["--history", "hist"]);
    assert_eq!(r.code, 1);
    let json: Value = serde_json::from_str(&r.stdout).unwrap();
    let reasons = json["gate"]["reasons"].to_string();
    assert!(reasons.contains("more than gate.max_drop 2"), "{reasons}");
    assert_eq!(json["history"]["previous_runs"], 2);
    assert_eq!(json["history"]["trend"].as_array().unwrap().len(), 3);
    // scan --history applies the same tolerance.
    let r = t.run(&[
        "scan",
        "fixtures/customers.csv",
        "--rules",
        "rules/customer-core.yaml",
        "--rules",
        COMPLIANCE,
        "--as-of",
        "2026-11-01",
        "--history",
        "hist",
    ]);
    assert_eq!(r.code, 1);
    assert_eq!(std::fs::read_dir(t.path("hist")).unwrap().count(), 4);
}

#[test]
fn a_masked_extract_shows_its_protection() {
    let t = CliTest::new();
    let key = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
    t.write(
        "policy.yaml",
        "version: 1\ncolumns:\n  id_number: encrypt\n  mobile: tokenize\n  name: partial\n",
    );
    let r = t.run_env(
        &[
            "mask",
            "fixtures/customers.csv",
            "--policy",
            "policy.yaml",
            "--output",
            "masked.csv",
        ],
        &[("STEWARD_KEY", key)],
    );
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    t.write(
        "m.yaml",
        "version: 1\ndataset: masked\ncompliance:\n  destination: CN\n",
    );
    let r = t.run(&[
        "report",
        "masked.csv",
        "--rules",
        "m.yaml",
        "--regime",
        "pipl",
        "--format",
        "json",
    ]);
    let json: Value =
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stderr));
    let prot = |c: &str| {
        json["inventory"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["column"] == c)
            .map(|i| i["protection"].as_str().unwrap().to_string())
    };
    assert_eq!(prot("id_number").as_deref(), Some("encrypted"));
    assert_eq!(prot("mobile").as_deref(), Some("tokenized"));
    let audit = std::fs::read_to_string(t.path(".steward/audit.jsonl")).unwrap();
    assert!(audit.contains("\"command\":\"mask\""));
    assert!(!audit.contains(key), "key leaked");
    assert!(audit.contains("\"key_ids\":[\""), "{audit}");
}
