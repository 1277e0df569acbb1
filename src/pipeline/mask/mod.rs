//! `steward mask` and `steward unmask`: read an extract through DataFusion one record
//! batch at a time (one partition, so row order is kept), apply each column's method,
//! and write CSV, Parquet or NDJSON (by the output's extension) to a temporary file that
//! is renamed into place only when everything succeeded. Memory is bounded by the batch.
//! Parquet to Parquet goes by row group instead (`row_groups`): kept columns are copied
//! as encoded, and memory is bounded by the input's row-group size.
//!
//! CSV inputs are read with every column as text, so columns that are not masked are
//! written back exactly as they were. `mask` then classifies its own output and reports
//! any column that still holds detectable personal data in clear.

mod masker;
mod row_groups;
mod sink;
pub mod verify;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::prelude::{SessionConfig, SessionContext};
use futures::StreamExt;

use crate::error::{Error, Origin, Result, RuleDiagnostic};
use crate::mask::encrypt::{self, DecryptError};
use crate::mask::keys::Key;
use crate::mask::policy::{self, Method};
use crate::source::{self, Input, InputFormat, SourceOptions};
pub use masker::Masker;
use masker::Text;
use sink::Sink;
use verify::Sample;

#[derive(Debug, Clone)]
pub struct MaskOptions {
    pub data: String,
    pub policy: PathBuf,
    pub output: PathBuf,
    pub source: SourceOptions,
    pub key_file: Option<PathBuf>,
    pub dry_run: bool,
}

pub use crate::report::masking::{ColumnSummary, MaskSummary};

fn session() -> SessionContext {
    // One partition keeps the row order.
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(1));
    crate::udf::register_all(&ctx);
    ctx
}

fn one_input(data: &str, opts: &SourceOptions) -> Result<Input> {
    let mut inputs = source::expand(&[data.to_string()], opts)?;
    if inputs.len() != 1 {
        return Err(Error::Usage(format!(
            "{data}: expected one data file, found {}",
            inputs.len()
        )));
    }
    Ok(inputs.remove(0))
}

/// Register `input` (CSV with every column as text) and stream its batches to `each`.
async fn for_each_batch(
    input: &Input,
    opts: &SourceOptions,
    mut each: impl FnMut(RecordBatch, u64) -> Result<()>,
) -> Result<()> {
    let ctx = session();
    source::register_text(&ctx, input, "t", opts).await?;
    let df = ctx
        .sql("SELECT * FROM t")
        .await
        .map_err(|e| source::read_error(input, opts, &e))?;
    let mut stream = df
        .execute_stream()
        .await
        .map_err(|e| source::read_error(input, opts, &e))?;
    let mut row = 0u64;
    while let Some(batch) = stream.next().await {
        let batch = batch.map_err(|e| source::read_error(input, opts, &e))?;
        let n = batch.num_rows() as u64;
        each(batch, row)?;
        row += n;
    }
    Ok(())
}

/// Every batch of `data` as `mask` reads it (for benchmarks: the whole file in memory).
pub async fn read_batches(data: &str, opts: &SourceOptions) -> Result<Vec<RecordBatch>> {
    let input = one_input(data, opts)?;
    let mut out = Vec::new();
    for_each_batch(&input, opts, |b, _| {
        out.push(b);
        Ok(())
    })
    .await?;
    Ok(out)
}

/// What `mask` will do: the summary so far (columns, categories, methods) and the
/// masker.
pub struct Plan {
    pub summary: MaskSummary,
    pub masker: Masker,
    input: Input,
    /// The policy's re-identification target, measured on the output.
    verify: Option<crate::mask::policy::RiskTarget>,
}

