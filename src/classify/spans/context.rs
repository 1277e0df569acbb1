//! Context keywords: the words just before a value that say what it is, or what it is
//! not.
//!
//! What it finds: in a *window* of at most [`WINDOW`] characters before a value, cut at
//! the last clause break (`，。；！？、`, a line break) and at the last digit (the window
//! belongs to the nearest number after a keyword), the keywords of [`KEYWORDS`], with
//! one Aho-Corasick automaton (ASCII case-insensitive; an ASCII keyword must stand as
//! a word: `tel` is not found in `hotel`).
//!
//! Why: many identifiers have no checksum. A passport or permit number is only a few
//! letters and digits, and an 8-digit Taiwan permit looks like any number, so these are
//! reported only after a keyword naming them (`护照号码：E12345678`). Conversely an
//! order or tracking number can pass a mobile or card check by chance (`订单号
//! 13812345678`), so a value whose nearest keyword is a negative one (order, invoice,
//! tracking, QQ, amount, ...) is not reported.
//!
//! Example: `订单已发货，客户电话13812345678`: the window of the mobile is `客户电话` (the
//! comma cuts `订单`), whose nearest keyword is `电话`, so the mobile is reported; in
//! `运单号13812345678` the nearest keyword is `运单`, so it is not.
//!
//! Limits: one keyword describes one value (`护照号：E1234567、E7654321` reports the
//! first only); keywords are the lists below, Chinese and English only; a keyword more
//! than [`WINDOW`] characters before the value is not seen.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::chars;

/// How many characters before a value are read for keywords.
pub(super) const WINDOW: usize = 24;

/// What a keyword says about the value after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Not personal data: order, invoice, tracking, coupon, SKU, QQ, amounts, ...
    Negative,
    /// A phone number (lets a landline be written without a separator).
    Phone,
    /// A resident ID (lets a 15-digit legacy number count).
    Id,
    /// A bank or credit card.
    Card,
    /// A passport.
    Passport,
    /// A Hong Kong / Macao permit.
    HkMacau,
    /// A Taiwan permit.
    Taiwan,
    /// A permit of either kind (`通行证`, `permit`).
    Permit,
    /// A bank account (lets an IBAN count).
    Iban,
    /// An organisation's credit code (lets an all-digit USCC count).
    Uscc,
    /// A version or build number (an IPv4-shaped value after it is not an address).
    Version,
}

/// The keywords, by what they say. ASCII keywords match case-insensitively, as words.
pub(super) const KEYWORDS: &[(&str, Kind)] = &[
    // Negative: numbers that are not personal data.
    ("订单", Kind::Negative),
    ("单号", Kind::Negative),
    ("运单", Kind::Negative),
    ("快递", Kind::Negative),
    ("物流", Kind::Negative),
    ("发票号", Kind::Negative),
    ("流水号", Kind::Negative),
    ("交易号", Kind::Negative),
    ("编号", Kind::Negative),
    ("工单", Kind::Negative),
    ("券码", Kind::Negative),
    ("优惠券", Kind::Negative),
    ("兑换码", Kind::Negative),
    ("货号", Kind::Negative),
    ("型号", Kind::Negative),
    ("批次", Kind::Negative),
    ("序列号", Kind::Negative),
    ("邮编", Kind::Negative),
    ("金额", Kind::Negative),
    ("价格", Kind::Negative),
    ("合计", Kind::Negative),
    ("积分", Kind::Negative),
    ("¥", Kind::Negative),
    ("￥", Kind::Negative),
    ("$", Kind::Negative),
    ("order", Kind::Negative),
    ("invoice", Kind::Negative),
    ("tracking", Kind::Negative),
    ("waybill", Kind::Negative),
    ("shipment", Kind::Negative),
    ("sku", Kind::Negative),
    ("coupon", Kind::Negative),
    ("serial", Kind::Negative),
    ("batch", Kind::Negative),
    ("model", Kind::Negative),
    ("ticket", Kind::Negative),
    ("qq", Kind::Negative),
    ("rmb", Kind::Negative),
    ("cny", Kind::Negative),
    ("usd", Kind::Negative),
    ("amount", Kind::Negative),
    ("price", Kind::Negative),
    ("total", Kind::Negative),
    ("zip", Kind::Negative),
    ("postcode", Kind::Negative),
    // Phones.
    ("电话", Kind::Phone),
    ("手机", Kind::Phone),
    ("联系", Kind::Phone),
    ("致电", Kind::Phone),
    ("拨打", Kind::Phone),
    ("座机", Kind::Phone),
    ("固话", Kind::Phone),
    ("传真", Kind::Phone),
    ("微信", Kind::Phone),
    ("tel", Kind::Phone),
    ("phone", Kind::Phone),
    ("mobile", Kind::Phone),
    ("call", Kind::Phone),
    ("contact", Kind::Phone),
    ("fax", Kind::Phone),
    // Resident IDs.
    ("身份证", Kind::Id),
    ("身份号码", Kind::Id),
    ("证件", Kind::Id),
    ("id card", Kind::Id),
    ("id number", Kind::Id),
    ("id no", Kind::Id),
    ("identity", Kind::Id),
    // Cards.
    ("卡号", Kind::Card),
    ("银行卡", Kind::Card),
    ("信用卡", Kind::Card),
    ("借记卡", Kind::Card),
    ("储蓄卡", Kind::Card),
    ("card", Kind::Card),
    // Documents.
    ("护照", Kind::Passport),
    ("passport", Kind::Passport),
    ("港澳", Kind::HkMacau),
    ("回乡证", Kind::HkMacau),
    ("home return", Kind::HkMacau),
    ("hong kong", Kind::HkMacau),
    ("macao", Kind::HkMacau),
    ("macau", Kind::HkMacau),
    ("台胞", Kind::Taiwan),
    ("台湾", Kind::Taiwan),
    ("taiwan", Kind::Taiwan),
    ("通行证", Kind::Permit),
    ("permit", Kind::Permit),
    // Bank accounts.
    ("iban", Kind::Iban),
    ("账户", Kind::Iban),
    ("账号", Kind::Iban),
    ("收款", Kind::Iban),
    ("汇款", Kind::Iban),
    ("account", Kind::Iban),
    // Organisations.
    ("信用代码", Kind::Uscc),
    ("统一社会", Kind::Uscc),
    ("税号", Kind::Uscc),
    ("纳税人识别号", Kind::Uscc),
    ("营业执照", Kind::Uscc),
    ("uscc", Kind::Uscc),
    ("tax id", Kind::Uscc),
    // Versions.
    ("版本", Kind::Version),
    ("固件", Kind::Version),
    ("version", Kind::Version),
    ("ver", Kind::Version),
    ("v", Kind::Version),
    ("build", Kind::Version),
    ("firmware", Kind::Version),
    ("release", Kind::Version),
];

