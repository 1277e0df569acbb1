//! Inputs -> DataFusion tables.
//!
//! Expands `<DATA>` arguments (files, directories, globs) into named inputs, registers each
//! as a table in a `SessionContext`, and turns read failures into errors that name the
//! file and line. It owns encodings (GBK/GB18030 CSV is decoded while streaming) and
//! never evaluates rules.

mod diagnose;
mod encoded_csv;
mod multiline;
#[cfg(feature = "postgres")]
pub mod postgres;
pub mod remote;
mod spread;
mod store;
pub mod typing;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::common::TableReference;
use datafusion::prelude::{CsvReadOptions, JsonReadOptions, ParquetReadOptions, SessionContext};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
pub use typing::{ColumnType, Declared};

/// How an input file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    Csv,
    Tsv,
    Parquet,
    /// Newline-delimited JSON (`.json`, `.ndjson`, `.jsonl`).
    Json,
    /// A PostgreSQL table or query (`postgres://` inputs only).
    #[value(skip)]
    Postgres,
}

impl InputFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Csv => "csv",
            InputFormat::Tsv => "tsv",
            InputFormat::Parquet => "parquet",
            InputFormat::Json => "ndjson",
            InputFormat::Postgres => "postgres",
        }
    }

    /// The field delimiter of CSV and TSV.
    pub fn delimiter(self) -> u8 {
        if self == InputFormat::Tsv {
            b'\t'
        } else {
            b','
        }
    }

    pub fn from_path(path: &Path) -> Option<InputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" => InputFormat::Csv,
            "tsv" => InputFormat::Tsv,
            "parquet" | "pq" => InputFormat::Parquet,
            "json" | "ndjson" | "jsonl" => InputFormat::Json,
            _ => return None,
        })
    }
}

/// Text encoding of CSV/TSV inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum TextEncoding {
    #[default]
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    Gbk,
    Gb18030,
}

impl TextEncoding {
    pub fn as_str(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Gbk => "gbk",
            TextEncoding::Gb18030 => "gb18030",
        }
    }

    fn encoding(self) -> Option<&'static encoding_rs::Encoding> {
        match self {
            TextEncoding::Utf8 => None,
            TextEncoding::Gbk => Some(encoding_rs::GBK),
            TextEncoding::Gb18030 => Some(encoding_rs::GB18030),
        }
    }
}

/// One input (a file, an object or prefix in a store, a database table), named as a
/// dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The file, or for URL inputs the redacted URL: what errors and reports show.
    pub path: PathBuf,
    pub name: String,
    pub format: InputFormat,
    /// Set for URL inputs.
    pub remote: Option<Remote>,
}

/// A URL input: where it lives and the URL with its credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    pub kind: remote::Kind,
    pub url: remote::SecretUrl,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SourceOptions {
    pub encoding: TextEncoding,
    pub format: Option<InputFormat>,
    /// Tables are registered for a distributed engine (Ballista): only DataFusion's own
    /// listing tables, which serialize to executors (no custom providers).
    pub distributed: bool,
}

