//! `generalize`: keep a coarser value.
//!
//! | `to` | value | result |
//! |---|---|---|
//! | `year` | `1990-05-17` | `1990` |
//! | `decade` | `1990-05-17` | `1990s` |
//! | `city` | `北京市朝阳区建国路88号` | `北京市` |
//! | `province` | `广东省深圳市南山区...` | `广东省` |
//! | `region_birth_year` | `11010519491231002X` | `110105-1949` |
//! | `range:1000` | `2729.76` | `2000-2999` |
//!
//! A value that does not have the expected shape becomes null rather than staying in
//! clear.

/// What to generalize to.
#[derive(Debug, Clone, PartialEq)]
pub enum To {
    Year,
    Decade,
    City,
    Province,
    RegionBirthYear,
    Range(f64),
}

impl To {
    pub fn parse(s: &str) -> Option<To> {
        Some(match s {
            "year" => To::Year,
            "decade" => To::Decade,
            "city" => To::City,
            "province" => To::Province,
            "region_birth_year" => To::RegionBirthYear,
            _ => {
                let width: f64 = s.strip_prefix("range:")?.parse().ok()?;
                if !(width > 0.0 && width.is_finite()) {
                    return None;
                }
                To::Range(width)
            }
        })
    }

    pub const NAMES: &'static str =
        "year, decade, city, province, region_birth_year, range:<width>";
}

fn year(v: &str) -> Option<u32> {
    let y: u32 = v.get(..4)?.parse().ok()?;
    (1000..=2999).contains(&y).then_some(y)
}

/// The address up to and including the first marker of `markers`.
fn prefix_through(v: &str, markers: &[char]) -> Option<String> {
    let end = v.char_indices().find(|(_, c)| markers.contains(c))?;
    Some(v[..end.0 + end.1.len_utf8()].to_string())
}

pub fn generalize(to: &To, value: &str) -> Option<String> {
    let v = value.trim();
    match to {
        To::Year => year(v).map(|y| y.to_string()),
        To::Decade => year(v).map(|y| format!("{}s", y / 10 * 10)),
        // Municipalities (北京市) end at 市; provinces go on to their city.
        To::City => {
            let p = prefix_through(v, &['省', '市', '区'])?;
            if p.ends_with('省') || p.ends_with("自治区") {
                let rest = &v[p.len()..];
                Some(format!("{p}{}", prefix_through(rest, &['市', '州', '盟'])?))
            } else {
                Some(p)
            }
        }
        To::Province => prefix_through(v, &['省', '市', '区']),
        To::RegionBirthYear => crate::validate::cn_resident_id::birth_date(v)
            .map(|d| format!("{}-{}", &v[..6], chrono::Datelike::year(&d))),
        To::Range(w) => {
            let x: f64 = v.parse().ok()?;
            let lo = (x / w).floor() * w;
            Some(format!(
                "{}-{}",
                lo,
                lo + w - if w.fract() == 0.0 { 1.0 } else { 0.0 }
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_examples() {
        assert_eq!(generalize(&To::Year, "1990-05-17").as_deref(), Some("1990"));
        assert_eq!(
            generalize(&To::Decade, "1990-05-17").as_deref(),
            Some("1990s")
        );
        assert_eq!(
            generalize(&To::City, "北京市朝阳区建国路88号").as_deref(),
            Some("北京市")
        );
        assert_eq!(
            generalize(&To::City, "广东省深圳市南山区科技园路1号").as_deref(),
            Some("广东省深圳市")
        );
        assert_eq!(
            generalize(&To::Province, "广东省深圳市南山区").as_deref(),
            Some("广东省")
        );
        assert_eq!(
            generalize(&To::RegionBirthYear, "11010519491231002X").as_deref(),
            Some("110105-1949")
        );
        assert_eq!(
            generalize(&To::Range(1000.0), "2729.76").as_deref(),
            Some("2000-2999")
        );
        assert_eq!(generalize(&To::Year, "unknown"), None);
        assert_eq!(To::parse("range:0"), None);
    }
}
