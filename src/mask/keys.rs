//! Keys for `tokenize`, `encrypt` and `shift`: 32 bytes, given as base64 in a key file
//! (`--key-file`) or in `STEWARD_KEY`, never on the command line. A key's id is the first
//! 16 hex digits of SHA-256(key); outputs record it so the right key can be found, and
//! `unmask` refuses a key with another id. The bytes never appear in Debug output.

use std::path::Path;

use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// A 32-byte masking key.
#[derive(Clone)]
pub struct Key {
    id: String,
    /// HMAC-SHA256 with this key, its inner and outer pads already hashed: cloning it
    /// per value saves two of the four SHA-256 blocks a short value costs.
    hmac: hmac::Hmac<Sha256>,
    /// AES-256-GCM with the key schedule expanded once.
    aes: aes_gcm::Aes256Gcm,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Key({})", self.id)
    }
}

impl Key {
    /// A key from its base64 text; `origin` names where it came from, for errors.
    pub fn from_base64(text: &str, origin: &str) -> Result<Key> {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|_| {
                Error::Key(format!(
                    "{origin}: not base64; expected the base64 of 32 random bytes"
                ))
            })?;
        let bytes: [u8; 32] = decoded.try_into().map_err(|v: Vec<u8>| {
            Error::Key(format!(
                "{origin}: {} bytes; expected 32 (generate one with: head -c 32 /dev/urandom | base64)",
                v.len()
            ))
        })?;
        let id = hex::encode(&Sha256::digest(bytes)[..8]);
        let hmac = <hmac::Hmac<Sha256> as hmac::Mac>::new_from_slice(&bytes)
            .expect("HMAC takes any key length");
        let aes = <aes_gcm::Aes256Gcm as aes_gcm::KeyInit>::new(&bytes.into());
        Ok(Key { id, hmac, aes })
    }

    /// The key from `key_file`, else from `STEWARD_KEY`.
    pub fn load(key_file: Option<&Path>) -> Result<Key> {
        if let Some(path) = key_file {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Error::Key(format!("{}: cannot read key file: {e}", path.display()))
            })?;
            return Key::from_base64(&text, &path.display().to_string());
        }
        match std::env::var("STEWARD_KEY") {
            Ok(text) => Key::from_base64(&text, "STEWARD_KEY"),
            Err(_) => Err(Error::Key(
                "no key: pass --key-file FILE or set STEWARD_KEY (base64 of 32 bytes)".into(),
            )),
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// A fresh HMAC-SHA256 keyed with this key.
    pub(crate) fn hmac(&self) -> hmac::Hmac<Sha256> {
        self.hmac.clone()
    }

    pub(crate) fn aes(&self) -> &aes_gcm::Aes256Gcm {
        &self.aes
    }
}

#[cfg(test)]
pub(crate) fn test_key(seed: u8) -> Key {
    let text = base64::engine::general_purpose::STANDARD.encode([seed; 32]);
    Key::from_base64(&text, "test").unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_errors_never_show_the_key() {
        let k = test_key(7);
        assert_eq!(k.id().len(), 16);
        assert!(!format!("{k:?}").contains("BwcH"));
        let short = base64::engine::general_purpose::STANDARD.encode([1u8; 16]);
        let err = Key::from_base64(&short, "k.txt").unwrap_err().to_string();
        assert!(err.contains("16 bytes; expected 32") && !err.contains(&short));
    }
}
