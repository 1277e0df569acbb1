//! The records of a dedupe run: every input's key and compared fields, read through
//! DataFusion one batch at a time, normalised, and stored column by column in string
//! arenas (one buffer and one offset per value), so a million records with eight fields
//! take about the size of their text.
//!
//! Records are put in a canonical order (dataset, key, field values) before anything
//! else happens, so pairs, the model and unified IDs do not depend on the row order of
//! the files.

use datafusion::arrow::array::{Array, AsArray, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::prelude::{SessionConfig, SessionContext};
use futures::StreamExt;

use super::compare::{Kind, Value};
use super::normalize;
use crate::error::{Error, Result};
use crate::source::{self, Input, SourceOptions};

/// Strings stored back to back; `None` for missing values.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct StrColumn {
    buf: String,
    /// End offset of each value; a missing value repeats the previous end.
    ends: Vec<u32>,
    present: Vec<bool>,
}

impl StrColumn {
    pub fn push(&mut self, v: Option<&str>) -> Result<()> {
        if let Some(v) = v {
            self.buf.push_str(v);
        }
        let end = u32::try_from(self.buf.len()).map_err(|_| {
            Error::Usage(
                "a compared field holds more than 4 GiB of text; dedupe fewer records at once"
                    .into(),
            )
        })?;
        self.ends.push(end);
        self.present.push(v.is_some());
        Ok(())
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        if !self.present[i] {
            return None;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        Some(&self.buf[start..self.ends[i] as usize])
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Whether the offsets fit the text (a column read back from a file).
    pub fn is_well_formed(&self) -> bool {
        let mut prev = 0usize;
        self.ends.len() == self.present.len()
            && self.ends.iter().all(|&e| {
                let e = e as usize;
                let ok = e >= prev && e <= self.buf.len() && self.buf.is_char_boundary(e);
                prev = e;
                ok
            })
    }

    fn gather(&self, order: &[u32]) -> Result<StrColumn> {
        let mut out = StrColumn {
            buf: String::with_capacity(self.buf.len()),
            ends: Vec::with_capacity(order.len()),
            present: Vec::with_capacity(order.len()),
        };
        for &i in order {
            out.push(self.get(i as usize))?;
        }
        Ok(out)
    }
}

/// Where one dataset finds a field.
#[derive(Debug, Clone)]
pub enum FieldColumn {
    /// Named by the dataset's rule file: an error if missing.
    Required(String),
    /// A column of the field's name, if the dataset has one (else the field is missing).
    IfPresent(String),
}

#[derive(Debug, Clone)]
pub struct DatasetColumns {
    pub input: Input,
    pub key: Vec<String>,
    pub fields: Vec<FieldColumn>,
    /// Columns read as written, not compared (the golden record's values and
    /// timestamps).
    pub extras: Vec<FieldColumn>,
}

/// Every record of the run, in canonical order.
#[derive(Debug, Default)]
pub struct Records {
    pub datasets: Vec<String>,
    pub dataset: Vec<u16>,
    pub keys: StrColumn,
    pub kinds: Vec<Kind>,
    pub norm: Vec<StrColumn>,
    /// Pinyin spellings of name fields (other kinds: `None`).
    pub alt: Vec<Option<StrColumn>>,
    /// Extra columns as the source wrote them (blank: `None`), for golden records.
    pub extra: Vec<StrColumn>,
}

impl Records {
    pub fn len(&self) -> usize {
        self.dataset.len()
    }

    pub fn is_empty(&self) -> bool {
        self.dataset.is_empty()
    }

    pub fn value(&self, field: usize, i: usize) -> Option<Value<'_>> {
        let norm = self.norm[field].get(i)?;
        let alt = self.alt[field].as_ref().and_then(|c| c.get(i));
        Some(Value { norm, alt })
    }

    pub fn key(&self, i: usize) -> &str {
        self.keys.get(i).unwrap_or("")
    }

    pub fn dataset_name(&self, i: usize) -> &str {
        &self.datasets[self.dataset[i] as usize]
    }

    /// No records yet, comparing fields of these kinds, with `extras` extra columns.
    pub fn empty(kinds: &[Kind], extras: usize) -> Records {
        Records {
            kinds: kinds.to_vec(),
            extra: vec![StrColumn::default(); extras],
            norm: vec![StrColumn::default(); kinds.len()],
            alt: kinds
                .iter()
                .map(|k| (*k == Kind::Name).then(StrColumn::default))
                .collect(),
            ..Default::default()
        }
    }

    /// The dataset's index, added to the list if new.
    pub fn dataset_index(&mut self, name: &str) -> Result<u16> {
        if let Some(d) = self.datasets.iter().position(|x| x == name) {
            return Ok(d as u16);
        }
        let d = u16::try_from(self.datasets.len())
            .map_err(|_| Error::Usage("more than 65,535 datasets in one dedupe run".into()))?;
        self.datasets.push(name.to_string());
        Ok(d)
    }

    /// Record `i`'s normalised values, one per field.
    pub fn values(&self, i: usize) -> Vec<Option<&str>> {
        self.norm.iter().map(|c| c.get(i)).collect()
    }

    /// Record `i`'s extra columns.
    pub fn extras(&self, i: usize) -> Vec<Option<&str>> {
        self.extra.iter().map(|c| c.get(i)).collect()
    }

    /// Append a record whose values are already normalised (the alternative spellings
    /// of names are derived again); extra columns beyond `extras` are missing.
    pub fn push_normalised(
        &mut self,
        dataset: u16,
        key: &str,
        values: &[Option<&str>],
        extras: &[Option<&str>],
    ) -> Result<()> {
        for (e, c) in self.extra.iter_mut().enumerate() {
            c.push(extras.get(e).copied().flatten())?;
        }
        self.dataset.push(dataset);
        self.keys.push(Some(key))?;
        for (f, &v) in values.iter().enumerate() {
            self.norm[f].push(v)?;
            if let Some(alt) = &mut self.alt[f] {
                alt.push(v.and_then(normalize::pinyin).as_deref())?;
            }
        }
        Ok(())
    }

    fn push(
        &mut self,
        dataset: u16,
        key: &str,
        values: &[Option<String>],
        extras: &[Option<String>],
    ) -> Result<()> {
        let values: Vec<Option<&str>> = values.iter().map(|v| v.as_deref()).collect();
        let extras: Vec<Option<&str>> = extras.iter().map(|v| v.as_deref()).collect();
        self.push_normalised(dataset, key, &values, &extras)
    }

    /// Sort into (dataset name, key, values) order.
    pub fn canonicalize(&mut self) -> Result<()> {
        let mut order: Vec<u32> = (0..self.len() as u32).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            self.dataset_name(a)
                .cmp(self.dataset_name(b))
                .then_with(|| self.key(a).cmp(self.key(b)))
                .then_with(|| {
                    (0..self.norm.len())
                        .map(|f| self.norm[f].get(a).cmp(&self.norm[f].get(b)))
                        .find(|o| o.is_ne())
                        .unwrap_or(std::cmp::Ordering::Equal)
                })
        });
        self.dataset = order.iter().map(|&i| self.dataset[i as usize]).collect();
        self.keys = self.keys.gather(&order)?;
        for f in 0..self.norm.len() {
            self.norm[f] = self.norm[f].gather(&order)?;
            if let Some(alt) = &self.alt[f] {
                self.alt[f] = Some(alt.gather(&order)?);
            }
        }
        for e in 0..self.extra.len() {
            self.extra[e] = self.extra[e].gather(&order)?;
        }
        Ok(())
    }
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Read every dataset's key and fields. Dataset names are sorted for the ids.
pub async fn read(
    sets: &[DatasetColumns],
    kinds: &[Kind],
    opts: &SourceOptions,
) -> Result<Records> {
    let extras = sets.first().map_or(0, |s| s.extras.len());
    let mut records = Records::empty(kinds, extras);
    for (d, set) in sets.iter().enumerate() {
        records.datasets.push(set.input.name.clone());
        read_one(&mut records, d as u16, set, kinds, opts).await?;
    }
    records.canonicalize()?;
    Ok(records)
}

