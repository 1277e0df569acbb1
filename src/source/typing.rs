//! Text-first typing of CSV/TSV columns: a value is never changed by being read.
//!
//! Arrow infers `Int64` for `010010` and reads it as `10010`: a postcode, landline,
//! customer number or card number loses its leading zero before any rule sees it. steward
//! reads delimited text **text-first**: a column is given a number type only when no
//! value of it would change by it, that is every value is written the way the number
//! would be written back:
//!
//! | column values                  | read as   | why                                   |
//! |--------------------------------|-----------|---------------------------------------|
//! | `12`, `-7`, `0`                | `Int64`   | plain integers                        |
//! | `010010`, `+86`, `(12)`, `-0`  | text      | leading zero, sign, parentheses       |
//! | `9223372036854775808`          | text      | outside the Int64 range               |
//! | `251.71`, `-0.5`, `12.50`      | `Float64` | plain decimals, at most 15 digits     |
//! | `1e5`, `.5`, `1234567890.123456` | text    | exponent, bare point, precision loss  |
//!
//! (`12.50` is the number 12.5; a column whose written width matters is declared
//! `type: text`.) The first rows decide the candidate type ([`refine`]); every later
//! value is checked by [`StrictNumbers`], which reads the column as text and parses each
//! value itself: the first value that is not canonical stops the read with
//! [`NotCanonical`], and the scan reads that column again as text. A type declared in
//! the rule file (`columns.<c>.type`) wins over all of this ([`ColumnType`]).
//!
//! Parquet and PostgreSQL keep their declared types; a rule-file type that differs is a
//! cast ([`Convert::Cast`]). NDJSON keeps JSON's own types: JSON writes `"010010"` as a
//! string, and a JSON number has no leading zero or `+`.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, Float64Builder, Int64Builder, RecordBatch,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::Result;
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::datasource::TableType;
use datafusion::error::DataFusionError;
use datafusion::execution::TaskContext;
use datafusion::logical_expr::Expr;
use datafusion::physical_expr::{EquivalenceProperties, PhysicalExpr};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{
    DisplayAs, DisplayFormatType, ExecutionPlan, PlanProperties, SendableRecordBatchStream,
};
use futures::StreamExt;

/// A column type a rule file can declare (`columns.<c>.type`); it wins over inference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ColumnType {
    Text,
    Integer,
    Decimal,
    Date,
    Timestamp,
    Boolean,
}

impl ColumnType {
    /// Every type, in the order the docs list them.
    pub const ALL: [ColumnType; 6] = [
        ColumnType::Text,
        ColumnType::Integer,
        ColumnType::Decimal,
        ColumnType::Date,
        ColumnType::Timestamp,
        ColumnType::Boolean,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ColumnType::Text => "text",
            ColumnType::Integer => "integer",
            ColumnType::Decimal => "decimal",
            ColumnType::Date => "date",
            ColumnType::Timestamp => "timestamp",
            ColumnType::Boolean => "boolean",
        }
    }

    pub fn parse(s: &str) -> Option<ColumnType> {
        ColumnType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The Arrow type a column of this type is read as.
    pub fn data_type(self) -> DataType {
        match self {
            ColumnType::Text => DataType::Utf8,
            ColumnType::Integer => DataType::Int64,
            ColumnType::Decimal => DataType::Float64,
            ColumnType::Date => DataType::Date32,
            ColumnType::Timestamp => DataType::Timestamp(TimeUnit::Nanosecond, None),
            ColumnType::Boolean => DataType::Boolean,
        }
    }
}

/// Column name -> declared type, for one input.
pub type Declared = BTreeMap<String, ColumnType>;

/// Whether `s` is an integer written as Int64 writes it back: optional `-`, no leading
/// zero, no `+`, within the Int64 range (`-0` is not: it would come back as `0`).
pub fn canonical_integer(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    if digits.len() > 1 && digits.starts_with('0') {
        return false;
    }
    if s == "-0" {
        return false;
    }
    s.parse::<i64>().is_ok()
}

/// Most significant decimal digits a `Float64` holds exactly for every value.
const FLOAT_DIGITS: usize = 15;

