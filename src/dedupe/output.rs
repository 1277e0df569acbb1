//! The pairs and clusters files (CSV, written to a temporary file and renamed):
//!
//! - pairs: `dataset_a,key_a,dataset_b,key_b,match_probability`, then one column per
//!   compared field with its agreement level; only pairs at or above the threshold.
//! - clusters: `dataset,key,unified_id` for every record, singletons too.
//!
//! Rows are in canonical (dataset, key) order, so two runs on the same data give the
//! same bytes. Keys are the rule file's `key` columns joined with `|`.

use std::io::Write;
use std::path::Path;

use super::model::{Pattern, level};
use super::records::Records;
use super::stable::Change;
use crate::error::{Error, Result};

pub(super) type Writer = csv::Writer<std::io::BufWriter<tempfile::NamedTempFile>>;

pub(super) fn csv_writer(path: &Path) -> Result<Writer> {
    let tmp = crate::output::temp_beside(path)?;
    Ok(csv::Writer::from_writer(std::io::BufWriter::new(tmp)))
}

pub(super) fn finish(path: &Path, w: Writer) -> Result<()> {
    let err = |e: std::io::Error| Error::Output {
        path: path.to_path_buf(),
        source: e,
    };
    let mut buf = w
        .into_inner()
        .map_err(|e| err(std::io::Error::other(e.to_string())))?;
    buf.flush().map_err(err)?;
    let tmp = buf
        .into_inner()
        .map_err(|e| err(std::io::Error::other(e.to_string())))?;
    crate::output::persist(tmp, path)
}

pub(super) fn io(path: &Path) -> impl Fn(csv::Error) -> Error + '_ {
    move |e| Error::Output {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// A cell that a spreadsheet would run as a formula gets a leading apostrophe.
pub(super) fn cell(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

pub fn write_pairs(
    path: &Path,
    records: &Records,
    fields: &[String],
    pairs: &[(u32, u32, f64, Pattern)],
) -> Result<()> {
    let mut w = csv_writer(path)?;
    let mut header = vec![
        "dataset_a".to_string(),
        "key_a".into(),
        "dataset_b".into(),
        "key_b".into(),
        "match_probability".into(),
    ];
    header.extend(fields.iter().cloned());
    w.write_record(&header).map_err(io(path))?;
    for &(i, j, p, pat) in pairs {
        let (i, j) = (i as usize, j as usize);
        let mut row: Vec<String> = vec![
            records.dataset_name(i).to_string(),
            cell(records.key(i)).into_owned(),
            records.dataset_name(j).to_string(),
            cell(records.key(j)).into_owned(),
            format!("{p:.6}"),
        ];
        row.extend(
            records
                .kinds
                .iter()
                .enumerate()
                .map(|(f, k)| k.label(level(pat, f)).to_string()),
        );
        w.write_record(&row).map_err(io(path))?;
    }
    finish(path, w)
}

pub fn write_clusters(
    path: &Path,
    records: &Records,
    ids: &[(String, u32)],
    id_of: &[u32],
) -> Result<()> {
    let mut w = csv_writer(path)?;
    w.write_record(["dataset", "key", "unified_id"])
        .map_err(io(path))?;
    for (i, &x) in id_of.iter().enumerate() {
        w.write_record([
            records.dataset_name(i),
            &cell(records.key(i)),
            &ids[x as usize].0,
        ])
        .map_err(io(path))?;
    }
    finish(path, w)
}

/// The changes file: `change,old_id,new_id,records,dataset_a,key_a,dataset_b,key_b,
/// match_probability,reason`, one row per change, in (change, old_id, new_id) order.
pub fn write_changes(path: &Path, changes: &[Change]) -> Result<()> {
    let mut w = csv_writer(path)?;
    w.write_record([
        "change",
        "old_id",
        "new_id",
        "records",
        "dataset_a",
        "key_a",
        "dataset_b",
        "key_b",
        "match_probability",
        "reason",
    ])
    .map_err(io(path))?;
    for c in changes {
        let (da, ka, db, kb, p, why) = match &c.evidence {
            Some(e) => (
                e.a.0.clone(),
                cell(&e.a.1).into_owned(),
                e.b.0.clone(),
                cell(&e.b.1).into_owned(),
                format!("{:.6}", e.probability),
                e.reason.clone(),
            ),
            None => Default::default(),
        };
        w.write_record([
            c.kind.name(),
            c.old_id.as_deref().unwrap_or(""),
            c.new_id.as_deref().unwrap_or(""),
            &c.records.to_string(),
            &da,
            &ka,
            &db,
            &kb,
            &p,
            &cell(&why),
        ])
        .map_err(io(path))?;
    }
    finish(path, w)
}
