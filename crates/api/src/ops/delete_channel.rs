//! `DeleteChannel` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DeleteChannel.html>).
//!
//! Request: `Channel`* (ARN or ID). Response: `{}`.

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::{ChannelRequest, lake_caller};
use crate::ops::trail_shapes::EmptyResponse;

/// Handles one `DeleteChannel` call.
///
/// # Errors
///
/// `ChannelARNInvalidException`, `ChannelNotFoundException`, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: ChannelRequest,
) -> Result<EmptyResponse, ApiError> {
    services
        .lake
        .delete_channel(&lake_caller(scope), &request.channel)?;
    Ok(EmptyResponse {})
}
