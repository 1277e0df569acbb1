//! Dedupe benchmark: accuracy on Febrl3/Febrl4 and on a generated Chinese customer
//! extract with known clusters, and wall time at scale.
//!
//!     cargo bench --bench dedupe                        # febrl + 100000 generated records
//!     cargo bench --bench dedupe -- febrl               # Febrl3 and Febrl4 only
//!     cargo bench --bench dedupe -- 1000000             # generated records (target/bench-data)
//!     cargo bench --bench dedupe --profile dev -- fixture fixtures/dedupe   # rewrite the fixture
//!
//! Accuracy is pairwise precision / recall / F1 of the clusters (every pair of records
//! in one cluster counts as predicted), plus purity. Peak RSS: run the CLI under GNU
//! time (benches/README.md).

use std::path::{Path, PathBuf};
use std::time::Instant;

#[path = "synth/classify.rs"]
mod classify;
#[path = "synth/dedupe.rs"]
mod synth;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Outcome {
    secs: f64,
    accuracy: steward::dedupe::evaluate::Accuracy,
    records: u64,
    candidates: u64,
}

/// Run dedupe; the truth of each record comes from `truth(dataset, key)`.
fn run(
    data: &[PathBuf],
    rules: &[PathBuf],
    cross_only: bool,
    truth: &dyn Fn(&str, &str) -> String,
) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let clusters = dir.path().join("clusters.csv");
    let opts = steward::dedupe::DedupeOptions {
        data: data.iter().map(|p| p.display().to_string()).collect(),
        rules: rules.to_vec(),
        clusters: Some(clusters.clone()),
        ..Default::default()
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let start = Instant::now();
    let (report, _) = rt.block_on(steward::dedupe::dedupe(&opts)).unwrap();
    let secs = start.elapsed().as_secs_f64();
    let mut reader = csv::Reader::from_path(&clusters).unwrap();
    let mut datasets: Vec<String> = Vec::new();
    let rows: Vec<(u16, String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let d = match datasets.iter().position(|x| x == &r[0]) {
                Some(i) => i,
                None => {
                    datasets.push(r[0].to_string());
                    datasets.len() - 1
                }
            };
            (d as u16, r[2].to_string(), truth(&r[0], &r[1]))
        })
        .collect();
    Outcome {
        secs,
        accuracy: steward::dedupe::evaluate::pairwise(rows, cross_only),
        records: report.summary.records,
        candidates: report.summary.candidate_pairs,
    }
}

use std::collections::HashMap;

fn febrl_truth(_: &str, key: &str) -> String {
    key.split('-').nth(1).unwrap_or(key).to_string()
}

fn print(name: &str, o: &Outcome) {
    let a = &o.accuracy;
    println!(
        "{name}: {} records, {} candidate pairs, {:.2} s | true pairs {} predicted {} | precision {:.4} recall {:.4} F1 {:.4} purity {:.4}",
        o.records,
        o.candidates,
        o.secs,
        a.true_pairs,
        a.predicted_pairs,
        a.precision,
        a.recall,
        a.f1,
        a.purity
    );
}

fn febrl() {
    let f = root().join("fixtures/febrl");
    let o = run(
        &[f.join("febrl3.csv")],
        &[f.join("febrl3.yaml")],
        false,
        &febrl_truth,
    );
    print("febrl3", &o);
    let o = run(
        &[f.join("febrl4a.csv"), f.join("febrl4b.csv")],
        &[f.join("febrl4")],
        true,
        &febrl_truth,
    );
    print("febrl4", &o);
}

fn entity_labels(path: &Path) -> HashMap<String, String> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let key = headers.iter().position(|h| h == "customer_id").unwrap();
    let entity = headers.iter().position(|h| h == "entity").unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[key].to_string(), r[entity].to_string())
        })
        .collect()
}

fn generated(records: usize) {
    let dir = root().join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("dedupe_{records}.csv"));
    if !path.exists() {
        let t = Instant::now();
        synth::write_csv(&path, &synth::generate(records, 0x5eed_d0d0));
        eprintln!(
            "generated {} in {:.1} s",
            path.display(),
            t.elapsed().as_secs_f64()
        );
    }
    let labels = entity_labels(&path);
    let o = run(
        std::slice::from_ref(&path),
        &[root().join("fixtures/dedupe/customers.yaml")],
        false,
        &|_, key| labels[key].clone(),
    );
    print(&format!("generated {records}"), &o);
}

/// The checked-in fixture: one extract, and the same people split over three systems.
fn fixture(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let records = synth::generate(3000, 0x5eed_f1c5);
    synth::write_csv(&dir.join("customers.csv"), &records);
    eprintln!("wrote {}", dir.join("customers.csv").display());
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    match args.first().map(String::as_str) {
        Some("fixture") => fixture(Path::new(args.get(1).map_or("fixtures/dedupe", |s| s))),
        Some("febrl") => febrl(),
        Some(n) => generated(n.parse().expect("ROWS, febrl or fixture")),
        None => {
            febrl();
            generated(100_000);
        }
    }
}
