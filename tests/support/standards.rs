//! Values generated from the standards, shared by the corpus tests: a seeded generator,
//! check digits written from the standards (GB 11643, GB 32100 / GB 11714, Luhn,
//! ISO 13616, EAN-13) and generators of each category's values as CRM exports write
//! them. Nothing here calls steward, so the tests that use it are an independent truth.
//!
//! Included by `#[path = "support/standards.rs"] mod standards;`; a test uses part of it.
#![allow(dead_code)]

// ---------------------------------------------------------------------------------------
// Seeded generator (SplitMix64), so the corpus is the same on every run.

pub struct Rng(pub u64);

impl Rng {
    pub fn for_column(header: &str) -> Rng {
        // FNV-1a of the header: a column's values do not change when rows are added.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in header.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        Rng(h ^ 0x5eed_2026_1124)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// Inclusive range.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    /// True with `percent` % probability.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    pub fn pick<'a, T: ?Sized>(&mut self, xs: &[&'a T]) -> &'a T {
        xs[self.below(xs.len() as u64) as usize]
    }
    pub fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
    pub fn chars_of(&mut self, alphabet: &str, n: usize) -> String {
        let cs: Vec<char> = alphabet.chars().collect();
        (0..n)
            .map(|_| cs[self.below(cs.len() as u64) as usize])
            .collect()
    }
}

// ---------------------------------------------------------------------------------------
// Check digits, written from the standards.

/// GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits; weight of position i
/// (1-based from the left) is 2^(18-i) mod 11; check = (12 - sum mod 11) mod 11, 10 = X.
pub fn gb11643_check(body17: &str) -> char {
    assert_eq!(body17.len(), 17);
    let sum: u32 = body17
        .bytes()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * pow_mod(2, 17 - i as u32, 11))
        .sum();
    match (12 - sum % 11) % 11 {
        10 => 'X',
        d => char::from(b'0' + d as u8),
    }
}

pub fn pow_mod(base: u32, exp: u32, m: u32) -> u32 {
    (0..exp).fold(1, |acc, _| acc * base % m)
}

/// GB 32100-2015 character set: digits and capital letters without I, O, Z, S, V.
pub const USCC_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// GB 32100-2015 check character: weights 3^i mod 31 (i = 0..16 from the left);
/// check = 31 - (sum mod 31), 31 meaning 0.
pub fn gb32100_check(body17: &str) -> char {
    let alphabet: Vec<char> = USCC_ALPHABET.chars().collect();
    let sum: u32 = body17
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let v = alphabet
                .iter()
                .position(|&a| a == c)
                .expect("USCC character") as u32;
            v * pow_mod(3, i as u32, 31)
        })
        .sum();
    alphabet[((31 - sum % 31) % 31) as usize]
}

/// GB 11714-1997 organisation code check character over 8 characters (digits, and
/// letters A = 10 .. Z = 35): weights 3 7 9 10 5 8 4 2; 11 - sum mod 11, 10 = X, 11 = 0.
pub fn gb11714_check(body8: &str) -> char {
    const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body8
        .chars()
        .zip(W)
        .map(|(c, w)| c.to_digit(36).expect("alphanumeric") * w)
        .sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        d => char::from(b'0' + d as u8),
    }
}

/// Luhn (ISO/IEC 7812-1 annex B): the digit that makes `body` + digit pass.
pub fn luhn_digit(body: &str) -> char {
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            // The check digit will sit at position 0 from the right, so body digits at
            // even offsets from the right end of the body are doubled.
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    char::from(b'0' + ((10 - sum % 10) % 10) as u8)
}

pub fn luhn_valid(number: &str) -> bool {
    let (body, last) = number.split_at(number.len() - 1);
    luhn_digit(body).to_string() == last
}

/// ISO 13616 / ISO 7064 MOD 97-10: the two check digits of an IBAN.
pub fn iban_check(country: &str, bban: &str) -> String {
    let rearranged = format!("{bban}{country}00");
    let mut rem: u32 = 0;
    for c in rearranged.chars() {
        let v = c.to_digit(36).expect("alphanumeric");
        for d in v.to_string().chars() {
            rem = (rem * 10 + d.to_digit(10).unwrap()) % 97;
        }
    }
    format!("{:02}", 98 - rem)
}

/// GS1 EAN-13 check digit: weights 1, 3 alternating from the left.
pub fn ean13_check(body12: &str) -> char {
    let sum: u32 = body12
        .bytes()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    char::from(b'0' + ((10 - sum % 10) % 10) as u8)
}

// ---------------------------------------------------------------------------------------
// Value generators.

/// County-level division codes of GB/T 2260 (one per province-level division or so).
pub const REGIONS: &[&str] = &[
    "110101", "110105", "110108", "120101", "130102", "140105", "150102", "210102", "220102",
    "230103", "310101", "310104", "310115", "320102", "320506", "330102", "330106", "340104",
    "350203", "360102", "370102", "370202", "410105", "420106", "420111", "430104", "440103",
    "440106", "440304", "440305", "450103", "460105", "500103", "510107", "520102", "530102",
    "540102", "610113", "620102", "630102", "640104", "650102", "441900", "445102", "522401",
];

