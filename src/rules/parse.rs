//! One rule file: parsing, the validation context that gathers every problem with its
//! `file:line:col`, and the file-level fields (dataset, key, types, weights, gate).

use super::*;

pub(super) fn diag(
    path: &Path,
    line: u64,
    col: u64,
    message: impl Into<String>,
    help: Option<String>,
) -> RuleDiagnostic {
    RuleDiagnostic {
        origin: Origin {
            path: path.to_path_buf(),
            line: line.max(1),
            col: col.max(1),
        },
        message: message.into(),
        help,
    }
}

/// A rule file after validation, before merging.
pub(super) struct ParsedFile {
    pub(super) dataset: Option<(String, Origin)>,
    pub(super) rules: DatasetRules,
    /// Reference checks route to their own dataset.
    pub(super) foreign: Vec<(String, CheckSpec)>,
    pub(super) weight_origins: BTreeMap<Dimension, Origin>,
    pub(super) gate_origins: BTreeMap<String, Origin>,
}

pub(super) struct Ctx<'a> {
    pub(super) path: &'a Path,
    pub(super) diags: Vec<RuleDiagnostic>,
}

impl Ctx<'_> {
    pub(super) fn origin<T>(&self, s: &Spanned<T>) -> Origin {
        Origin {
            path: self.path.to_path_buf(),
            line: s.referenced.line().max(1),
            col: s.referenced.column().max(1),
        }
    }

    pub(super) fn error<T>(
        &mut self,
        at: &Spanned<T>,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let origin = self.origin(at);
        self.diags.push(RuleDiagnostic {
            origin,
            message: message.into(),
            help,
        });
    }

    pub(super) fn dimension(&mut self, s: &Spanned<String>) -> Option<Dimension> {
        let d = Dimension::parse(&s.value);
        if d.is_none() {
            let help = did_you_mean(&s.value, DIMENSIONS);
            self.error(
                s,
                format!(
                    "unknown dimension '{}'; expected one of {}",
                    s.value,
                    DIMENSIONS.join(", ")
                ),
                help,
            );
        }
        d
    }

    pub(super) fn severity(&mut self, s: &Option<Spanned<String>>) -> Severity {
        let Some(s) = s else { return Severity::Error };
        match s.value.as_str() {
            "error" => Severity::Error,
            "warn" => Severity::Warn,
            "info" => Severity::Info,
            other => {
                let help = did_you_mean(other, SEVERITIES);
                self.error(
                    s,
                    format!("unknown severity '{other}'; expected error, warn or info"),
                    help,
                );
                Severity::Error
            }
        }
    }

    pub(super) fn weight(&mut self, w: &Option<Spanned<f64>>) -> f64 {
        match w {
            None => 1.0,
            Some(w) if w.value.is_finite() && w.value >= 0.0 => w.value,
            Some(w) => {
                self.error(
                    w,
                    format!("weight {} is not allowed; expected a number >= 0", w.value),
                    None,
                );
                1.0
            }
        }
    }

    pub(super) fn rate(&mut self, r: &Option<Spanned<f64>>) -> Option<f64> {
        let r = r.as_ref()?;
        if (0.0..=1.0).contains(&r.value) {
            Some(r.value)
        } else {
            self.error(
                r,
                format!(
                    "min_pass_rate {} is out of range; expected a fraction from 0 to 1",
                    r.value
                ),
                Some("write 0.99 for 99 %".into()),
            );
            None
        }
    }

    pub(super) fn score_min(&mut self, s: &Spanned<f64>, what: &str) -> f64 {
        if !(0.0..=100.0).contains(&s.value) {
            self.error(
                s,
                format!(
                    "{what} {} is out of range; expected a score from 0 to 100",
                    s.value
                ),
                None,
            );
        }
        s.value
    }
}

/// Read a serde-saphyr error as `file:line:col: message` with a suggestion when serde
/// names the expected alternatives.
pub(crate) fn yaml_error(path: &Path, err: &serde_saphyr::Error) -> RuleDiagnostic {
    let (line, col) = err
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((1, 1));
    let full = err.without_snippet().to_string();
    // The rendered text repeats the position; keep the message only.
    let message = full
        .lines()
        .next()
        .unwrap_or("invalid YAML")
        .trim()
        .to_string();
    let message = strip_position(&message);
    let help = unknown_name_hint(&message);
    diag(path, line, col, message, help)
}

pub(super) fn strip_position(message: &str) -> String {
    // serde-saphyr appends " at line N, column M"; the position is already in front.
    match message.rfind(" at line ") {
        Some(i) => message[..i].trim_end_matches(',').to_string(),
        None => message.to_string(),
    }
}

/// For serde's "unknown field `x`, expected one of a, b" messages (with or without
/// backticks around the alternatives).
pub(super) fn unknown_name_hint(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (name, expected) = rest.split_once('`')?;
    let list = expected
        .split_once("expected one of ")
        .map(|(_, l)| l)
        .unwrap_or(expected);
    let candidates: Vec<&str> = list
        .split(',')
        .map(|c| c.trim().trim_matches('`'))
        .filter(|c| !c.is_empty())
        .collect();
    did_you_mean(name, candidates)
}

pub(super) fn parse_file(
    path: &Path,
    text: &str,
) -> std::result::Result<ParsedFile, Vec<RuleDiagnostic>> {
    if text.trim().is_empty() {
        return Err(vec![diag(
            path,
            1,
            1,
            "rule file is empty; expected at least `version: 1`",
            None,
        )]);
    }
    let raw: RawRuleFile = serde_saphyr::from_str(text).map_err(|e| vec![yaml_error(path, &e)])?;
    let mut cx = Ctx {
        path,
        diags: Vec::new(),
    };
    let file = validate(&mut cx, raw);
    if cx.diags.is_empty() {
        Ok(file)
    } else {
        Err(cx.diags)
    }
}

