//! The values callers pass in and get back: statuses, limits, requests and answers.

use std::time::Duration;

use opentrail_types::Timestamp;
use serde::{Deserialize, Serialize};

/// `QueryStatus` of botocore: where a query is in its life.
///
/// `QUEUED → RUNNING → FINISHED | FAILED | TIMED_OUT`, and `QUEUED | RUNNING → CANCELLED`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum QueryStatus {
    /// Accepted, waiting for a worker.
    Queued,
    /// A worker is executing it.
    Running,
    /// Ended with its complete results.
    Finished,
    /// Ended with an error (`ErrorMessage` says which).
    Failed,
    /// Cancelled by CancelQuery while queued or running.
    Cancelled,
    /// Ran past the time limit; the rows computed so far are kept.
    TimedOut,
}

impl QueryStatus {
    /// All six values, in botocore's order.
    pub const ALL: [QueryStatus; 6] = [
        QueryStatus::Queued,
        QueryStatus::Running,
        QueryStatus::Finished,
        QueryStatus::Failed,
        QueryStatus::Cancelled,
        QueryStatus::TimedOut,
    ];

    /// The wire spelling (`TIMED_OUT`).
    pub fn as_str(self) -> &'static str {
        match self {
            QueryStatus::Queued => "QUEUED",
            QueryStatus::Running => "RUNNING",
            QueryStatus::Finished => "FINISHED",
            QueryStatus::Failed => "FAILED",
            QueryStatus::Cancelled => "CANCELLED",
            QueryStatus::TimedOut => "TIMED_OUT",
        }
    }

    /// Parses the exact wire spelling; `None` for anything else (case matters).
    pub fn parse(text: &str) -> Option<QueryStatus> {
        QueryStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == text)
    }

    /// Whether the query is queued or running (it counts against the concurrency limit and
    /// can be cancelled).
    pub fn is_active(self) -> bool {
        matches!(self, QueryStatus::Queued | QueryStatus::Running)
    }
}

/// `DeliveryStatus` of botocore: how the delivery of results to `DeliveryS3Uri` went.
///
/// **[project decision]** (AWS does not document the intermediate values): `PENDING` while
/// the query is queued or running and while the files are being written; `SUCCESS` or the
/// sink's failure status after a `FINISHED` query; `CANCELLED` for a cancelled query;
/// `FAILED` for a `FAILED` or `TIMED_OUT` query (partial results are never delivered) and
/// for a delivery the server stopped in the middle of. Queries without `DeliveryS3Uri`
/// have no delivery status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DeliveryStatus {
    /// All result files were written.
    Success,
    /// Delivery failed for a reason not listed below, or was not attempted.
    Failed,
    /// The results were written but the sign file was not.
    FailedSigningFile,
    /// Not delivered yet.
    Pending,
    /// The bucket does not exist.
    ResourceNotFound,
    /// The bucket refused the write.
    AccessDenied,
    /// The bucket refused the write of the sign file.
    AccessDeniedSigningFile,
    /// The query was cancelled.
    Cancelled,
    /// Unknown.
    Unknown,
}

impl DeliveryStatus {
    /// The wire spelling (`ACCESS_DENIED`).
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Success => "SUCCESS",
            DeliveryStatus::Failed => "FAILED",
            DeliveryStatus::FailedSigningFile => "FAILED_SIGNING_FILE",
            DeliveryStatus::Pending => "PENDING",
            DeliveryStatus::ResourceNotFound => "RESOURCE_NOT_FOUND",
            DeliveryStatus::AccessDenied => "ACCESS_DENIED",
            DeliveryStatus::AccessDeniedSigningFile => "ACCESS_DENIED_SIGNING_FILE",
            DeliveryStatus::Cancelled => "CANCELLED",
            DeliveryStatus::Unknown => "UNKNOWN",
        }
    }
}

/// What an execution counted, as the engine reports it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Events read (`EventsScanned`).
    pub events_scanned: u64,
    /// Events that matched the statement's filters (`EventsMatched`).
    pub events_matched: u64,
    /// Bytes read (`BytesScanned`).
    pub bytes_scanned: u64,
}

/// Limits of the query service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryLimits {
    /// Queued plus running queries one account may have at once. Default 10 (the AWS quota).
    pub max_concurrent: usize,
    /// Worker threads that execute queries (0 is taken as 1). Default 2.
    pub workers: usize,
    /// How long a query may run before it ends `TIMED_OUT`. Default 1 hour.
    pub timeout: Duration,
    /// How long records and results are kept after a query ends; also the window of
    /// ListQueries. Default 7 days.
    pub results_retention: Duration,
    /// Largest stored result file, in bytes. A `FINISHED` result above it makes the query
    /// `FAILED`; partial rows of a `TIMED_OUT` query are cut to fit. Default 256 MiB.
    pub max_result_bytes: u64,
    /// Page size of GetQueryResults and ListQueries when the caller gives none. Default 1000.
    pub default_page: usize,
}

