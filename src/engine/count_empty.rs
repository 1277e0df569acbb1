//! `steward_count_empty(text)`: the number of rows whose text is the empty string.
//!
//! The column profile counts empty values of every text column (after trimming). The
//! same count as `steward_count_true(t = '')`, read off the array's offsets (or string
//! views) without building a boolean column per text column. Null is not empty.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, OffsetSizeTrait};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, UInt64Type};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility,
};

pub(crate) const NAME: &str = "steward_count_empty";

pub(crate) fn udaf() -> AggregateUDF {
    AggregateUDF::from(CountEmpty {
        signature: Signature::uniform(
            1,
            vec![DataType::Utf8, DataType::LargeUtf8, DataType::Utf8View],
            Volatility::Immutable,
        ),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct CountEmpty {
    signature: Signature,
}

impl AggregateUDFImpl for CountEmpty {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::UInt64)
    }

    fn accumulator(&self, _args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(CountEmptyAccumulator(0)))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(
            format!("{}[count]", args.name),
            DataType::UInt64,
            false,
        ))])
    }

    fn default_value(&self, _data_type: &DataType) -> Result<ScalarValue> {
        Ok(ScalarValue::UInt64(Some(0)))
    }
}

#[derive(Debug)]
struct CountEmptyAccumulator(u64);

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

impl Accumulator for CountEmptyAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let a = values[0].as_ref();
        let n = match a.data_type() {
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
        };
        self.0 += n as u64;
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.0 += states[0]
            .as_primitive::<UInt64Type>()
            .iter()
            .flatten()
            .sum::<u64>();
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::UInt64(Some(self.0))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::UInt64(Some(self.0)))
    }

    fn size(&self) -> usize {
        size_of_val(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{LargeStringArray, StringArray, StringViewArray};

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
            let mut acc = CountEmptyAccumulator(0);
            acc.update_batch(&[a]).unwrap();
            let mut total = CountEmptyAccumulator(0);
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
