//! Capped decompression of untrusted files: the only place in the workspace that builds a
//! gzip decoder (`clippy.toml` bans the raw `flate2` decoders everywhere else).
//!
//! CloudTrail log and digest files are gzip (RFC 1952) with one member
//! (`spec/trails-and-integrity.md` §1.2, §2.2); archives copied by other tools may be
//! gunzipped already, so plain files are read too, under the same cap. The encoding is told
//! by content, not name: a gzip stream starts with the magic bytes `1f 8b`, and no JSON text
//! can start with them (`0x1f` is a control character, invalid outside and at the start of
//! JSON). Several concatenated gzip members are accepted on read.
//!
//! Every read stops with [`ErrorKind::TooLarge`] as soon as the output passes the cap, so a
//! gzip bomb costs at most `cap + 1` bytes of output buffer, not an out-of-memory abort.
//!
//! ```
//! use std::io::Write as _;
//! use opentrail_archive::ErrorKind;
//! use opentrail_archive::gzip::{decode_slice_capped, Encoding};
//!
//! let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
//! encoder.write_all(&[b' '; 10_000])?;
//! let compressed = encoder.finish()?;
//!
//! let decoded = decode_slice_capped(&compressed, 1 << 20)?;
//! assert_eq!((decoded.encoding, decoded.bytes.len()), (Encoding::Gzip, 10_000));
//!
//! let error = decode_slice_capped(&compressed, 4_096).unwrap_err();
//! assert_eq!(error.kind(), ErrorKind::TooLarge);
//! assert_eq!(error.to_string(), "decompressed size exceeds the 4096-byte limit");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use flate2::bufread::MultiGzDecoder;

use crate::error::{Error, ErrorKind, Result};

/// The default cap on the decompressed size of one file: 512 MiB.
///
/// Real log files are at most 50 MB compressed (`spec/trails-and-integrity.md` §1.2), a few
/// hundred MB inflated.
pub const DEFAULT_MAX_DECOMPRESSED_BYTES: u64 = 512 * 1024 * 1024;

/// The two bytes every gzip member starts with (RFC 1952 §2.3.1, `ID1 ID2`).
pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Deflate cannot inflate more than about 1032 bytes per input byte (a 258-byte match costs at
/// least two bits), so an `ISIZE` claiming more than that is a lie and is clamped.
const MAX_DEFLATE_RATIO: u64 = 1032;

/// Size of the buffer between the file and the inflater.
const INPUT_BUFFER_BYTES: usize = 128 * 1024;

/// The smallest step by which the output buffer grows when there is no (or a wrong) hint.
const MIN_GROWTH_BYTES: usize = 64 * 1024;

/// How a stored file is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// Stored as is.
    Plain,
    /// gzip, one or more members.
    Gzip,
}

impl Encoding {
    /// Tells the encoding from the first bytes of a file: gzip when they are [`GZIP_MAGIC`].
    pub fn sniff(prefix: &[u8]) -> Encoding {
        if prefix.starts_with(&GZIP_MAGIC) {
            Encoding::Gzip
        } else {
            Encoding::Plain
        }
    }
}

/// A reader of untrusted, possibly gzip-compressed bytes that fails once its output passes
/// `cap_bytes`.
///
/// As a [`Read`], it returns an [`io::Error`] whose inner error is this crate's [`Error`]
/// ([`ErrorKind::TooLarge`] or [`ErrorKind::Gzip`]); errors of the underlying reader pass
/// through unchanged. It never writes more than `cap_bytes + 1` bytes in total into the
/// caller's buffers, and after a failure every further read fails too (so a caller that
/// ignores an error never mistakes the rest for a clean end of file).
/// [`CappedGzReader::read_to_vec`] reads everything into one buffer and returns the typed
/// [`Error`].
#[derive(Debug)]
pub struct CappedGzReader<R> {
    decoder: Decoder<R>,
    cap_bytes: u64,
    produced: u64,
    failed: Option<ErrorKind>,
}

