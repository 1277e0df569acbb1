//! Validation of `duplicates.fuzzy` (fields, comparison kinds, blocking rules, link mode).

use super::*;

/// `<what> '<value>'; expected one of <names>`, with a did-you-mean help.
fn unknown<T>(cx: &mut Ctx<'_>, at: &Spanned<T>, what: &str, value: &str, names: &[&str]) {
    let help = did_you_mean(value, names.iter().copied());
    cx.error(
        at,
        format!("{what} '{value}'; expected one of {}", names.join(", ")),
        help,
    );
}

/// Validate `duplicates.fuzzy`, gathering every problem.
pub(super) fn fuzzy_spec(cx: &mut Ctx<'_>, raw: &Spanned<raw::RawFuzzy>) -> FuzzySpec {
    let f = &raw.value;
    if f.compare.is_empty() {
        cx.error(
            raw,
            "fuzzy.compare is empty; expected the columns to compare",
            None,
        );
    }
    let names: Vec<&str> = f.compare.iter().map(|c| c.value.as_str()).collect();
    let mut fields: Vec<FuzzyField> = Vec::new();
    for c in &f.compare {
        if fields.iter().any(|x| x.field == c.value) {
            cx.error(c, format!("field '{}' is compared twice", c.value), None);
            continue;
        }
        fields.push(FuzzyField {
            field: c.value.clone(),
            column: c.value.clone(),
            kind: None,
            term_frequency: false,
            origin: cx.origin(c),
        });
    }
    for (name, opts) in &f.fields {
        let Some(field) = fields.iter_mut().find(|x| &x.field == name) else {
            let help = did_you_mean(name, names.iter().copied());
            cx.error(
                opts,
                format!("fields.{name}: '{name}' is not listed in fuzzy.compare"),
                help,
            );
            continue;
        };
        if let Some(col) = &opts.value.column {
            field.column = col.value.clone();
        }
        if let Some(kind) = &opts.value.kind {
            field.kind = CompareKind::parse(&kind.value);
            if field.kind.is_none() {
                unknown(
                    cx,
                    kind,
                    "unknown comparison kind",
                    &kind.value,
                    &KINDS.map(|k| k.name()),
                );
            }
        }
        field.term_frequency = opts.value.term_frequency.unwrap_or(false);
    }
    let blocking = f.blocking.as_ref().map(|rules| {
        if rules.value.is_empty() {
            cx.error(
                rules,
                "blocking is empty; expected a list of rules such as [[mobile], [name.pinyin, birth_date.year]]",
                None,
            );
        }
        let mut out = Vec::new();
        for rule in &rules.value {
            if rule.is_empty() {
                cx.error(rules, "a blocking rule is empty; expected field names", None);
                continue;
            }
            let mut keys = Vec::new();
            for part in rule {
                let (field, transform) = match part.value.split_once('.') {
                    Some((f, t)) => (f, Some(t)),
                    None => (part.value.as_str(), None),
                };
                if !names.contains(&field) {
                    let help = did_you_mean(field, names.iter().copied());
                    cx.error(
                        part,
                        format!("blocking on '{field}', which is not listed in fuzzy.compare"),
                        help,
                    );
                    continue;
                }
                let transform = match transform {
                    None => Transform::Value,
                    Some(t) => match Transform::parse(t) {
                        Some(t) => t,
                        None => {
                            let names = TRANSFORMS.map(|t| t.name());
                            unknown(cx, part, "unknown blocking transform", t, &names);
                            continue;
                        }
                    },
                };
                keys.push(BlockingKey {
                    field: field.to_string(),
                    transform,
                    origin: cx.origin(part),
                });
            }
            out.push(keys);
        }
        out
    });
    if let Some(t) = &f.threshold
        && !(0.0..=1.0).contains(&t.value)
    {
        cx.error(t, "threshold must be a probability from 0 to 1", None);
    }
    let mode = f.mode.as_ref().and_then(|m| {
        let mode = LinkMode::parse(&m.value);
        if mode.is_none() {
            unknown(cx, m, "unknown mode", &m.value, &LinkMode::NAMES);
        }
        mode
    });
    if let Some(b) = &f.max_block
        && b.value < 2
    {
        cx.error(b, "max_block must be at least 2 records", None);
    }
    let golden = golden(cx, &f.golden);
    FuzzySpec {
        golden,
        fields,
        blocking,
        threshold: f.threshold.as_ref().map(|t| t.value),
        mode,
        max_block: f.max_block.as_ref().map(|b| b.value as usize),
        origin: cx.origin(raw),
    }
}

/// Validate `duplicates.fuzzy.golden`.
fn golden(
    cx: &mut Ctx<'_>,
    raw: &indexmap::IndexMap<String, Spanned<raw::RawGolden>>,
) -> Vec<GoldenField> {
    let mut out = Vec::new();
    for (field, spec) in raw {
        let (rule, column, by, order) = match &spec.value {
            raw::RawGolden::Rule(r) => (r.as_str(), None, None, None),
            raw::RawGolden::Full(g) => (
                g.rule.as_str(),
                g.column.clone(),
                g.by.clone(),
                g.order.clone(),
            ),
        };
        let Some(parsed) = Survivorship::parse(rule) else {
            let what = format!("golden.{field}: unknown survivorship rule");
            unknown(cx, spec, &what, rule, &SURVIVORSHIP.map(|r| r.name()));
            continue;
        };
        if parsed == Survivorship::MostRecent && by.is_none() {
            cx.error(
                spec,
                format!(
                    "golden.{field}: most_recent needs `by`, the timestamp column that says which record is newest, e.g. {{ rule: most_recent, by: updated_at }}"
                ),
                None,
            );
        }
        let order = order.unwrap_or_default();
        if parsed == Survivorship::SourcePriority && order.is_empty() {
            cx.error(
                spec,
                format!(
                    "golden.{field}: source_priority needs `order`, the datasets most trusted first, e.g. {{ rule: source_priority, order: [crm, members] }}"
                ),
                None,
            );
        }
        if parsed != Survivorship::SourcePriority && !order.is_empty() {
            cx.error(
                spec,
                format!("golden.{field}: `order` is used by source_priority only"),
                None,
            );
        }
        out.push(GoldenField {
            field: field.clone(),
            rule: parsed,
            column,
            by,
            order,
            origin: cx.origin(spec),
        });
    }
    out
}
