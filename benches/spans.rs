//! Personal data inside free text: the span finder (`steward::classify::spans`) and
//! masking by spans (`{ method: spans, with: ... }`) over a generated notes column, on
//! one thread, timed in thread CPU time.
//!
//!     cargo bench --bench spans -- [NOTES] [--reps N] [--misses N]
//!     taskset -c 0 cargo bench --bench spans        # one core
//!
//! The column (seeded, generated here, default 200,000 notes): Chinese and English CRM
//! notes (`备注`) of 20-200 characters made of clauses: plain remarks (`客户要求下午联系`,
//! `VIP客户　优先处理`), decoys that must not be found (order and tracking numbers,
//! amounts, timestamps, dates, postcodes, QQ numbers, URLs with digits, 11-digit numbers
//! of no mobile range, 18-digit numbers failing the ID check), and in about a quarter of
//! the notes a personal value: a mainland mobile of a real range in the ways people
//! write one (`13812345678`, `138-1234-5678`, `+86 138 1234 5678`, `(+86)...`,
//! `（+86）...`, full-width digits, U+3000 between groups), an 18-digit resident ID
//! whose ISO 7064 MOD 11-2 check character is computed here (one group or `6-8-4`), or
//! an e-mail address glued to Chinese text or after a space.
//!
//! Measured (median of `--reps`, default 5), MB/s of the column's UTF-8 text per thread
//! CPU second:
//! - **find**: `spans::find_into` over every note, one reused span buffer;
//! - **mask**: `Masker::mask_batch` over the column as Arrow `StringArray` batches of
//!   8,192 rows, one column under `spans` with `partial`, `redact`, `tokenize` and
//!   `encrypt` (a fixed test key), one thread: the masking pass alone, as in
//!   benches/mask.rs (no Parquet, no classification, no verification sample);
//! - **copy**: the same values appended to a new `StringArray`, the floor of any pass
//!   that writes a column;
//! - the same on a **plain** column: notes of the same generator without any digit, `@`
//!   or `:` (full-width punctuation stays: it shares the `0xEF` lead byte of full-width
//!   digits, so the finder looks at each `，`).
//!
//! Before the clock: the spans found are compared with the values planted (exact byte
//! ranges and categories; `--misses N` prints N of the values missed and of the spans
//! not planted, default 5), and the masked outputs are searched for spans again.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, RecordBatch, StringArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use steward::classify::spans::{self, Span};
use steward::mask::keys::Key;
use steward::mask::policy::{Method, SpanWith};
use steward::pipeline::mask::Masker;

#[path = "synth/rng.rs"]
mod rng;
use rng::Rng;

const BATCH_ROWS: usize = 8192;

/// A fixed test key (32 bytes of 0x07), for benchmarking only.
const BENCH_KEY: &str = "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=";

/// Remarks without digits, `@` or `:`.
const PLAIN_ZH: &[&str] = &[
    "客户要求下午联系",
    "已电话回访，客户满意",
    "需要尽快处理退货申请",
    "VIP客户　优先处理",
    "客户反映包装破损，已登记",
    "客户对价格有异议，建议主管跟进",
    "周末不方便接听电话",
    "已发送产品资料，等待回复",
    "客户希望更换颜色，库存不足",
    "投诉已升级至二线客服处理",
    "老客户推荐，注意维护关系",
    "请勿在工作时间外打扰",
    "客户已确认收货地址无误",
    "需开具增值税专用发票",
    "合同条款待法务审核",
    "客户咨询会员积分规则",
    "安装师傅明天上门",
    "已退款，等待银行到账",
    "客户情绪激动，注意沟通方式",
    "下次回访时推荐新品",
];

const PLAIN_EN: &[&str] = &[
    "Customer asked for a callback tomorrow afternoon",
    "Prefers email over phone",
    "Delivery delayed, apologised and offered a voucher",
    "Requested a copy of the contract",
    "Happy with the service, likely to renew",
    "Escalated to the billing team",
    "Do not call before noon",
    "Follow up next week about the upgrade",
    "Complained about the packaging",
    "Key account, handle with care",
];

