//! Column classifier benchmark: accuracy on a labelled corpus (per-category precision
//! and recall, column-level precision / recall / F2) and throughput in values per
//! second on one core.
//!
//!     cargo bench --bench classify -- [ROUNDS] [VALUES_PER_COLUMN]   # default 5 2000
//!
//! The corpus (benches/synth/classify.rs) has every category under English, Chinese,
//! pinyin and (where values can decide) meaningless headers, 2 % junk values in each
//! column, and decoy columns that hold no personal data.

#[path = "synth/classify.rs"]
mod synth;

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let rounds: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(5);
    let per_column: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let columns = synth::corpus(rounds, per_column);
    let values: usize = columns.iter().map(|c| c.values.len()).sum();

    let start = Instant::now();
    let predicted: Vec<_> = columns
        .iter()
        .map(|c| steward::classify::classify_column(&c.header, &c.values).category)
        .collect();
    let elapsed = start.elapsed();
    let s = synth::score(&columns, &predicted);

    println!(
        "{:<16} {:>9} {:>7} {:>8}",
        "category", "precision", "recall", "columns"
    );
    for (cat, p, r, n) in &s.per_category {
        println!("{cat:<16} {p:>9.3} {r:>7.3} {n:>8}");
    }
    println!(
        "\n{} columns ({} decoys), {} values: precision {:.4}, recall {:.4}, F2 {:.4}",
        columns.len(),
        columns.iter().filter(|c| c.truth.is_none()).count(),
        values,
        s.precision,
        s.recall,
        s.f2
    );
    println!(
        "classified in {:.3} s on one core: {:.0} values/s ({} detectors; each stops once it cannot qualify)",
        elapsed.as_secs_f64(),
        values as f64 / elapsed.as_secs_f64(),
        steward::classify::DETECTORS.len()
    );
    for m in s.mistakes.iter().take(20) {
        println!("  mistake: {m}");
    }
}
