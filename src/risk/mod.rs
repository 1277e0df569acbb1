//! Re-identification risk from equivalence classes (docs/risk.md): k-anonymity,
//! prosecutor / journalist / marketer risk, l-diversity and t-closeness.
//!
//! Pure arithmetic over what one `GROUP BY` of the quasi-identifiers returns: the
//! histogram of class sizes ([`ClassSizes`]) and, per sensitive column, each class's
//! value counts in turn ([`SensitiveScan`]). The pipeline (`pipeline::risk`) runs the
//! queries; the report model (`report::risk`) holds the results.

mod emd;

pub use emd::Distribution;

/// One row of the class-size histogram: `classes` classes of `size` individuals each,
/// holding `records` records in all (`records == size * classes` without an
/// individual column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeRow {
    pub size: u64,
    pub classes: u64,
    pub records: u64,
}

/// The figures docs/risk.md defines over the class sizes.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassMetrics {
    pub rows: u64,
    pub classes: u64,
    /// Smallest class (0 for an empty extract).
    pub k: u64,
    pub classes_below_k: u64,
    pub records_below_k: u64,
    pub sample_uniques: u64,
    /// `1 / k` (0 for an empty extract).
    pub highest_risk: f64,
    /// `(1/N) Σ_records 1/|E|`.
    pub average_risk: f64,
    /// Records whose risk `1/|E|` is above `max_risk`.
    pub records_at_risk: u64,
}

/// [`ClassMetrics`] of a histogram (rows in any order), at target `k_target` and risk
/// threshold `max_risk`.
pub fn class_metrics(sizes: &[SizeRow], k_target: u64, max_risk: f64) -> ClassMetrics {
    let rows: u64 = sizes.iter().map(|s| s.records).sum();
    let classes: u64 = sizes.iter().map(|s| s.classes).sum();
    let k = sizes
        .iter()
        .filter(|s| s.classes > 0)
        .map(|s| s.size)
        .min()
        .unwrap_or(0);
    let below: Vec<&SizeRow> = sizes.iter().filter(|s| s.size < k_target).collect();
    let risk = |s: &SizeRow| {
        if s.size == 0 {
            1.0
        } else {
            1.0 / s.size as f64
        }
    };
    // Σ_records 1/|E| = Σ_rows records / size: summed smallest terms first.
    let mut terms: Vec<f64> = sizes.iter().map(|s| s.records as f64 * risk(s)).collect();
    terms.sort_by(f64::total_cmp);
    let sum: f64 = terms.iter().sum();
    ClassMetrics {
        rows,
        classes,
        k,
        classes_below_k: below.iter().map(|s| s.classes).sum(),
        records_below_k: below.iter().map(|s| s.records).sum(),
        sample_uniques: sizes
            .iter()
            .filter(|s| s.size == 1)
            .map(|s| s.records)
            .sum(),
        highest_risk: if k == 0 { 0.0 } else { 1.0 / k as f64 },
        average_risk: if rows == 0 { 0.0 } else { sum / rows as f64 },
        records_at_risk: sizes
            .iter()
            .filter(|s| risk(s) > max_risk)
            .map(|s| s.records)
            .sum(),
    }
}

/// l-diversity and t-closeness of one sensitive column, fed one class at a time.
#[derive(Debug)]
pub struct SensitiveScan<'a> {
    whole: &'a Distribution,
    classes: u64,
    distinct_l: u64,
    entropy_l: f64,
    t: f64,
}

/// What a [`SensitiveScan`] found.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitiveMetrics {
    pub distinct_l: u64,
    pub entropy_l: f64,
    pub t_closeness: f64,
    pub ordered: bool,
}

impl<'a> SensitiveScan<'a> {
    /// A scan against the whole extract's distribution of the column.
    pub fn new(whole: &'a Distribution) -> Self {
        SensitiveScan {
            whole,
            classes: 0,
            distinct_l: u64::MAX,
            entropy_l: f64::INFINITY,
            t: 0.0,
        }
    }

