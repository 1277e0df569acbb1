//! Which rule set describes which input: the assignment of a run's rule files to its
//! inputs, shared by `scan`, `dedupe` and `report`.

use crate::error::{Error, Result};
use crate::source::Input;

use super::{DatasetRules, RuleSet};

/// Match rule sets to inputs. A single input takes the name of the one dataset the rule
/// files describe; rule sets for datasets that are not inputs are skipped with a warning.
pub(crate) fn assign(rules: &RuleSet, inputs: &mut [Input]) -> Result<Vec<Option<DatasetRules>>> {
    let named: Vec<&str> = {
        let mut n: Vec<&str> = rules
            .datasets
            .iter()
            .filter_map(|d| d.name.as_deref())
            .collect();
        n.dedup();
        n
    };
    if inputs.len() == 1 && named.len() == 1 && inputs[0].name != named[0] {
        inputs[0].name = named[0].to_string();
    }
    if inputs.len() > 1
        && let Some(unnamed) = rules.datasets.iter().find(|d| d.name.is_none())
    {
        return Err(Error::Usage(format!(
            "{}: the rule file names no `dataset:`, but this run has {} inputs; add `dataset: <name>` (inputs: {})",
            unnamed
                .files
                .first()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            inputs.len(),
            inputs
                .iter()
                .map(|i| i.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    for ds in &rules.datasets {
        if let Some(name) = &ds.name
            && !inputs.iter().any(|i| &i.name == name)
        {
            eprintln!(
                "warning: rules for dataset '{name}' ({}) skipped: no input of that name",
                ds.files
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    if !rules.datasets.is_empty()
        && inputs.iter().all(|i| {
            !rules
                .datasets
                .iter()
                .any(|d| d.name.as_deref().is_none_or(|n| n == i.name))
        })
    {
        return Err(Error::Usage(format!(
            "no rule file applies to the inputs ({}); rule files describe: {}",
            inputs
                .iter()
                .map(|i| i.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            named.join(", ")
        )));
    }
    Ok(inputs
        .iter()
        .map(|i| {
            rules
                .datasets
                .iter()
                .find(|d| d.name.as_deref().is_none_or(|n| n == i.name))
                .cloned()
        })
        .collect())
}
