//! `DeleteRule` (<https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DeleteRule.html>).
//!
//! Request: `Name`*, `EventBusName`, `Force` (only matters for managed rules; OpenTrail
//! has none). Response: `{}`. Refused while the rule has targets
//! (`ValidationException: Rule can't be deleted since it has targets.`); deleting a rule
//! that does not exist succeeds, as on EventBridge.

use serde::{Deserialize, Serialize};

use opentrail_rules::input::DeleteRuleInput;

use crate::ApiError;
use crate::dispatch::Scope;
use crate::events::EventsServices;
use crate::events::shapes::caller;
use crate::ops::trail_shapes::EmptyResponse;

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteRuleRequest {
    /// `Name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `EventBusName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_bus_name: Option<String>,
    /// `Force`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force: Option<bool>,
}

/// Handles one `DeleteRule` call.
///
/// # Errors
///
/// The EventBridge exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: EventsServices<'_>,
    scope: &Scope,
    request: DeleteRuleRequest,
) -> Result<EmptyResponse, ApiError> {
    services.rules.delete_rule(
        &caller(scope),
        DeleteRuleInput {
            name: request.name,
            event_bus_name: request.event_bus_name,
            force: request.force,
        },
    )?;
    Ok(EmptyResponse {})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn force_is_a_boolean() {
        let request: DeleteRuleRequest =
            serde_json::from_str(r#"{"Name":"r","Force":true}"#).unwrap();
        assert_eq!(request.force, Some(true));
        assert!(serde_json::from_str::<DeleteRuleRequest>(r#"{"Force":"yes"}"#).is_err());
    }
}
