//! Request-level errors of `PutAuditEvents`, their REST-JSON wire form, and the per-event
//! error codes of the response's `failed` list.

use std::fmt;

use serde::Serialize;

/// Header carrying the error code of a REST-JSON error response (botocore reads it before
/// the body's `__type`, keeping the text before any `:`).
pub const ERROR_TYPE_HEADER: &str = "x-amzn-ErrorType";

/// Content type of every Data API response body, errors included.
pub const CONTENT_TYPE: &str = "application/json";

/// The code of an error that fails a whole `PutAuditEvents` call.
///
/// The first six are the operation's modelled errors (botocore
/// `cloudtrail-data/2021-08-11/service-2.json`); they carry no `Exception` suffix on the
/// wire. `ValidationException`, `SerializationException` and `InternalFailure` are not in
/// the model: they are the codes AWS services generally answer for a request that breaks
/// the model's constraints, a body that is not the modelled shape, and a server fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RequestErrorCode {
    /// The caller's account may not put events into the channel.
    ChannelInsufficientPermission,
    /// No channel has the given ARN or ID.
    ChannelNotFound,
    /// `channelArn` is neither a channel ARN nor a channel ID.
    InvalidChannelArn,
    /// The channel does not take events of this schema.
    ChannelUnsupportedSchema,
    /// Two `auditEvents` entries have the same `id`.
    DuplicatedAuditEventId,
    /// The operation is not supported in this Region or account.
    UnsupportedOperationException,
    /// A member breaks a constraint of the model: a missing required member, a list size,
    /// a length or pattern, or a body over the size limit.
    ValidationException,
    /// The body is not JSON, or not the shape of `PutAuditEventsRequest`.
    SerializationException,
    /// A fault of the server (a broken invariant), never the caller's input.
    InternalFailure,
}

impl RequestErrorCode {
    /// Every code, for tables and tests.
    pub const ALL: [RequestErrorCode; 9] = [
        RequestErrorCode::ChannelInsufficientPermission,
        RequestErrorCode::ChannelNotFound,
        RequestErrorCode::InvalidChannelArn,
        RequestErrorCode::ChannelUnsupportedSchema,
        RequestErrorCode::DuplicatedAuditEventId,
        RequestErrorCode::UnsupportedOperationException,
        RequestErrorCode::ValidationException,
        RequestErrorCode::SerializationException,
        RequestErrorCode::InternalFailure,
    ];

    /// Returns the code as written in `x-amzn-ErrorType` and `__type`.
    pub const fn as_str(self) -> &'static str {
        match self {
            RequestErrorCode::ChannelInsufficientPermission => "ChannelInsufficientPermission",
            RequestErrorCode::ChannelNotFound => "ChannelNotFound",
            RequestErrorCode::InvalidChannelArn => "InvalidChannelARN",
            RequestErrorCode::ChannelUnsupportedSchema => "ChannelUnsupportedSchema",
            RequestErrorCode::DuplicatedAuditEventId => "DuplicatedAuditEventId",
            RequestErrorCode::UnsupportedOperationException => "UnsupportedOperationException",
            RequestErrorCode::ValidationException => "ValidationException",
            RequestErrorCode::SerializationException => "SerializationException",
            RequestErrorCode::InternalFailure => "InternalFailure",
        }
    }

    /// Returns the HTTP status of the code.
    ///
    /// Project decision (spec §3.6.2, open point §7.5): 404 for `ChannelNotFound`, 500 for
    /// `InternalFailure`, 400 for every other code.
    pub const fn http_status(self) -> u16 {
        match self {
            RequestErrorCode::ChannelNotFound => 404,
            RequestErrorCode::InternalFailure => 500,
            _ => 400,
        }
    }
}

impl fmt::Display for RequestErrorCode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// An error that fails a whole `PutAuditEvents` call (no event is stored).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RequestError {
    code: RequestErrorCode,
    message: String,
}

/// Results of this crate's request-level checks.
pub type Result<T, E = RequestError> = std::result::Result<T, E>;

impl RequestError {
    /// Returns an error with `code` and a message for the client (lowercase, naming the bad
    /// value in backticks).
    pub fn new(code: RequestErrorCode, message: impl Into<String>) -> RequestError {
        RequestError {
            code,
            message: message.into(),
        }
    }

    /// Returns the error code, the value clients branch on.
    pub const fn kind(&self) -> RequestErrorCode {
        self.code
    }

    /// Returns the message sent to the client.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Returns the REST-JSON response that reports this error.
    pub fn to_error_response(&self) -> ErrorResponse {
        ErrorResponse {
            code: self.code,
            message: self.message.clone(),
        }
    }

    pub(crate) fn validation(message: impl Into<String>) -> RequestError {
        RequestError::new(RequestErrorCode::ValidationException, message)
    }

