//! The fuzz corpora in `fuzz/corpus/<target>/` replayed through the same entry points
//! the fuzz targets call (`steward::fuzz_targets`), so every input a fuzzing run found
//! interesting, and every crash it found once fixed, stays a regression test on stable.

#[test]
fn every_corpus_input_passes_its_target() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut ran = 0;
    for (name, target) in steward::fuzz_targets::TARGETS {
        let dir = root.join(name);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "{name}: empty corpus");
        for f in files {
            let data = std::fs::read(&f).unwrap();
            let result = std::panic::catch_unwind(|| target(&data));
            assert!(result.is_ok(), "{name}: {} panics", f.display());
            ran += 1;
        }
    }
    assert!(ran > 0);
}
