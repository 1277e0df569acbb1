//! Sensitive-data discovery: which columns hold which personal data.
//!
//! Each category has a [`Detector`] in its own module under `detectors/`, registered
//! under its stable category id (design.md, "Personal-data categories"). A detector
//! judges single values (checksums where the category has one, not only patterns) and
//! names the header keywords (English, Chinese, pinyin and pinyin initials) that point
//! to it. The [`classify_column`] function combines the two over a bounded sample of a
//! column's distinct values, which the scan collects in the same pass as the profile.
//!
//! Decision (per detector, over the non-blank sampled values):
//! - `strong` rate = values the detector is sure of (a checksum passed, a specific
//!   format); `any` rate = strong + weak matches (plausible only with a matching header).
//! - A detector with `alone: Some(r)` decides from values alone when strong rate >= r;
//!   confidence 0.6 + 0.4 x rate (+0.05 with a header hit).
//! - With a header hit, any detector decides when the any-rate >= `with_header`;
//!   confidence 0.5 + 0.4 x rate.
//! - The highest confidence wins; ties go to the more specific detector. Nothing
//!   qualifying: category null.

pub mod category;
pub mod detectors;
pub(crate) mod header;
pub mod spans;
pub mod suggest;

pub use category::Category;
pub use detectors::{DETECTORS, Detector, Match};
pub use header::normalize as normalize_header;

/// Values sampled per column for classification (distinct, chosen by hash so the sample
/// is the same whatever the partitioning).
pub const SAMPLE_VALUES: usize = 2_000;

/// What a classification rests on, for a reviewer to check.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub category: Option<&'static str>,
    pub confidence: f64,
    /// The header keyword that matched, if any.
    pub header_hit: Option<&'static str>,
    pub values_checked: u64,
    pub values_matched: u64,
    pub validator: Option<&'static str>,
}

/// PIPL Art. 28 sensitive personal information (false for an unknown id).
pub fn pipl_sensitive(category: &str) -> bool {
    category::get(category).is_some_and(|c| c.pipl_sensitive)
}

/// GDPR Art. 9 special categories (false for an unknown id).
pub fn gdpr_special(category: &str) -> bool {
    category::get(category).is_some_and(|c| c.gdpr_special)
}

/// The detector registered under a category id.
pub fn detector(category: &str) -> Option<&'static Detector> {
    DETECTORS.iter().find(|d| d.category.id == category)
}

/// The first of `keywords` a column name points to, matched as the detectors match
/// their headers (normalised, by token, or contained when long enough).
pub fn header_keyword(name: &str, keywords: &[&'static str]) -> Option<&'static str> {
    header::Header::new(name).hit(keywords)
}

/// The categories a column name points to by their detectors' header keywords, with
/// the keyword that hit, most specific detector first.
pub fn header_categories(name: &str) -> Vec<(&'static category::Category, &'static str)> {
    let header = header::Header::new(name);
    let mut hits: Vec<&'static Detector> = DETECTORS
        .iter()
        .filter(|d| header.hit(d.headers).is_some())
        .collect();
    hits.sort_by_key(|d| std::cmp::Reverse(d.specificity));
    hits.into_iter()
        .filter_map(|d| Some((&d.category, header.hit(d.headers)?)))
        .collect()
}

/// The category one value is of on its own, without a header: the most specific
/// detector whose values decide alone and whose check is a strong match (a checksum
/// passed, a specific format). `None` for anything else, including names and addresses,
/// which only a header can tell.
pub fn value_category(value: &str) -> Option<&'static str> {
    DETECTORS
        .iter()
        .filter(|d| d.alone.is_some() && (d.check)(value) == detectors::Match::Strong)
        .max_by_key(|d| d.specificity)
        .map(|d| d.category.id)
}

/// Classify one column from its header and a sample of its distinct values.
pub fn classify_column<S: AsRef<str>>(name: &str, values: &[S]) -> Finding {
    let header = header::Header::new(name);
    let values: Vec<&str> = values
        .iter()
        .map(|v| v.as_ref().trim())
        .filter(|v| !v.is_empty())
        .collect();
    let checked = values.len() as u64;
    let mut best: Option<(f64, u8, Finding)> = None;
    for d in DETECTORS {
        let hit = header.hit(d.headers);
        // The lowest match rate that could still make this detector qualify; once more
        // values have failed than that allows, the rest need not be checked.
        let needed = match (d.alone, hit) {
            (Some(a), Some(_)) => a.min(d.with_header),
            (Some(a), None) => a,
            (None, Some(_)) => d.with_header,
            (None, None) => continue,
        };
        if checked == 0 {
            continue;
        }
        let allowed_misses = ((1.0 - needed) * checked as f64).floor() as u64;
        let (mut strong, mut weak, mut misses) = (0u64, 0u64, 0u64);
        for v in &values {
            match (d.check)(v) {
                Match::Strong => strong += 1,
                Match::Weak if hit.is_some() => weak += 1,
                Match::Weak | Match::No => {
                    misses += 1;
                    if misses > allowed_misses {
                        break;
                    }
                }
            }
        }
        if misses > allowed_misses {
            continue;
        }
        let strong_rate = strong as f64 / checked as f64;
        let any_rate = (strong + weak) as f64 / checked as f64;
        let mut candidate = None;
        if let Some(min) = d.alone
            && strong_rate >= min
        {
            let bonus = if hit.is_some() { 0.05 } else { 0.0 };
            candidate = Some(((0.6 + 0.4 * strong_rate + bonus).min(0.99), strong));
        }
        if hit.is_some() && any_rate >= d.with_header {
            let c = (0.5 + 0.4 * any_rate).min(0.99);
            if candidate.is_none_or(|(best, _)| c > best) {
                candidate = Some((c, strong + weak));
            }
        }
        let Some((confidence, matched)) = candidate else {
            continue;
        };
        let confidence = (confidence * 100.0).round() / 100.0;
        let better = match &best {
            None => true,
            Some((c, s, _)) => confidence > *c || (confidence == *c && d.specificity > *s),
        };
        if better {
            best = Some((
                confidence,
                d.specificity,
                Finding {
                    category: Some(d.category.id),
                    confidence,
                    header_hit: hit,
                    values_checked: checked,
                    values_matched: matched,
                    validator: Some(d.validator),
                },
            ));
        }
    }
    best.map(|(_, _, f)| f).unwrap_or(Finding {
        category: None,
        confidence: 0.0,
        header_hit: None,
        values_checked: checked,
        values_matched: 0,
        validator: None,
    })
}

#[cfg(test)]
mod tests;
