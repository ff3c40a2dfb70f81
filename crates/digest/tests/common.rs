//! Shared fixtures: the test-only signing key, times, sample digests.

use std::path::PathBuf;

use opentrail_digest::naming::DigestKey;
use opentrail_digest::{DigestFile, LogFileEntry, PreviousDigest, Signer};
use opentrail_types::Timestamp;

/// `crates/digest/<relative>`.
pub fn crate_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// The committed test-only private key (`testdata/README.md`).
pub fn test_signer() -> Signer {
    let der = std::fs::read(crate_path("testdata/test-only-signing-key.pk8.der")).unwrap();
    Signer::from_pkcs8_der(&der).unwrap()
}

/// Parses an ISO time.
pub fn at(text: &str) -> Timestamp {
    Timestamp::parse_event_time(text).unwrap()
}

/// A digest key of trail `main-trail` in `us-east-1`.
pub fn sample_key(
    prefix: Option<&str>,
    org_id: Option<&str>,
    end: &str,
    backfill: bool,
) -> DigestKey {
    DigestKey {
        prefix: prefix.map(str::to_owned),
        org_id: org_id.map(str::to_owned),
        account_id: String::from("111122223333"),
        source_region: String::from("us-east-1"),
        trail_name: String::from("main-trail"),
        home_region: String::from("us-east-1"),
        end: at(end),
        backfill,
    }
}

/// A digest for `key` in bucket `audit-archive`, with `log_files` and an optional link.
pub fn sample_digest(
    key: &DigestKey,
    start: &str,
    fingerprint: &str,
    previous: Option<PreviousDigest>,
    log_files: Vec<LogFileEntry>,
) -> DigestFile {
    let (newest, oldest) = DigestFile::event_time_bounds(&log_files);
    DigestFile {
        aws_account_id: key.account_id.clone(),
        digest_start_time: at(start),
        digest_end_time: key.end,
        digest_s3_bucket: String::from("audit-archive"),
        digest_s3_object: key.object_key(),
        digest_public_key_fingerprint: fingerprint.to_owned(),
        newest_event_time: newest,
        oldest_event_time: oldest,
        previous,
        log_files,
    }
}

/// A log-file entry with the hash of `content`.
pub fn log_entry(key: &str, content: &[u8], oldest: &str, newest: &str) -> LogFileEntry {
    LogFileEntry {
        s3_bucket: String::from("audit-archive"),
        s3_object: key.to_owned(),
        hash_value: opentrail_digest::sha256_hex(content),
        newest_event_time: at(newest),
        oldest_event_time: at(oldest),
    }
}
