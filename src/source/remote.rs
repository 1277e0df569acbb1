//! Inputs named by URL: object stores (`s3://`, `gs://`, `az://`, `http(s)://`,
//! `file://`) and database tables (`postgres://`).
//!
//! A URL can carry credentials (`postgres://user:secret@host/db`, a presigned
//! `X-Amz-Signature`, an Azure SAS `sig=`). Only [`redact`]ed text ever reaches an error,
//! a log, a report or `Debug` output: the secret-bearing URL lives in a [`SecretUrl`],
//! whose `Debug` prints the redacted form, and is handed only to the driver or store.
//! Cloud credentials come from the environment (`AWS_*`, `GOOGLE_*`, `AZURE_*`), never
//! from argv.

use std::fmt;

use crate::error::{Error, Result};

/// A URL that may hold credentials. Its `Debug` and [`SecretUrl::redacted`] never show them.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretUrl(String);

impl SecretUrl {
    /// The URL with its credentials: for the driver or the object store only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn redacted(&self) -> String {
        redact(&self.0)
    }
}

impl fmt::Debug for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretUrl({})", self.redacted())
    }
}

/// Where a URL input lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An object store URL (`s3://bucket/key.parquet`, a `.../prefix/` of many objects).
    Store,
    /// A PostgreSQL table or query.
    Postgres,
}

/// True for arguments of the form `scheme://...` (a Windows drive `C:\` is not one).
pub fn is_url(arg: &str) -> bool {
    match arg.find("://") {
        Some(i) if i >= 2 => {
            let scheme = &arg[..i];
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        _ => false,
    }
}

/// Schemes steward reads, with the cargo feature each needs.
const SCHEMES: &[(&str, Kind, Option<&str>)] = &[
    ("file", Kind::Store, None),
    ("s3", Kind::Store, Some("object-store")),
    ("s3a", Kind::Store, Some("object-store")),
    ("gs", Kind::Store, Some("object-store")),
    ("az", Kind::Store, Some("object-store")),
    ("azure", Kind::Store, Some("object-store")),
    ("abfs", Kind::Store, Some("object-store")),
    ("abfss", Kind::Store, Some("object-store")),
    ("http", Kind::Store, Some("object-store")),
    ("https", Kind::Store, Some("object-store")),
    ("postgres", Kind::Postgres, Some("postgres")),
    ("postgresql", Kind::Postgres, Some("postgres")),
];

/// Parse a URL argument: its kind, checked against the features this binary was built
/// with. Errors show the redacted URL only.
pub fn parse(arg: &str) -> Result<(Kind, SecretUrl, url::Url)> {
    let shown = redact(arg);
    let url = url::Url::parse(arg).map_err(|e| {
        Error::Usage(format!(
            "{shown}: not a valid URL ({e}); expected scheme://host/path"
        ))
    })?;
    let scheme = url.scheme().to_ascii_lowercase();
    let Some((_, kind, feature)) = SCHEMES.iter().find(|(s, _, _)| *s == scheme) else {
        let known: Vec<&str> = SCHEMES.iter().map(|(s, _, _)| *s).collect();
        return Err(Error::Usage(format!(
            "{shown}: steward does not read '{scheme}://' URLs; expected one of {}",
            known.join(", ")
        )));
    };
    if let Some(feature) = feature
        && !built_with(feature)
    {
        return Err(Error::Usage(format!(
            "{shown}: this steward was built without '{scheme}://' support; rebuild with `cargo build --release --features {feature}`"
        )));
    }
    Ok((*kind, SecretUrl(arg.to_string()), url))
}

fn built_with(feature: &str) -> bool {
    (feature == "object-store" && cfg!(feature = "object-store"))
        || (feature == "postgres" && cfg!(feature = "postgres"))
}

/// Query parameters whose values are secrets (compared lower-case): passwords, presigned
/// S3 signatures and credentials, Azure SAS signatures, tokens and keys.
const SECRET_PARAMS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "access_token",
    "sig",
    "signature",
    "x-amz-signature",
    "x-amz-credential",
    "x-amz-security-token",
    "x-goog-signature",
    "x-goog-credential",
    "key",
    "api_key",
    "apikey",
    "sas",
    "sslpassword",
];

