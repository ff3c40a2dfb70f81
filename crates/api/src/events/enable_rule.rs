//! `EnableRule` (<https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_EnableRule.html>).
//!
//! Request: `Name`*, `EventBusName`. Response: `{}`. A disabled rule becomes `ENABLED`; an
//! enabled rule keeps its state (`ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS` stays).

use crate::ApiError;
use crate::dispatch::Scope;
use crate::events::EventsServices;
use crate::events::rule_shapes::RuleRefRequest;
use crate::events::shapes::caller;
use crate::ops::trail_shapes::EmptyResponse;

/// The request body.
pub type EnableRuleRequest = RuleRefRequest;

/// Handles one `EnableRule` call.
///
/// # Errors
///
/// The EventBridge exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: EventsServices<'_>,
    scope: &Scope,
    request: EnableRuleRequest,
) -> Result<EmptyResponse, ApiError> {
    services
        .rules
        .enable_rule(&caller(scope), request.into_input())?;
    Ok(EmptyResponse {})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_names_the_rule_and_bus() {
        let request: EnableRuleRequest =
            serde_json::from_str(r#"{"Name":"r","EventBusName":"default"}"#).unwrap();
        let input = request.into_input();
        assert_eq!(input.name.as_deref(), Some("r"));
        assert_eq!(input.event_bus_name.as_deref(), Some("default"));
    }
}
