//! Rows -> Arrow: values in PostgreSQL's binary format appended to Arrow builders, a
//! record batch at a time. A value Arrow cannot hold (a NaN numeric, an infinite date or
//! timestamp) is NULL; bytes that do not decode are an error, never a panic.

use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, BinaryBuilder, BooleanBuilder, Date32Builder, Decimal128Builder, Float32Builder,
    Float64Builder, Int16Builder, Int32Builder, Int64Builder, StringBuilder,
    Time64MicrosecondBuilder, TimestampMicrosecondBuilder,
};
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::{RecordBatch, RecordBatchOptions};
use tokio_postgres::types::{FromSql, Type};

use super::UTC;
use super::connection::error_chain;
use super::types::Kind;

/// Days and microseconds from 1970-01-01 (Arrow's epoch) to 2000-01-01 (PostgreSQL's).
const PG_EPOCH_DAYS: i32 = 10_957;
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;

/// A value's bytes in PostgreSQL's binary format, whatever its type.
struct Raw<'a>(&'a [u8]);

impl<'a> FromSql<'a> for Raw<'a> {
    fn from_sql(
        _ty: &Type,
        raw: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Raw(raw))
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }
}

enum ColumnBuilder {
    Bool(BooleanBuilder),
    Int16(Int16Builder),
    Int32(Int32Builder),
    Int64(Int64Builder),
    Float32(Float32Builder),
    Float64(Float64Builder),
    Decimal(Decimal128Builder, u8, i8),
    Text(StringBuilder),
    Date(Date32Builder),
    Timestamp(TimestampMicrosecondBuilder, bool),
    Time(Time64MicrosecondBuilder),
    Bytea(BinaryBuilder),
}

pub(super) struct BatchBuilder {
    columns: Vec<ColumnBuilder>,
    pub(super) rows: usize,
    capacity: usize,
    kinds: Vec<Kind>,
}

impl BatchBuilder {
    pub(super) fn new(kinds: &[Kind], capacity: usize) -> Self {
        BatchBuilder {
            columns: kinds.iter().map(|&k| new_builder(k, capacity)).collect(),
            rows: 0,
            capacity,
            kinds: kinds.to_vec(),
        }
    }

    pub(super) fn push(
        &mut self,
        row: &tokio_postgres::Row,
        names: &[String],
    ) -> std::result::Result<(), String> {
        for (i, b) in self.columns.iter_mut().enumerate() {
            let name = names.get(i).map(String::as_str).unwrap_or("?");
            let raw = row
                .try_get::<_, Option<Raw>>(i)
                .map_err(|e| format!("column '{name}': {}", error_chain(&e)))?;
            append(b, raw.map(|r| r.0)).map_err(|why| format!("column '{name}': {why}"))?;
        }
        self.rows += 1;
        Ok(())
    }

    /// The rows so far as a batch; the builder starts over.
    pub(super) fn finish(
        &mut self,
        schema: &SchemaRef,
    ) -> datafusion::arrow::error::Result<RecordBatch> {
        let arrays = self
            .columns
            .iter_mut()
            .map(finish_builder)
            .collect::<datafusion::arrow::error::Result<Vec<ArrayRef>>>()?;
        let options = RecordBatchOptions::new().with_row_count(Some(self.rows));
        let batch = RecordBatch::try_new_with_options(Arc::clone(schema), arrays, &options)?;
        *self = BatchBuilder::new(&self.kinds, self.capacity);
        Ok(batch)
    }
}

fn new_builder(kind: Kind, n: usize) -> ColumnBuilder {
    match kind {
        Kind::Bool => ColumnBuilder::Bool(BooleanBuilder::with_capacity(n)),
        Kind::Int16 => ColumnBuilder::Int16(Int16Builder::with_capacity(n)),
        Kind::Int32 => ColumnBuilder::Int32(Int32Builder::with_capacity(n)),
        Kind::Int64 => ColumnBuilder::Int64(Int64Builder::with_capacity(n)),
        Kind::Float32 => ColumnBuilder::Float32(Float32Builder::with_capacity(n)),
        Kind::Float64 => ColumnBuilder::Float64(Float64Builder::with_capacity(n)),
        Kind::Decimal { precision, scale } => {
            ColumnBuilder::Decimal(Decimal128Builder::with_capacity(n), precision, scale)
        }
        Kind::Text | Kind::OtherText | Kind::AsText => {
            ColumnBuilder::Text(StringBuilder::with_capacity(n, n * 16))
        }
        Kind::Date => ColumnBuilder::Date(Date32Builder::with_capacity(n)),
        Kind::Timestamp => {
            ColumnBuilder::Timestamp(TimestampMicrosecondBuilder::with_capacity(n), false)
        }
        Kind::TimestampTz => {
            ColumnBuilder::Timestamp(TimestampMicrosecondBuilder::with_capacity(n), true)
        }
        Kind::Time => ColumnBuilder::Time(Time64MicrosecondBuilder::with_capacity(n)),
        Kind::Bytea => ColumnBuilder::Bytea(BinaryBuilder::with_capacity(n, n * 16)),
    }
}

