//! EventBridge's limits: the member constraints of the API model (botocore
//! `events/2015-10-07/service-2.json`) and the service quotas
//! (<https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html>).
//!
//! Lengths are counted as EventBridge counts them: in UTF-16 code units.

/// The quotas a server may tune; the defaults are EventBridge's default quotas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleLimits {
    /// Rules per event bus, that is per account and Region (EventBridge: 300).
    pub max_rules_per_bus: usize,
    /// Characters of an `EventPattern` (EventBridge's default quota: 2048, adjustable up
    /// to the API's hard limit of 4096, [`EVENT_PATTERN_MAX`]).
    pub max_event_pattern_chars: usize,
}

impl Default for RuleLimits {
    fn default() -> RuleLimits {
        RuleLimits {
            max_rules_per_bus: 300,
            max_event_pattern_chars: 2048,
        }
    }
}

/// Targets one rule may have (quota, not adjustable).
pub const MAX_TARGETS_PER_RULE: usize = 5;
/// Targets one `PutTargets` request may carry ("The maximum number of entries per request
/// is 10", API reference).
pub const MAX_TARGETS_PER_REQUEST: usize = 10;
/// Entries of `TargetList` and `TargetIdList` in the model.
pub const TARGET_LIST_MAX: usize = 100;
/// Tags one rule may carry.
pub const MAX_TAGS_PER_RESOURCE: usize = 50;

/// `RuleName` and `TargetId`: 1–64 characters.
pub const NAME_MAX: usize = 64;
/// `RuleDescription`.
pub const DESCRIPTION_MAX: usize = 512;
/// `EventPattern`: the API's hard limit (4096), the same the pattern parser enforces.
pub const EVENT_PATTERN_MAX: usize = opentrail_patterns::MAX_PATTERN_LENGTH;
/// `ScheduleExpression`.
pub const SCHEDULE_EXPRESSION_MAX: usize = 256;
/// `RoleArn`, `TargetArn`, `Arn`, `ResourceArn`, `EventBusNameOrArn`.
pub const ARN_MAX: usize = 1600;
/// `TargetInput`.
pub const INPUT_MAX: usize = 8192;
/// `TargetInputPath` (also each `InputPathsMap` value).
pub const INPUT_PATH_MAX: usize = 256;
/// `TransformerInput` (`InputTemplate`): 1–8192 characters.
pub const INPUT_TEMPLATE_MAX: usize = 8192;
/// Entries of `TransformerPaths` (`InputPathsMap`).
pub const INPUT_PATHS_MAP_MAX: usize = 100;
/// `InputTransformerPathKey`: 1–256 characters.
pub const INPUT_PATHS_KEY_MAX: usize = 256;
/// `HeaderKey`, `HeaderValue`, `QueryStringKey`, `QueryStringValue`.
pub const HTTP_PARAMETER_MAX: usize = 512;
/// `TagKey`: 1–128 characters.
pub const TAG_KEY_MAX: usize = 128;
/// `TagValue`: 0–256 characters.
pub const TAG_VALUE_MAX: usize = 256;
/// `NextToken`: 1–2048 characters.
pub const NEXT_TOKEN_MAX: usize = 2048;
/// `LimitMax100`: the largest page a list operation returns, and its default.
pub const PAGE_MAX: i64 = 100;
/// `MaximumRetryAttempts`: 0–185.
pub const MAXIMUM_RETRY_ATTEMPTS_MAX: i64 = 185;
/// `MaximumEventAgeInSeconds`: 60–86400.
pub const MAXIMUM_EVENT_AGE_MIN: i64 = 60;
/// `MaximumEventAgeInSeconds`: 60–86400.
pub const MAXIMUM_EVENT_AGE_MAX: i64 = 86_400;
