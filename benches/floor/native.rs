//! A lower bound for any evaluator of the bench rule file: the checks written by hand in
//! Rust over already-decoded Arrow batches, with steward's own validators, on every core.
//!
//! Nothing here is steward's engine. It computes only what the rule file's checks need
//! (no profile, no classification, no samples, no SHA-256, 64-bit key hashes instead of
//! exact keys), from batches decoded before the clock starts, with the text columns
//! already cast to `Utf8`, so it is cheaper than any real evaluator of the same checks.
//! The bench turns it into the best ratio any scan of these checks can reach on this
//! machine: the CPU time of the read and of these checks spread evenly over every core
//! (never less than the read alone), over the read's wall time.

use std::sync::Arc;
use std::time::{Duration, Instant};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Float64Type, Int64Type, TimestampSecondType,
};
use rayon::prelude::*;
use steward::udf::{cn_resident_id, email};
use steward::validate::phone;

/// Failure counts of the checks (one slot per check expression) and the key hashes.
#[derive(Default)]
struct Tally {
    failed: [u64; 26],
    ids: Vec<u64>,
    mobiles: Vec<u64>,
}

fn hash(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(7).hash_one(bytes)
}

/// Casts every text column to `Utf8` (untimed: part of the decoded input).
pub fn prepare(batches: Vec<RecordBatch>) -> Vec<RecordBatch> {
    batches
        .into_iter()
        .map(|b| {
            let columns: Vec<ArrayRef> = b
                .columns()
                .iter()
                .map(|c| match c.data_type() {
                    DataType::Utf8View | DataType::LargeUtf8 => {
                        datafusion::arrow::compute::cast(c, &DataType::Utf8).unwrap()
                    }
                    _ => Arc::clone(c),
                })
                .collect();
            let fields: Vec<_> = b
                .schema()
                .fields()
                .iter()
                .zip(&columns)
                .map(|(f, c)| f.as_ref().clone().with_data_type(c.data_type().clone()))
                .collect();
            RecordBatch::try_new(
                Arc::new(datafusion::arrow::datatypes::Schema::new(fields)),
                columns,
            )
            .unwrap()
        })
        .collect()
}

fn text<'a>(b: &'a RecordBatch, name: &str) -> &'a datafusion::arrow::array::StringArray {
    b.column_by_name(name).unwrap().as_string::<i32>()
}

fn typed<'a, T: datafusion::arrow::datatypes::ArrowPrimitiveType>(
    b: &'a RecordBatch,
    name: &str,
) -> &'a datafusion::arrow::array::PrimitiveArray<T> {
    b.column_by_name(name).unwrap().as_primitive::<T>()
}

fn present(a: &datafusion::arrow::array::StringArray, i: usize) -> Option<&str> {
    a.is_valid(i)
        .then(|| a.value(i).trim())
        .filter(|v| !v.is_empty())
}

