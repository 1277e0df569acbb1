//! The history store: one Parquet file per run in the `--history` directory, written to
//! a temporary file and renamed into place, never changed afterwards. Compaction
//! (`steward history --retain`) writes the runs it keeps into one new file and then
//! removes the files it read; readers drop a run seen twice (a compaction that stopped
//! between the two steps), so every step leaves a readable store.
//!
//! Layout (history version 2, docs/history.md): one row per record, `record` saying
//! which: `dataset` (rows, scores, gate), `column` (type and profile), `check` (counts
//! and the masked keys of failing rows, a list column a reader can leave undecoded) and
//! `anomaly` (a verdict, as the report's JSON). Files of version 1 (scores only, one row
//! per dataset) are read as runs without details. A file of a newer version is refused.
//!
//! Nothing here holds a raw data value: minimums and maximums are the report's (only
//! numbers and dates, never text), keys are masked as samples are.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Float64Array, ListBuilder, RecordBatch, StringArray,
    StringBuilder, UInt64Array,
};
use datafusion::arrow::datatypes::{DataType, Field, Float64Type, Schema, UInt64Type};
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use datafusion::parquet::file::metadata::KeyValue;
use datafusion::parquet::file::properties::WriterProperties;

use crate::error::{Error, Result};
use crate::report::history::{Anomaly, Compaction};
use crate::report::{DatasetReport, Dimension, Report, Scores};

/// The layout this build writes.
pub const VERSION: u32 = 2;
/// The Parquet key-value metadata entry holding the layout version.
pub const VERSION_KEY: &str = "steward.history.version";

/// One run as stored: what `steward scan --history` recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRun {
    /// Unique and stable: the stem of the file the run was first written to.
    pub run_id: String,
    pub started_at: String,
    /// The run's as-of date (`YYYY-MM-DD`); empty for version 1 runs.
    pub as_of: String,
    pub rules_sha256: String,
    /// The layout version the run was read from.
    pub version: u32,
    pub datasets: Vec<StoredDataset>,
}

