//! `GetTrail` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrail.html>).
//!
//! Request: `Name`* (name or ARN; an ARN reaches a trail of another region). Response:
//! `{"Trail": Trail}` ([`TrailShape`]).

use serde::{Deserialize, Serialize};

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::trail_shapes::{NameRequest, TrailShape, caller};

/// The request body.
pub type GetTrailRequest = NameRequest;

/// The response body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTrailResponse {
    /// `Trail`.
    pub trail: TrailShape,
}

/// Handles one `GetTrail` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: GetTrailRequest,
) -> Result<GetTrailResponse, ApiError> {
    let trail = services.trails.get_trail(&caller(scope), &request.name)?;
    Ok(GetTrailResponse {
        trail: trail.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trail_object_uses_the_model_member_names() {
        let shape = TrailShape {
            name: String::from("t"),
            s3_bucket_name: String::from("b"),
            s3_key_prefix: None,
            sns_topic_name: None,
            sns_topic_arn: Some(String::from("arn:aws:sns:us-east-1:111122223333:x")),
            include_global_service_events: true,
            is_multi_region_trail: false,
            home_region: String::from("us-east-1"),
            trail_arn: String::from("arn"),
            log_file_validation_enabled: false,
            cloud_watch_logs_log_group_arn: None,
            cloud_watch_logs_role_arn: None,
            kms_key_id: None,
            has_custom_event_selectors: false,
            has_insight_selectors: false,
            is_organization_trail: false,
        };
        let text = serde_json::to_string(&GetTrailResponse { trail: shape }).unwrap();
        assert_eq!(
            text,
            r#"{"Trail":{"Name":"t","S3BucketName":"b","SnsTopicARN":"arn:aws:sns:us-east-1:111122223333:x","IncludeGlobalServiceEvents":true,"IsMultiRegionTrail":false,"HomeRegion":"us-east-1","TrailARN":"arn","LogFileValidationEnabled":false,"HasCustomEventSelectors":false,"HasInsightSelectors":false,"IsOrganizationTrail":false}}"#
        );
    }
}
