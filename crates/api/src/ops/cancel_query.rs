//! `CancelQuery` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CancelQuery.html>).
//!
//! Request: `QueryId`*, `EventDataStore` (deprecated, ignored),
//! `EventDataStoreOwnerAccountId`. Response: `QueryId`, `QueryStatus`,
//! `EventDataStoreOwnerAccountId`. A query no longer queued or running gives
//! `InactiveQueryException`.

use serde::{Deserialize, Serialize};

use crate::ApiError;
use crate::dispatch::{Scope, Services};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CancelQueryRequest {
    /// `EventDataStore` (deprecated).
    #[serde(default)]
    pub event_data_store: Option<String>,
    /// `QueryId`.
    pub query_id: String,
    /// `EventDataStoreOwnerAccountId`.
    #[serde(default)]
    pub event_data_store_owner_account_id: Option<String>,
}

/// The response body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CancelQueryResponse {
    /// `QueryId`.
    pub query_id: String,
    /// `QueryStatus`.
    pub query_status: String,
    /// `EventDataStoreOwnerAccountId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_data_store_owner_account_id: Option<String>,
}

/// Handles one `CancelQuery` call.
///
/// # Errors
///
/// `QueryIdNotFoundException`, `InactiveQueryException`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: CancelQueryRequest,
) -> Result<CancelQueryResponse, ApiError> {
    let outcome = services
        .queries
        .cancel(&scope.account_id, &request.query_id)?;
    Ok(CancelQueryResponse {
        query_id: outcome.query_id,
        query_status: outcome.status.as_str().to_owned(),
        event_data_store_owner_account_id: outcome.owner_account,
    })
}