/// `url` with any password and secret query values replaced by `***`. Text that does not
/// parse as a URL is cut at its `@` (userinfo) and `?` (query) so nothing after them shows.
pub fn redact(text: &str) -> String {
    let Ok(mut url) = url::Url::parse(text) else {
        let mut out = text.to_string();
        if let (Some(scheme), Some(at)) = (out.find("://"), out.rfind('@'))
            && at > scheme
        {
            out.replace_range(scheme + 3..at, "***");
        }
        if let Some(q) = out.find('?') {
            out.truncate(q);
            out.push_str("?***");
        }
        return out;
    };
    if url.password().is_some() {
        let _ = url.set_password(Some("***"));
    }
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let secret = SECRET_PARAMS.contains(&k.to_ascii_lowercase().as_str());
            (
                k.into_owned(),
                if secret { "***".into() } else { v.into_owned() },
            )
        })
        .collect();
    if !pairs.is_empty() {
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    // `***` is percent-encoded by the setters; show it as typed.
    url.to_string().replace("%2A%2A%2A", "***")
}

/// The name of the last path segment without its extension (`s3://b/x/customers.csv` ->
/// `customers`; a prefix `s3://b/x/customers/` -> `customers`).
pub fn stem(url: &url::Url) -> Option<String> {
    let segment = url
        .path_segments()?
        .rev()
        .find(|s| !s.is_empty())?
        .to_string();
    let segment = percent_decode(&segment);
    let stem = match segment.rfind('.') {
        Some(i) if i > 0 => &segment[..i],
        _ => segment.as_str(),
    };
    Some(stem.to_string())
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={text}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_paths() {
        assert!(is_url("s3://bucket/a.csv"));
        assert!(is_url("postgres://u@h/db?table=t"));
        assert!(is_url("file:///tmp/a.csv"));
        assert!(!is_url("C:\\data\\a.csv"));
        assert!(!is_url("fixtures/customers.csv"));
        assert!(!is_url("://x"));
        assert!(!is_url("a b://x"));
    }

    #[test]
    fn passwords_and_signatures_never_show() {
        let r = redact("postgres://steward:hunter2@db.example:5432/crm?table=customers");
        assert!(!r.contains("hunter2"), "{r}");
        assert!(r.contains("steward:***@db.example:5432/crm"), "{r}");
        assert!(r.contains("table=customers"), "{r}");
        let r = redact(
            "https://b.s3.amazonaws.com/x.csv?X-Amz-Credential=AKIA123&X-Amz-Signature=abcdef&x-id=GetObject",
        );
        assert!(!r.contains("AKIA123") && !r.contains("abcdef"), "{r}");
        assert!(r.contains("x-id=GetObject"), "{r}");
        let r = redact("az://acct/c/x.parquet?sv=2022&sig=SECRETSIG");
        assert!(!r.contains("SECRETSIG"), "{r}");
        let r = redact("postgres://u:pa ss@[bad/db?password=x");
        assert!(!r.contains("pa ss") && !r.contains("password=x"), "{r}");
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let (_, secret, _) = parse("file:///tmp/x.csv?token=abc").unwrap();
        assert!(!format!("{secret:?}").contains("abc"));
        assert_eq!(secret.expose(), "file:///tmp/x.csv?token=abc");
    }

    #[test]
    fn unknown_schemes_and_missing_features_are_usage_errors() {
        let err = parse("ftp://u:pw@h/x.csv").unwrap_err().to_string();
        assert!(
            err.contains("does not read 'ftp://'") && !err.contains("pw@"),
            "{err}"
        );
        if !cfg!(feature = "postgres") {
            let err = parse("postgres://u:pw@h/db?table=t")
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("--features postgres") && !err.contains(":pw"),
                "{err}"
            );
        }
    }

    #[test]
    fn stems_name_datasets() {
        let u = url::Url::parse("s3://b/exports/customers.csv").unwrap();
        assert_eq!(stem(&u).as_deref(), Some("customers"));
        let u = url::Url::parse("s3://b/exports/orders/").unwrap();
        assert_eq!(stem(&u).as_deref(), Some("orders"));
        let u = url::Url::parse("file:///tmp/my%20data.parquet").unwrap();
        assert_eq!(stem(&u).as_deref(), Some("my data"));
    }
}