/// Expand `<DATA>` arguments into inputs, each a dataset named by its file stem.
/// Directories contribute every supported file in them (sorted); globs every match.
pub fn expand(args: &[String], opts: &SourceOptions) -> Result<Vec<Input>> {
    let mut files = Vec::new();
    let mut urls = Vec::new();
    for arg in args {
        if remote::is_url(arg) {
            urls.push(url_input(arg, opts)?);
            continue;
        }
        let path = PathBuf::from(arg);
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(&path)
                .map_err(|e| Error::data(&path, format!("cannot read directory: {e}")))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && InputFormat::from_path(p).is_some())
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(Error::Usage(format!(
                    "{arg}: no .csv, .tsv, .parquet, .json, .ndjson or .jsonl files in this directory"
                )));
            }
            files.extend(found);
        } else if path.is_file() {
            files.push(path);
        } else if arg.contains(['*', '?', '[']) {
            let matches = glob::glob(arg)
                .map_err(|e| Error::Usage(format!("{arg}: bad glob pattern: {e}")))?;
            let mut found: Vec<PathBuf> = matches
                .filter_map(|m| m.ok())
                .filter(|p| p.is_file())
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(Error::Usage(format!("{arg}: the pattern matches no file")));
            }
            files.extend(found);
        } else {
            return Err(Error::Usage(format!("{arg}: no such file or directory")));
        }
    }
    let mut inputs: Vec<Input> = Vec::new();
    for path in files {
        let format = match opts.format.or_else(|| InputFormat::from_path(&path)) {
            Some(f) => f,
            None => {
                return Err(Error::Usage(format!(
                    "{}: unknown file type; expected .csv, .tsv, .parquet, .json, .ndjson or .jsonl (or pass --input-format)",
                    path.display()
                )));
            }
        };
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("data")
            .to_string();
        if let Some(other) = inputs.iter().find(|i| i.name == name) {
            return Err(Error::Usage(format!(
                "{} and {} would both be dataset '{name}'; scan them in separate runs or rename one",
                other.path.display(),
                path.display()
            )));
        }
        inputs.push(Input {
            path,
            name,
            format,
            remote: None,
        });
    }
    for input in urls {
        if let Some(other) = inputs.iter().find(|i| i.name == input.name) {
            return Err(Error::Usage(format!(
                "{} and {} would both be dataset '{}'; scan them in separate runs",
                other.path.display(),
                input.path.display(),
                input.name
            )));
        }
        inputs.push(input);
    }
    Ok(inputs)
}

#[cfg(feature = "postgres")]
fn table_dataset_name(table: &str) -> Option<String> {
    postgres::dataset_name(table)
}

#[cfg(not(feature = "postgres"))]
fn table_dataset_name(table: &str) -> Option<String> {
    // Unreachable in practice: `remote::parse` refuses postgres:// without the feature.
    table.rsplit('.').next().map(str::to_string)
}

/// A URL argument as an input: a database table or query (dataset named by the table,
/// or `query`), or an object / prefix (named by its last path segment's stem).
fn url_input(arg: &str, opts: &SourceOptions) -> Result<Input> {
    let (kind, url, parsed) = remote::parse(arg)?;
    let shown = url.redacted();
    let (name, format) = match kind {
        remote::Kind::Postgres => {
            let param = |key: &str| {
                parsed
                    .query_pairs()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| v.into_owned())
            };
            let name = match (param("table"), param("query")) {
                (Some(table), None) => table_dataset_name(&table).ok_or_else(|| {
                    Error::Usage(format!(
                        "{shown}: ?table= expects [schema.]name, optionally double-quoted"
                    ))
                })?,
                (None, Some(_)) => "query".to_string(),
                _ => {
                    return Err(Error::Usage(format!(
                        "{shown}: expected exactly one of ?table=[schema.]name or ?query=SELECT..."
                    )));
                }
            };
            (name, InputFormat::Postgres)
        }
        remote::Kind::Store => {
            let format = opts
                .format
                .or_else(|| InputFormat::from_path(Path::new(parsed.path())))
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "{shown}: cannot tell the format from the URL; expected a name ending in .csv, .tsv, .parquet, .json, .ndjson or .jsonl (or pass --input-format, which a prefix ending in / needs)"
                    ))
                })?;
            let name = remote::stem(&parsed).unwrap_or_else(|| "data".into());
            (name, format)
        }
    };
    Ok(Input {
        path: PathBuf::from(shown),
        name,
        format,
        remote: Some(Remote { kind, url }),
    })
}

/// Columns (by position) that a CSV read must keep as text, because a value further down
/// the file did not fit the type inferred from the first rows (a `1985-02-30` in a date
/// column, `n/a` in a number column). A data-quality tool must read such values, not
/// stop at them: they are what the validity checks are for.
pub type TextColumns = std::collections::BTreeSet<usize>;

const SAMPLE_ROWS: usize = 1000;

