//! `--cluster`: the same rule files give the same scores on a Ballista standalone
//! cluster (scheduler and two executors in the process) as on the local engine.

use super::CliTest;
use super::sources::{scan_json, verdicts};

#[cfg(feature = "ballista")]
#[test]
fn standalone_cluster_scores_like_the_local_engine() {
    let t = CliTest::new();
    let runs: [&[&str]; 3] = [
        &[
            "fixtures/customers.csv",
            "--rules",
            "rules/customer-core.yaml",
        ],
        &[
            "fixtures/customers.parquet",
            "--rules",
            "rules/customer-core.yaml",
        ],
        // A reference check across datasets is a join on the cluster.
        &[
            "fixtures/orders.parquet",
            "fixtures/customers.csv",
            "--rules",
            "rules/",
        ],
    ];
    for args in runs {
        let (code, local, _) = scan_json(&t, args);
        let mut on_cluster = args.to_vec();
        on_cluster.extend(["--cluster", "standalone"]);
        let (code_cluster, distributed, stderr) = scan_json(&t, &on_cluster);
        assert_eq!(code, code_cluster, "{args:?}: {stderr}");
        assert_eq!(verdicts(&local), verdicts(&distributed), "{args:?}");
    }
}

/// Executors' shuffle files live in a work dir removed when the command ends: a run
/// leaves nothing in TMPDIR (Ballista's own standalone helper left one dir per executor).
#[cfg(feature = "ballista")]
#[test]
fn standalone_executors_leave_nothing_in_tmpdir() {
    let t = CliTest::new();
    let tmp = tempfile::tempdir().unwrap();
    let tmpdir = tmp.path().to_str().unwrap();
    let r = t.run_env(
        &[
            "scan",
            "fixtures/orders.parquet",
            "fixtures/customers.csv",
            "--rules",
            "rules/",
            "--cluster",
            "standalone",
            "--format",
            "json",
            "--no-audit",
        ],
        &[("TMPDIR", tmpdir)],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(left.is_empty(), "left in TMPDIR: {left:?}");
}

#[cfg(feature = "ballista")]
#[test]
fn steward_own_readers_are_refused_on_a_cluster() {
    let t = CliTest::new();
    let r = t.run(&[
        "scan",
        "fixtures/customers_gbk.csv",
        "--encoding",
        "gbk",
        "--rules",
        "rules/customer-core.yaml",
        "--cluster",
        "standalone",
        "--no-audit",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("convert the file to UTF-8"),
        "{}",
        r.stderr
    );
}

#[cfg(not(feature = "ballista"))]
#[test]
fn without_the_feature_cluster_is_a_usage_error() {
    let t = CliTest::new();
    let r = t.run(&[
        "scan",
        "fixtures/customers.csv",
        "--rules",
        "rules/customer-core.yaml",
        "--cluster",
        "standalone",
        "--no-audit",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--features ballista"), "{}", r.stderr);
    let _ = (scan_json, verdicts);
}

#[test]
fn bad_cluster_specs_are_usage_errors() {
    let t = CliTest::new();
    let r = t.run(&[
        "scan",
        "fixtures/customers.csv",
        "--rules",
        "rules/",
        "--cluster",
        "http://u:pw@x",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("df://host:port") && !r.stderr.contains("pw@"),
        "{}",
        r.stderr
    );
}
