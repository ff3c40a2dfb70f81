//! `DeleteEventDataStore` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DeleteEventDataStore.html>).
//!
//! Request: `EventDataStore`* (ARN or ID). Response: `{}`. The store goes `PENDING_DELETION` and is purged after seven days unless restored.

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::{EventDataStoreRequest, lake_caller};
use crate::ops::trail_shapes::EmptyResponse;

/// Handles one `DeleteEventDataStore` call.
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
        .delete_event_data_store(&lake_caller(scope), &request.event_data_store)?;
    Ok(EmptyResponse {})
}
