//! The whole-buffer fast path of [`super::sha256_of_gzip_prefix`]: a well-formed file of
//! exactly one gzip member is inflated in one call by libdeflate (through `libdeflater`)
//! into a buffer of the size its trailer announces, then hashed in one pass.
//!
//! Why: inflate and SHA-256 are the whole CPU cost of checking a log file, about half each.
//! libdeflate inflates a whole buffer about 1.3 times as fast as zlib-rs in a stream (1.85
//! against 1.4 GB/s of JSON per core on the benchmark machine, `opentrail-bench
//! inflate-hash`); SHA-256 runs at 1.8 GB/s either way (SHA-NI), so inflate + hash gains
//! about 15 %.
//!
//! The fast path only ever answers when its answer is the streaming path's answer;
//! anything it is unsure of returns `None` and the caller runs the streaming path, so
//! verdicts never depend on which path ran:
//!
//! - The header is the plain 10 bytes with no flags (FLG = 0), as CloudTrail, Java's and
//!   our own writers make it. Optional header fields are left to the streaming path, whose
//!   parser has limits of its own (a 64 KiB cap on names and comments, the header CRC).
//! - ISIZE (the last 4 bytes) sizes the buffer; it must be within the caller's cap, within
//!   [`MAX_WHOLE_BYTES`], and within what deflate can expand the input to
//!   ([`MAX_DEFLATE_RATIO`]), so a forged trailer cannot make us allocate much.
//! - libdeflate checks the deflate data, the CRC-32 and ISIZE of the first member, and
//!   must fill the buffer exactly.
//! - libdeflate does not say where the member ended, so trailing data is ruled out this
//!   way: had the member ended before the last 8 bytes, its ISIZE (the 4 bytes just
//!   checked) would also sit somewhere before the last 4. When those 4 bytes occur nowhere
//!   else in the file, the member ends exactly at the end of the file. When they do occur
//!   elsewhere (a chance of about one in 570 for a 7.5 MB file, and always for a file
//!   appended to itself), the streaming path decides.

use std::sync::{Condvar, Mutex, MutexGuard, OnceLock, PoisonError};

use libdeflater::Decompressor;
use sha2::{Digest as _, Sha256};

use super::PrefixHash;

/// The largest inflated size inflated as a whole (larger files stream in chunks).
/// CloudTrail log files are at most 50 MB gzipped and typically inflate to well under this.
pub(crate) const MAX_WHOLE_BYTES: u64 = 128 << 20;
/// Deflate's largest expansion: a 258-byte match coded in 2 bits gives 1,032 bytes out per
/// byte in; a trailer announcing more than that is a lie.
const MAX_DEFLATE_RATIO: u64 = 1032;
/// The gzip header without optional fields, and the trailer (CRC-32, ISIZE).
const HEADER_BYTES: usize = 10;
const TRAILER_BYTES: usize = 8;
/// The header bytes the fast path accepts: magic, CM = 8 (deflate), FLG = 0.
const PLAIN_HEADER: [u8; 4] = [0x1f, 0x8b, 8, 0];

/// A decompressor and an output buffer, reused across calls.
struct Workspace {
    decompressor: Decompressor,
    buffer: Vec<u8>,
}

/// The workspaces, kept between calls. Touching fresh memory is dear (in a VM, first-touch
/// page faults of a 50 MB buffer cost as much as a third of its inflate), so buffers are
/// reused rather than allocated per call, and their number is bounded: a call that finds
/// every workspace busy waits for one (the work is CPU-bound, so waiting costs little
/// throughput, and memory stays bounded whatever the caller's concurrency).
struct Pool {
    idle: Vec<Workspace>,
    /// Workspaces in existence, idle or lent.
    made: usize,
}

static POOL: Mutex<Pool> = Mutex::new(Pool {
    idle: Vec::new(),
    made: 0,
});
/// Workspaces per CPU: two, the validator's default concurrency (`--concurrency`), so its
/// calls never wait for a workspace: with 2 per CPU, a trail of 14,400 small files checks
/// about 4 % faster than with 1, for a trail of large files it makes no difference, and
/// peak memory grows by one buffer (up to 128 MiB) per CPU.
const WORKSPACES_PER_CPU: usize = 2;
/// Signalled each time a workspace comes back.
static RETURNED: Condvar = Condvar::new();
/// Workspaces at most: [`WORKSPACES_PER_CPU`] per CPU.
static LIMIT: OnceLock<usize> = OnceLock::new();

