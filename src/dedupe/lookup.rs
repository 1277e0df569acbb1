//! `steward dedupe --previous ids.csv --lookup FILE`: which unified ID of an earlier
//! run each record of FILE would join, with the best match, its probability and the
//! explain waterfall, without writing anything. The records are blocked and scored
//! against the linking state's records with its stored model.

use super::DedupeOptions;
use super::LinkMode;
use super::block::Blocks;
use super::incremental::{load_state, same_settings, stored_model};
use super::model;
use super::records::Records;
use super::settings::Golden;
use crate::error::{Error, Result};
use crate::report::dedupe::{Lookup, LookupResult};
use crate::source;

/// Where each record of the inputs would belong, without writing anything.
pub async fn lookup(opts: &DedupeOptions) -> Result<Lookup> {
    let previous = opts.previous.as_deref().ok_or_else(|| {
        Error::Usage("--lookup needs --previous: the clusters file to look records up in".into())
    })?;
    let (_key, st) = load_state(opts, previous)?;
    let rules = crate::rules::load(&opts.rules)?;
    let mut inputs = source::expand(&opts.data, &opts.source)?;
    let assigned = crate::rules::assign(&rules, &mut inputs)?;
    let mut plan = super::settings::plan(
        &assigned,
        inputs.len(),
        LinkMode::parse(&st.plan.mode),
        Golden::Skip,
    )?;
    plan.adopt_blocking(&st.plan.blocking);
    same_settings(&st, &plan, previous, "look up with the same settings")?;
    let probe = super::settings::read(&inputs, &assigned, &plan, &opts.source).await?;
    // The earlier records in their order, then the looked-up ones (not sorted in, so
    // their indices are known); any dataset may match any other.
    let mut combined = Records::empty(&plan.kinds, 0);
    for o in 0..st.len() {
        st.push_into(o, &mut combined, &[])?;
    }
    let base = combined.len();
    let mut names = Vec::new();
    for p in 0..probe.len() {
        // A dataset of its own, so a probe is never mistaken for the earlier record
        // with the same key.
        let ds = combined.dataset_index(&format!("{}\u{0}lookup", probe.dataset_name(p)))?;
        combined.push_normalised(ds, probe.key(p), &probe.values(p), &[])?;
        names.push(format!("{}:{}", probe.dataset_name(p), probe.key(p)));
    }
    let fresh: Vec<bool> = (0..combined.len()).map(|i| i >= base).collect();
    let blocks = Blocks::new(
        &combined,
        plan.rules.clone(),
        LinkMode::LinkAndDedupe,
        plan.max_block,
    );
    let m = stored_model(&st, &plan, &combined);
    // Per probe: candidates and best (probability, earlier record).
    let best: Vec<(u64, Option<(f64, u32)>)> = blocks.fold_touching(
        &combined,
        &fresh,
        false,
        || vec![(0u64, None::<(f64, u32)>); probe.len()],
        |acc, _, i, j| {
            // The earlier record has the smaller index.
            let (old, p) = (i, j - base);
            let pat = model::pattern(&combined, old, j);
            let prob = model::probability(m.weight(pat, old));
            let e = &mut acc[p];
            e.0 += 1;
            let better = match e.1 {
                None => true,
                Some((bp, bo)) => prob > bp || (prob == bp && (old as u32) < bo),
            };
            if better {
                e.1 = Some((prob, old as u32));
            }
        },
        |mut a, b| {
            for (x, y) in a.iter_mut().zip(b) {
                x.0 += y.0;
                x.1 = match (x.1, y.1) {
                    (Some(p), Some(q)) => Some(if q.0 > p.0 || (q.0 == p.0 && q.1 < p.1) {
                        q
                    } else {
                        p
                    }),
                    (p, q) => p.or(q),
                };
            }
            a
        },
    );
    let mut records = Vec::with_capacity(probe.len());
    for (p, (candidates, hit)) in best.into_iter().enumerate() {
        let (unified, best_match, probability, explain) = match hit {
            Some((prob, o)) => {
                let o = o as usize;
                let id = (prob >= plan.threshold).then(|| st.unified_id(o).to_string());
                let e = super::explain::explain_pair(&combined, &m, &plan, o, base + p);
                let mut e = e;
                e.b = names[p].clone();
                (
                    id,
                    Some(format!("{}:{}", st.dataset_name(o), st.key(o))),
                    Some(prob),
                    Some(e),
                )
            }
            None => (None, None, None, None),
        };
        records.push(LookupResult {
            record: names[p].clone(),
            candidates,
            unified_id: unified,
            best_match,
            probability,
            explain,
        });
    }
    Ok(Lookup {
        schema_version: 1,
        previous: previous.display().to_string(),
        threshold: plan.threshold,
        records,
    })
}
