//! The validated rule and target model. A [`Rule`] or [`Target`] value is always valid:
//! the API layer parses requests into raw shapes and converts them through the checks of
//! this crate.
//!
//! Members mirror EventBridge's `PutRule` / `PutTargets` shapes; optional members stay
//! `None` when the caller left them out, so `DescribeRule` and `ListTargetsByRule` answer
//! what was put, and defaults (such as the retry policy) are applied where they are used.

use serde::{Deserialize, Serialize};

use opentrail_types::Timestamp;

/// The only event bus: CloudTrail sends its events to the default bus.
pub const DEFAULT_BUS: &str = "default";

/// EventBridge's default retry policy: 185 attempts within 24 hours.
pub const DEFAULT_MAXIMUM_RETRY_ATTEMPTS: u32 = 185;
/// EventBridge's default maximum event age, in seconds.
pub const DEFAULT_MAXIMUM_EVENT_AGE_SECS: u32 = 86_400;

/// A rule's state (`State`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RuleState {
    /// `ENABLED`: every routed event except read-only management events.
    #[serde(rename = "ENABLED")]
    Enabled,
    /// `DISABLED`: matches nothing.
    #[serde(rename = "DISABLED")]
    Disabled,
    /// `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`: read-only management events too.
    #[serde(rename = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS")]
    EnabledWithAllCloudTrailManagementEvents,
}

impl RuleState {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleState::Enabled => "ENABLED",
            RuleState::Disabled => "DISABLED",
            RuleState::EnabledWithAllCloudTrailManagementEvents => {
                "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
            }
        }
    }

    /// Parses a wire name.
    pub fn parse(text: &str) -> Option<RuleState> {
        match text {
            "ENABLED" => Some(RuleState::Enabled),
            "DISABLED" => Some(RuleState::Disabled),
            "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS" => {
                Some(RuleState::EnabledWithAllCloudTrailManagementEvents)
            }
            _ => None,
        }
    }

    /// Whether the rule is offered events at all.
    pub fn is_enabled(self) -> bool {
        self != RuleState::Disabled
    }

    /// Whether read-only management events are offered to the rule (spec §5.1).
    pub fn takes_read_only_management(self) -> bool {
        self == RuleState::EnabledWithAllCloudTrailManagementEvents
    }
}

/// One rule on the default bus of one account and Region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// The owning account.
    pub account_id: String,
    /// The Region the rule was created in: it sees that Region's events.
    pub region: String,
    /// `Name`: 1–64 of `[.\-_A-Za-z0-9]`, unique per account, Region and bus.
    pub name: String,
    /// `EventPattern` as the caller sent it (validated by `opentrail-patterns`).
    pub event_pattern: String,
    /// `State`.
    pub state: RuleState,
    /// `Description` (≤ 512 characters).
    pub description: Option<String>,
    /// `RoleArn`, kept and returned; OpenTrail assumes no roles.
    pub role_arn: Option<String>,
    /// `Tags` given at creation or by `TagResource`, in order.
    pub tags: Vec<(String, String)>,
    /// The targets, in the order they were first put (≤ 5).
    pub targets: Vec<Target>,
    /// When the rule was created.
    #[serde(with = "opentrail_types::serde_millis")]
    pub created: Timestamp,
}

impl Rule {
    /// `arn:aws:events:<region>:<account>:rule/<name>` (rules of the default bus carry no
    /// bus name in their ARN).
    pub fn arn(&self) -> String {
        rule_arn(&self.region, &self.account_id, &self.name)
    }
}

/// The ARN of a rule on the default bus.
pub fn rule_arn(region: &str, account_id: &str, name: &str) -> String {
    format!("arn:aws:events:{region}:{account_id}:rule/{name}")
}

/// The ARN of an account's default event bus in a Region.
pub fn default_bus_arn(region: &str, account_id: &str) -> String {
    format!("arn:aws:events:{region}:{account_id}:event-bus/{DEFAULT_BUS}")
}

/// One target of a rule (`Target`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// `Id`: 1–64 of `[.\-_A-Za-z0-9]`, unique within the rule.
    pub id: String,
    /// `Arn` as the caller sent it; [`Destination::parse`] says what it names.
    pub arn: String,
    /// `RoleArn`, kept and returned.
    pub role_arn: Option<String>,
    /// `Input`: a constant JSON text sent instead of the event.
    pub input: Option<String>,
    /// `InputPath`: a JSONPath selecting the part of the event to send.
    pub input_path: Option<String>,
    /// `InputTransformer`.
    pub input_transformer: Option<InputTransformer>,
    /// `HttpParameters` (webhook targets only).
    pub http_parameters: Option<HttpParameters>,
    /// `RetryPolicy`; `None` means EventBridge's defaults.
    pub retry_policy: Option<RetryPolicy>,
    /// `DeadLetterConfig.Arn`; `None` means the server's default dead-letter file.
    pub dead_letter_arn: Option<String>,
}

/// `InputTransformer`: named JSONPaths into the event and a template using them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputTransformer {
    /// `InputPathsMap`, in the caller's order (≤ 100 entries).
    pub input_paths_map: Vec<(String, String)>,
    /// `InputTemplate` (1–8192 characters).
    pub input_template: String,
}

/// `HttpParameters` of an HTTP target.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpParameters {
    /// `HeaderParameters`: extra request headers.
    pub header_parameters: Vec<(String, String)>,
    /// `QueryStringParameters`: appended to the URL.
    pub query_string_parameters: Vec<(String, String)>,
    /// `PathParameterValues`: kept and returned (only API Gateway targets use them).
    pub path_parameter_values: Vec<String>,
}

