//! The hash-chained audit log: one JSON line per command run, appended, never rewritten.
//!
//! Each line carries its sequence number (`seq`, from 1), `prev` = SHA-256 of the
//! previous line's bytes (64 zeros for the first line) and, last, `hash` = SHA-256 of
//! the line as written up to that field (with `}` closing it). [`verify`] therefore finds an
//! edited line (its hash, or the next line's `prev`), a removed or reordered line (the
//! sequence numbers) and a line cut short (not JSON). Removing lines at the end leaves
//! a valid shorter chain: compare the `head` that `steward audit verify` prints with a
//! copy kept elsewhere. The chain shows tampering; it cannot stop someone who rewrites
//! the whole file, which needs the file to be kept where operators cannot write.
//!
//! Lines hold who, what, when, input digests, the outcome, scores and key ids, never a
//! key or a data value: arguments are the command line, and keys are never arguments.

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One input file of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputDigest {
    pub path: String,
    pub sha256: String,
}

/// What the CLI records about one run; [`append`] adds the chain fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub command: String,
    /// The command line after the program name.
    pub args: Vec<String>,
    pub inputs: Vec<InputDigest>,
    /// `passed`, `gate_failed`, `usage_error`, `internal_error`.
    pub outcome: String,
    pub exit_code: u8,
    /// Overall score per dataset, for commands that score.
    pub scores: BTreeMap<String, Option<f64>>,
    /// Ids of the keys used (first 16 hex digits of their SHA-256), never the keys.
    pub key_ids: Vec<String>,
    /// Input files to digest when the run ends without a report that names its inputs
    /// (a failed run, a command without a scan report).
    #[serde(skip)]
    pub pending_inputs: Vec<PathBuf>,
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: u64,
    pub prev: String,
    /// RFC 3339 UTC.
    pub time: String,
    /// From `USER` or `USERNAME`.
    pub user: String,
    #[serde(flatten)]
    pub event: Event,
    pub hash: String,
}

/// The user a run is recorded for.
pub fn current_user() -> String {
    ["USER", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|u| !u.trim().is_empty()))
        .unwrap_or_else(|| "unknown".into())
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The line for an entry: the JSON of everything but `hash`, then `hash` over that.
fn line_for(seq: u64, prev: String, time: String, user: String, event: Event) -> Result<String> {
    #[derive(Serialize)]
    struct Unsealed {
        seq: u64,
        prev: String,
        time: String,
        user: String,
        #[serde(flatten)]
        event: Event,
    }
    let body = serde_json::to_string(&Unsealed {
        seq,
        prev,
        time,
        user,
        event,
    })
    .map_err(Error::internal)?;
    let hash = sha256_hex(body.as_bytes());
    Ok(format!(
        "{},\"hash\":\"{hash}\"}}",
        body.strip_suffix('}').unwrap_or(&body)
    ))
}

/// The hash a line should carry: SHA-256 of its text before `,"hash":"…"` plus `}`.
fn expected_hash(line: &str) -> Option<String> {
    let at = line.rfind(",\"hash\":\"")?;
    let mut body = line[..at].to_string();
    body.push('}');
    Some(sha256_hex(body.as_bytes()))
}

fn log_error(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Output {
        path: path.to_path_buf(),
        source,
    }
}

/// Append one entry for `event`, chained to the log's last line. The file is locked
/// while the last line is read and the new one written, so concurrent runs interleave
/// whole lines.
pub fn append(path: &Path, event: Event) -> Result<Entry> {
    let fail = log_error(path);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(&fail)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
        .map_err(&fail)?;
    file.lock().map_err(&fail)?;
    let (last, ends_with_newline) = last_line(&mut file).map_err(&fail)?;
    let last = match last {
        Some(bytes) => Some(String::from_utf8(bytes).map_err(|_| {
            Error::data(
                path,
                "the audit log is not UTF-8; run `steward audit verify`",
            )
        })?),
        None => None,
    };
    let (seq, prev) = match &last {
        None => (1, GENESIS.to_string()),
        Some(line) => {
            let seq = serde_json::from_str::<serde_json::Value>(line)
                .ok()
                .and_then(|v| v["seq"].as_u64())
                .ok_or_else(|| {
                    Error::data(
                        path,
                        "the last line of the audit log is not an entry; run `steward audit verify`",
                    )
                })?;
            (seq + 1, sha256_hex(line.as_bytes()))
        }
    };
    let time = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let user = current_user();
    let line = line_for(seq, prev, time, user, event)?;
    let mut out = String::new();
    if last.is_some() && !ends_with_newline {
        out.push('\n');
    }
    out.push_str(&line);
    out.push('\n');
    file.write_all(out.as_bytes()).map_err(&fail)?;
    file.sync_all().map_err(&fail)?;
    serde_json::from_str(&line).map_err(Error::internal)
}

/// The last non-empty line of the file, read backwards in growing chunks so that an
/// append costs the same however long the log is; and whether the file ends with `\n`.
fn last_line(file: &mut std::fs::File) -> std::io::Result<(Option<Vec<u8>>, bool)> {
    let len = file.seek(SeekFrom::End(0))?;
    let mut chunk = 64 * 1024u64;
    loop {
        let start = len.saturating_sub(chunk);
        file.seek(SeekFrom::Start(start))?;
        let mut buf = Vec::with_capacity((len - start) as usize);
        file.take(len - start).read_to_end(&mut buf)?;
        let ends_with_newline = buf.last() == Some(&b'\n');
        let trimmed = buf.trim_ascii_end();
        match trimmed.iter().rposition(|b| *b == b'\n') {
            Some(i) => return Ok((Some(trimmed[i + 1..].to_vec()), ends_with_newline)),
            None if start == 0 => {
                let line = (!trimmed.is_empty()).then(|| trimmed.to_vec());
                return Ok((line, ends_with_newline));
            }
            None => chunk *= 4,
        }
    }
}