pub fn leap(year: u64) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

pub fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        2 if leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A real calendar date; leap days on purpose now and then.
pub fn date(rng: &mut Rng, from: u64, to: u64) -> (u64, u64, u64) {
    let y = rng.range(from, to);
    if leap(y) && rng.chance(5) {
        return (y, 2, 29);
    }
    let m = rng.range(1, 12);
    (y, m, rng.range(1, days_in_month(y, m)))
}

pub fn resident_id(rng: &mut Rng) -> String {
    let (y, m, d) = date(rng, 1940, 2008);
    let body = format!("{}{y:04}{m:02}{d:02}{}", rng.pick(REGIONS), rng.digits(3));
    let check = gb11643_check(&body);
    format!("{body}{check}")
}

pub fn legacy_resident_id(rng: &mut Rng) -> String {
    // 15 digits, issued before 1999: two-digit year, no check digit.
    let (y, m, d) = date(rng, 1930, 1984);
    format!(
        "{}{:02}{m:02}{d:02}{}",
        rng.pick(REGIONS),
        y % 100,
        rng.digits(3)
    )
}

pub fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' | 'A'..='Z' | 'a'..='z' | '+' | '(' | ')' | '-' => {
                char::from_u32(c as u32 - 0x21 + 0xff01).unwrap()
            }
            ' ' => '\u{3000}',
            c => c,
        })
        .collect()
}

/// Placeholders CRM exports write for "no value".
pub fn placeholder(rng: &mut Rng) -> String {
    rng.pick(&["", "NULL", "无", "/", "-", "\\N", "暂无", "N/A"])
        .to_string()
}

pub fn cn_resident_id(rng: &mut Rng, variant: &str) -> String {
    let id = if rng.chance(2) {
        legacy_resident_id(rng)
    } else {
        resident_id(rng)
    };
    match variant {
        "" => {
            if id.ends_with('X') && rng.chance(30) {
                id.to_lowercase()
            } else {
                id
            }
        }
        "messy" => match rng.below(10) {
            0 => format!("\t{id}"),
            1 => full_width(&id),
            2 if id.len() == 18 => format!("{} {} {}", &id[..6], &id[6..14], &id[14..]),
            3 => format!("{id} "),
            4 if rng.chance(50) => placeholder(rng),
            _ => id.to_lowercase(),
        },
        _ => panic!("cn_resident_id:{variant}"),
    }
}

/// Mobile prefixes allocated by MIIT to China Mobile, Unicom, Telecom and Broadnet.
pub const MOBILE_PREFIXES: &[&str] = &[
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "147", "150", "151",
    "152", "153", "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178",
    "180", "181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "198", "199",
];

pub fn mobile(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(MOBILE_PREFIXES), rng.digits(8))
}

pub fn cn_mobile(rng: &mut Rng, variant: &str) -> String {
    let m = mobile(rng);
    let (a, b, c) = (&m[..3], &m[3..7], &m[7..]);
    match variant {
        "" => match rng.below(20) {
            0 => format!("{a} {b} {c}"),
            1 => format!("{a}-{b}-{c}"),
            2 => format!("+86 {a} {b} {c}"),
            _ => m,
        },
        "messy" => match rng.below(16) {
            0 => format!("+86 {a} {b} {c}"),
            1 => format!("(+86){m}"),
            2 => format!("（+86）{m}"),
            3 => format!("+86-{m}"),
            4 => format!("86{m}"),
            5 => full_width(&m),
            6 => format!("{a}\u{3000}{b}\u{3000}{c}"),
            7 => format!("{a}-{b}-{c}"),
            8 => format!("{a}.{b}.{c}"),
            9 => format!("\t{m}"),
            10 => format!("{m}\u{3000}"),
            11 => placeholder(rng),
            _ => m,
        },
        _ => panic!("cn_mobile:{variant}"),
    }
}

pub fn phone(rng: &mut Rng) -> String {
    // Area codes with 8-digit local numbers; local numbers start with 2-8.
    let area = rng.pick(&[
        "010", "020", "021", "022", "023", "024", "025", "027", "028", "029", "0755", "0571",
        "0512", "0731", "0532", "0591", "0898",
    ]);
    let local = format!("{}{}", rng.range(2, 8), rng.digits(7));
    let (l1, l2) = local.split_at(4);
    let short = area.trim_start_matches('0');
    match rng.below(8) {
        0 => format!("({area}){local}"),
        1 => format!("（{area}）{local}"),
        2 => format!("{area} {l1} {l2}"),
        3 => format!("{area}-{local}-{}", rng.range(1, 9999)),
        4 => format!("+86 {short} {l1} {l2}"),
        5 => format!("+86-{short}-{local}"),
        _ => format!("{area}-{local}"),
    }
}

