//! Incremental linking (`steward dedupe NEW... --previous ids.csv`): new and changed
//! records are blocked and compared against the earlier run's records, kept in its
//! linking state ([`super::state`]), with the stored model; matched pairs the delta
//! does not touch are kept as they were, and [`super::stable`] decides which cluster
//! keeps which unified ID. Golden records ([`super::golden`]) choose among the
//! state's stored values and the delta's.
//!
//! The inputs are a delta: a record whose (dataset, key) the earlier run had replaces
//! it (the same values again change nothing), any other record is added, and the
//! records listed in `--removed` (CSV `dataset,key`) are taken out. A pair the earlier
//! run matched stays matched while neither record changes, so a cluster the delta does
//! not reach keeps its records, its pairs and its ID byte for byte.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

use super::block::Blocks;
use super::cluster::unified_id;
use super::records::Records;
use super::settings::{Golden, Plan};
use super::stable::{self, ChangeKind, Evidence};
use super::state::{self, PlanText, State};
use super::{DedupeOptions, LinkMode, Outcome, model, output};
use crate::error::{Error, Result};
use crate::mask::keys::Key;
use crate::report::dedupe::{DedupeReport, Explain, Incremental};
use crate::source;

/// The key of a run that may write a linking state: the one given, else
/// `STEWARD_KEY` if set, else none (no state is written).
pub(super) fn optional_key(opts: &DedupeOptions) -> Result<Option<Key>> {
    if opts.key_file.is_some() || crate::mask::keys::env_key_given() {
        Key::load(opts.key_file.as_deref()).map(Some)
    } else {
        Ok(None)
    }
}

/// The unified IDs of a first run: each cluster's ID derived from its first record.
pub(super) fn first_ids(records: &Records, smallest: &[u32]) -> (Vec<(String, u32)>, Vec<u32>) {
    let mut ids = Vec::new();
    let mut index: HashMap<u32, u32> = HashMap::new();
    let id_of = smallest
        .iter()
        .map(|&s| {
            *index.entry(s).or_insert_with(|| {
                let i = s as usize;
                ids.push((unified_id(records.dataset_name(i), records.key(i)), 1));
                ids.len() as u32 - 1
            })
        })
        .collect();
    (ids, id_of)
}

pub(super) fn plan_text(plan: &Plan) -> PlanText {
    PlanText {
        fields: plan.fields.clone(),
        kinds: plan.kinds.iter().map(|k| k.name().to_string()).collect(),
        term_frequency: plan.tf.clone(),
        blocking: plan.rules.iter().map(|r| r.text.clone()).collect(),
        threshold: plan.threshold,
        mode: plan.mode.name().to_string(),
        max_block: plan.max_block,
    }
}

pub(super) fn state_of(
    plan: &Plan,
    model: &model::Model,
    records: &Records,
    ids: Vec<(String, u32)>,
    id_of: Vec<u32>,
    edges: Vec<(u32, u32, f64)>,
    runs: u32,
) -> State {
    State {
        steward_version: env!("CARGO_PKG_VERSION").to_string(),
        runs,
        plan: plan_text(plan),
        model: model.clone(),
        datasets: records.datasets.clone(),
        dataset: records.dataset.clone(),
        keys: records.keys.clone(),
        norm: records.norm.clone(),
        id_of,
        ids,
        edges,
        extra_names: plan.extras.clone(),
        extra: records.extra.clone(),
    }
}

fn data_error(path: &Path, line: Option<u64>, message: String) -> Error {
    Error::Data {
        path: path.to_path_buf(),
        line,
        column: None,
        message,
    }
}

/// A key as error messages show it: partly masked, since keys can be personal data.
fn shown(key: &str) -> String {
    crate::mask::partial::mask(key)
}

/// Read a `dataset,key` CSV (with a header); `what` names its use for errors.
fn read_pairs(path: &Path, header: &[&str]) -> Result<Vec<(u64, Vec<String>)>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .map_err(|e| data_error(path, None, format!("cannot read: {e}")))?;
    let got: Vec<String> = r
        .headers()
        .map_err(|e| data_error(path, Some(1), format!("cannot read the header: {e}")))?
        .iter()
        .map(|s| s.trim_start_matches('\u{feff}').to_string())
        .collect();
    if got.len() < header.len() || got.iter().zip(header).any(|(a, b)| a != b) {
        return Err(data_error(
            path,
            Some(1),
            format!(
                "expected the header {}, found {}",
                header.join(","),
                got.join(",")
            ),
        ));
    }
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line());
            data_error(path, line, format!("not valid CSV: {e}"))
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        if rec.len() < header.len() {
            return Err(data_error(
                path,
                Some(line),
                format!("{} fields; expected {}", rec.len(), header.len()),
            ));
        }
        // The clusters file quotes a key a spreadsheet would run as a formula.
        let fields = rec
            .iter()
            .take(header.len())
            .enumerate()
            .map(|(k, v)| match (k, v.strip_prefix('\'')) {
                (1, Some(rest)) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => {
                    rest.to_string()
                }
                _ => v.to_string(),
            })
            .collect();
        rows.push((line, fields));
    }
    Ok(rows)
}