/// The result of checking a log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Lines that verified, up to the first bad one.
    pub entries: u64,
    /// SHA-256 of the last good line (the genesis hash for an empty log).
    pub head: String,
    /// The first line that fails, and why.
    pub first_bad: Option<(u64, String)>,
}

impl Verification {
    pub fn intact(&self) -> bool {
        self.first_bad.is_none()
    }
}

/// Check every line of the log at `path`.
pub fn verify(path: &Path) -> Result<Verification> {
    let bytes = std::fs::read(path).map_err(|e| {
        Error::Usage(format!(
            "{}: cannot read the audit log: {e}",
            path.display()
        ))
    })?;
    Ok(verify_bytes(&bytes))
}

pub(crate) fn verify_bytes(bytes: &[u8]) -> Verification {
    let mut v = Verification {
        entries: 0,
        head: GENESIS.to_string(),
        first_bad: None,
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64
                + 1;
            v.first_bad = Some((line, "not UTF-8 (edited)".into()));
            return v;
        }
    };
    let mut lines: Vec<&str> = text.split('\n').collect();
    let complete = text.is_empty() || text.ends_with('\n');
    if complete {
        lines.pop();
    }
    let count = lines.len();
    for (i, line) in lines.into_iter().enumerate() {
        let n = i as u64 + 1;
        let bad = |why: &str| Some((n, why.to_string()));
        let problem = match serde_json::from_str::<Entry>(line) {
            _ if !complete && i + 1 == count => bad("cut short: no end of line (truncated)"),
            Err(_) => bad("not a valid audit entry (edited or truncated)"),
            Ok(e) if e.seq != n => Some((
                n,
                format!(
                    "sequence number {} where {n} was expected (a line was removed or reordered)",
                    e.seq
                ),
            )),
            Ok(e) if e.prev != v.head => bad(if n == 1 {
                "prev is not the genesis hash (lines before it were removed)"
            } else {
                "prev does not match the SHA-256 of the line before (that line was edited)"
            }),
            Ok(e) if expected_hash(line).as_deref() != Some(e.hash.as_str()) => {
                bad("content does not match its hash (edited)")
            }
            Ok(_) => None,
        };
        if problem.is_some() {
            v.first_bad = problem;
            return v;
        }
        v.entries = n;
        v.head = sha256_hex(line.as_bytes());
    }
    v
}

/// Where the log goes: `--audit-log FILE`, else `STEWARD_AUDIT_LOG`, else
/// `.steward/audit.jsonl` in the current directory; `None` with `--no-audit`.
pub fn resolve_path(flag: Option<PathBuf>, disabled: bool) -> Option<PathBuf> {
    if disabled {
        return None;
    }
    flag.or_else(|| {
        std::env::var_os("STEWARD_AUDIT_LOG")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })
    .or_else(|| Some(PathBuf::from(".steward/audit.jsonl")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(n: u8) -> Event {
        Event {
            command: "scan".into(),
            args: vec!["scan".into(), format!("f{n}.csv")],
            outcome: "passed".into(),
            scores: BTreeMap::from([("customers".to_string(), Some(98.01))]),
            ..Default::default()
        }
    }

    fn log_of(n: u8) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("audit.jsonl");
        for i in 0..n {
            let e = append(&path, event(i)).unwrap();
            assert_eq!(e.seq, i as u64 + 1);
        }
        (dir, path)
    }

    #[test]
    fn an_appended_log_verifies_and_chains() {
        let (_d, path) = log_of(3);
        let v = verify(&path).unwrap();
        assert!(v.intact(), "{v:?}");
        assert_eq!(v.entries, 3);
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let first: Entry = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(first.prev, GENESIS);
        let second: Entry = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(second.prev, sha256_hex(lines[0].as_bytes()));
        assert_eq!(v.head, sha256_hex(lines[2].as_bytes()));
    }

    #[test]
    fn tampering_names_the_first_bad_line() {
        let (_d, path) = log_of(4);
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let join = |ls: Vec<&str>| ls.join("\n") + "\n";
        let edited_last = lines[3].replace("f3.csv", "f9.csv");
        let edited_2 = lines[1].replace("98.01", "99.5");
        for (name, bytes, line) in [
            (
                "edit",
                join(vec![lines[0], &edited_2, lines[2], lines[3]]),
                2,
            ),
            (
                "edit last",
                join(vec![lines[0], lines[1], lines[2], &edited_last]),
                4,
            ),
            ("delete", join(vec![lines[0], lines[2], lines[3]]), 2),
            ("delete first", join(vec![lines[1], lines[2], lines[3]]), 1),
            (
                "reorder",
                join(vec![lines[0], lines[2], lines[1], lines[3]]),
                2,
            ),
            ("truncate", text[..text.len() - 20].to_string(), 4),
        ] {
            let v = verify_bytes(bytes.as_bytes());
            assert_eq!(
                v.first_bad.as_ref().map(|b| b.0),
                Some(line),
                "{name}: {v:?}"
            );
        }
        assert!(verify_bytes(b"").intact());
    }

    #[test]
    fn the_path_comes_from_the_flag_then_the_default() {
        assert_eq!(resolve_path(None, true), None);
        assert_eq!(
            resolve_path(Some("a.jsonl".into()), false),
            Some(PathBuf::from("a.jsonl"))
        );
    }
}
