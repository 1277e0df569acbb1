//! A PostgreSQL table or query as a DataFusion table (`--features postgres`).
//!
//! `postgres://user@host:port/db?table=[schema.]name` or `...?query=SELECT ...` names
//! the rows; [`PostgresTable::connect`] learns their columns by preparing (not running)
//! `SELECT * FROM <source>`, and every scan runs one
//! `SELECT <columns> FROM <source> AS t [WHERE ...] [LIMIT n]` on a connection of its
//! own, streaming the rows into record batches of the session's `batch_size`: the
//! driver's response channel holds one message, so a slow consumer stops reading the
//! socket and the server waits; memory stays bounded on a table of any size.
//!
//! Limitations, on purpose for now:
//! - one partition per scan (DataFusion repartitions downstream);
//! - each scan is its own read-only transaction, so two queries of one steward run may
//!   see different snapshots of a table that is being written;
//! - no TLS: `sslmode=disable` or `prefer` (a plain connection) only;
//! - values Arrow cannot hold are read as NULL: `NaN` in a `numeric(p, s)` column and
//!   `±infinity` dates and timestamps.
//!
//! The password is never in an error, a log line or `Debug` output: errors name the
//! redacted URL the caller passes as `display`, and every message is scrubbed of the
//! password before it leaves this module.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use datafusion::arrow::array::{
    ArrayRef, BinaryBuilder, BooleanBuilder, Date32Builder, Decimal128Builder, Float32Builder,
    Float64Builder, Int16Builder, Int32Builder, Int64Builder, StringBuilder,
    Time64MicrosecondBuilder, TimestampMicrosecondBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use datafusion::arrow::record_batch::{RecordBatch, RecordBatchOptions};
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::ScalarValue;
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::datasource::TableType;
use datafusion::error::DataFusionError;
use datafusion::execution::TaskContext;
use datafusion::logical_expr::expr::InList;
use datafusion::logical_expr::{Between, BinaryExpr, Expr, Operator, TableProviderFilterPushDown};
use datafusion::physical_expr::{EquivalenceProperties, PhysicalExpr};
use datafusion::physical_plan::execution_plan::{Boundedness, EmissionType};
use datafusion::physical_plan::stream::RecordBatchReceiverStreamBuilder;
use datafusion::physical_plan::{
    DisplayAs, DisplayFormatType, ExecutionPlan, Partitioning, PlanProperties,
    SendableRecordBatchStream,
};
use futures::StreamExt;
use tokio_postgres::config::{Host, SslMode};
use tokio_postgres::types::{FromSql, Type};
use tokio_postgres::{Client, Config, NoTls};

use crate::error::{Error, Result};

/// Arrow's zone for `timestamptz` columns (PostgreSQL sends them as UTC instants).
const UTC: &str = "+00:00";
/// Days and microseconds from 1970-01-01 (Arrow's epoch) to 2000-01-01 (PostgreSQL's).
const PG_EPOCH_DAYS: i32 = 10_957;
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;
/// Used when the URL sets no `connect_timeout`: an unreachable host fails, not hangs.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A table or query on a PostgreSQL server, read as Arrow record batches.
pub struct PostgresTable {
    config: Config,
    display: String,
    source: Source,
    columns: Vec<PgColumn>,
    schema: SchemaRef,
    secrets: Arc<Secrets>,
}

impl fmt::Debug for PostgresTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresTable")
            .field("url", &self.display)
            .field("source", &self.source.describe())
            .field("columns", &self.columns.len())
            .finish_non_exhaustive()
    }
}

/// What the rows are: a table (or view) or a query.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    Table {
        schema: Option<String>,
        name: String,
    },
    Query(String),
}

impl Source {
    /// The SQL that goes after `FROM`.
    fn sql(&self) -> String {
        match self {
            Source::Table {
                schema: Some(s),
                name,
            } => format!("{}.{}", quote_ident(s), quote_ident(name)),
            Source::Table { schema: None, name } => quote_ident(name),
            Source::Query(q) => format!("({q})"),
        }
    }

    /// For messages: `table "public"."customers"` or `the query`.
    fn describe(&self) -> String {
        match self {
            Source::Table { .. } => format!("table {}", self.sql()),
            Source::Query(_) => "the query".into(),
        }
    }
}

/// The connection URL, split into what the driver reads and what steward reads.
struct ParsedUrl {
    config: Config,
    source: Source,
    secrets: Secrets,
}

/// Texts that must never appear in a message: the password, decoded and as written.
#[derive(Default)]
struct Secrets(Vec<String>);

impl Secrets {
    fn add(&mut self, s: &str) {
        // Below three characters a replacement would mangle ordinary words; such a
        // password is never put into a message in the first place.
        if s.chars().count() >= 3 && !self.0.iter().any(|x| x == s) {
            self.0.push(s.to_string());
        }
    }

    fn scrub(&self, message: &str) -> String {
        let mut out = message.to_string();
        for s in &self.0 {
            out = out.replace(s.as_str(), "***");
        }
        out
    }
}

impl PostgresTable {
    /// `url`: postgres://user[:password]@host[:port]/database?table=[schema.]name
    ///    or  postgres://...?query=<urlencoded SELECT ...>
    /// (also accept postgresql://). Other query parameters (sslmode, connect_timeout,
    /// application_name, options, host= for a unix socket dir) go to the driver.
    /// `display` is the URL with credentials already redacted: use ONLY it in errors.
    ///
    /// An unquoted table name is folded to lower case as PostgreSQL does
    /// (`?table=Sales.Orders` is `sales.orders`); double-quote a part to keep its case
    /// or a dot in it (`?table="Sales"."Q1.orders"`, percent-encoded as needed).
    /// Without a password in the URL, `PGPASSWORD` is used; without a user, `PGUSER`
    /// or the login name.
    pub async fn connect(url: &str, display: &str) -> Result<PostgresTable> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let ParsedUrl {
            config,
            source,
            secrets,
        } = parse_url(url, env).map_err(|m| data_error(display, m))?;
        let secrets = Arc::new(secrets);
        let fail = |m: String| data_error(display, secrets.scrub(&m));
        let (client, guard) = open(&config).await.map_err(fail)?;
        let statement = client
            .prepare(&format!("SELECT * FROM {} AS t", source.sql()))
            .await
            .map_err(|e| fail(describe_source_error(&e, &source)))?;
        let mut columns = Vec::with_capacity(statement.columns().len());
        for c in statement.columns() {
            if columns.iter().any(|p: &PgColumn| p.name == c.name()) {
                return Err(fail(format!(
                    "column name '{}' appears twice in {}; expected unique names (alias them in the query)",
                    c.name(),
                    source.describe()
                )));
            }
            columns.push(PgColumn {
                name: c.name().to_string(),
                kind: Kind::of(c.type_(), c.type_modifier()),
            });
        }
        drop(client);
        guard.release();
        let fields: Vec<Field> = columns
            .iter()
            .map(|c| Field::new(&c.name, c.kind.data_type(), true))
            .collect();
        Ok(PostgresTable {
            config,
            display: display.to_string(),
            source,
            columns,
            schema: Arc::new(Schema::new(fields)),
            secrets,
        })
    }

    /// The dataset name this source gets by default: the table's name, or `query`.
    pub fn name(&self) -> &str {
        match &self.source {
            Source::Table { name, .. } => name,
            Source::Query(_) => "query",
        }
    }

    /// The `SELECT` one scan runs, and whether every filter made it into its `WHERE`.
    fn select_sql(
        &self,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> String {
        let indices: Vec<usize> = match projection {
            Some(p) => p.clone(),
            None => (0..self.columns.len()).collect(),
        };
        let list: Vec<String> = indices
            .iter()
            .map(|&i| self.columns[i].select_item())
            .collect();
        let mut sql = format!("SELECT {} FROM {} AS t", list.join(", "), self.source.sql());
        let mut all_rendered = true;
        let mut conditions = Vec::new();
        for f in filters {
            match render_filter(f, &self.columns) {
                Some(c) => conditions.push(c),
                None => all_rendered = false,
            }
        }
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        if let (Some(n), true) = (limit, all_rendered) {
            sql.push_str(&format!(" LIMIT {n}"));
        }
        sql
    }
}

