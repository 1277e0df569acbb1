//! The classifier on a labelled corpus: column-level precision and recall >= 0.98.
//! (Figures and throughput: `cargo bench --bench classify`.)

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
