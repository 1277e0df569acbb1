//! Masking of personal data.
//!
//! For now this holds the partial mask used for report samples; the `mask` command's
//! methods (tokenize, encrypt, ...) will live beside it, one file each.

pub mod partial;