fn data_error(display: &str, message: String) -> Error {
    Error::Data {
        path: display.into(),
        line: None,
        column: None,
        message,
    }
}

// ---------------------------------------------------------------------------------
// URL

/// Split `url` into the driver's configuration and the table or query, and fill in
/// what the URL leaves out (password from `PGPASSWORD`, user from `PGUSER`).
fn parse_url(
    url: &str,
    env: impl Fn(&str) -> Option<String>,
) -> std::result::Result<ParsedUrl, String> {
    let rest = url
        .strip_prefix("postgres://")
        .or_else(|| url.strip_prefix("postgresql://"))
        .ok_or("expected a URL starting with postgres:// or postgresql://")?;
    let (base, params) = match rest.split_once('?') {
        Some((b, p)) => (b, p),
        None => (rest, ""),
    };
    let mut secrets = Secrets::default();
    // The password as written (percent-encoded), in the user-info part.
    if let Some((userinfo, _)) = base.rsplit_once('@')
        && let Some((_, pw)) = userinfo.split_once(':')
    {
        secrets.add(pw);
    }
    let mut table = None;
    let mut query = None;
    let mut driver_params = Vec::new();
    for pair in params.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_decode(k)?;
        match key.as_str() {
            "table" | "query" => {
                let slot = if key == "table" {
                    &mut table
                } else {
                    &mut query
                };
                if slot.is_some() {
                    return Err(format!(
                        "'{key}' is given twice in the URL; expected it once"
                    ));
                }
                *slot = Some(percent_decode(v)?);
            }
            "sslmode" => {
                let mode = percent_decode(v)?;
                match mode.as_str() {
                    "disable" | "prefer" => driver_params.push(pair),
                    "require" | "verify-ca" | "verify-full" => {
                        return Err(format!(
                            "sslmode={mode} needs TLS, which this build of steward does not include yet; \
                             expected sslmode=disable or sslmode=prefer (a plain connection)"
                        ));
                    }
                    _ => {
                        return Err(format!(
                            "unknown sslmode '{mode}'; expected disable or prefer"
                        ));
                    }
                }
            }
            _ => {
                if key == "password" {
                    secrets.add(v);
                }
                driver_params.push(pair);
            }
        }
    }
    let source = match (table, query) {
        (Some(t), None) => parse_table_name(&t)?,
        (None, Some(q)) => {
            let q = q.trim().trim_end_matches(';').trim_end();
            if q.is_empty() {
                return Err("the query= parameter is empty; expected a SELECT statement".into());
            }
            Source::Query(q.to_string())
        }
        (Some(_), Some(_)) => {
            return Err("the URL has both table= and query=; expected one of them".into());
        }
        (None, None) => {
            return Err(
                "the URL names no rows; expected ?table=[schema.]name or ?query=SELECT ... (percent-encoded)"
                    .into(),
            );
        }
    };
    let mut driver_url = format!("postgresql://{base}");
    if !driver_params.is_empty() {
        driver_url.push('?');
        driver_url.push_str(&driver_params.join("&"));
    }
    let mut config: Config = driver_url.parse().map_err(|e: tokio_postgres::Error| {
        secrets.scrub(&format!("bad connection URL: {}", error_chain(&e)))
    })?;
    match config.get_password() {
        Some(pw) => secrets.add(&String::from_utf8_lossy(pw)),
        None => {
            if let Some(pw) = env("PGPASSWORD") {
                secrets.add(&pw);
                config.password(pw);
            }
        }
    }
    if config.get_user().is_none()
        && let Some(user) = env("PGUSER")
    {
        config.user(user);
    }
    if config.get_hosts().is_empty() {
        config.host(env("PGHOST").as_deref().unwrap_or("localhost"));
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(DEFAULT_CONNECT_TIMEOUT);
    }
    if config.get_application_name().is_none() {
        config.application_name("steward");
    }
    if config.get_ssl_mode() == SslMode::Require {
        // Unreachable (sslmode=require is refused above); kept so a default change in
        // the driver cannot silently ask for TLS we cannot give.
        return Err("TLS is not built into this steward yet; expected sslmode=disable".into());
    }
    Ok(ParsedUrl {
        config,
        source,
        secrets,
    })
}

/// `%XX` decoding as libpq does it (`+` stays a plus sign).
fn percent_decode(s: &str) -> std::result::Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or("bad percent-encoding in the URL; expected % followed by two hex digits")?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "the URL decodes to invalid UTF-8".into())
}

/// `name`, `schema.name`, with double-quoted parts kept as written and bare parts
/// folded to lower case; split on unquoted dots.
/// The dataset name of a `?table=` value: the table's name as PostgreSQL resolves it
/// (unquoted parts folded to lower case); `None` when it does not parse.
pub fn dataset_name(table: &str) -> Option<String> {
    match parse_table_name(table).ok()? {
        Source::Table { name, .. } => Some(name),
        Source::Query(_) => None,
    }
}

fn parse_table_name(text: &str) -> std::result::Result<Source, String> {
    let bad = |why: &str| {
        format!(
            "bad table name in table=: {why}; expected [schema.]name (double-quote a part to keep case or dots)"
        )
    };
    let mut parts: Vec<String> = Vec::new();
    let mut chars = text.trim().chars().peekable();
    loop {
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    Some('"') => break,
                    Some(c) => part.push(c),
                    None => return Err(bad("unterminated double quote")),
                }
            }
            if part.is_empty() {
                return Err(bad("empty quoted name"));
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == '.' {
                    break;
                }
                if c == '"' {
                    return Err(bad("a double quote inside an unquoted name"));
                }
                part.push(c.to_ascii_lowercase());
                chars.next();
            }
            if part.is_empty() {
                return Err(bad("empty name"));
            }
        }
        parts.push(part);
        match chars.next() {
            None => break,
            Some('.') => continue,
            Some(_) => return Err(bad("text after a closing double quote")),
        }
    }
    match parts.len() {
        1 => Ok(Source::Table {
            schema: None,
            name: parts.remove(0),
        }),
        2 => {
            let name = parts.pop().unwrap_or_default();
            Ok(Source::Table {
                schema: parts.pop(),
                name,
            })
        }
        _ => Err(bad("more than two dot-separated parts")),
    }
}

/// `"name"`, with `"` doubled.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

// ---------------------------------------------------------------------------------
// Connections and messages

/// Aborts the connection's task when a scan is dropped before its end (a `LIMIT` met
/// downstream, an error, an interrupt), so the server stops sending rows.
struct ConnectionGuard(Option<tokio::task::JoinHandle<()>>);

impl ConnectionGuard {
    /// Let the connection end by itself (it does once its client is dropped).
    fn release(mut self) {
        self.0 = None;
    }
}

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        if let Some(task) = self.0.take() {
            task.abort();
        }
    }
}

/// Connect and make the session read-only. The message of an error is not yet scrubbed.
async fn open(config: &Config) -> std::result::Result<(Client, ConnectionGuard), String> {
    let (client, connection) = config
        .connect(NoTls)
        .await
        .map_err(|e| describe_connect_error(&e, config))?;
    let guard = ConnectionGuard(Some(tokio::spawn(async move {
        // Errors here surface as failed queries on the client.
        let _ = connection.await;
    })));
    client
        .batch_execute("SET default_transaction_read_only = on")
        .await
        .map_err(|e| format!("cannot start a read-only session: {}", error_chain(&e)))?;
    Ok((client, guard))
}

/// `host:port` of every host the configuration tries.
fn endpoints(config: &Config) -> String {
    let ports = config.get_ports();
    let list: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let port = ports
                .get(i)
                .or_else(|| ports.first())
                .copied()
                .unwrap_or(5432);
            match h {
                Host::Tcp(name) => format!("{name}:{port}"),
                #[cfg(unix)]
                Host::Unix(dir) => format!("{}/.s.PGSQL.{port}", dir.display()),
            }
        })
        .collect();
    list.join(", ")
}

/// The driver's error and its causes, one line (the driver's own `Display` drops them).
fn error_chain(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let mut s = db.message().to_string();
        if let Some(hint) = db.hint() {
            s.push_str(&format!(" (hint: {hint})"));
        }
        return s;
    }
    let mut s = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        s.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    s
}

