//! Inputs -> DataFusion tables.
//!
//! Expands `<DATA>` arguments (files, directories, globs) into named inputs, registers each
//! as a table in a `SessionContext`, and turns read failures into errors that name the
//! file and line. It owns encodings (GBK/GB18030 CSV is decoded while streaming) and
//! never evaluates rules.
//!
//! The files: [`expand()`] turns arguments into inputs; [`register()`] makes an input a
//! table (local files; `register_remote` for URL inputs), with CSV schemas inferred in
//! `csv_schema` and Parquet footers checked in `parquet_footer`; `errors` turns read
//! failures into errors that name the line; `hash` fingerprints inputs.

mod csv_schema;
mod diagnose;
mod encoded_csv;
mod errors;
mod expand;
mod hash;
mod listing;
mod multiline;
mod parquet_footer;
#[cfg(feature = "postgres")]
pub mod postgres;
mod register;
mod register_remote;
pub mod remote;
mod spread;
mod store;
pub mod typing;

use std::path::{Path, PathBuf};

pub use errors::{mistyped_column, read_error};
pub use expand::expand;
pub use hash::{fingerprint, sha256_file};
pub use register::{register, register_text};
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

/// Columns (by position) that a CSV read must keep as text, because a value further down
/// the file did not fit the type inferred from the first rows (a `1985-02-30` in a date
/// column, `n/a` in a number column). A data-quality tool must read such values, not
/// stop at them: they are what the validity checks are for.
pub type TextColumns = std::collections::BTreeSet<usize>;

const SAMPLE_ROWS: usize = 1000;

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
}
