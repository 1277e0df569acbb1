//! PIPL / GDPR obligations over a scan report: the catalogue (`catalogue`, data in
//! `rules/compliance/*.yaml`), what each evidence kind measures (`evidence`), and
//! [`evaluate`], which turns a scan report, the rule files' `compliance:` declarations,
//! mask sidecars, history and the audit log into a `ComplianceReport`.
//!
//! Nothing here reads data: everything comes from the scan report, which holds counts
//! and masked values only. Evidence lines name datasets, columns, categories and counts,
//! never a value.

pub mod audit_items;
pub mod catalogue;
pub use crate::rules::country;
mod evidence;
pub mod grading;
pub mod people;
pub mod record;

use std::path::Path;

use crate::error::{Error, Result, RuleDiagnostic, did_you_mean};
use crate::report::compliance::{
    Anonymisation, AuditSummary, ComplianceReport, Declaration, DuplicateSummary, Finding,
    HistorySummary, InventoryItem, Lang, ObligationStatus, ProtectionState, QualityIssue,
    Scorecard, StatusCounts, Summary, i18n,
};
use crate::report::{Report, SCHEMA_VERSION, Status};
use crate::rules::RuleSet;
use crate::rules::compliance::ComplianceSpec;
pub use catalogue::Regime;

/// One column of a mask sidecar (`<file>.steward.json`, written by `steward mask`).
#[derive(Debug, Clone, PartialEq)]
pub struct SidecarColumn {
    pub column: String,
    pub category: Option<String>,
    /// The method as shown (`tokenize (format-preserving)`).
    pub method: String,
    /// The method's stable id (`tokenize`).
    pub method_id: String,
}

/// The mask sidecar next to a dataset's input, if there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct Sidecar {
    pub dataset: String,
    pub columns: Vec<SidecarColumn>,
}

/// Read `<input>.steward.json` when it exists.
pub fn read_sidecar(input: &Path, dataset: &str) -> Result<Option<Sidecar>> {
    let mut path = input.as_os_str().to_owned();
    path.push(".steward.json");
    let path = Path::new(&path);
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::data(path, format!("cannot read the mask sidecar: {e}")))?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| Error::Data {
        path: path.to_path_buf(),
        line: Some(e.line() as u64),
        column: None,
        message: "the mask sidecar is not valid JSON".into(),
    })?;
    let columns = json["columns"]
        .as_array()
        .ok_or_else(|| Error::data(path, "the mask sidecar has no `columns` list"))?
        .iter()
        .filter_map(|c| {
            Some(SidecarColumn {
                column: c["column"].as_str()?.to_string(),
                category: c["category"].as_str().map(String::from),
                method: c["method"].as_str()?.to_string(),
                // Sidecars written before `method_id`: the shown name's first word.
                method_id: match c["method_id"].as_str() {
                    Some(id) => id.to_string(),
                    None => c["method"].as_str()?.split(' ').next()?.to_string(),
                },
            })
        })
        .collect();
    Ok(Some(Sidecar {
        dataset: dataset.to_string(),
        columns,
    }))
}

/// What [`evaluate`] reads.
pub struct Inputs<'a> {
    pub scan: &'a Report,
    pub rules: &'a RuleSet,
    pub regimes: &'a [Regime],
    pub sidecars: &'a [Sidecar],
    pub history: Option<HistorySummary>,
    pub audit_log: Option<AuditSummary>,
    /// Every input linked by unified IDs (rule files with `duplicates.fuzzy`).
    pub linked: Option<&'a crate::dedupe::Linked>,
    pub lang: Lang,
}

/// The declarations that apply to a dataset: its own, or the unnamed rule file's when
/// there is a single input.
pub(crate) fn spec_for<'a>(rules: &'a RuleSet, dataset: &str) -> Option<&'a ComplianceSpec> {
    rules
        .datasets
        .iter()
        .find(|d| d.name.as_deref() == Some(dataset))
        .or_else(|| rules.datasets.iter().find(|d| d.name.is_none()))
        .and_then(|d| d.compliance.as_ref())
}

