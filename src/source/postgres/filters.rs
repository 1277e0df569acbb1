//! Filter pushdown: a DataFusion filter as a PostgreSQL condition for the scan's `WHERE`,
//! rendered only when PostgreSQL keeps every row DataFusion's filter keeps.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::ScalarValue;
use datafusion::logical_expr::expr::InList;
use datafusion::logical_expr::{Between, BinaryExpr, Expr, Operator};

use super::types::{Kind, PgColumn};
use super::url::quote_ident;

/// `expr` as a PostgreSQL condition that keeps every row DataFusion's filter keeps
/// (DataFusion applies the filter again: pushdown is `Inexact`), or `None`.
///
/// Supported: a column compared with a literal (`= <> < <= > >=`, `IS [NOT] DISTINCT
/// FROM`, `BETWEEN`, `IN (...)`), `IS [NOT] NULL`, a boolean column, and `AND`, `OR`,
/// `NOT` of those. Columns of float, byte, padded-text and `::text` kinds are never
/// compared (their PostgreSQL ordering or equality differs from Arrow's); text
/// compares under `COLLATE "C"`, which is Arrow's byte order. A value PostgreSQL holds
/// but Arrow reads as NULL (NaN, infinity) only turns a comparison from unknown into
/// true or false, which cannot drop a row the filter keeps; `IS NULL` counts them.
pub(super) fn render_filter(expr: &Expr, columns: &[PgColumn]) -> Option<String> {
    match expr {
        Expr::BinaryExpr(BinaryExpr { left, op, right }) => match op {
            Operator::And | Operator::Or => {
                let l = render_filter(left, columns)?;
                let r = render_filter(right, columns)?;
                let word = if *op == Operator::And { "AND" } else { "OR" };
                Some(format!("({l} {word} {r})"))
            }
            _ => {
                if let Some(c) = comparable_column(left, columns) {
                    let lit = render_literal(literal(right)?, c.kind)?;
                    Some(format!("({} {} {lit})", column_sql(c), sql_op(*op)?))
                } else {
                    let c = comparable_column(right, columns)?;
                    let lit = render_literal(literal(left)?, c.kind)?;
                    Some(format!("({lit} {} {})", sql_op(*op)?, column_sql(c)))
                }
            }
        },
        Expr::Not(inner) => Some(format!("(NOT {})", render_filter(inner, columns)?)),
        Expr::IsNull(inner) => Some(is_null_sql(column(inner, columns)?, true)),
        Expr::IsNotNull(inner) => Some(is_null_sql(column(inner, columns)?, false)),
        Expr::Column(_) => {
            let c = column(expr, columns)?;
            (c.kind == Kind::Bool).then(|| quote_ident(&c.name))
        }
        Expr::InList(InList {
            expr,
            list,
            negated,
        }) => {
            let c = comparable_column(expr, columns)?;
            if list.is_empty() {
                return None;
            }
            let items = list
                .iter()
                .map(|e| render_literal(literal(e)?, c.kind))
                .collect::<Option<Vec<_>>>()?;
            let not = if *negated { "NOT " } else { "" };
            Some(format!(
                "({} {not}IN ({}))",
                column_sql(c),
                items.join(", ")
            ))
        }
        Expr::Between(Between {
            expr,
            negated,
            low,
            high,
        }) => {
            let c = comparable_column(expr, columns)?;
            let lo = render_literal(literal(low)?, c.kind)?;
            let hi = render_literal(literal(high)?, c.kind)?;
            let not = if *negated { "NOT " } else { "" };
            Some(format!("({} {not}BETWEEN {lo} AND {hi})", column_sql(c)))
        }
        _ => None,
    }
}

fn sql_op(op: Operator) -> Option<&'static str> {
    Some(match op {
        Operator::Eq => "=",
        Operator::NotEq => "<>",
        Operator::Lt => "<",
        Operator::LtEq => "<=",
        Operator::Gt => ">",
        Operator::GtEq => ">=",
        Operator::IsDistinctFrom => "IS DISTINCT FROM",
        Operator::IsNotDistinctFrom => "IS NOT DISTINCT FROM",
        _ => return None,
    })
}

fn literal(expr: &Expr) -> Option<&ScalarValue> {
    match expr {
        Expr::Literal(v, _) if !v.is_null() => Some(v),
        _ => None,
    }
}

/// A column of this table, by name.
fn column<'a>(expr: &Expr, columns: &'a [PgColumn]) -> Option<&'a PgColumn> {
    match expr {
        Expr::Column(c) => columns.iter().find(|p| p.name == c.name),
        _ => None,
    }
}