fn describe_connect_error(e: &tokio_postgres::Error, config: &Config) -> String {
    let at = endpoints(config);
    let user = config.get_user().unwrap_or("(login name)");
    if let Some(db) = e.as_db_error() {
        let code = db.code().code();
        return match code {
            "28P01" | "28000" => format!(
                "cannot connect: {}; expected valid credentials for user '{user}' (password in the URL or in PGPASSWORD)",
                db.message()
            ),
            "3D000" => format!(
                "cannot connect: {}; expected an existing database on {at}",
                db.message()
            ),
            _ => format!("cannot connect to {at}: {}", db.message()),
        };
    }
    let text = error_chain(e);
    if text.contains("password missing") {
        return format!(
            "cannot connect: the server at {at} asks user '{user}' for a password; expected one in the URL or in PGPASSWORD"
        );
    }
    let cause = std::error::Error::source(e)
        .map(|c| c.to_string())
        .unwrap_or(text);
    let cause = if cause.to_ascii_lowercase().contains("refused") {
        "connection refused".to_string()
    } else {
        cause
    };
    format!("cannot connect: {cause}; expected a PostgreSQL server at {at}")
}

fn describe_source_error(e: &tokio_postgres::Error, source: &Source) -> String {
    let Some(db) = e.as_db_error() else {
        return format!("cannot read {}: {}", source.describe(), error_chain(e));
    };
    match (db.code().code(), source) {
        ("42P01", Source::Table { .. }) | ("3F000", Source::Table { .. }) => format!(
            "{}; expected an existing table or view {} (unquoted names are folded to lower case)",
            db.message(),
            source.sql()
        ),
        ("42501", _) => format!(
            "{}; expected SELECT permission on {}",
            db.message(),
            source.describe()
        ),
        (_, Source::Query(_)) => format!(
            "the query is not valid SQL for this server: {}; expected one SELECT statement",
            error_chain(e)
        ),
        _ => format!("cannot read {}: {}", source.describe(), error_chain(e)),
    }
}

/// An error while rows stream, as DataFusion carries it: the redacted URL and a
/// message without the password or any quoted value.
#[derive(Debug)]
pub struct PostgresStreamError(String);

impl fmt::Display for PostgresStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PostgresStreamError {}

// ---------------------------------------------------------------------------------
// Types

/// How a column is selected and decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bool,
    Int16,
    Int32,
    Int64,
    Float32,
    Float64,
    /// `numeric(p, s)` with `p <= 38`, `0 <= s <= p`.
    Decimal {
        precision: u8,
        scale: i8,
    },
    /// `text`, `varchar`: UTF-8 text that compares byte by byte under `COLLATE "C"`.
    Text,
    /// `bpchar`, `name`: text whose comparisons differ from Arrow's (padding).
    OtherText,
    Date,
    Timestamp,
    TimestampTz,
    Time,
    Bytea,
    /// Anything else, selected as `::text`.
    AsText,
}

impl Kind {
    fn of(ty: &Type, typmod: i32) -> Kind {
        match *ty {
            Type::BOOL => Kind::Bool,
            Type::INT2 => Kind::Int16,
            Type::INT4 => Kind::Int32,
            Type::INT8 => Kind::Int64,
            Type::FLOAT4 => Kind::Float32,
            Type::FLOAT8 => Kind::Float64,
            Type::NUMERIC => numeric_kind(typmod),
            Type::TEXT | Type::VARCHAR => Kind::Text,
            Type::BPCHAR | Type::NAME => Kind::OtherText,
            Type::DATE => Kind::Date,
            Type::TIMESTAMP => Kind::Timestamp,
            Type::TIMESTAMPTZ => Kind::TimestampTz,
            Type::TIME => Kind::Time,
            Type::BYTEA => Kind::Bytea,
            // uuid, json, jsonb, citext, enums, arrays, intervals, ...: their text form.
            _ => Kind::AsText,
        }
    }

    fn data_type(self) -> DataType {
        match self {
            Kind::Bool => DataType::Boolean,
            Kind::Int16 => DataType::Int16,
            Kind::Int32 => DataType::Int32,
            Kind::Int64 => DataType::Int64,
            Kind::Float32 => DataType::Float32,
            Kind::Float64 => DataType::Float64,
            Kind::Decimal { precision, scale } => DataType::Decimal128(precision, scale),
            Kind::Text | Kind::OtherText | Kind::AsText => DataType::Utf8,
            Kind::Date => DataType::Date32,
            Kind::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, None),
            Kind::TimestampTz => DataType::Timestamp(TimeUnit::Microsecond, Some(UTC.into())),
            Kind::Time => DataType::Time64(TimeUnit::Microsecond),
            Kind::Bytea => DataType::Binary,
        }
    }
}

/// `numeric(p, s)` from its type modifier (`((p << 16) | s) + 4`, `s` 11-bit signed
/// since PostgreSQL 15); unconstrained or too wide for Decimal128 is read as text.
fn numeric_kind(typmod: i32) -> Kind {
    if typmod < 4 {
        return Kind::AsText;
    }
    let m = typmod - 4;
    let precision = (m >> 16) & 0xffff;
    let scale = ((m & 0x7ff) ^ 0x400) - 0x400;
    if (1..=38).contains(&precision) && (0..=precision).contains(&scale) {
        Kind::Decimal {
            precision: precision as u8,
            scale: scale as i8,
        }
    } else {
        Kind::AsText
    }
}

#[derive(Debug, Clone)]
struct PgColumn {
    name: String,
    kind: Kind,
}

impl PgColumn {
    fn select_item(&self) -> String {
        let q = quote_ident(&self.name);
        match self.kind {
            Kind::AsText => format!("{q}::text AS {q}"),
            _ => q,
        }
    }
}

// ---------------------------------------------------------------------------------
// Filters

/// `expr` as a PostgreSQL condition that keeps every row DataFusion's filter keeps
/// (DataFusion applies the filter again: pushdown is `Inexact`), or `None`.
///
/// Supported: a column compared with a literal (`= <> < <= > >=`, `IS [NOT] DISTINCT
/// FROM`, `BETWEEN`, `IN (...)`), `IS [NOT] NULL`, a boolean column, and `AND`, `OR`,
/// `NOT` of those. Columns of float, byte, padded-text and `::text` kinds are never
/// compared (their PostgreSQL ordering or equality differs from Arrow's); text
/// compares under `COLLATE "C"`, which is Arrow's byte order. A value PostgreSQL holds
/// but Arrow reads as NULL (NaN, infinity) only turns a comparison from unknown into
/// true or false, which cannot drop a row the filter keeps; `IS NULL` counts them.
fn render_filter(expr: &Expr, columns: &[PgColumn]) -> Option<String> {
    match expr {
        Expr::BinaryExpr(BinaryExpr { left, op, right }) => match op {
            Operator::And | Operator::Or => {
                let l = render_filter(left, columns)?;
                let r = render_filter(right, columns)?;
                let word = if *op == Operator::And { "AND" } else { "OR" };
                Some(format!("({l} {word} {r})"))
            }
            _ => {
                if let Some(c) = comparable_column(left, columns) {
                    let lit = render_literal(literal(right)?, c.kind)?;
                    Some(format!("({} {} {lit})", column_sql(c), sql_op(*op)?))
                } else {
                    let c = comparable_column(right, columns)?;
                    let lit = render_literal(literal(left)?, c.kind)?;
                    Some(format!("({lit} {} {})", sql_op(*op)?, column_sql(c)))
                }
            }
        },
        Expr::Not(inner) => Some(format!("(NOT {})", render_filter(inner, columns)?)),
        Expr::IsNull(inner) => Some(is_null_sql(column(inner, columns)?, true)),
        Expr::IsNotNull(inner) => Some(is_null_sql(column(inner, columns)?, false)),
        Expr::Column(_) => {
            let c = column(expr, columns)?;
            (c.kind == Kind::Bool).then(|| quote_ident(&c.name))
        }
        Expr::InList(InList {
            expr,
            list,
            negated,
        }) => {
            let c = comparable_column(expr, columns)?;
            if list.is_empty() {
                return None;
            }
            let items = list
                .iter()
                .map(|e| render_literal(literal(e)?, c.kind))
                .collect::<Option<Vec<_>>>()?;
            let not = if *negated { "NOT " } else { "" };
            Some(format!(
                "({} {not}IN ({}))",
                column_sql(c),
                items.join(", ")
            ))
        }
        Expr::Between(Between {
            expr,
            negated,
            low,
            high,
        }) => {
            let c = comparable_column(expr, columns)?;
            let lo = render_literal(literal(low)?, c.kind)?;
            let hi = render_literal(literal(high)?, c.kind)?;
            let not = if *negated { "NOT " } else { "" };
            Some(format!("({} {not}BETWEEN {lo} AND {hi})", column_sql(c)))
        }
        _ => None,
    }
}

