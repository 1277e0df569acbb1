//! `steward risk`: classify each input (one scan), choose its direct identifiers,
//! quasi-identifiers and sensitive columns, then measure re-identification risk with
//! `GROUP BY`s of the quasi-identifiers in DataFusion (so they spill under
//! `--memory-limit`): one for the histogram of class sizes, one per quasi-identifier
//! left out (what generalising it would give), and per sensitive column its whole
//! distribution and a `GROUP BY quasi, sensitive ORDER BY quasi` streamed one class at
//! a time. The arithmetic is `crate::risk`'s; definitions in docs/risk.md.

use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::row::{OwnedRow, RowConverter, SortField};
use datafusion::prelude::{SessionConfig, SessionContext};
use futures::StreamExt;

use crate::classify::category::RiskRole;
use crate::error::{Error, Result};
use crate::report::model::{ColumnProfile, DatasetReport};
use crate::report::risk::{
    ClassSize, DatasetRisk, DirectIdentifier, QuasiIdentifier, RiskFigures, RiskReport,
    SensitiveRisk, Without,
};
use crate::risk::{self, Distribution, Grade, SensitiveScan, SizeRow};
use crate::source::{self, Input, SourceOptions};

/// Headers that name a quasi-identifier no detector has a category for.
const QUASI_HEADERS: &[(&str, &[&str])] = &[
    (
        "postcode",
        &[
            "postcode",
            "postalcode",
            "zip",
            "zipcode",
            "邮编",
            "邮政编码",
            "yb",
            "yzbm",
        ],
    ),
    (
        "occupation",
        &[
            "occupation",
            "job",
            "jobtitle",
            "profession",
            "职业",
            "工作",
            "zy",
        ],
    ),
    (
        "education",
        &["education", "degree", "学历", "教育程度", "xl"],
    ),
    (
        "marital status",
        &["marital", "maritalstatus", "婚姻", "婚姻状况", "hyzk"],
    ),
    (
        "city or district",
        &[
            "city", "district", "county", "province", "城市", "市", "区县", "区", "县", "省份",
            "省",
        ],
    ),
];

pub struct RiskOptions {
    pub data: Vec<String>,
    pub source: SourceOptions,
    /// `--quasi`: replaces the default quasi-identifiers.
    pub quasi: Option<Vec<String>>,
    /// `--sensitive`: replaces the default sensitive columns.
    pub sensitive: Option<Vec<String>>,
    pub individual: Option<String>,
    pub k: u64,
    pub max_risk: f64,
    pub memory_limit: Option<usize>,
}

pub async fn risk(opts: &RiskOptions) -> Result<RiskReport> {
    let inputs = source::expand(&opts.data, &opts.source)?;
    let classified = crate::scan::scan(&crate::scan::ScanOptions {
        data: opts.data.clone(),
        source: opts.source,
        samples: 0,
        profile: false,
        memory_limit: opts.memory_limit,
        ..Default::default()
    })
    .await?;
    let mut datasets = Vec::new();
    for input in &inputs {
        let Some(d) = classified.datasets.iter().find(|d| d.name == input.name) else {
            return Err(Error::Internal(format!(
                "no classification for dataset '{}'",
                input.name
            )));
        };
        datasets.push(measure(input, d, opts).await?);
    }
    Ok(RiskReport {
        k_target: opts.k,
        max_risk: opts.max_risk,
        datasets,
    })
}

/// The roles of a dataset's columns.
struct Roles {
    direct: Vec<DirectIdentifier>,
    quasi: Vec<QuasiIdentifier>,
    sensitive: Vec<String>,
}

fn category_of(c: &ColumnProfile) -> Option<&'static crate::classify::category::Category> {
    let id = c.classification.as_ref()?.category.as_deref()?;
    crate::classify::category::get(id)
}