/// Hashes `bytes` when it is exactly one well-formed gzip member with a plain header and
/// an inflated size within `cap`; `None` when the streaming path must decide.
pub(crate) fn sha256_of_single_member(bytes: &[u8], cap: u64) -> Option<PrefixHash> {
    let size = announced_size(bytes, cap)?;
    let mut lease = Lease::take();
    hash_with(lease.workspace()?, bytes, size)
}

/// The ISIZE of a file the fast path may take, as a buffer length.
fn announced_size(bytes: &[u8], cap: u64) -> Option<usize> {
    if bytes.len() < HEADER_BYTES + TRAILER_BYTES || bytes[..4] != PLAIN_HEADER {
        return None;
    }
    let isize_bytes: [u8; 4] = bytes[bytes.len() - 4..].try_into().ok()?;
    let size = u64::from(u32::from_le_bytes(isize_bytes));
    let deflate_bytes = (bytes.len() - HEADER_BYTES - TRAILER_BYTES) as u64;
    if size > cap || size > MAX_WHOLE_BYTES || size > deflate_bytes * MAX_DEFLATE_RATIO {
        return None;
    }
    usize::try_from(size).ok()
}

fn hash_with(workspace: &mut Workspace, bytes: &[u8], size: usize) -> Option<PrefixHash> {
    if !member_ends_at_end(bytes) {
        return None;
    }
    if workspace.buffer.len() < size {
        // A fresh zeroed allocation rather than a resize: no copy of the old contents.
        // Headroom and at least doubling keep regrowths to a handful per workspace.
        let length = (size + size / 4)
            .max(workspace.buffer.len() * 2)
            .min(MAX_WHOLE_BYTES as usize)
            .max(size);
        workspace.buffer = Vec::new();
        workspace.buffer = vec![0; length];
    }
    let output = &mut workspace.buffer[..size];
    let written = workspace.decompressor.gzip_decompress(bytes, output).ok()?;
    if written != size {
        return None;
    }
    Some(PrefixHash {
        sha256: hex::encode(Sha256::digest(&output[..])),
        inflated_bytes: size as u64,
        complete: true,
        consumed: bytes.len(),
    })
}

/// Whether the first member, once libdeflate has found its ISIZE equal to the file's last
/// 4 bytes, can only end at the end of the file: those 4 bytes occur nowhere else after the
/// header (the member's own ISIZE would sit at `end − 4` for a member ending at `end`).
fn member_ends_at_end(bytes: &[u8]) -> bool {
    let split = bytes.len() - 4;
    let needle = [
        bytes[split],
        bytes[split + 1],
        bytes[split + 2],
        bytes[split + 3],
    ];
    // Every window starting after the header and before `split`: `bytes[HEADER_BYTES..split
    // + 3]` holds exactly those windows.
    !contains_window(&bytes[HEADER_BYTES..split + 3], needle)
}

/// Whether `haystack` holds `needle` anywhere. Blocks of 64 starting positions are
/// compared without early exit so the compiler vectorises them: about 18 GB/s, five times
/// `windows(4).any(…)`, a few tenths of a percent of the inflate.
fn contains_window(haystack: &[u8], needle: [u8; 4]) -> bool {
    const STARTS: usize = 64;
    let mut start = 0;
    while let Some(block) = haystack[start..].first_chunk::<{ STARTS + 3 }>() {
        let mut found = false;
        for at in 0..STARTS {
            found |= (block[at] == needle[0])
                & (block[at + 1] == needle[1])
                & (block[at + 2] == needle[2])
                & (block[at + 3] == needle[3]);
        }
        if found {
            return true;
        }
        start += STARTS;
    }
    haystack[start..].windows(4).any(|window| window == needle)
}

/// A workspace lent by the pool, given back on drop (so also when a call unwinds).
struct Lease(Option<Workspace>);

