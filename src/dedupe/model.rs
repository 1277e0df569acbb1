//! The Fellegi–Sunter model: for each field and agreement level, `m` = P(level | same
//! customer) and `u` = P(level | different customers); a pair's match weight is the sum
//! of `log2(m / u)` over its fields plus the prior odds, and its match probability the
//! logistic of that.
//!
//! - `u` comes from the population: the exact level from the value frequencies (exactly,
//!   not sampled), the other levels from a fixed-seed sample of random pairs.
//! - `m` is trained by expectation–maximisation on the candidate pairs, once per
//!   blocking rule with that rule's fields left out (a rule's pairs agree on its fields
//!   by construction, which would bias their `m`), then averaged weighted by each
//!   session's expected matches. This is the approach Splink documents.
//! - The prior (`lambda`, the probability that two random records match) is the expected
//!   number of matches among the candidates over all allowed pairs.
//! - Term-frequency adjustment (per field, opt-in): an exact agreement on value `v`
//!   weighs `m_exact / p(v)` instead of `m_exact / u_exact`, so agreeing on 王芳 is worth
//!   less than agreeing on a rare name.
//!
//! EM runs on the histogram of comparison patterns (4 bits per field), not on pairs, so
//! training costs the same for a thousand or a hundred million candidate pairs.

use std::collections::HashMap;

use super::LinkMode;
use super::block::Blocks;
use super::records::Records;
use crate::report::dedupe::{FieldWeights, ModelSummary};

/// Comparison levels of a pair, 4 bits per field.
pub type Pattern = u64;

pub const MAX_FIELDS: usize = 16;

pub fn level(p: Pattern, f: usize) -> u8 {
    ((p >> (4 * f)) & 0xF) as u8
}

pub fn pattern(records: &Records, i: usize, j: usize) -> Pattern {
    let mut p = 0u64;
    for (f, kind) in records.kinds.iter().enumerate() {
        let l = match (records.value(f, i), records.value(f, j)) {
            (Some(a), Some(b)) => kind.level(a, b),
            _ => 0,
        };
        p |= (l as u64) << (4 * f);
    }
    p
}

/// Pattern counts.
pub type Histogram = HashMap<Pattern, u64>;

pub fn merge(mut a: Histogram, b: Histogram) -> Histogram {
    for (p, n) in b {
        *a.entry(p).or_default() += n;
    }
    a
}

/// The trained parameters.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Model {
    /// Probability that two random allowed records are the same customer.
    pub lambda: f64,
    pub fields: Vec<FieldModel>,
    /// Candidate pairs the model was trained on.
    pub trained_on_pairs: u64,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct FieldModel {
    pub field: String,
    /// Indexed by level; entry 0 (missing) is unused.
    pub m: Vec<f64>,
    pub u: Vec<f64>,
    /// False when every blocking rule uses the field, so EM could not estimate `m`.
    pub m_trained: bool,
    #[serde(skip)]
    pub tf: Option<Vec<f32>>,
}

impl FieldModel {
    /// `u` of a present `level`; with term frequencies and record `i` given, an exact
    /// agreement uses the frequency of record i's value instead.
    pub fn u_at(&self, level: u8, i: Option<usize>) -> f64 {
        match (&self.tf, level, i) {
            (Some(tf), 1, Some(i)) => f64::from(tf[i]).max(1e-9),
            _ => self.u[level as usize],
        }
    }

    /// log2 Bayes factor of `level` for a pair whose first record is `i` (`None`: without
    /// term-frequency adjustment). A missing value (level 0) weighs nothing.
    pub fn weight(&self, level: u8, i: Option<usize>) -> f64 {
        if level == 0 {
            return 0.0;
        }
        (self.m[level as usize] / self.u_at(level, i)).log2()
    }
}

impl Model {
    /// The parameters as the report shows them.
    pub fn summary(&self) -> ModelSummary {
        ModelSummary {
            lambda: self.lambda,
            fields: self
                .fields
                .iter()
                .map(|f| FieldWeights {
                    field: f.field.clone(),
                    m: f.m.clone(),
                    u: f.u.clone(),
                    m_trained: f.m_trained,
                    exact_weight: f.weight(1, None),
                })
                .collect(),
            trained_on_pairs: self.trained_on_pairs,
            prior_weight: self.prior_weight(),
        }
    }

    /// The prior as a weight: log2 odds of lambda.
    pub fn prior_weight(&self) -> f64 {
        log_odds(self.lambda)
    }

