//! Hostile inputs: rule SQL that reaches for files or catalogs, oversized regexes,
//! deeply nested JSON, corrupt Parquet footers, huge fields, symlinked outputs. Each is
//! refused or handled with a clear message; none panics or writes through a link.

use crate::CliTest;

fn scan_with_rule(t: &CliTest, rule: &str) -> crate::Run {
    t.write(
        "hostile.yaml",
        &format!("version: 1\ndataset: customers\n{rule}"),
    );
    t.run(&[
        "scan",
        "fixtures/customers.csv",
        "--rules",
        "hostile.yaml",
        "--no-audit",
    ])
}

#[test]
fn rule_sql_cannot_read_files_or_catalogs() {
    let t = CliTest::new();
    for expect in [
        "(SELECT COUNT(*) FROM 'fixtures/orders.csv') > 0",
        "(SELECT COUNT(*) FROM information_schema.tables) > 0",
        "(SELECT COUNT(*) FROM read_csv('fixtures/orders.csv')) > 0",
    ] {
        let r = scan_with_rule(
            &t,
            &format!("checks:\n  - id: X\n    dimension: validity\n    expect: \"{expect}\"\n"),
        );
        assert_eq!(r.code, 2, "{expect}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains("hostile.yaml:6:"), "{}", r.stderr);
    }
    let r = scan_with_rule(
        &t,
        "checks:\n  - id: X\n    dimension: validity\n    expect: \"1 = 1; DROP TABLE customers\"\n",
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn oversized_regex_is_a_rule_error() {
    let t = CliTest::new();
    let r = scan_with_rule(&t, "columns:\n  name: { pattern: \"(a{1000}){1000}\" }\n");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("exceeds size limit"), "{}", r.stderr);
}

#[test]
fn deeply_nested_json_and_corrupt_parquet_exit_2() {
    let t = CliTest::new();
    t.write(
        "deep.ndjson",
        &format!("{{\"a\":{}{}}}\n", "[".repeat(100_000), "]".repeat(100_000)),
    );
    let r = t.run(&["classify", "deep.ndjson", "--no-audit"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("deep.ndjson:1:"), "{}", r.stderr);
    std::fs::write(
        t.path("bomb.parquet"),
        b"PAR1garbagegarbage\xff\xff\xff\x7fPAR1",
    )
    .unwrap();
    let r = t.run(&["classify", "bomb.parquet", "--no-audit"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("corrupt Parquet footer"), "{}", r.stderr);
    std::fs::write(t.path("short.parquet"), b"PAR1").unwrap();
    let r = t.run(&["classify", "short.parquet", "--no-audit"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

#[test]
fn a_16_mib_field_is_read_and_never_printed() {
    let t = CliTest::new();
    let text = std::fs::read_to_string(t.path("fixtures/customers.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().take(4).map(String::from).collect();
    let huge = format!("北京市{}", "Z".repeat(16 << 20));
    let mut cells: Vec<String> = lines[2].split(',').map(String::from).collect();
    cells[7] = huge.clone();
    lines[2] = cells.join(",");
    t.write("huge.csv", &(lines.join("\n") + "\n"));
    let r = t.run(&[
        "scan",
        "huge.csv",
        "--rules",
        "rules/customer-core.yaml",
        "--format",
        "json",
        "--no-audit",
    ]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert!(!r.stdout.contains("ZZZZZZZZZZZZZZZZ"), "the value leaked");
    assert!(r.stdout.len() < 1 << 20);
}

#[test]
fn an_output_that_is_a_symlink_is_replaced_not_written_through() {
    let t = CliTest::new();
    t.write("victim.txt", "keep me\n");
    std::os::unix::fs::symlink(t.path("victim.txt"), t.path("out.json")).unwrap();
    let r = t.run(&[
        "scan",
        "fixtures/customers.csv",
        "--rules",
        "rules/customer-core.yaml",
        "--format",
        "json",
        "--output",
        "out.json",
        "--no-audit",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(t.path("victim.txt")).unwrap(),
        "keep me\n"
    );
    let meta = std::fs::symlink_metadata(t.path("out.json")).unwrap();
    assert!(meta.file_type().is_file());
}

#[test]
fn no_key_or_raw_value_reaches_stdout_or_stderr_on_error_paths() {
    const KEY: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
    const OTHER: &str = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";
    let t = CliTest::new();
    let raw = ["13919068179", "Zhang", "@example.com"];
    t.write(
        "enc.yaml",
        "version: 1\ncolumns:\n  mobile: encrypt\n  name: encrypt\n",
    );
    t.write(
        "bad_policy.yaml",
        "version: 1\ncolumns:\n  mobile: encrypt\n  name: { method: nope }\n",
    );
    t.write("k.key", KEY);
    let env = [("STEWARD_KEY", KEY)];
    let r = t.run_env(
        &[
            "mask",
            "fixtures/customers.csv",
            "--policy",
            "enc.yaml",
            "--output",
            "enc.csv",
            "--no-audit",
        ],
        &env,
    );
    // Exit 1: the columns the policy leaves alone are still personal data in clear.
    assert!(r.code <= 1, "{}", r.stderr);
    let text = std::fs::read_to_string(t.path("enc.csv")).unwrap();
    t.write("tampered.csv", &text.replacen("enc:v1:", "enc:v1:0", 3));
    let runs = [
        // Wrong key, tampered values, a bad policy, a short key, a bad rule, bad data,
        // a timeout, a tiny memory limit, a missing key.
        t.run_env(
            &["unmask", "enc.csv", "--output", "o.csv", "--no-audit"],
            &[("STEWARD_KEY", OTHER)],
        ),
        t.run_env(
            &["unmask", "tampered.csv", "--output", "o.csv", "--no-audit"],
            &env,
        ),
        t.run_env(
            &[
                "mask",
                "fixtures/customers.csv",
                "--policy",
                "bad_policy.yaml",
                "--output",
                "o.csv",
                "--no-audit",
            ],
            &env,
        ),
        t.run_env(
            &[
                "mask",
                "fixtures/customers.csv",
                "--policy",
                "enc.yaml",
                "--output",
                "o.csv",
                "--no-audit",
            ],
            &[("STEWARD_KEY", "AQEB")],
        ),
        t.run(&[
            "scan",
            "fixtures/malformed/ragged.csv",
            "--rules",
            "rules/customer-core.yaml",
            "--no-audit",
        ]),
        t.run(&[
            "scan",
            "fixtures/malformed/wrong_types.ndjson",
            "--rules",
            "rules/customer-core.yaml",
            "--no-audit",
        ]),
        t.run(&[
            "scan",
            "fixtures/customers.csv",
            "--rules",
            "rules/customer-core.yaml",
            "--timeout",
            "0.001",
            "--no-audit",
        ]),
        t.run(&[
            "scan",
            "fixtures/customers.csv",
            "--rules",
            "rules/customer-core.yaml",
            "--memory-limit",
            "16K",
            "--no-audit",
        ]),
        t.run(&[
            "mask",
            "fixtures/customers.csv",
            "--policy",
            "enc.yaml",
            "--output",
            "o.csv",
            "--no-audit",
        ]),
        t.run(&[
            "unmask",
            "enc.csv",
            "--key-file",
            "k.key",
            "--columns",
            "nope",
            "--output",
            "o.csv",
            "--no-audit",
        ]),
    ];
    for (i, r) in runs.iter().enumerate() {
        assert_ne!(r.code, 0, "run {i} should fail: {}", r.stderr);
        let all = format!("{}{}", r.stdout, r.stderr);
        assert!(
            !all.contains(KEY) && !all.contains(OTHER) && !all.contains("AQEB"),
            "run {i}: key text printed"
        );
        assert!(!all.contains("panicked"), "run {i}: {all}");
        for v in raw {
            assert!(!all.contains(v), "run {i}: raw value printed: {all}");
        }
    }
    assert!(!t.path("o.csv").exists());
}

/// Found by the `csv` fuzz target: a header naming a column twice was an internal error.
#[test]
fn fuzz_csv_duplicate_header_name_is_a_data_error() {
    let t = CliTest::new();
    t.write("dup.csv", "id,gender,name,gender\n1,M,a,M\n");
    let r = t.run(&["classify", "dup.csv", "--no-audit"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "dup.csv:1: column name 'gender' appears twice in the header (columns 2 and 4)"
        ),
        "{}",
        r.stderr
    );
}
