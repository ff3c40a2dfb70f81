//! `GetChannel` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetChannel.html>).
//!
//! Request: `Channel`* (ARN or ID). Response: `ChannelArn`, `Name`, `Source`,
//! `SourceConfig` (`ApplyToAllRegions` false: channels made through the API are
//! regional), `Destinations`, `IngestionStatus` (what PutAuditEvents last reported; an
//! empty object before the first call).

use serde::{Deserialize, Serialize};

use opentrail_lake::IngestionStatus;

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::{ChannelRequest, DestinationShape, lake_caller};

/// `SourceConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SourceConfigShape {
    /// `ApplyToAllRegions`.
    pub apply_to_all_regions: bool,
}

/// `IngestionStatus`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IngestionStatusShape {
    /// `LatestIngestionSuccessTime`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_ingestion_success_time: Option<f64>,
    /// `LatestIngestionSuccessEventID`.
    #[serde(
        rename = "LatestIngestionSuccessEventID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub latest_ingestion_success_event_id: Option<String>,
    /// `LatestIngestionErrorCode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_ingestion_error_code: Option<String>,
    /// `LatestIngestionAttemptTime`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_ingestion_attempt_time: Option<f64>,
    /// `LatestIngestionAttemptEventID`.
    #[serde(
        rename = "LatestIngestionAttemptEventID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub latest_ingestion_attempt_event_id: Option<String>,
}

impl From<IngestionStatus> for IngestionStatusShape {
    fn from(status: IngestionStatus) -> IngestionStatusShape {
        IngestionStatusShape {
            latest_ingestion_success_time: status
                .latest_ingestion_success_time
                .map(|time| time.as_epoch_seconds_f64()),
            latest_ingestion_success_event_id: status.latest_ingestion_success_event_id,
            latest_ingestion_error_code: status.latest_ingestion_error_code,
            latest_ingestion_attempt_time: status
                .latest_ingestion_attempt_time
                .map(|time| time.as_epoch_seconds_f64()),
            latest_ingestion_attempt_event_id: status.latest_ingestion_attempt_event_id,
        }
    }
}

/// The response body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetChannelResponse {
    /// `ChannelArn`.
    pub channel_arn: String,
    /// `Name`.
    pub name: String,
    /// `Source`.
    pub source: String,
    /// `SourceConfig`.
    pub source_config: SourceConfigShape,
    /// `Destinations`.
    pub destinations: Vec<DestinationShape>,
    /// `IngestionStatus`.
    pub ingestion_status: IngestionStatusShape,
}

/// Handles one `GetChannel` call.
///
/// # Errors
///
/// `ChannelARNInvalidException`, `ChannelNotFoundException`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: ChannelRequest,
) -> Result<GetChannelResponse, ApiError> {
    let channel = services
        .lake
        .get_channel(&lake_caller(scope), &request.channel)?;
    Ok(GetChannelResponse {
        channel_arn: channel.arn,
        name: channel.name,
        source: channel.source,
        source_config: SourceConfigShape {
            apply_to_all_regions: false,
        },
        destinations: channel.destinations.into_iter().map(Into::into).collect(),
        ingestion_status: channel.ingestion_status.into(),
    })
}
