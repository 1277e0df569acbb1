//! Re-identification risk at scale: `steward risk` (whole process, under GNU time) on a
//! generated extract with four quasi-identifiers and one sensitive column, against a
//! DataFusion `GROUP BY` of the same four columns over the same file (the grouping any
//! risk computation needs: records per class and sensitive value; a `count(DISTINCT)`
//! per class was tried and took 24 GiB before the OOM killer stopped it).
//!
//!     cargo bench --bench risk -- [ROWS] [--reps N]      # default 10,000,000 rows, 3 reps
//!
//! The file (target/bench-data/risk_<ROWS>.csv, seeded, written once): `birth_year`
//! (1940-2009), `gender` (男/女), `city` (300 names), `postcode` (6 digits, 2,000
//! values, some with a leading zero), `diagnosis` (sensitive, 40 codes). Rounds are
//! interleaved (steward, GROUP BY, steward with `--memory-limit 512M`, ...); medians
//! are printed with the ratio and each process's peak RSS.

use std::path::{Path, PathBuf};
use std::time::Instant;

use datafusion::prelude::{CsvReadOptions, SessionContext};

#[path = "synth/rng.rs"]
mod rng;
use rng::Rng;

fn generate(path: &Path, rows: usize) {
    use std::io::Write;
    let mut rng = Rng(0x5eed_0042);
    let cities: Vec<String> = (0..300).map(|i| format!("城市{i:03}")).collect();
    let postcodes: Vec<String> = (0..2000)
        .map(|_| format!("{:06}", rng.below(1_000_000)))
        .collect();
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(w, "birth_year,gender,city,postcode,diagnosis").unwrap();
    for _ in 0..rows {
        // Skewed: most records in a few cities, so small classes exist.
        let c = (rng.below(300) * rng.below(300) / 300) as usize;
        writeln!(
            w,
            "{},{},{},{},D{:02}",
            1940 + rng.below(70),
            if rng.below(2) == 0 { "男" } else { "女" },
            cities[c],
            postcodes[rng.below(2000) as usize],
            rng.below(40)
        )
        .unwrap();
    }
    w.flush().unwrap();
}

/// Wall seconds and peak RSS (MiB) of `steward risk` on `path`.
fn steward_risk(path: &Path, memory_limit: Option<&str>) -> (f64, f64) {
    let mut cmd = std::process::Command::new("/usr/bin/time");
    cmd.args(["-f", "%e %M"]).arg(env!("CARGO_BIN_EXE_steward"));
    cmd.arg("--no-audit");
    if let Some(m) = memory_limit {
        cmd.args(["--memory-limit", m]);
    }
    cmd.arg("risk").arg(path).args([
        "--quasi",
        "birth_year,gender,city,postcode",
        "--sensitive",
        "diagnosis",
        "--format",
        "json",
    ]);
    let out = cmd.output().expect("/usr/bin/time");
    let err = String::from_utf8_lossy(&out.stderr);
    // Exit 1 is a verdict (not low-risk), not a failure.
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "steward risk: {err}"
    );
    let last = err.lines().last().unwrap_or_default();
    let mut it = last.split_whitespace();
    let secs = it.next().and_then(|s| s.parse().ok()).unwrap_or(f64::NAN);
    let kib: f64 = it.next().and_then(|s| s.parse().ok()).unwrap_or(f64::NAN);
    (secs, kib / 1024.0)
}

/// Seconds of a DataFusion GROUP BY of the quasi-identifiers over the same CSV.
fn group_by(rt: &tokio::runtime::Runtime, path: &Path) -> f64 {
    rt.block_on(async {
        let t = Instant::now();
        let ctx = SessionContext::new();
        ctx.register_csv("t", path.to_str().unwrap(), CsvReadOptions::new())
            .await
            .unwrap();
        let df = ctx
            .sql(
                "SELECT birth_year, gender, city, postcode, diagnosis, count(*) AS n \
                 FROM t GROUP BY 1, 2, 3, 4, 5",
            )
            .await
            .unwrap();
        let batches = df.collect().await.unwrap();
        let classes: usize = batches.iter().map(|b| b.num_rows()).sum();
        assert!(classes > 0);
        t.elapsed().as_secs_f64()
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut rows, mut reps) = (10_000_000usize, 3usize);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--reps" => reps = it.next().and_then(|s| s.parse().ok()).expect("--reps N"),
            a if a.starts_with("--") => {}
            a => rows = a.parse().expect("ROWS"),
        }
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("risk_{rows}.csv"));
    if !path.exists() {
        let t = Instant::now();
        generate(&path, rows);
        eprintln!(
            "generated {} in {:.1} s",
            path.display(),
            t.elapsed().as_secs_f64()
        );
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (mut s, mut g, mut sl) = (Vec::new(), Vec::new(), Vec::new());
    let (mut rss, mut rss_limited) = (0f64, 0f64);
    for _ in 0..reps {
        let (secs, mib) = steward_risk(&path, None);
        s.push(secs);
        rss = rss.max(mib);
        g.push(group_by(&rt, &path));
        let (secs, mib) = steward_risk(&path, Some("512M"));
        sl.push(secs);
        rss_limited = rss_limited.max(mib);
    }
    let (s, g, sl) = (median(s), median(g), median(sl));
    println!(
        "risk {rows} rows, 4 quasi-identifiers, 1 sensitive, median of {reps}: steward risk {s:.2} s ({rss:.0} MiB peak RSS), with --memory-limit 512M {sl:.2} s ({rss_limited:.0} MiB), DataFusion GROUP BY {g:.2} s; ratio {:.2}x",
        s / g
    );
}
