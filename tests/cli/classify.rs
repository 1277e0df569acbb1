//! `steward classify`: classifications of the fixtures match the checked-in expected
//! files, and no value is ever printed.

use crate::CliTest;

fn categories(json: &str) -> serde_json::Map<String, serde_json::Value> {
    let report: serde_json::Value = serde_json::from_str(json).unwrap();
    report["datasets"][0]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["classification"]["category"].clone(),
            )
        })
        .collect()
}

fn expected(t: &CliTest, name: &str) -> serde_json::Map<String, serde_json::Value> {
    let text = std::fs::read_to_string(t.path(&format!("fixtures/expected/{name}"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn pinyin_chinese_and_meaningless_headers_and_decoys() {
    let t = CliTest::new();
    let r = t.run(&[
        "classify",
        "fixtures/classify/customers_pinyin.csv",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        categories(&r.stdout),
        expected(&t, "classify_customers_pinyin.json")
    );
}

#[test]
fn customer_fixture_in_every_format() {
    let t = CliTest::new();
    let want = expected(&t, "classify_customers.json");
    for f in ["customers.csv", "customers.parquet", "customers.ndjson"] {
        let r = t.run(&["classify", &format!("fixtures/{f}"), "--format", "json"]);
        assert_eq!(r.code, 0, "{f}: {}", r.stderr);
        assert_eq!(categories(&r.stdout), want, "{f}");
    }
}

#[test]
fn evidence_flags_and_no_raw_values() {
    let t = CliTest::new();
    let r = t.run(&[
        "classify",
        "fixtures/classify/customers_pinyin.csv",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let sfzh = &report["datasets"][0]["columns"][2]["classification"];
    assert_eq!(sfzh["category"], "cn_resident_id");
    assert_eq!(sfzh["pipl_sensitive"], true);
    assert_eq!(sfzh["evidence"]["header_hit"], "sfzh");
    assert_eq!(sfzh["evidence"]["values_checked"], 40);
    assert_eq!(sfzh["evidence"]["values_matched"], 40);
    assert_eq!(sfzh["minors"], 0);
    let table = t.run(&["classify", "fixtures/classify/customers_pinyin.csv"]);
    assert_eq!(table.code, 0);
    assert!(
        table.stdout.contains("11 of 16 columns hold personal data"),
        "{}",
        table.stdout
    );
    // No cell value of a personal column reaches either output (vocabulary words such as
    // 男 appear in validator descriptions, so only values of 4+ characters are checked).
    let data = std::fs::read_to_string(t.path("fixtures/classify/customers_pinyin.csv")).unwrap();
    for line in data.lines().skip(1) {
        for cell in line.split(',').take(11).filter(|c| c.chars().count() >= 4) {
            assert!(
                !r.stdout.contains(cell) && !table.stdout.contains(cell),
                "raw value {cell} printed"
            );
        }
    }
}

#[test]
fn suggested_rules_are_accepted_by_scan_unchanged() {
    let t = CliTest::new();
    for data in [
        "fixtures/customers.csv",
        "fixtures/classify/customers_pinyin.csv",
        "fixtures/orders.parquet",
    ] {
        let r = t.run(&["suggest", data, "--output", "suggested.yaml"]);
        assert_eq!(r.code, 0, "{data}: {}", r.stderr);
        let rules = std::fs::read_to_string(t.path("suggested.yaml")).unwrap();
        let scan = t.run(&[
            "scan",
            data,
            "--rules",
            "suggested.yaml",
            "--format",
            "json",
        ]);
        assert!(
            scan.code == 0 || scan.code == 1,
            "{data}: {}\n{rules}",
            scan.stderr
        );
        if data.ends_with("pinyin.csv") {
            for line in [
                "key: [khbh]",
                "sfzh: { required: true, format: cn_resident_id }",
                "col_7: { required: true, format: cn_resident_id }",
                "xb: { required: true, allowed: [男, 女, M, F] }",
                "exact: [[sfzh], [sjhm], [col_7]]",
            ] {
                assert!(rules.contains(line), "missing {line:?} in\n{rules}");
            }
        }
    }
    std::fs::create_dir(t.path("two")).unwrap();
    t.write("two/a.csv", "id,n\n1,2\n");
    t.write("two/b.csv", "id,n\n1,2\n");
    let r = t.run(&["suggest", "two"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("one rule file for one dataset"),
        "{}",
        r.stderr
    );
}
