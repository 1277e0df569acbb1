//! Verification of `mask`'s output in the same pass that writes it.
//!
//! The classifier decides a column from its header and a bottom-k sample of its distinct
//! values (`engine::distinct_sample`: the `SAMPLE_VALUES` values with the smallest fixed
//! hashes). [`Sample`] is that same sketch (same hash, same seed, same `k`), fed with the
//! masked values as they are written, so a masked column is classified exactly as a
//! scan of the output file would classify it, without reading the file back. A column
//! the policy keeps is written unchanged, so its output classification is the input's,
//! which planning already computed.

use std::collections::BTreeMap;

/// `engine::distinct_sample`'s hash: the two must agree so that a sample of the output
/// equals the one a scan of the output file would take.
use crate::engine::distinct_sample::hash;

/// A bottom-k sample of the distinct values of one column.
#[derive(Debug, Clone)]
pub struct Sample {
    k: usize,
    values: BTreeMap<u64, String>,
    /// Once `k` values are held, only hashes below this one get in.
    threshold: u64,
    held: hashbrown::HashSet<u64>,
    /// Rows of the output whose text still holds a span, by category (the span finder
    /// re-run on every written value of a column not tokenized or encrypted).
    span_leaks: BTreeMap<&'static str, u64>,
}

impl Default for Sample {
    fn default() -> Self {
        Sample::new(crate::classify::SAMPLE_VALUES)
    }
}

impl Sample {
    pub fn new(k: usize) -> Self {
        Sample {
            k,
            values: BTreeMap::new(),
            threshold: u64::MAX,
            held: hashbrown::HashSet::new(),
            span_leaks: BTreeMap::new(),
        }
    }

    #[inline]
    pub fn offer(&mut self, v: &str) {
        let h = hash(v);
        self.offer_hashed(h, v);
    }

    #[inline]
    fn offer_hashed(&mut self, h: u64, v: &str) {
        if self.k == 0
            || (self.values.len() >= self.k && h >= self.threshold)
            || self.held.contains(&h)
        {
            return;
        }
        self.values.insert(h, v.to_string());
        self.held.insert(h);
        if self.values.len() > self.k
            && let Some((dropped, _)) = self.values.pop_last()
        {
            self.held.remove(&dropped);
        }
        if self.values.len() >= self.k {
            self.threshold = self.values.last_key_value().map_or(u64::MAX, |(h, _)| *h);
        }
    }

    /// Re-runs span detection on one written value: a span that survived masking is a
    /// leak.
    pub fn offer_spans(&mut self, v: &str) {
        let mut seen: Vec<&'static str> = Vec::new();
        for s in crate::classify::spans::find(v) {
            if !seen.contains(&s.category) {
                seen.push(s.category);
                *self.span_leaks.entry(s.category).or_default() += 1;
            }
        }
    }

    /// Both samples in one (the bottom-k of a union is the bottom-k of the two samples).
    pub fn merge(&mut self, other: Sample) {
        for (c, n) in other.span_leaks {
            *self.span_leaks.entry(c).or_default() += n;
        }
        for (h, v) in other.values {
            self.offer_hashed(h, &v);
        }
    }

    /// The sampled values, sorted (as the scan hands them to the classifier).
    pub fn into_values(self) -> Vec<String> {
        let mut v: Vec<String> = self.values.into_values().collect();
        v.sort_unstable();
        v
    }

    /// The category the classifier finds in column `name` from this sample, or else
    /// the first category of a span that survived in the column's written text.
    pub fn category(self, name: &str) -> Option<String> {
        let leaked = self.span_leaks.keys().next().map(|c| c.to_string());
        crate::classify::classify_column(name, &self.into_values())
            .category
            .map(String::from)
            .or(leaked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_k_smallest_hashes_of_distinct_values_in_any_order() {
        let values: Vec<String> = (0..500).map(|i| format!("v{}", i % 300)).collect();
        let mut a = Sample::new(50);
        values.iter().for_each(|v| a.offer(v));
        let mut b = Sample::new(50);
        values.iter().rev().for_each(|v| b.offer(v));
        // Split in two and merged.
        let (mut c, mut d) = (Sample::new(50), Sample::new(50));
        values[..200].iter().for_each(|v| c.offer(v));
        values[200..].iter().for_each(|v| d.offer(v));
        c.merge(d);
        let (a, b, c) = (a.into_values(), b.into_values(), c.into_values());
        assert_eq!(a.len(), 50);
        assert_eq!(a, b);
        assert_eq!(a, c);
        let mut all: Vec<(u64, &String)> = values.iter().map(|v| (hash(v.as_str()), v)).collect();
        all.sort();
        all.dedup();
        let mut expect: Vec<String> = all[..50].iter().map(|(_, v)| (*v).clone()).collect();
        expect.sort();
        assert_eq!(a, expect);
    }
}
