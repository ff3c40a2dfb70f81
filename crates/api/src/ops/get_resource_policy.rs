//! `GetResourcePolicy` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetResourcePolicy.html>).
//!
//! Request: `ResourceArn`* (an event data store or channel ARN). Response: `ResourceArn`,
//! `ResourcePolicy`; `ResourcePolicyNotFoundException` when none is set.

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::{ResourceArnRequest, ResourcePolicyResponse, lake_caller};

/// Handles one `GetResourcePolicy` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: ResourceArnRequest,
) -> Result<ResourcePolicyResponse, ApiError> {
    let policy = services
        .lake
        .get_resource_policy(&lake_caller(scope), &request.resource_arn)?;
    Ok(ResourcePolicyResponse {
        resource_arn: request.resource_arn,
        resource_policy: policy,
    })
}
