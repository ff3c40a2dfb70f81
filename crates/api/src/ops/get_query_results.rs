//! `GetQueryResults` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetQueryResults.html>).
//!
//! Request: `QueryId`*, `NextToken`, `MaxQueryResults` (1–1000), `EventDataStore`
//! (deprecated, ignored), `EventDataStoreOwnerAccountId`. Response: `QueryStatus`,
//! `QueryStatistics` (`ResultsCount`, `TotalResultsCount`, `BytesScanned`),
//! `QueryResultRows` (each row a list of one-member objects `{column: value}` in
//! select-list order, values as strings, NULL as JSON `null`), `NextToken`,
//! `ErrorMessage`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::lake_caller;
use crate::ops::query_shapes::check_stores_active;

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetQueryResultsRequest {
    /// `EventDataStore` (deprecated).
    #[serde(default)]
    pub event_data_store: Option<String>,
    /// `QueryId`.
    pub query_id: String,
    /// `NextToken`.
    #[serde(default)]
    pub next_token: Option<String>,
    /// `MaxQueryResults`.
    #[serde(default)]
    pub max_query_results: Option<i64>,
    /// `EventDataStoreOwnerAccountId`.
    #[serde(default)]
    pub event_data_store_owner_account_id: Option<String>,
}

/// `QueryStatistics` of GetQueryResults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueryStatistics {
    /// `ResultsCount`: rows in this page.
    pub results_count: u64,
    /// `TotalResultsCount`: rows of the whole result.
    pub total_results_count: u64,
    /// `BytesScanned`.
    pub bytes_scanned: u64,
}

/// The response body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetQueryResultsResponse {
    /// `QueryStatus`.
    pub query_status: String,
    /// `QueryStatistics`.
    pub query_statistics: QueryStatistics,
    /// `QueryResultRows`.
    pub query_result_rows: Vec<Vec<Map<String, Value>>>,
    /// `NextToken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// `ErrorMessage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
}

/// Handles one `GetQueryResults` call.
///
/// # Errors
///
/// `QueryIdNotFoundException`, `InvalidMaxResultsException`, `InvalidNextTokenException`,
/// `InactiveEventDataStoreException`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: GetQueryResultsRequest,
) -> Result<GetQueryResultsResponse, ApiError> {
    let page = services.queries.results(
        &scope.account_id,
        &request.query_id,
        request.next_token.as_deref(),
        request.max_query_results,
    )?;
    check_stores_active(services, &lake_caller(scope), &page.store_ids)?;
    let rows = page
        .rows
        .into_iter()
        .map(|row| {
            page.columns
                .iter()
                .zip(row)
                .map(|(column, value)| {
                    let mut cell = Map::new();
                    cell.insert(column.clone(), value.map_or(Value::Null, Value::String));
                    cell
                })
                .collect()
        })
        .collect();
    Ok(GetQueryResultsResponse {
        query_status: page.status.as_str().to_owned(),
        query_statistics: QueryStatistics {
            results_count: page.results_count,
            total_results_count: page.total_results_count,
            bytes_scanned: page.bytes_scanned,
        },
        query_result_rows: rows,
        next_token: page.next_token,
        error_message: page.error_message,
    })
}
