//! A labelled corpus for the column classifier: generated columns whose true category is
//! known, under English, Chinese, pinyin and meaningless headers, plus decoy columns
//! that hold no personal data. Shared by `benches/classify.rs` (figures, throughput) and
//! `tests/classify_accuracy.rs` (the accuracy gate).
//!
//! Meaningless headers (`col_7`) are only used for categories whose values decide on
//! their own; for header-led categories (passport numbers, permits, ages, health,
//! device and account ids, birth dates) nobody could tell without a header.

#![allow(dead_code)]

/// Seeded xorshift, so generated data is the same on every run (also used by the
/// scan benchmark's generator).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

/// One labelled column.
pub struct Column {
    pub header: String,
    pub truth: Option<&'static str>,
    pub values: Vec<String>,
}

fn luhn_complete(body: &str) -> String {
    for d in 0..10 {
        let s = format!("{body}{d}");
        if steward::udf::luhn::luhn(s.as_bytes()) {
            return s;
        }
    }
    unreachable!()
}

const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "欧阳", "司马",
];
const GIVEN: [&str; 12] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "秀英", "建华",
];
const PROVINCES: [&str; 5] = [
    "北京市",
    "上海市",
    "广东省深圳市",
    "浙江省杭州市",
    "四川省成都市",
];
const DISTRICTS: [&str; 5] = ["朝阳区", "浦东新区", "南山区", "西湖区", "武侯区"];
const ROADS: [&str; 5] = ["建国路", "世纪大道", "科技园路", "文三路", "人民南路"];

