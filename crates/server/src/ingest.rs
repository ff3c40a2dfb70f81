//! `POST /ingest`: records from systems that already write CloudTrail-shaped events.
//!
//! Request body (optionally `Content-Encoding: gzip`):
//!
//! - `Content-Type: application/json`: a log file, `{"Records":[{…},{…}]}`;
//! - `Content-Type: application/x-ndjson` (or `application/jsonl`): one record per line,
//!   blank lines ignored.
//!
//! Each record is checked as an imported one is (`eventTime`, `eventSource`, `eventName`,
//! at most 256 KB, no member twice). A record without `eventID` gets a name-based UUID of
//! its content, so a retried request adds nothing twice; records whose `eventID` the
//! journal already holds are counted as duplicates, not errors. A record without
//! `recipientAccountId` gets the caller's account; a record naming another account is
//! refused unless the caller is an admin. The response is sent only once every accepted
//! record is durable (journal fsync):
//!
//! ```json
//! {"Accepted":2,"Duplicates":1,"Failed":[{"Index":3,"ErrorCode":"InvalidRecord","ErrorMessage":"field `eventTime` is missing"}]}
//! ```
//!
//! `Index` counts records from 0 in the order sent (for NDJSON: non-blank lines).

use std::sync::Arc;

use opentrail_api::{ApiError, ErrorCode};
use opentrail_event::{Event, RecordLimits, ValidationErrorKind};
use opentrail_journal::{AppendEntry, Attachment};
use opentrail_types::json_text;
use serde::Serialize;
use serde_json::value::RawValue;

/// How the body lists its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    /// `{"Records":[...]}`.
    LogFile,
    /// One record per line.
    Lines,
}

impl BodyFormat {
    /// The format a `Content-Type` names (parameters such as `charset` are ignored).
    ///
    /// # Errors
    ///
    /// `SerializationException` naming the content type when it is neither.
    pub fn from_content_type(content_type: Option<&str>) -> Result<BodyFormat, ApiError> {
        let essence = content_type
            .map(|value| {
                value
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase()
            })
            .unwrap_or_default();
        match essence.as_str() {
            "application/json" => Ok(BodyFormat::LogFile),
            "application/x-ndjson" | "application/jsonl" | "application/x-jsonlines" => {
                Ok(BodyFormat::Lines)
            }
            _ => Err(ApiError::new(
                ErrorCode::SerializationException,
                format!(
                    "content type `{}` is not accepted by /ingest; send `application/json` \
                     ({{\"Records\":[...]}}) or `application/x-ndjson` (one record per line)",
                    content_type.unwrap_or("")
                ),
            )),
        }
    }

    /// The name used in `requestParameters`.
    pub fn name(self) -> &'static str {
        match self {
            BodyFormat::LogFile => "json",
            BodyFormat::Lines => "ndjson",
        }
    }
}

/// The caller's rights over the records it sends.
#[derive(Debug, Clone)]
pub struct IngestCaller<'a> {
    /// The caller's account.
    pub account_id: &'a str,
    /// Whether records of other accounts are accepted.
    pub may_use_other_accounts: bool,
}

/// One refused record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FailedRecord {
    /// Position in the request, from 0.
    pub index: usize,
    /// `MalformedRecord`, `InvalidRecord`, `RecordTooLarge` or `AccountMismatch`.
    pub error_code: &'static str,
    /// What is wrong, naming the member.
    pub error_message: String,
}

/// The response body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IngestResponse {
    /// Records now durable in the journal.
    pub accepted: usize,
    /// Records the journal already held (same `eventID`).
    pub duplicates: usize,
    /// Records refused, with the reason.
    pub failed: Vec<FailedRecord>,
}

/// A body split into journal entries and refusals.
#[derive(Debug, Default)]
pub struct Prepared {
    /// Entries to append, in request order.
    pub entries: Vec<AppendEntry>,
    /// Refused records.
    pub failed: Vec<FailedRecord>,
    /// Records in the body.
    pub records: usize,
}

