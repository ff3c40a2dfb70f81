//! Turning checked events into stored `ActivityAuditLog` records (spec §3.6.3).

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use opentrail_types::json_text;
use opentrail_types::{SharedIds, Timestamp};
use sha2::{Digest as _, Sha256};

use crate::error::EventErrorCode;
use crate::event_data::{Refusal, ValidEventData, check_event_data};
use crate::request::{CheckedAuditEvent, CheckedRequest};

/// `eventVersion` written on every record (project decision, spec §3.6.3 and §7.4).
pub const EVENT_VERSION: &str = "1.11";
/// `eventCategory` of records ingested through a channel.
pub const EVENT_CATEGORY: &str = "ActivityAuditLog";
/// `eventType` of records ingested through a channel.
pub const EVENT_TYPE: &str = "ActivityLog";
/// Longest `errorMessage` of a failed entry (model `ErrorMessage.max`).
pub const MAX_ERROR_MESSAGE_CHARS: usize = 1024;

/// What the server knows about the call, needed to build the records.
#[derive(Debug, Clone, Copy)]
pub struct IngestContext<'a> {
    /// The full ARN of the channel (written to `metadata.channelARN`), even when the
    /// caller named the channel by ID.
    pub channel_arn: &'a str,
    /// The account owning the channel; `eventData.recipientAccountId` must equal it.
    pub channel_owner_account: &'a str,
    /// The Region of the endpoint (written to `awsRegion`).
    pub region: &'a str,
    /// The server time of the call (written to `metadata.ingestionTime`).
    pub now: Timestamp,
    /// Source of the new `eventID`s (one drawn per accepted event, in request order).
    pub ids: &'a SharedIds,
}

/// A record ready to be written to every destination store of the channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    /// The caller's ID of the event.
    pub id: String,
    /// The new `eventID` (a lower-case UUID).
    pub event_id: String,
    /// The record as compact JSON, members in this order:
    ///
    /// `eventVersion` (`"1.11"`), `eventCategory` (`"ActivityAuditLog"`), `eventType`
    /// (`"ActivityLog"`), `eventID`, `eventTime` (= `eventData.eventTime`), `awsRegion`,
    /// `recipientAccountId` (= `eventData.recipientAccountId`, the channel owner),
    /// `metadata` {`ingestionTime` (`yyyy-MM-ddTHH:mm:ssZ`), `channelARN`}, `eventData`
    /// (the caller's object with its members, order and value texts as sent, whitespace
    /// between tokens removed).
    pub json: Vec<u8>,
    /// `eventTime`, parsed.
    pub event_time: Timestamp,
}

/// Why one event was refused: an entry of the response's `failed` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFailure {
    /// The caller's ID of the event.
    pub id: String,
    /// The error code.
    pub error_code: EventErrorCode,
    /// A message of 1–1024 characters naming the field at fault.
    pub error_message: String,
}

impl EventFailure {
    /// Returns a failure, cutting `message` to 1024 characters (and never leaving it
    /// empty) so it fits the model's `ErrorMessage`.
    pub fn new(id: &str, error_code: EventErrorCode, message: &str) -> EventFailure {
        let error_message = match message.char_indices().nth(MAX_ERROR_MESSAGE_CHARS) {
            Some((cut, _)) => message[..cut].to_owned(),
            None if message.is_empty() => error_code.as_str().to_owned(),
            None => message.to_owned(),
        };
        EventFailure {
            id: id.to_owned(),
            error_code,
            error_message,
        }
    }
}

/// Checks every event of `checked` and builds the stored record of each valid one.
///
/// Returns one outcome per event, in request order. An event fails with:
///
/// * `InvalidChecksum`: `eventDataChecksum` is given and is not the Base64 (padded or
///   not) of the SHA-256 of the UTF-8 bytes of `eventData`;
/// * `InvalidData`: `eventData` is not a JSON object, has a member twice, a field of the
///   wrong type, an `eventTime` not `yyyy-MM-ddTHH:mm:ssZ`, or a `sourceIPAddress` that is
///   not an IPv4 or IPv6 address;
/// * `FieldNotFound`: a required field is missing;
/// * `FieldTooLong`: a string over its character limit, or `requestParameters` /
///   `responseElements` over 100 KiB or `additionalEventData` over 28 KiB of compact
///   JSON text;
/// * `InvalidRecipient`: `recipientAccountId` is not `ctx.channel_owner_account`.
///
/// Only the first failure of an event is reported. The checksum is checked first; then
/// the fields in the order of the spec's §3.6.3 table (each: presence, type, limit, form,
/// `userIdentity`'s members right after `userIdentity`); the recipient last. JSON `null`
/// in an optional field counts as not given. An `eventID` is drawn from `ctx.ids` only for
/// events that pass.
pub fn build_records(
    checked: &CheckedRequest,
    ctx: &IngestContext<'_>,
) -> Vec<Result<StoredRecord, EventFailure>> {
    let mut outcomes = Vec::with_capacity(checked.len());
    for event in checked.audit_events() {
        let outcome = build_record(event, ctx)
            .map_err(|refusal| EventFailure::new(event.id(), refusal.code, &refusal.message));
        outcomes.push(outcome);
    }
    outcomes
}