/// Whether `s` is a plain decimal number that a `Float64` holds without losing a digit:
/// an integer part as in [`canonical_integer`] (or `0`), optionally `.` and at least one
/// digit, no exponent, at most 15 significant digits.
pub fn canonical_decimal(s: &str) -> bool {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    if int.len() > 1 && int.starts_with('0') {
        return false;
    }
    if let Some(f) = frac
        && (f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return false;
    }
    if s == "-0" {
        return false;
    }
    let significant = format!("{int}{}", frac.unwrap_or(""));
    let significant = significant.trim_start_matches('0');
    significant.len() <= FLOAT_DIGITS
}

/// Whether the number type `t` reads `s` (a non-empty CSV field) without changing it.
fn canonical_for(t: &DataType, s: &str) -> bool {
    match t {
        DataType::Int64 => canonical_integer(s),
        DataType::Float64 => canonical_decimal(s),
        _ => true,
    }
}

/// How one column of a table is turned into the type steward presents.
#[derive(Debug, Clone, PartialEq)]
pub enum Convert {
    /// Read as text, parsed to `Int64` / `Float64` by steward only while canonical.
    Strict(DataType),
    /// Read in its own type, cast to a declared one (Parquet, NDJSON, PostgreSQL).
    Cast(DataType),
}

/// The inferred schema of a delimited file, made text-first: number columns with a
/// non-canonical value in `sample` (the first records) become text, the others are read
/// as text and parsed strictly ([`Convert::Strict`]); `declared` columns get their type.
/// Returns the schema the CSV reader reads and the conversions on top of it.
pub(crate) fn refine(
    inferred: &Schema,
    sample: &[csv::StringRecord],
    declared: &Declared,
) -> (Schema, BTreeMap<usize, Convert>) {
    let mut converts = BTreeMap::new();
    let fields: Vec<Field> = inferred
        .fields()
        .iter()
        .enumerate()
        .map(|(i, f)| {
            if let Some(t) = declared.get(f.name()) {
                return Field::new(f.name(), t.data_type(), true);
            }
            let t = f.data_type();
            if !matches!(t, DataType::Int64 | DataType::Float64) {
                return f.as_ref().clone();
            }
            let all_canonical = sample
                .iter()
                .filter_map(|r| r.get(i))
                .filter(|v| !v.is_empty())
                .all(|v| canonical_for(t, v));
            if all_canonical {
                converts.insert(i, Convert::Strict(t.clone()));
            }
            Field::new(f.name(), DataType::Utf8, true)
        })
        .collect();
    (Schema::new(fields), converts)
}

/// `schema` with the target types of `converts`: what the table looks like to rules.
pub(crate) fn with_converts(schema: &Schema, converts: &BTreeMap<usize, Convert>) -> Schema {
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .enumerate()
        .map(|(i, f)| match converts.get(&i) {
            Some(Convert::Strict(t) | Convert::Cast(t)) => Field::new(f.name(), t.clone(), true),
            None => f.as_ref().clone(),
        })
        .collect();
    Schema::new(fields)
}

/// A value of a column read as a number was not written as that number writes back
/// (`010010`, `+5`, a 16th digit): the column must be read as text. Carries the column's
/// position in the file and never the value.
#[derive(Debug)]
pub struct NotCanonical {
    pub column: usize,
}

impl fmt::Display for NotCanonical {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "column {} holds a value that is not a plain number; it is read as text",
            self.column + 1
        )
    }
}

impl std::error::Error for NotCanonical {}

/// The column a failed read asks to be read as text, if it was [`NotCanonical`].
pub fn not_canonical_column(err: &DataFusionError) -> Option<usize> {
    if let DataFusionError::External(e) = err.find_root() {
        return e.downcast_ref::<NotCanonical>().map(|n| n.column);
    }
    None
}

/// A table presenting `inner` with `converts` applied: what the scan sees of a CSV file
/// whose number columns are checked value by value (see the module docs).
#[derive(Debug)]
pub(crate) struct StrictNumbers {
    inner: Arc<dyn TableProvider>,
    schema: SchemaRef,
    converts: BTreeMap<usize, Convert>,
}

impl StrictNumbers {
    pub(crate) fn new(inner: Arc<dyn TableProvider>, converts: BTreeMap<usize, Convert>) -> Self {
        let schema = Arc::new(with_converts(&inner.schema(), &converts));
        Self {
            inner,
            schema,
            converts,
        }
    }
}

