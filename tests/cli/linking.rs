//! `steward dedupe --previous`: incremental linking with stable unified IDs, the
//! changes file (merges, splits, retired IDs), `--lookup`, and the refusals (a state
//! of another format, a changed state, a wrong key, a mismatched ids.csv).
//!
//! The data is the generated Chinese customer master of fixtures/dedupe, split here
//! into a base and a delta; its `entity` column is the truth, and accuracy is counted
//! here from it pair by pair, not by steward's evaluator.

use std::collections::{BTreeMap, HashMap};

use crate::CliTest;

const RULES: &str = "fixtures/dedupe/customers.yaml";
const KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

type Rows = Vec<BTreeMap<String, String>>;

fn fixture(t: &CliTest) -> (Vec<String>, Rows) {
    let mut r = csv::Reader::from_path(t.path("fixtures/dedupe/customers.csv")).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|x| {
            let x = x.unwrap();
            header
                .iter()
                .cloned()
                .zip(x.iter().map(String::from))
                .collect()
        })
        .collect();
    (header, rows)
}

fn write_csv(t: &CliTest, rel: &str, header: &[String], rows: &[&BTreeMap<String, String>]) {
    if let Some(dir) = std::path::Path::new(rel).parent() {
        std::fs::create_dir_all(t.path(&dir.to_string_lossy())).unwrap();
    }
    let mut w = csv::Writer::from_path(t.path(rel)).unwrap();
    w.write_record(header).unwrap();
    for r in rows {
        w.write_record(header.iter().map(|h| &r[h])).unwrap();
    }
    w.flush().unwrap();
}

/// key -> unified ID.
fn ids(t: &CliTest, rel: &str) -> HashMap<String, String> {
    let mut r = csv::Reader::from_path(t.path(rel)).unwrap();
    r.records()
        .map(|x| {
            let x = x.unwrap();
            (x[1].to_string(), x[2].to_string())
        })
        .collect()
}

/// Pairwise F1 of a clustering against the fixture's entities.
fn f1(clusters: &HashMap<String, String>, truth: &HashMap<String, String>) -> f64 {
    let mut by_id: HashMap<&str, Vec<&str>> = HashMap::new();
    for (k, u) in clusters {
        by_id.entry(u).or_default().push(k);
    }
    let (mut tp, mut predicted) = (0u64, 0u64);
    for members in by_id.values() {
        for (a, x) in members.iter().enumerate() {
            for y in &members[a + 1..] {
                predicted += 1;
                tp += u64::from(truth[*x] == truth[*y]);
            }
        }
    }
    let mut per_entity: HashMap<&str, u64> = HashMap::new();
    for k in clusters.keys() {
        *per_entity.entry(&truth[k]).or_default() += 1;
    }
    let actual: u64 = per_entity.values().map(|n| n * (n - 1) / 2).sum();
    let (p, r) = (tp as f64 / predicted as f64, tp as f64 / actual as f64);
    2.0 * p * r / (p + r)
}

fn steward(t: &CliTest, args: &[&str]) -> crate::Run {
    let mut all = vec!["dedupe", "--no-audit"];
    all.extend_from_slice(args);
    t.run_env(&all, &[("STEWARD_KEY", KEY)])
}

fn ok(r: crate::Run) -> crate::Run {
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    r
}

/// The base (first 2,500 rows) linked once, the state beside `base_ids.csv`.
fn base(t: &CliTest) -> (Vec<String>, Rows) {
    let (header, rows) = fixture(t);
    let first: Vec<_> = rows[..2500].iter().collect();
    write_csv(t, "base/customers.csv", &header, &first);
    ok(steward(
        t,
        &[
            "base/customers.csv",
            "--rules",
            RULES,
            "--clusters",
            "base_ids.csv",
            "--pairs",
            "base_pairs.csv",
        ],
    ));
    assert!(t.path("base_ids.csv.steward-model").exists());
    (header, rows)
}

