//! `postgres://` inputs against a real server (`--features postgres`).
//!
//! The server comes from `STEWARD_TEST_PG_URL` (for example the URL printed by
//! `scripts/pg-test-server.sh start DIR PORT`); without it these tests skip, except
//! under `CI=true`, where they fail. Each test process loads its tables once:
//! `customers` (from `fixtures/customers.csv`, with the column types steward infers for
//! that file), `stw_types` (one column per supported type) and `stw_filters` (values
//! whose comparisons differ between PostgreSQL and Arrow).

use std::path::Path;
use std::process::Command;
use std::sync::{Arc, OnceLock};

use datafusion::arrow::array::Array;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::arrow::util::display::array_value_to_string;
use datafusion::catalog::TableProvider;
use datafusion::datasource::MemTable;
use datafusion::prelude::{SessionConfig, SessionContext};
use serde_json::Value;
use steward::source::postgres::PostgresTable;

use super::CliTest;

const AS_OF: &str = "2026-11-01";

/// The server's URL, or `None` (after saying so) when no server is configured.
fn server() -> Option<String> {
    match std::env::var("STEWARD_TEST_PG_URL") {
        Ok(url) if !url.is_empty() => {
            setup(&url);
            Some(url)
        }
        _ if std::env::var("CI").as_deref() == Ok("true") => {
            panic!(
                "STEWARD_TEST_PG_URL is not set; CI must start a server (scripts/pg-test-server.sh)"
            )
        }
        _ => {
            eprintln!(
                "skipped: set STEWARD_TEST_PG_URL (scripts/pg-test-server.sh start DIR PORT) to run the PostgreSQL tests"
            );
            None
        }
    }
}

/// `url` with one more query parameter.
fn with_param(url: &str, param: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{param}")
}

/// `host:port` of the server URL.
fn host_port(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    authority
        .rsplit_once('@')
        .map(|(_, h)| h)
        .unwrap_or(authority)
        .to_string()
}

/// Percent-encode everything but unreserved characters.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn psql(url: &str, args: &[&str]) -> String {
    let out = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url])
        .args(args)
        .output()
        .expect("psql must be installed to load the test tables");
    assert!(
        out.status.success(),
        "psql {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const TYPES_DDL: &str = r#"
DROP TABLE IF EXISTS stw_types;
CREATE TABLE stw_types (
    id int4 PRIMARY KEY, b bool, i2 int2, i8 int8, f4 float4, f8 float8,
    amount numeric(12, 2), free numeric, t text, vc varchar(10), pad char(4), "Mixed Case" text,
    u uuid, j json, jb jsonb, d date, ts timestamp, tstz timestamptz, tm time,
    raw bytea, span interval, arr int4[]
);
INSERT INTO stw_types VALUES
 (1, true, -2, 9007199254740993, 1.5, -0.25, 1234567890.12, 3.14159, 'héllo', 'v', 'ab',
  'x', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": 1}', '{"b": [1, 2]}', '2024-02-29',
  '2024-02-29 13:14:15.123456', '2024-02-29 13:14:15.5+02', '23:59:59.999999', '\xdeadbeef',
  '1 day 02:00:00', '{1,2,3}'),
 (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL),
 (3, false, 32767, -9223372036854775808, 'NaN', '-Infinity', 'NaN', 'Infinity', '', 'O''x\y',
  'abcd', '', '00000000-0000-0000-0000-000000000000', '[]', 'null', 'infinity', '-infinity',
  'infinity', '00:00:00', '', '-1 mon', '{}');
"#;

const FILTERS_DDL: &str = r#"
DROP TABLE IF EXISTS stw_filters;
CREATE TABLE stw_filters (id int4, name text, amount numeric(8, 2), d date, score float8, code char(3));
INSERT INTO stw_filters VALUES
 (1, 'apple', 1.50, '2020-01-01', 1.0, 'a'),
 (2, 'Banana', -2.00, '2021-06-30', -0.0, 'b  '),
 (3, 'banana', 'NaN', 'infinity', 'NaN', NULL),
 (4, NULL, NULL, NULL, NULL, 'abc'),
 (5, 'O''Brien \ x', 0, '-infinity', 0.0, 'x'),
 (6, 'Ünïcode', 99.99, '1999-12-31', 1e300, 'y'),
 (7, 'a%_b', 10, '2020-01-02', -1.0, 'z');
-- A collation whose order is not Arrow's byte order, where the server has ICU.
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu') THEN
    ALTER TABLE stw_filters ALTER COLUMN name TYPE text COLLATE "und-x-icu";
  END IF;
END $$;
"#;

/// Load the test tables once per test process.
fn setup(url: &str) {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        let csv = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/customers.csv");
        // The types steward infers for fixtures/customers.csv: text, and
        // Timestamp for created_at / updated_at.
        psql(
            url,
            &[
                "-c",
                "DROP TABLE IF EXISTS customers; CREATE TABLE customers (
                    customer_id text, name text, gender text, birth_date text, id_number text,
                    mobile text, email text, address text, created_at timestamp, updated_at timestamp)",
                "-c",
                &format!("\\copy customers FROM '{}' CSV HEADER", csv.display()),
                "-c",
                TYPES_DDL,
                "-c",
                FILTERS_DDL,
            ],
        );
    });
}