/// Register `input` as `table` with every CSV/TSV column read as text (typed formats keep
/// their types): for pipelines that must see values exactly as written (`mask` writes
/// untouched columns back byte for byte; `dedupe` normalises them itself).
pub async fn register_text(
    ctx: &SessionContext,
    input: &Input,
    table: &str,
    opts: &SourceOptions,
) -> Result<()> {
    let text_all: TextColumns = if matches!(input.format, InputFormat::Csv | InputFormat::Tsv) {
        // Learn the column count, then read them all as text.
        let probe = format!("{table}__probe");
        register(
            ctx,
            input,
            &probe,
            opts,
            &Default::default(),
            &Declared::new(),
        )
        .await?;
        let provider = ctx
            .table_provider(probe.as_str())
            .await
            .map_err(Error::internal)?;
        let n = provider.schema().fields().len();
        ctx.deregister_table(probe.as_str())
            .map_err(Error::internal)?;
        (0..n).collect()
    } else {
        Default::default()
    };
    register(ctx, input, table, opts, &text_all, &Declared::new()).await
}

/// A Parquet file ends with its metadata length (4 bytes, little-endian) and `PAR1`, and
/// starts with `PAR1`. The parquet crate trusts the length (a hostile footer makes it
/// overflow or allocate the declared size), so it is checked against the file first.
fn check_parquet_footer(path: &Path, len: u64) -> Result<()> {
    use std::io::{Seek, SeekFrom};
    if len < 12 {
        return Err(Error::data(
            path,
            format!(
                "{len} bytes is too short for a Parquet file; expected PAR1, data, metadata, length, PAR1"
            ),
        ));
    }
    let mut f =
        std::fs::File::open(path).map_err(|e| Error::data(path, format!("cannot read: {e}")))?;
    let mut head = [0u8; 4];
    let mut tail = [0u8; 8];
    f.read_exact(&mut head)
        .and_then(|_| f.seek(SeekFrom::End(-8)))
        .and_then(|_| f.read_exact(&mut tail))
        .map_err(|e| Error::data(path, format!("cannot read: {e}")))?;
    if &head != b"PAR1" {
        return Err(Error::data(
            path,
            "not a Parquet file: expected the magic bytes PAR1 at its start and end",
        ));
    }
    footer_fits(path, &tail, len)
}

/// The last 8 bytes of a Parquet file of `len` bytes: `PAR1` and a metadata length that
/// fits in the file.
fn footer_fits(path: &Path, tail: &[u8], len: u64) -> Result<()> {
    if tail.len() != 8 || &tail[4..] != b"PAR1" {
        return Err(Error::data(
            path,
            "not a Parquet file: expected the magic bytes PAR1 at its start and end",
        ));
    }
    let declared = u64::from(u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]));
    if declared + 12 > len {
        return Err(Error::data(
            path,
            format!(
                "corrupt Parquet footer: it declares {declared} bytes of metadata in a file of {len} bytes"
            ),
        ));
    }
    Ok(())
}

/// Register `input` in `ctx` as a table named after the input's dataset name, its
/// columns typed text-first ([`typing`]): `text_columns` (by position) are text,
/// `declared` columns (by name) have the rule file's type.
pub async fn register(
    ctx: &SessionContext,
    input: &Input,
    table: &str,
    opts: &SourceOptions,
    text_columns: &TextColumns,
    declared: &Declared,
) -> Result<()> {
    register_untyped(ctx, input, table, opts, text_columns, declared).await?;
    convert_declared(ctx, input, table, declared).await
}

