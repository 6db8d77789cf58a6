//! Byte search for the reader, eight bytes at a time.

const LOW_BITS: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Returns a mask with the high bit set in each zero byte of `word`. Bytes above a zero byte
/// can be flagged too, so only the lowest flagged byte is reliable, and that is the one used.
#[inline]
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(LOW_BITS) & !word & HIGH_BITS
}

/// Returns the index of the first byte at or after `from` that equals one of `targets`, or
/// `bytes.len()` when there is none.
#[inline]
pub(crate) fn find_any<const N: usize>(bytes: &[u8], from: usize, targets: [u8; N]) -> usize {
    let mut index = from;
    while let Some(chunk) = bytes.get(index..).and_then(<[u8]>::first_chunk::<8>) {
        // Little-endian, so the first byte in memory is the lowest byte of the word.
        let word = u64::from_le_bytes(*chunk);
        let mut found = 0;
        for target in targets {
            found |= zero_bytes(word ^ (LOW_BITS * u64::from(target)));
        }
        if found != 0 {
            return index + (found.trailing_zeros() / 8) as usize;
        }
        index += 8;
    }
    while index < bytes.len() && !targets.contains(&bytes[index]) {
        index += 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::find_any;

    /// The byte-by-byte definition that `find_any` must agree with.
    fn find_slow(bytes: &[u8], from: usize, targets: &[u8]) -> usize {
        (from..bytes.len())
            .find(|&i| targets.contains(&bytes[i]))
            .unwrap_or(bytes.len())
    }

    #[test]
    fn find_any_matches_bytewise_search() {
        let alphabet = b"ab,}]:\"\x00\x7f\x80\xff\x01";
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for length in 0..40 {
            for _ in 0..200 {
                let bytes: Vec<u8> = (0..length)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        alphabet[(state % alphabet.len() as u64) as usize]
                    })
                    .collect();
                for from in 0..=length {
                    assert_eq!(
                        find_any(&bytes, from, [b',', b'}', b']']),
                        find_slow(&bytes, from, b",}]"),
                        "{bytes:?} from {from}"
                    );
                    assert_eq!(
                        find_any(&bytes, from, [b'"']),
                        find_slow(&bytes, from, b"\""),
                        "{bytes:?} from {from}"
                    );
                }
            }
        }
    }
}
