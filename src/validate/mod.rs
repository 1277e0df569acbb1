//! Pure validators and normalisers of personal-data values.
//!
//! A leaf module: nothing here imports another steward module or DataFusion, reads
//! files or keeps state (dates are `chrono`'s). Each function takes a value and returns a verdict
//! or a normalised form, allocating nothing on its common path. Every part of steward
//! that judges such a value (SQL functions, rule formats, classification detectors,
//! dedupe, duplicate keys, masking) calls these functions, so a value is judged the same
//! way everywhere and there is one implementation to test.

pub mod cn_resident_id;
pub mod cn_uscc;
pub mod date;
pub mod email;
pub mod luhn;
pub mod phone;
pub mod text;
