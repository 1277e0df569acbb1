//! The [`Masker`]: each column's method applied to a record batch, value by value or,
//! for tokens, distinct values two HMACs at a time, with the output built in place.

use std::borrow::Cow;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatch, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;

use super::verify::Sample;
use crate::classify::category::{Category, PartialShape, SampleShape, TokenInput};
use crate::classify::spans::{self, Span};
use crate::error::{Error, Result};
use crate::mask::encrypt::{self};
use crate::mask::generalize::generalize;
use crate::mask::keys::Key;
use crate::mask::policy::{Method, SpanWith};
use crate::mask::{partial, tokenize};

/// Per-column state of `encrypt`: nonces read from the OS in bulk, and the buffer that
/// holds nonce || ciphertext || tag; and of `spans`, the reused span buffer.
#[derive(Default)]
struct EncryptState {
    nonces: Option<encrypt::Nonces>,
    blob: Vec<u8>,
    found: Vec<Span>,
}

/// One value through one method, appended to `out`; `false` is null. (`shift` needs the
/// record and is applied in [`mask_column`].)
fn apply_into(
    method: &Method,
    category: Option<&Category>,
    key: Option<&Key>,
    v: &str,
    out: &mut String,
    enc: &mut EncryptState,
) -> bool {
    match method {
        Method::Keep => out.push_str(v),
        Method::Partial {
            keep_first,
            keep_last,
        } => {
            let (shape, sample) = category
                .map_or((PartialShape::AsSample, SampleShape::Generic), |c| {
                    (c.partial, c.sample)
                });
            match (keep_first, keep_last, shape) {
                (None, None, PartialShape::Ends { first, last }) => keep_ends(v, first, last, out),
                // A mobile in any written form becomes the same `138****6138`.
                (None, None, PartialShape::CanonicalMobile)
                    if partial::mobile_canonical_into(v, out) => {}
                (None, None, _) => partial::mask_shape_into(sample, v, out),
                (f, l, _) => keep_ends(v, f.unwrap_or(0), l.unwrap_or(0), out),
            }
        }
        Method::Redact { with } => match with {
            Some(w) => out.push_str(w),
            None => return false,
        },
        Method::Tokenize { format_preserving } => {
            let Some(key) = key else { return false };
            let v = token_input(category, v);
            if *format_preserving {
                tokenize::token_preserving_into(key, &v, out)
            } else {
                tokenize::token_into(key, &v, out)
            }
        }
        Method::Encrypt => {
            let Some(key) = key else { return false };
            let nonce = enc.nonces.get_or_insert_with(encrypt::Nonces::new).fresh();
            encrypt::encrypt_into(key, v, &nonce, &mut enc.blob, out)
        }
        Method::Generalize(to) => match generalize(to, v) {
            Some(g) => out.push_str(&g),
            None => return false,
        },
        Method::Shift { .. } => return false,
        Method::Spans(with) => {
            let mut found = std::mem::take(&mut enc.found);
            found.clear();
            spans::find_into(v, &mut found);
            let mut at = 0;
            for s in &found {
                out.push_str(&v[at..s.start]);
                span_into(*with, s.category, key, &v[s.start..s.end], out, enc);
                at = s.end;
            }
            out.push_str(&v[at..]);
            enc.found = found;
        }
    }
    true
}

/// One span of a text through `spans`' method, appended to `out`, in its category's
/// shape. Without a key (a dry run never gets here) a keyed span is redacted.
fn span_into(
    with: SpanWith,
    category: &'static str,
    key: Option<&Key>,
    span: &str,
    out: &mut String,
    enc: &mut EncryptState,
) {
    let c = crate::classify::category::get(category);
    let redact = |out: &mut String| {
        out.push('[');
        out.push_str(category);
        out.push(']');
    };
    match (with, key) {
        (SpanWith::Partial, _) => {
            let partial = Method::Partial {
                keep_first: None,
                keep_last: None,
            };
            apply_into(&partial, c, key, span, out, enc);
        }
        (SpanWith::Tokenize, Some(_)) => {
            let token = Method::Tokenize {
                format_preserving: false,
            };
            apply_into(&token, c, key, span, out, enc);
        }
        (SpanWith::Encrypt, Some(_)) => {
            // Delimited, so `unmask` finds where a ciphertext inside text ends.
            out.push('[');
            apply_into(&Method::Encrypt, c, key, span, out, enc);
            out.push(']');
        }
        (SpanWith::Redact | SpanWith::Tokenize | SpanWith::Encrypt, _) => redact(out),
    }
}

