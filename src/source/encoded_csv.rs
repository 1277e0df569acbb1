//! CSV in a legacy Chinese encoding (GBK, GB18030), decoded to UTF-8 while streaming.
//!
//! Chinese CRM exports are often GBK. Rather than transcoding to a temporary file, the
//! file is read through a decoding reader straight into Arrow's CSV reader, one batch at
//! a time, so memory stays bounded by the batch size. It is one partition: the decoder
//! cannot start in the middle of a file.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::csv::ReaderBuilder;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::streaming::StreamingTable;
use datafusion::error::DataFusionError;
use datafusion::execution::TaskContext;
use datafusion::physical_plan::SendableRecordBatchStream;
use datafusion::physical_plan::stream::RecordBatchReceiverStreamBuilder;
use datafusion::physical_plan::streaming::PartitionStream;
use encoding_rs::Encoding;
use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};

use crate::error::{Error, Result};

pub(super) struct EncodedCsv;

impl EncodedCsv {
    /// A table over `path`, its schema inferred from the first records, and the number
    /// columns to parse strictly on top of it.
    #[allow(clippy::new_ret_no_self)]
    pub(super) fn try_new(
        path: &Path,
        encoding: &'static Encoding,
        delimiter: u8,
        text_columns: &super::TextColumns,
        declared: &super::Declared,
    ) -> Result<(
        StreamingTable,
        std::collections::BTreeMap<usize, super::typing::Convert>,
    )> {
        let (schema, converts) = super::csv_schema::infer_csv_schema(
            path,
            open(path, encoding)?,
            delimiter,
            text_columns,
            declared,
        )?;
        let schema: SchemaRef = Arc::new(schema);
        let partition = Arc::new(DecodedPartition {
            path: path.to_path_buf(),
            encoding,
            delimiter,
            schema: Arc::clone(&schema),
        });
        let table = StreamingTable::try_new(schema, vec![partition]).map_err(Error::internal)?;
        Ok((table, converts))
    }
}

fn open(path: &Path, encoding: &'static Encoding) -> Result<DecodeReaderBytes<File, Vec<u8>>> {
    let file = File::open(path).map_err(|e| Error::data(path, format!("cannot read: {e}")))?;
    Ok(DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding))
        .build(file))
}

#[derive(Debug)]
struct DecodedPartition {
    path: PathBuf,
    encoding: &'static Encoding,
    delimiter: u8,
    schema: SchemaRef,
}

impl PartitionStream for DecodedPartition {
    fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    fn execute(&self, ctx: Arc<TaskContext>) -> SendableRecordBatchStream {
        let mut builder = RecordBatchReceiverStreamBuilder::new(Arc::clone(&self.schema), 2);
        let tx = builder.tx();
        let path = self.path.clone();
        let encoding = self.encoding;
        let delimiter = self.delimiter;
        let schema = Arc::clone(&self.schema);
        let batch_size = ctx.session_config().batch_size();
        builder.spawn_blocking(move || {
            let file = File::open(&path).map_err(|e| DataFusionError::External(Box::new(e)))?;
            let reader = DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding))
                .build(file);
            let csv = ReaderBuilder::new(schema)
                .with_header(true)
                .with_delimiter(delimiter)
                .with_batch_size(batch_size)
                .build(reader)?;
            for batch in csv {
                let batch = batch.map_err(DataFusionError::from);
                let failed = batch.is_err();
                if tx.blocking_send(batch).is_err() || failed {
                    break;
                }
            }
            Ok(())
        });
        builder.build()
    }
}
