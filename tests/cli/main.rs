//! Integration tests: the real `steward` binary on `fixtures/`, in a temp dir with a
//! cleared environment. Each test asserts exit code, stdout and stderr of one run.

/// Snapshot a [`Run`] as one text, its exit code, stdout and stderr (see
/// [`Run::transcript`]), under [`CliTest::settings`]'s filters. A macro so that the
/// snapshot is named after the calling module: `snapshots/cli__<module>__<name>.snap`.
macro_rules! assert_run_snapshot {
    ($t:expr, $name:expr, $run:expr) => {{
        let run: &$crate::Run = &$run;
        let mut settings = $t.settings();
        settings.set_description(format!("steward {}", run.args.join(" ")));
        settings.set_omit_expression(true);
        let text = run.transcript();
        settings.bind(|| insta::assert_snapshot!($name, text));
    }};
}

mod audit;
mod classify;
mod cluster;
mod contract;
mod dedupe;
mod extracts;
mod golden;
mod history;
mod hostile;
mod limits;
mod linking;
mod mask;
mod notify;
mod personal;
mod phone;
#[cfg(feature = "postgres")]
mod postgres;
mod report;
mod report_zh;
mod risk;
mod rules_cmd;
mod scan;
mod snapshots_cmd;
mod sources;

use std::path::{Path, PathBuf};
use std::process::Output;

/// A temp dir holding copies of `fixtures/` and `rules/`, where `steward` runs.
pub struct CliTest {
    dir: tempfile::TempDir,
}

pub struct Run {
    /// The arguments after `steward` (never a key: keys come from files or the env).
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Default for CliTest {
    fn default() -> Self {
        Self::new()
    }
}

impl CliTest {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for sub in ["fixtures", "rules"] {
            copy_dir(&root.join(sub), &dir.path().join(sub));
        }
        CliTest { dir }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.path(rel), text).unwrap();
    }

    /// The rows of a CSV file with a header, each as header -> value.
    pub fn csv_rows(&self, rel: &str) -> Vec<std::collections::BTreeMap<String, String>> {
        let mut r = csv::Reader::from_path(self.path(rel)).unwrap();
        let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        r.records()
            .map(|x| {
                h.iter()
                    .cloned()
                    .zip(x.unwrap().iter().map(String::from))
                    .collect()
            })
            .collect()
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let Output {
            status,
            stdout,
            stderr,
        } = assert_cmd::Command::cargo_bin("steward")
            .unwrap()
            .current_dir(self.dir.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(env.iter().copied())
            .args(args)
            .output()
            .unwrap();
        Run {
            args: args.iter().map(|a| a.to_string()).collect(),
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8(stdout).unwrap(),
            stderr: String::from_utf8(stderr).unwrap(),
        }
    }
}

impl Run {
    /// `exit: N`, then stdout and stderr verbatim, each after a `--- ` line. A stream that
    /// does not end with a line break gets a `[no newline at end]` line, and `--- end`
    /// closes the text (insta trims trailing line breaks), so the text is exact.
    pub fn transcript(&self) -> String {
        let mut out = format!("exit: {}\n", self.code);
        for (name, text) in [("stdout", &self.stdout), ("stderr", &self.stderr)] {
            out.push_str(&format!("--- {name}\n{text}"));
            if !text.is_empty() && !text.ends_with('\n') {
                out.push_str("\n[no newline at end]\n");
            }
        }
        out.push_str("--- end\n");
        out
    }
}

impl CliTest {
    /// insta settings for snapshots of this test's runs: filters for what varies from run
    /// to run and nothing else. The temp dir's path; RFC 3339 times (`started_at`, the
    /// HTML report's "generated"); durations (`duration_ms`, `133 ms`); the crate version
    /// where steward names itself (`steward 0.1.0`, `"version": "0.1.0"`), not the
    /// `since` column of `rules list`.
    pub fn settings(&self) -> insta::Settings {
        let mut s = insta::Settings::clone_current();
        let dir = self.dir.path();
        let mut paths = vec![dir.to_path_buf()];
        if let Ok(canonical) = dir.canonicalize() {
            paths.push(canonical);
        }
        for p in paths {
            s.add_filter(&regex::escape(&p.display().to_string()), "[tmp]");
        }
        s.add_filter(
            r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})",
            "[time]",
        );
        s.add_filter(r#""duration_ms": \d+"#, r#""duration_ms": "[ms]""#);
        s.add_filter(r"\b\d+ ms\b", "[ms]");
        s.add_filter(
            &format!(
                r#"(steward |"version": "){}\b"#,
                regex::escape(env!("CARGO_PKG_VERSION"))
            ),
            "${1}[version]",
        );
        s
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Values (2+ characters) of the sensitive columns of `fixtures/customers.csv`: none may
/// appear in any report, log or snapshot.
pub fn sensitive_values(t: &CliTest) -> Vec<String> {
    let csv = std::fs::read_to_string(t.path("fixtures/customers.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    let sensitive = [
        "name",
        "id_number",
        "mobile",
        "email",
        "address",
        "birth_date",
    ];
    let mut values = Vec::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        for (h, v) in headers.iter().zip(rec.iter()) {
            let v = v.trim();
            if sensitive.contains(&h) && v.chars().count() >= 2 {
                values.push(v.to_string());
            }
        }
    }
    values
}

/// Fail when any of `values` occurs in any of `outputs` (without printing the value).
pub fn assert_no_raw_values(values: &[String], outputs: &[String]) {
    for (i, out) in outputs.iter().enumerate() {
        for v in values {
            assert!(
                !out.contains(v.as_str()),
                "raw value of a sensitive column found in output #{i}"
            );
        }
    }
}
