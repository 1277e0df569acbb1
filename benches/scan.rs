//! End-to-end scan benchmark: steward's scan vs. the floor of a plain DataFusion query
//! that reads the same columns, on a generated customer extract (CSV and Parquet).
//!
//!     cargo bench --bench scan -- [ROWS] [DIR]      # default 1000000 rows, target/bench-data
//!     STEWARD_BENCH_CLUSTER=standalone:2 cargo bench --features ballista --bench scan
//!     STEWARD_BENCH_BREAKDOWN=1 cargo bench --bench scan   # CPU time per part of the rules
//!
//! Prints wall time (best of 3) of a plain read of every column (the floor), of the read
//! plus a trivial aggregate over every value, and of the scan; the ratio scan / read;
//! rows/s; and `native`, the rule file's checks written by hand over decoded batches
//! (benches/floor/native.rs), with `bound` = max(read, (read CPU + native CPU) / cores)
//! / read, the best ratio any evaluator of these checks could reach. Peak RSS is measured
//! on the CLI with GNU time: see benches/README.md and benches/rss.sh.

use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use datafusion::prelude::{CsvReadOptions, ParquetReadOptions, SessionContext};

#[path = "floor/native.rs"]
mod native_floor;
#[path = "synth/classify.rs"]
mod synth;
use synth::Rng;

const SURNAMES: [&str; 10] = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"];
const GIVEN: [&str; 10] = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋"];
const CITIES: [&str; 6] = ["北京市", "上海市", "广州市", "深圳市", "杭州市", "成都市"];
fn id_number(rng: &mut Rng, y: u64, m: u64, d: u64, male: bool) -> String {
    let seq = rng.below(500) * 2 + u64::from(male);
    let first = format!("110105{y:04}{m:02}{d:02}{seq:03}");
    let check = steward::udf::cn_resident_id::check_char(first.as_bytes());
    format!("{first}{check}")
}

/// Write a customer CSV with about 1 % defects per column.
fn generate_csv(path: &Path, rows: u64) {
    let mut rng = Rng(0x5eed_2026_1101);
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(path).unwrap());
    writeln!(w, "customer_id,name,gender,birth_date,id_number,mobile,email,address,city,amount,created_at,updated_at").unwrap();
    let mut line = String::with_capacity(256);
    for i in 0..rows {
        line.clear();
        let defect = rng.below(100) == 0;
        let male = rng.below(2) == 0;
        let (y, m, d) = (1950 + rng.below(55), 1 + rng.below(12), 1 + rng.below(28));
        let id = if defect {
            format!("11010519800101001{}", rng.below(10))
        } else {
            id_number(&mut rng, y, m, d, male)
        };
        let mobile = if defect {
            String::new()
        } else {
            format!("13{}{:08}", rng.below(10), rng.below(100_000_000))
        };
        let email = if rng.below(100) == 0 {
            format!("user{i}.example.com")
        } else {
            format!("user{i}@example.com")
        };
        let gender = if male { "男" } else { "女" };
        let name = format!(
            "{}{}",
            SURNAMES[rng.below(10) as usize],
            GIVEN[rng.below(10) as usize]
        );
        let city = CITIES[rng.below(6) as usize];
        let amount = rng.below(1_000_000) as f64 / 100.0 - if defect { 20_000.0 } else { 0.0 };
        let created = format!(
            "20{:02}-{:02}-{:02} 10:{:02}:00",
            19 + rng.below(5),
            1 + rng.below(12),
            1 + rng.below(28),
            rng.below(60)
        );
        let updated = format!(
            "2026-{:02}-{:02} 09:{:02}:00",
            1 + rng.below(10),
            1 + rng.below(28),
            rng.below(60)
        );
        let _ = write!(
            line,
            "C{i:08},{name},{gender},{y:04}-{m:02}-{d:02},{id},{mobile},{email},{city}朝阳区建国路{}号,{city},{amount:.2},{created},{updated}",
            rng.below(300)
        );
        writeln!(w, "{line}").unwrap();
    }
    w.flush().unwrap();
}

const RULES: &str = r#"version: 1
dataset: customers
key: [customer_id]
columns:
  customer_id: { required: true, unique: true, pattern: '^C[0-9]{8}$' }
  name:        { required: true }
  gender:      { required: true, allowed: [男, 女, M, F] }
  birth_date:  { required: true, format: date, min: 1900-01-01, not_future: true }
  id_number:   { required: true, format: cn_resident_id }
  mobile:      { required: true, format: cn_mobile }
  email:       { required: true, format: email }
  address:     { required: true }
  city:        { allowed: [北京市, 上海市, 广州市, 深圳市, 杭州市, 成都市] }
  amount:      { min: 0, max: 100000 }
  created_at:  { required: true, format: timestamp, not_future: true }
  updated_at:  { fresh_within: 365d, not_future: true }