impl StoredRun {
    pub fn dataset(&self, name: &str) -> Option<&StoredDataset> {
        self.datasets.iter().find(|d| d.name == name)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredDataset {
    pub name: String,
    pub rows: u64,
    pub scores: Scores,
    pub gate_passed: bool,
    /// Columns, checks and keys were recorded (false for version 1 runs).
    pub detailed: bool,
    pub columns: Vec<StoredColumn>,
    pub checks: Vec<StoredCheck>,
    pub anomalies: Vec<Anomaly>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredColumn {
    pub name: String,
    pub data_type: String,
    pub nulls: u64,
    pub empty: u64,
    pub distinct: u64,
    pub min: Option<String>,
    pub max: Option<String>,
    /// Numeric columns without personal data only.
    pub mean: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredCheck {
    pub id: String,
    pub dimension: String,
    pub evaluated: u64,
    pub failed: u64,
    pub status: String,
    /// The failing rows' keys were kept for this check (row-level check with a key).
    pub keys_kept: bool,
    /// More rows failed than keys were kept.
    pub keys_truncated: bool,
    /// Masked keys of failing rows, sorted.
    pub keys: Vec<String>,
}

impl StoredCheck {
    /// passed / evaluated; `None` when the check evaluated nothing.
    pub fn pass_rate(&self) -> Option<f64> {
        (self.evaluated > 0)
            .then(|| (self.evaluated.saturating_sub(self.failed)) as f64 / self.evaluated as f64)
    }
}

impl StoredDataset {
    /// What the store keeps of a dataset's report.
    pub fn of(d: &DatasetReport, gate_passed: bool) -> StoredDataset {
        let columns = d
            .columns
            .iter()
            .map(|c| StoredColumn {
                name: c.name.clone(),
                data_type: c.data_type.clone(),
                nulls: c.nulls,
                empty: c.empty,
                distinct: c.distinct,
                min: c.min.clone(),
                max: c.max.clone(),
                mean: d.observed.means.get(&c.name).copied(),
            })
            .collect();
        let checks = d
            .checks
            .iter()
            .map(|c| {
                let keys = d.observed.failing_keys.get(&c.id);
                StoredCheck {
                    id: c.id.clone(),
                    dimension: c.dimension.as_str().to_string(),
                    evaluated: c.evaluated,
                    failed: c.failed,
                    status: c.status.as_str().to_string(),
                    keys_kept: keys.is_some(),
                    keys_truncated: keys.is_some_and(|k| k.truncated),
                    keys: keys.map(|k| k.keys.clone()).unwrap_or_default(),
                }
            })
            .collect();
        StoredDataset {
            name: d.name.clone(),
            rows: d.rows,
            scores: d.scores.clone(),
            gate_passed,
            detailed: true,
            columns,
            checks,
            anomalies: d.anomalies.clone(),
        }
    }

    pub fn column(&self, name: &str) -> Option<&StoredColumn> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn check(&self, id: &str) -> Option<&StoredCheck> {
        self.checks.iter().find(|c| c.id == id)
    }
}

impl StoredRun {
    /// The run a report describes, before it has a file.
    pub fn of(report: &Report) -> StoredRun {
        StoredRun {
            run_id: String::new(),
            started_at: report.run.started_at.clone(),
            as_of: report.run.as_of.clone(),
            rules_sha256: report.run.rules_sha256.clone(),
            version: VERSION,
            datasets: report
                .datasets
                .iter()
                .map(|d| StoredDataset::of(d, report.gate.passed))
                .collect(),
        }
    }
}

// ---- version 2 layout ------------------------------------------------------------

/// One stored row: the union of every record's fields.
#[derive(Default)]
struct Row<'a> {
    run: Option<&'a StoredRun>,
    dataset: &'a str,
    record: &'static str,
    name: Option<&'a str>,
    rows: Option<u64>,
    scores: Option<&'a Scores>,
    gate_passed: Option<bool>,
    data_type: Option<&'a str>,
    nulls: Option<u64>,
    empty: Option<u64>,
    distinct: Option<u64>,
    min: Option<&'a str>,
    max: Option<&'a str>,
    mean: Option<f64>,
    dimension: Option<&'a str>,
    evaluated: Option<u64>,
    failed: Option<u64>,
    status: Option<&'a str>,
    keys_kept: Option<bool>,
    keys_truncated: Option<bool>,
    keys: Option<&'a [String]>,
    detail: Option<String>,
}

fn schema_v2() -> Arc<Schema> {
    let text = |n: &str, null: bool| Field::new(n, DataType::Utf8, null);
    let count = |n: &str| Field::new(n, DataType::UInt64, true);
    let float = |n: &str| Field::new(n, DataType::Float64, true);
    let flag = |n: &str| Field::new(n, DataType::Boolean, true);
    let mut fields = vec![
        text("run_id", false),
        text("started_at", false),
        text("as_of", false),
        text("rules_sha256", false),
        text("dataset", false),
        text("record", false),
        text("name", true),
        count("rows"),
        float("overall"),
    ];
    for d in Dimension::ALL {
        fields.push(float(d.as_str()));
    }
    fields.extend([
        flag("gate_passed"),
        text("data_type", true),
        count("nulls"),
        count("empty"),
        count("distinct"),
        text("min", true),
        text("max", true),
        float("mean"),
        text("dimension", true),
        count("evaluated"),
        count("failed"),
        text("status", true),
        flag("keys_kept"),
        flag("keys_truncated"),
        Field::new(
            "keys",
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
            true,
        ),
        text("detail", true),
    ]);
    Arc::new(Schema::new(fields))
}

fn rows_of(run: &StoredRun) -> Vec<Row<'_>> {
    let mut rows = Vec::new();
    for d in &run.datasets {
        let base = || Row {
            run: Some(run),
            dataset: &d.name,
            ..Default::default()
        };
        rows.push(Row {
            record: "dataset",
            rows: Some(d.rows),
            scores: Some(&d.scores),
            gate_passed: Some(d.gate_passed),
            ..base()
        });
        for c in &d.columns {
            rows.push(Row {
                record: "column",
                name: Some(&c.name),
                data_type: Some(&c.data_type),
                nulls: Some(c.nulls),
                empty: Some(c.empty),
                distinct: Some(c.distinct),
                min: c.min.as_deref(),
                max: c.max.as_deref(),
                mean: c.mean,
                ..base()
            });
        }
        for c in &d.checks {
            rows.push(Row {
                record: "check",
                name: Some(&c.id),
                dimension: Some(&c.dimension),
                evaluated: Some(c.evaluated),
                failed: Some(c.failed),
                status: Some(&c.status),
                keys_kept: Some(c.keys_kept),
                keys_truncated: Some(c.keys_truncated),
                keys: c.keys_kept.then_some(&c.keys[..]),
                ..base()
            });
        }
        for a in &d.anomalies {
            rows.push(Row {
                record: "anomaly",
                name: Some(&a.id),
                status: Some(a.status.as_str()),
                detail: serde_json::to_string(a).ok(),
                ..base()
            });
        }
    }
    rows
}

fn encode(runs: &[&StoredRun]) -> Result<Vec<u8>> {
    let rows: Vec<Row<'_>> = runs.iter().flat_map(|r| rows_of(r)).collect();
    fn run<'a>(r: &Row<'a>) -> &'a StoredRun {
        r.run.expect("every row belongs to a run")
    }
    let text = |f: &dyn for<'r> Fn(&'r Row<'r>) -> Option<&'r str>| -> ArrayRef {
        Arc::new(StringArray::from_iter(rows.iter().map(f)))
    };
    let count = |f: &dyn Fn(&Row<'_>) -> Option<u64>| -> ArrayRef {
        Arc::new(UInt64Array::from_iter(rows.iter().map(f)))
    };
    let float = |f: &dyn Fn(&Row<'_>) -> Option<f64>| -> ArrayRef {
        Arc::new(Float64Array::from_iter(rows.iter().map(f)))
    };
    let flag = |f: &dyn Fn(&Row<'_>) -> Option<bool>| -> ArrayRef {
        Arc::new(BooleanArray::from_iter(rows.iter().map(f)))
    };
    let mut columns = vec![
        text(&|r| Some(run(r).run_id.as_str())),
        text(&|r| Some(run(r).started_at.as_str())),
        text(&|r| Some(run(r).as_of.as_str())),
        text(&|r| Some(run(r).rules_sha256.as_str())),
        text(&|r| Some(r.dataset)),
        text(&|r| Some(r.record)),
        text(&|r| r.name),
        count(&|r| r.rows),
        float(&|r| r.scores.and_then(|s| s.overall)),
    ];
    for d in Dimension::ALL {
        columns.push(float(&|r| r.scores.and_then(|s| s.get(d))));
    }
    columns.extend([
        flag(&|r| r.gate_passed),
        text(&|r| r.data_type),
        count(&|r| r.nulls),
        count(&|r| r.empty),
        count(&|r| r.distinct),
        text(&|r| r.min),
        text(&|r| r.max),
        float(&|r| r.mean),
        text(&|r| r.dimension),
        count(&|r| r.evaluated),
        count(&|r| r.failed),
        text(&|r| r.status),
        flag(&|r| r.keys_kept),
        flag(&|r| r.keys_truncated),
        {
            let mut b = ListBuilder::new(StringBuilder::new());
            for r in &rows {
                match r.keys {
                    Some(keys) => {
                        for k in keys {
                            b.values().append_value(k);
                        }
                        b.append(true);
                    }
                    None => b.append(false),
                }
            }
            Arc::new(b.finish()) as ArrayRef
        },
        text(&|r| r.detail.as_deref()),
    ]);
    let schema = schema_v2();
    let batch = RecordBatch::try_new(schema.clone(), columns).map_err(Error::internal)?;
    let props = WriterProperties::builder()
        .set_key_value_metadata(Some(vec![KeyValue::new(
            VERSION_KEY.to_string(),
            VERSION.to_string(),
        )]))
        .build();
    let mut writer =
        ArrowWriter::try_new(Vec::new(), schema, Some(props)).map_err(Error::internal)?;
    writer.write(&batch).map_err(Error::internal)?;
    writer.into_inner().map_err(Error::internal)
}

