//! `GetEventConfiguration` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventConfiguration.html>).
//!
//! Request: `EventDataStore` (ARN or ID); `TrailName` is not offered. Response:
//! `EventDataStoreArn`, `MaxEventSize` (`Standard` until set), `ContextKeySelectors`.

use serde::{Deserialize, Serialize};

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::{EventConfigurationResponse, lake_caller};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetEventConfigurationRequest {
    /// `TrailName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trail_name: Option<String>,
    /// `EventDataStore`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_data_store: Option<String>,
}

/// Handles one `GetEventConfiguration` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: GetEventConfigurationRequest,
) -> Result<EventConfigurationResponse, ApiError> {
    let store = services.lake.get_event_configuration(
        &lake_caller(scope),
        request.trail_name.as_deref(),
        request.event_data_store.as_deref(),
    )?;
    Ok(store.into())
}
