//! `steward rules check` and `steward rules list`.

use super::CliTest;

#[test]
fn shipped_rule_packs_are_valid() {
    let t = CliTest::new();
    let r = t.run(&["rules", "check", "rules/"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.starts_with("ok: 2 rule file(s)"), "{}", r.stderr);
}

#[test]
fn every_rule_error_is_reported_with_position_and_hint() {
    let t = CliTest::new();
    t.write(
        "bad.yaml",
        "version: 1\ncolumns:\n  mobile: { format: cn_mobil }\n  email: { fresh_within: soon }\nchecks:\n  - id: X\n    dimension: validty\n    expect: a > 0\n",
    );
    let r = t.run(&["rules", "check", "bad.yaml"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    insta::assert_snapshot!(r.stderr, @r"
    error: bad.yaml:3:21: unknown format 'cn_mobil'; expected one of cn_mobile, cn_mobile_strict, cn_resident_id, email, bank_card, cn_uscc, date, timestamp, integer, number
      help: did you mean 'cn_mobile'?
    bad.yaml:4:26: fresh_within 'soon' is not a duration; expected a number and a unit such as 365d, 12w, 2y or 48h
    bad.yaml:7:16: unknown dimension 'validty'; expected one of completeness, validity, consistency, timeliness, uniqueness
      help: did you mean 'validity'?
    ");
}

#[test]
fn unknown_fields_are_errors() {
    let t = CliTest::new();
    t.write(
        "bad.yaml",
        "version: 1\ncolumns:\n  mobile:\n    requird: true\n",
    );
    let r = t.run(&["rules", "check", "bad.yaml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("error: bad.yaml:4:5: unknown field `requird`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("help: did you mean 'required'?"),
        "{}",
        r.stderr
    );
}

#[test]
fn rules_list_names_every_format_and_function() {
    let t = CliTest::new();
    let r = t.run(&["rules", "list", "--format", "json"]);
    assert_eq!(r.code, 0);
    let list: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    for id in [
        "required",
        "cn_mobile",
        "cn_mobile_strict",
        "cn_mobile_strict_valid(text) -> boolean",
        "cn_id_valid(text) -> boolean",
        "cn_uscc_valid(text) -> boolean",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
}

#[test]
fn readme_lists_what_rules_list_prints() {
    let t = CliTest::new();
    let r = t.run(&["rules", "list", "--format", "markdown"]);
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(
        readme.contains(&r.stdout),
        "README.md's built-in table is out of date; paste the output of `steward rules list --format markdown`:\n{}",
        r.stdout
    );
}
