//! `UpdateTrail` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_UpdateTrail.html>).
//!
//! Request: `Name`* (name or ARN) and any CreateTrail member except `TagsList`; only the
//! members given change (an empty text removes the prefix, topic or key). Response: the
//! trail's settings ([`TrailSettingsShape`]). Home region only.

use serde::{Deserialize, Serialize};

use opentrail_trails::{Probes, UpdateTrailInput};

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::trail_shapes::{TrailSettingsShape, caller};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateTrailRequest {
    /// `Name`: the trail's name or ARN.
    pub name: String,
    /// `S3BucketName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3_bucket_name: Option<String>,
    /// `S3KeyPrefix`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3_key_prefix: Option<String>,
    /// `SnsTopicName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sns_topic_name: Option<String>,
    /// `IncludeGlobalServiceEvents`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_global_service_events: Option<bool>,
    /// `IsMultiRegionTrail`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_multi_region_trail: Option<bool>,
    /// `EnableLogFileValidation`.
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
    /// `IsOrganizationTrail`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_organization_trail: Option<bool>,
}

impl UpdateTrailRequest {
    /// The request in domain terms (unchecked).
    pub fn into_input(self) -> UpdateTrailInput {
        UpdateTrailInput {
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
        }
    }
}

/// The response body.
pub type UpdateTrailResponse = TrailSettingsShape;

/// Handles one `UpdateTrail` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: UpdateTrailRequest,
) -> Result<UpdateTrailResponse, ApiError> {
    let probes = Probes {
        buckets: services.buckets,
        topics: services.topics,
    };
    let trail = services
        .trails
        .update_trail(&caller(scope), request.into_input(), probes)?;
    Ok(trail.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_given_members_are_set() {
        let request: UpdateTrailRequest = serde_json::from_str(
            r#"{"Name":"t","EnableLogFileValidation":false,"S3KeyPrefix":""}"#,
        )
        .unwrap();
        let input = request.into_input();
        assert_eq!(input.enable_log_file_validation, Some(false));
        assert_eq!(input.s3_key_prefix.as_deref(), Some(""));
        assert_eq!(input.s3_bucket_name, None);
    }
}
