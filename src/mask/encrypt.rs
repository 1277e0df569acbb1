//! `encrypt`: AES-256-GCM, reversible with `steward unmask` and the same key.
//!
//! ## What it does
//! Each value is encrypted with a random 96-bit nonce and written as
//! `enc:v1:<key id>:<base64(nonce || ciphertext || tag)>`. Equal values give different
//! ciphertexts (use `tokenize` to join). Decryption checks the key id and the GCM tag:
//! a wrong key or a changed character is an error, never garbage.

use aes_gcm::aead::rand_core::RngCore;
use aes_gcm::aead::{Aead, AeadInPlace, OsRng};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;

use super::keys::Key;

pub const PREFIX: &str = "enc:v1:";

fn cipher(key: &Key) -> &Aes256Gcm {
    key.aes()
}

/// Random 96-bit nonces, read from the operating system's CSPRNG many at a time (one
/// `getrandom` call per [`Nonces::BATCH`] values instead of one per value).
pub struct Nonces {
    buf: Vec<u8>,
    used: usize,
}

impl Nonces {
    pub const BATCH: usize = 4096;

    pub fn new() -> Self {
        Nonces {
            buf: vec![0; 12 * Self::BATCH],
            used: 12 * Self::BATCH,
        }
    }

    pub fn fresh(&mut self) -> [u8; 12] {
        if self.used == self.buf.len() {
            OsRng.fill_bytes(&mut self.buf);
            self.used = 0;
        }
        let mut n = [0u8; 12];
        n.copy_from_slice(&self.buf[self.used..self.used + 12]);
        // Each nonce is used once: wipe it from the buffer.
        self.buf[self.used..self.used + 12].fill(0);
        self.used += 12;
        n
    }
}

impl Default for Nonces {
    fn default() -> Self {
        Self::new()
    }
}

pub fn encrypt(key: &Key, value: &str) -> String {
    let mut out = String::new();
    encrypt_into(
        key,
        value,
        &Nonces::new().fresh(),
        &mut Vec::new(),
        &mut out,
    );
    out
}

/// [`encrypt`] with the given (fresh, random) nonce, appended to `out`; `scratch` holds
/// nonce || ciphertext || tag between values, so no buffer is allocated per value.
pub fn encrypt_into(
    key: &Key,
    value: &str,
    nonce: &[u8; 12],
    scratch: &mut Vec<u8>,
    out: &mut String,
) {
    scratch.clear();
    scratch.extend_from_slice(nonce);
    scratch.extend_from_slice(value.as_bytes());
    let tag = cipher(key)
        .encrypt_in_place_detached(Nonce::from_slice(nonce), b"", &mut scratch[12..])
        .expect("AES-GCM encryption of an in-memory buffer does not fail");
    scratch.extend_from_slice(&tag);
    out.push_str(PREFIX);
    out.push_str(key.id());
    out.push(':');
    base64::engine::general_purpose::STANDARD.encode_string(&scratch[..], out);
    // The plaintext was overwritten in place; the ciphertext need not be kept either.
    scratch.fill(0);
}

/// Why a value could not be decrypted (never quotes the value).
#[derive(Debug, PartialEq, Eq)]
pub enum DecryptError {
    NotEncrypted,
    /// Encrypted with a key none of the given keys has the id of.
    UnknownKey(String),
    /// Tag check failed: tampered, truncated or wrong key material.
    Invalid,
}

pub fn decrypt(keys: &[Key], value: &str) -> Result<String, DecryptError> {
    let rest = value
        .strip_prefix(PREFIX)
        .ok_or(DecryptError::NotEncrypted)?;
    let (id, data) = rest.split_once(':').ok_or(DecryptError::Invalid)?;
    let key = keys
        .iter()
        .find(|k| k.id() == id)
        .ok_or_else(|| DecryptError::UnknownKey(id.to_string()))?;
    let blob = base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|_| DecryptError::Invalid)?;
    if blob.len() < 12 + 16 {
        return Err(DecryptError::Invalid);
    }
    let (nonce, ct) = blob.split_at(12);
    let plain = cipher(key)
        .decrypt(Nonce::from_slice(nonce), ct)
        .map_err(|_| DecryptError::Invalid)?;
    String::from_utf8(plain).map_err(|_| DecryptError::Invalid)
}

/// Where `mask`'s `spans` method writes a ciphertext inside a text: `[enc:v1:...]`.
pub const EMBEDDED_OPEN: &str = "[enc:v1:";

/// A text with every `[enc:v1:...]` ciphertext `spans` wrote inside it decrypted in
/// place; `None` when the text holds none.
pub fn decrypt_embedded(keys: &[Key], text: &str) -> Result<Option<String>, DecryptError> {
    if !text.contains(EMBEDDED_OPEN) {
        return Ok(None);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(EMBEDDED_OPEN) {
        out.push_str(&rest[..at]);
        let inner = &rest[at + 1..];
        let end = inner.find(']').ok_or(DecryptError::Invalid)?;
        out.push_str(&decrypt(keys, &inner[..end])?);
        rest = &inner[end + 1..];
    }
    out.push_str(rest);
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mask::keys::test_key;

    #[test]
    fn ciphertexts_inside_text_round_trip() {
        let k = test_key(3);
        let text = format!(
            "客户电话[{}]，邮箱 [{}] 下午联系",
            encrypt(&k, "13812345678"),
            encrypt(&k, "a@b.cn")
        );
        assert_eq!(
            decrypt_embedded(std::slice::from_ref(&k), &text)
                .unwrap()
                .as_deref(),
            Some("客户电话13812345678，邮箱 a@b.cn 下午联系")
        );
        assert_eq!(
            decrypt_embedded(std::slice::from_ref(&k), "no ciphertext").unwrap(),
            None
        );
        assert!(decrypt_embedded(&[k], "cut [enc:v1:abc").is_err());
    }

    #[test]
    fn round_trip_wrong_key_and_tampering() {
        let k = test_key(3);
        let e = encrypt(&k, "张三 13812346138");
        assert!(e.starts_with(&format!("enc:v1:{}:", k.id())));
        assert_ne!(e, encrypt(&k, "张三 13812346138"));
        // The in-place form with a given nonce equals the allocating AEAD call.
        let nonce = Nonces::new().fresh();
        let mut out = String::new();
        encrypt_into(&k, "张三", &nonce, &mut Vec::new(), &mut out);
        let mut blob = nonce.to_vec();
        blob.extend(
            cipher(&k)
                .encrypt(Nonce::from_slice(&nonce), "张三".as_bytes())
                .unwrap(),
        );
        assert_eq!(
            out,
            format!(
                "{PREFIX}{}:{}",
                k.id(),
                base64::engine::general_purpose::STANDARD.encode(blob)
            )
        );
        let mut nonces = Nonces::new();
        let first: Vec<[u8; 12]> = (0..Nonces::BATCH + 2).map(|_| nonces.fresh()).collect();
        let distinct: std::collections::HashSet<_> = first.iter().collect();
        assert_eq!(distinct.len(), first.len());
        assert_eq!(
            decrypt(std::slice::from_ref(&k), &e).unwrap(),
            "张三 13812346138"
        );
        assert!(matches!(
            decrypt(&[test_key(4)], &e),
            Err(DecryptError::UnknownKey(_))
        ));
        let mut t = e.clone().into_bytes();
        let last = t.len() - 3;
        t[last] = if t[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            decrypt(&[k], &String::from_utf8(t).unwrap()),
            Err(DecryptError::Invalid)
        );
    }
}
