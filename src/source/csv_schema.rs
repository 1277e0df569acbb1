//! The schema a CSV/TSV input is read with: inferred from the first rows, then typed
//! text-first ([`typing`]) against the same rows' text.

use std::io::Read;
use std::path::Path;

use super::{Declared, SAMPLE_ROWS, TextColumns, diagnose, typing};
use crate::error::{Error, Result};

/// `schema` with the columns at `text_columns`, and columns of type `Null`, as text.
pub(super) fn text_schema(
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
