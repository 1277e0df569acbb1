//! `steward_count_true(bool)`: the number of rows where the argument is true.
//!
//! Every row-level check is counted by two of these (rows evaluated, rows failing) over
//! boolean columns computed once below the aggregate. Counting set bits is much cheaper
//! than `SUM(CASE WHEN b THEN 1 ELSE 0 END)`, which builds an integer column per check.
//! Null counts as not true, as in a SQL `WHERE`.

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{AggregateUDF, Signature, Volatility};

use super::counter;

pub(crate) const NAME: &str = "steward_count_true";

pub(crate) fn udaf() -> AggregateUDF {
    counter::udaf(
        NAME,
        Signature::exact(vec![DataType::Boolean], Volatility::Immutable),
        true_rows,
    )
}

fn true_rows(a: &dyn Array) -> Result<usize> {
    match a.as_boolean_opt() {
        Some(b) => Ok(b.true_count()),
        None => exec_err!("{NAME} expects a boolean argument"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{ArrayRef, BooleanArray};
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::Accumulator;
    use std::sync::Arc;

    #[test]
    fn counts_true_and_ignores_false_and_null() {
        let mut a = counter::CountAccumulator::new(true_rows);
        let b: ArrayRef = Arc::new(BooleanArray::from(vec![
            Some(true),
            None,
            Some(false),
            Some(true),
        ]));
        a.update_batch(&[b]).unwrap();
        let mut total = counter::CountAccumulator::new(true_rows);
        let one: ArrayRef = Arc::new(BooleanArray::from(vec![true]));
        total.update_batch(&[one]).unwrap();
        let state = a.state().unwrap()[0].to_array().unwrap();
        total.merge_batch(&[state]).unwrap();
        assert_eq!(total.evaluate().unwrap(), ScalarValue::UInt64(Some(3)));
    }
}