// ---- reading ---------------------------------------------------------------------

/// A file's columns by name, read with errors that name the file.
struct Columns<'a> {
    path: &'a Path,
    batch: &'a RecordBatch,
}

impl<'a> Columns<'a> {
    fn bad(&self, e: impl std::fmt::Display) -> Error {
        Error::data(self.path, format!("not a steward history file: {e}"))
    }
    fn col(&self, name: &str) -> Result<&'a ArrayRef> {
        self.batch
            .column_by_name(name)
            .ok_or_else(|| self.bad(format!("no column '{name}'")))
    }
    fn text(&self, name: &str) -> Result<Vec<Option<&'a str>>> {
        let a = self.col(name)?.as_string_opt::<i32>();
        Ok(a.ok_or_else(|| self.bad(format!("'{name}' is not text")))?
            .iter()
            .collect())
    }
    fn float(&self, name: &str) -> Result<Vec<Option<f64>>> {
        let a = self.col(name)?.as_primitive_opt::<Float64Type>();
        Ok(
            a.ok_or_else(|| self.bad(format!("'{name}' is not a number")))?
                .iter()
                .collect(),
        )
    }
    fn count(&self, name: &str) -> Result<Vec<Option<u64>>> {
        let a = self.col(name)?.as_primitive_opt::<UInt64Type>();
        Ok(
            a.ok_or_else(|| self.bad(format!("'{name}' is not a count")))?
                .iter()
                .collect(),
        )
    }
    fn flag(&self, name: &str) -> Result<Vec<Option<bool>>> {
        let a = self.col(name)?.as_boolean_opt();
        Ok(
            a.ok_or_else(|| self.bad(format!("'{name}' is not a boolean")))?
                .iter()
                .collect(),
        )
    }
}

fn scores_at(dims: &[Vec<Option<f64>>], overall: &[Option<f64>], i: usize) -> Scores {
    let mut scores = Scores {
        overall: overall[i],
        ..Default::default()
    };
    for (j, d) in Dimension::ALL.iter().enumerate() {
        scores.set(*d, dims[j][i]);
    }
    scores
}

