//! Masking throughput: `steward mask` on the generated customer extract (run
//! `cargo bench --bench scan -- ROWS` first to generate it), one policy per method over
//! five personal columns (generalize: its own five), Parquet in and out.
//!
//!     cargo bench --bench mask -- [ROWS] [--reps N] [--rss ROWS,ROWS] [--only NAME]
//!     taskset -c 0 cargo bench --bench mask        # one core
//!
//! Per method, two measures (median of `--reps`, default 3):
//! - end to end: `mask()` as the CLI runs it (plan: classify the input; mask, write
//!   Parquet; verify), in MB/s of the input Parquet file and rows/s;
//!   `cpu` is the process's CPU time (user + system) for the run: on a loaded machine
//!   it is the time the run would take alone on one core;
//! - the masking pass alone: the methods over the decoded batches on one thread (no
//!   classification, no Parquet decode or encode), timed in thread CPU time, in MB/s of
//!   the masked columns' text and of the input file.
//!
//! MB/s are given of two sizes: the input Parquet file (compressed) and the same rows as
//! CSV (`customers_ROWS.csv` beside it, written by the scan bench: the uncompressed text
//! of every column), both per CPU second. `--only NAME`: the methods whose name contains
//! NAME.
//!
//! With `--rss`: peak RSS of the `steward mask` binary (GNU `/usr/bin/time -f %M`) at
//! each row count, tokenize; the extracts must exist.

use std::path::{Path, PathBuf};
use std::time::Instant;

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use steward::mask::policy::Method;
use steward::pipeline::mask::{self as pipeline, MaskOptions};

const POLICIES: &[(&str, &str)] = &[
    ("partial", "method: partial"),
    ("redact", "method: redact"),
    ("tokenize", "method: tokenize"),
    (
        "tokenize (format-preserving)",
        "{ method: tokenize, format_preserving: true }",
    ),
    ("encrypt", "method: encrypt"),
    ("generalize (year/city)", ""),
];

fn policy_text(spec: &str) -> String {
    if spec.is_empty() {
        return "version: 1\ncolumns:\n  birth_date: { method: generalize, to: year }\n  address: { method: generalize, to: city }\n  mobile: { method: generalize, to: range:1000000 }\n  id_number: { method: generalize, to: region_birth_year }\n  email: redact\n".to_string();
    }
    let spec = if spec.starts_with('{') {
        spec.to_string()
    } else {
        format!("{{ {spec} }}")
    };
    format!(
        "version: 1\ncolumns:\n  name: {spec}\n  id_number: {spec}\n  mobile: {spec}\n  email: {spec}\n  address: {spec}\n"
    )
}

/// CPU seconds of this thread (stable when other processes share the core).
fn thread_cpu() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: writes into a valid timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 + t.tv_nsec as f64 / 1e9
}

/// CPU seconds (user + system) of the whole process so far.
fn process_cpu() -> f64 {
    // SAFETY: getrusage writes into a zeroed, valid struct.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(u.ru_utime) + tv(u.ru_stime)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn arg_after(flag: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1).cloned())
}

