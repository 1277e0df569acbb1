//! `steward dedupe`: duplicate detection and one unified customer ID across datasets.
//!
//! Data flows one way, as in a scan:
//! rules (`duplicates.fuzzy`) -> [`records`] (read and normalised through DataFusion)
//! -> [`block`] (candidate pairs from blocking rules) -> [`compare`] (agreement levels)
//! -> [`model`] (Fellegi–Sunter, trained by EM) -> [`cluster`] (union-find, unified IDs)
//! -> the report model in `report::dedupe`, which renderers read. [`settings`] merges
//! the rule files into one plan; `--explain` is [`explain`], golden records [`golden`],
//! `--previous` [`incremental`] (with [`state`] and [`stable`]), `--lookup` [`lookup`].
//!
//! Memory is the records' normalised text plus per-rule block keys (8 bytes per record
//! and rule) and the matched pairs; candidate pairs are generated block by block and
//! never stored.

pub mod block;
pub mod cluster;
pub mod compare;
pub mod evaluate;
mod explain;
pub mod golden;
mod headcount;
mod incremental;
mod lookup;
pub mod model;
pub mod normalize;
mod output;
pub mod records;
mod settings;
pub mod stable;
pub mod state;

use std::path::PathBuf;
use std::time::Instant;

use crate::error::Result;
use crate::report::dedupe::{
    ClusterSummary, DatasetSummary, DedupeReport, Explain, FieldSetting, Settings,
};
use crate::rules::DatasetRules;
use crate::source::{self, SourceOptions};
use block::Blocks;
use records::Records;
use settings::{Golden, Plan, plan};

pub use crate::rules::LinkMode;
pub use headcount::{Linked, link_all};
pub use lookup::lookup;

/// Default match-probability threshold.
pub const DEFAULT_THRESHOLD: f64 = 0.9;
/// Default largest block compared; larger blocks are skipped and reported.
pub const DEFAULT_MAX_BLOCK: usize = 5000;
/// Random pairs drawn to estimate `u`.
pub const U_SAMPLES: usize = 1_000_000;

#[derive(Debug, Clone, Default)]
pub struct DedupeOptions {
    pub data: Vec<String>,
    pub rules: Vec<PathBuf>,
    pub source: SourceOptions,
    pub pairs: Option<PathBuf>,
    pub clusters: Option<PathBuf>,
    /// Explain one pair: two record references, `key` or `dataset:key`.
    pub explain: Option<(String, String)>,
    /// The clusters file of an earlier run: link `data` into its clusters.
    pub previous: Option<PathBuf>,
    /// Records removed since the earlier run (CSV: dataset,key).
    pub removed: Option<PathBuf>,
    /// Where to write what changed since the earlier run (CSV).
    pub changes: Option<PathBuf>,
    /// Train the model again on all records instead of using the stored one.
    pub retrain: bool,
    /// The key of the linking state (default: `STEWARD_KEY`).
    pub key_file: Option<PathBuf>,
    /// Where to write one golden record per unified ID (CSV).
    pub golden: Option<PathBuf>,
}
/// Everything a dedupe run computed, before it is written or reported.
struct Matched {
    plan: Plan,
    records: Records,
    model: model::Model,
    candidates: u64,
    /// Pairs at or above the threshold, in (i, j) order: (i, j, probability, pattern).
    pairs: Vec<(u32, u32, f64, model::Pattern)>,
    /// Per record, the index of its cluster's smallest member.
    smallest: Vec<u32>,
    oversized: Vec<block::Oversized>,
}

