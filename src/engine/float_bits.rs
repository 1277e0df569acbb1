//! `steward_float_bits(double) -> bigint`: a float's bit pattern, for counting distinct
//! floats in the column profile.
//!
//! DataFusion's `approx_distinct` does not take floats; formatting each one as text to
//! count it cost more than the rest of a numeric column's profile. Equal values give
//! equal bits (`-0.0` is counted as `0.0`, every NaN as one NaN).

use std::sync::Arc;

use datafusion::arrow::array::{AsArray, Int64Array};
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::Result;
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

pub(crate) const NAME: &str = "steward_float_bits";

pub(crate) fn udf() -> ScalarUDF {
    ScalarUDF::from(FloatBits {
        signature: Signature::exact(vec![DataType::Float64], Volatility::Immutable),
    })
}

fn bits(v: f64) -> i64 {
    let v = if v == 0.0 {
        0.0
    } else if v.is_nan() {
        f64::NAN
    } else {
        v
    };
    v.to_bits() as i64
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct FloatBits {
    signature: Signature,
}

impl ScalarUDFImpl for FloatBits {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int64)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let input = args.args[0].to_array(args.number_rows)?;
        let out: Int64Array = input.as_primitive::<Float64Type>().unary(bits);
        Ok(ColumnarValue::Array(Arc::new(out)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_have_equal_bits() {
        assert_eq!(bits(0.0), bits(-0.0));
        assert_eq!(bits(f64::NAN), bits(-f64::NAN));
        assert_ne!(bits(1.5), bits(1.25));
    }
}
