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
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Fields};
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

/// Whether `text` is one run of ASCII letters, digits and `_`: a single atom of the span
/// finder, which never splits an atom, so the only span it can hold is all of it, which
/// does not count. Identifier, mobile and ID-number columns skip the finder this way
/// (on the bench extract the finder was about a third of the scan's instructions).
fn one_atom(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Whether `text` is a date or a time-zone-free timestamp in the ISO shape
/// (`1990-03-07`, `1990/03/07`, `2026-11-01 10:20`, `2026-11-01T10:20:30`): at most 14
/// digits in groups of 4-2-2(-2-2-2) that the finder reads as no value (dates and
/// timestamps are not personal data inside text, module spans), so a date column skips it.
fn date_or_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let date = b.len() >= 10
        && digits(0..4)
        && matches!(b[4], b'-' | b'/')
        && b[7] == b[4]
        && digits(5..7)
        && digits(8..10);
    date && match b.len() {
        10 => true,
        16 | 19 => {
            matches!(b[10], b' ' | b'T')
                && digits(11..13)
                && b[13] == b':'
                && digits(14..16)
                && (b.len() == 16 || (b[16] == b':' && digits(17..19)))
        }
        _ => false,
    }
}

/// Whether the whole of `text` is one valid e-mail address starting with a letter, digit,
/// `_` or `%`, which the finder reads as that one span (an address is read whole at its
/// `@`, digits inside it are glued to it; a leading `+`, `.` or `-` it would drop, so
/// those values take the finder), so an e-mail column skips the finder.
fn one_email(text: &str) -> bool {
    text.as_bytes()
        .first()
        .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'%'))
        && text.contains('@')
        && crate::validate::email::is_valid(text)
}

impl EmbeddedAccumulator {
    fn row(&mut self, text: &str) {
        let text = crate::validate::text::trim(text);
        if one_atom(text) || date_or_timestamp(text) || one_email(text) {
            return;
        }
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
            *n += super::sum_counts(state);
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
    use datafusion::arrow::datatypes::UInt64Type;

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

    /// A seeded xorshift64: `next(n)` is a number below `n`, the same on every run.
    fn below(mut seed: u64) -> impl FnMut(u64) -> u64 {
        move |n| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        }
    }

    /// The one-atom shortcut never changes a count: on values made of one atom (IDs,
    /// mobiles, card numbers, glued to letters or not) the finder finds nothing or the
    /// whole value, never a part.
    #[test]
    fn one_atom_values_hold_no_embedded_span() {
        let mut next = below(0x9E37_79B9_7F4A_7C15);
        let parts = [
            "13812345678",
            "11010519491231002X",
            "110105491231002",
            "6222021234567894",
            "91350100M000100Y43",
            "E12345678",
            "C",
            "ID",
            "x",
            "_",
            "0086",
            "86",
            "2026",
            "4111111111111111",
            "GB82WEST12345698765432",
            "192",
            "0",
            "9",
        ];
        for _ in 0..20_000 {
            let mut v = String::new();
            for _ in 0..=next(3) {
                v.push_str(parts[next(parts.len() as u64) as usize]);
            }
            for _ in 0..next(4) {
                v.push(char::from(b'0' + next(10) as u8));
            }
            assert!(one_atom(&v), "{v}");
            for s in spans::find(&v) {
                assert_eq!((s.start, s.end), (0, v.len()), "{v}: {s:?}");
            }
        }
        assert!(!one_atom("138 1234 5678") && !one_atom("a@b.cn") && !one_atom(""));
    }

    /// Every shortcut holds no span but possibly the whole value, on values built to
    /// look like personal data (mobiles, IDs, landlines in date-like groups, IPs and
    /// mobiles inside e-mail addresses).
    #[test]
    fn dates_timestamps_and_emails_hold_no_embedded_span() {
        let mut next = below(0x2545_F491_4F6C_DD1D);
        let mut d =
            |n: usize| -> String { (0..n).map(|_| char::from(b'0' + next(10) as u8)).collect() };
        let mut checked = 0;
        for i in 0..50_000 {
            let sep = if i % 2 == 0 { '-' } else { '/' };
            let mut v = format!("{}{sep}{}{sep}{}", d(4), d(2), d(2));
            match i % 3 {
                0 => {}
                1 => v.push_str(&format!(" {}:{}", d(2), d(2))),
                _ => v.push_str(&format!("T{}:{}:{}", d(2), d(2), d(2))),
            }
            // Hand-picked shapes of numbers that are personal data.
            if i < 6 {
                v = [
                    "0755-12-34",
                    "1381-23-45",
                    "0086-13-81",
                    "0000-00-00",
                    "9999/99/99",
                    "2026-11-01 13:81",
                ][i]
                    .to_string();
            }
            assert!(date_or_timestamp(&v), "{v}");
            for s in spans::find(&v) {
                assert_eq!((s.start, s.end), (0, v.len()), "{v}: {s:?}");
            }
            checked += 1;
        }
        let locals = [
            "13812345678",
            "+8613812345678",
            "11010519491231002X",
            "192.168.1.1",
            "zhang.wei",
            "a_b",
            "6222021234567894",
            "x+13812345678",
            "138.1234.5678",
            "user0727",
            "0086",
            "_13812345678",
            "%x",
            "-13812345678",
            ".a",
        ];
        let domains = [
            "qq.com",
            "163.com",
            "example.com.cn",
            "mail.13812345678.com",
            "10.0.0.1.cn",
            "a-b.org",
            "13812345678.cn",
        ];
        for l in locals {
            for dom in domains {
                for l2 in ["", ".x", "1"] {
                    let v = format!("{l}{l2}@{dom}");
                    if !one_email(&v) {
                        continue;
                    }
                    for s in spans::find(&v) {
                        assert_eq!((s.start, s.end), (0, v.len()), "{v}: {s:?}");
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 50_100);
        assert!(!one_email("+8613812345678@qq.com"));
        assert!(!date_or_timestamp("1990-03-07 13812345678") && !one_email("客户 a@b.cn"));
    }
}
