//! `mask` from Parquet to Parquet, one row group at a time: the columns the policy keeps
//! are copied as they are encoded in the input (their column chunks' bytes, statistics
//! and page indexes, no decoding or encoding), and only the masked columns (and the
//! `by` columns of `shift`) are decoded, masked and encoded. The output has the input's
//! row groups, row order, column order and Parquet types of the kept columns, so a kept
//! column reads back identical, and the same key-value metadata as the general path.
//!
//! Memory: a masked column's encoded pages of one row group must all exist before the
//! row group is written (a column chunk is contiguous). The first [`RESIDENT_BYTES`] of
//! each are kept in memory, the rest go to an unnamed temporary file beside the output
//! ([`SpillPages`]; masked values only, never input values), so memory is bounded by
//! the batch and these buffers, not by the input's row-group or file size.
//!
//! The decoding is synchronous; each batch ends with a cancellation point, so an
//! interrupted or timed-out run stops within a batch and leaves no output.
//!
//! Used when the input is a local Parquet file with a flat schema (one leaf per column)
//! and the output is Parquet; everything else goes through `pipeline`'s general path.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use datafusion::parquet::arrow::arrow_writer::{ArrowWriterOptions, compute_leaves};
use datafusion::parquet::arrow::{ArrowSchemaConverter, ArrowWriter, ProjectionMask};
use datafusion::parquet::column::page_store::{
    PageKey, PageStore, PageStoreArgs, PageStoreFactory,
};
use datafusion::parquet::column::writer::ColumnCloseResult;
use datafusion::parquet::errors::{ParquetError, Result as ParquetResult};
use datafusion::parquet::file::metadata::PageIndexPolicy;
use datafusion::parquet::schema::types::{SchemaDescriptor, Type, TypePtr};

use super::masker::Masker;
use super::verify::Sample;
use crate::error::{Error, Result};
use crate::mask::policy::Method;
use crate::source::{Input, InputFormat};

/// Rows per decoded batch (DataFusion's batch size, so the per-batch caches of the
/// methods behave as on the general path).
const BATCH_ROWS: usize = 8192;

/// Encoded bytes of one masked column chunk kept in memory; beyond, pages spill.
const RESIDENT_BYTES: usize = 4 << 20;

/// Allocates a [`SpillPages`] per masked column chunk.
#[derive(Debug)]
struct SpillFactory {
    /// Where spill files go: the output's directory.
    dir: std::path::PathBuf,
}

impl PageStoreFactory for SpillFactory {
    fn create(&self, _args: &PageStoreArgs<'_>) -> ParquetResult<Box<dyn PageStore>> {
        Ok(Box::new(SpillPages {
            dir: self.dir.clone(),
            limit: RESIDENT_BYTES,
            pages: Vec::new(),
            resident: 0,
            file: None,
            end: 0,
        }))
    }
}

enum Page {
    Resident(bytes::Bytes),
    /// Offset and length in the spill file.
    Spilled(u64, usize),
    Taken,
}

/// A column chunk's serialized pages: in memory up to [`RESIDENT_BYTES`], then in an
/// unnamed temporary file (removed by the OS when closed, even if the run is killed).
struct SpillPages {
    dir: std::path::PathBuf,
    /// Bytes held in memory at most.
    limit: usize,
    pages: Vec<Page>,
    resident: usize,
    file: Option<File>,
    end: u64,
}

impl PageStore for SpillPages {
    fn put(&mut self, value: bytes::Bytes) -> ParquetResult<PageKey> {
        use std::io::{Seek, SeekFrom, Write};
        let key = PageKey::new(self.pages.len() as u64);
        if self.resident + value.len() <= self.limit {
            self.resident += value.len();
            self.pages.push(Page::Resident(value));
            return Ok(key);
        }
        let file = match &mut self.file {
            Some(f) => f,
            None => self.file.insert(tempfile::tempfile_in(&self.dir)?),
        };
        file.seek(SeekFrom::Start(self.end))?;
        file.write_all(&value)?;
        self.pages.push(Page::Spilled(self.end, value.len()));
        self.end += value.len() as u64;
        Ok(key)
    }

