//! steward: data governance and compliance auditing of customer data extracts.
//!
//! Data flows one way: source -> plan -> DataFusion -> metrics -> score -> report.

pub mod error;
pub mod report;
pub mod udf;

pub use error::{Error, Result};
