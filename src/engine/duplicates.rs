//! `steward_duplicates(key, ..., n)`: exact duplicate statistics of a key, computed inside
//! the dataset's single aggregate.
//!
//! A `unique` check or a `duplicates.exact` key set used to be its own GROUP BY, which
//! re-read the input once per key set; as an aggregate function it rides on the one scan
//! that computes every other check. A row takes part when every key part is non-null and
//! non-empty (the callers pass trimmed text, so this is the rule file's "present").
//!
//! The result is a struct: `groups` (distinct present keys), `rows` (present rows),
//! `dup_values` (keys seen more than once), `dup_rows` (rows carrying such keys) and
//! `samples`, the `n` smallest duplicated keys as `key<US>count` strings (parts of a
//! composite key joined by `|`), so samples do not depend on partitioning.
//!
//! Memory is bounded: the accumulators of a process together hold at most the spill
//! budget of key rows and write the rest, by hash partition, to unnamed temporary files
//! (see [`spill`]); the final count reads one hash partition per thread at a time and
//! splits a partition that is still larger than its share of the budget by further
//! hash bits. `size()` reports what is held to
//! DataFusion's memory pool. See `DuplicatesAccumulator` for how the count is spread
//! over threads.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray, UInt64Array};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Fields, UInt64Type};
use datafusion::common::scalar::ScalarStructBuilder;
use datafusion::common::utils::SingleRowListArrayBuilder;
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility,
};
use hashbrown::HashTable;
use std::hash::BuildHasher;

mod spill;

use spill::{Bucket, Budget, PARTITIONS, Parcel, Partitioned, Runs};

pub(crate) const NAME: &str = "steward_duplicates";

/// Separates a duplicated key from its row count in a sample string.
pub(crate) const COUNT_SEP: char = '\u{1f}';

/// The function; `spill` is the bytes of key rows all accumulators of the process hold
/// together before they write them to temporary files (`None`: hold every key in memory,
/// for plans whose stages run in other processes).
pub(crate) fn udaf(spill: Option<usize>) -> AggregateUDF {
    AggregateUDF::from(Duplicates {
        signature: Signature::variadic_any(Volatility::Immutable),
        spill,
    })
}

/// Field names of the result struct, in order.
pub(crate) const FIELDS: [&str; 5] = ["groups", "rows", "dup_values", "dup_rows", "samples"];

fn result_fields() -> Fields {
    let mut fields: Vec<Field> = FIELDS[..4]
        .iter()
        .map(|n| Field::new(*n, DataType::UInt64, false))
        .collect();
    fields.push(Field::new(FIELDS[4], super::utf8_list_type(), false));
    Fields::from(fields)
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Duplicates {
    signature: Signature,
    spill: Option<usize>,
}

impl AggregateUDFImpl for Duplicates {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        if arg_types.len() < 2 {
            return exec_err!("{NAME} takes one or more key columns and a sample count");
        }
        Ok(DataType::Struct(result_fields()))
    }

    fn accumulator(&self, acc_args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let limit = super::count_literal(NAME, acc_args.exprs.last())?;
        Ok(Box::new(DuplicatesAccumulator::new(limit, self.spill)))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let list = |t: DataType| DataType::List(Arc::new(Field::new_list_field(t, true)));
        let field = |name: &str, t: DataType| {
            Arc::new(Field::new(format!("{}[{name}]", args.name), list(t), true))
        };
        Ok(vec![
            field("keys", DataType::LargeBinary),
            field("hashes", DataType::UInt64),
            field("ends", DataType::UInt64),
            field("spilled", DataType::UInt64),
        ])
    }
}