checks:
  - id: CONS-BIRTH
    dimension: consistency
    where: cn_id_valid(id_number)
    expect: TRY_CAST(birth_date AS DATE) = cn_id_birth_date(id_number)
  - id: CONS-GENDER
    dimension: consistency
    where: cn_id_valid(id_number)
    expect: "CASE WHEN gender IN ('男', 'M') THEN 'M' ELSE 'F' END = cn_id_gender(id_number)"
  - id: CONS-UPDATED
    dimension: consistency
    expect: TRY_CAST(updated_at AS TIMESTAMP) >= TRY_CAST(created_at AS TIMESTAMP)
duplicates:
  exact: [[mobile]]
"#;

const COLUMNS: [&str; 12] = [
    "customer_id",
    "name",
    "gender",
    "birth_date",
    "id_number",
    "mobile",
    "email",
    "address",
    "city",
    "amount",
    "created_at",
    "updated_at",
];

fn best_of_3<F: FnMut() -> Duration>(mut f: F) -> Duration {
    (0..3).map(|_| f()).min().unwrap()
}

/// CPU time (user + system) this process has used so far, all threads.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut u);
        u
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// Best of 3 of `f`'s wall time, with the CPU time of that same run.
fn best_of_3_cpu<F: FnMut() -> Duration>(mut f: F) -> (Duration, Duration) {
    (0..3)
        .map(|_| {
            let cpu = cpu_time();
            let wall = f();
            (wall, cpu_time() - cpu)
        })
        .min()
        .unwrap()
}

/// `SELECT <every column> FROM t`: a plain read that decodes every value.
fn read_query() -> String {
    let cols: Vec<String> = COLUMNS.iter().map(|c| format!("\"{c}\"")).collect();
    format!("SELECT {} FROM t", cols.join(", "))
}

/// The same read plus a trivial aggregate over every value, as in the previous floor.
fn touch_query() -> String {
    let cols: Vec<String> = COLUMNS
        .iter()
        .map(|c| format!("MAX(length(CAST(\"{c}\" AS VARCHAR)))"))
        .collect();
    format!("SELECT COUNT(*), {} FROM t", cols.join(", "))
}

/// Time of a plain DataFusion query over the file: its batches are streamed and dropped
/// (nothing is kept), partitions read in parallel as DataFusion plans them.
async fn floor(path: &Path, parquet: bool, sql: &str) -> Duration {
    use futures::StreamExt;
    let ctx = SessionContext::new();
    let p = path.to_str().unwrap();
    if parquet {
        ctx.register_parquet("t", p, ParquetReadOptions::default())
            .await
            .unwrap();
    } else {
        ctx.register_csv("t", p, CsvReadOptions::new())
            .await
            .unwrap();
    }
    let start = Instant::now();
    let plan = ctx
        .sql(sql)
        .await
        .unwrap()
        .create_physical_plan()
        .await
        .unwrap();
    let streams =
        datafusion::physical_plan::execute_stream_partitioned(plan, ctx.task_ctx()).unwrap();
    let mut rows = 0;
    let handles: Vec<_> = streams
        .into_iter()
        .map(|mut s| {
            tokio::spawn(async move {
                let mut n = 0;
                while let Some(b) = s.next().await {
                    n += b.unwrap().num_rows();
                }
                n
            })
        })
        .collect();
    for h in handles {
        rows += h.await.unwrap();
    }
    assert!(rows > 0);
    start.elapsed()
}

/// The least wall time decoding and the hand-written checks can take together: their
/// CPU time spread evenly over every core (decoding may leave cores idle that checks
/// could use, e.g. one Parquet row group decodes on one core), and never less than
/// the read alone.
fn bound(read: Duration, read_cpu: Duration, native_cpu: Duration) -> Duration {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as u32;
    ((read_cpu + native_cpu) / cores).max(read)
}

/// Every batch of the file, decoded (for the hand-written lower bound).
async fn decoded(path: &Path, parquet: bool) -> Vec<datafusion::arrow::array::RecordBatch> {
    let ctx = SessionContext::new();
    let p = path.to_str().unwrap();
    let df = if parquet {
        ctx.read_parquet(p, ParquetReadOptions::default()).await
    } else {
        ctx.read_csv(p, CsvReadOptions::new()).await
    };
    df.unwrap().collect().await.unwrap()
}

/// Cumulative parts of the bench rule file, for `STEWARD_BENCH_BREAKDOWN`: what each
/// kind of check adds to the scan's CPU time (the first step is the read, the column
/// profile, the classification and the input's SHA-256, with one check).
fn breakdown_steps() -> Vec<(&'static str, String)> {
    let (columns, rest) = RULES.split_once("checks:\n").unwrap();
    let duplicates = rest.split_once("duplicates:\n").unwrap().1;
    let head = columns.split_once("columns:\n").unwrap().0;
    let required: String = COLUMNS
        .iter()
        .filter(|c| !matches!(**c, "city" | "amount" | "updated_at"))
        .map(|c| format!("  {c}: {{ required: true }}\n"))
        .collect();
    let no_unique = columns.replace("unique: true, ", "");
    vec![
        (
            "profile + 1 check",
            format!("{head}columns:\n  customer_id: {{ required: true }}\n"),
        ),
        ("+ 8 required", format!("{head}columns:\n{required}")),
        ("+ 15 other column checks", no_unique),
        ("+ unique key", columns.to_string()),
        (
            "+ duplicate key",
            format!("{columns}duplicates:\n{duplicates}"),
        ),
        ("+ 3 SQL checks (all)", RULES.to_string()),
    ]
}