fn sql_op(op: Operator) -> Option<&'static str> {
    Some(match op {
        Operator::Eq => "=",
        Operator::NotEq => "<>",
        Operator::Lt => "<",
        Operator::LtEq => "<=",
        Operator::Gt => ">",
        Operator::GtEq => ">=",
        Operator::IsDistinctFrom => "IS DISTINCT FROM",
        Operator::IsNotDistinctFrom => "IS NOT DISTINCT FROM",
        _ => return None,
    })
}

fn literal(expr: &Expr) -> Option<&ScalarValue> {
    match expr {
        Expr::Literal(v, _) if !v.is_null() => Some(v),
        _ => None,
    }
}

/// A column of this table, by name.
fn column<'a>(expr: &Expr, columns: &'a [PgColumn]) -> Option<&'a PgColumn> {
    match expr {
        Expr::Column(c) => columns.iter().find(|p| p.name == c.name),
        _ => None,
    }
}

/// A column whose values compare in PostgreSQL as in Arrow, maybe under a cast that
/// keeps every value (a wider integer, another string type).
fn comparable_column<'a>(expr: &Expr, columns: &'a [PgColumn]) -> Option<&'a PgColumn> {
    let (inner, target) = match expr {
        Expr::Cast(c) => (c.expr.as_ref(), Some(c.field.data_type())),
        Expr::TryCast(c) => (c.expr.as_ref(), Some(c.field.data_type())),
        _ => (expr, None),
    };
    let c = column(inner, columns)?;
    let keeps_values = matches!(
        (c.kind, target),
        (_, None)
            | (Kind::Int16, Some(DataType::Int32 | DataType::Int64))
            | (Kind::Int32, Some(DataType::Int64))
            | (
                Kind::Text,
                Some(DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
            )
    );
    let comparable = matches!(
        c.kind,
        Kind::Bool
            | Kind::Int16
            | Kind::Int32
            | Kind::Int64
            | Kind::Decimal { .. }
            | Kind::Text
            | Kind::Date
            | Kind::Timestamp
            | Kind::TimestampTz
            | Kind::Time
    );
    (keeps_values && comparable).then_some(c)
}

fn column_sql(c: &PgColumn) -> String {
    match c.kind {
        Kind::Text => format!("{} COLLATE \"C\"", quote_ident(&c.name)),
        _ => quote_ident(&c.name),
    }
}

/// `IS NULL` as Arrow sees it: NaN and infinities are NULL there.
fn is_null_sql(c: &PgColumn, null: bool) -> String {
    let q = quote_ident(&c.name);
    let special = match c.kind {
        Kind::Decimal { .. } => Some(format!("{q} = 'NaN'::numeric")),
        Kind::Date | Kind::Timestamp | Kind::TimestampTz => Some(format!("NOT isfinite({q})")),
        _ => None,
    };
    match (special, null) {
        (None, true) => format!("({q} IS NULL)"),
        (None, false) => format!("({q} IS NOT NULL)"),
        (Some(s), true) => format!("({q} IS NULL OR {s})"),
        (Some(s), false) => format!("({q} IS NOT NULL AND NOT ({s}))"),
    }
}

/// A literal as PostgreSQL SQL for a comparison with a column of `kind`, or `None`
/// when its type does not belong with the column.
fn render_literal(v: &ScalarValue, kind: Kind) -> Option<String> {
    let int = |n: i128| {
        if n < 0 {
            format!("({n})")
        } else {
            n.to_string()
        }
    };
    let int_value = || -> Option<i128> {
        Some(match v {
            ScalarValue::Int8(Some(n)) => i128::from(*n),
            ScalarValue::Int16(Some(n)) => i128::from(*n),
            ScalarValue::Int32(Some(n)) => i128::from(*n),
            ScalarValue::Int64(Some(n)) => i128::from(*n),
            ScalarValue::UInt8(Some(n)) => i128::from(*n),
            ScalarValue::UInt16(Some(n)) => i128::from(*n),
            ScalarValue::UInt32(Some(n)) => i128::from(*n),
            ScalarValue::UInt64(Some(n)) => i128::from(*n),
            _ => return None,
        })
    };
    match kind {
        Kind::Bool => match v {
            ScalarValue::Boolean(Some(b)) => Some(if *b { "TRUE" } else { "FALSE" }.into()),
            _ => None,
        },
        Kind::Int16 | Kind::Int32 | Kind::Int64 => int_value().map(int),
        Kind::Decimal { .. } => match v {
            ScalarValue::Decimal128(Some(n), _, s) => Some(decimal_sql(*n, *s)),
            _ => int_value().map(int),
        },
        Kind::Text => match v {
            ScalarValue::Utf8(Some(s))
            | ScalarValue::LargeUtf8(Some(s))
            | ScalarValue::Utf8View(Some(s)) => string_sql(s),
            _ => None,
        },
        Kind::Date => match v {
            ScalarValue::Date32(Some(d)) => {
                let date = chrono::NaiveDate::from_num_days_from_ce_opt(d.checked_add(719_163)?)?;
                use chrono::Datelike;
                (1..=9999)
                    .contains(&date.year())
                    .then(|| format!("DATE '{}'", date.format("%Y-%m-%d")))
            }
            _ => None,
        },
        Kind::Timestamp | Kind::TimestampTz => {
            let (micros, tz) = match v {
                ScalarValue::TimestampSecond(Some(n), tz) => (n.checked_mul(1_000_000)?, tz),
                ScalarValue::TimestampMillisecond(Some(n), tz) => (n.checked_mul(1_000)?, tz),
                ScalarValue::TimestampMicrosecond(Some(n), tz) => (*n, tz),
                ScalarValue::TimestampNanosecond(Some(n), tz) if n % 1_000 == 0 => (n / 1_000, tz),
                _ => return None,
            };
            if tz.is_some() != (kind == Kind::TimestampTz) {
                return None;
            }
            let t = chrono::DateTime::from_timestamp_micros(micros)?.naive_utc();
            use chrono::Datelike;
            if !(1..=9999).contains(&t.year()) {
                return None;
            }
            let text = t.format("%Y-%m-%d %H:%M:%S%.6f");
            Some(if kind == Kind::TimestampTz {
                format!("TIMESTAMPTZ '{text}+00'")
            } else {
                format!("TIMESTAMP '{text}'")
            })
        }
        Kind::Time => match v {
            ScalarValue::Time64Microsecond(Some(n)) if (0..86_400_000_000).contains(n) => {
                let (secs, micros) = (n / 1_000_000, n % 1_000_000);
                Some(format!(
                    "TIME '{:02}:{:02}:{:02}.{micros:06}'",
                    secs / 3600,
                    secs / 60 % 60,
                    secs % 60
                ))
            }
            _ => None,
        },
        _ => None,
    }
}

/// An unscaled decimal as a numeric literal: `-12345`, scale 2 -> `(-123.45)`.
fn decimal_sql(n: i128, scale: i8) -> String {
    let digits = n.unsigned_abs().to_string();
    let body = if scale <= 0 {
        format!("{digits}{}", "0".repeat(usize::from(scale.unsigned_abs())))
    } else {
        let s = scale as usize;
        let padded = format!("{digits:0>width$}", width = s + 1);
        let (int, frac) = padded.split_at(padded.len() - s);
        format!("{int}.{frac}")
    };
    if n < 0 { format!("(-{body})") } else { body }
}

/// An escape string (`E'...'`), which means the same whatever
/// `standard_conforming_strings` is; PostgreSQL text cannot hold NUL.
fn string_sql(s: &str) -> Option<String> {
    if s.contains('\0') {
        return None;
    }
    Some(format!(
        "E'{}'",
        s.replace('\\', "\\\\").replace('\'', "''")
    ))
}

// ---------------------------------------------------------------------------------
// Scan

