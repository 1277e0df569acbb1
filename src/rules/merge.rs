//! Merging validated files per dataset, with clashes reported at both declarations.

use super::*;

/// Where each dataset's weights were declared, for clash messages.
pub(super) type Origins = BTreeMap<Dimension, Origin>;
/// Where each dataset's gate minimums were declared, for clash messages.
pub(super) type GateOrigins = BTreeMap<String, Origin>;

/// Merge validated files per dataset name, reporting clashes with both places.
pub(super) fn merge(files: Vec<ParsedFile>, diags: &mut Vec<RuleDiagnostic>) -> Vec<DatasetRules> {
    let mut merged: Vec<(DatasetRules, Origins, GateOrigins)> = Vec::new();
    let mut foreign_all = Vec::new();
    for file in files {
        let name = file.dataset.as_ref().map(|d| d.0.clone());
        foreign_all.extend(file.foreign);
        match merged.iter_mut().find(|(r, _, _)| r.name == name) {
            None => merged.push((file.rules, file.weight_origins, file.gate_origins)),
            Some((into, w_origins, g_origins)) => {
                let from = file.rules;
                into.files.extend(from.files);
                if !from.key.is_empty() {
                    if into.key.is_empty() {
                        into.key = from.key;
                        into.key_origin = from.key_origin;
                    } else if into.key != from.key {
                        clash(
                            diags,
                            from.key_origin.as_ref(),
                            into.key_origin.as_ref(),
                            "key",
                        );
                    }
                }
                if from.as_of.is_some() {
                    into.as_of = from.as_of;
                }
                into.checks.extend(from.checks);
                for (c, t) in from.types {
                    match into.types.get(&c) {
                        Some(first) if first.column_type != t.column_type => clash(
                            diags,
                            Some(&t.origin),
                            Some(&first.origin),
                            &format!("type of column '{c}'"),
                        ),
                        Some(_) => {}
                        None => {
                            into.types.insert(c, t);
                        }
                    }
                }
                for (d, w) in from.weights {
                    if into.weights.insert(d, w).is_some() {
                        clash(
                            diags,
                            file.weight_origins.get(&d),
                            w_origins.get(&d),
                            &format!("weight for {d}"),
                        );
                    }
                }
                if let Some(m) = from.gate.min_overall
                    && into.gate.min_overall.replace(m).is_some()
                {
                    clash(
                        diags,
                        file.gate_origins.get("min_overall"),
                        g_origins.get("min_overall"),
                        "gate min_overall",
                    );
                }
                for (d, m) in from.gate.min {
                    if into.gate.min.insert(d, m).is_some() {
                        clash(
                            diags,
                            file.gate_origins.get(d.as_str()),
                            g_origins.get(d.as_str()),
                            &format!("gate minimum for {d}"),
                        );
                    }
                }
                if from.fuzzy.is_some() {
                    into.fuzzy = from.fuzzy;
                }
                if let Some(m) = from.gate.max_drop
                    && into.gate.max_drop.replace(m).is_some()
                {
                    clash(
                        diags,
                        file.gate_origins.get("max_drop"),
                        g_origins.get("max_drop"),
                        "gate max_drop",
                    );
                }
                into.anomalies.extend(from.anomalies);
                if let Some(s) = from.schema {
                    if let Some(first) = &into.schema {
                        clash(
                            diags,
                            s.origin.as_ref(),
                            first.origin.as_ref(),
                            "schema section",
                        );
                    } else {
                        into.schema = Some(s);
                    }
                }
                if let Some(c) = from.compliance {
                    if let Some(first) = &into.compliance {
                        clash(
                            diags,
                            c.origin.as_ref(),
                            first.origin.as_ref(),
                            "compliance section",
                        );
                    } else {
                        into.compliance = Some(c);
                    }
                }
            }
        }
    }
    for (ds, check) in foreign_all {
        match merged
            .iter_mut()
            .find(|(r, _, _)| r.name.as_deref() == Some(ds.as_str()))
        {
            Some((into, _, _)) => into.checks.push(check),
            None => merged.push((
                DatasetRules {
                    name: Some(ds),
                    files: vec![check.origin.path.clone()],
                    checks: vec![check],
                    ..Default::default()
                },
                BTreeMap::new(),
                BTreeMap::new(),
            )),
        }
    }
    let datasets: Vec<DatasetRules> = merged.into_iter().map(|(r, _, _)| r).collect();
    for ds in &datasets {
        let mut seen: BTreeMap<&CheckId, &Origin> = BTreeMap::new();
        for check in &ds.checks {
            if let Some(first) = seen.insert(&check.id, &check.origin) {
                let what = match &check.id {
                    CheckId::Shorthand(s) => format!("check '{s}'"),
                    CheckId::Named(s) => format!("check id '{s}'"),
                };
                diags.push(RuleDiagnostic {
                    origin: check.origin.clone(),
                    message: format!("{what} is declared twice; first declared at {first}"),
                    help: Some("check ids must be unique within a dataset".into()),
                });
            }
        }
    }
    datasets
}

pub(super) fn clash(
    diags: &mut Vec<RuleDiagnostic>,
    here: Option<&Origin>,
    first: Option<&Origin>,
    what: &str,
) {
    let Some(here) = here else { return };
    let first = first
        .map(|o| o.to_string())
        .unwrap_or_else(|| "another file".into());
    diags.push(RuleDiagnostic {
        origin: here.clone(),
        message: format!(
            "{what} is declared twice for the same dataset; first declared at {first}"
        ),
        help: None,
    });
}
