//! Listing tables, shared by local files (`register`) and objects (`register_remote`):
//! what steward learnt of a CSV/TSV input before reading it, and the listing table that
//! reads it (strict numeric columns, multi-line CSV, batches spread over partitions).

use std::path::Path;
use std::sync::Arc;

use datafusion::common::TableReference;
use datafusion::prelude::{CsvReadOptions, JsonReadOptions, ParquetReadOptions, SessionContext};

use super::{InputFormat, SAMPLE_ROWS, SourceOptions, multiline, spread, typing};
use crate::error::{Error, Result};

/// What steward found out about a CSV/TSV input before reading it.
pub(super) struct CsvLayout {
    /// The schema steward inferred.
    pub(super) schema: datafusion::arrow::datatypes::Schema,
    /// A quoted value holds a line break, so the file must be read in one piece.
    pub(super) multiline: bool,
    /// Number columns read as text and parsed strictly on top of the reader.
    pub(super) converts: std::collections::BTreeMap<usize, typing::Convert>,
}

/// `provider` with `converts` applied on top, or as it is when there are none.
pub(super) fn strict(
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
pub(super) fn csv_is_multiline(
    ctx: &SessionContext,
    path: &Path,
    len: u64,
    delimiter: u8,
) -> Result<bool> {
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

/// Register `location` (a local path or an object-store URL) as a DataFusion listing
/// table of `format`: the one place files and objects become tables. CSV/TSV is read
/// with the schema steward inferred, in one piece when a quoted value holds a line
/// break; Parquet batches are spread over the cores unless the table is for a cluster.
pub(super) async fn register_listing(
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
                    let inner = ctx
                        .deregister_table(TableReference::bare(table))?
                        .ok_or_else(|| {
                            datafusion::error::DataFusionError::Internal("table vanished".into())
                        })?;
                    ctx.register_table(
                        TableReference::bare(table),
                        strict(inner, csv.converts.clone()),
                    )?;
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

/// Re-registers a table so that its scans are spread over the session's partitions
/// (see [`spread`]).
async fn spread_batches(ctx: &SessionContext, table: &str) -> datafusion::error::Result<()> {
    let partitions = ctx.copied_config().target_partitions();
    if partitions < 2 {
        return Ok(());
    }
    let Some(inner) = ctx.deregister_table(TableReference::bare(table))? else {
        return Ok(());
    };
    ctx.register_table(
        TableReference::bare(table),
        Arc::new(spread::SpreadTable::new(inner, partitions)),
    )?;
    Ok(())
}

pub(super) fn extension_of(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| format!(".{e}"))
        .unwrap_or_default()
}
