//! Key rows of the duplicate count on disk, so that its memory stays bounded.
//!
//! [`Partitioned`] is the in-memory front: key rows appended to buckets by hash
//! partition (five hash bits per level) and, once they hold more than the budget, written
//! to its [`Runs`]: an unnamed temporary file (the OS removes it when it is closed, also
//! after a crash) where each spill appends one segment per non-empty partition. A
//! partition is counted by reading its segments one at a time into a table of its
//! distinct keys; a partition still larger than the budget is first split by the next
//! five hash bits, recursively, so no step holds more than about the budget.
//!
//! A partial accumulator's key rows (its buckets and runs) travel to the final
//! accumulator through a process-wide hand-over map, as they are: its state carries
//! only the id, so nothing is copied. Spilling (and the hand-over) is only enabled where
//! every stage of a query runs in this process (not on a cluster).

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{LazyLock, Mutex};

use hashbrown::HashTable;

use super::{Counts, hash};

/// Hash bits per level of partitioning.
const BITS: u32 = 5;
/// Partitions per level (a power of two).
pub(super) const PARTITIONS: usize = 1 << BITS;
/// The deepest split: twelve levels use 60 of the hash's 64 bits. Keys that still share
/// a partition there share 60 hash bits; they are counted in memory (a partition that
/// large is one key repeated, which its table holds once).
const MAX_LEVEL: u32 = 11;

/// The partition of `hash` at `level` (level 0: the top five bits).
pub(super) fn partition(hash: u64, level: u32) -> usize {
    ((hash >> (64 - BITS * (level + 1))) as usize) & (PARTITIONS - 1)
}

/// Bytes a key row is accounted at while in memory: its bytes, end offset and hash.
const ROW_OVERHEAD: usize = 16;

/// Key rows of one partition, appended as they come (no lookups while scanning).
#[derive(Debug, Default)]
pub(super) struct Bucket {
    bytes: Vec<u8>,
    /// End offset of each key in `bytes`.
    ends: Vec<usize>,
    hashes: Vec<u64>,
}

impl Bucket {
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(super) fn bytes(&self) -> usize {
        self.bytes.len()
    }

    /// Bytes its rows take as spilled records (a u32 length before each key).
    pub(super) fn record_bytes(&self) -> u64 {
        (self.bytes.len() + 4 * self.ends.len()) as u64
    }

    /// Hash of row `r`.
    pub(super) fn hash(&self, r: usize) -> u64 {
        self.hashes[r]
    }

    /// Key of row `r`.
    pub(super) fn key(&self, r: usize) -> &[u8] {
        let start = if r == 0 { 0 } else { self.ends[r - 1] };
        &self.bytes[start..self.ends[r]]
    }

    fn push(&mut self, hash: u64, key: &[u8]) {
        self.bytes.extend_from_slice(key);
        self.ends.push(self.bytes.len());
        self.hashes.push(hash);
    }

    /// (hash, key) of every row, in order.
    pub(super) fn rows(&self) -> impl Iterator<Item = (u64, &[u8])> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .zip(&self.hashes)
            .map(|((start, &end), &h)| (h, &self.bytes[start..end]))
    }

    pub(super) fn capacity(&self) -> usize {
        self.bytes.capacity() + 8 * (self.ends.capacity() + self.hashes.capacity())
    }
}

/// How many bytes of key rows a [`Partitioned`] may hold before it spills.
#[derive(Debug, Clone, Copy)]
pub(super) enum Budget {
    /// Never spill (plans whose stages run in other processes).
    Unbounded,
    /// At most this many bytes on its own (a split while counting).
    Own(usize),
    /// Spill once all `Shared` holders of the process together hold more than this: a
    /// scan runs one accumulator per key set and partition, so a per-accumulator budget
    /// would grow with the cores and the rule file.
    Shared(usize),
}

/// Bytes held by every `Budget::Shared` holder, as last reported.
static SHARED_HELD: AtomicUsize = AtomicUsize::new(0);
/// A shared holder reports its growth to [`SHARED_HELD`] in steps of a 16th of the
/// budget, at most this much (one atomic add per step, not per key), and only spills
/// when it holds at least a step.
const REPORT_STEP: usize = 64 << 10;

