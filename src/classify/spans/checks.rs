//! The detectors' value checks that the span finder calls, looked up once.
//!
//! What: for passports, permits, IBANs, credit-card issuers, phone numbers (landline and
//! E.164) and IP addresses, the `check` function of the category's detector in
//! [`DETECTORS`](crate::classify::detectors::DETECTORS).
//!
//! Why: one implementation. A span is a value of its category exactly when the
//! column classifier would call that value one (the span finder only adds where a
//! value starts and ends, and which keywords must precede it), so a fix to a check
//! reaches both.
//!
//! Example: `(checks().iban)("GB82WEST12345698765432")` is `Match::Strong`.
//!
//! Limits: a category without a detector (none today; a unit test checks) would get a
//! check that matches nothing, so the finder never panics.

use std::sync::LazyLock;

use crate::classify::detectors::{DETECTORS, Match};

type Check = fn(&str) -> Match;

/// The detector checks used by the finder.
pub(super) struct Checks {
    pub phone: Check,
    pub credit_card: Check,
    pub cn_passport: Check,
    pub passport: Check,
    pub hk_macau_permit: Check,
    pub taiwan_permit: Check,
    pub iban: Check,
    pub ip_address: Check,
}

fn nothing(_: &str) -> Match {
    Match::No
}

/// The check of the detector registered under `id`.
pub(super) fn of(id: &str) -> Check {
    DETECTORS
        .iter()
        .find(|d| d.category.id == id)
        .map_or(nothing as Check, |d| d.check)
}

static CHECKS: LazyLock<Checks> = LazyLock::new(|| Checks {
    phone: of("phone"),
    credit_card: of("credit_card"),
    cn_passport: of("cn_passport"),
    passport: of("passport"),
    hk_macau_permit: of("hk_macau_permit"),
    taiwan_permit: of("taiwan_permit"),
    iban: of("iban"),
    ip_address: of("ip_address"),
});

pub(super) fn checks() -> &'static Checks {
    &CHECKS
}

/// `Strong` or `Weak`.
pub(super) fn matches(m: Match) -> bool {
    m != Match::No
}
