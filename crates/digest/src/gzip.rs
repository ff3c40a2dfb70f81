//! gzip as CloudTrail files use it: exactly one member, nothing after it
//! (`spec/trails-and-integrity.md` §1.2).
//!
//! Writing: [`gzip`] makes one member with a fixed header (mtime 0, no file name), so the
//! same JSON always gives the same bytes for a given compressor version.
//!
//! Reading untrusted files: every function takes a cap on the inflated size and stops with
//! [`InflateError::TooLarge`] once the output passes it. [`gunzip_single`] and
//! [`sha256_of_gzip_member`] are strict: any byte after the first member is
//! [`InflateError::TrailingData`] (the CLI's *unexpected data after end of compressed
//! stream*), a truncated or damaged member is [`InflateError::Corrupt`].
//! [`gunzip_first_member`] and [`sha256_of_gzip_prefix`] report the facts instead, for a
//! validator that has to reproduce the CLI's looser readings (the CLI inflates a digest with
//! `zlib.decompress`, which ignores trailing bytes, and hashes a log file with a streaming
//! inflater that hashes whatever a truncated stream yields).
//!
//! ```
//! use opentrail_digest::gzip::{gunzip_single, gzip, InflateError};
//!
//! let stored = gzip(b"{}");
//! assert_eq!(gunzip_single(&stored, 1024)?, b"{}");
//! let mut appended = stored.clone();
//! appended.push(0);
//! assert_eq!(gunzip_single(&appended, 1024), Err(InflateError::TrailingData));
//! # Ok::<(), InflateError>(())
//! ```

mod whole;

use std::io::{self, Read, Write as _};

use flate2::Compression;
use flate2::GzBuilder;
use flate2::bufread::GzDecoder;
use sha2::{Digest as _, Sha256};

/// Why a stored file could not be inflated as one gzip member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum InflateError {
    /// Bytes follow the end of the first gzip member.
    #[error("unexpected data after end of compressed stream")]
    TrailingData,
    /// Not gzip, a damaged member (bad header, bad deflate data, CRC or length mismatch), or
    /// a member cut short.
    #[error("corrupt gzip data")]
    Corrupt,
    /// The inflated size passes the caller's cap.
    #[error("decompressed size exceeds the limit")]
    TooLarge,
}

/// Size of the output chunks while inflating in a stream: zlib-rs inflates about 5 % faster
/// into 256 KiB than into 64 KiB (`opentrail-bench inflate-hash`); SHA-256 does not care.
const CHUNK_BYTES: usize = 256 * 1024;

/// Compresses `bytes` into exactly one gzip member with a fixed header: mtime 0, no name,
/// no comment, no extra field, OS byte 255 ("unknown"); default compression level.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzBuilder::new().mtime(0).operating_system(255).write(
        Vec::with_capacity(bytes.len() / 4 + 64),
        Compression::default(),
    );
    // Writing into a `Vec` cannot fail: the only I/O errors would come from the sink.
    let written = encoder.write_all(bytes);
    match written.and_then(|()| encoder.finish()) {
        Ok(stored) => stored,
        Err(_) => unreachable_vec_write(),
    }
}

/// `Vec<u8>` as an `io::Write` never fails; this branch exists only to avoid an `expect`.
#[cold]
fn unreachable_vec_write() -> Vec<u8> {
    debug_assert!(false, "writing gzip into a Vec failed");
    Vec::new()
}

/// Inflates `bytes`, which must be exactly one gzip member, with at most `cap` output bytes.
///
/// # Errors
///
/// [`InflateError::TrailingData`] when any byte follows the member (even if the member itself
/// is fine), [`InflateError::Corrupt`] for damaged or truncated data, [`InflateError::TooLarge`]
/// when the output passes `cap`.
pub fn gunzip_single(bytes: &[u8], cap: u64) -> Result<Vec<u8>, InflateError> {
    let (inflated, consumed) = gunzip_first_member(bytes, cap)?;
    if consumed < bytes.len() {
        return Err(InflateError::TrailingData);
    }
    Ok(inflated)
}