/// The runs of one file, in the order they appear.
fn read_file(path: &Path, keys: bool) -> Result<Vec<StoredRun>> {
    let bad =
        |e: &dyn std::fmt::Display| Error::data(path, format!("not a steward history file: {e}"));
    let file = std::fs::File::open(path).map_err(|e| bad(&e))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| bad(&e))?;
    let version = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .and_then(|kv| kv.iter().find(|k| k.key == VERSION_KEY))
        .and_then(|k| k.value.clone());
    let version = match version {
        None => 1,
        Some(v) => match v.trim().parse::<u32>() {
            Ok(v) if (1..=VERSION).contains(&v) => v,
            Ok(v) => {
                return Err(Error::data(
                    path,
                    format!(
                        "written by a newer steward (history version {v}); this build reads \
                         history versions 1 to {VERSION}: upgrade steward, or give --history \
                         another directory"
                    ),
                ));
            }
            Err(_) => return Err(bad(&format!("history version '{v}' is not a number"))),
        },
    };
    // Without the failing keys (most of a store's bytes), their column is not decoded.
    let builder = if version >= 2 && !keys {
        let wanted: Vec<String> = schema_v2()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .filter(|n| n != "keys")
            .collect();
        let mask = datafusion::parquet::arrow::ProjectionMask::columns(
            builder.parquet_schema(),
            wanted.iter().map(String::as_str),
        );
        builder.with_projection(mask)
    } else {
        builder
    };
    let reader = builder.build().map_err(|e| bad(&e))?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut runs: Vec<StoredRun> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for batch in reader {
        let batch = batch.map_err(|e| bad(&e))?;
        let c = Columns {
            path,
            batch: &batch,
        };
        if version == 1 {
            read_v1(&c, &stem, &mut runs)?;
        } else {
            read_v2(&c, &mut runs, &mut index, keys)?;
        }
    }
    Ok(runs)
}

/// Version 1: one row per dataset, scores only; the run is the file.
fn read_v1(c: &Columns<'_>, stem: &str, runs: &mut Vec<StoredRun>) -> Result<()> {
    let started = c.text("started_at")?;
    let rules = c.text("rules_sha256")?;
    let datasets = c.text("dataset")?;
    let rows = c.count("rows")?;
    let overall = c.float("overall")?;
    let dims: Vec<Vec<Option<f64>>> = Dimension::ALL
        .iter()
        .map(|d| c.float(d.as_str()))
        .collect::<Result<_>>()?;
    let gate = c.flag("gate_passed")?;
    for i in 0..c.batch.num_rows() {
        if runs.is_empty() {
            runs.push(StoredRun {
                run_id: stem.to_string(),
                started_at: started[i].unwrap_or_default().to_string(),
                as_of: String::new(),
                rules_sha256: rules[i].unwrap_or_default().to_string(),
                version: 1,
                datasets: Vec::new(),
            });
        }
        runs[0].datasets.push(StoredDataset {
            name: datasets[i].unwrap_or_default().to_string(),
            rows: rows[i].unwrap_or_default(),
            scores: scores_at(&dims, &overall, i),
            gate_passed: gate[i].unwrap_or_default(),
            ..Default::default()
        });
    }
    Ok(())
}

fn read_v2(
    c: &Columns<'_>,
    runs: &mut Vec<StoredRun>,
    index: &mut HashMap<String, usize>,
    keys: bool,
) -> Result<()> {
    let run_id = c.text("run_id")?;
    let started = c.text("started_at")?;
    let as_of = c.text("as_of")?;
    let rules = c.text("rules_sha256")?;
    let dataset = c.text("dataset")?;
    let record = c.text("record")?;
    let name = c.text("name")?;
    let rows = c.count("rows")?;
    let overall = c.float("overall")?;
    let dims: Vec<Vec<Option<f64>>> = Dimension::ALL
        .iter()
        .map(|d| c.float(d.as_str()))
        .collect::<Result<_>>()?;
    let gate = c.flag("gate_passed")?;
    let data_type = c.text("data_type")?;
    let nulls = c.count("nulls")?;
    let empty = c.count("empty")?;
    let distinct = c.count("distinct")?;
    let min = c.text("min")?;
    let max = c.text("max")?;
    let mean = c.float("mean")?;
    let dimension = c.text("dimension")?;
    let evaluated = c.count("evaluated")?;
    let failed = c.count("failed")?;
    let status = c.text("status")?;
    let keys_kept = c.flag("keys_kept")?;
    let keys_truncated = c.flag("keys_truncated")?;
    let key_lists = if keys {
        Some(
            c.col("keys")?
                .as_list_opt::<i32>()
                .ok_or_else(|| c.bad("'keys' is not a list"))?,
        )
    } else {
        None
    };
    let detail = c.text("detail")?;
    let owned = |v: Option<&str>| v.unwrap_or_default().to_string();
    // A run's rows are consecutive: look the run up only when the id changes.
    let mut current: Option<usize> = None;
    for i in 0..c.batch.num_rows() {
        let kind = record[i].unwrap_or_default();
        let id = run_id[i].unwrap_or_default();
        let r = match current {
            Some(r) if runs[r].run_id == id => r,
            _ => {
                let r = *index.entry(id.to_string()).or_insert_with(|| {
                    runs.push(StoredRun {
                        run_id: id.to_string(),
                        started_at: owned(started[i]),
                        as_of: owned(as_of[i]),
                        rules_sha256: owned(rules[i]),
                        version: 2,
                        datasets: Vec::new(),
                    });
                    runs.len() - 1
                });
                current = Some(r);
                r
            }
        };
        let run = &mut runs[r];
        let ds_name = dataset[i].unwrap_or_default();
        let d = match run.datasets.iter().position(|d| d.name == ds_name) {
            Some(p) => p,
            None => {
                run.datasets.push(StoredDataset {
                    name: ds_name.to_string(),
                    detailed: true,
                    ..Default::default()
                });
                run.datasets.len() - 1
            }
        };
        let d = &mut run.datasets[d];
        match kind {
            "dataset" => {
                d.rows = rows[i].unwrap_or_default();
                d.scores = scores_at(&dims, &overall, i);
                d.gate_passed = gate[i].unwrap_or_default();
            }
            "column" => d.columns.push(StoredColumn {
                name: owned(name[i]),
                data_type: owned(data_type[i]),
                nulls: nulls[i].unwrap_or_default(),
                empty: empty[i].unwrap_or_default(),
                distinct: distinct[i].unwrap_or_default(),
                min: min[i].map(str::to_string),
                max: max[i].map(str::to_string),
                mean: mean[i],
            }),
            "check" => d.checks.push(StoredCheck {
                id: owned(name[i]),
                dimension: owned(dimension[i]),
                evaluated: evaluated[i].unwrap_or_default(),
                failed: failed[i].unwrap_or_default(),
                status: owned(status[i]),
                keys_kept: keys_kept[i].unwrap_or_default(),
                keys_truncated: keys_truncated[i].unwrap_or_default(),
                keys: match key_lists {
                    Some(l) if l.is_valid(i) => {
                        let v = l.value(i);
                        let v = v
                            .as_string_opt::<i32>()
                            .ok_or_else(|| c.bad("'keys' is not text"))?;
                        (0..v.len())
                            .filter(|&j| v.is_valid(j))
                            .map(|j| v.value(j).to_string())
                            .collect()
                    }
                    _ => Vec::new(),
                },
            }),
            "anomaly" => {
                if let Some(a) = detail[i].and_then(|j| serde_json::from_str(j).ok()) {
                    d.anomalies.push(a);
                }
            }
            // A record kind of a later minor change: skipped, not misread.
            _ => {}
        }
    }
    Ok(())
}

