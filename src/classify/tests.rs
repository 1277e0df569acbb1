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
            let check = crate::validate::cn_resident_id::check_char(first.as_bytes());
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
        assert!(
            seen.insert(d.category.id),
            "{} registered twice",
            d.category.id
        );
        for h in d.headers {
            assert_eq!(
                *h,
                normalize_header(h),
                "{}: header keyword {h} not normalised",
                d.category.id
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

/// Per detector: a value it must accept (strong or weak), one it must reject, and a
/// decoy (something of similar shape from another column) it must reject.
const CASES: &[(&str, &str, &str, &str)] = &[
    (
        "cn_resident_id",
        "11010519491231002X",
        "11010519491231002",
        "110105194912310021",
    ),
    (
        "cn_mobile",
        "+86 138-1234-6138",
        "1381234613",
        "10012345678",
    ),
    ("phone", "010-12345678", "12345678", "13812346138"),
    (
        "email",
        "zhang.wei@example.com",
        "zhang.wei@",
        "zhang.wei.example.com",
    ),
    (
        "bank_card",
        "6222 0212 3456 7894",
        "6222 0212 3456 7895",
        "110105194912310021",
    ),
    (
        "credit_card",
        "4111 1111 1111 1111",
        "4111 1111 1111 1112",
        "6222021234567894",
    ),
    (
        "cn_uscc",
        "91350100M000100Y43",
        "91350100M000100Y44",
        "110105194912310021",
    ),
    ("cn_passport", "E12345678", "E1234567", "C12345678"),
    ("passport", "K1234567", "K12", "张三"),
    ("hk_macau_permit", "C12345678", "C1234", "E12345678X"),
    ("taiwan_permit", "12345678", "1234567", "13812346138"),
    ("ip_address", "192.168.1.20", "999.1.1.1", "1.2.3"),
    ("person_name", "欧阳娜娜", "北京市", "成都市"),
    (
        "postal_address",
        "北京市朝阳区建国路88号",
        "北京市",
        "北京某某科技有限公司",
    ),
    (
        "date_of_birth",
        "1990-05-17",
        "1990-02-30",
        "2019-01-01 10:23:00",
    ),
    ("age", "35", "-3", "135"),
    ("gender", "女", "X", "女士们"),
    ("license_plate", "京A12345", "京I12345", "A123456"),
    (
        "iban",
        "GB82 WEST 1234 5698 7654 32",
        "GB82 WEST 1234 5698 7654 33",
        "C00000001",
    ),
    ("us_ssn", "123-45-6789", "666-45-6789", "12-345-6789"),
    (
        "geolocation",
        "39.9042,116.4074",
        "95.1234,10.1234",
        "99.50",
    ),
    ("ethnicity", "维吾尔族", "火星族", "北京市"),
    ("religion", "佛教", "足球", "已完成"),
    ("health", "高血压", "已完成", "SKU-RED-1234"),
    (
        "device_id",
        "123e4567-e89b-12d3-a456-426614174000",
        "123e4567",
        "C00000001X",
    ),
    ("account_id", "C00000001", "abc", "张三"),
];

#[test]
fn every_detector_has_positive_negative_and_decoy_cases() {
    for d in DETECTORS {
        let Some((_, yes, no, decoy)) = CASES.iter().find(|c| c.0 == d.category.id) else {
            panic!("{}: no test cases", d.category.id);
        };
        assert_ne!(
            (d.check)(yes),
            Match::No,
            "{}: should accept {yes}",
            d.category.id
        );
        assert_eq!(
            (d.check)(no),
            Match::No,
            "{}: should reject {no}",
            d.category.id
        );
        assert_eq!(
            (d.check)(decoy),
            Match::No,
            "{}: should reject decoy {decoy}",
            d.category.id
        );
    }
}

mod properties {
    use super::super::Match;
    use super::super::detectors::DETECTORS;
    use proptest::prelude::*;

    fn check(category: &str, v: &str) -> Match {
        let d = DETECTORS
            .iter()
            .find(|d| d.category.id == category)
            .unwrap();
        (d.check)(v)
    }

    /// The value with the digit at `pos` increased by `delta` (mod 10).
    fn change_digit(v: &str, pos: usize, delta: u8) -> String {
        let mut b = v.as_bytes().to_vec();
        b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
        String::from_utf8(b).unwrap()
    }

    fn luhn_complete(body: &str) -> String {
        (0..10)
            .map(|d| format!("{body}{d}"))
            .find(|s| crate::validate::luhn::luhn(s.as_bytes()))
            .unwrap()
    }

    proptest! {
        #[test]
        fn unionpay_cards_pass_and_one_changed_digit_fails(body in "62[0-9]{14}", pos in 0usize..17, delta in 1u8..10) {
            let card = luhn_complete(&body);
            prop_assert_eq!(check("bank_card", &card), Match::Strong);
            prop_assert_ne!(check("bank_card", &change_digit(&card, pos, delta)), Match::Strong);
        }

        #[test]
        fn ibans_pass_and_one_changed_digit_fails(bban in "[0-9]{18}", pos in 4usize..22, delta in 1u8..10) {
            let rearranged = format!("{bban}DE00");
            let mut rem = 0u64;
            for c in rearranged.chars() {
                let n = c.to_digit(36).unwrap() as u64;
                rem = if n >= 10 { (rem * 100 + n) % 97 } else { (rem * 10 + n) % 97 };
            }
            let iban = format!("DE{:02}{bban}", 98 - rem);
            prop_assert_eq!(check("iban", &iban), Match::Strong);
            prop_assert_eq!(check("iban", &change_digit(&iban, pos, delta)), Match::No);
        }

        #[test]
        fn no_detector_panics_on_any_text(v in "\\PC{0,40}") {
            for d in DETECTORS {
                let _ = (d.check)(&v);
            }
        }
    }
}
