//! A Chinese customer extract with known duplicate clusters, for `benches/dedupe.rs`
//! (accuracy and the 1M-record run) and the checked-in fixture `fixtures/dedupe/`.
//!
//! Each person (an entity) gets one record, and about a fifth of them one to three more,
//! as if entered again in another system: homophone typos in the name (张伟 / 张玮),
//! the mobile written as `+86 138 0013 8000` or `138-0013-8000` or with one wrong digit,
//! the ID number missing or with a lower-case `x`, the birth date in another format,
//! the address shortened (no province or city) or missing, another e-mail domain.
//! Hard negatives are built in: common names (王芳, 张伟, 李娜 ...) are shared by many
//! people, and some people are family members of another: same surname and address,
//! another given name, birth date, ID and mobile.

#![allow(dead_code)]

use super::classify::Rng;

const SURNAMES: [&str; 24] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "欧阳",
];
/// Given-name characters; each row is a set of homophones (same toneless pinyin).
const HOMOPHONES: [&[&str]; 30] = [
    &["伟", "玮", "炜"],
    &["芳", "方", "芳"],
    &["娜", "纳"],
    &["敏", "民"],
    &["静", "婧", "靖"],
    &["丽", "莉", "立"],
    &["强", "墙"],
    &["磊", "蕾"],
    &["军", "君", "均"],
    &["洋", "阳", "扬"],
    &["华", "桦"],
    &["明", "铭", "鸣"],
    &["杰", "洁"],
    &["涛", "韬"],
    &["勇", "永", "泳"],
    &["艳", "燕", "雁"],
    &["峰", "锋", "丰"],
    &["刚", "钢"],
    &["斌", "彬"],
    &["宇", "雨", "语"],
    &["浩", "昊"],
    &["鹏", "朋"],
    &["辉", "晖", "徽"],
    &["鑫", "欣", "新"],
    &["婷", "亭", "庭"],
    &["霞", "侠"],
    &["俊", "峻"],
    &["平", "萍", "苹"],
    &["倩", "茜"],
    &["建", "健", "剑"],
];
/// Very common full names: many different people carry them.
const COMMON: [&str; 6] = ["王芳", "张伟", "李娜", "刘洋", "王伟", "李静"];
const PROVINCES: [(&str, &str, &str); 6] = [
    ("北京市", "", "110105"),
    ("上海市", "", "310115"),
    ("广东省", "深圳市", "440305"),
    ("浙江省", "杭州市", "330106"),
    ("四川省", "成都市", "510107"),
    ("江苏省", "南京市", "320102"),
];
const DISTRICTS: [&str; 8] = [
    "朝阳区",
    "浦东新区",
    "南山区",
    "西湖区",
    "武侯区",
    "玄武区",
    "海淀区",
    "福田区",
];
const ROADS: [&str; 12] = [
    "建国路",
    "世纪大道",
    "科技园路",
    "文三路",
    "人民南路",
    "中山路",
    "解放路",
    "长江路",
    "和平路",
    "新华路",
    "学院路",
    "滨江大道",
];
const DOMAINS: [&str; 4] = ["qq.com", "163.com", "126.com", "example.com"];
const PINYIN_SURNAME: [&str; 24] = [
    "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma",
    "zhu", "hu", "guo", "he", "gao", "lin", "luo", "zheng", "liang", "xie", "ouyang",
];

/// One person, as the truth.
#[derive(Clone)]
struct Person {
    surname: usize,
    given: Vec<(usize, usize)>,
    common: Option<&'static str>,
    male: bool,
    birth: (u64, u64, u64),
    id: String,
    mobile: String,
    email_local: String,
    domain: usize,
    province: usize,
    district: usize,
    road: usize,
    number: u64,
}