pub(super) fn validate(cx: &mut Ctx<'_>, raw: RawRuleFile) -> ParsedFile {
    if raw.version.value != 1 {
        cx.error(
            &raw.version,
            format!(
                "unsupported rule-file version {}; expected 1",
                raw.version.value
            ),
            None,
        );
    }
    let dataset = raw.dataset.as_ref().map(|d| {
        if d.value.trim().is_empty() {
            cx.error(d, "dataset name is empty", None);
        }
        (d.value.clone(), cx.origin(d))
    });
    let as_of = raw.as_of.as_ref().and_then(|a| match parse_date(&a.value) {
        Some(d) => Some(d),
        None => {
            cx.error(
                a,
                format!("as_of '{}' is not a date; expected YYYY-MM-DD", a.value),
                None,
            );
            None
        }
    });
    let mut rules = DatasetRules {
        name: dataset.as_ref().map(|d| d.0.clone()),
        files: vec![cx.path.to_path_buf()],
        key: raw
            .key
            .as_ref()
            .map(|k| k.value.clone())
            .unwrap_or_default(),
        key_origin: raw.key.as_ref().map(|k| cx.origin(k)),
        as_of,
        ..Default::default()
    };
    if let Some(k) = &raw.key
        && k.value.is_empty()
    {
        cx.error(k, "key is empty; expected a list of column names", None);
    }

    for (name, col) in &raw.columns {
        if let Some(t) = &col.value.type_ {
            match ColumnType::parse(t.value.trim()) {
                Some(column_type) => {
                    rules.types.insert(
                        name.clone(),
                        TypeDecl {
                            column_type,
                            origin: cx.origin(t),
                        },
                    );
                }
                None => {
                    let names = ColumnType::ALL.map(|t| t.as_str());
                    let help = did_you_mean(&t.value, names);
                    cx.error(
                        t,
                        format!(
                            "unknown column type '{}'; expected one of {}",
                            t.value,
                            names.join(", ")
                        ),
                        help,
                    );
                }
            }
        }
        column_checks(cx, name, col, &mut rules.checks);
    }

    let mut foreign = Vec::new();
    for check in &raw.checks {
        if let Some((target, spec)) = named_check(cx, check) {
            match target {
                Some(ds) if Some(&ds) != rules.name.as_ref() => foreign.push((ds, spec)),
                _ => rules.checks.push(spec),
            }
        }
    }

    if let Some(dups) = &raw.duplicates {
        for set in &dups.exact {
            if set.value.is_empty() {
                cx.error(
                    set,
                    "empty duplicate key set; expected a list of column names",
                    None,
                );
                continue;
            }
            let suffix = format!("duplicates.{}", set.value.join("+"));
            rules.checks.push(CheckSpec {
                id: CheckId::Shorthand(suffix),
                dimension: Dimension::Uniqueness,
                severity: Severity::Error,
                weight: 1.0,
                min_pass_rate: None,
                column: Some(set.value.join("+")),
                description: format!("no two rows share {}", set.value.join(" + ")),
                kind: CheckKind::Duplicates(set.value.clone()),
                origin: cx.origin(set),
            });
        }
        if let Some(fuzzy) = &dups.fuzzy {
            rules.fuzzy = Some(fuzzy_spec(cx, fuzzy));
        }
    }

    let mut weight_origins = BTreeMap::new();
    if let Some(scoring) = &raw.scoring {
        for (name, w) in &scoring.weights {
            if let Some(d) = dimension_key(cx, name, w) {
                let value = cx.weight(&Some(Spanned {
                    value: w.value,
                    referenced: w.referenced,
                    defined: w.defined,
                }));
                rules.weights.insert(d, value);
                weight_origins.insert(d, cx.origin(w));
            }
        }
    }
    let mut gate_origins = BTreeMap::new();
    if let Some(gate) = &raw.gate {
        if let Some(m) = &gate.min_overall {
            rules.gate.min_overall = Some(cx.score_min(m, "min_overall"));
            gate_origins.insert("min_overall".to_string(), cx.origin(m));
        }
        for (name, m) in &gate.min {
            if let Some(d) = dimension_key(cx, name, m) {
                let v = cx.score_min(m, "minimum");
                rules.gate.min.insert(d, v);
                gate_origins.insert(d.as_str().to_string(), cx.origin(m));
            }
        }
        if let Some(m) = &gate.max_drop {
            rules.gate.max_drop = Some(cx.score_min(m, "max_drop"));
            gate_origins.insert("max_drop".to_string(), cx.origin(m));
        }
    }
    if let Some(s) = &raw.schema {
        rules.schema = Some(schema::validate(cx, s));
    }
    rules.anomalies = raw
        .anomalies
        .iter()
        .filter_map(|a| anomaly::validate(cx, a))
        .collect();
    if let Some(c) = &raw.compliance {
        let (spec, retention) = compliance::validate(cx, c);
        rules.compliance = Some(spec);
        rules.checks.extend(retention);
    }

    ParsedFile {
        dataset,
        rules,
        foreign,
        weight_origins,
        gate_origins,
    }
}

/// A dimension used as a mapping key (`weights`, `gate.min`): positioned at its value.
pub(super) fn dimension_key(cx: &mut Ctx<'_>, name: &str, at: &Spanned<f64>) -> Option<Dimension> {
    let d = Dimension::parse(name);
    if d.is_none() {
        let help = did_you_mean(name, DIMENSIONS);
        cx.error(
            at,
            format!(
                "unknown dimension '{name}'; expected one of {}",
                DIMENSIONS.join(", ")
            ),
            help,
        );
    }
    d
}
