//! `steward mask` / `steward unmask`: round trips, keyed tokens, clean failures, and the
//! verification that no detectable personal data is left in clear.

use crate::CliTest;

// Base64 of 32 bytes 0x01 and 0x02: test keys only.
const KEY: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
const OTHER_KEY: &str = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";

fn keyed(t: &CliTest, args: &[&str]) -> crate::Run {
    t.run_env(args, &[("STEWARD_KEY", KEY)])
}

/// `steward mask DATA --policy POLICY --output OUT` with the test key.
fn mask_with(t: &CliTest, data: &str, policy: &str, output: &str) -> crate::Run {
    keyed(t, &["mask", data, "--policy", policy, "--output", output])
}

const ALL_ENCRYPTED: &str = "version: 1\ncolumns:\n  customer_id: encrypt\n  name: encrypt\n  gender: encrypt\n  birth_date: encrypt\n  id_number: encrypt\n  mobile: encrypt\n  email: encrypt\n  address: encrypt\n  created_at: encrypt\n  updated_at: encrypt\n";

#[test]
fn encrypt_then_unmask_gives_back_the_input_byte_for_byte() {
    let t = CliTest::new();
    t.write("all.yaml", ALL_ENCRYPTED);
    let r = mask_with(&t, "fixtures/customers.csv", "all.yaml", "enc.csv");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let enc = std::fs::read_to_string(t.path("enc.csv")).unwrap();
    assert!(!enc.contains("13919068179") && enc.contains("enc:v1:"));
    let manifest = std::fs::read_to_string(t.path("enc.csv.steward.json")).unwrap();
    assert!(manifest.contains("\"key_id\"") && manifest.contains("policy_sha256"));
    let r = keyed(&t, &["unmask", "enc.csv", "--output", "back.csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        std::fs::read(t.path("back.csv")).unwrap(),
        std::fs::read(t.path("fixtures/customers.csv")).unwrap()
    );
}

#[test]
fn encrypted_parquet_unmasks_back_to_the_values() {
    // Parquet text is read back as Utf8View: unmask must decrypt it too.
    let t = CliTest::new();
    t.write("all.yaml", ALL_ENCRYPTED);
    let r = mask_with(&t, "fixtures/customers.csv", "all.yaml", "enc.parquet");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = keyed(&t, &["unmask", "enc.parquet", "--output", "back.csv"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let back = std::fs::read_to_string(t.path("back.csv")).unwrap();
    assert!(!back.contains("enc:v1:"), "{back}");
    assert!(back.contains("13919068179") && back.contains("李芳"));
}

#[test]
fn wrong_key_and_tampered_values_fail_cleanly_with_no_output() {
    let t = CliTest::new();
    t.write("all.yaml", ALL_ENCRYPTED);
    mask_with(&t, "fixtures/customers.csv", "all.yaml", "enc.csv");
    let r = t.run_env(
        &["unmask", "enc.csv", "--output", "back.csv"],
        &[("STEWARD_KEY", OTHER_KEY)],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("enc.csv:2: column 'customer_id': encrypted with key"),
        "{}",
        r.stderr
    );
    assert!(!t.path("back.csv").exists());
    let enc = std::fs::read_to_string(t.path("enc.csv")).unwrap();
    let mut lines: Vec<String> = enc.lines().map(String::from).collect();
    let i = lines[5].find("enc:v1:").unwrap() + 30;
    let flipped = if &lines[5][i..i + 1] == "A" { "B" } else { "A" };
    lines[5].replace_range(i..i + 1, flipped);
    t.write("tampered.csv", &(lines.join("\n") + "\n"));
    let r = keyed(&t, &["unmask", "tampered.csv", "--output", "back.csv"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("tampered.csv:6: column 'customer_id': cannot be decrypted"),
        "{}",
        r.stderr
    );
    assert!(!t.path("back.csv").exists());
}

#[test]
fn tokens_are_equal_across_files_and_keep_their_format() {
    let t = CliTest::new();
    t.write(
        "a.csv",
        "customer_id,mobile\nC1,13812346138\nC2,15900001111\n",
    );
    t.write("b.csv", "member,mobile\nM9,15900001111\nM8,18612345678\n");
    t.write(
        "tok.yaml",
        "version: 1\ncolumns:\n  mobile: { method: tokenize, format_preserving: true }\n",
    );
    for f in ["a", "b"] {
        let r = mask_with(&t, &format!("{f}.csv"), "tok.yaml", &format!("{f}_tok.csv"));
        assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    }
    let a = std::fs::read_to_string(t.path("a_tok.csv")).unwrap();
    let b = std::fs::read_to_string(t.path("b_tok.csv")).unwrap();
    let token_a = a
        .lines()
        .nth(2)
        .unwrap()
        .split(',')
        .nth(1)
        .unwrap()
        .to_string();
    let token_b = b
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(1)
        .unwrap()
        .to_string();
    assert_eq!(
        token_a, token_b,
        "the same mobile gives the same token in both files"
    );
    assert_ne!(token_a, "15900001111");
    assert!(token_a.len() == 11 && token_a.bytes().all(|c| c.is_ascii_digit()));
    // Another key gives other tokens.
    let r = t.run_env(
        &[
            "mask", "a.csv", "--policy", "tok.yaml", "--output", "a2.csv",
        ],
        &[("STEWARD_KEY", OTHER_KEY)],
    );
    assert!(r.code == 0 || r.code == 1);
    assert_ne!(std::fs::read_to_string(t.path("a2.csv")).unwrap(), a);
}

#[test]
fn auto_leaves_no_detectable_personal_column_in_every_output_format() {
    let t = CliTest::new();
    t.write("auto.yaml", "version: 1\nauto: true\n");
    for out in ["auto.csv", "auto.parquet", "auto.ndjson"] {
        let r = mask_with(&t, "fixtures/customers.csv", "auto.yaml", out);
        assert_eq!(r.code, 0, "{out}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stdout
                .contains("PASS  no column holds detectable personal data in clear")
        );
        let classified = t.run(&["classify", out, "--format", "json"]);
        let report: serde_json::Value = serde_json::from_str(&classified.stdout).unwrap();
        for c in report["datasets"][0]["columns"].as_array().unwrap() {
            let cat = c["classification"]["category"].as_str();
            // Keyed tokens of the customer id are still account-id shaped; nothing else.
            assert!(
                cat.is_none() || cat == Some("account_id"),
                "{out}: {} still {cat:?}",
                c["name"]
            );
        }
    }
    // Without auto and without a policy entry, personal columns stay in clear: exit 1.
    t.write("none.yaml", "version: 1\ncolumns:\n  name: partial\n");
    let r = t.run(&[
        "mask",
        "fixtures/customers.csv",
        "--policy",
        "none.yaml",
        "--output",
        "x.csv",
    ]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("LEAK: still cn_mobile"), "{}", r.stdout);
}

#[test]
fn verification_still_catches_clear_columns_in_every_output_format() {
    let t = CliTest::new();
    // A masked column whose method leaves a real mobile number in every row, and a
    // personal column the policy does not mention (kept in clear): both are leaks,
    // whether the output is CSV, Parquet or NDJSON.
    t.write(
        "weak.yaml",
        "version: 1\ncolumns:\n  name: partial\n  mobile: { method: redact, with: \"13812346138\" }\n",
    );
    for out in ["weak.csv", "weak.parquet", "weak.ndjson"] {
        let r = mask_with(&t, "fixtures/customers.csv", "weak.yaml", out);
        assert_eq!(r.code, 1, "{out}: {}{}", r.stdout, r.stderr);
        let mobile = r.stdout.lines().find(|l| l.contains(" mobile ")).unwrap();
        assert!(
            mobile.contains("LEAK: still cn_mobile"),
            "{out}: {}",
            r.stdout
        );
        let email = r.stdout.lines().find(|l| l.contains(" email ")).unwrap();
        assert!(email.contains("LEAK: still email"), "{out}: {}", r.stdout);
        let name = r.stdout.lines().find(|l| l.contains(" name ")).unwrap();
        assert!(!name.contains("LEAK"), "{out}: {}", r.stdout);
    }
    // The same from a Parquet input (typed columns).
    let r = mask_with(
        &t,
        "fixtures/customers.parquet",
        "weak.yaml",
        "weak2.parquet",
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("LEAK: still cn_mobile"), "{}", r.stdout);
}

#[test]
fn bad_policy_missing_key_and_dry_run_write_nothing() {
    let t = CliTest::new();
    t.write(
        "bad.yaml",
        "version: 1\ncolumns:\n  mobil: partial\n  name: encryptt\n",
    );
    let r = mask_with(&t, "fixtures/customers.csv", "bad.yaml", "o.csv");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("bad.yaml:4:9: unknown method 'encryptt'"),
        "{}",
        r.stderr
    );
    t.write("bad2.yaml", "version: 1\ncolumns:\n  mobil: partial\n");
    let r = mask_with(&t, "fixtures/customers.csv", "bad2.yaml", "o.csv");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("column 'mobil' is not in") && r.stderr.contains("did you mean 'mobile'"),
        "{}",
        r.stderr
    );
    t.write("enc.yaml", "version: 1\ncolumns:\n  name: encrypt\n");
    let r = t.run(&[
        "mask",
        "fixtures/customers.csv",
        "--policy",
        "enc.yaml",
        "--output",
        "o.csv",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("no key: pass --key-file FILE or set STEWARD_KEY"),
        "{}",
        r.stderr
    );
    let r = t.run(&[
        "mask",
        "fixtures/customers.csv",
        "--policy",
        "enc.yaml",
        "--dry-run",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("dry run: nothing written") && r.stdout.contains("encrypt"));
    let r = mask_with(&t, "fixtures/malformed/ragged.csv", "enc.yaml", "o.csv");
    assert_eq!(r.code, 2);
    assert!(!t.path("o.csv").exists());
    let leftovers: Vec<_> = std::fs::read_dir(t.path("."))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".steward-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
}

#[test]
fn shift_moves_a_records_dates_together() {
    let t = CliTest::new();
    t.write(
        "visits.csv",
        "customer_id,admitted,discharged\nC1,2026-01-10,2026-01-25\nC2,2026-03-01,2026-03-02\nC1,2026-05-01,2026-05-03\n",
    );
    t.write(
        "shift.yaml",
        "version: 1\ncolumns:\n  admitted: { method: shift, days: 90, by: customer_id }\n  discharged: { method: shift, days: 90, by: customer_id }\n",
    );
    let r = mask_with(&t, "visits.csv", "shift.yaml", "shifted.csv");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let out = std::fs::read_to_string(t.path("shifted.csv")).unwrap();
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let rows: Vec<Vec<String>> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    let original = [
        ("2026-01-10", "2026-01-25"),
        ("2026-03-01", "2026-03-02"),
        ("2026-05-01", "2026-05-03"),
    ];
    for (row, (a, b)) in rows.iter().zip(original) {
        assert_ne!(row[1], a, "dates moved");
        assert_eq!(
            (day(&row[2]) - day(&row[1])).num_days(),
            (day(b) - day(a)).num_days()
        );
    }
    // The same customer moves by the same offset in every row.
    assert_eq!(
        (day(&rows[0][1]) - day("2026-01-10")),
        (day(&rows[2][1]) - day("2026-05-01"))
    );
    t.write(
        "bad.yaml",
        "version: 1\ncolumns:\n  admitted: { method: shift, days: 90, by: customer }\n",
    );
    let r = mask_with(&t, "visits.csv", "bad.yaml", "x.csv");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("did you mean 'customer_id'"),
        "{}",
        r.stderr
    );
}

#[test]
fn parquet_output_records_key_id_and_policy_hash() {
    use datafusion::parquet::file::reader::{FileReader, SerializedFileReader};
    let t = CliTest::new();
    t.write("enc.yaml", "version: 1\ncolumns:\n  name: encrypt\n");
    let r = mask_with(&t, "fixtures/customers.csv", "enc.yaml", "out.parquet");
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let file = std::fs::File::open(t.path("out.parquet")).unwrap();
    let reader = SerializedFileReader::new(file).unwrap();
    let kv = reader
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .unwrap();
    let get = |k: &str| kv.iter().find(|e| e.key == k).and_then(|e| e.value.clone());
    let key_id = get("steward.key_id").unwrap();
    assert_eq!(key_id.len(), 16);
    assert_eq!(get("steward.policy_sha256").unwrap().len(), 64);
    let manifest = std::fs::read_to_string(t.path("out.parquet.steward.json")).unwrap();
    assert!(manifest.contains(&key_id));
}