fn build_record(
    event: &CheckedAuditEvent,
    ctx: &IngestContext<'_>,
) -> Result<StoredRecord, Refusal> {
    if let Some(checksum) = event.event_data_checksum() {
        verify_checksum(event.event_data(), checksum)?;
    }
    let valid = check_event_data(event.event_data(), ctx.channel_owner_account)?;
    let event_id = ctx.ids.uuid();
    let json = write_record(&valid, &event_id, ctx);
    Ok(StoredRecord {
        id: event.id().to_owned(),
        event_id,
        json: json.into_bytes(),
        event_time: valid.event_time,
    })
}

/// Returns the Base64 (standard alphabet, padded) SHA-256 of `event_data`, the value of
/// `eventDataChecksum`: `printf %s "$eventData" | openssl dgst -binary -sha256 | base64`.
pub fn event_data_checksum(event_data: &str) -> String {
    STANDARD.encode(Sha256::digest(event_data.as_bytes()))
}

fn verify_checksum(event_data: &str, checksum: &str) -> Result<(), Refusal> {
    let given = STANDARD
        .decode(checksum)
        .or_else(|_| STANDARD_NO_PAD.decode(checksum))
        .map_err(|_| Refusal {
            code: EventErrorCode::InvalidChecksum,
            message: format!(
                "`eventDataChecksum` value `{}` is not Base64",
                crate::query::excerpt(checksum)
            ),
        })?;
    let actual = Sha256::digest(event_data.as_bytes());
    if given.as_slice() != actual.as_slice() {
        return Err(Refusal {
            code: EventErrorCode::InvalidChecksum,
            message: format!(
                "`eventDataChecksum` value `{}` is not the Base64 SHA-256 of `eventData`",
                crate::query::excerpt(checksum)
            ),
        });
    }
    Ok(())
}

fn write_record(valid: &ValidEventData, event_id: &str, ctx: &IngestContext<'_>) -> String {
    let mut json = String::with_capacity(valid.compact_json.len() + 400);
    json.push_str("{\"eventVersion\":");
    json_text::push_string(&mut json, EVENT_VERSION);
    json.push_str(",\"eventCategory\":");
    json_text::push_string(&mut json, EVENT_CATEGORY);
    json.push_str(",\"eventType\":");
    json_text::push_string(&mut json, EVENT_TYPE);
    json.push_str(",\"eventID\":");
    json_text::push_string(&mut json, event_id);
    json.push_str(",\"eventTime\":");
    json_text::push_string(&mut json, &valid.event_time_text);
    json.push_str(",\"awsRegion\":");
    json_text::push_string(&mut json, ctx.region);
    json.push_str(",\"recipientAccountId\":");
    json_text::push_string(&mut json, &valid.recipient_account_id);
    json.push_str(",\"metadata\":{\"ingestionTime\":");
    json_text::push_string(&mut json, &ctx.now.format_event_time());
    json.push_str(",\"channelARN\":");
    json_text::push_string(&mut json, ctx.channel_arn);
    json.push_str("},\"eventData\":");
    json.push_str(&valid.compact_json);
    json.push('}');
    json
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_cut_to_the_model_limit() {
        let long = "é".repeat(2000);
        let failure = EventFailure::new("a", EventErrorCode::InvalidData, &long);
        assert_eq!(
            failure.error_message.chars().count(),
            MAX_ERROR_MESSAGE_CHARS
        );
        let empty = EventFailure::new("a", EventErrorCode::InvalidData, "");
        assert_eq!(empty.error_message, "InvalidData");
    }

    #[test]
    fn checksum_accepts_unpadded_base64() {
        let data = "{}";
        let padded = event_data_checksum(data);
        assert!(padded.ends_with('='));
        assert!(verify_checksum(data, &padded).is_ok());
        assert!(verify_checksum(data, padded.trim_end_matches('=')).is_ok());
        assert_eq!(
            verify_checksum(data, "!!").unwrap_err().code,
            EventErrorCode::InvalidChecksum
        );
    }
}