fn finish_builder(b: &mut ColumnBuilder) -> datafusion::arrow::error::Result<ArrayRef> {
    Ok(match b {
        ColumnBuilder::Bool(b) => Arc::new(b.finish()),
        ColumnBuilder::Int16(b) => Arc::new(b.finish()),
        ColumnBuilder::Int32(b) => Arc::new(b.finish()),
        ColumnBuilder::Int64(b) => Arc::new(b.finish()),
        ColumnBuilder::Float32(b) => Arc::new(b.finish()),
        ColumnBuilder::Float64(b) => Arc::new(b.finish()),
        ColumnBuilder::Decimal(b, p, s) => Arc::new(b.finish().with_precision_and_scale(*p, *s)?),
        ColumnBuilder::Text(b) => Arc::new(b.finish()),
        ColumnBuilder::Date(b) => Arc::new(b.finish()),
        ColumnBuilder::Timestamp(b, tz) => {
            let a = b.finish();
            Arc::new(if *tz { a.with_timezone(UTC) } else { a })
        }
        ColumnBuilder::Time(b) => Arc::new(b.finish()),
        ColumnBuilder::Bytea(b) => Arc::new(b.finish()),
    })
}

fn fixed<const N: usize>(raw: &[u8], what: &str) -> std::result::Result<[u8; N], String> {
    raw.try_into().map_err(|_| {
        format!(
            "expected {N} bytes for a {what}, the server sent {}",
            raw.len()
        )
    })
}

/// Append one value (`None` is NULL) in PostgreSQL's binary format.
fn append(b: &mut ColumnBuilder, raw: Option<&[u8]>) -> std::result::Result<(), String> {
    let Some(raw) = raw else {
        match b {
            ColumnBuilder::Bool(b) => b.append_null(),
            ColumnBuilder::Int16(b) => b.append_null(),
            ColumnBuilder::Int32(b) => b.append_null(),
            ColumnBuilder::Int64(b) => b.append_null(),
            ColumnBuilder::Float32(b) => b.append_null(),
            ColumnBuilder::Float64(b) => b.append_null(),
            ColumnBuilder::Decimal(b, ..) => b.append_null(),
            ColumnBuilder::Text(b) => b.append_null(),
            ColumnBuilder::Date(b) => b.append_null(),
            ColumnBuilder::Timestamp(b, _) => b.append_null(),
            ColumnBuilder::Time(b) => b.append_null(),
            ColumnBuilder::Bytea(b) => b.append_null(),
        }
        return Ok(());
    };
    match b {
        ColumnBuilder::Bool(b) => b.append_value(fixed::<1>(raw, "boolean")?[0] != 0),
        ColumnBuilder::Int16(b) => b.append_value(i16::from_be_bytes(fixed(raw, "smallint")?)),
        ColumnBuilder::Int32(b) => b.append_value(i32::from_be_bytes(fixed(raw, "integer")?)),
        ColumnBuilder::Int64(b) => b.append_value(i64::from_be_bytes(fixed(raw, "bigint")?)),
        ColumnBuilder::Float32(b) => b.append_value(f32::from_be_bytes(fixed(raw, "real")?)),
        ColumnBuilder::Float64(b) => {
            b.append_value(f64::from_be_bytes(fixed(raw, "double precision")?))
        }
        ColumnBuilder::Decimal(b, _, scale) => match decode_numeric(raw, *scale)? {
            Some(v) => b.append_value(v),
            None => b.append_null(),
        },
        ColumnBuilder::Text(b) => b.append_value(
            std::str::from_utf8(raw).map_err(|_| "the server sent text that is not UTF-8")?,
        ),
        ColumnBuilder::Date(b) => match i32::from_be_bytes(fixed(raw, "date")?) {
            i32::MAX | i32::MIN => b.append_null(),
            d => b.append_option(d.checked_add(PG_EPOCH_DAYS)),
        },
        ColumnBuilder::Timestamp(b, _) => match i64::from_be_bytes(fixed(raw, "timestamp")?) {
            i64::MAX | i64::MIN => b.append_null(),
            t => b.append_option(t.checked_add(PG_EPOCH_MICROS)),
        },
        ColumnBuilder::Time(b) => b.append_value(i64::from_be_bytes(fixed(raw, "time")?)),
        ColumnBuilder::Bytea(b) => b.append_value(raw),
    }
    Ok(())
}

