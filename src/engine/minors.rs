//! `steward_minors(column, after, as_of)`: rows whose birth date falls after `after` and
//! on or before `as_of` (both `DATE` literals): with `after` = as-of minus 14 years, the
//! rows of children under 14, whose data PIPL Art. 28 treats as sensitive.
//!
//! The birth date is the column's value when it is a date or timestamp. When it is text,
//! it is the birth date encoded in a valid resident ID, or the calendar date the text
//! writes (`1990-03-07`, `1990/3/7`, `19900307`, `1990年3月7日`: `validate::date`), so
//! birth dates read as text (a CSV column with one bad value, NDJSON, all-text Parquet)
//! count like typed ones. Every column gets one in the scan's single aggregate (the
//! classifier decides afterwards which counts matter), so text that cannot be either
//! (fewer than 8 or more than 40 bytes, or not starting with a digit) is rejected
//! before any parsing.

use std::sync::Arc;

use chrono::NaiveDate;
use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Date32Type, Field, FieldRef};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility,
};
use datafusion::physical_expr::expressions::Literal;

pub(crate) const NAME: &str = "steward_minors";

pub(crate) fn udaf() -> AggregateUDF {
    AggregateUDF::from(Minors {
        signature: Signature::any(3, Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Minors {
    signature: Signature,
}

fn date_literal(e: &std::sync::Arc<dyn datafusion::physical_expr::PhysicalExpr>) -> Option<i32> {
    match e.downcast_ref::<Literal>()?.value() {
        ScalarValue::Date32(Some(d)) => Some(*d),
        _ => None,
    }
}

impl AggregateUDFImpl for Minors {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::UInt64)
    }

    fn accumulator(&self, acc_args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let (Some(after), Some(as_of)) = (
            acc_args.exprs.get(1).and_then(date_literal),
            acc_args.exprs.get(2).and_then(date_literal),
        ) else {
            return exec_err!("{NAME}: the second and third arguments must be DATE literals");
        };
        Ok(Box::new(MinorsAccumulator {
            after,
            as_of,
            count: 0,
        }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(
            format!("{}[count]", args.name),
            DataType::UInt64,
            false,
        ))])
    }
}

#[derive(Debug)]
struct MinorsAccumulator {
    /// Days since the epoch, exclusive.
    after: i32,
    /// Days since the epoch, inclusive.
    as_of: i32,
    count: u64,
}

fn epoch_days(d: NaiveDate) -> i32 {
    // 719,163 days from 0001-01-01 (day 1 of the common era) to 1970-01-01.
    chrono::Datelike::num_days_from_ce(&d) - 719_163
}

/// The days since the epoch of a `Date32` or time-zone-free timestamp column's values,
/// by integer division: what `cast(.., Date32)` gives, without building the array. `None`
/// for other temporal types (a zoned timestamp's date depends on its zone: cast).
fn epoch_days_of(a: &ArrayRef) -> Option<Box<dyn Iterator<Item = i32> + '_>> {
    use datafusion::arrow::datatypes::{
        TimeUnit, TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
        TimestampSecondType,
    };
    fn days<T: datafusion::arrow::datatypes::ArrowPrimitiveType<Native = i64>>(
        a: &ArrayRef,
        per_day: i64,
    ) -> Box<dyn Iterator<Item = i32> + '_> {
        Box::new(
            a.as_primitive::<T>()
                .iter()
                .flatten()
                .map(move |t| t.div_euclid(per_day) as i32),
        )
    }
    const DAY: i64 = 86_400;
    Some(match a.data_type() {
        DataType::Date32 => Box::new(a.as_primitive::<Date32Type>().iter().flatten()),
        DataType::Timestamp(unit, None) => match unit {
            TimeUnit::Second => days::<TimestampSecondType>(a, DAY),
            TimeUnit::Millisecond => days::<TimestampMillisecondType>(a, DAY * 1_000),
            TimeUnit::Microsecond => days::<TimestampMicrosecondType>(a, DAY * 1_000_000),
            TimeUnit::Nanosecond => days::<TimestampNanosecondType>(a, DAY * 1_000_000_000),
        },
        _ => return None,
    })
}

impl MinorsAccumulator {
    fn counts(&self, days: i32) -> bool {
        days > self.after && days <= self.as_of
    }