/// A declared type that differs from the type a typed input (Parquet, NDJSON,
/// PostgreSQL, or a CSV column the reader already converts) has: the table is wrapped
/// so that the column is cast. Columns that are missing are the rules' business.
async fn convert_declared(
    ctx: &SessionContext,
    input: &Input,
    table: &str,
    declared: &Declared,
) -> Result<()> {
    if declared.is_empty() {
        return Ok(());
    }
    let provider = ctx.table_provider(table).await.map_err(Error::internal)?;
    let schema = provider.schema();
    let mut converts = std::collections::BTreeMap::new();
    for (i, f) in schema.fields().iter().enumerate() {
        if let Some(t) = declared.get(f.name())
            && f.data_type() != &t.data_type()
        {
            let target = t.data_type();
            if !datafusion::arrow::compute::can_cast_types(f.data_type(), &target) {
                return Err(Error::Data {
                    path: input.path.clone(),
                    line: None,
                    column: Some(f.name().clone()),
                    message: format!(
                        "the rule file declares type: {}, but the column is {} and cannot be read as one",
                        t.as_str(),
                        f.data_type()
                    ),
                });
            }
            converts.insert(i, typing::Convert::Cast(target));
        }
    }
    if converts.is_empty() {
        return Ok(());
    }
    ctx.deregister_table(table).map_err(Error::internal)?;
    ctx.register_table(
        TableReference::bare(table),
        Arc::new(typing::StrictNumbers::new(provider, converts)),
    )
    .map_err(Error::internal)?;
    Ok(())
}

async fn register_untyped(
    ctx: &SessionContext,
    input: &Input,
    table: &str,
    opts: &SourceOptions,
    text_columns: &TextColumns,
    declared: &Declared,
) -> Result<()> {
    if let Some(remote) = &input.remote {
        return register_remote(ctx, input, remote, table, opts, text_columns, declared).await;
    }
    let meta = std::fs::metadata(&input.path)
        .map_err(|e| Error::data(&input.path, format!("cannot read: {e}")))?;
    if meta.len() == 0 {
        return Err(Error::Data {
            path: input.path.clone(),
            line: Some(1),
            column: None,
            message: match input.format {
                InputFormat::Csv | InputFormat::Tsv => {
                    "the file is empty; expected a header line".into()
                }
                InputFormat::Parquet => "the file is empty; expected a Parquet file".into(),
                InputFormat::Json => "the file is empty; expected one JSON object per line".into(),
                InputFormat::Postgres => "expected a postgres:// URL".into(),
            },
        });
    }
    let path = input.path.to_str().ok_or_else(|| {
        Error::Usage(format!("{}: path is not valid UTF-8", input.path.display()))
    })?;
    let ext = extension_of(&input.path);
    let result = match input.format {
        InputFormat::Csv | InputFormat::Tsv => {
            let delimiter = input.format.delimiter();
            if let Some(encoding) = opts.encoding.encoding() {
                if opts.distributed {
                    return Err(Error::Usage(format!(
                        "{}: --encoding {} is read by steward's own reader, which a cluster cannot run; convert the file to UTF-8 or Parquet first",
                        input.path.display(),
                        opts.encoding.as_str()
                    )));
                }
                let (provider, converts) = encoded_csv::EncodedCsv::try_new(
                    &input.path,
                    encoding,
                    delimiter,
                    text_columns,
                    declared,
                )?;
                let provider: Arc<dyn datafusion::catalog::TableProvider> = Arc::new(provider);
                ctx.register_table(TableReference::bare(table), strict(provider, converts))
                    .map(|_| ())
            } else {
                let file = std::fs::File::open(&input.path)
                    .map_err(|e| Error::data(&input.path, format!("cannot read: {e}")))?;
                let (schema, converts) =
                    infer_csv_schema(&input.path, file, delimiter, text_columns, declared)
                        .map_err(|e| located(input, opts, e))?;
                let csv = CsvLayout {
                    schema,
                    multiline: csv_is_multiline(ctx, &input.path, meta.len(), delimiter)?,
                    converts,
                };
                register_listing(ctx, table, path, input.format, &ext, Some(&csv), opts).await
            }
        }
        InputFormat::Parquet => {
            check_parquet_footer(&input.path, meta.len())?;
            register_listing(ctx, table, path, input.format, &ext, None, opts).await
        }
        InputFormat::Json => {
            register_listing(ctx, table, path, input.format, &ext, None, opts).await
        }
        InputFormat::Postgres => return Err(Error::internal("a postgres input without a URL")),
    };
    result.map_err(|e| read_error(input, opts, &e))
}

/// What steward found out about a CSV/TSV input before reading it.
struct CsvLayout {
    /// The schema steward inferred.
    schema: datafusion::arrow::datatypes::Schema,
    /// A quoted value holds a line break, so the file must be read in one piece.
    multiline: bool,
    /// Number columns read as text and parsed strictly on top of the reader.
    converts: std::collections::BTreeMap<usize, typing::Convert>,
}

