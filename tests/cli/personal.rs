//! Personal data never in clear: sample keys masked by the key column's category,
//! personal data inside free text (`fixtures/notes/customers_notes.csv`, hand-written:
//! its expected counts below were checked by reading the file), and minors counted from
//! birth dates stored as text.

use serde_json::Value;

use crate::CliTest;

// Base64 of 32 bytes 0x01: a test key only.
const KEY: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
const NOTES: &str = "fixtures/notes/customers_notes.csv";
const NOTES_RULES: &str = "fixtures/notes/customers_notes.yaml";
const AS_OF: &str = "2026-11-01";

/// Every personal value in the notes fixture's free text, and its mobiles and names,
/// written out by hand (not by steward's detectors), in the forms the file writes them.
const NOTE_VALUES: &[&str] = &[
    "13812345678",
    "zhouboning0727",
    "150 1234 5678",
    "510107198504123319",
    "44030520120601002X",
    "18600138000",
    "E12345678",
    "lin.yue",
    "189　0013　8000",
    "135 0013 8000",
    "ma.chao",
    "330106198812257773",
    "203.0.113.7",
    "6222 0212 3456 7890 128",
    "王建国",
    "黄晓明",
    "１３９１２３４５６７８",
    "+86 186-0013-8000",
];

fn values(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn json(r: &crate::Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", r.stdout, r.stderr))
}

/// One extract with a key column of each personal category: passport and permit
/// numbers, US SSNs, 8-digit landlines without area code, ASCII pinyin names, resident
/// IDs, mobiles and e-mail addresses, plus an internal customer number; `score` fails
/// its check on every row, so every row is a sample.
const KEYS_CSV: &str = "\
customer_id,passport_no,港澳通行证号,ssn,固定电话,name_pinyin,id_number,mobile,email,score
C1001,E87654321,C12345678,536-22-1234,82345678,Zhang Wei,110105199003071239,13812345678,zhou.bo@example.com,x
C1002,E76543210,C23456789,536-22-4321,62345679,Li Fang,510107198504123319,13912345678,li.fang@example.com,y
C1003,G12345670,C34567890,412-33-5678,52345670,Wang Jianguo,330106198812257773,15012345678,wang.jg@example.com,z
";

/// Each key column, its raw values, and the masked form of its first row's key as a
/// reviewer should see it (hand-written).
const KEY_COLUMNS: &[(&str, [&str; 3], &str)] = &[
    (
        "passport_no",
        ["E87654321", "E76543210", "G12345670"],
        "E8*****21",
    ),
    (
        "港澳通行证号",
        ["C12345678", "C23456789", "C34567890"],
        "C1*****78",
    ),
    (
        "ssn",
        ["536-22-1234", "536-22-4321", "412-33-5678"],
        "***-**-1234",
    ),
    ("固定电话", ["82345678", "62345679", "52345670"], "82****78"),
    (
        "name_pinyin",
        ["Zhang Wei", "Li Fang", "Wang Jianguo"],
        "Z********",
    ),
    (
        "id_number",
        [
            "110105199003071239",
            "510107198504123319",
            "330106198812257773",
        ],
        "110***********1239",
    ),
    (
        "mobile",
        ["13812345678", "13912345678", "15012345678"],
        "138****5678",
    ),
    (
        "email",
        ["zhou.bo@", "li.fang@", "wang.jg@"],
        "z***@example.com",
    ),
];

fn key_rules(t: &CliTest, key: &str) -> String {
    let file = "key.yaml".to_string();
    t.write(
        &file,
        &format!("version: 1\ndataset: keys\nkey: [\"{key}\"]\ncolumns:\n  score: {{ format: integer }}\n"),
    );
    file
}

#[test]
fn sample_keys_are_masked_by_the_key_columns_category_in_every_format() {
    let t = CliTest::new();
    t.write("keys.csv", KEYS_CSV);
    for (column, raw, masked) in KEY_COLUMNS {
        let rules = key_rules(&t, column);
        let mut outputs = Vec::new();
        for format in ["table", "json", "markdown", "junit"] {
            let r = t.run(&["scan", "keys.csv", "--rules", &rules, "--format", format]);
            assert_eq!(r.code, 0, "{column} {format}: {}", r.stderr);
            let shown = if format == "markdown" {
                masked.replace('*', "\\*")
            } else {
                masked.to_string()
            };
            assert!(
                r.stdout.contains(&shown),
                "{column} {format}: no masked key {shown}:\n{}",
                r.stdout
            );
            outputs.push(r.stdout + &r.stderr);
        }
        // The compliance report (HTML, Markdown, JSON) over the same rules.
        for format in ["html", "markdown", "json"] {
            let out = format!("report.{format}");
            let r = t.run(&[
                "report", "keys.csv", "--rules", &rules, "--regime", "pipl", "--regime", "gdpr",
                "--format", format, "--output", &out,
            ]);
            assert!(
                r.code == 0 || r.code == 1,
                "{column} {format}: {}",
                r.stderr
            );
            outputs.push(std::fs::read_to_string(t.path(&out)).unwrap() + &r.stdout + &r.stderr);
        }
        crate::assert_no_raw_values(&values(raw), &outputs);
    }
    // An internal customer number says nothing outside the company: readable.
    let rules = key_rules(&t, "customer_id");
    let r = t.run(&["scan", "keys.csv", "--rules", &rules, "--format", "json"]);
    let report = json(&r);
    let keys: Vec<&str> = report["datasets"][0]["checks"][0]["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["C1001", "C1002", "C1003"]);
}

#[test]
fn classify_and_scan_count_personal_data_inside_the_notes() {
    let t = CliTest::new();
    // Rows whose note holds each category, counted by hand: mobiles in rows 000101,
    // 000103 ((+86) and spaces), 000104, 000110 (U+3000 between the groups) and 000113;
    // not the digits of the URL (000108), the SKU (000112) or the order number (000105).
    let expected = serde_json::json!({
        "bank_card": 1, "cn_mobile": 5, "cn_passport": 1, "cn_resident_id": 3,
        "email": 3, "ip_address": 1
    });
    let r = t.run(&["classify", NOTES, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report = json(&r);
    let notes = &report["datasets"][0]["columns"][4];
    assert_eq!(notes["name"], "备注");
    // A notes column is not a phone column: its own category stays empty.
    assert_eq!(notes["classification"]["category"], Value::Null);
    assert_eq!(notes["classification"]["embedded"], expected);

    let r = t.run(&[
        "scan",
        NOTES,
        "--rules",
        NOTES_RULES,
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report = json(&r);
    let notes = &report["datasets"][0]["columns"][4];
    assert_eq!(notes["classification"]["embedded"], expected);

    // Samples of the notes column mask the spans and keep the rest of the text.
    t.write(
        "notes-pattern.yaml",
        "version: 1\ndataset: customers_notes\nkey: [客户编号]\ncolumns:\n  备注: { pattern: \"^[^0-9]*$\" }\n",
    );
    let r = t.run(&[
        "scan",
        NOTES,
        "--rules",
        "notes-pattern.yaml",
        "--format",
        "json",
    ]);
    let samples: Vec<String> = json(&r)["datasets"][0]["checks"][0]["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["value"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(samples[0], "客户电话138****5678，下午联系");
    assert_eq!(samples[1], "发票请发送至z***@gmail.com");
    assert!(
        samples[2].starts_with("地址变更\n新手机："),
        "{}",
        samples[2]
    );
    let mut outputs = vec![r.stdout];
    for format in ["table", "markdown", "junit"] {
        let r = t.run(&[
            "scan",
            NOTES,
            "--rules",
            "notes-pattern.yaml",
            "--format",
            format,
        ]);
        // A multi-line note stays on one line of the sample list (Markdown escapes the
        // backslash).
        let line_break = if format == "markdown" { "\\\\n" } else { "\\n" };
        assert!(
            r.stdout.contains(&format!("地址变更{line_break}新手机：")),
            "{format}: {}",
            r.stdout
        );
        outputs.push(r.stdout + &r.stderr);
    }
    crate::assert_no_raw_values(&values(NOTE_VALUES), &outputs);
}

#[test]
fn auto_masking_leaves_no_span_and_encrypted_spans_unmask_byte_for_byte() {
    let t = CliTest::new();
    let keyed = |args: &[&str]| t.run_env(args, &[("STEWARD_KEY", KEY)]);
    t.write("auto.yaml", "version: 1\nauto: true\n");
    for out in ["auto.csv", "auto.ndjson", "auto.parquet"] {
        let r = keyed(&["mask", NOTES, "--policy", "auto.yaml", "--output", out]);
        assert_eq!(r.code, 0, "{out}: {}{}", r.stdout, r.stderr);
        let line = r.stdout.lines().find(|l| l.contains("备注")).unwrap();
        assert!(
            line.contains("spans (partial)") && line.contains("ok"),
            "{line}"
        );
        // Classified again from the file: no column, and no text, holds personal data.
        let r = t.run(&["classify", out, "--format", "json"]);
        for c in json(&r)["datasets"][0]["columns"].as_array().unwrap() {
            let class = &c["classification"];
            assert!(
                class
                    .get("embedded")
                    .is_none_or(|e| e.as_object().unwrap().is_empty()),
                "{out}: {} still holds {}",
                c["name"],
                class["embedded"]
            );
        }
    }
    let masked = std::fs::read_to_string(t.path("auto.csv")).unwrap();
    crate::assert_no_raw_values(&values(NOTE_VALUES), std::slice::from_ref(&masked));
    // The spans keep their shape; the rest of the text, decoys included, is as written.
    for kept in [
        "客户电话138****5678，下午联系",
        "发票请发送至z***@gmail.com",
        "订单号20241105123456789已发货，快递单号SF1234567890123",
        "金额¥13812.00已退款，时间2024-11-05 13:45:12",
        "版本 v1.2.3.4 升级；详情见 https://shop.example.com/item/13987654321",
        "SKU A13611112222B 缺货",
        "工号00012345",
        "优惠券 CP20241105 已发放",
        "tracking no. 1Z999AA10123456784",
    ] {
        assert!(masked.contains(kept), "{kept} not in the masked notes");
    }

    // Spans encrypted inside the text; every other column encrypted whole.
    t.write(
        "enc.yaml",
        "version: 1\ncolumns:\n  客户编号: encrypt\n  姓名: encrypt\n  手机: encrypt\n  出生日期: encrypt\n  备注: { method: spans, with: encrypt }\n",
    );
    let original = std::fs::read(t.path(NOTES)).unwrap();
    for out in ["enc.csv", "enc.ndjson", "enc.parquet"] {
        let r = keyed(&["mask", NOTES, "--policy", "enc.yaml", "--output", out]);
        assert_eq!(r.code, 0, "{out}: {}{}", r.stdout, r.stderr);
        let back = format!("back-{out}.csv");
        let r = keyed(&["unmask", out, "--output", &back]);
        assert_eq!(r.code, 0, "{out}: {}", r.stderr);
        if out != "enc.ndjson" {
            // NDJSON has no column order of its own: its CSV comes back sorted by name.
            assert_eq!(std::fs::read(t.path(&back)).unwrap(), original, "{out}");
        }
    }
    let enc = std::fs::read_to_string(t.path("enc.csv")).unwrap();
    assert!(enc.contains("客户电话[enc:v1:") && enc.contains("，下午联系"));
    crate::assert_no_raw_values(&values(NOTE_VALUES), &[enc]);

    // A replacement text that itself holds a mobile is caught by verification.
    t.write(
        "weak.yaml",
        "version: 1\nauto: true\ncolumns:\n  备注: { method: redact, with: \"见13812345678\" }\n",
    );
    let r = keyed(&[
        "mask",
        NOTES,
        "--policy",
        "weak.yaml",
        "--output",
        "weak.csv",
    ]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let line = r.stdout.lines().find(|l| l.contains("备注")).unwrap();
    assert!(line.contains("LEAK: still cn_mobile"), "{line}");
    // Without auto and without an entry for the notes, they are a leak.
    t.write("names.yaml", "version: 1\ncolumns:\n  姓名: partial\n");
    let r = keyed(&[
        "mask",
        NOTES,
        "--policy",
        "names.yaml",
        "--output",
        "names.csv",
    ]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let line = r.stdout.lines().find(|l| l.contains("备注")).unwrap();
    assert!(line.contains("LEAK: still"), "{line}");
}

/// Children under 14 at 2026-11-01 were born after 2012-11-01. In the fixture, by hand:
/// 2015/1/9, 20130815, 2014年5月20日 and 2012-11-02; not 2012-11-01 (14 that day, written
/// `2012年11月1日`), 2012-06-01, 2010年12月3日 or 2009-08-15.
#[test]
fn minors_are_counted_from_birth_dates_written_as_text() {
    let t = CliTest::new();
    let minors = |file: &str, as_of: &str| {
        let r = t.run(&["classify", file, "--as-of", as_of, "--format", "json"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let report = json(&r);
        let columns = report["datasets"][0]["columns"].as_array().unwrap().clone();
        let dob = columns.iter().find(|c| c["name"] == "出生日期").unwrap();
        dob["classification"]["minors"].as_u64()
    };
    assert_eq!(minors(NOTES, AS_OF), Some(4));
    // A day later the child born on 2012-11-02 is 14.
    assert_eq!(minors(NOTES, "2026-11-02"), Some(3));

    // The same dates in NDJSON, as strings.
    let csv = std::fs::read_to_string(t.path(NOTES)).unwrap();
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let mut ndjson = String::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        ndjson
            .push_str(&serde_json::json!({ "客户编号": &rec[0], "出生日期": &rec[3] }).to_string());
        ndjson.push('\n');
    }
    t.write("dates.ndjson", &ndjson);
    assert_eq!(minors("dates.ndjson", AS_OF), Some(4));

    // PIPL-31 evidence says so.
    let r = t.run(&[
        "report",
        NOTES,
        "--rules",
        NOTES_RULES,
        "--regime",
        "pipl",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("4 record(s) of children under 14 at 2026-11-01"),
        "{}",
        r.stdout
    );
}

#[test]
fn the_compliance_inventory_lists_personal_data_inside_text() {
    let t = CliTest::new();
    let r = t.run(&[
        "report",
        NOTES,
        "--rules",
        NOTES_RULES,
        "--regime",
        "pipl",
        "--regime",
        "gdpr",
        "--as-of",
        AS_OF,
        "--format",
        "markdown",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for row in [
        "| customers\\_notes | 备注 | cn\\_mobile (inside text) | personal | 5 |",
        "| customers\\_notes | 备注 | cn\\_resident\\_id (inside text) | sensitive | 3 |",
        "| customers\\_notes | 备注 | bank\\_card (inside text) | sensitive | 1 |",
    ] {
        assert!(r.stdout.contains(row), "{row} not in:\n{}", r.stdout);
    }
    // PIPL-51 evidence names the clear spans.
    assert!(
        r.stdout.contains(
            "customers\\_notes.备注 (cn\\_resident\\_id): clear; 3 rows hold it inside their text"
        ),
        "{}",
        r.stdout
    );
    let mut outputs = vec![r.stdout];
    for format in ["json", "html"] {
        let out = format!("report.{format}");
        let r = t.run(&[
            "report",
            NOTES,
            "--rules",
            NOTES_RULES,
            "--regime",
            "pipl",
            "--regime",
            "gdpr",
            "--as-of",
            AS_OF,
            "--format",
            format,
            "--output",
            &out,
        ]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        outputs.push(std::fs::read_to_string(t.path(&out)).unwrap());
    }
    crate::assert_no_raw_values(&values(NOTE_VALUES), &outputs);
}

/// Error paths on an extract whose notes hold personal data: the message names the
/// file, line and what was expected, exit 2, nothing written, and no value of the data.
#[test]
fn errors_on_notes_carry_no_value_of_the_data() {
    let t = CliTest::new();
    let mut outputs = Vec::new();
    // A ragged row right after a note holding a mobile and an ID number.
    t.write(
        "ragged.csv",
        "id,备注\n1,客户电话13812345678，身份证510107198504123319\n2,邮箱 lin.yue@163.com,多出一列\n",
    );
    for cmd in [
        vec!["classify", "ragged.csv"],
        vec!["scan", "ragged.csv", "--rules", NOTES_RULES],
        vec![
            "mask",
            "ragged.csv",
            "--policy",
            "auto.yaml",
            "--output",
            "o.csv",
        ],
    ] {
        t.write("auto.yaml", "version: 1\nauto: true\n");
        let r = t.run_env(&cmd, &[("STEWARD_KEY", KEY)]);
        assert_eq!(r.code, 2, "{cmd:?}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains("ragged.csv:3"), "{cmd:?}: {}", r.stderr);
        outputs.push(r.stdout + &r.stderr);
    }
    assert!(!t.path("o.csv").exists());
    // A spans policy that needs a key, without one; an unknown `with:`.
    t.write(
        "enc.yaml",
        "version: 1\ncolumns:\n  备注: { method: spans, with: encrypt }\n",
    );
    let r = t.run(&["mask", NOTES, "--policy", "enc.yaml", "--output", "o.csv"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("no key"), "{}", r.stderr);
    outputs.push(r.stdout + &r.stderr);
    t.write(
        "bad.yaml",
        "version: 1\ncolumns:\n  备注: { method: spans, with: hash }\n",
    );
    let r = t.run_env(
        &["mask", NOTES, "--policy", "bad.yaml", "--output", "o.csv"],
        &[("STEWARD_KEY", KEY)],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("bad.yaml:3:") && r.stderr.contains("must be one of"),
        "{}",
        r.stderr
    );
    outputs.push(r.stdout + &r.stderr);
    assert!(!t.path("o.csv").exists());
    // Ciphertexts inside text that do not decrypt: tampered, or another key.
    let r = t.run_env(
        &["mask", NOTES, "--policy", "enc.yaml", "--output", "enc.csv"],
        &[("STEWARD_KEY", KEY)],
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let other = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";
    let r = t.run_env(
        &["unmask", "enc.csv", "--output", "back.csv"],
        &[("STEWARD_KEY", other)],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    outputs.push(r.stdout + &r.stderr);
    assert!(!t.path("back.csv").exists());
    // A rule error on the notes column.
    t.write(
        "rules.yaml",
        "version: 1\ndataset: customers_notes\ncolumns:\n  备注: { format: notes }\n",
    );
    let r = t.run(&["scan", NOTES, "--rules", "rules.yaml"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("rules.yaml:4"), "{}", r.stderr);
    outputs.push(r.stdout + &r.stderr);
    let mut raw = values(NOTE_VALUES);
    raw.extend(values(&["lin.yue@163.com", "510107198504123319"]));
    crate::assert_no_raw_values(&raw, &outputs);
}
