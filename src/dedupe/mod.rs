//! `steward dedupe`: duplicate detection and one unified customer ID across datasets.
//!
//! Data flows one way, as in a scan:
//! rules (`duplicates.fuzzy`) -> [`records`] (read and normalised through DataFusion)
//! -> [`block`] (candidate pairs from blocking rules) -> [`compare`] (agreement levels)
//! -> [`model`] (Fellegi–Sunter, trained by EM) -> [`cluster`] (union-find, unified IDs)
//! -> the report model in `report::dedupe`, which renderers read.
//!
//! Memory is the records' normalised text plus per-rule block keys (8 bytes per record
//! and rule) and the matched pairs; candidate pairs are generated block by block and
//! never stored.

pub mod block;
pub mod cluster;
pub mod compare;
pub mod evaluate;
mod incremental;
pub mod model;
pub mod normalize;
mod output;
pub mod records;
pub mod stable;
pub mod state;

use std::path::PathBuf;
use std::time::Instant;

use crate::error::{Error, Origin, Result, RuleDiagnostic};
use crate::report::dedupe::{
    ClusterSummary, DatasetSummary, DedupeReport, Explain, ExplainTerm, FieldSetting, Settings,
};
use crate::rules::{DatasetRules, FuzzySpec};
use crate::source::{self, SourceOptions};
use block::{Blocks, Rule};
use compare::Kind;
use records::{DatasetColumns, Records};

pub use crate::rules::LinkMode;
pub use incremental::lookup;

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
}