    /// Match weight (log2 odds) of a pair with this pattern.
    pub fn weight(&self, p: Pattern, i: usize) -> f64 {
        self.prior_weight()
            + self
                .fields
                .iter()
                .enumerate()
                .map(|(f, fm)| fm.weight(level(p, f), Some(i)))
                .sum::<f64>()
    }
}

pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

/// The inverse of [`probability`]: log2(p / (1 - p)).
pub fn log_odds(p: f64) -> f64 {
    (p / (1.0 - p)).log2()
}

/// Number of record pairs the mode allows.
pub fn allowed_pairs(records: &Records, mode: LinkMode) -> f64 {
    let mut per = vec![0f64; records.datasets.len()];
    for &d in &records.dataset {
        per[d as usize] += 1.0;
    }
    let n: f64 = per.iter().sum();
    let within: f64 = per.iter().map(|c| c * (c - 1.0) / 2.0).sum();
    let all = n * (n - 1.0) / 2.0;
    match mode {
        LinkMode::Dedupe => within,
        LinkMode::Link => all - within,
        LinkMode::LinkAndDedupe => all,
    }
}

/// SplitMix64: a small fixed-seed generator, so the sample is the same every run.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// `u` per field and level: the exact level from value frequencies, the others from
/// `samples` random allowed pairs.
pub fn estimate_u(records: &Records, mode: LinkMode, samples: usize) -> Vec<Vec<f64>> {
    let nf = records.kinds.len();
    let mut counts: Vec<Vec<u64>> = records
        .kinds
        .iter()
        .map(|k| vec![0; k.level_count()])
        .collect();
    let n = records.len();
    let mut rng = SplitMix(0x0005_EED0_F57E_3A4D);
    if n >= 2 && allowed_pairs(records, mode) >= 1.0 {
        let mut drawn = 0;
        let mut tries = 0usize;
        while drawn < samples && tries < samples * 20 {
            tries += 1;
            let i = rng.below(n);
            let j = rng.below(n);
            if i == j || !mode.allows(records.dataset[i], records.dataset[j]) {
                continue;
            }
            drawn += 1;
            let p = pattern(records, i, j);
            for (f, c) in counts.iter_mut().enumerate() {
                c[level(p, f) as usize] += 1;
            }
        }
    }
    (0..nf)
        .map(|f| {
            let levels = records.kinds[f].level_count();
            let exact = exact_agreement(records, f, mode);
            let others: u64 = counts[f][2..].iter().sum();
            let mut u = vec![0.0; levels];
            u[1] = exact.clamp(1e-9, 1.0 - 1e-9);
            for l in 2..levels {
                // Half a count for levels the sample never saw keeps every u positive.
                let c = counts[f][l] as f64;
                let c = if c == 0.0 { 0.5 } else { c };
                u[l] = (1.0 - u[1]) * c / (others as f64).max(1.0);
            }
            normalize(&mut u);
            u
        })
        .collect()
}

/// P(two random allowed records with the field present agree exactly on it).
fn exact_agreement(records: &Records, f: usize, mode: LinkMode) -> f64 {
    let mut by_value: HashMap<&str, u64> = HashMap::new();
    let mut by_dataset_value: HashMap<(u16, &str), u64> = HashMap::new();
    let mut per_dataset = vec![0f64; records.datasets.len()];
    for i in 0..records.len() {
        if let Some(v) = records.norm[f].get(i) {
            *by_value.entry(v).or_default() += 1;
            *by_dataset_value.entry((records.dataset[i], v)).or_default() += 1;
            per_dataset[records.dataset[i] as usize] += 1.0;
        }
    }
    let pairs = |c: f64| c * (c - 1.0) / 2.0;
    let all_agree: f64 = by_value.values().map(|&c| pairs(c as f64)).sum();
    let within_agree: f64 = by_dataset_value.values().map(|&c| pairs(c as f64)).sum();
    let n: f64 = per_dataset.iter().sum();
    let within: f64 = per_dataset.iter().map(|&c| pairs(c)).sum();
    let (agree, total) = match mode {
        LinkMode::LinkAndDedupe => (all_agree, pairs(n)),
        LinkMode::Dedupe => (within_agree, within),
        LinkMode::Link => (all_agree - within_agree, pairs(n) - within),
    };
    if total <= 0.0 { 0.0 } else { agree / total }
}

