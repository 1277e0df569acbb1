//! Writing output files atomically: a temporary file beside the target, then a rename.
//!
//! A failed or interrupted run therefore leaves either the previous file or nothing,
//! never a partial report.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

fn output_error(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Output {
        path: path.to_path_buf(),
        source,
    }
}

/// A failed write of `path` reported by a writer (Arrow, Parquet) rather than by
/// `std::io` directly: still the user's disk or permissions, so an output error.
pub fn write_failed(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// An empty temporary file beside `path` (same directory, so the final rename cannot
/// cross file systems), removed when dropped unless [`persist`] moves it into place.
pub fn temp_beside(path: &Path) -> Result<tempfile::NamedTempFile> {
    let fail = output_error(path);
    if path.is_dir() {
        return Err(fail(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "is a directory; expected a file name",
        )));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    tempfile::Builder::new()
        .prefix(".steward-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(fail)
}

/// Flush a file made by [`temp_beside`] to disk and rename it to `path`. Once SIGINT or
/// SIGTERM has arrived nothing is renamed into place (the temporary file is dropped and
/// the run ends as interrupted): a command's synchronous tail, after its last await,
/// cannot commit an output the run then reports as interrupted.
pub fn persist(mut tmp: tempfile::NamedTempFile, path: &Path) -> Result<()> {
    crate::interrupt::check()?;
    let fail = output_error(path);
    tmp.flush().map_err(&fail)?;
    tmp.as_file().sync_all().map_err(&fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Write `bytes` to `path` atomically. The temporary file is removed on any failure.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut tmp = temp_beside(path)?;
    tmp.write_all(bytes).map_err(output_error(path))?;
    persist(tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_missing_directory_is_an_output_error_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope").join("r.json");
        assert!(matches!(
            write_atomic(&path, b"x"),
            Err(Error::Output { .. })
        ));
        assert!(!path.exists());
    }
}
