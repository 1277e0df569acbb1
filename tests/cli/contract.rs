//! Schema contracts (`schema:` in a rule file) on changing data: a removed column, a
//! retyped column and an unexpected one are checks of their own that fail the gate,
//! and the other checks still run.

use serde_json::Value;

use super::CliTest;

const RULES: &str = "version: 1
dataset: people
key: [id]
columns:
  id: { required: true }
  email: { format: email }
schema:
  columns:
    id: { type: text }
    email: { type: text }
    age: { type: integer }
  unexpected: fail
";

fn checks(t: &CliTest, data: &str) -> (i32, Vec<(String, u64, u64, String)>) {
    let r = t.run(&[
        "scan",
        data,
        "--rules",
        "people.yaml",
        "--as-of",
        "2026-11-01",
        "--format",
        "json",
    ]);
    let report: Value =
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", r.stdout, r.stderr));
    let checks = report["datasets"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["evaluated"].as_u64().unwrap(),
                c["failed"].as_u64().unwrap(),
                c["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (r.code, checks)
}

fn row(checks: &[(String, u64, u64, String)], id: &str) -> (u64, u64, String) {
    let c = checks
        .iter()
        .find(|c| c.0 == id)
        .unwrap_or_else(|| panic!("no check {id} in {checks:?}"));
    (c.1, c.2, c.3.clone())
}

#[test]
fn issue_20_contract_breaches_are_checks_and_the_rest_still_runs() {
    let t = CliTest::new();
    t.write("people.yaml", RULES);
    std::fs::create_dir_all(t.path("good")).unwrap();
    t.write(
        "good/people.csv",
        "id,email,age\nP1,a@example.com,30\nP2,b@example.com,41\n",
    );
    let (code, good) = checks(&t, "good/people.csv");
    assert_eq!(code, 0, "{good:?}");
    assert_eq!(
        row(&good, "people.schema.missing.email"),
        (1, 0, "pass".into())
    );
    assert_eq!(row(&good, "people.schema.type.age"), (1, 0, "pass".into()));

    // email removed, age now text, a column nobody declared.
    std::fs::create_dir_all(t.path("bad")).unwrap();
    t.write("bad/people.csv", "id,age,extra\nP1,thirty,x\nP2,41,y\n");
    let (code, bad) = checks(&t, "bad/people.csv");
    assert_eq!(code, 1, "{bad:?}");
    assert_eq!(
        row(&bad, "people.schema.missing.email"),
        (1, 1, "fail".into())
    );
    assert_eq!(row(&bad, "people.schema.type.email"), (0, 0, "pass".into()));
    assert_eq!(row(&bad, "people.schema.type.age"), (1, 1, "fail".into()));
    assert_eq!(
        row(&bad, "people.schema.unexpected.extra"),
        (1, 1, "fail".into())
    );
    // The check on the missing column is left out; the others run.
    assert!(bad.iter().all(|c| c.0 != "people.email.format"), "{bad:?}");
    assert_eq!(row(&bad, "people.id.required"), (2, 0, "pass".into()));
}

#[test]
fn issue_20_contract_mistakes_are_rule_errors_with_a_suggestion() {
    let t = CliTest::new();
    t.write(
        "people.yaml",
        "version: 1\nschema:\n  columns:\n    id: { type: txt }\n  unexpected: fial\n",
    );
    t.write("people.csv", "id\nP1\n");
    let r = t.run(&["scan", "people.csv", "--rules", "people.yaml"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("people.yaml:4:"), "{}", r.stderr);
    assert!(r.stderr.contains("did you mean 'text'?"), "{}", r.stderr);
    assert!(r.stderr.contains("did you mean 'fail'?"), "{}", r.stderr);
}