/// Text columns of one batch, whatever their string layout.
enum Text<'a> {
    Utf8(&'a StringArray),
    Large(&'a datafusion::arrow::array::LargeStringArray),
    View(&'a datafusion::arrow::array::StringViewArray),
}

impl<'a> Text<'a> {
    fn new(array: &'a ArrayRef) -> Result<Self> {
        Ok(match array.data_type() {
            DataType::Utf8 => Text::Utf8(array.as_string::<i32>()),
            DataType::LargeUtf8 => Text::Large(array.as_string::<i64>()),
            DataType::Utf8View => Text::View(array.as_string_view()),
            other => return exec_err!("{NAME} expects text keys, got {other}"),
        })
    }

    fn get(&self, i: usize) -> Option<&'a str> {
        let value = match self {
            Text::Utf8(a) => a.is_valid(i).then(|| a.value(i)),
            Text::Large(a) => a.is_valid(i).then(|| a.value(i)),
            Text::View(a) => a.is_valid(i).then(|| a.value(i)),
        };
        value.filter(|v| !v.is_empty())
    }
}

/// One hash seed per process, so that every accumulator of a query puts a key in the same
/// partition.
static SEED: std::sync::LazyLock<u64> =
    std::sync::LazyLock::new(|| std::hash::RandomState::new().hash_one(0x5eed_u64));

fn hash(key: &[u8]) -> u64 {
    foldhash::fast::FixedState::with_seed(*SEED).hash_one(key)
}

/// Collects the present key rows, then counts them.
///
/// A key is its parts, each as a little-endian u32 length and the bytes, so composite
/// keys never collide whatever characters they contain. While scanning, each partition
/// accumulator only hashes a key and appends it to its hash partition (sequential
/// writes), spilling to a temporary file past its budget. The final accumulator receives
/// every partition accumulator's keys (in memory and spilled; handed over as they are
/// within the process, as arrays from another one) and counts each hash partition on
/// its own thread: with an exactly sized table when nothing of it was spilled, else one
/// segment at a time (see [`spill::count`]).
#[derive(Debug)]
struct DuplicatesAccumulator {
    limit: usize,
    /// Bytes of key rows all accumulators hold before spilling; `None` keeps every key
    /// in memory.
    budget: Option<usize>,
    keys: Partitioned,
    /// States received as arrays (from another process): keys, hashes, partition ends.
    states: Vec<[ArrayRef; 3]>,
    /// Bucket sets handed over by accumulators of this process.
    received: Vec<Vec<Bucket>>,
    /// Spilled keys, this accumulator's own and those received.
    runs: Vec<Runs>,
    buf: Vec<u8>,
}

impl DuplicatesAccumulator {
    fn new(limit: usize, budget: Option<usize>) -> Self {
        Self {
            limit,
            budget,
            keys: Partitioned::new(0, budget.map_or(Budget::Unbounded, Budget::Shared)),
            states: Vec::new(),
            received: Vec::new(),
            runs: Vec::new(),
            buf: Vec::new(),
        }
    }

    /// This accumulator's in-memory keys as arrays (keys, hashes, partition ends), for
    /// a merge in another process (where nothing is spilled).
    fn own_arrays(&mut self) -> [ArrayRef; 3] {
        let (buckets, _) = self.keys.take();
        let total: usize = buckets.iter().map(Bucket::len).sum();
        let bytes: usize = buckets.iter().map(Bucket::bytes).sum();
        let mut keys = datafusion::arrow::array::LargeBinaryBuilder::with_capacity(total, bytes);
        let mut hashes = Vec::with_capacity(total);
        let mut ends = Vec::with_capacity(PARTITIONS);
        for b in buckets {
            for (h, key) in b.rows() {
                keys.append_value(key);
                hashes.push(h);
            }
            ends.push(hashes.len() as u64);
        }
        [
            Arc::new(keys.finish()),
            Arc::new(UInt64Array::from(hashes)),
            Arc::new(UInt64Array::from(ends)),
        ]
    }

    /// Counts every state's keys, one hash partition per thread.
    fn summary(&mut self) -> Result<ScalarValue> {
        let (own, own_runs) = self.keys.take();
        let mut sets = std::mem::take(&mut self.received);
        sets.push(own);
        let mut runs = std::mem::take(&mut self.runs);
        runs.extend(own_runs);
        let arrays = std::mem::take(&mut self.states);
        let states: Vec<State> = arrays.iter().map(State::new).collect::<Result<_>>()?;
        let parts = |p: usize| -> Vec<Part> {
            let arrays = states.iter().map(|s| Part::Arrays(s, s.range(p)));
            let buckets = sets.iter().map(|set| Part::Bucket(&set[p]));
            arrays
                .chain(buckets)
                .filter(|part| part.len() > 0)
                .collect()
        };
        let next = std::sync::atomic::AtomicUsize::new(0);
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(PARTITIONS);
        // A partition counted from disk holds at most its thread's share of the budget.
        let (limit, budget) = (self.limit, self.budget.map(|b| (b / threads).max(1)));
        let parts: Vec<std::thread::Result<std::io::Result<Counts>>> =
            std::thread::scope(|scope| {
                let workers: Vec<_> = (0..threads)
                    .map(|_| {
                        scope.spawn(|| {
                            let mut total = Counts::default();
                            loop {
                                let p = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                                if p >= PARTITIONS {
                                    return Ok(total);
                                }
                                total.add(
                                    count_partition(&parts(p), &runs, p, limit, budget)?,
                                    limit,
                                );
                            }
                        })
                    })
                    .collect();
                workers.into_iter().map(|w| w.join()).collect()
            });
        let mut total = Counts::default();
        for part in parts {
            let Ok(part) = part else {
                return Err(datafusion::error::DataFusionError::Internal(format!(
                    "{NAME}: a counting thread panicked"
                )));
            };
            total.add(part.map_err(spill_error)?, limit);
        }
        let samples: StringArray = total
            .samples
            .iter()
            .map(|(key, n)| Some(format!("{}{COUNT_SEP}{n}", display_key(key))))
            .collect();
        let fields = result_fields();
        let values = [total.groups, total.rows, total.dup_values, total.dup_rows];
        let mut builder = ScalarStructBuilder::new();
        for (field, v) in fields.iter().zip(values) {
            builder = builder.with_scalar(field.as_ref().clone(), ScalarValue::UInt64(Some(v)));
        }
        builder
            .with_scalar(
                fields[4].as_ref().clone(),
                SingleRowListArrayBuilder::new(Arc::new(samples)).build_list_scalar(),
            )
            .build()
    }
}

/// A temporary-file failure while spilling keys (e.g. the temp directory is full).
#[derive(Debug)]
pub(crate) struct SpillError(pub(crate) std::io::Error);

impl std::fmt::Display for SpillError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{NAME}: cannot spill key rows to a temporary file: {}",
            self.0
        )
    }
}