pub const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "欧阳", "司马", "诸葛",
    "上官", "覃", "闫", "尹", "龚",
];
pub const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "文", "建", "国", "志", "红", "晓", "海",
    "燕", "鹏", "宇", "浩", "欣", "怡", "梓", "涵", "子", "轩", "雨", "佳", "思",
];
pub const MINORITY_NAMES: &[&str] = &[
    "买买提·艾力",
    "古丽娜尔·吐尔逊",
    "阿卜杜拉·热合曼",
    "扎西顿珠",
    "次仁卓玛",
    "阿依古丽",
    "巴特尔",
    "乌兰图雅",
];
pub const PINYIN_SURNAMES: &[&str] = &[
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma",
    "Zhu", "Hu", "Guo", "Lin", "Luo", "Zheng", "Liang", "Ouyang",
];
pub const PINYIN_GIVEN: &[&str] = &[
    "Wei", "Fang", "Na", "Min", "Jing", "Xiaoming", "Jianhua", "Lei", "Yang", "Yong", "Jie", "Tao",
    "Haoran", "Zixuan", "Yuxin", "Siyu", "Jiahui", "Qiang",
];

pub fn chinese_name(rng: &mut Rng) -> String {
    if rng.chance(3) {
        return rng.pick(MINORITY_NAMES).to_string();
    }
    let mut name = rng.pick(SURNAMES).to_string();
    for _ in 0..rng.range(1, 2) {
        name.push_str(rng.pick(GIVEN));
    }
    name
}

pub fn person_name(rng: &mut Rng, variant: &str) -> String {
    match variant {
        "" => chinese_name(rng),
        // Old systems pad two-character names to three with an ideographic space.
        "padded" => {
            let n = chinese_name(rng);
            let cs: Vec<char> = n.chars().collect();
            if cs.len() == 2 {
                format!("{}\u{3000}{}", cs[0], cs[1])
            } else {
                n
            }
        }
        "pinyin" => {
            let (s, g) = (rng.pick(PINYIN_SURNAMES), rng.pick(PINYIN_GIVEN));
            match rng.below(4) {
                0 => format!("{g} {s}"),
                1 => format!("{} {g}", s.to_uppercase()),
                2 => format!("{s}, {g}"),
                _ => format!("{s} {g}"),
            }
        }
        _ => panic!("person_name:{variant}"),
    }
}

pub fn email(rng: &mut Rng) -> String {
    let domain = rng.pick(&[
        "qq.com",
        "163.com",
        "126.com",
        "sina.com",
        "sohu.com",
        "foxmail.com",
        "139.com",
        "yeah.net",
        "aliyun.com",
        "gmail.com",
        "outlook.com",
        "hotmail.com",
        "xinhua-tech.com.cn",
    ]);
    let s = rng.pick(PINYIN_SURNAMES).to_lowercase();
    let g = rng.pick(PINYIN_GIVEN).to_lowercase();
    let local = match rng.below(7) {
        0 => format!("{}", rng.range(10_000, 3_999_999_999)),
        1 => mobile(rng),
        2 => format!("{s}.{g}"),
        3 => format!("{g}_{s}{}", rng.range(1, 99)),
        4 => format!("{s}{g}{}", rng.range(1970, 2005)),
        5 => format!("{}{s}", &g[..1]),
        _ => format!("{s}{g}"),
    };
    match rng.below(15) {
        0 => format!("{local}@{}", domain.to_uppercase()),
        1 => format!(" {local}@{domain} "),
        _ => format!("{local}@{domain}"),
    }
}

/// (province, city, district, roads)
pub const PLACES: &[(&str, &str, &str, &[&str])] = &[
    ("北京市", "", "朝阳区", &["建国路", "朝阳北路", "望京街"]),
    ("北京市", "", "海淀区", &["中关村大街", "学院路", "知春路"]),
    ("上海市", "", "浦东新区", &["世纪大道", "碧波路", "张杨路"]),
    ("上海市", "", "徐汇区", &["漕溪北路", "肇嘉浜路"]),
    (
        "广东省",
        "深圳市",
        "南山区",
        &["科技园南路", "深南大道", "高新南七道"],
    ),
    (
        "广东省",
        "广州市",
        "天河区",
        &["天河路", "体育西路", "黄埔大道西"],
    ),
    (
        "浙江省",
        "杭州市",
        "西湖区",
        &["文一西路", "文三路", "西溪路"],
    ),
    ("江苏省", "南京市", "鼓楼区", &["中山北路", "湖南路"]),
    (
        "四川省",
        "成都市",
        "武侯区",
        &["人民南路四段", "天府大道北段"],
    ),
    ("湖北省", "武汉市", "洪山区", &["珞喻路", "雄楚大道"]),
    ("陕西省", "西安市", "雁塔区", &["长安南路", "科技路"]),
    ("山东省", "青岛市", "市南区", &["香港中路", "山东路"]),
    ("福建省", "厦门市", "思明区", &["湖滨南路", "厦禾路"]),
    (
        "新疆维吾尔自治区",
        "乌鲁木齐市",
        "天山区",
        &["解放北路", "新华南路"],
    ),
    (
        "内蒙古自治区",
        "呼和浩特市",
        "新城区",
        &["新华大街", "兴安北路"],
    ),
];
pub const ESTATES: &[&str] = &[
    "阳光花园",
    "锦绣家园",
    "万科城",
    "碧桂园",
    "幸福里小区",
    "翠苑一区",
];