fn roles(input: &Input, d: &DatasetReport, opts: &RiskOptions) -> Result<Roles> {
    let names: Vec<&str> = d.columns.iter().map(|c| c.name.as_str()).collect();
    let mut unknown = Vec::new();
    let mut check = |flag: &str, list: &[String]| {
        for name in list {
            if !names.contains(&name.as_str()) {
                let mut message = format!(
                    "{flag}: column '{name}' is not in {} (its columns: {})",
                    input.path.display(),
                    names.join(", ")
                );
                if let Some(help) = crate::error::did_you_mean(name, names.iter().copied()) {
                    message.push_str("; ");
                    message.push_str(&help);
                }
                unknown.push(message);
            }
        }
    };
    if let Some(q) = &opts.quasi {
        check("--quasi", q);
    }
    if let Some(s) = &opts.sensitive {
        check("--sensitive", s);
    }
    if let Some(i) = &opts.individual {
        check("--individual", std::slice::from_ref(i));
    }
    if !unknown.is_empty() {
        return Err(Error::Usage(unknown.join("\n")));
    }

    let mut direct = Vec::new();
    for c in &d.columns {
        let Some(class) = &c.classification else {
            continue;
        };
        if let Some(cat) = category_of(c)
            && cat.risk == RiskRole::Direct
            && opts.individual.as_deref() != Some(c.name.as_str())
        {
            let protected = class.protection.as_ref().is_some_and(|p| p.complete());
            direct.push(DirectIdentifier {
                column: c.name.clone(),
                category: cat.id.to_string(),
                state: if protected { "protected" } else { "clear" }.into(),
            });
        }
        for category in class.embedded.keys() {
            if crate::classify::category::get(category).is_some_and(|k| k.risk == RiskRole::Direct)
            {
                direct.push(DirectIdentifier {
                    column: c.name.clone(),
                    category: category.clone(),
                    state: "inside text".into(),
                });
            }
        }
    }

    let skip = |name: &str| opts.individual.as_deref() == Some(name);
    let quasi = match &opts.quasi {
        Some(list) => list
            .iter()
            .map(|c| QuasiIdentifier {
                column: c.clone(),
                why: "--quasi".into(),
            })
            .collect(),
        None => d
            .columns
            .iter()
            .filter(|c| !skip(&c.name))
            .filter_map(|c| {
                let why = quasi_reason(c)?;
                Some(QuasiIdentifier {
                    column: c.name.clone(),
                    why,
                })
            })
            .collect(),
    };
    let sensitive = match &opts.sensitive {
        Some(list) => list.clone(),
        None => d
            .columns
            .iter()
            .filter(|c| category_of(c).is_some_and(|k| k.risk == RiskRole::Sensitive))
            .map(|c| c.name.clone())
            .collect(),
    };
    Ok(Roles {
        direct,
        quasi,
        sensitive,
    })
}

/// Why a column is a default quasi-identifier, if it is one: its classified category,
/// else a header naming a quasi category (a generalised birth date keeps its header) or
/// one of [`QUASI_HEADERS`].
fn quasi_reason(c: &ColumnProfile) -> Option<String> {
    if let Some(cat) = category_of(c) {
        return (cat.risk == RiskRole::Quasi).then(|| format!("classified {}", cat.id));
    }
    if let Some((cat, keyword)) = crate::classify::header_categories(&c.name)
        .into_iter()
        .find(|(k, _)| k.risk == RiskRole::Quasi)
    {
        return Some(format!("header '{keyword}': {}", cat.id));
    }
    QUASI_HEADERS.iter().find_map(|(what, keywords)| {
        crate::classify::header_keyword(&c.name, keywords).map(|k| format!("header '{k}': {what}"))
    })
}

fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

async fn session(input: &Input, opts: &RiskOptions) -> Result<SessionContext> {
    let ctx = crate::engine::context(SessionConfig::new(), opts.memory_limit, false)?;
    source::register_text(&ctx, input, "t", &opts.source).await?;
    Ok(ctx)
}

async fn collect(
    ctx: &SessionContext,
    sql: &str,
    input: &Input,
    opts: &RiskOptions,
) -> Result<Vec<RecordBatch>> {
    let df = ctx
        .sql(sql)
        .await
        .map_err(|e| source::read_error(input, &opts.source, &e))?;
    df.collect()
        .await
        .map_err(|e| source::read_error(input, &opts.source, &e))
}

fn u64_at(batch: &RecordBatch, col: usize, row: usize) -> Result<u64> {
    let a = cast(batch.column(col), &DataType::UInt64).map_err(Error::internal)?;
    let a = a.as_primitive::<datafusion::arrow::datatypes::UInt64Type>();
    Ok(if a.is_null(row) { 0 } else { a.value(row) })
}

