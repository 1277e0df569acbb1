//! The span finder (`classify::spans::find`) on a corpus of CRM notes whose truth does
//! not come from the code under test.
//!
//! - The personal values are generated from the standards by `support/standards.rs`
//!   (check digits written there from GB 11643, GB 32100, Luhn, ISO 13616; MIIT mobile
//!   prefixes), and written as CRM users write them (`+86`, `(+86)`, full-width digits,
//!   U+3000, groups of four, `X` and `x`).
//! - The notes around them are written here: Chinese and English clauses, with and
//!   without a keyword before the value, no spaces between Chinese text and the value,
//!   line breaks. The keywords used for the keyword-led categories (passports, permits,
//!   IBAN) are the words a clerk writes, not steward's keyword list.
//! - Decoys: 30 kinds of numbers and codes that are not personal data (order, tracking
//!   and invoice numbers, SKUs, timestamps, amounts, URLs, checksum failures, ...).
//!   Decoys without a keyword that says what they are are checked here, with this
//!   file's own standards code, not to be valid values of any category.
//!
//! A found span is right when its category is the truth's and it covers the value's
//! digits and letters without reaching outside the written value (a `+86` prefix may
//! or may not be in it). Recall and precision are counted over spans, and both must be
//! at least 0.99 (issue 22). Run with `-- --nocapture` for the per-category table and
//! the first mistakes.

use std::collections::BTreeMap;

use steward::classify::spans;

#[path = "support/standards.rs"]
mod standards;
use standards::*;

const NOTES: usize = 12_000;
const MIN_RECALL: f64 = 0.99;
const MIN_PRECISION: f64 = 0.99;

/// A value in a note: its written extent and the part that must be covered.
#[derive(Debug, Clone)]
struct Truth {
    start: usize,
    end: usize,
    core_start: usize,
    core_end: usize,
    category: &'static str,
}

#[derive(Default)]
struct Note {
    text: String,
    truth: Vec<Truth>,
    decoys: Vec<&'static str>,
}

impl Note {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// A value written as `prefix` + `core` + `suffix`, all of it the value.
    fn value(&mut self, prefix: &str, core: &str, suffix: &str, category: &'static str) {
        let start = self.text.len();
        self.text.push_str(prefix);
        let core_start = self.text.len();
        self.text.push_str(core);
        let core_end = self.text.len();
        self.text.push_str(suffix);
        self.truth.push(Truth {
            start,
            end: self.text.len(),
            core_start,
            core_end,
            category,
        });
    }
}

// ---------------------------------------------------------------------------------------
// Clauses around the values.

const OPENERS: &[&str] = &[
    "客户来电咨询退货事宜",
    "已电话回访，客户表示满意",
    "下午3点后联系",
    "VIP客户，优先处理",
    "客户要求开具增值税专用发票",
    "收货地址已更新",
    "Customer asked for a refund",
    "Follow up next week",
    "老客户，复购第3次",
    "投诉已处理完毕",
    "2024年3月7日来店",
    "请于周五前发货",
    "客户不方便接电话，请发短信",
    "需要上门安装",
];

const CLOSERS: &[&str] = &[
    "，谢谢",
    "。",
    "，下午联系",
    "，工作日联系",
    "！",
    "，勿在晚上10点后来电",
    " thanks",
    "；已备注",
    "，如无人接听请留言",
    "",
];

/// What may stand between two parts of a note.
const BREAKS: &[&str] = &["，", "。", "；", " ", "\u{3000}", "\n", "\r\n", "、", ". "];

// ---------------------------------------------------------------------------------------
// Personal values as notes hold them.

