//! Pipelines that read data with several lower layers and write an output: above the
//! scan, below the commands. `mask`: classify an extract (one scan), then mask it batch
//! by batch (or row group by row group) and verify the output as it is written. `risk`:
//! classify an extract, then measure its re-identification risk.

pub mod mask;
pub mod risk;
