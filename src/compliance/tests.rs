use super::*;
use crate::report::compliance::Lang;
use crate::report::{Classification, ColumnProfile, Protection};
use crate::rules::DatasetRules;

fn column(name: &str, category: &str, protection: Option<Protection>) -> ColumnProfile {
    ColumnProfile {
        name: name.into(),
        data_type: "Utf8".into(),
        nulls: 0,
        empty: 0,
        distinct: 10,
        min: None,
        max: None,
        min_length: None,
        max_length: None,
        classification: Some(Classification {
            category: Some(category.into()),
            confidence: 1.0,
            pipl_sensitive: crate::classify::pipl_sensitive(category),
            gdpr_special: crate::classify::gdpr_special(category),
            evidence: Default::default(),
            minors: None,
            protection,
            embedded: Default::default(),
        }),
    }
}

fn scan(rows: u64, id_protection: Option<Protection>) -> Report {
    let mut r = crate::report::test_support::report();
    r.datasets.truncate(1);
    r.datasets[0].rows = rows;
    r.datasets[0].columns = vec![
        column("id_number", "cn_resident_id", id_protection),
        column("mobile", "cn_mobile", None),
        column("health_note", "health", None),
    ];
    r
}

fn rules(destination: &str) -> RuleSet {
    let mut rs = RuleSet::default();
    rs.datasets.push(DatasetRules {
        name: Some("customers".into()),
        compliance: Some(ComplianceSpec {
            destination: Some(destination.into()),
            ..Default::default()
        }),
        ..Default::default()
    });
    rs
}

fn status(report: &ComplianceReport, id: &str) -> ObligationStatus {
    report.findings.iter().find(|f| f.id == id).unwrap().status
}

fn run(scan: &Report, rules: &RuleSet, sidecars: &[Sidecar]) -> ComplianceReport {
    evaluate(Inputs {
        scan,
        rules,
        regimes: &[Regime::Pipl, Regime::Gdpr],
        sidecars,
        history: None,
        audit_log: None,
        linked: None,
        lang: Lang::En,
    })
    .unwrap()
}

#[test]
fn every_category_has_a_chinese_name() {
    for d in crate::classify::DETECTORS.iter() {
        assert!(
            crate::report::compliance::i18n::category_zh(d.category.id).is_some(),
            "{}",
            d.category.id
        );
    }
}

#[test]
fn every_obligation_has_its_chinese_text() {
    for regime in [Regime::Pipl, Regime::Gdpr] {
        for o in super::catalogue::load(regime).unwrap().obligations {
            let zh = o.zh.unwrap_or_else(|| panic!("{}: no zh", o.id));
            assert!(!zh.title.trim().is_empty(), "{}", o.id);
            assert!(!zh.requirement.trim().is_empty(), "{}", o.id);
            assert!(!zh.remediation.trim().is_empty(), "{}", o.id);
            assert_eq!(zh.references.len(), o.references.len(), "{}", o.id);
        }
    }
}

#[test]
fn protection_comes_from_values_or_the_sidecar() {
    let encrypted = Protection {
        values_checked: 10,
        encrypted: 10,
        ..Default::default()
    };
    let r = run(&scan(10, Some(encrypted.clone())), &rules("CN"), &[]);
    assert_eq!(r.inventory[0].protection, ProtectionState::Encrypted);
    assert_eq!(r.inventory[1].protection, ProtectionState::Clear);
    // health (special) is still in clear.
    assert_eq!(status(&r, "PIPL-51"), ObligationStatus::Fail);
    assert_eq!(status(&r, "GDPR-25-32"), ObligationStatus::Fail);
    let sidecar = Sidecar {
        dataset: "customers".into(),
        columns: vec![SidecarColumn {
            column: "health_note".into(),
            category: Some("health".into()),
            method: "tokenize".into(),
            method_id: "tokenize".into(),
        }],
    };
    let r = run(&scan(10, Some(encrypted)), &rules("CN"), &[sidecar]);
    assert_eq!(r.inventory[2].protection, ProtectionState::Tokenized);
    assert_eq!(status(&r, "PIPL-51"), ObligationStatus::Pass);
    assert_eq!(status(&r, "GDPR-25-32"), ObligationStatus::NeedsReview);
    let partly = Protection {
        values_checked: 10,
        masked: 3,
        ..Default::default()
    };
    let r = run(&scan(10, Some(partly)), &rules("CN"), &[]);
    assert_eq!(r.inventory[0].protection, ProtectionState::Partial);
}

#[test]
fn transfers_follow_each_regimes_territory_and_thresholds() {
    for (dest, pipl, gdpr) in [
        ("CN", ObligationStatus::Pass, ObligationStatus::Fail),
        ("DE", ObligationStatus::Fail, ObligationStatus::Pass),
        ("JP", ObligationStatus::Fail, ObligationStatus::NeedsReview),
    ] {
        let r = run(&scan(10, None), &rules(dest), &[]);
        assert_eq!(status(&r, "PIPL-38"), pipl, "{dest}");
        assert_eq!(status(&r, "GDPR-44"), gdpr, "{dest}");
    }
    // No sensitive column and few rows: below the CAC thresholds.
    let mut small = scan(10, None);
    small.datasets[0].columns.truncate(0);
    small.datasets[0]
        .columns
        .push(column("mobile", "cn_mobile", None));
    let r = run(&small, &rules("SG"), &[]);
    assert_eq!(status(&r, "PIPL-38"), ObligationStatus::NeedsReview);
    small.datasets[0].rows = 100_000;
    let r = run(&small, &rules("SG"), &[]);
    assert_eq!(status(&r, "PIPL-38"), ObligationStatus::Fail);
    let f = r.findings.iter().find(|f| f.id == "PIPL-38").unwrap();
    assert!(
        f.evidence[1].contains("standard contract"),
        "{:?}",
        f.evidence
    );
    small.datasets[0].rows = 1_000_000;
    let r = run(&small, &rules("SG"), &[]);
    let f = r.findings.iter().find(|f| f.id == "PIPL-38").unwrap();
    assert!(
        f.evidence[1].contains("security assessment"),
        "{:?}",
        f.evidence
    );
}

#[test]
fn json_round_trips_and_renderers_escape_names() {
    let mut s = scan(10, None);
    s.datasets[0].columns[1].name = "<script>x</script>|`m`".into();
    let r = run(&s, &rules("CN"), &[]);
    use crate::report::compliance::{ReportFormat, render};
    let json = render(&r, ReportFormat::Json);
    let back: ComplianceReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
    for format in [ReportFormat::Html, ReportFormat::Markdown] {
        assert!(!render(&r, format).contains("<script>"), "{format:?}");
    }
    let md = render(&r, ReportFormat::Markdown);
    assert!(!md.contains("|`m`"), "a pipe would split the table cell");
}

#[test]
fn nothing_declared_needs_review_and_the_verdict_is_the_worst_status() {
    let mut s = scan(10, None);
    s.gate = Default::default();
    s.gate.passed = true;
    let r = run(&s, &RuleSet::default(), &[]);
    for id in ["PIPL-6", "PIPL-19", "PIPL-38", "GDPR-30"] {
        assert_eq!(status(&r, id), ObligationStatus::NeedsReview, "{id}");
    }
    assert_eq!(r.verdict, ObligationStatus::Fail, "PIPL-51 fails");
    assert_eq!(
        r.summary.obligations.fail
            + r.summary.obligations.pass
            + r.summary.obligations.needs_review,
        r.findings.len() as u64
    );
}
