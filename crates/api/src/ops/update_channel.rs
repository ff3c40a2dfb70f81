//! `UpdateChannel` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_UpdateChannel.html>).
//!
//! Request: `Channel`* (ARN or ID), `Destinations` (replaces the list), `Name`.
//! Response: `ChannelArn`, `Name`, `Source`, `Destinations`.

use serde::{Deserialize, Serialize};

use opentrail_lake::UpdateChannelInput;

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::{DestinationShape, lake_caller};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateChannelRequest {
    /// `Channel`.
    pub channel: String,
    /// `Destinations`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destinations: Option<Vec<DestinationShape>>,
    /// `Name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The response body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateChannelResponse {
    /// `ChannelArn`.
    pub channel_arn: String,
    /// `Name`.
    pub name: String,
    /// `Source`.
    pub source: String,
    /// `Destinations`.
    pub destinations: Vec<DestinationShape>,
}

/// Handles one `UpdateChannel` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: UpdateChannelRequest,
) -> Result<UpdateChannelResponse, ApiError> {
    let input = UpdateChannelInput {
        channel: request.channel,
        destinations: request
            .destinations
            .map(|destinations| destinations.into_iter().map(Into::into).collect()),
        name: request.name,
    };
    let channel = services.lake.update_channel(&lake_caller(scope), input)?;
    Ok(UpdateChannelResponse {
        channel_arn: channel.arn,
        name: channel.name,
        source: channel.source,
        destinations: channel.destinations.into_iter().map(Into::into).collect(),
    })
}