/// Evaluate every obligation of the chosen regimes.
pub fn evaluate(inputs: Inputs<'_>) -> Result<ComplianceReport> {
    let scan = inputs.scan;
    check_declared_columns(scan, inputs.rules)?;
    let lang = inputs.lang;
    let inventory = inventory(scan, inputs.rules, inputs.sidecars, lang);
    let head = people::headcount(scan, &inventory, inputs.linked, lang);
    let cx = evidence::Context {
        scan,
        rules: inputs.rules,
        inventory: &inventory,
        history: inputs.history.as_ref(),
        audit_log: inputs.audit_log.as_ref(),
        headcount: Some(&head),
        lang,
    };
    let audit = audit_items::load()?;
    let mut regimes: Vec<Regime> = Vec::new();
    for r in inputs.regimes {
        if !regimes.contains(r) {
            regimes.push(*r);
        }
    }
    let mut findings = Vec::new();
    for regime in &regimes {
        let catalogue = catalogue::load(*regime)?;
        for o in catalogue.obligations {
            let (status, evidence) = evidence::evaluate(&cx, *regime, o.evidence);
            let (title, requirement, remediation, references) = match (lang, o.zh) {
                (Lang::ZhCn, Some(zh)) => (zh.title, zh.requirement, zh.remediation, zh.references),
                _ => (o.title, o.requirement, o.remediation, o.references),
            };
            findings.push(Finding {
                id: o.id,
                regime: regime.as_str().to_string(),
                title: title.trim().to_string(),
                articles: o.articles,
                references,
                requirement: requirement.trim().to_string(),
                evidence_kind: o.evidence.as_str().to_string(),
                status,
                evidence,
                remediation: remediation.trim().to_string(),
                audit_items: audit.for_evidence(o.evidence.as_str(), lang),
            });
        }
    }
    let mut counts = StatusCounts::default();
    for f in &findings {
        match f.status {
            ObligationStatus::Pass => counts.pass += 1,
            ObligationStatus::Fail => counts.fail += 1,
            ObligationStatus::NeedsReview => counts.needs_review += 1,
        }
    }
    let worst = findings
        .iter()
        .map(|f| f.status)
        .max()
        .unwrap_or(ObligationStatus::Pass);
    let verdict = if scan.gate.passed {
        worst
    } else {
        ObligationStatus::Fail
    };
    let summary = Summary {
        datasets: scan.datasets.len() as u64,
        individuals: scan
            .datasets
            .iter()
            .map(|d| evidence::individuals(d).0)
            .sum(),
        individuals_deduplicated: scan.datasets.iter().any(|d| evidence::individuals(d).1),
        personal_columns: inventory.len() as u64,
        sensitive_columns: inventory.iter().filter(|i| i.pipl_sensitive).count() as u64,
        special_columns: inventory.iter().filter(|i| i.gdpr_special).count() as u64,
        minors: scan
            .datasets
            .iter()
            .map(|d| evidence::minors(&inventory, &d.name))
            .sum(),
        sensitive_records: scan
            .datasets
            .iter()
            .map(|d| evidence::sensitive_records(&inventory, &d.name))
            .sum(),
        obligations: counts,
    };
    let destinations = destinations(scan, inputs.rules);
    let calculations = if regimes.contains(&Regime::Pipl) {
        people::calculations(&head, &destinations, inputs.linked, lang)
    } else {
        Vec::new()
    };
    let grading = grading::grading(scan, &inventory, &head, lang);
    let processing_records =
        record::processing_records(scan, inputs.rules, &inventory, &head, lang);
    let impact_prescreen = record::impact_prescreen(scan, inputs.rules, &inventory, &head, lang);
    Ok(ComplianceReport {
        schema_version: SCHEMA_VERSION,
        kind: "compliance".into(),
        lang,
        tool: scan.tool.clone(),
        run: scan.run.clone(),
        regimes: regimes.iter().map(|r| r.as_str().to_string()).collect(),
        verdict,
        summary,
        declarations: declarations(scan, inputs.rules),
        inventory,
        scorecard: scorecard(scan, inputs.rules),
        quality_issues: quality_issues(scan),
        duplicates: duplicates(scan),
        anonymisation: Vec::new(),
        findings,
        calculations,
        grading,
        processing_records,
        impact_prescreen,
        headcount: Some(head),
        history: inputs.history,
        audit_log: inputs.audit_log,
        gate: scan.gate.clone(),
        scoring_formula: i18n::scoring_formula(lang, &scan.scoring_formula),
    })
}