/// Key rows by partition at one level: in memory up to a budget, the rest in runs.
#[derive(Debug)]
pub(super) struct Partitioned {
    level: u32,
    budget: Budget,
    buckets: Vec<Bucket>,
    held: usize,
    /// Of `held`, the bytes added to [`SHARED_HELD`].
    reported: usize,
    runs: Option<Runs>,
}

impl Drop for Partitioned {
    fn drop(&mut self) {
        SHARED_HELD.fetch_sub(self.reported, Ordering::Relaxed);
    }
}

impl Partitioned {
    pub(super) fn new(level: u32, budget: Budget) -> Self {
        Self {
            level,
            budget,
            buckets: (0..PARTITIONS).map(|_| Bucket::default()).collect(),
            held: 0,
            reported: 0,
            runs: None,
        }
    }

    pub(super) fn push(&mut self, hash: u64, key: &[u8]) -> io::Result<()> {
        self.buckets[partition(hash, self.level)].push(hash, key);
        self.held += key.len() + ROW_OVERHEAD;
        match self.budget {
            Budget::Unbounded => Ok(()),
            Budget::Own(budget) if self.held > budget => self.spill(),
            Budget::Own(_) => Ok(()),
            Budget::Shared(budget) => {
                let step = self.held - self.reported;
                if step < (budget / 16).clamp(1, REPORT_STEP) {
                    return Ok(());
                }
                let all = SHARED_HELD.fetch_add(step, Ordering::Relaxed) + step;
                self.reported = self.held;
                if all > budget { self.spill() } else { Ok(()) }
            }
        }
    }

    /// Writes every bucket to the runs and empties them.
    fn spill(&mut self) -> io::Result<()> {
        let runs = match &mut self.runs {
            Some(runs) => runs,
            None => self.runs.insert(Runs::new()?),
        };
        runs.append(&mut self.buckets)?;
        self.release();
        Ok(())
    }

    /// Forgets what is held (written out or handed on).
    fn release(&mut self) {
        SHARED_HELD.fetch_sub(self.reported, Ordering::Relaxed);
        self.held = 0;
        self.reported = 0;
    }

    /// The in-memory buckets and the runs, leaving this empty.
    pub(super) fn take(&mut self) -> (Vec<Bucket>, Option<Runs>) {
        self.release();
        let buckets = std::mem::replace(
            &mut self.buckets,
            (0..PARTITIONS).map(|_| Bucket::default()).collect(),
        );
        (buckets, self.runs.take())
    }

    /// Bytes of memory held.
    pub(super) fn capacity(&self) -> usize {
        self.buckets.iter().map(Bucket::capacity).sum()
    }
}

/// Spilled key rows: each partition's segments in one temporary file.
#[derive(Debug)]
pub(super) struct Runs {
    file: File,
    len: u64,
    /// Per partition, (offset, length) of each segment written for it.
    segments: Vec<Vec<(u64, u64)>>,
}

impl Runs {
    fn new() -> io::Result<Self> {
        Ok(Self {
            file: tempfile::tempfile()?,
            len: 0,
            segments: vec![Vec::new(); PARTITIONS],
        })
    }

    /// Appends each non-empty bucket as a segment of length-prefixed keys and frees it.
    fn append(&mut self, buckets: &mut [Bucket]) -> io::Result<()> {
        let mut out = BufWriter::with_capacity(1 << 16, &self.file);
        for (p, bucket) in buckets.iter_mut().enumerate() {
            if bucket.len() == 0 {
                continue;
            }
            for (_, key) in bucket.rows() {
                out.write_all(&(key.len() as u32).to_le_bytes())?;
                out.write_all(key)?;
            }
            let written = bucket.record_bytes();
            self.segments[p].push((self.len, written));
            self.len += written;
            *bucket = Bucket::default();
        }
        out.flush()
    }

    /// Bytes spilled for partition `p`.
    pub(super) fn bytes(&self, p: usize) -> u64 {
        self.segments[p].iter().map(|&(_, len)| len).sum()
    }

    pub(super) fn has(&self, p: usize) -> bool {
        !self.segments[p].is_empty()
    }