    fn take(&mut self, key: PageKey) -> ParquetResult<bytes::Bytes> {
        use std::io::{Read, Seek, SeekFrom};
        let page = self
            .pages
            .get_mut(key.get() as usize)
            .map(|p| std::mem::replace(p, Page::Taken));
        match page {
            Some(Page::Resident(b)) => {
                self.resident -= b.len();
                Ok(b)
            }
            Some(Page::Spilled(offset, len)) => {
                let file = self
                    .file
                    .as_mut()
                    .ok_or_else(|| ParquetError::General("spilled page without a file".into()))?;
                file.seek(SeekFrom::Start(offset))?;
                let mut buf = vec![0u8; len];
                file.read_exact(&mut buf)?;
                Ok(bytes::Bytes::from(buf))
            }
            _ => Err(ParquetError::General(format!(
                "no page {} in the spill store",
                key.get()
            ))),
        }
    }

    fn memory_size(&self) -> usize {
        self.resident
    }
}

/// What the row-group path wrote: the finished file (under its temporary name), rows,
/// and per column how many values changed.
pub(super) struct Written {
    pub tmp: tempfile::NamedTempFile,
    pub rows: u64,
    pub changed: Vec<u64>,
}

/// Whether `input` -> `output` can keep the input's row groups.
pub(super) fn applies(input: &Input, output: &Path) -> bool {
    let parquet_out = output
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "parquet" | "pq"));
    parquet_out && input.remote.is_none() && input.format == InputFormat::Parquet
}

/// The output's directory (where its temporary file is, too).
fn spill_dir(output: &Path) -> std::path::PathBuf {
    match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    }
}

fn read_error(input: &Input, e: impl std::fmt::Display) -> Error {
    Error::data(&input.path, format!("cannot read Parquet: {e}"))
}

fn write_error<E: std::fmt::Display>(output: &Path) -> impl Fn(E) -> Error + '_ {
    move |e| crate::output::write_failed(output, e)
}