impl Lease {
    /// Takes an idle workspace, makes one while there are fewer than the limit, or waits.
    fn take() -> Lease {
        let limit = *LIMIT.get_or_init(|| {
            WORKSPACES_PER_CPU * std::thread::available_parallelism().map_or(2, usize::from)
        });
        let mut pool = lock_pool();
        loop {
            if let Some(workspace) = pool.idle.pop() {
                return Lease(Some(workspace));
            }
            if pool.made < limit {
                pool.made += 1;
                return Lease(Some(Workspace {
                    decompressor: Decompressor::new(),
                    buffer: Vec::new(),
                }));
            }
            pool = RETURNED.wait(pool).unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// The workspace (always there until drop).
    fn workspace(&mut self) -> Option<&mut Workspace> {
        self.0.as_mut()
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        let mut pool = lock_pool();
        match self.0.take() {
            Some(workspace) => pool.idle.push(workspace),
            None => pool.made = pool.made.saturating_sub(1),
        }
        drop(pool);
        RETURNED.notify_one();
    }
}

fn lock_pool() -> MutexGuard<'static, Pool> {
    // The pool's state is consistent between any two statements: a poisoned lock (a
    // panic elsewhere while it was held) leaves nothing half done.
    POOL.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::{gzip, sha256_of_gzip_prefix_streaming};
    use super::*;

    const CAP: u64 = 1 << 24;

    fn sample(records: usize) -> Vec<u8> {
        let mut json = b"{\"Records\":[".to_vec();
        for index in 0..records {
            if index > 0 {
                json.push(b',');
            }
            json.extend_from_slice(
                format!(
                    r#"{{"eventName":"ListUsers","eventID":"{index:08}","n":{}}}"#,
                    index * 7919 % 1000
                )
                .as_bytes(),
            );
        }
        json.extend_from_slice(b"]}");
        gzip(&json)
    }

    #[test]
    fn well_formed_files_take_the_fast_path() {
        for records in [0, 1, 10, 5000] {
            let stored = sample(records);
            let fast = sha256_of_single_member(&stored, CAP).expect("fast path");
            assert_eq!(
                Ok(fast),
                sha256_of_gzip_prefix_streaming(&stored, CAP),
                "{records}"
            );
        }
    }

    #[test]
    fn the_fast_path_declines_what_it_cannot_be_sure_of() {
        let stored = sample(100);
        // Trailing data, including a copy of the file itself (same trailer at the end).
        for tail in [&b"\0"[..], b"junk", &stored, &gzip(b"{}")] {
            let mut bytes = stored.clone();
            bytes.extend_from_slice(tail);
            assert_eq!(sha256_of_single_member(&bytes, CAP), None, "{tail:?}");
        }
        // Any optional header field, even a harmless one.
        let mut named = stored.clone();
        named[3] = 0x08;
        assert_eq!(sha256_of_single_member(&named, CAP), None);
        // Over the cap, a forged ISIZE, a cut file.
        let size = u64::from(u32::from_le_bytes(
            stored[stored.len() - 4..].try_into().unwrap(),
        ));
        assert_eq!(sha256_of_single_member(&stored, size - 1), None);
        assert!(sha256_of_single_member(&stored, size).is_some());
        let mut forged = stored.clone();
        let at = forged.len() - 1;
        forged[at] = 0x7f;
        assert_eq!(sha256_of_single_member(&forged, u64::MAX), None);
        assert_eq!(
            sha256_of_single_member(&stored[..stored.len() - 1], CAP),
            None
        );
        assert_eq!(sha256_of_single_member(b"", CAP), None);
    }

    #[test]
    fn an_isize_seen_earlier_in_the_file_sends_it_to_the_streaming_path() {
        let stored = sample(100);
        let isize_bytes = stored[stored.len() - 4..].to_vec();
        assert!(member_ends_at_end(&stored));
        // The same 4 bytes in the header's MTIME field do not count (the header is skipped);
        // anywhere in the deflate data they do.
        let mut in_mtime = stored.clone();
        in_mtime[4..8].copy_from_slice(&isize_bytes);
        assert!(member_ends_at_end(&in_mtime));
        let mut in_body = stored.clone();
        in_body[HEADER_BYTES..HEADER_BYTES + 4].copy_from_slice(&isize_bytes);
        assert!(!member_ends_at_end(&in_body));
        // Just before the CRC-32 (a member 4 bytes shorter than the file).
        let mut just_before = stored.clone();
        let at = stored.len() - 12;
        just_before[at..at + 4].copy_from_slice(&isize_bytes);
        assert!(!member_ends_at_end(&just_before));
    }

    #[test]
    fn window_search_finds_every_position() {
        let haystack: Vec<u8> = (0..300_u32).map(|index| (index * 7 % 251) as u8).collect();
        for length in [0, 3, 4, 66, 67, 68, 130, 131, 300] {
            let hay = &haystack[..length];
            for at in 0..length.saturating_sub(3) {
                let needle = [hay[at], hay[at + 1], hay[at + 2], hay[at + 3]];
                assert!(contains_window(hay, needle), "{length} {at}");
            }
            assert!(!contains_window(hay, [255, 255, 255, 255]), "{length}");
        }
    }

    #[test]
    fn pooled_buffers_are_reused_without_leaking_old_bytes() {
        // A long file then a short one: the short one's hash must not see the long tail.
        let long = sample(5000);
        let short = sample(3);
        for stored in [&long, &short, &long, &short] {
            assert_eq!(
                sha256_of_single_member(stored, CAP),
                sha256_of_gzip_prefix_streaming(stored, CAP).ok()
            );
        }
    }

    #[test]
    fn every_damaged_byte_gets_the_streaming_answer() {
        let stored = sample(40);
        let mut fast_answers = 0;
        for at in 0..stored.len() {
            for mask in [0x01, 0x10, 0x80, 0xff] {
                let mut bytes = stored.clone();
                bytes[at] ^= mask;
                if let Some(fast) = sha256_of_single_member(&bytes, CAP) {
                    fast_answers += 1;
                    assert_eq!(
                        Ok(fast),
                        sha256_of_gzip_prefix_streaming(&bytes, CAP),
                        "byte {at} ^ {mask:#x}"
                    );
                }
            }
        }
        // MTIME, XFL and OS are read by neither path: those 6 bytes × 4 masks at least.
        assert!(fast_answers >= 24, "{fast_answers}");
    }

    #[test]
    fn more_callers_than_cpus_wait_for_a_workspace_and_all_finish() {
        let files: Vec<Vec<u8>> = [2000, 5, 700, 0].into_iter().map(sample).collect();
        let expected: Vec<_> = files
            .iter()
            .map(|stored| sha256_of_gzip_prefix_streaming(stored, CAP).ok())
            .collect();
        std::thread::scope(|scope| {
            for thread in 0..12 {
                let (files, expected) = (&files, &expected);
                scope.spawn(move || {
                    for round in 0..20 {
                        let pick = (thread + round) % files.len();
                        assert_eq!(sha256_of_single_member(&files[pick], CAP), expected[pick]);
                    }
                });
            }
        });
        let cpus = std::thread::available_parallelism().map_or(2, usize::from);
        let pool = lock_pool();
        assert!(
            pool.made <= WORKSPACES_PER_CPU * cpus,
            "{} workspaces for {cpus} CPUs",
            pool.made
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Whenever the fast path answers, the streaming path gives the same answer, on
        /// damaged files too: flipped bytes, cut ends, appended bytes.
        #[test]
        fn the_fast_path_agrees_with_the_streaming_path(
            records in 0_usize..200,
            flips in proptest::collection::vec((any::<prop::sample::Index>(), 1_u8..=255), 0..3),
            cut in 0_usize..4,
            tail in proptest::collection::vec(any::<u8>(), 0..3),
        ) {
            let mut bytes = sample(records);
            for (index, mask) in flips {
                let at = index.index(bytes.len());
                bytes[at] ^= mask;
            }
            bytes.truncate(bytes.len() - cut.min(bytes.len()));
            bytes.extend_from_slice(&tail);
            let streaming = sha256_of_gzip_prefix_streaming(&bytes, CAP);
            if let Some(fast) = sha256_of_single_member(&bytes, CAP) {
                prop_assert_eq!(Ok(fast), streaming);
            }
        }
    }
}