impl std::error::Error for SpillError {}

fn spill_error(e: std::io::Error) -> datafusion::error::DataFusionError {
    datafusion::error::DataFusionError::External(Box::new(SpillError(e)))
}

/// One accumulator's keys, read back from its state arrays.
struct State<'a> {
    keys: &'a datafusion::arrow::array::LargeBinaryArray,
    hashes: &'a [u64],
    ends: &'a [u64],
}

impl<'a> State<'a> {
    fn new(arrays: &'a [ArrayRef; 3]) -> Result<Self> {
        let (Some(keys), Some(hashes), Some(ends)) = (
            arrays[0].as_binary_opt::<i64>(),
            arrays[1].as_primitive_opt::<UInt64Type>(),
            arrays[2].as_primitive_opt::<UInt64Type>(),
        ) else {
            return exec_err!("{NAME}: malformed intermediate state");
        };
        if ends.len() != PARTITIONS || hashes.len() != keys.len() {
            return exec_err!("{NAME}: malformed intermediate state");
        }
        Ok(State {
            keys,
            hashes: hashes.values(),
            ends: ends.values(),
        })
    }

    fn range(&self, p: usize) -> std::ops::Range<usize> {
        let start = if p == 0 { 0 } else { self.ends[p - 1] as usize };
        start.min(self.keys.len())..(self.ends[p] as usize).min(self.keys.len())
    }
}

/// One source's key rows of one hash partition: a range of a state's arrays, or a
/// bucket handed over in memory.
enum Part<'a> {
    Arrays(&'a State<'a>, std::ops::Range<usize>),
    Bucket(&'a Bucket),
}