#[async_trait]
impl TableProvider for StrictNumbers {
    fn schema(&self) -> SchemaRef {
        Arc::clone(&self.schema)
    }

    fn table_type(&self) -> TableType {
        self.inner.table_type()
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        _filters: &[Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let inner = self.inner.scan(state, projection, &[], limit).await?;
        let columns: Vec<usize> = match projection {
            Some(p) => p.clone(),
            None => (0..self.schema.fields().len()).collect(),
        };
        let schema = Arc::new(self.schema.project(&columns)?);
        // (position in the output batch, position in the file, conversion)
        let converts: Vec<(usize, usize, Convert)> = columns
            .iter()
            .enumerate()
            .filter_map(|(out, file)| self.converts.get(file).map(|c| (out, *file, c.clone())))
            .collect();
        let inner_props = inner.properties();
        let properties = PlanProperties::new(
            EquivalenceProperties::new(Arc::clone(&schema)),
            inner_props.partitioning.clone(),
            inner_props.emission_type,
            inner_props.boundedness,
        );
        Ok(Arc::new(StrictExec {
            inner,
            schema,
            converts: Arc::new(converts),
            properties: Arc::new(properties),
        }))
    }
}

/// A leaf running the inner scan and converting its batches.
#[derive(Debug)]
struct StrictExec {
    inner: Arc<dyn ExecutionPlan>,
    schema: SchemaRef,
    converts: Arc<Vec<(usize, usize, Convert)>>,
    properties: Arc<PlanProperties>,
}

impl DisplayAs for StrictExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "StrictNumbersExec: converts={}, over {}",
            self.converts.len(),
            self.inner.name()
        )
    }
}

impl ExecutionPlan for StrictExec {
    fn name(&self) -> &str {
        "StrictNumbersExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![]
    }

    fn apply_expressions(
        &self,
        _f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>,
    ) -> Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn with_new_children(
        self: Arc<Self>,
        _children: Vec<Arc<dyn ExecutionPlan>>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        Ok(self)
    }

    fn execute(
        &self,
        partition: usize,
        context: Arc<TaskContext>,
    ) -> Result<SendableRecordBatchStream> {
        let stream = self.inner.execute(partition, context)?;
        let schema = Arc::clone(&self.schema);
        let converts = Arc::clone(&self.converts);
        let out = Arc::clone(&schema);
        let mapped = stream.map(move |batch| convert_batch(batch?, &out, &converts));
        Ok(Box::pin(RecordBatchStreamAdapter::new(schema, mapped)))
    }
}

fn convert_batch(
    batch: RecordBatch,
    schema: &SchemaRef,
    converts: &[(usize, usize, Convert)],
) -> Result<RecordBatch> {
    if converts.is_empty() {
        return Ok(batch);
    }
    let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
    for (out, file, convert) in converts {
        let column = &columns[*out];
        columns[*out] = match convert {
            Convert::Strict(t) => strict_parse(column, t, *file)?,
            Convert::Cast(t) => datafusion::arrow::compute::cast(column, t)?,
        };
    }
    Ok(RecordBatch::try_new(Arc::clone(schema), columns)?)
}