/// A column whose values compare in PostgreSQL as in Arrow, maybe under a cast that
/// keeps every value (a wider integer, another string type).
fn comparable_column<'a>(expr: &Expr, columns: &'a [PgColumn]) -> Option<&'a PgColumn> {
    let (inner, target) = match expr {
        Expr::Cast(c) => (c.expr.as_ref(), Some(c.field.data_type())),
        Expr::TryCast(c) => (c.expr.as_ref(), Some(c.field.data_type())),
        _ => (expr, None),
    };
    let c = column(inner, columns)?;
    let keeps_values = matches!(
        (c.kind, target),
        (_, None)
            | (Kind::Int16, Some(DataType::Int32 | DataType::Int64))
            | (Kind::Int32, Some(DataType::Int64))
            | (
                Kind::Text,
                Some(DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
            )
    );
    let comparable = matches!(
        c.kind,
        Kind::Bool
            | Kind::Int16
            | Kind::Int32
            | Kind::Int64
            | Kind::Decimal { .. }
            | Kind::Text
            | Kind::Date
            | Kind::Timestamp
            | Kind::TimestampTz
            | Kind::Time
    );
    (keeps_values && comparable).then_some(c)
}

fn column_sql(c: &PgColumn) -> String {
    match c.kind {
        Kind::Text => format!("{} COLLATE \"C\"", quote_ident(&c.name)),
        _ => quote_ident(&c.name),
    }
}

/// `IS NULL` as Arrow sees it: NaN and infinities are NULL there.
fn is_null_sql(c: &PgColumn, null: bool) -> String {
    let q = quote_ident(&c.name);
    let special = match c.kind {
        Kind::Decimal { .. } => Some(format!("{q} = 'NaN'::numeric")),
        Kind::Date | Kind::Timestamp | Kind::TimestampTz => Some(format!("NOT isfinite({q})")),
        _ => None,
    };
    match (special, null) {
        (None, true) => format!("({q} IS NULL)"),
        (None, false) => format!("({q} IS NOT NULL)"),
        (Some(s), true) => format!("({q} IS NULL OR {s})"),
        (Some(s), false) => format!("({q} IS NOT NULL AND NOT ({s}))"),
    }
}

/// A literal as PostgreSQL SQL for a comparison with a column of `kind`, or `None`
/// when its type does not belong with the column.
fn render_literal(v: &ScalarValue, kind: Kind) -> Option<String> {
    let int = |n: i128| {
        if n < 0 {
            format!("({n})")
        } else {
            n.to_string()
        }
    };
    let int_value = || -> Option<i128> {
        Some(match v {
            ScalarValue::Int8(Some(n)) => i128::from(*n),
            ScalarValue::Int16(Some(n)) => i128::from(*n),
            ScalarValue::Int32(Some(n)) => i128::from(*n),
            ScalarValue::Int64(Some(n)) => i128::from(*n),
            ScalarValue::UInt8(Some(n)) => i128::from(*n),
            ScalarValue::UInt16(Some(n)) => i128::from(*n),
            ScalarValue::UInt32(Some(n)) => i128::from(*n),
            ScalarValue::UInt64(Some(n)) => i128::from(*n),
            _ => return None,
        })
    };
    match kind {
        Kind::Bool => match v {
            ScalarValue::Boolean(Some(b)) => Some(if *b { "TRUE" } else { "FALSE" }.into()),
            _ => None,
        },
        Kind::Int16 | Kind::Int32 | Kind::Int64 => int_value().map(int),
        Kind::Decimal { .. } => match v {
            ScalarValue::Decimal128(Some(n), _, s) => Some(decimal_sql(*n, *s)),
            _ => int_value().map(int),
        },
        Kind::Text => match v {
            ScalarValue::Utf8(Some(s))
            | ScalarValue::LargeUtf8(Some(s))
            | ScalarValue::Utf8View(Some(s)) => string_sql(s),
            _ => None,
        },
        Kind::Date => match v {
            ScalarValue::Date32(Some(d)) => {
                let date = chrono::NaiveDate::from_num_days_from_ce_opt(d.checked_add(719_163)?)?;
                use chrono::Datelike;
                (1..=9999)
                    .contains(&date.year())
                    .then(|| format!("DATE '{}'", date.format("%Y-%m-%d")))
            }
            _ => None,
        },
        Kind::Timestamp | Kind::TimestampTz => {
            let (micros, tz) = match v {
                ScalarValue::TimestampSecond(Some(n), tz) => (n.checked_mul(1_000_000)?, tz),
                ScalarValue::TimestampMillisecond(Some(n), tz) => (n.checked_mul(1_000)?, tz),
                ScalarValue::TimestampMicrosecond(Some(n), tz) => (*n, tz),
                ScalarValue::TimestampNanosecond(Some(n), tz) if n % 1_000 == 0 => (n / 1_000, tz),
                _ => return None,
            };
            if tz.is_some() != (kind == Kind::TimestampTz) {
                return None;
            }
            let t = chrono::DateTime::from_timestamp_micros(micros)?.naive_utc();
            use chrono::Datelike;
            if !(1..=9999).contains(&t.year()) {
                return None;
            }
            let text = t.format("%Y-%m-%d %H:%M:%S%.6f");
            Some(if kind == Kind::TimestampTz {
                format!("TIMESTAMPTZ '{text}+00'")
            } else {
                format!("TIMESTAMP '{text}'")
            })
        }
        Kind::Time => match v {
            ScalarValue::Time64Microsecond(Some(n)) if (0..86_400_000_000).contains(n) => {
                let (secs, micros) = (n / 1_000_000, n % 1_000_000);
                Some(format!(
                    "TIME '{:02}:{:02}:{:02}.{micros:06}'",
                    secs / 3600,
                    secs / 60 % 60,
                    secs % 60
                ))
            }
            _ => None,
        },
        _ => None,
    }
}

