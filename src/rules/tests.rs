use super::*;
use std::io::Write;

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    path
}

fn errors(text: &str) -> Vec<RuleDiagnostic> {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "r.yaml", text);
    match load(&[path]) {
        Err(Error::RuleFile(d)) => d,
        other => panic!("expected rule-file errors, got {other:?}"),
    }
}

#[test]
fn shipped_customer_core_loads() {
    let rs = load(&[PathBuf::from("rules/customer-core.yaml")]).unwrap();
    assert_eq!(rs.datasets.len(), 1);
    let ds = &rs.datasets[0];
    assert_eq!(ds.name.as_deref(), Some("customers"));
    assert_eq!(ds.key, vec!["customer_id"]);
    let ids: Vec<String> = ds
        .checks
        .iter()
        .map(|c| c.id.resolve("customers"))
        .collect();
    assert!(ids.contains(&"customers.mobile.format".to_string()));
    assert!(ids.contains(&"customers.duplicates.id_number".to_string()));
    assert!(ids.contains(&"CONS-BIRTH".to_string()));
    assert_eq!(ds.gate.min_overall, Some(95.0));
}

#[test]
fn misspelt_format_names_position_and_suggests() {
    let d = errors("version: 1\ncolumns:\n  mobile: { format: cn_mobil }\n");
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].origin.line, d[0].origin.col), (3, 21));
    assert!(
        d[0].message.starts_with("unknown format 'cn_mobil'"),
        "{}",
        d[0].message
    );
    assert_eq!(d[0].help.as_deref(), Some("did you mean 'cn_mobile'?"));
}

#[test]
fn unknown_field_is_an_error_with_a_suggestion() {
    let d = errors("version: 1\ncolumns:\n  mobile:\n    requird: true\n");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].origin.line, 4);
    assert!(d[0].message.contains("requird"), "{}", d[0].message);
    assert_eq!(d[0].help.as_deref(), Some("did you mean 'required'?"));
}

#[test]
fn every_semantic_error_is_gathered() {
    let d = errors(
        "version: 1\n\
         columns:\n\
         \x20 a: { format: emial }\n\
         \x20 b: { fresh_within: soon }\n\
         \x20 c: { pattern: '(' }\n\
         checks:\n\
         \x20 - id: X\n\
         \x20   dimension: validty\n\
         \x20   expect: a > 0\n\
         \x20 - id: Y\n\
         gate:\n\
         \x20 min: { completness: 99 }\n",
    );
    let lines: Vec<u64> = d.iter().map(|d| d.origin.line).collect();
    assert_eq!(lines, vec![3, 4, 5, 8, 10, 12], "{d:#?}");
    assert_eq!(d[3].help.as_deref(), Some("did you mean 'validity'?"));
    assert_eq!(d[5].help.as_deref(), Some("did you mean 'completeness'?"));
}

#[test]
fn duplicate_check_ids_across_files_name_both_places() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        &dir,
        "a.yaml",
        "version: 1\ndataset: t\nchecks:\n  - id: X\n    expect: a > 0\n",
    );
    let b = write(
        &dir,
        "b.yaml",
        "version: 1\ndataset: t\nchecks:\n  - id: X\n    expect: a < 9\n",
    );
    let Err(Error::RuleFile(d)) = load(&[a, b]) else {
        panic!()
    };
    assert_eq!(d.len(), 1);
    assert!(d[0].origin.path.ends_with("b.yaml"));
    assert!(d[0].message.contains("a.yaml:4"), "{}", d[0].message);
}

#[test]
fn files_merge_per_dataset_and_references_route_to_their_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        &dir,
        "a.yaml",
        "version: 1\ndataset: customers\ncolumns:\n  id: { required: true }\nchecks:\n  - id: REF\n    reference: { dataset: orders, column: customer_id, in: customers.id }\n",
    );
    let b = write(
        &dir,
        "b.yaml",
        "version: 1\ndataset: customers\ncolumns:\n  name: { required: true }\n",
    );
    let rs = load(&[dir.path().to_path_buf()]).unwrap();
    assert_eq!(rs.files, vec![a, b]);
    let customers = rs
        .datasets
        .iter()
        .find(|d| d.name.as_deref() == Some("customers"))
        .unwrap();
    assert_eq!(customers.checks.len(), 2);
    let orders = rs
        .datasets
        .iter()
        .find(|d| d.name.as_deref() == Some("orders"))
        .unwrap();
    assert_eq!(orders.checks[0].kind.name(), "reference");
    assert_eq!(orders.checks[0].dimension, Dimension::Consistency);
}

#[test]
fn yaml_syntax_errors_have_a_position() {
    let d = errors("version: 1\ncolumns:\n  a: { required: true\n");
    assert_eq!(d.len(), 1);
    assert!(d[0].origin.line >= 3, "{:?}", d[0]);
}

#[test]
fn durations_and_bounds() {
    assert_eq!(parse_duration("365d"), chrono::Duration::try_days(365));
    assert_eq!(parse_duration("2y"), chrono::Duration::try_days(730));
    assert_eq!(parse_duration("48h"), chrono::Duration::try_hours(48));
    assert_eq!(parse_duration("d"), None);
    assert_eq!(parse_duration("-1d"), None);
    assert_eq!(parse_bound(&Scalar::Int(0)), Some(Bound::Number(0.0)));
    assert!(matches!(
        parse_bound(&Scalar::Text("1900-01-01".into())),
        Some(Bound::Date(_))
    ));
    assert_eq!(parse_bound(&Scalar::Text("soon".into())), None);
}

#[test]
fn schema_contract_and_anomalies_load() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "r.yaml",
        "version: 1\ndataset: c\nschema:\n  columns:\n    id: { type: text }\n    note: { required: false }\n  unexpected: fail\nanomalies:\n  - { metric: row_count, method: zscore, runs: 10, gate: fail }\n  - { metric: null_rate, column: email, method: window, windows: [7, 1] }\n",
    );
    let rs = load(&[path]).unwrap();
    let ds = &rs.datasets[0];
    let schema = ds.schema.as_ref().unwrap();
    assert_eq!(schema.unexpected, schema::Unexpected::Fail);
    assert_eq!(schema.columns[0].column_type, Some(ColumnType::Text));
    assert!(schema.columns[0].required);
    assert!(!schema.columns[1].required);
    assert_eq!(ds.anomalies[0].id("c"), "c.anomaly.row_count.zscore");
    assert!(ds.anomalies[0].fail);
    assert_eq!(
        ds.anomalies[1].method,
        anomaly::Method::Window {
            days: vec![1, 7],
            max_change: anomaly::DEFAULT_MAX_CHANGE
        }
    );
}

#[test]
fn schema_and_anomaly_mistakes_name_line_column_and_a_fix() {
    let d = errors(
        "version: 1\nschema:\n  columns:\n    id: { type: txt }\n  unexpected: fial\nanomalies:\n  - { metric: row_cont, method: zscore }\n  - { metric: mean, method: relative }\n",
    );
    let text: Vec<String> = d.iter().map(|d| d.to_string()).collect();
    let all = text.join("\n");
    assert!(
        all.contains(":4:") && all.contains("did you mean 'text'?"),
        "{all}"
    );
    assert!(
        all.contains(":5:") && all.contains("did you mean 'fail'?"),
        "{all}"
    );
    assert!(all.contains("did you mean 'row_count'?"), "{all}");
    assert!(all.contains("metric 'mean' needs `column:`"), "{all}");
    let d = errors("version: 1\nschema:\n  colums: {}\n");
    assert_eq!(d[0].origin.line, 3, "{d:?}");
}