/// Classify the input (one full scan) and decide every column's method; loads the key
/// when one is needed and this is not a dry run.
pub async fn plan(opts: &MaskOptions) -> Result<Plan> {
    let policy = policy::load(&opts.policy)?;
    let input = one_input(&opts.data, &opts.source)?;
    if opts.output.exists()
        && std::fs::canonicalize(&opts.output).ok() == std::fs::canonicalize(&input.path).ok()
    {
        return Err(Error::Usage("the output must not be the input file".into()));
    }
    let classified = crate::scan::scan(&crate::scan::ScanOptions {
        data: vec![opts.data.clone()],
        source: opts.source,
        samples: 0,
        profile: false,
        ..Default::default()
    })
    .await?;
    let dataset = &classified.datasets[0];
    let names: Vec<&str> = dataset.columns.iter().map(|c| c.name.as_str()).collect();
    let mut unknown: Vec<RuleDiagnostic> = policy
        .columns
        .iter()
        .filter(|(name, _)| !names.contains(&name.as_str()))
        .map(
            |(name, (_, origin)): (&String, &(Method, Origin))| RuleDiagnostic {
                origin: origin.clone(),
                message: format!(
                    "column '{name}' is not in {} (its columns: {})",
                    opts.data,
                    names.join(", ")
                ),
                help: crate::error::did_you_mean(name, names.iter().copied()),
            },
        )
        .collect();
    for (m, origin) in policy.columns.values() {
        if let Method::Shift { by, .. } = m
            && !names.contains(&by.as_str())
        {
            unknown.push(RuleDiagnostic {
                origin: origin.clone(),
                message: format!("shift `by:` column '{by}' is not in {}", opts.data),
                help: crate::error::did_you_mean(by, names.iter().copied()),
            });
        }
    }
    if !unknown.is_empty() {
        return Err(Error::RuleFile(unknown));
    }
    if let Some(target) = &policy.verify {
        let listed = target
            .quasi
            .iter()
            .flatten()
            .chain(target.individual.iter());
        for name in listed {
            if !names.contains(&name.as_str()) {
                let help = crate::error::did_you_mean(name, names.iter().copied())
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
                return Err(Error::Usage(format!(
                    "{}: verify: column '{name}' is not in {}{help}",
                    opts.policy.display(),
                    opts.data
                )));
            }
        }
    }
    let mut columns: Vec<ColumnSummary> = Vec::new();
    let mut methods: Vec<Method> = Vec::new();
    for c in &dataset.columns {
        let category = c.classification.as_ref().and_then(|k| k.category.clone());
        let embedded: Vec<String> = c
            .classification
            .as_ref()
            .map(|k| k.embedded.keys().cloned().collect())
            .unwrap_or_default();
        let (method, explicit) = match policy.columns.get(&c.name) {
            Some((m, _)) => (m.clone(), true),
            None => match (&category, policy.auto) {
                (Some(cat), true) => (Method::default_for(cat), false),
                // A text column with personal data inside its text (notes): only that.
                (None, true) if !embedded.is_empty() => {
                    (Method::Spans(policy::SpanWith::Partial), false)
                }
                _ => (Method::Keep, false),
            },
        };
        columns.push(ColumnSummary {
            column: c.name.clone(),
            category,
            method: method.name(),
            method_id: method.id().to_string(),
            explicit,
            values_changed: 0,
            still_detected: None,
            embedded,
        });
        methods.push(method);
    }
    let key = if !opts.dry_run && methods.iter().any(Method::needs_key) {
        Some(Key::load(opts.key_file.as_deref())?)
    } else {
        None
    };
    let summary = MaskSummary {
        input: input.path.display().to_string(),
        output: None,
        rows: 0,
        key_id: key.as_ref().map(|k| k.id().to_string()),
        policy_sha256: policy.sha256.clone(),
        columns,
        risk: None,
    };
    let categories: Vec<Option<String>> =
        summary.columns.iter().map(|c| c.category.clone()).collect();
    Ok(Plan {
        summary,
        masker: Masker::new(methods, categories, key),
        input,
        verify: policy.verify.clone(),
    })
}

/// Mask one extract by a policy. With `dry_run`, only the plan is returned.
pub async fn mask(opts: &MaskOptions) -> Result<MaskSummary> {
    let Plan {
        mut summary,
        masker,
        input,
        verify,
    } = plan(opts).await?;
    if opts.dry_run {
        return Ok(summary);
    }
    let methods = masker.methods();
    // Verification samples, taken from the output as it is written: only for columns
    // whose values the methods wrote and that are not pseudonyms by design.
    let mut samples: Vec<Option<Sample>> = methods
        .iter()
        .map(|m| (*m != Method::Keep && !is_pseudonym(m.id())).then(Sample::default))
        .collect();
    let metadata = [
        ("steward.policy_sha256", summary.policy_sha256.clone()),
        ("steward.key_id", summary.key_id.clone().unwrap_or_default()),
    ];
    // Parquet to Parquet keeps the input's row groups and copies the kept columns'
    // chunks as they are; other inputs and outputs (or nested Parquet schemas) go
    // batch by batch through DataFusion.
    let copied = if row_groups::applies(&input, &opts.output) {
        row_groups::mask(&input, &opts.output, &masker, &metadata, &mut samples).await?
    } else {
        None
    };
    let tmp = match copied {
        Some(w) => {
            summary.rows = w.rows;
            for (c, n) in summary.columns.iter_mut().zip(w.changed) {
                c.values_changed += n;
            }
            w.tmp
        }
        None => mask_batches(&input, opts, &masker, &metadata, &mut summary, &mut samples).await?,
    };

    // Verify, with the output still under its temporary name (so an interrupted run
    // leaves nothing behind): every column of the output is classified. A column the
    // methods wrote is classified from the sample of its output values taken as they
    // were written (the same bottom-k sample a scan of the output would take); a kept
    // column is written unchanged, so its classification is the input's, from planning.
    // A column meant to be protected (or left in clear by auto) that is still detected
    // is a leak. Tokens and ciphertexts are pseudonyms by design and are not re-checked;
    // a column the policy keeps on purpose is not a leak.
    for (c, sample) in summary.columns.iter_mut().zip(samples) {
        let kept_on_purpose = c.explicit && c.method_id == "keep";
        if is_pseudonym(&c.method_id) || kept_on_purpose {
            continue;
        }
        c.still_detected = match sample {
            Some(sample) => sample.category(&c.column),
            // Unchanged: still what the scan found, in the column or inside its text.
            None => c.category.clone().or_else(|| c.embedded.first().cloned()),
        };
    }
    crate::output::persist(tmp, &opts.output)?;
    summary.output = Some(opts.output.display().to_string());
    if let Some(target) = &verify {
        summary.risk = Some(measure_risk(opts, target).await?);
    }
    write_manifest(&opts.output, &summary)?;
    Ok(summary)
}

