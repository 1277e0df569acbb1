//! `--explain KEY1 KEY2`: the waterfall of one pair's per-field weights, values masked.

use super::model;
use super::records::Records;
use super::settings::Plan;
use crate::error::{Error, Result};
use crate::report::dedupe::{Explain, ExplainTerm};

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

pub(super) fn explain(
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
pub(super) fn explain_pair(
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