/// Inflates the first gzip member of `bytes`, with at most `cap` output bytes, and returns
/// it with the number of input bytes the member took; anything after is left to the caller
/// (`consumed < bytes.len()` means trailing data).
///
/// # Errors
///
/// [`InflateError::Corrupt`] for damaged or truncated data, [`InflateError::TooLarge`] when
/// the output passes `cap`. Never [`InflateError::TrailingData`].
pub fn gunzip_first_member(bytes: &[u8], cap: u64) -> Result<(Vec<u8>, usize), InflateError> {
    let mut inflated = Vec::new();
    let outcome = inflate_first_member(bytes, cap, |chunk| inflated.extend_from_slice(chunk))?;
    if !outcome.complete {
        return Err(InflateError::Corrupt);
    }
    Ok((inflated, outcome.consumed))
}

/// Inflates `bytes` (exactly one gzip member) and returns the lowercase hex SHA-256 of the
/// inflated bytes, as [`sha256_of_gzip_prefix`] (same paths, same memory use).
///
/// # Errors
///
/// As [`gunzip_single`].
pub fn sha256_of_gzip_member(bytes: &[u8], cap: u64) -> Result<String, InflateError> {
    let hash = sha256_of_gzip_prefix(bytes, cap)?;
    if !hash.complete {
        return Err(InflateError::Corrupt);
    }
    if hash.consumed < bytes.len() {
        return Err(InflateError::TrailingData);
    }
    Ok(hash.sha256)
}

/// The result of hashing what a gzip stream yields, without judging it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefixHash {
    /// Lowercase hex SHA-256 of the bytes inflated before the stream ended or was cut.
    pub sha256: String,
    /// How many bytes were inflated.
    pub inflated_bytes: u64,
    /// `true` when the first member ended properly (trailer read, CRC and length checked);
    /// `false` when the input ran out first (a truncated file, or an empty one).
    pub complete: bool,
    /// How many input bytes the member took; when `complete` and below the input length,
    /// trailing data follows.
    pub consumed: usize,
}

/// Hashes the output of the first gzip member of `bytes` as a streaming inflater sees it,
/// with at most `cap` output bytes: a truncated stream is not an error but gives
/// `complete: false` and the hash of what was inflated (as the CLI's `decompressobj` does
/// for log files); trailing data is reported through [`PrefixHash::consumed`].
///
/// Two paths, one answer. A file that is exactly one member with a plain header and an
/// inflated size of at most 128 MiB is inflated whole by libdeflate into a pooled buffer
/// and hashed in one pass (about 15 % less CPU); anything else (trailing data,
/// optional header fields, a cut or damaged member, a larger file) is inflated in 256 KiB
/// chunks by zlib-rs and hashed chunk by chunk, in constant memory. The fast path answers
/// only when the streaming path would give the same answer.
///
/// # Errors
///
/// [`InflateError::Corrupt`] for data no inflater accepts (bad magic, bad header flags,
/// invalid deflate data, CRC or length mismatch), [`InflateError::TooLarge`] when the output
/// passes `cap`.
pub fn sha256_of_gzip_prefix(bytes: &[u8], cap: u64) -> Result<PrefixHash, InflateError> {
    if let Some(hash) = whole::sha256_of_single_member(bytes, cap) {
        return Ok(hash);
    }
    sha256_of_gzip_prefix_streaming(bytes, cap)
}

/// [`sha256_of_gzip_prefix`] without the whole-buffer fast path: inflates in chunks and
/// hashes each, whatever the file.
pub(crate) fn sha256_of_gzip_prefix_streaming(
    bytes: &[u8],
    cap: u64,
) -> Result<PrefixHash, InflateError> {
    let mut hasher = Sha256::new();
    let outcome = inflate_first_member(bytes, cap, |chunk| hasher.update(chunk))?;
    Ok(PrefixHash {
        sha256: hex::encode(hasher.finalize()),
        inflated_bytes: outcome.inflated,
        complete: outcome.complete,
        consumed: outcome.consumed,
    })
}

/// What [`inflate_first_member`] saw.
struct Outcome {
    inflated: u64,
    complete: bool,
    consumed: usize,
}