fn mobile_value(rng: &mut Rng, note: &mut Note) {
    let m = mobile(rng);
    let (a, b, c) = (&m[..3], &m[3..7], &m[7..]);
    note.push(rng.pick(&[
        "",
        "",
        "客户电话",
        "手机",
        "联系方式：",
        "手机号码: ",
        "电话 ",
        "tel ",
        "Mobile: ",
        "联系人手机",
        "可拨打",
        "新号码",
    ]));
    match rng.below(12) {
        0 => note.value("", &format!("{a} {b} {c}"), "", "cn_mobile"),
        1 => note.value("", &format!("{a}-{b}-{c}"), "", "cn_mobile"),
        2 => note.value("+86 ", &m, "", "cn_mobile"),
        3 => note.value("(+86)", &m, "", "cn_mobile"),
        4 => note.value("（+86）", &m, "", "cn_mobile"),
        5 => note.value("+86-", &m, "", "cn_mobile"),
        6 => note.value("", &full_width(&m), "", "cn_mobile"),
        7 => note.value("", &format!("{a}\u{3000}{b}\u{3000}{c}"), "", "cn_mobile"),
        8 => note.value("+86 ", &format!("{a} {b} {c}"), "", "cn_mobile"),
        _ => note.value("", &m, "", "cn_mobile"),
    }
}

fn landline_value(rng: &mut Rng, note: &mut Note) {
    let area = rng.pick(&[
        "010", "020", "021", "022", "023", "024", "025", "027", "028", "029", "0755", "0571",
        "0512", "0731", "0532", "0591", "0898",
    ]);
    let local = format!("{}{}", rng.range(2, 8), rng.digits(7));
    let (l1, l2) = local.split_at(4);
    let short = &area[1..];
    note.push(rng.pick(&[
        "",
        "座机",
        "公司电话：",
        "办公电话 ",
        "Tel: ",
        "固话",
        "前台电话",
    ]));
    match rng.below(7) {
        0 => note.value("", &format!("({area}){local}"), "", "phone"),
        1 => note.value("", &format!("（{area}）{local}"), "", "phone"),
        2 => note.value("", &format!("{area} {l1} {l2}"), "", "phone"),
        3 => note.value("+86 ", &format!("{short} {l1} {l2}"), "", "phone"),
        4 => note.value("+86-", &format!("{short}-{local}"), "", "phone"),
        5 => {
            note.value("", &format!("{area}-{local}"), "", "phone");
            note.push(&format!("转{}", rng.range(100, 8999)));
        }
        _ => note.value("", &format!("{area}-{local}"), "", "phone"),
    }
}

fn resident_id_value(rng: &mut Rng, note: &mut Note) {
    let id = resident_id(rng);
    note.push(rng.pick(&[
        "",
        "",
        "身份证",
        "身份证号：",
        "证件号码 ",
        "ID: ",
        "身份证号码",
        "客户证件",
    ]));
    match rng.below(8) {
        0 => note.value("", &full_width(&id), "", "cn_resident_id"),
        1 => note.value(
            "",
            &format!("{} {} {}", &id[..6], &id[6..14], &id[14..]),
            "",
            "cn_resident_id",
        ),
        2 => note.value("", &id.to_lowercase(), "", "cn_resident_id"),
        _ => note.value("", &id, "", "cn_resident_id"),
    }
}

fn email_value(rng: &mut Rng, note: &mut Note) {
    let e = email(rng).trim().to_string();
    note.push(rng.pick(&[
        "",
        "发票请发送至",
        "邮箱",
        "邮箱：",
        "E-mail: ",
        "email ",
        "请发邮件到",
        "联系邮箱 ",
    ]));
    note.value("", &e, "", "email");
}

fn bank_card_value(rng: &mut Rng, note: &mut Note) {
    let (bin, len) = UNIONPAY_BINS[rng.below(UNIONPAY_BINS.len() as u64) as usize];
    let n = card(rng, bin, len);
    note.push(rng.pick(&["", "退款至银行卡", "卡号", "卡号：", "收款账户 ", "工行卡"]));
    match rng.below(4) {
        0 => note.value("", &grouped(&n), "", "bank_card"),
        1 => note.value("", &grouped(&n).replace(' ', "-"), "", "bank_card"),
        _ => note.value("", &n, "", "bank_card"),
    }
}

