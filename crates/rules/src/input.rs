//! The requests of the rule operations as the caller sent them, unchecked: every member
//! optional (a missing required member is reported like EventBridge reports it), numbers
//! as wide integers (an out-of-range value is reported, not truncated). The operations of
//! [`RuleStore`](crate::RuleStore) check them into the [`model`](crate::model) types.

/// `PutRule`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PutRuleInput {
    /// `Name` (required).
    pub name: Option<String>,
    /// `ScheduleExpression`: refused, OpenTrail has no scheduler.
    pub schedule_expression: Option<String>,
    /// `EventPattern`.
    pub event_pattern: Option<String>,
    /// `State` (default `ENABLED`).
    pub state: Option<String>,
    /// `Description`.
    pub description: Option<String>,
    /// `RoleArn`.
    pub role_arn: Option<String>,
    /// `Tags`: applied when the rule is created, ignored when it is updated.
    pub tags: Option<Vec<TagInput>>,
    /// `EventBusName`.
    pub event_bus_name: Option<String>,
}

/// A `Tag`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagInput {
    /// `Key` (required).
    pub key: Option<String>,
    /// `Value` (required, may be empty).
    pub value: Option<String>,
}

/// The members naming one rule: `DescribeRule`, `EnableRule`, `DisableRule`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleRefInput {
    /// `Name` (required).
    pub name: Option<String>,
    /// `EventBusName`.
    pub event_bus_name: Option<String>,
}

/// `DeleteRule`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteRuleInput {
    /// `Name` (required).
    pub name: Option<String>,
    /// `EventBusName`.
    pub event_bus_name: Option<String>,
    /// `Force`: only matters for managed rules, and OpenTrail has none.
    pub force: Option<bool>,
}

/// `ListRules`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListRulesInput {
    /// `NamePrefix`.
    pub name_prefix: Option<String>,
    /// `EventBusName`.
    pub event_bus_name: Option<String>,
    /// `NextToken`.
    pub next_token: Option<String>,
    /// `Limit` (1–100, default 100).
    pub limit: Option<i64>,
}

/// `PutTargets`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PutTargetsInput {
    /// `Rule` (required).
    pub rule: Option<String>,
    /// `EventBusName`.
    pub event_bus_name: Option<String>,
    /// `Targets` (required, 1–10 entries).
    pub targets: Option<Vec<TargetInput>>,
}

/// A `Target` of `PutTargets`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetInput {
    /// `Id` (required).
    pub id: Option<String>,
    /// `Arn` (required).
    pub arn: Option<String>,
    /// `RoleArn`.
    pub role_arn: Option<String>,
    /// `Input`.
    pub input: Option<String>,
    /// `InputPath`.
    pub input_path: Option<String>,
    /// `InputTransformer`.
    pub input_transformer: Option<InputTransformerInput>,
    /// `HttpParameters`.
    pub http_parameters: Option<HttpParametersInput>,
    /// `RetryPolicy`.
    pub retry_policy: Option<RetryPolicyInput>,
    /// `DeadLetterConfig`.
    pub dead_letter_config: Option<DeadLetterConfigInput>,
    /// The names of the target-type parameter blocks the caller sent that OpenTrail's
    /// targets do not take (`EcsParameters`, `SqsParameters`, …), in the model's order.
    pub unsupported_parameters: Vec<&'static str>,
}

/// `InputTransformer`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputTransformerInput {
    /// `InputPathsMap`, in the caller's order.
    pub input_paths_map: Option<Vec<(String, String)>>,
    /// `InputTemplate` (required).
    pub input_template: Option<String>,
}

/// `HttpParameters`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpParametersInput {
    /// `PathParameterValues`.
    pub path_parameter_values: Option<Vec<String>>,
    /// `HeaderParameters`, in the caller's order.
    pub header_parameters: Option<Vec<(String, String)>>,
    /// `QueryStringParameters`, in the caller's order.
    pub query_string_parameters: Option<Vec<(String, String)>>,
}

/// `RetryPolicy`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetryPolicyInput {
    /// `MaximumRetryAttempts` (0–185).
    pub maximum_retry_attempts: Option<i64>,
    /// `MaximumEventAgeInSeconds` (60–86400).
    pub maximum_event_age_in_seconds: Option<i64>,
}

/// `DeadLetterConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeadLetterConfigInput {
    /// `Arn`: `file:<relative path>` for OpenTrail.
    pub arn: Option<String>,
}

/// `RemoveTargets`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemoveTargetsInput {
    /// `Rule` (required).
    pub rule: Option<String>,
    /// `EventBusName`.
    pub event_bus_name: Option<String>,
    /// `Ids` (required, 1–100 entries).
    pub ids: Option<Vec<String>>,
    /// `Force`: only matters for managed rules, and OpenTrail has none.
    pub force: Option<bool>,
}

/// `ListTargetsByRule`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListTargetsInput {
    /// `Rule` (required).
    pub rule: Option<String>,
    /// `EventBusName`.
    pub event_bus_name: Option<String>,
    /// `NextToken`.
    pub next_token: Option<String>,
    /// `Limit` (1–100, default 100).
    pub limit: Option<i64>,
}

/// `ListRuleNamesByTarget`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListRuleNamesByTargetInput {
    /// `TargetArn` (required).
    pub target_arn: Option<String>,
    /// `EventBusName`.
    pub event_bus_name: Option<String>,
    /// `NextToken`.
    pub next_token: Option<String>,
    /// `Limit` (1–100, default 100).
    pub limit: Option<i64>,
}

/// `TagResource`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagResourceInput {
    /// `ResourceARN` (required).
    pub resource_arn: Option<String>,
    /// `Tags` (required).
    pub tags: Option<Vec<TagInput>>,
}

/// `UntagResource`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UntagResourceInput {
    /// `ResourceARN` (required).
    pub resource_arn: Option<String>,
    /// `TagKeys` (required).
    pub tag_keys: Option<Vec<String>>,
}

/// `TestEventPattern`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TestEventPatternInput {
    /// `EventPattern` (required).
    pub event_pattern: Option<String>,
    /// `Event` (required): an event envelope as JSON text.
    pub event: Option<String>,
}