#[test]
fn a_delta_keeps_every_untouched_id_and_matches_a_full_run() {
    let t = CliTest::new();
    let (header, rows) = base(&t);
    let rest: Vec<_> = rows[2500..].iter().collect();
    write_csv(&t, "delta/customers.csv", &header, &rest);
    let r = ok(steward(
        &t,
        &[
            "delta/customers.csv",
            "--rules",
            RULES,
            "--previous",
            "base_ids.csv",
            "--clusters",
            "ids.csv",
            "--changes",
            "changes.csv",
        ],
    ));
    assert!(
        r.stdout
            .contains("500 added, 0 changed, 0 unchanged, 0 removed"),
        "{}",
        r.stdout
    );
    ok(steward(
        &t,
        &[
            "fixtures/dedupe/customers.csv",
            "--rules",
            RULES,
            "--clusters",
            "full.csv",
        ],
    ));
    let truth: HashMap<String, String> = rows
        .iter()
        .map(|r| (r["customer_id"].clone(), r["entity"].clone()))
        .collect();
    let (before, after, full) = (
        ids(&t, "base_ids.csv"),
        ids(&t, "ids.csv"),
        ids(&t, "full.csv"),
    );
    assert_eq!(after.len(), 3000);
    let (fi, ff) = (f1(&after, &truth), f1(&full, &truth));
    assert!(
        (fi - ff).abs() <= 0.002,
        "incremental F1 {fi}, full run {ff}"
    );
    assert!(fi > 0.99, "{fi}");

    // Every base record keeps its ID unless its cluster was merged into another.
    let ch = t.csv_rows("changes.csv");
    let merged: Vec<&BTreeMap<String, String>> =
        ch.iter().filter(|c| c["change"] == "merged").collect();
    for (k, id) in &before {
        if after[k] != *id {
            assert!(
                merged
                    .iter()
                    .any(|c| &c["old_id"] == id && c["new_id"] == after[k]),
                "{k} moved from {id} to {} without a change row",
                after[k]
            );
        }
    }
    // A merge: the earlier cluster's records all carry the surviving ID now, and the
    // evidence pair is a delta record matching a record of the merged cluster.
    assert!(!merged.is_empty(), "this delta bridges clusters: {ch:?}");
    for c in &merged {
        for (k, id) in &before {
            if *id == c["old_id"] {
                assert_eq!(after[k], c["new_id"]);
            }
        }
        let (a, b) = (&c["key_a"], &c["key_b"]);
        assert!(
            rows[2500..]
                .iter()
                .any(|r| &r["customer_id"] == a || &r["customer_id"] == b)
        );
        assert_eq!(truth[a], truth[b]);
        assert!(c["match_probability"].parse::<f64>().unwrap() >= 0.9);
    }
    // New customers got new IDs, none of them an earlier one.
    let created = ch.iter().filter(|c| c["change"] == "created").count();
    assert!(created > 0);
    assert!(
        ch.iter()
            .filter(|c| c["change"] == "created")
            .all(|c| !before.values().any(|v| *v == c["new_id"]))
    );

    // The same delta again (records unchanged now) changes nothing at all.
    let r = ok(steward(
        &t,
        &[
            "delta/customers.csv",
            "--rules",
            RULES,
            "--previous",
            "ids.csv",
            "--clusters",
            "ids_again.csv",
            "--changes",
            "changes_again.csv",
        ],
    ));
    assert!(
        r.stdout.contains("0 added, 0 changed, 500 unchanged"),
        "{}",
        r.stdout
    );
    assert_eq!(
        std::fs::read(t.path("ids.csv")).unwrap(),
        std::fs::read(t.path("ids_again.csv")).unwrap()
    );
    assert_eq!(t.csv_rows("changes_again.csv").len(), 0);
}

/// A base cluster of three records a-b-c linked only through b: (a, b, c).
fn chain(t: &CliTest) -> (String, String, String) {
    let mut r = csv::Reader::from_path(t.path("base_pairs.csv")).unwrap();
    let mut adj: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for x in r.records() {
        let x = x.unwrap();
        adj.entry(x[1].to_string())
            .or_default()
            .push(x[3].to_string());
        adj.entry(x[3].to_string())
            .or_default()
            .push(x[1].to_string());
    }
    for (b, n) in &adj {
        if n.len() == 2 && adj[&n[0]].len() == 1 && adj[&n[1]].len() == 1 {
            return (n[0].clone(), b.clone(), n[1].clone());
        }
    }
    panic!("no chain of three in the base pairs");
}

