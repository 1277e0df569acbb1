//! Reading back the one-row result of a dataset's aggregate.

use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use datafusion::arrow::datatypes::{DataType, Int64Type, UInt64Type};
use datafusion::error::DataFusionError;

/// The single row of an aggregate's result (or of a struct value in it).
pub(super) struct Row {
    columns: Vec<ArrayRef>,
}

impl Row {
    pub(super) fn first(batches: &[RecordBatch]) -> Result<Row, DataFusionError> {
        batches
            .iter()
            .find(|b| b.num_rows() > 0)
            .map(|batch| Row {
                columns: batch.columns().iter().map(|c| c.slice(0, 1)).collect(),
            })
            .ok_or_else(|| DataFusionError::Internal("aggregate returned no row".into()))
    }

    /// The fields of a struct column; an empty row when it is not a struct.
    pub(super) fn field(&self, i: usize) -> Row {
        let columns = self.columns[i]
            .as_struct_opt()
            .map(|s| s.columns().to_vec())
            .unwrap_or_default();
        Row { columns }
    }

    /// The `UInt64` fields of a struct column by name; empty when it is not a struct.
    pub(super) fn named_u64s(&self, i: usize) -> Vec<(String, u64)> {
        let Some(s) = self.columns.get(i).and_then(|c| c.as_struct_opt()) else {
            return Vec::new();
        };
        let row = Row {
            columns: s.columns().to_vec(),
        };
        s.fields()
            .iter()
            .enumerate()
            .map(|(j, f)| (f.name().clone(), row.u64(j)))
            .collect()
    }

    pub(super) fn opt_u64(&self, i: usize) -> Option<u64> {
        let col = self.columns.get(i)?;
        if col.is_null(0) {
            return None;
        }
        match col.data_type() {
            DataType::Int64 => Some(col.as_primitive::<Int64Type>().value(0).max(0) as u64),
            DataType::UInt64 => Some(col.as_primitive::<UInt64Type>().value(0)),
            DataType::Int32 => Some(
                col.as_primitive::<datafusion::arrow::datatypes::Int32Type>()
                    .value(0)
                    .max(0) as u64,
            ),
            _ => None,
        }
    }

    pub(super) fn opt_f64(&self, i: usize) -> Option<f64> {
        let col = self.columns.get(i)?;
        if col.is_null(0) {
            return None;
        }
        match col.data_type() {
            DataType::Float64 => Some(
                col.as_primitive::<datafusion::arrow::datatypes::Float64Type>()
                    .value(0),
            ),
            _ => None,
        }
    }

    pub(super) fn u64(&self, i: usize) -> u64 {
        self.opt_u64(i).unwrap_or(0)
    }

    pub(super) fn opt_string(&self, i: usize) -> Option<String> {
        let col = self.columns.get(i)?;
        if col.is_null(0) {
            return None;
        }
        match col.data_type() {
            DataType::Utf8 => Some(col.as_string::<i32>().value(0).to_string()),
            DataType::LargeUtf8 => Some(col.as_string::<i64>().value(0).to_string()),
            DataType::Utf8View => Some(col.as_string_view().value(0).to_string()),
            _ => None,
        }
    }

    pub(super) fn strings(&self, i: usize) -> Vec<String> {
        let Some(list) = self.columns.get(i).and_then(|c| c.as_list_opt::<i32>()) else {
            return Vec::new();
        };
        if list.is_null(0) {
            return Vec::new();
        }
        let list = list.value(0);
        list.as_string::<i32>()
            .iter()
            .flatten()
            .map(str::to_string)
            .collect()
    }
}
