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

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatch, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::prelude::{SessionConfig, SessionContext};
use futures::StreamExt;

use super::encrypt::{self, DecryptError};
use super::generalize::generalize;
use super::keys::Key;
use super::policy::{self, Method};
use super::verify::Sample;
use super::{partial, tokenize};
use crate::error::{Error, Origin, Result, RuleDiagnostic};
use crate::source::{self, Input, InputFormat, SourceOptions};

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

/// Parquet writer settings of `mask`'s output: its key-value metadata (policy hash, key
/// id), row groups of at most 128k rows (the writer buffers one), zstd level 1 (the
/// parquet crate's default is uncompressed: tokens came out 7x the input file), and no
/// dictionary for the columns of `schema` whose entry in `methods` tokenizes or encrypts
/// (tokens and ciphertexts are unique: a dictionary only costs time). `methods` may be
/// empty.
pub(super) fn parquet_properties(
    metadata: &[(&str, String)],
    schema: &Schema,
    methods: &[Method],
) -> datafusion::parquet::file::properties::WriterProperties {
    use datafusion::parquet::file::metadata::KeyValue;
    let kv = metadata
        .iter()
        .map(|(k, v)| KeyValue::new(k.to_string(), v.clone()))
        .collect();
    let mut props = datafusion::parquet::file::properties::WriterProperties::builder()
        .set_key_value_metadata(Some(kv))
        .set_max_row_group_row_count(Some(128 * 1024))
        .set_compression(datafusion::parquet::basic::Compression::ZSTD(
            datafusion::parquet::basic::ZstdLevel::try_new(1).unwrap_or_default(),
        ));
    let unique = schema
        .fields()
        .iter()
        .zip(methods)
        .filter(|(_, m)| matches!(m, Method::Tokenize { .. } | Method::Encrypt));
    for (field, _) in unique {
        props = props.set_column_dictionary_enabled(
            datafusion::parquet::schema::types::ColumnPath::from(field.name().as_str()),
            false,
        );
    }
    props.build()
}

/// Batches to one of the output formats, in a temporary file beside the target `path`
/// (which every write failure names).
struct Sink {
    path: PathBuf,
    writer: Writer,
}

enum Writer {
    Csv(datafusion::arrow::csv::Writer<tempfile::NamedTempFile>),
    Parquet(datafusion::parquet::arrow::ArrowWriter<tempfile::NamedTempFile>),
    Json(datafusion::arrow::json::LineDelimitedWriter<tempfile::NamedTempFile>),
}

impl Sink {
    /// `methods`: each column's method, for the Parquet settings (see
    /// [`parquet_properties`]; empty when nothing is masked).
    fn new(
        path: &Path,
        schema: SchemaRef,
        metadata: &[(&str, String)],
        methods: &[Method],
    ) -> Result<Sink> {
        let tmp = crate::output::temp_beside(path)?;
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let writer = match ext.as_str() {
            "csv" | "tsv" => Writer::Csv(
                datafusion::arrow::csv::WriterBuilder::new()
                    .with_header(true)
                    .with_delimiter(if ext == "tsv" { b'\t' } else { b',' })
                    .build(tmp),
            ),
            "parquet" | "pq" => {
                let props = parquet_properties(metadata, &schema, methods);
                Writer::Parquet(
                    datafusion::parquet::arrow::ArrowWriter::try_new(tmp, schema, Some(props))
                        .map_err(|e| crate::output::write_failed(path, e))?,
                )
            }
            "json" | "ndjson" | "jsonl" => Writer::Json(
                // Explicit nulls, so a redacted column is still a column.
                datafusion::arrow::json::WriterBuilder::new()
                    .with_explicit_nulls(true)
                    .build::<_, datafusion::arrow::json::writer::LineDelimited>(tmp),
            ),
            _ => {
                return Err(Error::Usage(format!(
                    "{}: unknown output format; expected a .csv, .tsv, .parquet, .json, .ndjson or .jsonl file name",
                    path.display()
                )));
            }
        };
        Ok(Sink {
            path: path.to_path_buf(),
            writer,
        })
    }

    fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        let r = match &mut self.writer {
            Writer::Csv(w) => w.write(batch),
            Writer::Parquet(w) => w.write(batch).map_err(Into::into),
            Writer::Json(w) => w.write(batch),
        };
        r.map_err(|e| crate::output::write_failed(&self.path, e))
    }

    /// Finish the file and move it into place.
    fn finish(self) -> Result<()> {
        let path = self.path.clone();
        crate::output::persist(self.close()?, &path)
    }

    /// Finish the file, still under its temporary name.
    fn close(self) -> Result<tempfile::NamedTempFile> {
        let failed = |e| crate::output::write_failed(&self.path, e);
        Ok(match self.writer {
            Writer::Csv(w) => w.into_inner(),
            Writer::Parquet(w) => w.into_inner().map_err(|e| failed(e.to_string()))?,
            Writer::Json(mut w) => {
                w.finish().map_err(|e| failed(e.to_string()))?;
                w.into_inner()
            }
        })
    }
}

/// Per-column state of `encrypt`: nonces read from the OS in bulk, and the buffer that
/// holds nonce || ciphertext || tag.
#[derive(Default)]
struct EncryptState {
    nonces: Option<encrypt::Nonces>,
    blob: Vec<u8>,
}

/// One value through one method, appended to `out`; `false` is null. (`shift` needs the
/// record and is applied in [`mask_column`].)
fn apply_into(
    method: &Method,
    category: Option<&str>,
    key: Option<&Key>,
    v: &str,
    out: &mut String,
    enc: &mut EncryptState,
) -> bool {
    match method {
        Method::Keep => out.push_str(v),
        Method::Partial {
            keep_first,
            keep_last,
        } => match (keep_first, keep_last, category) {
            (None, None, Some("bank_card" | "credit_card" | "iban")) => keep_ends(v, 0, 4, out),
            (None, None, Some("cn_resident_id")) => keep_ends(v, 6, 4, out),
            // A mobile in any written form becomes the same `138****6138`.
            (None, None, Some("cn_mobile")) if partial::mobile_canonical_into(v, out) => {}
            (None, None, c) => partial::mask_as_into(c, v, out),
            (f, l, _) => keep_ends(v, f.unwrap_or(0), l.unwrap_or(0), out),
        },
        Method::Redact { with } => match with {
            Some(w) => out.push_str(w),
            None => return false,
        },
        Method::Tokenize { format_preserving } => {
            let Some(key) = key else { return false };
            let v = token_input(category, v);
            if *format_preserving {
                tokenize::token_preserving_into(key, &v, out)
            } else {
                tokenize::token_into(key, &v, out)
            }
        }
        Method::Encrypt => {
            let Some(key) = key else { return false };
            let nonce = enc.nonces.get_or_insert_with(encrypt::Nonces::new).fresh();
            encrypt::encrypt_into(key, v, &nonce, &mut enc.blob, out)
        }
        Method::Generalize(to) => match generalize(to, v) {
            Some(g) => out.push_str(&g),
            None => return false,
        },
        Method::Shift { .. } => return false,
    }
    true
}

/// What a token is computed from: in a mobile column, a mobile in any written form is
/// tokenized as its 11 canonical digits, so `+86 138 0013 8000` and `13800138000` get
/// the same token (and joins on tokens still match); anything else as it is.
fn token_input<'a>(category: Option<&str>, v: &'a str) -> Cow<'a, str> {
    if category == Some("cn_mobile")
        && let Some(m) = crate::validate::phone::cn_mobile(v)
        && !m.is_canonical()
    {
        return Cow::Owned(m.as_str().to_string());
    }
    Cow::Borrowed(v)
}

/// Keep `first` and `last` characters, `*` between (all `*` when too short).
fn keep_ends(v: &str, first: usize, last: usize, out: &mut String) {
    let n = partial::char_count(v);
    if first + last >= n {
        out.extend(std::iter::repeat_n('*', n));
        return;
    }
    partial::keep_ends_into(v, n, first, last, out)
}

fn as_text(array: &ArrayRef) -> Result<StringArray> {
    let text = cast(array, &DataType::Utf8).map_err(Error::internal)?;
    Ok(text.as_string::<i32>().clone())
}

/// A column's values as text, read in place (Parquet strings arrive as `Utf8View`);
/// other types are cast to text.
enum Text {
    Utf8(StringArray),
    Large(datafusion::arrow::array::LargeStringArray),
    View(datafusion::arrow::array::StringViewArray),
}

impl Text {
    fn of(array: &ArrayRef) -> Result<Text> {
        Ok(match array.data_type() {
            DataType::Utf8 => Text::Utf8(array.as_string::<i32>().clone()),
            DataType::LargeUtf8 => Text::Large(array.as_string::<i64>().clone()),
            DataType::Utf8View => Text::View(array.as_string_view().clone()),
            _ => Text::Utf8(as_text(array)?),
        })
    }

    fn len(&self) -> usize {
        match self {
            Text::Utf8(a) => a.len(),
            Text::Large(a) => a.len(),
            Text::View(a) => a.len(),
        }
    }