fn scan_json(t: &CliTest, data: &str, rules: &str, env: &[(&str, &str)]) -> (i32, Value, String) {
    let r = t.run_env(
        &[
            "scan", data, "--rules", rules, "--as-of", AS_OF, "--format", "json",
        ],
        env,
    );
    let report = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("{e}: exit {}: {}{}", r.code, r.stdout, r.stderr));
    (r.code, report, r.stderr)
}

/// Rows, scores and every check's counts of two reports are the same.
fn assert_same_results(got: &Value, want: &Value) {
    let (g, w) = (
        got["datasets"].as_array().unwrap(),
        want["datasets"].as_array().unwrap(),
    );
    assert_eq!(g.len(), w.len(), "dataset count");
    for (g, w) in g.iter().zip(w) {
        assert_eq!(g["rows"], w["rows"], "rows");
        let (gs, ws) = (
            g["scores"].as_object().unwrap(),
            w["scores"].as_object().unwrap(),
        );
        assert_eq!(
            gs.keys().collect::<Vec<_>>(),
            ws.keys().collect::<Vec<_>>(),
            "score dimensions"
        );
        for (dim, ws) in ws {
            let (a, b) = (gs[dim].as_f64().unwrap(), ws.as_f64().unwrap());
            assert!((a - b).abs() < 1e-9, "score {dim}: {a} vs {b}");
        }
        let (gc, wc) = (
            g["checks"].as_array().unwrap(),
            w["checks"].as_array().unwrap(),
        );
        assert_eq!(gc.len(), wc.len(), "check count");
        // Generated check ids start with the dataset's name.
        let local = |c: &Value, ds: &Value| {
            let prefix = format!("{}.", ds["name"].as_str().unwrap());
            let id = c["id"].as_str().unwrap();
            id.strip_prefix(&prefix).unwrap_or(id).to_string()
        };
        for (gc, wc) in gc.iter().zip(wc) {
            let id = local(wc, w);
            assert_eq!(local(gc, g), id, "check id");
            for field in [
                "dimension",
                "evaluated",
                "failed",
                "duplicate_values",
                "duplicate_rows",
                "status",
            ] {
                assert_eq!(gc[field], wc[field], "{id}.{field}");
            }
        }
    }
    assert_eq!(got["gate"]["passed"], want["gate"]["passed"], "gate");
}

#[test]
fn a_table_scans_like_the_csv_it_was_loaded_from() {
    let Some(url) = server() else { return };
    let t = CliTest::new();
    let (csv_code, csv, _) = scan_json(
        &t,
        "fixtures/customers.csv",
        "rules/customer-core.yaml",
        &[],
    );
    let pg_url = with_param(&url, "table=customers");
    let (pg_code, pg, stderr) = scan_json(&t, &pg_url, "rules/customer-core.yaml", &[]);
    assert_eq!(pg_code, csv_code, "{stderr}");
    assert_eq!(pg["datasets"][0]["name"], "customers");
    assert_same_results(&pg, &csv);
}