fn credit_card_value(rng: &mut Rng, note: &mut Note) {
    let prefix = rng.pick(&["438088", "404117", "427020", "518710", "524070", "552599"]);
    let n = card(rng, prefix, 16);
    note.push(rng.pick(&["", "信用卡", "信用卡号：", "card ", "Visa "]));
    if rng.chance(30) {
        note.value("", &grouped(&n), "", "credit_card");
    } else {
        note.value("", &n, "", "credit_card");
    }
}

fn uscc_value(rng: &mut Rng, note: &mut Note) {
    note.push(rng.pick(&["", "统一社会信用代码", "税号：", "开票税号 ", "信用代码: "]));
    note.value("", &uscc(rng), "", "cn_uscc");
}

fn document_value(rng: &mut Rng, note: &mut Note) {
    match rng.below(5) {
        0 => {
            note.push(rng.pick(&["护照", "护照号：", "护照号码 ", "持护照"]));
            note.value("", &cn_passport(rng), "", "cn_passport");
        }
        1 => {
            note.push(rng.pick(&["Passport No. ", "passport: ", "外籍客户护照号"]));
            note.value("", &foreign_passport(rng), "", "passport");
        }
        2 => {
            note.push(rng.pick(&["港澳通行证", "港澳通行证号：", "往来港澳通行证 "]));
            note.value("", &hk_macau_permit(rng), "", "hk_macau_permit");
        }
        3 => {
            note.push(rng.pick(&["台胞证", "台胞证号：", "台湾居民来往大陆通行证 "]));
            note.value("", &taiwan_permit(rng), "", "taiwan_permit");
        }
        _ => {
            note.push(rng.pick(&["IBAN ", "IBAN: ", "境外账户IBAN："]));
            note.value("", &iban(rng), "", "iban");
        }
    }
}

fn ip_value(rng: &mut Rng, note: &mut Note) {
    note.push(rng.pick(&["登录IP ", "IP：", "来源地址", "ip=", "最近登录自"]));
    note.value("", &ip_address(rng), "", "ip_address");
}

fn personal(rng: &mut Rng, note: &mut Note) {
    match rng.below(20) {
        0..=4 => mobile_value(rng, note),
        5 | 6 => landline_value(rng, note),
        7..=9 => resident_id_value(rng, note),
        10..=12 => email_value(rng, note),
        13 | 14 => bank_card_value(rng, note),
        15 => credit_card_value(rng, note),
        16 => uscc_value(rng, note),
        17 | 18 => document_value(rng, note),
        _ => ip_value(rng, note),
    }
}

// ---------------------------------------------------------------------------------------
// Decoys: not personal data.

/// Is this run of ASCII digits a valid value of some category, by the standards?
fn valid_by_standard(d: &str) -> bool {
    let starts = |p: &str| d.starts_with(p);
    let mobile = d.len() == 11 && MOBILE_PREFIXES.iter().any(|p| starts(p));
    let mobile86 =
        d.len() == 13 && starts("86") && MOBILE_PREFIXES.iter().any(|p| d[2..].starts_with(p));
    let id = d.len() == 18 && gb11643_check(&d[..17]) == d.chars().nth(17).unwrap();
    let card = (12..=19).contains(&d.len())
        && luhn_valid(d)
        && (starts("3") || starts("4") || starts("5") || starts("6"));
    let landline = (10..=12).contains(&d.len()) && starts("0") && !starts("00");
    let legacy_id = d.len() == 15 && REGIONS.iter().any(|r| starts(r));
    mobile || mobile86 || id || card || landline || legacy_id
}

/// `n` random digits that are no valid value (and do not start with 0).
fn plain_digits(rng: &mut Rng, n: usize) -> String {
    loop {
        let d = format!("{}{}", rng.range(1, 9), rng.digits(n - 1));
        if !valid_by_standard(&d) {
            return d;
        }
    }
}

/// Digits after a keyword that says what they are: anything, even a valid checksum.
fn any_digits(rng: &mut Rng, n: usize) -> String {
    format!("{}{}", rng.range(1, 9), rng.digits(n - 1))
}