#[derive(Debug)]
#[expect(
    clippy::large_enum_variant,
    reason = "one decoder per file being read, never in a collection; boxing gains nothing"
)]
enum Decoder<R> {
    Plain(TrackedSource<R>),
    Gzip(MultiGzDecoder<TrackedSource<R>>),
}

impl<R: BufRead> CappedGzReader<R> {
    /// Wraps `reader`, decoding it as `encoding`, with a cap of `cap_bytes` output bytes.
    pub fn new(reader: R, encoding: Encoding, cap_bytes: u64) -> CappedGzReader<R> {
        let source = TrackedSource {
            inner: reader,
            failed: false,
        };
        let decoder = match encoding {
            Encoding::Plain => Decoder::Plain(source),
            Encoding::Gzip => Decoder::Gzip(new_multi_member_decoder(source)),
        };
        CappedGzReader {
            decoder,
            cap_bytes,
            produced: 0,
            failed: None,
        }
    }

    /// The encoding being decoded.
    pub fn encoding(&self) -> Encoding {
        match self.decoder {
            Decoder::Plain(_) => Encoding::Plain,
            Decoder::Gzip(_) => Encoding::Gzip,
        }
    }

    /// The cap on output bytes.
    pub fn cap_bytes(&self) -> u64 {
        self.cap_bytes
    }

    /// How many output bytes have been read so far.
    pub fn bytes_out(&self) -> u64 {
        self.produced
    }

    /// Reads the whole output into one buffer.
    ///
    /// `size_hint` is the expected output size (e.g. a plain file's length or a gzip
    /// `ISIZE`); the buffer is reserved from it up front, but never beyond `cap_bytes + 1`,
    /// and a wrong hint only costs reallocations. Pass 0 when unknown.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::TooLarge`] once the output passes the cap, [`ErrorKind::Gzip`] for a
    /// corrupt or truncated gzip stream, [`ErrorKind::Io`] when the underlying reader fails.
    pub fn read_to_vec(self, size_hint: u64) -> Result<Vec<u8>> {
        let mut buffer = Vec::new();
        self.read_into_keeping(&mut buffer, size_hint, 0)?;
        Ok(buffer)
    }

    /// As [`CappedGzReader::read_to_vec`], into `buffer` (cleared first), so a caller
    /// reading many files reuses one allocation instead of faulting in fresh pages per file.
    ///
    /// # Errors
    ///
    /// As [`CappedGzReader::read_to_vec`].
    pub fn read_into(self, buffer: &mut Vec<u8>, size_hint: u64) -> Result<()> {
        self.read_into_keeping(buffer, size_hint, KEPT_CAPACITY_BYTES)
    }

    /// Reads into `buffer`, then releases capacity beyond what the output needs, except
    /// up to `kept_bytes` for reuse.
    fn read_into_keeping(
        mut self,
        buffer: &mut Vec<u8>,
        size_hint: u64,
        kept_bytes: usize,
    ) -> Result<()> {
        let limit = usize::try_from(self.cap_bytes.saturating_add(1)).unwrap_or(usize::MAX);
        let first_size = match usize::try_from(size_hint) {
            Ok(0) => MIN_GROWTH_BYTES,
            Ok(hint) => hint,
            Err(_) => usize::MAX,
        }
        .min(limit);
        buffer.clear();
        buffer.resize(first_size, 0);
        let mut filled = 0;
        loop {
            if filled == buffer.len() {
                // Full, perhaps because the hint was exact: ask for a few bytes before
                // growing, so an exact hint never doubles the allocation.
                let mut probe = [0_u8; 64];
                let count = read_retrying(&mut self, &mut probe).map_err(Error::from_io)?;
                if count == 0 {
                    break;
                }
                // The cap keeps `filled + count <= limit` (see `Read::read` below).
                let room = limit.saturating_sub(filled);
                let growth = filled.max(MIN_GROWTH_BYTES).max(count).min(room);
                buffer.reserve_exact(growth);
                buffer.extend_from_slice(&probe[..count]);
                buffer.resize(filled + growth, 0);
                filled += count;
                continue;
            }
            let count = read_retrying(&mut self, &mut buffer[filled..]).map_err(Error::from_io)?;
            if count == 0 {
                break;
            }
            filled += count;
        }
        buffer.truncate(filled);
        // A hint far above the real size (a forged `ISIZE`) left untouched capacity behind;
        // growth by doubling never leaves more than `filled`. Up to `kept_bytes` stays, for
        // the caller's next file.
        let threshold = filled
            .saturating_mul(2)
            .max(MIN_GROWTH_BYTES)
            .max(kept_bytes);
        if buffer.capacity() > threshold {
            buffer.shrink_to(filled.max(kept_bytes));
        }
        Ok(())
    }

