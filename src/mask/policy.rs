//! The masking policy file (YAML; unknown fields are errors, positions in every error).
//!
//! ```yaml
//! version: 1
//! auto: true                  # also mask every detected personal column not listed
//! columns:
//!   mobile: partial           # a method name, or a map with options
//!   id_number: { method: tokenize, format_preserving: true }
//!   name: { method: encrypt }
//!   note: { method: redact, with: "[removed]" }    # without `with`: null
//!   birth_date: { method: generalize, to: year }
//!   card_no: { method: partial, keep_first: 0, keep_last: 4 }
//!   city: keep                # stays in clear, even with auto
//!   notes: { method: spans, with: partial }   # only the personal data inside the text
//! verify: { k_anonymity: 5, quasi: [gender, birth_date, city] }   # risk target (docs/risk.md)
//! ```
//!
//! `spans` transforms the personal data [`crate::classify::spans`] finds inside a text
//! (a mobile, e-mail address or ID number in a notes column) and keeps the rest:
//! `with: partial` (each span in its category's shape, `客户电话138****5678`), `redact`
//! (`[cn_mobile]`), `tokenize` or `encrypt` (`[enc:v1:...]`, which `unmask` restores).
//! Under `auto: true`, a text column that is no personal-data column itself but holds
//! personal data inside its text gets `spans` with `partial`.

use std::path::Path;

use indexmap::IndexMap;
use serde::Deserialize;

use super::generalize::To;
use crate::classify::category::DefaultMask;
use crate::entry::{Entry, Kind, Status};
use crate::error::{Error, Origin, Result, RuleDiagnostic};

/// How one column is masked.
#[derive(Debug, Clone, PartialEq)]
pub enum Method {
    Keep,
    /// Keep the first/last characters (`None`: the category-aware default).
    Partial {
        keep_first: Option<usize>,
        keep_last: Option<usize>,
    },
    Redact {
        with: Option<String>,
    },
    Tokenize {
        format_preserving: bool,
    },
    Encrypt,
    Generalize(To),
    /// Dates moved by a keyed offset per record (the `by` column's value).
    Shift {
        days: u32,
        by: String,
    },
    /// Only the personal data found inside the text, by the given method.
    Spans(SpanWith),
}

/// How `spans` transforms each span it finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanWith {
    /// The span in its category's partial shape (`138****5678`, `z***@gmail.com`).
    Partial,
    /// `[<category>]`, e.g. `[cn_mobile]`.
    Redact,
    /// A keyed token of the span (`tok_...`).
    Tokenize,
    /// `[enc:v1:...]`, restored by `steward unmask`.
    Encrypt,
}

impl SpanWith {
    pub const NAMES: &str = "partial, redact, tokenize, encrypt";

    fn parse(s: &str) -> Option<SpanWith> {
        Some(match s {
            "partial" => SpanWith::Partial,
            "redact" => SpanWith::Redact,
            "tokenize" => SpanWith::Tokenize,
            "encrypt" => SpanWith::Encrypt,
            _ => return None,
        })
    }

    pub fn id(self) -> &'static str {
        match self {
            SpanWith::Partial => "partial",
            SpanWith::Redact => "redact",
            SpanWith::Tokenize => "tokenize",
            SpanWith::Encrypt => "encrypt",
        }
    }
}

impl Method {
    /// The stable id ([`METHODS`]), without options.
    pub fn id(&self) -> &'static str {
        match self {
            Method::Keep => "keep",
            Method::Partial { .. } => "partial",
            Method::Redact { .. } => "redact",
            Method::Tokenize { .. } => "tokenize",
            Method::Encrypt => "encrypt",
            Method::Generalize(_) => "generalize",
            Method::Shift { .. } => "shift",
            Method::Spans(_) => "spans",
        }
    }

    /// The id with its options, as `mask` shows it (`tokenize (format-preserving)`).
    pub fn name(&self) -> String {
        match self {
            Method::Keep => "keep".into(),
            Method::Partial { .. } => "partial".into(),
            Method::Redact { .. } => "redact".into(),
            Method::Tokenize {
                format_preserving: true,
            } => "tokenize (format-preserving)".into(),
            Method::Tokenize { .. } => "tokenize".into(),
            Method::Encrypt => "encrypt".into(),
            Method::Generalize(to) => format!("generalize ({to:?})").to_lowercase(),
            Method::Shift { days, by } => format!("shift (±{days} days by {by})"),
            Method::Spans(with) => format!("spans ({})", with.id()),
        }
    }

    pub fn needs_key(&self) -> bool {
        matches!(
            self,
            Method::Tokenize { .. }
                | Method::Encrypt
                | Method::Shift { .. }
                | Method::Spans(SpanWith::Tokenize | SpanWith::Encrypt)
        )
    }

    /// The default for a detected category under `auto: true` (the category's
    /// [`DefaultMask`]; a keyed token for an id no detector has).
    pub fn default_for(category: &str) -> Method {
        let default = crate::classify::category::get(category)
            .map_or(DefaultMask::Tokenize, |c| c.default_mask);
        match default {
            DefaultMask::Partial => Method::Partial {
                keep_first: None,
                keep_last: None,
            },
            DefaultMask::GeneralizeCity => Method::Generalize(To::City),
            DefaultMask::GeneralizeYear => Method::Generalize(To::Year),
            DefaultMask::Redact => Method::Redact { with: None },
            DefaultMask::Tokenize => Method::Tokenize {
                format_preserving: false,
            },
        }
    }
}