static AUTOMATON: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(KEYWORDS.iter().map(|(k, _)| k))
        .ok()
});

/// Which document a window names, the last such keyword deciding (`往来港澳通行证`:
/// `港澳`, then `通行证` keeps it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Doc {
    Passport,
    HkMacau,
    Taiwan,
    /// `通行证` / `permit` alone: either permit, by the value's shape.
    Permit,
}

/// What the keywords before a value say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Context {
    /// The kind of the keyword nearest the value.
    pub nearest: Option<Kind>,
    pub doc: Option<Doc>,
    pub phone: bool,
    pub id: bool,
    pub iban: bool,
    pub uscc: bool,
    pub version: bool,
}

impl Context {
    /// Whether the nearest keyword says the value is not personal data.
    pub(super) fn negative(&self) -> bool {
        self.nearest == Some(Kind::Negative)
    }
}

/// Where the window of a value starting at byte `start` begins.
fn window_start(text: &str, start: usize) -> usize {
    let Some(before) = text.get(..start) else {
        return start;
    };
    let mut ws = start;
    for (n, (i, c)) in before.char_indices().rev().enumerate() {
        if n == WINDOW || chars::is_clause_break(c) || c.is_ascii_digit() || is_wide_digit(c) {
            break;
        }
        ws = i;
    }
    ws
}

fn is_wide_digit(c: char) -> bool {
    ('\u{FF10}'..='\u{FF19}').contains(&c)
}

/// The keywords before a value starting at byte `start` of `text`.
pub(super) fn before(text: &str, start: usize) -> Context {
    let mut ctx = Context::default();
    let ws = window_start(text, start);
    let (Some(ac), Some(window)) = (AUTOMATON.as_ref(), text.get(ws..start)) else {
        return ctx;
    };
    let Ok(matches) = ac.try_find_overlapping_iter(window) else {
        return ctx;
    };
    let b = text.as_bytes();
    // The nearest keyword: the one ending last, the longest on a tie.
    let mut nearest: Option<(usize, usize, Kind)> = None;
    for m in matches {
        let (kw, kind) = KEYWORDS[m.pattern().as_usize()];
        let (s, e) = (ws + m.start(), ws + m.end());
        let kwb = kw.as_bytes();
        if kwb[0].is_ascii_alphabetic() && s > 0 && chars::ascii_letter_at(b, s - 1) {
            continue;
        }
        if kwb[kwb.len() - 1].is_ascii_alphabetic() && chars::ascii_letter_at(b, e) {
            continue;
        }
        match kind {
            Kind::Phone => ctx.phone = true,
            Kind::Id => ctx.id = true,
            Kind::Iban => ctx.iban = true,
            Kind::Uscc => ctx.uscc = true,
            Kind::Version => ctx.version = true,
            Kind::Passport => ctx.doc = Some(Doc::Passport),
            Kind::HkMacau => ctx.doc = Some(Doc::HkMacau),
            Kind::Taiwan => ctx.doc = Some(Doc::Taiwan),
            Kind::Permit => {
                if !matches!(ctx.doc, Some(Doc::HkMacau | Doc::Taiwan)) {
                    ctx.doc = Some(Doc::Permit)
                }
            }
            Kind::Negative | Kind::Card => {}
        }
        if nearest.is_none_or(|(ne, nl, _)| e > ne || (e == ne && e - s > nl)) {
            nearest = Some((e, e - s, kind));
        }
    }
    ctx.nearest = nearest.map(|(_, _, k)| k);
    ctx
}

/// The context of one value start, read when a check first needs it.
pub(super) struct Lazy<'t> {
    text: &'t str,
    start: usize,
    ctx: Option<Context>,
}

impl<'t> Lazy<'t> {
    pub(super) fn new(text: &'t str, start: usize) -> Self {
        Lazy {
            text,
            start,
            ctx: None,
        }
    }

    pub(super) fn get(&mut self) -> Context {
        *self
            .ctx
            .get_or_insert_with(|| before(self.text, self.start))
    }
}
