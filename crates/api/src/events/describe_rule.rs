//! `DescribeRule` (<https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DescribeRule.html>).
//!
//! Request: `Name`*, `EventBusName`. Response: `Name`, `Arn`, `EventPattern`, `State`,
//! `Description`, `RoleArn`, `EventBusName` (`default`), `CreatedBy` (the account that
//! created the rule: the caller's). No `ScheduleExpression` or `ManagedBy`: OpenTrail
//! rules have neither.

use serde::{Deserialize, Serialize};

use opentrail_rules::{DEFAULT_BUS, Rule};

use crate::ApiError;
use crate::dispatch::Scope;
use crate::events::EventsServices;
use crate::events::rule_shapes::RuleRefRequest;
use crate::events::shapes::caller;

/// The request body.
pub type DescribeRuleRequest = RuleRefRequest;

/// The response body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeRuleResponse {
    /// `Name`.
    pub name: String,
    /// `Arn`.
    pub arn: String,
    /// `EventPattern`.
    pub event_pattern: String,
    /// `State`.
    pub state: String,
    /// `Description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `RoleArn`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// `EventBusName`.
    pub event_bus_name: String,
    /// `CreatedBy`.
    pub created_by: String,
}

impl From<Rule> for DescribeRuleResponse {
    fn from(rule: Rule) -> DescribeRuleResponse {
        DescribeRuleResponse {
            arn: rule.arn(),
            name: rule.name,
            event_pattern: rule.event_pattern,
            state: rule.state.as_str().to_owned(),
            description: rule.description,
            role_arn: rule.role_arn,
            event_bus_name: String::from(DEFAULT_BUS),
            created_by: rule.account_id,
        }
    }
}

/// Handles one `DescribeRule` call.
///
/// # Errors
///
/// The EventBridge exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: EventsServices<'_>,
    scope: &Scope,
    request: DescribeRuleRequest,
) -> Result<DescribeRuleResponse, ApiError> {
    let rule = services
        .rules
        .describe_rule(&caller(scope), request.into_input())?;
    Ok(rule.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentrail_rules::RuleState;
    use opentrail_types::Timestamp;

    #[test]
    fn the_response_uses_the_model_member_names_in_order() {
        let rule = Rule {
            account_id: String::from("111122223333"),
            region: String::from("us-east-1"),
            name: String::from("r"),
            event_pattern: String::from("{}"),
            state: RuleState::Disabled,
            description: None,
            role_arn: None,
            tags: Vec::new(),
            targets: Vec::new(),
            created: Timestamp::EPOCH,
        };
        assert_eq!(
            serde_json::to_string(&DescribeRuleResponse::from(rule)).unwrap(),
            r#"{"Name":"r","Arn":"arn:aws:events:us-east-1:111122223333:rule/r","EventPattern":"{}","State":"DISABLED","EventBusName":"default","CreatedBy":"111122223333"}"#
        );
    }
}
