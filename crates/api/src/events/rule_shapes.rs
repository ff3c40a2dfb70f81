//! The rule as `DescribeRule` and `ListRules` answer it, and the request naming one rule.

use serde::{Deserialize, Serialize};

use opentrail_rules::input::RuleRefInput;
use opentrail_rules::{DEFAULT_BUS, Rule};

/// The request naming one rule: `DescribeRule`, `EnableRule`, `DisableRule`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RuleRefRequest {
    /// `Name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `EventBusName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_bus_name: Option<String>,
}

impl RuleRefRequest {
    /// The request in the rule store's terms (unchecked).
    pub fn into_input(self) -> RuleRefInput {
        RuleRefInput {
            name: self.name,
            event_bus_name: self.event_bus_name,
        }
    }
}

/// `Rule` (ListRules).
///
/// <https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Rule.html>. OpenTrail
/// rules have no `ScheduleExpression` and no `ManagedBy`, so those members never appear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RuleShape {
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
    /// `EventBusName`: always `default`.
    pub event_bus_name: String,
}

impl From<Rule> for RuleShape {
    fn from(rule: Rule) -> RuleShape {
        RuleShape {
            arn: rule.arn(),
            name: rule.name,
            event_pattern: rule.event_pattern,
            state: rule.state.as_str().to_owned(),
            description: rule.description,
            role_arn: rule.role_arn,
            event_bus_name: String::from(DEFAULT_BUS),
        }
    }
}
