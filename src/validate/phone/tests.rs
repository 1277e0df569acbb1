//! The phone normaliser against hand-written tables and against an independent truth:
//! the `phonenumber` crate (a Rust port of libphonenumber, metadata 9.0.33, a
//! dev-dependency only).

use super::*;
use proptest::prelude::*;

/// Every accepted way of writing 137 2663 8532 (docs/phones.md, "Accepted forms").
const FORMS: &[&str] = &[
    "13726638532",
    "137 2663 8532",
    "137-2663-8532",
    "137.2663.8532",
    "137 - 2663 - 8532",
    "1372663 8532",
    "+86 137 2663 8532",
    "+86-137-2663-8532",
    "+86 13726638532",
    "+8613726638532",
    "＋86 137 2663 8532",
    "＋８６１３７２６６３８５３２",
    "0086 137 2663 8532",
    "0086-13726638532",
    "008613726638532",
    "86 137 2663 8532",
    "86-13726638532",
    "8613726638532",
    "(+86)13726638532",
    "(+86) 137 2663 8532",
    "(+86)-137-2663-8532",
    "(86)13726638532",
    "(0086) 13726638532",
    "（+86）13726638532",
    "（＋８６）１３７２６６３８５３２",
    "（+86） 137 2663 8532",
    "１３７２６６３８５３２",
    "１３７ ２６６３ ８５３２",
    "137\u{3000}2663\u{3000}8532",
    "137\u{a0}2663\u{a0}8532",
    "137\u{2009}2663\u{202f}8532",
    "137–2663–8532",
    "137—2663—8532",
    "137‐2663‑8532",
    "137－2663－8532",
    "137．2663．8532",
    "137−2663−8532",
    "  13726638532  ",
    "\t13726638532\n",
    "\u{3000}13726638532\u{3000}",
    "\u{a0}+86 137 2663 8532\u{a0}",
];

#[test]
fn every_accepted_form_gives_the_same_eleven_digits() {
    for f in FORMS {
        let m = cn_mobile(f).unwrap_or_else(|| panic!("{f:?} rejected"));
        assert_eq!(m.as_str(), "13726638532", "{f:?}");
        assert_eq!(m.is_canonical(), *f == "13726638532", "{f:?}");
        assert!(is_cn_mobile(f));
        assert_eq!(is_cn_mobile_strict(f), *f == "13726638532", "{f:?}");
        assert_eq!(phone_key(f).as_deref(), Some("13726638532"), "{f:?}");
    }
}

#[test]
fn rejected_forms() {
    for (v, why) in [
        ("1372663853", "10 digits"),
        ("137266385321", "12 digits"),
        ("+86 1372663853", "10 national digits"),
        ("+86 137266385321", "12 national digits"),
        ("013726638532", "national trunk 0"),
        (
            "+86 013726638532",
            "national trunk 0 after the country code",
        ),
        ("17951 13726638532", "carrier-selection prefix"),
        ("12812346138", "128 is not a mobile range"),
        (
            "14612346138",
            "146: data-only range left out by libphonenumber",
        ),
        ("14812346138", "148: data-only range"),
        ("14912346138", "149: data-only range"),
        ("16112346138", "161 is not in libphonenumber's metadata"),
        ("17412346138", "174 beyond 17405"),
        ("17406123456", "174 beyond 17405"),
        ("19412346138", "194 is not a mobile range"),
        ("1372663853a", "letter"),
        ("137266385３a", "letter"),
        ("137OO638532", "letters for zeros"),
        ("13726638532 ext 5", "extension"),
        ("13726638532#", "sign"),
        ("-13726638532", "leading dash"),
        ("13726638532-", "trailing dash"),
        ("137--", "trailing dashes"),
        ("+ 86 13726638532", "separator after +"),
        ("++8613726638532", "double plus"),
        ("(+86 13726638532", "unclosed parenthesis"),
        ("+86)13726638532", "misplaced parenthesis"),
        ("( +86)13726638532", "separator after ("),
        ("137(2663)8532", "parenthesis inside the number"),
        ("+1 137 2663 8532", "another country code"),
        ("+852 6123 4567", "Hong Kong"),
        ("0044 13726638532", "another country code"),
        ("8 613726638532", "86 split by a separator"),
        ("86 86 13726638532", "two prefixes"),
        ("+86 86 13726638532", "two prefixes"),
        ("861372663853", "86 glued to 10 digits"),
        ("86", "prefix only"),
        ("+86", "prefix only"),
        ("(+86)", "prefix only"),
        ("", "empty"),
        ("   ", "blank"),
        ("137/2663/8532", "slashes"),
        ("137_2663_8532", "underscores"),
    ] {
        assert!(cn_mobile(v).is_none(), "{v:?} accepted ({why})");
        assert!(!is_cn_mobile_strict(v), "{v:?}");
    }
}