    /// Calls `f` with every key of partition `p`, one segment in memory at a time.
    pub(super) fn each(
        &self,
        p: usize,
        f: &mut dyn FnMut(&[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut buf = Vec::new();
        for &(offset, len) in &self.segments[p] {
            buf.resize(len as usize, 0);
            read_at(&self.file, &mut buf, offset)?;
            let mut rest = &buf[..];
            while let Some((head, tail)) = rest.split_first_chunk::<4>() {
                let n = u32::from_le_bytes(*head) as usize;
                let Some((key, tail)) = tail.split_at_checked(n) else {
                    break;
                };
                f(key)?;
                rest = tail;
            }
            if !rest.is_empty() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "a spilled key segment was cut short",
                ));
            }
        }
        Ok(())
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    let mut done = 0;
    while done < buf.len() {
        match file.seek_read(&mut buf[done..], offset + done as u64)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => done += n,
        }
    }
    Ok(())
}

/// Key rows handed from one accumulator to the next: bucket sets (one bucket per
/// partition) held in memory, and spilled runs.
#[derive(Debug, Default)]
pub(super) struct Parcel {
    pub(super) sets: Vec<Vec<Bucket>>,
    pub(super) runs: Vec<Runs>,
}

static HANDED_OVER: LazyLock<Mutex<HashMap<u64, Parcel>>> = LazyLock::new(Default::default);
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Parks `parcel` for the accumulator that merges this state; returns its id. A parcel
/// whose query fails before the merge stays parked until the process exits.
pub(super) fn hand_over(parcel: Parcel) -> u64 {
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    HANDED_OVER
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(id, parcel);
    id
}

/// The parcel parked under `id`, once.
pub(super) fn take(id: u64) -> Option<Parcel> {
    HANDED_OVER
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&id)
}

/// Feeds (hash, key) rows to the callback it is given.
pub(super) type Feed<'a> =
    dyn FnMut(&mut dyn FnMut(u64, &[u8]) -> io::Result<()>) -> io::Result<()> + 'a;

/// Counts the rows `feed` produces (about `bytes` of keys), which share the partitions
/// of every level above `level`: in memory when they fit the budget, else split by the
/// hash bits of `level` and counted partition by partition.
pub(super) fn count(
    bytes: u64,
    budget: usize,
    level: u32,
    feed: &mut Feed,
    limit: usize,
) -> io::Result<Counts> {
    if bytes <= budget as u64 || level > MAX_LEVEL {
        let mut table = KeyTable::default();
        feed(&mut |h, key| {
            table.add(h, key);
            Ok(())
        })?;
        return Ok(table.finish(limit));
    }
    let mut split = Partitioned::new(level, Budget::Own(budget));
    feed(&mut |h, key| split.push(h, key))?;
    let (buckets, runs) = split.take();
    let mut total = Counts::default();
    for (q, bucket) in buckets.iter().enumerate() {
        let spilled = runs.as_ref().map_or(0, |r| r.bytes(q));
        let bytes = bucket.record_bytes() + spilled;
        let counts = count(
            bytes,
            budget,
            level + 1,
            &mut |f| {
                for (h, key) in bucket.rows() {
                    f(h, key)?;
                }
                match &runs {
                    Some(runs) => runs.each(q, &mut |key| f(hash(key), key)),
                    None => Ok(()),
                }
            },
            limit,
        )?;
        total.add(counts, limit);
    }
    Ok(total)
}

/// Distinct keys with their row counts (keys owned in one arena).
#[derive(Default)]
struct KeyTable {
    arena: Vec<u8>,
    /// (hash, start in arena, length, rows).
    table: HashTable<(u64, usize, usize, u64)>,
    rows: u64,
}

impl KeyTable {
    fn add(&mut self, h: u64, key: &[u8]) {
        let Self { arena, table, rows } = self;
        *rows += 1;
        match table.find_mut(h, |&(eh, start, len, _)| {
            eh == h && &arena[start..start + len] == key
        }) {
            Some(entry) => entry.3 += 1,
            None => {
                let start = arena.len();
                arena.extend_from_slice(key);
                table.insert_unique(h, (h, start, key.len(), 1), |e| e.0);
            }
        }
    }

    fn finish(self, limit: usize) -> Counts {
        let mut counts = Counts {
            groups: self.table.len() as u64,
            rows: self.rows,
            ..Default::default()
        };
        for &(_, start, len, n) in &self.table {
            counts.key(&self.arena[start..start + len], n, limit);
        }
        counts
    }
}
