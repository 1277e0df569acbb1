//! Rule files: loading, validation and merging into a [`RuleSet`].
//!
//! A rule file is read in two steps. `raw` deserializes the YAML (shape errors stop that
//! file at the first problem, with its position). This module then validates names,
//! values and combinations, gathering every problem of every file before failing, each
//! with `file:line:col`, what was expected and a suggestion for misspelt names.
//! Nothing here looks at data: checking that columns exist and SQL plans is `scan`'s job.

mod assign;
pub mod compliance;
pub mod country;
pub mod format;
pub mod linkage;
mod raw;
pub mod shorthand;

pub(crate) use assign::assign;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use serde_saphyr::Spanned;
use sha2::{Digest, Sha256};

use crate::error::{Error, Origin, Result, RuleDiagnostic, did_you_mean};
use crate::report::{Dimension, Severity};
pub use crate::source::ColumnType;
use raw::{RawCheck, RawColumn, RawRuleFile, Scalar};

/// All rule files of a run, validated and merged per dataset.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// The files in load order.
    pub files: Vec<PathBuf>,
    /// SHA-256 over the files' bytes in load order.
    pub sha256: String,
    pub datasets: Vec<DatasetRules>,
}

/// The merged rules for one dataset.
#[derive(Debug, Clone, Default)]
pub struct DatasetRules {
    /// The dataset the rules apply to; `None` when the file names none (single input).
    pub name: Option<String>,
    pub files: Vec<PathBuf>,
    pub key: Vec<String>,
    pub key_origin: Option<Origin>,
    pub as_of: Option<NaiveDate>,
    pub checks: Vec<CheckSpec>,
    pub weights: BTreeMap<Dimension, f64>,
    pub gate: GateSpec,
    /// Fuzzy duplicate settings, used by `steward dedupe`.
    pub fuzzy: Option<FuzzySpec>,
    /// `compliance:` declarations, used by `steward report`.
    pub compliance: Option<compliance::ComplianceSpec>,
    /// `columns.<c>.type`: how a column is read, winning over inference.
    pub types: BTreeMap<String, TypeDecl>,
}

/// A column type declared in a rule file, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDecl {
    pub column_type: ColumnType,
    pub origin: Origin,
}

impl DatasetRules {
    /// The declared column types, as the source reads them.
    pub fn declared_types(&self) -> crate::source::Declared {
        self.types
            .iter()
            .map(|(c, d)| (c.clone(), d.column_type))
            .collect()
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct GateSpec {
    pub min_overall: Option<f64>,
    pub min: BTreeMap<Dimension, f64>,
    /// Largest allowed drop of the overall score since the last recorded run (points).
    pub max_drop: Option<f64>,
}

/// `duplicates.fuzzy`: how `steward dedupe` compares records of this dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct FuzzySpec {
    /// The compared fields, in the order written.
    pub fields: Vec<FuzzyField>,
    /// Blocking rules; `None` means one rule per compared field.
    pub blocking: Option<Vec<Vec<BlockingKey>>>,
    pub threshold: Option<f64>,
    pub mode: Option<LinkMode>,
    pub max_block: Option<usize>,
    pub origin: Origin,
}

/// One compared field and the column that holds it in this dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct FuzzyField {
    pub field: String,
    pub column: String,
    /// `None`: chosen from the field's name when the comparison is built.
    pub kind: Option<CompareKind>,
    pub term_frequency: bool,
    pub origin: Origin,
}

/// One part of a blocking rule: a field's normalised value or a transform of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockingKey {
    pub field: String,
    pub transform: Transform,
    pub origin: Origin,
}

pub use linkage::{CompareKind, KINDS, LinkMode, TRANSFORMS, Transform};

/// One check, before it is bound to a dataset's schema.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckSpec {
    /// The id as it will be reported once the dataset name is known: shorthand checks
    /// are `<dataset>.<suffix>`; SQL and reference checks use their own id.
    pub id: CheckId,
    pub dimension: Dimension,
    pub severity: Severity,
    pub weight: f64,
    pub min_pass_rate: Option<f64>,
    pub column: Option<String>,
    pub description: String,
    pub kind: CheckKind,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckId {
    /// `mobile.format`: reported as `<dataset>.mobile.format`.
    Shorthand(String),
    /// A rule file's own id, reported verbatim.
    Named(String),
}

