//! One mobile number written in every accepted form (docs/phones.md) is one number to
//! every command: `scan` (`cn_mobile` passes them all, `cn_mobile_strict` fails exactly
//! the non-canonical ones), `classify`, `dedupe` (exact agreement on the phone field)
//! and `mask` (one token, one partial mask).

use std::collections::{BTreeMap, BTreeSet};

use crate::CliTest;

// Base64 of 32 bytes 0x01: a test key only.
const KEY: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

/// 137 2663 8532 in every accepted form; the first is the canonical one.
const FORMS: &[&str] = &[
    "13726638532",
    "137 2663 8532",
    "137-2663-8532",
    "137.2663.8532",
    "+86 137 2663 8532",
    "+86-137-2663-8532",
    "+8613726638532",
    "＋86 137 2663 8532",
    "0086 137 2663 8532",
    "008613726638532",
    "86 137 2663 8532",
    "86-13726638532",
    "8613726638532",
    "(+86)13726638532",
    "(+86) 137 2663 8532",
    "(86)13726638532",
    "（+86）13726638532",
    "（＋８６）１３７２６６３８５３２",
    "１３７２６６３８５３２",
    "137\u{3000}2663\u{3000}8532",
    "137\u{a0}2663\u{a0}8532",
    "137–2663–8532",
    "137－2663－8532",
    "  13726638532  ",
    "\u{3000}13726638532",
];

/// Other customers, each with another (canonical) mobile.
const OTHERS: &[(&str, &str)] = &[
    ("李娜", "13800138000"),
    ("王芳", "15912345678"),
    ("刘洋", "18688886666"),
    ("陈静", "19912340000"),
    ("杨磊", "17712345678"),
    ("赵敏", "13501694747"),
    ("黄强", "15839553314"),
    ("周杰", "18012345670"),
];

/// `phones.csv`: customer_id, name, mobile. P01.. hold the forms, O01.. the others.
fn write_phones(t: &CliTest) {
    let mut csv = String::from("customer_id,name,mobile\n");
    for (i, f) in FORMS.iter().enumerate() {
        csv.push_str(&format!("P{:02},张伟,\"{f}\"\n", i + 1));
    }
    for (i, (name, m)) in OTHERS.iter().enumerate() {
        csv.push_str(&format!("O{:02},{name},{m}\n", i + 1));
    }
    t.write("phones.csv", &csv);
}

fn form_keys() -> Vec<String> {
    (1..=FORMS.len()).map(|i| format!("P{i:02}")).collect()
}

/// Column `name` of a CSV file by the value of column `key`.
fn column(t: &CliTest, file: &str, key: &str, name: &str) -> BTreeMap<String, String> {
    let mut r = csv::Reader::from_path(t.path(file)).unwrap();
    let headers = r.headers().unwrap().clone();
    let k = headers.iter().position(|h| h == key).unwrap();
    let i = headers.iter().position(|h| h == name).unwrap();
    r.records()
        .map(|x| {
            let x = x.unwrap();
            (x[k].to_string(), x[i].to_string())
        })
        .collect()
}