impl Part<'_> {
    fn len(&self) -> usize {
        match self {
            Part::Arrays(_, range) => range.len(),
            Part::Bucket(b) => b.len(),
        }
    }

    fn hash(&self, r: usize) -> u64 {
        match self {
            Part::Arrays(s, range) => s.hashes[range.start + r],
            Part::Bucket(b) => b.hash(r),
        }
    }

    fn key(&self, r: usize) -> &[u8] {
        match self {
            Part::Arrays(s, range) => s.keys.value(range.start + r),
            Part::Bucket(b) => b.key(r),
        }
    }

    /// Bytes of its key rows as spilled records (keys and their length prefixes).
    fn record_bytes(&self) -> u64 {
        match self {
            Part::Arrays(s, range) => {
                let offsets = s.keys.value_offsets();
                (offsets[range.end] - offsets[range.start]) as u64 + 4 * range.len() as u64
            }
            Part::Bucket(b) => b.record_bytes(),
        }
    }
}

/// Counts of some hash partitions.
#[derive(Debug, Default)]
struct Counts {
    groups: u64,
    rows: u64,
    dup_values: u64,
    dup_rows: u64,
    /// The smallest duplicated keys with their row counts.
    samples: std::collections::BTreeSet<(Vec<u8>, u64)>,
}

impl Counts {
    /// Records a distinct key seen in `n` rows (its group and rows are counted apart).
    fn key(&mut self, key: &[u8], n: u64, limit: usize) {
        if n > 1 {
            self.dup_values += 1;
            self.dup_rows += n;
            if limit > 0 {
                self.samples.insert((key.to_vec(), n));
                if self.samples.len() > limit {
                    self.samples.pop_last();
                }
            }
        }
    }

    fn add(&mut self, other: Counts, limit: usize) {
        self.groups += other.groups;
        self.rows += other.rows;
        self.dup_values += other.dup_values;
        self.dup_rows += other.dup_rows;
        self.samples.extend(other.samples);
        while self.samples.len() > limit {
            self.samples.pop_last();
        }
    }
}

/// Counts hash partition `p`: its in-memory `parts` and every run's segments of it.
fn count_partition(
    parts: &[Part],
    runs: &[Runs],
    p: usize,
    limit: usize,
    budget: Option<usize>,
) -> std::io::Result<Counts> {
    let budget = match budget {
        Some(budget) if runs.iter().any(|r| r.has(p)) => budget,
        _ => return Ok(count_in_memory(parts, limit)),
    };
    let in_memory: u64 = parts.iter().map(Part::record_bytes).sum();
    let spilled: u64 = runs.iter().map(|r| r.bytes(p)).sum();
    spill::count(
        in_memory + spilled,
        budget,
        1,
        &mut |f| {
            for part in parts {
                for r in 0..part.len() {
                    f(part.hash(r), part.key(r))?;
                }
            }
            for r in runs {
                r.each(p, &mut |key| f(hash(key), key))?;
            }
            Ok(())
        },
        limit,
    )
}

/// Counts a hash partition that is all in memory, with an exactly sized table over the
/// parts' own rows.
fn count_in_memory(parts: &[Part], limit: usize) -> Counts {
    let size: usize = parts.iter().map(Part::len).sum();
    // (part, row) of a key's first occurrence, and its count.
    let mut table: HashTable<(u32, u32, u64)> = HashTable::with_capacity(size);
    for (pi, part) in parts.iter().enumerate() {
        for row in 0..part.len() {
            let (h, key) = (part.hash(row), part.key(row));
            match table.find_mut(h, |&(fp, fr, _)| parts[fp as usize].key(fr as usize) == key) {
                Some(entry) => entry.2 += 1,
                None => {
                    table.insert_unique(h, (pi as u32, row as u32, 1), |&(fp, fr, _)| {
                        parts[fp as usize].hash(fr as usize)
                    });
                }
            }
        }
    }
    let mut counts = Counts {
        groups: table.len() as u64,
        rows: size as u64,
        ..Default::default()
    };
    for &(fp, fr, n) in &table {
        counts.key(parts[fp as usize].key(fr as usize), n, limit);
    }
    counts
}

