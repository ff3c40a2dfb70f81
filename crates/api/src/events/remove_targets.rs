//! `RemoveTargets` (<https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RemoveTargets.html>).
//!
//! Request: `Rule`*, `EventBusName`, `Ids`* (1–100 target IDs), `Force` (only matters for
//! managed rules; OpenTrail has none). Response: `FailedEntryCount`, `FailedEntries`. An
//! `Id` the rule does not have is not a failure: afterwards the rule has no such target.

use serde::{Deserialize, Serialize};

use opentrail_rules::input::RemoveTargetsInput;

use crate::ApiError;
use crate::dispatch::Scope;
use crate::events::EventsServices;
use crate::events::shapes::{FailedEntriesResponse, caller};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RemoveTargetsRequest {
    /// `Rule`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// `EventBusName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_bus_name: Option<String>,
    /// `Ids`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ids: Option<Vec<String>>,
    /// `Force`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force: Option<bool>,
}

/// The response body.
pub type RemoveTargetsResponse = FailedEntriesResponse;

/// Handles one `RemoveTargets` call.
///
/// # Errors
///
/// The EventBridge exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: EventsServices<'_>,
    scope: &Scope,
    request: RemoveTargetsRequest,
) -> Result<RemoveTargetsResponse, ApiError> {
    let failures = services.rules.remove_targets(
        &caller(scope),
        RemoveTargetsInput {
            rule: request.rule,
            event_bus_name: request.event_bus_name,
            ids: request.ids,
            force: request.force,
        },
    )?;
    Ok(FailedEntriesResponse::from_failures(failures))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_a_list_of_strings() {
        let request: RemoveTargetsRequest =
            serde_json::from_str(r#"{"Rule":"r","Ids":["a","b"]}"#).unwrap();
        assert_eq!(request.ids.unwrap(), ["a", "b"]);
        assert!(serde_json::from_str::<RemoveTargetsRequest>(r#"{"Ids":"a"}"#).is_err());
    }
}
