//! `TestEventPattern` (<https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TestEventPattern.html>).
//!
//! Request: `EventPattern`*, `Event`* (an event envelope as JSON text with at least `id`,
//! `account`, `source`, `time`, `region` and `detail-type`). Response: `Result`, whether
//! the pattern matches. An invalid pattern is `InvalidEventPatternException` with the
//! pattern parser's text; an invalid event is `ValidationException`
//! (`Parameter Event is not valid.`). Reads no rule.

use serde::{Deserialize, Serialize};

use opentrail_rules::input::TestEventPatternInput;

use crate::ApiError;

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TestEventPatternRequest {
    /// `EventPattern`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_pattern: Option<String>,
    /// `Event`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
}

/// The response body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TestEventPatternResponse {
    /// `Result`.
    pub result: bool,
}

/// Handles one `TestEventPattern` call.
///
/// # Errors
///
/// The EventBridge exception of the refusal.
pub fn handle(request: TestEventPatternRequest) -> Result<TestEventPatternResponse, ApiError> {
    let result = opentrail_rules::test_event_pattern(TestEventPatternInput {
        event_pattern: request.event_pattern,
        event: request.event,
    })?;
    Ok(TestEventPatternResponse { result })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_without_the_envelope_members_are_refused() {
        let error = handle(TestEventPatternRequest {
            event_pattern: Some(String::from(r#"{"source":["aws.iam"]}"#)),
            event: Some(String::from(r#"{"source":"aws.iam"}"#)),
        })
        .unwrap_err();
        assert_eq!(error.code.as_str(), "ValidationException");
        assert!(error.message.starts_with("Parameter Event is not valid."));
        let error = handle(TestEventPatternRequest {
            event_pattern: Some(String::from(r#"{"source":["aws.iam"]}"#)),
            event: Some(String::from("[1]")),
        })
        .unwrap_err();
        assert_eq!(error.message, "Parameter Event is not valid.");
        assert_eq!(
            serde_json::to_string(&TestEventPatternResponse { result: true }).unwrap(),
            r#"{"Result":true}"#
        );
    }
}
