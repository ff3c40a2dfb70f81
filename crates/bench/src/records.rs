//! Realistic records for the benchmarks' traffic: generated once by `opentrail-generate`,
//! read back, and turned into [`RecordTemplate`]s whose `eventID` and `eventTime` are
//! rewritten for every record sent or written, so each is distinct while the benchmark
//! spends its CPU on what it measures, not on JSON.

use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::Context;
use opentrail_generate::GenerateConfig;
use rand::{Rng, RngCore};
use serde::Deserialize;
use serde_json::value::RawValue;

/// Largest generated log file read back, in bytes.
const MAX_LOG_FILE_BYTES: u64 = 256 << 20;
/// Length of an `eventTime` in CloudTrail's form, `YYYY-MM-DDTHH:MM:SSZ`.
const EVENT_TIME_LEN: usize = 20;
/// Length of a UUID in its text form.
pub const UUID_LEN: usize = 36;

/// Generates the events of `config` into `scratch` (emptied first, removed after) and
/// returns every record, compact JSON each, in file order.
pub fn generated_records(scratch: &Path, config: &GenerateConfig) -> anyhow::Result<Vec<String>> {
    crate::fresh_dir(scratch)?;
    opentrail_generate::generate(config, scratch, |_progress| {})
        .context("cannot generate record templates")?;
    let mut files = Vec::new();
    list_log_files(scratch, &mut files)?;
    files.sort();
    let mut records: Vec<String> = Vec::new();
    for file in files {
        let stored =
            std::fs::read(&file).with_context(|| format!("cannot read `{}`", file.display()))?;
        let decoded = opentrail_archive::gzip::decode_slice_capped(&stored, MAX_LOG_FILE_BYTES)
            .with_context(|| format!("cannot decode `{}`", file.display()))?;
        #[derive(Deserialize)]
        struct LogFile<'a> {
            #[serde(rename = "Records", borrow)]
            records: Vec<&'a RawValue>,
        }
        let log_file: LogFile<'_> = serde_json::from_slice(&decoded.bytes)
            .with_context(|| format!("`{}` is not a log file", file.display()))?;
        records.extend(log_file.records.iter().map(|raw| raw.get().to_owned()));
    }
    std::fs::remove_dir_all(scratch)
        .with_context(|| format!("cannot remove `{}`", scratch.display()))?;
    anyhow::ensure!(!records.is_empty(), "the generator wrote no records");
    Ok(records)
}

/// Adds every `.json.gz` file below `dir` to `files`.
pub fn list_log_files(dir: &Path, files: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in
        std::fs::read_dir(dir).with_context(|| format!("cannot list `{}`", dir.display()))?
    {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            list_log_files(&path, files)?;
        } else if path.to_string_lossy().ends_with(".json.gz") {
            files.push(path);
        }
    }
    Ok(())
}

/// The `recipientAccountId` of a compact JSON record, if it has one.
pub fn recipient_account(record: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Recipient<'a> {
        #[serde(rename = "recipientAccountId", borrow)]
        recipient_account_id: Option<&'a str>,
    }
    serde_json::from_str::<Recipient<'_>>(record)
        .ok()?
        .recipient_account_id
        .map(str::to_owned)
}

/// A compact JSON record whose `eventID` and `eventTime` values are replaced on every
/// [`RecordTemplate::write`].
#[derive(Debug, Clone)]
pub struct RecordTemplate {
    text: Vec<u8>,
    /// Byte range of the `eventID` value (inside the quotes).
    event_id: Range<usize>,
    /// Byte range of the `eventTime` value (inside the quotes).
    event_time: Range<usize>,
}

impl RecordTemplate {
    /// Reads the top-level `eventID` and `eventTime` positions of `record`; `None` when
    /// either is missing, the time is not `YYYY-MM-DDTHH:MM:SSZ`, or the ID is not a UUID.
    pub fn parse(record: &str) -> Option<RecordTemplate> {
        let event_id = value_range(record, "\"eventID\":\"")?;
        let event_time = value_range(record, "\"eventTime\":\"")?;
        if event_id.len() != UUID_LEN || event_time.len() != EVENT_TIME_LEN {
            return None;
        }
        Some(RecordTemplate {
            text: record.as_bytes().to_vec(),
            event_id,
            event_time,
        })
    }

    /// Length of every record written from this template.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Appends the record to `out` with `event_id` (a UUID) and `event_time`
    /// (`YYYY-MM-DDTHH:MM:SSZ`) in place of the template's.
    pub fn write(
        &self,
        out: &mut Vec<u8>,
        event_id: &[u8; UUID_LEN],
        event_time: &[u8; EVENT_TIME_LEN],
    ) {
        let (first, first_value, second, second_value): (_, &[u8], _, &[u8]) =
            if self.event_id.start < self.event_time.start {
                (&self.event_id, event_id, &self.event_time, event_time)
            } else {
                (&self.event_time, event_time, &self.event_id, event_id)
            };
        out.extend_from_slice(&self.text[..first.start]);
        out.extend_from_slice(first_value);
        out.extend_from_slice(&self.text[first.end..second.start]);
        out.extend_from_slice(second_value);
        out.extend_from_slice(&self.text[second.end..]);
    }
}

