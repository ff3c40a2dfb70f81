//! Checking the log files of a valid digest (spec §3.7): what the CLI's `_download_log`
//! does with each `logFiles` entry, as independent futures that fetch and hash in
//! parallel (inflate + SHA-256 on blocking threads) while the report keeps their order.
//!
//! Bytes after the first gzip member: the CLI's streaming `zlib.decompressobj` stops at the
//! end of the first member and leaves the rest in `unused_data`, unread, so the verdict is
//! that of the first member's hash (checked against aws-cli 1.45.11 on a multi-member file:
//! `valid` when the first member matches). Spec §3.7 says the CLI reports `INVALID:
//! unexpected data after end of compressed stream` instead; compatibility mode follows the
//! CLI and strict mode reports the trailing data with that text on a `STRICT:` line.

use opentrail_digest::gzip::sha256_of_gzip_prefix;
use serde_json::Value;

use crate::error::Error;
use crate::objects::{ObjectStore, S3Operation, is_no_such_key, s3_error};
use crate::pyvalue::{key_error, not_iterable_error, py_str, subscript_error, truthy};

/// The inflated size past which a log file is not hashed further (the CLI has no limit;
/// this one only bounds the CPU a crafted file can take).
const MAX_INFLATED_LOG_BYTES: u64 = 1 << 40;

/// A log file's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LogVerdict {
    Valid,
    HashMismatch,
    NotFound,
    InvalidFormat,
}

impl LogVerdict {
    /// The verdict text after the key.
    pub(crate) fn text(self) -> &'static str {
        match self {
            LogVerdict::Valid => "valid",
            LogVerdict::HashMismatch => "INVALID: hash value doesn't match",
            LogVerdict::NotFound => "INVALID: not found",
            LogVerdict::InvalidFormat => "INVALID: invalid format",
        }
    }
}

/// The outcome of one log file: its bucket and key as printed, and the verdict or the
/// error that stops the run.
#[derive(Debug)]
pub(crate) struct LogOutcome {
    pub bucket: String,
    pub key: String,
    pub verdict: Result<LogVerdict, Error>,
    /// Bytes follow the first gzip member (reported in strict mode only).
    pub trailing_data: bool,
}

/// The strict-mode verdict text for bytes after the first gzip member.
pub(crate) const TRAILING_DATA_TEXT: &str =
    "STRICT: unexpected data after end of compressed stream";

/// One step of a digest's `for log in digest['logFiles']` loop.
#[derive(Debug)]
pub(crate) enum LogStep {
    /// Check this entry.
    Check(LogEntry),
    /// Python raises here (an entry that is not an object, `logFiles` missing or not a
    /// list); the run stops after the steps before it.
    Crash(String),
}

/// A `logFiles` entry's members as the CLI reads them.
#[derive(Debug, Clone)]
pub(crate) struct LogEntry {
    pub bucket: Option<Value>,
    pub key: Option<Value>,
    pub hash: Option<Value>,
}

/// Plans the loop over a valid digest's `logFiles` (`None`: the member is missing).
pub(crate) fn plan_log_steps(log_files: Option<&Value>) -> Vec<LogStep> {
    let Some(log_files) = log_files else {
        return vec![LogStep::Crash(key_error("logFiles"))];
    };
    if !truthy(log_files) {
        return Vec::new();
    }
    let entries = match log_files {
        Value::Array(entries) => entries,
        // Iterating a dict or a string yields strings, which cannot be subscripted by name.
        Value::Object(_) | Value::String(_) => {
            return vec![LogStep::Crash(subscript_error(&Value::String(
                String::new(),
            )))];
        }
        other => return vec![LogStep::Crash(not_iterable_error(other))],
    };
    let mut steps = Vec::with_capacity(entries.len());
    for entry in entries {
        let Value::Object(members) = entry else {
            steps.push(LogStep::Crash(subscript_error(entry)));
            return steps;
        };
        steps.push(LogStep::Check(LogEntry {
            bucket: members.get("s3Bucket").cloned(),
            key: members.get("s3Object").cloned(),
            hash: members.get("hashValue").cloned(),
        }));
    }
    steps
}

/// Fetches and hashes one log file, in the CLI's order of failures: the bucket lookup
/// (`GetBucketLocation`), the key, `GetObject`, the inflate, the hash comparison.
pub(crate) async fn check_log_file(objects: ObjectStore, entry: LogEntry) -> LogOutcome {
    let display = |value: &Option<Value>| value.as_ref().map(py_str).unwrap_or_default();
    let mut outcome = LogOutcome {
        bucket: display(&entry.bucket),
        key: display(&entry.key),
        verdict: Ok(LogVerdict::InvalidFormat),
        trailing_data: false,
    };
    // Without `s3Bucket` or `s3Object`, the CLI's own error handler fails on the same
    // member and the run stops with a `KeyError`.
    let Some(bucket_value) = &entry.bucket else {
        outcome.verdict = Err(Error::crash(key_error("s3Bucket")));
        return outcome;
    };
    let bucket = match bucket_value {
        Value::String(name) => match objects.bucket(name).await {
            Ok(bucket) => Some(bucket),
            Err(error) => {
                outcome.verdict = Err(error);
                return outcome;
            }
        },
        _ => None,
    };
    let Some(key_value) = &entry.key else {
        outcome.verdict = Err(Error::crash(key_error("s3Object")));
        return outcome;
    };
    let (Some(bucket), Value::String(key)) = (bucket, key_value) else {
        // botocore refuses a bucket or key that is not a string: the CLI's catch-all.
        return outcome;
    };
    let object = match bucket.get(key).await {
        Ok(object) => object,
        Err(error) if is_no_such_key(&error) => {
            outcome.verdict = Ok(LogVerdict::NotFound);
            return outcome;
        }
        Err(error) => {
            outcome.verdict = Err(s3_error(&error, S3Operation::GetObject));
            return outcome;
        }
    };
    let expected = entry.hash;
    let hashed =
        tokio::task::spawn_blocking(move || hash_verdict(&object.body, expected.as_ref())).await;
    let (verdict, trailing_data) = hashed.unwrap_or((LogVerdict::InvalidFormat, false));
    outcome.verdict = Ok(verdict);
    outcome.trailing_data = trailing_data;
    outcome
}