/// Mask `input` into a temporary file beside `output`; `None` when its schema is not
/// flat (nested columns), so the caller takes the general path. `samples`: per column,
/// the verification sample to offer the masked values to.
pub(super) async fn mask(
    input: &Input,
    output: &Path,
    masker: &Masker,
    metadata: &[(&str, String)],
    samples: &mut [Option<Sample>],
) -> Result<Option<Written>> {
    let file = File::open(&input.path).map_err(|e| read_error(input, e))?;
    let options = ArrowReaderOptions::new().with_page_index_policy(PageIndexPolicy::Optional);
    let meta = ArrowReaderMetadata::load(&file, options).map_err(|e| read_error(input, e))?;
    let parquet = meta.metadata().clone();
    let descr = parquet.file_metadata().schema_descr();
    let in_schema = meta.schema().clone();
    let roots = descr.root_schema().get_fields();
    let methods = masker.methods();
    if roots.len() != in_schema.fields().len()
        || roots.len() != descr.num_columns()
        || roots.len() != methods.len()
        || !roots.iter().all(|t| t.is_primitive())
    {
        return Ok(None);
    }
    let masked: Vec<bool> = methods.iter().map(|m| *m != Method::Keep).collect();
    // Columns to decode: the masked ones and the records `shift` reads.
    let mut read: Vec<bool> = masked.clone();
    for m in methods {
        if let Method::Shift { by, .. } = m {
            let j = in_schema.index_of(by).map_err(Error::internal)?;
            read[j] = true;
        }
    }
    let read_idx: Vec<usize> = (0..read.len()).filter(|&i| read[i]).collect();

    // The output: kept columns with the input's Arrow and Parquet types, masked ones text.
    let out_fields: Vec<Field> = in_schema
        .fields()
        .iter()
        .zip(&masked)
        .map(|(f, &m)| {
            if m {
                Field::new(f.name(), DataType::Utf8, true)
            } else {
                f.as_ref().clone()
            }
        })
        .collect();
    let out_schema: SchemaRef = Arc::new(Schema::new(out_fields));
    let mut leaf_types: Vec<TypePtr> = Vec::with_capacity(roots.len());
    for (i, t) in roots.iter().enumerate() {
        leaf_types.push(if masked[i] {
            let one = Schema::new(vec![out_schema.field(i).clone()]);
            let converted = ArrowSchemaConverter::new()
                .convert(&one)
                .map_err(Error::internal)?;
            converted.root_schema().get_fields()[0].clone()
        } else {
            t.clone()
        });
    }
    let root = Type::group_type_builder(descr.root_schema().name())
        .with_fields(leaf_types)
        .build()
        .map_err(Error::internal)?;
    let out_descr = SchemaDescriptor::new(Arc::new(root));

    let props = super::sink::parquet_properties(metadata, &out_schema, methods);
    let tmp = crate::output::temp_beside(output)?;
    let writer = ArrowWriter::try_new_with_options(
        tmp,
        out_schema.clone(),
        ArrowWriterOptions::new()
            .with_properties(props)
            .with_parquet_schema(out_descr)
            .with_page_store_factory(Arc::new(SpillFactory {
                dir: spill_dir(output),
            })),
    )
    .map_err(write_error(output))?;
    let (mut file_writer, factory) = writer
        .into_serialized_writer()
        .map_err(write_error(output))?;

    // The masker and samples of the decoded columns only, in file order.
    let sub = masker.subset(&read_idx);
    let mut sub_samples: Vec<Option<Sample>> =
        read_idx.iter().map(|&i| samples[i].take()).collect();
    let mut changed = vec![0u64; methods.len()];
    let mut rows = 0u64;
    let projection = ProjectionMask::roots(descr, read_idx.iter().copied());
    let column_indexes = parquet.column_index();
    let offset_indexes = parquet.offset_index();
    // A file has an offset index for every column chunk or for none (the parquet
    // writer cannot write some): the masked columns' page indexes are kept only when
    // every kept column chunk of the input has one.
    let page_indexes = parquet.row_groups().iter().enumerate().all(|(rg, g)| {
        (0..g.num_columns()).all(|i| {
            masked[i]
                || offset_indexes
                    .and_then(|o| o.get(rg))
                    .and_then(|o| o.get(i))
                    .is_some()
        })
    });
    for (rg, rg_meta) in parquet.row_groups().iter().enumerate() {
        let mut writers: Vec<Option<_>> = factory
            .create_column_writers(rg)
            .map_err(write_error(output))?
            .into_iter()
            .map(Some)
            .collect();
        if !read_idx.is_empty() {
            let f = file.try_clone().map_err(|e| read_error(input, e))?;
            let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(f, meta.clone())
                .with_row_groups(vec![rg])
                .with_projection(projection.clone())
                .with_batch_size(BATCH_ROWS)
                .build()
                .map_err(|e| read_error(input, e))?;
            for batch in reader {
                // A cancellation point per batch (SIGINT, SIGTERM, --timeout), as the
                // general path's stream has: the temporary file is then dropped.
                tokio::task::yield_now().await;
                crate::interrupt::check()?;
                let batch = batch.map_err(|e| read_error(input, e))?;
                let (arrays, n) = sub.mask_batch(&batch, true, Some(&mut sub_samples))?;
                for (k, &i) in read_idx.iter().enumerate() {
                    if !masked[i] {
                        continue;
                    }
                    changed[i] += n[k];
                    let w = writers[i].as_mut().ok_or_else(|| {
                        Error::internal("a masked column has no writer; please report")
                    })?;
                    for leaf in
                        compute_leaves(out_schema.field(i), &arrays[k]).map_err(Error::internal)?
                    {
                        w.write(&leaf).map_err(write_error(output))?;
                    }
                }
            }
        }
        let mut rg_writer = file_writer.next_row_group().map_err(write_error(output))?;
        for (i, column) in rg_meta.columns().iter().enumerate() {
            if masked[i] {
                let w = writers[i].take().ok_or_else(|| {
                    Error::internal("a masked column has no writer; please report")
                })?;
                let mut chunk = w.close().map_err(write_error(output))?;
                if !page_indexes {
                    chunk.close_mut().offset_index = None;
                    chunk.close_mut().column_index = None;
                }
                chunk
                    .append_to_row_group(&mut rg_writer)
                    .map_err(write_error(output))?;
            } else {
                // The input's column chunk as it is, with its page indexes (bloom
                // filters are not copied: an output reader gets correct, unfiltered
                // reads of kept columns).
                let close = ColumnCloseResult {
                    bytes_written: column.compressed_size() as u64,
                    rows_written: rg_meta.num_rows() as u64,
                    metadata: column.clone(),
                    bloom_filter: None,
                    column_index: column_indexes
                        .and_then(|c| c.get(rg))
                        .and_then(|c| c.get(i))
                        .cloned(),
                    offset_index: offset_indexes
                        .and_then(|o| o.get(rg))
                        .and_then(|o| o.get(i))
                        .cloned(),
                };
                rg_writer
                    .append_column(&file, close)
                    .map_err(write_error(output))?;
            }
        }
        rg_writer.close().map_err(write_error(output))?;
        rows += rg_meta.num_rows() as u64;
    }
    for (k, &i) in read_idx.iter().enumerate() {
        samples[i] = sub_samples[k].take();
    }
    if rows == 0 {
        return Err(Error::data(&input.path, "no data rows to mask"));
    }
    let tmp = file_writer.into_inner().map_err(write_error(output))?;
    Ok(Some(Written { tmp, rows, changed }))
}