/// The history files in `dir`, by name (so by time).
pub fn files(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "{}: --history expects a directory, and this is a file",
            dir.display()
        )));
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::Usage(format!("{}: cannot read history: {e}", dir.display())))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
        .collect();
    files.sort();
    Ok(files)
}

/// Every run recorded in `dir`, oldest first (by start time, then id). A run found in
/// two files (an interrupted compaction) is read once.
pub fn read(dir: &Path) -> Result<Vec<StoredRun>> {
    read_with(dir, true)
}

/// [`read`], with the failing rows' keys or without them (faster: their column is not
/// decoded).
pub fn read_with(dir: &Path, keys: bool) -> Result<Vec<StoredRun>> {
    // A file that vanishes while it is read was merged by a concurrent compaction into a
    // file this listing did not see: list again (a few times, then say what happened).
    let mut attempt = 0;
    'again: loop {
        attempt += 1;
        match read_files(&files(dir)?, keys) {
            Err((Some(_), _)) if attempt < 5 => continue 'again,
            Err((_, e)) => return Err(e),
            Ok(runs) => return Ok(runs),
        }
    }
}

/// The runs of `files`, oldest first (by start time, then id), each run once. An error
/// says which file vanished while it was read, if one did.
fn read_files(
    files: &[PathBuf],
    keys: bool,
) -> std::result::Result<Vec<StoredRun>, (Option<PathBuf>, Error)> {
    let mut runs = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for f in files {
        let file_runs = read_file(f, keys).map_err(|e| ((!f.exists()).then(|| f.clone()), e))?;
        for run in file_runs {
            if seen.insert(run.run_id.clone()) {
                runs.push(run);
            }
        }
    }
    runs.sort_by(|a, b| (&a.started_at, &a.run_id).cmp(&(&b.started_at, &b.run_id)));
    Ok(runs)
}

/// A file stem no other run takes: the UTC time to the millisecond (so names sort by
/// time), the rules hash prefix, the process id and a counter within the process.
fn new_stem(rules_sha256: &str, what: &str) -> String {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let time = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let rules = rules_sha256.get(..12).unwrap_or("norules");
    format!(
        "{time}-{rules}{what}-p{}-{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    )
}

fn create_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Output {
        path: dir.to_path_buf(),
        source,
    })
}

/// Append `run` to the store as a file of its own; returns the run with its id.
pub fn append(dir: &Path, mut run: StoredRun) -> Result<StoredRun> {
    create_dir(dir)?;
    run.run_id = new_stem(&run.rules_sha256, "");
    let path = dir.join(format!("{}.parquet", run.run_id));
    crate::output::write_atomic(&path, &encode(&[&run])?)?;
    // Many small files make every later read open them all: merge them (no run dropped).
    if files(dir)?.len() > MERGE_AT {
        compact(dir, None, chrono::Utc::now())?;
    }
    Ok(run)
}

