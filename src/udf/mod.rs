//! Domain SQL functions registered in DataFusion (`cn_id_valid()`, ...).
//!
//! Each validator is a pure function in its own file of the leaf module
//! `crate::validate` (tested without a SessionContext); `TextFn` wraps any of them as a scalar UDF the DataFusion way: immutable, arrays and
//! scalars, any input type read as text (a mobile column inferred as Int64 still works),
//! null -> null, and a malformed value -> `false` or null, never an error.

pub use crate::validate::{cn_resident_id, cn_uscc, email, luhn};

use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use chrono::NaiveDate;
use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, Date32Array, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type, UInt64Type};
use datafusion::common::Result;
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use datafusion::prelude::SessionContext;

use crate::entry::{Entry as ListEntry, Kind, Status};
use crate::validate::phone;

/// One registered SQL function, as `steward rules list` shows it.
#[derive(Debug, Clone, Copy)]
pub struct FunctionInfo {
    pub name: &'static str,
    pub signature: &'static str,
    pub summary: &'static str,
    /// A SQL example that runs (a test runs every one).
    pub example: &'static str,
    pub status: Status,
    pub since: &'static str,
}

/// The pure function behind a UDF.
#[derive(Clone, Copy)]
enum Body {
    Bool(fn(&str) -> bool),
    Date(fn(&str) -> Option<NaiveDate>),
    /// Borrowed when the value is already its result, so that the common case of an
    /// already normalised key allocates nothing.
    Text(for<'a> fn(&'a str) -> Option<Cow<'a, str>>),
}

struct Entry {
    info: FunctionInfo,
    body: Body,
}

impl FunctionInfo {
    /// Its entry in `steward rules list`.
    pub fn entry(&self) -> ListEntry {
        ListEntry {
            kind: Kind::SqlFunction,
            id: self.signature.to_string(),
            summary: self.summary.to_string(),
            doc: "docs/rules.md#sql-checks".into(),
            status: self.status,
            since: self.since,
        }
    }
}

const fn stable(
    name: &'static str,
    signature: &'static str,
    summary: &'static str,
    example: &'static str,
) -> FunctionInfo {
    FunctionInfo {
        name,
        signature,
        summary,
        example,
        status: Status::Stable,
        since: "0.1.0",
    }
}

fn gender_text(s: &str) -> Option<Cow<'_, str>> {
    cn_resident_id::gender(s).map(Cow::Borrowed)
}

/// The most specific personal-data category whose detector is sure of this one value
/// on its own (a checksum passed, a specific format); header-led categories never.
fn pii_category(s: &str) -> Option<Cow<'_, str>> {
    crate::classify::DETECTORS
        .iter()
        .filter(|d| d.alone.is_some() && (d.check)(s) == crate::classify::Match::Strong)
        .max_by_key(|d| d.specificity)
        .map(|d| Cow::Borrowed(d.category.id))
}

fn id_key(s: &str) -> Option<Cow<'_, str>> {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
    {
        return Some(Cow::Borrowed(s));
    }
    let d = crate::validate::text::identifier(s);
    (!d.is_empty()).then_some(Cow::Owned(d))
}