pub fn chinese_address(rng: &mut Rng) -> Vec<String> {
    let (province, city, district, roads) = PLACES[rng.below(PLACES.len() as u64) as usize];
    let road = rng.pick(roads);
    let number = format!("{}号", rng.range(1, 999));
    let rest = match rng.below(3) {
        0 => format!(
            "{}{}栋{}单元{}室",
            rng.pick(ESTATES),
            rng.range(1, 30),
            rng.range(1, 6),
            rng.range(101, 2805)
        ),
        1 => format!("{}号楼{}室", rng.range(1, 20), rng.range(101, 1808)),
        _ => String::new(),
    };
    let head = if rng.chance(20) {
        vec![district.to_string()]
    } else {
        vec![province.to_string(), city.to_string(), district.to_string()]
    };
    let mut parts: Vec<String> = head.into_iter().filter(|p| !p.is_empty()).collect();
    parts.push(format!("{road}{number}"));
    if !rest.is_empty() {
        parts.push(rest);
    }
    parts
}

pub fn postal_address(rng: &mut Rng, variant: &str) -> String {
    match variant {
        "" => {
            let parts = chinese_address(rng);
            let sep = if rng.chance(15) { " " } else { "" };
            parts.join(sep)
        }
        "messy" => {
            let parts = chinese_address(rng);
            match rng.below(6) {
                0 => parts.join("\u{3000}"),
                1 => parts.join("\n"),
                2 => full_width(&parts.concat()),
                3 => format!("{}（近地铁站）", parts.concat()),
                4 => placeholder(rng),
                _ => parts.concat(),
            }
        }
        "en" => {
            const EN: [(&str, &str); 4] = [
                ("Bibo Road, Pudong", "Shanghai"),
                ("Jianguo Road, Chaoyang District", "Beijing"),
                ("Keji South Road, Nanshan District", "Shenzhen"),
                ("Wenyi West Road, Xihu District", "Hangzhou"),
            ];
            let (road, city) = EN[rng.below(4) as usize];
            format!(
                "Room {}, Building {}, No. {} {road}, {city} {}",
                rng.range(101, 2805),
                rng.range(1, 20),
                rng.range(1, 999),
                rng.range(100_000, 610_000)
            )
        }
        _ => panic!("postal_address:{variant}"),
    }
}

pub fn date_of_birth(rng: &mut Rng, variant: &str) -> String {
    let (y, m, d) = date(rng, 1940, 2008);
    match variant {
        "" if rng.chance(10) => format!("{y}-{m}-{d}"),
        "" => format!("{y}-{m:02}-{d:02}"),
        "slash" => format!("{y}/{m}/{d}"),
        "cn" => format!("{y}年{m}月{d}日"),
        "compact" => format!("{y}{m:02}{d:02}"),
        "month" if rng.chance(50) => format!("{y}.{m:02}"),
        "month" => format!("{y}-{m:02}"),
        _ => panic!("date_of_birth:{variant}"),
    }
}

pub fn gender(rng: &mut Rng, variant: &str) -> String {
    let female = rng.chance(50);
    let rare = rng.chance(3);
    match variant {
        "" if rare => "未知".into(),
        "" => (if female { "女" } else { "男" }).into(),
        "word" => (if female { "Female" } else { "Male" }).into(),
        "letter" => (if female { "F" } else { "M" }).into(),
        // GB/T 2261.1: 1 male, 2 female, 0 unknown, 9 not stated.
        "code" if rare => "9".into(),
        "code" => (if female { "2" } else { "1" }).into(),
        _ => panic!("gender:{variant}"),
    }
}

pub const ETHNIC_GROUPS: &[&str] = &[
    "汉",
    "回",
    "满",
    "壮",
    "维吾尔",
    "苗",
    "彝",
    "土家",
    "藏",
    "蒙古",
    "朝鲜",
    "侗",
    "瑶",
];

pub fn ethnicity(rng: &mut Rng, variant: &str) -> String {
    let group = if rng.chance(70) {
        "汉"
    } else {
        rng.pick(ETHNIC_GROUPS)
    };
    match variant {
        "" => format!("{group}族"),
        "short" => group.to_string(),
        _ => panic!("ethnicity:{variant}"),
    }
}