fn options(dir: &Path, input: &Path, name: &str, spec: &str, key: &Path) -> MaskOptions {
    let slug: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
    let policy_path = dir.join(format!("bench-policy-{slug}.yaml"));
    std::fs::write(&policy_path, policy_text(spec)).unwrap();
    MaskOptions {
        data: input.display().to_string(),
        policy: policy_path,
        output: dir.join("masked.parquet"),
        source: Default::default(),
        key_file: Some(key.to_path_buf()),
        dry_run: false,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut rows: u64 = 1_000_000;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--reps" || a == "--rss" || a == "--only" {
            it.next();
        } else if let Ok(n) = a.parse() {
            rows = n;
        }
    }
    let reps: usize = arg_after("--reps")
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let dir = PathBuf::from("target/bench-data");
    let input = dir.join(format!("customers_{rows}.parquet"));
    assert!(
        input.exists(),
        "{} missing: run `cargo bench --bench scan -- {rows}` first",
        input.display()
    );
    let bytes = std::fs::metadata(&input).unwrap().len() as f64;
    let csv_bytes = std::fs::metadata(dir.join(format!("customers_{rows}.csv")))
        .map_or(f64::NAN, |m| m.len() as f64);
    let only = arg_after("--only");
    let key = dir.join("bench.key");
    // A fixed test key (32 bytes of 0x07), for benchmarking only.
    std::fs::write(&key, "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n").unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "{rows} rows, {:.1} MB Parquet, {:.1} MB as CSV; 5 personal columns masked; {cores} core(s) available; median of {reps}",
        bytes / 1e6,
        csv_bytes / 1e6
    );

    // The decoded batches, once, for the masking pass alone.
    let start = Instant::now();
    let batches = rt
        .block_on(pipeline::read_batches(
            &input.display().to_string(),
            &Default::default(),
        ))
        .unwrap();
    println!(
        "decode only (DataFusion Parquet read, all columns): {:.2}s",
        start.elapsed().as_secs_f64()
    );

    println!(
        "\nend to end: wall and process CPU; MB/s and rows/s per CPU second. pass: thread CPU.\n{:<30} {:>8} {:>7} {:>10} {:>9} {:>8} | {:>8} {:>10} {:>10} {:>9} {:>8}",
        "method",
        "e2e wall",
        "cpu",
        "MB/s(file)",
        "MB/s(csv)",
        "rows/s",
        "pass",
        "MB/s(text)",
        "MB/s(file)",
        "MB/s(csv)",
        "rows/s"
    );
    for (name, spec) in POLICIES {
        if only.as_ref().is_some_and(|o| !name.contains(o.as_str())) {
            continue;
        }
        let opts = options(&dir, &input, name, spec, &key);
        let (mut times, mut cpus) = (Vec::new(), Vec::new());
        for _ in 0..reps {
            let (start, cpu) = (Instant::now(), process_cpu());
            let summary = rt.block_on(pipeline::mask(&opts)).unwrap();
            times.push(start.elapsed().as_secs_f64());
            cpus.push(process_cpu() - cpu);
            assert_eq!(summary.rows, rows);
        }
        let (e2e, cpu) = (median(times), median(cpus));

        // The masking pass alone, one thread.
        let plan = rt.block_on(pipeline::plan(&opts)).unwrap();
        let masked: Vec<usize> = plan
            .masker
            .methods()
            .iter()
            .enumerate()
            .filter(|(_, m)| **m != Method::Keep)
            .map(|(i, _)| i)
            .collect();
        let text_bytes: usize = batches
            .iter()
            .flat_map(|b| masked.iter().map(move |&i| b.column(i)))
            .map(|c| {
                let t = cast(c, &DataType::Utf8).unwrap();
                let t = t.as_string::<i32>();
                (t.value_offsets()[t.len()] - t.value_offsets()[0]) as usize
            })
            .sum();
        let mut times = Vec::new();
        for _ in 0..reps {
            let start = thread_cpu();
            let mut n = 0usize;
            for b in &batches {
                let (arrays, _) = plan.masker.mask_batch(b, false, None).unwrap();
                n += arrays.len();
            }
            times.push(thread_cpu() - start);
            assert!(n > 0);
        }
        let pass = median(times);
        println!(
            "{name:<30} {e2e:>7.2}s {cpu:>6.2}s {:>10.1} {:>9.1} {:>7.0}k | {pass:>7.3}s {:>10.1} {:>10.1} {:>9.1} {:>7.0}k",
            bytes / 1e6 / cpu,
            csv_bytes / 1e6 / cpu,
            rows as f64 / cpu / 1e3,
            text_bytes as f64 / 1e6 / pass,
            bytes / 1e6 / pass,
            csv_bytes / 1e6 / pass,
            rows as f64 / pass / 1e3,
        );
    }

    if let Some(list) = arg_after("--rss") {
        let bin = env!("CARGO_BIN_EXE_steward");
        let opts = options(&dir, &input, "tokenize", "method: tokenize", &key);
        println!("\npeak RSS, `steward mask` (tokenize), GNU time:");
        for n in list.split(',') {
            let data = dir.join(format!("customers_{n}.parquet"));
            if !data.exists() {
                println!("  {n} rows: {} missing", data.display());
                continue;
            }
            let out = std::process::Command::new("/usr/bin/time")
                .args(["-f", "%e s %M KiB"])
                .arg(bin)
                .arg("mask")
                .arg(&data)
                .arg("--policy")
                .arg(&opts.policy)
                .arg("--output")
                .arg(dir.join("masked-rss.parquet"))
                .arg("--key-file")
                .arg(&key)
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            let line = err.lines().last().unwrap_or("?");
            let kib: f64 = line
                .split_whitespace()
                .nth(2)
                .and_then(|k| k.parse().ok())
                .unwrap_or(f64::NAN);
            println!("  {n} rows: {line} ({:.0} MiB)", kib / 1024.0);
        }
    }
}