/// `RetryPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetryPolicy {
    /// `MaximumRetryAttempts` (0–185); `None` when left out.
    pub maximum_retry_attempts: Option<u32>,
    /// `MaximumEventAgeInSeconds` (60–86400); `None` when left out.
    pub maximum_event_age_in_seconds: Option<u32>,
}

impl Target {
    /// How many times a failed delivery is retried.
    pub fn maximum_retry_attempts(&self) -> u32 {
        self.retry_policy
            .and_then(|policy| policy.maximum_retry_attempts)
            .unwrap_or(DEFAULT_MAXIMUM_RETRY_ATTEMPTS)
    }

    /// How old (since it was acknowledged) an event may grow before it goes to the
    /// dead-letter file, in seconds.
    pub fn maximum_event_age_secs(&self) -> u32 {
        self.retry_policy
            .and_then(|policy| policy.maximum_event_age_in_seconds)
            .unwrap_or(DEFAULT_MAXIMUM_EVENT_AGE_SECS)
    }
}

/// What a target's `Arn` names. OpenTrail delivers to webhooks, local NDJSON files and
/// its standard output; any other ARN (an SQS queue, a Lambda function…) is refused at
/// `PutTargets`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// `http://…` or `https://…`: POST of the event JSON to that URL, unsigned.
    Webhook {
        /// The URL as given.
        url: String,
    },
    /// `arn:aws:events:<region>:<account>:api-destination/<name>[/<uuid>]`: a webhook the
    /// server's configuration defines under `[[rules.api_destinations]]` (URL, optional
    /// HMAC-SHA256 signing secret, time-out).
    ApiDestination {
        /// The configured destination's name.
        name: String,
    },
    /// `file:<relative path>`: one JSON line per event, appended to that file under the
    /// server's rule-file folder (`[rules] file_dir`). Absolute paths and `..` are refused.
    File {
        /// The path relative to the rule-file folder.
        relative_path: String,
    },
    /// `stdout:`: one JSON line per event on the server's standard output.
    Stdout,
}

impl Destination {
    /// Reads a target ARN.
    ///
    /// # Errors
    ///
    /// A text saying why the ARN names nothing OpenTrail can deliver to.
    pub fn parse(arn: &str) -> Result<Destination, String> {
        if arn == "stdout:" || arn == "stdout" {
            return Ok(Destination::Stdout);
        }
        if let Some(rest) = arn.strip_prefix("file:") {
            let relative = rest.trim_start_matches("//");
            if relative.is_empty() {
                return Err(format!("target `{arn}` names no file"));
            }
            if rest.starts_with('/') || relative.starts_with('/') {
                return Err(format!(
                    "target `{arn}` is an absolute path; file targets are relative to the server's rule-file folder"
                ));
            }
            if relative
                .split(['/', '\\'])
                .any(|part| part == ".." || part == "." || part.is_empty())
            {
                return Err(format!(
                    "target `{arn}` has an empty, `.` or `..` path component"
                ));
            }
            return Ok(Destination::File {
                relative_path: relative.to_owned(),
            });
        }
        let lower = arn.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            let host = &arn[arn.find("//").map_or(0, |at| at + 2)..];
            if host.is_empty() || host.starts_with('/') {
                return Err(format!("target `{arn}` has no host"));
            }
            return Ok(Destination::Webhook {
                url: arn.to_owned(),
            });
        }
        if let Some(resource) = arn.strip_prefix("arn:aws:events:") {
            // <region>:<account>:api-destination/<name>[/<uuid>]
            let mut parts = resource.splitn(3, ':');
            let (_region, _account, rest) = (parts.next(), parts.next(), parts.next());
            if let Some(name) = rest.and_then(|rest| rest.strip_prefix("api-destination/")) {
                let name = name.split('/').next().unwrap_or_default();
                if !name.is_empty() {
                    return Ok(Destination::ApiDestination {
                        name: name.to_owned(),
                    });
                }
            }
        }
        Err(format!(
            "target `{arn}` is not supported: OpenTrail delivers to webhooks (`https://…` or an `api-destination` ARN of its configuration), `file:<path>` and `stdout:`"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_parse() {
        assert_eq!(Destination::parse("stdout:").unwrap(), Destination::Stdout);
        assert_eq!(
            Destination::parse("file:alerts/iam.ndjson").unwrap(),
            Destination::File {
                relative_path: "alerts/iam.ndjson".into()
            }
        );
        assert_eq!(
            Destination::parse("https://hooks.example.com/x?y=1").unwrap(),
            Destination::Webhook {
                url: "https://hooks.example.com/x?y=1".into()
            }
        );
        assert_eq!(
            Destination::parse(
                "arn:aws:events:us-east-1:123456789012:api-destination/alerts/0f6b8e6c-7e0a-4d6e-9d4b-7d3c2f1e0a9b"
            )
            .unwrap(),
            Destination::ApiDestination {
                name: "alerts".into()
            }
        );
        for bad in [
            "file:/etc/passwd",
            "file:///etc/passwd",
            "file:../x",
            "file:a//b",
            "file:",
            "https://",
            "arn:aws:sqs:us-east-1:123456789012:queue",
            "arn:aws:events:us-east-1:123456789012:api-destination/",
        ] {
            assert!(Destination::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn retry_defaults() {
        let target = Target {
            id: "t".into(),
            arn: "stdout:".into(),
            role_arn: None,
            input: None,
            input_path: None,
            input_transformer: None,
            http_parameters: None,
            retry_policy: Some(RetryPolicy {
                maximum_retry_attempts: Some(3),
                maximum_event_age_in_seconds: None,
            }),
            dead_letter_arn: None,
        };
        assert_eq!(target.maximum_retry_attempts(), 3);
        assert_eq!(target.maximum_event_age_secs(), 86_400);
    }
}
