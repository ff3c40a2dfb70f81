//! `CreateTrail` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html>).
//!
//! Request: `Name`*, `S3BucketName`*, `S3KeyPrefix`, `SnsTopicName` (name or ARN),
//! `IncludeGlobalServiceEvents`, `IsMultiRegionTrail`, `EnableLogFileValidation`,
//! `CloudWatchLogsLogGroupArn`, `CloudWatchLogsRoleArn`, `KmsKeyId`,
//! `IsOrganizationTrail`, `TagsList`. Response: the trail's settings
//! ([`TrailSettingsShape`]). The new trail does not log until StartLogging.

use serde::{Deserialize, Serialize};

use opentrail_trails::{CreateTrailInput, Probes};

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::trail_shapes::{TagShape, TrailSettingsShape, caller};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateTrailRequest {
    /// `Name`.
    pub name: String,
    /// `S3BucketName`.
    pub s3_bucket_name: String,
    /// `S3KeyPrefix`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3_key_prefix: Option<String>,
    /// `SnsTopicName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sns_topic_name: Option<String>,
    /// `IncludeGlobalServiceEvents` (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_global_service_events: Option<bool>,
    /// `IsMultiRegionTrail` (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_multi_region_trail: Option<bool>,
    /// `EnableLogFileValidation` (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_log_file_validation: Option<bool>,
    /// `CloudWatchLogsLogGroupArn`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_watch_logs_log_group_arn: Option<String>,
    /// `CloudWatchLogsRoleArn`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_watch_logs_role_arn: Option<String>,
    /// `KmsKeyId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    /// `IsOrganizationTrail` (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_organization_trail: Option<bool>,
    /// `TagsList`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags_list: Option<Vec<TagShape>>,
}

impl CreateTrailRequest {
    /// The request in domain terms (unchecked).
    pub fn into_input(self) -> CreateTrailInput {
        CreateTrailInput {
            name: self.name,
            s3_bucket_name: self.s3_bucket_name,
            s3_key_prefix: self.s3_key_prefix,
            sns_topic_name: self.sns_topic_name,
            include_global_service_events: self.include_global_service_events,
            is_multi_region_trail: self.is_multi_region_trail,
            enable_log_file_validation: self.enable_log_file_validation,
            cloud_watch_logs_log_group_arn: self.cloud_watch_logs_log_group_arn,
            cloud_watch_logs_role_arn: self.cloud_watch_logs_role_arn,
            kms_key_id: self.kms_key_id,
            is_organization_trail: self.is_organization_trail,
            tags: self
                .tags_list
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
        }
    }
}

/// The response body.
pub type CreateTrailResponse = TrailSettingsShape;

/// Handles one `CreateTrail` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: CreateTrailRequest,
) -> Result<CreateTrailResponse, ApiError> {
    let probes = Probes {
        buckets: services.buckets,
        topics: services.topics,
    };
    let trail = services
        .trails
        .create_trail(&caller(scope), request.into_input(), probes)?;
    Ok(trail.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_read_botocore_member_names() {
        let request: CreateTrailRequest = serde_json::from_str(
            r#"{"Name":"t","S3BucketName":"b","IsMultiRegionTrail":true,"TagsList":[{"Key":"k"}],"Unknown":1}"#,
        )
        .unwrap();
        let input = request.into_input();
        assert_eq!(input.is_multi_region_trail, Some(true));
        assert_eq!(input.tags[0].key, "k");
        assert_eq!(input.tags[0].value, None);
        assert!(serde_json::from_str::<CreateTrailRequest>(r#"{"Name":"t"}"#).is_err());
    }
}
