//! Run history: each run's scores as one small Parquet file in a history directory
//! (`--history DIR`), named `<UTC time>-<rules sha256 prefix>.parquet` so that file
//! names sort by time. Reports show the trend of the last runs and the change since the
//! previous one; a drop of the overall score beyond `gate.max_drop` fails the gate.
//!
//! Only scores and counts are stored, one row per dataset; never a data value.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Float64Array, RecordBatch, StringArray, UInt64Array,
};
use datafusion::arrow::datatypes::{DataType, Field, Float64Type, Schema, UInt64Type};
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::error::{Error, Result};
use crate::report::compliance::{HistoryPoint, HistorySummary, ScoreChange};
use crate::report::{Dimension, Report, Scores};
use crate::rules::RuleSet;

/// Runs shown in a trend (this one included).
pub const TREND_RUNS: usize = 10;

/// One dataset's scores in one run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunScores {
    /// Which history file (0 = oldest) the row came from; 0 for a run not yet stored.
    pub run: usize,
    pub started_at: String,
    pub rules_sha256: String,
    pub dataset: String,
    pub rows: u64,
    pub scores: Scores,
    pub gate_passed: bool,
}

fn schema() -> Arc<Schema> {
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
    Arc::new(Schema::new(fields))
}

fn runs_of(report: &Report) -> Vec<RunScores> {
    report
        .datasets
        .iter()
        .map(|d| RunScores {
            run: 0,
            started_at: report.run.started_at.clone(),
            rules_sha256: report.run.rules_sha256.clone(),
            dataset: d.name.clone(),
            rows: d.rows,
            scores: d.scores.clone(),
            gate_passed: report.gate.passed,
        })
        .collect()
}

fn to_parquet(runs: &[RunScores]) -> Result<Vec<u8>> {
    let text = |f: fn(&RunScores) -> &str| -> ArrayRef {
        Arc::new(StringArray::from_iter_values(runs.iter().map(f)))
    };
    let score = |f: &dyn Fn(&Scores) -> Option<f64>| -> ArrayRef {
        Arc::new(Float64Array::from_iter(runs.iter().map(|r| f(&r.scores))))
    };
    let mut columns = vec![
        text(|r| &r.started_at),
        text(|r| &r.rules_sha256),
        text(|r| &r.dataset),
        Arc::new(UInt64Array::from_iter_values(runs.iter().map(|r| r.rows))) as ArrayRef,
        score(&|s| s.overall),
    ];
    for d in Dimension::ALL {
        columns.push(score(&|s| s.get(d)));
    }
    columns.push(Arc::new(BooleanArray::from_iter(
        runs.iter().map(|r| Some(r.gate_passed)),
    )));
    let batch = RecordBatch::try_new(schema(), columns).map_err(Error::internal)?;
    let mut writer = ArrowWriter::try_new(Vec::new(), schema(), None).map_err(Error::internal)?;
    writer.write(&batch).map_err(Error::internal)?;
    writer.into_inner().map_err(Error::internal)
}

fn from_parquet(path: &Path) -> Result<Vec<RunScores>> {
    let bad =
        |e: &dyn std::fmt::Display| Error::data(path, format!("not a steward history file: {e}"));
    let file = std::fs::File::open(path).map_err(|e| bad(&e))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| bad(&e))?
        .build()
        .map_err(|e| bad(&e))?;
    let mut out = Vec::new();
    for batch in reader {
        let batch = batch.map_err(|e| bad(&e))?;
        let col = |name: &str| -> Result<&ArrayRef> {
            batch
                .column_by_name(name)
                .ok_or_else(|| bad(&format!("no column '{name}'")))
        };
        let text = |name: &str| -> Result<Vec<String>> {
            let a = col(name)?
                .as_string_opt::<i32>()
                .ok_or_else(|| bad(&format!("'{name}' is not text")))?;
            Ok((0..a.len()).map(|i| a.value(i).to_string()).collect())
        };
        let float = |name: &str| -> Result<Vec<Option<f64>>> {
            let a = col(name)?
                .as_primitive_opt::<Float64Type>()
                .ok_or_else(|| bad(&format!("'{name}' is not a number")))?;
            Ok((0..a.len())
                .map(|i| a.is_valid(i).then(|| a.value(i)))
                .collect())
        };
        let started = text("started_at")?;
        let rules = text("rules_sha256")?;
        let datasets = text("dataset")?;
        let rows = col("rows")?
            .as_primitive_opt::<UInt64Type>()
            .ok_or_else(|| bad(&"'rows' is not a count"))?
            .clone();
        let overall = float("overall")?;
        let dims: Vec<Vec<Option<f64>>> = Dimension::ALL
            .iter()
            .map(|d| float(d.as_str()))
            .collect::<Result<_>>()?;
        let gate = col("gate_passed")?
            .as_boolean_opt()
            .ok_or_else(|| bad(&"'gate_passed' is not a boolean"))?
            .clone();
        for i in 0..batch.num_rows() {
            let mut scores = Scores {
                overall: overall[i],
                ..Default::default()
            };
            for (j, d) in Dimension::ALL.iter().enumerate() {
                scores.set(*d, dims[j][i]);
            }
            out.push(RunScores {
                run: 0,
                started_at: started[i].clone(),
                rules_sha256: rules[i].clone(),
                dataset: datasets[i].clone(),
                rows: rows.value(i),
                scores,
                gate_passed: gate.value(i),
            });
        }
    }
    Ok(out)
}

