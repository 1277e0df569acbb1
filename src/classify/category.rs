//! A personal-data category as one typed entry: its stable id (design.md,
//! "Personal-data categories") and every property the rest of steward asks of it. Each
//! detector file under `detectors/` holds its category's entry, so adding a category is
//! one file plus one line in [`super::DETECTORS`]; a forgotten property does not compile.
//!
//! The properties are plain data: masking, scanning and the compliance report read them
//! and act (`mask::policy` turns [`DefaultMask`] into a method, `pipeline::mask` applies
//! [`PartialShape`], the scan counts minors where [`Category::minors`] says so).

/// A personal-data category and what follows from it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Category {
    /// Stable id, never renamed or reused.
    pub id: &'static str,
    /// PIPL Art. 28 sensitive personal information.
    pub pipl_sensitive: bool,
    /// GDPR Art. 9 special category.
    pub gdpr_special: bool,
    /// The GB/T 35273-2020 Appendix B group the compliance report files a sensitive
    /// column of this category under (`sensitive` when the appendix names none).
    pub gbt_group: &'static str,
    /// The method `mask` uses under `auto: true` when the policy names none.
    pub default_mask: DefaultMask,
    /// What `partial` without `keep_first`/`keep_last` keeps.
    pub partial: PartialShape,
    /// How a value of the category is masked in a report sample.
    pub sample: SampleShape,
    /// How a sample's row key of the category is shown.
    pub key: KeyShape,
    /// What a keyed token is computed from.
    pub token: TokenInput,
    /// Whether the scan counts children under 14 from values of the category (an ID
    /// number's or a birth date's date).
    pub minors: bool,
    /// What `steward suggest` proposes for a column of the category.
    pub suggest: Suggest,
    /// The part a column of the category plays in re-identification (`steward risk`).
    pub risk: RiskRole,
}

/// The part a category plays in re-identification risk (docs/risk.md, "Columns").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskRole {
    /// Identifies a person alone (an ID number, a mobile, a name).
    Direct,
    /// Identifies in combination with others (birth date, gender, address).
    Quasi,
    /// What an attacker wants to learn (health, religion).
    Sensitive,
}

/// The default masking method of a category (`mask` maps it to its `Method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultMask {
    /// `partial`, in the category's [`PartialShape`].
    Partial,
    /// `generalize: city` (addresses).
    GeneralizeCity,
    /// `generalize: year` (dates).
    GeneralizeYear,
    /// `redact`.
    Redact,
    /// `tokenize`: a keyed token keeps joins working (identifiers).
    Tokenize,
}

/// What `partial` keeps of a value when the policy gives no `keep_first`/`keep_last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartialShape {
    /// The first `first` and last `last` characters.
    Ends { first: usize, last: usize },
    /// A mobile in any written form becomes the canonical `138****6138`; other values
    /// as the report sample.
    CanonicalMobile,
    /// As the report sample ([`SampleShape`]).
    AsSample,
}

/// How a report sample of the category is masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleShape {
    /// The first characters (province and city), at most 6 and half the value.
    Address,
    /// The year of a date of 8 characters or more.
    BirthYear,
    /// The first character (a family name).
    NameInitial,
    /// A valid mobile keeps the first 3 and last 4 of its 11 digits, written as it was.
    Mobile,
    /// Only the last 4 digits; every other letter or digit becomes `*`, separators
    /// stay (`***-**-6789`): how US Social Security numbers are shown by convention.
    LastFour,
    /// The general mask (`mask::partial::mask`).
    Generic,
}

/// How a failing-row sample shows a key part of the category (`key:` in a rule file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyShape {
    /// Masked like a sample value of the category.
    AsSample,
    /// Readable: an internal account number (`C000042`) is how a steward finds the row
    /// in the company's own systems and says nothing outside them; masking it would
    /// leave a sample nobody can act on. Its values in samples stay masked.
    Clear,
}