impl CheckId {
    pub fn resolve(&self, dataset: &str) -> String {
        match self {
            CheckId::Shorthand(suffix) => format!("{dataset}.{suffix}"),
            CheckId::Named(id) => id.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum CheckKind {
    Required,
    Unique,
    Format(&'static format::FormatInfo),
    Allowed(Vec<String>),
    Min(Bound),
    Max(Bound),
    Pattern(String),
    FreshWithin(chrono::Duration),
    /// `compliance.retention`: fails like `fresh_within`, reported but never scored.
    Retention(chrono::Duration),
    NotFuture,
    Sql {
        where_: Option<Located>,
        expect: Located,
    },
    Reference {
        column: String,
        target_dataset: String,
        target_column: String,
    },
    Duplicates(Vec<String>),
}

impl CheckKind {
    /// The short kind name used in reports.
    pub fn name(&self) -> &'static str {
        match self {
            CheckKind::Required => "required",
            CheckKind::Unique => "unique",
            CheckKind::Format(_) => "format",
            CheckKind::Allowed(_) => "allowed",
            CheckKind::Min(_) => "min",
            CheckKind::Max(_) => "max",
            CheckKind::Pattern(_) => "pattern",
            CheckKind::FreshWithin(_) => "fresh_within",
            CheckKind::Retention(_) => "retention",
            CheckKind::NotFuture => "not_future",
            CheckKind::Sql { .. } => "sql",
            CheckKind::Reference { .. } => "reference",
            CheckKind::Duplicates(_) => "duplicates",
        }
    }
}

/// A piece of rule-file text (SQL) with its position, for errors found when planning it.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub text: String,
    pub origin: Origin,
}

/// A `min`/`max` bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    Number(f64),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
}

/// Validate `duplicates.fuzzy`, gathering every problem.
fn fuzzy_spec(cx: &mut Ctx<'_>, raw: &Spanned<raw::RawFuzzy>) -> FuzzySpec {
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
                let help = did_you_mean(&kind.value, KINDS.iter().map(|k| k.name()));
                cx.error(
                    kind,
                    format!(
                        "unknown comparison kind '{}'; expected one of {}",
                        kind.value,
                        KINDS
                            .iter()
                            .map(|k| k.name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    help,
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
                            let help = did_you_mean(t, TRANSFORMS.iter().map(|t| t.name()));
                            cx.error(
                                part,
                                format!(
                                    "unknown blocking transform '{t}'; expected one of {}",
                                    TRANSFORMS
                                        .iter()
                                        .map(|t| t.name())
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                ),
                                help,
                            );
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
            let help = did_you_mean(&m.value, LinkMode::NAMES);
            cx.error(
                m,
                format!(
                    "unknown mode '{}'; expected one of {}",
                    m.value,
                    LinkMode::NAMES.join(", ")
                ),
                help,
            );
        }
        mode
    });
    if let Some(b) = &f.max_block
        && b.value < 2
    {
        cx.error(b, "max_block must be at least 2 records", None);
    }
    FuzzySpec {
        fields,
        blocking,
        threshold: f.threshold.as_ref().map(|t| t.value),
        mode,
        max_block: f.max_block.as_ref().map(|b| b.value as usize),
        origin: cx.origin(raw),
    }
}

const SEVERITIES: [&str; 3] = ["error", "warn", "info"];
const DIMENSIONS: [&str; 5] = [
    "completeness",
    "validity",
    "consistency",
    "timeliness",
    "uniqueness",
];

/// Expand `--rules` arguments: files as given, directories to their `*.yaml`/`*.yml`
/// files sorted by name.
pub fn expand_paths(args: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for arg in args {
        if arg.is_dir() {
            let entries = std::fs::read_dir(arg).map_err(|e| {
                Error::Usage(format!("{}: cannot read directory: {e}", arg.display()))
            })?;
            let mut files: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
                })
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(Error::Usage(format!(
                    "{}: no rule files (*.yaml, *.yml) in this directory",
                    arg.display()
                )));
            }
            out.extend(files);
        } else if arg.is_file() {
            out.push(arg.clone());
        } else {
            return Err(Error::Usage(format!(
                "{}: no such rule file or directory",
                arg.display()
            )));
        }
    }
    Ok(out)
}

/// Load, validate and merge rule files. Every problem in every file is reported at once.
pub fn load(args: &[PathBuf]) -> Result<RuleSet> {
    let paths = expand_paths(args)?;
    let mut hasher = Sha256::new();
    let mut diags = Vec::new();
    let mut parsed = Vec::new();
    for path in &paths {
        let text = std::fs::read(path)
            .map_err(|e| Error::Usage(format!("{}: cannot read rule file: {e}", path.display())))?;
        hasher.update(&text);
        let text = match String::from_utf8(text) {
            Ok(t) => t,
            Err(_) => {
                diags.push(diag(path, 1, 1, "rule file is not valid UTF-8", None));
                continue;
            }
        };
        match parse_file(path, &text) {
            Ok(file) => parsed.push(file),
            Err(mut d) => diags.append(&mut d),
        }
    }
    let datasets = merge(parsed, &mut diags);
    if !diags.is_empty() {
        diags.sort_by(|a, b| a.origin.cmp(&b.origin));
        return Err(Error::RuleFile(diags));
    }
    Ok(RuleSet {
        files: paths,
        sha256: hex::encode(hasher.finalize()),
        datasets,
    })
}