/// Per record, the relative frequency of its value of field `f` (for TF adjustment).
pub fn term_frequencies(records: &Records, f: usize) -> Vec<f32> {
    let mut counts: HashMap<&str, u32> = HashMap::new();
    let mut n = 0u32;
    for i in 0..records.len() {
        if let Some(v) = records.norm[f].get(i) {
            *counts.entry(v).or_default() += 1;
            n += 1;
        }
    }
    (0..records.len())
        .map(|i| match records.norm[f].get(i) {
            Some(v) => counts[v] as f32 / n.max(1) as f32,
            None => 0.0,
        })
        .collect()
}

fn normalize(v: &mut [f64]) {
    let floor = 1e-9;
    for x in v.iter_mut().skip(1) {
        *x = x.max(floor);
    }
    let s: f64 = v.iter().skip(1).sum();
    for x in v.iter_mut().skip(1) {
        *x /= s;
    }
}

/// Starting `m`: most matches agree exactly, few are different.
fn initial_m(levels: usize) -> Vec<f64> {
    let mut m = vec![0.0; levels];
    let rest = levels - 2;
    m[1] = 0.9;
    for (k, x) in m.iter_mut().enumerate().skip(2) {
        *x = 0.1 * 0.5f64.powi((k - 1) as i32) / (1.0 - 0.5f64.powi(rest as i32)).max(0.5);
    }
    normalize(&mut m);
    m
}

/// One EM session: train `m` of the fields not in `fixed` on `hist`. Returns the
/// estimated `m` and the expected number of matches in the histogram.
fn em_session(
    hist: &Histogram,
    u: &[Vec<f64>],
    m0: &[Vec<f64>],
    fixed: &[bool],
) -> (Vec<Vec<f64>>, f64) {
    let mut m = m0.to_vec();
    let total: f64 = hist.values().map(|&n| n as f64).sum();
    let mut lambda: f64 = 0.5;
    let mut entries: Vec<(&Pattern, &u64)> = hist.iter().collect();
    entries.sort(); // summation order independent of the hash map
    let mut mass = 0.0;
    for _ in 0..200 {
        let mut acc: Vec<Vec<f64>> = m.iter().map(|x| vec![0.0; x.len()]).collect();
        mass = 0.0;
        for &(&p, &n) in &entries {
            let mut lm = lambda.ln();
            let mut lu = (1.0 - lambda).ln();
            for f in 0..m.len() {
                let l = level(p, f) as usize;
                if l == 0 || fixed[f] {
                    continue;
                }
                lm += m[f][l].ln();
                lu += u[f][l].ln();
            }
            let post = 1.0 / (1.0 + (lu - lm).exp());
            let w = n as f64 * post;
            mass += w;
            for f in 0..m.len() {
                let l = level(p, f) as usize;
                if l != 0 && !fixed[f] {
                    acc[f][l] += w;
                }
            }
        }
        let new_lambda = (mass / total).clamp(1e-9, 1.0 - 1e-9);
        let mut delta = (new_lambda - lambda).abs();
        lambda = new_lambda;
        for f in 0..m.len() {
            if fixed[f] || acc[f].iter().sum::<f64>() <= 0.0 {
                continue;
            }
            let mut new = acc[f].clone();
            normalize(&mut new);
            for l in 1..new.len() {
                delta = delta.max((new[l] - m[f][l]).abs());
            }
            m[f] = new;
        }
        if delta < 1e-7 {
            break;
        }
    }
    (m, mass)
}

