//! The classifier on the benchmark's labelled corpus: column-level precision and
//! recall >= 0.98. (Figures and throughput: `cargo bench --bench classify`.)
//!
//! That corpus takes its headers from the detectors' keyword lists and its valid IDs,
//! cards and USCCs from steward's own check functions, so it cannot catch a regression
//! in either: it only keeps the benchmark honest. The independent gate is
//! `tests/classify_corpus.rs` (hand-written headers, checksums from the standards).

#[path = "../benches/synth/classify.rs"]
mod synth;

#[test]
fn labelled_corpus_precision_and_recall() {
    let columns = synth::corpus(2, 300);
    let predicted: Vec<_> = columns
        .iter()
        .map(|c| steward::classify::classify_column(&c.header, &c.values).category)
        .collect();
    let s = synth::score(&columns, &predicted);
    assert!(
        s.precision >= 0.98 && s.recall >= 0.98,
        "precision {:.3}, recall {:.3}; mistakes:\n{}",
        s.precision,
        s.recall,
        s.mistakes.join("\n")
    );
}