#[test]
fn range_table_is_sorted_disjoint_and_five_digit() {
    for w in MOBILE_RANGES.windows(2) {
        assert!(w[0].1 < w[1].0, "{w:?}");
    }
    for &(lo, hi) in MOBILE_RANGES {
        assert!((10000..=19999).contains(&lo) && lo <= hi && hi <= 19999);
    }
    // Both ends of every range pass, their neighbours outside the table do not.
    for &(lo, hi) in MOBILE_RANGES {
        assert!(is_cn_mobile(&format!("{lo}000000")));
        assert!(is_cn_mobile(&format!("{hi}999999")));
    }
    for outside in ["12999999999", "14400000000", "14600000000", "17406000000"] {
        assert!(!is_cn_mobile(outside), "{outside}");
    }
}

#[test]
fn phone_keys_of_landlines_foreign_numbers_and_other_text() {
    for (v, key) in [
        ("010-6552 9988", "01065529988"),
        ("(010) 6552 9988", "01065529988"),
        ("+86 10 6552 9988", "01065529988"),
        ("+86 010 6552 9988", "01065529988"),
        ("0086 10 65529988", "01065529988"),
        ("(+86) 10-6552-9988", "01065529988"),
        ("86 10 6552 9988", "01065529988"),
        ("+86 755 1234 5678", "075512345678"),
        ("(0755) 1234567", "07551234567"),
        ("+86 400 123 4567", "4001234567"),
        ("400-123-4567", "4001234567"),
        ("+86 95588", "95588"),
        ("6552 9988", "65529988"),
        ("86 1234 5678", "8612345678"),
        ("861065529988", "861065529988"),
        ("+44 20 7946 0958", "+442079460958"),
        ("0044 20 7946 0958", "+442079460958"),
        ("(+44) 20 7946 0958", "+442079460958"),
        ("+1-202-555-0123", "+12025550123"),
        ("008613800138000", "13800138000"),
        ("8613800138000", "13800138000"),
        ("86123", "86123"),
        ("12812346138", "12812346138"),
        ("+86 128 1234 6138", "12812346138"),
        // Not written as a phone number: its digits.
        ("tel: 138 0013 8000", "13800138000"),
        ("Tel. +86 138 0013 8000 (home)", "13800138000"),
        ("010-6552 9988 ext 12", "0106552998812"),
        ("１３８ABC", "138"),
        ("00", "00"),
    ] {
        assert_eq!(phone_key(v).as_deref(), Some(key), "{v:?}");
    }
    assert_eq!(phone_key(""), None);
    assert_eq!(phone_key("n/a"), None);
    assert!(matches!(phone_key("13800138000"), Some(Cow::Borrowed(_))));
    assert!(matches!(phone_key("01065529988"), Some(Cow::Borrowed(_))));
}

