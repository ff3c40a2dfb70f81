//! The CloudTrail Data API (`PutAuditEvents`): wire shapes, request checks, the checks of
//! each event's `eventData`, and the stored `ActivityAuditLog` record
//! (spec `events-and-queries.md` §3.6.2–§3.6.3; botocore model
//! `cloudtrail-data/2021-08-11/service-2.json`).
//!
//! A pure library: no HTTP server and no channel registry. The server
//!
//! 1. reads the query with [`PutAuditEventsQuery::from_query_string`] (or
//!    [`PutAuditEventsQuery::parse`]) and resolves the channel itself
//!    (`ChannelNotFound`, `ChannelInsufficientPermission`);
//! 2. reads the body with [`check_request`] into a [`CheckedRequest`];
//! 3. turns it into one outcome per event with [`build_records`], writes each
//!    [`StoredRecord`] to the channel's stores, and answers
//!    [`PutAuditEventsResponse::from_outcomes`] (HTTP 200);
//! 4. reports any [`RequestError`] as its [`ErrorResponse`].
//!
//! ```
//! use std::sync::Arc;
//! use opentrail_dataapi::{
//!     IngestContext, PutAuditEventsResponse, RequestLimits, build_records, check_request,
//!     event_data_checksum,
//! };
//! use opentrail_types::{SeededIds, SharedIds, Timestamp};
//!
//! let event_data = r#"{"version":"1.0","userIdentity":{"type":"CustomUser","principalId":"alice"},
//!     "eventSource":"app.example.com","eventName":"Login","eventTime":"2026-03-04T17:30:12Z",
//!     "UID":"u-1","recipientAccountId":"111122223333"}"#;
//! let body = serde_json::json!({ "auditEvents": [
//!     { "id": "evt-1", "eventData": event_data, "eventDataChecksum": event_data_checksum(event_data) },
//!     { "id": "evt-2", "eventData": "{}" },
//! ]});
//! let checked = check_request(body.to_string().as_bytes(), RequestLimits::default())?;
//! let ids: SharedIds = Arc::new(SeededIds::new(1));
//! let ctx = IngestContext {
//!     channel_arn: "arn:aws:cloudtrail:us-east-1:111122223333:channel/c-1",
//!     channel_owner_account: "111122223333",
//!     region: "us-east-1",
//!     now: Timestamp::parse_event_time("2026-03-04T17:30:14Z")?,
//!     ids: &ids,
//! };
//! let outcomes = build_records(&checked, &ctx);
//! let response = PutAuditEventsResponse::from_outcomes(&outcomes);
//! assert_eq!(response.successful.len(), 1);
//! assert_eq!(response.failed[0].error_code.as_str(), "FieldNotFound");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

mod error;
mod event_data;
mod json_text;
mod query;
mod record;
mod request;
mod wire;

pub use error::{
    CONTENT_TYPE, ERROR_TYPE_HEADER, ErrorResponse, EventErrorCode, RequestError, RequestErrorCode,
    Result,
};
pub use event_data::{MAX_ADDITIONAL_EVENT_DATA_BYTES, MAX_REQUEST_PARAMETERS_BYTES};
pub use query::{
    ChannelReference, MAX_CHANNEL_ID_CHARS, MAX_EXTERNAL_ID_CHARS, MIN_EXTERNAL_ID_CHARS,
    PutAuditEventsQuery,
};
pub use record::{
    EVENT_CATEGORY, EVENT_TYPE, EVENT_VERSION, EventFailure, IngestContext,
    MAX_ERROR_MESSAGE_CHARS, StoredRecord, build_records, event_data_checksum,
};
pub use request::{
    CheckedAuditEvent, CheckedRequest, MAX_AUDIT_EVENT_ID_CHARS, MAX_AUDIT_EVENTS,
    MAX_REQUEST_BODY_BYTES, RequestLimits, check_request,
};
pub use wire::{
    AuditEvent, AuditEventResultEntry, CHANNEL_ARN_PARAMETER, EXTERNAL_ID_PARAMETER, HTTP_METHOD,
    PutAuditEventsRequest, PutAuditEventsResponse, REQUEST_PATH, ResultErrorEntry, SIGNING_NAME,
};