/// Destinations outside mainland China and the datasets declared to go there.
fn destinations(scan: &Report, rules: &RuleSet) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut out: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for d in &scan.datasets {
        if let Some(dest) = spec_for(rules, &d.name).and_then(|s| s.destination.clone())
            && country::outside_mainland_china(&dest)
        {
            out.entry(dest).or_default().push(d.name.clone());
        }
    }
    out
}

/// Every `declared_columns` entry must be a column of its dataset.
fn check_declared_columns(scan: &Report, rules: &RuleSet) -> Result<()> {
    let mut diags = Vec::new();
    for d in &scan.datasets {
        let Some(declared) = spec_for(rules, &d.name).and_then(|s| s.declared_columns.as_ref())
        else {
            continue;
        };
        for (name, origin) in declared {
            if !d.columns.iter().any(|c| &c.name == name) {
                diags.push(RuleDiagnostic {
                    origin: origin.clone(),
                    message: format!("declared column '{name}' is not in dataset '{}'", d.name),
                    help: did_you_mean(name, d.columns.iter().map(|c| c.name.as_str())),
                });
            }
        }
    }
    if diags.is_empty() {
        Ok(())
    } else {
        diags.sort_by(|a, b| a.origin.cmp(&b.origin));
        diags.dedup();
        Err(Error::RuleFile(diags))
    }
}

/// The protection a mask method (by its stable id) gives a column.
fn protection_from_method(method_id: &str) -> ProtectionState {
    match method_id {
        "encrypt" => ProtectionState::Encrypted,
        "tokenize" => ProtectionState::Tokenized,
        "partial" | "redact" => ProtectionState::Masked,
        "generalize" | "shift" => ProtectionState::Generalized,
        _ => ProtectionState::Clear,
    }
}

fn sensitivity(pipl_sensitive: bool, gdpr_special: bool) -> &'static str {
    if gdpr_special {
        "special"
    } else if pipl_sensitive {
        "sensitive"
    } else {
        "personal"
    }
}

