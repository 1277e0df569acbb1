//! Real-world extract fidelity: values read as the text they were (leading zeros), rule
//! SQL that cannot run as a rule error (exit 2), and failed writes as output errors.

use crate::CliTest;

// Base64 of 32 bytes 0x01: a test key only.
const KEY: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

/// Postcodes, Beijing landlines, customer numbers and bank cards: digits only, with
/// leading zeros that a numeric type would drop.
const LEADING_ZEROS: &str = "\
customer_no,postcode,phone,yhkh
000123,010010,01012345678,6222020200112233445
000124,100010,01065529988,6228480402564890018
000125,010020,02161234567,6217000010001234567
";

const LEADING_ZERO_RULES: &str = "\
version: 1
columns:
  postcode: { pattern: '^[0-9]{6}$' }
checks:
  - id: landline_length
    expect: length(phone) >= 11
  - id: customer_no_width
    expect: length(customer_no) = 6
  - id: card_present
    where: yhkh IS NOT NULL AND trim(yhkh) <> ''
    expect: length(yhkh) = 19
";

fn failed_by_id(report: &serde_json::Value) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    for d in report["datasets"].as_array().unwrap() {
        for c in d["checks"].as_array().unwrap() {
            out.push((
                c["id"].as_str().unwrap().to_string(),
                c["failed"].as_u64().unwrap(),
            ));
        }
    }
    out
}