#[cfg(test)]
mod tests {
    use super::super::{self as pipeline, MaskOptions};
    use datafusion::arrow::array::{Array, RecordBatch};
    use datafusion::arrow::compute::concat_batches;
    use datafusion::parquet::file::reader::{FileReader, SerializedFileReader};

    use super::{PageStore, SpillPages};

    #[test]
    fn spilled_pages_come_back_as_they_were_put() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SpillPages {
            dir: dir.path().to_path_buf(),
            limit: 10,
            pages: Vec::new(),
            resident: 0,
            file: None,
            end: 0,
        };
        let pages: Vec<bytes::Bytes> = (0..20u8)
            .map(|i| bytes::Bytes::from(vec![i; 1 + i as usize % 7]))
            .collect();
        let keys: Vec<_> = pages
            .iter()
            .map(|p| store.put(p.clone()).unwrap())
            .collect();
        assert!(store.file.is_some() && store.resident <= 10);
        // Taken in any order, each once.
        for (k, p) in keys.iter().zip(&pages).rev() {
            assert_eq!(&store.take(*k).unwrap(), p);
        }
        assert_eq!(store.memory_size(), 0);
        assert!(store.take(keys[3]).is_err());
    }

    const KEY: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
    const POLICY: &str = "version: 1\ncolumns:\n  name: partial\n  id_number: tokenize\n  mobile: { method: tokenize, format_preserving: true }\n  email: redact\n  address: { method: generalize, to: city }\n  created_at: { method: shift, days: 30, by: customer_id }\n";

    fn all(batches: &[RecordBatch]) -> RecordBatch {
        concat_batches(&batches[0].schema(), batches).unwrap()
    }

    async fn read(path: &std::path::Path) -> RecordBatch {
        all(
            &pipeline::read_batches(&path.display().to_string(), &Default::default())
                .await
                .unwrap(),
        )
    }

    /// The fixture rewritten with row groups of 7 rows (several row groups, nulls, typed
    /// columns), masked into Parquet (row groups kept, kept columns copied) and into CSV
    /// (the general path): same rows, same masked values, same counts and verdicts; every
    /// kept column reads back as in the input; the row groups are the input's.
    #[tokio::test]
    async fn kept_columns_are_copied_and_masked_ones_equal_the_general_path() {
        let dir = tempfile::tempdir().unwrap();
        let fixture = read(std::path::Path::new("fixtures/customers.parquet")).await;
        let rewritten = dir.path().join("in.parquet");
        let props = datafusion::parquet::file::properties::WriterProperties::builder()
            .set_max_row_group_row_count(Some(7))
            .build();
        let mut w = datafusion::parquet::arrow::ArrowWriter::try_new(
            std::fs::File::create(&rewritten).unwrap(),
            fixture.schema(),
            Some(props),
        )
        .unwrap();
        w.write(&fixture).unwrap();
        w.close().unwrap();
        let groups = |p: &std::path::Path| {
            let r = SerializedFileReader::new(std::fs::File::open(p).unwrap()).unwrap();
            let m = r.metadata();
            (0..m.num_row_groups())
                .map(|i| m.row_group(i).num_rows())
                .collect::<Vec<_>>()
        };
        assert!(groups(&rewritten).len() > 2, "{:?}", groups(&rewritten));
        std::fs::write(dir.path().join("k"), KEY).unwrap();
        std::fs::write(dir.path().join("p.yaml"), POLICY).unwrap();
        // The rewritten file has page indexes; the fixture has none.
        let has_offsets = |p: &std::path::Path| {
            let file = std::fs::File::open(p).unwrap();
            let options = datafusion::parquet::arrow::arrow_reader::ArrowReaderOptions::new()
                .with_page_index_policy(super::PageIndexPolicy::Optional);
            datafusion::parquet::arrow::arrow_reader::ArrowReaderMetadata::load(&file, options)
                .unwrap()
                .metadata()
                .offset_index()
                .is_some()
        };
        let fixture_path = std::path::PathBuf::from("fixtures/customers.parquet");
        assert!(has_offsets(&rewritten) && !has_offsets(&fixture_path));
        for input in [rewritten, fixture_path] {
            let opts = |out: &str| MaskOptions {
                data: input.display().to_string(),
                policy: dir.path().join("p.yaml"),
                output: dir.path().join(out),
                source: Default::default(),
                key_file: Some(dir.path().join("k")),
                dry_run: false,
            };
            let pq = pipeline::mask(&opts("out.parquet")).await.unwrap();
            let csv = pipeline::mask(&opts("out.csv")).await.unwrap();
            assert_eq!(pq.rows, fixture.num_rows() as u64);
            assert_eq!(pq.rows, csv.rows);
            assert_eq!(groups(&dir.path().join("out.parquet")), groups(&input));
            // Masked columns are written zstd-compressed; kept ones as the input has them.
            let r = SerializedFileReader::new(
                std::fs::File::open(dir.path().join("out.parquet")).unwrap(),
            )
            .unwrap();
            for g in r.metadata().row_groups() {
                for (chunk, c) in g.columns().iter().zip(&pq.columns) {
                    if c.method_id != "keep" {
                        assert!(
                            matches!(
                                chunk.compression(),
                                datafusion::parquet::basic::Compression::ZSTD(_)
                            ),
                            "{}: {:?}",
                            c.column,
                            chunk.compression()
                        );
                    }
                }
            }

            let out = read(&dir.path().join("out.parquet")).await;
            let text = read(&dir.path().join("out.csv")).await;
            assert_eq!(out.num_columns(), fixture.num_columns());
            for (i, c) in pq.columns.iter().enumerate() {
                let c2 = &csv.columns[i];
                assert_eq!(
                    (&c.column, &c.method, c.values_changed, &c.still_detected),
                    (
                        &c2.column,
                        &c2.method,
                        c2.values_changed,
                        &c2.still_detected
                    )
                );
                assert_eq!(out.schema().field(i).name(), &c.column);
                if c.method_id == "keep" {
                    assert_eq!(
                        out.column(i).as_ref(),
                        fixture.column(i).as_ref(),
                        "{}",
                        c.column
                    );
                } else {
                    assert!(c.values_changed > 0, "{}", c.column);
                    let a = datafusion::arrow::compute::cast(
                        out.column(i),
                        &datafusion::arrow::datatypes::DataType::Utf8,
                    )
                    .unwrap();
                    let b = datafusion::arrow::compute::cast(
                        text.column(i),
                        &datafusion::arrow::datatypes::DataType::Utf8,
                    )
                    .unwrap();
                    // CSV reads an empty field back as null or empty: compare the values.
                    for r in 0..a.len() {
                        let s = |x: &dyn Array| {
                            let x = x
                                .as_any()
                                .downcast_ref::<datafusion::arrow::array::StringArray>()
                                .unwrap();
                            (x.is_valid(r) && !x.value(r).is_empty())
                                .then(|| x.value(r).to_string())
                        };
                        assert_eq!(s(a.as_ref()), s(b.as_ref()), "{} row {r}", c.column);
                    }
                }
            }
            assert!(pq.columns.iter().any(|c| c.method_id == "keep"));
            assert_eq!(
                has_offsets(&dir.path().join("out.parquet")),
                has_offsets(&input)
            );
        }
    }
}
