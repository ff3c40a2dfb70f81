//! Log file integrity for OpenTrail: digest files, their `SHA256withRSA` signatures, the
//! signing keys and their rotation (`spec/trails-and-integrity.md` §2).
//!
//! Used by the delivery engine (which writes digests) and by the validator (which checks
//! them with the same verdicts as `aws cloudtrail validate-logs`).
//!
//! - Primitives: [`sha256_hex`], [`fingerprint`], [`string_to_sign`], [`verify_signature`],
//!   [`public_key_from_base64`], [`SIGNATURE_ALGORITHM`], [`HASH_ALGORITHM`].
//! - [`gzip`]: one-member gzip writing and strict, capped reading.
//! - [`file`](mod@file): the digest JSON ([`DigestFile`]) and [`sign_digest`].
//! - [`naming`]: digest object keys ([`DigestKey`]).
//! - [`keys`]: [`Signer`] and the per-region [`KeyRing`].
//!
//! Signing a digest and checking it as the CLI does:
//!
//! ```
//! use opentrail_digest::{sign_digest, sha256_hex, string_to_sign, verify_signature, DigestFile, Signer};
//! use opentrail_digest::gzip::gunzip_single;
//! use opentrail_types::Timestamp;
//!
//! let signer = Signer::generate()?;
//! let file = DigestFile {
//!     aws_account_id: "111122223333".into(),
//!     digest_start_time: Timestamp::parse_event_time("2026-03-02T08:17:05Z")?,
//!     digest_end_time: Timestamp::parse_event_time("2026-03-02T09:17:05Z")?,
//!     digest_s3_bucket: "audit-archive".into(),
//!     digest_s3_object: "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/02/111122223333_CloudTrail-Digest_us-east-1_main-trail_us-east-1_20260302T091705Z.json.gz".into(),
//!     digest_public_key_fingerprint: signer.fingerprint().to_owned(),
//!     newest_event_time: None,
//!     oldest_event_time: None,
//!     previous: None,
//!     log_files: Vec::new(),
//! };
//! let signed = sign_digest(&file, &signer, None)?;
//!
//! let inflated = gunzip_single(&signed.gzipped, 1 << 20)?;
//! let message = string_to_sign("2026-03-02T09:17:05Z", "audit-archive", &signed.key, &sha256_hex(&inflated), None);
//! verify_signature(signer.public_key_der(), message.as_bytes(), &hex::decode(&signed.signature_hex)?)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

mod crypto;
mod error;
pub mod file;
pub mod gzip;
pub mod keys;
pub mod naming;

pub use crypto::{
    HASH_ALGORITHM, SIGNATURE_ALGORITHM, fingerprint, public_key_from_base64, sha256_hex,
    string_to_sign, verify_signature,
};
pub use error::{Error, ErrorKind, Result};
pub use file::{DigestFile, LogFileEntry, PreviousDigest, SignedDigest, sign_digest};
pub use gzip::InflateError;
pub use keys::{KeyRing, PublicKeyInfo, Signer};
pub use naming::DigestKey;
