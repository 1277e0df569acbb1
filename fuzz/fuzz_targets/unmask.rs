#![no_main]
//! Fuzz target `unmask`: see `steward::fuzz_targets`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| steward::fuzz_targets::unmask(data));
