//! Column shorthands and named (SQL, reference) checks of one rule file into [`CheckSpec`]s.

use super::*;

pub(super) fn column_checks(
    cx: &mut Ctx<'_>,
    name: &str,
    col: &Spanned<RawColumn>,
    out: &mut Vec<CheckSpec>,
) {
    let origin = cx.origin(col);
    let c = &col.value;
    let severity = cx.severity(&c.severity);
    let weight = cx.weight(&c.weight);
    let min_pass_rate = cx.rate(&c.min_pass_rate);
    let mut push = |kind: CheckKind, dimension: Dimension, description: String, origin: Origin| {
        out.push(CheckSpec {
            id: CheckId::Shorthand(format!("{name}.{}", kind.name())),
            dimension,
            severity,
            weight,
            min_pass_rate,
            column: Some(name.to_string()),
            description,
            kind,
            origin,
        });
    };
    let mut any = c.type_.is_some();
    if c.required == Some(true) {
        any = true;
        push(
            CheckKind::Required,
            Dimension::Completeness,
            format!("{name} is present (not null, empty or blank)"),
            origin.clone(),
        );
    }
    if c.unique == Some(true) {
        any = true;
        push(
            CheckKind::Unique,
            Dimension::Uniqueness,
            format!("{name} values are unique"),
            origin.clone(),
        );
    }
    if let Some(f) = &c.format {
        any = true;
        match format::lookup(&f.value) {
            Some(info) => push(
                CheckKind::Format(info),
                Dimension::Validity,
                format!("{name} is a valid {}", info.id),
                cx.origin(f),
            ),
            None => {
                let help = did_you_mean(&f.value, format::FORMATS.iter().map(|f| f.id));
                cx.error(
                    f,
                    format!(
                        "unknown format '{}'; expected one of {}",
                        f.value,
                        format::FORMATS
                            .iter()
                            .map(|f| f.id)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    help,
                );
            }
        }
    }
    if let Some(a) = &c.allowed {
        any = true;
        if a.value.is_empty() {
            cx.error(a, "allowed is empty; expected a list of values", None);
        } else {
            let values: Vec<String> = a
                .value
                .iter()
                .map(|v| v.to_text().trim().to_string())
                .collect();
            push(
                CheckKind::Allowed(values),
                Dimension::Validity,
                format!("{name} is one of the allowed values"),
                cx.origin(a),
            );
        }
    }
    for (bound, is_min) in [(&c.min, true), (&c.max, false)] {
        let Some(b) = bound else { continue };
        any = true;
        match parse_bound(&b.value) {
            Some(parsed) => {
                let (kind, word) = if is_min {
                    (CheckKind::Min(parsed), "at least")
                } else {
                    (CheckKind::Max(parsed), "at most")
                };
                push(
                    kind,
                    Dimension::Validity,
                    format!("{name} is {word} {}", b.value.to_text()),
                    cx.origin(b),
                );
            }
            None => cx.error(
                b,
                format!(
                    "{} '{}' is neither a number nor a date; expected e.g. 0, 1.5 or 1900-01-01",
                    if is_min { "min" } else { "max" },
                    b.value.to_text()
                ),
                None,
            ),
        }
    }
    if let (Some(Bound::Number(_)), Some(Bound::Date(_) | Bound::DateTime(_)))
    | (Some(Bound::Date(_) | Bound::DateTime(_)), Some(Bound::Number(_))) = (
        c.min.as_ref().and_then(|b| parse_bound(&b.value)),
        c.max.as_ref().and_then(|b| parse_bound(&b.value)),
    ) {
        cx.error(
            col,
            format!("{name}: min and max must both be numbers or both dates"),
            None,
        );
    }
    if let Some(p) = &c.pattern {
        any = true;
        match regex::RegexBuilder::new(&p.value)
            .size_limit(1 << 20)
            .build()
        {
            Ok(_) => push(
                CheckKind::Pattern(p.value.clone()),
                Dimension::Validity,
                format!("{name} matches /{}/", p.value),
                cx.origin(p),
            ),
            Err(e) => {
                let detail = e
                    .to_string()
                    .lines()
                    .last()
                    .unwrap_or("invalid")
                    .trim()
                    .to_string();
                cx.error(
                    p,
                    format!("pattern is not a valid regular expression: {detail}"),
                    None,
                );
            }
        }
    }
    if let Some(f) = &c.fresh_within {
        any = true;
        match parse_duration(&f.value) {
            Some(d) => push(
                CheckKind::FreshWithin(d),
                Dimension::Timeliness,
                format!("{name} is within {} of the as-of date", f.value),
                cx.origin(f),
            ),
            None => cx.error(
                f,
                format!("fresh_within '{}' is not a duration; expected a number and a unit such as 365d, 12w, 2y or 48h", f.value),
                None,
            ),
        }
    }
    if c.not_future == Some(true) {
        any = true;
        push(
            CheckKind::NotFuture,
            Dimension::Timeliness,
            format!("{name} is not after the as-of date"),
            origin.clone(),
        );
    }
    if !any {
        cx.error(
            col,
            format!("column '{name}' declares no check; expected at least one of type, required, unique, format, allowed, min, max, pattern, fresh_within, not_future"),
            None,
        );
    }
}

/// A `checks:` entry. Returns the dataset it targets when that is not the file's own.
pub(super) fn named_check(
    cx: &mut Ctx<'_>,
    check: &Spanned<RawCheck>,
) -> Option<(Option<String>, CheckSpec)> {
    let c = &check.value;
    let id = c.id.value.trim().to_string();
    if id.is_empty() {
        cx.error(&c.id, "check id is empty", None);
    }
    let dimension = match &c.dimension {
        Some(d) => cx.dimension(d)?,
        None if c.reference.is_some() => Dimension::Consistency,
        None => Dimension::Validity,
    };
    let severity = cx.severity(&c.severity);
    let weight = cx.weight(&c.weight);
    let min_pass_rate = cx.rate(&c.min_pass_rate);
    let origin = cx.origin(&c.id);
    let (target, kind, column) = match (&c.expect, &c.reference) {
        (Some(expect), None) => {
            if expect.value.trim().is_empty() {
                cx.error(
                    expect,
                    "expect is empty; expected a boolean SQL expression",
                    None,
                );
            }
            let where_ = c.where_.as_ref().map(|w| Located {
                text: w.value.clone(),
                origin: cx.origin(w),
            });
            let expect = Located {
                text: expect.value.clone(),
                origin: cx.origin(expect),
            };
            (None, CheckKind::Sql { where_, expect }, None)
        }
        (None, Some(r)) => {
            if let Some(w) = &c.where_ {
                cx.error(w, "a reference check takes no `where`", None);
            }
            let r = &r.value;
            let Some((t_ds, t_col)) = r.in_.value.split_once('.') else {
                cx.error(
                    &r.in_,
                    format!("reference `in: {}` must name dataset.column", r.in_.value),
                    Some("e.g. in: customers.customer_id".into()),
                );
                return None;
            };
            (
                Some(r.dataset.value.clone()),
                CheckKind::Reference {
                    column: r.column.value.clone(),
                    target_dataset: t_ds.to_string(),
                    target_column: t_col.to_string(),
                },
                Some(r.column.value.clone()),
            )
        }
        (Some(e), Some(_)) => {
            cx.error(
                e,
                "a check has either `expect` or `reference`, not both",
                None,
            );
            return None;
        }
        (None, None) => {
            cx.error(
                &c.id,
                format!("check '{id}' has neither `expect` (a SQL expression) nor `reference`"),
                None,
            );
            return None;
        }
    };
    let description = c.description.clone().unwrap_or_else(|| match &kind {
        CheckKind::Sql { expect, .. } => expect.text.clone(),
        CheckKind::Reference {
            column,
            target_dataset,
            target_column,
        } => format!("every {column} occurs in {target_dataset}.{target_column}"),
        _ => String::new(),
    });
    Some((
        target,
        CheckSpec {
            id: CheckId::Named(id),
            dimension,
            severity,
            weight,
            min_pass_rate,
            column,
            description,
            kind,
            origin,
        },
    ))
}