/// `provider` with `converts` applied on top, or as it is when there are none.
fn strict(
    provider: Arc<dyn datafusion::catalog::TableProvider>,
    converts: std::collections::BTreeMap<usize, typing::Convert>,
) -> Arc<dyn datafusion::catalog::TableProvider> {
    if converts.is_empty() {
        provider
    } else {
        Arc::new(typing::StrictNumbers::new(provider, converts))
    }
}

/// Whether the local CSV file at `path` has to be read in one piece because a quoted
/// value holds a line break (see [`multiline`]). Files below DataFusion's size for
/// parallel ranges are read in one piece anyway and are not looked at.
fn csv_is_multiline(ctx: &SessionContext, path: &Path, len: u64, delimiter: u8) -> Result<bool> {
    let parallel_from = ctx
        .state()
        .config()
        .options()
        .optimizer
        .repartition_file_min_size as u64;
    if len < parallel_from {
        return Ok(false);
    }
    std::fs::File::open(path)
        .and_then(|f| multiline::has_quoted_line_break(f, delimiter))
        .map_err(|e| Error::data(path, format!("cannot read: {e}")))
}

/// [`csv_is_multiline`] for the objects of a `file://` URL, which are local files: the
/// first object's path when one of them has a line break in a quoted value. Objects of
/// other stores are not read ahead of the scan: line breaks in their quoted values are
/// not supported (README, known limits).
fn multiline_objects(
    ctx: &SessionContext,
    input: &Input,
    loc: &store::Location,
    objects: &[object_store::ObjectMeta],
) -> Result<Option<PathBuf>> {
    if loc.base.as_str() != "file:///" {
        return Ok(None);
    }
    let fs = object_store::local::LocalFileSystem::new();
    let local = |o: &object_store::ObjectMeta| {
        fs.path_to_filesystem(&o.location)
            .map_err(|e| Error::data(&input.path, format!("cannot read: {e}")))
    };
    for object in objects {
        if csv_is_multiline(ctx, &local(object)?, object.size, input.format.delimiter())? {
            return local(&objects[0]).map(Some);
        }
    }
    Ok(None)
}

/// Register `location` (a local path or an object-store URL) as a DataFusion listing
/// table of `format`: the one place files and objects become tables. CSV/TSV is read
/// with the schema steward inferred, in one piece when a quoted value holds a line
/// break; Parquet batches are spread over the cores unless the table is for a cluster.
async fn register_listing(
    ctx: &SessionContext,
    table: &str,
    location: &str,
    format: InputFormat,
    ext: &str,
    csv: Option<&CsvLayout>,
    opts: &SourceOptions,
) -> datafusion::error::Result<()> {
    let table_ref = TableReference::bare(table);
    match format {
        InputFormat::Csv | InputFormat::Tsv => {
            let mut options = CsvReadOptions::new()
                .has_header(true)
                .delimiter(format.delimiter())
                .file_extension(ext);
            // A cluster serializes DataFusion's own tables only: there the number
            // columns are read by Arrow, checked against the first rows only (README,
            // known limits).
            let distributed_schema = csv
                .filter(|_| opts.distributed)
                .map(|csv| typing::with_converts(&csv.schema, &csv.converts));
            if let Some(csv) = csv {
                options = options
                    .schema(distributed_schema.as_ref().unwrap_or(&csv.schema))
                    .newlines_in_values(csv.multiline);
            }
            ctx.register_csv(table_ref, location, options).await?;
            match csv {
                Some(csv) if !csv.converts.is_empty() && !opts.distributed => {
                    let inner = ctx.deregister_table(table)?.ok_or_else(|| {
                        datafusion::error::DataFusionError::Internal("table vanished".into())
                    })?;
                    ctx.register_table(table, strict(inner, csv.converts.clone()))?;
                    Ok(())
                }
                _ => Ok(()),
            }
        }
        InputFormat::Parquet => {
            let options = ParquetReadOptions::default().file_extension(ext);
            ctx.register_parquet(table_ref, location, options).await?;
            if opts.distributed {
                return Ok(());
            }
            spread_batches(ctx, table).await
        }
        InputFormat::Json => {
            let options = JsonReadOptions::default()
                .file_extension(ext)
                .schema_infer_max_records(SAMPLE_ROWS);
            ctx.register_json(table_ref, location, options).await
        }
        InputFormat::Postgres => Err(datafusion::error::DataFusionError::Internal(
            "a postgres input is not a listing table".into(),
        )),
    }
}

