//! `ListChannels` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListChannels.html>).
//!
//! Request: `MaxResults` (1–1000), `NextToken`. Response: `Channels` (each `ChannelArn`,
//! `Name`; the caller's channels of the region, ordered by ARN) and `NextToken`.

use serde::{Deserialize, Serialize};

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::lake_caller;

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListChannelsRequest {
    /// `MaxResults`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
    /// `NextToken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `Channel` (a list entry).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChannelShape {
    /// `ChannelArn`.
    pub channel_arn: String,
    /// `Name`.
    pub name: String,
}

/// The response body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListChannelsResponse {
    /// `Channels`.
    pub channels: Vec<ChannelShape>,
    /// `NextToken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Handles one `ListChannels` call.
///
/// # Errors
///
/// `InvalidMaxResultsException`, `InvalidNextTokenException`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: ListChannelsRequest,
) -> Result<ListChannelsResponse, ApiError> {
    let page = services.lake.list_channels(
        &lake_caller(scope),
        request.max_results,
        request.next_token.as_deref(),
    )?;
    Ok(ListChannelsResponse {
        channels: page
            .channels
            .into_iter()
            .map(|channel| ChannelShape {
                channel_arn: channel.arn,
                name: channel.name,
            })
            .collect(),
        next_token: page.next_token,
    })
}
