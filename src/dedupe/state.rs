//! The linking state: what `steward dedupe --previous ids.csv` needs from the run that
//! wrote `ids.csv`, kept beside it as `ids.csv.steward-model`.
//!
//! It holds the comparison settings and the trained model (so a delta is scored by the
//! same weights, without retraining), every record's normalised compared values (so new
//! records are blocked and compared against the old ones without reading the old
//! extracts again), every record's unified ID with the run that created it, and the
//! matched pairs (so clusters the delta does not touch are rebuilt exactly), and the
//! golden-record columns as the sources wrote them (so a later golden record chooses
//! among old and new records).
//!
//! The compared values are personal data, so the state is encrypted: AES-256-GCM under
//! the run's key (`--key-file` or `STEWARD_KEY`, as for `mask`), written only when a key
//! is given. File layout, all integers little-endian:
//!
//! ```text
//! "STEWARD-LINK-STATE\n"  magic, 19 bytes
//! u32                     format version (FORMAT)
//! 16 ASCII hex digits     id of the key it is encrypted with
//! 12 bytes                nonce
//! rest                    AES-256-GCM(postcard(State)) with tag; the 39 bytes before
//!                         the nonce are the associated data
//! ```
//!
//! A state of another format version, another key, or one that fails the GCM tag is
//! refused with a clear error (exit 2); nothing is guessed.

use std::path::{Path, PathBuf};

use aes_gcm::Nonce;
use aes_gcm::aead::rand_core::RngCore;
use aes_gcm::aead::{Aead, OsRng, Payload};
use serde::{Deserialize, Serialize};

use super::model::Model;
use super::records::{Records, StrColumn};
use crate::error::{Error, Result};
use crate::mask::keys::Key;

const MAGIC: &[u8; 19] = b"STEWARD-LINK-STATE\n";
/// The state format this steward writes and reads.
pub const FORMAT: u32 = 1;
const HEADER: usize = 19 + 4 + 16;

/// Where the state of a clusters file lives.
pub fn path_beside(clusters: &Path) -> PathBuf {
    let mut name = clusters.as_os_str().to_os_string();
    name.push(".steward-model");
    PathBuf::from(name)
}

/// The comparison settings a state was written with, as text, so a changed rule file
/// is noticed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanText {
    pub fields: Vec<String>,
    pub kinds: Vec<String>,
    pub term_frequency: Vec<bool>,
    pub blocking: Vec<String>,
    pub threshold: f64,
    pub mode: String,
    pub max_block: usize,
}

impl PlanText {
    /// What differs from `other`, in words (empty when nothing does).
    pub fn differences(&self, other: &PlanText) -> Vec<String> {
        let mut out = Vec::new();
        let mut diff = |what: &str, a: String, b: String| {
            if a != b {
                out.push(format!("{what}: {a} then, {b} now"));
            }
        };
        diff("fields", self.fields.join(", "), other.fields.join(", "));
        diff("kinds", self.kinds.join(", "), other.kinds.join(", "));
        diff(
            "term frequencies",
            format!("{:?}", self.term_frequency),
            format!("{:?}", other.term_frequency),
        );
        diff(
            "blocking",
            self.blocking.join("; "),
            other.blocking.join("; "),
        );
        diff(
            "threshold",
            self.threshold.to_string(),
            other.threshold.to_string(),
        );
        diff("mode", self.mode.clone(), other.mode.clone());
        diff(
            "max_block",
            self.max_block.to_string(),
            other.max_block.to_string(),
        );
        out
    }
}

/// Everything a later run needs (see the module docs).
#[derive(Debug, Serialize, Deserialize)]
pub struct State {
    pub steward_version: String,
    /// Runs that built this state, this one included (the first run is 1).
    pub runs: u32,
    pub plan: PlanText,
    pub model: Model,
    pub datasets: Vec<String>,
    /// Per record (canonical order): dataset index, key, normalised values per field.
    pub dataset: Vec<u16>,
    pub keys: StrColumn,
    pub norm: Vec<StrColumn>,
    /// Per record: index into `ids`.
    pub id_of: Vec<u32>,
    /// The unified IDs in use, and the run that created each.
    pub ids: Vec<(String, u32)>,
    /// Matched pairs: record indices (i < j) and match probability.
    pub edges: Vec<(u32, u32, f64)>,
    /// Names of the extra columns (golden-record values and timestamps, as
    /// `value:<field>` and `by:<column>`) and, per record, their text as written.
    pub extra_names: Vec<String>,
    pub extra: Vec<StrColumn>,
}

impl State {
    pub fn len(&self) -> usize {
        self.dataset.len()
    }

    pub fn is_empty(&self) -> bool {
        self.dataset.is_empty()
    }

    pub fn key(&self, i: usize) -> &str {
        self.keys.get(i).unwrap_or("")
    }

    pub fn dataset_name(&self, i: usize) -> &str {
        &self.datasets[self.dataset[i] as usize]
    }

    pub fn unified_id(&self, i: usize) -> &str {
        &self.ids[self.id_of[i] as usize].0
    }

    /// For each of `names`, the index of the state's extra column of that name.
    pub fn extra_map(&self, names: &[String]) -> Vec<Option<usize>> {
        names
            .iter()
            .map(|n| self.extra_names.iter().position(|x| x == n))
            .collect()
    }

