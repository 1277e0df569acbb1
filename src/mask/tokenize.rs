//! `tokenize`: keyed HMAC-SHA256 tokens.
//!
//! ## What it does
//! Replaces a value with a token derived from HMAC-SHA256(key, value): the same value
//! and key always give the same token, so joins across files still work, and without
//! the key a token cannot be recomputed or guessed from candidate values (never an
//! unkeyed hash). Default form `tok_` + 24 hex digits (96 bits). Format-preserving form:
//! same length, digits stay digits, ASCII letters stay letters of the same case, CJK
//! characters stay CJK, everything else is kept, for systems that validate formats.
//! ## Example
//! | value | token | format-preserving |
//! |---|---|---|
//! | `13812346138` | `tok_6f1c...` | `58302917462` |
//! ## Limits
//! Tokens are not reversible (use `encrypt` for that). A format-preserving token of a
//! mobile number can look like a valid mobile number.

use hmac::Mac;

use super::keys::Key;

fn mac(key: &Key, domain: &str, value: &str, counter: u32) -> [u8; 32] {
    let mut m = key.hmac();
    m.update(domain.as_bytes());
    m.update(&counter.to_le_bytes());
    m.update(value.as_bytes());
    m.finalize().into_bytes().into()
}

/// `tok_` + 24 hex digits.
pub fn token(key: &Key, value: &str) -> String {
    let mut out = String::with_capacity(28);
    token_into(key, value, &mut out);
    out
}

/// [`token`], appended to `out` (hex-encoded on the stack).
pub fn token_into(key: &Key, value: &str, out: &mut String) {
    let mac = mac(key, "steward-token-v1", value, 0);
    let mut hex = [0u8; 24];
    hex::encode_to_slice(&mac[..12], &mut hex).expect("24 hex digits for 12 bytes");
    out.push_str("tok_");
    out.push_str(std::str::from_utf8(&hex).expect("hex digits are ASCII"));
}

/// A token with the value's length and character classes.
pub fn token_preserving(key: &Key, value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    token_preserving_into(key, value, &mut out);
    out
}

/// [`token_preserving`], appended to `out`. Each replaced character takes the next 4
/// bytes of HMAC(key, domain || counter || value), counter 0, 1, ...
pub fn token_preserving_into(key: &Key, value: &str, out: &mut String) {
    let mut block = [0u8; 32];
    let mut used = block.len();
    let mut counter = 0;
    let mut next = || -> u32 {
        if used == block.len() {
            block = mac(key, "steward-fpt-v1", value, counter);
            counter += 1;
            used = 0;
        }
        let b = &block[used..used + 4];
        used += 4;
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    };
    for c in value.chars() {
        out.push(if c.is_ascii_digit() {
            char::from(b'0' + (next() % 10) as u8)
        } else if c.is_ascii_lowercase() {
            char::from(b'a' + (next() % 26) as u8)
        } else if c.is_ascii_uppercase() {
            char::from(b'A' + (next() % 26) as u8)
        } else if ('\u{4e00}'..='\u{9fa5}').contains(&c) {
            char::from_u32(0x4e00 + next() % 0x51a6).unwrap_or(c)
        } else {
            c
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mask::keys::test_key;

    #[test]
    fn token_is_tok_and_the_first_96_bits_in_hex() {
        let k = test_key(1);
        let t = token(&k, "x");
        assert_eq!(
            t,
            format!(
                "tok_{}",
                hex::encode(&mac(&k, "steward-token-v1", "x", 0)[..12])
            )
        );
    }

    /// The first definition (a byte queue refilled with one HMAC at a time), which the
    /// block version must equal.
    fn token_preserving_queue(key: &Key, value: &str) -> String {
        let mut stream: Vec<u8> = Vec::new();
        let mut counter = 0;
        let mut next = |stream: &mut Vec<u8>| -> u32 {
            if stream.len() < 4 {
                stream.extend(mac(key, "steward-fpt-v1", value, counter));
                counter += 1;
            }
            let b: Vec<u8> = stream.drain(..4).collect();
            u32::from_le_bytes([b[0], b[1], b[2], b[3]])
        };
        value
            .chars()
            .map(|c| {
                if c.is_ascii_digit() {
                    char::from(b'0' + (next(&mut stream) % 10) as u8)
                } else if c.is_ascii_lowercase() {
                    char::from(b'a' + (next(&mut stream) % 26) as u8)
                } else if c.is_ascii_uppercase() {
                    char::from(b'A' + (next(&mut stream) % 26) as u8)
                } else if ('\u{4e00}'..='\u{9fa5}').contains(&c) {
                    char::from_u32(0x4e00 + next(&mut stream) % 0x51a6).unwrap_or(c)
                } else {
                    c
                }
            })
            .collect()
    }

    #[test]
    fn block_stream_equals_the_queue_definition() {
        let k = test_key(9);
        for v in [
            "",
            "13812346138",
            "11010519491231002X",
            "zhang.wei@example.com",
            "北京市朝阳区建国路88号院3号楼2单元1501室",
            "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9",
        ] {
            assert_eq!(
                token_preserving(&k, v),
                token_preserving_queue(&k, v),
                "{v}"
            );
        }
    }

    #[test]
    fn deterministic_keyed_and_format_preserving() {
        let (k1, k2) = (test_key(1), test_key(2));
        assert_eq!(token(&k1, "13812346138"), token(&k1, "13812346138"));
        assert_ne!(token(&k1, "13812346138"), token(&k2, "13812346138"));
        assert_ne!(token(&k1, "13812346138"), token(&k1, "13812346139"));
        let t = token_preserving(&k1, "11010519491231002X-张三");
        assert_eq!(t.chars().count(), "11010519491231002X-张三".chars().count());
        let classes = |s: &str| -> Vec<u8> {
            s.chars()
                .map(|c| match c {
                    '0'..='9' => 0,
                    'a'..='z' => 1,
                    'A'..='Z' => 2,
                    '\u{4e00}'..='\u{9fa5}' => 3,
                    _ => 4,
                })
                .collect()
        };
        assert_eq!(classes(&t), classes("11010519491231002X-张三"));
        assert_ne!(t, "11010519491231002X-张三");
    }
}