/// Read, block, train, score and cluster.
async fn run(
    inputs: &[source::Input],
    assigned: &[Option<DatasetRules>],
    opts: &SourceOptions,
    golden: Golden,
    flags: &[String],
) -> Result<Matched> {
    let mut plan = plan(assigned, inputs.len(), None, golden)?;
    plan.extras
        .extend(flags.iter().map(|c| format!("flag:{c}")));
    let records = settings::read(inputs, assigned, &plan, opts).await?;
    plan.derive_blocking(&records);
    let blocks = Blocks::new(&records, plan.rules.clone(), plan.mode, plan.max_block);
    let model = model::train(
        &records,
        &blocks,
        &plan.fields,
        &plan.tf,
        plan.mode,
        U_SAMPLES,
    );
    // Score every candidate pair; keep those at or above the threshold.
    let (candidates, mut pairs) = blocks.fold(
        &records,
        || (0u64, Vec::new()),
        |(n, out), _, i, j| {
            *n += 1;
            let p = model::pattern(&records, i, j);
            let prob = model::probability(model.weight(p, i));
            if prob >= plan.threshold {
                out.push((i as u32, j as u32, prob, p));
            }
        },
        |(a, mut x), (b, y)| {
            x.extend(y);
            (a + b, x)
        },
    );
    pairs.sort_by_key(|&(i, j, _, _)| (i, j));
    let smallest = cluster::components(records.len(), pairs.iter().map(|&(i, j, _, _)| (i, j)));
    Ok(Matched {
        plan,
        records,
        model,
        candidates,
        pairs,
        smallest,
        oversized: blocks.oversized,
    })
}

/// The fuzzy duplicates of one dataset, for the scan's uniqueness dimension.
pub async fn summarize_dataset(
    input: &source::Input,
    rules: &DatasetRules,
    opts: &SourceOptions,
) -> Result<ClusterSummary> {
    let m = run(
        std::slice::from_ref(input),
        std::slice::from_ref(&Some(rules.clone())),
        opts,
        Golden::Skip,
        &[],
    )
    .await?;
    Ok(summarize(
        &cluster_sizes(&m.smallest),
        m.candidates,
        m.pairs.len() as u64,
    ))
}

/// Run a dedupe and build its report (and the explanation of one pair, if asked).
pub async fn dedupe(opts: &DedupeOptions) -> Result<(DedupeReport, Option<Explain>)> {
    if opts.previous.is_some() {
        return incremental::link(opts).await;
    }
    let started = Instant::now();
    let started_at = chrono::Utc::now();
    let key = incremental::optional_key(opts)?;
    let rules = crate::rules::load(&opts.rules)?;
    let mut inputs = source::expand(&opts.data, &opts.source)?;
    let assigned = crate::rules::assign(&rules, &mut inputs)?;
    let golden = match (&opts.golden, &opts.clusters, &key) {
        (Some(_), _, _) => Golden::Write,
        (None, Some(_), Some(_)) => Golden::Keep,
        _ => Golden::Skip,
    };
    let Matched {
        plan,
        records,
        model,
        candidates,
        pairs: matched,
        smallest,
        oversized,
    } = run(&inputs, &assigned, &opts.source, golden, &[]).await?;

    let (ids, id_of) = incremental::first_ids(&records, &smallest);
    if let Some(path) = &opts.pairs {
        output::write_pairs(path, &records, &plan.fields, &matched)?;
    }
    if let Some(path) = &opts.golden {
        golden::write(path, &records, &plan.golden, &ids, &id_of)?;
    }
    if let Some(path) = &opts.clusters {
        output::write_clusters(path, &records, &ids, &id_of)?;
        if let Some(key) = &key {
            let edges: Vec<(u32, u32, f64)> =
                matched.iter().map(|&(i, j, p, _)| (i, j, p)).collect();
            let st = incremental::state_of(&plan, &model, &records, ids, id_of, edges, 1);
            state::write(&state::path_beside(path), &st, key)?;
        }
    }
    let explain = match &opts.explain {
        Some((a, b)) => Some(explain::explain(&records, &model, &plan, a, b)?),
        None => None,
    };
    let report = build_report(
        &inputs,
        &rules.sha256,
        started,
        started_at,
        &Outcome {
            plan: &plan,
            records: &records,
            model: &model,
            candidates,
            matched: matched.len() as u64,
            smallest: &smallest,
            oversized,
        },
    )
    .await?;
    Ok((report, explain))
}

