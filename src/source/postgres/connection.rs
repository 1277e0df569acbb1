//! Connections and the messages of their errors: a read-only session per scan, a guard
//! that stops the server sending rows when a scan ends early, and the driver's errors
//! as one line that says what was expected. These messages are not yet scrubbed of the
//! password: the callers scrub them.

use std::fmt;

use tokio_postgres::config::Host;
use tokio_postgres::{Client, Config, NoTls};

use super::Source;

/// Aborts the connection's task when a scan is dropped before its end (a `LIMIT` met
/// downstream, an error, an interrupt), so the server stops sending rows.
pub(super) struct ConnectionGuard(Option<tokio::task::JoinHandle<()>>);

impl ConnectionGuard {
    /// Let the connection end by itself (it does once its client is dropped).
    pub(super) fn release(mut self) {
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
pub(super) async fn open(
    config: &Config,
) -> std::result::Result<(Client, ConnectionGuard), String> {
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
pub(super) fn error_chain(e: &tokio_postgres::Error) -> String {
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

pub(super) fn describe_source_error(e: &tokio_postgres::Error, source: &Source) -> String {
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
pub struct PostgresStreamError(pub(super) String);

impl fmt::Display for PostgresStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PostgresStreamError {}
