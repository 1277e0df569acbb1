//! The report model and its renderers (table, json, markdown, junit).
//!
//! Renderers only read the model; they never query data.

pub mod model;

pub use model::*;
