//! `steward dedupe`: accuracy on Febrl3/Febrl4 and the generated Chinese fixture,
//! stable unified IDs, the explain waterfall, cross-dataset linking, rule errors, and
//! no raw personal data in what it prints.

use std::collections::HashMap;

use steward::dedupe::evaluate::{Accuracy, pairwise};

use crate::CliTest;

/// Read a clusters file: (dataset, key, unified_id) rows.
fn clusters(t: &CliTest, rel: &str) -> Vec<(String, String, String)> {
    let mut r = csv::Reader::from_path(t.path(rel)).unwrap();
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        ["dataset", "key", "unified_id"]
    );
    r.records()
        .map(|x| {
            let x = x.unwrap();
            (x[0].to_string(), x[1].to_string(), x[2].to_string())
        })
        .collect()
}

fn accuracy(
    rows: &[(String, String, String)],
    truth: impl Fn(&str, &str) -> String,
    cross_only: bool,
) -> Accuracy {
    let mut datasets: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    datasets.sort();
    datasets.dedup();
    pairwise(
        rows.iter().map(|(d, k, u)| {
            (
                datasets.iter().position(|x| x == d).unwrap() as u16,
                u.clone(),
                truth(d, k),
            )
        }),
        cross_only,
    )
}

fn febrl_entity(_: &str, key: &str) -> String {
    key.split('-').nth(1).unwrap().to_string()
}

fn dedupe(t: &CliTest, args: &[&str]) -> crate::Run {
    let mut all = vec!["dedupe"];
    all.extend_from_slice(args);
    let r = t.run(&all);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    r
}