#[test]
fn a_changed_or_removed_bridge_splits_its_cluster_and_says_why() {
    let t = CliTest::new();
    let (header, rows) = base(&t);
    let (a, b, c) = chain(&t);
    let before = ids(&t, "base_ids.csv");
    assert_eq!(before[&a], before[&b]);
    assert_eq!(before[&b], before[&c]);
    let old = before[&b].clone();

    // b becomes someone else: another record's values under b's key.
    let stranger = rows[..2500]
        .iter()
        .find(|r| before[&r["customer_id"]] != old && !r["mobile"].is_empty())
        .unwrap();
    let mut changed = stranger.clone();
    changed.insert("customer_id".into(), b.clone());
    changed.insert("name".into(), "欧阳修远".into());
    changed.insert("mobile".into(), "13700000001".into());
    changed.insert("email".into(), "".into());
    changed.insert("id_number".into(), "".into());
    write_csv(&t, "delta/customers.csv", &header, &[&changed]);
    let r = ok(steward(
        &t,
        &[
            "delta/customers.csv",
            "--rules",
            RULES,
            "--previous",
            "base_ids.csv",
            "--clusters",
            "ids.csv",
            "--changes",
            "changes.csv",
        ],
    ));
    assert!(r.stdout.contains("0 added, 1 changed"), "{}", r.stdout);
    let after = ids(&t, "ids.csv");
    assert_ne!(after[&a], after[&c], "the bridge is gone");
    let splits: Vec<_> = t
        .csv_rows("changes.csv")
        .into_iter()
        .filter(|x| x["change"] == "split")
        .collect();
    assert_eq!(splits.len(), 2, "{splits:?}");
    assert!(splits.iter().all(|s| s["old_id"] == old));
    assert!(
        splits[0]["reason"].contains(&format!("customers:{b} was changed")),
        "{splits:?}"
    );
    // One part keeps the old ID; records outside the cluster keep theirs.
    assert_eq!(
        [&after[&a], &after[&b], &after[&c]]
            .iter()
            .filter(|x| ***x == old)
            .count(),
        1
    );
    for (k, id) in &before {
        if *id != old {
            assert_eq!(&after[k], id, "{k}");
        }
    }

    // Removing b instead: a and c split; removing a singleton retires its ID.
    let single = rows[..2500]
        .iter()
        .map(|r| &r["customer_id"])
        .find(|k| before.values().filter(|v| **v == before[*k]).count() == 1)
        .unwrap();
    t.write(
        "removed.csv",
        &format!("dataset,key\ncustomers,{b}\ncustomers,{single}\n"),
    );
    write_csv(&t, "empty/customers.csv", &header, &[]);
    ok(steward(
        &t,
        &[
            "empty/customers.csv",
            "--rules",
            RULES,
            "--previous",
            "base_ids.csv",
            "--removed",
            "removed.csv",
            "--clusters",
            "ids2.csv",
            "--changes",
            "changes2.csv",
        ],
    ));
    let after = ids(&t, "ids2.csv");
    assert_eq!(after.len(), 2498);
    assert!(!after.contains_key(&b));
    assert_ne!(after[&a], after[&c]);
    let ch = t.csv_rows("changes2.csv");
    assert!(
        ch.iter().any(|x| x["change"] == "split"
            && x["old_id"] == old
            && x["reason"].contains("was removed")),
        "{ch:?}"
    );
    assert!(
        ch.iter()
            .any(|x| x["change"] == "retired" && x["old_id"] == before[single])
    );
}

#[test]
fn lookup_answers_which_customer_a_record_is_without_writing() {
    let t = CliTest::new();
    let (header, rows) = base(&t);
    let before = ids(&t, "base_ids.csv");
    let known = rows[..2500]
        .iter()
        .find(|r| r["mobile"].len() == 11 && r["id_number"].len() == 18 && !r["name"].is_empty())
        .unwrap();
    let mut probe = known.clone();
    probe.insert("customer_id".into(), "P1".into());
    // The mobile as people write it.
    let m = &known["mobile"];
    probe.insert(
        "mobile".into(),
        format!("+86 {} {} {}", &m[..3], &m[3..7], &m[7..]),
    );
    let mut stranger = known.clone();
    for (f, v) in [
        ("customer_id", "P2"),
        ("name", "欧阳修远"),
        ("mobile", "13700000001"),
        ("id_number", ""),
        ("email", ""),
        ("address", ""),
        ("birth_date", "1901-01-01"),
    ] {
        stranger.insert(f.into(), v.into());
    }
    write_csv(&t, "probe/customers.csv", &header, &[&probe, &stranger]);
    let listing = |t: &CliTest| {
        let mut v: Vec<_> = std::fs::read_dir(t.path(""))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        v.sort();
        v
    };
    let files = listing(&t);
    let r = ok(steward(
        &t,
        &[
            "--rules",
            RULES,
            "--previous",
            "base_ids.csv",
            "--lookup",
            "probe/customers.csv",
            "--format",
            "json",
        ],
    ));
    assert_eq!(listing(&t), files, "a lookup writes nothing");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let recs = v["records"].as_array().unwrap();
    assert_eq!(recs[0]["record"], "customers:P1");
    assert_eq!(
        recs[0]["unified_id"],
        before[&known["customer_id"]].as_str()
    );
    assert!(recs[0]["probability"].as_f64().unwrap() >= 0.9);
    assert_eq!(recs[0]["explain"]["terms"].as_array().unwrap().len(), 7);
    assert!(recs[1]["unified_id"].is_null(), "{}", r.stdout);
    // The waterfall shows values masked, never the mobile in clear.
    let table = ok(steward(
        &t,
        &[
            "--rules",
            RULES,
            "--previous",
            "base_ids.csv",
            "--lookup",
            "probe/customers.csv",
        ],
    ));
    assert!(table.stdout.contains("P1"), "{}", table.stdout);
    assert!(!table.stdout.contains(m.as_str()) && !r.stdout.contains(m.as_str()));
}