/// A binary `numeric` as an unscaled i128 at `scale`; `None` for NaN and infinities.
/// Layout: ndigits, weight, sign, dscale (i16 each), then base-10000 digits, the first
/// worth 10000^weight.
fn decode_numeric(raw: &[u8], scale: i8) -> std::result::Result<Option<i128>, String> {
    let word = |i: usize| -> std::result::Result<i16, String> {
        raw.get(2 * i..2 * i + 2)
            .map(|b| i16::from_be_bytes([b[0], b[1]]))
            .ok_or_else(|| "the server sent a truncated numeric".to_string())
    };
    let ndigits = usize::try_from(word(0)?).map_err(|_| "the server sent a bad numeric")?;
    let weight = i32::from(word(1)?);
    let sign = word(2)? as u16;
    match sign {
        0x0000 | 0x4000 => {}
        0xC000 | 0xD000 | 0xF000 => return Ok(None),
        _ => return Err("the server sent a numeric with an unknown sign".into()),
    }
    if raw.len() != 8 + 2 * ndigits {
        return Err("the server sent a numeric of the wrong length".into());
    }
    let overflow = || format!("a numeric value does not fit Decimal128 at scale {scale}");
    let mut acc: i128 = 0;
    for k in 0..ndigits {
        let d = i128::from(word(4 + k)?);
        if !(0..10_000).contains(&d) {
            return Err("the server sent a numeric with a bad digit".into());
        }
        // This digit is worth d * 10^(4 * (weight - k)); scaled by 10^scale.
        let shift = 4 * (weight - k as i32) + i32::from(scale);
        if shift >= 0 {
            let term = 10i128
                .checked_pow(shift as u32)
                .and_then(|p| p.checked_mul(d))
                .ok_or_else(overflow)?;
            acc = acc.checked_add(term).ok_or_else(overflow)?;
        } else if d != 0 {
            let div = 10i128.checked_pow((-shift) as u32).unwrap_or(i128::MAX);
            if d % div != 0 {
                return Err(format!("a numeric value has more than {scale} decimals"));
            }
            acc = acc.checked_add(d / div).ok_or_else(overflow)?;
        }
    }
    Ok(Some(if sign == 0x4000 { -acc } else { acc }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::Array;

    #[test]
    fn binary_values_decode() {
        // numeric 12345.678 at scale 3: digits 1, 2345, 6780; weight 1.
        let n = [0, 3, 0, 1, 0, 0, 0, 3, 0, 1, 0x09, 0x29, 0x1a, 0x7c];
        assert_eq!(decode_numeric(&n, 3), Ok(Some(12_345_678)));
        assert_eq!(decode_numeric(&n, 5), Ok(Some(1_234_567_800)));
        assert!(decode_numeric(&n, 2).unwrap_err().contains("decimals"));
        // -0.05 at scale 2: one digit 500, weight -1.
        let n = [0, 1, 0xff, 0xff, 0x40, 0, 0, 2, 0x01, 0xf4];
        assert_eq!(decode_numeric(&n, 2), Ok(Some(-5)));
        // zero, NaN
        assert_eq!(decode_numeric(&[0, 0, 0, 0, 0, 0, 0, 0], 2), Ok(Some(0)));
        assert_eq!(decode_numeric(&[0, 0, 0, 0, 0xc0, 0, 0, 0], 2), Ok(None));
        // Malformed input is an error, never a panic.
        assert!(decode_numeric(&[0, 5, 0, 0], 2).is_err());
        assert!(decode_numeric(&[0, 1, 0x7f, 0xff, 0, 0, 0, 0, 0, 1], 38).is_err());
        assert!(decode_numeric(&[0xff, 0xff, 0, 0, 0, 0, 0, 0], 0).is_err());

        let mut b = new_builder(Kind::Date, 4);
        append(&mut b, Some(&0i32.to_be_bytes())).unwrap();
        append(&mut b, Some(&i32::MAX.to_be_bytes())).unwrap();
        append(&mut b, None).unwrap();
        assert!(append(&mut b, Some(&[1, 2])).is_err());
        let a = finish_builder(&mut b).unwrap();
        let a = a
            .as_any()
            .downcast_ref::<datafusion::arrow::array::Date32Array>()
            .unwrap();
        assert_eq!(a.value(0), PG_EPOCH_DAYS);
        assert!(a.is_null(1) && a.is_null(2));

        let mut b = new_builder(Kind::Text, 2);
        assert!(append(&mut b, Some(&[0xff, 0xfe])).is_err());
    }
}