/// What a token is computed from: in a mobile column, a mobile in any written form is
/// tokenized as its 11 canonical digits, so `+86 138 0013 8000` and `13800138000` get
/// the same token (and joins on tokens still match); anything else as it is.
fn token_input<'a>(category: Option<&Category>, v: &'a str) -> Cow<'a, str> {
    if category.is_some_and(|c| c.token == TokenInput::CanonicalMobile)
        && let Some(m) = crate::validate::phone::cn_mobile(v)
        && !m.is_canonical()
    {
        return Cow::Owned(m.as_str().to_string());
    }
    Cow::Borrowed(v)
}

/// Keep `first` and `last` characters, `*` between (all `*` when too short).
fn keep_ends(v: &str, first: usize, last: usize, out: &mut String) {
    let n = partial::char_count(v);
    if first + last >= n {
        out.extend(std::iter::repeat_n('*', n));
        return;
    }
    partial::keep_ends_into(v, n, first, last, out)
}

fn as_text(array: &ArrayRef) -> Result<StringArray> {
    let text = cast(array, &DataType::Utf8).map_err(Error::internal)?;
    Ok(text.as_string::<i32>().clone())
}

/// A column's values as text, read in place (Parquet strings arrive as `Utf8View`);
/// other types are cast to text.
pub(super) enum Text {
    Utf8(StringArray),
    Large(datafusion::arrow::array::LargeStringArray),
    View(datafusion::arrow::array::StringViewArray),
}

impl Text {
    pub(super) fn of(array: &ArrayRef) -> Result<Text> {
        Ok(match array.data_type() {
            DataType::Utf8 => Text::Utf8(array.as_string::<i32>().clone()),
            DataType::LargeUtf8 => Text::Large(array.as_string::<i64>().clone()),
            DataType::Utf8View => Text::View(array.as_string_view().clone()),
            _ => Text::Utf8(as_text(array)?),
        })
    }

    pub(super) fn len(&self) -> usize {
        match self {
            Text::Utf8(a) => a.len(),
            Text::Large(a) => a.len(),
            Text::View(a) => a.len(),
        }
    }

    #[inline]
    pub(super) fn get(&self, i: usize) -> Option<&str> {
        match self {
            Text::Utf8(a) => a.is_valid(i).then(|| a.value(i)),
            Text::Large(a) => a.is_valid(i).then(|| a.value(i)),
            Text::View(a) => a.is_valid(i).then(|| a.value(i)),
        }
    }
}

/// Rows after which a column's per-batch cache of results is dropped if fewer than one
/// lookup in [`CACHE_MIN_HIT`] found a repeated value.
const CACHE_PROBE_ROWS: usize = 1024;
const CACHE_MIN_HIT: usize = 8;

/// A batch's cache of results by input value, which turns itself off (and frees its
/// table) at row [`CACHE_PROBE_ROWS`] when values hardly repeat.
struct ValueCache<'a, V> {
    on: bool,
    map: hashbrown::HashMap<&'a str, V>,
    hits: usize,
}

impl<'a, V: Copy> ValueCache<'a, V> {
    fn new(on: bool) -> Self {
        Self {
            on,
            map: hashbrown::HashMap::new(),
            hits: 0,
        }
    }

    /// Call once per row, before its value is looked at (null rows count too).
    fn row(&mut self, row: usize) {
        if self.on && row == CACHE_PROBE_ROWS && self.hits * CACHE_MIN_HIT < row {
            self.on = false;
            self.map = hashbrown::HashMap::new();
        }
    }

    pub(super) fn get(&mut self, v: &str) -> Option<V> {
        let found = self.on.then(|| self.map.get(v).copied()).flatten();
        self.hits += found.is_some() as usize;
        found
    }

    fn insert(&mut self, v: &'a str, result: V) {
        if self.on {
            self.map.insert(v, result);
        }
    }
}