#[test]
fn landlines_and_e164() {
    for v in [
        "010-12345678",
        "(0755) 1234567",
        "021 6123 4567",
        "０２１ ６１２３ ４５６７",
        "+86 21 6123 4567",
        "0086 755 1234 5678",
    ] {
        let p = parse(v).unwrap();
        assert!(p.is_cn_landline(), "{v:?}");
    }
    for v in ["+44 20 7946 0958", "+1-202-555-0123", "(+44) 20 7946 0958"] {
        let p = parse(v).unwrap();
        assert!(p.is_e164() && !p.is_cn_landline(), "{v:?}");
    }
    for v in [
        "13812346138",
        "0",
        "00441234567",
        "1234567890",
        "0123456789",
        "65529988",
    ] {
        let p = parse(v).unwrap();
        assert!(!p.is_cn_landline() && !p.is_e164(), "{v:?}");
    }
    assert!(parse("abc").is_none());
    assert!(parse("1".repeat(21).as_str()).is_none());
}

#[test]
fn debug_output_shows_no_digit() {
    let m = cn_mobile("13726638532").unwrap();
    let p = parse("13726638532").unwrap();
    for s in [format!("{m:?}"), format!("{p:?}")] {
        assert!(!s.contains("137") && !s.contains("8532"), "{s}");
    }
}

// ------------------------------------------------------------ against libphonenumber

/// Prefixes (first digits) where steward deliberately disagrees with libphonenumber's CN
/// mobile metadata on 11-digit numbers, with the reason (docs/phones.md). Empty: steward
/// follows the metadata on every range; the deliberate differences are in the written
/// forms (see `forms_libphonenumber_reads_differently`).
const DELIBERATE_RANGE_DIFFERENCES: &[(&str, &str)] = &[];

/// Truth: libphonenumber reads the 11 digits, region CN, as a valid number of type
/// Mobile.
fn libphonenumber_mobile(digits: &str) -> bool {
    match phonenumber::parse(Some(phonenumber::country::Id::CN), digits) {
        Ok(n) => {
            n.is_valid()
                && n.number_type(&phonenumber::metadata::DATABASE) == phonenumber::Type::Mobile
                && n.national().value().to_string() == digits
        }
        Err(_) => false,
    }
}

fn deliberate(digits: &str) -> bool {
    DELIBERATE_RANGE_DIFFERENCES
        .iter()
        .any(|(p, _)| digits.starts_with(p))
}

/// xorshift64*, fixed seed: the same numbers on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// 200,000 random 11-digit numbers starting with 1 (fixed seed): the validator and
/// libphonenumber agree on at least 99.9 % of them, and every disagreement is a
/// documented deliberate difference.
#[test]
fn agrees_with_libphonenumber_on_200k_random_numbers() {
    const N: u32 = 200_000;
    let mut rng = Rng(0x5eed_0f91_0f7a_4e00);
    let (mut agree, mut valid) = (0u32, 0u32);
    let mut undocumented = Vec::new();
    for _ in 0..N {
        let n = format!("1{:010}", rng.next() % 10_000_000_000);
        let ours = is_cn_mobile(&n);
        let truth = libphonenumber_mobile(&n);
        valid += u32::from(truth);
        if ours == truth {
            agree += 1;
        } else if !deliberate(&n) {
            undocumented.push((n[..5].to_string(), ours, truth));
        }
    }
    let rate = f64::from(agree) / f64::from(N);
    eprintln!(
        "agreement with libphonenumber: {agree}/{N} = {:.4} % ({valid} valid per libphonenumber)",
        rate * 100.0
    );
    undocumented.sort();
    undocumented.dedup();
    assert!(
        undocumented.is_empty(),
        "disagreements outside the documented list (prefix, ours, libphonenumber): {undocumented:?}"
    );
    assert!(rate >= 0.999, "agreement {rate}");
}

/// libphonenumber's CN mobile pattern depends on the first five digits only: every
/// five-digit prefix 10000-19999, with two suffixes each, gives the same verdict.
#[test]
fn agrees_with_libphonenumber_on_every_five_digit_prefix() {
    let mut rng = Rng(0x0dd_ba11);
    let mut differ = Vec::new();
    for prefix in 10000..=19999u32 {
        for suffix in [rng.next() % 1_000_000, rng.next() % 1_000_000] {
            let n = format!("{prefix}{suffix:06}");
            if is_cn_mobile(&n) != libphonenumber_mobile(&n) && !deliberate(&n) {
                differ.push(prefix);
            }
        }
    }
    differ.dedup();
    assert!(
        differ.is_empty(),
        "five-digit prefixes that differ: {differ:?}"
    );
}

