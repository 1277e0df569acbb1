//! `steward_count_empty(text)`: the number of rows whose text is the empty string.
//!
//! The column profile counts empty values of every text column (after trimming). The
//! same count as `steward_count_true(t = '')`, read off the array's offsets (or string
//! views) without building a boolean column per text column. Null is not empty.

use datafusion::arrow::array::{Array, AsArray, OffsetSizeTrait};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{AggregateUDF, Signature, Volatility};

use super::counter;

pub(crate) const NAME: &str = "steward_count_empty";

pub(crate) fn udaf() -> AggregateUDF {
    counter::udaf(
        NAME,
        Signature::uniform(
            1,
            vec![DataType::Utf8, DataType::LargeUtf8, DataType::Utf8View],
            Volatility::Immutable,
        ),
        empty_rows,
    )
}

/// Empty, non-null values of an offset-based string array.
fn empty_in<O: OffsetSizeTrait>(a: &dyn Array) -> usize {
    let a = a.as_string::<O>();
    let offsets = a.value_offsets();
    let empty = |i: usize| offsets[i + 1] == offsets[i];
    match a.nulls() {
        None => (0..a.len()).filter(|&i| empty(i)).count(),
        Some(n) => (0..a.len()).filter(|&i| n.is_valid(i) && empty(i)).count(),
    }
}

fn empty_rows(a: &dyn Array) -> Result<usize> {
    Ok(match a.data_type() {
        DataType::Utf8 => empty_in::<i32>(a),
        DataType::LargeUtf8 => empty_in::<i64>(a),
        DataType::Utf8View => {
            let v = a.as_string_view();
            // The low 32 bits of a view are the value's length.
            let empty = |i: usize| v.views()[i] as u32 == 0;
            match v.nulls() {
                None => (0..v.len()).filter(|&i| empty(i)).count(),
                Some(n) => (0..v.len()).filter(|&i| n.is_valid(i) && empty(i)).count(),
            }
        }
        t => return exec_err!("{NAME} expects text, got {t}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{ArrayRef, LargeStringArray, StringArray, StringViewArray};
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::Accumulator;
    use std::sync::Arc;

    /// Against the definition: non-null values equal to "".
    #[test]
    fn counts_empty_values_not_nulls_in_every_string_layout() {
        let values = [
            Some(""),
            None,
            Some("a"),
            Some(""),
            Some("a longer value than twelve bytes"),
            Some("北京"),
            None,
            Some(""),
        ];
        let expected = values.iter().filter(|v| **v == Some("")).count() as u64;
        let arrays: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from(values.to_vec())),
            Arc::new(LargeStringArray::from(values.to_vec())),
            Arc::new(StringViewArray::from(values.to_vec())),
            // A slice: offsets that do not start at 0.
            Arc::new(StringArray::from(values.to_vec()).slice(1, 6)),
        ];
        for (i, a) in arrays.into_iter().enumerate() {
            let want = if i == 3 { 1 } else { expected };
            let mut acc = counter::CountAccumulator::new(empty_rows);
            acc.update_batch(&[a]).unwrap();
            let mut total = counter::CountAccumulator::new(empty_rows);
            total
                .merge_batch(&[acc.state().unwrap()[0].to_array().unwrap()])
                .unwrap();
            assert_eq!(
                total.evaluate().unwrap(),
                ScalarValue::UInt64(Some(want)),
                "{i}"
            );
        }
    }
}