/// Files in a store beyond which an append merges them into one.
pub const MERGE_AT: usize = 64;

/// How much history to keep (`--retain`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retain {
    /// The last N runs of each dataset.
    Runs(usize),
    /// Runs started within the last N days.
    Days(u32),
}

impl std::fmt::Display for Retain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Retain::Runs(n) => write!(f, "{n} runs"),
            Retain::Days(d) => write!(f, "{d} days"),
        }
    }
}

impl std::str::FromStr for Retain {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Retain, String> {
        let s = s.trim();
        let bad =
            || format!("'{s}' is not a retention; expected a number of runs (30) or of days (90d)");
        match s.strip_suffix(['d', 'D']) {
            Some(days) => match days.parse::<u32>() {
                Ok(d) if d > 0 => Ok(Retain::Days(d)),
                _ => Err(bad()),
            },
            None => match s.parse::<usize>() {
                Ok(n) if n > 0 => Ok(Retain::Runs(n)),
                _ => Err(bad()),
            },
        }
    }
}

/// Keep what `retain` says (`None`: every run), in one file; remove the files read.
/// Runs appended while this runs are in files it did not read, and stay.
pub fn compact(
    dir: &Path,
    retain: Option<Retain>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Compaction> {
    let files = files(dir)?;
    let mut runs = read_files(&files, true).map_err(|(_, e)| e)?;
    let before = runs.len();
    match retain {
        None => {}
        Some(Retain::Days(days)) => {
            let cutoff = now - chrono::Duration::days(i64::from(days));
            runs.retain(|r| {
                chrono::DateTime::parse_from_rfc3339(&r.started_at)
                    .map(|t| t >= cutoff)
                    // A start time that does not parse is kept, not guessed away.
                    .unwrap_or(true)
            });
        }
        Some(Retain::Runs(n)) => {
            // Newest first: each dataset keeps its last n runs.
            let mut kept: HashMap<String, usize> = HashMap::new();
            for run in runs.iter_mut().rev() {
                run.datasets.retain(|d| {
                    let k = kept.entry(d.name.clone()).or_default();
                    *k += 1;
                    *k <= n
                });
            }
            runs.retain(|r| !r.datasets.is_empty());
        }
    }
    let summary = Compaction {
        retain: retain.map_or_else(|| "every run".to_string(), |r| r.to_string()),
        runs_before: before as u64,
        runs_kept: runs.len() as u64,
        files_before: files.len() as u64,
        files_after: u64::from(!runs.is_empty()),
    };
    if files.len() <= 1 && runs.len() == before {
        return Ok(Compaction {
            files_after: files.len() as u64,
            ..summary
        });
    }
    if !runs.is_empty() {
        let rules = runs
            .last()
            .map(|r| r.rules_sha256.clone())
            .unwrap_or_default();
        let path = dir.join(format!("{}.parquet", new_stem(&rules, "-compacted")));
        let refs: Vec<&StoredRun> = runs.iter().collect();
        crate::output::write_atomic(&path, &encode(&refs)?)?;
    }
    for f in &files {
        match std::fs::remove_file(f) {
            Ok(()) => {}
            // Another compaction removed it first.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(Error::Output {
                    path: f.clone(),
                    source,
                });
            }
        }
    }
    Ok(summary)
}

