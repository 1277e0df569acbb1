//! `mask`'s output file: Parquet writer settings and the [`Sink`] that writes record
//! batches as CSV, Parquet or NDJSON to a temporary file beside the target, renamed into
//! place only when everything succeeded.

use std::path::{Path, PathBuf};

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::{Schema, SchemaRef};

use crate::error::{Error, Result};
use crate::mask::policy::Method;

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
pub(super) struct Sink {
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
    pub(super) fn new(
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

    pub(super) fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        let r = match &mut self.writer {
            Writer::Csv(w) => w.write(batch),
            Writer::Parquet(w) => w.write(batch).map_err(Into::into),
            Writer::Json(w) => w.write(batch),
        };
        r.map_err(|e| crate::output::write_failed(&self.path, e))
    }

    /// Finish the file and move it into place.
    pub(super) fn finish(self) -> Result<()> {
        let path = self.path.clone();
        crate::output::persist(self.close()?, &path)
    }

    /// Finish the file, still under its temporary name.
    pub(super) fn close(self) -> Result<tempfile::NamedTempFile> {
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