pub fn religion(rng: &mut Rng) -> String {
    if rng.chance(50) {
        return "无".into();
    }
    rng.pick(&["佛教", "基督教", "伊斯兰教", "道教", "天主教"])
        .to_string()
}

pub fn health(rng: &mut Rng, variant: &str) -> String {
    let xs: &[&str] = match variant {
        "" => &[
            "高血压",
            "2型糖尿病",
            "冠心病",
            "无",
            "支气管哮喘",
            "慢性胃炎",
            "慢性乙型病毒性肝炎",
            "甲状腺结节",
            "高血压；高脂血症",
            "腰椎间盘突出",
        ],
        "allergy" => &[
            "青霉素过敏",
            "无",
            "海鲜过敏",
            "头孢类过敏",
            "磺胺类药物过敏",
            "花粉过敏",
            "否认药物过敏史",
        ],
        _ => panic!("health:{variant}"),
    };
    rng.pick(xs).to_string()
}

pub fn age(rng: &mut Rng) -> String {
    let a = rng.range(18, 85);
    if rng.chance(10) {
        format!("{a}岁")
    } else {
        a.to_string()
    }
}

/// UnionPay debit BINs of mainland banks (ICBC, ABC, CCB, BOC, CMB, BoCom, Ping An, ...).
pub const UNIONPAY_BINS: &[(&str, usize)] = &[
    ("622202", 19),
    ("621226", 19),
    ("622848", 19),
    ("621700", 19),
    ("622700", 19),
    ("621661", 19),
    ("622588", 16),
    ("621483", 16),
    ("622262", 19),
    ("623058", 19),
    ("621799", 19),
    ("622609", 16),
];

pub fn card(rng: &mut Rng, prefix: &str, len: usize) -> String {
    let body = format!("{prefix}{}", rng.digits(len - 1 - prefix.len()));
    let check = luhn_digit(&body);
    format!("{body}{check}")
}

pub fn grouped(number: &str) -> String {
    let cs: Vec<char> = number.chars().collect();
    cs.chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn bank_card(rng: &mut Rng, variant: &str) -> String {
    let (bin, len) = UNIONPAY_BINS[rng.below(UNIONPAY_BINS.len() as u64) as usize];
    let n = card(rng, bin, len);
    match variant {
        "" if rng.chance(10) => grouped(&n),
        "" => n,
        "spaced" => grouped(&n),
        _ => panic!("bank_card:{variant}"),
    }
}

pub fn credit_card(rng: &mut Rng, variant: &str) -> String {
    // Visa and Mastercard co-branded cards of mainland banks.
    let prefix = rng.pick(&["438088", "404117", "427020", "518710", "524070", "552599"]);
    let n = card(rng, prefix, 16);
    match variant {
        "" => n,
        "spaced" => grouped(&n),
        _ => panic!("credit_card:{variant}"),
    }
}

pub fn iban(rng: &mut Rng) -> String {
    let (country, bban) = match rng.below(3) {
        0 => ("DE", format!("{}{}", rng.digits(8), rng.digits(10))),
        1 => (
            "GB",
            format!(
                "{}{}",
                rng.pick(&["WEST", "NWBK", "BARC", "HBUK", "LOYD", "MIDL"]),
                rng.digits(14)
            ),
        ),
        _ => (
            "NL",
            format!("{}{}", rng.pick(&["ABNA", "INGB", "RABO"]), rng.digits(10)),
        ),
    };
    let iban = format!("{country}{}{bban}", iban_check(country, &bban));
    if rng.chance(30) { grouped(&iban) } else { iban }
}

pub fn uscc(rng: &mut Rng) -> String {
    let kind = rng.pick(&["91", "91", "91", "91", "92", "93", "12", "52", "51"]);
    let org8 = if rng.chance(40) {
        format!("MA{}", rng.chars_of(USCC_ALPHABET, 6))
    } else {
        rng.digits(8)
    };
    let org_check = gb11714_check(&org8);
    let body = format!("{kind}{}{org8}{org_check}", rng.pick(REGIONS));
    let check = gb32100_check(&body);
    format!("{body}{check}")
}

pub fn cn_passport(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => format!("G{}", rng.digits(8)),
        1 => format!(
            "E{}{}",
            rng.chars_of("ABCDEFGHJKLMNPQRSTUVWXYZ", 1),
            rng.digits(7)
        ),
        _ => format!("E{}", rng.digits(8)),
    }
}

