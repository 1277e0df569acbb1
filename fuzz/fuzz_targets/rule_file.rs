#![no_main]
//! Fuzz target `rule_file`: see `steward::fuzz_targets`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| steward::fuzz_targets::rule_file(data));
