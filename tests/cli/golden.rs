//! `steward dedupe --golden`: one golden record per unified ID, each field chosen by
//! its survivorship rule, with its source.
//!
//! The data is the generated customer master of fixtures/dedupe split over a CRM and a
//! members system, plus one hand-written customer (four records, 王建国) whose golden
//! record is worked out by hand below. Every other cluster is checked against a second
//! implementation of the documented `longest` and `most_frequent` rules written here
//! from docs/rules.md, reading the clusters file and the inputs.

use std::collections::{BTreeMap, HashMap};

use crate::CliTest;

const KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

const HEADER: &str =
    "customer_id,name,gender,birth_date,id_number,mobile,email,address,entity,updated_at,vip_level";

/// The hand-written customer: (system, row).
const WANG: [(&str, &str); 4] = [
    (
        "crm",
        "H1,王建国,男,1990-03-07,110101199003071234,13912345678,wjg@old.com,北京市朝阳区建国路88号,EH,2023-05-01 10:00:00,金卡",
    ),
    (
        "crm",
        "H2,王建国,男,1990/3/7,110101199003071234,139 1234 5678,wjg@new.com,北京市朝阳区建国路88号SOHO现代城5号楼1201,EH,2024年6月1日,银卡",
    ),
    (
        "members",
        "H3,Wang Jianguo,男,19900307,110101199003071234,(+86)139-1234-5678,wjg@mid.com,朝阳区建国路88号,EH,2024-01-15T08:00:00+08:00,普通",
    ),
    (
        "members",
        "H4,王建国,男,1990-03-07,110101199003071234,13912345678,,,EH,20241231,",
    ),
];

fn rules(t: &CliTest) {
    std::fs::create_dir_all(t.path("golden-rules")).unwrap();
    let base = std::fs::read_to_string(t.path("fixtures/dedupe/customers.yaml")).unwrap();
    let golden = "    golden:\n      name: most_frequent\n      address: longest\n      email: { rule: most_recent, by: updated_at }\n      mobile: { rule: source_priority, order: [members, crm] }\n      vip_level: { rule: most_recent, by: updated_at }\n";
    t.write(
        "golden-rules/crm.yaml",
        &format!(
            "{}{golden}",
            base.replace("dataset: customers", "dataset: crm")
        ),
    );
    t.write(
        "golden-rules/members.yaml",
        "version: 1\ndataset: members\nkey: [customer_id]\n",
    );
}

/// The fixture's rows with an `updated_at` (in several written forms) and a
/// `vip_level`, split over crm and members, plus the hand-written customer's rows for
/// which `keep` says yes.
fn systems(t: &CliTest, dir: &str, keep: impl Fn(&str) -> bool) {
    let text = std::fs::read_to_string(t.path("fixtures/dedupe/customers.csv")).unwrap();
    let mut out: [Vec<String>; 2] = Default::default();
    for (i, line) in text.lines().skip(1).enumerate() {
        let stamp = match i % 3 {
            0 => format!("2024-{:02}-{:02} 09:30:00", 1 + i % 12, 1 + i % 28),
            1 => format!("2023/{}/{}", 1 + i % 12, 1 + i % 28),
            _ => format!("2022{:02}{:02}", 1 + i % 12, 1 + i % 28),
        };
        out[i % 2].push(format!("{line},{stamp},V{}", i % 4));
    }
    for (system, row) in WANG {
        let key = row.split(',').next().unwrap();
        if keep(key) {
            out[usize::from(system == "members")].push(row.to_string());
        }
    }
    std::fs::create_dir_all(t.path(dir)).unwrap();
    for (name, rows) in ["crm", "members"].iter().zip(&out) {
        t.write(
            &format!("{dir}/{name}.csv"),
            &format!("{HEADER}\n{}\n", rows.join("\n")),
        );
    }
}

