//! The dedupe report model (`steward dedupe --format json`, schema_version 1) and its
//! renderers: a terminal summary and the `--explain` waterfall. Renderers only read the
//! model, which holds plain data: names, numbers and the figures dedupe computed
//! (weights, probabilities), so rendering computes nothing. Record values never
//! appear, only masked ones in `--explain`.

use serde::Serialize;
use tabled::builder::Builder;
use tabled::settings::Style;

use super::model::Tool;

#[derive(Debug, Clone, Serialize)]
pub struct DedupeReport {
    pub schema_version: u32,
    pub tool: Tool,
    pub run: Run,
    pub settings: Settings,
    pub summary: ClusterSummary,
    pub datasets: Vec<DatasetSummary>,
    pub model: ModelSummary,
    /// Blocks larger than `max_block`, skipped: their pairs were not compared.
    pub oversized_blocks: Vec<Oversized>,
    /// With `--previous`: what this run changed in the earlier run's clusters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incremental: Option<Incremental>,
}

/// A run that linked new records into an earlier run's clusters (`--previous`).
#[derive(Debug, Clone, Serialize)]
pub struct Incremental {
    /// The earlier run's clusters file.
    pub previous: String,
    /// Runs that built the linking state, this one included.
    pub run: u32,
    /// Whether the model was trained again (`--retrain`) or the stored one used.
    pub retrained: bool,
    pub previous_records: u64,
    pub previous_clusters: u64,
    /// Records of the inputs new to the state, changed (same key, other values),
    /// sent again unchanged, and removed (`--removed`).
    pub added: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub removed: u64,
    /// Earlier IDs kept, and the changes by kind.
    pub ids_kept: u64,
    pub created: u64,
    pub merged: u64,
    pub split: u64,
    pub retired: u64,
}

