//! `StopEventDataStoreIngestion` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StopEventDataStoreIngestion.html>).
//!
//! Request: `EventDataStore`* (ARN or ID). Response: `{}`. `ENABLED` → `STOPPED_INGESTION` (the intermediate `STOPPING_INGESTION` is never observed: the change is instant).

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::{EventDataStoreRequest, lake_caller};
use crate::ops::trail_shapes::EmptyResponse;

/// Handles one `StopEventDataStoreIngestion` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: EventDataStoreRequest,
) -> Result<EmptyResponse, ApiError> {
    services
        .lake
        .stop_event_data_store_ingestion(&lake_caller(scope), &request.event_data_store)?;
    Ok(EmptyResponse {})
}
