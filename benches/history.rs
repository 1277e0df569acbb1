//! What `--history` adds to a scan: reading the store, the drift against the previous
//! run, three anomaly declarations and appending this run, for a dataset with 30
//! checks and 12 columns, with 1,000 earlier runs stored as one file (after
//! `steward history --retain`) and as 1,000 files (as appended); then compacting 10,000
//! runs to 100, with the store's size before and after.
//!
//!     cargo bench --bench history -- [--reps N]        # default 5 reps, medians printed
//!
//! Timings are in-process wall times of the library calls `steward scan --history`
//! makes (`audit::history::record` is these steps), interleaved per rep.

use std::path::Path;
use std::time::Instant;

use steward::audit::history::store::{
    self, Retain, StoredCheck, StoredColumn, StoredDataset, StoredRun,
};
use steward::audit::history::{anomaly, drift};
use steward::report::Scores;
use steward::rules::anomaly::{AnomalySpec, Method, Metric};

fn run(i: usize) -> StoredRun {
    let day =
        chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Duration::days(i as i64);
    StoredRun {
        run_id: String::new(),
        started_at: format!("{}T06:00:00Z", day.format("%Y-%m-%d")),
        as_of: day.format("%Y-%m-%d").to_string(),
        rules_sha256: "ab".repeat(32),
        version: store::VERSION,
        datasets: vec![StoredDataset {
            name: "customers".into(),
            rows: 1_000_000 + (i as u64 % 97) * 1000,
            scores: Scores {
                overall: Some(97.0 + (i % 5) as f64 / 10.0),
                ..Default::default()
            },
            gate_passed: true,
            detailed: true,
            columns: (0..12)
                .map(|c| StoredColumn {
                    name: format!("col{c}"),
                    data_type: "Utf8".into(),
                    nulls: (i as u64 * 7 + c) % 1000,
                    empty: 0,
                    distinct: 500_000 + c * 11,
                    min: None,
                    max: None,
                    mean: (c < 3).then_some(40.0 + (i % 3) as f64),
                })
                .collect(),
            checks: (0..30)
                .map(|k| StoredCheck {
                    id: format!("customers.col{}.check{k}", k % 12),
                    dimension: "validity".into(),
                    evaluated: 1_000_000,
                    failed: (i as u64 + k) % 50,
                    status: "pass".into(),
                    keys_kept: true,
                    keys_truncated: false,
                    keys: (0..((i + k as usize) % 50) as u64)
                        .map(|n| format!("C{:07}", n * 31 + k))
                        .collect(),
                })
                .collect(),
            anomalies: Vec::new(),
        }],
    }
}

fn specs() -> Vec<AnomalySpec> {
    let origin = steward::error::Origin {
        path: "bench.yaml".into(),
        line: 1,
        col: 1,
    };
    vec![
        AnomalySpec {
            metric: Metric::RowCount,
            method: Method::ZScore {
                runs: 30,
                max_z: 3.0,
            },
            fail: true,
            origin: origin.clone(),
        },
        AnomalySpec {
            metric: Metric::NullRate("col1".into()),
            method: Method::Relative { max_change: 0.5 },
            fail: false,
            origin: origin.clone(),
        },
        AnomalySpec {
            metric: Metric::PassRate("customers.col3.check3".into()),
            method: Method::Window {
                days: vec![1, 7, 30],
                max_change: 0.2,
            },
            fail: false,
            origin,
        },
    ]
}

/// The history steps of one scan: read, drift, anomalies, append. Seconds.
fn history_step(dir: &Path, current: &StoredRun) -> f64 {
    let t = Instant::now();
    let runs = store::read_with(dir, false).unwrap();
    let d = &current.datasets[0];
    let earlier: Vec<&StoredRun> = runs
        .iter()
        .filter(|r| r.dataset("customers").is_some())
        .collect();
    let last = *earlier.last().unwrap();
    let drift = drift::compare(last, last.dataset("customers").unwrap(), d);
    let verdicts: Vec<_> = specs()
        .iter()
        .map(|s| anomaly::evaluate(s, "customers", &earlier, d, &current.as_of))
        .collect();
    let path = store::write_runs(dir, std::slice::from_ref(current)).unwrap();
    let secs = t.elapsed().as_secs_f64();
    // Not timed: take the appended run out again, so every rep reads the same store.
    std::fs::remove_file(path).unwrap();
    assert!(!drift.is_empty() && verdicts.len() == 3);
    secs
}

fn size(dir: &Path) -> u64 {
    store::files(dir)
        .unwrap()
        .iter()
        .map(|f| std::fs::metadata(f).unwrap().len())
        .sum()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let reps = args
        .iter()
        .position(|a| a == "--reps")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(5usize);
    let base = tempfile::tempdir().unwrap();
    let one = base.path().join("one");
    let many = base.path().join("many");
    let runs: Vec<StoredRun> = (0..1000).map(run).collect();
    store::write_runs(&one, &runs).unwrap();
    // As a store of 1,000 single-run files (appends merge past store::MERGE_AT files,
    // so this is a store written without that, or by hand).
    for r in &runs {
        store::write_runs(&many, std::slice::from_ref(r)).unwrap();
    }
    let current = run(1000);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..reps {
        a.push(history_step(&one, &current));
        b.push(history_step(&many, &current));
    }
    println!(
        "history of 1,000 runs x 30 checks: one file {:.1} ms ({} KiB), 1,000 files {:.1} ms ({} KiB); medians of {reps}",
        median(a) * 1000.0,
        size(&one) / 1024,
        median(b) * 1000.0,
        size(&many) / 1024
    );

    // Compaction: 10,000 runs (as 100 files of 100 runs) retained to 100.
    let big = base.path().join("big");
    let runs: Vec<StoredRun> = (0..10_000).map(run).collect();
    for chunk in runs.chunks(100) {
        store::write_runs(&big, chunk).unwrap();
    }
    let before = size(&big);
    let t = Instant::now();
    let c = store::compact(&big, Some(Retain::Runs(100)), chrono::Utc::now()).unwrap();
    let secs = t.elapsed().as_secs_f64();
    let after = size(&big);
    println!(
        "compaction: {} runs in {} files ({} KiB) -> {} runs in {} file ({} KiB, {:.2} % of the size for 1 % of the runs) in {:.2} s",
        c.runs_before,
        c.files_before,
        before / 1024,
        c.runs_kept,
        c.files_after,
        after / 1024,
        after as f64 * 100.0 / before as f64,
        secs
    );
}
