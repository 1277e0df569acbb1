//! Registering a URL input: a PostgreSQL table or query through its own provider, or
//! objects (one, or every object under a prefix) read through an object store.

use std::path::{Path, PathBuf};
#[cfg(feature = "postgres")]
use std::sync::Arc;

#[cfg(feature = "postgres")]
use datafusion::common::TableReference;
use datafusion::prelude::{CsvReadOptions, SessionContext};

use super::csv_schema::{infer_csv_schema, text_schema};
use super::listing::{CsvLayout, csv_is_multiline, extension_of, register_listing};
#[cfg(feature = "postgres")]
use super::postgres;
use super::{
    Declared, Input, InputFormat, Remote, SAMPLE_ROWS, SourceOptions, TextColumns, remote, store,
    typing,
};
use crate::error::{Error, Result};

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

/// Register a URL input: a PostgreSQL table, or objects read through an object store.
pub(super) async fn register_remote(
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
