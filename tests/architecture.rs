//! The layer rule of docs/architecture.md, checked on the source:
//! - a top-level module of `src/` may import (`crate::<module>`) only modules of lower
//!   layers, so the modules cannot import each other in a loop;
//! - no two files of the library import each other in a loop, directly or through
//!   others (`crate::`, `super::`, `self::` and child-module paths, resolved to the file
//!   of the longest module prefix). A child's references to an ancestor module's file
//!   (`super::Name` resolving to a `mod.rs`) are not counted: that file is the module's
//!   facade, which declares the children and re-exports their names.
//!
//! Test code (`tests.rs`, `test_support.rs`, `#[cfg(test)] mod tests`) may import
//! anything and is not counted; nor are the binary's commands (`main.rs`, `cmd/`),
//! which sit on top of everything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, lowest first. A module imports only modules of lower layers.
const LAYERS: &[&[&str]] = &[
    // Foundations: errors, signals and limits, atomic output files.
    &["error"],
    // The one registry idiom: what every registered id says about itself.
    &["entry"],
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
    // Re-identification risk arithmetic over equivalence classes.
    &["risk"],
    // Masking methods, keys and the mask/unmask pipelines.
    &["mask"],
    // Normalisation, blocking, comparison, Fellegi-Sunter, clustering.
    &["dedupe"],
    // The query engine: session and every function a scan plan calls.
    &["engine"],
    &["cluster"],
    &["scan"],
    // Pipelines that classify with the scan, then transform and write data (`mask`).
    &["pipeline"],
    // Posting a run's summary to a webhook (`--notify`); reads the report model only.
    &["notify"],
    &["audit"],
    &["compliance"],
    // What lists or drives everything: the registry, fuzz entry points.
    &["registry", "fuzz_targets"],
];

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
    assert!(
        up.is_empty(),
        "imports against the layers (a lower module importing a higher one): {up:?}\n\
         move the shared code down a layer instead; see docs/architecture.md"
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

/// Every library file (not tests, not the binary) by module path (`mask::policy`; the
/// crate root is ""), with its non-test code.
fn library_files(src: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path != src.join("cmd") {
                    stack.push(path);
                }
                continue;
            }
            let rel = path
                .strip_prefix(src)
                .unwrap()
                .to_str()
                .unwrap()
                .to_string();
            let file = path.file_name().unwrap().to_str().unwrap();
            if !file.ends_with(".rs")
                || matches!(file, "tests.rs" | "test_support.rs")
                || rel == "main.rs"
            {
                continue;
            }
            let module = rel
                .trim_end_matches(".rs")
                .trim_end_matches("/mod")
                .trim_end_matches("lib")
                .replace('/', "::");
            let text = std::fs::read_to_string(&path).unwrap();
            files.insert(module, non_test(&text));
        }
    }
    files
}

/// Module paths referenced by `text`, written in module `module`, resolved to absolute
/// paths (`a::b::Item`) with `crate::`, `super::` and `self::` and child-module prefixes
/// expanded; `use` groups (`a::{b, c::d}`) give one path per member.
fn referenced_paths(module: &str, text: &str, children: &BTreeSet<String>) -> Vec<String> {
    let parent = |m: &str| {
        m.rsplit_once("::")
            .map(|(p, _)| p.to_string())
            .unwrap_or_default()
    };
    let join = |a: &str, b: &str| {
        if a.is_empty() {
            b.to_string()
        } else {
            format!("{a}::{b}")
        }
    };
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        // The start of an identifier path.
        if !ident(chars[i]) || (i > 0 && (ident(chars[i - 1]) || chars[i - 1] == ':')) {
            i += 1;
            continue;
        }
        // Read `seg::seg::...` and an optional `{...}` group.
        let mut segs: Vec<String> = Vec::new();
        let mut j = i;
        let mut group: Option<String> = None;
        loop {
            let start = j;
            while j < chars.len() && ident(chars[j]) {
                j += 1;
            }
            segs.push(chars[start..j].iter().collect());
            if j + 1 < chars.len() && chars[j] == ':' && chars[j + 1] == ':' {
                j += 2;
                if j < chars.len() && chars[j] == '{' {
                    let end = (j..chars.len())
                        .find(|&k| chars[k] == '}')
                        .unwrap_or(chars.len());
                    group = Some(chars[j + 1..end].iter().collect());
                    j = end;
                    break;
                }
                if j < chars.len() && ident(chars[j]) {
                    continue;
                }
            }
            break;
        }
        i = j.max(i + 1);
        if segs.len() < 2 && group.is_none() {
            continue;
        }
        let mut base = match segs[0].as_str() {
            "crate" => String::new(),
            "self" => module.to_string(),
            "super" => parent(module),
            s if children.contains(&join(module, s)) => join(module, s),
            _ => continue,
        };
        for s in &segs[1..] {
            if s == "super" {
                base = parent(&base);
            } else {
                base = join(&base, s);
            }
        }
        match group {
            None => out.push(base),
            Some(g) => {
                for part in g.split(',') {
                    let p = part.trim().split(" as ").next().unwrap().trim();
                    if !p.is_empty() && p != "self" {
                        out.push(join(&base, p));
                    } else if p == "self" {
                        out.push(base.clone());
                    }
                }
            }
        }
    }
    out
}