    #[inline]
    fn get(&self, i: usize) -> Option<&str> {
        match self {
            Text::Utf8(a) => a.is_valid(i).then(|| a.value(i)),
            Text::Large(a) => a.is_valid(i).then(|| a.value(i)),
            Text::View(a) => a.is_valid(i).then(|| a.value(i)),
        }
    }
}

/// Rows after which a column's per-batch cache of results is dropped if fewer than one
/// lookup in [`CACHE_MIN_HIT`] found a repeated value.
const CACHE_PROBE_ROWS: usize = 1024;
const CACHE_MIN_HIT: usize = 8;

/// A batch's cache of results by input value, which turns itself off (and frees its
/// table) at row [`CACHE_PROBE_ROWS`] when values hardly repeat.
struct ValueCache<'a, V> {
    on: bool,
    map: hashbrown::HashMap<&'a str, V>,
    hits: usize,
}

impl<'a, V: Copy> ValueCache<'a, V> {
    fn new(on: bool) -> Self {
        Self {
            on,
            map: hashbrown::HashMap::new(),
            hits: 0,
        }
    }

    /// Call once per row, before its value is looked at (null rows count too).
    fn row(&mut self, row: usize) {
        if self.on && row == CACHE_PROBE_ROWS && self.hits * CACHE_MIN_HIT < row {
            self.on = false;
            self.map = hashbrown::HashMap::new();
        }
    }

    fn get(&mut self, v: &str) -> Option<V> {
        let found = self.on.then(|| self.map.get(v).copied()).flatten();
        self.hits += found.is_some() as usize;
        found
    }

    fn insert(&mut self, v: &'a str, result: V) {
        if self.on {
            self.map.insert(v, result);
        }
    }
}

/// Column `i` of `batch` through `method`, and how many values changed. The output is
/// built in place (one buffer for the batch, no `String` per value).
fn mask_column(
    batch: &RecordBatch,
    i: usize,
    method: &Method,
    category: Option<&str>,
    key: Option<&Key>,
    mut sample: Option<&mut Sample>,
) -> Result<(ArrayRef, u64)> {
    let col = batch.column(i);
    if *method == Method::Keep {
        return Ok((col.clone(), 0));
    }
    let text = Text::of(col)?;
    if let (Method::Tokenize { format_preserving }, Some(key)) = (method, key) {
        return mask_tokens(&text, key, *format_preserving, category, sample);
    }
    let n = text.len();
    // For shift: the record each row belongs to.
    let records = match method {
        Method::Shift { by, .. } => {
            let j = batch.schema().index_of(by).map_err(Error::internal)?;
            Some(Text::of(batch.column(j))?)
        }
        _ => None,
    };
    let mut out = datafusion::arrow::array::StringBuilder::with_capacity(n, n * 24);
    let mut scratch = String::new();
    let mut enc = EncryptState::default();
    let mut changed = 0;
    // Deterministic methods give the same output for the same value: a value repeated
    // within the batch (names, cities) is computed once, its result copied from the
    // row that first had it. Only where that is dearer than a hash lookup (tokens,
    // generalize), and dropped for a batch whose values hardly repeat. Never for
    // `encrypt` (equal ciphertexts would reveal equal values) or `shift` (the output
    // depends on the record).
    // value -> byte range of its result in `out` (None: null).
    let mut cache: ValueCache<Option<(usize, usize)>> = ValueCache::new(matches!(
        method,
        Method::Tokenize { .. } | Method::Generalize(_)
    ));
    for row in 0..n {
        cache.row(row);
        let Some(v) = text.get(row) else {
            out.append_null();
            continue;
        };
        if let Some(prev) = cache.get(v) {
            match prev {
                Some((start, end)) => {
                    scratch.clear();
                    scratch.push_str(
                        std::str::from_utf8(&out.values_slice()[start..end])
                            .map_err(Error::internal)?,
                    );
                    if scratch != v {
                        changed += 1;
                    }
                    out.append_value(&scratch);
                }
                None => {
                    changed += 1;
                    out.append_null();
                }
            }
            continue;
        }
        scratch.clear();
        let valid = match (method, &records, key) {
            (Method::Shift { days, .. }, Some(records), Some(key)) => {
                let o = super::shift::offset(key, records.get(row).unwrap_or(""), *days);
                match super::shift::shift(v, o) {
                    Some(s) => {
                        scratch.push_str(&s);
                        true
                    }
                    None => false,
                }
            }
            _ => apply_into(method, category, key, v, &mut scratch, &mut enc),
        };
        if valid {
            if scratch != v {
                changed += 1;
            }
            let start = out.values_slice().len();
            cache.insert(v, Some((start, start + scratch.len())));
            // Verification sees each distinct output once (a cache hit repeats a value
            // the sample has already been offered).
            if let Some(sample) = sample.as_deref_mut() {
                sample.offer(&scratch);
            }
            out.append_value(&scratch);
        } else {
            changed += 1;
            cache.insert(v, None);
            out.append_null();
        }
    }
    Ok((Arc::new(out.finish()), changed))
}

