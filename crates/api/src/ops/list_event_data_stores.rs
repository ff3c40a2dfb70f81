//! `ListEventDataStores` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListEventDataStores.html>).
//!
//! Request: `NextToken`, `MaxResults` (1–1000). Response: `EventDataStores` (the caller's
//! stores visible in the region, any status, ordered by ARN) and `NextToken`.

use serde::{Deserialize, Serialize};

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::{EventDataStoreShape, lake_caller};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListEventDataStoresRequest {
    /// `NextToken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// `MaxResults`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
}

/// The response body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListEventDataStoresResponse {
    /// `EventDataStores`.
    pub event_data_stores: Vec<EventDataStoreShape>,
    /// `NextToken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Handles one `ListEventDataStores` call.
///
/// # Errors
///
/// `InvalidMaxResultsException`, `InvalidNextTokenException`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: ListEventDataStoresRequest,
) -> Result<ListEventDataStoresResponse, ApiError> {
    let page = services.lake.list_event_data_stores(
        &lake_caller(scope),
        request.max_results,
        request.next_token.as_deref(),
    )?;
    Ok(ListEventDataStoresResponse {
        event_data_stores: page
            .event_data_stores
            .into_iter()
            .map(EventDataStoreShape::for_list)
            .collect(),
        next_token: page.next_token,
    })
}
