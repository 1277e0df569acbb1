//! Countries for transfer obligations: the ISO 3166-1 alpha-2 codes a rule file may
//! declare as `compliance.destination`, which of them are in the EEA, and which have a
//! GDPR adequacy decision. Pure lookups; no I/O.
//!
//! For PIPL, "outside mainland China" is everything but `CN`: transfers to Hong Kong
//! (`HK`), Macao (`MO`) and Taiwan (`TW`) follow the cross-border rules too.

/// Every officially assigned ISO 3166-1 alpha-2 code, sorted.
pub const ISO_3166_ALPHA2: [&str; 249] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// EU member states plus Iceland, Liechtenstein and Norway.
pub const EEA: [&str; 30] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IS",
    "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// Countries with a European Commission adequacy decision (GDPR Art. 45). `US` covers
/// only organisations certified under the EU-US Data Privacy Framework.
pub const GDPR_ADEQUATE: [&str; 15] = [
    "AD", "AR", "CA", "CH", "FO", "GB", "GG", "IL", "IM", "JE", "JP", "KR", "NZ", "US", "UY",
];

pub fn is_known(code: &str) -> bool {
    ISO_3166_ALPHA2.binary_search(&code).is_ok()
}

pub fn in_eea(code: &str) -> bool {
    EEA.binary_search(&code).is_ok()
}

pub fn gdpr_adequate(code: &str) -> bool {
    GDPR_ADEQUATE.binary_search(&code).is_ok()
}

/// PIPL Chapter III applies to any destination but mainland China.
pub fn outside_mainland_china(code: &str) -> bool {
    code != "CN"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_unique_and_known() {
        for list in [&ISO_3166_ALPHA2[..], &EEA[..], &GDPR_ADEQUATE[..]] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
            assert!(list.iter().all(|c| is_known(c)));
        }
    }

    #[test]
    fn lookups() {
        for (code, known, eea, adequate, outside_cn) in [
            ("CN", true, false, false, false),
            ("HK", true, false, false, true),
            ("DE", true, true, false, true),
            ("NO", true, true, false, true),
            ("JP", true, false, true, true),
            ("XX", false, false, false, true),
        ] {
            assert_eq!(is_known(code), known, "{code}");
            assert_eq!(in_eea(code), eea, "{code}");
            assert_eq!(gdpr_adequate(code), adequate, "{code}");
            assert_eq!(outside_mainland_china(code), outside_cn, "{code}");
        }
    }
}
