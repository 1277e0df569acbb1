//! Registering an input as a DataFusion table: its columns typed text-first, declared
//! types cast, CSV/TSV read with the schema steward inferred (decoded while streaming
//! for GBK/GB18030), and local files and objects alike through listing tables.

use std::sync::Arc;

use datafusion::common::TableReference;
use datafusion::prelude::SessionContext;

use super::csv_schema::infer_csv_schema;
use super::errors::{located, read_error};
use super::listing::{CsvLayout, csv_is_multiline, extension_of, register_listing, strict};
use super::parquet_footer::check_parquet_footer;
use super::register_remote::register_remote;
use super::{Declared, Input, InputFormat, SourceOptions, TextColumns, encoded_csv, typing};
use crate::error::{Error, Result};

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
            .table_provider(TableReference::bare(probe.as_str()))
            .await
            .map_err(Error::internal)?;
        let n = provider.schema().fields().len();
        ctx.deregister_table(TableReference::bare(probe.as_str()))
            .map_err(Error::internal)?;
        (0..n).collect()
    } else {
        Default::default()
    };
    register(ctx, input, table, opts, &text_all, &Declared::new()).await
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
    let provider = ctx
        .table_provider(TableReference::bare(table))
        .await
        .map_err(Error::internal)?;
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
    ctx.deregister_table(TableReference::bare(table))
        .map_err(Error::internal)?;
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