/// Clause breaks between clauses.
const BREAKS: &[&str] = &["，", "。", "；", " ", "; ", ". ", "　"];

fn full_width(ascii_digits: &str) -> String {
    ascii_digits
        .chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(0xFF10 + (c as u32 - '0' as u32)).unwrap(),
            c => c,
        })
        .collect()
}

/// An 11-digit mainland mobile of a real range (`validate::phone::MOBILE_RANGES`).
fn mobile_digits(rng: &mut Rng) -> String {
    const RANGES: &[(u64, u64)] = &[
        (13000, 13999),
        (15000, 15399),
        (15500, 15999),
        (17000, 17399),
        (17500, 17899),
        (18000, 18999),
        (19500, 19999),
    ];
    let &(lo, hi) = rng.pick(RANGES);
    format!("{}{}", rng.range(lo, hi), rng.digits(6))
}

/// A mobile as people write it.
fn mobile_written(rng: &mut Rng) -> String {
    let d = mobile_digits(rng);
    let (a, b, c) = (&d[..3], &d[3..7], &d[7..]);
    match rng.below(10) {
        0..=2 => d.clone(),
        3 => format!("{a}-{b}-{c}"),
        4 => format!("{a} {b} {c}"),
        5 => format!("+86 {a} {b} {c}"),
        6 => format!("(+86){d}"),
        7 => format!("（+86）{a} {b} {c}"),
        8 => full_width(&d),
        _ => format!("{a}\u{3000}{b}\u{3000}{c}"),
    }
}

/// The ISO 7064 MOD 11-2 check character of 17 digits (GB 11643-1999).
fn id_check(first17: &[u8]) -> u8 {
    let sum: u32 = first17
        .iter()
        .enumerate()
        // Weight of position i (0-based, left to right): 2^(17 - i) mod 11.
        .map(|(i, d)| (d - b'0') as u32 * ((1u32 << (17 - i)) % 11))
        .sum();
    match (12 - sum % 11) % 11 {
        10 => b'X',
        v => b'0' + v as u8,
    }
}

/// A valid 18-character resident ID (known province, real birth date, check character).
fn resident_id(rng: &mut Rng) -> String {
    const PROVINCES: &[u64] = &[11, 12, 13, 31, 32, 33, 35, 37, 41, 42, 44, 50, 51, 61];
    let mut s = format!(
        "{}{:02}{:02}{}{:02}{:02}{}",
        rng.pick(PROVINCES),
        rng.range(1, 15),
        rng.range(1, 30),
        rng.range(1950, 2005),
        rng.range(1, 12),
        rng.range(1, 28),
        rng.digits(3)
    );
    s.push(char::from(id_check(s.as_bytes())));
    s
}

fn resident_id_written(rng: &mut Rng) -> String {
    let id = resident_id(rng);
    match rng.below(6) {
        0 => format!("{} {} {}", &id[..6], &id[6..14], &id[14..]),
        1 => id.to_ascii_lowercase(),
        _ => id,
    }
}

fn email(rng: &mut Rng) -> String {
    const NAMES: &[&str] = &[
        "zhangwei",
        "li.na",
        "wangfang",
        "chen_jie",
        "liuyang",
        "j.smith",
        "amy.wong",
        "zhouboning",
        "service",
        "huang-lei",
    ];
    const DOMAINS: &[&str] = &[
        "gmail.com",
        "qq.com",
        "163.com",
        "126.com",
        "outlook.com",
        "example.com.cn",
        "sina.cn",
        "acme-corp.cn",
    ];
    let digits = if rng.chance(0.5) {
        let len = rng.range(2, 4) as usize;
        rng.digits(len)
    } else {
        String::new()
    };
    format!("{}{digits}@{}", rng.pick(NAMES), rng.pick(DOMAINS))
}

