//! `GetEventDataStore` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventDataStore.html>).
//!
//! Request: `EventDataStore`* (ARN or ID). Response: the store with `FederationStatus`
//! (always `DISABLED`); no `PartitionKeys` (there is no federation).

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::{EventDataStoreRequest, EventDataStoreShape, lake_caller};

/// Handles one `GetEventDataStore` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: EventDataStoreRequest,
) -> Result<EventDataStoreShape, ApiError> {
    let store = services
        .lake
        .get_event_data_store(&lake_caller(scope), &request.event_data_store)?;
    Ok(EventDataStoreShape::for_get(store))
}
