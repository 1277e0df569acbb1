//! Column types: the [`Kind`] of each column, from its PostgreSQL type and type
//! modifier, which decides how the column is selected, decoded and typed in Arrow.

use datafusion::arrow::datatypes::{DataType, TimeUnit};
use tokio_postgres::types::Type;

use super::UTC;
use super::url::quote_ident;

/// How a column is selected and decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Bool,
    Int16,
    Int32,
    Int64,
    Float32,
    Float64,
    /// `numeric(p, s)` with `p <= 38`, `0 <= s <= p`.
    Decimal {
        precision: u8,
        scale: i8,
    },
    /// `text`, `varchar`: UTF-8 text that compares byte by byte under `COLLATE "C"`.
    Text,
    /// `bpchar`, `name`: text whose comparisons differ from Arrow's (padding).
    OtherText,
    Date,
    Timestamp,
    TimestampTz,
    Time,
    Bytea,
    /// Anything else, selected as `::text`.
    AsText,
}

impl Kind {
    pub(super) fn of(ty: &Type, typmod: i32) -> Kind {
        match *ty {
            Type::BOOL => Kind::Bool,
            Type::INT2 => Kind::Int16,
            Type::INT4 => Kind::Int32,
            Type::INT8 => Kind::Int64,
            Type::FLOAT4 => Kind::Float32,
            Type::FLOAT8 => Kind::Float64,
            Type::NUMERIC => numeric_kind(typmod),
            Type::TEXT | Type::VARCHAR => Kind::Text,
            Type::BPCHAR | Type::NAME => Kind::OtherText,
            Type::DATE => Kind::Date,
            Type::TIMESTAMP => Kind::Timestamp,
            Type::TIMESTAMPTZ => Kind::TimestampTz,
            Type::TIME => Kind::Time,
            Type::BYTEA => Kind::Bytea,
            // uuid, json, jsonb, citext, enums, arrays, intervals, ...: their text form.
            _ => Kind::AsText,
        }
    }

    pub(super) fn data_type(self) -> DataType {
        match self {
            Kind::Bool => DataType::Boolean,
            Kind::Int16 => DataType::Int16,
            Kind::Int32 => DataType::Int32,
            Kind::Int64 => DataType::Int64,
            Kind::Float32 => DataType::Float32,
            Kind::Float64 => DataType::Float64,
            Kind::Decimal { precision, scale } => DataType::Decimal128(precision, scale),
            Kind::Text | Kind::OtherText | Kind::AsText => DataType::Utf8,
            Kind::Date => DataType::Date32,
            Kind::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, None),
            Kind::TimestampTz => DataType::Timestamp(TimeUnit::Microsecond, Some(UTC.into())),
            Kind::Time => DataType::Time64(TimeUnit::Microsecond),
            Kind::Bytea => DataType::Binary,
        }
    }
}

/// `numeric(p, s)` from its type modifier (`((p << 16) | s) + 4`, `s` 11-bit signed
/// since PostgreSQL 15); unconstrained or too wide for Decimal128 is read as text.
fn numeric_kind(typmod: i32) -> Kind {
    if typmod < 4 {
        return Kind::AsText;
    }
    let m = typmod - 4;
    let precision = (m >> 16) & 0xffff;
    let scale = ((m & 0x7ff) ^ 0x400) - 0x400;
    if (1..=38).contains(&precision) && (0..=precision).contains(&scale) {
        Kind::Decimal {
            precision: precision as u8,
            scale: scale as i8,
        }
    } else {
        Kind::AsText
    }
}

#[derive(Debug, Clone)]
pub(super) struct PgColumn {
    pub(super) name: String,
    pub(super) kind: Kind,
}

impl PgColumn {
    pub(super) fn select_item(&self) -> String {
        let q = quote_ident(&self.name);
        match self.kind {
            Kind::AsText => format!("{q}::text AS {q}"),
            _ => q,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_map_to_arrow() {
        let numeric = |p: i32, s: i32| ((p << 16) | s) + 4;
        let cases = [
            (Type::BOOL, -1, DataType::Boolean),
            (Type::INT2, -1, DataType::Int16),
            (Type::INT4, -1, DataType::Int32),
            (Type::INT8, -1, DataType::Int64),
            (Type::FLOAT4, -1, DataType::Float32),
            (Type::FLOAT8, -1, DataType::Float64),
            (Type::NUMERIC, numeric(12, 2), DataType::Decimal128(12, 2)),
            (Type::NUMERIC, numeric(38, 0), DataType::Decimal128(38, 0)),
            (Type::NUMERIC, numeric(50, 2), DataType::Utf8),
            (Type::NUMERIC, -1, DataType::Utf8),
            // numeric(5, -2) (PostgreSQL 15): scale 0x7fe in 11 bits.
            (Type::NUMERIC, ((5 << 16) | 0x7fe) + 4, DataType::Utf8),
            (Type::TEXT, -1, DataType::Utf8),
            (Type::VARCHAR, 14, DataType::Utf8),
            (Type::BPCHAR, 9, DataType::Utf8),
            (Type::NAME, -1, DataType::Utf8),
            (Type::UUID, -1, DataType::Utf8),
            (Type::JSON, -1, DataType::Utf8),
            (Type::JSONB, -1, DataType::Utf8),
            (Type::DATE, -1, DataType::Date32),
            (
                Type::TIMESTAMP,
                -1,
                DataType::Timestamp(TimeUnit::Microsecond, None),
            ),
            (
                Type::TIMESTAMPTZ,
                -1,
                DataType::Timestamp(TimeUnit::Microsecond, Some("+00:00".into())),
            ),
            (Type::TIME, -1, DataType::Time64(TimeUnit::Microsecond)),
            (Type::BYTEA, -1, DataType::Binary),
            (Type::INTERVAL, -1, DataType::Utf8),
            (Type::INT4_ARRAY, -1, DataType::Utf8),
        ];
        for (ty, typmod, want) in cases {
            assert_eq!(Kind::of(&ty, typmod).data_type(), want, "{ty}");
        }
        let other = PgColumn {
            name: "u\"id".into(),
            kind: Kind::of(&Type::UUID, -1),
        };
        assert_eq!(other.select_item(), r#""u""id"::text AS "u""id""#);
    }
}
