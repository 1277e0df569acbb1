//! Dedupe benchmark: accuracy on Febrl3/Febrl4 and on a generated Chinese customer
//! extract with known clusters, and wall time at scale.
//!
//!     cargo bench --bench dedupe                        # febrl + 100000 generated records
//!     cargo bench --bench dedupe -- febrl               # Febrl3 and Febrl4 only
//!     cargo bench --bench dedupe -- 1000000             # generated records (target/bench-data)
//!     cargo bench --bench dedupe -- 1000000 plain       # ... and again without `blocking:` (derived)
//!     cargo bench --bench dedupe -- incremental 1000000 15000   # a delta into earlier clusters
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
    /// `settings.derived_blocking` of the report, one line per candidate rule.
    derived: Vec<String>,
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
        derived: report
            .settings
            .derived_blocking
            .iter()
            .map(|b| {
                format!(
                    "{} {}: {} pairs, largest block {} ({})",
                    if b.chosen { "+" } else { "-" },
                    b.rule,
                    b.pairs,
                    b.largest_block,
                    b.reason
                )
            })
            .collect(),
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
    for line in &o.derived {
        println!("  {line}");
    }
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

fn generated(records: usize, plain: bool) {
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
    let run_with = |rules: &Path| {
        run(
            std::slice::from_ref(&path),
            &[rules.to_path_buf()],
            false,
            &|_, key| labels[key].clone(),
        )
    };
    let tuned = root().join("fixtures/dedupe/customers.yaml");
    let o = run_with(&tuned);
    print(&format!("generated {records}"), &o);
    if !plain {
        return;
    }
    // The same rule file as a new user writes it: no `blocking:`, so the rules are
    // derived from the data (settings.derived_blocking).
    let dir = tempfile::tempdir().unwrap();
    let plain_rules = dir.path().join("customers-plain.yaml");
    let text = std::fs::read_to_string(&tuned).unwrap();
    let (start, end) = (
        text.find("    blocking:").unwrap(),
        text.find("    threshold:").unwrap(),
    );
    let plain_text = format!("{}{}", &text[..start], &text[end..]);
    assert!(!plain_text.contains("blocking:"));
    std::fs::write(&plain_rules, plain_text).unwrap();
    let p = run_with(&plain_rules);
    print(&format!("generated {records}, derived blocking"), &p);
    eprintln!("derived / tuned time: {:.2}x", p.secs / o.secs);
}

/// Read a clusters file as (dataset, unified ID, truth) rows.
fn cluster_rows(path: &Path, truth: &dyn Fn(&str, &str) -> String) -> Vec<(u16, String, String)> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (0u16, r[2].to_string(), truth(&r[0], &r[1]))
        })
        .collect()
}

/// The steward binary under GNU time: (wall seconds, peak RSS in MiB).
fn timed_cli(args: &[&str], key: &Path) -> (f64, f64) {
    let out = std::process::Command::new("/usr/bin/time")
        .args(["-f", "%e %M"])
        .arg(env!("CARGO_BIN_EXE_steward"))
        .args(["dedupe", "--no-audit", "--key-file"])
        .arg(key)
        .args(args)
        .output()
        .expect("/usr/bin/time");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "steward {args:?}: {err}");
    let last = err.lines().last().unwrap_or_default();
    let mut it = last.split_whitespace();
    let secs: f64 = it.next().and_then(|s| s.parse().ok()).unwrap_or(f64::NAN);
    let kib: f64 = it.next().and_then(|s| s.parse().ok()).unwrap_or(f64::NAN);
    (secs, kib / 1024.0)
}