    pub(crate) fn serialization(message: impl Into<String>) -> RequestError {
        RequestError::new(RequestErrorCode::SerializationException, message)
    }
}

/// The REST-JSON error response of the Data API.
///
/// Wire form (what the server writes):
///
/// ```text
/// HTTP/1.1 404 Not Found
/// Content-Type: application/json
/// x-amzn-ErrorType: ChannelNotFound
///
/// {"__type":"ChannelNotFound","message":"channel `…` not found"}
/// ```
///
/// * status: [`RequestErrorCode::http_status`];
/// * header [`ERROR_TYPE_HEADER`]: the bare code (no `Exception` suffix for the modelled
///   codes, no namespace, no `:` suffix);
/// * body members `__type` (the same code) and `message`.
///
/// botocore's REST-JSON parser takes the code from `x-amzn-ErrorType` and the message
/// from the body's `message`, so either alone would do; we write both like AWS does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorResponse {
    #[serde(rename = "__type", serialize_with = "serialize_code")]
    code: RequestErrorCode,
    message: String,
}

fn serialize_code<S: serde::Serializer>(
    code: &RequestErrorCode,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    serializer.serialize_str(code.as_str())
}

impl ErrorResponse {
    /// Returns the error code.
    pub const fn code(&self) -> RequestErrorCode {
        self.code
    }

    /// Returns the HTTP status to answer with.
    pub const fn status(&self) -> u16 {
        self.code.http_status()
    }

    /// Returns the value of the [`ERROR_TYPE_HEADER`] header.
    pub const fn error_type(&self) -> &'static str {
        self.code.as_str()
    }

    /// Returns the message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Returns the JSON body, `{"__type":"<code>","message":"<message>"}`.
    pub fn body(&self) -> Vec<u8> {
        let mut body = String::with_capacity(self.message.len() + 48);
        body.push_str("{\"__type\":");
        opentrail_types::json_text::push_string(&mut body, self.code.as_str());
        body.push_str(",\"message\":");
        opentrail_types::json_text::push_string(&mut body, &self.message);
        body.push('}');
        body.into_bytes()
    }
}

/// The `errorCode` of one entry of the response's `failed` list.
///
/// The values are those the model documents on `ResultErrorEntry.errorCode`. This crate
/// produces the first five; the others are for the server (quotas, subscription, faults
/// while storing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventErrorCode {
    /// A field of `eventData` is longer than its limit.
    FieldTooLong,
    /// A required field of `eventData` is missing.
    FieldNotFound,
    /// `eventDataChecksum` does not match `eventData`.
    InvalidChecksum,
    /// `eventData` is not a JSON object, or a field has the wrong type or form.
    InvalidData,
    /// `eventData.recipientAccountId` is not the account owning the channel.
    InvalidRecipient,
    /// The event's source is not accepted by the channel.
    InvalidEventSource,
    /// The account is not subscribed.
    AccountNotSubscribed,
    /// The event was throttled.
    Throttling,
    /// The server failed to store the event.
    InternalFailure,
}

impl EventErrorCode {
    /// Returns the code as written in `errorCode`.
    pub const fn as_str(self) -> &'static str {
        match self {
            EventErrorCode::FieldTooLong => "FieldTooLong",
            EventErrorCode::FieldNotFound => "FieldNotFound",
            EventErrorCode::InvalidChecksum => "InvalidChecksum",
            EventErrorCode::InvalidData => "InvalidData",
            EventErrorCode::InvalidRecipient => "InvalidRecipient",
            EventErrorCode::InvalidEventSource => "InvalidEventSource",
            EventErrorCode::AccountNotSubscribed => "AccountNotSubscribed",
            EventErrorCode::Throttling => "Throttling",
            EventErrorCode::InternalFailure => "InternalFailure",
        }
    }
}

impl fmt::Display for EventErrorCode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

impl Serialize for EventErrorCode {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_channel_not_found_and_internal_failure_are_not_400() {
        for code in RequestErrorCode::ALL {
            let expected = match code {
                RequestErrorCode::ChannelNotFound => 404,
                RequestErrorCode::InternalFailure => 500,
                _ => 400,
            };
            assert_eq!(code.http_status(), expected, "{code}");
            assert!(!code.as_str().is_empty());
        }
    }

    #[test]
    fn error_body_escapes_the_message() {
        let response = RequestError::new(
            RequestErrorCode::ChannelNotFound,
            "channel `a\"b` not found",
        )
        .to_error_response();
        assert_eq!(
            String::from_utf8(response.body()).unwrap(),
            r#"{"__type":"ChannelNotFound","message":"channel `a\"b` not found"}"#
        );
        assert_eq!(
            serde_json::to_string(&response).unwrap(),
            String::from_utf8(response.body()).unwrap()
        );
    }
}
