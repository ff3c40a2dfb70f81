//! `NextToken`s of GetQueryResults and ListQueries.
//!
//! Binary form, then base64url without padding, ending with a CRC-32 (little-endian) of the
//! bytes before it:
//!
//! - results: `0x01`, the query ID (36 ASCII bytes), the row offset of the next page (u64
//!   LE), CRC;
//! - listing: `0x02`, a CRC-32 fingerprint of the request (account, store, time range,
//!   status; u32 LE), the creation time of the last listed query (ms, i64 LE), its ID (36
//!   ASCII bytes), CRC.
//!
//! Tokens are checked, not authenticated: the CRC catches damage and the binding catches a
//! token sent for another query or listing. A forged token can only move within the
//! caller's own query or listing, which the caller may read anyway.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use opentrail_types::Timestamp;

use crate::error::{Error, ErrorKind, Result};

const RESULTS: u8 = 1;
const LISTING: u8 = 2;
const ID_LEN: usize = 36;
/// Longest token botocore allows (`PaginationToken`).
const MAX_TOKEN_CHARS: usize = 1000;

/// Encodes the token of the results page of `query_id` that starts at row `offset`.
pub(crate) fn encode_results(query_id: &str, offset: u64) -> String {
    let mut bytes = Vec::with_capacity(1 + ID_LEN + 8 + 4);
    bytes.push(RESULTS);
    bytes.extend_from_slice(query_id.as_bytes());
    bytes.extend_from_slice(&offset.to_le_bytes());
    seal(bytes)
}

/// Decodes a results token and checks it belongs to `query_id`; returns the row offset.
pub(crate) fn decode_results(token: &str, query_id: &str) -> Result<u64> {
    let body = open(token)?;
    let (kind, rest) = body.split_first().ok_or_else(|| invalid(token))?;
    if *kind != RESULTS || rest.len() != query_id.len() + 8 {
        return Err(invalid(token));
    }
    let (id, offset) = rest.split_at(query_id.len());
    if id != query_id.as_bytes() {
        return Err(invalid(token));
    }
    let offset: [u8; 8] = offset.try_into().map_err(|_| invalid(token))?;
    Ok(u64::from_le_bytes(offset))
}

/// Where a listing page stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ListCursor {
    pub(crate) creation_time: Timestamp,
    pub(crate) query_id: String,
}

/// Encodes the token of the listing with fingerprint `fingerprint` after `cursor`.
pub(crate) fn encode_listing(fingerprint: u32, cursor: &ListCursor) -> String {
    let mut bytes = Vec::with_capacity(1 + 4 + 8 + ID_LEN + 4);
    bytes.push(LISTING);
    bytes.extend_from_slice(&fingerprint.to_le_bytes());
    bytes.extend_from_slice(&cursor.creation_time.as_millis().to_le_bytes());
    bytes.extend_from_slice(cursor.query_id.as_bytes());
    seal(bytes)
}

/// Decodes a listing token and checks it belongs to the listing with `fingerprint`.
pub(crate) fn decode_listing(token: &str, fingerprint: u32) -> Result<ListCursor> {
    let body = open(token)?;
    if body.len() < 1 + 4 + 8 || body.first() != Some(&LISTING) {
        return Err(invalid(token));
    }
    let bound: [u8; 4] = body[1..5].try_into().map_err(|_| invalid(token))?;
    if u32::from_le_bytes(bound) != fingerprint {
        return Err(invalid(token));
    }
    let millis: [u8; 8] = body[5..13].try_into().map_err(|_| invalid(token))?;
    let query_id = String::from_utf8(body[13..].to_vec()).map_err(|_| invalid(token))?;
    Ok(ListCursor {
        creation_time: Timestamp::from_millis(i64::from_le_bytes(millis)),
        query_id,
    })
}

/// The fingerprint binding a listing token to its request.
pub(crate) fn listing_fingerprint(
    account: &str,
    store_id: &str,
    start: Option<Timestamp>,
    end: Option<Timestamp>,
    status: Option<&str>,
) -> u32 {
    let canonical = format!(
        "{account}\n{store_id}\n{:?}\n{:?}\n{}",
        start.map(Timestamp::as_millis),
        end.map(Timestamp::as_millis),
        status.unwrap_or("")
    );
    crc32fast::hash(canonical.as_bytes())
}

fn seal(mut bytes: Vec<u8>) -> String {
    let crc = crc32fast::hash(&bytes);
    bytes.extend_from_slice(&crc.to_le_bytes());
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64 and checks the CRC; returns the bytes before it.
fn open(token: &str) -> Result<Vec<u8>> {
    if token.len() > MAX_TOKEN_CHARS {
        return Err(invalid(token));
    }
    let mut bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| invalid(token))?;
    if bytes.len() < 5 {
        return Err(invalid(token));
    }
    let crc_at = bytes.len() - 4;
    let crc: [u8; 4] = bytes[crc_at..].try_into().map_err(|_| invalid(token))?;
    bytes.truncate(crc_at);
    if crc32fast::hash(&bytes) != u32::from_le_bytes(crc) {
        return Err(invalid(token));
    }
    Ok(bytes)
}

fn invalid(token: &str) -> Error {
    let shown: String = token.chars().take(100).collect();
    Error::rejected(
        ErrorKind::InvalidNextToken,
        format!("NextToken `{shown}` is not valid for this request"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0a1b2c3d-0000-4000-8000-000000000001";
    const OTHER: &str = "0a1b2c3d-0000-4000-8000-000000000002";

    #[test]
    fn results_tokens_round_trip_and_are_bound_to_the_query() {
        let token = encode_results(ID, 2000);
        assert_eq!(decode_results(&token, ID).unwrap(), 2000);
        assert!(decode_results(&token, OTHER).is_err());
        assert!(decode_results("", ID).is_err());
        assert!(decode_results("not a token!", ID).is_err());
    }

    #[test]
    fn every_changed_character_is_refused() {
        let token = encode_results(ID, 7);
        for index in 0..token.len() {
            let mut tampered = token.clone().into_bytes();
            tampered[index] = if tampered[index] == b'A' { b'B' } else { b'A' };
            let tampered = String::from_utf8(tampered).unwrap();
            let error = decode_results(&tampered, ID).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidNextToken, "{tampered}");
        }
    }

    #[test]
    fn listing_tokens_are_bound_to_the_request() {
        let fingerprint = listing_fingerprint("1", "s", None, None, Some("FINISHED"));
        let other = listing_fingerprint("1", "s", None, None, None);
        assert_ne!(fingerprint, other);
        let cursor = ListCursor {
            creation_time: Timestamp::from_millis(5),
            query_id: ID.to_owned(),
        };
        let token = encode_listing(fingerprint, &cursor);
        assert_eq!(decode_listing(&token, fingerprint).unwrap(), cursor);
        assert!(decode_listing(&token, other).is_err());
        assert!(decode_results(&token, ID).is_err());
        assert!(decode_listing(&encode_results(ID, 1), fingerprint).is_err());
    }
}
