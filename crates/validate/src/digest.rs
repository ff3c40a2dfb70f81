//! Loading one digest and checking it, in the CLI's order, with its verdict texts
//! (spec §3.6): `fetch_digest` + `_load_and_validate_digest` + `Sha256RSADigestValidator`.

use std::collections::{BTreeMap, HashMap};

use opentrail_blob::Bucket;
use opentrail_digest::file::{
    METADATA_BACKFILL_GENERATION_TIMESTAMP, METADATA_SIGNATURE, METADATA_SIGNATURE_ALGORITHM,
};
use opentrail_digest::gzip::gunzip_first_member;
use opentrail_digest::{
    ErrorKind as DigestErrorKind, public_key_from_base64, sha256_hex, verify_signature,
};
use opentrail_types::Timestamp;
use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind};
use crate::objects::{S3Operation, is_no_such_key, s3_error};
use crate::pytime::{self, PyDateTime};
use crate::pyvalue::{item_assignment_error, key_error, py_str, unhashable_error};
use crate::sources::{KeySource, PublicKeyInfo};

/// The most inflated bytes a digest may have (a digest of a busy hour lists thousands of
/// log files at ~400 bytes each; this is far above).
const MAX_DIGEST_BYTES: u64 = 256 << 20;

/// The members the CLI requires before checking a digest.
const REQUIRED_DIGEST_KEYS: [&str; 6] = [
    "digestPublicKeyFingerprint",
    "digestS3Bucket",
    "digestS3Object",
    "previousDigestSignature",
    "digestEndTime",
    "digestStartTime",
];

/// Whether `key` names a backfill digest (the CLI's `is_backfill_digest_key`).
pub(crate) fn is_backfill_key(key: &str) -> bool {
    key.ends_with("_backfill.json.gz")
}

/// A digest object as read: its metadata and, when it inflates and parses, its content.
#[derive(Debug)]
pub(crate) struct FetchedDigest {
    pub metadata: BTreeMap<String, String>,
    pub content: Option<DigestContent>,
}

/// A digest's decoded JSON and the SHA-256 of its inflated bytes.
#[derive(Debug)]
pub(crate) struct DigestContent {
    pub value: Value,
    pub sha256: String,
}

/// Why a digest was not accepted.
#[derive(Debug)]
pub(crate) enum Failure {
    /// `NoSuchKey`.
    Missing,
    /// A verdict line (without the `(backfill) ` prefix the printer adds).
    Invalid(String),
    /// The run stops.
    Abort(Error),
}

/// A digest that passed every check.
#[derive(Debug)]
pub(crate) struct ValidDigest {
    /// The decoded JSON object.
    pub members: Map<String, Value>,
    /// `digestStartTime`, normalized.
    pub start: Timestamp,
    /// `digestEndTime`, normalized.
    pub end: Timestamp,
    /// `digestStartTime` and `digestEndTime` as written (the summary parses them again).
    pub start_text: String,
    pub end_text: String,
}

/// Reads the digest at `key`: `NoSuchKey` is [`Failure::Missing`], other store errors
/// abort; the content is inflated (first gzip member only, as `zlib.decompress`) and parsed
/// on a blocking thread.
pub(crate) async fn fetch_digest(bucket: Bucket, key: String) -> Result<FetchedDigest, Failure> {
    let object = match bucket.get(&key).await {
        Ok(object) => object,
        Err(error) if is_no_such_key(&error) => return Err(Failure::Missing),
        Err(error) => return Err(Failure::Abort(s3_error(&error, S3Operation::GetObject))),
    };
    let body = object.body;
    let content = tokio::task::spawn_blocking(move || decode_content(&body))
        .await
        .map_err(|error| {
            Failure::Abort(Error::new(
                ErrorKind::Crash,
                format!("digest decoding stopped: {error}"),
            ))
        })?;
    Ok(FetchedDigest {
        metadata: object.metadata,
        content,
    })
}

fn decode_content(body: &[u8]) -> Option<DigestContent> {
    let (inflated, _consumed) = gunzip_first_member(body, MAX_DIGEST_BYTES).ok()?;
    let text = std::str::from_utf8(&inflated).ok()?;
    let value: Value = serde_json::from_str(text).ok()?;
    Some(DigestContent {
        value,
        sha256: sha256_hex(&inflated),
    })
}