    fn source_failed(&self) -> bool {
        match &self.decoder {
            Decoder::Plain(source) => source.failed,
            Decoder::Gzip(decoder) => decoder.get_ref().failed,
        }
    }
}

impl<R: BufRead> Read for CappedGzReader<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        if let Some(kind) = self.failed {
            return Err(io::Error::other(Error::new(
                kind,
                "read after the stream already failed",
            )));
        }
        if buffer.is_empty() {
            return Ok(0);
        }
        // At least 1: passing the cap sets `failed` above.
        let allowance = self
            .cap_bytes
            .saturating_add(1)
            .saturating_sub(self.produced);
        let window =
            usize::try_from(allowance).map_or(buffer.len(), |allowed| allowed.min(buffer.len()));
        let result = match &mut self.decoder {
            Decoder::Plain(source) => source.read(&mut buffer[..window]),
            Decoder::Gzip(decoder) => decoder.read(&mut buffer[..window]),
        };
        match result {
            Ok(count) => {
                self.produced += count as u64;
                if self.produced > self.cap_bytes {
                    self.failed = Some(ErrorKind::TooLarge);
                    return Err(io::Error::other(Error::too_large(self.cap_bytes)));
                }
                Ok(count)
            }
            Err(error) if error.kind() == io::ErrorKind::Interrupted => Err(error),
            Err(error) if self.source_failed() => {
                self.failed = Some(ErrorKind::Io);
                Err(error)
            }
            Err(error) => {
                self.failed = Some(ErrorKind::Gzip);
                let message = if error.kind() == io::ErrorKind::UnexpectedEof {
                    "gzip data is truncated"
                } else {
                    "corrupt gzip data"
                };
                let typed = Error::new(ErrorKind::Gzip, message).with_source(error);
                Err(io::Error::new(io::ErrorKind::InvalidData, typed))
            }
        }
    }
}

/// Builds the one multi-member gzip decoder of the workspace.
#[expect(
    clippy::disallowed_methods,
    reason = "the capped reader is the one sanctioned place that builds a gzip decoder"
)]
fn new_multi_member_decoder<R: BufRead>(source: R) -> MultiGzDecoder<R> {
    MultiGzDecoder::new(source)
}

/// A reader that remembers whether it failed, to tell I/O errors of the file from the
/// decoder's own errors (both come out of `flate2` as `io::Error`).
#[derive(Debug)]
struct TrackedSource<R> {
    inner: R,
    failed: bool,
}

impl<R> TrackedSource<R> {
    fn track<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        if let Err(error) = &result
            && error.kind() != io::ErrorKind::Interrupted
        {
            self.failed = true;
        }
        result
    }
}

impl<R: Read> Read for TrackedSource<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let result = self.inner.read(buffer);
        self.track(result)
    }
}

impl<R: BufRead> BufRead for TrackedSource<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match self.inner.fill_buf() {
            Ok(buffer) => Ok(buffer),
            Err(error) => {
                // A disjoint field: the buffer borrow of `inner` does not conflict.
                if error.kind() != io::ErrorKind::Interrupted {
                    self.failed = true;
                }
                Err(error)
            }
        }
    }

    fn consume(&mut self, amount: usize) {
        self.inner.consume(amount);
    }
}