/// Personal-data columns of every dataset, in report order (datasets, then columns).
fn inventory(
    scan: &Report,
    rules: &RuleSet,
    sidecars: &[Sidecar],
    lang: Lang,
) -> Vec<InventoryItem> {
    let mut out = Vec::new();
    for d in &scan.datasets {
        let declared = spec_for(rules, &d.name).and_then(|s| s.declared());
        let sidecar = sidecars.iter().find(|s| s.dataset == d.name);
        for c in &d.columns {
            let class = c.classification.as_ref();
            let from_sidecar = sidecar
                .and_then(|s| s.columns.iter().find(|sc| sc.column == c.name))
                .filter(|sc| protection_from_method(&sc.method_id).protected());
            // Personal data inside the column's text (a notes column's mobiles), one
            // item per category, counted in rows; in clear, since the scan found it.
            for (category, rows) in class.map(|k| &k.embedded).into_iter().flatten() {
                let pipl_sensitive = crate::classify::pipl_sensitive(category);
                let gdpr_special = crate::classify::gdpr_special(category);
                out.push(InventoryItem {
                    dataset: d.name.clone(),
                    column: c.name.clone(),
                    category: category.clone(),
                    sensitivity: sensitivity(pipl_sensitive, gdpr_special).into(),
                    pipl_sensitive,
                    gdpr_special,
                    present: *rows,
                    minors: None,
                    protection: ProtectionState::Clear,
                    protection_evidence: lang.pick(
                        format!("{rows} rows hold it inside their text"),
                        format!("{rows} 行的文本中含有此类信息"),
                    ),
                    declared: declared
                        .as_ref()
                        .map(|cols| cols.contains(&c.name.as_str())),
                    embedded: true,
                });
            }
            let Some(category) = class
                .and_then(|k| k.category.clone())
                .or_else(|| from_sidecar.and_then(|sc| sc.category.clone()))
            else {
                continue;
            };
            let minors = class.and_then(|k| k.minors);
            let pipl_sensitive = crate::classify::pipl_sensitive(&category)
                || class.is_some_and(|k| k.pipl_sensitive)
                || minors.is_some_and(|m| m > 0);
            let gdpr_special =
                crate::classify::gdpr_special(&category) || class.is_some_and(|k| k.gdpr_special);
            let (protection, protection_evidence) = match (
                from_sidecar,
                class.and_then(|k| k.protection.as_ref()),
            ) {
                (Some(sc), _) => (
                    protection_from_method(&sc.method_id),
                    lang.pick(
                        format!("mask sidecar: method {}", sc.method),
                        format!("脱敏记录文件：方法 {}", sc.method_id),
                    ),
                ),
                (None, Some(p)) => {
                    let state = if !p.complete() {
                        ProtectionState::Partial
                    } else if p.encrypted == p.values_checked {
                        ProtectionState::Encrypted
                    } else if p.tokenized == p.values_checked {
                        ProtectionState::Tokenized
                    } else {
                        ProtectionState::Masked
                    };
                    (
                        state,
                        lang.pick(
                            format!(
                                "{} of {} sampled values protected ({} encrypted, {} tokenized, {} masked)",
                                p.protected(),
                                p.values_checked,
                                p.encrypted,
                                p.tokenized,
                                p.masked
                            ),
                            format!(
                                "抽样 {} 个值中 {} 个已保护（加密 {}，令牌化 {}，屏蔽 {}）",
                                p.values_checked,
                                p.protected(),
                                p.encrypted,
                                p.tokenized,
                                p.masked
                            ),
                        ),
                    )
                }
                (None, None) => (
                    ProtectionState::Clear,
                    match class {
                        Some(k) if k.evidence.values_checked > 0 => lang.pick(
                            format!(
                                "none of {} sampled values encrypted, tokenized or masked",
                                k.evidence.values_checked
                            ),
                            format!(
                                "抽样 {} 个值均未加密、令牌化或屏蔽",
                                k.evidence.values_checked
                            ),
                        ),
                        _ => lang.pick("no values sampled", "未抽样").into(),
                    },
                ),
            };
            out.push(InventoryItem {
                dataset: d.name.clone(),
                column: c.name.clone(),
                sensitivity: sensitivity(pipl_sensitive, gdpr_special).into(),
                category,
                pipl_sensitive,
                gdpr_special,
                present: d.rows.saturating_sub(c.nulls).saturating_sub(c.empty),
                minors,
                protection,
                protection_evidence,
                declared: declared
                    .as_ref()
                    .map(|cols| cols.contains(&c.name.as_str())),
                embedded: false,
            });
        }
    }
    out
}

fn declarations(scan: &Report, rules: &RuleSet) -> Vec<Declaration> {
    scan.datasets
        .iter()
        .filter_map(|d| {
            let s = spec_for(rules, &d.name)?;
            Some(Declaration {
                dataset: d.name.clone(),
                purpose: s.purpose.clone(),
                lawful_basis: s.lawful_basis.clone(),
                retention: s.retention.as_ref().map(|r| r.period.clone()),
                retention_column: s.retention.as_ref().map(|r| r.column.clone()),
                destination: s.destination.clone(),
                declared_columns: s
                    .declared()
                    .map(|c| c.into_iter().map(String::from).collect()),
                data_controller: s.data_controller.clone(),
            })
        })
        .collect()
}

