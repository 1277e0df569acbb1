//! `steward_count_true(bool)`: the number of rows where the argument is true.
//!
//! Every row-level check is counted by two of these (rows evaluated, rows failing) over
//! boolean columns computed once below the aggregate. Counting set bits is much cheaper
//! than `SUM(CASE WHEN b THEN 1 ELSE 0 END)`, which builds an integer column per check.
//! Null counts as not true, as in a SQL `WHERE`.

use datafusion::arrow::array::{ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility,
};
use std::sync::Arc;

pub(crate) const NAME: &str = "steward_count_true";

pub(crate) fn udaf() -> AggregateUDF {
    AggregateUDF::from(CountTrue {
        signature: Signature::exact(vec![DataType::Boolean], Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct CountTrue {
    signature: Signature,
}

impl AggregateUDFImpl for CountTrue {
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
        Ok(Box::new(CountTrueAccumulator(0)))
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
struct CountTrueAccumulator(u64);

impl Accumulator for CountTrueAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let Some(b) = values[0].as_boolean_opt() else {
            return exec_err!("{NAME} expects a boolean argument");
        };
        self.0 += b.true_count() as u64;
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let counts = states[0].as_primitive::<datafusion::arrow::datatypes::UInt64Type>();
        self.0 += counts.iter().flatten().sum::<u64>();
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
    use datafusion::arrow::array::BooleanArray;

    #[test]
    fn counts_true_and_ignores_false_and_null() {
        let mut a = CountTrueAccumulator(0);
        let b: ArrayRef = Arc::new(BooleanArray::from(vec![
            Some(true),
            None,
            Some(false),
            Some(true),
        ]));
        a.update_batch(&[b]).unwrap();
        let mut total = CountTrueAccumulator(1);
        let state = a.state().unwrap()[0].to_array().unwrap();
        total.merge_batch(&[state]).unwrap();
        assert_eq!(total.evaluate().unwrap(), ScalarValue::UInt64(Some(3)));
    }
}