/// The key as shown in a sample: its parts joined by `|`.
fn display_key(mut key: &[u8]) -> String {
    let mut parts = Vec::new();
    while key.len() >= 4 {
        let len = u32::from_le_bytes([key[0], key[1], key[2], key[3]]) as usize;
        let end = (4 + len).min(key.len());
        parts.push(String::from_utf8_lossy(&key[4..end]).into_owned());
        key = &key[end..];
    }
    parts.join("|")
}

impl Accumulator for DuplicatesAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let keys = &values[..values.len() - 1];
        let columns = keys.iter().map(Text::new).collect::<Result<Vec<_>>>()?;
        let rows = keys.first().map_or(0, |a| a.len());
        let mut buf = std::mem::take(&mut self.buf);
        'row: for i in 0..rows {
            buf.clear();
            for column in &columns {
                let Some(part) = column.get(i) else {
                    continue 'row;
                };
                buf.extend_from_slice(&(part.len() as u32).to_le_bytes());
                buf.extend_from_slice(part.as_bytes());
            }
            self.keys.push(hash(&buf), &buf).map_err(spill_error)?;
        }
        self.buf = buf;
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let lists = [
            states[0].as_list::<i32>(),
            states[1].as_list::<i32>(),
            states[2].as_list::<i32>(),
            states[3].as_list::<i32>(),
        ];
        for i in 0..lists[0].len() {
            if lists.iter().any(|l| l.is_null(i)) {
                continue;
            }
            let ids = lists[3].value(i);
            let Some(ids) = ids.as_primitive_opt::<UInt64Type>() else {
                return exec_err!("{NAME}: malformed intermediate state");
            };
            for id in ids.values() {
                let Some(parcel) = spill::take(*id) else {
                    return exec_err!(
                        "{NAME}: spilled keys of another process cannot be read here"
                    );
                };
                self.received.extend(parcel.sets);
                self.runs.extend(parcel.runs);
            }
            // Handed-over states carry no arrays.
            if !lists[0].value(i).is_empty() || !lists[2].value(i).is_empty() {
                self.states
                    .push([lists[0].value(i), lists[1].value(i), lists[2].value(i)]);
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let in_process =
            self.budget.is_some() || !self.runs.is_empty() || !self.received.is_empty();
        let (arrays, ids) = if in_process {
            // In this process: hand over the buckets and runs as they are, with those
            // received by this accumulator (a merge before a further merge).
            let (own, runs) = self.keys.take();
            let mut parcel = Parcel {
                sets: std::mem::take(&mut self.received),
                runs: std::mem::take(&mut self.runs),
            };
            parcel.sets.push(own);
            parcel.runs.extend(runs);
            let empty: [ArrayRef; 3] = [
                Arc::new(datafusion::arrow::array::LargeBinaryArray::new_null(0)),
                Arc::new(UInt64Array::new_null(0)),
                Arc::new(UInt64Array::new_null(0)),
            ];
            (empty, vec![spill::hand_over(parcel)])
        } else {
            (self.own_arrays(), Vec::new())
        };
        let ids: ArrayRef = Arc::new(UInt64Array::from(ids));
        Ok(arrays
            .into_iter()
            .chain([ids])
            .map(|a| SingleRowListArrayBuilder::new(a).build_list_scalar())
            .collect())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        self.summary()
    }

    fn size(&self) -> usize {
        let received: usize = self
            .states
            .iter()
            .flat_map(|s| s.iter().map(|a| a.get_array_memory_size()))
            .sum();
        let handed: usize = self
            .received
            .iter()
            .flat_map(|set| set.iter().map(Bucket::capacity))
            .sum();
        size_of_val(self) + self.keys.capacity() + received + handed + self.buf.capacity()
    }
}

#[cfg(test)]
mod tests;
