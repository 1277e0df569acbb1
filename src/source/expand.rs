//! `<DATA>` arguments (files, directories, globs, URLs) expanded into inputs, each named
//! as a dataset; two inputs of one name are refused.

use std::path::{Path, PathBuf};

#[cfg(feature = "postgres")]
use super::postgres;
use super::{Input, InputFormat, Remote, SourceOptions, remote};
use crate::error::{Error, Result};

/// Expand `<DATA>` arguments into inputs, each a dataset named by its file stem.
/// Directories contribute every supported file in them (sorted); globs every match.
pub fn expand(args: &[String], opts: &SourceOptions) -> Result<Vec<Input>> {
    let mut files = Vec::new();
    let mut urls = Vec::new();
    for arg in args {
        if remote::is_url(arg) {
            urls.push(url_input(arg, opts)?);
            continue;
        }
        let path = PathBuf::from(arg);
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(&path)
                .map_err(|e| Error::data(&path, format!("cannot read directory: {e}")))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && InputFormat::from_path(p).is_some())
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(Error::Usage(format!(
                    "{arg}: no .csv, .tsv, .parquet, .json, .ndjson or .jsonl files in this directory"
                )));
            }
            files.extend(found);
        } else if path.is_file() {
            files.push(path);
        } else if arg.contains(['*', '?', '[']) {
            let matches = glob::glob(arg)
                .map_err(|e| Error::Usage(format!("{arg}: bad glob pattern: {e}")))?;
            let mut found: Vec<PathBuf> = matches
                .filter_map(|m| m.ok())
                .filter(|p| p.is_file())
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(Error::Usage(format!("{arg}: the pattern matches no file")));
            }
            files.extend(found);
        } else {
            return Err(Error::Usage(format!("{arg}: no such file or directory")));
        }
    }
    let mut inputs: Vec<Input> = Vec::new();
    for path in files {
        let format = match opts.format.or_else(|| InputFormat::from_path(&path)) {
            Some(f) => f,
            None => {
                return Err(Error::Usage(format!(
                    "{}: unknown file type; expected .csv, .tsv, .parquet, .json, .ndjson or .jsonl (or pass --input-format)",
                    path.display()
                )));
            }
        };
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("data")
            .to_string();
        if let Some(other) = inputs.iter().find(|i| i.name == name) {
            return Err(Error::Usage(format!(
                "{} and {} would both be dataset '{name}'; scan them in separate runs or rename one",
                other.path.display(),
                path.display()
            )));
        }
        inputs.push(Input {
            path,
            name,
            format,
            remote: None,
        });
    }
    for input in urls {
        if let Some(other) = inputs.iter().find(|i| i.name == input.name) {
            return Err(Error::Usage(format!(
                "{} and {} would both be dataset '{}'; scan them in separate runs",
                other.path.display(),
                input.path.display(),
                input.name
            )));
        }
        inputs.push(input);
    }
    Ok(inputs)
}

#[cfg(feature = "postgres")]
fn table_dataset_name(table: &str) -> Option<String> {
    postgres::dataset_name(table)
}

#[cfg(not(feature = "postgres"))]
fn table_dataset_name(table: &str) -> Option<String> {
    // Unreachable in practice: `remote::parse` refuses postgres:// without the feature.
    table.rsplit('.').next().map(str::to_string)
}

/// A URL argument as an input: a database table or query (dataset named by the table,
/// or `query`), or an object / prefix (named by its last path segment's stem).
fn url_input(arg: &str, opts: &SourceOptions) -> Result<Input> {
    let (kind, url, parsed) = remote::parse(arg)?;
    let shown = url.redacted();
    let (name, format) = match kind {
        remote::Kind::Postgres => {
            let param = |key: &str| {
                parsed
                    .query_pairs()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| v.into_owned())
            };
            let name = match (param("table"), param("query")) {
                (Some(table), None) => table_dataset_name(&table).ok_or_else(|| {
                    Error::Usage(format!(
                        "{shown}: ?table= expects [schema.]name, optionally double-quoted"
                    ))
                })?,
                (None, Some(_)) => "query".to_string(),
                _ => {
                    return Err(Error::Usage(format!(
                        "{shown}: expected exactly one of ?table=[schema.]name or ?query=SELECT..."
                    )));
                }
            };
            (name, InputFormat::Postgres)
        }
        remote::Kind::Store => {
            let format = opts
                .format
                .or_else(|| InputFormat::from_path(Path::new(parsed.path())))
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "{shown}: cannot tell the format from the URL; expected a name ending in .csv, .tsv, .parquet, .json, .ndjson or .jsonl (or pass --input-format, which a prefix ending in / needs)"
                    ))
                })?;
            let name = remote::stem(&parsed).unwrap_or_else(|| "data".into());
            (name, format)
        }
    };
    Ok(Input {
        path: PathBuf::from(shown),
        name,
        format,
        remote: Some(Remote { kind, url }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_inputs_with_one_stem_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("c.csv"), "a\n1\n").unwrap();
        std::fs::write(dir.path().join("c.tsv"), "a\n1\n").unwrap();
        let err = expand(
            &[dir.path().display().to_string()],
            &SourceOptions::default(),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("would both be dataset 'c'"),
            "{err}"
        );
    }

    #[test]
    fn globs_and_directories_expand_sorted() {
        let dir = tempfile::tempdir().unwrap();
        for f in ["b.csv", "a.parquet", "notes.txt"] {
            std::fs::write(dir.path().join(f), "x").unwrap();
        }
        let inputs = expand(
            &[dir.path().display().to_string()],
            &SourceOptions::default(),
        )
        .unwrap();
        let names: Vec<_> = inputs.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        let pattern = format!("{}/*.csv", dir.path().display());
        let inputs = expand(&[pattern], &SourceOptions::default()).unwrap();
        assert_eq!(inputs.len(), 1);
    }
}
