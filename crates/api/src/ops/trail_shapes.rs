//! Shapes shared by the trail operations: the `Trail` object, the CreateTrail/UpdateTrail
//! response, `Tag`, `InsightSelector`, and the conversions from `opentrail-trails`.
//!
//! Member names and order are botocore's (`cloudtrail/2013-11-01/service-2.json`);
//! members without a value are omitted. Timestamps are epoch seconds as JSON numbers.

use serde::{Deserialize, Serialize};

use opentrail_trails::{Caller, InsightSelector, InsightSelectorInput, Tag, TagInput, Trail};

use crate::dispatch::Scope;

/// The caller of a trail operation, from the request's scope.
pub(crate) fn caller(scope: &Scope) -> Caller {
    Caller {
        account_id: scope.account_id.clone(),
        region: scope.region.clone(),
    }
}

/// The `Trail` object (GetTrail, DescribeTrails).
///
/// <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Trail.html>
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailShape {
    /// `Name`.
    #[serde(rename = "Name")]
    pub name: String,
    /// `S3BucketName`.
    #[serde(rename = "S3BucketName")]
    pub s3_bucket_name: String,
    /// `S3KeyPrefix`.
    #[serde(
        rename = "S3KeyPrefix",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub s3_key_prefix: Option<String>,
    /// `SnsTopicName` (deprecated; still sent).
    #[serde(
        rename = "SnsTopicName",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub sns_topic_name: Option<String>,
    /// `SnsTopicARN`.
    #[serde(
        rename = "SnsTopicARN",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub sns_topic_arn: Option<String>,
    /// `IncludeGlobalServiceEvents`.
    #[serde(rename = "IncludeGlobalServiceEvents")]
    pub include_global_service_events: bool,
    /// `IsMultiRegionTrail`.
    #[serde(rename = "IsMultiRegionTrail")]
    pub is_multi_region_trail: bool,
    /// `HomeRegion`.
    #[serde(rename = "HomeRegion")]
    pub home_region: String,
    /// `TrailARN`.
    #[serde(rename = "TrailARN")]
    pub trail_arn: String,
    /// `LogFileValidationEnabled`.
    #[serde(rename = "LogFileValidationEnabled")]
    pub log_file_validation_enabled: bool,
    /// `CloudWatchLogsLogGroupArn`.
    #[serde(
        rename = "CloudWatchLogsLogGroupArn",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub cloud_watch_logs_log_group_arn: Option<String>,
    /// `CloudWatchLogsRoleArn`.
    #[serde(
        rename = "CloudWatchLogsRoleArn",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub cloud_watch_logs_role_arn: Option<String>,
    /// `KmsKeyId`: the full key (or alias) ARN.
    #[serde(rename = "KmsKeyId", skip_serializing_if = "Option::is_none", default)]
    pub kms_key_id: Option<String>,
    /// `HasCustomEventSelectors`.
    #[serde(rename = "HasCustomEventSelectors")]
    pub has_custom_event_selectors: bool,
    /// `HasInsightSelectors`.
    #[serde(rename = "HasInsightSelectors")]
    pub has_insight_selectors: bool,
    /// `IsOrganizationTrail`.
    #[serde(rename = "IsOrganizationTrail")]
    pub is_organization_trail: bool,
}

impl From<Trail> for TrailShape {
    fn from(trail: Trail) -> TrailShape {
        TrailShape {
            has_insight_selectors: !trail.insight_selectors.is_empty(),
            name: trail.name,
            s3_bucket_name: trail.s3_bucket_name,
            s3_key_prefix: trail.s3_key_prefix,
            sns_topic_name: trail.sns_topic_name,
            sns_topic_arn: trail.sns_topic_arn,
            include_global_service_events: trail.include_global_service_events,
            is_multi_region_trail: trail.is_multi_region_trail,
            home_region: trail.home_region,
            trail_arn: trail.arn,
            log_file_validation_enabled: trail.log_file_validation_enabled,
            cloud_watch_logs_log_group_arn: trail.cloud_watch_logs_log_group_arn,
            cloud_watch_logs_role_arn: trail.cloud_watch_logs_role_arn,
            kms_key_id: trail.kms_key_id,
            has_custom_event_selectors: trail.has_custom_event_selectors,
            is_organization_trail: trail.is_organization_trail,
        }
    }
}