/// Splits and checks a (decoded) body.
///
/// # Errors
///
/// `SerializationException` when the body is not the format's JSON at all;
/// `InvalidParameterException` when it holds more than `max_records` records.
pub fn prepare(
    body: &[u8],
    format: BodyFormat,
    caller: &IngestCaller<'_>,
    max_records: usize,
) -> Result<Prepared, ApiError> {
    let records = split_records(body, format, max_records)?;
    let mut prepared = Prepared {
        entries: Vec::with_capacity(records.len()),
        failed: Vec::new(),
        records: records.len(),
    };
    let mut scratch = Vec::new();
    for (index, record) in records.into_iter().enumerate() {
        match check_record(record, caller, &mut scratch) {
            Ok(entry) => prepared.entries.push(entry),
            Err((error_code, error_message)) => prepared.failed.push(FailedRecord {
                index,
                error_code,
                error_message,
            }),
        }
    }
    Ok(prepared)
}

fn too_many(max_records: usize) -> ApiError {
    ApiError::new(
        ErrorCode::InvalidParameterException,
        format!("the request holds more than {max_records} records; split it"),
    )
}

fn split_records(
    body: &[u8],
    format: BodyFormat,
    max_records: usize,
) -> Result<Vec<&[u8]>, ApiError> {
    match format {
        BodyFormat::LogFile => {
            #[derive(serde::Deserialize)]
            struct LogFile<'a> {
                #[serde(rename = "Records", borrow)]
                records: Option<Vec<&'a RawValue>>,
            }
            let file: LogFile<'_> = serde_json::from_slice(body).map_err(|error| {
                ApiError::new(
                    ErrorCode::SerializationException,
                    format!("the body is not a JSON object with a `Records` array: {error}"),
                )
            })?;
            let Some(records) = file.records else {
                return Err(ApiError::new(
                    ErrorCode::SerializationException,
                    "the body has no `Records` array",
                ));
            };
            if records.len() > max_records {
                return Err(too_many(max_records));
            }
            Ok(records
                .into_iter()
                .map(|raw| raw.get().as_bytes())
                .collect())
        }
        BodyFormat::Lines => {
            let mut records = Vec::new();
            for line in body.split(|byte| *byte == b'\n') {
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                if records.len() == max_records {
                    return Err(too_many(max_records));
                }
                records.push(line);
            }
            Ok(records)
        }
    }
}