/// An unscaled decimal as a numeric literal: `-12345`, scale 2 -> `(-123.45)`.
fn decimal_sql(n: i128, scale: i8) -> String {
    let digits = n.unsigned_abs().to_string();
    let body = if scale <= 0 {
        format!("{digits}{}", "0".repeat(usize::from(scale.unsigned_abs())))
    } else {
        let s = scale as usize;
        let padded = format!("{digits:0>width$}", width = s + 1);
        let (int, frac) = padded.split_at(padded.len() - s);
        format!("{int}.{frac}")
    };
    if n < 0 { format!("(-{body})") } else { body }
}

/// An escape string (`E'...'`), which means the same whatever
/// `standard_conforming_strings` is; PostgreSQL text cannot hold NUL.
fn string_sql(s: &str) -> Option<String> {
    if s.contains('\0') {
        return None;
    }
    Some(format!(
        "E'{}'",
        s.replace('\\', "\\\\").replace('\'', "''")
    ))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::columns;
    use super::*;
    use datafusion::logical_expr::{col, lit};

    fn render(e: Expr) -> Option<String> {
        render_filter(&e, &columns())
    }

    #[test]
    fn filters_render_with_quoting() {
        assert_eq!(render(col("id").eq(lit(5))).unwrap(), r#"("id" = 5)"#);
        assert_eq!(render(lit(-5).lt(col("id"))).unwrap(), r#"((-5) < "id")"#);
        assert_eq!(
            render(col("name").eq(lit("O'Brien \\ x"))).unwrap(),
            r#"("name" COLLATE "C" = E'O''Brien \\ x')"#
        );
        assert_eq!(
            render(col("name").gt_eq(lit("a")).and(col("id").is_not_null())).unwrap(),
            r#"(("name" COLLATE "C" >= E'a') AND ("id" IS NOT NULL))"#
        );
        assert_eq!(
            render(
                col("id")
                    .in_list(vec![lit(1), lit(2)], true)
                    .or(col("active"))
            )
            .unwrap(),
            r#"(("id" NOT IN (1, 2)) OR "active")"#
        );
        assert_eq!(
            render(!col("amount").is_null()).unwrap(),
            r#"(NOT ("amount" IS NULL OR "amount" = 'NaN'::numeric))"#
        );
        assert_eq!(
            render(col("amount").lt(lit(ScalarValue::Decimal128(Some(-1234), 12, 2)))).unwrap(),
            r#"("amount" < (-12.34))"#
        );
        assert_eq!(
            render(col("born").between(
                lit(ScalarValue::Date32(Some(0))),
                lit(ScalarValue::Date32(Some(20_000)))
            ))
            .unwrap(),
            r#"("born" BETWEEN DATE '1970-01-01' AND DATE '2024-10-04')"#
        );
        assert_eq!(
            render(col("seen").gt(lit(ScalarValue::TimestampMicrosecond(
                Some(1_500_000),
                Some("UTC".into())
            ))))
            .unwrap(),
            r#"("seen" > TIMESTAMPTZ '1970-01-01 00:00:01.500000+00')"#
        );
        assert_eq!(
            render(col("born").is_null()).unwrap(),
            r#"("born" IS NULL OR NOT isfinite("born"))"#
        );
        // Quotes in column names are doubled.
        let cols = vec![PgColumn {
            name: "a\"b".into(),
            kind: Kind::Int64,
        }];
        assert_eq!(
            render_filter(&col(r#""a""b""#).eq(lit(1i64)), &cols).unwrap(),
            r#"("a""b" = 1)"#
        );
    }

    #[test]
    fn unsafe_filters_are_not_pushed() {
        for e in [
            // float ordering (NaN, -0.0), padded text, ::text columns
            col("score").gt(lit(1.5)),
            col("code").eq(lit("x")),
            col("meta").eq(lit("{}")),
            // type mismatch, NULL literal, functions, column vs column, NUL in text
            col("id").eq(lit("5")),
            col("id").eq(lit(ScalarValue::Int32(None))),
            datafusion::functions::string::expr_fn::upper(col("name")).eq(lit("A")),
            col("id").eq(col("amount")),
            col("name").eq(lit("a\0b")),
            col("name").like(lit("a%")),
            // a naive literal against a timestamptz column
            col("seen").gt(lit(ScalarValue::TimestampMicrosecond(Some(0), None))),
            // one unsupported side spoils an OR
            col("id").eq(lit(1)).or(col("score").gt(lit(1.0))),
            col("nosuch").eq(lit(1)),
        ] {
            assert_eq!(render(e.clone()), None, "{e}");
        }
    }
}
