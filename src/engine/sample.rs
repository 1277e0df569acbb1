//! `steward_sample(text, n)`: the `n` smallest distinct non-null strings of a group.
//!
//! Failing-row samples are collected inside the same aggregate that counts failures, so a
//! scan reads the data once. Keeping the smallest (rather than the first) values makes the
//! samples independent of partitioning and batch order: the same data always gives the
//! same samples. Memory is `n` strings per partition. The strings are raw cell values;
//! callers mask them before they reach a report.

use std::collections::BTreeSet;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility,
};

pub(crate) const NAME: &str = "steward_sample";

pub(crate) fn udaf() -> AggregateUDF {
    AggregateUDF::from(SampleSmallest::new())
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct SampleSmallest {
    signature: Signature,
}

impl SampleSmallest {
    fn new() -> Self {
        Self {
            signature: Signature::exact(
                vec![DataType::Utf8, DataType::Int64],
                Volatility::Immutable,
            ),
        }
    }
}

impl AggregateUDFImpl for SampleSmallest {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(super::utf8_list_type())
    }

    fn accumulator(&self, acc_args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let limit = super::count_literal(NAME, acc_args.exprs.get(1))?;
        Ok(Box::new(SampleAccumulator {
            limit,
            values: BTreeSet::new(),
        }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(
            format!("{}[samples]", args.name),
            super::utf8_list_type(),
            true,
        ))])
    }
}

#[derive(Debug)]
struct SampleAccumulator {
    limit: usize,
    values: BTreeSet<String>,
}

impl SampleAccumulator {
    fn offer(&mut self, value: &str) {
        if self.values.len() < self.limit {
            self.values.insert(value.to_string());
        } else if let Some(largest) = self.values.last()
            && value < largest.as_str()
            && !self.values.contains(value)
        {
            self.values.pop_last();
            self.values.insert(value.to_string());
        }
    }

    fn to_scalar(&self) -> ScalarValue {
        let items: Vec<ScalarValue> = self
            .values
            .iter()
            .map(|v| ScalarValue::Utf8(Some(v.clone())))
            .collect();
        ScalarValue::List(ScalarValue::new_list_nullable(&items, &DataType::Utf8))
    }
}

impl Accumulator for SampleAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        if self.limit == 0 {
            return Ok(());
        }
        let array = values[0].as_string::<i32>();
        for value in array.iter().flatten() {
            self.offer(value);
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let lists: &ListArray = states[0].as_list::<i32>();
        for i in 0..lists.len() {
            if lists.is_null(i) {
                continue;
            }
            let inner = lists.value(i);
            for value in inner.as_string::<i32>().iter().flatten() {
                self.offer(value);
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![self.to_scalar()])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(self.to_scalar())
    }

    fn size(&self) -> usize {
        size_of_val(self) + self.values.iter().map(|v| v.capacity() + 32).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_smallest_distinct_values_in_any_order() {
        let mut a = SampleAccumulator {
            limit: 3,
            values: BTreeSet::new(),
        };
        for v in ["e", "b", "d", "b", "a", "c"] {
            a.offer(v);
        }
        assert_eq!(a.values.iter().collect::<Vec<_>>(), ["a", "b", "c"]);
        let mut b = SampleAccumulator {
            limit: 3,
            values: BTreeSet::new(),
        };
        for v in ["c", "a", "b", "e", "d"] {
            b.offer(v);
        }
        assert_eq!(a.values, b.values);
    }
}