#[test]
fn a_query_scans_like_the_same_rows_as_csv() {
    let Some(url) = server() else { return };
    let t = CliTest::new();
    // The rows the query keeps, as a CSV of their own.
    let text = std::fs::read_to_string(t.path("fixtures/customers.csv")).unwrap();
    let mut lines = text.lines();
    let mut subset = format!("{}\n", lines.next().unwrap());
    for line in lines {
        let gender = line.split(',').nth(2).unwrap_or_default();
        if gender == "男" || gender == "女" {
            subset.push_str(line);
            subset.push('\n');
        }
    }
    t.write("fixtures/subset.csv", &subset);
    let rules = std::fs::read_to_string(t.path("rules/customer-core.yaml")).unwrap();
    for name in ["subset", "query"] {
        t.write(
            &format!("rules/{name}.yaml"),
            &rules.replace("dataset: customers", &format!("dataset: {name}")),
        );
    }
    let (csv_code, csv, _) = scan_json(&t, "fixtures/subset.csv", "rules/subset.yaml", &[]);
    let query = "SELECT * FROM customers WHERE gender IN ('男', '女') ORDER BY customer_id";
    let pg_url = with_param(&url, &format!("query={}", encode(query)));
    let (pg_code, pg, stderr) = scan_json(&t, &pg_url, "rules/query.yaml", &[]);
    assert_eq!(pg_code, csv_code, "{stderr}");
    assert_eq!(pg["datasets"][0]["name"], "query");
    assert_same_results(&pg, &csv);
}

#[test]
fn bad_credentials_and_unreachable_servers_exit_2_without_the_password() {
    let Some(url) = server() else { return };
    let t = CliTest::new();
    let at = host_port(&url);
    let secret = "wrong-pw-4711";
    let wrong = format!("postgres://steward_pw:{secret}@{at}/steward?table=customers");
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        drop(l);
        format!("postgres://steward:{secret}@127.0.0.1:{port}/steward?table=customers")
    };
    for (data, needle) in [
        (&wrong, format!("@{at}/steward")),
        (&closed, "@127.0.0.1:".into()),
    ] {
        let r = t.run(&["scan", data, "--rules", "rules/customer-core.yaml"]);
        assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains("postgres://"), "{}", r.stderr);
        assert!(r.stderr.contains(&needle), "{}", r.stderr);
        assert!(!r.stderr.contains(secret), "{}", r.stderr);
        assert!(!r.stdout.contains(secret), "{}", r.stdout);
    }
    // The password may come from PGPASSWORD instead, and stays out of messages too.
    let r = t.run_env(
        &[
            "scan",
            &format!("postgres://steward_pw@{at}/steward?table=customers"),
            "--rules",
            "rules/customer-core.yaml",
        ],
        &[("PGPASSWORD", secret)],
    );
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains(secret), "{}", r.stderr);
}

// ---------------------------------------------------------------------------------
// The provider itself, through DataFusion (no CLI).

