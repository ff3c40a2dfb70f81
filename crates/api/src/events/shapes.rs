//! Shapes shared by the EventBridge operations: `Tag`, `Target` with its nested
//! structures, `PutTargetsResultEntry`/`RemoveTargetsResultEntry`, and the conversions
//! from and to `opentrail-rules`.
//!
//! Member names and order are botocore's (`events/2015-10-07/service-2.json`); members
//! without a value are omitted. Request members are all optional here, required ones
//! included: the rule store reports a missing member as EventBridge does
//! (`ValidationException`, `Value null at 'name' …`), not as a body that does not parse.

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use opentrail_rules::input::{
    DeadLetterConfigInput, HttpParametersInput, InputTransformerInput, RetryPolicyInput, TagInput,
    TargetInput,
};
use opentrail_rules::{Caller, EntryFailure, HttpParameters, InputTransformer, Target};

use crate::dispatch::Scope;
use crate::error::rules_error_code;

/// The caller of a rule operation, from the request's scope.
pub(crate) fn caller(scope: &Scope) -> Caller {
    Caller::new(scope.account_id.clone(), scope.region.clone())
}

/// A JSON object of strings (`InputPathsMap`, `HeaderParameters`,
/// `QueryStringParameters`) that keeps the order its members were written in, so
/// `ListTargetsByRule` answers them as they were put.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderedMap(pub Vec<(String, String)>);

impl Serialize for OrderedMap {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(key, value)| (key, value)))
    }
}

impl<'de> Deserialize<'de> for OrderedMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedMapVisitor;

        impl<'de> Visitor<'de> for OrderedMapVisitor {
            type Value = OrderedMap;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a JSON object of strings")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<OrderedMap, A::Error> {
                let mut pairs = Vec::new();
                while let Some((key, value)) = access.next_entry::<String, String>()? {
                    pairs.push((key, value));
                }
                Ok(OrderedMap(pairs))
            }
        }

        deserializer.deserialize_map(OrderedMapVisitor)
    }
}

/// `Tag`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagShape {
    /// `Key` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// `Value` (required, may be empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl TagShape {
    /// The request tag in the rule store's terms (unchecked).
    pub fn into_input(self) -> TagInput {
        TagInput {
            key: self.key,
            value: self.value,
        }
    }

    /// A stored tag.
    pub fn from_pair((key, value): (String, String)) -> TagShape {
        TagShape {
            key: Some(key),
            value: Some(value),
        }
    }
}

/// The tags of a request, unchecked.
pub(crate) fn tags_input(tags: Option<Vec<TagShape>>) -> Option<Vec<TagInput>> {
    tags.map(|tags| tags.into_iter().map(TagShape::into_input).collect())
}

/// `Target`: read from `PutTargets`, written by `ListTargetsByRule`.
///
/// <https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html>. The
/// target-type parameter blocks of AWS services (`EcsParameters`, `SqsParameters`, …)
/// are read only to refuse them: OpenTrail's targets are webhooks, files and its
/// standard output.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetShape {
    /// `Id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `Arn`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// `RoleArn`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// `Input`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// `InputPath`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_path: Option<String>,
    /// `InputTransformer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_transformer: Option<InputTransformerShape>,
    /// `KinesisParameters`: refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kinesis_parameters: Option<serde_json::Value>,
    /// `RunCommandParameters`: refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_command_parameters: Option<serde_json::Value>,
    /// `EcsParameters`: refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecs_parameters: Option<serde_json::Value>,
    /// `BatchParameters`: refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_parameters: Option<serde_json::Value>,
    /// `SqsParameters`: refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sqs_parameters: Option<serde_json::Value>,
    /// `HttpParameters`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_parameters: Option<HttpParametersShape>,
    /// `RedshiftDataParameters`: refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redshift_data_parameters: Option<serde_json::Value>,
    /// `SageMakerPipelineParameters`: refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sage_maker_pipeline_parameters: Option<serde_json::Value>,
    /// `DeadLetterConfig`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dead_letter_config: Option<DeadLetterConfigShape>,
    /// `RetryPolicy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_policy: Option<RetryPolicyShape>,
    /// `AppSyncParameters`: refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_sync_parameters: Option<serde_json::Value>,
}

/// `InputTransformer`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InputTransformerShape {
    /// `InputPathsMap`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_paths_map: Option<OrderedMap>,
    /// `InputTemplate` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_template: Option<String>,
}

/// `HttpParameters`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HttpParametersShape {
    /// `PathParameterValues`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_parameter_values: Option<Vec<String>>,
    /// `HeaderParameters`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_parameters: Option<OrderedMap>,
    /// `QueryStringParameters`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_string_parameters: Option<OrderedMap>,
}

/// `DeadLetterConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeadLetterConfigShape {
    /// `Arn`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
}

/// `RetryPolicy`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RetryPolicyShape {
    /// `MaximumRetryAttempts`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_retry_attempts: Option<i64>,
    /// `MaximumEventAgeInSeconds`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_event_age_in_seconds: Option<i64>,
}