fn steward(t: &CliTest, args: &[&str]) -> crate::Run {
    let mut all = vec!["dedupe", "--no-audit"];
    all.extend_from_slice(args);
    let r = t.run_env(&all, &[("STEWARD_KEY", KEY)]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    r
}

/// The golden row of the unified ID `key` (a record of the crm system) belongs to.
fn golden_of(t: &CliTest, golden: &str, clusters: &str, key: &str) -> BTreeMap<String, String> {
    let id = t
        .csv_rows(clusters)
        .into_iter()
        .find(|r| r["dataset"] == "crm" && r["key"] == key)
        .unwrap()["unified_id"]
        .clone();
    t.csv_rows(golden)
        .into_iter()
        .find(|r| r["unified_id"] == id)
        .unwrap()
}

/// Of (source, value) in record order, the first with the highest `rank`, as
/// (value, source); empty strings when there is none.
fn first_best(held: &[(String, &str)], rank: impl Fn(&str) -> usize) -> (String, String) {
    held.iter()
        .fold(None::<&(String, &str)>, |b, x| match b {
            Some(b) if rank(b.1) >= rank(x.1) => Some(b),
            _ => Some(x),
        })
        .map(|(s, v)| (v.to_string(), s.clone()))
        .unwrap_or_default()
}

#[test]
fn golden_records_follow_each_fields_rule_with_its_source() {
    let t = CliTest::new();
    rules(&t);
    systems(&t, "sys", |_| true);
    steward(
        &t,
        &[
            "sys/crm.csv",
            "sys/members.csv",
            "--rules",
            "golden-rules",
            "--clusters",
            "ids.csv",
            "--golden",
            "golden.csv",
        ],
    );
    let g = golden_of(&t, "golden.csv", "ids.csv", "H1");
    let want: BTreeMap<String, String> = [
        ("records", "4"),
        // 王建国 three times, Wang Jianguo once; no `by`: the first record holding it.
        ("name", "王建国"),
        ("name_source", "crm:H1"),
        // The longest of three (H4 is blank).
        ("address", "北京市朝阳区建国路88号SOHO现代城5号楼1201"),
        ("address_source", "crm:H2"),
        // H4 (2024-12-31) is newest but blank; then H2 (2024-06-01), not H3
        // (2024-01-15 00:00 UTC) or H1 (2023-05-01).
        ("email", "wjg@new.com"),
        ("email_source", "crm:H2"),
        // members before crm; of the two members records, the first (H3), as written.
        ("mobile", "(+86)139-1234-5678"),
        ("mobile_source", "members:H3"),
        ("vip_level", "银卡"),
        ("vip_level_source", "crm:H2"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let got: BTreeMap<String, String> = g
        .iter()
        .filter(|(k, _)| *k != "unified_id")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    assert_eq!(got, want);

    // Every other unified ID against a second implementation of `longest` and
    // `most_frequent`: members in (dataset, key) order, blanks skipped, ties to the
    // first record.
    let mut raw: HashMap<(String, String), BTreeMap<String, String>> = HashMap::new();
    for system in ["crm", "members"] {
        for r in t.csv_rows(&format!("sys/{system}.csv")) {
            raw.insert((system.to_string(), r["customer_id"].clone()), r);
        }
    }
    let mut members: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for r in t.csv_rows("ids.csv") {
        members
            .entry(r["unified_id"].clone())
            .or_default()
            .push((r["dataset"].clone(), r["key"].clone()));
    }
    let golden = t.csv_rows("golden.csv");
    assert_eq!(golden.len(), members.len());
    let ids: Vec<&String> = golden.iter().map(|r| &r["unified_id"]).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "rows are sorted by unified ID");
    let mut multi = 0;
    for row in &golden {
        let mut m = members[&row["unified_id"]].clone();
        m.sort();
        assert_eq!(row["records"], m.len().to_string());
        multi += usize::from(m.len() > 1);
        let held = |field: &str| -> Vec<(String, &str)> {
            m.iter()
                .filter_map(|k| {
                    let v = raw[k][field].as_str();
                    (!v.trim().is_empty()).then(|| (format!("{}:{}", k.0, k.1), v))
                })
                .collect()
        };
        // longest: the first of the longest.
        let addr = held("address");
        assert_eq!(
            (row["address"].clone(), row["address_source"].clone()),
            first_best(&addr, |v| v.trim().chars().count()),
            "{row:?}"
        );
        // most_frequent: the highest count, then the first record holding it.
        let names = held("name");
        let count = |v: &str| names.iter().filter(|x| x.1.trim() == v.trim()).count();
        assert_eq!(
            (row["name"].clone(), row["name_source"].clone()),
            first_best(&names, count),
            "{row:?}"
        );
    }
    assert!(multi > 100, "{multi} multi-record clusters");
}

#[test]
fn golden_records_of_an_incremental_run_choose_among_old_and_new_records() {
    let t = CliTest::new();
    rules(&t);
    // The base lacks H2; the delta brings H2 and sends H1 again with a new VIP level
    // and timestamp (compared values unchanged).
    systems(&t, "base", |k| k != "H2");
    steward(
        &t,
        &[
            "base/crm.csv",
            "base/members.csv",
            "--rules",
            "golden-rules",
            "--clusters",
            "base_ids.csv",
            "--golden",
            "base_golden.csv",
        ],
    );
    let g = golden_of(&t, "base_golden.csv", "base_ids.csv", "H1");
    assert_eq!(g["address"], "北京市朝阳区建国路88号");
    assert_eq!(g["vip_level"], "普通");
    assert_eq!(g["vip_level_source"], "members:H3");

    std::fs::create_dir_all(t.path("delta")).unwrap();
    let h1 = WANG[0]
        .1
        .replace("2023-05-01 10:00:00,金卡", "2025-01-01 09:00,钻石卡");
    t.write("delta/crm.csv", &format!("{HEADER}\n{h1}\n{}\n", WANG[1].1));
    let r = steward(
        &t,
        &[
            "delta/crm.csv",
            "--rules",
            "golden-rules",
            "--previous",
            "base_ids.csv",
            "--clusters",
            "ids.csv",
            "--golden",
            "golden.csv",
        ],
    );
    assert!(
        r.stdout.contains("1 added, 0 changed, 1 unchanged"),
        "{}",
        r.stdout
    );
    let g = golden_of(&t, "golden.csv", "ids.csv", "H1");
    assert_eq!(g["records"], "4");
    // H2, new, is the longest address; the stored records still count for the name.
    assert_eq!(g["address"], "北京市朝阳区建国路88号SOHO现代城5号楼1201");
    assert_eq!(g["address_source"], "crm:H2");
    assert_eq!(g["name"], "王建国");
    assert_eq!(g["mobile_source"], "members:H3");
    // H1's resent row is now the newest with a VIP level.
    assert_eq!(g["vip_level"], "钻石卡");
    assert_eq!(g["vip_level_source"], "crm:H1");
    // The untouched clusters' golden rows are those of the base run.
    let before: HashMap<String, BTreeMap<String, String>> = t
        .csv_rows("base_golden.csv")
        .into_iter()
        .map(|r| (r["unified_id"].clone(), r))
        .collect();
    let same = t
        .csv_rows("golden.csv")
        .into_iter()
        .filter(|r| before.get(&r["unified_id"]) == Some(r))
        .count();
    assert!(same + 1 >= before.len(), "{same} of {}", before.len());
}

#[test]
fn golden_rule_errors_name_the_position() {
    let t = CliTest::new();
    t.write(
        "bad.yaml",
        "version: 1\ndataset: crm\nkey: [id]\nduplicates:\n  fuzzy:\n    compare: [name]\n    golden:\n      name: most_recnt\n      email: most_recent\n      mobile: { rule: source_priority }\n",
    );
    t.write("crm.csv", "id,name\n1,a\n");
    let r = t.run(&["dedupe", "--no-audit", "crm.csv", "--rules", "bad.yaml"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    for want in [
        "bad.yaml:8",
        "unknown survivorship rule 'most_recnt'",
        "most_frequent",
        "bad.yaml:9",
        "most_recent needs `by`",
        "bad.yaml:10",
        "source_priority needs `order`",
    ] {
        assert!(r.stderr.contains(want), "{want}: {}", r.stderr);
    }
}