/// Inflates the first member of `bytes`, passing each output chunk to `sink`.
fn inflate_first_member(
    bytes: &[u8],
    cap: u64,
    mut sink: impl FnMut(&[u8]),
) -> Result<Outcome, InflateError> {
    let mut decoder = new_single_member_decoder(bytes);
    let mut chunk = vec![0_u8; CHUNK_BYTES];
    let mut inflated: u64 = 0;
    loop {
        // Never ask for more than one byte past the cap, so a bomb stops early.
        let allowance = cap.saturating_add(1).saturating_sub(inflated);
        let window =
            usize::try_from(allowance).map_or(CHUNK_BYTES, |allowed| allowed.clamp(1, CHUNK_BYTES));
        match decoder.read(&mut chunk[..window]) {
            Ok(0) => break,
            Ok(count) => {
                inflated += count as u64;
                if inflated > cap {
                    return Err(InflateError::TooLarge);
                }
                sink(&chunk[..count]);
            }
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => {
                return Ok(Outcome {
                    inflated,
                    complete: false,
                    consumed: bytes.len(),
                });
            }
            Err(_) => return Err(InflateError::Corrupt),
        }
    }
    // `Ok(0)` from a single-member decoder: the trailer was read and checked; what the
    // decoder did not consume is what follows the member.
    let rest = decoder.into_inner();
    Ok(Outcome {
        inflated,
        complete: true,
        consumed: bytes.len() - rest.len(),
    })
}

/// Builds this crate's one single-member gzip decoder.
#[expect(
    clippy::disallowed_methods,
    reason = "the workspace's capped reader is multi-member and cannot see trailing data; \
              this decoder is read only through `inflate_first_member`, which enforces a cap"
)]
fn new_single_member_decoder(bytes: &[u8]) -> GzDecoder<&[u8]> {
    GzDecoder::new(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_fixed() {
        let stored = gzip(b"{}");
        // ID1 ID2 CM FLG MTIME(4) XFL OS
        assert_eq!(&stored[..4], &[0x1f, 0x8b, 8, 0]);
        assert_eq!(&stored[4..8], &[0, 0, 0, 0]);
        assert_eq!(stored[9], 255);
        assert_eq!(gzip(b"{}"), stored);
    }

    #[test]
    fn round_trip_and_hash() {
        let stored = gzip(b"{}");
        assert_eq!(gunzip_single(&stored, 2).unwrap(), b"{}");
        assert_eq!(
            sha256_of_gzip_member(&stored, 2).unwrap(),
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
    }

    #[test]
    fn cap_is_exact() {
        let stored = gzip(&[b'x'; 1000]);
        assert_eq!(gunzip_single(&stored, 1000).unwrap().len(), 1000);
        assert_eq!(gunzip_single(&stored, 999), Err(InflateError::TooLarge));
        assert_eq!(
            sha256_of_gzip_member(&stored, 999),
            Err(InflateError::TooLarge)
        );
        assert_eq!(gunzip_single(&gzip(b""), 0).unwrap(), b"");
    }

    #[test]
    fn every_truncation_is_corrupt_strictly_and_a_prefix_leniently() {
        let stored = gzip(br#"{"Records":[{"eventName":"ListUsers"}]}"#);
        for length in 0..stored.len() {
            let cut = &stored[..length];
            assert_eq!(
                gunzip_single(cut, 1 << 20),
                Err(InflateError::Corrupt),
                "{length}"
            );
            let prefix = sha256_of_gzip_prefix(cut, 1 << 20).unwrap();
            assert!(!prefix.complete, "{length}");
        }
    }

    #[test]
    fn trailing_bytes_are_reported() {
        let stored = gzip(b"abc");
        for tail in [&[0_u8][..], b"\n", &gzip(b"def")] {
            let mut bytes = stored.clone();
            bytes.extend_from_slice(tail);
            assert_eq!(gunzip_single(&bytes, 100), Err(InflateError::TrailingData));
            assert_eq!(
                sha256_of_gzip_member(&bytes, 100),
                Err(InflateError::TrailingData)
            );
            let (inflated, consumed) = gunzip_first_member(&bytes, 100).unwrap();
            assert_eq!((inflated.as_slice(), consumed), (&b"abc"[..], stored.len()));
        }
    }
}