    /// One class: the count of each of its values (`None`: missing), each value once.
    pub fn class(&mut self, values: &[(Option<&str>, u64)]) {
        let n: u64 = values.iter().map(|(_, c)| c).sum();
        if n == 0 {
            return;
        }
        self.classes += 1;
        self.distinct_l = self.distinct_l.min(values.len() as u64);
        // H = ln n - (1/n) Σ c ln c.
        let nf = n as f64;
        let s: f64 = values
            .iter()
            .map(|&(_, c)| c as f64 * (c as f64).ln())
            .sum();
        let h = (nf.ln() - s / nf).max(0.0);
        self.entropy_l = self.entropy_l.min(h.exp());
        if let Some(d) = self.whole.distance(values) {
            self.t = self.t.max(d);
        }
    }

    pub fn finish(self) -> SensitiveMetrics {
        let empty = self.classes == 0;
        SensitiveMetrics {
            distinct_l: if empty { 0 } else { self.distinct_l },
            entropy_l: if empty { 0.0 } else { self.entropy_l },
            t_closeness: self.t,
            ordered: self.whole.ordered(),
        }
    }
}

/// The grade of docs/risk.md, "Grade".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grade {
    Identifiable,
    DeIdentified,
    LowRisk,
}

impl Grade {
    pub fn of(direct_in_clear: bool, m: &ClassMetrics, k_target: u64, max_risk: f64) -> Grade {
        if direct_in_clear {
            Grade::Identifiable
        } else if m.rows > 0 && (m.k < k_target || m.highest_risk > max_risk) {
            Grade::DeIdentified
        } else {
            Grade::LowRisk
        }
    }

    /// The stable id written in reports.
    pub fn id(self) -> &'static str {
        match self {
            Grade::Identifiable => "identifiable",
            Grade::DeIdentified => "de-identified",
            Grade::LowRisk => "low-risk",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(size: u64, classes: u64) -> SizeRow {
        SizeRow {
            size,
            classes,
            records: size * classes,
        }
    }

    #[test]
    fn class_metrics_by_hand() {
        // Classes of sizes 1, 2, 2, 5: N = 10.
        let m = class_metrics(&[row(5, 1), row(1, 1), row(2, 2)], 5, 0.2);
        assert_eq!((m.rows, m.classes, m.k), (10, 4, 1));
        assert_eq!((m.classes_below_k, m.records_below_k), (3, 5));
        assert_eq!(m.sample_uniques, 1);
        assert_eq!(m.highest_risk, 1.0);
        // 4 classes over 10 records.
        assert!((m.average_risk - 0.4).abs() < 1e-12);
        // Risk above 0.2: the classes of 1 and 2 (0.2 itself is not above).
        assert_eq!(m.records_at_risk, 5);
        assert_eq!(Grade::of(false, &m, 5, 0.2), Grade::DeIdentified);
        let m = class_metrics(&[row(5, 2)], 5, 0.2);
        assert_eq!(Grade::of(false, &m, 5, 0.2), Grade::LowRisk);
        assert_eq!(Grade::of(true, &m, 5, 0.2), Grade::Identifiable);
        let empty = class_metrics(&[], 5, 0.2);
        assert_eq!((empty.k, empty.average_risk), (0, 0.0));
    }

    #[test]
    fn l_diversity_by_hand() {
        let whole = Distribution::new(vec![
            (Some("a".into()), 2),
            (Some("b".into()), 1),
            (Some("c".into()), 1),
        ]);
        let mut s = SensitiveScan::new(&whole);
        s.class(&[(Some("a"), 2)]);
        s.class(&[(Some("b"), 1), (Some("c"), 1)]);
        let m = s.finish();
        assert_eq!(m.distinct_l, 1);
        assert!((m.entropy_l - 1.0).abs() < 1e-12);
        assert!(!m.ordered);
        // Class {a, a} against (1/2, 1/4, 1/4): ½(|1 - ½| + ¼ + ¼) = ½.
        assert!((m.t_closeness - 0.5).abs() < 1e-12);
    }
}
