//! steward: data governance and compliance auditing of customer data extracts.
//!
//! Data flows one way: source -> plan -> DataFusion -> metrics -> score -> report.

pub mod udf;
