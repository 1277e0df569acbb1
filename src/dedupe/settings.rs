//! The comparison settings of a run ([`Plan`]), merged over the datasets' rule files
//! (`duplicates.fuzzy`): fields and their kinds, blocking rules, threshold, mode, block
//! limit and golden-record rules, and which column of each dataset holds each field.

use super::block::{self, Rule};
use super::compare::Kind;
use super::records::{self, DatasetColumns};
use super::{DEFAULT_MAX_BLOCK, DEFAULT_THRESHOLD, LinkMode, golden, model};
use crate::error::{Error, Origin, Result, RuleDiagnostic};
use crate::rules::{DatasetRules, FuzzySpec};
use crate::source;

/// The comparison settings of a run, merged over the datasets' rule files.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    pub(super) fields: Vec<String>,
    pub(super) kinds: Vec<Kind>,
    pub(super) tf: Vec<bool>,
    pub(super) rules: Vec<Rule>,
    pub(super) threshold: f64,
    pub(super) mode: LinkMode,
    pub(super) max_block: usize,
    /// Golden-record fields, and the extra columns they read (`value:<field>`,
    /// `by:<column>`), then the columns a headcount asks about (`flag:<column>`).
    pub(super) golden: Vec<golden::Rule>,
    pub(super) extras: Vec<String>,
    /// No `blocking:` in the rule files: the rules are derived from the data once it is
    /// read ([`Plan::derive_blocking`]); `rules` is every field alone until then.
    pub(super) derive: bool,
    /// How the derived rules were chosen (empty unless `derive`).
    pub(super) derived_blocking: Vec<block::BlockingEstimate>,
}

impl Plan {
    /// Derive the blocking rules from `records` when the rule files give none.
    pub(super) fn derive_blocking(&mut self, records: &super::records::Records) {
        if self.derive {
            let (rules, estimates) =
                block::derive(records, &self.fields, self.mode, self.max_block);
            self.rules = rules;
            self.derived_blocking = estimates;
        }
    }