fn read_retrying(reader: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    loop {
        match reader.read(buffer) {
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            result => return result,
        }
    }
}

/// Bytes read from a file or buffer, decompressed when they were gzip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The content, inflated.
    pub bytes: Vec<u8>,
    /// How it was stored.
    pub encoding: Encoding,
    /// The stored (compressed) size in bytes.
    pub stored_bytes: u64,
}

/// Capacity a reused output buffer may keep between files.
const KEPT_CAPACITY_BYTES: usize = 16 * 1024 * 1024;

/// Reads `reader` to its end as `encoding`, with at most `cap_bytes` of output.
///
/// # Errors
///
/// As [`CappedGzReader::read_to_vec`].
pub fn read_capped<R: Read>(reader: R, encoding: Encoding, cap_bytes: u64) -> Result<Vec<u8>> {
    let buffered = BufReader::with_capacity(INPUT_BUFFER_BYTES, reader);
    CappedGzReader::new(buffered, encoding, cap_bytes).read_to_vec(0)
}

/// Decodes an in-memory file (gzip or plain, told by its first bytes), with at most
/// `cap_bytes` of output.
///
/// # Errors
///
/// As [`CappedGzReader::read_to_vec`].
pub fn decode_slice_capped(stored: &[u8], cap_bytes: u64) -> Result<Decoded> {
    let encoding = Encoding::sniff(stored);
    let stored_bytes = stored.len() as u64;
    let size_hint = match (encoding, stored.last_chunk::<4>()) {
        (Encoding::Plain, _) => stored_bytes,
        (Encoding::Gzip, Some(trailer)) => gzip_size_hint(*trailer, stored_bytes),
        (Encoding::Gzip, None) => 0,
    };
    let bytes = CappedGzReader::new(stored, encoding, cap_bytes).read_to_vec(size_hint)?;
    Ok(Decoded {
        bytes,
        encoding,
        stored_bytes,
    })
}

/// Reads the file at `path` (gzip or plain, told by its first bytes), with at most
/// `cap_bytes` of output, into one buffer reserved from the file's length or its gzip
/// `ISIZE` trailer.
///
/// # Errors
///
/// [`ErrorKind::Io`] when the file cannot be opened or read, and the errors of
/// [`CappedGzReader::read_to_vec`]; all carry `path`.
pub fn read_file_capped(path: &Path, cap_bytes: u64) -> Result<Decoded> {
    let mut bytes = Vec::new();
    let (encoding, stored_bytes) = read_file_capped_into(path, cap_bytes, &mut bytes)?;
    Ok(Decoded {
        bytes,
        encoding,
        stored_bytes,
    })
}

/// As [`read_file_capped`], into `buffer` (cleared first); returns the encoding and the
/// stored size.
///
/// # Errors
///
/// As [`read_file_capped`].
pub fn read_file_capped_into(
    path: &Path,
    cap_bytes: u64,
    buffer: &mut Vec<u8>,
) -> Result<(Encoding, u64)> {
    let mut file = File::open(path).map_err(|error| Error::io("cannot open file", path, error))?;
    let (encoding, stored_bytes, size_hint) =
        inspect_file(&mut file).map_err(|error| Error::io("cannot read file", path, error))?;
    let buffered = BufReader::with_capacity(INPUT_BUFFER_BYTES, file);
    CappedGzReader::new(buffered, encoding, cap_bytes)
        .read_into(buffer, size_hint)
        .map_err(|error| error.with_path(path))?;
    Ok((encoding, stored_bytes))
}