/// Register a URL input: a PostgreSQL table, or objects read through an object store.
async fn register_remote(
    ctx: &SessionContext,
    input: &Input,
    remote: &Remote,
    table: &str,
    opts: &SourceOptions,
    text_columns: &TextColumns,
    declared: &Declared,
) -> Result<()> {
    let shown = input.path.display().to_string();
    if remote.kind == remote::Kind::Postgres {
        if opts.distributed {
            return Err(Error::Usage(format!(
                "{shown}: database tables are read by steward's own provider, which a cluster cannot run yet; export the table to Parquet (or scan it without --cluster)"
            )));
        }
        #[cfg(feature = "postgres")]
        {
            let provider = postgres::PostgresTable::connect(remote.url.expose(), &shown).await?;
            ctx.register_table(TableReference::bare(table), Arc::new(provider))
                .map_err(Error::internal)?;
            return Ok(());
        }
        #[cfg(not(feature = "postgres"))]
        return Err(Error::Usage(format!(
            "{shown}: this steward was built without postgres:// support; rebuild with --features postgres"
        )));
    }
    if opts.encoding.encoding().is_some() {
        return Err(Error::Usage(format!(
            "{shown}: --encoding {} reads local files only; convert the objects to UTF-8",
            opts.encoding.as_str()
        )));
    }
    let loc = store::locate(input)?;
    if loc.base.as_str() != "file:///" {
        ctx.register_object_store(loc.base.as_ref(), loc.store.clone());
    }
    // Fails early, naming the URL, when the object or prefix is missing or unreadable.
    let objects = store::objects(input, &loc).await?;
    let ext = if loc.prefix {
        store::default_extension(input.format).to_string()
    } else {
        extension_of(Path::new(loc.table_url.as_str()))
    };
    let url = loc.table_url.as_str();
    let result = match input.format {
        InputFormat::Csv | InputFormat::Tsv => {
            // Infer from the first rows of the first object, as for a local file (per-
            // object inference would disagree between parts), then read `text_columns`
            // (and empty ones) as text.
            if let Some(path) = multiline_objects(ctx, input, &loc, &objects)? {
                // DataFusion's inference cuts its sample at line breaks, quoted or not:
                // infer as for a local file.
                let file = std::fs::File::open(&path)
                    .map_err(|e| Error::data(&path, format!("cannot read: {e}")))?;
                let (schema, converts) = infer_csv_schema(
                    &path,
                    file,
                    input.format.delimiter(),
                    text_columns,
                    declared,
                )?;
                let csv = CsvLayout {
                    schema,
                    multiline: true,
                    converts,
                };
                register_listing(ctx, table, url, input.format, &ext, Some(&csv), opts).await
            } else {
                let first = format!("{}{}", loc.base.as_str(), objects[0].location);
                let probe = CsvReadOptions::new()
                    .has_header(true)
                    .delimiter(input.format.delimiter())
                    .file_extension(&ext)
                    .schema_infer_max_records(SAMPLE_ROWS);
                match ctx.read_csv(first.as_str(), probe).await {
                    Ok(df) => {
                        // No rows at hand: every number column is checked while read.
                        let (schema, converts) = typing::refine(
                            &text_schema(df.schema().as_arrow(), text_columns),
                            &[],
                            declared,
                        );
                        let csv = CsvLayout {
                            schema,
                            multiline: false,
                            converts,
                        };
                        register_listing(ctx, table, url, input.format, &ext, Some(&csv), opts)
                            .await
                    }
                    Err(e) => Err(e),
                }
            }
        }
        InputFormat::Parquet => {
            store::check_parquet_footers(input, &loc, &objects).await?;
            register_listing(ctx, table, url, input.format, &ext, None, opts).await
        }
        InputFormat::Json => {
            register_listing(ctx, table, url, input.format, &ext, None, opts).await
        }
        InputFormat::Postgres => return Err(Error::internal("postgres input in a store")),
    };
    result.map_err(|e| Error::data(&input.path, store::message(&e)))
}

