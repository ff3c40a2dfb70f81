//! `CreateChannel` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateChannel.html>).
//!
//! Request: `Name`*, `Source`* (`Custom` or a partner source; one channel per source),
//! `Destinations`* (1–200 `ActivityAuditLog` stores, by ARN or ID), `Tags`. Response:
//! `ChannelArn`, `Name`, `Source`, `Destinations` (locations as store ARNs), `Tags`.

use serde::{Deserialize, Serialize};

use opentrail_lake::CreateChannelInput;

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::{DestinationShape, lake_caller};
use crate::ops::trail_shapes::TagShape;

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateChannelRequest {
    /// `Name`.
    pub name: String,
    /// `Source`.
    pub source: String,
    /// `Destinations`.
    pub destinations: Vec<DestinationShape>,
    /// `Tags`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<TagShape>>,
}

/// The response body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateChannelResponse {
    /// `ChannelArn`.
    pub channel_arn: String,
    /// `Name`.
    pub name: String,
    /// `Source`.
    pub source: String,
    /// `Destinations`.
    pub destinations: Vec<DestinationShape>,
    /// `Tags`.
    pub tags: Vec<TagShape>,
}

/// Handles one `CreateChannel` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: CreateChannelRequest,
) -> Result<CreateChannelResponse, ApiError> {
    let input = CreateChannelInput {
        name: request.name,
        source: request.source,
        destinations: request.destinations.into_iter().map(Into::into).collect(),
        tags: request
            .tags
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect(),
    };
    let channel = services.lake.create_channel(&lake_caller(scope), input)?;
    Ok(CreateChannelResponse {
        channel_arn: channel.arn,
        name: channel.name,
        source: channel.source,
        destinations: channel.destinations.into_iter().map(Into::into).collect(),
        tags: channel.tags.into_iter().map(Into::into).collect(),
    })
}
