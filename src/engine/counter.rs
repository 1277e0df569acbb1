//! The aggregate behind steward's row counts (`steward_count_true`,
//! `steward_count_empty`): a function counts the rows of each batch it cares about, the
//! counts are summed, and partial counts merge by addition. Each counting aggregate is
//! its name, its signature and that function, in its own module.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature};

/// The rows of one batch that count (an error for an argument of the wrong type).
pub(crate) type CountFn = fn(&dyn Array) -> Result<usize>;

/// A `UInt64` aggregate named `name` that sums `count` over every batch; 0 for no rows.
pub(crate) fn udaf(name: &'static str, signature: Signature, count: CountFn) -> AggregateUDF {
    AggregateUDF::from(Counter {
        name,
        signature,
        count,
    })
}

#[derive(Debug)]
struct Counter {
    name: &'static str,
    signature: Signature,
    count: CountFn,
}

// By name and signature: a name is registered once, with one counting function.
impl PartialEq for Counter {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.signature == other.signature
    }
}

impl Eq for Counter {}

impl std::hash::Hash for Counter {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        self.signature.hash(state);
    }
}

impl AggregateUDFImpl for Counter {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::UInt64)
    }

    fn accumulator(&self, _args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(CountAccumulator::new(self.count)))
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
pub(crate) struct CountAccumulator {
    count: CountFn,
    total: u64,
}

impl CountAccumulator {
    pub(crate) fn new(count: CountFn) -> Self {
        Self { count, total: 0 }
    }
}

impl Accumulator for CountAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.total += (self.count)(values[0].as_ref())? as u64;
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.total += super::sum_counts(&states[0]);
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::UInt64(Some(self.total))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::UInt64(Some(self.total)))
    }

    fn size(&self) -> usize {
        size_of_val(self)
    }
}
