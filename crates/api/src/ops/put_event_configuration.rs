//! `PutEventConfiguration` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutEventConfiguration.html>).
//!
//! Request: `EventDataStore` (ARN or ID), `MaxEventSize` (`Standard`|`Large`),
//! `ContextKeySelectors` (at most 2; they need `Large`). `TrailName` and
//! `AggregationConfigurations` (trail aggregation) are not offered. Response:
//! `EventDataStoreArn`, `MaxEventSize`, `ContextKeySelectors`. The call replaces the
//! store's whole configuration.

use serde::{Deserialize, Serialize};

use opentrail_lake::PutEventConfigurationInput;

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::{ContextKeySelectorShape, EventConfigurationResponse, lake_caller};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutEventConfigurationRequest {
    /// `TrailName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trail_name: Option<String>,
    /// `EventDataStore`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_data_store: Option<String>,
    /// `MaxEventSize`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_event_size: Option<String>,
    /// `ContextKeySelectors`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_key_selectors: Option<Vec<ContextKeySelectorShape>>,
    /// `AggregationConfigurations` (trails only; any value is refused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregation_configurations: Option<serde_json::Value>,
}

/// Handles one `PutEventConfiguration` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: PutEventConfigurationRequest,
) -> Result<EventConfigurationResponse, ApiError> {
    let input = PutEventConfigurationInput {
        trail_name: request.trail_name,
        event_data_store: request.event_data_store,
        max_event_size: request.max_event_size,
        context_key_selectors: request
            .context_key_selectors
            .map(|selectors| selectors.into_iter().map(Into::into).collect()),
        has_aggregation_configurations: request.aggregation_configurations.is_some(),
    };
    let store = services
        .lake
        .put_event_configuration(&lake_caller(scope), input)?;
    Ok(store.into())
}