/// Train the model on the candidate pairs of `blocks`.
pub fn train(
    records: &Records,
    blocks: &Blocks,
    fields: &[String],
    tf_fields: &[bool],
    mode: LinkMode,
    u_samples: usize,
) -> Model {
    let nf = records.kinds.len();
    let nr = blocks.rules.len();
    let u = estimate_u(records, mode, u_samples);
    // Per rule: the patterns of every candidate pair that rule blocks (not only the
    // pairs it generates first).
    // Per rule: the patterns of every candidate pair that rule blocks (not only the
    // pairs it generates first); last: each candidate pair once.
    let mut hists: Vec<Histogram> = blocks.fold(
        records,
        || vec![Histogram::new(); nr + 1],
        |h, first, i, j| {
            let p = pattern(records, i, j);
            for (r, hr) in h.iter_mut().enumerate().take(nr).skip(first) {
                if r == first || blocks.blocks(r, i, j) {
                    *hr.entry(p).or_default() += 1;
                }
            }
            *h[nr].entry(p).or_default() += 1;
        },
        |a, b| a.into_iter().zip(b).map(|(x, y)| merge(x, y)).collect(),
    );
    let global = hists.pop().unwrap_or_default();
    let m0: Vec<Vec<f64>> = records
        .kinds
        .iter()
        .map(|k| initial_m(k.level_count()))
        .collect();
    let mut sum: Vec<Vec<f64>> = m0.iter().map(|x| vec![0.0; x.len()]).collect();
    let mut weight = vec![0.0; nf];
    for (r, hist) in hists.iter().enumerate() {
        if hist.is_empty() {
            continue;
        }
        let mut fixed = vec![false; nf];
        for &(f, _) in &blocks.rules[r].parts {
            fixed[f] = true;
        }
        let (m, mass) = em_session(hist, &u, &m0, &fixed);
        for f in 0..nf {
            if !fixed[f] && mass > 0.0 {
                for l in 1..m[f].len() {
                    sum[f][l] += mass * m[f][l];
                }
                weight[f] += mass;
            }
        }
    }
    let fields_out: Vec<FieldModel> = (0..nf)
        .map(|f| {
            let trained = weight[f] > 0.0;
            let mut m = if trained {
                sum[f].iter().map(|x| x / weight[f]).collect()
            } else {
                m0[f].clone()
            };
            normalize(&mut m);
            FieldModel {
                field: fields[f].clone(),
                m,
                u: u[f].clone(),
                m_trained: trained,
                tf: tf_fields[f].then(|| term_frequencies(records, f)),
            }
        })
        .collect();
    let trained_on_pairs = global.values().sum();
    let mut model = Model {
        lambda: 1e-4,
        fields: fields_out,
        trained_on_pairs,
    };
    model.lambda = estimate_lambda(&model, &global, allowed_pairs(records, mode));
    model
}

/// Fixed point of lambda = expected matches among candidates / allowed pairs (pairs
/// that no rule blocks are taken as non-matches).
fn estimate_lambda(model: &Model, global: &Histogram, allowed: f64) -> f64 {
    if allowed < 1.0 || global.is_empty() {
        return 1e-9;
    }
    let mut entries: Vec<(&Pattern, &u64)> = global.iter().collect();
    entries.sort();
    // The Bayes factor of each pattern without the prior (and without TF).
    let bf: Vec<(f64, f64)> = entries
        .iter()
        .map(|&(&p, &n)| {
            let w: f64 = model
                .fields
                .iter()
                .enumerate()
                .map(|(f, fm)| fm.weight(level(p, f), None))
                .sum();
            (w, n as f64)
        })
        .collect();
    let mut lambda = (1.0 / allowed).clamp(1e-12, 0.5);
    for _ in 0..200 {
        let prior = log_odds(lambda);
        let expected: f64 = bf.iter().map(|&(w, n)| n * probability(prior + w)).sum();
        let new = (expected / allowed).clamp(1e-12, 1.0 - 1e-12);
        if (new - lambda).abs() <= 1e-6 * lambda {
            lambda = new;
            break;
        }
        lambda = new;
    }
    lambda
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_pack_levels() {
        let p: Pattern = 3 | (1 << 4) | (5 << 8);
        assert_eq!(level(p, 0), 3);
        assert_eq!(level(p, 1), 1);
        assert_eq!(level(p, 2), 5);
        assert_eq!(level(p, 3), 0);
    }

    #[test]
    fn initial_m_is_a_distribution_favouring_exact() {
        for levels in 3..7 {
            let m = initial_m(levels);
            assert!((m[1..].iter().sum::<f64>() - 1.0).abs() < 1e-9);
            assert!(m[1] > 0.8);
        }
    }

    #[test]
    fn em_separates_two_populations() {
        // Two binary fields; matches agree on both, non-matches on neither mostly.
        let u = vec![vec![0.0, 0.01, 0.99], vec![0.0, 0.02, 0.98]];
        let m0 = vec![initial_m(3), initial_m(3)];
        let mut hist = Histogram::new();
        let p = |a: u64, b: u64| a | (b << 4);
        hist.insert(p(1, 1), 90);
        hist.insert(p(1, 2), 10);
        hist.insert(p(2, 1), 20);
        hist.insert(p(2, 2), 10_000);
        let (m, mass) = em_session(&hist, &u, &m0, &[false, false]);
        assert!(m[0][1] > 0.8 && m[1][1] > 0.7, "{m:?}");
        assert!((80.0..130.0).contains(&mass), "{mass}");
    }

    #[test]
    fn probability_is_logistic_in_bits() {
        assert!((probability(0.0) - 0.5).abs() < 1e-12);
        assert!((probability(1.0) - 2.0 / 3.0).abs() < 1e-12);
    }
}