/// `(failed, keys of the failing samples)` of check `id` in a scan's JSON report.
fn failures(json: &str, id: &str) -> (u64, BTreeSet<String>) {
    let report: serde_json::Value = serde_json::from_str(json).unwrap();
    let check = report["datasets"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id} in {json}"));
    let keys = check["samples"]
        .as_array()
        .map(|s| {
            s.iter()
                .filter_map(|s| s["key"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    (check["failed"].as_u64().unwrap(), keys)
}

#[test]
fn phone_scan_lenient_passes_every_form_and_strict_fails_the_non_canonical() {
    let t = CliTest::new();
    write_phones(&t);
    for (format, file) in [
        ("cn_mobile", "lenient.yaml"),
        ("cn_mobile_strict", "strict.yaml"),
    ] {
        t.write(
            file,
            &format!(
                "version: 1\ndataset: phones\nkey: [customer_id]\ncolumns:\n  mobile: {{ format: {format} }}\nduplicates:\n  exact: [[mobile]]\n"
            ),
        );
    }
    let scan = |rules: &str| {
        let r = t.run(&[
            "scan",
            "phones.csv",
            "--rules",
            rules,
            "--format",
            "json",
            "--samples",
            "100",
            "--as-of",
            "2026-11-01",
        ]);
        assert!(r.code == 0 || r.code == 1, "{}{}", r.stdout, r.stderr);
        r.stdout
    };
    let lenient = scan("lenient.yaml");
    let (failed, keys) = failures(&lenient, "phones.mobile.format");
    assert_eq!((failed, keys), (0, BTreeSet::new()));
    // Duplicate keys read the same normaliser: every form but one is an excess row.
    let (failed, _) = failures(&lenient, "phones.duplicates.mobile");
    assert_eq!(failed, FORMS.len() as u64 - 1);
    let strict = scan("strict.yaml");
    // Samples keep each written form and hide the same four digits.
    assert!(
        strict.contains("+86 137 **** 8532")
            && !strict.contains("2663")
            && !strict.contains("２６６３"),
        "{strict}"
    );
    let (failed, keys) = failures(&strict, "phones.mobile.format");
    let non_canonical: BTreeSet<String> = form_keys().into_iter().skip(1).collect();
    assert_eq!(failed, non_canonical.len() as u64);
    assert_eq!(keys, non_canonical);
}

#[test]
fn phone_forms_classify_as_cn_mobile_with_or_without_a_header() {
    let t = CliTest::new();
    write_phones(&t);
    let mut bare = String::from("col_1\n");
    for f in FORMS {
        bare.push_str(&format!("\"{f}\"\n"));
    }
    t.write("bare.csv", &bare);
    for (file, col) in [("phones.csv", "mobile"), ("bare.csv", "col_1")] {
        let r = t.run(&["classify", file, "--format", "json"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let c = report["datasets"][0]["columns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == col)
            .unwrap();
        assert_eq!(c["classification"]["category"], "cn_mobile", "{file}: {c}");
    }
}

#[test]
fn phone_dedupe_puts_every_form_at_exact_agreement() {
    let t = CliTest::new();
    write_phones(&t);
    t.write(
        "dedupe.yaml",
        "version: 1\ndataset: phones\nkey: [customer_id]\nduplicates:\n  fuzzy:\n    compare: [name, mobile]\n    fields:\n      name: { kind: name }\n      mobile: { kind: phone }\n    blocking: [[mobile]]\n    threshold: 0\n",
    );
    let r = t.run(&[
        "dedupe",
        "phones.csv",
        "--rules",
        "dedupe.yaml",
        "--pairs",
        "pairs.csv",
        "--clusters",
        "clusters.csv",
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let mut pairs = csv::Reader::from_path(t.path("pairs.csv")).unwrap();
    let headers = pairs.headers().unwrap().clone();
    let mobile = headers.iter().position(|h| h == "mobile").unwrap();
    let mut levels = BTreeMap::new();
    for p in pairs.records() {
        let p = p.unwrap();
        levels.insert((p[1].to_string(), p[3].to_string()), p[mobile].to_string());
    }
    // Blocking on the mobile put every form in one block: every pair of them was
    // compared, and agrees exactly on the phone field.
    let keys = form_keys();
    for (i, a) in keys.iter().enumerate() {
        for b in &keys[i + 1..] {
            assert_eq!(
                levels.get(&(a.clone(), b.clone())).map(String::as_str),
                Some("exact"),
                "{a} {b}"
            );
        }
    }
    assert_eq!(
        levels.len(),
        keys.len() * (keys.len() - 1) / 2,
        "{levels:?}"
    );
    // And they are one customer.
    let ids = column(&t, "clusters.csv", "key", "unified_id");
    let unified: BTreeSet<&String> = ids
        .iter()
        .filter(|(k, _)| k.starts_with("P"))
        .map(|(_, u)| u)
        .collect();
    assert_eq!(unified.len(), 1, "{ids:?}");
}

#[test]
fn phone_mask_gives_every_form_one_token_and_one_partial_mask() {
    let t = CliTest::new();
    write_phones(&t);
    for (name, method) in [
        ("tok", "tokenize"),
        ("fpt", "{ method: tokenize, format_preserving: true }"),
        ("partial", "partial"),
    ] {
        t.write(
            &format!("{name}.yaml"),
            &format!("version: 1\ncolumns:\n  mobile: {method}\n"),
        );
        let out = format!("{name}.csv");
        let r = t.run_env(
            &[
                "mask",
                "phones.csv",
                "--policy",
                &format!("{name}.yaml"),
                "--output",
                &out,
            ],
            &[("STEWARD_KEY", KEY)],
        );
        assert!(r.code == 0 || r.code == 1, "{}{}", r.stdout, r.stderr);
        let masked = column(&t, &out, "customer_id", "mobile");
        let forms: BTreeSet<&String> = form_keys().iter().map(|k| &masked[k]).collect();
        assert_eq!(forms.len(), 1, "{name}: {masked:?}");
        let one = *forms.iter().next().unwrap();
        assert!(!one.contains("2663"), "{name}: {one}");
        for i in 1..=OTHERS.len() {
            assert_ne!(&masked[&format!("O{i:02}")], one, "{name}");
        }
        match name {
            "tok" => assert!(one.starts_with("tok_") && one.len() == 28, "{one}"),
            "fpt" => assert!(
                one.len() == 11 && one.bytes().all(|b| b.is_ascii_digit()),
                "{one}"
            ),
            _ => assert_eq!(one, "137****8532"),
        }
    }
}