fn scorecard(scan: &Report, rules: &RuleSet) -> Vec<Scorecard> {
    scan.datasets
        .iter()
        .map(|d| Scorecard {
            dataset: d.name.clone(),
            rows: d.rows,
            scores: d.scores.clone(),
            checks: quality_checks(d).count() as u64,
            checks_not_passing: quality_checks(d)
                .filter(|c| c.status != Status::Pass)
                .count() as u64,
            gate_min_overall: rules
                .datasets
                .iter()
                .find(|r| r.name.as_deref() == Some(d.name.as_str()) || r.name.is_none())
                .and_then(|r| r.gate.min_overall),
        })
        .collect()
}

/// The checks that measure quality: all but the retention checks, which are evidence
/// for their own obligations.
fn quality_checks(
    d: &crate::report::DatasetReport,
) -> impl Iterator<Item = &crate::report::CheckResult> {
    d.checks.iter().filter(|c| c.kind != "retention")
}

/// Checks that did not pass: `fail` before `warn`, each group in report order.
fn quality_issues(scan: &Report) -> Vec<QualityIssue> {
    let mut out = Vec::new();
    for wanted in [Status::Fail, Status::Warn] {
        for d in &scan.datasets {
            for c in quality_checks(d).filter(|c| c.status == wanted) {
                out.push(QualityIssue {
                    dataset: d.name.clone(),
                    check: c.id.clone(),
                    dimension: c.dimension.as_str().to_string(),
                    severity: c.severity.as_str().to_string(),
                    status: c.status.as_str().to_string(),
                    failed: c.failed,
                    evaluated: c.evaluated,
                    score: c.score,
                });
            }
        }
    }
    out
}

/// The scan's exact unique / duplicate-key checks.
fn duplicates(scan: &Report) -> Vec<DuplicateSummary> {
    let mut out = Vec::new();
    for d in &scan.datasets {
        for c in &d.checks {
            if let (Some(values), Some(rows)) = (c.duplicate_values, c.duplicate_rows) {
                out.push(DuplicateSummary {
                    dataset: d.name.clone(),
                    check: c.id.clone(),
                    columns: c.column.clone().unwrap_or_default(),
                    duplicate_values: values,
                    duplicate_rows: rows,
                    excess_rows: c.failed,
                });
            }
        }
    }
    out
}

/// Everything `steward report` needs.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub scan: crate::scan::ScanOptions,
    pub regimes: Vec<Regime>,
    /// `--history DIR`: compare with earlier runs and record this one.
    pub history: Option<std::path::PathBuf>,
    /// The audit log whose chain the report states (it need not exist yet).
    pub audit_log: Option<std::path::PathBuf>,
    pub lang: Lang,
}

/// The compliance report and the scan report it was built from.
#[derive(Debug, Clone)]
pub struct ReportRun {
    pub compliance: ComplianceReport,
    pub scan: Report,
}

