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