fn value(cat: &str, r: &mut Rng) -> String {
    match cat {
        "cn_resident_id" => {
            let area = r.pick(&["110105", "310101", "440305", "330106", "510104"]);
            let first = format!(
                "{area}{}{:02}{:02}{}",
                1950 + r.below(60),
                1 + r.below(12),
                1 + r.below(28),
                r.digits(3)
            );
            let c = steward::udf::cn_resident_id::check_char(first.as_bytes());
            format!("{first}{c}")
        }
        "cn_mobile" => {
            let n = format!(
                "{}{}",
                r.pick(&["138", "139", "150", "186", "177", "199"]),
                r.digits(8)
            );
            match r.below(4) {
                0 => format!("+86 {}-{}-{}", &n[..3], &n[3..7], &n[7..]),
                _ => n,
            }
        }
        "phone" => match r.below(3) {
            0 => format!("010-{}", r.digits(8)),
            1 => format!("0755-{}", r.digits(8)),
            _ => format!("+44 20 {} {}", r.digits(4), r.digits(4)),
        },
        "email" => format!(
            "{}{}@{}",
            r.pick(&["zhang", "li.na", "wang_wei", "chen"]),
            r.below(100000),
            r.pick(&["example.com", "qq.com", "163.com"])
        ),
        "bank_card" => luhn_complete(&format!("62{}", r.digits(15))),
        "credit_card" => {
            let prefix = r.pick(&["4", "51", "55"]);
            let body = r.digits(15 - prefix.len());
            luhn_complete(&format!("{prefix}{body}"))
        }
        "cn_uscc" => loop {
            let first = format!("91{}", r.digits(15));
            if let Some(c) = steward::udf::cn_uscc::check_char(first.as_bytes()) {
                break format!("{first}{c}");
            }
        },
        "cn_passport" => match r.below(2) {
            0 => format!("E{}", r.digits(8)),
            _ => format!("E{}{}", r.pick(&["A", "B", "C", "D"]), r.digits(7)),
        },
        "passport" => {
            let n = 7 + r.below(2) as usize;
            format!("{}{}", r.pick(&["K", "P", "X", "E"]), r.digits(n))
        }
        "hk_macau_permit" => format!("C{}", r.digits(8)),
        "taiwan_permit" => r.digits(8),
        "ip_address" => match r.below(5) {
            0 => format!("2001:db8::{:x}", r.below(65536)),
            _ => format!(
                "{}.{}.{}.{}",
                1 + r.below(223),
                r.below(256),
                r.below(256),
                1 + r.below(254)
            ),
        },
        "person_name" => format!("{}{}", r.pick(&SURNAMES), r.pick(&GIVEN)),
        "postal_address" => format!(
            "{}{}{}{}号",
            r.pick(&PROVINCES),
            r.pick(&DISTRICTS),
            r.pick(&ROADS),
            1 + r.below(300)
        ),
        "date_of_birth" => format!(
            "{}-{:02}-{:02}",
            1940 + r.below(70),
            1 + r.below(12),
            1 + r.below(28)
        ),
        "age" => (18 + r.below(70)).to_string(),
        "gender" => r.pick(&["男", "女"]).into(),
        "license_plate" => format!(
            "{}{}{}",
            r.pick(&["京", "沪", "粤", "浙", "川"]),
            r.pick(&["A", "B", "C", "D"]),
            r.digits(5)
        ),
        "iban" => {
            let bban = format!("WEST{}", r.digits(14));
            let rearranged = format!("{bban}GB00");
            let mut rem = 0u64;
            for c in rearranged.chars() {
                let n = c.to_digit(36).unwrap() as u64;
                rem = if n >= 10 {
                    (rem * 100 + n) % 97
                } else {
                    (rem * 10 + n) % 97
                };
            }
            format!("GB{:02}{bban}", 98 - rem)
        }
        "us_ssn" => format!(
            "{:03}-{:02}-{:04}",
            1 + r.below(665),
            1 + r.below(99),
            1 + r.below(9999)
        ),
        "geolocation" => format!(
            "{:.5},{:.5}",
            20.0 + r.below(2000000) as f64 / 100000.0,
            100.0 + r.below(2000000) as f64 / 100000.0
        ),
        "ethnicity" => r
            .pick(&[
                "汉族",
                "汉族",
                "汉族",
                "回族",
                "满族",
                "壮族",
                "维吾尔族",
                "苗族",
            ])
            .into(),
        "religion" => r
            .pick(&["佛教", "道教", "基督教", "伊斯兰教", "天主教"])
            .into(),
        "health" => r
            .pick(&["高血压", "糖尿病", "健康", "哮喘", "无", "冠心病"])
            .into(),
        "device_id" => format!(
            "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
            r.next() as u32,
            r.below(65536),
            r.below(4096),
            r.below(4096),
            r.next() & 0xffff_ffff_ffff
        ),
        "account_id" => format!("M{}", r.digits(9)),
        // Decoys.
        "decoy_count" => (1 + r.below(20)).to_string(),
        "decoy_amount" => format!("{}.{:02}", r.below(100000), r.below(100)),
        "decoy_product_code" => r.digits(18),
        "decoy_ticket" => format!("100{}", r.digits(8)),
        "decoy_status" => r.pick(&["已完成", "待支付", "已取消", "配送中"]).into(),
        "decoy_timestamp" => format!(
            "2025-{:02}-{:02} {:02}:{:02}:00",
            1 + r.below(12),
            1 + r.below(28),
            r.below(24),
            r.below(60)
        ),
        "decoy_city" => r
            .pick(&["北京市", "上海市", "广州市", "深圳市", "杭州市", "成都市"])
            .into(),
        "decoy_sku" => format!("SKU-{}-{}", r.pick(&["RED", "BLUE", "XL"]), r.digits(4)),
        other => panic!("no generator for {other}"),
    }
}

/// (category, English header, Chinese header, pinyin header, values decide alone)
pub const CATEGORIES: &[(&str, &str, &str, &str, bool)] = &[
    ("cn_resident_id", "id_number", "身份证号", "sfzh", true),
    ("cn_mobile", "mobile", "手机号", "sjhm", true),
    ("phone", "telephone", "电话", "lxdh", true),
    ("email", "email", "电子邮箱", "dzyx", true),
    ("bank_card", "bank_card_no", "银行卡号", "yhkh", true),
    ("credit_card", "credit_card", "信用卡号", "xykh", true),
    (
        "cn_uscc",
        "credit_code",
        "统一社会信用代码",
        "tyshxydm",
        true,
    ),
    ("cn_passport", "passport_no", "护照号码", "hzhm", true),
    ("passport", "passport_number", "护照号", "hzh", false),
    (
        "hk_macau_permit",
        "hk_macao_permit",
        "港澳通行证",
        "gatxz",
        false,
    ),
    ("taiwan_permit", "taiwan_permit", "台胞证", "tbz", false),
    ("ip_address", "client_ip", "IP地址", "ip", true),
    ("person_name", "customer_name", "姓名", "xm", true),
    ("postal_address", "address", "联系地址", "dz", true),
    ("date_of_birth", "birth_date", "出生日期", "csrq", false),
    ("age", "age", "年龄", "nl", false),
    ("gender", "gender", "性别", "xb", true),
    ("license_plate", "plate_no", "车牌号", "cph", true),
    ("iban", "iban", "IBAN", "iban", true),
    ("us_ssn", "ssn", "SSN", "ssn", true),
    ("geolocation", "location", "经纬度", "jwd", true),
    ("ethnicity", "ethnicity", "民族", "mz", true),
    ("religion", "religion", "宗教信仰", "zjxy", true),
    ("health", "medical_history", "既往病史", "jkzk", false),
    ("device_id", "device_id", "设备号", "sbh", false),
    ("account_id", "member_id", "会员编号", "hybh", false),
];