const DECOY_KINDS: &[&str] = &[
    "order_number",
    "sku",
    "timestamp",
    "epoch",
    "amount",
    "tracking_number",
    "url",
    "bad_resident_id",
    "bad_card",
    "non_mobile_11",
    "date",
    "postcode",
    "version",
    "bad_ipv4",
    "invoice",
    "coupon",
    "quantity",
    "document_shape_without_keyword",
    "hash",
    "clock_time",
    "ratio",
    "percent",
    "barcode",
    "long_digit_run",
    "flight_or_train",
    "card_last_four",
    "price_range",
    "masked_mobile",
    "qq_number",
    "model_number",
];

fn decoy(rng: &mut Rng, note: &mut Note) {
    let kind = DECOY_KINDS[rng.below(DECOY_KINDS.len() as u64) as usize];
    let text = match kind {
        "order_number" => {
            let k = rng.pick(&["订单号", "订单号：", "订单编号 ", "Order #", "order no. "]);
            let n = rng.range(11, 20) as usize;
            format!("{k}{}", any_digits(rng, n))
        }
        "sku" => {
            let p = rng.pick(&["SKU", "JD", "TB", "AB", "XZ"]);
            {
                let n = rng.range(8, 14) as usize;
                format!("{p}{}", any_digits(rng, n))
            }
        }
        "timestamp" => format!(
            "{}-{:02}-{:02} {:02}:{:02}:{:02}",
            rng.range(2015, 2026),
            rng.range(1, 12),
            rng.range(1, 28),
            rng.range(0, 23),
            rng.range(0, 59),
            rng.range(0, 59)
        ),
        "epoch" => {
            if rng.chance(50) {
                format!("ts={}", rng.range(1_500_000_000, 1_800_000_000))
            } else {
                format!("时间戳{}", rng.range(1_500_000_000_000, 1_800_000_000_000))
            }
        }
        "amount" => match rng.below(4) {
            0 => format!(
                "¥{},{:03}.{:02}",
                rng.range(1, 99),
                rng.below(1000),
                rng.below(100)
            ),
            1 => format!("金额{}.{:02}元", rng.range(1000, 999_999), rng.below(100)),
            2 => format!("￥ {}", rng.range(10, 99_999)),
            _ => format!("共计{}.00元", any_digits(rng, 11)),
        },
        "tracking_number" => {
            let k = rng.pick(&["运单号", "快递单号：", "物流单号 ", "tracking "]);
            let carrier = rng.pick(&["SF", "YT", "JDV", "", ""]);
            let n = rng.range(12, 15) as usize;
            format!("{k}{carrier}{}", any_digits(rng, n))
        }
        "url" => format!(
            "https://m.shop-example.com/item/{}?uid={}&ref={}",
            any_digits(rng, 11),
            any_digits(rng, 18),
            any_digits(rng, 6)
        ),
        "bad_resident_id" => {
            let good = resident_id(rng);
            let body = &good[..17];
            let check = gb11643_check(body);
            let wrong = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']
                .into_iter()
                .filter(|&c| c != check)
                .nth(rng.below(10) as usize)
                .unwrap();
            let cand = format!("{body}{wrong}");
            if valid_by_standard(&cand) {
                return decoy(rng, note);
            }
            cand
        }
        "bad_card" => {
            let (bin, len) = UNIONPAY_BINS[rng.below(UNIONPAY_BINS.len() as u64) as usize];
            let good = card(rng, bin, len);
            let last = good.as_bytes()[len - 1] - b'0';
            let bad = format!(
                "{}{}",
                &good[..len - 1],
                (last + 1 + rng.below(9) as u8) % 10
            );
            format!("参考号{}", bad)
        }
        "non_mobile_11" => {
            let p = rng.pick(&[
                "100", "101", "104", "106", "110", "120", "121", "125", "127",
            ]);
            format!("工单{p}{}", rng.digits(8))
        }
        "date" => match rng.below(3) {
            0 => format!(
                "{}年{}月{}日",
                rng.range(2018, 2026),
                rng.range(1, 12),
                rng.range(1, 28)
            ),
            1 => format!(
                "{}{:02}{:02}",
                rng.range(2018, 2026),
                rng.range(1, 12),
                rng.range(1, 28)
            ),
            _ => format!(
                "{}.{:02}.{:02}",
                rng.range(2018, 2026),
                rng.range(1, 12),
                rng.range(1, 28)
            ),
        },
        "postcode" => format!("邮编{}", rng.range(100_000, 850_000)),
        "version" => match rng.below(3) {
            0 => format!(
                "APP版本{}.{}.{}.{}",
                rng.range(1, 12),
                rng.below(10),
                rng.below(30),
                rng.below(200)
            ),
            1 => format!("v{}.{}.{}", rng.range(1, 9), rng.below(20), rng.below(50)),
            _ => format!(
                "build {}.{}.{}.{}",
                rng.range(1, 12),
                rng.below(10),
                rng.below(30),
                rng.range(1000, 9999)
            ),
        },
        "bad_ipv4" => format!(
            "{}.{}.{}.{}",
            rng.range(256, 999),
            rng.range(0, 255),
            rng.range(300, 999),
            rng.range(0, 255)
        ),
        "invoice" => {
            if rng.chance(50) {
                format!("发票号码{}", any_digits(rng, 8))
            } else {
                format!("发票代码{}", any_digits(rng, 12))
            }
        }
        "coupon" => format!(
            "优惠码{}-{}",
            rng.chars_of("ABCDEFGHJKMNPQRSTUVWXYZ23456789", 4),
            rng.chars_of("ABCDEFGHJKMNPQRSTUVWXYZ23456789", 4)
        ),
        "quantity" => format!("数量{}件，共{}元", rng.range(1, 50), rng.range(10, 9999)),
        "document_shape_without_keyword" => match rng.below(3) {
            0 => format!("批次E{}", rng.digits(8)),
            1 => format!("型号G{}", rng.digits(8)),
            _ => format!("货架C{}", rng.digits(8)),
        },
        "hash" => format!("sha1 {}", rng.chars_of("0123456789abcdef", 40)),
        "clock_time" => match rng.below(3) {
            0 => format!("{:02}:{:02}", rng.range(0, 23), rng.range(0, 59)),
            1 => format!("营业时间09:00-{}:00", rng.range(17, 22)),
            _ => format!(
                "{:02}:{:02}:{:02}",
                rng.range(0, 23),
                rng.range(0, 59),
                rng.range(0, 59)
            ),
        },
        "ratio" => format!("比例{}:{}", rng.range(1, 9), rng.range(1, 9)),
        "percent" => format!("折扣{}.{}%", rng.range(1, 99), rng.below(10)),
        "barcode" => {
            let body = format!("69{}", rng.digits(10));
            let c = ean13_check(&body);
            let cand = format!("{body}{c}");
            if valid_by_standard(&cand) {
                return decoy(rng, note);
            }
            format!("条码{cand}")
        }
        "long_digit_run" => {
            let n = rng.range(20, 30) as usize;
            format!("交易参考 {}", plain_digits(rng, n))
        }
        "flight_or_train" => match rng.below(2) {
            0 => format!("航班CA{}", rng.range(100, 9999)),
            _ => format!("车次G{}", rng.range(1, 9999)),
        },
        "card_last_four" => format!("卡尾号{}", rng.digits(4)),
        "price_range" => format!("预算{}-{}元", rng.range(100, 999), rng.range(1000, 9999)),
        "masked_mobile" => format!("{}****{}", rng.pick(MOBILE_PREFIXES), rng.digits(4)),
        "qq_number" => {
            let n = rng.range(9, 11) as usize;
            format!("QQ{}", any_digits(rng, n))
        }
        "model_number" => format!(
            "型号{}-{}",
            rng.chars_of("ABCDEFGHJKLMNPQRSTUVWXYZ", 2),
            any_digits(rng, 11)
        ),
        other => unreachable!("{other}"),
    };
    note.push(&text);
    note.decoys.push(kind);
}

