//! `DescribeQuery` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeQuery.html>).
//!
//! Request: `QueryId` (or `QueryAlias` + `RefreshId`, dashboards only), `EventDataStore`
//! (deprecated, ignored), `EventDataStoreOwnerAccountId`. Response: `QueryId`,
//! `QueryString`, `QueryStatus`, `QueryStatistics`, `ErrorMessage`, `DeliveryS3Uri`,
//! `DeliveryStatus`, `EventDataStoreOwnerAccountId`.

use serde::{Deserialize, Serialize};

use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::lake_caller;
use crate::ops::query_shapes::{check_stores_active, clamp_millis};
use crate::{ApiError, ErrorCode};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeQueryRequest {
    /// `EventDataStore` (deprecated).
    #[serde(default)]
    pub event_data_store: Option<String>,
    /// `QueryId`.
    #[serde(default)]
    pub query_id: Option<String>,
    /// `QueryAlias`.
    #[serde(default)]
    pub query_alias: Option<String>,
    /// `RefreshId`.
    #[serde(default)]
    pub refresh_id: Option<String>,
    /// `EventDataStoreOwnerAccountId`.
    #[serde(default)]
    pub event_data_store_owner_account_id: Option<String>,
}

/// `QueryStatistics` of DescribeQuery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueryStatisticsForDescribeQuery {
    /// `EventsMatched`.
    pub events_matched: u64,
    /// `EventsScanned`.
    pub events_scanned: u64,
    /// `BytesScanned`.
    pub bytes_scanned: u64,
    /// `ExecutionTimeInMillis`.
    pub execution_time_in_millis: i64,
    /// `CreationTime`, epoch seconds.
    pub creation_time: f64,
}

/// The response body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeQueryResponse {
    /// `QueryId`.
    pub query_id: String,
    /// `QueryString`.
    pub query_string: String,
    /// `QueryStatus`.
    pub query_status: String,
    /// `QueryStatistics`.
    pub query_statistics: QueryStatisticsForDescribeQuery,
    /// `ErrorMessage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// `DeliveryS3Uri`.
    #[serde(
        default,
        rename = "DeliveryS3Uri",
        skip_serializing_if = "Option::is_none"
    )]
    pub delivery_s3_uri: Option<String>,
    /// `DeliveryStatus`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_status: Option<String>,
    /// `EventDataStoreOwnerAccountId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_data_store_owner_account_id: Option<String>,
}

/// Handles one `DescribeQuery` call.
///
/// # Errors
///
/// `QueryIdNotFoundException`, `InactiveEventDataStoreException`, or
/// `InvalidParameterException` without a `QueryId`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: DescribeQueryRequest,
) -> Result<DescribeQueryResponse, ApiError> {
    if request.query_alias.is_some() || request.refresh_id.is_some() {
        return Err(ApiError::new(
            ErrorCode::UnsupportedOperationException,
            "QueryAlias and RefreshId describe the queries of CloudTrail Lake dashboards, which OpenTrail does not have",
        ));
    }
    let Some(query_id) = request.query_id else {
        return Err(ApiError::new(
            ErrorCode::InvalidParameterException,
            "DescribeQuery needs a QueryId",
        ));
    };
    let described = services.queries.describe(&scope.account_id, &query_id)?;
    check_stores_active(services, &lake_caller(scope), &described.store_ids)?;
    Ok(DescribeQueryResponse {
        query_id: described.query_id,
        query_string: described.query_string,
        query_status: described.status.as_str().to_owned(),
        query_statistics: QueryStatisticsForDescribeQuery {
            events_matched: described.statistics.events_matched,
            events_scanned: described.statistics.events_scanned,
            bytes_scanned: described.statistics.bytes_scanned,
            execution_time_in_millis: clamp_millis(described.statistics.execution_time_millis),
            creation_time: described.statistics.creation_time.as_epoch_seconds_f64(),
        },
        error_message: described.error_message,
        delivery_s3_uri: described.delivery_s3_uri,
        delivery_status: described
            .delivery_status
            .map(|status| status.as_str().to_owned()),
        event_data_store_owner_account_id: described.owner_account,
    })
}
