//! The layer rule of docs/architecture.md, checked on the source: a top-level module of
//! `src/` may import (`crate::<module>`) only modules of lower layers, so the modules
//! cannot import each other in a loop.
//!
//! Test code (`tests.rs`, `test_support.rs`, `#[cfg(test)] mod tests`) may import
//! anything and is not counted. The edges that still go upward are listed in
//! [`KNOWN_BACK_EDGES`]: the test fails on any other upward edge, and on a listed edge
//! that no longer exists (so the list only shrinks).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, lowest first. A module imports only modules of lower layers.
const LAYERS: &[&[&str]] = &[
    // Foundations: errors, signals and limits, atomic output files.
    &["error"],
    &["interrupt"],
    &["output"],
    // Pure validators and normalisers of values (phones, ...): no other module.
    &["validate"],
    // Plain data: the report model and its renderers (renderers never query data).
    &["report"],
    // Reading inputs into DataFusion tables.
    &["source"],
    // Detectors and the column classifier, then the SQL functions (which ask them).
    &["classify"],
    &["udf"],
    // The rule-file model and its vocabulary.
    &["rules"],
    &["score"],
    // Masking methods, keys and the mask/unmask pipelines.
    &["mask"],
    // Normalisation, blocking, comparison, Fellegi-Sunter, clustering.
    &["dedupe"],
    // The query engine: session and every function a scan plan calls.
    &["engine"],
    &["cluster"],
    &["scan"],
    &["audit"],
    &["compliance"],
    // What lists or drives everything: the registry, fuzz entry points.
    &["registry", "fuzz_targets"],
];

/// Upward imports that remain from before the layers were drawn (issue 17), as
/// (importer, imported). Remove a line when its edge is gone.
const KNOWN_BACK_EDGES: &[(&str, &str)] =
    &[("report", "dedupe"), ("rules", "dedupe"), ("mask", "scan")];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The code of a file without comments and its `#[cfg(test)]` modules.
fn non_test(text: &str) -> String {
    let code = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    code.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `crate::<name>` references in `text`, including `crate::{a, b::c}` groups.
fn imported(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// Importer -> imported top-level modules of the library in `src`.
fn module_edges(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                // The binary's commands sit on top of everything.
                if path != src.join("cmd") {
                    stack.push(path);
                }
                continue;
            }
            let rel = path.strip_prefix(src).unwrap();
            let file = rel.file_name().unwrap().to_str().unwrap();
            if !file.ends_with(".rs")
                || matches!(file, "tests.rs" | "test_support.rs")
                || rel == Path::new("main.rs")
                || rel == Path::new("lib.rs")
            {
                continue;
            }
            let top = rel
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_str()
                .unwrap()
                .trim_end_matches(".rs")
                .to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            let set = edges.entry(top.clone()).or_default();
            for m in imported(&non_test(&text)) {
                // Capitalised names are the crate root's re-exports (`crate::Result`).
                let root_item = m.starts_with(|c: char| c.is_ascii_uppercase());
                if m != top && m != "self" && m != "super" && !root_item {
                    set.insert(m);
                }
            }
        }
    }
    edges
}

/// The upward edges of `edges` under [`LAYERS`], and modules missing from the layers.
fn violations(edges: &BTreeMap<String, BTreeSet<String>>) -> (Vec<(String, String)>, Vec<String>) {
    let mut up = Vec::new();
    let mut unplaced = Vec::new();
    for (from, tos) in edges {
        let Some(lf) = layer_of(from) else {
            unplaced.push(from.clone());
            continue;
        };
        for to in tos {
            match layer_of(to) {
                Some(lt) if lt < lf => {}
                Some(_) => up.push((from.clone(), to.clone())),
                None => unplaced.push(to.clone()),
            }
        }
    }
    unplaced.sort();
    unplaced.dedup();
    (up, unplaced)
}

#[test]
fn modules_import_only_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let edges = module_edges(&src);
    let (up, unplaced) = violations(&edges);
    assert!(
        unplaced.is_empty(),
        "modules without a layer in tests/architecture.rs (and docs/architecture.md): {unplaced:?}"
    );
    let known: BTreeSet<(String, String)> = KNOWN_BACK_EDGES
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    let new: Vec<_> = up.iter().filter(|e| !known.contains(*e)).collect();
    assert!(
        new.is_empty(),
        "imports against the layers (a lower module importing a higher one): {new:?}\n\
         move the shared code down a layer instead; see docs/architecture.md"
    );
    let up: BTreeSet<_> = up.into_iter().collect();
    let gone: Vec<_> = known.iter().filter(|e| !up.contains(*e)).collect();
    assert!(
        gone.is_empty(),
        "these known back-edges are gone: remove them from KNOWN_BACK_EDGES: {gone:?}"
    );
}

#[test]
fn a_back_import_is_caught() {
    // The check itself, on a made-up tree: `score` importing `scan` goes up a layer.
    let mut edges = BTreeMap::new();
    edges.insert(
        "score".to_string(),
        BTreeSet::from(["rules".to_string(), "scan".to_string()]),
    );
    let (up, unplaced) = violations(&edges);
    assert_eq!(up, vec![("score".to_string(), "scan".to_string())]);
    assert!(unplaced.is_empty());
    let text = "use crate::{error::Error, rules};\nfn f() { crate::scan::run() }\n#[cfg(test)]\nmod tests { use crate::cmd; }";
    assert_eq!(
        imported(&non_test(text)),
        BTreeSet::from(["error".into(), "rules".into(), "scan".into()])
    );
}
