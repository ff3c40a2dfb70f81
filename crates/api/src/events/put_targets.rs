//! `PutTargets` (<https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutTargets.html>).
//!
//! Request: `Rule`*, `EventBusName`, `Targets`* (1–10 [`TargetShape`]s). Response:
//! `FailedEntryCount` and `FailedEntries` (each `TargetId`, `ErrorCode`, `ErrorMessage`).
//! Targets replace those with the same `Id`; a rule holds at most 5
//! (`LimitExceededException`). A target whose `Arn` OpenTrail cannot deliver to fails
//! alone (`ValidationException`), as does one naming an API destination the server does
//! not configure (`ResourceNotFoundException`); the other entries are applied.

use serde::{Deserialize, Serialize};

use opentrail_rules::input::PutTargetsInput;

use crate::ApiError;
use crate::dispatch::Scope;
use crate::events::EventsServices;
use crate::events::shapes::{FailedEntriesResponse, TargetShape, caller};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutTargetsRequest {
    /// `Rule`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// `EventBusName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_bus_name: Option<String>,
    /// `Targets`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<Vec<TargetShape>>,
}

/// The response body.
pub type PutTargetsResponse = FailedEntriesResponse;

/// Handles one `PutTargets` call.
///
/// # Errors
///
/// The EventBridge exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: EventsServices<'_>,
    scope: &Scope,
    request: PutTargetsRequest,
) -> Result<PutTargetsResponse, ApiError> {
    let input = PutTargetsInput {
        rule: request.rule,
        event_bus_name: request.event_bus_name,
        targets: request
            .targets
            .map(|targets| targets.into_iter().map(TargetShape::into_input).collect()),
    };
    let failures = services
        .rules
        .put_targets(&caller(scope), input, services.api_destinations)?;
    Ok(FailedEntriesResponse::from_failures(failures))
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentrail_rules::{EntryFailure, ErrorKind};

    #[test]
    fn failed_entries_carry_the_eventbridge_error_code() {
        let response = FailedEntriesResponse::from_failures(vec![EntryFailure {
            target_id: String::from("t"),
            kind: ErrorKind::ResourceNotFound,
            message: String::from("m"),
        }]);
        assert_eq!(
            serde_json::to_string(&response).unwrap(),
            r#"{"FailedEntryCount":1,"FailedEntries":[{"TargetId":"t","ErrorCode":"ResourceNotFoundException","ErrorMessage":"m"}]}"#
        );
        assert_eq!(
            serde_json::to_string(&FailedEntriesResponse::default()).unwrap(),
            r#"{"FailedEntryCount":0,"FailedEntries":[]}"#
        );
    }
}
