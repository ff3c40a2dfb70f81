//! `ListRuleNamesByTarget` (<https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListRuleNamesByTarget.html>).
//!
//! Request: `TargetArn`*, `EventBusName`, `NextToken`, `Limit` (1–100, default 100).
//! Response: `RuleNames` (the caller's rules with a target of exactly that `Arn`, ordered
//! by name) and `NextToken` while more remain.

use serde::{Deserialize, Serialize};

use opentrail_rules::input::ListRuleNamesByTargetInput;

use crate::ApiError;
use crate::dispatch::Scope;
use crate::events::EventsServices;
use crate::events::shapes::caller;

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListRuleNamesByTargetRequest {
    /// `TargetArn`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_arn: Option<String>,
    /// `EventBusName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_bus_name: Option<String>,
    /// `NextToken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// `Limit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// The response body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListRuleNamesByTargetResponse {
    /// `RuleNames`.
    pub rule_names: Vec<String>,
    /// `NextToken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Handles one `ListRuleNamesByTarget` call.
///
/// # Errors
///
/// The EventBridge exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: EventsServices<'_>,
    scope: &Scope,
    request: ListRuleNamesByTargetRequest,
) -> Result<ListRuleNamesByTargetResponse, ApiError> {
    let page = services.rules.list_rule_names_by_target(
        &caller(scope),
        ListRuleNamesByTargetInput {
            target_arn: request.target_arn,
            event_bus_name: request.event_bus_name,
            next_token: request.next_token,
            limit: request.limit,
        },
    )?;
    Ok(ListRuleNamesByTargetResponse {
        rule_names: page.rule_names,
        next_token: page.next_token,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_response_uses_the_model_member_names() {
        let response = ListRuleNamesByTargetResponse {
            rule_names: vec![String::from("a")],
            next_token: Some(String::from("a")),
        };
        assert_eq!(
            serde_json::to_string(&response).unwrap(),
            r#"{"RuleNames":["a"],"NextToken":"a"}"#
        );
    }
}
