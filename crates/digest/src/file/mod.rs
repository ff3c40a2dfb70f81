//! The digest file: its JSON form, and signing it (`spec/trails-and-integrity.md` §2.2–§2.5).

use std::collections::BTreeMap;

use opentrail_types::Timestamp;

use crate::crypto::{HASH_ALGORITHM, SIGNATURE_ALGORITHM, sha256_hex, string_to_sign};
use crate::error::{Error, ErrorKind, Result};
use crate::gzip::gzip;
use crate::keys::Signer;

mod read;

/// S3 user-metadata name (without `x-amz-meta-`) of the signature, lowercase hex.
pub const METADATA_SIGNATURE: &str = "signature";
/// S3 user-metadata name of the signature algorithm, always [`SIGNATURE_ALGORITHM`].
pub const METADATA_SIGNATURE_ALGORITHM: &str = "signature-algorithm";
/// S3 user-metadata name of a backfill digest's generation time (ISO form).
pub const METADATA_BACKFILL_GENERATION_TIMESTAMP: &str = "backfill-generation-timestamp";

/// The end of every backfill digest key.
pub(crate) const BACKFILL_SUFFIX: &str = "_backfill.json.gz";

/// One digest file, as written into the store (gzipped JSON; the signature is not inside).
///
/// [`DigestFile::to_json`] writes one compact JSON object with these members, in this
/// order (AWS's published order):
///
/// | # | Member | From |
/// |---|---|---|
/// | 1 | `awsAccountId` | [`aws_account_id`](Self::aws_account_id) |
/// | 2 | `digestStartTime` | [`digest_start_time`](Self::digest_start_time), `YYYY-MM-DDTHH:MM:SSZ` |
/// | 3 | `digestEndTime` | [`digest_end_time`](Self::digest_end_time), same form; signed verbatim |
/// | 4 | `digestS3Bucket` | [`digest_s3_bucket`](Self::digest_s3_bucket); signed |
/// | 5 | `digestS3Object` | [`digest_s3_object`](Self::digest_s3_object), the full key; signed |
/// | 6 | `digestPublicKeyFingerprint` | [`digest_public_key_fingerprint`](Self::digest_public_key_fingerprint) |
/// | 7 | `digestSignatureAlgorithm` | always `SHA256withRSA` |
/// | 8 | `newestEventTime` | [`newest_event_time`](Self::newest_event_time) or `null` |
/// | 9 | `oldestEventTime` | [`oldest_event_time`](Self::oldest_event_time) or `null` |
/// | 10–14 | `previousDigestS3Bucket`, `previousDigestS3Object`, `previousDigestHashValue`, `previousDigestHashAlgorithm` (`SHA-256`), `previousDigestSignature` | [`previous`](Self::previous); all five `null` for a starting digest |
/// | 15 | `logFiles` | [`log_files`](Self::log_files), `[]` when none; each entry `s3Bucket`, `s3Object`, `hashValue`, `hashAlgorithm` (`SHA-256`), `newestEventTime`, `oldestEventTime` |
///
/// See the CloudTrail User Guide, "CloudTrail digest file structure"
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html>).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestFile {
    /// The account the digest is for (the member account of an organization trail).
    pub aws_account_id: String,
    /// Start of the delivery-time window; the previous digest's end when the chain is unbroken.
    pub digest_start_time: Timestamp,
    /// End of the window, also the time in the key. Formatted to the second.
    pub digest_end_time: Timestamp,
    /// The bucket this digest is written to.
    pub digest_s3_bucket: String,
    /// The full key of this digest, prefix included.
    pub digest_s3_object: String,
    /// Fingerprint of the signing key (32 lowercase hex characters).
    pub digest_public_key_fingerprint: String,
    /// Newest `eventTime` over the listed log files; `None` when there are none.
    pub newest_event_time: Option<Timestamp>,
    /// Oldest `eventTime` over the listed log files; `None` when there are none.
    pub oldest_event_time: Option<Timestamp>,
    /// The previous digest of the chain; `None` for a starting digest.
    pub previous: Option<PreviousDigest>,
    /// The log files delivered in the window, in the order they are listed.
    pub log_files: Vec<LogFileEntry>,
}

/// The link to the previous digest of a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousDigest {
    /// Bucket of the previous digest (may differ from this digest's after a bucket change).
    pub s3_bucket: String,
    /// Full key of the previous digest.
    pub s3_object: String,
    /// SHA-256 (lowercase hex) of the previous digest's inflated bytes.
    pub hash_value: String,
    /// The previous digest's signature, lowercase hex, as stored in its metadata. Signed.
    pub signature: String,
}