/// Parse a text column as `t`, failing with [`NotCanonical`] at the first value that
/// would change. Empty values are null, as the CSV reader reads them for numbers.
fn strict_parse(column: &ArrayRef, t: &DataType, file_column: usize) -> Result<ArrayRef> {
    let not_canonical = || {
        DataFusionError::External(Box::new(NotCanonical {
            column: file_column,
        }))
    };
    let text = column.as_string_opt::<i32>().ok_or_else(|| {
        DataFusionError::Internal(format!(
            "column {} was expected to be read as text",
            file_column + 1
        ))
    })?;
    match t {
        DataType::Int64 => {
            let mut b = Int64Builder::with_capacity(text.len());
            for v in text.iter() {
                match v {
                    None | Some("") => b.append_null(),
                    Some(s) if canonical_integer(s) => {
                        b.append_value(s.parse().map_err(|_| not_canonical())?)
                    }
                    Some(_) => return Err(not_canonical()),
                }
            }
            Ok(Arc::new(b.finish()))
        }
        DataType::Float64 => {
            let mut b = Float64Builder::with_capacity(text.len());
            for v in text.iter() {
                match v {
                    None | Some("") => b.append_null(),
                    Some(s) if canonical_decimal(s) => {
                        b.append_value(s.parse().map_err(|_| not_canonical())?)
                    }
                    Some(_) => return Err(not_canonical()),
                }
            }
            Ok(Arc::new(b.finish()))
        }
        other => Err(DataFusionError::Internal(format!(
            "no strict parser for {other}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Written from the rule in the module docs, value by value.
    #[test]
    fn integers_that_would_change_are_not_canonical() {
        for ok in [
            "0",
            "7",
            "-7",
            "12",
            "9223372036854775807",
            "-9223372036854775808",
        ] {
            assert!(canonical_integer(ok), "{ok}");
        }
        for no in [
            "",
            "-",
            "010010",
            "01012345678",
            "+86",
            "(12)",
            "-0",
            "00",
            "1 2",
            " 12",
            "12 ",
            "9223372036854775808",
            "１２",
            "1.0",
            "1e3",
            "0x10",
        ] {
            assert!(!canonical_integer(no), "{no}");
        }
    }

    #[test]
    fn decimals_within_fifteen_digits_are_canonical() {
        for ok in [
            "0",
            "0.5",
            "-0.5",
            "251.71",
            "12.50",
            "100",
            "123456789012345",
            "1234567890.12345",
        ] {
            assert!(canonical_decimal(ok), "{ok}");
        }
        for no in [
            "",
            ".5",
            "5.",
            "01.5",
            "+1.5",
            "1e5",
            "1.5E3",
            "-0",
            "1234567890.123456",
            "1234567890123456",
            "NaN",
            "inf",
            "1,5",
        ] {
            assert!(!canonical_decimal(no), "{no}");
        }
    }

    #[test]
    fn every_canonical_decimal_round_trips_through_f64() {
        // 15 significant digits always survive f64 (DBL_DIG = 15).
        for s in ["999999999999999", "0.123456789012345", "-98765.4321098765"] {
            assert!(canonical_decimal(s));
            let back: f64 = s.parse().unwrap();
            assert_eq!(
                format!("{back}").trim_end_matches('0'),
                s.trim_end_matches('0')
            );
        }
    }

    #[test]
    fn a_leading_zero_in_the_sample_makes_the_column_text() {
        let inferred = Schema::new(vec![
            Field::new("postcode", DataType::Int64, true),
            Field::new("age", DataType::Int64, true),
            Field::new("amount", DataType::Float64, true),
            Field::new("name", DataType::Utf8, true),
        ]);
        let sample = vec![
            csv::StringRecord::from(vec!["010010", "30", "1.5", "a"]),
            csv::StringRecord::from(vec!["100080", "", "2", "b"]),
        ];
        let mut declared = Declared::new();
        declared.insert("name".into(), ColumnType::Text);
        let (read, converts) = refine(&inferred, &sample, &declared);
        let types: Vec<_> = read
            .fields()
            .iter()
            .map(|f| f.data_type().clone())
            .collect();
        assert_eq!(types, vec![DataType::Utf8; 4]);
        assert_eq!(converts.get(&0), None);
        assert_eq!(converts.get(&1), Some(&Convert::Strict(DataType::Int64)));
        assert_eq!(converts.get(&2), Some(&Convert::Strict(DataType::Float64)));
    }

    #[test]
    fn a_later_leading_zero_stops_the_read_naming_the_column() {
        let text: ArrayRef = Arc::new(datafusion::arrow::array::StringArray::from(vec![
            Some("12"),
            None,
            Some(""),
            Some("0123"),
        ]));
        let err = strict_parse(&text, &DataType::Int64, 4).unwrap_err();
        assert_eq!(not_canonical_column(&err), Some(4));
        let ok: ArrayRef = Arc::new(datafusion::arrow::array::StringArray::from(vec![
            Some("12"),
            None,
            Some(""),
        ]));
        let parsed = strict_parse(&ok, &DataType::Int64, 0).unwrap();
        assert_eq!(parsed.null_count(), 2);
    }
}
