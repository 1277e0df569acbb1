use super::*;

fn classify(name: &str, values: &[&str]) -> Option<&'static str> {
    classify_column(name, values).category
}

fn ids(n: usize) -> Vec<String> {
    // Valid 18-digit IDs: Beijing Chaoyang, born 1980-1999.
    (0..n)
        .map(|i| {
            let first = format!(
                "110105{}{:02}{:02}{:03}",
                1980 + i % 20,
                1 + i % 12,
                1 + i % 28,
                i % 1000
            );
            let check = crate::udf::cn_resident_id::check_char(first.as_bytes());
            format!("{first}{check}")
        })
        .collect()
}

#[test]
fn a_meaningless_header_holding_ids_is_found() {
    let v = ids(200);
    let f = classify_column("col_3", &v);
    assert_eq!(f.category, Some("cn_resident_id"));
    assert!(f.confidence >= 0.95);
    assert_eq!(f.header_hit, None);
    assert_eq!(f.values_matched, 200);
    assert_eq!(
        classify("sfzh", &v.iter().map(String::as_str).collect::<Vec<_>>()),
        Some("cn_resident_id")
    );
}

#[test]
fn a_phone_header_over_order_counts_is_not_personal() {
    let counts: Vec<String> = (0..100).map(|i| (i % 17 + 1).to_string()).collect();
    assert_eq!(classify_column("phone", &counts).category, None);
}

#[test]
fn decoys_do_not_fire() {
    // 18-digit product codes: about 1 in 11 passes the ID checksum by chance.
    let codes: Vec<String> = (0..500u64)
        .map(|i| format!("{:018}", 110105198001011000 + i * 7919))
        .collect();
    assert_eq!(classify_column("col_9", &codes).category, None);
    // 11-digit ticket numbers outside mobile ranges.
    let tickets: Vec<String> = (0..200u64)
        .map(|i| format!("100{:08}", i * 104729))
        .collect();
    assert_eq!(classify_column("ticket_no", &tickets).category, None);
    let amounts: Vec<String> = (0..200)
        .map(|i| format!("{}.{:02}", i * 13, i % 100))
        .collect();
    assert_eq!(classify_column("amount", &amounts).category, None);
}

#[test]
fn pinyin_chinese_and_english_headers() {
    let mobiles = ["13812346138", "15900001111", "+86 186-1234-5678"];
    assert_eq!(classify("sjhm", &mobiles), Some("cn_mobile"));
    assert_eq!(classify("手机号", &mobiles), Some("cn_mobile"));
    assert_eq!(classify("col_2", &mobiles), Some("cn_mobile"));
    let names = ["张伟", "李娜", "王芳", "欧阳明"];
    assert_eq!(classify("xm", &names), Some("person_name"));
    assert_eq!(classify("col_1", &names), Some("person_name"));
    let addresses = ["北京市朝阳区建国路1号", "上海市浦东新区世纪大道100号"];
    assert_eq!(classify("dz", &addresses), Some("postal_address"));
    assert_eq!(classify("yhkh", &["6222021234567894"]), Some("bank_card"));
    assert_eq!(classify("Gender", &["M", "F", "F"]), Some("gender"));
    assert_eq!(classify("code", &["M", "F", "F"]), None);
    assert_eq!(
        classify("民族", &["汉族", "回族", "汉族"]),
        Some("ethnicity")
    );
    assert_eq!(
        classify("csrq", &["1990-01-02", "1985-12-31"]),
        Some("date_of_birth")
    );
    assert_eq!(classify("created_at", &["1990-01-02", "1985-12-31"]), None);
    assert_eq!(
        classify("customer_id", &["C00000001", "C00000002"]),
        Some("account_id")
    );
}

#[test]
fn every_category_is_registered_once_and_flags_follow_design() {
    let mut seen = std::collections::BTreeSet::new();
    for d in DETECTORS {
        assert!(seen.insert(d.category), "{} registered twice", d.category);
        for h in d.headers {
            assert_eq!(
                *h,
                normalize_header(h),
                "{}: header keyword {h} not normalised",
                d.category
            );
        }
    }
    assert!(pipl_sensitive("cn_resident_id") && pipl_sensitive("bank_card"));
    assert!(gdpr_special("health") && !gdpr_special("cn_mobile"));
}

#[test]
fn passport_numbers_under_a_pinyin_header() {
    let v = ["K1234567", "P12345678", "E1234567", "X7654321"];
    assert_eq!(classify("hzh", &v), Some("passport"));
}
