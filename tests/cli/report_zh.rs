//! The compliance report for a Chinese compliance officer: people counted across the
//! CRM, orders and members extracts of `fixtures/people/` (checked against the
//! generator's truth.csv, read here, not against steward), the regulation thresholds
//! applied to those counts, and the zh-CN Markdown and HTML (snapshots, and no English
//! label left).

use std::collections::{BTreeMap, BTreeSet};

use crate::{CliTest, Run};

const AS_OF: &str = "2026-11-01";

const INPUTS: [&str; 3] = [
    "fixtures/people/crm.csv",
    "fixtures/people/orders.csv",
    "fixtures/people/members.csv",
];

fn people_report(t: &CliTest, extra: &[&str]) -> Run {
    let mut args = vec!["report"];
    args.extend(INPUTS);
    args.extend([
        "--rules",
        "fixtures/people",
        "--regime",
        "pipl",
        "--as-of",
        AS_OF,
        "--no-audit",
    ]);
    args.extend_from_slice(extra);
    t.run(&args)
}

/// (dataset, key) -> person, from the generator's truth file.
fn truth() -> BTreeMap<(String, String), String> {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/people/truth.csv"),
    )
    .unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            ((f[0].to_string(), f[1].to_string()), f[2].to_string())
        })
        .collect()
}

/// The members whose bank_card is filled in, read from the file.
fn members_with_card() -> BTreeSet<String> {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/people/members.csv"),
    )
    .unwrap();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (!f[3].trim().is_empty()).then(|| f[0].to_string())
        })
        .collect()
}

