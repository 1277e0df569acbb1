//! `steward_trim(text)`: the value without leading and trailing blanks (space, tab, CR,
//! LF and the ideographic space U+3000), as every check compares it.
//!
//! Same result as `btrim(text, ' \t\r\n\u{3000}')`, but when no value of a batch starts
//! or ends with a blank (the usual case) the input array is returned as it is, without
//! copying a byte. The scan trims every text column once per row, so this matters.

use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, LargeStringArray, StringArray, StringViewArray,
};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

pub(crate) const NAME: &str = "steward_trim";

pub(crate) fn udf() -> ScalarUDF {
    ScalarUDF::from(Trim {
        signature: Signature::uniform(
            1,
            vec![DataType::Utf8, DataType::LargeUtf8, DataType::Utf8View],
            Volatility::Immutable,
        ),
    })
}

fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{3000}')
}

fn needs_trim(v: &str) -> bool {
    v.starts_with(is_blank) || v.ends_with(is_blank)
}

fn trim(v: &str) -> &str {
    v.trim_matches(is_blank)
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Trim {
    signature: Signature,
}

impl ScalarUDFImpl for Trim {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(arg_types[0].clone())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let input = args.args[0].to_array(args.number_rows)?;
        let out: ArrayRef = match input.data_type() {
            DataType::Utf8 => {
                let a = input.as_string::<i32>();
                if !a.iter().flatten().any(needs_trim) {
                    return Ok(ColumnarValue::Array(input));
                }
                Arc::new(a.iter().map(|v| v.map(trim)).collect::<StringArray>())
            }
            DataType::LargeUtf8 => {
                let a = input.as_string::<i64>();
                if !a.iter().flatten().any(needs_trim) {
                    return Ok(ColumnarValue::Array(input));
                }
                Arc::new(a.iter().map(|v| v.map(trim)).collect::<LargeStringArray>())
            }
            DataType::Utf8View => {
                let a = input.as_string_view();
                if !a.iter().flatten().any(needs_trim) {
                    return Ok(ColumnarValue::Array(input));
                }
                Arc::new(a.iter().map(|v| v.map(trim)).collect::<StringViewArray>())
            }
            other => return exec_err!("{NAME} expects text, got {other}"),
        };
        Ok(ColumnarValue::Array(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::prelude::SessionContext;

    #[tokio::test]
    async fn trims_like_btrim_with_the_blank_set_and_keeps_untouched_batches() {
        let ctx = SessionContext::new();
        ctx.register_udf(udf());
        let sql = "SELECT steward_trim(v) = btrim(v, ' \t\r\n\u{3000}') AS same, steward_trim(v) AS t FROM \
                   (VALUES ('  a b '), ('\u{3000}张三\u{3000}'), ('\tx\r\n'), (''), (NULL), ('plain')) s(v)";
        let batches = ctx.sql(sql).await.unwrap().collect().await.unwrap();
        let same = batches[0].column(0).as_boolean();
        for i in 0..6 {
            assert!(same.is_null(i) || same.value(i), "row {i}");
        }
        let t = batches[0].column(1).as_string::<i32>();
        assert_eq!(t.value(1), "张三");
        let untouched: ArrayRef = Arc::new(StringArray::from(vec!["a", "b c"]));
        assert!(
            !untouched
                .as_string::<i32>()
                .iter()
                .flatten()
                .any(needs_trim)
        );
    }
}
