//! Pure validators and normalisers of personal-data values.
//!
//! A leaf module: nothing here imports another steward module, DataFusion or any other
//! crate, reads files or keeps state. Each function takes a value and returns a verdict
//! or a normalised form, allocating nothing on its common path. Every part of steward
//! that judges such a value (SQL functions, rule formats, classification detectors,
//! dedupe, duplicate keys, masking) calls these functions, so a value is judged the same
//! way everywhere and there is one implementation to test.

pub mod phone;