fn note(rng: &mut Rng) -> Note {
    let mut n = Note::default();
    if rng.chance(70) {
        n.push(rng.pick(OPENERS));
        n.push(rng.pick(BREAKS));
    }
    let parts = rng.range(1, 4);
    for i in 0..parts {
        if i > 0 {
            n.push(rng.pick(BREAKS));
        }
        // About one note in six holds only decoys.
        if rng.chance(55) {
            personal(rng, &mut n);
        } else {
            decoy(rng, &mut n);
        }
        n.push(rng.pick(CLOSERS));
    }
    n
}

// ---------------------------------------------------------------------------------------
// The measurement.

#[derive(Default)]
struct Counts {
    truth: usize,
    found_right: usize,
    found: usize,
}

#[test]
fn span_finder_meets_recall_and_precision_on_notes() {
    let mut rng = Rng(0x5eed_2026_1205);
    let mut per: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut decoys_seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut mistakes: Vec<String> = Vec::new();
    let (mut truth_total, mut recalled, mut found_total, mut precise) = (0, 0, 0, 0);

    for _ in 0..NOTES {
        let n = note(&mut rng);
        for d in &n.decoys {
            *decoys_seen.entry(d).or_default() += 1;
        }
        let found = spans::find(&n.text);
        let right = |t: &Truth, s: &spans::Span| {
            s.category == t.category
                && s.start <= t.core_start
                && s.end >= t.core_end
                && s.start >= t.start
                && s.end <= t.end
        };
        for t in &n.truth {
            truth_total += 1;
            per.entry(t.category).or_default().truth += 1;
            if found.iter().any(|s| right(t, s)) {
                recalled += 1;
                per.entry(t.category).or_default().found_right += 1;
            } else if mistakes.len() < 40 {
                mistakes.push(format!(
                    "missed {} {:?} in {:?} (found {:?})",
                    t.category,
                    &n.text[t.start..t.end],
                    n.text,
                    found
                        .iter()
                        .map(|s| (s.category, &n.text[s.start..s.end]))
                        .collect::<Vec<_>>()
                ));
            }
        }
        for s in &found {
            found_total += 1;
            per.entry(s.category).or_default().found += 1;
            if n.truth.iter().any(|t| right(t, s)) {
                precise += 1;
            } else if mistakes.len() < 40 {
                mistakes.push(format!(
                    "wrong {} {:?} in {:?}",
                    s.category,
                    &n.text[s.start..s.end],
                    n.text
                ));
            }
        }
    }

    let recall = recalled as f64 / truth_total as f64;
    let precision = precise as f64 / found_total.max(1) as f64;
    println!("category          truth  recalled  found");
    for (c, k) in &per {
        println!("{c:<17} {:>6} {:>9} {:>6}", k.truth, k.found_right, k.found);
    }
    println!(
        "recall {recall:.4} ({recalled}/{truth_total}), precision {precision:.4} ({precise}/{found_total})"
    );
    println!("decoys: {decoys_seen:?}");
    for m in &mistakes {
        println!("{m}");
    }
    const { assert!(NOTES >= 10_000) };
    assert_eq!(
        decoys_seen.len(),
        DECOY_KINDS.len(),
        "every decoy kind is used"
    );
    assert!(decoys_seen.len() >= 20);
    assert!(truth_total > 10_000, "{truth_total} values");
    assert!(
        recall >= MIN_RECALL,
        "span recall {recall:.4} < {MIN_RECALL}; first mistakes:\n{}",
        mistakes.join("\n")
    );
    assert!(
        precision >= MIN_PRECISION,
        "span precision {precision:.4} < {MIN_PRECISION}; first mistakes:\n{}",
        mistakes.join("\n")
    );
}

#[test]
fn decoy_check_knows_valid_values() {
    // The decoy filter itself, on hand-checked values.
    assert!(valid_by_standard("13812345678"));
    // GB 11643's own example, and the same body with a wrong check digit.
    assert!(valid_by_standard("11010519491231002X"));
    assert!(!valid_by_standard("110105194912310021"));
    assert!(valid_by_standard("4111111111111111"));
    assert!(!valid_by_standard("12012345678"));
    assert!(!valid_by_standard("1709792551"));
}