/// Decoys: (generator, header), truth null.
pub const DECOYS: &[(&str, &str)] = &[
    ("decoy_count", "phone"),
    ("decoy_count", "数量"),
    ("decoy_amount", "amount"),
    ("decoy_amount", "col_21"),
    ("decoy_product_code", "product_code"),
    ("decoy_product_code", "col_22"),
    ("decoy_ticket", "ticket_no"),
    ("decoy_ticket", "col_23"),
    ("decoy_status", "订单状态"),
    ("decoy_timestamp", "created_at"),
    ("decoy_city", "city"),
    ("decoy_city", "col_24"),
    ("decoy_sku", "sku"),
];

/// `rounds` x every category under each header style, and the decoys; `values` per
/// column, with about 2 % defects (values of another column) mixed in.
pub fn corpus(rounds: u64, values: usize) -> Vec<Column> {
    let mut r = Rng(0x5eed_c1a5_51f1);
    let mut out = Vec::new();
    for round in 0..rounds {
        for (i, (cat, en, zh, py, alone)) in CATEGORIES.iter().enumerate() {
            let mut headers = vec![en.to_string(), zh.to_string(), py.to_string()];
            if *alone {
                headers.push(format!("col_{}", i + 1 + round as usize * 100));
            }
            for header in headers {
                let values = (0..values)
                    .map(|_| {
                        if r.below(50) == 0 {
                            "n/a".to_string()
                        } else {
                            value(cat, &mut r)
                        }
                    })
                    .collect();
                out.push(Column {
                    header,
                    truth: Some(cat),
                    values,
                });
            }
        }
        for (generator, header) in DECOYS {
            out.push(Column {
                header: header.to_string(),
                truth: None,
                values: (0..values).map(|_| value(generator, &mut r)).collect(),
            });
        }
    }
    out
}

/// Column-level precision, recall and F2 per category and overall.
pub struct Scores {
    pub per_category: Vec<(&'static str, f64, f64, usize)>,
    pub precision: f64,
    pub recall: f64,
    pub f2: f64,
    pub mistakes: Vec<String>,
}

pub fn score(columns: &[Column], predicted: &[Option<&'static str>]) -> Scores {
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let mut per_category = Vec::new();
    let mut mistakes = Vec::new();
    for (c, p) in columns.iter().zip(predicted) {
        if c.truth != *p {
            mistakes.push(format!("{}: expected {:?}, got {:?}", c.header, c.truth, p));
        }
    }
    for (cat, ..) in CATEGORIES {
        let t = columns
            .iter()
            .zip(predicted)
            .filter(|(c, p)| c.truth == Some(cat) && **p == Some(cat))
            .count();
        let f = columns
            .iter()
            .zip(predicted)
            .filter(|(c, p)| c.truth != Some(cat) && **p == Some(cat))
            .count();
        let n = columns
            .iter()
            .zip(predicted)
            .filter(|(c, p)| c.truth == Some(cat) && **p != Some(cat))
            .count();
        tp += t;
        fp += f;
        fn_ += n;
        let precision = if t + f == 0 {
            1.0
        } else {
            t as f64 / (t + f) as f64
        };
        let recall = if t + n == 0 {
            1.0
        } else {
            t as f64 / (t + n) as f64
        };
        per_category.push((*cat, precision, recall, t + n));
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    let f2 = if precision + recall == 0.0 {
        0.0
    } else {
        5.0 * precision * recall / (4.0 * precision + recall)
    };
    Scores {
        per_category,
        precision,
        recall,
        f2,
        mistakes,
    }
}