/// A clause holding one personal value: the clause, the value's byte range in it and
/// its category.
fn personal(rng: &mut Rng) -> (String, usize, usize, &'static str) {
    let (before, value, after, category): (&str, String, &str, &str) = match rng.below(10) {
        0..=4 => {
            let (b, a) = *rng.pick(&[
                ("客户电话", "，下午联系"),
                ("联系方式：", ""),
                ("手机 ", " 可加微信"),
                ("请致电", "确认地址"),
                ("Customer phone ", " call after 3pm"),
                ("备用号码", ""),
                ("", " 本人接听"),
            ]);
            (b, mobile_written(rng), a, "cn_mobile")
        }
        5..=6 => {
            let (b, a) = *rng.pick(&[
                ("身份证号", "已核验"),
                ("证件号码：", "，实名认证通过"),
                ("ID card ", " verified"),
                ("开户人身份证 ", ""),
                ("", " 与订单姓名一致"),
            ]);
            (b, resident_id_written(rng), a, "cn_resident_id")
        }
        _ => {
            let (b, a) = *rng.pick(&[
                ("发票请发送至", "，谢谢"),
                ("发票请发送至 ", ""),
                ("邮箱：", ""),
                ("Please email ", " for the invoice"),
                ("电子合同已发到", "请查收"),
            ]);
            (b, email(rng), a, "email")
        }
    };
    let start = before.len();
    let end = start + value.len();
    (format!("{before}{value}{after}"), start, end, category)
}

/// A clause with digits (or `@`, `:`) that holds no personal value.
fn decoy(rng: &mut Rng) -> String {
    match rng.below(16) {
        0 => format!("订单号 2024{}", rng.digits(12)),
        1 => format!("订单号{}已发货", mobile_digits(rng)),
        2 => format!("快递单号 SF{}", rng.digits(13)),
        3 => format!(
            "金额 ¥{},{:03}.{:02}",
            rng.range(1, 99),
            rng.below(1000),
            rng.below(100)
        ),
        4 => format!(
            "2026-{:02}-{:02} {:02}:{:02}:{:02} 回访",
            rng.range(1, 12),
            rng.range(1, 28),
            rng.below(24),
            rng.below(60),
            rng.below(60)
        ),
        5 => format!(
            "预约{}年{}月{}日上门",
            rng.range(2024, 2026),
            rng.range(1, 12),
            rng.range(1, 28)
        ),
        6 => format!("邮编 {}", rng.range(100000, 899999)),
        7 => format!("QQ {}", rng.range(10_000_000, 9_999_999_999)),
        8 => format!(
            "详情见 https://crm.example.com/tickets/{}",
            mobile_digits(rng)
        ),
        // No mobile range starts with 12 or 10.
        9 => format!("回拨号码 1{}{}", rng.range(0, 2), rng.digits(9)),
        10 => {
            // A well-formed 18-digit number with the wrong check character.
            let id = resident_id(rng);
            let good = id.as_bytes()[17];
            let bad = if good == b'0' { b'1' } else { b'0' };
            format!("流水 {}{}", &id[..17], char::from(bad))
        }
        11 => format!("Order #{} shipped", rng.digits(13)),
        12 => format!("共{}件，已付{}元", rng.range(1, 20), rng.range(10, 9999)),
        13 => format!("第{}次回访", rng.range(2, 9)),
        14 => format!(
            "固件版本 v{}.{}.{}",
            rng.below(10),
            rng.below(20),
            rng.below(100)
        ),
        _ => format!("Timestamp {}", rng.range(1_700_000_000, 1_800_000_000)),
    }
}

fn plain(rng: &mut Rng) -> &'static str {
    if rng.chance(0.7) {
        rng.pick::<&str>(PLAIN_ZH)
    } else {
        rng.pick::<&str>(PLAIN_EN)
    }
}

