//! `steward_distinct_sample(text, k)`: up to `k` distinct values of a column, for the
//! classifier, collected in the same pass as the profile.
//!
//! The sample is the `k` distinct values with the smallest hashes (a bottom-k sketch): a
//! uniform sample of the distinct values that does not depend on partitioning or batch
//! order, so the same data always gives the same classification. Once `k` values are
//! held, most rows are rejected by one hash and one comparison. The values are raw; they
//! stay in memory for the detectors and are never written anywhere.

use std::collections::BTreeMap;
use std::hash::BuildHasher;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray, UInt64Array};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, UInt64Type};
use datafusion::common::utils::SingleRowListArrayBuilder;
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility,
};

pub(crate) const NAME: &str = "steward_distinct_sample";

pub(crate) fn udaf() -> AggregateUDF {
    AggregateUDF::from(DistinctSample {
        signature: Signature::any(2, Volatility::Immutable),
    })
}

/// A fixed hash, so that every accumulator ranks values alike. Text is hashed as text;
/// numbers, dates and timestamps by their integer or float bits, so that only the values
/// kept are ever formatted (the state carries the hashes).
pub(crate) fn hash<T: std::hash::Hash>(v: T) -> u64 {
    foldhash::fast::FixedState::with_seed(0x0053_5445_5741_5244).hash_one(v)
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct DistinctSample {
    signature: Signature,
}

impl AggregateUDFImpl for DistinctSample {
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
        let k = super::count_literal(NAME, acc_args.exprs.get(1))?;
        Ok(Box::new(SampleAccumulator::new(k)))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let hashes = DataType::List(Arc::new(Field::new_list_field(DataType::UInt64, true)));
        Ok(vec![
            Arc::new(Field::new(format!("{}[hashes]", args.name), hashes, true)),
            Arc::new(Field::new(
                format!("{}[values]", args.name),
                super::utf8_list_type(),
                true,
            )),
        ])
    }
}

#[derive(Debug)]
struct SampleAccumulator {
    k: usize,
    /// hash -> value for the `k` smallest hashes. Keyed by the 64-bit hash alone: two
    /// different values with the same hash count once, which a sample can afford.
    values: BTreeMap<u64, String>,
    /// Bytes held by the values, for `size()` (called after every batch).
    bytes: usize,
    /// Once `k` values are held, only hashes below this one get in (the largest held).
    threshold: u64,
    /// The keys of `values`, for an O(1) "already held?" on every row.
    held: hashbrown::HashSet<u64>,
}

impl SampleAccumulator {
    fn new(k: usize) -> Self {
        Self {
            k,
            values: BTreeMap::new(),
            bytes: 0,
            threshold: u64::MAX,
            held: hashbrown::HashSet::new(),
        }
    }

    fn offer(&mut self, v: &str) {
        self.offer_hashed(hash(v), || v.to_string());
    }

    /// Whether a value of hash `h` would be kept.
    fn wants(&self, h: u64) -> bool {
        self.k > 0 && (self.values.len() < self.k || h < self.threshold) && !self.held.contains(&h)
    }

    fn offer_hashed(&mut self, h: u64, value: impl FnOnce() -> String) {
        if !self.wants(h) {
            return;
        }
        let value = value();
        self.bytes += value.capacity();
        self.values.insert(h, value);
        self.held.insert(h);
        if self.values.len() > self.k
            && let Some((dropped_hash, dropped)) = self.values.pop_last()
        {
            self.bytes -= dropped.capacity();
            self.held.remove(&dropped_hash);
        }
        if self.values.len() >= self.k {
            self.threshold = self.values.last_key_value().map_or(u64::MAX, |(h, _)| *h);
        }
    }

