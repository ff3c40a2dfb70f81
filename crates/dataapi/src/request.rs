//! Reading a `PutAuditEvents` body into a [`CheckedRequest`]: shape, sizes, IDs.

use std::collections::HashSet;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::{RequestError, RequestErrorCode, Result};
use crate::query::excerpt;

/// Largest request body: 1 MB, read as 1 MiB (1,048,576 bytes).
pub const MAX_REQUEST_BODY_BYTES: usize = 1024 * 1024;
/// Most entries in `auditEvents` (model `AuditEvents.max`).
pub const MAX_AUDIT_EVENTS: usize = 100;
/// Longest `auditEvents[].id` (model `Uuid.max`).
pub const MAX_AUDIT_EVENT_ID_CHARS: usize = 128;

/// Request-level limits of `PutAuditEvents`; [`Default`] gives the documented values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLimits {
    /// Largest body in bytes. Default 1,048,576 ([`MAX_REQUEST_BODY_BYTES`]).
    pub max_body_bytes: usize,
    /// Most events per request. Default 100 ([`MAX_AUDIT_EVENTS`]).
    pub max_audit_events: usize,
}

impl Default for RequestLimits {
    fn default() -> Self {
        RequestLimits {
            max_body_bytes: MAX_REQUEST_BODY_BYTES,
            max_audit_events: MAX_AUDIT_EVENTS,
        }
    }
}

/// A request whose body has the modelled shape and meets the request-level rules: 1 to
/// `max_audit_events` entries, each with a valid, unique `id` and an `eventData` string.
/// The events themselves are not checked yet (that is per event, in
/// [`crate::build_records`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedRequest {
    audit_events: Vec<CheckedAuditEvent>,
}

impl CheckedRequest {
    /// Returns the events, in request order (never empty).
    pub fn audit_events(&self) -> &[CheckedAuditEvent] {
        &self.audit_events
    }

    /// Returns the number of events.
    pub fn len(&self) -> usize {
        self.audit_events.len()
    }

    /// Returns false: a checked request holds at least one event.
    pub fn is_empty(&self) -> bool {
        self.audit_events.is_empty()
    }
}

/// One entry of a [`CheckedRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedAuditEvent {
    id: String,
    event_data: String,
    event_data_checksum: Option<String>,
}

impl CheckedAuditEvent {
    /// Returns the caller's ID (1–128 characters of `[-_A-Za-z0-9]`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Returns `eventData` as sent (not yet checked).
    pub fn event_data(&self) -> &str {
        &self.event_data
    }

    /// Returns `eventDataChecksum`, when sent.
    pub fn event_data_checksum(&self) -> Option<&str> {
        self.event_data_checksum.as_deref()
    }
}

/// The body as sent: every member optional, so a missing member is reported as a
/// validation error rather than a parse error. Unknown members are ignored, like AWS
/// JSON services do.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRequest {
    #[serde(default)]
    audit_events: Option<Vec<Option<ObjectOnly<RawAuditEvent>>>>,
}

/// A structure that must be a JSON object: derived `Deserialize` impls would also take
/// a JSON array of the members in order, which no AWS service reads as a structure.
#[derive(Debug)]
struct ObjectOnly<T>(T);

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for ObjectOnly<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        if !raw.get().starts_with('{') {
            return Err(D::Error::custom(format!(
                "expected a JSON object, found `{}`",
                excerpt(raw.get())
            )));
        }
        serde_json::from_str(raw.get())
            .map(ObjectOnly)
            .map_err(D::Error::custom)
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAuditEvent {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    event_data: Option<String>,
    #[serde(default)]
    event_data_checksum: Option<String>,
}

/// Reads a `PutAuditEvents` body.
///
/// An empty (or all-whitespace) body reads as `{}`. JSON `null` counts as a missing
/// member.
///
/// # Errors
///
/// * `ValidationException`: body over `limits.max_body_bytes`; `auditEvents` missing,
///   empty or longer than `limits.max_audit_events`; an entry that is `null` or lacks
///   `id` or `eventData`; an `id` not 1–128 characters of `[-_A-Za-z0-9]`;
/// * `SerializationException`: the body is not JSON, or not the modelled shape (for
///   example `eventData` given as an object instead of a string);
/// * `DuplicatedAuditEventId`: two entries share an `id` (the whole request is refused).
///
/// The checks run in that order; within the entries, in request order.
pub fn check_request(body: &[u8], limits: RequestLimits) -> Result<CheckedRequest> {
    if body.len() > limits.max_body_bytes {
        return Err(RequestError::validation(format!(
            "request body is {} bytes; the limit is {} bytes",
            body.len(),
            limits.max_body_bytes
        )));
    }
    let first_byte = body.iter().find(|byte| !byte.is_ascii_whitespace());
    let body: &[u8] = match first_byte {
        None => b"{}",
        Some(b'{') => body,
        Some(_) => {
            return Err(RequestError::serialization(
                "request body is not a valid PutAuditEvents request: expected a JSON object",
            ));
        }
    };
    let raw: RawRequest = serde_json::from_slice(body).map_err(|error| {
        RequestError::serialization(format!(
            "request body is not a valid PutAuditEvents request: {error}"
        ))
    })?;
    let Some(raw_events) = raw.audit_events else {
        return Err(RequestError::validation("member `auditEvents` is required"));
    };
    if raw_events.is_empty() || raw_events.len() > limits.max_audit_events {
        return Err(RequestError::validation(format!(
            "`auditEvents` has {} entries; it must have 1 to {}",
            raw_events.len(),
            limits.max_audit_events
        )));
    }
    let mut seen_ids: HashSet<String> = HashSet::with_capacity(raw_events.len());
    let mut audit_events = Vec::with_capacity(raw_events.len());
    for (index, raw_event) in raw_events.into_iter().enumerate() {
        let Some(ObjectOnly(raw_event)) = raw_event else {
            return Err(RequestError::validation(format!(
                "`auditEvents[{index}]` is null"
            )));
        };
        let Some(id) = raw_event.id else {
            return Err(RequestError::validation(format!(
                "member `auditEvents[{index}].id` is required"
            )));
        };
        validate_audit_event_id(index, &id)?;
        let Some(event_data) = raw_event.event_data else {
            return Err(RequestError::validation(format!(
                "member `auditEvents[{index}].eventData` is required"
            )));
        };
        if !seen_ids.insert(id.clone()) {
            return Err(RequestError::new(
                RequestErrorCode::DuplicatedAuditEventId,
                format!("audit event id `{id}` occurs more than once in the request"),
            ));
        }
        audit_events.push(CheckedAuditEvent {
            id,
            event_data,
            event_data_checksum: raw_event.event_data_checksum,
        });
    }
    Ok(CheckedRequest { audit_events })
}

/// Checks an `id` against the model's `Uuid` shape: 1–128 characters of `[-_A-Za-z0-9]`.
fn validate_audit_event_id(index: usize, id: &str) -> Result<()> {
    // The pattern admits ASCII only, so bytes and characters agree once it holds; check
    // it first so the length below is a character count.
    let pattern_ok = id
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
    if !pattern_ok {
        return Err(RequestError::validation(format!(
            "`auditEvents[{index}].id` value `{}` does not match the pattern ^[-_A-Za-z0-9]+$",
            excerpt(id)
        )));
    }
    if id.is_empty() || id.len() > MAX_AUDIT_EVENT_ID_CHARS {
        return Err(RequestError::validation(format!(
            "`auditEvents[{index}].id` is {} characters long; it must be 1 to \
             {MAX_AUDIT_EVENT_ID_CHARS} characters",
            id.len()
        )));
    }
    Ok(())
}
