//! `StartEventDataStoreIngestion` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StartEventDataStoreIngestion.html>).
//!
//! Request: `EventDataStore`* (ARN or ID). Response: `{}`. `STOPPED_INGESTION` → `ENABLED` (the intermediate `STARTING_INGESTION` is never observed: the change is instant).

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::{EventDataStoreRequest, lake_caller};
use crate::ops::trail_shapes::EmptyResponse;

/// Handles one `StartEventDataStoreIngestion` call.
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
        .start_event_data_store_ingestion(&lake_caller(scope), &request.event_data_store)?;
    Ok(EmptyResponse {})
}