/// The comparison settings of a run, merged over the datasets' rule files.
#[derive(Debug, Clone)]
struct Plan {
    fields: Vec<String>,
    kinds: Vec<Kind>,
    tf: Vec<bool>,
    rules: Vec<Rule>,
    threshold: f64,
    mode: LinkMode,
    max_block: usize,
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
) -> Result<Matched> {
    let plan = plan(assigned, inputs.len(), None)?;
    let sets: Vec<DatasetColumns> = inputs
        .iter()
        .zip(assigned)
        .map(|(input, r)| columns(input.clone(), r.as_ref(), &plan))
        .collect();
    let records = records::read(&sets, &plan.kinds, opts).await?;
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
    let Matched {
        plan,
        records,
        model,
        candidates,
        pairs: matched,
        smallest,
        oversized,
    } = run(&inputs, &assigned, &opts.source).await?;

    let (ids, id_of) = incremental::first_ids(&records, &smallest);
    if let Some(path) = &opts.pairs {
        output::write_pairs(path, &records, &plan.fields, &matched)?;
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
        Some((a, b)) => Some(explain(&records, &model, &plan, a, b)?),
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

fn diag(origin: &Origin, message: String) -> RuleDiagnostic {
    RuleDiagnostic {
        origin: origin.clone(),
        message,
        help: None,
    }
}

/// A setting that datasets deduplicated together share: the first spec that sets it
/// wins; a spec that sets it differently is an error at that spec's position.
fn shared<T: PartialEq>(
    specs: &[&FuzzySpec],
    name: &str,
    diags: &mut Vec<RuleDiagnostic>,
    get: impl Fn(&FuzzySpec) -> Option<T>,
) -> Option<T> {
    let mut chosen: Option<(T, &Origin)> = None;
    for s in specs {
        let Some(v) = get(s) else { continue };
        match &chosen {
            Some((c, at)) if *c != v => diags.push(diag(
                &s.origin,
                format!(
                    "fuzzy {name} differs from the one at {at}; datasets deduplicated together share it"
                ),
            )),
            Some(_) => {}
            None => chosen = Some((v, &s.origin)),
        }
    }
    chosen.map(|(v, _)| v)
}

/// Merge the datasets' `duplicates.fuzzy` into one plan.
fn plan(
    assigned: &[Option<DatasetRules>],
    inputs: usize,
    default_mode: Option<LinkMode>,
) -> Result<Plan> {
    let specs: Vec<&FuzzySpec> = assigned
        .iter()
        .flatten()
        .filter_map(|r| r.fuzzy.as_ref())
        .collect();
    let Some(first) = specs.first() else {
        return Err(Error::Usage(
            "no rule file for these inputs has a `duplicates.fuzzy` section; add one with the fields to compare (see docs/rules.md)".into(),
        ));
    };
    let mut diags = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut kinds: Vec<Option<(Kind, Origin)>> = Vec::new();
    let mut tf: Vec<bool> = Vec::new();
    for spec in &specs {
        for f in &spec.fields {
            let idx = match fields.iter().position(|x| x == &f.field) {
                Some(i) => i,
                None => {
                    fields.push(f.field.clone());
                    kinds.push(None);
                    tf.push(false);
                    fields.len() - 1
                }
            };
            tf[idx] |= f.term_frequency;
            if let Some(k) = f.kind {
                match &kinds[idx] {
                    Some((other, at)) if *other != k => diags.push(diag(
                        &f.origin,
                        format!(
                            "field '{}' is compared as {} here but as {} at {at}",
                            f.field,
                            k.name(),
                            other.name()
                        ),
                    )),
                    _ => kinds[idx] = Some((k, f.origin.clone())),
                }
            }
        }
    }
    if fields.len() > model::MAX_FIELDS {
        diags.push(diag(
            &first.origin,
            format!(
                "{} fields are compared; at most {} are supported",
                fields.len(),
                model::MAX_FIELDS
            ),
        ));
    }
    let threshold =
        shared(&specs, "threshold", &mut diags, |s| s.threshold).unwrap_or(DEFAULT_THRESHOLD);
    let max_block =
        shared(&specs, "max_block", &mut diags, |s| s.max_block).unwrap_or(DEFAULT_MAX_BLOCK);
    let mode = shared(&specs, "mode", &mut diags, |s| s.mode)
        .or(default_mode)
        .unwrap_or(if inputs > 1 {
            LinkMode::LinkAndDedupe
        } else {
            LinkMode::Dedupe
        });
    // Compared by what the rules say, not where they are written.
    let blocking = shared(&specs, "blocking", &mut diags, |s| {
        s.blocking.as_ref().map(|b| {
            b.iter()
                .map(|rule| {
                    rule.iter()
                        .map(|k| (k.field.clone(), k.transform))
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        })
    });
    let rules: Vec<Rule> = match blocking {
        Some(b) => b
            .iter()
            .map(|parts| Rule {
                parts: parts
                    .iter()
                    .map(|(field, t)| {
                        let f = fields.iter().position(|x| x == field).unwrap_or(0);
                        (f, *t)
                    })
                    .collect(),
                text: parts
                    .iter()
                    .map(|(field, t)| match t {
                        block::Transform::Value => field.clone(),
                        t => format!("{field}.{}", t.name()),
                    })
                    .collect::<Vec<_>>()
                    .join(" + "),
            })
            .collect(),
        None => fields
            .iter()
            .enumerate()
            .map(|(f, name)| Rule {
                parts: vec![(f, block::Transform::Value)],
                text: name.clone(),
            })
            .collect(),
    };
    if mode == LinkMode::Link && inputs < 2 && default_mode.is_none() {
        diags.push(diag(
            &first.origin,
            "mode link compares records of different datasets; give two or more inputs".into(),
        ));
    }
    if !diags.is_empty() {
        return Err(Error::RuleFile(diags));
    }
    Ok(Plan {
        kinds: fields
            .iter()
            .zip(&kinds)
            .map(|(f, k)| {
                k.as_ref()
                    .map(|(k, _)| *k)
                    .unwrap_or_else(|| Kind::infer(f))
            })
            .collect(),
        fields,
        tf,
        rules,
        threshold,
        mode,
        max_block,
    })
}

/// Which column of this dataset holds each field: the rule file's mapping, else a
/// column of the field's name if the dataset has one.
fn columns(input: source::Input, rules: Option<&DatasetRules>, plan: &Plan) -> DatasetColumns {
    let spec = rules.and_then(|r| r.fuzzy.as_ref());
    let fields = plan
        .fields
        .iter()
        .map(
            |name| match spec.and_then(|s| s.fields.iter().find(|f| &f.field == name)) {
                Some(f) => records::FieldColumn::Required(f.column.clone()),
                None => records::FieldColumn::IfPresent(name.clone()),
            },
        )
        .collect();
    DatasetColumns {
        input,
        key: rules.map(|r| r.key.clone()).unwrap_or_default(),
        fields,
    }
}

/// Find a record by `key` or `dataset:key`.
fn find(records: &Records, reference: &str) -> Result<usize> {
    let hits: Vec<usize> = (0..records.len())
        .filter(|&i| {
            records.key(i) == reference
                || reference
                    .split_once(':')
                    .is_some_and(|(d, k)| records.dataset_name(i) == d && records.key(i) == k)
        })
        .collect();
    match hits.as_slice() {
        [i] => Ok(*i),
        [] => Err(Error::Usage(format!(
            "--explain: no record has the key '{reference}'"
        ))),
        _ => Err(Error::Usage(format!(
            "--explain: {} records have the key '{reference}'; write it as dataset:key",
            hits.len()
        ))),
    }
}

fn explain(
    records: &Records,
    model: &model::Model,
    plan: &Plan,
    a: &str,
    b: &str,
) -> Result<Explain> {
    let (i, j) = (find(records, a)?, find(records, b)?);
    Ok(explain_pair(records, model, plan, i, j))
}

/// The waterfall of records `i` and `j`.
fn explain_pair(
    records: &Records,
    model: &model::Model,
    plan: &Plan,
    i: usize,
    j: usize,
) -> Explain {
    let (i, j) = if i <= j { (i, j) } else { (j, i) };
    let p = model::pattern(records, i, j);
    let prior = model.prior_weight();
    let mut terms = model
        .fields
        .iter()
        .enumerate()
        .map(|(f, fm)| {
            let l = model::level(p, f);
            let w = fm.weight(l, Some(i));
            ExplainTerm {
                field: fm.field.clone(),
                level: plan.kinds[f].label(l).to_string(),
                m: (l > 0).then(|| fm.m[l as usize]),
                u: (l > 0).then(|| fm.u_at(l, Some(i))),
                bayes_factor: w.exp2(),
                weight: w,
                term_frequency_adjusted: l == 1 && fm.tf.is_some(),
                value_a: records
                    .value(f, i)
                    .map(|v| crate::mask::partial::mask(v.norm)),
                value_b: records
                    .value(f, j)
                    .map(|v| crate::mask::partial::mask(v.norm)),
                cumulative_weight: 0.0,
                cumulative_probability: 0.0,
            }
        })
        .collect::<Vec<_>>();
    let mut cum = prior;
    for t in &mut terms {
        cum += t.weight;
        t.cumulative_weight = cum;
        t.cumulative_probability = model::probability(cum);
    }
    let weight = prior + terms.iter().map(|t| t.weight).sum::<f64>();
    Explain {
        a: format!("{}:{}", records.dataset_name(i), records.key(i)),
        b: format!("{}:{}", records.dataset_name(j), records.key(j)),
        prior_weight: prior,
        prior_probability: model::probability(prior),
        terms,
        weight,
        probability: model::probability(weight),
        threshold: plan.threshold,
    }
}