/// Every run recorded in `dir`, oldest first (by file name).
pub fn read(dir: &Path) -> Result<Vec<RunScores>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::Usage(format!("{}: cannot read history: {e}", dir.display())))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for (run, f) in files.iter().enumerate() {
        out.extend(from_parquet(f)?.into_iter().map(|r| RunScores { run, ..r }));
    }
    Ok(out)
}

/// `<UTC time to the millisecond>-<rules sha256 prefix>`: sorts by time.
fn file_name(report: &Report) -> String {
    let time = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let rules = report.run.rules_sha256.get(..12).unwrap_or("norules");
    format!("{time}-{rules}")
}

/// Compare this run with the history in `dir`, add a gate reason for every dataset
/// whose overall score dropped more than its `gate.max_drop`, then store this run.
pub fn record(dir: &Path, report: &mut Report, rules: &RuleSet) -> Result<HistorySummary> {
    let previous = read(dir)?;
    let mut changes = Vec::new();
    for d in &report.datasets {
        let last = previous.iter().rev().find(|r| r.dataset == d.name);
        let max_drop = rules
            .datasets
            .iter()
            .find(|r| r.name.as_deref() == Some(d.name.as_str()) || r.name.is_none())
            .and_then(|r| r.gate.max_drop);
        let previous_score = last.and_then(|l| l.scores.overall);
        let delta = match (previous_score, d.scores.overall) {
            (Some(p), Some(c)) => Some(c - p),
            _ => None,
        };
        if let (Some(delta), Some(max), Some(last)) = (delta, max_drop, last)
            && -delta > max
        {
            report.gate.reasons.push(format!(
                "{}: overall dropped {:.2} points since the run at {} ({:.2} -> {:.2}), more than gate.max_drop {max}",
                d.name,
                -delta,
                last.started_at,
                previous_score.unwrap_or_default(),
                d.scores.overall.unwrap_or_default()
            ));
            report.gate.passed = false;
        }
        changes.push(ScoreChange {
            dataset: d.name.clone(),
            previous: previous_score,
            current: d.scores.overall,
            delta,
            max_drop,
        });
    }
    let now = runs_of(report);
    std::fs::create_dir_all(dir).map_err(|source| Error::Output {
        path: dir.to_path_buf(),
        source,
    })?;
    // A name taken in the same millisecond: wait for the next, so names keep sorting by time.
    let mut path = dir.join(format!("{}.parquet", file_name(report)));
    while path.exists() {
        std::thread::sleep(std::time::Duration::from_millis(2));
        path = dir.join(format!("{}.parquet", file_name(report)));
    }
    crate::output::write_atomic(&path, &to_parquet(&now)?)?;

    let mut runs: Vec<usize> = previous.iter().map(|p| p.run).collect();
    runs.dedup();
    let mut trend = Vec::new();
    for d in &report.datasets {
        let mut points: Vec<HistoryPoint> = previous
            .iter()
            .chain(now.iter())
            .filter(|r| r.dataset == d.name)
            .map(|r| HistoryPoint {
                started_at: r.started_at.clone(),
                rules_sha256: r.rules_sha256.clone(),
                dataset: r.dataset.clone(),
                overall: r.scores.overall,
            })
            .collect();
        let skip = points.len().saturating_sub(TREND_RUNS);
        trend.extend(points.drain(skip..));
    }
    Ok(HistorySummary {
        previous_runs: runs.len() as u64,
        trend,
        changes,
    })
}

/// [`record`] with the rule files loaded from `rule_paths` (for `steward scan`).
pub fn record_for(
    dir: &Path,
    report: &mut Report,
    rule_paths: &[PathBuf],
) -> Result<HistorySummary> {
    let rules = crate::rules::load(rule_paths)?;
    record(dir, report, &rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(at: &str, overall: f64) -> Report {
        let mut r = crate::report::test_support::report();
        r.gate = Default::default();
        r.gate.passed = true;
        r.datasets.truncate(1);
        r.run.started_at = at.into();
        r.datasets[0].scores.overall = Some(overall);
        r
    }

    #[test]
    fn runs_round_trip_and_a_drop_beyond_the_tolerance_fails_the_gate() {
        let dir = tempfile::tempdir().unwrap();
        let mut rules = RuleSet::default();
        rules.datasets.push(crate::rules::DatasetRules {
            name: Some("customers".into()),
            gate: crate::rules::GateSpec {
                max_drop: Some(2.0),
                ..Default::default()
            },
            ..Default::default()
        });
        let mut first = report("2026-11-01T10:00:00Z", 98.0);
        let h = record(dir.path(), &mut first, &rules).unwrap();
        assert_eq!(h.previous_runs, 0);
        assert!(first.gate.passed);
        let mut small = report("2026-11-02T10:00:00Z", 96.5);
        let h = record(dir.path(), &mut small, &rules).unwrap();
        assert!(small.gate.passed, "{:?}", small.gate);
        assert_eq!(h.previous_runs, 1);
        assert_eq!(h.trend.len(), 2);
        let mut big = report("2026-11-03T10:00:00Z", 94.0);
        let h = record(dir.path(), &mut big, &rules).unwrap();
        assert!(!big.gate.passed);
        assert!(
            big.gate.reasons[0].starts_with("customers: overall dropped 2.50 points"),
            "{:?}",
            big.gate.reasons
        );
        assert_eq!(h.changes[0].delta, Some(-2.5));
        let runs = read(dir.path()).unwrap();
        assert_eq!(runs.len(), 3);
        assert_eq!(runs[0].scores.overall, Some(98.0));
        assert_eq!(runs[2].started_at, "2026-11-03T10:00:00Z");
    }
}