/// The written output's re-identification risk against the policy's target.
async fn measure_risk(
    opts: &MaskOptions,
    target: &crate::mask::policy::RiskTarget,
) -> Result<crate::report::masking::RiskCheck> {
    let max_risk = target.max_risk.unwrap_or(1.0 / target.k_anonymity as f64);
    let report = super::risk::risk(&super::risk::RiskOptions {
        data: vec![opts.output.display().to_string()],
        source: SourceOptions::default(),
        quasi: target.quasi.clone(),
        sensitive: Some(Vec::new()),
        individual: target.individual.clone(),
        k: target.k_anonymity,
        max_risk,
        memory_limit: None,
    })
    .await?;
    let d = report
        .datasets
        .into_iter()
        .next()
        .ok_or_else(|| Error::Internal("no dataset in the masked output".into()))?;
    Ok(crate::report::masking::RiskCheck {
        quasi: d.quasi_identifiers.into_iter().map(|q| q.column).collect(),
        k_target: target.k_anonymity,
        max_risk,
        k: d.k,
        highest_risk: d.prosecutor.highest,
        records_below_k: d.records_below_k,
        rows: d.rows,
        best: d
            .without
            .first()
            .map(|w| (w.column.clone(), w.k, w.records_below_k)),
    })
}

/// The general path of [`mask`]: DataFusion's batches of any input through the
/// methods, into a [`Sink`] of any output format.
async fn mask_batches(
    input: &Input,
    opts: &MaskOptions,
    masker: &Masker,
    metadata: &[(&str, String)],
    summary: &mut MaskSummary,
    samples: &mut [Option<Sample>],
) -> Result<tempfile::NamedTempFile> {
    let methods = masker.methods();
    let mut sink: Option<(Sink, SchemaRef)> = None;
    for_each_batch(input, &opts.source, |batch, _| {
        // Columns are independent: mask them on separate threads.
        let (arrays, changed) = masker.mask_batch(&batch, true, Some(&mut *samples))?;
        for (c, n) in summary.columns.iter_mut().zip(changed) {
            c.values_changed += n;
        }
        let schema = match &sink {
            Some((_, s)) => s.clone(),
            None => {
                let fields: Vec<Field> = batch
                    .schema()
                    .fields()
                    .iter()
                    .zip(methods)
                    .map(|(f, m)| match m {
                        Method::Keep => f.as_ref().clone(),
                        _ => Field::new(f.name(), DataType::Utf8, true),
                    })
                    .collect();
                let s: SchemaRef = Arc::new(Schema::new(fields));
                sink = Some((
                    Sink::new(&opts.output, s.clone(), metadata, methods)?,
                    s.clone(),
                ));
                s
            }
        };
        let masked = RecordBatch::try_new(schema, arrays).map_err(Error::internal)?;
        summary.rows += masked.num_rows() as u64;
        sink.as_mut().map(|(w, _)| w.write(&masked)).transpose()?;
        Ok(())
    })
    .await?;
    let Some((sink, _)) = sink else {
        return Err(Error::data(&input.path, "no data rows to mask"));
    };
    sink.close()
}

/// Tokens and ciphertexts: pseudonyms by design, not re-checked by verification.
/// Tokens and ciphertexts: pseudonyms by design (by method id).
fn is_pseudonym(method_id: &str) -> bool {
    matches!(method_id, "tokenize" | "encrypt")
}