/// Check `ids.csv` against its linking state: the same records with the same IDs.
fn check_ids(path: &Path, st: &State) -> Result<()> {
    let rows = read_pairs(path, &["dataset", "key", "unified_id"])?;
    let index = state_index(st);
    let mut seen: HashMap<(&str, &str), u64> = HashMap::new();
    for (line, f) in &rows {
        let (d, k, id) = (f[0].as_str(), f[1].as_str(), f[2].as_str());
        if !st.datasets.iter().any(|x| x == d) {
            return Err(data_error(
                path,
                Some(*line),
                format!(
                    "dataset '{d}' is not in the linking state (it has {}); this ids.csv is not the one the state was written with",
                    st.datasets.join(", ")
                ),
            ));
        }
        if let Some(first) = seen.insert((d, k), *line) {
            return Err(data_error(
                path,
                Some(*line),
                format!(
                    "the record {d}:{} is listed twice (first at line {first}); a unified-ID file has one row per record",
                    shown(k)
                ),
            ));
        }
        match index.get(&(d, k)) {
            None => {
                return Err(data_error(
                    path,
                    Some(*line),
                    format!(
                        "the record {d}:{} is not in the linking state; ids.csv was changed after the run that wrote it",
                        shown(k)
                    ),
                ));
            }
            Some(&i) if st.unified_id(i) != id => {
                return Err(data_error(
                    path,
                    Some(*line),
                    format!(
                        "unified ID {id} here, {} in the linking state; ids.csv was changed after the run that wrote it",
                        st.unified_id(i)
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    if rows.len() != st.len() {
        return Err(data_error(
            path,
            None,
            format!(
                "{} records, but its linking state has {}; ids.csv was cut or changed after the run that wrote it",
                rows.len(),
                st.len()
            ),
        ));
    }
    Ok(())
}

fn state_index(st: &State) -> HashMap<(&str, &str), usize> {
    (0..st.len())
        .map(|i| ((st.dataset_name(i), st.key(i)), i))
        .collect()
}

pub(super) fn load_state(opts: &DedupeOptions, previous: &Path) -> Result<(Key, State)> {
    let key = Key::load(opts.key_file.as_deref())?;
    let st = state::read(&state::path_beside(previous), &key)?;
    check_ids(previous, &st)?;
    Ok((key, st))
}

/// Refuse matching settings that differ from the state's; `advice` ends the message.
pub(super) fn same_settings(st: &State, plan: &Plan, previous: &Path, advice: &str) -> Result<()> {
    let diff = st.plan.differences(&plan_text(plan));
    if diff.is_empty() {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "the rule files' duplicates.fuzzy differs from the one {} was linked with ({}); {advice}",
        previous.display(),
        diff.join("; ")
    )))
}

/// The model of the state, with term frequencies counted on `records`.
pub(super) fn stored_model(st: &State, plan: &Plan, records: &Records) -> model::Model {
    let mut m = st.model.clone();
    for (f, fm) in m.fields.iter_mut().enumerate() {
        fm.tf = plan.tf[f].then(|| model::term_frequencies(records, f));
    }
    m
}

/// Link the inputs (a delta) into the clusters of `--previous`.
pub(super) async fn link(opts: &DedupeOptions) -> Result<(DedupeReport, Option<Explain>)> {
    let started = Instant::now();
    let started_at = chrono::Utc::now();
    let previous = opts.previous.as_deref().unwrap_or(Path::new(""));
    let (key, st) = load_state(opts, previous)?;
    let rules = crate::rules::load(&opts.rules)?;
    let mut inputs = source::expand(&opts.data, &opts.source)?;
    let assigned = crate::rules::assign(&rules, &mut inputs)?;
    // The golden values are kept while the state has them.
    let golden = if opts.golden.is_some() || !st.extra_names.is_empty() {
        Golden::Write
    } else {
        Golden::Keep
    };
    let mut plan = super::settings::plan(
        &assigned,
        inputs.len(),
        LinkMode::parse(&st.plan.mode),
        golden,
    )?;
    plan.adopt_blocking(&st.plan.blocking);
    if !opts.retrain {
        same_settings(
            &st,
            &plan,
            previous,
            "link with the same settings, or pass --retrain to train a new model on all records (unified IDs are kept where the clusters allow)",
        )?;
    }
    let removed = match &opts.removed {
        Some(path) => read_removed(path, &st)?,
        None => vec![false; st.len()],
    };
    let delta = super::settings::read(&inputs, &assigned, &plan, &opts.source).await?;
    for i in 1..delta.len() {
        if delta.dataset_name(i) == delta.dataset_name(i - 1) && delta.key(i) == delta.key(i - 1) {
            return Err(Error::Usage(format!(
                "{}: the key {} is on more than one row; linking with --previous keeps one unified ID per (dataset, key), so give the dataset a unique key",
                delta.dataset_name(i),
                shown(delta.key(i))
            )));
        }
    }

    // The records of this run: the earlier ones not removed or replaced, then the
    // delta's new and changed ones.
    let index = state_index(&st);
    let mut replaced = vec![false; st.len()];
    let mut combined = Records::empty(&plan.kinds, plan.extras.len());
    let emap = st.extra_map(&plan.extras);
    // Records whose compared values are unchanged but whose golden values are not.
    let mut updated: HashMap<usize, Vec<Option<String>>> = HashMap::new();
    let mut fresh_keys: HashSet<(String, String)> = HashSet::new();
    let (mut added, mut changed, mut unchanged) = (0u64, 0u64, 0u64);
    for d in 0..delta.len() {
        let at = index.get(&(delta.dataset_name(d), delta.key(d))).copied();
        if let Some(o) = at
            && !removed[o]
        {
            let same = (0..st.norm.len()).all(|f| st.norm[f].get(o) == delta.norm[f].get(d));
            if same {
                unchanged += 1;
                let extras = delta.extras(d);
                if extras != st.extras(o, &emap) {
                    updated.insert(o, extras.iter().map(|v| v.map(str::to_string)).collect());
                }
                continue;
            }
            replaced[o] = true;
            changed += 1;
        } else {
            added += 1;
        }
        let ds = combined.dataset_index(delta.dataset_name(d))?;
        combined.push_normalised(ds, delta.key(d), &delta.values(d), &delta.extras(d))?;
        fresh_keys.insert((delta.dataset_name(d).to_string(), delta.key(d).to_string()));
    }
    drop(delta);
    for o in 0..st.len() {
        if !removed[o] && !replaced[o] {
            match updated.get(&o) {
                Some(v) => {
                    let v: Vec<Option<&str>> = v.iter().map(|x| x.as_deref()).collect();
                    st.push_into(o, &mut combined, &v)?;
                }
                None => st.push_into(o, &mut combined, &st.extras(o, &emap))?,
            }
        }
    }
    combined.canonicalize()?;
    let n = combined.len();
    let mut fresh = vec![false; n];
    let mut old_id: Vec<Option<u32>> = vec![None; n];
    let mut combined_of: Vec<Option<u32>> = vec![None; st.len()];
    for c in 0..n {
        let (d, k) = (combined.dataset_name(c), combined.key(c));
        fresh[c] = fresh_keys.contains(&(d.to_string(), k.to_string()));
        if let Some(&o) = index.get(&(d, k))
            && !removed[o]
        {
            old_id[c] = Some(st.id_of[o]);
            if !fresh[c] {
                combined_of[o] = Some(c as u32);
            }
        }
    }
    drop(fresh_keys);

    // Pairs: the kept ones of the earlier run and the fresh records' new ones.
    let blocks = Blocks::new(&combined, plan.rules.clone(), plan.mode, plan.max_block);
    let (m, candidates, new_pairs) = if opts.retrain {
        let m = model::train(
            &combined,
            &blocks,
            &plan.fields,
            &plan.tf,
            plan.mode,
            super::U_SAMPLES,
        );
        let all = vec![true; n];
        let (c, p) = score(&blocks, &combined, &m, &plan, &all);
        (m, c, p)
    } else {
        let m = stored_model(&st, &plan, &combined);
        let (c, p) = score(&blocks, &combined, &m, &plan, &fresh);
        (m, c, p)
    };
    let mut pairs: Vec<(u32, u32, f64, model::Pattern)> = new_pairs;
    let mut broken: HashMap<u32, Evidence> = HashMap::new();
    if !opts.retrain {
        for &(i, j, p) in &st.edges {
            match (combined_of[i as usize], combined_of[j as usize]) {
                (Some(a), Some(b)) => {
                    let (a, b) = if a < b { (a, b) } else { (b, a) };
                    pairs.push((a, b, p, model::pattern(&combined, a as usize, b as usize)));
                }
                _ => {
                    let x = st.id_of[i as usize];
                    let gone = if combined_of[i as usize].is_none() {
                        i
                    } else {
                        j
                    } as usize;
                    let why = if removed[gone] { "removed" } else { "changed" };
                    let ev = Evidence {
                        a: (
                            st.dataset_name(i as usize).into(),
                            st.key(i as usize).into(),
                        ),
                        b: (
                            st.dataset_name(j as usize).into(),
                            st.key(j as usize).into(),
                        ),
                        probability: p,
                        reason: format!(
                            "this pair matched before; {}:{} was {why}",
                            st.dataset_name(gone),
                            st.key(gone)
                        ),
                    };
                    let e = broken.entry(x).or_insert_with(|| ev.clone());
                    if p > e.probability {
                        *e = ev;
                    }
                }
            }
        }
    }
    pairs.sort_by_key(|&(i, j, _, _)| (i, j));
    pairs.dedup_by_key(|&mut (i, j, _, _)| (i, j));
    let smallest = super::cluster::components(n, pairs.iter().map(|&(i, j, _, _)| (i, j)));
    let mut sizes = vec![0u64; st.ids.len()];
    for &x in &st.id_of {
        sizes[x as usize] += 1;
    }
    let name = |i: usize| {
        (
            combined.dataset_name(i).to_string(),
            combined.key(i).to_string(),
        )
    };
    let edges: Vec<(u32, u32, f64)> = pairs.iter().map(|&(i, j, p, _)| (i, j, p)).collect();
    let run = st.runs + 1;
    let a = stable::assign(
        &smallest,
        &old_id,
        &stable::Earlier {
            ids: &st.ids,
            sizes: &sizes,
            broken: &broken,
        },
        run,
        &name,
        &edges,
    );

    if let Some(path) = &opts.pairs {
        output::write_pairs(path, &combined, &plan.fields, &pairs)?;
    }
    if let Some(path) = &opts.changes {
        output::write_changes(path, &a.changes)?;
    }
    let count = |k: ChangeKind| a.changes.iter().filter(|c| c.kind == k).count() as u64;
    let kept_ids: HashSet<&str> = st.ids.iter().map(|(s, _)| s.as_str()).collect();
    let incremental = Incremental {
        previous: previous.display().to_string(),
        run,
        retrained: opts.retrain,
        previous_records: st.len() as u64,
        previous_clusters: st.ids.len() as u64,
        added,
        changed,
        unchanged,
        removed: removed.iter().filter(|&&r| r).count() as u64,
        ids_kept: a
            .ids
            .iter()
            .filter(|(s, _)| kept_ids.contains(s.as_str()))
            .count() as u64,
        created: count(ChangeKind::Created),
        merged: count(ChangeKind::Merged),
        split: count(ChangeKind::Split),
        retired: count(ChangeKind::Retired),
    };
    drop(kept_ids);
    let explain = match &opts.explain {
        Some((x, y)) => Some(super::explain::explain(&combined, &m, &plan, x, y)?),
        None => None,
    };
    let mut report = super::build_report(
        &inputs,
        &rules.sha256,
        started,
        started_at,
        &Outcome {
            plan: &plan,
            records: &combined,
            model: &m,
            candidates,
            matched: pairs.len() as u64,
            smallest: &smallest,
            oversized: blocks.oversized.clone(),
        },
    )
    .await?;
    report.incremental = Some(incremental);
    if let Some(path) = &opts.golden {
        super::golden::write(path, &combined, &plan.golden, &a.ids, &a.id_of)?;
    }
    if let Some(path) = &opts.clusters {
        output::write_clusters(path, &combined, &a.ids, &a.id_of)?;
        let next = state_of(&plan, &m, &combined, a.ids, a.id_of, edges, run);
        state::write(&state::path_beside(path), &next, &key)?;
    }
    Ok((report, explain))
}

/// Score the candidate pairs touching `fresh` records; keep those at or above the
/// threshold.
fn score(
    blocks: &Blocks,
    records: &Records,
    m: &model::Model,
    plan: &Plan,
    fresh: &[bool],
) -> (u64, Vec<(u32, u32, f64, model::Pattern)>) {
    blocks.fold_touching(
        records,
        fresh,
        true,
        || (0u64, Vec::new()),
        |(n, out), _, i, j| {
            *n += 1;
            let p = model::pattern(records, i, j);
            let prob = model::probability(m.weight(p, i));
            if prob >= plan.threshold {
                out.push((i as u32, j as u32, prob, p));
            }
        },
        |(a, mut x), (b, y)| {
            x.extend(y);
            (a + b, x)
        },
    )
}

/// `--removed`: per earlier record, whether it is removed.
fn read_removed(path: &Path, st: &State) -> Result<Vec<bool>> {
    let index = state_index(st);
    let mut removed = vec![false; st.len()];
    for (line, f) in read_pairs(path, &["dataset", "key"])? {
        match index.get(&(f[0].as_str(), f[1].as_str())) {
            Some(&i) => removed[i] = true,
            None => {
                return Err(data_error(
                    path,
                    Some(line),
                    format!(
                        "the record {}:{} is not in the earlier run, so it cannot be removed",
                        f[0],
                        shown(&f[1])
                    ),
                ));
            }
        }
    }
    Ok(removed)
}