/// `schema` with the columns at `text_columns`, and columns of type `Null`, as text.
fn text_schema(
    schema: &datafusion::arrow::datatypes::Schema,
    text_columns: &TextColumns,
) -> datafusion::arrow::datatypes::Schema {
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .enumerate()
        .map(|(i, f)| {
            if text_columns.contains(&i) || f.data_type() == &DataType::Null {
                Field::new(f.name(), DataType::Utf8, true)
            } else {
                f.as_ref().clone()
            }
        })
        .collect();
    Schema::new(fields)
}

/// SHA-256 and size of what an input holds: the file's bytes, or the objects' bytes in
/// path order. A database table has no bytes to hash (empty hash, size 0).
pub async fn fingerprint(input: &Input) -> Result<(String, u64)> {
    match &input.remote {
        None => {
            let path = input.path.clone();
            tokio::task::spawn_blocking(move || sha256_file(&path))
                .await
                .map_err(|_| Error::internal("hashing task failed"))?
        }
        Some(r) if r.kind == remote::Kind::Store => store::sha256(input).await,
        Some(_) => Ok((String::new(), 0)),
    }
}

/// Re-registers a table so that its scans are spread over the session's partitions
/// (see [`spread`]).
async fn spread_batches(ctx: &SessionContext, table: &str) -> datafusion::error::Result<()> {
    let partitions = ctx.copied_config().target_partitions();
    if partitions < 2 {
        return Ok(());
    }
    let Some(inner) = ctx.deregister_table(table)? else {
        return Ok(());
    };
    ctx.register_table(table, Arc::new(spread::SpreadTable::new(inner, partitions)))?;
    Ok(())
}

fn extension_of(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| format!(".{e}"))
        .unwrap_or_default()
}

/// Prefer the exact line of the first problem over a schema-inference message.
fn located(input: &Input, opts: &SourceOptions, err: Error) -> Error {
    match diagnose::first_problem(input, opts.encoding) {
        Some((line, message)) => Error::Data {
            path: input.path.clone(),
            line: Some(line),
            column: None,
            message,
        },
        None => err,
    }
}

/// Infer a CSV schema from the first rows, then make `text_columns` text, and so a
/// column with no value in those rows (type `Null`), and type the rest text-first
/// ([`typing::refine`]): returns the schema to read with and the number columns to
/// parse strictly on top of it.
pub(crate) fn infer_csv_schema(
    path: &Path,
    reader: impl Read,
    delimiter: u8,
    text_columns: &TextColumns,
    declared: &Declared,
) -> Result<(
    datafusion::arrow::datatypes::Schema,
    std::collections::BTreeMap<usize, typing::Convert>,
)> {
    let format = datafusion::arrow::csv::reader::Format::default()
        .with_header(true)
        .with_delimiter(delimiter);
    // Keep the bytes inference reads, to look at the same rows' text afterwards.
    let mut tee = Tee {
        inner: reader,
        seen: Vec::new(),
    };
    let (schema, _) = format
        .infer_schema(&mut tee, Some(SAMPLE_ROWS))
        .map_err(|e| {
            Error::data(
                path,
                format!(
                    "cannot read the header: {}",
                    diagnose::scrub(&e.to_string())
                ),
            )
        })?;
    // DataFusion refuses a schema with two columns of one name; say so as a data error.
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, f) in schema.fields().iter().enumerate() {
        if let Some(first) = seen.insert(f.name().as_str(), i) {
            return Err(Error::Data {
                path: path.to_path_buf(),
                line: Some(1),
                column: None,
                message: format!(
                    "column name '{}' appears twice in the header (columns {} and {}); expected unique names",
                    f.name(),
                    first + 1,
                    i + 1
                ),
            });
        }
    }
    let sample = sample_records(&tee.seen, delimiter);
    Ok(typing::refine(
        &text_schema(&schema, text_columns),
        &sample,
        declared,
    ))
}

