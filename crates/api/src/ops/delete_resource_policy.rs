//! `DeleteResourcePolicy` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DeleteResourcePolicy.html>).
//!
//! Request: `ResourceArn`* (an event data store or channel ARN). Response: `{}`;
//! `ResourcePolicyNotFoundException` when none is set.

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::{ResourceArnRequest, lake_caller};
use crate::ops::trail_shapes::EmptyResponse;

/// Handles one `DeleteResourcePolicy` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: ResourceArnRequest,
) -> Result<EmptyResponse, ApiError> {
    services
        .lake
        .delete_resource_policy(&lake_caller(scope), &request.resource_arn)?;
    Ok(EmptyResponse {})
}
