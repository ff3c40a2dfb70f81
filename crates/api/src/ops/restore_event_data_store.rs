//! `RestoreEventDataStore` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_RestoreEventDataStore.html>).
//!
//! Request: `EventDataStore`* (ARN or ID). Response: the store, back in the status it
//! had before DeleteEventDataStore. Only within seven days of the deletion.

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::{EventDataStoreRequest, EventDataStoreShape, lake_caller};

/// Handles one `RestoreEventDataStore` call.
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
        .restore_event_data_store(&lake_caller(scope), &request.event_data_store)?;
    Ok(EventDataStoreShape::for_restore(store))
}