/// [`mask_column`] for `tokenize`: the batch's distinct values (a value repeated within
/// the batch once, while that pays, as in `mask_column`) are tokenized together, so the
/// HMACs run two at a time; then the rows are written in order. The same output, counts
/// and verification sample as value by value (tokens of [`token_input`]).
fn mask_tokens(
    text: &Text,
    key: &Key,
    format_preserving: bool,
    category: Option<&str>,
    mut sample: Option<&mut Sample>,
) -> Result<(ArrayRef, u64)> {
    const NULL: u32 = u32::MAX;
    let n = text.len();
    // Distinct values, and what each is tokenized from.
    let mut todo: Vec<&str> = Vec::new();
    let mut inputs: Vec<Cow<'_, str>> = Vec::new();
    // Per row: its value's index in `todo`, or NULL.
    let mut slots: Vec<u32> = Vec::with_capacity(n);
    let mut cache: ValueCache<u32> = ValueCache::new(true);
    for row in 0..n {
        cache.row(row);
        let Some(v) = text.get(row) else {
            slots.push(NULL);
            continue;
        };
        if let Some(s) = cache.get(v) {
            slots.push(s);
            continue;
        }
        let s = u32::try_from(todo.len()).map_err(Error::internal)?;
        todo.push(v);
        inputs.push(token_input(category, v));
        cache.insert(v, s);
        slots.push(s);
    }
    let inputs: Vec<&str> = inputs.iter().map(|v| v.as_ref()).collect();
    let mut tokens = String::with_capacity(todo.len() * 28);
    let mut ends = Vec::with_capacity(todo.len());
    tokenize::tokens_into(key, format_preserving, &inputs, &mut tokens, &mut ends);
    let token = |s: usize| &tokens[if s == 0 { 0 } else { ends[s - 1] }..ends[s]];
    let bytes: usize = slots
        .iter()
        .filter(|&&s| s != NULL)
        .map(|&s| token(s as usize).len())
        .sum();
    let mut out = datafusion::arrow::array::StringBuilder::with_capacity(n, bytes);
    let mut changed = 0;
    // Slots are numbered in order of first appearance: the first row of each is where
    // value-by-value masking computed (and offered to the sample) its token.
    let mut fresh = 0;
    for &s in &slots {
        if s == NULL {
            out.append_null();
            continue;
        }
        let (s, t) = (s as usize, token(s as usize));
        if t != todo[s] {
            changed += 1;
        }
        if s == fresh {
            if let Some(sample) = sample.as_deref_mut() {
                sample.offer(t);
            }
            fresh += 1;
        }
        out.append_value(t);
    }
    Ok((Arc::new(out.finish()), changed))
}

/// The methods of one run, column by column, applied batch by batch.
#[derive(Debug, Clone)]
pub struct Masker {
    methods: Vec<Method>,
    categories: Vec<Option<String>>,
    key: Option<Key>,
}

impl Masker {
    pub fn new(methods: Vec<Method>, categories: Vec<Option<String>>, key: Option<Key>) -> Self {
        Masker {
            methods,
            categories,
            key,
        }
    }

    pub fn methods(&self) -> &[Method] {
        &self.methods
    }

    /// The masker of some columns only (in the given order), for batches that hold
    /// just those columns.
    pub(crate) fn subset(&self, columns: &[usize]) -> Masker {
        Masker {
            methods: columns.iter().map(|&i| self.methods[i].clone()).collect(),
            categories: columns
                .iter()
                .map(|&i| self.categories[i].clone())
                .collect(),
            key: self.key.clone(),
        }
    }