/// Write `runs` as one file (benches and tests build large stores with it).
pub fn write_runs(dir: &Path, runs: &[StoredRun]) -> Result<PathBuf> {
    create_dir(dir)?;
    // Runs without an id get one each, as appends would have given them.
    let runs: Vec<StoredRun> = runs
        .iter()
        .map(|r| {
            let mut r = r.clone();
            if r.run_id.is_empty() {
                r.run_id = new_stem(&r.rules_sha256, "");
            }
            r
        })
        .collect();
    let rules = runs
        .last()
        .map(|r| r.rules_sha256.clone())
        .unwrap_or_default();
    let path = dir.join(format!("{}.parquet", new_stem(&rules, "")));
    let refs: Vec<&StoredRun> = runs.iter().collect();
    crate::output::write_atomic(&path, &encode(&refs)?)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::history::AnomalyStatus;

    fn run(started_at: &str, dataset: &str, rows: u64) -> StoredRun {
        StoredRun {
            run_id: String::new(),
            started_at: started_at.into(),
            as_of: started_at.get(..10).unwrap_or_default().into(),
            rules_sha256: "ab".repeat(32),
            version: VERSION,
            datasets: vec![StoredDataset {
                name: dataset.into(),
                rows,
                scores: Scores {
                    overall: Some(97.5),
                    ..Default::default()
                },
                gate_passed: true,
                detailed: true,
                columns: vec![StoredColumn {
                    name: "age".into(),
                    data_type: "Int64".into(),
                    nulls: 2,
                    distinct: 40,
                    min: Some("18".into()),
                    max: Some("90".into()),
                    mean: Some(41.5),
                    ..Default::default()
                }],
                checks: vec![StoredCheck {
                    id: format!("{dataset}.mobile.format"),
                    dimension: "validity".into(),
                    evaluated: 10,
                    failed: 2,
                    status: "fail".into(),
                    keys_kept: true,
                    keys_truncated: false,
                    keys: vec!["C0003".into(), "C0007".into()],
                }],
                anomalies: vec![],
            }],
        }
    }

    #[test]
    fn a_run_round_trips_with_columns_checks_keys_and_anomalies() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = run("2026-12-01T08:00:00Z", "people", 100);
        r.datasets[0].anomalies.push(Anomaly {
            id: "people.anomaly.row_count.relative".into(),
            metric: "row_count".into(),
            method: "relative".into(),
            status: AnomalyStatus::Warn,
            current: Some(100.0),
            expected: Some(200.0),
            lower: Some(100.0),
            upper: Some(300.0),
            deviation: Some(-0.5),
            threshold: Some(0.3),
            history_runs: 1,
            short_history: false,
            note: "n".into(),
        });
        let stored = append(dir.path(), r.clone()).unwrap();
        let back = read(dir.path()).unwrap();
        assert_eq!(back.len(), 1);
        assert_eq!(
            back[0],
            StoredRun {
                run_id: stored.run_id.clone(),
                ..r
            }
        );
        assert!(
            dir.path()
                .join(format!("{}.parquet", stored.run_id))
                .is_file()
        );
    }

    /// A version 1 file as steward 0.x wrote it: one row per dataset, no metadata.
    fn write_v1(path: &Path) {
        let mut fields = vec![
            Field::new("started_at", DataType::Utf8, false),
            Field::new("rules_sha256", DataType::Utf8, false),
            Field::new("dataset", DataType::Utf8, false),
            Field::new("rows", DataType::UInt64, false),
            Field::new("overall", DataType::Float64, true),
        ];
        for d in Dimension::ALL {
            fields.push(Field::new(d.as_str(), DataType::Float64, true));
        }
        fields.push(Field::new("gate_passed", DataType::Boolean, false));
        let schema = Arc::new(Schema::new(fields));
        let mut columns: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from(vec!["2026-11-01T10:00:00Z"])),
            Arc::new(StringArray::from(vec!["cd".repeat(32)])),
            Arc::new(StringArray::from(vec!["people"])),
            Arc::new(UInt64Array::from(vec![80])),
            Arc::new(Float64Array::from(vec![Some(91.0)])),
        ];
        for _ in Dimension::ALL {
            columns.push(Arc::new(Float64Array::from(vec![None::<f64>])));
        }
        columns.push(Arc::new(BooleanArray::from(vec![false])));
        let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
        let mut w =
            ArrowWriter::try_new(std::fs::File::create(path).unwrap(), schema, None).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
    }

    #[test]
    fn version_1_files_are_read_as_runs_without_details_and_newer_ones_refused() {
        let dir = tempfile::tempdir().unwrap();
        write_v1(&dir.path().join("20261101T100000.000Z-cdcdcdcdcdcd.parquet"));
        append(dir.path(), run("2026-12-01T08:00:00Z", "people", 100)).unwrap();
        let runs = read(dir.path()).unwrap();
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].version, 1);
        assert_eq!(runs[0].run_id, "20261101T100000.000Z-cdcdcdcdcdcd");
        assert!(!runs[0].datasets[0].detailed);
        assert_eq!(runs[0].datasets[0].scores.overall, Some(91.0));
        assert_eq!(runs[1].version, 2);

        // A file claiming a later layout.
        let newer = dir.path().join("20261202T000000.000Z-x.parquet");
        let schema = Arc::new(Schema::new(vec![Field::new("x", DataType::Utf8, true)]));
        let props = WriterProperties::builder()
            .set_key_value_metadata(Some(vec![KeyValue::new(
                VERSION_KEY.into(),
                "3".to_string(),
            )]))
            .build();
        let w = ArrowWriter::try_new(std::fs::File::create(&newer).unwrap(), schema, Some(props))
            .unwrap();
        w.close().unwrap();
        let e = read(dir.path()).unwrap_err();
        let text = e.to_string();
        assert!(matches!(e, Error::Data { .. }), "{text}");
        assert!(text.contains("20261202T000000.000Z-x.parquet"), "{text}");
        assert!(text.contains("history version 3"), "{text}");
    }

    #[test]
    fn concurrent_appends_all_land_and_every_file_reads() {
        let dir = tempfile::tempdir().unwrap();
        std::thread::scope(|s| {
            for t in 0..8 {
                let dir = dir.path();
                s.spawn(move || {
                    for i in 0..5 {
                        append(dir, run("2026-12-01T08:00:00Z", &format!("d{t}"), i)).unwrap();
                    }
                });
            }
        });
        let runs = read(dir.path()).unwrap();
        assert_eq!(runs.len(), 40);
        let ids: std::collections::HashSet<_> = runs.iter().map(|r| &r.run_id).collect();
        assert_eq!(ids.len(), 40);
        // No temporary file is left behind.
        assert_eq!(files(dir.path()).unwrap().len(), 40);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 40);
    }

    #[test]
    fn retain_keeps_the_last_runs_per_dataset_in_one_file() {
        let dir = tempfile::tempdir().unwrap();
        for day in 1..=9 {
            let at = format!("2026-11-{day:02}T08:00:00Z");
            append(dir.path(), run(&at, "a", day)).unwrap();
            if day % 3 == 0 {
                append(dir.path(), run(&at, "b", day)).unwrap();
            }
        }
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-10T00:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let c = compact(dir.path(), Some(Retain::Runs(2)), now).unwrap();
        assert_eq!((c.runs_before, c.files_before), (12, 12));
        // a: days 8, 9; b: days 6, 9.
        assert_eq!((c.runs_kept, c.files_after), (4, 1));
        assert_eq!(files(dir.path()).unwrap().len(), 1);
        let rows: Vec<(String, u64)> = read(dir.path())
            .unwrap()
            .iter()
            .map(|r| (r.datasets[0].name.clone(), r.datasets[0].rows))
            .collect();
        assert_eq!(
            rows,
            [
                ("b".into(), 6),
                ("a".into(), 8),
                ("a".into(), 9),
                ("b".into(), 9)
            ]
        );
        // Days: 2026-11-10 minus 2 days keeps the runs from the 8th 00:00 on... of which
        // the 8th and 9th of a and the 9th of b.
        let c = compact(dir.path(), Some(Retain::Days(2)), now).unwrap();
        assert_eq!(c.runs_kept, 3);
        // A second compaction with nothing to drop leaves the single file alone.
        let before = files(dir.path()).unwrap();
        compact(dir.path(), Some(Retain::Days(2)), now).unwrap();
        assert_eq!(files(dir.path()).unwrap(), before);
    }

    #[test]
    fn compaction_keeps_the_store_size_proportional_to_the_runs_kept() {
        let dir = tempfile::tempdir().unwrap();
        let size = || -> u64 {
            files(dir.path())
                .unwrap()
                .iter()
                .map(|f| std::fs::metadata(f).unwrap().len())
                .sum()
        };
        let runs: Vec<StoredRun> = (0..10_000)
            .map(|i| {
                let day = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap()
                    + chrono::Duration::days(i);
                let mut r = run(
                    &format!("{}T06:00:00Z", day.format("%Y-%m-%d")),
                    "a",
                    i as u64,
                );
                r.run_id = format!("run{i:05}");
                r
            })
            .collect();
        for chunk in runs.chunks(100) {
            write_runs(dir.path(), chunk).unwrap();
        }
        let before = size();
        let c = compact(dir.path(), Some(Retain::Runs(100)), chrono::Utc::now()).unwrap();
        assert_eq!(
            (c.runs_before, c.runs_kept, c.files_after),
            (10_000, 100, 1)
        );
        let after = size();
        // 1 % of the runs: about 1 % of the bytes (the footer of one file on top).
        assert!(after * 50 < before, "{after} of {before} bytes");
        let kept = read(dir.path()).unwrap();
        assert_eq!(kept.first().unwrap().run_id, "run09900");
        assert_eq!(kept.last().unwrap().run_id, "run09999");
    }

    #[test]
    fn appends_merge_many_files_into_one_without_dropping_a_run() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..70 {
            append(dir.path(), run("2026-12-01T08:00:00Z", "a", i)).unwrap();
        }
        let runs = read(dir.path()).unwrap();
        assert_eq!(runs.len(), 70);
        assert!(runs.iter().all(|r| r.datasets[0].checks[0].keys.len() == 2));
        assert_eq!(files(dir.path()).unwrap().len(), 70 - MERGE_AT);
        // Without keys, the same runs, their keys left out.
        let light = read_with(dir.path(), false).unwrap();
        assert_eq!(light.len(), 70);
        assert!(
            light
                .iter()
                .all(|r| r.datasets[0].checks[0].keys.is_empty())
        );
    }

    #[test]
    fn a_run_in_two_files_is_read_once() {
        // A compaction stopped after writing its file and before removing the old ones.
        let dir = tempfile::tempdir().unwrap();
        let stored = append(dir.path(), run("2026-12-01T08:00:00Z", "a", 1)).unwrap();
        write_runs(dir.path(), &[stored]).unwrap();
        assert_eq!(files(dir.path()).unwrap().len(), 2);
        assert_eq!(read(dir.path()).unwrap().len(), 1);
    }

    #[test]
    fn retention_parses_runs_and_days() {
        assert_eq!("30".parse::<Retain>(), Ok(Retain::Runs(30)));
        assert_eq!("90d".parse::<Retain>(), Ok(Retain::Days(90)));
        assert!("0".parse::<Retain>().is_err());
        assert!("3w".parse::<Retain>().unwrap_err().contains("90d"));
    }
}
