//! `NextToken`: where a page stopped, for which request, in which snapshot.
//!
//! Binary form, then base64url without padding: version byte (1), request fingerprint
//! (u64), snapshot sequence number (u64), cursor event time (ms, i64), cursor sequence
//! number (u64), CRC-32 of the preceding bytes (u32). The snapshot keeps paging stable
//! under concurrent ingest: later pages see only events that were visible for the first.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

const VERSION: u8 = 1;
const LEN: usize = 1 + 8 + 8 + 8 + 8 + 4;

/// A decoded `NextToken`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PageToken {
    pub fingerprint: u64,
    pub snapshot_seq: u64,
    pub time_ms: i64,
    pub seq: u64,
}

impl PageToken {
    pub fn encode(&self) -> String {
        let mut bytes = Vec::with_capacity(LEN);
        bytes.push(VERSION);
        bytes.extend_from_slice(&self.fingerprint.to_le_bytes());
        bytes.extend_from_slice(&self.snapshot_seq.to_le_bytes());
        bytes.extend_from_slice(&self.time_ms.to_le_bytes());
        bytes.extend_from_slice(&self.seq.to_le_bytes());
        let crc = crc32fast::hash(&bytes);
        bytes.extend_from_slice(&crc.to_le_bytes());
        URL_SAFE_NO_PAD.encode(bytes)
    }

    pub fn decode(text: &str) -> Option<PageToken> {
        if text.len() > 128 {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
        if bytes.len() != LEN || bytes[0] != VERSION {
            return None;
        }
        let crc = u32::from_le_bytes(bytes[LEN - 4..].try_into().ok()?);
        if crc32fast::hash(&bytes[..LEN - 4]) != crc {
            return None;
        }
        let u64_at = |at: usize| -> Option<u64> {
            Some(u64::from_le_bytes(bytes[at..at + 8].try_into().ok()?))
        };
        Some(PageToken {
            fingerprint: u64_at(1)?,
            snapshot_seq: u64_at(9)?,
            time_ms: i64::from_le_bytes(bytes[17..25].try_into().ok()?),
            seq: u64_at(25)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_reject_tampering() {
        let token = PageToken {
            fingerprint: 1,
            snapshot_seq: 2,
            time_ms: -3,
            seq: 4,
        };
        let text = token.encode();
        assert_eq!(PageToken::decode(&text), Some(token));
        let mut tampered = text.into_bytes();
        tampered[5] = if tampered[5] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            PageToken::decode(&String::from_utf8(tampered).unwrap()),
            None
        );
        assert_eq!(PageToken::decode(""), None);
        assert_eq!(PageToken::decode(&"A".repeat(1000)), None);
    }
}