fn id_number(rng: &mut Rng, area: &str, (y, m, d): (u64, u64, u64), male: bool) -> String {
    let seq = rng.below(500) * 2 + u64::from(male);
    let first = format!("{area}{y:04}{m:02}{d:02}{seq:03}");
    let check = steward::udf::cn_resident_id::check_char(first.as_bytes());
    format!("{first}{check}")
}

fn digits(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.below(10) as u8))
        .collect()
}

fn person(rng: &mut Rng, family_of: Option<&Person>) -> Person {
    let province = family_of.map_or(rng.below(6) as usize, |p| p.province);
    let birth = (1950 + rng.below(55), 1 + rng.below(12), 1 + rng.below(28));
    let male = rng.below(2) == 0;
    let common = (family_of.is_none() && rng.below(12) == 0)
        .then(|| COMMON[rng.below(COMMON.len() as u64) as usize]);
    let given_len = if rng.below(3) == 0 { 1 } else { 2 };
    let given = (0..given_len)
        .map(|_| (rng.below(HOMOPHONES.len() as u64) as usize, 0))
        .collect();
    let surname = family_of.map_or(rng.below(SURNAMES.len() as u64) as usize, |p| p.surname);
    let mobile = format!(
        "1{}{}",
        ["38", "39", "50", "86", "77", "99", "35", "58"][rng.below(8) as usize],
        digits(rng, 8)
    );
    let email_local = format!("{}{}", PINYIN_SURNAME[surname], rng.below(1_000_000));
    Person {
        surname,
        given,
        common,
        male,
        birth,
        id: id_number(rng, PROVINCES[province].2, birth, male),
        mobile,
        email_local,
        domain: rng.below(4) as usize,
        province,
        district: family_of.map_or(rng.below(8) as usize, |p| p.district),
        road: family_of.map_or(rng.below(12) as usize, |p| p.road),
        number: family_of.map_or(1 + rng.below(300), |p| p.number),
    }
}

fn name(p: &Person, rng: &mut Rng, typo: bool) -> String {
    if let Some(c) = p.common {
        return c.to_string();
    }
    let mut s = SURNAMES[p.surname].to_string();
    let typo_at = typo.then(|| rng.below(p.given.len() as u64) as usize);
    for (k, &(set, pick)) in p.given.iter().enumerate() {
        let options = HOMOPHONES[set];
        let pick = if typo_at == Some(k) {
            (pick + 1 + rng.below(options.len() as u64 - 1) as usize) % options.len()
        } else {
            pick
        };
        s.push_str(options[pick]);
    }
    s
}

fn mobile(p: &Person, rng: &mut Rng, variant: bool) -> String {
    let mut m = p.mobile.clone();
    if variant && rng.below(8) == 0 {
        // One wrong digit (not the leading 1).
        let at = 3 + rng.below(8) as usize;
        let d = (m.as_bytes()[at] - b'0' + 1 + rng.below(9) as u8) % 10;
        m.replace_range(at..=at, &d.to_string());
    }
    if !variant {
        return m;
    }
    match rng.below(4) {
        0 => format!("+86 {} {} {}", &m[..3], &m[3..7], &m[7..]),
        1 => format!("{}-{}-{}", &m[..3], &m[3..7], &m[7..]),
        2 => format!("0086{m}"),
        _ => m,
    }
}

fn birth(p: &Person, rng: &mut Rng, variant: bool) -> String {
    let (y, m, d) = p.birth;
    if !variant {
        return format!("{y:04}-{m:02}-{d:02}");
    }
    match rng.below(4) {
        0 => format!("{y}/{m}/{d}"),
        1 => format!("{y:04}{m:02}{d:02}"),
        2 => format!("{y}年{m}月{d}日"),
        _ => format!("{y:04}-{m:02}-{d:02}"),
    }
}