/// What a keyed token of a value is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenInput {
    /// The value as written.
    AsWritten,
    /// A mobile in any written form as its 11 canonical digits, so written forms of one
    /// number get one token.
    CanonicalMobile,
}

/// What `steward suggest` writes for a column of the category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suggest {
    /// Nothing from the category.
    Nothing,
    /// `format: <id>` (the format check of the same id); `duplicates`: a column that is
    /// not unique is also proposed as a duplicate key.
    Format { duplicates: bool },
    /// `format: date` on a text column, and `not_future: true`.
    Date,
    /// `allowed: [...]`.
    Allowed(&'static [&'static str]),
}

/// The category registered under `id`.
pub fn get(id: &str) -> Option<&'static Category> {
    super::DETECTORS
        .iter()
        .find(|d| d.category.id == id)
        .map(|d| &d.category)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// design.md, "Personal-data categories (stable ids)", copied by hand.
    const DESIGN_IDS: &str = "person_name, cn_resident_id, cn_passport, hk_macau_permit, \
        taiwan_permit, passport, cn_mobile, phone, email, postal_address, date_of_birth, age, \
        gender, ethnicity, religion, health, bank_card, credit_card, iban, cn_uscc, ip_address, \
        device_id, geolocation, license_plate, us_ssn, account_id";
    /// design.md: PIPL Art. 28 sensitive ("cn_resident_id and other identity documents").
    const DESIGN_PIPL: &str = "ethnicity, religion, health, bank_card, credit_card, iban, \
        geolocation, cn_resident_id, cn_passport, passport, hk_macau_permit, taiwan_permit, us_ssn";
    /// design.md: GDPR Art. 9 special categories.
    const DESIGN_GDPR: &str = "ethnicity, religion, health";

    fn set(list: &str) -> BTreeSet<&str> {
        list.split(',').map(str::trim).collect()
    }

    fn where_(p: impl Fn(&Category) -> bool) -> BTreeSet<&'static str> {
        super::super::DETECTORS
            .iter()
            .map(|d| &d.category)
            .filter(|c| p(c))
            .map(|c| c.id)
            .collect()
    }

    #[test]
    fn every_design_category_has_exactly_one_entry() {
        let ids: Vec<&str> = super::super::DETECTORS
            .iter()
            .map(|d| d.category.id)
            .collect();
        let unique: BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(
            unique.len(),
            ids.len(),
            "a category registered twice: {ids:?}"
        );
        assert_eq!(unique, set(DESIGN_IDS));
        for id in set(DESIGN_IDS) {
            assert_eq!(get(id).map(|c| c.id), Some(id));
        }
        assert_eq!(get("nope"), None);
    }

    #[test]
    fn legal_properties_follow_design() {
        assert_eq!(where_(|c| c.pipl_sensitive), set(DESIGN_PIPL));
        assert_eq!(where_(|c| c.gdpr_special), set(DESIGN_GDPR));
        // Every GDPR special category is PIPL sensitive, and every sensitive category is
        // filed under a named GB/T 35273 group.
        for c in super::super::DETECTORS.iter().map(|d| &d.category) {
            assert!(!c.gdpr_special || c.pipl_sensitive, "{}", c.id);
            assert!(!c.pipl_sensitive || c.gbt_group != "sensitive", "{}", c.id);
        }
    }

    #[test]
    fn properties_are_consistent() {
        for c in super::super::DETECTORS.iter().map(|d| &d.category) {
            // A `format: <id>` suggestion names a format check that exists.
            if let Suggest::Format { .. } = c.suggest {
                assert!(crate::rules::format::lookup(c.id).is_some(), "{}", c.id);
            }
        }
        // Minors are counted from the two categories that carry a birth date.
        assert_eq!(
            where_(|c| c.minors),
            BTreeSet::from(["cn_resident_id", "date_of_birth"])
        );
    }
}