/// The prefixes the old table got wrong agree now.
#[test]
fn formerly_disputed_prefixes() {
    for (n, valid) in [
        ("14612346138", false),
        ("14812346138", false),
        ("14912346138", false),
        ("17412346138", false),
        ("17405123456", true),
        ("16112346138", false),
        ("17212346138", true),
        ("14512346138", true),
        ("14712346138", true),
        ("16212346138", true),
        ("19212346138", true),
    ] {
        assert_eq!(libphonenumber_mobile(n), valid, "libphonenumber on {n}");
        assert_eq!(is_cn_mobile(n), valid, "steward on {n}");
    }
}

/// Where libphonenumber reads a form as a valid CN mobile, steward reads the same
/// number from it.
#[test]
fn accepted_forms_give_libphonenumbers_number() {
    for f in FORMS {
        if let Ok(n) = phonenumber::parse(Some(phonenumber::country::Id::CN), f)
            && n.is_valid()
        {
            assert_eq!(n.code().value(), 86, "{f:?}");
            assert_eq!(
                n.national().value().to_string(),
                cn_mobile(f).unwrap().as_str(),
                "{f:?}"
            );
        }
    }
}

/// Written forms libphonenumber reads as a valid CN mobile and steward rejects, with
/// the number libphonenumber reads: the deliberate differences of docs/phones.md.
const FORMS_ONLY_LIBPHONENUMBER_READS: &[(&str, u64, &str)] = &[
    ("013726638532", 13726638532, "national trunk 0"),
    ("+86 013726638532", 13726638532, "national trunk 0"),
    ("+86 (0)137 2663 8532", 13726638532, "national trunk 0"),
    ("17951 13726638532", 13726638532, "carrier-selection prefix"),
    ("1795113726638532", 13726638532, "carrier-selection prefix"),
    ("12593 13726638532", 13726638532, "carrier-selection prefix"),
    ("13726638532 ext. 12", 13726638532, "extension"),
    ("13726638532#", 13726638532, "trailing sign"),
    (
        "137-2663-853a",
        13726638532,
        "letter read as a keypad digit",
    ),
    ("137OO638532", 13766638532, "letters read as keypad digits"),
    ("137/2663/8532", 13726638532, "slash as a separator"),
    ("tel:+86-137-2663-8532", 13726638532, "tel: URI"),
    ("8 613726638532", 13726638532, "86 split by a separator"),
];

/// Forms steward reads and the `phonenumber` crate (0.3.10) does not.
const FORMS_ONLY_STEWARD_READS: &[&str] = &[
    "１３７２６６３８５３２",
    "＋８６１３７２６６３８５３２",
    "（＋８６）１３７２６６３８５３２",
    "137\u{2009}2663\u{202f}8532",
    "137．2663．8532",
];

#[test]
fn forms_libphonenumber_reads_differently() {
    for &(f, national, why) in FORMS_ONLY_LIBPHONENUMBER_READS {
        let n = phonenumber::parse(Some(phonenumber::country::Id::CN), f)
            .unwrap_or_else(|e| panic!("libphonenumber no longer reads {f:?} ({why}): {e:?}"));
        assert!(n.is_valid(), "libphonenumber rejects {f:?} ({why})");
        assert_eq!(n.national().value(), national, "{f:?}");
        assert!(cn_mobile(f).is_none(), "steward accepts {f:?} ({why})");
    }
    for f in FORMS_ONLY_STEWARD_READS {
        let lib = phonenumber::parse(Some(phonenumber::country::Id::CN), f);
        assert!(
            !lib.is_ok_and(|n| n.is_valid()),
            "libphonenumber reads {f:?} now"
        );
        assert_eq!(
            cn_mobile(f).map(|m| m.as_str().to_string()).as_deref(),
            Some("13726638532")
        );
    }
}

// ------------------------------------------------------------ properties

