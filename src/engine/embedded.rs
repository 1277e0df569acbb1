//! `steward_embedded(text)`: rows whose text holds personal data inside other text, by
//! category: a notes column (备注) with `客户电话13812345678，下午联系` counts one row
//! for `cn_mobile`.
//!
//! A row counts for a category when [`crate::classify::spans`] finds at least one span of
//! that category in it that is not the whole (trimmed) value: a mobile column's values
//! are mobiles, which the column's own classification says; what this counts is
//! personal data a column's classification cannot see. The result is a struct with one
//! `UInt64` field per category of [`spans::CATEGORIES`], named by the category id, so
//! the scan reads it back by name. Text without a candidate character costs a byte scan.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StructArray, UInt64Array};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Fields, UInt64Type};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility,
};

use crate::classify::spans::{self, Span};

pub(crate) const NAME: &str = "steward_embedded";

pub(crate) fn udaf() -> AggregateUDF {
    AggregateUDF::from(Embedded {
        signature: Signature::any(1, Volatility::Immutable),
    })
}

fn fields() -> Fields {
    spans::CATEGORIES
        .iter()
        .map(|c| Field::new(*c, DataType::UInt64, false))
        .collect()
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Embedded {
    signature: Signature,
}

impl AggregateUDFImpl for Embedded {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Struct(fields()))
    }

    fn accumulator(&self, _args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(EmbeddedAccumulator::default()))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(spans::CATEGORIES
            .iter()
            .map(|c| {
                Arc::new(Field::new(
                    format!("{}[{c}]", args.name),
                    DataType::UInt64,
                    false,
                ))
            })
            .collect())
    }
}

#[derive(Debug)]
struct EmbeddedAccumulator {
    /// Rows per category, in [`spans::CATEGORIES`] order.
    rows: Vec<u64>,
    /// Reused span buffer.
    found: Vec<Span>,
    /// Categories seen in the current row.
    seen: Vec<bool>,
}

impl Default for EmbeddedAccumulator {
    fn default() -> Self {
        EmbeddedAccumulator {
            rows: vec![0; spans::CATEGORIES.len()],
            found: Vec::new(),
            seen: vec![false; spans::CATEGORIES.len()],
        }
    }
}

impl EmbeddedAccumulator {
    fn row(&mut self, text: &str) {
        let text = text.trim();
        self.found.clear();
        spans::find_into(text, &mut self.found);
        if self.found.is_empty() {
            return;
        }
        self.seen.iter_mut().for_each(|s| *s = false);
        for s in &self.found {
            if s.start == 0 && s.end == text.len() {
                continue;
            }
            if let Some(i) = spans::CATEGORIES.iter().position(|c| *c == s.category) {
                self.seen[i] = true;
            }
        }
        for (n, seen) in self.rows.iter_mut().zip(&self.seen) {
            *n += u64::from(*seen);
        }
    }
}

impl Accumulator for EmbeddedAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let a = &values[0];
        match a.data_type() {
            DataType::Utf8 => a
                .as_string::<i32>()
                .iter()
                .flatten()
                .for_each(|v| self.row(v)),
            DataType::LargeUtf8 => a
                .as_string::<i64>()
                .iter()
                .flatten()
                .for_each(|v| self.row(v)),
            DataType::Utf8View => a
                .as_string_view()
                .iter()
                .flatten()
                .for_each(|v| self.row(v)),
            DataType::Null => {}
            t => return exec_err!("{NAME} expects text, got {t}"),
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        for (n, state) in self.rows.iter_mut().zip(states) {
            *n += state
                .as_primitive::<UInt64Type>()
                .iter()
                .flatten()
                .sum::<u64>();
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(self
            .rows
            .iter()
            .map(|n| ScalarValue::UInt64(Some(*n)))
            .collect())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let columns: Vec<ArrayRef> = self
            .rows
            .iter()
            .map(|n| Arc::new(UInt64Array::from(vec![*n])) as ArrayRef)
            .collect();
        let s = StructArray::try_new(fields(), columns, None)?;
        Ok(ScalarValue::Struct(Arc::new(s)))
    }

    fn size(&self) -> usize {
        size_of_val(self)
            + self.rows.capacity() * 8
            + self.found.capacity() * size_of::<Span>()
            + self.seen.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::StringArray;

    #[test]
    fn counts_rows_with_personal_data_inside_text() {
        let mut a = EmbeddedAccumulator::default();
        let notes: ArrayRef = Arc::new(StringArray::from(vec![
            Some("客户电话13812345678，下午联系"),
            Some("发票请发送至zhouboning0727@gmail.com 或 13812345678"),
            // The whole value is a mobile: the column's classification says so.
            Some(" 13812345678 "),
            Some("订单已发货"),
            None,
        ]));
        a.update_batch(&[notes]).unwrap();
        let mut total = EmbeddedAccumulator::default();
        let state: Vec<ArrayRef> = a
            .state()
            .unwrap()
            .iter()
            .map(|s| s.to_array().unwrap())
            .collect();
        total.merge_batch(&state).unwrap();
        let ScalarValue::Struct(s) = total.evaluate().unwrap() else {
            panic!("not a struct");
        };
        let rows = |c: &str| {
            s.column_by_name(c)
                .unwrap()
                .as_primitive::<UInt64Type>()
                .value(0)
        };
        assert_eq!(rows("cn_mobile"), 2);
        assert_eq!(rows("email"), 1);
        assert_eq!(rows("cn_resident_id"), 0);
    }
}
