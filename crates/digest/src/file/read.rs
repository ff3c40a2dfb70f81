//! Reading a digest's JSON back into a [`DigestFile`].

use opentrail_types::Timestamp;
use serde::Deserialize;

use super::{DigestFile, LogFileEntry, PreviousDigest};
use crate::error::{Error, ErrorKind, Result};

/// Parses and checks digest JSON (see [`DigestFile::from_json`]).
pub(super) fn parse_digest(bytes: &[u8]) -> Result<DigestFile> {
    let raw: RawDigest = serde_json::from_slice(bytes).map_err(|error| {
        Error::new(
            ErrorKind::Format,
            format!("digest is not valid digest JSON: {error}"),
        )
        .with_source(error)
    })?;
    raw.check()
}

/// The members of a digest as they come out of JSON, before checking.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawDigest {
    aws_account_id: String,
    digest_start_time: String,
    digest_end_time: String,
    digest_s3_bucket: String,
    digest_s3_object: String,
    digest_public_key_fingerprint: String,
    newest_event_time: Option<String>,
    oldest_event_time: Option<String>,
    // `Option<Option<_>>` would be needed to tell absent from null; presence of the link
    // members is checked through `Presence` below.
    #[serde(default, deserialize_with = "present")]
    previous_digest_s3_bucket: Presence,
    #[serde(default, deserialize_with = "present")]
    previous_digest_s3_object: Presence,
    #[serde(default, deserialize_with = "present")]
    previous_digest_hash_value: Presence,
    #[serde(default, deserialize_with = "present")]
    previous_digest_signature: Presence,
    log_files: Vec<RawLogFile>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawLogFile {
    s3_bucket: String,
    s3_object: String,
    hash_value: String,
    newest_event_time: String,
    oldest_event_time: String,
}

/// A member that may be absent, `null`, or a string.
#[derive(Default)]
enum Presence {
    #[default]
    Absent,
    Null,
    Value(String),
}

fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Presence, D::Error> {
    let value: Option<String> = Option::deserialize(deserializer)?;
    Ok(value.map_or(Presence::Null, Presence::Value))
}

impl RawDigest {
    fn check(self) -> Result<DigestFile> {
        let time = |name: &str, text: &str| -> Result<Timestamp> {
            Timestamp::parse_event_time(text).map_err(|error| {
                Error::new(
                    ErrorKind::Format,
                    format!("digest member `{name}` is not a time: {error}"),
                )
            })
        };
        let optional_time = |name: &str, text: Option<&str>| -> Result<Option<Timestamp>> {
            text.map(|text| time(name, text)).transpose()
        };
        let links = [
            ("previousDigestS3Bucket", self.previous_digest_s3_bucket),
            ("previousDigestS3Object", self.previous_digest_s3_object),
            ("previousDigestHashValue", self.previous_digest_hash_value),
            ("previousDigestSignature", self.previous_digest_signature),
        ];
        let mut values = Vec::with_capacity(4);
        for (name, link) in links {
            match link {
                Presence::Absent => {
                    return Err(Error::new(
                        ErrorKind::Format,
                        format!("digest member `{name}` is missing"),
                    ));
                }
                Presence::Null => values.push(None),
                Presence::Value(value) => values.push(Some(value)),
            }
        }
        let previous = match <[Option<String>; 4]>::try_from(values) {
            Ok(
                [
                    Some(s3_bucket),
                    Some(s3_object),
                    Some(hash_value),
                    Some(signature),
                ],
            ) => Some(PreviousDigest {
                s3_bucket,
                s3_object,
                hash_value,
                signature,
            }),
            Ok([None, None, None, None]) => None,
            _ => {
                return Err(Error::new(
                    ErrorKind::Format,
                    "digest members `previousDigest*` are partly null",
                ));
            }
        };
        let mut log_files = Vec::with_capacity(self.log_files.len());
        for entry in self.log_files {
            log_files.push(LogFileEntry {
                newest_event_time: time("logFiles[].newestEventTime", &entry.newest_event_time)?,
                oldest_event_time: time("logFiles[].oldestEventTime", &entry.oldest_event_time)?,
                s3_bucket: entry.s3_bucket,
                s3_object: entry.s3_object,
                hash_value: entry.hash_value,
            });
        }
        Ok(DigestFile {
            aws_account_id: self.aws_account_id,
            digest_start_time: time("digestStartTime", &self.digest_start_time)?,
            digest_end_time: time("digestEndTime", &self.digest_end_time)?,
            digest_s3_bucket: self.digest_s3_bucket,
            digest_s3_object: self.digest_s3_object,
            digest_public_key_fingerprint: self.digest_public_key_fingerprint,
            newest_event_time: optional_time("newestEventTime", self.newest_event_time.as_deref())?,
            oldest_event_time: optional_time("oldestEventTime", self.oldest_event_time.as_deref())?,
            previous,
            log_files,
        })
    }
}