fn diag(
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
struct ParsedFile {
    dataset: Option<(String, Origin)>,
    rules: DatasetRules,
    /// Reference checks route to their own dataset.
    foreign: Vec<(String, CheckSpec)>,
    weight_origins: BTreeMap<Dimension, Origin>,
    gate_origins: BTreeMap<String, Origin>,
}

struct Ctx<'a> {
    path: &'a Path,
    diags: Vec<RuleDiagnostic>,
}

impl Ctx<'_> {
    fn origin<T>(&self, s: &Spanned<T>) -> Origin {
        Origin {
            path: self.path.to_path_buf(),
            line: s.referenced.line().max(1),
            col: s.referenced.column().max(1),
        }
    }

    fn error<T>(&mut self, at: &Spanned<T>, message: impl Into<String>, help: Option<String>) {
        let origin = self.origin(at);
        self.diags.push(RuleDiagnostic {
            origin,
            message: message.into(),
            help,
        });
    }

    fn dimension(&mut self, s: &Spanned<String>) -> Option<Dimension> {
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

    fn severity(&mut self, s: &Option<Spanned<String>>) -> Severity {
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

    fn weight(&mut self, w: &Option<Spanned<f64>>) -> f64 {
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

    fn rate(&mut self, r: &Option<Spanned<f64>>) -> Option<f64> {
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

    fn score_min(&mut self, s: &Spanned<f64>, what: &str) -> f64 {
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

fn strip_position(message: &str) -> String {
    // serde-saphyr appends " at line N, column M"; the position is already in front.
    match message.rfind(" at line ") {
        Some(i) => message[..i].trim_end_matches(',').to_string(),
        None => message.to_string(),
    }
}

/// For serde's "unknown field `x`, expected one of a, b" messages (with or without
/// backticks around the alternatives).
fn unknown_name_hint(message: &str) -> Option<String> {
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

/// Validate one rule file's text as `load` would (shape, names, values, merging), without
/// reading it from disk. `path` only names it in errors.
pub fn check_text(path: &Path, text: &str) -> Result<()> {
    let mut diags = match parse_file(path, text) {
        Ok(file) => {
            let mut diags = Vec::new();
            merge(vec![file], &mut diags);
            diags
        }
        Err(d) => d,
    };
    if diags.is_empty() {
        return Ok(());
    }
    diags.sort_by(|a, b| a.origin.cmp(&b.origin));
    Err(Error::RuleFile(diags))
}

fn parse_file(path: &Path, text: &str) -> std::result::Result<ParsedFile, Vec<RuleDiagnostic>> {
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

fn validate(cx: &mut Ctx<'_>, raw: RawRuleFile) -> ParsedFile {
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
fn dimension_key(cx: &mut Ctx<'_>, name: &str, at: &Spanned<f64>) -> Option<Dimension> {
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

fn column_checks(cx: &mut Ctx<'_>, name: &str, col: &Spanned<RawColumn>, out: &mut Vec<CheckSpec>) {
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
fn named_check(cx: &mut Ctx<'_>, check: &Spanned<RawCheck>) -> Option<(Option<String>, CheckSpec)> {
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

/// Where each dataset's weights were declared, for clash messages.
type Origins = BTreeMap<Dimension, Origin>;
/// Where each dataset's gate minimums were declared, for clash messages.
type GateOrigins = BTreeMap<String, Origin>;

/// Merge validated files per dataset name, reporting clashes with both places.
fn merge(files: Vec<ParsedFile>, diags: &mut Vec<RuleDiagnostic>) -> Vec<DatasetRules> {
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

impl PartialOrd for CheckId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for CheckId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let key = |c: &CheckId| match c {
            CheckId::Shorthand(s) => (0, s.clone()),
            CheckId::Named(s) => (1, s.clone()),
        };
        key(self).cmp(&key(other))
    }
}

fn clash(
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

pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

fn parse_bound(s: &Scalar) -> Option<Bound> {
    match s {
        Scalar::Int(i) => Some(Bound::Number(*i as f64)),
        Scalar::Float(f) if f.is_finite() => Some(Bound::Number(*f)),
        Scalar::Float(_) | Scalar::Bool(_) => None,
        Scalar::Text(t) => {
            let t = t.trim();
            if let Some(d) = parse_date(t) {
                return Some(Bound::Date(d));
            }
            for fmt in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"] {
                if let Ok(dt) = NaiveDateTime::parse_from_str(t, fmt) {
                    return Some(Bound::DateTime(dt));
                }
            }
            t.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(Bound::Number)
        }
    }
}

/// `365d`, `12w`, `2y` (365 days each), `48h`.
pub(crate) fn parse_duration(s: &str) -> Option<chrono::Duration> {
    let s = s.trim();
    let unit = s.chars().last()?;
    let n: i64 = s[..s.len() - unit.len_utf8()].trim().parse().ok()?;
    if n < 0 {
        return None;
    }
    match unit {
        'h' => chrono::Duration::try_hours(n),
        'd' => chrono::Duration::try_days(n),
        'w' => chrono::Duration::try_weeks(n),
        'y' => chrono::Duration::try_days(n.checked_mul(365)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