impl TargetShape {
    /// The request target in the rule store's terms (unchecked).
    pub fn into_input(self) -> TargetInput {
        let blocks = [
            ("KinesisParameters", self.kinesis_parameters.is_some()),
            (
                "RunCommandParameters",
                self.run_command_parameters.is_some(),
            ),
            ("EcsParameters", self.ecs_parameters.is_some()),
            ("BatchParameters", self.batch_parameters.is_some()),
            ("SqsParameters", self.sqs_parameters.is_some()),
            (
                "RedshiftDataParameters",
                self.redshift_data_parameters.is_some(),
            ),
            (
                "SageMakerPipelineParameters",
                self.sage_maker_pipeline_parameters.is_some(),
            ),
            ("AppSyncParameters", self.app_sync_parameters.is_some()),
        ];
        TargetInput {
            id: self.id,
            arn: self.arn,
            role_arn: self.role_arn,
            input: self.input,
            input_path: self.input_path,
            input_transformer: self
                .input_transformer
                .map(|transformer| InputTransformerInput {
                    input_paths_map: transformer.input_paths_map.map(|map| map.0),
                    input_template: transformer.input_template,
                }),
            http_parameters: self.http_parameters.map(|http| HttpParametersInput {
                path_parameter_values: http.path_parameter_values,
                header_parameters: http.header_parameters.map(|map| map.0),
                query_string_parameters: http.query_string_parameters.map(|map| map.0),
            }),
            retry_policy: self.retry_policy.map(|retry| RetryPolicyInput {
                maximum_retry_attempts: retry.maximum_retry_attempts,
                maximum_event_age_in_seconds: retry.maximum_event_age_in_seconds,
            }),
            dead_letter_config: self
                .dead_letter_config
                .map(|config| DeadLetterConfigInput { arn: config.arn }),
            unsupported_parameters: blocks
                .into_iter()
                .filter(|(_, given)| *given)
                .map(|(name, _)| name)
                .collect(),
        }
    }
}

impl From<Target> for TargetShape {
    fn from(target: Target) -> TargetShape {
        TargetShape {
            id: Some(target.id),
            arn: Some(target.arn),
            role_arn: target.role_arn,
            input: target.input,
            input_path: target.input_path,
            input_transformer: target.input_transformer.map(InputTransformerShape::from),
            http_parameters: target.http_parameters.map(HttpParametersShape::from),
            dead_letter_config: target
                .dead_letter_arn
                .map(|arn| DeadLetterConfigShape { arn: Some(arn) }),
            retry_policy: target.retry_policy.map(|retry| RetryPolicyShape {
                maximum_retry_attempts: retry.maximum_retry_attempts.map(i64::from),
                maximum_event_age_in_seconds: retry.maximum_event_age_in_seconds.map(i64::from),
            }),
            ..TargetShape::default()
        }
    }
}

/// A stored map, left out when empty as EventBridge leaves out members never set.
fn non_empty(pairs: Vec<(String, String)>) -> Option<OrderedMap> {
    (!pairs.is_empty()).then_some(OrderedMap(pairs))
}

impl From<InputTransformer> for InputTransformerShape {
    fn from(transformer: InputTransformer) -> InputTransformerShape {
        InputTransformerShape {
            input_paths_map: non_empty(transformer.input_paths_map),
            input_template: Some(transformer.input_template),
        }
    }
}

impl From<HttpParameters> for HttpParametersShape {
    fn from(http: HttpParameters) -> HttpParametersShape {
        HttpParametersShape {
            path_parameter_values: (!http.path_parameter_values.is_empty())
                .then_some(http.path_parameter_values),
            header_parameters: non_empty(http.header_parameters),
            query_string_parameters: non_empty(http.query_string_parameters),
        }
    }
}

/// `PutTargetsResultEntry` and `RemoveTargetsResultEntry`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FailedEntryShape {
    /// `TargetId`.
    pub target_id: String,
    /// `ErrorCode`: the EventBridge exception name.
    pub error_code: String,
    /// `ErrorMessage`.
    pub error_message: String,
}

impl From<EntryFailure> for FailedEntryShape {
    fn from(failure: EntryFailure) -> FailedEntryShape {
        FailedEntryShape {
            target_id: failure.target_id,
            error_code: rules_error_code(failure.kind).as_str().to_owned(),
            error_message: failure.message,
        }
    }
}

/// The response of `PutTargets` and `RemoveTargets`: both members are always present.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FailedEntriesResponse {
    /// `FailedEntryCount`.
    pub failed_entry_count: usize,
    /// `FailedEntries`.
    pub failed_entries: Vec<FailedEntryShape>,
}

impl FailedEntriesResponse {
    /// The response listing `failures`.
    pub fn from_failures(failures: Vec<EntryFailure>) -> FailedEntriesResponse {
        FailedEntriesResponse {
            failed_entry_count: failures.len(),
            failed_entries: failures.into_iter().map(Into::into).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_keep_the_written_order_both_ways() {
        let shape: HttpParametersShape = serde_json::from_str(
            r#"{"HeaderParameters":{"z":"1","a":"2","m":"3"},"QueryStringParameters":{}}"#,
        )
        .unwrap();
        let headers = shape.header_parameters.clone().unwrap().0;
        let keys: Vec<&str> = headers.iter().map(|(key, _)| key.as_str()).collect();
        assert_eq!(keys, ["z", "a", "m"]);
        assert_eq!(
            serde_json::to_string(&shape).unwrap(),
            r#"{"HeaderParameters":{"z":"1","a":"2","m":"3"},"QueryStringParameters":{}}"#
        );
        assert!(serde_json::from_str::<OrderedMap>(r#"{"a":1}"#).is_err());
    }

    #[test]
    fn service_parameter_blocks_are_named_for_refusal() {
        let shape: TargetShape = serde_json::from_str(
            r#"{"Id":"t","Arn":"stdout:","EcsParameters":{"TaskDefinitionArn":"x"},"SqsParameters":{},"KinesisParameters":null}"#,
        )
        .unwrap();
        assert_eq!(
            shape.into_input().unsupported_parameters,
            ["EcsParameters", "SqsParameters"]
        );
    }
}
