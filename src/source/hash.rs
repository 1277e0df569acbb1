//! What an input holds, as a SHA-256 and a size: reports and the audit log name the
//! exact data a run read.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::{Input, remote, store};
use crate::error::{Error, Result};

/// SHA-256 and size of what an input holds: the file's bytes, or the objects' bytes in
/// path order. A database table has no bytes to hash (empty hash, size 0).
pub async fn fingerprint(input: &Input) -> Result<(String, u64)> {
    match &input.remote {
        None => {
            let path = input.path.clone();
            tokio::task::spawn_blocking(move || sha256_file(&path))
                .await
                .map_err(|_| Error::internal("hashing task failed"))?
        }
        Some(r) if r.kind == remote::Kind::Store => store::sha256(input).await,
        Some(_) => Ok((String::new(), 0)),
    }
}

/// SHA-256 and size of a file, streamed.
pub fn sha256_file(path: &Path) -> Result<(String, u64)> {
    let mut file =
        std::fs::File::open(path).map_err(|e| Error::data(path, format!("cannot read: {e}")))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| Error::data(path, format!("cannot read: {e}")))?;
        if n == 0 {
            break;
        }
        total += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((hex::encode(hasher.finalize()), total))
}