/// Inflates and hashes as the CLI's streaming `decompressobj` does: a truncated stream
/// hashes what it yields, damaged data is `invalid format`, bytes after the first member
/// are not read (the second value says whether there were any).
pub(crate) fn hash_verdict(body: &[u8], expected: Option<&Value>) -> (LogVerdict, bool) {
    // zlib judges the magic once it has two bytes, the method and flags once it has four,
    // even when the stream is too short to hold a whole header.
    let bad_magic = body.len() >= 2 && body[..2] != [0x1f, 0x8b];
    let bad_method = body.len() >= 4 && (body[2] != 8 || body[3] & 0xe0 != 0);
    if bad_magic || bad_method {
        return (LogVerdict::InvalidFormat, false);
    }
    let Ok(hash) = sha256_of_gzip_prefix(body, MAX_INFLATED_LOG_BYTES) else {
        return (LogVerdict::InvalidFormat, false);
    };
    let trailing_data = hash.complete && hash.consumed < body.len();
    let verdict = match expected {
        None => LogVerdict::InvalidFormat,
        Some(Value::String(text)) if *text == hash.sha256 => LogVerdict::Valid,
        Some(_) => LogVerdict::HashMismatch,
    };
    (verdict, trailing_data)
}

#[cfg(test)]
mod tests {
    use opentrail_digest::gzip::gzip;
    use serde_json::json;

    use super::*;

    const EMPTY_HASH: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    const EMPTY_OBJECT_HASH: &str =
        "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    fn verdict(body: &[u8], expected: Option<&Value>) -> LogVerdict {
        hash_verdict(body, expected).0
    }

    #[test]
    fn hashes_are_judged_like_the_cli() {
        let stored = gzip(b"{}");
        let expected = json!(EMPTY_OBJECT_HASH);
        assert_eq!(verdict(&stored, Some(&expected)), LogVerdict::Valid);
        assert_eq!(
            verdict(&stored, Some(&json!("00"))),
            LogVerdict::HashMismatch
        );
        assert_eq!(verdict(&stored, Some(&json!(5))), LogVerdict::HashMismatch);
        assert_eq!(verdict(&stored, None), LogVerdict::InvalidFormat);
        let mut two_members = stored.clone();
        two_members.extend_from_slice(&gzip(b"{}"));
        // The CLI never reads past the first member: its hash decides.
        assert_eq!(
            hash_verdict(&two_members, Some(&expected)),
            (LogVerdict::Valid, true)
        );
        assert_eq!(
            hash_verdict(&stored, Some(&expected)),
            (LogVerdict::Valid, false)
        );
        // A cut file hashes what it yields: a mismatch, not a format error.
        let long = gzip(&[b'x'; 10_000]);
        assert_eq!(
            verdict(&long[..long.len() / 2], Some(&expected)),
            LogVerdict::HashMismatch
        );
        assert_eq!(
            verdict(b"not gzip", Some(&expected)),
            LogVerdict::InvalidFormat
        );
        assert_eq!(
            verdict(b"not gzip, and long enough for a header", Some(&expected)),
            LogVerdict::InvalidFormat
        );
        // An empty or cut-in-the-header file inflates to nothing, as zlib's streaming
        // inflater sees it.
        assert_eq!(verdict(b"", Some(&json!(EMPTY_HASH))), LogVerdict::Valid);
        assert_eq!(
            verdict(&stored[..5], Some(&json!(EMPTY_HASH))),
            LogVerdict::Valid
        );
        assert_eq!(verdict(b"n", Some(&json!(EMPTY_HASH))), LogVerdict::Valid);
        assert_eq!(
            verdict(b"\x1f\x8b\x09", Some(&json!(EMPTY_HASH))),
            LogVerdict::Valid
        );
        assert_eq!(
            verdict(b"\x1f\x8b\x09\x00", Some(&json!(EMPTY_HASH))),
            LogVerdict::InvalidFormat
        );
    }

    #[test]
    fn log_file_loops_follow_python() {
        assert!(
            matches!(plan_log_steps(None).as_slice(), [LogStep::Crash(text)] if text == "'logFiles'")
        );
        assert!(plan_log_steps(Some(&json!([]))).is_empty());
        assert!(plan_log_steps(Some(&json!(null))).is_empty());
        assert!(matches!(
            plan_log_steps(Some(&json!(7))).as_slice(),
            [LogStep::Crash(text)] if text == "'int' object is not iterable"
        ));
        assert!(matches!(
            plan_log_steps(Some(&json!({"a": 1}))).as_slice(),
            [LogStep::Crash(text)] if text == "string indices must be integers, not 'str'"
        ));
        let steps = plan_log_steps(Some(&json!([{"s3Bucket": "b", "s3Object": "k"}, 3, {}])));
        assert!(matches!(
            steps.as_slice(),
            [LogStep::Check(_), LogStep::Crash(text)] if text == "'int' object is not subscriptable"
        ));
    }
}
