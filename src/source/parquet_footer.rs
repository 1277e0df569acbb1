//! A Parquet file's footer, checked before the parquet crate reads it.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// A Parquet file ends with its metadata length (4 bytes, little-endian) and `PAR1`, and
/// starts with `PAR1`. The parquet crate trusts the length (a hostile footer makes it
/// overflow or allocate the declared size), so it is checked against the file first.
pub(super) fn check_parquet_footer(path: &Path, len: u64) -> Result<()> {
    use std::io::{Seek, SeekFrom};
    if len < 12 {
        return Err(Error::data(
            path,
            format!(
                "{len} bytes is too short for a Parquet file; expected PAR1, data, metadata, length, PAR1"
            ),
        ));
    }
    let mut f =
        std::fs::File::open(path).map_err(|e| Error::data(path, format!("cannot read: {e}")))?;
    let mut head = [0u8; 4];
    let mut tail = [0u8; 8];
    f.read_exact(&mut head)
        .and_then(|_| f.seek(SeekFrom::End(-8)))
        .and_then(|_| f.read_exact(&mut tail))
        .map_err(|e| Error::data(path, format!("cannot read: {e}")))?;
    if &head != b"PAR1" {
        return Err(Error::data(
            path,
            "not a Parquet file: expected the magic bytes PAR1 at its start and end",
        ));
    }
    footer_fits(path, &tail, len)
}

/// The last 8 bytes of a Parquet file of `len` bytes: `PAR1` and a metadata length that
/// fits in the file.
pub(super) fn footer_fits(path: &Path, tail: &[u8], len: u64) -> Result<()> {
    if tail.len() != 8 || &tail[4..] != b"PAR1" {
        return Err(Error::data(
            path,
            "not a Parquet file: expected the magic bytes PAR1 at its start and end",
        ));
    }
    let declared = u64::from(u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]));
    if declared + 12 > len {
        return Err(Error::data(
            path,
            format!(
                "corrupt Parquet footer: it declares {declared} bytes of metadata in a file of {len} bytes"
            ),
        ));
    }
    Ok(())
}