pub fn foreign_passport(rng: &mut Rng) -> String {
    match rng.below(6) {
        // United States, United Kingdom: 9 digits.
        0 | 1 => format!("{}{}", rng.range(1, 9), rng.digits(8)),
        // Germany: 9 characters from its reduced alphabet.
        2 => format!("C{}", rng.chars_of("CFGHJKLMNPRTVWXYZ0123456789", 8)),
        // Japan: 2 letters and 7 digits.
        3 => format!(
            "T{}{}",
            rng.chars_of("ABCDEFGHJKLMNPRSTUVWXYZ", 1),
            rng.digits(7)
        ),
        // Korea: M and 8 digits.
        4 => format!("M{}", rng.digits(8)),
        // France: 2 digits, 2 letters, 5 digits.
        _ => format!(
            "{}{}{}",
            rng.digits(2),
            rng.chars_of("ABCDEFGHJKLMNPRSTUVWXYZ", 2),
            rng.digits(5)
        ),
    }
}

pub fn hk_macau_permit(rng: &mut Rng) -> String {
    if rng.chance(70) {
        format!("C{}", rng.digits(8))
    } else {
        format!(
            "C{}{}",
            rng.chars_of("ABCDEFGHJKLMNPQRSTUVWXY", 1),
            rng.digits(7)
        )
    }
}

pub fn taiwan_permit(rng: &mut Rng) -> String {
    rng.digits(8)
}

pub const PLATE_PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
pub const PLATE_LETTERS: &str = "ABCDEFGHJKLMNPQRSTUVWXYZ";

pub fn license_plate(rng: &mut Rng) -> String {
    let p = rng.chars_of(PLATE_PROVINCES, 1);
    let city = rng.chars_of("ABCDEFGHJK", 1);
    let tail = if rng.chance(25) {
        // New-energy cars: D or F and five digits.
        format!("{}{}", rng.chars_of("DF", 1), rng.digits(5))
    } else {
        let mut t = rng.digits(5);
        if rng.chance(50) {
            let i = rng.below(3) as usize;
            t.replace_range(i..i + 1, &rng.chars_of(PLATE_LETTERS, 1));
        }
        t
    };
    match rng.below(5) {
        0 => format!("{p}{city}·{tail}"),
        1 => format!("{p}{city} {tail}"),
        _ => format!("{p}{city}{tail}"),
    }
}

pub fn ip_address(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => format!("192.168.{}.{}", rng.range(0, 255), rng.range(1, 254)),
        1 => format!(
            "10.{}.{}.{}",
            rng.range(0, 255),
            rng.range(0, 255),
            rng.range(1, 254)
        ),
        2 => format!(
            "240e:{:x}:{:x}:{:x}::{:x}",
            rng.below(0x1000),
            rng.below(0x10000),
            rng.below(0x10000),
            rng.range(1, 0xffff)
        ),
        _ => format!(
            "{}.{}.{}.{}",
            rng.pick(&["114", "117", "120", "183", "223", "58", "61", "101", "36"]),
            rng.range(0, 255),
            rng.range(0, 255),
            rng.range(1, 254)
        ),
    }
}

pub fn device_id(rng: &mut Rng, variant: &str) -> String {
    match variant {
        // IMEI: 8-digit type allocation code, 6-digit serial, Luhn digit.
        "imei" => {
            let tac = format!("86{}", rng.digits(6));
            card(rng, &tac, 15)
        }
        "idfa" => {
            let h = rng.chars_of("0123456789ABCDEF", 32);
            format!(
                "{}-{}-{}-{}-{}",
                &h[..8],
                &h[8..12],
                &h[12..16],
                &h[16..20],
                &h[20..]
            )
        }
        _ => panic!("device_id:{variant}"),
    }
}

pub fn geolocation(rng: &mut Rng) -> String {
    let lng = rng.range(73_500_000, 134_700_000) as f64 / 1e6;
    let lat = rng.range(18_200_000, 53_500_000) as f64 / 1e6;
    match rng.below(3) {
        0 => format!("{lat:.6}, {lng:.6}"),
        _ => format!("{lng:.6},{lat:.6}"),
    }
}

pub fn us_ssn(rng: &mut Rng) -> String {
    let mut area = rng.range(1, 899);
    if area == 666 {
        area = 665;
    }
    let n = format!(
        "{area:03}-{:02}-{:04}",
        rng.range(1, 99),
        rng.range(1, 9999)
    );
    if rng.chance(20) {
        n.replace('-', "")
    } else {
        n
    }
}

pub fn account_id(rng: &mut Rng, variant: &str) -> String {
    match variant {
        "" => match rng.below(4) {
            0 => format!("M{}", rng.range(100_000, 999_999)),
            1 => format!("C{}{}", rng.range(2015, 2025), rng.digits(6)),
            2 => format!("VIP{}", rng.digits(7)),
            _ => format!("U{}", rng.range(10_000, 99_999_999)),
        },
        "padded" => format!("{:010}", rng.range(1, 2_000_000)),
        // WeChat openid: 28 characters, starting with o.
        "openid" => format!(
            "o{}",
            rng.chars_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
                27
            )
        ),
        _ => panic!("account_id:{variant}"),
    }
}

// Decoys.

