//! The on-disk form of segments and frames.
//!
//! A segment file starts with a 16-byte header, then holds frames back to back:
//!
//! ```text
//! header:  b"OTJRNL\0\0" (8)  version u32 LE (= 1)  reserved u32 (0)
//! frame:   body_len u32 LE   crc32 u32 LE of the body
//!          body = seq u64 LE | arrival_millis i64 LE | id_len u16 LE | event ID (UTF-8) | payload
//! ```
//!
//! `body_len` counts the body only. A frame is valid when its body fits in the file, its
//! CRC-32 matches, and its `seq` is the one expected next. Anything else at the end of the
//! last segment is a torn write from a crash.

use crc32fast::Hasher;

/// Magic bytes opening every segment file.
pub const SEGMENT_MAGIC: &[u8; 8] = b"OTJRNL\0\0";
/// Current segment format version.
pub const SEGMENT_VERSION: u32 = 1;
/// Size of the segment header.
pub const SEGMENT_HEADER_LEN: u64 = 16;
/// Size of a frame's prefix (`body_len`, `crc`).
pub const FRAME_PREFIX_LEN: usize = 8;
/// Size of the fixed part of a body (`seq`, `arrival`, `id_len`).
pub const BODY_FIXED_LEN: usize = 18;
/// Largest event ID accepted (bytes).
pub const MAX_EVENT_ID_LEN: usize = 1024;
/// Largest payload accepted (bytes); records are at most 1 MB, so this leaves room.
pub const MAX_PAYLOAD_LEN: usize = 4 * 1024 * 1024;

/// Returns the segment header bytes.
pub fn segment_header() -> [u8; SEGMENT_HEADER_LEN as usize] {
    let mut header = [0u8; SEGMENT_HEADER_LEN as usize];
    header[..8].copy_from_slice(SEGMENT_MAGIC);
    header[8..12].copy_from_slice(&SEGMENT_VERSION.to_le_bytes());
    header
}

/// Checks a segment header; returns a reason when it is not one this version reads.
pub fn check_segment_header(header: &[u8]) -> Result<(), String> {
    if header.len() < SEGMENT_HEADER_LEN as usize || &header[..8] != SEGMENT_MAGIC {
        return Err(String::from("not a journal segment (bad magic)"));
    }
    let version = u32::from_le_bytes([header[8], header[9], header[10], header[11]]);
    if version != SEGMENT_VERSION {
        return Err(format!("unsupported segment version {version}"));
    }
    Ok(())
}

/// Appends one frame to `out`.
///
/// The caller has checked the lengths against [`MAX_EVENT_ID_LEN`] and
/// [`MAX_PAYLOAD_LEN`].
pub fn encode_frame(
    out: &mut Vec<u8>,
    seq: u64,
    arrival_millis: i64,
    event_id: &str,
    payload: &[u8],
) {
    let body_len = BODY_FIXED_LEN + event_id.len() + payload.len();
    let start = out.len();
    // `body_len` ≤ 18 + 1 KiB + 4 MiB, far below u32::MAX.
    out.extend_from_slice(&u32::try_from(body_len).unwrap_or(u32::MAX).to_le_bytes());
    out.extend_from_slice(&[0u8; 4]);
    let body_start = out.len();
    out.extend_from_slice(&seq.to_le_bytes());
    out.extend_from_slice(&arrival_millis.to_le_bytes());
    out.extend_from_slice(
        &u16::try_from(event_id.len())
            .unwrap_or(u16::MAX)
            .to_le_bytes(),
    );
    out.extend_from_slice(event_id.as_bytes());
    out.extend_from_slice(payload);
    let mut hasher = Hasher::new();
    hasher.update(&out[body_start..]);
    out[start + 4..start + 8].copy_from_slice(&hasher.finalize().to_le_bytes());
}

/// A frame decoded in place.
#[derive(Debug, Clone, Copy)]
pub struct DecodedFrame<'a> {
    /// Sequence number.
    pub seq: u64,
    /// Arrival time, milliseconds since the epoch.
    pub arrival_millis: i64,
    /// The event ID.
    pub event_id: &'a str,
    /// The payload (the record's JSON).
    pub payload: &'a [u8],
    /// Bytes the whole frame occupies (prefix + body).
    pub frame_len: usize,
}