/// A reader that keeps a copy of what it reads (at most the inference sample plus one
/// buffer, so bounded).
struct Tee<R> {
    inner: R,
    seen: Vec<u8>,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.seen.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

/// The first [`SAMPLE_ROWS`] complete records of `bytes` (the start of a CSV file):
/// the record cut by the end of the buffer, and records that do not parse, are left out.
fn sample_records(bytes: &[u8], delimiter: u8) -> Vec<csv::StringRecord> {
    let complete = match memchr::memrchr(b'\n', bytes) {
        Some(end) => &bytes[..=end],
        None => return Vec::new(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(complete);
    reader
        .records()
        .take(SAMPLE_ROWS)
        .filter_map(|r| r.ok())
        .collect()
}

/// When a CSV value did not fit the type inferred from the first rows, the position of
/// its column (Arrow says `... for column N at line ...`).
pub fn mistyped_column(input: &Input, err: &datafusion::error::DataFusionError) -> Option<usize> {
    if !matches!(input.format, InputFormat::Csv | InputFormat::Tsv) {
        return None;
    }
    if let Some(column) = typing::not_canonical_column(err) {
        return Some(column);
    }
    let text = err.to_string();
    let at = text.find("Error while parsing value")?;
    let rest = &text[at..];
    let after = &rest[rest.find(" for column ")? + " for column ".len()..];
    after.split_whitespace().next()?.parse().ok()
}

/// Turn a DataFusion/Arrow read failure into a `Data` error naming the file and line.
/// The input is read again to find the exact line; the engine's own message is used only
/// after removing anything quoted from the data.
pub fn read_error(
    input: &Input,
    opts: &SourceOptions,
    err: &datafusion::error::DataFusionError,
) -> Error {
    if let Some((line, message)) = diagnose::first_problem(input, opts.encoding) {
        return Error::Data {
            path: input.path.clone(),
            line: Some(line),
            column: None,
            message,
        };
    }
    Error::data(&input.path, diagnose::scrub(&err.to_string()))
}

/// SHA-256 and size of a file, streamed.
pub fn sha256_file(path: &Path) -> Result<(String, u64)> {
    let mut file =
        std::fs::File::open(path).map_err(|e| Error::data(path, format!("cannot read: {e}")))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| Error::data(path, format!("cannot read: {e}")))?;
        if n == 0 {
            break;
        }
        total += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((hex::encode(hasher.finalize()), total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_extensions() {
        assert_eq!(
            InputFormat::from_path(Path::new("a.CSV")),
            Some(InputFormat::Csv)
        );
        assert_eq!(
            InputFormat::from_path(Path::new("a.jsonl")),
            Some(InputFormat::Json)
        );
        assert_eq!(InputFormat::from_path(Path::new("a.txt")), None);
    }

    #[test]
    fn two_inputs_with_one_stem_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("c.csv"), "a\n1\n").unwrap();
        std::fs::write(dir.path().join("c.tsv"), "a\n1\n").unwrap();
        let err = expand(
            &[dir.path().display().to_string()],
            &SourceOptions::default(),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("would both be dataset 'c'"),
            "{err}"
        );
    }

    #[test]
    fn globs_and_directories_expand_sorted() {
        let dir = tempfile::tempdir().unwrap();
        for f in ["b.csv", "a.parquet", "notes.txt"] {
            std::fs::write(dir.path().join(f), "x").unwrap();
        }
        let inputs = expand(
            &[dir.path().display().to_string()],
            &SourceOptions::default(),
        )
        .unwrap();
        let names: Vec<_> = inputs.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        let pattern = format!("{}/*.csv", dir.path().display());
        let inputs = expand(&[pattern], &SourceOptions::default()).unwrap();
        assert_eq!(inputs.len(), 1);
    }
}
