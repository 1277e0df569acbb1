//! Keys for `tokenize`, `encrypt` and `shift`: 32 bytes, given as base64 in a key file
//! (`--key-file`) or in `STEWARD_KEY`, never on the command line. A key's id is the first
//! 16 hex digits of SHA-256(key); outputs record it so the right key can be found, and
//! `unmask` refuses a key with another id. The bytes never appear in Debug output.

use std::path::Path;

use base64::Engine as _;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::hmac_sha256::HmacSha256;
use crate::error::{Error, Result};

/// `STEWARD_KEY`, moved out of the environment by [`take_env_key`].
static ENV_KEY: std::sync::OnceLock<Zeroizing<String>> = std::sync::OnceLock::new();

/// Move `STEWARD_KEY` from the environment into the process, so child processes and
/// anything that dumps the environment never see it. Call while the process has one
/// thread (the start of `main`).
pub fn take_env_key() {
    if let Some(v) = std::env::var_os("STEWARD_KEY") {
        if let Some(text) = v.to_str() {
            let _ = ENV_KEY.set(Zeroizing::new(text.to_string()));
        }
        // SAFETY: called at the start of `main`, before any other thread exists, so no
        // other thread can read the environment concurrently.
        unsafe { std::env::remove_var("STEWARD_KEY") };
    }
}

/// Whether `STEWARD_KEY` was given (taken by [`take_env_key`] or still set).
pub fn env_key_given() -> bool {
    ENV_KEY.get().is_some() || std::env::var_os("STEWARD_KEY").is_some()
}

/// From the moment a key is read, the process writes no core dump (which would hold the
/// key) and cannot be attached to by unprivileged debuggers.
fn no_core_dumps() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on this process with constant, valid arguments.
    unsafe {
        let zero = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        libc::setrlimit(libc::RLIMIT_CORE, &zero);
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
}

/// A 32-byte masking key.
#[derive(Clone)]
pub struct Key {
    id: String,
    /// HMAC-SHA256 with this key, its inner and outer pads already hashed: cloning it
    /// per value saves two of the four SHA-256 blocks a short value costs.
    hmac: hmac::Hmac<Sha256>,
    /// The same HMAC as raw inner/outer SHA-256 states, for tokens: many short values,
    /// two at a time.
    hmac_states: HmacSha256,
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
        // The decoded bytes are wiped when they go out of scope (the expanded AES key
        // schedule is wiped by aes-gcm's `zeroize` feature when the Key drops).
        let decoded = Zeroizing::new(
            base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .map_err(|_| {
                    Error::Key(format!(
                        "{origin}: not base64; expected the base64 of 32 random bytes"
                    ))
                })?,
        );
        if decoded.len() != 32 {
            return Err(Error::Key(format!(
                "{origin}: {} bytes; expected 32 (generate one with: head -c 32 /dev/urandom | base64)",
                decoded.len()
            )));
        }
        let mut bytes = Zeroizing::new([0u8; 32]);
        bytes.copy_from_slice(&decoded);
        let id = hex::encode(&Sha256::digest(*bytes)[..8]);
        let hmac = <hmac::Hmac<Sha256> as hmac::Mac>::new_from_slice(bytes.as_slice())
            .expect("HMAC takes any key length");
        let hmac_states = HmacSha256::new(bytes.as_slice());
        let aes = <aes_gcm::Aes256Gcm as aes_gcm::KeyInit>::new_from_slice(bytes.as_slice())
            .expect("the key is 32 bytes");
        Ok(Key {
            id,
            hmac,
            hmac_states,
            aes,
        })
    }

    /// The key from `key_file`, else from `STEWARD_KEY` (as taken by [`take_env_key`],
    /// or still in the environment when the library is used without the CLI).
    pub fn load(key_file: Option<&Path>) -> Result<Key> {
        no_core_dumps();
        if let Some(path) = key_file {
            let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
                Error::Key(format!("{}: cannot read key file: {e}", path.display()))
            })?);
            return Key::from_base64(&text, &path.display().to_string());
        }
        if let Some(text) = ENV_KEY.get() {
            return Key::from_base64(text, "STEWARD_KEY");
        }
        match std::env::var("STEWARD_KEY").map(Zeroizing::new) {
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

    /// HMAC-SHA256 with this key, for many messages.
    pub(crate) fn hmac_states(&self) -> &HmacSha256 {
        &self.hmac_states
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

    #[cfg(target_os = "linux")]
    #[test]
    fn loading_a_key_turns_core_dumps_off() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        std::fs::write(
            &path,
            base64::engine::general_purpose::STANDARD.encode([3u8; 32]),
        )
        .unwrap();
        Key::load(Some(&path)).unwrap();
        let mut lim = libc::rlimit {
            rlim_cur: 1,
            rlim_max: 1,
        };
        // SAFETY: reads this process's limit into a valid struct.
        unsafe { libc::getrlimit(libc::RLIMIT_CORE, &mut lim) };
        assert_eq!(lim.rlim_cur, 0);
        // SAFETY: a query with no side effects.
        assert_eq!(unsafe { libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0) }, 0);
    }

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
