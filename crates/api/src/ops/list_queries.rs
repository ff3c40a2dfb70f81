//! `ListQueries` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListQueries.html>).
//!
//! Request: `EventDataStore`* (ARN or id), `NextToken`, `MaxResults` (1–1000),
//! `StartTime`, `EndTime` (epoch seconds), `QueryStatus`. Response: `Queries`
//! (`QueryId`, `QueryStatus`, `CreationTime`), newest first, of the past 7 days;
//! `NextToken`.

use serde::{Deserialize, Serialize};

use opentrail_queries::ListQueriesRequest as ListInput;
use opentrail_types::Timestamp;

use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::lake_caller;
use crate::{ApiError, ErrorCode};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListQueriesRequest {
    /// `EventDataStore`.
    pub event_data_store: String,
    /// `NextToken`.
    #[serde(default)]
    pub next_token: Option<String>,
    /// `MaxResults`.
    #[serde(default)]
    pub max_results: Option<i64>,
    /// `StartTime`, epoch seconds.
    #[serde(default)]
    pub start_time: Option<f64>,
    /// `EndTime`, epoch seconds.
    #[serde(default)]
    pub end_time: Option<f64>,
    /// `QueryStatus`.
    #[serde(default)]
    pub query_status: Option<String>,
}

/// One listed query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueryShape {
    /// `QueryId`.
    pub query_id: String,
    /// `QueryStatus`.
    pub query_status: String,
    /// `CreationTime`, epoch seconds.
    pub creation_time: f64,
}

/// The response body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListQueriesResponse {
    /// `Queries`.
    pub queries: Vec<QueryShape>,
    /// `NextToken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Handles one `ListQueries` call.
///
/// # Errors
///
/// `EventDataStoreNotFoundException`, `EventDataStoreARNInvalidException`,
/// `InactiveEventDataStoreException`, `InvalidDateRangeException`,
/// `InvalidQueryStatusException`, `InvalidMaxResultsException`,
/// `InvalidNextTokenException`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: ListQueriesRequest,
) -> Result<ListQueriesResponse, ApiError> {
    let store = services
        .lake
        .get_event_data_store(&lake_caller(scope), &request.event_data_store)?;
    if store.is_pending_deletion() {
        return Err(ApiError::new(
            ErrorCode::InactiveEventDataStoreException,
            format!("the event data store `{}` is pending deletion", store.id),
        ));
    }
    let time = |seconds: Option<f64>, member: &str| -> Result<Option<Timestamp>, ApiError> {
        match seconds {
            None => Ok(None),
            Some(seconds) => Timestamp::from_epoch_seconds_f64(seconds)
                .map(Some)
                .ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::InvalidParameterException,
                        format!("{member} `{seconds}` is not a time"),
                    )
                }),
        }
    };
    let page = services.queries.list(&ListInput {
        account: scope.account_id.clone(),
        store_id: store.id,
        start_time: time(request.start_time, "StartTime")?,
        end_time: time(request.end_time, "EndTime")?,
        status: request.query_status,
        max_results: request.max_results,
        next_token: request.next_token,
    })?;
    Ok(ListQueriesResponse {
        queries: page
            .queries
            .into_iter()
            .map(|query| QueryShape {
                query_id: query.query_id,
                query_status: query.status.as_str().to_owned(),
                creation_time: query.creation_time.as_epoch_seconds_f64(),
            })
            .collect(),
        next_token: page.next_token,
    })
}
