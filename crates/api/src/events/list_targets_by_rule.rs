//! `ListTargetsByRule` (<https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListTargetsByRule.html>).
//!
//! Request: `Rule`*, `EventBusName`, `NextToken`, `Limit` (1–100, default 100). Response:
//! `Targets` (each a [`TargetShape`], as put) in the order they were first put, and
//! `NextToken` while more remain.

use serde::{Deserialize, Serialize};

use opentrail_rules::input::ListTargetsInput;

use crate::ApiError;
use crate::dispatch::Scope;
use crate::events::EventsServices;
use crate::events::shapes::{TargetShape, caller};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTargetsByRuleRequest {
    /// `Rule`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
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
pub struct ListTargetsByRuleResponse {
    /// `Targets`.
    pub targets: Vec<TargetShape>,
    /// `NextToken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Handles one `ListTargetsByRule` call.
///
/// # Errors
///
/// The EventBridge exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: EventsServices<'_>,
    scope: &Scope,
    request: ListTargetsByRuleRequest,
) -> Result<ListTargetsByRuleResponse, ApiError> {
    let page = services.rules.list_targets_by_rule(
        &caller(scope),
        ListTargetsInput {
            rule: request.rule,
            event_bus_name: request.event_bus_name,
            next_token: request.next_token,
            limit: request.limit,
        },
    )?;
    Ok(ListTargetsByRuleResponse {
        targets: page.targets.into_iter().map(Into::into).collect(),
        next_token: page.next_token,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentrail_rules::{RetryPolicy, Target};

    #[test]
    fn targets_are_written_with_the_model_member_names() {
        let target = Target {
            id: String::from("t"),
            arn: String::from("file:x.ndjson"),
            role_arn: None,
            input: None,
            input_path: Some(String::from("$.detail")),
            input_transformer: None,
            http_parameters: None,
            retry_policy: Some(RetryPolicy {
                maximum_retry_attempts: Some(0),
                maximum_event_age_in_seconds: None,
            }),
            dead_letter_arn: Some(String::from("file:dead.ndjson")),
        };
        let response = ListTargetsByRuleResponse {
            targets: vec![target.into()],
            next_token: None,
        };
        assert_eq!(
            serde_json::to_string(&response).unwrap(),
            r#"{"Targets":[{"Id":"t","Arn":"file:x.ndjson","InputPath":"$.detail","DeadLetterConfig":{"Arn":"file:dead.ndjson"},"RetryPolicy":{"MaximumRetryAttempts":0}}]}"#
        );
    }
}