pub fn order_no(rng: &mut Rng, variant: &str) -> String {
    let (y, m, d) = date(rng, 2023, 2025);
    match variant {
        "18" => format!("{y}{m:02}{d:02}{}", rng.digits(10)),
        "19" => format!("{}{}", rng.range(1, 4), rng.digits(18)),
        "code" => format!("DD{y}{m:02}{d:02}{}", rng.digits(6)),
        _ => panic!("order_no:{variant}"),
    }
}

pub fn remark(rng: &mut Rng) -> String {
    rng.pick(&[
        "客户要求周末送货\n请放门卫室",
        "已电话确认\n发票抬头同公司名称",
        "7天无理由退货",
        "",
        "加急",
        "赠品：手机壳×1\r\n易碎品，轻拿轻放",
        "缺货，预计3天后发出",
        "地址不详，待确认",
        "客户投诉物流慢\n已补偿优惠券10元\n处理人：客服组",
        "VIP客户，优先发货",
    ])
    .to_string()
}

pub fn decoy(rng: &mut Rng, kind: &str, variant: &str, row: usize) -> String {
    match kind {
        "seq" => (row + 1).to_string(),
        "order_no" => order_no(rng, variant),
        "leading_zeros" => format!(
            "{:0w$}",
            rng.range(1, 99_999),
            w = rng.range(6, 10) as usize
        ),
        "ean13" => {
            let body = format!("69{}", rng.digits(10));
            let check = ean13_check(&body);
            format!("{body}{check}")
        }
        "sku" => match rng.below(2) {
            0 => format!("SKU-{}", rng.digits(6)),
            _ => format!(
                "A{}-{}-{}",
                rng.digits(4),
                rng.pick(&["BLK", "WHT", "RED", "BLU"]),
                rng.pick(&["S", "M", "L", "XL", "XXL"])
            ),
        },
        "phone_model" => rng
            .pick(&[
                "iPhone 15 Pro",
                "iPhone 13",
                "HUAWEI Mate 60 Pro",
                "HUAWEI P40",
                "Xiaomi 14",
                "Redmi K70",
                "OPPO Reno11",
                "vivo X100",
                "Honor 90",
                "Galaxy S23",
                "MI 8",
                "nova 12",
            ])
            .to_string(),
        "phone_brand" => rng
            .pick(&[
                "华为", "小米", "OPPO", "vivo", "Apple", "荣耀", "三星", "魅族", "一加",
            ])
            .to_string(),
        "id_type" => rng
            .pick(&[
                "身份证",
                "居民身份证",
                "护照",
                "港澳居民来往内地通行证",
                "台湾居民来往大陆通行证",
                "军官证",
                "外国人永久居留身份证",
            ])
            .to_string(),
        "product_name" => rng
            .pick(&[
                "无线蓝牙耳机",
                "保温杯 500ml",
                "纯棉T恤 白色 XL",
                "有机大米 5kg",
                "儿童护眼台灯",
                "手机壳（透明）",
                "洗衣凝珠 52颗",
                "男士商务双肩包",
            ])
            .to_string(),
        "company_name" => format!(
            "{}{}{}{}",
            rng.pick(&["北京", "上海", "深圳市", "杭州", "广州", "成都"]),
            rng.pick(&["华信", "恒达", "新创", "嘉禾", "博远", "鼎盛", "天宇"]),
            rng.pick(&["科技", "贸易", "网络技术", "餐饮管理", "物流", "电子商务"]),
            rng.pick(&["有限公司", "股份有限公司", "有限责任公司"])
        ),
        "bank_name" => format!(
            "{}{}支行",
            rng.pick(&[
                "中国工商银行",
                "中国农业银行",
                "中国建设银行",
                "中国银行",
                "招商银行",
                "交通银行"
            ]),
            rng.pick(&["北京朝阳", "上海浦东", "深圳南山", "杭州西湖", "成都武侯"])
        ),
        "card_type" => rng
            .pick(&["借记卡", "信用卡", "准贷记卡", "储蓄卡"])
            .to_string(),
        "datetime" => {
            let (y, m, d) = date(rng, 2023, 2025);
            format!(
                "{y}-{m:02}-{d:02} {:02}:{:02}:{:02}",
                rng.below(24),
                rng.below(60),
                rng.below(60)
            )
        }
        "date_recent" => {
            let (y, m, d) = date(rng, 2023, 2025);
            format!("{y}-{m:02}-{d:02}")
        }
        "amount" => format!("{}.{:02}", rng.range(0, 9999), rng.below(100)),
        "qty" => rng.range(1, 20).to_string(),
        "status" => rng
            .pick(&["待付款", "待发货", "已发货", "已完成", "已取消", "退款中"])
            .to_string(),
        "express_no" => match rng.below(3) {
            0 => format!("SF{}", rng.digits(13)),
            1 => format!("YT{}", rng.digits(13)),
            _ => format!("JDV{}", rng.digits(12)),
        },
        "express_company" => rng
            .pick(&[
                "顺丰速运",
                "中通快递",
                "圆通速递",
                "韵达快递",
                "京东物流",
                "EMS",
            ])
            .to_string(),
        "invoice_no" => rng.digits(8),
        "invoice_code" => format!(
            "0{}{}",
            rng.pick(&["44031", "11001", "31001"]),
            rng.digits(6)
        ),
        "remark" => remark(rng),
        "product_en" => rng
            .pick(&[
                "Wireless Earbuds",
                "Travel Mug",
                "Cotton T-Shirt",
                "Smart Watch",
                "Desk Lamp",
                "Yoga Mat",
                "Phone Case",
            ])
            .to_string(),
        "brand_en" => rng
            .pick(&[
                "Li Ning",
                "Anta Sports",
                "New Balance",
                "Under Armour",
                "Adidas Originals",
                "Nike",
            ])
            .to_string(),
        "city_en" => rng
            .pick(&[
                "Shanghai",
                "Beijing",
                "Hong Kong",
                "Shenzhen",
                "New York",
                "San Francisco",
                "Kuala Lumpur",
            ])
            .to_string(),
        "file_name" => format!("IMG_{}{}.jpg", rng.range(2019, 2025), rng.digits(4)),
        "mobile_os" => rng.pick(&["Android", "iOS", "HarmonyOS"]).to_string(),
        "phone_type" => rng.pick(&["手机", "座机", "传真"]).to_string(),
        "shop_name" => format!(
            "{}{}",
            rng.pick(&["小米", "良品", "三只松鼠", "南极人", "优衣库"]),
            rng.pick(&["官方旗舰店", "专卖店", "自营店"])
        ),
        "flag01" => rng.below(2).to_string(),
        "yes_no" => rng.pick(&["是", "否"]).to_string(),
        "app_version" => format!(
            "{}.{}.{}",
            rng.range(1, 9),
            rng.range(0, 20),
            rng.range(0, 9)
        ),
        "md5" => rng.chars_of("0123456789abcdef", 32),
        // Negative columns: checksummed shapes with the check character wrong.
        "bad_resident_id" => {
            let id = resident_id(rng);
            let wrong = other_char(rng, "0123456789X", id.chars().last().unwrap());
            format!("{}{wrong}", &id[..17])
        }
        "bad_bank_card" => {
            let (bin, len) = UNIONPAY_BINS[rng.below(UNIONPAY_BINS.len() as u64) as usize];
            let n = card(rng, bin, len);
            let wrong = other_char(rng, "0123456789", n.chars().last().unwrap());
            format!("{}{wrong}", &n[..n.len() - 1])
        }
        "bad_uscc" => {
            let code = uscc(rng);
            let wrong = other_char(rng, USCC_ALPHABET, code.chars().last().unwrap());
            format!("{}{wrong}", &code[..17])
        }
        // 11 digits in the unallocated 10x-12x ranges.
        "bad_mobile" => format!("1{}{}", rng.range(0, 2), rng.digits(9)),
        "bad_imei" => {
            let n = device_id(rng, "imei");
            let wrong = other_char(rng, "0123456789", n.chars().last().unwrap());
            format!("{}{wrong}", &n[..14])
        }
        _ => panic!("unknown values generator {kind:?}"),
    }
}