#[async_trait]
impl TableProvider for PostgresTable {
    fn schema(&self) -> SchemaRef {
        Arc::clone(&self.schema)
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    fn supports_filters_pushdown(
        &self,
        filters: &[&Expr],
    ) -> datafusion::error::Result<Vec<TableProviderFilterPushDown>> {
        Ok(filters
            .iter()
            .map(|f| match render_filter(f, &self.columns) {
                Some(_) => TableProviderFilterPushDown::Inexact,
                None => TableProviderFilterPushDown::Unsupported,
            })
            .collect())
    }

    async fn scan(
        &self,
        _state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> datafusion::error::Result<Arc<dyn ExecutionPlan>> {
        let schema = match projection {
            Some(p) => Arc::new(self.schema.project(p)?),
            None => Arc::clone(&self.schema),
        };
        let kinds: Vec<Kind> = match projection {
            Some(p) => p.iter().map(|&i| self.columns[i].kind).collect(),
            None => self.columns.iter().map(|c| c.kind).collect(),
        };
        let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
        let properties = Arc::new(PlanProperties::new(
            EquivalenceProperties::new(Arc::clone(&schema)),
            Partitioning::UnknownPartitioning(1),
            EmissionType::Incremental,
            Boundedness::Bounded,
        ));
        Ok(Arc::new(PostgresExec {
            config: self.config.clone(),
            display: self.display.clone(),
            source: self.source.describe(),
            sql: self.select_sql(projection, filters, limit),
            filters: filters.len(),
            schema,
            kinds,
            names,
            properties,
            secrets: Arc::clone(&self.secrets),
        }))
    }
}

/// One `SELECT` on its own connection, streamed as record batches. One partition.
struct PostgresExec {
    config: Config,
    display: String,
    source: String,
    sql: String,
    filters: usize,
    schema: SchemaRef,
    kinds: Vec<Kind>,
    names: Vec<String>,
    properties: Arc<PlanProperties>,
    secrets: Arc<Secrets>,
}

impl fmt::Debug for PostgresExec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Not the SQL: its WHERE may quote values from a rule.
        f.debug_struct("PostgresExec")
            .field("url", &self.display)
            .field("source", &self.source)
            .field("columns", &self.names)
            .field("filters", &self.filters)
            .finish_non_exhaustive()
    }
}

impl DisplayAs for PostgresExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "PostgresExec: {} of {}, columns={}, pushed filters={}",
            self.source,
            self.display,
            self.names.len(),
            self.filters
        )
    }
}

impl ExecutionPlan for PostgresExec {
    fn name(&self) -> &str {
        "PostgresExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![]
    }

    fn apply_expressions(
        &self,
        _f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> datafusion::error::Result<TreeNodeRecursion>,
    ) -> datafusion::error::Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn with_new_children(
        self: Arc<Self>,
        _children: Vec<Arc<dyn ExecutionPlan>>,
    ) -> datafusion::error::Result<Arc<dyn ExecutionPlan>> {
        Ok(self)
    }

    fn execute(
        &self,
        partition: usize,
        context: Arc<TaskContext>,
    ) -> datafusion::error::Result<SendableRecordBatchStream> {
        if partition != 0 {
            return Err(DataFusionError::Internal(format!(
                "PostgresExec has one partition, asked for {partition}"
            )));
        }
        let batch_size = context.session_config().batch_size().max(1);
        let mut builder = RecordBatchReceiverStreamBuilder::new(Arc::clone(&self.schema), 2);
        let tx = builder.tx();
        let config = self.config.clone();
        let sql = self.sql.clone();
        let schema = Arc::clone(&self.schema);
        let kinds = self.kinds.clone();
        let names = self.names.clone();
        let display = self.display.clone();
        let secrets = Arc::clone(&self.secrets);
        builder.spawn(async move {
            let fail = |message: String| {
                DataFusionError::External(Box::new(PostgresStreamError(format!(
                    "{display}: {}",
                    secrets.scrub(&message)
                ))))
            };
            let (client, guard) = open(&config).await.map_err(fail)?;
            let rows = client
                .query_raw(sql.as_str(), std::iter::empty::<i32>())
                .await
                .map_err(|e| {
                    fail(format!(
                        "the query failed: {}",
                        super::diagnose::scrub(&error_chain(&e))
                    ))
                })?;
            let mut rows = std::pin::pin!(rows);
            let mut batch = BatchBuilder::new(&kinds, batch_size);
            while let Some(row) = rows.next().await {
                let row = row.map_err(|e| {
                    fail(format!(
                        "reading rows failed: {}",
                        super::diagnose::scrub(&error_chain(&e))
                    ))
                })?;
                batch.push(&row, &names).map_err(fail)?;
                if batch.rows == batch_size {
                    let full = batch.finish(&schema).map_err(DataFusionError::from)?;
                    if tx.send(Ok(full)).await.is_err() {
                        // The consumer is gone (a LIMIT was met): stop the server.
                        return Ok(());
                    }
                }
            }
            if batch.rows > 0 {
                let last = batch.finish(&schema).map_err(DataFusionError::from)?;
                let _ = tx.send(Ok(last)).await;
            }
            // All rows read: close politely rather than abort.
            drop(client);
            guard.release();
            Ok(())
        });
        Ok(builder.build())
    }
}

// ---------------------------------------------------------------------------------
// Rows -> Arrow

/// A value's bytes in PostgreSQL's binary format, whatever its type.
struct Raw<'a>(&'a [u8]);

impl<'a> FromSql<'a> for Raw<'a> {
    fn from_sql(
        _ty: &Type,
        raw: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Raw(raw))
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }
}

enum ColumnBuilder {
    Bool(BooleanBuilder),
    Int16(Int16Builder),
    Int32(Int32Builder),
    Int64(Int64Builder),
    Float32(Float32Builder),
    Float64(Float64Builder),
    Decimal(Decimal128Builder, u8, i8),
    Text(StringBuilder),
    Date(Date32Builder),
    Timestamp(TimestampMicrosecondBuilder, bool),
    Time(Time64MicrosecondBuilder),
    Bytea(BinaryBuilder),
}

struct BatchBuilder {
    columns: Vec<ColumnBuilder>,
    rows: usize,
    capacity: usize,
    kinds: Vec<Kind>,
}

impl BatchBuilder {
    fn new(kinds: &[Kind], capacity: usize) -> Self {
        BatchBuilder {
            columns: kinds.iter().map(|&k| new_builder(k, capacity)).collect(),
            rows: 0,
            capacity,
            kinds: kinds.to_vec(),
        }
    }

    fn push(
        &mut self,
        row: &tokio_postgres::Row,
        names: &[String],
    ) -> std::result::Result<(), String> {
        for (i, b) in self.columns.iter_mut().enumerate() {
            let name = names.get(i).map(String::as_str).unwrap_or("?");
            let raw = row
                .try_get::<_, Option<Raw>>(i)
                .map_err(|e| format!("column '{name}': {}", error_chain(&e)))?;
            append(b, raw.map(|r| r.0)).map_err(|why| format!("column '{name}': {why}"))?;
        }
        self.rows += 1;
        Ok(())
    }

    /// The rows so far as a batch; the builder starts over.
    fn finish(&mut self, schema: &SchemaRef) -> datafusion::arrow::error::Result<RecordBatch> {
        let arrays = self
            .columns
            .iter_mut()
            .map(finish_builder)
            .collect::<datafusion::arrow::error::Result<Vec<ArrayRef>>>()?;
        let options = RecordBatchOptions::new().with_row_count(Some(self.rows));
        let batch = RecordBatch::try_new_with_options(Arc::clone(schema), arrays, &options)?;
        *self = BatchBuilder::new(&self.kinds, self.capacity);
        Ok(batch)
    }
}