/// One log file listed in a digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFileEntry {
    /// Bucket of the log file.
    pub s3_bucket: String,
    /// Full key of the log file.
    pub s3_object: String,
    /// SHA-256 (lowercase hex) of the log file's inflated bytes.
    pub hash_value: String,
    /// Newest `eventTime` in the file.
    pub newest_event_time: Timestamp,
    /// Oldest `eventTime` in the file.
    pub oldest_event_time: Timestamp,
}

impl DigestFile {
    /// Returns the newest and oldest event times over `log_files`, the values of
    /// `newestEventTime` and `oldestEventTime` (`None` for an empty list).
    pub fn event_time_bounds(log_files: &[LogFileEntry]) -> (Option<Timestamp>, Option<Timestamp>) {
        let newest = log_files.iter().map(|entry| entry.newest_event_time).max();
        let oldest = log_files.iter().map(|entry| entry.oldest_event_time).min();
        (newest, oldest)
    }

    /// Serializes the digest: compact JSON, members in the order of the type's table, no
    /// trailing newline. Strings are escaped as `serde_json` escapes them.
    pub fn to_json(&self) -> Vec<u8> {
        let mut json = JsonObject::with_capacity(720 + 420 * self.log_files.len());
        json.string("awsAccountId", &self.aws_account_id);
        json.string(
            "digestStartTime",
            &self.digest_start_time.format_event_time(),
        );
        json.string("digestEndTime", &self.digest_end_time.format_event_time());
        json.string("digestS3Bucket", &self.digest_s3_bucket);
        json.string("digestS3Object", &self.digest_s3_object);
        json.string(
            "digestPublicKeyFingerprint",
            &self.digest_public_key_fingerprint,
        );
        json.string("digestSignatureAlgorithm", SIGNATURE_ALGORITHM);
        json.optional(
            "newestEventTime",
            self.newest_event_time
                .map(Timestamp::format_event_time)
                .as_deref(),
        );
        json.optional(
            "oldestEventTime",
            self.oldest_event_time
                .map(Timestamp::format_event_time)
                .as_deref(),
        );
        let previous = self.previous.as_ref();
        json.optional(
            "previousDigestS3Bucket",
            previous.map(|link| link.s3_bucket.as_str()),
        );
        json.optional(
            "previousDigestS3Object",
            previous.map(|link| link.s3_object.as_str()),
        );
        json.optional(
            "previousDigestHashValue",
            previous.map(|link| link.hash_value.as_str()),
        );
        json.optional(
            "previousDigestHashAlgorithm",
            previous.map(|_| HASH_ALGORITHM),
        );
        json.optional(
            "previousDigestSignature",
            previous.map(|link| link.signature.as_str()),
        );
        json.key("logFiles");
        json.bytes.push(b'[');
        for (index, entry) in self.log_files.iter().enumerate() {
            if index > 0 {
                json.bytes.push(b',');
            }
            let mut item = JsonObject::with_capacity(420);
            item.string("s3Bucket", &entry.s3_bucket);
            item.string("s3Object", &entry.s3_object);
            item.string("hashValue", &entry.hash_value);
            item.string("hashAlgorithm", HASH_ALGORITHM);
            item.string(
                "newestEventTime",
                &entry.newest_event_time.format_event_time(),
            );
            item.string(
                "oldestEventTime",
                &entry.oldest_event_time.format_event_time(),
            );
            json.bytes.extend_from_slice(&item.finish());
        }
        json.bytes.push(b']');
        json.finish()
    }

    /// Parses a digest this crate (or AWS) wrote, for a writer resuming its chain or a strict
    /// validator. All fifteen members must be present; a link is either complete or all
    /// `null`. Re-serializing gives the same bytes only for digests written by
    /// [`DigestFile::to_json`] (times are re-formatted, members re-ordered).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Format`] naming the first problem.
    pub fn from_json(bytes: &[u8]) -> Result<DigestFile> {
        read::parse_digest(bytes)
    }
}

/// A digest signed and ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedDigest {
    /// The object key ([`DigestFile::digest_s3_object`]).
    pub key: String,
    /// The inflated bytes ([`DigestFile::to_json`]): what is hashed.
    pub json: Vec<u8>,
    /// The stored bytes: one gzip member of `json`.
    pub gzipped: Vec<u8>,
    /// SHA-256 (lowercase hex) of `json`: the next digest's `previousDigestHashValue`.
    pub sha256: String,
    /// The signature, lowercase hex (512 characters for RSA-2048): the `signature` metadata
    /// and the next digest's `previousDigestSignature`.
    pub signature_hex: String,
    /// The S3 user metadata to store with the object (names without `x-amz-meta-`):
    /// `signature`, `signature-algorithm`, and `backfill-generation-timestamp` for backfill
    /// digests.
    pub metadata: BTreeMap<String, String>,
}