/// A random accepted writing of `digits` (11 ASCII digits).
fn write_form(digits: &str, prefix: usize, sep: usize, full: bool, pad: usize) -> String {
    const PREFIXES: &[&str] = &[
        "",
        "+86 ",
        "+86",
        "＋86-",
        "0086 ",
        "0086",
        "86 ",
        "86-",
        "86",
        "(+86)",
        "(+86) ",
        "（+86）",
        "（＋８６）",
        "(86)",
        "(0086) ",
    ];
    const SEPS: &[&str] = &["", " ", "-", ".", "\u{3000}", "\u{a0}", "–", "－", " - "];
    const PADS: &[&str] = &["", " ", "\u{3000}", "\t", "\u{a0}"];
    let sep = SEPS[sep % SEPS.len()];
    let body: String = digits
        .chars()
        .map(|c| {
            if full {
                char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap()
            } else {
                c
            }
        })
        .collect();
    let idx = |i: usize| body.char_indices().nth(i).map_or(body.len(), |(p, _)| p);
    let (g1, g2, g3) = (&body[..idx(3)], &body[idx(3)..idx(7)], &body[idx(7)..]);
    let pad = PADS[pad % PADS.len()];
    format!(
        "{pad}{}{g1}{sep}{g2}{sep}{g3}{pad}",
        PREFIXES[prefix % PREFIXES.len()]
    )
}

proptest! {
    #[test]
    fn any_string_is_safe(s in ".*") {
        let _ = cn_mobile(&s);
        let _ = phone_key(&s);
        if let Some(p) = parse(&s) {
            let _ = (p.is_cn_landline(), p.is_e164(), p.mobile());
        }
    }

    /// Every accepted writing of a valid mobile gives its digits, and the phone key is
    /// those digits too.
    #[test]
    fn every_writing_of_a_mobile_normalises_to_its_digits(
        p in prop::sample::select(MOBILE_RANGES.to_vec()),
        offset in 0u32..100_000,
        rest in 0u32..1_000_000,
        prefix in 0usize..32, sep in 0usize..32, full: bool, pad in 0usize..8,
    ) {
        let five = p.0 + offset % (p.1 - p.0 + 1);
        let digits = format!("{five}{rest:06}");
        let written = write_form(&digits, prefix, sep, full, pad);
        let m = cn_mobile(&written);
        prop_assert_eq!(m.map(|m| m.as_str().to_string()), Some(digits.clone()), "{:?}", written);
        prop_assert_eq!(m.is_some_and(|m| m.is_canonical()), written == digits);
        let key = phone_key(&written);
        prop_assert_eq!(key.as_deref(), Some(digits.as_str()), "{:?}", written);
    }

    /// Random 11-digit numbers: the validator is libphonenumber's verdict.
    #[test]
    fn random_numbers_agree_with_libphonenumber(n in 10_000_000_000u64..20_000_000_000) {
        let n = n.to_string();
        prop_assert!(is_cn_mobile(&n) == libphonenumber_mobile(&n) || deliberate(&n), "{}", n);
    }

    /// A mobile is a mobile whatever else is around it: the phone key of anything
    /// `cn_mobile` accepts is its 11 digits.
    #[test]
    fn keys_of_mobiles_are_their_digits(
        s in "[ ]?(\\+86|0086|86|\\(\\+86\\)|（\\+86）)?[ -]?1[3-9][0-9 .-]{9,14}[ a]?|.{0,20}"
    ) {
        if let Some(m) = cn_mobile(&s) {
            let key = phone_key(&s);
            prop_assert_eq!(key.as_deref(), Some(m.as_str()));
        }
    }

    /// The borrowed path of `phone_key` gives what parsing gives.
    #[test]
    fn phone_key_fast_path_equals_parsing(s in "[0-9]{0,22}") {
        let slow = match parse(&s) {
            Some(p) => { let mut o = String::new(); p.key_into(&mut o); Some(o) }
            None => (!s.is_empty()).then(|| s.clone()),
        };
        prop_assert_eq!(phone_key(&s).map(Cow::into_owned), slow);
    }
}