async fn read_one(
    records: &mut Records,
    dataset: u16,
    set: &DatasetColumns,
    kinds: &[Kind],
    opts: &SourceOptions,
) -> Result<()> {
    let input = &set.input;
    // One partition: row numbers (the key when the rules give none) follow the file.
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(1));
    source::register_text(&ctx, input, "t", opts).await?;
    let provider = ctx.table_provider("t").await.map_err(Error::internal)?;
    let schema = provider.schema();
    let has = |c: &str| schema.field_with_name(c).is_ok();
    let pick = |f: &'_ FieldColumn| -> Option<String> {
        match f {
            FieldColumn::Required(c) => Some(c.clone()),
            FieldColumn::IfPresent(c) => has(c).then(|| c.clone()),
        }
    };
    let fields: Vec<Option<String>> = set.fields.iter().map(pick).collect();
    let extras: Vec<Option<String>> = set.extras.iter().map(pick).collect();
    let mut wanted: Vec<&str> = set.key.iter().map(String::as_str).collect();
    wanted.extend(fields.iter().flatten().map(String::as_str));
    wanted.extend(extras.iter().flatten().map(String::as_str));
    let compared = wanted.len() - extras.iter().flatten().count();
    for (n, c) in wanted.iter().enumerate() {
        if !has(c) {
            let why = if n < compared {
                "the rule file compares or keys on it"
            } else {
                "the rule file's golden section takes values from it"
            };
            let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            let help = crate::error::did_you_mean(c, names.iter().copied())
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            return Err(Error::Data {
                path: input.path.clone(),
                line: Some(1),
                column: None,
                message: format!("no column '{c}'{help}; {why}"),
            });
        }
    }
    let select: Vec<String> = if wanted.is_empty() {
        vec!["1".into()]
    } else {
        // Aliased: one column may be both compared and a golden value.
        wanted
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{} AS c{i}", quote(c)))
            .collect()
    };
    let df = ctx
        .sql(&format!("SELECT {} FROM t", select.join(", ")))
        .await
        .map_err(|e| source::read_error(input, opts, &e))?;
    let mut stream = df
        .execute_stream()
        .await
        .map_err(|e| source::read_error(input, opts, &e))?;
    let nkey = set.key.len();
    let mut row = 0u64;
    let mut values: Vec<Option<String>> = vec![None; kinds.len()];
    let mut extra: Vec<Option<String>> = vec![None; extras.len()];
    let nfield = fields.iter().flatten().count();
    let mut key = String::new();
    while let Some(batch) = stream.next().await {
        let batch = batch.map_err(|e| source::read_error(input, opts, &e))?;
        let cols: Vec<_> = batch
            .columns()
            .iter()
            .map(|c| cast(c, &DataType::Utf8).map_err(Error::internal))
            .collect::<Result<_>>()?;
        let texts: Vec<&StringArray> = cols.iter().map(|c| c.as_string::<i32>()).collect();
        let (key_cols, rest) = texts.split_at(nkey);
        let (field_cols, extra_cols) = rest.split_at(nfield);
        for r in 0..batch.num_rows() {
            row += 1;
            key.clear();
            if nkey == 0 {
                key.push_str(&row.to_string());
            }
            for (k, a) in key_cols.iter().enumerate() {
                if k > 0 {
                    key.push('|');
                }
                if !a.is_null(r) {
                    key.push_str(a.value(r).trim());
                }
            }
            // Fields the dataset lacks have no column in the query.
            let mut present = field_cols.iter();
            for (f, column) in fields.iter().enumerate() {
                values[f] = None;
                if column.is_some()
                    && let Some(a) = present.next()
                    && !a.is_null(r)
                {
                    values[f] = normalize::normalize(kinds[f], a.value(r));
                }
            }
            let mut present = extra_cols.iter();
            for (e, column) in extras.iter().enumerate() {
                extra[e] = None;
                if column.is_some()
                    && let Some(a) = present.next()
                    && !a.is_null(r)
                    && !a.value(r).trim().is_empty()
                {
                    extra[e] = Some(a.value(r).to_string());
                }
            }
            records.push(dataset, &key, &values, &extra)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn str_column_round_trips_missing_values() {
        let mut c = StrColumn::default();
        c.push(Some("ab")).unwrap();
        c.push(None).unwrap();
        c.push(Some("")).unwrap();
        c.push(Some("张伟")).unwrap();
        assert_eq!(
            (0..4).map(|i| c.get(i)).collect::<Vec<_>>(),
            vec![Some("ab"), None, Some(""), Some("张伟")]
        );
        let g = c.gather(&[3, 1, 0]).unwrap();
        assert_eq!(g.get(0), Some("张伟"));
        assert_eq!(g.get(1), None);
        assert_eq!(g.get(2), Some("ab"));
    }
}
