//! `encrypt`: AES-256-GCM, reversible with `steward unmask` and the same key.
//!
//! ## What it does
//! Each value is encrypted with a random 96-bit nonce and written as
//! `enc:v1:<key id>:<base64(nonce || ciphertext || tag)>`. Equal values give different
//! ciphertexts (use `tokenize` to join). Decryption checks the key id and the GCM tag:
//! a wrong key or a changed character is an error, never garbage.

use aes_gcm::aead::{Aead, AeadCore, OsRng};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;

use super::keys::Key;

pub const PREFIX: &str = "enc:v1:";

fn cipher(key: &Key) -> &Aes256Gcm {
    key.aes()
}

pub fn encrypt(key: &Key, value: &str) -> String {
    let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
    let ct = cipher(key)
        .encrypt(&nonce, value.as_bytes())
        .expect("AES-GCM encryption of an in-memory buffer does not fail");
    let mut blob = nonce.to_vec();
    blob.extend(ct);
    format!(
        "{PREFIX}{}:{}",
        key.id(),
        base64::engine::general_purpose::STANDARD.encode(blob)
    )
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mask::keys::test_key;

    #[test]
    fn round_trip_wrong_key_and_tampering() {
        let k = test_key(3);
        let e = encrypt(&k, "张三 13812346138");
        assert!(e.starts_with(&format!("enc:v1:{}:", k.id())));
        assert_ne!(e, encrypt(&k, "张三 13812346138"));
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