#[test]
fn a_foreign_changed_or_mismatched_state_is_refused() {
    let t = CliTest::new();
    let (header, rows) = base(&t);
    write_csv(&t, "delta/customers.csv", &header, &[&rows[2600]]);
    let delta = |t: &CliTest, ids: &str, env: &[(&str, &str)]| {
        t.run_env(
            &[
                "dedupe",
                "--no-audit",
                "delta/customers.csv",
                "--rules",
                RULES,
                "--previous",
                ids,
                "--clusters",
                "out.csv",
            ],
            env,
        )
    };
    let state = std::fs::read(t.path("base_ids.csv.steward-model")).unwrap();
    let ids_text = std::fs::read_to_string(t.path("base_ids.csv")).unwrap();
    let expect = |r: crate::Run, what: &str| {
        assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains(what), "{what}: {}", r.stderr);
        assert!(!t.path("out.csv").exists(), "no output on a refusal");
    };

    // Another format version (bytes 19..23 of the header).
    let mut other = state.clone();
    other[19] = 9;
    std::fs::write(t.path("base_ids.csv.steward-model"), &other).unwrap();
    expect(
        delta(&t, "base_ids.csv", &[("STEWARD_KEY", KEY)]),
        "linking state format 9",
    );
    // One byte of the ciphertext changed.
    let mut other = state.clone();
    let last = other.len() - 20;
    other[last] ^= 1;
    std::fs::write(t.path("base_ids.csv.steward-model"), &other).unwrap();
    expect(
        delta(&t, "base_ids.csv", &[("STEWARD_KEY", KEY)]),
        "integrity check",
    );
    std::fs::write(t.path("base_ids.csv.steward-model"), &state).unwrap();
    // Another key, and no key.
    let other_key = "HxwdHh8AAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRo=";
    expect(
        delta(&t, "base_ids.csv", &[("STEWARD_KEY", other_key)]),
        "encrypted with key",
    );
    expect(delta(&t, "base_ids.csv", &[]), "no key");
    // No state beside the ids file.
    t.write("copy.csv", &ids_text);
    expect(
        delta(&t, "copy.csv", &[("STEWARD_KEY", KEY)]),
        "no linking state here",
    );

    // ids.csv: an unknown dataset, a duplicate key, an edited ID.
    let line2 = ids_text.lines().nth(1).unwrap().to_string();
    for (edit, what) in [
        (
            ids_text.replacen(&line2, &line2.replacen("customers", "orders", 1), 1),
            ":2: dataset 'orders' is not in the linking state",
        ),
        (
            format!("{ids_text}{line2}\n"),
            "is listed twice (first at line 2)",
        ),
        (
            ids_text.replacen(
                &line2,
                &format!("{},U0000000000000000", &line2[..line2.rfind(',').unwrap()]),
                1,
            ),
            ":2: unified ID U0000000000000000 here",
        ),
    ] {
        t.write("base_ids.csv", &edit);
        expect(delta(&t, "base_ids.csv", &[("STEWARD_KEY", KEY)]), what);
    }
    t.write("base_ids.csv", &ids_text);
    // A changed rule file needs --retrain.
    let rules = std::fs::read_to_string(t.path(RULES)).unwrap();
    t.write(RULES, &rules.replace("threshold: 0.9", "threshold: 0.8"));
    expect(
        delta(&t, "base_ids.csv", &[("STEWARD_KEY", KEY)]),
        "threshold: 0.9 then, 0.8 now",
    );
    let r = t.run_env(
        &[
            "dedupe",
            "--no-audit",
            "delta/customers.csv",
            "--rules",
            RULES,
            "--previous",
            "base_ids.csv",
            "--retrain",
            "--clusters",
            "out.csv",
        ],
        &[("STEWARD_KEY", KEY)],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}
