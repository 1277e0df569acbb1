//! `person_name`: personal names.
//!
//! Strong: 2-4 Chinese characters starting with a common surname (the most frequent
//! ~400 single surnames, covering well over 95 % of the population, and the common
//! compound ones: 欧阳, 司马, ...), not ending in a place or organisation marker
//! (市, 省, 区, 路, 公司, ...). Weak: 2-4 capitalised Latin words (`Zhang Wei`,
//! `Mary Smith`): city and product names look the same, so they need a name header.

use super::{Detector, Match};
use crate::classify::category::*;
use crate::entry::Status;

pub const DETECTOR: Detector = Detector {
    category: Category {
        id: "person_name",
        pipl_sensitive: false,
        gdpr_special: false,
        gbt_group: "sensitive",
        default_mask: DefaultMask::Partial,
        partial: PartialShape::AsSample,
        sample: SampleShape::NameInitial,
        key: KeyShape::AsSample,
        token: TokenInput::AsWritten,
        minors: false,
        suggest: Suggest::Nothing,
        risk: RiskRole::Direct,
    },
    validator: "Chinese surname + 1-3 characters, or capitalised Latin words",
    headers: &[
        "姓名",
        "名字",
        "客户姓名",
        "联系人",
        "收货人",
        "持卡人",
        "真实姓名",
        "xm",
        "khxm",
        "lxr",
        "shr",
        "name",
        "fullname",
        "customername",
        "firstname",
        "lastname",
        "surname",
        "givenname",
        "contactname",
        "contact",
        "cardholder",
        "holder",
    ],
    check,
    alone: Some(0.85),
    with_header: 0.6,
    specificity: 5,
    status: Status::Stable,
    since: "0.1.0",
};

const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由";

const COMPOUND: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "端木", "西门", "南宫", "独孤", "呼延", "万俟", "钟离", "澹台", "公冶",
];

/// Endings of place and organisation names, which are not personal names.
const NOT_NAME_ENDINGS: &[&str] = &[
    "市", "省", "区", "县", "路", "镇", "村", "街", "号", "店", "司", "部", "厂", "局", "院", "校",
    "行", "所", "馆", "站", "场", "城", "州", "山", "湖", "江", "河",
];

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || c == '·'
}

pub(crate) fn chinese_name(v: &str) -> bool {
    let n = v.chars().count();
    if !(2..=4).contains(&n) || !v.chars().all(is_cjk) {
        return false;
    }
    if NOT_NAME_ENDINGS.iter().any(|e| v.ends_with(e)) {
        return false;
    }
    let first = v.chars().next().unwrap_or(' ');
    SURNAMES.contains(first) || (n >= 3 && COMPOUND.iter().any(|c| v.starts_with(c)))
}

fn latin_name(v: &str) -> bool {
    let words: Vec<&str> = v.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            let mut cs = w.chars();
            cs.next().is_some_and(|c| c.is_uppercase())
                && w.chars().count() >= 2
                && cs.all(|c| c.is_lowercase() || c == '-' || c == '\'' || c == '.')
        })
}

fn check(v: &str) -> Match {
    let v = v.trim();
    if chinese_name(v) {
        Match::Strong
    } else if latin_name(v) {
        Match::Weak
    } else {
        Match::No
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_not_names() {
        for v in ["张伟", "欧阳娜娜", "王小明"] {
            assert_eq!(check(v), Match::Strong, "{v}");
        }
        assert_eq!(check("Zhang Wei"), Match::Weak);
        for v in ["北京市", "成都市", "苹果手机壳", "男", "C00000001", "1234"] {
            assert_eq!(check(v), Match::No, "{v}");
        }
    }
}
