use super::*;

fn acc(limit: usize) -> DuplicatesAccumulator {
    DuplicatesAccumulator::new(limit, None)
}

/// A partition accumulator's state as the arrays a final accumulator merges.
fn state_arrays(p: &mut DuplicatesAccumulator) -> Vec<ArrayRef> {
    let state = p.state().unwrap();
    state.iter().map(|s| s.to_array().unwrap()).collect()
}

/// Partition accumulators over `parts` (each a list of batches), merged into a final
/// accumulator, all with spill budget `budget`; returns the result's counts and
/// samples.
fn run(parts: &[Vec<Vec<Option<String>>>], limit: usize, budget: Option<usize>) -> Summary {
    let mut total = DuplicatesAccumulator::new(limit, budget);
    for batches in parts {
        let mut p = DuplicatesAccumulator::new(limit, budget);
        for batch in batches {
            let keys: ArrayRef = Arc::new(batch.iter().cloned().collect::<StringArray>());
            p.update_batch(&[keys, n()]).unwrap();
        }
        total.merge_batch(&state_arrays(&mut p)).unwrap();
    }
    summary(&total.evaluate().unwrap())
}

#[derive(Debug, PartialEq)]
struct Summary {
    counts: [u64; 4],
    samples: Vec<String>,
}

fn summary(r: &ScalarValue) -> Summary {
    let u = |i| field(r, i).as_primitive::<UInt64Type>().value(0);
    let samples = field(r, 4);
    let samples = samples.as_list::<i32>().value(0);
    Summary {
        counts: [u(0), u(1), u(2), u(3)],
        samples: samples
            .as_string::<i32>()
            .iter()
            .flatten()
            .map(String::from)
            .collect(),
    }
}

/// `rows` keys `k0..` with every `dup`th one repeated, in batches of 1000 over two
/// partitions.
fn generated(rows: usize, dup: usize) -> Vec<Vec<Vec<Option<String>>>> {
    let keys: Vec<Option<String>> = (0..rows)
        .map(|i| match i % 97 {
            0 => None,
            _ if i % dup == 0 => Some(format!("k{}", (i / dup) % 500)),
            _ => Some(format!("key-{i:08}")),
        })
        .collect();
    let half = rows / 2;
    [&keys[..half], &keys[half..]]
        .iter()
        .map(|part| part.chunks(1000).map(<[_]>::to_vec).collect())
        .collect()
}

#[test]
fn spilled_counts_equal_in_memory_counts() {
    let parts = generated(60_000, 7);
    let in_memory = run(&parts, 5, None);
    assert!(in_memory.counts[2] > 0, "the data has duplicates");
    // 20 KiB: every accumulator spills many times; partitions (~40 KiB each) are
    // split again when counted.
    for budget in [usize::MAX, 20 << 10, 64] {
        assert_eq!(run(&parts, 5, Some(budget)), in_memory, "budget {budget}");
    }
}

#[test]
fn one_key_repeated_past_every_split_level_is_counted() {
    // Every row has the same key: splitting never separates them, so the deepest
    // level counts them in memory (one table entry).
    let rows: Vec<Option<String>> = (0..5000).map(|_| Some("same".to_string())).collect();
    let parts = vec![rows.chunks(700).map(<[_]>::to_vec).collect()];
    let r = run(&parts, 3, Some(32));
    assert_eq!(r.counts, [1, 5000, 1, 5000]);
    assert_eq!(r.samples, ["same\u{1f}5000"]);
}

#[test]
fn spilled_state_from_another_process_is_an_error_not_a_wrong_count() {
    let mut p = DuplicatesAccumulator::new(0, Some(64));
    let keys: ArrayRef = Arc::new(StringArray::from(vec!["a", "b", "c", "d", "e"]));
    p.update_batch(&[keys, n()]).unwrap();
    let state = state_arrays(&mut p);
    let ids = state[3].as_list::<i32>().value(0);
    let id = ids.as_primitive::<UInt64Type>().value(0);
    // As if the state had travelled to another process: the runs are not here.
    assert!(spill::take(id).is_some());
    let mut total = DuplicatesAccumulator::new(0, Some(64));
    let err = total.merge_batch(&state).unwrap_err();
    assert!(err.to_string().contains("another process"), "{err}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    #[test]
    fn spilling_never_changes_the_result(
        keys in proptest::collection::vec(proptest::option::of("[ab]{0,3}|[a-z]{5}"), 0..400),
        split in 0usize..400,
        budget in 16usize..400,
    ) {
        let split = split.min(keys.len());
        let parts = vec![
            keys[..split].chunks(37).map(<[_]>::to_vec).collect(),
            keys[split..].chunks(53).map(<[_]>::to_vec).collect(),
        ];
        let in_memory = run(&parts, 4, None);
        proptest::prop_assert_eq!(run(&parts, 4, Some(budget)), in_memory);
    }
}

fn text(values: &[Option<&str>]) -> ArrayRef {
    Arc::new(values.iter().copied().collect::<StringArray>())
}

fn n() -> ArrayRef {
    Arc::new(datafusion::arrow::array::Int64Array::from(vec![0]))
}

fn field(s: &ScalarValue, i: usize) -> ArrayRef {
    let ScalarValue::Struct(a) = s else {
        panic!("not a struct")
    };
    a.column(i).clone()
}

#[test]
fn counts_excess_rows_values_and_samples_across_partitions() {
    // Two partitions, each sees "a" once: only the merge can tell it is duplicated.
    let mut p1 = acc(2);
    p1.update_batch(&[
        text(&[Some("a"), Some("b"), Some("b"), None, Some("")]),
        n(),
    ])
    .unwrap();
    let mut p2 = acc(2);
    p2.update_batch(&[text(&[Some("a"), Some("c"), Some("d")]), n()])
        .unwrap();
    let mut total = acc(2);
    for p in [&mut p1, &mut p2] {
        total.merge_batch(&state_arrays(p)).unwrap();
    }
    let r = total.evaluate().unwrap();
    let u = |i| field(&r, i).as_primitive::<UInt64Type>().value(0);
    // present rows 6 (a,b,b,a,c,d), distinct 4, dup values a and b, dup rows 4.
    assert_eq!([u(0), u(1), u(2), u(3)], [4, 6, 2, 4]);
    let samples = field(&r, 4);
    let samples = samples.as_list::<i32>().value(0);
    let got: Vec<&str> = samples.as_string::<i32>().iter().flatten().collect();
    assert_eq!(got, ["a\u{1f}2", "b\u{1f}2"]);
}

#[test]
fn composite_keys_do_not_collide_on_separators() {
    let mut a = acc(5);
    a.update_batch(&[
        text(&[Some("a|b"), Some("a")]),
        text(&[Some("c"), Some("b|c")]),
        n(),
    ])
    .unwrap();
    let r = a.evaluate().unwrap();
    assert_eq!(field(&r, 0).as_primitive::<UInt64Type>().value(0), 2);
    assert_eq!(
        display_key(&{
            let mut k = Vec::new();
            for p in ["x", "y"] {
                k.extend_from_slice(&(p.len() as u32).to_le_bytes());
                k.extend_from_slice(p.as_bytes());
            }
            k
        }),
        "x|y"
    );
}