/// Scan, apply the history, read mask sidecars and the audit log's state, and evaluate
/// the obligations. The data is read once, by the scan.
pub async fn report(opts: &ReportOptions) -> Result<ReportRun> {
    let mut scan = crate::scan::scan(&opts.scan).await?;
    let rules = crate::rules::load(&opts.scan.rules)?;
    // Before the history records this run: a run with bad declarations is not kept.
    check_declared_columns(&scan, &rules)?;
    let history = match &opts.history {
        Some(dir) => Some(crate::audit::history::record(dir, &mut scan, &rules)?),
        None => None,
    };
    let mut sidecars = Vec::new();
    for input in &scan.run.inputs {
        sidecars.extend(read_sidecar(Path::new(&input.path), &input.dataset)?);
    }
    let audit_log = match &opts.audit_log {
        Some(path) if path.is_file() => {
            let v = crate::audit::log::verify(path)?;
            Some(AuditSummary {
                entries: v.entries,
                intact: v.intact(),
                first_bad_line: v.first_bad.as_ref().map(|b| b.0),
            })
        }
        // Auditing is on and this run will be the log's first entry.
        Some(_) => Some(AuditSummary {
            entries: 0,
            intact: true,
            first_bad_line: None,
        }),
        None => None,
    };
    let linked = link(opts, &scan, &rules, &sidecars).await?;
    let mut compliance = evaluate(Inputs {
        scan: &scan,
        rules: &rules,
        regimes: &opts.regimes,
        sidecars: &sidecars,
        history,
        audit_log,
        linked: linked.as_ref(),
        lang: opts.lang,
    })?;
    compliance.anonymisation = anonymisation(opts, &scan).await?;
    Ok(ReportRun { compliance, scan })
}

/// Every input linked by unified IDs when some rule file has `duplicates.fuzzy`
/// (one more read of each input), with each record's "holds sensitive personal
/// information" flag from the sensitive columns of the inventory.
async fn link(
    opts: &ReportOptions,
    scan: &Report,
    rules: &RuleSet,
    sidecars: &[Sidecar],
) -> Result<Option<crate::dedupe::Linked>> {
    if !rules.datasets.iter().any(|d| d.fuzzy.is_some()) {
        return Ok(None);
    }
    let inventory = inventory(scan, rules, sidecars, Lang::En);
    let flags = people::sensitive_columns(&inventory);
    let linked =
        crate::dedupe::link_all(&opts.scan.data, &opts.scan.rules, &opts.scan.source, &flags)
            .await?;
    Ok(Some(linked))
}

/// The re-identification risk of every dataset at `steward risk`'s defaults (its
/// quasi-identifiers, k = 5, highest prosecutor risk 0.2), from the scan's
/// classification: one more read of each input for the `GROUP BY`s.
async fn anonymisation(opts: &ReportOptions, scan: &Report) -> Result<Vec<Anonymisation>> {
    let risk = crate::pipeline::risk::RiskOptions {
        data: opts.scan.data.clone(),
        source: opts.scan.source,
        quasi: None,
        sensitive: Some(Vec::new()),
        individual: None,
        k: 5,
        max_risk: 0.2,
        memory_limit: opts.scan.memory_limit,
    };
    let mut out = Vec::new();
    for input in crate::source::expand(&opts.scan.data, &opts.scan.source)? {
        let path = input.path.display().to_string();
        let Some(name) = scan
            .run
            .inputs
            .iter()
            .find(|i| i.path == path)
            .map(|i| i.dataset.as_str())
        else {
            continue;
        };
        let Some(d) = scan.datasets.iter().find(|d| d.name == name) else {
            continue;
        };
        let m = crate::pipeline::risk::measure(&input, d, &risk).await?;
        out.push(Anonymisation {
            dataset: m.name,
            rows: m.rows,
            direct_in_clear: m
                .direct_identifiers
                .iter()
                .filter(|c| c.state != "protected")
                .map(|c| format!("{} ({})", c.column, c.category))
                .collect(),
            quasi_identifiers: m
                .quasi_identifiers
                .iter()
                .map(|q| format!("{} ({})", q.column, q.why))
                .collect(),
            k: m.k,
            k_target: risk.k,
            max_risk: risk.max_risk,
            records_below_k: m.records_below_k,
            highest_risk: m.prosecutor.highest,
            average_risk: m.prosecutor.average,
            grade: m.grade,
        });
    }
    out.sort_by(|a, b| a.dataset.cmp(&b.dataset));
    Ok(out)
}

#[cfg(test)]
mod tests;
