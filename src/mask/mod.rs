//! Masking of personal data: the methods (one file each), keys, the policy file and the
//! streaming `mask` / `unmask` pipelines.
//!
//! `partial` also masks report samples. The methods are pure functions over one value;
//! `pipeline` applies them to record batches read through DataFusion and writes CSV,
//! Parquet or NDJSON atomically with a sidecar manifest.

pub mod encrypt;
pub mod generalize;
mod hmac_sha256;
pub mod keys;
pub mod partial;
pub mod pipeline;
pub mod policy;
mod row_groups;
pub mod shift;
pub mod tokenize;
pub mod verify;
