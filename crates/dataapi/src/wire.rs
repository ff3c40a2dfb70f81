//! The wire shapes of `PutAuditEvents`, named as in the botocore model
//! `cloudtrail-data/2021-08-11/service-2.json`.
//!
//! See <https://docs.aws.amazon.com/awscloudtraildata/latest/APIReference/API_PutAuditEvents.html>.

use serde::{Deserialize, Serialize};

use crate::error::EventErrorCode;
use crate::record::{EventFailure, StoredRecord};

/// HTTP method of the operation.
pub const HTTP_METHOD: &str = "POST";
/// Request path of the operation (`requestUri` in the model).
pub const REQUEST_PATH: &str = "/PutAuditEvents";
/// Query parameter naming the channel (ARN or ID), required.
pub const CHANNEL_ARN_PARAMETER: &str = "channelArn";
/// Query parameter carrying the external ID, optional.
pub const EXTERNAL_ID_PARAMETER: &str = "externalId";
/// SigV4 signing name and endpoint prefix of the Data API.
pub const SIGNING_NAME: &str = "cloudtrail-data";

/// The body of a `PutAuditEvents` request, as a client writes it.
///
/// ```json
/// { "auditEvents": [ { "id": "gh-evt-0001", "eventData": "{…}", "eventDataChecksum": "…" } ] }
/// ```
///
/// * `auditEvents`: 1–100 entries, required.
///
/// This type mirrors the shape for clients and tests; the server reads bodies with
/// [`crate::check_request`], which also enforces the model's constraints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PutAuditEventsRequest {
    /// The events to ingest.
    pub audit_events: Vec<AuditEvent>,
}

/// One entry of `auditEvents`.
///
/// * `id`: required, 1–128 characters of `[-_A-Za-z0-9]`, the caller's own ID for the
///   event, unique within the request;
/// * `eventData`: required, a string holding the JSON object of the event (§3.6.3);
/// * `eventDataChecksum`: optional, Base64 of the SHA-256 of the UTF-8 bytes of
///   `eventData`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEvent {
    /// The caller's ID of the event.
    pub id: String,
    /// The event as JSON text.
    pub event_data: String,
    /// Base64 SHA-256 of `event_data`, if the caller sent one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_data_checksum: Option<String>,
}

/// The body of a `PutAuditEvents` response (HTTP 200 even when events failed).
///
/// ```json
/// {
///   "successful": [ { "id": "gh-evt-0001", "eventID": "3f1e9c8a-2b47-4d6e-9a15-7c0b2e4d8f61" } ],
///   "failed": [ { "id": "gh-evt-0002", "errorCode": "InvalidData", "errorMessage": "…" } ]
/// }
/// ```
///
/// Both lists are always written (required members), each in request order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct PutAuditEventsResponse {
    /// Events stored, with the `eventID` the store assigned.
    pub successful: Vec<AuditEventResultEntry>,
    /// Events refused, with the reason.
    pub failed: Vec<ResultErrorEntry>,
}

impl PutAuditEventsResponse {
    /// Returns the response reporting `outcomes` (one per event, as returned by
    /// [`crate::build_records`], after the server stored the records).
    pub fn from_outcomes<'a>(
        outcomes: impl IntoIterator<Item = &'a Result<StoredRecord, EventFailure>>,
    ) -> PutAuditEventsResponse {
        let mut response = PutAuditEventsResponse::default();
        for outcome in outcomes {
            match outcome {
                Ok(record) => response.successful.push(AuditEventResultEntry {
                    id: record.id.clone(),
                    event_id: record.event_id.clone(),
                }),
                Err(failure) => response.failed.push(ResultErrorEntry {
                    id: failure.id.clone(),
                    error_code: failure.error_code,
                    error_message: failure.error_message.clone(),
                }),
            }
        }
        response
    }
}

/// One entry of `successful`: `id` (the caller's) and `eventID` (the stored record's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEventResultEntry {
    /// The caller's ID of the event.
    pub id: String,
    /// The `eventID` of the stored record.
    #[serde(rename = "eventID")]
    pub event_id: String,
}

/// One entry of `failed`: `id`, `errorCode` (1–128 characters) and `errorMessage`
/// (1–1024 characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultErrorEntry {
    /// The caller's ID of the event.
    pub id: String,
    /// Why the event was refused.
    pub error_code: EventErrorCode,
    /// A message naming the field at fault.
    pub error_message: String,
}
