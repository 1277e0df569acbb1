//! Masking throughput: `steward mask` end to end on the generated 1,000,000-row customer
//! extract (run `cargo bench --bench scan` first to generate it), one policy per method
//! over five personal columns, Parquet in and out.
//!
//!     cargo bench --bench mask -- [ROWS]          # default 1000000
//!
//! Prints wall time, MB/s of input and rows/s per method. The time includes what every
//! `mask` run does besides masking: classifying the input (to plan `auto`) and
//! classifying the output (verification). The masking pass itself streams on one core.
//! Peak RSS: `/usr/bin/time -f %M steward mask ...` (see benches/README.md).

use std::path::PathBuf;
use std::time::Instant;

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

fn main() {
    let rows: u64 = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = PathBuf::from("target/bench-data");
    let input = dir.join(format!("customers_{rows}.parquet"));
    assert!(
        input.exists(),
        "{} missing: run `cargo bench --bench scan -- {rows}` first",
        input.display()
    );
    let bytes = std::fs::metadata(&input).unwrap().len();
    let key = dir.join("bench.key");
    // A fixed test key (32 bytes of 0x07), for benchmarking only.
    std::fs::write(&key, "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n").unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "{rows} rows, {:.1} MB Parquet; 5 personal columns masked",
        bytes as f64 / 1e6
    );
    println!(
        "{:<30} {:>8} {:>8} {:>12}",
        "method", "time", "MB/s", "rows/s"
    );
    for (name, spec) in POLICIES {
        let policy = if spec.is_empty() {
            "version: 1\ncolumns:\n  birth_date: { method: generalize, to: year }\n  address: { method: generalize, to: city }\n  mobile: { method: generalize, to: range:1000000 }\n  id_number: { method: generalize, to: region_birth_year }\n  email: redact\n".to_string()
        } else {
            let spec = if spec.starts_with('{') {
                spec.to_string()
            } else {
                format!("{{ {spec} }}")
            };
            format!(
                "version: 1\ncolumns:\n  name: {spec}\n  id_number: {spec}\n  mobile: {spec}\n  email: {spec}\n  address: {spec}\n"
            )
        };
        let policy_path = dir.join("bench-policy.yaml");
        std::fs::write(&policy_path, policy).unwrap();
        let opts = steward::mask::pipeline::MaskOptions {
            data: input.display().to_string(),
            policy: policy_path,
            output: dir.join("masked.parquet"),
            source: Default::default(),
            key_file: Some(key.clone()),
            dry_run: false,
        };
        let start = Instant::now();
        let summary = rt.block_on(steward::mask::pipeline::mask(&opts)).unwrap();
        let secs = start.elapsed().as_secs_f64();
        assert_eq!(summary.rows, rows);
        println!(
            "{name:<30} {secs:>7.2}s {:>8.1} {:>12.0}",
            bytes as f64 / 1e6 / secs,
            rows as f64 / secs
        );
    }
}