impl Default for QueryLimits {
    fn default() -> QueryLimits {
        QueryLimits {
            max_concurrent: 10,
            workers: 2,
            timeout: Duration::from_secs(3600),
            results_retention: Duration::from_secs(7 * 24 * 3600),
            max_result_bytes: 256 * 1024 * 1024,
            default_page: 1000,
        }
    }
}

/// A StartQuery, after the API layer has parsed the statement and resolved the stores it
/// names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartRequest {
    /// The caller's account; only it can see the query.
    pub account: String,
    /// `QueryStatement`, 1–10,000 characters.
    pub statement: String,
    /// IDs of the event data stores the statement reads (checked by the caller: existing,
    /// not pending deletion).
    pub store_ids: Vec<String>,
    /// `DeliveryS3Uri`: `s3://bucket[/prefix]`, at most 1024 characters.
    pub delivery_s3_uri: Option<String>,
    /// `EventDataStoreOwnerAccountId`, echoed in responses.
    pub owner_account: Option<String>,
}

/// `QueryStatistics` of DescribeQuery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryStatistics {
    /// `EventsMatched`.
    pub events_matched: u64,
    /// `EventsScanned`.
    pub events_scanned: u64,
    /// `BytesScanned`.
    pub bytes_scanned: u64,
    /// `ExecutionTimeInMillis`: time spent running so far (0 while queued).
    pub execution_time_millis: i64,
    /// `CreationTime`: when StartQuery accepted the query.
    pub creation_time: Timestamp,
}

/// The answer of DescribeQuery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryDescription {
    /// `QueryId`.
    pub query_id: String,
    /// `QueryString`: the statement as given.
    pub query_string: String,
    /// `QueryStatus`.
    pub status: QueryStatus,
    /// `QueryStatistics`.
    pub statistics: QueryStatistics,
    /// `ErrorMessage`, for `FAILED` and `TIMED_OUT` queries.
    pub error_message: Option<String>,
    /// `DeliveryS3Uri` as given to StartQuery.
    pub delivery_s3_uri: Option<String>,
    /// `DeliveryStatus`; `None` without `DeliveryS3Uri`.
    pub delivery_status: Option<DeliveryStatus>,
    /// `EventDataStoreOwnerAccountId` as given to StartQuery.
    pub owner_account: Option<String>,
    /// The stores the statement reads. Not on the wire: the API layer refuses the call with
    /// `InactiveEventDataStoreException` when one of them is pending deletion.
    pub store_ids: Vec<String>,
}

/// The answer of GetQueryResults.
///
/// `QueryResultRows` is `rows` zipped with `columns`: each row becomes a list of
/// single-entry objects `{column: value}` in column order, `None` as JSON `null`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultsPage {
    /// `QueryStatus`.
    pub status: QueryStatus,
    /// Column names of the rows (empty until results exist).
    pub columns: Vec<String>,
    /// This page's rows; empty unless `FINISHED` or `TIMED_OUT`.
    pub rows: Vec<Vec<Option<String>>>,
    /// `QueryStatistics.ResultsCount`: rows in this page.
    pub results_count: u64,
    /// `QueryStatistics.TotalResultsCount`: rows stored for the query.
    pub total_results_count: u64,
    /// `QueryStatistics.BytesScanned`.
    pub bytes_scanned: u64,
    /// `NextToken`; `None` on the last page.
    pub next_token: Option<String>,
    /// `ErrorMessage`, for `FAILED` and `TIMED_OUT` queries.
    pub error_message: Option<String>,
    /// The stores the statement reads (see [`QueryDescription::store_ids`]).
    pub store_ids: Vec<String>,
}

/// The answer of CancelQuery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelOutcome {
    /// `QueryId`.
    pub query_id: String,
    /// `QueryStatus`: always `CANCELLED` here (the executor is told to stop; its answer is
    /// discarded).
    pub status: QueryStatus,
    /// `EventDataStoreOwnerAccountId` as given to StartQuery.
    pub owner_account: Option<String>,
}

/// A ListQueries, with the store already resolved to its ID by the caller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQueriesRequest {
    /// The caller's account.
    pub account: String,
    /// The store ID from `EventDataStore`; queries that read it are listed.
    pub store_id: String,
    /// `StartTime`: earliest creation time listed (clamped to the retention window).
    pub start_time: Option<Timestamp>,
    /// `EndTime`: latest creation time listed.
    pub end_time: Option<Timestamp>,
    /// `QueryStatus`, as sent (checked here: `InvalidQueryStatusException`).
    pub status: Option<String>,
    /// `MaxResults`, 1–1000.
    pub max_results: Option<i64>,
    /// `NextToken` from the previous page of the same listing.
    pub next_token: Option<String>,
}

/// One entry of `Queries` in ListQueries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedQuery {
    /// `QueryId`.
    pub query_id: String,
    /// `QueryStatus`.
    pub status: QueryStatus,
    /// `CreationTime`.
    pub creation_time: Timestamp,
}

/// The answer of ListQueries: newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueriesPage {
    /// `Queries`.
    pub queries: Vec<ListedQuery>,
    /// `NextToken`; `None` on the last page.
    pub next_token: Option<String>,
}
