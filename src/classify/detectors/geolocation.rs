//! `geolocation`: precise locations.
//!
//! Strong: a `latitude,longitude` pair, both with at least 3 decimals and in range
//! (`39.9042,116.4074`). Weak: one coordinate with at least 4 decimals within ±180, for
//! separate `lat` / `lng` columns (header-led; amounts have 2 decimals).

use super::{Detector, Match, weak_if};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "geolocation",
        pipl_sensitive: true,
        gdpr_special: false,
        gbt_group: "precise location",
        default_mask: DefaultMask::Redact,
        partial: PartialShape::AsSample,
        sample: SampleShape::Generic,
        key: KeyShape::AsSample,
        token: TokenInput::AsWritten,
        minors: false,
        suggest: Suggest::Nothing,
        risk: RiskRole::Quasi,
    },
    validator: "coordinate pair in range, 3+ decimals",
    headers: &[
        "经纬度",
        "坐标",
        "纬度",
        "经度",
        "定位",
        "位置",
        "jwd",
        "zb",
        "lat",
        "lng",
        "lon",
        "latitude",
        "longitude",
        "location",
        "geo",
        "gps",
        "coordinates",
        "latlng",
    ],
    check,
    alone: Some(0.9),
    with_header: 0.8,
    specificity: 6,
    status: Status::Stable,
    since: "0.1.0",
};

fn coordinate(s: &str, min_decimals: usize, limit: f64) -> bool {
    let s = s.trim();
    let decimals = s.split_once('.').map_or(0, |(_, d)| d.len());
    decimals >= min_decimals && s.parse::<f64>().is_ok_and(|x| x.abs() <= limit)
}

fn check(v: &str) -> Match {
    let v = v.trim().trim_start_matches('(').trim_end_matches(')');
    if let Some((lat, lon)) = v.split_once([',', ' ']) {
        if coordinate(lat, 3, 90.0) && coordinate(lon, 3, 180.0) {
            return Match::Strong;
        }
        return Match::No;
    }
    weak_if(coordinate(v, 4, 180.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_and_single_coordinates() {
        assert_eq!(check("39.9042,116.4074"), Match::Strong);
        assert_eq!(check("116.40741"), Match::Weak);
        assert_eq!(check("99.50"), Match::No);
        assert_eq!(check("95.1234,10.1234"), Match::No);
    }
}