/// `<output>.steward.json`: policy hash, key id and per-column methods and counts.
fn write_manifest(output: &Path, summary: &MaskSummary) -> Result<()> {
    let mut path = output.as_os_str().to_owned();
    path.push(".steward.json");
    let mut text = serde_json::to_string_pretty(summary).map_err(Error::internal)?;
    text.push('\n');
    crate::output::write_atomic(Path::new(&path), text.as_bytes())
}

#[derive(Debug, Clone)]
pub struct UnmaskOptions {
    pub data: String,
    pub output: PathBuf,
    /// Only these columns (default: every column holding `enc:v1:` values).
    pub columns: Option<Vec<String>>,
    /// Several for key rotation; none: `STEWARD_KEY`.
    pub key_files: Vec<PathBuf>,
    pub source: SourceOptions,
}

/// Decrypt `encrypt`ed values back to the original. Any value that cannot be decrypted
/// stops the run with no output written.
pub async fn unmask(opts: &UnmaskOptions) -> Result<Vec<(String, u64)>> {
    let keys: Vec<Key> = if opts.key_files.is_empty() {
        vec![Key::load(None)?]
    } else {
        opts.key_files
            .iter()
            .map(|p| Key::load(Some(p)))
            .collect::<Result<_>>()?
    };
    let input = one_input(&opts.data, &opts.source)?;
    let csv = matches!(input.format, InputFormat::Csv | InputFormat::Tsv);
    let mut sink: Option<Sink> = None;
    let mut counts: Vec<(String, u64)> = Vec::new();
    for_each_batch(&input, &opts.source, |batch, first_row| {
        let schema = batch.schema();
        if counts.is_empty() {
            counts = schema.fields().iter().map(|f| (f.name().clone(), 0)).collect();
            if let Some(wanted) = &opts.columns {
                for w in wanted {
                    if !counts.iter().any(|(n, _)| n == w) {
                        return Err(Error::Usage(format!(
                            "--columns: '{w}' is not a column of {}",
                            opts.data
                        )));
                    }
                }
            }
        }
        let mut arrays = Vec::new();
        let mut fields = Vec::new();
        for (i, f) in schema.fields().iter().enumerate() {
            let col = batch.column(i);
            let selected = opts.columns.as_ref().is_none_or(|c| c.contains(f.name()));
            // Text of any layout (Parquet strings arrive as `Utf8View`); other types
            // cannot hold ciphertexts.
            let is_text = matches!(
                col.data_type(),
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
            );
            if !(selected && is_text) {
                arrays.push(col.clone());
                fields.push(f.as_ref().clone());
                continue;
            }
            let text = Text::of(col)?;
            let mut out = Vec::with_capacity(text.len());
            for (r, v) in (0..text.len()).map(|r| (r, text.get(r))) {
                let row = first_row + r as u64;
                let fail = |e: DecryptError| {
                    let why = match e {
                        DecryptError::UnknownKey(id) => format!(
                            "encrypted with key {id}, which none of the given keys is (their ids: {})",
                            keys.iter().map(Key::id).collect::<Vec<_>>().join(", ")
                        ),
                        _ => "cannot be decrypted: the value was changed or cut, or the key is wrong".into(),
                    };
                    Error::Data {
                        path: input.path.clone(),
                        line: csv.then_some(row + 2),
                        column: None,
                        message: format!(
                            "{}column '{}': {why}",
                            if csv { String::new() } else { format!("record {}, ", row + 1) },
                            f.name()
                        ),
                    }
                };
                let plain = match v {
                    Some(v) if v.starts_with(encrypt::PREFIX) => {
                        counts[i].1 += 1;
                        Some(encrypt::decrypt(&keys, v).map_err(fail)?)
                    }
                    // Ciphertexts of `spans` inside a text.
                    Some(v) => match encrypt::decrypt_embedded(&keys, v).map_err(fail)? {
                        Some(plain) => {
                            counts[i].1 += 1;
                            Some(plain)
                        }
                        None => Some(v.to_string()),
                    },
                    None => None,
                };
                out.push(plain);
            }
            arrays.push(Arc::new(StringArray::from(out)) as ArrayRef);
            fields.push(Field::new(f.name(), DataType::Utf8, f.is_nullable()));
        }
        let schema: SchemaRef = Arc::new(Schema::new(fields));
        let b = RecordBatch::try_new(schema.clone(), arrays).map_err(Error::internal)?;
        if sink.is_none() {
            sink = Some(Sink::new(&opts.output, schema, &[], &[])?);
        }
        sink.as_mut().map(|w| w.write(&b)).transpose()?;
        Ok(())
    })
    .await?;
    let Some(sink) = sink else {
        return Err(Error::data(&input.path, "no data rows to unmask"));
    };
    sink.finish()?;
    Ok(counts.into_iter().filter(|(_, n)| *n > 0).collect())
}
