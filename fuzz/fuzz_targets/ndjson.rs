#![no_main]
//! Fuzz target `ndjson`: see `steward::fuzz_targets`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| steward::fuzz_targets::ingest(data, true));
