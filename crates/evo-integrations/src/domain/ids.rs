//! Entity ids: one opaque, unguessable, URL-safe scheme for every entity.

use rand::RngCore;

/// Lowercase RFC 4648 base32, which has no characters that need escaping in a URL or path.
const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// A new id: 128 random bits from the operating system, as 26 base32 characters.
pub fn new_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    encode_base32(&bytes)
}

fn encode_base32(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            text.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        text.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    text
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn base32_matches_rfc_4648_vectors() {
        assert_eq!(encode_base32(b"f"), "my");
        assert_eq!(encode_base32(b"foobar"), "mzxw6ytboi");
    }

    #[test]
    fn ids_are_26_url_safe_characters() {
        let id = new_id();
        assert_eq!(id.len(), 26);
        assert!(id.bytes().all(|byte| ALPHABET.contains(&byte)), "{id}");
    }

    #[test]
    fn ids_do_not_repeat() {
        let ids: HashSet<String> = (0..1000).map(|_| new_id()).collect();
        assert_eq!(ids.len(), 1000);
    }
}