/// A planted value: note, byte range, category.
type Planted = (usize, usize, usize, &'static str);

/// `n` notes; with `plain_only`, notes without digits, `@` or `:`.
fn notes(n: usize, seed: u64, plain_only: bool) -> (Vec<String>, Vec<Planted>) {
    let mut rng = Rng(seed);
    let mut out = Vec::with_capacity(n);
    let mut planted = Vec::new();
    for row in 0..n {
        let target = rng.range(20, 200) as usize;
        let with_value = !plain_only && rng.chance(0.25);
        let with_decoy = !plain_only && rng.chance(0.35);
        // Which clause holds the value or the decoy (a note has about 3).
        let value_at = with_value.then(|| rng.below(3) as usize);
        let decoy_at = with_decoy.then(|| rng.below(3) as usize);
        let last_forced = value_at.max(decoy_at);
        let mut note = String::new();
        let mut chars = 0;
        let mut clause = 0;
        while chars < target || last_forced.is_some_and(|l| clause <= l) {
            let sep = if note.is_empty() {
                ""
            } else {
                rng.pick::<&str>(BREAKS)
            };
            let mut value = None;
            let text = if value_at == Some(clause) {
                let (t, s, e, cat) = personal(&mut rng);
                value = Some((s, e, cat));
                t
            } else if decoy_at == Some(clause) {
                decoy(&mut rng)
            } else {
                plain(&mut rng).to_string()
            };
            clause += 1;
            let more = sep.chars().count() + text.chars().count();
            // Notes stay within 200 characters, but for a value or decoy still to come.
            if value.is_none() && chars >= 20 && chars + more > 200 {
                if last_forced.is_some_and(|l| clause <= l) {
                    continue;
                }
                break;
            }
            note.push_str(sep);
            if let Some((s, e, cat)) = value {
                planted.push((row, note.len() + s, note.len() + e, cat));
            }
            note.push_str(&text);
            chars += more;
        }
        out.push(note);
    }
    (out, planted)
}

/// CPU seconds of this thread (stable when other processes share the core).
fn thread_cpu() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: writes into a valid timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 + t.tv_nsec as f64 / 1e9
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Median thread CPU seconds of `reps` runs of `f`, and its last result.
fn timed<T>(reps: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::with_capacity(reps);
    let mut last = None;
    for _ in 0..reps {
        let start = thread_cpu();
        let r = std::hint::black_box(f());
        times.push(thread_cpu() - start);
        last = Some(r);
    }
    (median(times), last.expect("at least one rep"))
}

fn batches(notes: &[String]) -> Vec<RecordBatch> {
    let schema = Arc::new(Schema::new(vec![Field::new("notes", DataType::Utf8, true)]));
    notes
        .chunks(BATCH_ROWS)
        .map(|c| {
            let a = StringArray::from_iter_values(c.iter().map(String::as_str));
            RecordBatch::try_new(schema.clone(), vec![Arc::new(a)]).unwrap()
        })
        .collect()
}

/// Spans of every note, one reused buffer: (notes with a span, spans).
fn find_all(notes: &[String], found: &mut Vec<Span>) -> (usize, usize) {
    let (mut rows, mut total) = (0, 0);
    for n in notes {
        found.clear();
        spans::find_into(n, found);
        rows += !found.is_empty() as usize;
        total += found.len();
    }
    (rows, total)
}

/// Every note of `batches` appended to a new array (the floor of writing a column).
fn copy_all(batches: &[RecordBatch]) -> usize {
    let mut n = 0;
    for b in batches {
        let col = b.column(0).as_string::<i32>();
        let mut out = StringBuilder::with_capacity(col.len(), col.value_data().len());
        for v in col.iter() {
            match v {
                Some(v) => out.append_value(v),
                None => out.append_null(),
            }
        }
        n += out.finish().len();
    }
    n
}

/// The masking pass: every batch through `masker`, one thread; values changed.
fn mask_all(masker: &Masker, batches: &[RecordBatch]) -> u64 {
    batches
        .iter()
        .map(|b| masker.mask_batch(b, false, None).unwrap().1[0])
        .sum()
}

/// Planted values found exactly, missed, and spans found that were not planted, with a
/// few examples of each miss.
fn check_truth(notes: &[String], planted: &[Planted], show: usize) {
    let mut found = Vec::new();
    let mut by_row: Vec<Vec<Span>> = Vec::with_capacity(notes.len());
    for n in notes {
        found.clear();
        spans::find_into(n, &mut found);
        by_row.push(found.clone());
    }
    let mut hit = 0;
    let mut missed = Vec::new();
    for &(row, s, e, cat) in planted {
        if by_row[row]
            .iter()
            .any(|x| x.start == s && x.end == e && x.category == cat)
        {
            hit += 1;
        } else {
            missed.push((row, s, e, cat));
        }
    }
    let mut extra = Vec::new();
    for (row, spans) in by_row.iter().enumerate() {
        for x in spans {
            if !planted
                .iter()
                .skip(planted.partition_point(|p| p.0 < row))
                .take_while(|p| p.0 == row)
                .any(|p| p.1 == x.start && p.2 == x.end && p.3 == x.category)
            {
                extra.push((row, *x));
            }
        }
    }
    let mut per_cat: Vec<(&str, usize, usize)> = ["cn_mobile", "cn_resident_id", "email"]
        .iter()
        .map(|&c| {
            let p = planted.iter().filter(|p| p.3 == c).count();
            let m = missed.iter().filter(|p| p.3 == c).count();
            (c, p, p - m)
        })
        .collect();
    per_cat.retain(|c| c.1 > 0);
    println!(
        "truth: {} values planted, {hit} found exactly, {} missed, {} spans not planted",
        planted.len(),
        missed.len(),
        extra.len()
    );
    for (c, p, h) in per_cat {
        println!("  {c:<15} planted {p:>7}, found {h:>7}");
    }
    for &(row, s, e, cat) in missed.iter().take(show) {
        println!(
            "  missed {cat}: {:?} in {:?} -> {:?}",
            &notes[row][s..e],
            notes[row],
            by_row[row]
                .iter()
                .map(|x| (&notes[row][x.start..x.end], x.category))
                .collect::<Vec<_>>()
        );
    }
    for (row, x) in extra.iter().take(show) {
        println!(
            "  not planted {}: {:?} in {:?}",
            x.category,
            &notes[*row][x.start..x.end],
            notes[*row]
        );
    }
}

/// Spans left in a masked column (there should be none), and the first few.
fn residue(masker: &Masker, batches: &[RecordBatch]) -> (usize, Vec<String>) {
    let mut found = Vec::new();
    let (mut n, mut examples) = (0, Vec::new());
    for b in batches {
        let (arrays, _) = masker.mask_batch(b, false, None).unwrap();
        let col = arrays[0].as_string::<i32>();
        for v in col.iter().flatten() {
            found.clear();
            spans::find_into(v, &mut found);
            n += found.len();
            if !found.is_empty() && examples.len() < 3 {
                examples.push(v.to_string());
            }
        }
    }
    (n, examples)
}

/// The first masked value of each of the first planted rows, to show the output.
fn show(masker: &Masker, batch: &RecordBatch, rows: &[usize]) {
    let (arrays, _) = masker.mask_batch(batch, false, None).unwrap();
    let (inp, out) = (
        batch.column(0).as_string::<i32>(),
        arrays[0].as_string::<i32>(),
    );
    for &r in rows {
        println!("  {:?}\n    -> {:?}", inp.value(r), out.value(r));
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut n: usize = 200_000;
    let mut reps: usize = 5;
    let mut misses: usize = 5;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--reps" {
            reps = it.next().and_then(|r| r.parse().ok()).unwrap_or(reps);
        } else if a == "--misses" {
            misses = it.next().and_then(|r| r.parse().ok()).unwrap_or(misses);
        } else if let Ok(v) = a.parse() {
            n = v;
        }
    }
    let reps = reps.max(1);
    let key = Key::from_base64(BENCH_KEY, "bench key").unwrap();

    let (mixed, planted) = notes(n, 0x5EED_0022, false);
    let (plain, _) = notes(n, 0x5EED_0023, true);
    assert!(plain.iter().all(|s| {
        !s.bytes()
            .any(|b| b.is_ascii_digit() || b == b'@' || b == b':')
    }));
    let bytes = |v: &[String]| v.iter().map(String::len).sum::<usize>();
    let chars = |v: &[String]| v.iter().map(|s| s.chars().count()).sum::<usize>();
    let (mixed_bytes, plain_bytes) = (bytes(&mixed), bytes(&plain));
    let planted_rows = {
        let mut r: Vec<usize> = planted.iter().map(|p| p.0).collect();
        r.dedup();
        r.len()
    };
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    println!(
        "notes: {n} rows, {:.1} MB UTF-8 ({:.0} chars / {:.0} bytes per note, {} to {} chars); \
         {planted_rows} rows ({:.1} %) hold {} planted personal values",
        mixed_bytes as f64 / 1e6,
        chars(&mixed) as f64 / n as f64,
        mixed_bytes as f64 / n as f64,
        mixed.iter().map(|s| s.chars().count()).min().unwrap_or(0),
        mixed.iter().map(|s| s.chars().count()).max().unwrap_or(0),
        100.0 * planted_rows as f64 / n as f64,
        planted.len(),
    );
    println!(
        "plain: {n} rows, {:.1} MB UTF-8, no digit, `@` or `:`; {cores} core(s) available, \
         one thread measured; median of {reps}, thread CPU time",
        plain_bytes as f64 / 1e6
    );
    check_truth(&mixed, &planted, misses);

    let (mixed_batches, plain_batches) = (batches(&mixed), batches(&plain));
    let maskers: Vec<(&str, Masker)> = [
        ("partial", SpanWith::Partial),
        ("redact", SpanWith::Redact),
        ("tokenize", SpanWith::Tokenize),
        ("encrypt", SpanWith::Encrypt),
    ]
    .into_iter()
    .map(|(name, with)| {
        (
            name,
            Masker::new(vec![Method::Spans(with)], vec![None], Some(key.clone())),
        )
    })
    .collect();

    // Masked outputs: a few examples, and no span left in them.
    let shown: Vec<usize> = {
        let mut r: Vec<usize> = planted
            .iter()
            .map(|p| p.0)
            .filter(|&r| r < BATCH_ROWS)
            .collect();
        r.dedup();
        r.into_iter().take(3).collect()
    };
    for (name, masker) in &maskers {
        println!("spans with {name}:");
        show(masker, &mixed_batches[0], &shown);
        let (left, examples) = residue(masker, &mixed_batches);
        if left > 0 {
            println!("  {left} spans found again in the masked column, e.g. {examples:?}");
        }
    }

    println!(
        "\n{:<34} {:>9} {:>9} {:>10} {:>10}   result",
        "pass (one thread)", "MB", "CPU s", "MB/s", "notes/s"
    );
    let row = |name: &str, mb: usize, secs: f64, result: String| {
        println!(
            "{name:<34} {:>9.1} {secs:>9.3} {:>10.1} {:>9.2}M   {result}",
            mb as f64 / 1e6,
            mb as f64 / 1e6 / secs,
            n as f64 / secs / 1e6,
        );
    };
    let mut found = Vec::with_capacity(16);
    for (label, col, b) in [
        ("notes", &mixed, mixed_bytes),
        ("plain", &plain, plain_bytes),
    ] {
        let (secs, (rows, total)) = timed(reps, || find_all(col, &mut found));
        row(
            &format!("find, {label}"),
            b,
            secs,
            format!("{total} spans in {rows} notes"),
        );
    }
    for (label, bs, b) in [
        ("notes", &mixed_batches, mixed_bytes),
        ("plain", &plain_batches, plain_bytes),
    ] {
        let (secs, rows) = timed(reps, || copy_all(bs));
        row(
            &format!("copy to a new array, {label}"),
            b,
            secs,
            format!("{rows} values"),
        );
        for (name, masker) in &maskers {
            if label == "plain" && *name != "partial" {
                continue;
            }
            let (secs, changed) = timed(reps, || mask_all(masker, bs));
            row(
                &format!("mask spans/{name}, {label}"),
                b,
                secs,
                format!("{changed} values changed"),
            );
        }
    }
}