async fn scan(
    path: &Path,
    rules: &Path,
    cluster: Option<steward::cluster::Cluster>,
) -> (Duration, usize) {
    let opts = steward::scan::ScanOptions {
        data: vec![path.display().to_string()],
        rules: vec![rules.to_path_buf()],
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 1),
        cluster,
        ..Default::default()
    };
    let start = Instant::now();
    let report = steward::scan::scan(&opts).await.unwrap();
    (start.elapsed(), report.datasets[0].checks.len())
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let rows: u64 = args
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = args
        .get(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/bench-data"));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join(format!("customers_{rows}.csv"));
    let parquet = dir.join(format!("customers_{rows}.parquet"));
    let rules = dir.join("bench-rules.yaml");
    std::fs::write(&rules, RULES).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    if !csv.exists() {
        eprintln!("generating {}", csv.display());
        generate_csv(&csv, rows);
    }
    if !parquet.exists() {
        eprintln!("converting to {}", parquet.display());
        rt.block_on(async {
            let ctx = SessionContext::new();
            let df = ctx
                .read_csv(csv.to_str().unwrap(), CsvReadOptions::new())
                .await
                .unwrap();
            df.write_parquet(parquet.to_str().unwrap(), Default::default(), None)
                .await
                .unwrap();
        });
    }
    println!(
        "rows: {rows}; machine: {} cores",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    println!(
        "{:<8} {:>10} {:>10} {:>10} {:>7} {:>8} {:>12} {:>10} {:>7}",
        "format", "read", "read+agg", "scan", "ratio", "checks", "rows/s", "native", "bound"
    );
    for (name, path, is_parquet) in [("csv", &csv, false), ("parquet", &parquet, true)] {
        let (f, f_cpu) = best_of_3_cpu(|| rt.block_on(floor(path, is_parquet, &read_query())));
        let touch = best_of_3(|| rt.block_on(floor(path, is_parquet, &touch_query())));
        let mut checks = 0;
        let s = best_of_3(|| {
            let (d, n) = rt.block_on(scan(path, &rules, None));
            checks = n;
            d
        });
        // The hand-written lower bound (benches/floor/native.rs) over decoded batches.
        let batches = native_floor::prepare(rt.block_on(decoded(path, is_parquet)));
        let mut failures = 0;
        let (native, native_cpu) = best_of_3_cpu(|| {
            let (d, n) = native_floor::run(&batches);
            failures = n;
            d
        });
        drop(batches);
        assert!(failures > 0, "the extract has defects");
        println!(
            "{name:<8} {:>9.3}s {:>9.3}s {:>9.3}s {:>7.2} {checks:>8} {:>12.0} {:>9.3}s {:>7.2}",
            f.as_secs_f64(),
            touch.as_secs_f64(),
            s.as_secs_f64(),
            s.as_secs_f64() / f.as_secs_f64(),
            rows as f64 / s.as_secs_f64(),
            native.as_secs_f64(),
            bound(f, f_cpu, native_cpu).as_secs_f64() / f.as_secs_f64()
        );
        println!(
            "{:<8} cpu: read {:.3}s, native {:.3}s",
            "",
            f_cpu.as_secs_f64(),
            native_cpu.as_secs_f64()
        );
        if std::env::var_os("STEWARD_BENCH_BREAKDOWN").is_some() {
            let mut before = Duration::ZERO;
            for (step, text) in breakdown_steps() {
                let part = dir.join("bench-rules-part.yaml");
                std::fs::write(&part, text).unwrap();
                let (wall, cpu) = best_of_3_cpu(|| rt.block_on(scan(path, &part, None)).0);
                println!(
                    "{:<8} {step:<26} cpu {:>7.3}s ({:+.3}s)  wall {:>7.3}s",
                    "",
                    cpu.as_secs_f64(),
                    cpu.as_secs_f64() - before.as_secs_f64(),
                    wall.as_secs_f64()
                );
                before = cpu;
            }
        }
        // The same scan on a Ballista standalone cluster (scheduler and executors in this
        // process; the time includes starting them): STEWARD_BENCH_CLUSTER=standalone:2
        // with `--features ballista`.
        if let Ok(spec) = std::env::var("STEWARD_BENCH_CLUSTER") {
            let cluster = steward::cluster::parse(&spec).unwrap();
            let c = best_of_3(|| rt.block_on(scan(path, &rules, Some(cluster.clone()))).0);
            println!(
                "{:<8} {:>10} {:>10} {:>9.3}s {:>7.2} {checks:>8} {:>12.0}",
                format!("{name}@{spec}"),
                "",
                "",
                c.as_secs_f64(),
                c.as_secs_f64() / f.as_secs_f64(),
                rows as f64 / c.as_secs_f64()
            );
        }
    }
}