/// The response of CreateTrail and UpdateTrail (the trail's settings, without
/// `HomeRegion` and the `Has*` members).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailSettingsShape {
    /// `Name`.
    #[serde(rename = "Name")]
    pub name: String,
    /// `S3BucketName`.
    #[serde(rename = "S3BucketName")]
    pub s3_bucket_name: String,
    /// `S3KeyPrefix`.
    #[serde(
        rename = "S3KeyPrefix",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub s3_key_prefix: Option<String>,
    /// `SnsTopicName` (deprecated; still sent).
    #[serde(
        rename = "SnsTopicName",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub sns_topic_name: Option<String>,
    /// `SnsTopicARN`.
    #[serde(
        rename = "SnsTopicARN",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub sns_topic_arn: Option<String>,
    /// `IncludeGlobalServiceEvents`.
    #[serde(rename = "IncludeGlobalServiceEvents")]
    pub include_global_service_events: bool,
    /// `IsMultiRegionTrail`.
    #[serde(rename = "IsMultiRegionTrail")]
    pub is_multi_region_trail: bool,
    /// `TrailARN`.
    #[serde(rename = "TrailARN")]
    pub trail_arn: String,
    /// `LogFileValidationEnabled`.
    #[serde(rename = "LogFileValidationEnabled")]
    pub log_file_validation_enabled: bool,
    /// `CloudWatchLogsLogGroupArn`.
    #[serde(
        rename = "CloudWatchLogsLogGroupArn",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub cloud_watch_logs_log_group_arn: Option<String>,
    /// `CloudWatchLogsRoleArn`.
    #[serde(
        rename = "CloudWatchLogsRoleArn",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub cloud_watch_logs_role_arn: Option<String>,
    /// `KmsKeyId`: the full key (or alias) ARN.
    #[serde(rename = "KmsKeyId", skip_serializing_if = "Option::is_none", default)]
    pub kms_key_id: Option<String>,
    /// `IsOrganizationTrail`.
    #[serde(rename = "IsOrganizationTrail")]
    pub is_organization_trail: bool,
}

impl From<Trail> for TrailSettingsShape {
    fn from(trail: Trail) -> TrailSettingsShape {
        TrailSettingsShape {
            name: trail.name,
            s3_bucket_name: trail.s3_bucket_name,
            s3_key_prefix: trail.s3_key_prefix,
            sns_topic_name: trail.sns_topic_name,
            sns_topic_arn: trail.sns_topic_arn,
            include_global_service_events: trail.include_global_service_events,
            is_multi_region_trail: trail.is_multi_region_trail,
            trail_arn: trail.arn,
            log_file_validation_enabled: trail.log_file_validation_enabled,
            cloud_watch_logs_log_group_arn: trail.cloud_watch_logs_log_group_arn,
            cloud_watch_logs_role_arn: trail.cloud_watch_logs_role_arn,
            kms_key_id: trail.kms_key_id,
            is_organization_trail: trail.is_organization_trail,
        }
    }
}

/// `Tag`: `Key` and an optional `Value`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagShape {
    /// `Key`.
    pub key: String,
    /// `Value`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub value: Option<String>,
}

impl From<TagShape> for TagInput {
    fn from(tag: TagShape) -> TagInput {
        TagInput {
            key: tag.key,
            value: tag.value,
        }
    }
}

impl From<Tag> for TagShape {
    fn from(tag: Tag) -> TagShape {
        TagShape {
            key: tag.key,
            value: tag.value,
        }
    }
}

/// `InsightSelector`: `InsightType` and the optional `EventCategories`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InsightSelectorShape {
    /// `InsightType`: `ApiCallRateInsight` or `ApiErrorRateInsight`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub insight_type: Option<String>,
    /// `EventCategories`: `Management`, `Data`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub event_categories: Option<Vec<String>>,
}

impl From<InsightSelectorShape> for InsightSelectorInput {
    fn from(shape: InsightSelectorShape) -> InsightSelectorInput {
        InsightSelectorInput {
            insight_type: shape.insight_type,
            event_categories: shape.event_categories,
        }
    }
}

impl From<InsightSelector> for InsightSelectorShape {
    fn from(selector: InsightSelector) -> InsightSelectorShape {
        InsightSelectorShape {
            insight_type: Some(selector.insight_type.as_str().to_owned()),
            event_categories: selector.event_categories.map(|categories| {
                categories
                    .into_iter()
                    .map(|category| category.as_str().to_owned())
                    .collect()
            }),
        }
    }
}

/// The empty response of DeleteTrail, StartLogging, StopLogging, AddTags, RemoveTags: `{}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmptyResponse {}

/// The request of operations that take only a trail `Name` (name or ARN).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NameRequest {
    /// `Name`.
    pub name: String,
}