/// The public keys known to a chain, by fingerprint.
pub(crate) type KeyMap = HashMap<String, PublicKeyInfo>;

/// What checking a digest needs besides the digest.
pub(crate) struct CheckContext<'a> {
    pub home_region: &'a str,
    pub keys: &'a KeySource,
    pub backfill_chain: bool,
}

/// Checks a fetched digest found at `bucket`/`key`, in the CLI's order.
pub(crate) async fn check_digest(
    fetched: FetchedDigest,
    bucket: &str,
    key: &str,
    public_keys: &mut KeyMap,
    context: &CheckContext<'_>,
) -> Result<ValidDigest, Failure> {
    let line = |verdict: &str| format!("Digest file\ts3://{bucket}/{key}\tINVALID: {verdict}");
    let invalid_format = || Failure::Invalid(line("invalid format"));
    let signature_failed = || Failure::Invalid(line("signature verification failed"));

    let Some(content) = fetched.content else {
        return Err(invalid_format());
    };
    let (Some(signature), Some(_algorithm)) = (
        fetched.metadata.get(METADATA_SIGNATURE),
        fetched.metadata.get(METADATA_SIGNATURE_ALGORITHM),
    ) else {
        return Err(signature_failed());
    };
    let Value::Object(members) = content.value else {
        return Err(Failure::Invalid(line(&item_assignment_error(
            &content.value,
        ))));
    };
    let backfill_timestamp = if is_backfill_key(key) {
        match fetched.metadata.get(METADATA_BACKFILL_GENERATION_TIMESTAMP) {
            Some(stamp) => Some(stamp.clone()),
            None => return Err(invalid_format()),
        }
    } else {
        None
    };
    if REQUIRED_DIGEST_KEYS
        .iter()
        .any(|name| !members.contains_key(*name))
    {
        return Err(invalid_format());
    }
    let same_place = members.get("digestS3Bucket").and_then(Value::as_str) == Some(bucket)
        && members.get("digestS3Object").and_then(Value::as_str) == Some(key);
    if !same_place {
        return Err(Failure::Invalid(line(
            "has been moved from its original location",
        )));
    }

    let fingerprint = members
        .get("digestPublicKeyFingerprint")
        .unwrap_or(&Value::Null);
    if let Some(text) = unhashable_error(fingerprint) {
        return Err(Failure::Invalid(line(&text)));
    }
    let fingerprint_text = fingerprint.as_str();
    let known = |keys: &KeyMap| fingerprint_text.is_some_and(|text| keys.contains_key(text));
    if !known(public_keys) && context.backfill_chain {
        let Some(stamp) = &backfill_timestamp else {
            return Err(Failure::Invalid(line(&key_error(
                "_backfill_generation_timestamp",
            ))));
        };
        let generated = pytime::parse_date(stamp).map_err(|text| Failure::Invalid(line(&text)))?;
        let from = pytime::add_hours(generated.normalized(), -1);
        let until = pytime::add_hours(generated.normalized(), 1);
        // The CLI lets a service error (`ClientError`) stop the run; anything else, such as
        // an unreachable endpoint, becomes this digest's verdict.
        let found = context
            .keys
            .list(from, until)
            .await
            .map_err(|error| match error.kind() {
                ErrorKind::Service => Failure::Abort(error),
                _ => Failure::Invalid(line(&error.to_string())),
            })?;
        if found.is_empty() {
            return Err(Failure::Invalid(line(&no_public_keys_text(from, until))));
        }
        for entry in found {
            public_keys.insert(entry.fingerprint.clone(), entry);
        }
    }
    let entry = match fingerprint_text.and_then(|text| public_keys.get(text)) {
        Some(entry) => entry,
        None => {
            return Err(Failure::Invalid(line(&format!(
                "public key not found in region {} for fingerprint {}",
                context.home_region,
                py_str(fingerprint)
            ))));
        }
    };
    let Some(encoded_key) = &entry.value else {
        return Err(Failure::Invalid(line(&key_error("Value"))));
    };
    verify(&members, &content.sha256, signature, encoded_key, &line)?;

    let end_value = members.get("digestEndTime").unwrap_or(&Value::Null);
    let end = parse_member_date(end_value).map_err(|text| Failure::Invalid(line(&text)))?;
    let start_value = members.get("digestStartTime").unwrap_or(&Value::Null);
    let start = parse_member_date(start_value).map_err(|text| Failure::Invalid(line(&text)))?;
    Ok(ValidDigest {
        start_text: py_str(start_value),
        end_text: py_str(end_value),
        members,
        start: start.normalized(),
        end: end.normalized(),
    })
}