    /// Take the blocking rules a linking state was built with, when the rule files give
    /// none: derived rules stay those of the first run, so later runs link the same way.
    pub(super) fn adopt_blocking(&mut self, texts: &[String]) {
        if !self.derive {
            return;
        }
        let part = |p: &str| -> Option<(usize, block::Transform)> {
            if let Some(f) = self.fields.iter().position(|x| x == p) {
                return Some((f, block::Transform::Value));
            }
            let (field, t) = p.rsplit_once('.')?;
            let f = self.fields.iter().position(|x| x == field)?;
            Some((f, block::Transform::parse(t)?))
        };
        let rules: Option<Vec<Rule>> = texts
            .iter()
            .map(|text| {
                Some(Rule {
                    parts: text.split(" + ").map(part).collect::<Option<Vec<_>>>()?,
                    text: text.clone(),
                })
            })
            .collect();
        // Rules that no longer parse (fields renamed) stay as they are: the settings
        // comparison then names the difference.
        if let Some(rules) = rules {
            self.rules = rules;
            self.derive = false;
        }
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
pub(super) fn plan(
    assigned: &[Option<DatasetRules>],
    inputs: usize,
    default_mode: Option<LinkMode>,
    golden: Golden,
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
    let derive = blocking.is_none();
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
    let (golden, extras) = golden_plan(&specs, &fields, golden, &mut diags);
    if !diags.is_empty() {
        return Err(Error::RuleFile(diags));
    }
    Ok(Plan {
        golden,
        extras,
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
        derive,
        derived_blocking: Vec::new(),
    })
}

/// Whether a run reads the golden-record columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Golden {
    /// `--golden`: write golden records (every compared field as `most_frequent` if no
    /// rule file has a `golden` section).
    Write,
    /// A linking state may be written: read the rule files' golden columns to keep them.
    Keep,
    /// Nothing writes or keeps golden values: read none.
    Skip,
}

/// The golden-record fields of a run: those of the rule files' `golden` sections
/// (the first to name a field sets its rule, which the others must share); with none
/// and [`Golden::Write`], every compared field as `most_frequent`. Also the extra
/// columns they read: `value:<field>` per field, `by:<column>` once per timestamp
/// column however many fields it orders.
fn golden_plan(
    specs: &[&FuzzySpec],
    fields: &[String],
    golden: Golden,
    diags: &mut Vec<RuleDiagnostic>,
) -> (Vec<golden::Rule>, Vec<String>) {
    let mut chosen: Vec<(&crate::rules::GoldenField, &Origin)> = Vec::new();
    for s in specs {
        for g in &s.golden {
            match chosen.iter().find(|(c, _)| c.field == g.field) {
                Some((c, at)) if (c.rule, &c.by, &c.order) != (g.rule, &g.by, &g.order) => {
                    diags.push(diag(
                        &g.origin,
                        format!(
                            "golden.{} differs from the one at {at}; datasets deduplicated together share it (only `column` may differ)",
                            g.field
                        ),
                    ))
                }
                Some(_) => {}
                None => chosen.push((g, &g.origin)),
            }
        }
    }
    let mut rules = Vec::new();
    let mut extras: Vec<String> = Vec::new();
    let mut slot = |name: String| match extras.iter().position(|x| *x == name) {
        Some(i) => i,
        None => {
            extras.push(name);
            extras.len() - 1
        }
    };
    match golden {
        Golden::Skip => {}
        Golden::Write if chosen.is_empty() => {
            for f in fields {
                rules.push(golden::Rule {
                    field: f.clone(),
                    rule: crate::rules::Survivorship::MostFrequent,
                    value: slot(format!("value:{f}")),
                    by: None,
                    order: Vec::new(),
                });
            }
        }
        Golden::Write | Golden::Keep => {
            for (g, _) in chosen {
                rules.push(golden::Rule {
                    field: g.field.clone(),
                    rule: g.rule,
                    value: slot(format!("value:{}", g.field)),
                    by: g.by.as_ref().map(|b| slot(format!("by:{b}"))),
                    order: g.order.clone(),
                });
            }
        }
    }
    (rules, extras)
}

/// Which column of this dataset holds each field: the rule file's mapping, else a
/// column of the field's name if the dataset has one. Likewise for the golden
/// record's values (its `column`, else the compared field's column) and timestamps
/// (required where this dataset's own `golden` section names them).
fn columns(input: source::Input, rules: Option<&DatasetRules>, plan: &Plan) -> DatasetColumns {
    let spec = rules.and_then(|r| r.fuzzy.as_ref());
    let mapped = |name: &str| spec.and_then(|s| s.fields.iter().find(|f| f.field == name));
    let own = |name: &str| spec.and_then(|s| s.golden.iter().find(|g| g.field == name));
    let extras = plan
        .extras
        .iter()
        .map(|name| {
            if let Some(column) = name.strip_prefix("flag:") {
                return records::FieldColumn::IfPresent(column.to_string());
            }
            if let Some(by) = name.strip_prefix("by:") {
                let named =
                    spec.is_some_and(|s| s.golden.iter().any(|g| g.by.as_deref() == Some(by)));
                return if named {
                    records::FieldColumn::Required(by.to_string())
                } else {
                    records::FieldColumn::IfPresent(by.to_string())
                };
            }
            let field = name.strip_prefix("value:").unwrap_or(name);
            match (own(field).and_then(|o| o.column.clone()), mapped(field)) {
                (Some(c), _) => records::FieldColumn::Required(c),
                (None, Some(f)) => records::FieldColumn::Required(f.column.clone()),
                (None, None) => records::FieldColumn::IfPresent(field.to_string()),
            }
        })
        .collect();
    let fields = plan
        .fields
        .iter()
        .map(|name| match mapped(name) {
            Some(f) => records::FieldColumn::Required(f.column.clone()),
            None => records::FieldColumn::IfPresent(name.clone()),
        })
        .collect();
    DatasetColumns {
        input,
        key: rules.map(|r| r.key.clone()).unwrap_or_default(),
        fields,
        extras,
    }
}

/// Read every input's key, compared fields and golden columns as `plan` says.
pub(super) async fn read(
    inputs: &[source::Input],
    assigned: &[Option<DatasetRules>],
    plan: &Plan,
    opts: &source::SourceOptions,
) -> Result<records::Records> {
    let sets: Vec<DatasetColumns> = inputs
        .iter()
        .zip(assigned)
        .map(|(input, r)| columns(input.clone(), r.as_ref(), plan))
        .collect();
    records::read(&sets, &plan.kinds, opts).await
}