#[test]
fn headcount_is_the_true_number_of_people() {
    let t = CliTest::new();
    let r = people_report(&t, &["--format", "json"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let h = &json["headcount"];
    let truth = truth();
    let people = |ds: Option<&str>| -> u64 {
        truth
            .iter()
            .filter(|((d, _), _)| ds.is_none_or(|x| x == d))
            .map(|(_, p)| p)
            .collect::<BTreeSet<_>>()
            .len() as u64
    };
    assert_eq!(h["method"], "unified_ids");
    assert_eq!(h["rows"], truth.len() as u64);
    assert_eq!(h["people"], people(None), "{h}");
    assert_eq!(people(None), 30);
    for d in h["datasets"].as_array().unwrap() {
        let name = d["dataset"].as_str().unwrap();
        assert_eq!(d["people"], people(Some(name)), "{name}");
    }
    let mut datasets_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for ((d, _), p) in &truth {
        datasets_of.entry(p).or_default().insert(d);
    }
    let several = datasets_of.values().filter(|s| s.len() > 1).count() as u64;
    assert_eq!(h["in_several_datasets"], several);
    // People with sensitive personal information: members with a bank card.
    let cards = members_with_card();
    let sensitive: BTreeSet<&String> = truth
        .iter()
        .filter(|((d, k), _)| d == "members" && cards.contains(k))
        .map(|(_, p)| p)
        .collect();
    assert_eq!(h["sensitive_people"], sensitive.len() as u64);

    // Orders and members go to SG: people of those two extracts, counted once.
    let sg: BTreeSet<&String> = truth
        .iter()
        .filter(|((d, _), _)| d == "orders" || d == "members")
        .map(|(_, p)| p)
        .collect();
    let calc = json["calculations"].as_array().unwrap();
    let cross = calc.iter().find(|c| c["id"] == "cross_border").unwrap();
    assert_eq!(cross["people"], sg.len() as u64);
    assert_eq!(cross["sensitive_people"], sensitive.len() as u64);
    // Sensitive personal information of fewer than 10,000 people: standard contract.
    assert_eq!(cross["status"], "fail");
    assert!(
        cross["result"]
            .as_str()
            .unwrap()
            .contains("standard contract")
    );
    let audit = calc.iter().find(|c| c["id"] == "audit_frequency").unwrap();
    assert_eq!(audit["status"], "pass");
    assert_eq!(audit["people"], 30);
}

#[test]
fn without_linkage_the_count_says_rows() {
    let t = CliTest::new();
    t.write(
        "plain.yaml",
        "version: 1\ndataset: orders\nkey: [order_id]\n",
    );
    let r = t.run(&[
        "report",
        "fixtures/people/orders.csv",
        "--rules",
        "plain.yaml",
        "--regime",
        "pipl",
        "--format",
        "markdown",
        "--as-of",
        AS_OF,
        "--no-audit",
    ]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert!(r.stdout.contains("30 individual(s) (rows)"), "{}", r.stdout);
    assert!(r.stdout.contains("Rows, not deduplicated"), "{}", r.stdout);
}

/// Latin-script words left in zh-CN text, apart from what is allowed to stay Latin:
/// ids, category and check ids, article and standard numbers, file names, hashes,
/// code spans, the data's own values (dataset, column and company names).
fn english_words(text: &str, allowed: &[&str]) -> BTreeSet<String> {
    // Code spans, markup, entities, dotted or snake_case ids (`compliance.retention`,
    // `crm.customer_id.unique`) and command-line options (`--history`).
    let code = regex::Regex::new(
        r"`[^`]*`|<code>[^<]*</code>|<[^>]*>|&[a-z]+;|[A-Za-z0-9]+(?:[._][A-Za-z0-9]+)+|--[a-z-]+",
    )
    .unwrap();
    // Markdown escapes (`declared\_columns`) first.
    let text = text.replace('\\', "");
    let text = code.replace_all(&text, " ");
    let word = regex::Regex::new(r"[A-Za-z][A-Za-z'-]*[A-Za-z]").unwrap();
    word.find_iter(&text)
        .map(|m| m.as_str().to_string())
        .filter(|w| {
            !allowed.contains(&w.as_str())
                // ids: upper-case (PIPL, GDPR, GB, AUDIT, CAC) or snake_case ids.
                && !w.chars().all(|c| c.is_ascii_uppercase() || c == '-')
                // hashes
                && !w.chars().all(|c| c.is_ascii_hexdigit())
        })
        .collect()
}

/// Words the zh-CN report may keep: steward's name, ids and setting names (in rule-file
/// terms), the fixture's own names and values, units and technical ids.
const ALLOWED: &[&str] = &[
    "steward",
    "customers",
    "crm",
    "orders",
    "members",
    "customer",
    "id",
    "name",
    "mobile",
    "order",
    "buyer",
    "phone",
    "amount",
    "member",
    "no",
    "bank",
    "card",
    "csv",
    "fixtures",
    "people",
    "yaml",
    "sha",
    "Example",
    "Retail",
    "Shenzhen",
    "Co",
    "Ltd",
    "service",
    "delivery",
    "loyalty",
    "programme",
    "contract",
    "consent",
    "compliance",
    "duplicates",
    "fuzzy",
    "exact",
    "gate",
    "max",
    "drop",
    "min",
    "overall",
    "risk",
    "docs",
    "md",
    "dedupe",
    "person",
    "cn",
    "account",
    "bank_card",
    "declared_columns",
    "utf",
    "html",
    "lang",
    "zh",
    "viewport",
    "width",
    "device",
    "initial",
    "scale",
    "charset",
    "generator",
    "ms",
    "Noto",
    "Sans",
    "SC",
    "Source",
    "Han",
    "PingFang",
    "Microsoft",
    "YaHei",
    "WenQuanYi",
    "Micro",
    "Hei",
    "system",
    "ui",
    "sans",
    "serif",
    "px",
    "k",
];

#[test]
fn zh_cn_markdown() {
    let t = CliTest::new();
    let r = people_report(&t, &["--format", "markdown", "--lang", "zh-CN"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("# 个人信息保护合规报告"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("《个人信息保护法》第二十八条"));
    assert!(r.stdout.contains("| **全部输入** | **70** | **30** |"));
    let left = english_words(&r.stdout, ALLOWED);
    assert!(
        left.is_empty(),
        "English left in the zh-CN report: {left:?}"
    );
    assert_run_snapshot!(t, "report_zh_markdown", r);
}

#[test]
fn zh_cn_html() {
    let t = CliTest::new();
    let r = people_report(
        &t,
        &[
            "--format",
            "html",
            "--lang",
            "zh-CN",
            "--output",
            "report.html",
        ],
    );
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let html = std::fs::read_to_string(t.path("report.html")).unwrap();
    assert!(html.contains("<html lang=\"zh-CN\">"));
    assert!(html.contains("Noto Sans CJK SC"));
    assert!(html.contains("@page { size: A4"));
    // Only the CSS and markup may hold Latin words; the text must not.
    let body = &html[html.find("<body>").unwrap()..];
    let left = english_words(body, ALLOWED);
    assert!(left.is_empty(), "English left in the zh-CN HTML: {left:?}");
    let mut settings = t.settings();
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!("report_zh_html", html));
}

#[test]
fn zh_cn_scan_markdown() {
    let t = CliTest::new();
    let r = t.run(&[
        "scan",
        "fixtures/customers.csv",
        "--rules",
        "rules/customer-core.yaml",
        "--as-of",
        AS_OF,
        "--format",
        "markdown",
        "--lang",
        "zh-CN",
        "--no-audit",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.starts_with("## steward: 未通过"), "{}", r.stdout);
    // The masked samples are the data's own values (`zha***@example.com`).
    let start = r.stdout.find("已脱敏的样例").unwrap();
    let end = start + r.stdout[start..].find("<details>").unwrap();
    let prose = format!("{}{}", &r.stdout[..start], &r.stdout[end..]);
    let left = english_words(&prose, ALLOWED);
    assert!(
        left.is_empty(),
        "English left in the zh-CN scan report: {left:?}"
    );
    assert_run_snapshot!(t, "scan_zh_markdown", r);
}