/// Sniffs the encoding and finds a size hint, leaving `file` at its start.
fn inspect_file(file: &mut File) -> io::Result<(Encoding, u64, u64)> {
    let stored_bytes = file.metadata()?.len();
    let mut magic = [0_u8; 2];
    let magic_len = read_up_to(file, &mut magic)?;
    let encoding = Encoding::sniff(&magic[..magic_len]);
    let size_hint = match encoding {
        Encoding::Plain => stored_bytes,
        // Shortest member: 10-byte header, 2-byte empty block, 8-byte trailer.
        Encoding::Gzip if stored_bytes >= 20 => {
            let mut trailer = [0_u8; 4];
            file.seek(SeekFrom::End(-4))?;
            file.read_exact(&mut trailer)?;
            gzip_size_hint(trailer, stored_bytes)
        }
        Encoding::Gzip => 0,
    };
    file.seek(SeekFrom::Start(0))?;
    Ok((encoding, stored_bytes, size_hint))
}

fn read_up_to(reader: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        let count = read_retrying(reader, &mut buffer[filled..])?;
        if count == 0 {
            break;
        }
        filled += count;
    }
    Ok(filled)
}

/// The expected inflated size from the last member's `ISIZE` (size mod 2^32, RFC 1952
/// §2.3.1), clamped to what deflate can produce from `stored_bytes`. Only a hint: it is wrong
/// for multi-member files and for outputs of 4 GiB or more, and it may be forged.
fn gzip_size_hint(trailer: [u8; 4], stored_bytes: u64) -> u64 {
    u64::from(u32::from_le_bytes(trailer)).min(stored_bytes.saturating_mul(MAX_DEFLATE_RATIO))
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use proptest::prelude::*;

    use super::*;

    fn gzip(content: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(content).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn sniff_tells_gzip_by_magic_bytes() {
        assert_eq!(Encoding::sniff(&gzip(b"{}")), Encoding::Gzip);
        assert_eq!(Encoding::sniff(b"{\"Records\":[]}"), Encoding::Plain);
        assert_eq!(Encoding::sniff(&[0x1f]), Encoding::Plain);
        assert_eq!(Encoding::sniff(b""), Encoding::Plain);
    }

    #[test]
    fn plain_input_is_read_up_to_and_including_the_cap() {
        let content = b"0123456789";
        let read = read_capped(&content[..], Encoding::Plain, 10).unwrap();
        assert_eq!(read, content);
        let error = read_capped(&content[..], Encoding::Plain, 9).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::TooLarge);
        assert_eq!(
            error.message(),
            "decompressed size exceeds the 9-byte limit"
        );
    }

    #[test]
    fn gzip_output_over_the_cap_is_too_large() {
        let compressed = gzip(&[b'a'; 100_000]);
        assert_eq!(
            read_capped(&compressed[..], Encoding::Gzip, 100_000)
                .unwrap()
                .len(),
            100_000
        );
        let error = read_capped(&compressed[..], Encoding::Gzip, 99_999).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::TooLarge);
    }

    #[test]
    fn multi_member_gzip_is_read_whole() {
        let mut compressed = gzip(b"first ");
        compressed.extend(gzip(b"second"));
        let decoded = decode_slice_capped(&compressed, 1 << 20).unwrap();
        assert_eq!(decoded.bytes, b"first second");
        assert_eq!(decoded.encoding, Encoding::Gzip);
        assert_eq!(decoded.stored_bytes, compressed.len() as u64);
    }

    #[test]
    fn truncated_gzip_says_truncated() {
        let compressed = gzip(&[b'x'; 50_000]);
        for cut in [5, 12, compressed.len() / 2, compressed.len() - 1] {
            let error = read_capped(&compressed[..cut], Encoding::Gzip, 1 << 20).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Gzip, "cut at {cut}");
            assert_eq!(error.message(), "gzip data is truncated", "cut at {cut}");
        }
    }

    #[test]
    fn corrupt_gzip_and_trailing_garbage_are_gzip_errors() {
        let mut compressed = gzip(b"{\"Records\":[]}");
        let last = compressed.len() - 1;
        compressed[last] ^= 0xff; // ISIZE no longer matches
        let error = read_capped(&compressed[..], Encoding::Gzip, 1 << 20).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Gzip);
        assert_eq!(error.message(), "corrupt gzip data");

        let mut trailing = gzip(b"{}");
        trailing.extend_from_slice(b"garbage!");
        let error = read_capped(&trailing[..], Encoding::Gzip, 1 << 20).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Gzip);
    }

    #[test]
    fn errors_of_the_source_reader_are_io_errors() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::PermissionDenied, "denied"))
            }
        }
        for encoding in [Encoding::Plain, Encoding::Gzip] {
            let error = read_capped(Failing, encoding, 1 << 20).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Io, "{encoding:?}");
        }
    }

    #[test]
    fn a_failed_reader_keeps_failing() {
        let compressed = gzip(&[b'a'; 1_000]);
        let mut reader = CappedGzReader::new(&compressed[..], Encoding::Gzip, 10);
        let mut buffer = [0_u8; 4096];
        let first = reader.read(&mut buffer).unwrap_err();
        assert_eq!(Error::from_io(first).kind(), ErrorKind::TooLarge);
        assert!(reader.read(&mut buffer).is_err());
        assert_eq!(reader.bytes_out(), 11);
    }

    #[test]
    fn buffer_never_grows_past_the_cap() {
        let compressed = gzip(&[b'z'; 300_000]);
        let read = read_capped(&compressed[..], Encoding::Gzip, 300_000).unwrap();
        assert_eq!(read.len(), 300_000);
        assert!(read.capacity() <= 300_001, "capacity {}", read.capacity());
        // An exact hint gives one allocation of exactly the right size.
        let decoded = decode_slice_capped(&compressed, 1 << 30).unwrap();
        assert_eq!(decoded.bytes.capacity(), 300_000);
    }

    #[test]
    fn an_overstated_hint_does_not_stay_allocated() {
        let compressed = gzip(&[b'q'; 1_000]);
        let reader = CappedGzReader::new(&compressed[..], Encoding::Gzip, 1 << 30);
        let read = reader.read_to_vec(10 << 20).unwrap();
        assert_eq!(read.len(), 1_000);
        assert!(
            read.capacity() < MIN_GROWTH_BYTES,
            "capacity {}",
            read.capacity()
        );
    }

    #[test]
    fn forged_isize_is_clamped() {
        assert_eq!(
            gzip_size_hint(u32::MAX.to_le_bytes(), 20),
            20 * MAX_DEFLATE_RATIO
        );
        assert_eq!(gzip_size_hint(1_000_u32.to_le_bytes(), 20), 1_000);
    }

    #[test]
    fn empty_input_reads_as_empty() {
        assert!(
            read_capped(&b""[..], Encoding::Plain, 0)
                .unwrap()
                .is_empty()
        );
        assert!(decode_slice_capped(&gzip(b""), 0).unwrap().bytes.is_empty());
        let error = read_capped(&b""[..], Encoding::Gzip, 10).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Gzip);
    }

    proptest! {
        #[test]
        fn output_is_whole_or_too_large(content in proptest::collection::vec(any::<u8>(), 0..3000), cap in 0_u64..4000, compress: bool) {
            prop_assume!(compress || !content.starts_with(&GZIP_MAGIC));
            let stored = if compress { gzip(&content) } else { content.clone() };
            match decode_slice_capped(&stored, cap) {
                Ok(decoded) => {
                    prop_assert!(content.len() as u64 <= cap);
                    prop_assert_eq!(decoded.bytes, content);
                }
                Err(error) => {
                    prop_assert!(content.len() as u64 > cap);
                    prop_assert_eq!(error.kind(), ErrorKind::TooLarge);
                }
            }
        }

        #[test]
        fn arbitrary_gzip_like_bytes_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..512)) {
            let mut stored = GZIP_MAGIC.to_vec();
            stored.extend(tail);
            let _ = decode_slice_capped(&stored, 1 << 16);
        }
    }
}