/// `steward dedupe --previous ids.csv --lookup FILE`: where each record would belong.
#[derive(Debug, Clone, Serialize)]
pub struct Lookup {
    pub schema_version: u32,
    pub previous: String,
    pub threshold: f64,
    pub records: Vec<LookupResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LookupResult {
    /// `dataset:key` of the looked-up record.
    pub record: String,
    /// Candidate pairs compared (records of the earlier run sharing a block).
    pub candidates: u64,
    /// The unified ID of the best match at or above the threshold, if any.
    pub unified_id: Option<String>,
    /// The best match (`dataset:key`) and its probability, even below the threshold.
    pub best_match: Option<String>,
    pub probability: Option<f64>,
    /// The waterfall of the best pair.
    pub explain: Option<Explain>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub started_at: String,
    pub duration_ms: u64,
    pub rules_sha256: String,
    pub inputs: Vec<InputRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InputRef {
    pub path: String,
    pub dataset: String,
    pub sha256: String,
    pub bytes: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    /// The link mode's id (`dedupe`, `link`, `link_and_dedupe`).
    pub mode: String,
    pub threshold: f64,
    pub max_block: usize,
    pub fields: Vec<FieldSetting>,
    pub blocking: Vec<String>,
    /// When the rule files give no `blocking:`, how the rules above were derived from
    /// the data: every candidate with its exact pair count; empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub derived_blocking: Vec<BlockingEstimate>,
}

/// A candidate blocking rule measured on the data (`derived_blocking`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockingEstimate {
    pub rule: String,
    /// Candidate pairs the rule alone would make (for `link`, across datasets only).
    pub pairs: u64,
    /// Records in its largest block.
    pub largest_block: u64,
    pub chosen: bool,
    /// Why it was chosen or left out, in words.
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldSetting {
    pub field: String,
    /// The comparison kind's id (`name`, `phone`, ...).
    pub kind: String,
    pub levels: Vec<String>,
    pub term_frequency: bool,
}

/// The trained Fellegi-Sunter parameters, as reported.
#[derive(Debug, Clone, Serialize)]
pub struct ModelSummary {
    /// Probability that two random allowed records are the same customer.
    pub lambda: f64,
    pub fields: Vec<FieldWeights>,
    /// Candidate pairs the model was trained on.
    pub trained_on_pairs: u64,
    /// log2 odds of `lambda`.
    #[serde(skip)]
    pub prior_weight: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldWeights {
    pub field: String,
    /// Indexed by level; entry 0 (missing) is unused.
    pub m: Vec<f64>,
    pub u: Vec<f64>,
    /// False when every blocking rule uses the field, so EM could not estimate `m`.
    pub m_trained: bool,
    /// log2 Bayes factor of an exact agreement, without term-frequency adjustment.
    #[serde(skip)]
    pub exact_weight: f64,
}

/// A block skipped because it was larger than `max_block`.
#[derive(Debug, Clone, Serialize)]
pub struct Oversized {
    pub rule: String,
    pub records: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClusterSummary {
    pub records: u64,
    pub candidate_pairs: u64,
    pub matched_pairs: u64,
    pub clusters: u64,
    pub multi_record_clusters: u64,
    /// Records minus clusters: the records a merge would remove.
    pub duplicate_records: u64,
    /// `duplicate_records / records`.
    pub duplicate_rate: f64,
    pub largest_cluster: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DatasetSummary {
    pub name: String,
    pub records: u64,
    pub in_multi_record_clusters: u64,
}

/// `--explain`: the weight of each field for one pair.
#[derive(Debug, Clone, Serialize)]
pub struct Explain {
    pub a: String,
    pub b: String,
    pub prior_weight: f64,
    /// The match probability of the prior alone.
    #[serde(skip)]
    pub prior_probability: f64,
    pub terms: Vec<ExplainTerm>,
    pub weight: f64,
    pub probability: f64,
    pub threshold: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExplainTerm {
    pub field: String,
    pub level: String,
    pub m: Option<f64>,
    pub u: Option<f64>,
    pub bayes_factor: f64,
    /// log2 of the Bayes factor.
    pub weight: f64,
    pub term_frequency_adjusted: bool,
    /// Masked values of the two records.
    pub value_a: Option<String>,
    pub value_b: Option<String>,
    /// The prior plus the weights of this and every earlier field.
    #[serde(skip)]
    pub cumulative_weight: f64,
    /// The match probability at `cumulative_weight`.
    #[serde(skip)]
    pub cumulative_probability: f64,
}

pub fn json<T: Serialize>(v: &T) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("the dedupe model always serializes");
    s.push('\n');
    s
}

pub fn render_table(r: &DedupeReport) -> String {
    let s = &r.summary;
    let mut out = format!(
        "{} records, {} clusters ({} with duplicates), duplicate rate {:.2}%, largest cluster {}\n",
        s.records,
        s.clusters,
        s.multi_record_clusters,
        s.duplicate_rate * 100.0,
        s.largest_cluster
    );
    out.push_str(&format!(
        "{} candidate pairs from {} blocking rule(s), {} at or above match probability {}\n",
        s.candidate_pairs,
        r.settings.blocking.len(),
        s.matched_pairs,
        r.settings.threshold
    ));
    if !r.settings.derived_blocking.is_empty() {
        out.push_str("blocking derived from the data (no `blocking:` in the rule file):\n");
        for b in &r.settings.derived_blocking {
            out.push_str(&format!(
                "  {} {}: {} pairs, largest block {} ({})\n",
                if b.chosen { "+" } else { "-" },
                b.rule,
                b.pairs,
                b.largest_block,
                b.reason
            ));
        }
    }
    let mut t = Builder::default();
    t.push_record(["dataset", "records", "in clusters with duplicates"]);
    for d in &r.datasets {
        t.push_record([
            d.name.clone(),
            d.records.to_string(),
            d.in_multi_record_clusters.to_string(),
        ]);
    }
    let mut t = t.build();
    t.with(Style::sharp());
    out.push_str(&format!("{t}\n"));
    let mut f = Builder::default();
    f.push_record([
        "field",
        "kind",
        "m(exact)",
        "u(exact)",
        "weight(exact)",
        "m trained",
    ]);
    for (fs, fm) in r.settings.fields.iter().zip(&r.model.fields) {
        let m = fm.m.get(1).copied().unwrap_or(0.0);
        let u = fm.u.get(1).copied().unwrap_or(1.0);
        f.push_record([
            format!(
                "{}{}",
                fs.field,
                if fs.term_frequency { " (tf)" } else { "" }
            ),
            fs.kind.clone(),
            format!("{m:.4}"),
            format!("{u:.2e}"),
            format!("{:+.2}", fm.exact_weight),
            if fm.m_trained { "yes" } else { "no (default)" }.to_string(),
        ]);
    }
    let mut f = f.build();
    f.with(Style::sharp());
    out.push_str(&format!("{f}\n"));
    out.push_str(&format!(
        "prior: lambda = {:.3e} (log2 odds {:+.2})\n",
        r.model.lambda, r.model.prior_weight
    ));
    if let Some(inc) = &r.incremental {
        out.push_str(&format!(
            "linked into {} (run {}{}): {} earlier records in {} clusters; {} added, {} changed, {} unchanged, {} removed\n",
            inc.previous,
            inc.run,
            if inc.retrained { ", model retrained" } else { ", stored model" },
            inc.previous_records,
            inc.previous_clusters,
            inc.added,
            inc.changed,
            inc.unchanged,
            inc.removed
        ));
        out.push_str(&format!(
            "unified IDs: {} kept, {} created, {} merged, {} split, {} retired\n",
            inc.ids_kept, inc.created, inc.merged, inc.split, inc.retired
        ));
    }
    for o in &r.oversized_blocks {
        out.push_str(&format!(
            "warning: a block of {} records under rule '{}' was skipped (max_block {}); add a more specific rule\n",
            o.records, o.rule, r.settings.max_block
        ));
    }
    out
}

/// The waterfall: prior, then each field's weight and the running probability.
pub fn render_explain(e: &Explain) -> String {
    let mut t = Builder::default();
    t.push_record([
        "step",
        "values (masked)",
        "level",
        "m",
        "u",
        "bayes factor",
        "weight",
        "cumulative",
        "probability",
    ]);
    t.push_record([
        "prior".to_string(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        format!("{:.3e}", e.prior_weight.exp2()),
        format!("{:+.2}", e.prior_weight),
        format!("{:+.2}", e.prior_weight),
        format!("{:.6}", e.prior_probability),
    ]);
    for term in &e.terms {
        let v = |x: &Option<String>| x.clone().unwrap_or_else(|| "∅".into());
        t.push_record([
            term.field.clone(),
            format!("{} / {}", v(&term.value_a), v(&term.value_b)),
            format!(
                "{}{}",
                term.level,
                if term.term_frequency_adjusted {
                    " (tf)"
                } else {
                    ""
                }
            ),
            term.m.map(|m| format!("{m:.4}")).unwrap_or_default(),
            term.u.map(|u| format!("{u:.2e}")).unwrap_or_default(),
            format!("{:.3}", term.bayes_factor),
            format!("{:+.2}", term.weight),
            format!("{:+.2}", term.cumulative_weight),
            format!("{:.6}", term.cumulative_probability),
        ]);
    }
    let mut t = t.build();
    t.with(Style::sharp());
    format!(
        "{} vs {}: match weight {:+.2}, probability {:.6} ({} the threshold {})\n{t}\n",
        e.a,
        e.b,
        e.weight,
        e.probability,
        if e.probability >= e.threshold {
            "at or above"
        } else {
            "below"
        },
        e.threshold
    )
}

/// One line per looked-up record, then the waterfall of its best pair.
pub fn render_lookup(l: &Lookup) -> String {
    let mut t = Builder::default();
    t.push_record([
        "record",
        "unified ID",
        "best match",
        "probability",
        "candidates",
    ]);
    for r in &l.records {
        t.push_record([
            r.record.clone(),
            r.unified_id.clone().unwrap_or_else(|| "none".into()),
            r.best_match.clone().unwrap_or_default(),
            r.probability.map(|p| format!("{p:.6}")).unwrap_or_default(),
            r.candidates.to_string(),
        ]);
    }
    let mut t = t.build();
    t.with(Style::sharp());
    let mut out = format!(
        "{} record(s) looked up in {} (threshold {})\n{t}\n",
        l.records.len(),
        l.previous,
        l.threshold
    );
    for r in &l.records {
        if let Some(e) = &r.explain {
            out.push('\n');
            out.push_str(&render_explain(e));
        }
    }
    out
}