fn check_batch(
    b: &RecordBatch,
    as_of_days: i32,
    as_of_secs: i64,
    id_pattern: &regex::Regex,
) -> Tally {
    let mut t = Tally::default();
    let customer_id = text(b, "customer_id");
    let name = text(b, "name");
    let gender = text(b, "gender");
    let id_number = text(b, "id_number");
    let email_col = text(b, "email");
    let address = text(b, "address");
    let city = text(b, "city");
    let birth = typed::<Date32Type>(b, "birth_date");
    let mobile = typed::<Int64Type>(b, "mobile");
    let amount = typed::<Float64Type>(b, "amount");
    let created = typed::<TimestampSecondType>(b, "created_at");
    let updated = typed::<TimestampSecondType>(b, "updated_at");
    let min_birth = -25567; // 1900-01-01
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    let year_secs = 365 * 86_400;
    let mut digits = itoa::Buffer::new();
    let f = &mut t.failed;
    for i in 0..b.num_rows() {
        let fail = |slot: &mut u64, bad: bool| *slot += bad as u64;
        // customer_id: required, pattern, unique.
        match present(customer_id, i) {
            Some(v) => {
                fail(&mut f[0], !id_pattern.is_match(v));
                t.ids.push(hash(v.as_bytes()));
            }
            None => f[1] += 1,
        }
        fail(&mut f[2], present(name, i).is_none());
        let g = present(gender, i);
        fail(&mut f[3], g.is_none());
        fail(
            &mut f[4],
            g.is_some_and(|g| !matches!(g, "男" | "女" | "M" | "F")),
        );
        // birth_date: required, date, min, not_future.
        if birth.is_valid(i) {
            let d = birth.value(i);
            fail(&mut f[5], d < min_birth);
            fail(&mut f[6], d > as_of_days);
        } else {
            f[7] += 1;
        }
        // id_number: required, cn_resident_id; CONS-BIRTH and CONS-GENDER where valid.
        match present(id_number, i) {
            // `birth_date` is `Some` exactly for a valid ID (one parse for both).
            Some(id) => match cn_resident_id::birth_date(id) {
                Some(born) => {
                    let born = (born - epoch).num_days() as i32;
                    fail(&mut f[8], birth.is_valid(i) && born != birth.value(i));
                    let want = match g {
                        Some("男" | "M") => "M",
                        _ => "F",
                    };
                    fail(&mut f[9], cn_resident_id::gender(id) != Some(want));
                }
                None => f[10] += 1,
            },
            None => f[11] += 1,
        }
        // mobile: required, cn_mobile, exact duplicates.
        if mobile.is_valid(i) {
            let m = digits.format(mobile.value(i));
            fail(&mut f[12], !phone::is_cn_mobile(m));
            t.mobiles.push(hash(m.as_bytes()));
        } else {
            f[13] += 1;
        }
        match present(email_col, i) {
            Some(e) => fail(&mut f[14], !email::is_valid(e)),
            None => f[15] += 1,
        }
        fail(&mut f[16], present(address, i).is_none());
        fail(
            &mut f[17],
            present(city, i).is_some_and(|c| {
                !matches!(
                    c,
                    "北京市" | "上海市" | "广州市" | "深圳市" | "杭州市" | "成都市"
                )
            }),
        );
        if amount.is_valid(i) {
            let a = amount.value(i);
            fail(&mut f[18], !(0.0..=100_000.0).contains(&a));
        }
        // created_at: required, timestamp, not_future; updated_at: fresh_within 365d,
        // not_future; CONS-UPDATED.
        if created.is_valid(i) {
            fail(&mut f[19], created.value(i) > as_of_secs);
        } else {
            f[20] += 1;
        }
        if updated.is_valid(i) {
            let u = updated.value(i);
            fail(&mut f[21], u < as_of_secs - year_secs);
            fail(&mut f[22], u > as_of_secs);
            fail(&mut f[23], created.is_valid(i) && u < created.value(i));
        }
    }
    t
}

/// Distinct count of `keys` (sorted in place, in parallel).
fn distinct(keys: &mut [u64]) -> u64 {
    keys.par_sort_unstable();
    keys.windows(2).filter(|w| w[0] != w[1]).count() as u64 + (!keys.is_empty()) as u64
}

/// Time of the hand-written checks over `batches` on every core; returns the time and
/// the total failure count (so the work cannot be optimised away).
pub fn run(batches: &[RecordBatch]) -> (Duration, u64) {
    let id_pattern = regex::Regex::new("^C[0-9]{8}$").unwrap();
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    let as_of_days = (as_of - epoch).num_days() as i32;
    let as_of_secs = as_of_days as i64 * 86_400;
    let start = Instant::now();
    let mut total = batches
        .par_iter()
        .map(|b| check_batch(b, as_of_days, as_of_secs, &id_pattern))
        .reduce(Tally::default, |mut a, b| {
            for (x, y) in a.failed.iter_mut().zip(b.failed) {
                *x += y;
            }
            a.ids.extend(b.ids);
            a.mobiles.extend(b.mobiles);
            a
        });
    let rows = total.ids.len() as u64;
    let dup_ids = rows - distinct(&mut total.ids);
    let dup_mobiles = total.mobiles.len() as u64 - distinct(&mut total.mobiles);
    let elapsed = start.elapsed();
    (
        elapsed,
        total.failed.iter().sum::<u64>() + dup_ids + dup_mobiles,
    )
}