impl SignedDigest {
    /// The link a following digest of the same chain records.
    pub fn as_previous(&self, bucket: &str) -> PreviousDigest {
        PreviousDigest {
            s3_bucket: bucket.to_owned(),
            s3_object: self.key.clone(),
            hash_value: self.sha256.clone(),
            signature: self.signature_hex.clone(),
        }
    }
}

/// Serializes, hashes, signs and compresses `file` (§2.5).
///
/// `backfill_generated` is the generation time of a backfill digest (its key must end in
/// `_backfill.json.gz`); `None` for a standard digest. This is CPU work (an RSA signature,
/// ~1 ms, plus gzip): run it off async executors.
///
/// # Errors
///
/// [`ErrorKind::InconsistentDigest`] when the file's fingerprint is not the signer's, or the
/// key's backfill suffix and `backfill_generated` disagree; [`ErrorKind::Crypto`] when
/// signing fails.
pub fn sign_digest(
    file: &DigestFile,
    signer: &Signer,
    backfill_generated: Option<Timestamp>,
) -> Result<SignedDigest> {
    if file.digest_public_key_fingerprint != signer.fingerprint() {
        return Err(Error::new(
            ErrorKind::InconsistentDigest,
            format!(
                "digest names key `{}` but the signer's key is `{}`",
                file.digest_public_key_fingerprint,
                signer.fingerprint()
            ),
        ));
    }
    let backfill_key = file.digest_s3_object.ends_with(BACKFILL_SUFFIX);
    if backfill_key != backfill_generated.is_some() {
        return Err(Error::new(
            ErrorKind::InconsistentDigest,
            format!(
                "digest key `{}` and the backfill generation time disagree on whether it is a backfill digest",
                file.digest_s3_object
            ),
        ));
    }
    let json = file.to_json();
    let sha256 = sha256_hex(&json);
    let message = string_to_sign(
        &file.digest_end_time.format_event_time(),
        &file.digest_s3_bucket,
        &file.digest_s3_object,
        &sha256,
        file.previous.as_ref().map(|link| link.signature.as_str()),
    );
    let signature_hex = hex::encode(signer.sign(message.as_bytes())?);
    let mut metadata = BTreeMap::new();
    metadata.insert(METADATA_SIGNATURE.to_owned(), signature_hex.clone());
    metadata.insert(
        METADATA_SIGNATURE_ALGORITHM.to_owned(),
        SIGNATURE_ALGORITHM.to_owned(),
    );
    if let Some(generated) = backfill_generated {
        metadata.insert(
            METADATA_BACKFILL_GENERATION_TIMESTAMP.to_owned(),
            generated.format_event_time(),
        );
    }
    Ok(SignedDigest {
        key: file.digest_s3_object.clone(),
        gzipped: gzip(&json),
        json,
        sha256,
        signature_hex,
        metadata,
    })
}

/// A compact JSON object being written, member by member.
struct JsonObject {
    bytes: Vec<u8>,
    members: usize,
}

impl JsonObject {
    fn with_capacity(capacity: usize) -> JsonObject {
        let mut bytes = Vec::with_capacity(capacity);
        bytes.push(b'{');
        JsonObject { bytes, members: 0 }
    }

    fn key(&mut self, name: &str) {
        if self.members > 0 {
            self.bytes.push(b',');
        }
        self.members += 1;
        write_json_string(&mut self.bytes, name);
        self.bytes.push(b':');
    }

    fn string(&mut self, name: &str, value: &str) {
        self.key(name);
        write_json_string(&mut self.bytes, value);
    }

    fn optional(&mut self, name: &str, value: Option<&str>) {
        match value {
            Some(value) => self.string(name, value),
            None => {
                self.key(name);
                self.bytes.extend_from_slice(b"null");
            }
        }
    }

    fn finish(mut self) -> Vec<u8> {
        self.bytes.push(b'}');
        self.bytes
    }
}

/// Writes `value` as a JSON string, escaping exactly as `serde_json` does: `"` and `\`,
/// the short forms `\b \f \n \r \t`, other control characters as `\u00xx`; everything else
/// (including `/` and non-ASCII) verbatim.
fn write_json_string(out: &mut Vec<u8>, value: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let mut start = 0;
    for (index, byte) in value.bytes().enumerate() {
        let escape: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x00..=0x1f => &[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xf)],
            ],
            _ => continue,
        };
        out.extend_from_slice(&value.as_bytes()[start..index]);
        out.extend_from_slice(escape);
        start = index + 1;
    }
    out.extend_from_slice(&value.as_bytes()[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped_like_serde_json() {
        for value in [
            "plain",
            "a\"b\\c",
            "tab\there\nnew\u{1}\u{1f}",
            "é/ü",
            "\u{8}\u{c}\r",
        ] {
            let mut ours = Vec::new();
            write_json_string(&mut ours, value);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(value).unwrap()
            );
        }
    }
}
