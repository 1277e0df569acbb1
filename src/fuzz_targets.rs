//! Entry points for the fuzz targets in `fuzz/` (cargo fuzz), kept in the library so the
//! checked-in corpora also run as ordinary tests (`tests/fuzz_corpus.rs`) on stable Rust
//! in CI. Each takes arbitrary bytes and panics only on a bug: a panic inside steward, an
//! `Error::Internal` for user input, or a broken invariant (a round trip that does not
//! give back its input, a mask that leaves the value in clear).

use std::path::Path;

use crate::error::Error;

fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

fn user_error_only(r: crate::Result<impl Sized>, what: &str) {
    if let Err(Error::Internal(m)) = r {
        panic!("{what}: internal error on user input: {m}");
    }
}

/// A rule file's text through parsing and validation.
pub fn rule_file(data: &[u8]) {
    user_error_only(
        crate::rules::check_text(Path::new("fuzz.yaml"), &text(data)),
        "rule file",
    );
}

/// A masking policy's text through parsing and validation.
pub fn mask_policy(data: &[u8]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("policy.yaml");
    std::fs::write(&path, data).expect("write");
    user_error_only(crate::mask::policy::load(&path), "policy");
}

/// A file of `data[1..]` read and classified as CSV (`data[0]` picks UTF-8, GBK or
/// GB18030) or NDJSON.
pub fn ingest(data: &[u8], json: bool) {
    let Some((&first, body)) = data.split_first() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(if json { "f.ndjson" } else { "f.csv" });
    std::fs::write(&path, body).expect("write");
    use crate::source::TextEncoding;
    let encoding = match first % 3 {
        0 => TextEncoding::Utf8,
        1 => TextEncoding::Gbk,
        _ => TextEncoding::Gb18030,
    };
    let opts = crate::scan::ScanOptions {
        data: vec![path.display().to_string()],
        source: crate::source::SourceOptions {
            encoding: if json { TextEncoding::Utf8 } else { encoding },
            format: None,
            distributed: false,
        },
        samples: 0,
        ..Default::default()
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    user_error_only(rt.block_on(crate::scan::scan(&opts)), "ingest");
}

/// Every validator, detector and dedupe normaliser/comparison on the text.
pub fn validators(data: &[u8]) {
    let s = text(data);
    use crate::udf;
    let _ = crate::validate::phone::cn_mobile(&s);
    let _ = crate::validate::phone::phone_key(&s);
    if let Some(p) = crate::validate::phone::parse(&s) {
        let _ = (p.is_cn_landline(), p.is_e164(), p.mobile());
    }
    let _ = udf::cn_resident_id::is_valid(&s);
    let _ = udf::cn_resident_id::birth_date(&s);
    let _ = udf::cn_resident_id::gender(&s);
    let _ = udf::cn_uscc::is_valid(&s);
    let _ = udf::email::is_valid(&s);
    let _ = udf::luhn::is_valid(&s);
    for d in crate::classify::DETECTORS {
        let _ = (d.check)(&s);
    }
    let _ = crate::classify::classify_column("col", &[s.as_ref()]);
    let half = s
        .char_indices()
        .nth(s.chars().count() / 2)
        .map_or(0, |(i, _)| i);
    let (a, b) = s.split_at(half);
    use crate::dedupe::{compare, normalize};
    for k in compare::KINDS {
        let (Some(x), Some(y)) = (normalize::normalize(k, a), normalize::normalize(k, b)) else {
            continue;
        };
        let (px, py) = (normalize::pinyin(&x), normalize::pinyin(&y));
        let l = k.level(
            compare::Value {
                norm: &x,
                alt: px.as_deref(),
            },
            compare::Value {
                norm: &y,
                alt: py.as_deref(),
            },
        );
        assert!((1..k.level_count() as u8).contains(&l), "{k:?} level {l}");
    }
}

fn fuzz_key() -> crate::mask::keys::Key {
    crate::mask::keys::Key::from_base64("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=", "fuzz")
        .expect("fuzz key")
}

/// Every masking method on the text; encryption must round-trip, format-preserving
/// tokens keep the length in characters.
pub fn mask_methods(data: &[u8]) {
    let s = text(data);
    use crate::mask::{encrypt, generalize, partial, shift, tokenize};
    for d in crate::classify::DETECTORS {
        let _ = partial::mask_as(Some(d.category.id), &s);
    }
    let _ = partial::mask(&s);
    let n = s.chars().count();
    let _ = partial::keep_ends(&s, n, n.min(3), n.min(4));
    let key = fuzz_key();
    let _ = tokenize::token(&key, &s);
    let fp = tokenize::token_preserving(&key, &s);
    assert_eq!(
        fp.chars().count(),
        s.chars().count(),
        "format-preserving length"
    );
    let enc = encrypt::encrypt(&key, &s);
    assert_eq!(
        encrypt::decrypt(std::slice::from_ref(&key), &enc)
            .ok()
            .as_deref(),
        Some(s.as_ref()),
        "encrypt round trip"
    );
    for to in [
        "year",
        "decade",
        "city",
        "province",
        "region_birth_year",
        "range:10",
    ] {
        if let Some(to) = generalize::To::parse(to) {
            let _ = generalize::generalize(&to, &s);
        }
    }
    let _ = shift::shift(&s, shift::offset(&key, &s, 180));
}

/// `steward unmask`'s parsing of stored values: never a panic, never a wrong plaintext
/// accepted for a value that was not produced by `encrypt`.
pub fn unmask(data: &[u8]) {
    let s = text(data);
    let key = fuzz_key();
    let _ = crate::mask::encrypt::decrypt(std::slice::from_ref(&key), &s);
    let with_prefix = format!("enc:v1:{}:{s}", key.id());
    let _ = crate::mask::encrypt::decrypt(std::slice::from_ref(&key), &with_prefix);
}

/// A fuzz target's body.
pub type Target = fn(&[u8]);

/// All targets by name, for the corpus replay.
pub const TARGETS: &[(&str, Target)] = &[
    ("rule_file", rule_file),
    ("mask_policy", mask_policy),
    ("csv", |d| ingest(d, false)),
    ("ndjson", |d| ingest(d, true)),
    ("validators", validators),
    ("mask_methods", mask_methods),
    ("unmask", unmask),
];