pub fn other_char(rng: &mut Rng, alphabet: &str, not: char) -> char {
    let others: Vec<char> = alphabet.chars().filter(|&c| c != not).collect();
    others[rng.below(others.len() as u64) as usize]
}

pub fn value(rng: &mut Rng, generator: &str, row: usize) -> String {
    let (kind, variant) = generator.split_once(':').unwrap_or((generator, ""));
    match kind {
        "person_name" => person_name(rng, variant),
        "cn_resident_id" => cn_resident_id(rng, variant),
        "cn_mobile" => cn_mobile(rng, variant),
        "phone" => phone(rng),
        "email" => email(rng),
        "postal_address" => postal_address(rng, variant),
        "date_of_birth" => date_of_birth(rng, variant),
        "gender" => gender(rng, variant),
        "ethnicity" => ethnicity(rng, variant),
        "religion" => religion(rng),
        "health" => health(rng, variant),
        "age" => age(rng),
        "bank_card" => bank_card(rng, variant),
        "credit_card" => credit_card(rng, variant),
        "iban" => iban(rng),
        "cn_uscc" => uscc(rng),
        "cn_passport" => cn_passport(rng),
        "passport" if variant == "foreign" => foreign_passport(rng),
        "hk_macau_permit" => hk_macau_permit(rng),
        "taiwan_permit" => taiwan_permit(rng),
        "license_plate" => license_plate(rng),
        "ip_address" => ip_address(rng),
        "device_id" => device_id(rng, variant),
        "geolocation" => geolocation(rng),
        "us_ssn" => us_ssn(rng),
        "account_id" => account_id(rng, variant),
        _ => decoy(rng, kind, variant, row),
    }
}