    /// Every column of `batch` through its method (kept columns as they are), and how
    /// many values of each changed. `threads`: the masked columns on separate threads.
    /// `samples`: per column, the verification sample to offer its output to.
    pub fn mask_batch(
        &self,
        batch: &RecordBatch,
        threads: bool,
        samples: Option<&mut [Option<Sample>]>,
    ) -> Result<(Vec<ArrayRef>, Vec<u64>)> {
        let n = self.methods.len();
        let mut none: Vec<Option<Sample>> = Vec::new();
        let samples: &mut [Option<Sample>] = match samples {
            Some(s) => s,
            None => {
                none.resize_with(n, || None);
                &mut none
            }
        };
        let one = |i: usize, sample: Option<&mut Sample>| {
            mask_column(
                batch,
                i,
                &self.methods[i],
                self.categories[i].as_deref(),
                self.key.as_ref(),
                sample,
            )
        };
        let results: Vec<Result<(ArrayRef, u64)>> = if threads {
            std::thread::scope(|scope| {
                let handles: Vec<_> = samples
                    .iter_mut()
                    .enumerate()
                    .map(|(i, sample)| {
                        // Kept columns are passed through: no thread for them.
                        if self.methods[i] == Method::Keep {
                            Err(one(i, None))
                        } else {
                            Ok(scope.spawn(move || one(i, sample.as_mut())))
                        }
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| match h {
                        Err(r) => r,
                        Ok(h) => h
                            .join()
                            .unwrap_or_else(|_| Err(Error::internal("a masking thread panicked"))),
                    })
                    .collect()
            })
        } else {
            samples
                .iter_mut()
                .enumerate()
                .map(|(i, sample)| one(i, sample.as_mut()))
                .collect()
        };
        let mut arrays = Vec::with_capacity(results.len());
        let mut changed = Vec::with_capacity(results.len());
        for r in results {
            let (a, n) = r?;
            arrays.push(a);
            changed.push(n);
        }
        Ok((arrays, changed))
    }
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
    let mut columns: Vec<ColumnSummary> = Vec::new();
    let mut methods: Vec<Method> = Vec::new();
    for c in &dataset.columns {
        let category = c.classification.as_ref().and_then(|k| k.category.clone());
        let (method, explicit) = match policy.columns.get(&c.name) {
            Some((m, _)) => (m.clone(), true),
            None => match (&category, policy.auto) {
                (Some(cat), true) => (Method::default_for(cat), false),
                _ => (Method::Keep, false),
            },
        };
        columns.push(ColumnSummary {
            column: c.name.clone(),
            category,
            method: method.name(),
            explicit,
            values_changed: 0,
            still_detected: None,
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
    };
    let categories: Vec<Option<String>> =
        summary.columns.iter().map(|c| c.category.clone()).collect();
    Ok(Plan {
        summary,
        masker: Masker::new(methods, categories, key),
        input,
    })
}

/// Mask one extract by a policy. With `dry_run`, only the plan is returned.
pub async fn mask(opts: &MaskOptions) -> Result<MaskSummary> {
    let Plan {
        mut summary,
        masker,
        input,
    } = plan(opts).await?;
    if opts.dry_run {
        return Ok(summary);
    }
    let methods = masker.methods();
    // Verification samples, taken from the output as it is written: only for columns
    // whose values the methods wrote and that are not pseudonyms by design.
    let mut samples: Vec<Option<Sample>> = summary
        .columns
        .iter()
        .zip(methods)
        .map(|(c, m)| (*m != Method::Keep && !is_pseudonym(&c.method)).then(Sample::default))
        .collect();
    let metadata = [
        ("steward.policy_sha256", summary.policy_sha256.clone()),
        ("steward.key_id", summary.key_id.clone().unwrap_or_default()),
    ];
    // Parquet to Parquet keeps the input's row groups and copies the kept columns'
    // chunks as they are; other inputs and outputs (or nested Parquet schemas) go
    // batch by batch through DataFusion.
    let copied = if super::row_groups::applies(&input, &opts.output) {
        super::row_groups::mask(&input, &opts.output, &masker, &metadata, &mut samples).await?
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
        let kept_on_purpose = c.explicit && c.method == "keep";
        if is_pseudonym(&c.method) || kept_on_purpose {
            continue;
        }
        c.still_detected = match sample {
            Some(sample) => sample.category(&c.column),
            None => c.category.clone(),
        };
    }
    crate::output::persist(tmp, &opts.output)?;
    summary.output = Some(opts.output.display().to_string());
    write_manifest(&opts.output, &summary)?;
    Ok(summary)
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
fn is_pseudonym(method: &str) -> bool {
    method.starts_with("tokenize") || method == "encrypt"
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
                let plain = match v {
                    Some(v) if v.starts_with(encrypt::PREFIX) => {
                        counts[i].1 += 1;
                        let row = first_row + r as u64;
                        Some(encrypt::decrypt(&keys, v).map_err(|e| {
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
                        })?)
                    }
                    other => other.map(str::to_string),
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
