use super::*;

fn spans(text: &str) -> Vec<(&str, &'static str)> {
    find(text)
        .into_iter()
        .map(|s| (&text[s.start..s.end], s.category))
        .collect()
}

#[test]
fn smoke() {
    assert_eq!(
        spans("客户电话13812345678，下午联系"),
        vec![("13812345678", "cn_mobile")]
    );
}