#[derive(Debug, Clone)]
pub struct Policy {
    pub auto: bool,
    /// Column -> (method, where it is declared).
    pub columns: IndexMap<String, (Method, Origin)>,
    /// `verify:`: a re-identification target the output must reach.
    pub verify: Option<RiskTarget>,
    pub sha256: String,
}

/// `verify: { k_anonymity: 5, quasi: [gender, birth_date, city], max_risk: 0.2 }`:
/// after masking, the output's re-identification risk is measured (docs/risk.md) and a
/// miss is exit 1 with the figures.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskTarget {
    pub k_anonymity: u64,
    /// The quasi-identifiers; default: those `steward risk` would choose.
    #[serde(default)]
    pub quasi: Option<Vec<String>>,
    /// Highest prosecutor risk allowed; default `1 / k_anonymity`.
    #[serde(default)]
    pub max_risk: Option<f64>,
    /// The column naming the person behind a record, if one person has several.
    #[serde(default)]
    pub individual: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    version: serde_saphyr::Spanned<u64>,
    #[serde(default)]
    auto: bool,
    #[serde(default)]
    columns: IndexMap<String, serde_saphyr::Spanned<RawSpec>>,
    #[serde(default)]
    verify: Option<serde_saphyr::Spanned<RiskTarget>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawSpec {
    Name(String),
    Full(RawFull),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFull {
    method: String,
    to: Option<String>,
    with: Option<String>,
    #[serde(default)]
    format_preserving: bool,
    keep_first: Option<usize>,
    keep_last: Option<usize>,
    days: Option<u32>,
    by: Option<String>,
}

/// One mask method a policy can name: its stable id (also stored in the mask sidecar
/// as `method_id`, which the compliance report reads) and what it does.
#[derive(Debug, Clone, Copy)]
pub struct MethodInfo {
    pub id: &'static str,
    pub summary: &'static str,
    /// The module that implements and documents it.
    pub doc: &'static str,
}

impl MethodInfo {
    /// Its entry in `steward rules list`.
    pub fn entry(&self) -> Entry {
        Entry {
            kind: Kind::MaskMethod,
            id: self.id.to_string(),
            summary: self.summary.to_string(),
            doc: self.doc.to_string(),
            status: Status::Stable,
            since: "0.1.0",
        }
    }
}

/// Every mask method, in documentation order.
pub const METHODS: [MethodInfo; 8] = [
    MethodInfo {
        id: "keep",
        summary: "the value as it was, even under `auto: true`",
        doc: "src/mask/policy.rs",
    },
    MethodInfo {
        id: "partial",
        summary: "keep a few characters at the ends (`keep_first`, `keep_last`; by default as the category's shape), the rest `*`",
        doc: "src/mask/partial.rs",
    },
    MethodInfo {
        id: "redact",
        summary: "null, or the text given with `with`",
        doc: "src/mask/policy.rs",
    },
    MethodInfo {
        id: "tokenize",
        summary: "keyed HMAC-SHA256 token, equal values give equal tokens (`format_preserving: true` keeps length and character classes)",
        doc: "src/mask/tokenize.rs",
    },
    MethodInfo {
        id: "encrypt",
        summary: "AES-256-GCM, reversible with `steward unmask` and the key",
        doc: "src/mask/encrypt.rs",
    },
    MethodInfo {
        id: "generalize",
        summary: "a coarser value (`to`: year, decade, city, province, region_birth_year, range:N)",
        doc: "src/mask/generalize.rs",
    },
    MethodInfo {
        id: "shift",
        summary: "dates moved by a keyed per-record offset of up to `days` (`by`: the record's column)",
        doc: "src/mask/shift.rs",
    },
    MethodInfo {
        id: "spans",
        summary: "only the personal data found inside a text (`with`: partial, redact, tokenize, encrypt), the rest kept",
        doc: "src/mask/policy.rs",
    },
];

pub fn load(path: &Path) -> Result<Policy> {
    let bytes = std::fs::read(path)
        .map_err(|e| Error::Usage(format!("{}: cannot read policy file: {e}", path.display())))?;
    let sha256 = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::Usage(format!(
            "{}: policy file is not valid UTF-8",
            path.display()
        ))
    })?;
    let raw: RawPolicy = serde_saphyr::from_str(&text)
        .map_err(|e| Error::RuleFile(vec![crate::rules::yaml_error(path, &e)]))?;
    let origin = |line: u64, col: u64| Origin {
        path: path.to_path_buf(),
        line,
        col,
    };
    let mut diags = Vec::new();
    if raw.version.value != 1 {
        let l = raw.version.referenced;
        diags.push(RuleDiagnostic {
            origin: origin(l.line().max(1), l.column().max(1)),
            message: format!(
                "unsupported policy version {}; expected 1",
                raw.version.value
            ),
            help: None,
        });
    }
    let mut columns = IndexMap::new();
    for (name, spec) in raw.columns {
        let at = origin(
            spec.referenced.line().max(1),
            spec.referenced.column().max(1),
        );
        let full = match spec.value {
            RawSpec::Name(method) => RawFull {
                method,
                to: None,
                with: None,
                format_preserving: false,
                keep_first: None,
                keep_last: None,
                days: None,
                by: None,
            },
            RawSpec::Full(f) => f,
        };
        let method = match full.method.as_str() {
            "keep" => Some(Method::Keep),
            "partial" => Some(Method::Partial {
                keep_first: full.keep_first,
                keep_last: full.keep_last,
            }),
            "redact" => Some(Method::Redact { with: full.with }),
            "tokenize" => Some(Method::Tokenize {
                format_preserving: full.format_preserving,
            }),
            "encrypt" => Some(Method::Encrypt),
            "spans" => match full
                .with
                .as_deref()
                .map_or(Some(SpanWith::Partial), SpanWith::parse)
            {
                Some(with) => Some(Method::Spans(with)),
                None => {
                    diags.push(RuleDiagnostic {
                        origin: at.clone(),
                        message: format!(
                            "spans `with:` must be one of {}; got {:?}",
                            SpanWith::NAMES,
                            full.with.unwrap_or_default()
                        ),
                        help: None,
                    });
                    None
                }
            },
            "shift" => match (full.days, full.by) {
                (Some(days), Some(by)) if (1..=3650).contains(&days) => {
                    Some(Method::Shift { days, by })
                }
                _ => {
                    diags.push(RuleDiagnostic {
                        origin: at.clone(),
                        message: "shift needs `days:` (1-3650) and `by:` (the column that identifies a record, e.g. customer_id)".into(),
                        help: None,
                    });
                    None
                }
            },
            "generalize" => match full.to.as_deref().and_then(To::parse) {
                Some(to) => Some(Method::Generalize(to)),
                None => {
                    diags.push(RuleDiagnostic {
                        origin: at.clone(),
                        message: format!(
                            "generalize needs `to:` one of {}; got {:?}",
                            To::NAMES,
                            full.to.unwrap_or_default()
                        ),
                        help: None,
                    });
                    None
                }
            },
            other => {
                diags.push(RuleDiagnostic {
                    origin: at.clone(),
                    message: format!(
                        "unknown method '{other}'; expected one of {}",
                        METHODS.map(|m| m.id).join(", ")
                    ),
                    help: crate::error::did_you_mean(other, METHODS.iter().map(|m| m.id)),
                });
                None
            }
        };
        if let Some(m) = method {
            columns.insert(name, (m, at));
        }
    }
    let verify = raw.verify.map(|v| {
        let l = v.referenced;
        let t = v.value;
        let bad_risk = t.max_risk.is_some_and(|r| !(r > 0.0 && r <= 1.0));
        if t.k_anonymity == 0 || bad_risk {
            diags.push(RuleDiagnostic {
                origin: origin(l.line().max(1), l.column().max(1)),
                message:
                    "verify: k_anonymity must be at least 1 and max_risk above 0 and at most 1"
                        .into(),
                help: None,
            });
        }
        t
    });
    if !diags.is_empty() {
        return Err(Error::RuleFile(diags));
    }
    Ok(Policy {
        auto: raw.auto,
        columns,
        verify,
        sha256,
    })
}
