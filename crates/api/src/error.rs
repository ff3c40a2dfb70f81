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
            ErrorCode::SerializationException => "SerializationException",
            ErrorCode::InternalFailure => "InternalFailure",
        }
    }

    /// The HTTP status AWS returns with it: 400 for the caller's mistakes, 500 for ours.
    pub const fn http_status(self) -> u16 {
        match self {
            ErrorCode::InternalFailure => 500,
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