/// `delta` records linked with `--previous` into the clusters of `base` earlier ones
/// (the generated records split: the first `base` rows, then the rest), against a full
/// run on all of them: wall time and peak RSS of each process, pairwise F1 of both
/// results, and how many earlier records changed ID without a merge.
fn incremental(base: usize, delta: usize) {
    let dir = root().join("target/bench-data");
    let work = dir.join(format!("incremental_{base}_{delta}"));
    for sub in ["base", "delta"] {
        std::fs::create_dir_all(work.join(sub)).unwrap();
    }
    let all = dir.join(format!("dedupe_{}.csv", base + delta));
    if !all.exists() {
        synth::write_csv(&all, &synth::generate(base + delta, 0x5eed_d0d0));
    }
    let text = std::fs::read_to_string(&all).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let write = |rel: &str, part: &[&str]| {
        let mut s = String::with_capacity(part.iter().map(|l| l.len() + 1).sum::<usize>() + 100);
        s.push_str(header);
        s.push('\n');
        for l in part {
            s.push_str(l);
            s.push('\n');
        }
        std::fs::write(work.join(rel), s).unwrap();
    };
    write("base/customers.csv", &rows[..base]);
    write("delta/customers.csv", &rows[base..]);
    drop(text);
    let key = work.join("key");
    std::fs::write(&key, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n").unwrap();
    let rules = root().join("fixtures/dedupe/customers.yaml");
    let p = |x: &Path| x.display().to_string();
    let (base_ids, ids, full_ids) = (
        work.join("base_ids.csv"),
        work.join("ids.csv"),
        work.join("full_ids.csv"),
    );
    let (bs, bm) = timed_cli(
        &[
            &p(&work.join("base/customers.csv")),
            "--rules",
            &p(&rules),
            "--clusters",
            &p(&base_ids),
        ],
        &key,
    );
    println!("base run: {base} records, {bs:.2} s, {bm:.0} MiB peak RSS (state written)");
    let (ds, dm) = timed_cli(
        &[
            &p(&work.join("delta/customers.csv")),
            "--rules",
            &p(&rules),
            "--previous",
            &p(&base_ids),
            "--clusters",
            &p(&ids),
            "--changes",
            &p(&work.join("changes.csv")),
        ],
        &key,
    );
    println!("incremental run: {delta} records into {base}, {ds:.2} s, {dm:.0} MiB peak RSS");
    let (fs, fm) = timed_cli(
        &[&p(&all), "--rules", &p(&rules), "--clusters", &p(&full_ids)],
        &key,
    );
    println!(
        "full run: {} records, {fs:.2} s, {fm:.0} MiB peak RSS",
        base + delta
    );
    let labels = entity_labels(&all);
    let truth = |_: &str, k: &str| labels[k].clone();
    let inc = steward::dedupe::evaluate::pairwise(cluster_rows(&ids, &truth), false);
    let full = steward::dedupe::evaluate::pairwise(cluster_rows(&full_ids, &truth), false);
    // Churn: earlier records whose ID changed, and those of them not explained by a
    // merge row of the changes file.
    let id_of = |path: &Path| -> HashMap<String, String> {
        let mut r = csv::Reader::from_path(path).unwrap();
        r.records()
            .map(|x| {
                let x = x.unwrap();
                (x[1].to_string(), x[2].to_string())
            })
            .collect()
    };
    let (before, after) = (id_of(&base_ids), id_of(&ids));
    let mut merges: HashMap<String, String> = HashMap::new();
    let mut ch = csv::Reader::from_path(work.join("changes.csv")).unwrap();
    for r in ch.records() {
        let r = r.unwrap();
        if &r[0] == "merged" || &r[0] == "split" {
            merges.insert(r[1].to_string(), r[2].to_string());
        }
    }
    let moved = before.iter().filter(|(k, id)| after[*k] != **id).count();
    let unexplained = before
        .iter()
        .filter(|(k, id)| after[*k] != **id && merges.get(*id) != Some(&after[*k]))
        .count();
    println!(
        "F1 incremental {:.5}, full {:.5} (difference {:.5}); earlier records with a new ID: {moved}, without a change row: {unexplained}",
        inc.f1,
        full.f1,
        (inc.f1 - full.f1).abs()
    );
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
        Some("incremental") => {
            let n = |i: usize, d: usize| args.get(i).map_or(d, |s| s.parse().expect("ROWS"));
            incremental(n(1, 1_000_000), n(2, 15_000))
        }
        Some(n) => generated(
            n.parse().expect("ROWS, febrl or fixture"),
            args.get(1).is_some_and(|a| a == "plain"),
        ),
        None => {
            febrl();
            generated(100_000, false);
        }
    }
}