/// Issue 24: a plain compare list, as a new user writes it (no `blocking:`), gets its
/// blocking from the data: the fields common enough to make millions of pairs alone
/// (`state`, 8 values) are left out or paired, every chosen rule keeps its blocks under
/// `max_block`, and the result matches the tuned file's accuracy with at most 1.5x its
/// candidate pairs. The truth is the Febrl record ids.
#[test]
fn issue_24_a_plain_compare_list_gets_blocking_from_the_data() {
    let t = CliTest::new();
    let tuned = std::fs::read_to_string(t.path("fixtures/febrl/febrl3.yaml")).unwrap();
    let start = tuned.find("    blocking:").unwrap();
    let end = tuned.find("    threshold:").unwrap();
    let plain = format!("{}{}", &tuned[..start], &tuned[end..]);
    assert!(!plain.contains("blocking"));
    t.write("plain.yaml", &plain);
    let summary = |rules: &str, clusters: &str| -> serde_json::Value {
        let r = dedupe(
            &t,
            &[
                "fixtures/febrl/febrl3.csv",
                "--rules",
                rules,
                "--clusters",
                clusters,
                "--format",
                "json",
            ],
        );
        serde_json::from_str(&r.stdout).unwrap()
    };
    let tuned = summary("fixtures/febrl/febrl3.yaml", "tuned.csv");
    let plain = summary("plain.yaml", "plain.csv");
    assert!(tuned["settings"].get("derived_blocking").is_none());
    let derived = plain["settings"]["derived_blocking"].as_array().unwrap();
    let chosen: Vec<&str> = derived
        .iter()
        .filter(|b| b["chosen"] == true)
        .map(|b| b["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        plain["settings"]["blocking"].as_array().unwrap().len(),
        chosen.len()
    );
    assert!(!chosen.contains(&"state"), "{chosen:?}");
    let state = derived.iter().find(|b| b["rule"] == "state").unwrap();
    assert!(state["pairs"].as_u64().unwrap() > 1_000_000, "{state}");
    for b in derived.iter().filter(|b| b["chosen"] == true) {
        assert!(b["largest_block"].as_u64().unwrap() <= 5000, "{b}");
    }
    assert!(plain["oversized_blocks"].as_array().unwrap().is_empty());
    let pairs = |v: &serde_json::Value| v["summary"]["candidate_pairs"].as_u64().unwrap() as f64;
    assert!(
        pairs(&plain) <= 1.5 * pairs(&tuned),
        "{} vs {}",
        pairs(&plain),
        pairs(&tuned)
    );
    let f1 = |file: &str| accuracy(&clusters(&t, file), febrl_entity, false).f1;
    assert!(
        f1("plain.csv") >= f1("tuned.csv"),
        "{} < {}",
        f1("plain.csv"),
        f1("tuned.csv")
    );
}

#[test]
fn febrl3_pairwise_f1_at_least_0_999() {
    let t = CliTest::new();
    dedupe(
        &t,
        &[
            "fixtures/febrl/febrl3.csv",
            "--rules",
            "fixtures/febrl/febrl3.yaml",
            "--clusters",
            "c.csv",
        ],
    );
    let rows = clusters(&t, "c.csv");
    assert_eq!(rows.len(), 5000);
    let a = accuracy(&rows, febrl_entity, false);
    assert_eq!(a.true_pairs, 6538);
    assert!(a.f1 >= 0.999, "{a:?}");
}

#[test]
fn febrl4_links_two_files_with_f1_at_least_0_9998() {
    let t = CliTest::new();
    dedupe(
        &t,
        &[
            "fixtures/febrl/febrl4a.csv",
            "fixtures/febrl/febrl4b.csv",
            "--rules",
            "fixtures/febrl/febrl4",
            "--clusters",
            "c.csv",
        ],
    );
    let rows = clusters(&t, "c.csv");
    assert_eq!(rows.len(), 10000);
    let a = accuracy(&rows, febrl_entity, true);
    assert_eq!(a.true_pairs, 5000);
    assert!(a.f1 >= 0.9998, "{a:?}");
}

fn entities(t: &CliTest, rel: &str) -> HashMap<String, String> {
    let mut r = csv::Reader::from_path(t.path(rel)).unwrap();
    r.records()
        .map(|x| {
            let x = x.unwrap();
            (x[0].to_string(), x[8].to_string())
        })
        .collect()
}

#[test]
fn chinese_customers_f1_at_least_0_97() {
    let t = CliTest::new();
    let r = dedupe(
        &t,
        &[
            "fixtures/dedupe/customers.csv",
            "--rules",
            "fixtures/dedupe/customers.yaml",
            "--clusters",
            "c.csv",
            "--pairs",
            "p.csv",
        ],
    );
    assert!(r.stdout.contains("3000 records"), "{}", r.stdout);
    let truth = entities(&t, "fixtures/dedupe/customers.csv");
    let rows = clusters(&t, "c.csv");
    let a = accuracy(&rows, |_, k| truth[k].clone(), false);
    assert!(a.f1 >= 0.97, "{a:?}");
    let pairs = std::fs::read_to_string(t.path("p.csv")).unwrap();
    assert!(pairs.starts_with(
        "dataset_a,key_a,dataset_b,key_b,match_probability,name,mobile,id_number,birth_date,email,address,gender\n"
    ));
}

/// The fixture's rows in reverse order (header first).
fn reversed(t: &CliTest, from: &str, to: &str) {
    let text = std::fs::read_to_string(t.path(from)).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines.remove(0);
    lines.reverse();
    std::fs::create_dir_all(t.path(to).parent().unwrap()).unwrap();
    t.write(to, &format!("{header}\n{}\n", lines.join("\n")));
}

#[test]
fn unified_ids_are_identical_across_runs_and_row_orders() {
    let t = CliTest::new();
    let args = |data: &'static str, out: &'static str| {
        [
            data,
            "--rules",
            "fixtures/dedupe/customers.yaml",
            "--clusters",
            out,
            "--pairs",
            if out == "a.csv" { "pa.csv" } else { "pb.csv" },
        ]
    };
    dedupe(&t, &args("fixtures/dedupe/customers.csv", "a.csv"));
    reversed(&t, "fixtures/dedupe/customers.csv", "rev/customers.csv");
    dedupe(&t, &args("rev/customers.csv", "b.csv"));
    let a = std::fs::read(t.path("a.csv")).unwrap();
    assert_eq!(a, std::fs::read(t.path("b.csv")).unwrap());
    assert_eq!(
        std::fs::read(t.path("pa.csv")).unwrap(),
        std::fs::read(t.path("pb.csv")).unwrap()
    );
    dedupe(&t, &args("fixtures/dedupe/customers.csv", "c.csv"));
    assert_eq!(a, std::fs::read(t.path("c.csv")).unwrap());
}

#[test]
fn explain_shows_a_waterfall_of_masked_values() {
    let t = CliTest::new();
    // Two records of one entity from the pairs file.
    dedupe(
        &t,
        &[
            "fixtures/dedupe/customers.csv",
            "--rules",
            "fixtures/dedupe/customers.yaml",
            "--pairs",
            "p.csv",
        ],
    );
    let pairs = std::fs::read_to_string(t.path("p.csv")).unwrap();
    let first: Vec<&str> = pairs.lines().nth(1).unwrap().split(',').collect();
    let r = dedupe(
        &t,
        &[
            "fixtures/dedupe/customers.csv",
            "--rules",
            "fixtures/dedupe/customers.yaml",
            "--explain",
            first[1],
            first[3],
        ],
    );
    for field in [
        "prior",
        "name",
        "mobile",
        "id_number",
        "birth_date",
        "bayes factor",
    ] {
        assert!(r.stdout.contains(field), "{field}: {}", r.stdout);
    }
    assert!(
        r.stdout.contains("at or above the threshold"),
        "{}",
        r.stdout
    );
    let json = dedupe(
        &t,
        &[
            "fixtures/dedupe/customers.csv",
            "--rules",
            "fixtures/dedupe/customers.yaml",
            "--explain",
            first[1],
            first[3],
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let sum: f64 = v["prior_weight"].as_f64().unwrap()
        + v["terms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["weight"].as_f64().unwrap())
            .sum::<f64>();
    assert!((sum - v["weight"].as_f64().unwrap()).abs() < 1e-9);
    let r = t.run(&[
        "dedupe",
        "fixtures/dedupe/customers.csv",
        "--rules",
        "fixtures/dedupe/customers.yaml",
        "--explain",
        "C0000001",
        "NOPE",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no record has the key 'NOPE'"),
        "{}",
        r.stderr
    );
}

#[test]
fn no_raw_personal_values_in_summary_json_or_explain() {
    let t = CliTest::new();
    let text = std::fs::read_to_string(t.path("fixtures/dedupe/customers.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut raw: Vec<String> = Vec::new();
    for r in rdr.records().take(200) {
        let r = r.unwrap();
        for c in [1, 4, 5, 6, 7] {
            if r[c].chars().count() >= 6 {
                raw.push(r[c].to_string());
            }
        }
    }
    let base = [
        "fixtures/dedupe/customers.csv",
        "--rules",
        "fixtures/dedupe/customers.yaml",
    ];
    let mut outputs = Vec::new();
    outputs.push(dedupe(&t, &base).stdout);
    let mut json = base.to_vec();
    json.extend(["--format", "json"]);
    outputs.push(dedupe(&t, &json).stdout);
    let mut explain = base.to_vec();
    explain.extend(["--explain", "C0000001", "C0000002"]);
    let e = dedupe(&t, &explain);
    outputs.push(e.stdout + &e.stderr);
    for out in &outputs {
        for v in &raw {
            assert!(!out.contains(v.as_str()), "a raw value leaked");
        }
    }
}

#[test]
fn links_crm_orders_and_members_with_their_own_column_names() {
    let t = CliTest::new();
    // Split the fixture over three systems; orders names its columns differently.
    let text = std::fs::read_to_string(t.path("fixtures/dedupe/customers.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let mut parts: [Vec<&str>; 3] = Default::default();
    for (i, l) in lines.enumerate() {
        parts[i % 3].push(l);
    }
    std::fs::create_dir_all(t.path("sys")).unwrap();
    t.write(
        "sys/crm.csv",
        &format!("{header}\n{}\n", parts[0].join("\n")),
    );
    t.write(
        "sys/members.csv",
        &format!("{header}\n{}\n", parts[2].join("\n")),
    );
    t.write(
        "sys/orders.csv",
        &format!(
            "order_ref,buyer_name,gender,birth_date,id_number,buyer_phone,email,ship_to,entity\n{}\n",
            parts[1].join("\n")
        ),
    );
    std::fs::create_dir_all(t.path("rules3")).unwrap();
    let base = std::fs::read_to_string(t.path("fixtures/dedupe/customers.yaml")).unwrap();
    t.write(
        "rules3/crm.yaml",
        &base.replace("dataset: customers", "dataset: crm"),
    );
    t.write(
        "rules3/members.yaml",
        "version: 1\ndataset: members\nkey: [customer_id]\n",
    );
    t.write(
        "rules3/orders.yaml",
        "version: 1\ndataset: orders\nkey: [order_ref]\nduplicates:\n  fuzzy:\n    compare: [name, mobile, address]\n    fields:\n      name: { column: buyer_name }\n      mobile: { column: buyer_phone }\n      address: { column: ship_to }\n",
    );
    dedupe(
        &t,
        &[
            "sys/crm.csv",
            "sys/orders.csv",
            "sys/members.csv",
            "--rules",
            "rules3",
            "--clusters",
            "c.csv",
        ],
    );
    let truth = entities(&t, "fixtures/dedupe/customers.csv");
    let rows = clusters(&t, "c.csv");
    assert_eq!(rows.len(), 3000);
    assert!(rows.iter().any(|r| r.0 == "orders"));
    let a = accuracy(&rows, |_, k| truth[k].clone(), false);
    assert!(a.f1 >= 0.95, "{a:?}");
    // Some unified IDs span datasets.
    let mut by_id: HashMap<&str, Vec<&str>> = HashMap::new();
    for (d, _, u) in &rows {
        by_id.entry(u).or_default().push(d);
    }
    assert!(
        by_id
            .values()
            .any(|ds| ds.contains(&"orders") && ds.contains(&"crm"))
    );
}

#[test]
fn rule_errors_name_the_position_and_suggest() {
    let t = CliTest::new();
    t.write(
        "bad.yaml",
        "version: 1\nkey: [customer_id]\nduplicates:\n  fuzzy:\n    compare: [name, mobile]\n    fields:\n      name: { kind: nmae }\n      mobil: { kind: phone }\n    blocking: [[mobile.last5], [phone]]\n    mode: linkk\n",
    );
    let r = t.run(&[
        "dedupe",
        "fixtures/dedupe/customers.csv",
        "--rules",
        "bad.yaml",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    for want in [
        "bad.yaml:7:21: unknown comparison kind 'nmae'",
        "did you mean 'name'?",
        "'mobil' is not listed in fuzzy.compare",
        "did you mean 'mobile'?",
        "unknown blocking transform 'last5'",
        "blocking on 'phone', which is not listed",
        "unknown mode 'linkk'",
        "did you mean 'link'?",
    ] {
        assert!(r.stderr.contains(want), "{want}: {}", r.stderr);
    }
    let r = t.run(&[
        "dedupe",
        "fixtures/customers.csv",
        "--rules",
        "rules/customer-core.yaml",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("duplicates.fuzzy"), "{}", r.stderr);
}

#[test]
fn oversized_blocks_are_skipped_and_reported() {
    let t = CliTest::new();
    let rules = std::fs::read_to_string(t.path("fixtures/dedupe/customers.yaml")).unwrap();
    t.write(
        "small.yaml",
        &rules.replace("    threshold: 0.9", "    threshold: 0.9\n    max_block: 3"),
    );
    let r = dedupe(
        &t,
        &[
            "fixtures/dedupe/customers.csv",
            "--rules",
            "small.yaml",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let over = v["oversized_blocks"].as_array().unwrap();
    assert!(!over.is_empty());
    assert!(over.iter().all(|o| o["records"].as_u64().unwrap() > 3));
    let table = dedupe(
        &t,
        &["fixtures/dedupe/customers.csv", "--rules", "small.yaml"],
    );
    assert!(
        table.stdout.contains("was skipped (max_block 3)"),
        "{}",
        table.stdout
    );
    let ok = t.run(&[
        "rules",
        "check",
        "fixtures/febrl/febrl3.yaml",
        "fixtures/febrl/febrl4",
    ]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
}

#[test]
fn scan_scores_the_fuzzy_duplicate_rate_under_uniqueness() {
    let t = CliTest::new();
    let base = [
        "fixtures/dedupe/customers.csv",
        "--rules",
        "fixtures/dedupe/customers.yaml",
        "--format",
        "json",
    ];
    let d: serde_json::Value = serde_json::from_str(&dedupe(&t, &base).stdout).unwrap();
    let mut scan = vec!["scan"];
    scan.extend_from_slice(&base);
    let r = t.run(&scan);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let check = s["datasets"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "customers.duplicates.fuzzy")
        .unwrap()
        .clone();
    assert_eq!(check["dimension"], "uniqueness");
    assert_eq!(check["evaluated"], 3000);
    assert_eq!(check["failed"], d["summary"]["duplicate_records"]);
    assert_eq!(
        check["duplicate_values"],
        d["summary"]["multi_record_clusters"]
    );
    let rate = d["summary"]["duplicate_rate"].as_f64().unwrap();
    let score = s["datasets"][0]["scores"]["uniqueness"].as_f64().unwrap();
    assert!((score - 100.0 * (1.0 - rate)).abs() < 1e-9);
}

#[test]
fn compliance_report_counts_individuals_after_fuzzy_deduplication() {
    let t = CliTest::new();
    t.write(
        "decl.yaml",
        "version: 1\ndataset: customers\ncompliance:\n  purpose: customer service\n  lawful_basis: contract\n  destination: SG\n",
    );
    let d: serde_json::Value = serde_json::from_str(
        &dedupe(
            &t,
            &[
                "fixtures/dedupe/customers.csv",
                "--rules",
                "fixtures/dedupe/customers.yaml",
                "--format",
                "json",
            ],
        )
        .stdout,
    )
    .unwrap();
    let r = t.run(&[
        "report",
        "fixtures/dedupe/customers.csv",
        "--rules",
        "fixtures/dedupe/customers.yaml",
        "--rules",
        "decl.yaml",
        "--regime",
        "pipl",
        "--format",
        "json",
        "--no-audit",
    ]);
    assert!(r.code <= 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["summary"]["individuals"], d["summary"]["clusters"]);
    assert_eq!(v["summary"]["individuals_deduplicated"], true);
    assert!(
        r.stdout
            .contains("individual(s) (fuzzy-deduplicated from 3000 records)"),
        "{}",
        r.stdout
    );
}

#[test]
fn datasets_may_repeat_the_same_settings_but_not_contradict_them() {
    let t = CliTest::new();
    let text = std::fs::read_to_string(t.path("fixtures/dedupe/customers.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    std::fs::create_dir_all(t.path("two")).unwrap();
    t.write(
        "two/a.csv",
        &format!("{header}\n{}\n", rows[..1500].join("\n")),
    );
    t.write(
        "two/b.csv",
        &format!("{header}\n{}\n", rows[1500..].join("\n")),
    );
    let base = std::fs::read_to_string(t.path("fixtures/dedupe/customers.yaml")).unwrap();
    std::fs::create_dir_all(t.path("same")).unwrap();
    // The same blocking and threshold written in both files, with other comments.
    t.write(
        "same/a.yaml",
        &base.replace("dataset: customers", "dataset: a"),
    );
    t.write(
        "same/b.yaml",
        &format!("# b\n{}", base.replace("dataset: customers", "dataset: b")),
    );
    dedupe(&t, &["two/a.csv", "two/b.csv", "--rules", "same"]);
    std::fs::create_dir_all(t.path("clash")).unwrap();
    t.write(
        "clash/a.yaml",
        &base.replace("dataset: customers", "dataset: a"),
    );
    t.write(
        "clash/b.yaml",
        &base
            .replace("dataset: customers", "dataset: b")
            .replace("threshold: 0.9", "threshold: 0.5"),
    );
    let r = t.run(&["dedupe", "two/a.csv", "two/b.csv", "--rules", "clash"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("fuzzy threshold differs from the one at"),
        "{}",
        r.stderr
    );
}

#[test]
fn exact_duplicate_keys_compare_phones_and_ids_normalised() {
    let t = CliTest::new();
    t.write(
        "dups.csv",
        "customer_id,mobile,id_number,email\nC1,13800138000,11010519491231002X,a@x.com\nC2,+86 138-0013-8000,110105 19491231 002x,A@X.COM\nC3,13900139000,,b@x.com\n",
    );
    t.write(
        "dups.yaml",
        "version: 1\nkey: [customer_id]\nduplicates:\n  exact: [[mobile], [id_number], [email]]\n",
    );
    let r = t.run(&[
        "scan",
        "dups.csv",
        "--rules",
        "dups.yaml",
        "--format",
        "json",
        "--no-audit",
    ]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    for (id, evaluated) in [
        ("dups.duplicates.mobile", 3),
        ("dups.duplicates.id_number", 2),
        ("dups.duplicates.email", 3),
    ] {
        let c = v["datasets"][0]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("{id}: {}", r.stdout));
        assert_eq!(c["evaluated"], evaluated, "{id}");
        assert_eq!(c["failed"], 1, "{id}");
        assert_eq!(c["duplicate_rows"], 2, "{id}");
    }
}