async fn provider(url: &str, param: &str) -> PostgresTable {
    let full = with_param(url, param);
    PostgresTable::connect(&full, "postgres://test-display")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

fn context(batch_size: usize) -> SessionContext {
    SessionContext::new_with_config(SessionConfig::new().with_batch_size(batch_size))
}

async fn rows(ctx: &SessionContext, sql: &str) -> Vec<Vec<String>> {
    let batches = ctx.sql(sql).await.unwrap().collect().await.unwrap();
    let mut out = Vec::new();
    for b in &batches {
        for r in 0..b.num_rows() {
            out.push(
                b.columns()
                    .iter()
                    .map(|c| {
                        if c.is_null(r) {
                            "NULL".to_string()
                        } else {
                            array_value_to_string(c, r).unwrap()
                        }
                    })
                    .collect(),
            );
        }
    }
    out
}

async fn count(ctx: &SessionContext, sql: &str) -> String {
    rows(ctx, sql).await[0][0].clone()
}

#[tokio::test]
async fn the_provider_counts_filters_and_projects_customers() {
    let Some(url) = server() else { return };
    let table = provider(&url, "table=public.customers").await;
    assert_eq!(table.name(), "customers");
    let ctx = context(8192);
    ctx.register_table("c", Arc::new(table)).unwrap();
    assert_eq!(count(&ctx, "SELECT count(*) FROM c").await, "120");
    assert_eq!(
        count(&ctx, "SELECT count(*) FROM c WHERE gender = '男'").await,
        psql(
            &url,
            &["-tAc", "SELECT count(*) FROM customers WHERE gender = '男'"]
        )
        .trim()
    );
    assert_eq!(
        count(&ctx, "SELECT count(*) FROM c WHERE address IS NULL").await,
        "6"
    );
    let got = rows(
        &ctx,
        "SELECT customer_id, created_at FROM c ORDER BY customer_id LIMIT 2",
    )
    .await;
    assert_eq!(got[0], ["C00001", "2022-05-09T08:56:23"]);
    let got = rows(&ctx, "SELECT customer_id FROM c LIMIT 3").await;
    assert_eq!(got.len(), 3);
    // The filter reaches the server.
    let plan = rows(
        &ctx,
        "EXPLAIN SELECT name FROM c WHERE customer_id = 'C00001'",
    )
    .await;
    let text = format!("{plan:?}");
    assert!(
        text.contains("PostgresExec") && text.contains("pushed filters=1"),
        "{text}"
    );
}

#[tokio::test]
async fn every_supported_type_reads_as_its_arrow_type() {
    let Some(url) = server() else { return };
    let table = provider(&url, "table=stw_types").await;
    let types: Vec<String> = table
        .schema()
        .fields()
        .iter()
        .map(|f| format!("{}:{}", f.name(), f.data_type()))
        .collect();
    assert_eq!(
        types,
        [
            "id:Int32",
            "b:Boolean",
            "i2:Int16",
            "i8:Int64",
            "f4:Float32",
            "f8:Float64",
            "amount:Decimal128(12, 2)",
            "free:Utf8",
            "t:Utf8",
            "vc:Utf8",
            "pad:Utf8",
            "Mixed Case:Utf8",
            "u:Utf8",
            "j:Utf8",
            "jb:Utf8",
            "d:Date32",
            "ts:Timestamp(µs)",
            "tstz:Timestamp(µs, \"+00:00\")",
            "tm:Time64(µs)",
            "raw:Binary",
            "span:Utf8",
            "arr:Utf8",
        ]
    );
    let ctx = context(2);
    ctx.register_table("t", Arc::new(table)).unwrap();
    let got = rows(&ctx, "SELECT * FROM t ORDER BY id").await;
    assert_eq!(
        got[0],
        [
            "1",
            "true",
            "-2",
            "9007199254740993",
            "1.5",
            "-0.25",
            "1234567890.12",
            "3.14159",
            "héllo",
            "v",
            "ab  ",
            "x",
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
            "{\"a\": 1}",
            "{\"b\": [1, 2]}",
            "2024-02-29",
            "2024-02-29T13:14:15.123456",
            "2024-02-29T11:14:15.500Z",
            "23:59:59.999999",
            "deadbeef",
            "1 day 02:00:00",
            "{1,2,3}",
        ]
    );
    assert!(got[1][1..].iter().all(|v| v == "NULL"), "{:?}", got[1]);
    // NaN and infinities Arrow cannot hold are NULL; the rest round-trips.
    assert_eq!(
        got[2],
        [
            "3",
            "false",
            "32767",
            "-9223372036854775808",
            "NaN",
            "-inf",
            "NULL",
            "Infinity",
            "",
            "O'x\\y",
            "abcd",
            "",
            "00000000-0000-0000-0000-000000000000",
            "[]",
            "null",
            "NULL",
            "NULL",
            "NULL",
            "00:00:00",
            "",
            "-1 mons",
            "{}",
        ]
    );
    // A quoted mixed-case column, projected alone.
    assert_eq!(
        rows(&ctx, r#"SELECT "Mixed Case" FROM t WHERE id = 1"#).await,
        [["x"]]
    );
}

#[tokio::test]
async fn pushed_filters_keep_exactly_the_rows_datafusion_keeps() {
    let Some(url) = server() else { return };
    let pg = context(3);
    pg.register_table("f", Arc::new(provider(&url, "table=stw_filters").await))
        .unwrap();
    // The same rows in memory: DataFusion alone decides there.
    let all: Vec<RecordBatch> = pg
        .sql("SELECT * FROM f")
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    let mem = context(3);
    let schema = all[0].schema();
    mem.register_table("f", Arc::new(MemTable::try_new(schema, vec![all]).unwrap()))
        .unwrap();
    for cond in [
        "id = 3",
        "id <> 3",
        "id > 2 AND id <= 5",
        "NOT (id < 3) OR id IS NULL",
        "id IN (1, 4, 9)",
        "id NOT IN (1, 4)",
        "id BETWEEN 2 AND 4",
        "name = 'banana'",
        "name <> 'banana'",
        "name < 'b'",
        "name >= 'Banana'",
        "name > 'Z'",
        "name = 'O''Brien \\ x'",
        "name IN ('apple', 'Ünïcode')",
        "name IS NULL",
        "NOT (name IS NOT NULL)",
        "amount > 0",
        "amount <= 1.5",
        "NOT (amount > 0)",
        "amount IS NULL",
        "amount IS NOT NULL",
        "d > DATE '2020-01-01'",
        "NOT (d > DATE '2020-01-01')",
        "d IS NULL",
        "NOT (d IS NULL)",
        "score > 0",
        "score = 0",
        "code = 'b'",
        "code = 'b  '",
        "name LIKE 'a%'",
    ] {
        let sql = format!("SELECT id FROM f WHERE {cond} ORDER BY id");
        assert_eq!(rows(&pg, &sql).await, rows(&mem, &sql).await, "{cond}");
    }
}

#[tokio::test]
async fn large_results_stream_in_batches() {
    let Some(url) = server() else { return };
    let query = "SELECT g AS n, md5(g::text) AS h FROM generate_series(1, 200000) AS g";
    let table = provider(&url, &format!("query={}", encode(query))).await;
    assert_eq!(table.name(), "query");
    let ctx = context(1000);
    ctx.register_table("q", Arc::new(table)).unwrap();
    let mut stream = ctx
        .sql("SELECT n, h FROM q")
        .await
        .unwrap()
        .execute_stream()
        .await
        .unwrap();
    use futures::StreamExt;
    let (mut batches, mut total) = (0, 0);
    while let Some(b) = stream.next().await {
        let b = b.unwrap();
        assert!(b.num_rows() <= 1000);
        batches += 1;
        total += b.num_rows();
    }
    assert_eq!(total, 200_000);
    assert!(batches >= 200, "{batches}");
    // A LIMIT stops early and still answers.
    assert_eq!(
        count(&ctx, "SELECT count(*) FROM (SELECT n FROM q LIMIT 5)").await,
        "5"
    );
}

#[tokio::test]
async fn bad_sources_are_data_errors_naming_the_display_url() {
    let Some(url) = server() else { return };
    for (param, want) in [
        ("table=no_such_table", "expected an existing table or view"),
        (
            &format!("query={}", encode("SELECT FROM WHERE")) as &str,
            "not valid SQL",
        ),
        (
            &format!("query={}", encode("SELECT 1 AS a, 2 AS a")),
            "appears twice",
        ),
    ] {
        let err = PostgresTable::connect(&with_param(&url, param), "postgres://shown")
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, steward::Error::Data { .. }), "{text}");
        assert!(text.starts_with("postgres://shown: "), "{text}");
        assert!(text.contains(want), "{param}: {text}");
    }
    // A failure while rows stream is an External error with the display URL.
    let query = "SELECT (1 / (g - 3))::int AS x FROM generate_series(1, 5) AS g";
    let table = provider(&url, &format!("query={}", encode(query))).await;
    let ctx = context(1);
    ctx.register_table("q", Arc::new(table)).unwrap();
    let err = ctx
        .sql("SELECT * FROM q")
        .await
        .unwrap()
        .collect()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("postgres://test-display: "), "{text}");
    assert!(text.contains("division by zero"), "{text}");
}
