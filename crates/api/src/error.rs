//! Errors as clients see them: an AWS error code (the `__type` of the JSON body), an HTTP
//! status, and a message. Every client-visible failure is mapped here and nowhere else.

use std::fmt;

use opentrail_store::{LookupError, LookupErrorKind};

/// AWS error codes OpenTrail returns. The name is the exception botocore raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// `InvalidLookupAttributesException`.
    InvalidLookupAttributesException,
    /// `InvalidTimeRangeException`.
    InvalidTimeRangeException,
    /// `InvalidMaxResultsException`.
    InvalidMaxResultsException,
    /// `InvalidNextTokenException`.
    InvalidNextTokenException,
    /// `InvalidEventCategoryException`.
    InvalidEventCategoryException,
    /// `UnknownOperationException`: the `X-Amz-Target` names no CloudTrail operation.
    UnknownOperationException,
    /// `UnsupportedOperationException`: a CloudTrail operation OpenTrail does not serve (yet).
    UnsupportedOperationException,
    /// `AccessDeniedException`: the caller's principal may not call the operation.
    AccessDeniedException,
    /// `MissingAuthenticationTokenException`: the request carries no signature at all.
    MissingAuthenticationTokenException,
    /// `IncompleteSignatureException`: the signature is malformed or lacks a part.
    IncompleteSignatureException,
    /// `InvalidSignatureException`: the signature does not match, or its time is outside the allowed skew.
    InvalidSignatureException,
    /// `UnrecognizedClientException`: the access key is not known (or a session token was sent).
    UnrecognizedClientException,
    /// `InvalidParameterException`: a parameter is out of its allowed range.
    InvalidParameterException,
    /// `RequestEntityTooLargeException`: the body is larger than the server accepts.
    RequestEntityTooLargeException,
    /// `RequestTimeoutException`: the client sent its request too slowly.
    RequestTimeoutException,
    /// `ServiceUnavailableException`: the server is shutting down or overloaded; retry.
    ServiceUnavailableException,
    /// `SerializationException`: the body is not the operation's JSON shape.
    SerializationException,
    /// `InternalFailure`: our fault; details go to the log, not the client.
    InternalFailure,
}

impl ErrorCode {
    /// The code as written in `__type`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidLookupAttributesException => "InvalidLookupAttributesException",
            ErrorCode::InvalidTimeRangeException => "InvalidTimeRangeException",
            ErrorCode::InvalidMaxResultsException => "InvalidMaxResultsException",
            ErrorCode::InvalidNextTokenException => "InvalidNextTokenException",
            ErrorCode::InvalidEventCategoryException => "InvalidEventCategoryException",
            ErrorCode::UnknownOperationException => "UnknownOperationException",
            ErrorCode::UnsupportedOperationException => "UnsupportedOperationException",
            ErrorCode::AccessDeniedException => "AccessDeniedException",
            ErrorCode::MissingAuthenticationTokenException => "MissingAuthenticationTokenException",
            ErrorCode::IncompleteSignatureException => "IncompleteSignatureException",
            ErrorCode::InvalidSignatureException => "InvalidSignatureException",
            ErrorCode::UnrecognizedClientException => "UnrecognizedClientException",
            ErrorCode::InvalidParameterException => "InvalidParameterException",
            ErrorCode::RequestEntityTooLargeException => "RequestEntityTooLargeException",
            ErrorCode::RequestTimeoutException => "RequestTimeoutException",
            ErrorCode::ServiceUnavailableException => "ServiceUnavailableException",
            ErrorCode::SerializationException => "SerializationException",
            ErrorCode::InternalFailure => "InternalFailure",
        }
    }

    /// The HTTP status AWS returns with it: 400 for the caller's mistakes, 500 for ours.
    pub const fn http_status(self) -> u16 {
        match self {
            ErrorCode::InternalFailure => 500,
            ErrorCode::ServiceUnavailableException => 503,
            ErrorCode::RequestEntityTooLargeException => 413,
            ErrorCode::RequestTimeoutException => 408,
            _ => 400,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// A failure as the client sees it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    /// The AWS error code.
    pub code: ErrorCode,
    /// The message for the client (never internal details).
    pub message: String,
}

impl ApiError {
    /// Returns an error with `code` and `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
        }
    }

    /// The JSON body: `{"__type": "<code>", "message": "<message>"}`.
    pub fn to_json(&self) -> String {
        serde_json::json!({ "__type": self.code.as_str(), "message": self.message }).to_string()
    }
}

impl From<opentrail_sigv4::AuthError> for ApiError {
    /// AWS's JSON 1.1 services answer every SigV4 failure with HTTP 400 and one of four
    /// exception names; the finer kinds only matter to our logs.
    fn from(error: opentrail_sigv4::AuthError) -> ApiError {
        use opentrail_sigv4::AuthErrorKind;
        let code = match error.kind() {
            AuthErrorKind::MissingAuthenticationToken => {
                ErrorCode::MissingAuthenticationTokenException
            }
            AuthErrorKind::IncompleteSignature => ErrorCode::IncompleteSignatureException,
            AuthErrorKind::UnrecognizedClient | AuthErrorKind::InvalidSecurityToken => {
                ErrorCode::UnrecognizedClientException
            }
            _ => ErrorCode::InvalidSignatureException,
        };
        ApiError::new(code, error.message())
    }
}

impl From<LookupError> for ApiError {
    fn from(error: LookupError) -> ApiError {
        let code = match error.kind() {
            LookupErrorKind::InvalidLookupAttributes => ErrorCode::InvalidLookupAttributesException,
            LookupErrorKind::InvalidTimeRange => ErrorCode::InvalidTimeRangeException,
            LookupErrorKind::InvalidMaxResults => ErrorCode::InvalidMaxResultsException,
            LookupErrorKind::InvalidNextToken => ErrorCode::InvalidNextTokenException,
            LookupErrorKind::InvalidEventCategory => ErrorCode::InvalidEventCategoryException,
            _ => return ApiError::new(ErrorCode::InternalFailure, "an internal error occurred"),
        };
        ApiError::new(code, error.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentrail_store::{LookupEventsInput, LookupQuery};

    #[test]
    fn lookup_errors_map_to_their_exceptions() {
        let input = LookupEventsInput {
            max_results: Some(0),
            ..LookupEventsInput::default()
        };
        let error = ApiError::from(LookupQuery::from_input(&input).unwrap_err());
        assert_eq!(error.code, ErrorCode::InvalidMaxResultsException);
        assert_eq!(error.code.http_status(), 400);
        let body: serde_json::Value = serde_json::from_str(&error.to_json()).unwrap();
        assert_eq!(body["__type"], "InvalidMaxResultsException");
        assert!(body["message"].as_str().unwrap().contains("`0`"));
    }
}
