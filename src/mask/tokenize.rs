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
//! In a column classified `cn_mobile` the mask pipeline tokenizes a mobile's 11
//! canonical digits (`validate::phone`), so `+86 138 1234 6138` and `13812346138` get
//! the same token.
//! ## Limits
//! Tokens are not reversible (use `encrypt` for that). A format-preserving token of a
//! mobile number can look like a valid mobile number.

use super::hmac_sha256::Message;
use super::keys::Key;

const TOKEN_DOMAIN: &[u8] = b"steward-token-v1";
const FPT_DOMAIN: &[u8] = b"steward-fpt-v1";

/// HMAC(key, domain || counter (4 bytes, little-endian) || value).
fn mac(key: &Key, domain: &[u8], value: &str, counter: u32) -> [u8; 32] {
    key.hmac_states()
        .mac([domain, &counter.to_le_bytes(), value.as_bytes()])
}

/// `tok_` + 24 hex digits.
pub fn token(key: &Key, value: &str) -> String {
    let mut out = String::with_capacity(28);
    token_into(key, value, &mut out);
    out
}

/// [`token`], appended to `out` (hex-encoded on the stack).
pub fn token_into(key: &Key, value: &str, out: &mut String) {
    push_token(&mac(key, TOKEN_DOMAIN, value, 0), out);
}

fn push_token(mac: &[u8; 32], out: &mut String) {
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
    let blocks: Vec<[u8; 32]> = (0..preserving_macs(value))
        .map(|c| mac(key, FPT_DOMAIN, value, c))
        .collect();
    preserving_from(value, &blocks, out);
}

/// Characters a format-preserving token replaces (the others are kept).
fn replaced(c: char) -> bool {
    c.is_ascii_alphanumeric() || ('\u{4e00}'..='\u{9fa5}').contains(&c)
}

/// HMAC blocks a format-preserving token of `value` uses: 4 bytes per replaced
/// character, 32 per block.
fn preserving_macs(value: &str) -> u32 {
    value.chars().filter(|&c| replaced(c)).count().div_ceil(8) as u32
}

/// The format-preserving token of `value` from its HMAC blocks (counter 0, 1, ...).
fn preserving_from(value: &str, blocks: &[[u8; 32]], out: &mut String) {
    let mut words = blocks
        .iter()
        .flat_map(|b| b.chunks_exact(4))
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    let mut next = || {
        words
            .next()
            .expect("one HMAC block per 8 replaced characters")
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

/// Tokens of many values at once (the HMACs two at a time, see `hmac_sha256`): each
/// value's token is appended to `out` and its end offset pushed to `ends`. Equal to
/// [`token_into`] / [`token_preserving_into`] value by value.
pub(crate) fn tokens_into(
    key: &Key,
    format_preserving: bool,
    values: &[&str],
    out: &mut String,
    ends: &mut Vec<usize>,
) {
    let h = key.hmac_states();
    let mut macs = Vec::new();
    if !format_preserving {
        let messages: Vec<Message<'_>> = values
            .iter()
            .map(|v| [TOKEN_DOMAIN, &[0; 4], v.as_bytes()])
            .collect();
        h.macs(&messages, &mut macs);
        for m in &macs {
            push_token(m, out);
            ends.push(out.len());
        }
        return;
    }
    let needed: Vec<u32> = values.iter().map(|v| preserving_macs(v)).collect();
    let most = needed.iter().copied().max().unwrap_or(0);
    let counters: Vec<[u8; 4]> = (0..most).map(u32::to_le_bytes).collect();
    let messages: Vec<Message<'_>> = values
        .iter()
        .zip(&needed)
        .flat_map(|(v, &n)| {
            counters[..n as usize]
                .iter()
                .map(move |c| [FPT_DOMAIN, c.as_slice(), v.as_bytes()])
        })
        .collect();
    h.macs(&messages, &mut macs);
    let mut at = 0;
    for (v, &n) in values.iter().zip(&needed) {
        preserving_from(v, &macs[at..at + n as usize], out);
        at += n as usize;
        ends.push(out.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mask::keys::test_key;
    use hmac::Mac;

    /// The definition, with the `hmac` crate.
    fn reference_mac(key: &Key, domain: &[u8], value: &str, counter: u32) -> [u8; 32] {
        let mut m = key.hmac();
        m.update(domain);
        m.update(&counter.to_le_bytes());
        m.update(value.as_bytes());
        m.finalize().into_bytes().into()
    }

    #[test]
    fn token_is_tok_and_the_first_96_bits_in_hex() {
        let k = test_key(1);
        let t = token(&k, "x");
        assert_eq!(
            t,
            format!(
                "tok_{}",
                hex::encode(&reference_mac(&k, b"steward-token-v1", "x", 0)[..12])
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
                stream.extend(reference_mac(key, b"steward-fpt-v1", value, counter));
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

    /// Values of every length from 0 to 130 bytes (one to three SHA-256 blocks after the
    /// 20-byte prefix, incl. the message lengths 55, 56 and 64), ASCII and Chinese, under
    /// random keys: batch and single tokens equal the `hmac` crate's definition.
    #[test]
    fn tokens_equal_the_hmac_crate_definition_for_random_keys_and_lengths() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let alphabet: Vec<char> = "0123456789abcxyzABCXYZ-@. 张伟北京市朝阳区"
            .chars()
            .collect();
        for _ in 0..20 {
            let bytes: Vec<u8> = (0..32).map(|_| next() as u8).collect();
            let text = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &bytes);
            let k = Key::from_base64(&text, "test").unwrap();
            let mut values: Vec<String> = Vec::new();
            for len in 0..=130usize {
                let mut v = String::new();
                while v.len() < len {
                    let c = alphabet[(next() % alphabet.len() as u64) as usize];
                    if v.len() + c.len_utf8() > len {
                        v.push('x');
                    } else {
                        v.push(c);
                    }
                }
                assert_eq!(v.len(), len);
                values.push(v);
            }
            let refs: Vec<&str> = values.iter().map(String::as_str).collect();
            for fpe in [false, true] {
                let (mut out, mut ends) = (String::new(), Vec::new());
                tokens_into(&k, fpe, &refs, &mut out, &mut ends);
                assert_eq!(ends.len(), refs.len());
                let mut start = 0;
                for (v, end) in refs.iter().zip(ends) {
                    let want = if fpe {
                        token_preserving_queue(&k, v)
                    } else {
                        format!(
                            "tok_{}",
                            hex::encode(&reference_mac(&k, b"steward-token-v1", v, 0)[..12])
                        )
                    };
                    assert_eq!(&out[start..end], want, "fpe {fpe}, {} bytes", v.len());
                    let single = if fpe {
                        token_preserving(&k, v)
                    } else {
                        token(&k, v)
                    };
                    assert_eq!(single, want);
                    start = end;
                }
            }
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
