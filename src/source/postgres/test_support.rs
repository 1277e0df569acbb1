//! Helpers for the tests of this module's files: a URL parsed without the environment,
//! and columns of the kinds that filters treat differently.

use super::ParsedUrl;
use super::types::{Kind, PgColumn};
use super::url::parse_url;

fn no_env(_: &str) -> Option<String> {
    None
}

pub(super) fn parse(url: &str) -> std::result::Result<ParsedUrl, String> {
    parse_url(url, no_env)
}

pub(super) fn columns() -> Vec<PgColumn> {
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