/// Column `i` of `batch` through `method`, and how many values changed. The output is
/// built in place (one buffer for the batch, no `String` per value).
fn mask_column(
    batch: &RecordBatch,
    i: usize,
    method: &Method,
    category: Option<&Category>,
    key: Option<&Key>,
    mut sample: Option<&mut Sample>,
) -> Result<(ArrayRef, u64)> {
    let col = batch.column(i);
    if *method == Method::Keep {
        return Ok((col.clone(), 0));
    }
    let text = Text::of(col)?;
    if let (Method::Tokenize { format_preserving }, Some(key)) = (method, key) {
        return mask_tokens(&text, key, *format_preserving, category, sample);
    }
    let n = text.len();
    // For shift: the record each row belongs to.
    let records = match method {
        Method::Shift { by, .. } => {
            let j = batch.schema().index_of(by).map_err(Error::internal)?;
            Some(Text::of(batch.column(j))?)
        }
        _ => None,
    };
    let mut out = datafusion::arrow::array::StringBuilder::with_capacity(n, n * 24);
    let mut scratch = String::new();
    let mut enc = EncryptState::default();
    let mut changed = 0;
    // Deterministic methods give the same output for the same value: a value repeated
    // within the batch (names, cities) is computed once, its result copied from the
    // row that first had it. Only where that is dearer than a hash lookup (tokens,
    // generalize), and dropped for a batch whose values hardly repeat. Never for
    // `encrypt` (equal ciphertexts would reveal equal values) or `shift` (the output
    // depends on the record).
    // value -> byte range of its result in `out` (None: null).
    let mut cache: ValueCache<Option<(usize, usize)>> = ValueCache::new(matches!(
        method,
        Method::Tokenize { .. } | Method::Generalize(_)
    ));
    for row in 0..n {
        cache.row(row);
        let Some(v) = text.get(row) else {
            out.append_null();
            continue;
        };
        if let Some(prev) = cache.get(v) {
            match prev {
                Some((start, end)) => {
                    scratch.clear();
                    scratch.push_str(
                        std::str::from_utf8(&out.values_slice()[start..end])
                            .map_err(Error::internal)?,
                    );
                    if scratch != v {
                        changed += 1;
                    }
                    out.append_value(&scratch);
                }
                None => {
                    changed += 1;
                    out.append_null();
                }
            }
            continue;
        }
        scratch.clear();
        let valid = match (method, &records, key) {
            (Method::Shift { days, .. }, Some(records), Some(key)) => {
                let o = crate::mask::shift::offset(key, records.get(row).unwrap_or(""), *days);
                match crate::mask::shift::shift(v, o) {
                    Some(s) => {
                        scratch.push_str(&s);
                        true
                    }
                    None => false,
                }
            }
            _ => apply_into(method, category, key, v, &mut scratch, &mut enc),
        };
        if valid {
            if scratch != v {
                changed += 1;
            }
            let start = out.values_slice().len();
            cache.insert(v, Some((start, start + scratch.len())));
            // Verification sees each distinct output once (a cache hit repeats a value
            // the sample has already been offered).
            if let Some(sample) = sample.as_deref_mut() {
                sample.offer(&scratch);
                // A written text may still hold personal data inside it (a `redact`
                // replacement, a generalised or partly kept value, a span `spans`
                // missed). Keyed tokens and ciphertexts carry none of the input.
                if !matches!(method, Method::Tokenize { .. } | Method::Encrypt) {
                    sample.offer_spans(&scratch);
                }
            }
            out.append_value(&scratch);
        } else {
            changed += 1;
            cache.insert(v, None);
            out.append_null();
        }
    }
    Ok((Arc::new(out.finish()), changed))
}

