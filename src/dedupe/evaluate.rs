//! Accuracy against known labels: pairwise precision, recall and F1 of a clustering,
//! and cluster purity. Used by the benchmarks (Febrl, the generated Chinese extract)
//! and the accuracy tests; stewards with a labelled sample can use it the same way.
//!
//! Counts come from the contingency table of (predicted cluster, true entity), so no
//! pair is enumerated: true positives are the pairs inside each cell, predicted pairs
//! those inside each predicted cluster, true pairs those inside each entity. With
//! `cross_only`, only pairs of records from different datasets count (record linkage
//! between two files, as in Febrl4).

use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Accuracy {
    pub true_pairs: u64,
    pub predicted_pairs: u64,
    pub true_positives: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Share of records whose predicted cluster's majority entity is their own.
    pub purity: f64,
}

fn pairs(counts: &HashMap<u16, u64>, cross_only: bool) -> u64 {
    let n: u64 = counts.values().sum();
    let all = n * n.saturating_sub(1) / 2;
    if !cross_only {
        return all;
    }
    all - counts
        .values()
        .map(|&c| c * c.saturating_sub(1) / 2)
        .sum::<u64>()
}

/// `records`: (dataset, predicted cluster, true entity) per record.
pub fn pairwise<C: Eq + std::hash::Hash, T: Eq + std::hash::Hash>(
    records: impl IntoIterator<Item = (u16, C, T)>,
    cross_only: bool,
) -> Accuracy {
    let mut cells: HashMap<(&C, &T), HashMap<u16, u64>> = HashMap::new();
    let mut by_cluster: HashMap<&C, HashMap<u16, u64>> = HashMap::new();
    let mut by_entity: HashMap<&T, HashMap<u16, u64>> = HashMap::new();
    let rows: Vec<(u16, C, T)> = records.into_iter().collect();
    for (d, c, t) in &rows {
        *cells.entry((c, t)).or_default().entry(*d).or_default() += 1;
        *by_cluster.entry(c).or_default().entry(*d).or_default() += 1;
        *by_entity.entry(t).or_default().entry(*d).or_default() += 1;
    }
    let tp: u64 = cells.values().map(|c| pairs(c, cross_only)).sum();
    let predicted: u64 = by_cluster.values().map(|c| pairs(c, cross_only)).sum();
    let truth: u64 = by_entity.values().map(|c| pairs(c, cross_only)).sum();
    let mut majority: HashMap<&C, u64> = HashMap::new();
    for ((c, _), counts) in &cells {
        let n: u64 = counts.values().sum();
        let m = majority.entry(c).or_default();
        *m = (*m).max(n);
    }
    let precision = if predicted == 0 {
        1.0
    } else {
        tp as f64 / predicted as f64
    };
    let recall = if truth == 0 {
        1.0
    } else {
        tp as f64 / truth as f64
    };
    Accuracy {
        true_pairs: truth,
        predicted_pairs: predicted,
        true_positives: tp,
        precision,
        recall,
        f1: if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        },
        purity: if rows.is_empty() {
            1.0
        } else {
            majority.values().sum::<u64>() as f64 / rows.len() as f64
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_pairs_from_the_contingency_table() {
        // Truth: {a,b,c}, {d}; predicted: {a,b}, {c,d}.
        let rows = [(0, 1, "x"), (0, 1, "x"), (0, 2, "x"), (0, 2, "y")];
        let a = pairwise(rows, false);
        assert_eq!(
            (a.true_pairs, a.predicted_pairs, a.true_positives),
            (3, 2, 1)
        );
        assert!((a.precision - 0.5).abs() < 1e-12);
        assert!((a.recall - 1.0 / 3.0).abs() < 1e-12);
        assert!((a.purity - 0.75).abs() < 1e-12);
    }

    #[test]
    fn cross_only_ignores_pairs_within_a_dataset() {
        let rows = [(0, 1, "x"), (1, 1, "x"), (0, 1, "x")];
        let a = pairwise(rows, true);
        assert_eq!(
            (a.true_pairs, a.predicted_pairs, a.true_positives),
            (2, 2, 2)
        );
    }
}