/// The class-size histogram over `quasi`.
async fn sizes(
    ctx: &SessionContext,
    quasi: &[String],
    individual: Option<&str>,
    input: &Input,
    opts: &RiskOptions,
) -> Result<Vec<SizeRow>> {
    let size = match individual {
        None => "COUNT(*)".to_string(),
        Some(i) => {
            let i = ident(i);
            format!("COUNT(DISTINCT {i}) + MAX(CASE WHEN {i} IS NULL THEN 1 ELSE 0 END)")
        }
    };
    let group = if quasi.is_empty() {
        String::new()
    } else {
        format!(
            " GROUP BY {}",
            quasi
                .iter()
                .map(|q| ident(q))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let sql = format!(
        "SELECT size, COUNT(*) AS classes, SUM(records) AS records FROM \
         (SELECT {size} AS size, COUNT(*) AS records FROM t{group}) AS c \
         WHERE records > 0 GROUP BY size ORDER BY size"
    );
    let mut out = Vec::new();
    for b in collect(ctx, &sql, input, opts).await? {
        for r in 0..b.num_rows() {
            out.push(SizeRow {
                size: u64_at(&b, 0, r)?,
                classes: u64_at(&b, 1, r)?,
                records: u64_at(&b, 2, r)?,
            });
        }
    }
    Ok(out)
}

fn text(a: &ArrayRef) -> Result<ArrayRef> {
    cast(a, &DataType::Utf8).map_err(Error::internal)
}

/// One sensitive column's l-diversity and t-closeness.
async fn sensitive(
    ctx: &SessionContext,
    quasi: &[String],
    column: &str,
    input: &Input,
    opts: &RiskOptions,
) -> Result<SensitiveRisk> {
    let s = ident(column);
    let sql = format!("SELECT CAST({s} AS VARCHAR) AS v, COUNT(*) AS c FROM t GROUP BY 1");
    let mut whole = Vec::new();
    for b in collect(ctx, &sql, input, opts).await? {
        let v = text(b.column(0))?;
        let v = v.as_string::<i32>();
        for r in 0..b.num_rows() {
            let value = (!v.is_null(r)).then(|| v.value(r).to_string());
            whole.push((value, u64_at(&b, 1, r)?));
        }
    }
    let whole = Distribution::new(whole);
    let mut scan = SensitiveScan::new(&whole);
    let q: Vec<String> = quasi.iter().map(|c| ident(c)).collect();
    let sql = if q.is_empty() {
        format!("SELECT CAST({s} AS VARCHAR) AS v, COUNT(*) AS c FROM t GROUP BY 1")
    } else {
        let keys = q.join(", ");
        format!(
            "SELECT {keys}, CAST({s} AS VARCHAR) AS v, COUNT(*) AS c FROM t \
             GROUP BY {keys}, CAST({s} AS VARCHAR) ORDER BY {keys}"
        )
    };
    let df = ctx
        .sql(&sql)
        .await
        .map_err(|e| source::read_error(input, &opts.source, &e))?;
    let mut stream = df
        .execute_stream()
        .await
        .map_err(|e| source::read_error(input, &opts.source, &e))?;
    let nq = q.len();
    let mut converter: Option<RowConverter> = None;
    let mut current: Option<OwnedRow> = None;
    let mut class: Vec<(Option<String>, u64)> = Vec::new();
    let flush = |class: &mut Vec<(Option<String>, u64)>, scan: &mut SensitiveScan| {
        let view: Vec<(Option<&str>, u64)> =
            class.iter().map(|(v, c)| (v.as_deref(), *c)).collect();
        scan.class(&view);
        class.clear();
    };
    while let Some(batch) = stream.next().await {
        let b = batch.map_err(|e| source::read_error(input, &opts.source, &e))?;
        let v = text(b.column(nq))?;
        let v = v.as_string::<i32>();
        let rows = if nq == 0 {
            None
        } else {
            let conv = match &mut converter {
                Some(c) => c,
                None => converter.insert(
                    RowConverter::new(
                        (0..nq)
                            .map(|i| SortField::new(b.column(i).data_type().clone()))
                            .collect(),
                    )
                    .map_err(Error::internal)?,
                ),
            };
            Some(
                conv.convert_columns(&b.columns()[..nq])
                    .map_err(Error::internal)?,
            )
        };
        for r in 0..b.num_rows() {
            if let Some(rows) = &rows {
                let key = rows.row(r);
                if current.as_ref().is_some_and(|c| c.row() != key) {
                    flush(&mut class, &mut scan);
                }
                if current.as_ref().is_none_or(|c| c.row() != key) {
                    current = Some(key.owned());
                }
            }
            let value = (!v.is_null(r)).then(|| v.value(r).to_string());
            class.push((value, u64_at(&b, nq + 1, r)?));
        }
    }
    if !class.is_empty() {
        flush(&mut class, &mut scan);
    }
    let m = scan.finish();
    Ok(SensitiveRisk {
        column: column.to_string(),
        distinct_l: m.distinct_l,
        entropy_l: m.entropy_l,
        t_closeness: m.t_closeness,
        ordered: m.ordered,
    })
}

fn share(n: u64, of: u64) -> f64 {
    if of == 0 { 0.0 } else { n as f64 / of as f64 }
}

/// One input's risk, from its classification `d` (a scan's dataset report).
pub async fn measure(input: &Input, d: &DatasetReport, opts: &RiskOptions) -> Result<DatasetRisk> {
    let roles = roles(input, d, opts)?;
    let ctx = session(input, opts).await?;
    let quasi: Vec<String> = roles.quasi.iter().map(|q| q.column.clone()).collect();
    let individual = opts.individual.as_deref();
    let size_rows = sizes(&ctx, &quasi, individual, input, opts).await?;
    let m = risk::class_metrics(&size_rows, opts.k, opts.max_risk);
    let mut without = Vec::new();
    if quasi.len() > 1 {
        for (i, column) in quasi.iter().enumerate() {
            let rest: Vec<String> = quasi
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, c)| c.clone())
                .collect();
            let w = risk::class_metrics(
                &sizes(&ctx, &rest, individual, input, opts).await?,
                opts.k,
                opts.max_risk,
            );
            without.push(Without {
                column: column.clone(),
                k: w.k,
                records_below_k: w.records_below_k,
            });
        }
        // Only what would lower the records below k or raise k.
        without.retain(|w| w.records_below_k < m.records_below_k || w.k > m.k);
        without.sort_by(|a, b| {
            a.records_below_k
                .cmp(&b.records_below_k)
                .then(b.k.cmp(&a.k))
                .then(a.column.cmp(&b.column))
        });
    }
    let mut sensitive_risk = Vec::new();
    for s in &roles.sensitive {
        sensitive_risk.push(sensitive(&ctx, &quasi, s, input, opts).await?);
    }
    let in_clear: Vec<&DirectIdentifier> = roles
        .direct
        .iter()
        .filter(|c| c.state != "protected")
        .collect();
    let grade = Grade::of(!in_clear.is_empty(), &m, opts.k, opts.max_risk);
    let grade_reason = match grade {
        Grade::Identifiable => format!(
            "direct identifiers in clear: {}",
            in_clear
                .iter()
                .map(|c| format!("{} ({})", c.column, c.category))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Grade::DeIdentified => format!(
            "no direct identifier in clear, but k = {} (target {}) and highest prosecutor risk {:.4} (threshold {})",
            m.k, opts.k, m.highest_risk, opts.max_risk
        ),
        Grade::LowRisk => format!(
            "no direct identifier in clear; k = {} >= {} and highest prosecutor risk {:.4} <= {}",
            m.k, opts.k, m.highest_risk, opts.max_risk
        ),
    };
    let figures = RiskFigures {
        highest: m.highest_risk,
        average: m.average_risk,
    };
    Ok(DatasetRisk {
        name: d.name.clone(),
        rows: m.rows,
        individual: opts.individual.clone(),
        direct_identifiers: roles.direct,
        quasi_identifiers: roles.quasi,
        classes: m.classes,
        k: m.k,
        classes_below_k: m.classes_below_k,
        records_below_k: m.records_below_k,
        records_below_k_share: share(m.records_below_k, m.rows),
        sample_uniques: m.sample_uniques,
        prosecutor: figures,
        records_at_risk: m.records_at_risk,
        records_at_risk_share: share(m.records_at_risk, m.rows),
        journalist: figures,
        marketer: m.average_risk,
        class_sizes: size_rows
            .iter()
            .map(|s| ClassSize {
                size: s.size,
                classes: s.classes,
                records: s.records,
            })
            .collect(),
        sensitive: sensitive_risk,
        without,
        grade: grade.id().to_string(),
        grade_reason,
    })
}
