//! `PutResourcePolicy` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutResourcePolicy.html>).
//!
//! Request: `ResourceArn`* (an event data store or channel ARN), `ResourcePolicy`* (a JSON
//! object, 1–8192 characters). Response: `ResourceArn`, `ResourcePolicy`. The policy is
//! stored as given; OpenTrail checks it is a JSON object, not its IAM grammar.

use serde::{Deserialize, Serialize};

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::{ResourcePolicyResponse, lake_caller};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutResourcePolicyRequest {
    /// `ResourceArn`.
    pub resource_arn: String,
    /// `ResourcePolicy`.
    pub resource_policy: String,
}

/// Handles one `PutResourcePolicy` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: PutResourcePolicyRequest,
) -> Result<ResourcePolicyResponse, ApiError> {
    let policy = services.lake.put_resource_policy(
        &lake_caller(scope),
        &request.resource_arn,
        &request.resource_policy,
    )?;
    Ok(ResourcePolicyResponse {
        resource_arn: request.resource_arn,
        resource_policy: policy,
    })
}