/// `Sha256RSADigestValidator.validate`: load the key, build the string to sign, decode
/// the signature, verify, in that order (the first failure names the verdict).
fn verify(
    members: &Map<String, Value>,
    digest_sha256: &str,
    signature_hex: &str,
    encoded_key: &str,
    line: &dyn Fn(&str) -> String,
) -> Result<(), Failure> {
    let fingerprint = py_str(
        members
            .get("digestPublicKeyFingerprint")
            .unwrap_or(&Value::Null),
    );
    let unable_to_load = || {
        Failure::Invalid(line(&format!(
            "Unable to load PKCS #1 key with fingerprint {fingerprint}"
        )))
    };
    let der = public_key_from_base64(encoded_key).map_err(|_| unable_to_load())?;
    let member = |name: &str| py_str(members.get(name).unwrap_or(&Value::Null));
    let previous_signature = match members.get("previousDigestSignature") {
        None | Some(Value::Null) => "null".to_owned(),
        Some(value) => py_str(value),
    };
    let message = format!(
        "{}\n{}/{}\n{}\n{}",
        member("digestEndTime"),
        member("digestS3Bucket"),
        member("digestS3Object"),
        digest_sha256,
        previous_signature
    );
    let signature = match unhexlify(signature_hex) {
        Ok(bytes) => bytes,
        Err(text) => {
            // The key is loaded before the signature is decoded: a bad key wins.
            return Err(match verify_signature(&der, b"", b"") {
                Err(error) if error.kind() == DigestErrorKind::BadPublicKey => unable_to_load(),
                _ => Failure::Invalid(line(text)),
            });
        }
    };
    match verify_signature(&der, message.as_bytes(), &signature) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == DigestErrorKind::BadPublicKey => Err(unable_to_load()),
        Err(_) => Err(Failure::Invalid(line("signature verification failed"))),
    }
}

/// `binascii.unhexlify` with its error texts.
fn unhexlify(text: &str) -> Result<Vec<u8>, &'static str> {
    if !text.is_ascii() {
        return Err("string argument should contain only ASCII characters");
    }
    if text.len() % 2 == 1 {
        return Err("Odd-length string");
    }
    hex::decode(text).map_err(|_| "Non-hexadecimal digit found")
}

/// `parse_date` on a digest member: `dateutil` refuses anything but a string.
fn parse_member_date(value: &Value) -> Result<PyDateTime, String> {
    match value {
        Value::String(text) => pytime::parse_date(text),
        other => Err(format!(
            "Parser must be a string or character stream, not {}",
            crate::pyvalue::type_name(other)
        )),
    }
}

/// The CLI's text when `ListPublicKeys` returns nothing.
pub(crate) fn no_public_keys_text(from: Timestamp, until: Timestamp) -> String {
    format!(
        "No public keys found between {} and {}",
        pytime::display_date(from),
        pytime::display_date(until)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unhexlify_reports_like_binascii() {
        assert_eq!(unhexlify("abc"), Err("Odd-length string"));
        assert_eq!(unhexlify("zz"), Err("Non-hexadecimal digit found"));
        assert_eq!(unhexlify("00FF").unwrap(), vec![0, 255]);
    }

    #[test]
    fn member_dates_need_strings() {
        assert_eq!(
            parse_member_date(&Value::from(5)).unwrap_err(),
            "Parser must be a string or character stream, not int"
        );
        assert!(parse_member_date(&Value::from("2026-03-02T10:00:00Z")).is_ok());
    }

    #[test]
    fn digest_content_keeps_the_first_member_only() {
        let mut stored = opentrail_digest::gzip::gzip(br#"{"a":1}"#);
        stored.extend_from_slice(&opentrail_digest::gzip::gzip(b"junk"));
        let content = decode_content(&stored).unwrap();
        assert_eq!(content.value["a"], 1);
        assert_eq!(content.sha256, sha256_hex(br#"{"a":1}"#));
        assert!(decode_content(b"not gzip").is_none());
        assert!(decode_content(&opentrail_digest::gzip::gzip(b"{{{")).is_none());
        assert!(decode_content(&opentrail_digest::gzip::gzip(&[0xff, 0xfe])).is_none());
    }
}