/// Why bytes do not decode as a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameProblem {
    /// Fewer bytes than the frame needs: the end of the data, or a torn write.
    Incomplete {
        /// Bytes the whole frame needs (0 when not even the prefix is there).
        needed: usize,
    },
    /// The bytes are there but are not a valid frame.
    Invalid(&'static str),
}

/// Decodes the frame at the start of `bytes`.
///
/// # Errors
///
/// [`FrameProblem::Incomplete`] when `bytes` is shorter than the frame claims,
/// [`FrameProblem::Invalid`] for a bad length, checksum or event ID.
pub fn decode_frame(bytes: &[u8]) -> Result<DecodedFrame<'_>, FrameProblem> {
    if bytes.len() < FRAME_PREFIX_LEN {
        return Err(FrameProblem::Incomplete { needed: 0 });
    }
    let body_len = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
    if !(BODY_FIXED_LEN..=BODY_FIXED_LEN + MAX_EVENT_ID_LEN + MAX_PAYLOAD_LEN).contains(&body_len) {
        return Err(FrameProblem::Invalid("frame length out of range"));
    }
    let frame_len = FRAME_PREFIX_LEN + body_len;
    if bytes.len() < frame_len {
        return Err(FrameProblem::Incomplete { needed: frame_len });
    }
    let stored_crc = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
    let body = &bytes[FRAME_PREFIX_LEN..frame_len];
    let mut hasher = Hasher::new();
    hasher.update(body);
    if hasher.finalize() != stored_crc {
        return Err(FrameProblem::Invalid("checksum mismatch"));
    }
    let seq = u64::from_le_bytes(fixed(&body[0..8]));
    let arrival_millis = i64::from_le_bytes(fixed(&body[8..16]));
    let id_len = usize::from(u16::from_le_bytes([body[16], body[17]]));
    if BODY_FIXED_LEN + id_len > body_len {
        return Err(FrameProblem::Invalid("event ID longer than the frame"));
    }
    let event_id = std::str::from_utf8(&body[BODY_FIXED_LEN..BODY_FIXED_LEN + id_len])
        .map_err(|_| FrameProblem::Invalid("event ID is not UTF-8"))?;
    Ok(DecodedFrame {
        seq,
        arrival_millis,
        event_id,
        payload: &body[BODY_FIXED_LEN + id_len..],
        frame_len,
    })
}

fn fixed(bytes: &[u8]) -> [u8; 8] {
    let mut array = [0u8; 8];
    array.copy_from_slice(bytes);
    array
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip() {
        let mut out = Vec::new();
        encode_frame(&mut out, 7, -3, "id-1", b"{\"a\":1}");
        encode_frame(&mut out, 8, 4, "", b"");
        let first = decode_frame(&out).unwrap();
        assert_eq!(
            (first.seq, first.arrival_millis, first.event_id),
            (7, -3, "id-1")
        );
        assert_eq!(first.payload, b"{\"a\":1}");
        let second = decode_frame(&out[first.frame_len..]).unwrap();
        assert_eq!(
            (second.seq, second.event_id, second.payload.len()),
            (8, "", 0)
        );
        assert_eq!(first.frame_len + second.frame_len, out.len());
    }

    #[test]
    fn every_truncation_is_incomplete_and_every_bit_flip_is_caught() {
        let mut out = Vec::new();
        encode_frame(&mut out, 1, 2, "event", b"payload bytes");
        for cut in 0..out.len() {
            assert!(
                matches!(
                    decode_frame(&out[..cut]),
                    Err(FrameProblem::Incomplete { .. })
                ),
                "{cut}"
            );
        }
        for index in 0..out.len() {
            for bit in 0..8 {
                let mut damaged = out.clone();
                damaged[index] ^= 1 << bit;
                let decoded = decode_frame(&damaged);
                assert!(decoded.is_err(), "flip at {index}:{bit} went unnoticed");
            }
        }
    }

    #[test]
    fn headers_are_checked() {
        assert!(check_segment_header(&segment_header()).is_ok());
        assert!(check_segment_header(b"OTJRNL\0\0\x02\0\0\0\0\0\0\0").is_err());
        assert!(check_segment_header(b"short").is_err());
    }
}
