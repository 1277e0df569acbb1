//! steward: data governance and compliance auditing of customer data extracts.
//!
//! Data flows one way: source -> plan -> DataFusion -> metrics -> score -> report.

pub mod audit;
pub mod classify;
pub mod cluster;
pub mod compliance;
pub mod dedupe;
pub mod engine;
pub mod entry;
pub mod error;
#[doc(hidden)]
pub mod fuzz_targets;
pub mod interrupt;
pub mod notify;
pub mod report;
pub mod udf;

pub use error::{Error, Result};
pub mod mask;
pub mod output;
pub mod pipeline;
pub mod registry;
pub mod risk;
pub mod rules;
pub mod scan;
pub mod score;
pub mod source;
pub mod validate;

/// How a command ended, when it did not fail: `main` maps it to an exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Passed,
    /// Exit 1: the data did not meet the gate.
    GateFailed,
}
