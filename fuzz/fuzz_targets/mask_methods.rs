#![no_main]
//! Fuzz target `mask_methods`: see `steward::fuzz_targets`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| steward::fuzz_targets::mask_methods(data));
