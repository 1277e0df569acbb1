//! The one error type of the library.
//!
//! Variants are sorted by who must act: the user (rule file, data, key, usage) or
//! nobody because it is a bug (`Internal`). Only `main.rs` maps them to exit codes, and
//! it matches variants, never message text. Messages never carry a cell value: they name
//! the file, row and column instead.

use std::fmt;
use std::path::PathBuf;

/// A position in a rule file (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Origin {
    pub path: PathBuf,
    pub line: u64,
    pub col: u64,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path.display(), self.line, self.col)
    }
}

/// One problem in a rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDiagnostic {
    pub origin: Origin,
    /// What is wrong; what was expected.
    pub message: String,
    /// A hint such as `did you mean 'cn_mobile'?`.
    pub help: Option<String>,
}

impl fmt::Display for RuleDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.origin, self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Every error steward reports.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// One or more problems in rule files, all gathered before failing.
    #[error("{}", join_diagnostics(.0))]
    RuleFile(Vec<RuleDiagnostic>),
    /// Input data that cannot be read as promised.
    #[error("{path}{}: {message}", location(.line, .column))]
    Data {
        path: PathBuf,
        /// 1-based line of the file (the header is line 1), when known.
        line: Option<u64>,
        column: Option<String>,
        message: String,
    },
    /// A key that is missing, malformed or not the one the data was written with.
    #[error("key: {0}")]
    Key(String),
    /// Command-line or configuration misuse.
    #[error("{0}")]
    Usage(String),
    /// A resource limit the user set (`--memory-limit`, `--timeout`) was reached.
    #[error("{0}")]
    Limit(String),
    /// The run was stopped by SIGINT or SIGTERM; no output was left behind.
    #[error("interrupted by {0}; no output was written")]
    Interrupted(&'static str),
    /// Writing an output failed (disk full, permissions).
    #[error("{path}: cannot write: {source}")]
    Output {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A bug in steward.
    #[error("internal error: {0}\nThis is a bug in steward; please report it.")]
    Internal(String),
}

fn join_diagnostics(diags: &[RuleDiagnostic]) -> String {
    let mut out = String::new();
    for (i, d) in diags.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&d.to_string());
    }
    out
}

fn location(line: &Option<u64>, column: &Option<String>) -> String {
    let mut s = String::new();
    if let Some(line) = line {
        s.push_str(&format!(":{line}"));
    }
    if let Some(column) = column {
        s.push_str(&format!(" (column '{column}')"));
    }
    s
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn data(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Data {
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    pub(crate) fn internal(message: impl fmt::Display) -> Self {
        Error::Internal(message.to_string())
    }
}

/// Suggest the closest of `candidates` to a misspelt `name`, if any is close enough.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&name.to_lowercase(), &c.to_lowercase());
        if score > 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| format!("did you mean '{c}'?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["cn_mobile", "cn_resident_id", "email"];
        assert_eq!(
            did_you_mean("cn_mobil", names).as_deref(),
            Some("did you mean 'cn_mobile'?")
        );
        assert_eq!(did_you_mean("zzz", names), None);
    }

    #[test]
    fn data_error_names_file_line_and_column() {
        let e = Error::Data {
            path: "a.csv".into(),
            line: Some(5),
            column: Some("mobile".into()),
            message: "expected 10 fields, found 11".into(),
        };
        assert_eq!(
            e.to_string(),
            "a.csv:5 (column 'mobile'): expected 10 fields, found 11"
        );
    }
}