    /// Record `i`'s extra columns in the order `map` (from [`State::extra_map`]) gives.
    pub fn extras(&self, i: usize, map: &[Option<usize>]) -> Vec<Option<&str>> {
        map.iter()
            .map(|e| e.and_then(|e| self.extra[e].get(i)))
            .collect()
    }

    /// Record `i` as a row of `records` (which must compare the same fields), with
    /// these extra columns.
    pub fn push_into(
        &self,
        i: usize,
        records: &mut Records,
        extras: &[Option<&str>],
    ) -> Result<()> {
        let d = records.dataset_index(self.dataset_name(i))?;
        let values: Vec<Option<&str>> = self.norm.iter().map(|c| c.get(i)).collect();
        records.push_normalised(d, self.key(i), &values, extras)
    }

    /// Whether every index and offset is in range (after decryption, so only a state
    /// written by a faulty steward could fail this).
    fn is_consistent(&self) -> bool {
        let n = self.dataset.len();
        self.keys.len() == n
            && self.keys.is_well_formed()
            && self.norm.len() == self.plan.fields.len()
            && self.model.fields.len() == self.plan.fields.len()
            && self.norm.iter().all(|c| c.len() == n && c.is_well_formed())
            && self.extra.len() == self.extra_names.len()
            && self
                .extra
                .iter()
                .all(|c| c.len() == n && c.is_well_formed())
            && self.id_of.len() == n
            && self.id_of.iter().all(|&x| (x as usize) < self.ids.len())
            && self
                .dataset
                .iter()
                .all(|&d| (d as usize) < self.datasets.len())
            && self
                .edges
                .iter()
                .all(|&(i, j, _)| i < j && (j as usize) < n)
    }
}

fn header(key: &Key) -> Vec<u8> {
    let mut h = Vec::with_capacity(HEADER);
    h.extend_from_slice(MAGIC);
    h.extend_from_slice(&FORMAT.to_le_bytes());
    h.extend_from_slice(key.id().as_bytes());
    h
}

/// Encrypt and write `state` to `path` (temporary file, then rename).
pub fn write(path: &Path, state: &State, key: &Key) -> Result<()> {
    let plain = zeroize::Zeroizing::new(
        postcard::to_stdvec(state).map_err(|e| Error::internal(format!("linking state: {e}")))?,
    );
    let mut nonce = [0u8; 12];
    OsRng.fill_bytes(&mut nonce);
    let aad = header(key);
    let sealed = key
        .aes()
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &plain,
                aad: &aad,
            },
        )
        .map_err(|_| Error::internal("linking state: AES-GCM encryption failed"))?;
    let mut bytes = aad;
    bytes.extend_from_slice(&nonce);
    bytes.extend_from_slice(&sealed);
    crate::output::write_atomic(path, &bytes)
}

fn refuse(path: &Path, message: String) -> Error {
    Error::Data {
        path: path.to_path_buf(),
        line: None,
        column: None,
        message,
    }
}

/// Read and decrypt the state at `path`.
pub fn read(path: &Path, key: &Key) -> Result<State> {
    let bytes = std::fs::read(path).map_err(|e| {
        refuse(
            path,
            match e.kind() {
                std::io::ErrorKind::NotFound => "no linking state here: --previous needs the \
                    state a dedupe run writes beside its --clusters file when a key is given \
                    (--key-file or STEWARD_KEY)"
                    .to_string(),
                _ => format!("cannot read the linking state: {e}"),
            },
        )
    })?;
    if bytes.len() < HEADER + 12 + 16 || &bytes[..19] != MAGIC {
        return Err(refuse(
            path,
            "not a steward linking state (expected the file a dedupe run writes beside its \
             --clusters file)"
                .into(),
        ));
    }
    let format = u32::from_le_bytes([bytes[19], bytes[20], bytes[21], bytes[22]]);
    if format != FORMAT {
        return Err(refuse(
            path,
            format!(
                "linking state format {format}; this steward ({}) reads format {FORMAT}. \
                 Link with the steward that wrote it, or rebuild the state with a full run \
                 (unified IDs are then derived anew)",
                env!("CARGO_PKG_VERSION")
            ),
        ));
    }
    let written_with = String::from_utf8_lossy(&bytes[23..HEADER]).into_owned();
    if written_with != key.id() {
        return Err(Error::Key(format!(
            "{}: the linking state is encrypted with key {written_with}, not with the given key {}",
            path.display(),
            key.id()
        )));
    }
    let nonce = &bytes[HEADER..HEADER + 12];
    let plain = zeroize::Zeroizing::new(
        key.aes()
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: &bytes[HEADER + 12..],
                    aad: &bytes[..HEADER],
                },
            )
            .map_err(|_| {
                refuse(
                    path,
                    "the linking state fails its integrity check (AES-GCM tag): the file was \
                     changed or truncated after it was written"
                        .into(),
                )
            })?,
    );
    let state: State = postcard::from_bytes(&plain).map_err(|e| {
        refuse(
            path,
            format!(
                "the linking state cannot be decoded ({e}); it was not written by this steward"
            ),
        )
    })?;
    if !state.is_consistent() {
        return Err(refuse(
            path,
            "the linking state is inconsistent (indices out of range); rebuild it with a full run"
                .into(),
        ));
    }
    Ok(state)
}