/// File -> files it references, among the library's modules. References to an ancestor
/// module (the facade) are left out, and so are references to the crate root.
fn file_edges(files: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeSet<String> = files.keys().cloned().collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, text) in files {
        let set = edges.entry(module.clone()).or_default();
        for path in referenced_paths(module, text, &modules) {
            // The file of the longest module prefix of the path.
            let mut target = path.as_str();
            let found = loop {
                if modules.contains(target) {
                    break Some(target.to_string());
                }
                match target.rsplit_once("::") {
                    Some((p, _)) => target = p,
                    None => break None,
                }
            };
            let Some(target) = found else { continue };
            let ancestor = target.is_empty()
                || module == &target
                || module.starts_with(&format!("{target}::"));
            if !ancestor {
                set.insert(target);
            }
        }
    }
    edges
}

/// Every cycle's files (strongly connected components of two or more files).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Kosaraju: order by finish time, then collect on the reversed graph.
    let nodes: Vec<&String> = edges.keys().collect();
    let mut seen = BTreeSet::new();
    let mut order = Vec::new();
    for &n in &nodes {
        let mut stack = vec![(n.clone(), false)];
        while let Some((v, done)) = stack.pop() {
            if done {
                order.push(v);
                continue;
            }
            if !seen.insert(v.clone()) {
                continue;
            }
            stack.push((v.clone(), true));
            for w in edges.get(&v).into_iter().flatten() {
                if !seen.contains(w) {
                    stack.push((w.clone(), false));
                }
            }
        }
    }
    let mut reverse: BTreeMap<&String, Vec<&String>> = BTreeMap::new();
    for (v, ws) in edges {
        for w in ws {
            reverse.entry(w).or_default().push(v);
        }
    }
    let mut assigned = BTreeSet::new();
    let mut out = Vec::new();
    for v in order.iter().rev() {
        if assigned.contains(v) {
            continue;
        }
        let mut component = Vec::new();
        let mut stack = vec![v];
        assigned.insert(v.clone());
        while let Some(x) = stack.pop() {
            component.push(x.clone());
            for &w in reverse.get(x).into_iter().flatten() {
                if assigned.insert(w.clone()) {
                    stack.push(w);
                }
            }
        }
        if component.len() > 1 {
            component.sort();
            out.push(component);
        }
    }
    out.sort();
    out
}

#[test]
fn files_import_each_other_in_no_loop() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let edges = file_edges(&library_files(&src));
    let found = cycles(&edges);
    let shown: Vec<String> = found
        .iter()
        .map(|c| {
            let inner: Vec<String> = c
                .iter()
                .map(|f| {
                    let to: Vec<&String> = edges[f].iter().filter(|t| c.contains(t)).collect();
                    format!("  {f} -> {to:?}")
                })
                .collect();
            inner.join("\n")
        })
        .collect();
    assert!(
        found.is_empty(),
        "files that import each other in a loop (move what both need into a third file):\n{}",
        shown.join("\n\n")
    );
}

#[test]
fn a_file_loop_is_caught() {
    let files = BTreeMap::from([
        (String::new(), String::new()),
        ("mask".to_string(), "pub use pipeline::Masker;".to_string()),
        (
            "mask::pipeline".to_string(),
            "use super::row_groups;\nfn f() { row_groups::copy() }".to_string(),
        ),
        (
            "mask::row_groups".to_string(),
            "use crate::mask::{pipeline::Masker, policy::{self, Method}};".to_string(),
        ),
        ("mask::policy".to_string(), "use super::Method;".to_string()),
    ]);
    let edges = file_edges(&files);
    assert_eq!(
        edges["mask::row_groups"],
        BTreeSet::from(["mask::pipeline".to_string(), "mask::policy".to_string()])
    );
    // policy -> mask (its facade) is not counted.
    assert!(edges["mask::policy"].is_empty());
    assert_eq!(
        cycles(&edges),
        vec![vec![
            "mask::pipeline".to_string(),
            "mask::row_groups".to_string()
        ]]
    );
}