/// The ordered registry. Names are never renamed or reused.
const ENTRIES: &[Entry] = &[
    Entry {
        info: stable(
            "cn_mobile_valid",
            "cn_mobile_valid(text) -> boolean",
            "mainland China mobile number in a libphonenumber mobile range, in any accepted form: +86/0086/(+86) prefix, spaces, dashes, dots, full-width digits (docs/phones.md)",
            "SELECT cn_mobile_valid('(+86) 138-1234-6138')",
        ),
        body: Body::Bool(phone::is_cn_mobile),
    },
    Entry {
        info: stable(
            "cn_mobile_strict_valid",
            "cn_mobile_strict_valid(text) -> boolean",
            "a valid mainland China mobile number written canonically: exactly 11 ASCII digits, no prefix, separator or space",
            "SELECT cn_mobile_strict_valid('13812346138')",
        ),
        body: Body::Bool(phone::is_cn_mobile_strict),
    },
    Entry {
        info: stable(
            "cn_id_valid",
            "cn_id_valid(text) -> boolean",
            "resident ID: 18 characters with GB 11643 check character, real birth date, province code; or 15-digit legacy",
            "SELECT cn_id_valid('11010519491231002X')",
        ),
        body: Body::Bool(cn_resident_id::is_valid),
    },
    Entry {
        info: stable(
            "cn_id_birth_date",
            "cn_id_birth_date(text) -> date",
            "birth date encoded in a valid resident ID; null when the ID is not valid",
            "SELECT cn_id_birth_date('11010519491231002X')",
        ),
        body: Body::Date(cn_resident_id::birth_date),
    },
    Entry {
        info: stable(
            "cn_id_gender",
            "cn_id_gender(text) -> text",
            "'M' or 'F' from a valid resident ID's sequence digit (odd = M); null when not valid",
            "SELECT cn_id_gender('11010519491231002X')",
        ),
        body: Body::Text(gender_text),
    },
    Entry {
        info: stable(
            "email_valid",
            "email_valid(text) -> boolean",
            "e-mail address: dot-atom local part, LDH domain labels, alphabetic TLD, RFC 5321 lengths",
            "SELECT email_valid('zhang.wei@example.com')",
        ),
        body: Body::Bool(email::is_valid),
    },
    Entry {
        info: stable(
            "luhn_valid",
            "luhn_valid(text) -> boolean",
            "payment card number: 12-19 digits (spaces, dashes ignored) passing the Luhn check",
            "SELECT luhn_valid('6222 0212 3456 7894')",
        ),
        body: Body::Bool(luhn::is_valid),
    },
    Entry {
        info: stable(
            "cn_uscc_valid",
            "cn_uscc_valid(text) -> boolean",
            "Unified Social Credit Code (GB 32100-2015): 18 characters with a mod-31 check character",
            "SELECT cn_uscc_valid('91350100M000100Y43')",
        ),
        body: Body::Bool(cn_uscc::is_valid),
    },
    Entry {
        info: stable(
            "pii_category",
            "pii_category(text) -> text",
            "personal-data category id a single value proves on its own (checksum or specific format), else null",
            "SELECT pii_category('11010519491231002X')",
        ),
        body: Body::Text(pii_category),
    },
    Entry {
        info: stable(
            "phone_normalize",
            "phone_normalize(text) -> text",
            "a phone number as duplicate keys compare it: a mobile's 11 digits, a mainland landline in national form (0 + area code), another country's as + and digits; null when no digit",
            "SELECT phone_normalize('+86 138-0013-8000')",
        ),
        body: Body::Text(phone::phone_key),
    },
    Entry {
        info: stable(
            "id_normalize",
            "id_normalize(text) -> text",
            "an identifier's letters and digits, upper-case (spaces, dashes dropped), as duplicate keys compare it",
            "SELECT id_normalize('110101 19900307 123x')",
        ),
        body: Body::Text(id_key),
    },
];

static REGISTRY: std::sync::LazyLock<Vec<FunctionInfo>> =
    std::sync::LazyLock::new(|| ENTRIES.iter().map(|e| e.info).collect());

/// Every SQL function steward registers, in a stable order.
pub fn registry() -> &'static [FunctionInfo] {
    &REGISTRY
}

/// The functions as DataFusion UDFs, in registry order.
pub fn functions() -> Vec<Arc<ScalarUDF>> {
    ENTRIES
        .iter()
        .map(|e| {
            Arc::new(ScalarUDF::from(TextFn {
                name: e.info.name,
                signature: Signature::any(1, Volatility::Immutable),
                body: e.body,
            }))
        })
        .collect()
}

pub fn register_all(ctx: &SessionContext) {
    for f in functions() {
        ctx.register_udf(f.as_ref().clone());
    }
}

/// A UDF over one value read as text.
struct TextFn {
    name: &'static str,
    signature: Signature,
    body: Body,
}

impl std::fmt::Debug for TextFn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextFn").field("name", &self.name).finish()
    }
}

impl PartialEq for TextFn {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for TextFn {}

impl Hash for TextFn {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl ScalarUDFImpl for TextFn {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(match self.body {
            Body::Bool(_) => DataType::Boolean,
            Body::Date(_) => DataType::Date32,
            Body::Text(_) => DataType::Utf8,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let input = args.args[0].to_array(args.number_rows)?;
        let out = match input.data_type() {
            DataType::Utf8 => self.apply(input.as_string::<i32>().iter()),
            DataType::Utf8View => self.apply(input.as_string_view().iter()),
            DataType::UInt64 => self.apply_integers(input.as_primitive::<UInt64Type>().iter()),
            t if t.is_integer() => {
                // Every other integer type fits in an i64.
                let wide = cast(&input, &DataType::Int64)?;
                self.apply_integers(wide.as_primitive::<Int64Type>().iter())
            }
            _ => {
                let text = cast(&input, &DataType::Utf8)?;
                self.apply(text.as_string::<i32>().iter())
            }
        };
        Ok(ColumnarValue::Array(out))
    }
}

impl TextFn {
    /// Integers (a mobile number read as a number) as their decimal text, formatted into
    /// one buffer rather than cast to a string array first.
    fn apply_integers<I: itoa::Integer>(
        &self,
        values: impl Iterator<Item = Option<I>>,
    ) -> ArrayRef {
        let mut buf = itoa::Buffer::new();
        match self.body {
            Body::Bool(f) => Arc::new(
                values
                    .map(|v| v.map(|v| f(buf.format(v))))
                    .collect::<BooleanArray>(),
            ),
            Body::Date(f) => Arc::new(
                values
                    .map(|v| v.and_then(|v| f(buf.format(v))).map(days_since_epoch))
                    .collect::<Date32Array>(),
            ),
            Body::Text(f) => Arc::new(
                values
                    .map(|v| v.and_then(|v| f(buf.format(v)).map(Cow::into_owned)))
                    .collect::<StringArray>(),
            ),
        }
    }

