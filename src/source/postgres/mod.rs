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
//!
//! The files: `url` (the connection URL), `connection` (sessions and their error
//! messages), `types` (column types), `filters` (pushdown), `scan` (the table provider
//! and its plan), `rows` (binary values -> Arrow).

mod connection;
mod filters;
mod rows;
mod scan;
mod types;
mod url;

use std::fmt;
use std::sync::Arc;

use datafusion::arrow::datatypes::{Field, Schema, SchemaRef};
use datafusion::logical_expr::Expr;
use tokio_postgres::Config;

pub use self::connection::PostgresStreamError;
use self::connection::{describe_source_error, open};
use self::filters::render_filter;
use self::types::{Kind, PgColumn};
pub use self::url::dataset_name;
use self::url::{parse_url, quote_ident};
use crate::error::{Error, Result};

/// Arrow's zone for `timestamptz` columns (PostgreSQL sends them as UTC instants).
const UTC: &str = "+00:00";

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

#[cfg(test)]
mod test_support;

#[cfg(test)]
mod tests {
    use super::test_support::{columns, parse};
    use super::*;
    use datafusion::arrow::datatypes::DataType;
    use datafusion::logical_expr::{col, lit};

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
