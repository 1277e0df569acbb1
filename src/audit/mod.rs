//! The audit trail: a hash-chained JSON-lines log of every run (`log`) and the run
//! history of scores as Parquet files (`history`).
//!
//! The CLI calls [`record`] once after a command finishes, whatever its outcome, so a
//! new command needs one call. Nothing here stores a key or a data value.

pub mod history;
pub mod log;

use std::path::{Path, PathBuf};

pub use log::{Event, InputDigest};

use crate::error::Result;
use crate::report::Report;

impl Event {
    /// An entry for `command` run with `args`; URL arguments are kept redacted (a
    /// `postgres://user:password@...` never reaches the log).
    pub fn new(command: &str, args: Vec<String>) -> Self {
        // A webhook's token sits in its path or query: only the host is kept.
        let mut after_notify = false;
        let args = args
            .into_iter()
            .map(|a| {
                let notify_url = std::mem::replace(&mut after_notify, a == "--notify");
                if notify_url {
                    crate::notify::shown(&a)
                } else if let Some(url) = a.strip_prefix("--notify=") {
                    format!("--notify={}", crate::notify::shown(url))
                } else if a.contains("://") {
                    crate::source::remote::redact(&a)
                } else {
                    a
                }
            })
            .collect();
        Event {
            command: command.into(),
            args,
            ..Default::default()
        }
    }

    /// Inputs and overall scores of a scan report.
    pub fn with_report(&mut self, report: &Report) {
        self.inputs = report
            .run
            .inputs
            .iter()
            .map(|i| InputDigest {
                path: i.path.clone(),
                sha256: i.sha256.clone(),
            })
            .collect();
        self.scores = report
            .datasets
            .iter()
            .map(|d| (d.name.clone(), d.scores.overall))
            .collect();
    }

    /// The command's data arguments: the files among them are digested when the run
    /// ends, unless a scan report has named the inputs by then.
    pub fn with_data(&mut self, data: &[String]) {
        self.pending_inputs = data.iter().map(PathBuf::from).collect();
    }

    /// Digest input files that exist now.
    pub fn with_files(&mut self, paths: &[&Path]) {
        for p in paths.iter().filter(|p| p.is_file()) {
            if let Ok((sha256, _)) = crate::source::sha256_file(p) {
                self.inputs.push(InputDigest {
                    path: p.display().to_string(),
                    sha256,
                });
            }
        }
    }

    /// Set the outcome from the exit code `main` chose, and digest the pending inputs
    /// when nothing named the inputs.
    pub fn finish(&mut self, exit_code: u8) {
        if self.inputs.is_empty() {
            let pending = std::mem::take(&mut self.pending_inputs);
            let paths: Vec<&Path> = pending.iter().map(PathBuf::as_path).collect();
            self.with_files(&paths);
        }
        self.exit_code = exit_code;
        self.outcome = match exit_code {
            0 => "passed",
            1 => "gate_failed",
            2 => "usage_error",
            _ => "internal_error",
        }
        .into();
    }
}

/// Append `event` to the log at `path` (`None`: auditing is off).
pub fn record(path: Option<&PathBuf>, event: Event) -> Result<()> {
    if let Some(path) = path {
        log::append(path, event)?;
    }
    Ok(())
}

/// The ids of the keys in these files, or of `STEWARD_KEY` when there are none; keys
/// that do not load are left out (the command itself reports them).
pub fn key_ids(key_files: &[PathBuf]) -> Vec<String> {
    let load = |p: Option<&Path>| {
        crate::mask::keys::Key::load(p)
            .ok()
            .map(|k| k.id().to_string())
    };
    if key_files.is_empty() {
        load(None).into_iter().collect()
    } else {
        key_files.iter().filter_map(|p| load(Some(p))).collect()
    }
}