    fn apply<'a>(&self, values: impl Iterator<Item = Option<&'a str>>) -> ArrayRef {
        match self.body {
            Body::Bool(f) => Arc::new(values.map(|v| v.map(f)).collect::<BooleanArray>()),
            Body::Date(f) => Arc::new(
                values
                    .map(|v| v.and_then(f).map(days_since_epoch))
                    .collect::<Date32Array>(),
            ),
            Body::Text(f) => Arc::new(values.map(|v| v.and_then(f)).collect::<StringArray>()),
        }
    }
}

fn days_since_epoch(d: NaiveDate) -> i32 {
    // 719,163 days from 0001-01-01 (day 1 of the common era) to 1970-01-01.
    chrono::Datelike::num_days_from_ce(&d) - 719_163
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::RecordBatch;

    async fn query(sql: &str) -> Vec<RecordBatch> {
        let ctx = SessionContext::new();
        register_all(&ctx);
        ctx.sql(sql).await.unwrap().collect().await.unwrap()
    }

    #[test]
    fn registry_names_are_unique_snake_case_and_registered() {
        let names: Vec<&str> = registry().iter().map(|f| f.name).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len());
        for (info, udf) in registry().iter().zip(functions()) {
            assert_eq!(info.name, udf.name());
            assert!(
                info.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_')
            );
            assert!(info.signature.starts_with(info.name));
        }
    }

    #[tokio::test]
    async fn every_documented_example_runs_and_is_true_or_not_null() {
        for info in registry() {
            let batches = query(info.example).await;
            let col = batches[0].column(0);
            assert!(!col.is_null(0), "{} example gave null", info.name);
            if let Some(b) = col.as_boolean_opt() {
                assert!(b.value(0), "{} example is not valid", info.name);
            }
        }
    }

    #[tokio::test]
    async fn works_on_numbers_nulls_and_columns() {
        let batches = query(
            "SELECT cn_mobile_valid(m), cn_id_birth_date(i), cn_id_gender(i) FROM \
             (VALUES (13812346138, '11010519491231002X'), (12345678901, NULL), (NULL, 'junk')) t(m, i)",
        )
        .await;
        let b = &batches[0];
        let valid = b.column(0).as_boolean();
        assert!(valid.value(0));
        assert!(!valid.value(1));
        assert!(valid.is_null(2));
        let dates = b
            .column(1)
            .as_primitive::<datafusion::arrow::datatypes::Date32Type>();
        assert_eq!(
            dates.value(0),
            days_since_epoch(NaiveDate::from_ymd_opt(1949, 12, 31).unwrap())
        );
        assert!(dates.is_null(1) && dates.is_null(2));
        assert_eq!(b.column(2).as_string::<i32>().value(0), "F");
    }

    /// Integers formatted in place give what the same integers cast to text give.
    #[test]
    fn integers_are_read_as_their_decimal_text() {
        let values: Vec<Option<i64>> = vec![
            Some(13812346138),
            Some(8613812346138),
            Some(-13812346138),
            Some(0),
            None,
            Some(i64::MAX),
            Some(11010519491231002),
        ];
        let ints: ArrayRef = Arc::new(datafusion::arrow::array::Int64Array::from(values));
        let text = cast(&ints, &DataType::Utf8).unwrap();
        for e in ENTRIES {
            let f = TextFn {
                name: e.info.name,
                signature: Signature::any(1, Volatility::Immutable),
                body: e.body,
            };
            let direct = f.apply_integers(ints.as_primitive::<Int64Type>().iter());
            let via_text = f.apply(text.as_string::<i32>().iter());
            assert_eq!(direct.as_ref(), via_text.as_ref(), "{}", f.name);
        }
    }

    #[test]
    fn prefixed_digit_runs_still_lose_their_prefix() {
        for s in ["8613812346138", "008613812346138", "13812346138"] {
            assert_eq!(phone::phone_key(s).as_deref(), Some("13812346138"));
        }
        assert_eq!(phone::phone_key("8612345").as_deref(), Some("8612345"));
        assert_eq!(id_key("").as_deref(), None);
    }

    proptest::proptest! {
        /// The allocation-free path gives what the normaliser gives (phone keys:
        /// `validate::phone`'s tests).
        #[test]
        fn keys_borrowed_or_not_equal_the_normalised_value(
            s in "(\\+86|0086|86)?[0-9A-Za-z -]{0,16}|[0-9]{0,16}|[0-9A-Z]{0,20}"
        ) {
            let id = crate::validate::text::identifier(&s);
            proptest::prop_assert_eq!(
                id_key(&s).map(Cow::into_owned),
                (!id.is_empty()).then_some(id)
            );
        }
    }
}
