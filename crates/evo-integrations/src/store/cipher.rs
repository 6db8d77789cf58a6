//! Encryption of secrets at rest with XChaCha20-Poly1305.
//!
//! A sealed value is `version (1 byte) || nonce (24 bytes) || ciphertext with tag`. The caller
//! passes associated data naming the row and column, so a ciphertext copied onto another row
//! fails to open instead of leaking there.

use std::fs;
use std::io::Write;
use std::path::Path;

use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;

const VERSION: u8 = 1;
const NONCE_LENGTH: usize = 24;
/// The key length in bytes.
pub const KEY_LENGTH: usize = 32;

/// Why the secret key could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SecretKeyError {
    #[error(
        "EVO_SECRET_KEY must be {KEY_LENGTH} bytes encoded as base64; it decodes to {0} bytes"
    )]
    WrongLength(usize),
    #[error("EVO_SECRET_KEY is not valid base64: {0}")]
    NotBase64(#[from] base64::DecodeError),
    #[error("the key file {path} could not be read or created: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
}

/// Seals and opens secrets with the deployment's key.
#[derive(Clone)]
pub struct SecretCipher {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for SecretCipher {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("SecretCipher { key: <redacted> }")
    }
}

/// A sealed value failed to open: a wrong key, or a corrupted or moved ciphertext.
#[derive(Debug, thiserror::Error)]
#[error("a stored secret could not be decrypted: wrong EVO_SECRET_KEY, or the data is corrupted")]
pub struct OpenError;

impl SecretCipher {
    /// A cipher with a raw 32-byte key.
    pub fn new(key: &[u8; KEY_LENGTH]) -> SecretCipher {
        SecretCipher {
            cipher: XChaCha20Poly1305::new(key.into()),
        }
    }

    /// Decodes a base64 key, as given in `EVO_SECRET_KEY`.
    pub fn from_base64(encoded: &str) -> Result<SecretCipher, SecretKeyError> {
        let bytes = base64::engine::general_purpose::STANDARD.decode(encoded.trim())?;
        let key: [u8; KEY_LENGTH] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| SecretKeyError::WrongLength(bytes.len()))?;
        Ok(SecretCipher::new(&key))
    }

    /// Loads the key file at `path`, creating it with a random key and mode 0600 when missing.
    pub fn from_key_file(path: &Path) -> Result<SecretCipher, SecretKeyError> {
        let file_error = |source| SecretKeyError::File {
            path: path.display().to_string(),
            source,
        };
        match fs::read_to_string(path) {
            Ok(encoded) => SecretCipher::from_base64(&encoded),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; KEY_LENGTH];
                rand::rngs::OsRng.fill_bytes(&mut key);
                let encoded = base64::engine::general_purpose::STANDARD.encode(key);
                write_private_file(path, encoded.as_bytes()).map_err(file_error)?;
                Ok(SecretCipher::new(&key))
            }
            Err(error) => Err(file_error(error)),
        }
    }

    /// Encrypts `plaintext`, bound to `associated_data`.
    pub fn seal(&self, plaintext: &[u8], associated_data: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LENGTH];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let payload = Payload {
            msg: plaintext,
            aad: associated_data,
        };
        let ciphertext = self
            .cipher
            .encrypt(XNonce::from_slice(&nonce), payload)
            .expect("XChaCha20-Poly1305 encryption fails only for inputs over 256 GiB");
        let mut sealed = Vec::with_capacity(1 + NONCE_LENGTH + ciphertext.len());
        sealed.push(VERSION);
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&ciphertext);
        sealed
    }

    /// Decrypts a value sealed with the same key and `associated_data`.
    pub fn open(&self, sealed: &[u8], associated_data: &[u8]) -> Result<Vec<u8>, OpenError> {
        let Some((&VERSION, rest)) = sealed.split_first() else {
            return Err(OpenError);
        };
        if rest.len() < NONCE_LENGTH {
            return Err(OpenError);
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LENGTH);
        let payload = Payload {
            msg: ciphertext,
            aad: associated_data,
        };
        self.cipher
            .decrypt(XNonce::from_slice(nonce), payload)
            .map_err(|_| OpenError)
    }
}

#[cfg(unix)]
fn write_private_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_value_opens_with_same_data() {
        let cipher = SecretCipher::new(&[7; KEY_LENGTH]);
        let sealed = cipher.seal(b"hunter2", b"integration:a");
        assert!(!sealed.windows(7).any(|window| window == b"hunter2"));
        assert_eq!(cipher.open(&sealed, b"integration:a").unwrap(), b"hunter2");
    }

    #[test]
    fn other_row_or_key_fails_to_open() {
        let cipher = SecretCipher::new(&[7; KEY_LENGTH]);
        let sealed = cipher.seal(b"hunter2", b"integration:a");
        assert!(cipher.open(&sealed, b"integration:b").is_err());
        let other = SecretCipher::new(&[8; KEY_LENGTH]);
        assert!(other.open(&sealed, b"integration:a").is_err());
        assert!(cipher.open(&sealed[..10], b"integration:a").is_err());
    }

    #[test]
    fn base64_key_must_be_32_bytes() {
        assert!(matches!(
            SecretCipher::from_base64("AAAA"),
            Err(SecretKeyError::WrongLength(3))
        ));
        let key = base64::engine::general_purpose::STANDARD.encode([1u8; KEY_LENGTH]);
        assert!(SecretCipher::from_base64(&key).is_ok());
    }

    #[test]
    fn key_file_is_created_private_and_reused() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("secret.key");
        let first = SecretCipher::from_key_file(&path).unwrap();
        let sealed = first.seal(b"x", b"");
        let second = SecretCipher::from_key_file(&path).unwrap();
        assert_eq!(second.open(&sealed, b"").unwrap(), b"x");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