type Refusal = (&'static str, String);

fn check_record(
    record: &[u8],
    caller: &IngestCaller<'_>,
    scratch: &mut Vec<u8>,
) -> Result<AppendEntry, Refusal> {
    scratch.clear();
    json_text::compact_into(record, scratch);
    let mut event = Event::parse(scratch, &RecordLimits::STANDARD).map_err(|error| {
        let code = match error.kind() {
            ValidationErrorKind::Syntax | ValidationErrorKind::NotAnObject => "MalformedRecord",
            ValidationErrorKind::RecordTooLarge => "RecordTooLarge",
            _ => "InvalidRecord",
        };
        (code, error.to_string())
    })?;
    let mut changed = false;
    if event.event_id().is_none_or(str::is_empty) {
        event.set_event_id(opentrail_import::stamped_event_id(scratch));
        changed = true;
    }
    match event.record().recipient_account_id.as_deref() {
        Some(account) if account == caller.account_id => {}
        Some(_) if caller.may_use_other_accounts => {}
        Some(account) => {
            return Err((
                "AccountMismatch",
                format!(
                    "`recipientAccountId` is `{account}`; this key may only send events of account `{}`",
                    caller.account_id
                ),
            ));
        }
        None => {
            let mut record = event.into_record();
            record.recipient_account_id = Some(caller.account_id.to_owned());
            event = Event::from_record(record, &RecordLimits::STANDARD)
                .map_err(|error| ("RecordTooLarge", error.to_string()))?;
            changed = true;
        }
    }
    let Some(event_id) = event.event_id().map(str::to_owned) else {
        return Err(("InvalidRecord", String::from("field `eventID` is missing")));
    };
    if event_id.len() > opentrail_journal::frame::MAX_EVENT_ID_LEN {
        return Err((
            "InvalidRecord",
            String::from("field `eventID` is longer than 1024 bytes"),
        ));
    }
    let payload = if changed {
        event.to_json()
    } else {
        std::mem::take(scratch)
    };
    // History would parse the record again to index it; hand it the keys.
    let keys: Attachment = Arc::new(event.lookup_keys());
    Ok(AppendEntry::new(event_id, payload).with_attachment(keys))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADMIN: IngestCaller<'static> = IngestCaller {
        account_id: "111122223333",
        may_use_other_accounts: true,
    };
    const INGESTER: IngestCaller<'static> = IngestCaller {
        account_id: "111122223333",
        may_use_other_accounts: false,
    };

    fn record(id: &str, account: Option<&str>) -> String {
        let account = account
            .map(|account| format!(r#","recipientAccountId":"{account}""#))
            .unwrap_or_default();
        format!(
            r#"{{"eventVersion":"1.08","eventTime":"2026-11-21T10:00:00Z","eventSource":"app.example.com","eventName":"Login","eventID":"{id}"{account}}}"#
        )
    }

    #[test]
    fn log_files_and_lines_give_the_same_entries() {
        let one = record("a", Some("111122223333"));
        let two = record("b", Some("111122223333"));
        let log_file = format!(r#"{{"Records":[{one},{two}]}}"#);
        let lines = format!("{one}\n\n{two}\n");
        let from_file = prepare(log_file.as_bytes(), BodyFormat::LogFile, &INGESTER, 10).unwrap();
        let from_lines = prepare(lines.as_bytes(), BodyFormat::Lines, &INGESTER, 10).unwrap();
        assert_eq!(from_file.entries.len(), 2);
        assert_eq!(from_lines.entries.len(), 2);
        assert!(from_file.failed.is_empty() && from_lines.failed.is_empty());
        assert_eq!(from_file.records, 2);
    }

    #[test]
    fn bad_records_are_refused_one_by_one_with_reasons() {
        let huge = format!(
            r#"{{"eventTime":"2026-11-21T10:00:00Z","eventSource":"a","eventName":"b","pad":"{}"}}"#,
            "x".repeat(300 * 1024)
        );
        let body = format!(
            "{}\nnot json\n{}\n{}\n{huge}\n",
            record("ok", None),
            r#"{"eventSource":"a","eventName":"b"}"#,
            record("other", Some("999999999999")),
        );
        let prepared = prepare(body.as_bytes(), BodyFormat::Lines, &INGESTER, 10).unwrap();
        assert_eq!(prepared.entries.len(), 1);
        let codes: Vec<(usize, &str)> = prepared
            .failed
            .iter()
            .map(|failed| (failed.index, failed.error_code))
            .collect();
        assert_eq!(
            codes,
            vec![
                (1, "MalformedRecord"),
                (2, "InvalidRecord"),
                (3, "AccountMismatch"),
                (4, "RecordTooLarge")
            ]
        );
        assert!(prepared.failed[1].error_message.contains("eventTime"));
        // Admins may send records of any account.
        let admin = prepare(
            record("other", Some("999999999999")).as_bytes(),
            BodyFormat::Lines,
            &ADMIN,
            10,
        )
        .unwrap();
        assert_eq!(admin.entries.len(), 1);
    }

    #[test]
    fn missing_ids_and_accounts_are_filled_in_stably() {
        let body = r#"{"eventTime":"2026-11-21T10:00:00Z","eventSource":"a","eventName":"b"}"#;
        let first = prepare(body.as_bytes(), BodyFormat::Lines, &INGESTER, 10).unwrap();
        let second = prepare(body.as_bytes(), BodyFormat::Lines, &INGESTER, 10).unwrap();
        assert_eq!(first.entries[0].event_id, second.entries[0].event_id);
        let payload: serde_json::Value = serde_json::from_slice(&first.entries[0].payload).unwrap();
        assert_eq!(payload["recipientAccountId"], "111122223333");
        assert_eq!(payload["eventID"], first.entries[0].event_id.as_str());
    }

    #[test]
    fn whole_body_problems_are_errors() {
        let too_many = "{}\n".repeat(3);
        let error = prepare(too_many.as_bytes(), BodyFormat::Lines, &INGESTER, 2).unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidParameterException);
        for body in ["[1,2]", "{\"records\":[]}", "not json", ""] {
            let error = prepare(body.as_bytes(), BodyFormat::LogFile, &INGESTER, 2).unwrap_err();
            assert_eq!(error.code, ErrorCode::SerializationException, "{body}");
        }
        assert!(BodyFormat::from_content_type(Some("text/plain")).is_err());
        assert_eq!(
            BodyFormat::from_content_type(Some("application/json; charset=utf-8")).unwrap(),
            BodyFormat::LogFile
        );
    }
}