#[test]
fn leading_zeros_survive_a_csv_scan() {
    let t = CliTest::new();
    t.write("lz.csv", LEADING_ZEROS);
    t.write("lz.yaml", LEADING_ZERO_RULES);
    let r = t.run(&["scan", "lz.csv", "--rules", "lz.yaml", "--format", "json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let failed = failed_by_id(&report);
    assert_eq!(failed.len(), 4, "{failed:?}");
    for (id, n) in &failed {
        assert_eq!(*n, 0, "check {id} failed on values with leading zeros");
    }
}

#[test]
fn a_declared_type_wins_over_inference() {
    let t = CliTest::new();
    t.write("lz.csv", LEADING_ZEROS);
    // Declared integer: the postcode is compared as a number, so the pattern sees
    // `10010` for `010010` — what the user asked for.
    t.write(
        "typed.yaml",
        "version: 1\ncolumns:\n  postcode: { type: integer }\nchecks:\n  - id: small\n    expect: postcode < 100000\n",
    );
    let r = t.run(&[
        "scan",
        "lz.csv",
        "--rules",
        "typed.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(failed_by_id(&report), vec![("small".to_string(), 1)]);
    t.write(
        "bad.yaml",
        "version: 1\ncolumns:\n  postcode: { type: txt }\n",
    );
    let r = t.run(&["scan", "lz.csv", "--rules", "bad.yaml"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("bad.yaml:3:"), "{}", r.stderr);
    assert!(r.stderr.contains("did you mean 'text'?"), "{}", r.stderr);
}

/// A Parquet file whose `yhkh` column is Int64, as a typed source declares it.
fn write_int64_parquet(t: &CliTest, rel: &str) {
    use datafusion::arrow::array::{Int64Array, StringArray};
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use datafusion::arrow::record_batch::RecordBatch;
    use std::sync::Arc;
    let schema = Arc::new(Schema::new(vec![
        Field::new("customer_no", DataType::Utf8, false),
        Field::new("yhkh", DataType::Int64, true),
    ]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            Arc::new(StringArray::from(vec!["000123", "000124"])),
            Arc::new(Int64Array::from(vec![
                Some(6222020200112233445),
                Some(6228480402564890018),
            ])),
        ],
    )
    .unwrap();
    let file = std::fs::File::create(t.path(rel)).unwrap();
    let mut w = datafusion::parquet::arrow::ArrowWriter::try_new(file, schema, None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}

#[test]
fn text_functions_on_a_typed_number_are_a_rule_error() {
    let t = CliTest::new();
    write_int64_parquet(&t, "cards.parquet");
    t.write(
        "cards.yaml",
        "version: 1\nchecks:\n  - id: card_present\n    where: yhkh IS NOT NULL AND trim(yhkh) <> ''\n    expect: yhkh > 0\n",
    );
    let r = t.run(&["scan", "cards.parquet", "--rules", "cards.yaml"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("cards.yaml:4:12"), "{}", r.stderr);
    assert!(r.stderr.contains("'card_present'"), "{}", r.stderr);
    assert!(r.stderr.contains("Int64"), "{}", r.stderr);
    assert!(r.stderr.contains("type: text"), "{}", r.stderr);
    for banned in ["please file a bug", "internal error", "bug in steward"] {
        assert!(!r.stderr.contains(banned), "{}", r.stderr);
    }
    // The same check on the same values in a CSV works: they are read as text.
    t.write(
        "cards.csv",
        "customer_no,yhkh\n000123,6222020200112233445\n000124,6228480402564890018\n",
    );
    t.write(
        "cards_csv.yaml",
        "version: 1\nchecks:\n  - id: card_present\n    where: yhkh IS NOT NULL AND trim(yhkh) <> ''\n    expect: length(yhkh) = 19\n",
    );
    let r = t.run(&["scan", "cards.csv", "--rules", "cards_csv.yaml"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn masking_a_csv_keeps_leading_zeros_byte_for_byte() {
    let t = CliTest::new();
    t.write("lz.csv", LEADING_ZEROS);
    t.write(
        "policy.yaml",
        "version: 1\ncolumns:\n  yhkh: redact\n  customer_no: keep\n  postcode: keep\n  phone: keep\n",
    );
    let r = t.run_env(
        &[
            "mask",
            "lz.csv",
            "--policy",
            "policy.yaml",
            "--output",
            "out.csv",
        ],
        &[("STEWARD_KEY", KEY)],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let out = std::fs::read_to_string(t.path("out.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(out.as_bytes());
    let kept: Vec<(String, String, String)> = rows
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[1].to_string(), r[2].to_string())
        })
        .collect();
    assert_eq!(
        kept,
        vec![
            ("000123".into(), "010010".into(), "01012345678".into()),
            ("000124".into(), "100010".into(), "01065529988".into()),
            ("000125".into(), "010020".into(), "02161234567".into()),
        ]
    );
    assert!(!out.contains("6222020200112233445"), "{out}");
}

/// An output path whose parent is a regular file: no process, root or not, can create
/// it (ENOTDIR), as with a read-only or full disk.
const UNWRITABLE: &str = "blocker/out";

#[test]
fn an_unwritable_output_is_exit_2_in_every_command() {
    let t = CliTest::new();
    t.write("blocker", "a file, not a directory\n");
    let scan_out = format!("{UNWRITABLE}.json");
    let csv_out = format!("{UNWRITABLE}.csv");
    let html_out = format!("{UNWRITABLE}.html");
    t.write(
        "policy.yaml",
        "version: 1\ncolumns:\n  customer_id: encrypt\n  name: encrypt\n  gender: encrypt\n  birth_date: encrypt\n  id_number: encrypt\n  mobile: encrypt\n  email: encrypt\n  address: encrypt\n  created_at: encrypt\n  updated_at: encrypt\n",
    );
    // An encrypted file to unmask.
    let r = t.run_env(
        &[
            "mask",
            "fixtures/customers.csv",
            "--policy",
            "policy.yaml",
            "--output",
            "enc.csv",
        ],
        &[("STEWARD_KEY", KEY)],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let runs: Vec<(&str, Vec<&str>)> = vec![
        (
            "scan",
            vec![
                "scan",
                "fixtures/customers.csv",
                "--rules",
                "rules/customer-core.yaml",
                "--format",
                "json",
                "--output",
                &scan_out,
            ],
        ),
        (
            "report",
            vec![
                "report",
                "fixtures/customers.csv",
                "--rules",
                "rules/customer-core.yaml",
                "--rules",
                "fixtures/compliance/customers-compliance.yaml",
                "--regime",
                "pipl",
                "--format",
                "html",
                "--output",
                &html_out,
            ],
        ),
        (
            "mask",
            vec![
                "mask",
                "fixtures/customers.csv",
                "--policy",
                "policy.yaml",
                "--output",
                &csv_out,
            ],
        ),
        ("unmask", vec!["unmask", "enc.csv", "--output", &csv_out]),
        (
            "dedupe",
            vec![
                "dedupe",
                "fixtures/dedupe/customers.csv",
                "--rules",
                "fixtures/dedupe/customers.yaml",
                "--clusters",
                &csv_out,
            ],
        ),
    ];
    for (name, args) in runs {
        let r = t.run_env(&args, &[("STEWARD_KEY", KEY)]);
        assert_eq!(r.code, 2, "{name}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains("blocker/out"), "{name}: {}", r.stderr);
        assert!(r.stderr.contains("cannot write"), "{name}: {}", r.stderr);
        assert!(!r.stderr.contains("bug in steward"), "{name}: {}", r.stderr);
    }
}
