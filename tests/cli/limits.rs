//! Resource limits and interrupts: `--memory-limit`, `--timeout`, SIGINT/SIGTERM. Each
//! ends with a clear message, its exit code, and no output file or temporary file left.

use crate::CliTest;

fn leftovers(t: &CliTest) -> Vec<String> {
    std::fs::read_dir(t.path("."))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("out") || n.starts_with(".steward-"))
        .collect()
}

#[test]
fn memory_limit_too_small_stops_the_scan_with_exit_2() {
    let t = CliTest::new();
    let r = t.run(&[
        "scan",
        "fixtures/customers.csv",
        "--rules",
        "rules/customer-core.yaml",
        "--memory-limit",
        "64K",
        "--output",
        "out.json",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("needs more memory than --memory-limit allows"),
        "{}",
        r.stderr
    );
    assert!(leftovers(&t).is_empty(), "{:?}", leftovers(&t));
    let ok = t.run(&[
        "scan",
        "fixtures/customers.csv",
        "--rules",
        "rules/customer-core.yaml",
        "--memory-limit",
        "256M",
        "--output",
        "out.json",
    ]);
    assert_eq!(ok.code, 1, "{}", ok.stderr);
    let bad = t.run(&["scan", "x.csv", "--rules", "r", "--memory-limit", "lots"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("'lots' is not a size"),
        "{}",
        bad.stderr
    );
}

#[test]
fn timeout_stops_the_run_with_exit_2_and_no_output() {
    let t = CliTest::new();
    let r = t.run(&[
        "scan",
        "fixtures/customers.csv",
        "--rules",
        "rules/customer-core.yaml",
        "--timeout",
        "0.001",
        "--output",
        "out.json",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--timeout"), "{}", r.stderr);
    assert!(leftovers(&t).is_empty(), "{:?}", leftovers(&t));
}

/// A customer extract of 300,000 rows (the fixture's rows repeated).
fn big(t: &CliTest) {
    let text = std::fs::read_to_string(t.path("fixtures/customers.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let mut out = String::with_capacity(text.len() * 2600);
    out.push_str(header);
    out.push('\n');
    for _ in 0..2500 {
        for r in &rows {
            out.push_str(r);
            out.push('\n');
        }
    }
    t.write("big.csv", &out);
}

#[test]
fn sigint_and_sigterm_leave_no_partial_output() {
    let t = CliTest::new();
    big(&t);
    t.write("p.yaml", "version: 1\nauto: true\n");
    for signal in ["-INT", "-TERM"] {
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("steward"))
            .current_dir(t.path("."))
            .env_clear()
            .env(
                "STEWARD_KEY",
                "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=",
            )
            .args([
                "mask", "big.csv", "--policy", "p.yaml", "--output", "out.csv",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(700));
        let killed = std::process::Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(130), "{signal}: {stderr}");
        assert!(stderr.contains("interrupted by SIG"), "{stderr}");
        assert!(leftovers(&t).is_empty(), "{signal}: {:?}", leftovers(&t));
    }
}

/// 200,000 rows whose `id` and (`a`, `b`) keys repeat, with rules checking both.
fn many_keys(t: &CliTest) {
    let mut csv = String::from("id,a,b\n");
    for i in 0..200_000u32 {
        let id = if i % 9 == 0 { i / 90 } else { i };
        csv.push_str(&format!("ID{id:08},{},{}\n", i % 3001, i % 7));
    }
    t.write("keys.csv", &csv);
    t.write(
        "keys.yaml",
        "version: 1\ndataset: keys\ncolumns:\n  id: { required: true, unique: true }\nduplicates:\n  exact: [[a, b]]\n",
    );
}

fn uniqueness(json: &str) -> Vec<(String, u64, u64, u64, u64, String)> {
    let report: serde_json::Value = serde_json::from_str(json).unwrap();
    report["datasets"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["dimension"] == "uniqueness")
        .map(|c| {
            let n = |k: &str| c[k].as_u64().unwrap();
            (
                c["id"].as_str().unwrap().to_string(),
                n("evaluated"),
                n("failed"),
                n("duplicate_values"),
                n("duplicate_rows"),
                c["samples"].to_string(),
            )
        })
        .collect()
}

#[test]
fn exact_key_sets_spill_under_a_memory_limit_and_count_the_same() {
    let t = CliTest::new();
    many_keys(&t);
    let scan = |extra: &[&str], env: &[(&str, &str)]| {
        let mut args = vec![
            "scan",
            "keys.csv",
            "--rules",
            "keys.yaml",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        t.run_env(&args, env)
    };
    let free = scan(&[], &[]);
    assert_eq!(free.code, 0, "{}", free.stderr);
    let counts = uniqueness(&free.stdout);
    assert_eq!(counts.len(), 2);
    // Every 9th row repeats an id that 1 in 10 of them also holds; (a, b) pairs repeat.
    assert_eq!(counts[0].1, 200_000);
    assert!(counts.iter().all(|c| c.2 > 0), "{counts:?}");
    // 32 MiB: the key sets hold 2 MiB of their ~5.6 MB of key rows, the rest spills.
    let limited = scan(&["--memory-limit", "32M"], &[]);
    assert_eq!(limited.code, 0, "{}", limited.stderr);
    assert_eq!(uniqueness(&limited.stdout), counts);
    // Spilling goes to the OS temp dir; when it cannot be written the scan stops with
    // exit 2 naming it, and never reports counts of a partial key set.
    let tmp = t.path("no-such-dir");
    let broken = scan(
        &["--memory-limit", "32M", "--output", "out.json"],
        &[("TMPDIR", tmp.to_str().unwrap())],
    );
    assert_eq!(broken.code, 2, "{}", broken.stderr);
    assert!(
        broken.stderr.contains("no-such-dir") && broken.stderr.contains("spilling"),
        "{}",
        broken.stderr
    );
    assert!(leftovers(&t).is_empty(), "{:?}", leftovers(&t));
}