fn address(p: &Person, rng: &mut Rng, variant: bool) -> String {
    let (prov, city, _) = PROVINCES[p.province];
    let tail = format!("{}{}{}号", DISTRICTS[p.district], ROADS[p.road], p.number);
    if variant && rng.below(3) == 0 {
        return tail;
    }
    if variant && rng.below(3) == 0 {
        return format!(
            "{}{}{tail}",
            prov.trim_end_matches(['省', '市']),
            city.trim_end_matches('市')
        );
    }
    format!("{prov}{city}{tail}")
}

/// One generated record with its truth.
pub struct Record {
    pub entity: u64,
    pub name: String,
    pub gender: &'static str,
    pub birth_date: String,
    pub id_number: String,
    pub mobile: String,
    pub email: String,
    pub address: String,
}

fn maybe(rng: &mut Rng, percent_missing: u64, v: String) -> String {
    if rng.below(100) < percent_missing {
        String::new()
    } else {
        v
    }
}

fn record(p: &Person, entity: u64, rng: &mut Rng, duplicate: bool) -> Record {
    let v = duplicate;
    let mut id = p.id.clone();
    if v && rng.below(30) == 0 {
        // One wrong digit in the sequence part.
        let at = 14 + rng.below(3) as usize;
        let d = (id.as_bytes()[at] - b'0' + 1) % 10;
        id.replace_range(at..=at, &d.to_string());
    }
    if v && rng.below(2) == 0 {
        id = id.to_lowercase();
    }
    let domain = if v && rng.below(8) == 0 {
        (p.domain + 1) % DOMAINS.len()
    } else {
        p.domain
    };
    let typo = v && rng.below(4) == 0;
    let name = name(p, rng, typo);
    let birth = birth(p, rng, v);
    let birth_date = maybe(rng, if v { 15 } else { 3 }, birth);
    let id_number = maybe(rng, if v { 35 } else { 10 }, id);
    let mobile = mobile(p, rng, v);
    let mobile = maybe(rng, if v { 10 } else { 3 }, mobile);
    let email = format!("{}@{}", p.email_local, DOMAINS[domain]);
    let email = maybe(rng, if v { 45 } else { 30 }, email);
    let address = address(p, rng, v);
    let address = maybe(rng, if v { 15 } else { 5 }, address);
    Record {
        entity,
        name,
        gender: if p.male { "男" } else { "女" },
        birth_date,
        id_number,
        mobile,
        email,
        address,
    }
}

/// About `records` records (exactly that many), in a shuffled order.
pub fn generate(records: usize, seed: u64) -> Vec<Record> {
    let mut rng = Rng(seed | 1);
    let mut out: Vec<Record> = Vec::with_capacity(records);
    let mut people: Vec<Person> = Vec::new();
    let mut entity = 0u64;
    while out.len() < records {
        let family = (!people.is_empty() && rng.below(20) == 0)
            .then(|| people[rng.below(people.len() as u64) as usize].clone());
        let p = person(&mut rng, family.as_ref());
        out.push(record(&p, entity, &mut rng, false));
        if rng.below(5) == 0 {
            for _ in 0..1 + rng.below(3) {
                if out.len() < records {
                    out.push(record(&p, entity, &mut rng, true));
                }
            }
        }
        if people.len() < 10_000 {
            people.push(p);
        }
        entity += 1;
    }
    for i in (1..out.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        out.swap(i, j);
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// CSV with `customer_id` (C + position) and the truth in `entity`.
pub fn write_csv(path: &std::path::Path, records: &[Record]) {
    use std::io::Write;
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(
        w,
        "customer_id,name,gender,birth_date,id_number,mobile,email,address,entity"
    )
    .unwrap();
    for (i, r) in records.iter().enumerate() {
        writeln!(
            w,
            "C{:07},{},{},{},{},{},{},{},E{}",
            i + 1,
            csv_field(&r.name),
            r.gender,
            csv_field(&r.birth_date),
            csv_field(&r.id_number),
            csv_field(&r.mobile),
            csv_field(&r.email),
            csv_field(&r.address),
            r.entity
        )
        .unwrap();
    }
}