fn new_builder(kind: Kind, n: usize) -> ColumnBuilder {
    match kind {
        Kind::Bool => ColumnBuilder::Bool(BooleanBuilder::with_capacity(n)),
        Kind::Int16 => ColumnBuilder::Int16(Int16Builder::with_capacity(n)),
        Kind::Int32 => ColumnBuilder::Int32(Int32Builder::with_capacity(n)),
        Kind::Int64 => ColumnBuilder::Int64(Int64Builder::with_capacity(n)),
        Kind::Float32 => ColumnBuilder::Float32(Float32Builder::with_capacity(n)),
        Kind::Float64 => ColumnBuilder::Float64(Float64Builder::with_capacity(n)),
        Kind::Decimal { precision, scale } => {
            ColumnBuilder::Decimal(Decimal128Builder::with_capacity(n), precision, scale)
        }
        Kind::Text | Kind::OtherText | Kind::AsText => {
            ColumnBuilder::Text(StringBuilder::with_capacity(n, n * 16))
        }
        Kind::Date => ColumnBuilder::Date(Date32Builder::with_capacity(n)),
        Kind::Timestamp => {
            ColumnBuilder::Timestamp(TimestampMicrosecondBuilder::with_capacity(n), false)
        }
        Kind::TimestampTz => {
            ColumnBuilder::Timestamp(TimestampMicrosecondBuilder::with_capacity(n), true)
        }
        Kind::Time => ColumnBuilder::Time(Time64MicrosecondBuilder::with_capacity(n)),
        Kind::Bytea => ColumnBuilder::Bytea(BinaryBuilder::with_capacity(n, n * 16)),
    }
}

fn finish_builder(b: &mut ColumnBuilder) -> datafusion::arrow::error::Result<ArrayRef> {
    Ok(match b {
        ColumnBuilder::Bool(b) => Arc::new(b.finish()),
        ColumnBuilder::Int16(b) => Arc::new(b.finish()),
        ColumnBuilder::Int32(b) => Arc::new(b.finish()),
        ColumnBuilder::Int64(b) => Arc::new(b.finish()),
        ColumnBuilder::Float32(b) => Arc::new(b.finish()),
        ColumnBuilder::Float64(b) => Arc::new(b.finish()),
        ColumnBuilder::Decimal(b, p, s) => Arc::new(b.finish().with_precision_and_scale(*p, *s)?),
        ColumnBuilder::Text(b) => Arc::new(b.finish()),
        ColumnBuilder::Date(b) => Arc::new(b.finish()),
        ColumnBuilder::Timestamp(b, tz) => {
            let a = b.finish();
            Arc::new(if *tz { a.with_timezone(UTC) } else { a })
        }
        ColumnBuilder::Time(b) => Arc::new(b.finish()),
        ColumnBuilder::Bytea(b) => Arc::new(b.finish()),
    })
}

fn fixed<const N: usize>(raw: &[u8], what: &str) -> std::result::Result<[u8; N], String> {
    raw.try_into().map_err(|_| {
        format!(
            "expected {N} bytes for a {what}, the server sent {}",
            raw.len()
        )
    })
}

/// Append one value (`None` is NULL) in PostgreSQL's binary format.
fn append(b: &mut ColumnBuilder, raw: Option<&[u8]>) -> std::result::Result<(), String> {
    let Some(raw) = raw else {
        match b {
            ColumnBuilder::Bool(b) => b.append_null(),
            ColumnBuilder::Int16(b) => b.append_null(),
            ColumnBuilder::Int32(b) => b.append_null(),
            ColumnBuilder::Int64(b) => b.append_null(),
            ColumnBuilder::Float32(b) => b.append_null(),
            ColumnBuilder::Float64(b) => b.append_null(),
            ColumnBuilder::Decimal(b, ..) => b.append_null(),
            ColumnBuilder::Text(b) => b.append_null(),
            ColumnBuilder::Date(b) => b.append_null(),
            ColumnBuilder::Timestamp(b, _) => b.append_null(),
            ColumnBuilder::Time(b) => b.append_null(),
            ColumnBuilder::Bytea(b) => b.append_null(),
        }
        return Ok(());
    };
    match b {
        ColumnBuilder::Bool(b) => b.append_value(fixed::<1>(raw, "boolean")?[0] != 0),
        ColumnBuilder::Int16(b) => b.append_value(i16::from_be_bytes(fixed(raw, "smallint")?)),
        ColumnBuilder::Int32(b) => b.append_value(i32::from_be_bytes(fixed(raw, "integer")?)),
        ColumnBuilder::Int64(b) => b.append_value(i64::from_be_bytes(fixed(raw, "bigint")?)),
        ColumnBuilder::Float32(b) => b.append_value(f32::from_be_bytes(fixed(raw, "real")?)),
        ColumnBuilder::Float64(b) => {
            b.append_value(f64::from_be_bytes(fixed(raw, "double precision")?))
        }
        ColumnBuilder::Decimal(b, _, scale) => match decode_numeric(raw, *scale)? {
            Some(v) => b.append_value(v),
            None => b.append_null(),
        },
        ColumnBuilder::Text(b) => b.append_value(
            std::str::from_utf8(raw).map_err(|_| "the server sent text that is not UTF-8")?,
        ),
        ColumnBuilder::Date(b) => match i32::from_be_bytes(fixed(raw, "date")?) {
            i32::MAX | i32::MIN => b.append_null(),
            d => b.append_option(d.checked_add(PG_EPOCH_DAYS)),
        },
        ColumnBuilder::Timestamp(b, _) => match i64::from_be_bytes(fixed(raw, "timestamp")?) {
            i64::MAX | i64::MIN => b.append_null(),
            t => b.append_option(t.checked_add(PG_EPOCH_MICROS)),
        },
        ColumnBuilder::Time(b) => b.append_value(i64::from_be_bytes(fixed(raw, "time")?)),
        ColumnBuilder::Bytea(b) => b.append_value(raw),
    }
    Ok(())
}

