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

/// A value in the sample: text as it was read, or a number, date or timestamp kept as
/// its scalar and formatted only when the sample is handed on, so the many typed values
/// that enter the sample early and are pushed out again are never formatted.
#[derive(Debug)]
enum Held {
    Text(String),
    Typed(ScalarValue),
}

impl Held {
    fn bytes(&self) -> usize {
        match self {
            Held::Text(v) => v.capacity(),
            Held::Typed(_) => 0,
        }
    }
}

#[derive(Debug)]
struct SampleAccumulator {
    k: usize,
    /// hash -> value for the `k` smallest hashes. Keyed by the 64-bit hash alone: two
    /// different values with the same hash count once, which a sample can afford.
    values: BTreeMap<u64, Held>,
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
        self.offer_hashed(hash(v), || Held::Text(v.to_string()));
    }

    /// Whether a value of hash `h` would be kept.
    fn wants(&self, h: u64) -> bool {
        self.k > 0 && (self.values.len() < self.k || h < self.threshold) && !self.held.contains(&h)
    }

    fn offer_hashed(&mut self, h: u64, value: impl FnOnce() -> Held) {
        if !self.wants(h) {
            return;
        }
        let value = value();
        self.bytes += value.bytes();
        self.values.insert(h, value);
        self.held.insert(h);
        if self.values.len() > self.k
            && let Some((dropped_hash, dropped)) = self.values.pop_last()
        {
            self.bytes -= dropped.bytes();
            self.held.remove(&dropped_hash);
        }
        if self.values.len() >= self.k {
            self.threshold = self.values.last_key_value().map_or(u64::MAX, |(h, _)| *h);
        }
    }

    /// Numbers, dates and timestamps: hashed by their bits; a value that gets in is kept
    /// as a scalar and formatted only when the sample is handed on.
    fn offer_typed(&mut self, array: &ArrayRef) -> Result<()> {
        use datafusion::arrow::compute::cast;
        use datafusion::arrow::datatypes::{Float64Type, Int64Type};
        if array.data_type().is_floating() {
            let f = cast(array, &DataType::Float64)?;
            let f = f.as_primitive::<Float64Type>();
            for row in 0..f.len() {
                if f.is_valid(row) {
                    self.offer_row(array, row, hash(f.value(row).to_bits()))?;
                }
            }
        } else {
            let i = cast(array, &DataType::Int64)?;
            let i = i.as_primitive::<Int64Type>();
            for row in 0..i.len() {
                if i.is_valid(row) {
                    self.offer_row(array, row, hash(i.value(row) as u64))?;
                }
            }
        }
        Ok(())
    }

    fn offer_row(&mut self, array: &ArrayRef, row: usize, h: u64) -> Result<()> {
        if self.wants(h) {
            let value = ScalarValue::try_from_array(array, row)?;
            self.offer_hashed(h, || Held::Typed(value));
        }
        Ok(())
    }

    /// The held values as text, in hash order: typed ones formatted as arrow displays
    /// them, as one array (an accumulator reads one column, so they share its type).
    fn texts(&self) -> Result<Vec<String>> {
        use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
        let typed = self.values.values().filter_map(|v| match v {
            Held::Typed(s) => Some(s.clone()),
            Held::Text(_) => None,
        });
        let mut formatted = Vec::new();
        if self.values.values().any(|v| matches!(v, Held::Typed(_))) {
            let array = ScalarValue::iter_to_array(typed)?;
            let formatter = ArrayFormatter::try_new(array.as_ref(), &FormatOptions::default())?;
            formatted.extend((0..array.len()).map(|row| formatter.value(row).to_string()));
        }
        let mut formatted = formatted.into_iter();
        Ok(self
            .values
            .values()
            .map(|v| match v {
                Held::Text(t) => t.clone(),
                Held::Typed(_) => formatted.next().unwrap_or_default(),
            })
            .collect())
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

    fn to_scalar(&self) -> Result<ScalarValue> {
        // Sorted by value, so the output does not reveal the hash order.
        let mut values = self.texts()?;
        values.sort_unstable();
        let array: StringArray = values.into_iter().map(Some).collect();
        Ok(SingleRowListArrayBuilder::new(Arc::new(array)).build_list_scalar())
    }

    fn state_scalars(&self) -> Result<Vec<ScalarValue>> {
        let hashes: UInt64Array = self.values.keys().map(|h| Some(*h)).collect();
        let values: StringArray = self.texts()?.into_iter().map(Some).collect();
        Ok(vec![
            SingleRowListArrayBuilder::new(Arc::new(hashes)).build_list_scalar(),
            SingleRowListArrayBuilder::new(Arc::new(values)).build_list_scalar(),
        ])
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
                    self.offer_hashed(h, || Held::Text(v.to_string()));
                }
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        self.state_scalars()
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        self.to_scalar()
    }

    fn size(&self) -> usize {
        size_of_val(self)
            + self.bytes
            + self.values.len() * (size_of::<Held>() + 24)
            + self.held.capacity() * 9
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
        a.texts().unwrap()
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

    /// Typed values come out exactly as arrow's formatter prints the column itself:
    /// the held rows are formatted from the original array here, with the hashes the
    /// sample is defined by (the bits of the value as Int64 or Float64).
    #[test]
    fn typed_values_format_as_the_column_does() {
        use datafusion::arrow::array::{
            Date32Array, Float32Array, Int32Array, TimestampMillisecondArray,
        };
        use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
        let n = 5000;
        let arrays: Vec<(ArrayRef, Vec<u64>)> = vec![
            (
                Arc::new(Date32Array::from_iter(
                    (0..n).map(|i| (i % 7 != 0).then_some(i * 37 % 3000 - 1000)),
                )),
                (0..n)
                    .map(|i| (i * 37 % 3000 - 1000) as i64 as u64)
                    .collect(),
            ),
            (
                Arc::new(Int32Array::from_iter((0..n).map(|i| Some(i % 900 - 450)))),
                (0..n).map(|i| (i % 900 - 450) as i64 as u64).collect(),
            ),
            (
                Arc::new(Float32Array::from_iter(
                    (0..n).map(|i| Some(i as f32 / 8.0)),
                )),
                (0..n)
                    .map(|i| f64::from(i as f32 / 8.0).to_bits())
                    .collect(),
            ),
            (
                Arc::new(
                    TimestampMillisecondArray::from_iter(
                        (0..n).map(|i| Some(i64::from(i) * 3_600_123)),
                    )
                    .with_timezone("+08:00"),
                ),
                (0..n).map(|i| (i64::from(i) * 3_600_123) as u64).collect(),
            ),
        ];
        for (array, bits) in arrays {
            let k = 40;
            let mut a = SampleAccumulator::new(k);
            // Two batches, so values get in and are pushed out again.
            a.offer_all(&array.slice(0, 2000)).unwrap();
            a.offer_all(&array.slice(2000, array.len() - 2000)).unwrap();
            let got = a.to_scalar().unwrap();
            let formatter =
                ArrayFormatter::try_new(array.as_ref(), &FormatOptions::default()).unwrap();
            let mut by_hash: BTreeMap<u64, String> = BTreeMap::new();
            for row in (0..array.len()).filter(|r| array.is_valid(*r)) {
                by_hash
                    .entry(hash(bits[row]))
                    .or_insert_with(|| formatter.value(row).to_string());
            }
            let mut expected: Vec<String> = by_hash.into_values().take(k).collect();
            expected.sort_unstable();
            let ScalarValue::List(list) = got else {
                panic!("not a list: {got:?}")
            };
            let inner = list.value(0);
            let got: Vec<&str> = inner.as_string::<i32>().iter().flatten().collect();
            assert_eq!(got, expected, "{}", array.data_type());
        }
    }
}
