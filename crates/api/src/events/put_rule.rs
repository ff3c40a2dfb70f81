//! `PutRule` (<https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html>).
//!
//! Request: `Name`*, `EventPattern`, `State`, `Description`, `RoleArn`, `Tags` (applied on
//! creation only), `EventBusName` (the default bus only), `ScheduleExpression` (refused:
//! OpenTrail has no scheduler). Response: `RuleArn`. Creates the rule or replaces the
//! settings of the caller's rule of that name, keeping its targets and tags.

use serde::{Deserialize, Serialize};

use opentrail_rules::input::PutRuleInput;

use crate::ApiError;
use crate::dispatch::Scope;
use crate::events::EventsServices;
use crate::events::shapes::{TagShape, caller, tags_input};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutRuleRequest {
    /// `Name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `ScheduleExpression`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule_expression: Option<String>,
    /// `EventPattern`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_pattern: Option<String>,
    /// `State`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// `Description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `RoleArn`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// `Tags`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<TagShape>>,
    /// `EventBusName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_bus_name: Option<String>,
}

impl PutRuleRequest {
    /// The request in the rule store's terms (unchecked).
    pub fn into_input(self) -> PutRuleInput {
        PutRuleInput {
            name: self.name,
            schedule_expression: self.schedule_expression,
            event_pattern: self.event_pattern,
            state: self.state,
            description: self.description,
            role_arn: self.role_arn,
            tags: tags_input(self.tags),
            event_bus_name: self.event_bus_name,
        }
    }
}

/// The response body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutRuleResponse {
    /// `RuleArn`.
    pub rule_arn: String,
}

/// Handles one `PutRule` call.
///
/// # Errors
///
/// The EventBridge exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: EventsServices<'_>,
    scope: &Scope,
    request: PutRuleRequest,
) -> Result<PutRuleResponse, ApiError> {
    let rule = services
        .rules
        .put_rule(&caller(scope), request.into_input(), services.now)?;
    Ok(PutRuleResponse {
        rule_arn: rule.arn(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_read_botocore_member_names() {
        let request: PutRuleRequest = serde_json::from_str(
            r#"{"Name":"r","EventPattern":"{}","State":"DISABLED","Tags":[{"Key":"k","Value":"v"}],"EventBusName":"default","Unknown":1}"#,
        )
        .unwrap();
        let input = request.into_input();
        assert_eq!(input.name.as_deref(), Some("r"));
        assert_eq!(input.state.as_deref(), Some("DISABLED"));
        assert_eq!(input.tags.unwrap()[0].value.as_deref(), Some("v"));
        // A missing Name is the rule store's to report, as EventBridge reports it.
        assert!(serde_json::from_str::<PutRuleRequest>("{}").is_ok());
        assert_eq!(
            serde_json::to_string(&PutRuleResponse {
                rule_arn: String::from("arn")
            })
            .unwrap(),
            r#"{"RuleArn":"arn"}"#
        );
    }
}
