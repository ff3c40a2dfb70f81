//! `DisableRule` (<https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DisableRule.html>).
//!
//! Request: `Name`*, `EventBusName`. Response: `{}`. The rule becomes `DISABLED` and
//! matches nothing until enabled again.

use crate::ApiError;
use crate::dispatch::Scope;
use crate::events::EventsServices;
use crate::events::rule_shapes::RuleRefRequest;
use crate::events::shapes::caller;
use crate::ops::trail_shapes::EmptyResponse;

/// The request body.
pub type DisableRuleRequest = RuleRefRequest;

/// Handles one `DisableRule` call.
///
/// # Errors
///
/// The EventBridge exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: EventsServices<'_>,
    scope: &Scope,
    request: DisableRuleRequest,
) -> Result<EmptyResponse, ApiError> {
    services
        .rules
        .disable_rule(&caller(scope), request.into_input())?;
    Ok(EmptyResponse {})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_request_leaves_the_name_to_the_store() {
        let request: DisableRuleRequest = serde_json::from_str("{}").unwrap();
        assert_eq!(request.into_input().name, None);
    }
}
