//! The connection URL, split into what the driver reads (its `Config`) and what steward
//! reads (the table or query), with the password noted as a secret wherever it appears.
//! Table names follow PostgreSQL (unquoted parts folded to lower case), percent-decoding
//! follows libpq.

use std::time::Duration;

use tokio_postgres::Config;
use tokio_postgres::config::SslMode;

use super::connection::error_chain;
use super::{ParsedUrl, Secrets, Source};

/// Used when the URL sets no `connect_timeout`: an unreachable host fails, not hangs.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Split `url` into the driver's configuration and the table or query, and fill in
/// what the URL leaves out (password from `PGPASSWORD`, user from `PGUSER`).
pub(super) fn parse_url(
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
pub(super) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::parse;
    use super::*;
    use tokio_postgres::config::Host;

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
}
