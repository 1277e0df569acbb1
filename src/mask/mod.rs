//! Masking of personal data: the methods (one file each), keys and the policy file.
//!
//! `partial` also masks report samples. The methods are pure functions over one value;
//! `pipeline::mask` (above the scan, which it uses to classify the input) applies them
//! to record batches read through DataFusion and writes CSV, Parquet or NDJSON
//! atomically with a sidecar manifest.

pub mod encrypt;
pub mod generalize;
mod hmac_sha256;
pub mod keys;
pub mod partial;
pub mod policy;
pub mod shift;
pub mod tokenize;