/// What a run computed, as the report needs it.
struct Outcome<'a> {
    plan: &'a Plan,
    records: &'a Records,
    model: &'a model::Model,
    candidates: u64,
    matched: u64,
    smallest: &'a [u32],
    oversized: Vec<block::Oversized>,
}

async fn build_report(
    inputs: &[source::Input],
    rules_sha256: &str,
    started: Instant,
    started_at: chrono::DateTime<chrono::Utc>,
    o: &Outcome<'_>,
) -> Result<DedupeReport> {
    let Outcome {
        plan,
        records,
        model,
        candidates,
        matched,
        smallest,
        ..
    } = o;
    let mut hashes = Vec::with_capacity(inputs.len());
    for input in inputs {
        hashes.push(source::fingerprint(input).await?);
    }
    let sizes = cluster_sizes(smallest);
    let summary = summarize(&sizes, *candidates, *matched);
    let mut datasets: Vec<DatasetSummary> = records
        .datasets
        .iter()
        .map(|name| DatasetSummary {
            name: name.clone(),
            records: 0,
            in_multi_record_clusters: 0,
        })
        .collect();
    for (i, &s) in smallest.iter().enumerate() {
        let d = &mut datasets[records.dataset[i] as usize];
        d.records += 1;
        d.in_multi_record_clusters += u64::from(sizes[s as usize] > 1);
    }
    Ok(DedupeReport {
        schema_version: 1,
        tool: crate::report::model::Tool {
            name: "steward".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        run: crate::report::dedupe::Run {
            started_at: started_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            duration_ms: started.elapsed().as_millis() as u64,
            rules_sha256: rules_sha256.to_string(),
            inputs: inputs
                .iter()
                .zip(&hashes)
                .map(|(i, (sha256, bytes))| crate::report::dedupe::InputRef {
                    path: i.path.display().to_string(),
                    dataset: i.name.clone(),
                    sha256: sha256.clone(),
                    bytes: *bytes,
                })
                .collect(),
        },
        settings: Settings {
            mode: plan.mode.name().to_string(),
            threshold: plan.threshold,
            max_block: plan.max_block,
            fields: plan
                .fields
                .iter()
                .zip(&plan.kinds)
                .zip(&plan.tf)
                .map(|((f, k), tf)| FieldSetting {
                    field: f.clone(),
                    kind: k.name().to_string(),
                    levels: k.levels().iter().map(|s| s.to_string()).collect(),
                    term_frequency: *tf,
                })
                .collect(),
            blocking: plan.rules.iter().map(|r| r.text.clone()).collect(),
            derived_blocking: plan.derived_blocking.clone(),
        },
        model: model.summary(),
        summary,
        datasets,
        oversized_blocks: o.oversized.clone(),
        incremental: None,
    })
}

/// Per record index, the size of the cluster it is the smallest member of (0 for the
/// other members).
fn cluster_sizes(smallest: &[u32]) -> Vec<u64> {
    let mut sizes = vec![0u64; smallest.len()];
    for &s in smallest {
        sizes[s as usize] += 1;
    }
    sizes
}

fn summarize(sizes: &[u64], candidates: u64, matched: u64) -> ClusterSummary {
    let clusters = sizes.iter().filter(|&&s| s > 0).count() as u64;
    let multi = sizes.iter().filter(|&&s| s > 1).count() as u64;
    let n = sizes.len() as u64;
    ClusterSummary {
        records: n,
        candidate_pairs: candidates,
        matched_pairs: matched,
        clusters,
        multi_record_clusters: multi,
        duplicate_records: n - clusters,
        duplicate_rate: if n == 0 {
            0.0
        } else {
            (n - clusters) as f64 / n as f64
        },
        largest_cluster: sizes.iter().copied().max().unwrap_or(0),
    }
}