    /// The birth date a text value holds: a resident ID's, or a written date's.
    fn id_birth(v: &str) -> Option<i32> {
        let v = crate::validate::text::trim(v);
        // Both start with a digit (ASCII, or full-width: U+FF10..U+FF19 start 0xEF 0xBC).
        if !(8..=40).contains(&v.len()) || !matches!(v.as_bytes()[0], b'0'..=b'9' | 0xEF) {
            return None;
        }
        if (v.len() == 18 || v.len() == 15)
            && let Some(d) = crate::validate::cn_resident_id::birth_date(v)
        {
            return Some(epoch_days(d));
        }
        crate::validate::date::calendar_date(v).map(epoch_days)
    }
}

impl Accumulator for MinorsAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let a = &values[0];
        let n = match a.data_type() {
            DataType::Utf8 => a
                .as_string::<i32>()
                .iter()
                .flatten()
                .filter_map(Self::id_birth)
                .filter(|d| self.counts(*d))
                .count(),
            DataType::Utf8View => a
                .as_string_view()
                .iter()
                .flatten()
                .filter_map(Self::id_birth)
                .filter(|d| self.counts(*d))
                .count(),
            DataType::LargeUtf8 => a
                .as_string::<i64>()
                .iter()
                .flatten()
                .filter_map(Self::id_birth)
                .filter(|d| self.counts(*d))
                .count(),
            t if t.is_temporal() => {
                if let Some(days) = epoch_days_of(a) {
                    self.count += days.filter(|d| self.counts(*d)).count() as u64;
                    return Ok(());
                }
                let days = cast(a, &DataType::Date32)?;
                days.as_primitive::<Date32Type>()
                    .iter()
                    .flatten()
                    .filter(|d| self.counts(*d))
                    .count()
            }
            _ => 0,
        };
        self.count += n as u64;
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.count += super::sum_counts(&states[0]);
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::UInt64(Some(self.count))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::UInt64(Some(self.count)))
    }

    fn size(&self) -> usize {
        size_of_val(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::StringArray;

    #[test]
    fn counts_ids_of_children_under_14() {
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let mut a = MinorsAccumulator {
            after: epoch_days(NaiveDate::from_ymd_opt(2012, 11, 1).unwrap()),
            as_of: epoch_days(as_of),
            count: 0,
        };
        let id = |birth: &str| {
            let first = format!("110105{birth}001");
            format!(
                "{first}{}",
                crate::validate::cn_resident_id::check_char(first.as_bytes())
            )
        };
        let values: ArrayRef = Arc::new(StringArray::from(vec![
            Some(id("20150301")),
            Some(id("19800101")),
            Some(id("20121101")),
            // Birth dates written as text count like typed ones.
            Some("2015-03-01".to_string()),
            Some("2015/3/1".to_string()),
            Some("20150301".to_string()),
            Some("2015年3月1日".to_string()),
            Some("１９８０－０１－０１".to_string()),
            Some("2012-11-01".to_string()),
            Some("2026-11-02".to_string()),
            Some("junk".to_string()),
            None,
        ]));
        a.update_batch(&[values]).unwrap();
        // The ID born 2015-03-01 and the four written forms of that day; 1980, the
        // 14th birthday itself and a date after as-of do not count.
        assert_eq!(a.count, 5);
    }

    /// The integer-division days equal arrow's own cast to `Date32`, before and after
    /// the epoch, for every unit.
    #[test]
    fn timestamp_days_match_arrow_cast() {
        use datafusion::arrow::array::{
            TimestampMicrosecondArray, TimestampMillisecondArray, TimestampNanosecondArray,
            TimestampSecondArray,
        };
        let secs: Vec<i64> = (-5..5)
            .flat_map(|d| [0, 1, 43_199, 86_399].map(|s| d * 86_400 + s))
            .chain([-1, 1_700_000_000, -2_208_988_800])
            .collect();
        let arrays: Vec<ArrayRef> = vec![
            Arc::new(TimestampSecondArray::from(secs.clone())),
            Arc::new(TimestampMillisecondArray::from(
                secs.iter().map(|s| s * 1_000 - 1).collect::<Vec<_>>(),
            )),
            Arc::new(TimestampMicrosecondArray::from(
                secs.iter().map(|s| s * 1_000_000 + 7).collect::<Vec<_>>(),
            )),
            Arc::new(TimestampNanosecondArray::from(
                secs.iter()
                    .map(|s| s * 1_000_000_000 - 1)
                    .collect::<Vec<_>>(),
            )),
        ];
        for a in arrays {
            let ours: Vec<i32> = epoch_days_of(&a).unwrap().collect();
            let cast = cast(&a, &DataType::Date32).unwrap();
            let theirs: Vec<i32> = cast.as_primitive::<Date32Type>().iter().flatten().collect();
            assert_eq!(ours, theirs, "{}", a.data_type());
        }
    }
}