/// The range of the string value that follows the first `opening` (a member name, colon
/// and opening quote) in `record`, up to the closing quote.
fn value_range(record: &str, opening: &str) -> Option<Range<usize>> {
    let start = record.find(opening)? + opening.len();
    let length = record[start..].find('"')?;
    Some(start..start + length)
}

/// Parses every record that [`RecordTemplate::parse`] accepts.
pub fn templates(records: &[String]) -> Vec<RecordTemplate> {
    records
        .iter()
        .filter_map(|record| RecordTemplate::parse(record))
        .collect()
}

/// Returns a random version-4 UUID in its lowercase text form.
pub fn random_uuid(rng: &mut impl RngCore) -> [u8; UUID_LEN] {
    let bits: u128 = rng.random();
    // Version 4 in the 13th digit, variant 10xx in the 17th.
    let bits = (bits & !(0xf << 76) & !(0x3 << 62)) | (0x4 << 76) | (0x2 << 62);
    format_uuid(bits)
}

/// Formats 128 bits as `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, lowercase.
pub fn format_uuid(bits: u128) -> [u8; UUID_LEN] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = [b'-'; UUID_LEN];
    let mut shift = 128;
    for (index, byte) in text.iter_mut().enumerate() {
        if matches!(index, 8 | 13 | 18 | 23) {
            continue;
        }
        shift -= 4;
        *byte = DIGITS[((bits >> shift) & 0xf) as usize];
    }
    text
}

/// Returns `length` random characters of `[A-Za-z0-9]` (the unique part of log file names).
pub fn random_alphanumeric(rng: &mut impl RngCore, length: usize) -> String {
    const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..length)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    const RECORD: &str = r#"{"eventVersion":"1.11","eventTime":"2026-03-02T09:58:12Z","eventSource":"iam.amazonaws.com","eventID":"0b5a8f0e-1c2d-4e3f-9a8b-7c6d5e4f3a2b","recipientAccountId":"111122223333"}"#;

    #[test]
    fn template_replaces_event_id_and_time_only() {
        let template = RecordTemplate::parse(RECORD).unwrap();
        let mut out = Vec::new();
        template.write(
            &mut out,
            b"00000000-0000-4000-8000-000000000001",
            b"2027-01-01T00:00:00Z",
        );
        let expected = RECORD
            .replace("2026-03-02T09:58:12Z", "2027-01-01T00:00:00Z")
            .replace(
                "0b5a8f0e-1c2d-4e3f-9a8b-7c6d5e4f3a2b",
                "00000000-0000-4000-8000-000000000001",
            );
        assert_eq!(String::from_utf8(out).unwrap(), expected);
        assert_eq!(template.len(), RECORD.len());
    }

    #[test]
    fn template_refuses_records_without_a_usable_id_or_time() {
        for record in [
            r#"{"eventTime":"2026-03-02T09:58:12Z"}"#,
            r#"{"eventID":"0b5a8f0e-1c2d-4e3f-9a8b-7c6d5e4f3a2b"}"#,
            r#"{"eventTime":"2026-03-02T09:58:12.5Z","eventID":"0b5a8f0e-1c2d-4e3f-9a8b-7c6d5e4f3a2b"}"#,
            r#"{"eventTime":"2026-03-02T09:58:12Z","eventID":"short"}"#,
        ] {
            assert!(RecordTemplate::parse(record).is_none(), "{record}");
        }
    }

    #[test]
    fn uuids_are_version_4_and_reproducible() {
        let mut first = rand::rngs::StdRng::seed_from_u64(3);
        let mut second = rand::rngs::StdRng::seed_from_u64(3);
        for _ in 0..100 {
            let uuid = random_uuid(&mut first);
            assert_eq!(uuid, random_uuid(&mut second));
            let text = std::str::from_utf8(&uuid).unwrap();
            let groups: Vec<&str> = text.split('-').collect();
            assert_eq!(
                groups.iter().map(|group| group.len()).collect::<Vec<_>>(),
                [8, 4, 4, 4, 12]
            );
            assert!(groups[2].starts_with('4'), "{text}");
            assert!(
                matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
                "{text}"
            );
            assert!(
                text.bytes()
                    .all(|byte| byte == b'-' || byte.is_ascii_hexdigit())
            );
        }
        assert_eq!(
            &format_uuid(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef),
            b"01234567-89ab-cdef-0123-456789abcdef"
        );
    }

    #[test]
    fn unique_parts_are_alphanumeric() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(9);
        let unique = random_alphanumeric(&mut rng, 16);
        assert_eq!(unique.len(), 16);
        assert!(unique.bytes().all(|byte| byte.is_ascii_alphanumeric()));
    }
}
