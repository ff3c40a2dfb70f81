//! `NextToken`: where a page stopped, for which request and account, in which snapshot.
//!
//! Binary form, then base64url without padding: version byte (2), request fingerprint
//! (u64), account fingerprint (u64, 0 for a lookup not restricted to an account), snapshot
//! sequence number (u64), cursor event time (ms, i64), cursor sequence number (u64), CRC-32
//! of the preceding bytes (u32). The snapshot keeps paging stable under concurrent ingest:
//! later pages see only events that were visible for the first.
//!
//! Version 1 (issued before lookups could be restricted to an account) is the same without
//! the account fingerprint; it is read as a token of an unrestricted lookup.
//!
//! The token is checked, not authenticated: the CRC catches damage, and the fingerprints
//! catch a token sent with other parameters or by another account. What keeps another
//! account's events out of a page is the account term of the query plan, which a forged
//! token does not change.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

const VERSION: u8 = 2;
const LEN: usize = 1 + 8 + 8 + 8 + 8 + 8 + 4;
/// Version 1: no account fingerprint.
const V1: u8 = 1;
const V1_LEN: usize = LEN - 8;

/// A decoded `NextToken`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PageToken {
    pub fingerprint: u64,
    /// As [`crate::LookupQuery::account_fingerprint`].
    pub account: u64,
    pub snapshot_seq: u64,
    pub time_ms: i64,
    pub seq: u64,
}

impl PageToken {
    pub fn encode(&self) -> String {
        let mut bytes = Vec::with_capacity(LEN);
        bytes.push(VERSION);
        bytes.extend_from_slice(&self.fingerprint.to_le_bytes());
        bytes.extend_from_slice(&self.account.to_le_bytes());
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
        let has_account = match (bytes.first(), bytes.len()) {
            (Some(&VERSION), LEN) => true,
            (Some(&V1), V1_LEN) => false,
            _ => return None,
        };
        let (body, crc) = bytes.split_last_chunk::<4>()?;
        if crc32fast::hash(body) != u32::from_le_bytes(*crc) {
            return None;
        }
        let u64_at = |at: usize| -> Option<u64> {
            Some(u64::from_le_bytes(body.get(at..at + 8)?.try_into().ok()?))
        };
        let (account, rest) = if has_account {
            (u64_at(9)?, 17)
        } else {
            (0, 9)
        };
        Some(PageToken {
            fingerprint: u64_at(1)?,
            account,
            snapshot_seq: u64_at(rest)?,
            time_ms: i64::from_le_bytes(body.get(rest + 8..rest + 16)?.try_into().ok()?),
            seq: u64_at(rest + 16)?,
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
            account: 7,
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

    #[test]
    fn version_1_tokens_are_read_as_unrestricted() {
        let mut bytes = vec![V1];
        for value in [1_u64, 2] {
            bytes.extend_from_slice(&value.to_le_bytes());
        }
        bytes.extend_from_slice(&(-3_i64).to_le_bytes());
        bytes.extend_from_slice(&4_u64.to_le_bytes());
        let crc = crc32fast::hash(&bytes);
        bytes.extend_from_slice(&crc.to_le_bytes());
        assert_eq!(
            PageToken::decode(&URL_SAFE_NO_PAD.encode(&bytes)),
            Some(PageToken {
                fingerprint: 1,
                account: 0,
                snapshot_seq: 2,
                time_ms: -3,
                seq: 4,
            })
        );
        // A version byte that does not fit the length is refused.
        bytes[0] = VERSION;
        let crc = crc32fast::hash(&bytes[..V1_LEN - 4]);
        bytes.truncate(V1_LEN - 4);
        bytes.extend_from_slice(&crc.to_le_bytes());
        assert_eq!(PageToken::decode(&URL_SAFE_NO_PAD.encode(&bytes)), None);
    }
}