    /// Numbers, dates and timestamps: hashed by bits, formatted only when kept.
    fn offer_typed(&mut self, array: &ArrayRef) -> Result<()> {
        use datafusion::arrow::compute::cast;
        use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
        let formatter = ArrayFormatter::try_new(array.as_ref(), &FormatOptions::default())?;
        let bits: Vec<Option<u64>> = if array.data_type().is_floating() {
            let f = cast(array, &DataType::Float64)?;
            let f = f.as_primitive::<datafusion::arrow::datatypes::Float64Type>();
            f.iter().map(|v| v.map(f64::to_bits)).collect()
        } else {
            let i = cast(array, &DataType::Int64)?;
            let i = i.as_primitive::<datafusion::arrow::datatypes::Int64Type>();
            i.iter().map(|v| v.map(|x| x as u64)).collect()
        };
        for (row, b) in bits.into_iter().enumerate() {
            if let Some(b) = b {
                self.offer_hashed(hash(b), || formatter.value(row).to_string());
            }
        }
        Ok(())
    }

    fn offer_all(&mut self, array: &ArrayRef) -> Result<()> {
        match array.data_type() {
            DataType::Utf8 => array
                .as_string::<i32>()
                .iter()
                .flatten()
                .for_each(|v| self.offer(v)),
            DataType::LargeUtf8 => array
                .as_string::<i64>()
                .iter()
                .flatten()
                .for_each(|v| self.offer(v)),
            DataType::Utf8View => array
                .as_string_view()
                .iter()
                .flatten()
                .for_each(|v| self.offer(v)),
            DataType::Null => {}
            t if t.is_numeric() || t.is_temporal() => self.offer_typed(array)?,
            other => return exec_err!("{NAME} expects text, numbers or dates, got {other}"),
        }
        Ok(())
    }

    fn to_scalar(&self) -> ScalarValue {
        // Sorted by value, so the output does not reveal the hash order.
        let mut values: Vec<&str> = self.values.values().map(String::as_str).collect();
        values.sort_unstable();
        let array: StringArray = values.into_iter().map(Some).collect();
        SingleRowListArrayBuilder::new(Arc::new(array)).build_list_scalar()
    }

    fn state_scalars(&self) -> Vec<ScalarValue> {
        let hashes: UInt64Array = self.values.keys().map(|h| Some(*h)).collect();
        let values: StringArray = self.values.values().map(|v| Some(v.as_str())).collect();
        vec![
            SingleRowListArrayBuilder::new(Arc::new(hashes)).build_list_scalar(),
            SingleRowListArrayBuilder::new(Arc::new(values)).build_list_scalar(),
        ]
    }
}

impl Accumulator for SampleAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.offer_all(&values[0])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let (hashes, values) = (states[0].as_list::<i32>(), states[1].as_list::<i32>());
        for i in 0..hashes.len() {
            if hashes.is_null(i) || values.is_null(i) {
                continue;
            }
            let (h, v) = (hashes.value(i), values.value(i));
            let (h, v) = (h.as_primitive::<UInt64Type>(), v.as_string::<i32>());
            for (h, v) in h.iter().zip(v.iter()) {
                if let (Some(h), Some(v)) = (h, v) {
                    self.offer_hashed(h, || v.to_string());
                }
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(self.state_scalars())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(self.to_scalar())
    }

    fn size(&self) -> usize {
        size_of_val(self) + self.bytes + self.values.len() * 48 + self.held.capacity() * 9
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(k: usize, values: &[&str]) -> Vec<String> {
        let mut a = SampleAccumulator::new(k);
        for v in values {
            a.offer(v);
        }
        a.values.into_values().collect()
    }

    #[test]
    fn distinct_bounded_and_independent_of_order() {
        let values: Vec<String> = (0..1000).map(|i| format!("v{}", i % 300)).collect();
        let refs: Vec<&str> = values.iter().map(String::as_str).collect();
        let a = sample(50, &refs);
        let mut rev = refs.clone();
        rev.reverse();
        assert_eq!(a, sample(50, &rev));
        assert_eq!(a.len(), 50);
        let mut d = a.clone();
        d.dedup();
        assert_eq!(d.len(), 50);
    }
}