/// [`mask_column`] for `tokenize`: the batch's distinct values (a value repeated within
/// the batch once, while that pays, as in `mask_column`) are tokenized together, so the
/// HMACs run two at a time; then the rows are written in order. The same output, counts
/// and verification sample as value by value (tokens of [`token_input`]).
fn mask_tokens(
    text: &Text,
    key: &Key,
    format_preserving: bool,
    category: Option<&Category>,
    mut sample: Option<&mut Sample>,
) -> Result<(ArrayRef, u64)> {
    const NULL: u32 = u32::MAX;
    let n = text.len();
    // Distinct values, and what each is tokenized from.
    let mut todo: Vec<&str> = Vec::new();
    let mut inputs: Vec<Cow<'_, str>> = Vec::new();
    // Per row: its value's index in `todo`, or NULL.
    let mut slots: Vec<u32> = Vec::with_capacity(n);
    let mut cache: ValueCache<u32> = ValueCache::new(true);
    for row in 0..n {
        cache.row(row);
        let Some(v) = text.get(row) else {
            slots.push(NULL);
            continue;
        };
        if let Some(s) = cache.get(v) {
            slots.push(s);
            continue;
        }
        let s = u32::try_from(todo.len()).map_err(Error::internal)?;
        todo.push(v);
        inputs.push(token_input(category, v));
        cache.insert(v, s);
        slots.push(s);
    }
    let inputs: Vec<&str> = inputs.iter().map(|v| v.as_ref()).collect();
    let mut tokens = String::with_capacity(todo.len() * 28);
    let mut ends = Vec::with_capacity(todo.len());
    tokenize::tokens_into(key, format_preserving, &inputs, &mut tokens, &mut ends);
    let token = |s: usize| &tokens[if s == 0 { 0 } else { ends[s - 1] }..ends[s]];
    let bytes: usize = slots
        .iter()
        .filter(|&&s| s != NULL)
        .map(|&s| token(s as usize).len())
        .sum();
    let mut out = datafusion::arrow::array::StringBuilder::with_capacity(n, bytes);
    let mut changed = 0;
    // Slots are numbered in order of first appearance: the first row of each is where
    // value-by-value masking computed (and offered to the sample) its token.
    let mut fresh = 0;
    for &s in &slots {
        if s == NULL {
            out.append_null();
            continue;
        }
        let (s, t) = (s as usize, token(s as usize));
        if t != todo[s] {
            changed += 1;
        }
        if s == fresh {
            if let Some(sample) = sample.as_deref_mut() {
                sample.offer(t);
            }
            fresh += 1;
        }
        out.append_value(t);
    }
    Ok((Arc::new(out.finish()), changed))
}

/// The methods of one run, column by column, applied batch by batch.
#[derive(Debug, Clone)]
pub struct Masker {
    methods: Vec<Method>,
    /// Per column, its category (`None`: none, or an id no detector has).
    categories: Vec<Option<&'static Category>>,
    key: Option<Key>,
}

impl Masker {
    pub fn new(methods: Vec<Method>, categories: Vec<Option<String>>, key: Option<Key>) -> Self {
        Masker {
            methods,
            categories: categories
                .iter()
                .map(|c| c.as_deref().and_then(crate::classify::category::get))
                .collect(),
            key,
        }
    }

    pub fn methods(&self) -> &[Method] {
        &self.methods
    }

    /// The masker of some columns only (in the given order), for batches that hold
    /// just those columns.
    pub(crate) fn subset(&self, columns: &[usize]) -> Masker {
        Masker {
            methods: columns.iter().map(|&i| self.methods[i].clone()).collect(),
            categories: columns.iter().map(|&i| self.categories[i]).collect(),
            key: self.key.clone(),
        }
    }

    /// Every column of `batch` through its method (kept columns as they are), and how
    /// many values of each changed. `threads`: the masked columns on separate threads.
    /// `samples`: per column, the verification sample to offer its output to.
    pub fn mask_batch(
        &self,
        batch: &RecordBatch,
        threads: bool,
        samples: Option<&mut [Option<Sample>]>,
    ) -> Result<(Vec<ArrayRef>, Vec<u64>)> {
        let n = self.methods.len();
        let mut none: Vec<Option<Sample>> = Vec::new();
        let samples: &mut [Option<Sample>] = match samples {
            Some(s) => s,
            None => {
                none.resize_with(n, || None);
                &mut none
            }
        };
        let one = |i: usize, sample: Option<&mut Sample>| {
            mask_column(
                batch,
                i,
                &self.methods[i],
                self.categories[i],
                self.key.as_ref(),
                sample,
            )
        };
        let results: Vec<Result<(ArrayRef, u64)>> = if threads {
            std::thread::scope(|scope| {
                let handles: Vec<_> = samples
                    .iter_mut()
                    .enumerate()
                    .map(|(i, sample)| {
                        // Kept columns are passed through: no thread for them.
                        if self.methods[i] == Method::Keep {
                            Err(one(i, None))
                        } else {
                            Ok(scope.spawn(move || one(i, sample.as_mut())))
                        }
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| match h {
                        Err(r) => r,
                        Ok(h) => h
                            .join()
                            .unwrap_or_else(|_| Err(Error::internal("a masking thread panicked"))),
                    })
                    .collect()
            })
        } else {
            samples
                .iter_mut()
                .enumerate()
                .map(|(i, sample)| one(i, sample.as_mut()))
                .collect()
        };
        let mut arrays = Vec::with_capacity(results.len());
        let mut changed = Vec::with_capacity(results.len());
        for r in results {
            let (a, n) = r?;
            arrays.push(a);
            changed.push(n);
        }
        Ok((arrays, changed))
    }
}