/// A binary `numeric` as an unscaled i128 at `scale`; `None` for NaN and infinities.
/// Layout: ndigits, weight, sign, dscale (i16 each), then base-10000 digits, the first
/// worth 10000^weight.
fn decode_numeric(raw: &[u8], scale: i8) -> std::result::Result<Option<i128>, String> {
    let word = |i: usize| -> std::result::Result<i16, String> {
        raw.get(2 * i..2 * i + 2)
            .map(|b| i16::from_be_bytes([b[0], b[1]]))
            .ok_or_else(|| "the server sent a truncated numeric".to_string())
    };
    let ndigits = usize::try_from(word(0)?).map_err(|_| "the server sent a bad numeric")?;
    let weight = i32::from(word(1)?);
    let sign = word(2)? as u16;
    match sign {
        0x0000 | 0x4000 => {}
        0xC000 | 0xD000 | 0xF000 => return Ok(None),
        _ => return Err("the server sent a numeric with an unknown sign".into()),
    }
    if raw.len() != 8 + 2 * ndigits {
        return Err("the server sent a numeric of the wrong length".into());
    }
    let overflow = || format!("a numeric value does not fit Decimal128 at scale {scale}");
    let mut acc: i128 = 0;
    for k in 0..ndigits {
        let d = i128::from(word(4 + k)?);
        if !(0..10_000).contains(&d) {
            return Err("the server sent a numeric with a bad digit".into());
        }
        // This digit is worth d * 10^(4 * (weight - k)); scaled by 10^scale.
        let shift = 4 * (weight - k as i32) + i32::from(scale);
        if shift >= 0 {
            let term = 10i128
                .checked_pow(shift as u32)
                .and_then(|p| p.checked_mul(d))
                .ok_or_else(overflow)?;
            acc = acc.checked_add(term).ok_or_else(overflow)?;
        } else if d != 0 {
            let div = 10i128.checked_pow((-shift) as u32).unwrap_or(i128::MAX);
            if d % div != 0 {
                return Err(format!("a numeric value has more than {scale} decimals"));
            }
            acc = acc.checked_add(d / div).ok_or_else(overflow)?;
        }
    }
    Ok(Some(if sign == 0x4000 { -acc } else { acc }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::Array;
    use datafusion::logical_expr::{col, lit};

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn parse(url: &str) -> std::result::Result<ParsedUrl, String> {
        parse_url(url, no_env)
    }

    fn table(schema: Option<&str>, name: &str) -> Source {
        Source::Table {
            schema: schema.map(String::from),
            name: name.into(),
        }
    }

    #[test]
    fn urls_name_a_table_or_a_query() {
        let p = parse("postgres://u:pw@db.example:6543/shop?table=customers").unwrap();
        assert_eq!(p.source, table(None, "customers"));
        assert_eq!(p.config.get_user(), Some("u"));
        assert_eq!(p.config.get_password(), Some(&b"pw"[..]));
        assert_eq!(p.config.get_dbname(), Some("shop"));
        assert_eq!(p.config.get_ports(), [6543]);
        assert_eq!(p.config.get_hosts(), [Host::Tcp("db.example".into())]);

        let p = parse("postgresql://u@h/db?table=Sales.Orders&sslmode=disable").unwrap();
        assert_eq!(p.source, table(Some("sales"), "orders"));
        assert_eq!(p.config.get_ssl_mode(), SslMode::Disable);

        let p =
            parse(r#"postgres://u@h/db?table=%22My%20Schema%22.%22Q1.%22%22x%22%22%22"#).unwrap();
        assert_eq!(p.source, table(Some("My Schema"), "Q1.\"x\""));
        assert_eq!(p.source.sql(), r#""My Schema"."Q1.""x""""#);

        let p = parse(
            "postgres://u@h/db?query=SELECT%20a%2Bb%20FROM%20t%20WHERE%20c%20%3D%20%27x%27%3B&application_name=ci",
        )
        .unwrap();
        assert_eq!(
            p.source,
            Source::Query("SELECT a+b FROM t WHERE c = 'x'".into())
        );
        assert_eq!(p.config.get_application_name(), Some("ci"));
        // A plus sign is a plus sign, as in libpq.
        let p = parse("postgres://u@h/db?query=SELECT 1+1").unwrap();
        assert_eq!(p.source, Source::Query("SELECT 1+1".into()));
    }

    #[test]
    fn driver_parameters_and_defaults() {
        let p = parse("postgres://u@h/db?table=t&connect_timeout=3&options=-c%20search_path%3Dx")
            .unwrap();
        assert_eq!(
            p.config.get_connect_timeout(),
            Some(&Duration::from_secs(3))
        );
        assert_eq!(p.config.get_options(), Some("-c search_path=x"));
        let p = parse("postgres://u@/db?table=t&host=%2Ftmp%2Fpg").unwrap();
        assert_eq!(p.config.get_hosts(), [Host::Unix("/tmp/pg".into())]);
        let p = parse("postgres://u@h/db?table=t").unwrap();
        assert_eq!(
            p.config.get_connect_timeout(),
            Some(&DEFAULT_CONNECT_TIMEOUT)
        );
        assert_eq!(p.config.get_application_name(), Some("steward"));
        let p = parse("postgres:///db?table=t").unwrap();
        assert_eq!(p.config.get_hosts(), [Host::Tcp("localhost".into())]);
    }

    #[test]
    fn bad_urls_say_what_was_expected() {
        let cases = [
            ("mysql://u@h/db?table=t", "postgres://"),
            ("postgres://u@h/db", "expected ?table="),
            ("postgres://u@h/db?sslmode=disable", "expected ?table="),
            ("postgres://u@h/db?table=a&query=SELECT%201", "one of them"),
            ("postgres://u@h/db?table=a&table=b", "twice"),
            ("postgres://u@h/db?query=%20%3B", "empty"),
            ("postgres://u@h/db?table=a.b.c", "two dot-separated"),
            ("postgres://u@h/db?table=%22abc", "unterminated"),
            ("postgres://u@h/db?table=a.", "empty name"),
            ("postgres://u@h/db?table=%ZZ", "percent-encoding"),
            ("postgres://u@h/db?table=t&sslmode=require", "TLS"),
            ("postgres://u@h/db?table=t&sslmode=verify-full", "TLS"),
            ("postgres://u@h/db?table=t&nosuch=1", "bad connection URL"),
        ];
        for (url, want) in cases {
            let err = parse(url).err().unwrap_or_else(|| panic!("{url} parsed"));
            assert!(err.contains(want), "{url}: {err}");
        }
    }

    #[test]
    fn password_comes_from_pgpassword_and_never_shows() {
        let env = |k: &str| match k {
            "PGPASSWORD" => Some("from-env-secret".to_string()),
            "PGUSER" => Some("envuser".to_string()),
            _ => None,
        };
        let p = parse_url("postgres://h/db?table=t", env).unwrap();
        assert_eq!(p.config.get_password(), Some(&b"from-env-secret"[..]));
        assert_eq!(p.config.get_user(), Some("envuser"));
        assert_eq!(p.secrets.scrub("x from-env-secret y"), "x *** y");
        // A password in the URL wins over the environment.
        let p = parse_url("postgres://u:url%40secret@h/db?table=t", env).unwrap();
        assert_eq!(p.config.get_password(), Some(&b"url@secret"[..]));
        assert_eq!(
            p.secrets.scrub("a url@secret b url%40secret"),
            "a *** b ***"
        );
        // The driver's parse errors never carry the password.
        let err = parse("postgres://u:hunter22@h/db?table=t&port=abc")
            .err()
            .unwrap();
        assert!(!err.contains("hunter22"), "{err}");
        let err = parse("postgres://u:hunter22@h/db?table=t&sslmode=require")
            .err()
            .unwrap();
        assert!(!err.contains("hunter22"), "{err}");
    }

    #[test]
    fn debug_output_hides_the_password() {
        let ParsedUrl {
            config,
            source,
            secrets,
        } = parse("postgres://u:hunter22@h/db?table=t").unwrap();
        let t = PostgresTable {
            config,
            display: "postgres://u:***@h/db?table=t".into(),
            source,
            columns: vec![PgColumn {
                name: "a".into(),
                kind: Kind::Int32,
            }],
            schema: Arc::new(Schema::new(vec![Field::new("a", DataType::Int32, true)])),
            secrets: Arc::new(secrets),
        };
        let dbg = format!("{t:?}");
        assert!(!dbg.contains("hunter22"), "{dbg}");
        assert!(dbg.contains("postgres://u:***@h/db"), "{dbg}");
        let sql = t.select_sql(None, &[], Some(5));
        assert_eq!(sql, r#"SELECT "a" FROM "t" AS t LIMIT 5"#);
    }

    #[tokio::test]
    async fn connection_errors_name_the_display_url_only() {
        // A port nothing listens on: refused at once.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let url = format!("postgres://u:hunter22@127.0.0.1:{port}/db?table=t");
        let display = format!("postgres://u:***@127.0.0.1:{port}/db?table=t");
        let err = PostgresTable::connect(&url, &display).await.unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, Error::Data { .. }), "{text}");
        assert!(text.starts_with(&display), "{text}");
        assert!(text.contains("connection refused"), "{text}");
        assert!(text.contains(&format!("127.0.0.1:{port}")), "{text}");
        assert!(!text.contains("hunter22"), "{text}");
        assert!(!format!("{err:?}").contains("hunter22"));
    }

    #[test]
    fn types_map_to_arrow() {
        let numeric = |p: i32, s: i32| ((p << 16) | s) + 4;
        let cases = [
            (Type::BOOL, -1, DataType::Boolean),
            (Type::INT2, -1, DataType::Int16),
            (Type::INT4, -1, DataType::Int32),
            (Type::INT8, -1, DataType::Int64),
            (Type::FLOAT4, -1, DataType::Float32),
            (Type::FLOAT8, -1, DataType::Float64),
            (Type::NUMERIC, numeric(12, 2), DataType::Decimal128(12, 2)),
            (Type::NUMERIC, numeric(38, 0), DataType::Decimal128(38, 0)),
            (Type::NUMERIC, numeric(50, 2), DataType::Utf8),
            (Type::NUMERIC, -1, DataType::Utf8),
            // numeric(5, -2) (PostgreSQL 15): scale 0x7fe in 11 bits.
            (Type::NUMERIC, ((5 << 16) | 0x7fe) + 4, DataType::Utf8),
            (Type::TEXT, -1, DataType::Utf8),
            (Type::VARCHAR, 14, DataType::Utf8),
            (Type::BPCHAR, 9, DataType::Utf8),
            (Type::NAME, -1, DataType::Utf8),
            (Type::UUID, -1, DataType::Utf8),
            (Type::JSON, -1, DataType::Utf8),
            (Type::JSONB, -1, DataType::Utf8),
            (Type::DATE, -1, DataType::Date32),
            (
                Type::TIMESTAMP,
                -1,
                DataType::Timestamp(TimeUnit::Microsecond, None),
            ),
            (
                Type::TIMESTAMPTZ,
                -1,
                DataType::Timestamp(TimeUnit::Microsecond, Some("+00:00".into())),
            ),
            (Type::TIME, -1, DataType::Time64(TimeUnit::Microsecond)),
            (Type::BYTEA, -1, DataType::Binary),
            (Type::INTERVAL, -1, DataType::Utf8),
            (Type::INT4_ARRAY, -1, DataType::Utf8),
        ];
        for (ty, typmod, want) in cases {
            assert_eq!(Kind::of(&ty, typmod).data_type(), want, "{ty}");
        }
        let other = PgColumn {
            name: "u\"id".into(),
            kind: Kind::of(&Type::UUID, -1),
        };
        assert_eq!(other.select_item(), r#""u""id"::text AS "u""id""#);
    }

    #[test]
    fn binary_values_decode() {
        // numeric 12345.678 at scale 3: digits 1, 2345, 6780; weight 1.
        let n = [0, 3, 0, 1, 0, 0, 0, 3, 0, 1, 0x09, 0x29, 0x1a, 0x7c];
        assert_eq!(decode_numeric(&n, 3), Ok(Some(12_345_678)));
        assert_eq!(decode_numeric(&n, 5), Ok(Some(1_234_567_800)));
        assert!(decode_numeric(&n, 2).unwrap_err().contains("decimals"));
        // -0.05 at scale 2: one digit 500, weight -1.
        let n = [0, 1, 0xff, 0xff, 0x40, 0, 0, 2, 0x01, 0xf4];
        assert_eq!(decode_numeric(&n, 2), Ok(Some(-5)));
        // zero, NaN
        assert_eq!(decode_numeric(&[0, 0, 0, 0, 0, 0, 0, 0], 2), Ok(Some(0)));
        assert_eq!(decode_numeric(&[0, 0, 0, 0, 0xc0, 0, 0, 0], 2), Ok(None));
        // Malformed input is an error, never a panic.
        assert!(decode_numeric(&[0, 5, 0, 0], 2).is_err());
        assert!(decode_numeric(&[0, 1, 0x7f, 0xff, 0, 0, 0, 0, 0, 1], 38).is_err());
        assert!(decode_numeric(&[0xff, 0xff, 0, 0, 0, 0, 0, 0], 0).is_err());

        let mut b = new_builder(Kind::Date, 4);
        append(&mut b, Some(&0i32.to_be_bytes())).unwrap();
        append(&mut b, Some(&i32::MAX.to_be_bytes())).unwrap();
        append(&mut b, None).unwrap();
        assert!(append(&mut b, Some(&[1, 2])).is_err());
        let a = finish_builder(&mut b).unwrap();
        let a = a
            .as_any()
            .downcast_ref::<datafusion::arrow::array::Date32Array>()
            .unwrap();
        assert_eq!(a.value(0), PG_EPOCH_DAYS);
        assert!(a.is_null(1) && a.is_null(2));

        let mut b = new_builder(Kind::Text, 2);
        assert!(append(&mut b, Some(&[0xff, 0xfe])).is_err());
    }

    fn columns() -> Vec<PgColumn> {
        [
            ("id", Kind::Int32),
            ("name", Kind::Text),
            (
                "amount",
                Kind::Decimal {
                    precision: 12,
                    scale: 2,
                },
            ),
            ("born", Kind::Date),
            ("seen", Kind::TimestampTz),
            ("score", Kind::Float64),
            ("code", Kind::OtherText),
            ("meta", Kind::AsText),
            ("active", Kind::Bool),
        ]
        .into_iter()
        .map(|(n, kind)| PgColumn {
            name: n.into(),
            kind,
        })
        .collect()
    }

    fn render(e: Expr) -> Option<String> {
        render_filter(&e, &columns())
    }

    #[test]
    fn filters_render_with_quoting() {
        assert_eq!(render(col("id").eq(lit(5))).unwrap(), r#"("id" = 5)"#);
        assert_eq!(render(lit(-5).lt(col("id"))).unwrap(), r#"((-5) < "id")"#);
        assert_eq!(
            render(col("name").eq(lit("O'Brien \\ x"))).unwrap(),
            r#"("name" COLLATE "C" = E'O''Brien \\ x')"#
        );
        assert_eq!(
            render(col("name").gt_eq(lit("a")).and(col("id").is_not_null())).unwrap(),
            r#"(("name" COLLATE "C" >= E'a') AND ("id" IS NOT NULL))"#
        );
        assert_eq!(
            render(
                col("id")
                    .in_list(vec![lit(1), lit(2)], true)
                    .or(col("active"))
            )
            .unwrap(),
            r#"(("id" NOT IN (1, 2)) OR "active")"#
        );
        assert_eq!(
            render(!col("amount").is_null()).unwrap(),
            r#"(NOT ("amount" IS NULL OR "amount" = 'NaN'::numeric))"#
        );
        assert_eq!(
            render(col("amount").lt(lit(ScalarValue::Decimal128(Some(-1234), 12, 2)))).unwrap(),
            r#"("amount" < (-12.34))"#
        );
        assert_eq!(
            render(col("born").between(
                lit(ScalarValue::Date32(Some(0))),
                lit(ScalarValue::Date32(Some(20_000)))
            ))
            .unwrap(),
            r#"("born" BETWEEN DATE '1970-01-01' AND DATE '2024-10-04')"#
        );
        assert_eq!(
            render(col("seen").gt(lit(ScalarValue::TimestampMicrosecond(
                Some(1_500_000),
                Some("UTC".into())
            ))))
            .unwrap(),
            r#"("seen" > TIMESTAMPTZ '1970-01-01 00:00:01.500000+00')"#
        );
        assert_eq!(
            render(col("born").is_null()).unwrap(),
            r#"("born" IS NULL OR NOT isfinite("born"))"#
        );
        // Quotes in column names are doubled.
        let cols = vec![PgColumn {
            name: "a\"b".into(),
            kind: Kind::Int64,
        }];
        assert_eq!(
            render_filter(&col(r#""a""b""#).eq(lit(1i64)), &cols).unwrap(),
            r#"("a""b" = 1)"#
        );
    }

    #[test]
    fn unsafe_filters_are_not_pushed() {
        for e in [
            // float ordering (NaN, -0.0), padded text, ::text columns
            col("score").gt(lit(1.5)),
            col("code").eq(lit("x")),
            col("meta").eq(lit("{}")),
            // type mismatch, NULL literal, functions, column vs column, NUL in text
            col("id").eq(lit("5")),
            col("id").eq(lit(ScalarValue::Int32(None))),
            datafusion::functions::string::expr_fn::upper(col("name")).eq(lit("A")),
            col("id").eq(col("amount")),
            col("name").eq(lit("a\0b")),
            col("name").like(lit("a%")),
            // a naive literal against a timestamptz column
            col("seen").gt(lit(ScalarValue::TimestampMicrosecond(Some(0), None))),
            // one unsupported side spoils an OR
            col("id").eq(lit(1)).or(col("score").gt(lit(1.0))),
            col("nosuch").eq(lit(1)),
        ] {
            assert_eq!(render(e.clone()), None, "{e}");
        }
    }

    #[test]
    fn select_lists_projections_filters_and_limits() {
        let cols = columns();
        let schema = Arc::new(Schema::new(
            cols.iter()
                .map(|c| Field::new(&c.name, c.kind.data_type(), true))
                .collect::<Vec<_>>(),
        ));
        let t = PostgresTable {
            config: Config::new(),
            display: "postgres://h/db?query=...".into(),
            source: Source::Query("SELECT * FROM x".into()),
            columns: cols,
            schema,
            secrets: Arc::new(Secrets::default()),
        };
        assert_eq!(t.name(), "query");
        assert_eq!(
            t.select_sql(Some(&vec![0, 7]), &[col("id").gt(lit(3))], Some(10)),
            r#"SELECT "id", "meta"::text AS "meta" FROM (SELECT * FROM x) AS t WHERE ("id" > 3) LIMIT 10"#
        );
        // An unrenderable filter is left to DataFusion, and so is the limit.
        assert_eq!(
            t.select_sql(Some(&vec![]), &[col("score").gt(lit(1.0))], Some(10)),
            "SELECT  FROM (SELECT * FROM x) AS t"
        );
    }
}
