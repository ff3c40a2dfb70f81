//! One entry point for every CloudTrail operation: the body in, the response body out.
//! Works without a socket; the server adds transport, authentication and self-audit.

use std::fmt;

use opentrail_digest::KeyRing;
use opentrail_lake::Lake;
use opentrail_store::History;
use opentrail_trails::{BucketProbe, TopicDirectory, Trails};
use opentrail_types::Timestamp;

use crate::operation::Operation;
use crate::ops::import_shapes::ImportLauncher;
use crate::ops::list_insights_metric_data::InsightMetrics;
use crate::ops::query_shapes::StatementChecker;
use crate::ops::{
    add_tags, cancel_query, create_channel, create_event_data_store, create_trail, delete_channel,
    delete_event_data_store, delete_resource_policy, delete_trail, describe_query, describe_trails,
    get_channel, get_event_configuration, get_event_data_store, get_event_selectors, get_import,
    get_insight_selectors, get_query_results, get_resource_policy, get_trail, get_trail_status,
    list_channels, list_event_data_stores, list_import_failures, list_imports,
    list_insights_metric_data, list_public_keys, list_queries, list_tags, list_trails,
    lookup_events, put_event_configuration, put_event_selectors, put_insight_selectors,
    put_resource_policy, remove_tags, restore_event_data_store, start_event_data_store_ingestion,
    start_import, start_logging, start_query, stop_event_data_store_ingestion, stop_import,
    stop_logging, update_channel, update_event_data_store, update_trail,
};
use crate::{ApiError, ErrorCode};

/// What the caller may see and where it calls from: the events and trails of one
/// account, in one region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// The caller's account; only events whose `recipientAccountId` is this, and only
    /// this account's trails, are visible.
    pub account_id: String,
    /// The region the call is made in: trail names resolve among this region's trails,
    /// and trails can be changed only from their home region.
    pub region: String,
}

/// The parts of OpenTrail the operations work on.
#[derive(Clone, Copy)]
pub struct Services<'a> {
    /// Event history.
    pub history: &'a History,
    /// The trail registry.
    pub trails: &'a Trails,
    /// The Lake registry: event data stores and channels.
    pub lake: &'a Lake,
    /// Checks a trail's bucket on CreateTrail/UpdateTrail.
    pub buckets: &'a dyn BucketProbe,
    /// The SNS topics trails may notify.
    pub topics: &'a dyn TopicDirectory,
    /// Digest signing keys (ListPublicKeys).
    pub keys: &'a KeyRing,
    /// Lake queries.
    pub queries: &'a opentrail_queries::Queries,
    /// Checks Lake SQL statements (the SQL engine, provided by the server).
    pub statements: &'a dyn StatementChecker,
    /// Lake imports.
    pub imports: &'a opentrail_imports::Imports,
    /// Starts import runners (provided by the server).
    pub import_launcher: &'a dyn ImportLauncher,
    /// The Insights metric series (provided by the server).
    pub insights: &'a dyn InsightMetrics,
    /// The time of the call.
    pub now: Timestamp,
}

impl fmt::Debug for Services<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Services")
            .field("history", &self.history)
            .field("trails", &self.trails)
            .field("lake", &self.lake)
            .finish_non_exhaustive()
    }
}

/// Runs `operation` with the JSON `body` for a caller limited to `scope`; returns the
/// response body (a JSON object).
///
/// An empty body counts as `{}`. Members a request shape does not know are ignored, as
/// AWS does (botocore never sends any); a member of the wrong JSON type, or a missing
/// required member, is a `SerializationException`.
///
/// # Errors
///
/// `SerializationException` for a body that is not the operation's JSON shape,
/// `UnsupportedOperationException` for operations OpenTrail does not serve, and the
/// operation's own exceptions.
pub fn call(
    services: Services<'_>,
    scope: &Scope,
    operation: Operation,
    body: &[u8],
) -> Result<Vec<u8>, ApiError> {
    if let Some(error) = operation.unsupported_error() {
        return Err(error);
    }
    let body = empty_as_object(body);
    match operation {
        Operation::LookupEvents => {
            let request = parse(body)?;
            let response = lookup_events::handle_scoped(services.history, request, Some(scope))?;
            encode(&response)
        }
        Operation::CreateTrail => run(body, |request| {
            create_trail::handle(services, scope, request)
        }),
        Operation::UpdateTrail => run(body, |request| {
            update_trail::handle(services, scope, request)
        }),
        Operation::DeleteTrail => run(body, |request| {
            delete_trail::handle(services, scope, request)
        }),
        Operation::GetTrail => run(body, |request| get_trail::handle(services, scope, request)),
        Operation::DescribeTrails => run(body, |request| {
            describe_trails::handle(services, scope, request)
        }),
        Operation::ListTrails => run(body, |request| {
            list_trails::handle(services, scope, request)
        }),
        Operation::ListInsightsMetricData => run(body, |request| {
            list_insights_metric_data::handle(services, scope, request)
        }),
        Operation::ListPublicKeys => run(body, |request| {
            list_public_keys::handle(services, scope, request)
        }),
        Operation::GetTrailStatus => run(body, |request| {
            get_trail_status::handle(services, scope, request)
        }),
        Operation::StartLogging => run(body, |request| {
            start_logging::handle(services, scope, request)
        }),
        Operation::StopLogging => run(body, |request| {
            stop_logging::handle(services, scope, request)
        }),
        Operation::PutEventSelectors => run(body, |request| {
            put_event_selectors::handle(services, scope, request)
        }),
        Operation::GetEventSelectors => run(body, |request| {
            get_event_selectors::handle(services, scope, request)
        }),
        Operation::PutInsightSelectors => run(body, |request| {
            put_insight_selectors::handle(services, scope, request)
        }),
        Operation::GetInsightSelectors => run(body, |request| {
            get_insight_selectors::handle(services, scope, request)
        }),
        Operation::AddTags => run(body, |request| add_tags::handle(services, scope, request)),
        Operation::RemoveTags => run(body, |request| {
            remove_tags::handle(services, scope, request)
        }),
        Operation::ListTags => run(body, |request| list_tags::handle(services, scope, request)),
        Operation::CreateEventDataStore => run(body, |request| {
            create_event_data_store::handle(services, scope, request)
        }),
        Operation::GetEventDataStore => run(body, |request| {
            get_event_data_store::handle(services, scope, request)
        }),
        Operation::UpdateEventDataStore => run(body, |request| {
            update_event_data_store::handle(services, scope, request)
        }),
        Operation::ListEventDataStores => run(body, |request| {
            list_event_data_stores::handle(services, scope, request)
        }),
        Operation::DeleteEventDataStore => run(body, |request| {
            delete_event_data_store::handle(services, scope, request)
        }),
        Operation::RestoreEventDataStore => run(body, |request| {
            restore_event_data_store::handle(services, scope, request)
        }),
        Operation::StartEventDataStoreIngestion => run(body, |request| {
            start_event_data_store_ingestion::handle(services, scope, request)
        }),
        Operation::StopEventDataStoreIngestion => run(body, |request| {
            stop_event_data_store_ingestion::handle(services, scope, request)
        }),
        Operation::CreateChannel => run(body, |request| {
            create_channel::handle(services, scope, request)
        }),
        Operation::GetChannel => run(body, |request| {
            get_channel::handle(services, scope, request)
        }),
        Operation::UpdateChannel => run(body, |request| {
            update_channel::handle(services, scope, request)
        }),
        Operation::DeleteChannel => run(body, |request| {
            delete_channel::handle(services, scope, request)
        }),
        Operation::ListChannels => run(body, |request| {
            list_channels::handle(services, scope, request)
        }),
        Operation::PutEventConfiguration => run(body, |request| {
            put_event_configuration::handle(services, scope, request)
        }),
        Operation::GetEventConfiguration => run(body, |request| {
            get_event_configuration::handle(services, scope, request)
        }),
        Operation::PutResourcePolicy => run(body, |request| {
            put_resource_policy::handle(services, scope, request)
        }),
        Operation::GetResourcePolicy => run(body, |request| {
            get_resource_policy::handle(services, scope, request)
        }),
        Operation::DeleteResourcePolicy => run(body, |request| {
            delete_resource_policy::handle(services, scope, request)
        }),
        Operation::StartQuery => run(body, |request| {
            start_query::handle(services, scope, request)
        }),
        Operation::DescribeQuery => run(body, |request| {
            describe_query::handle(services, scope, request)
        }),
        Operation::GetQueryResults => run(body, |request| {
            get_query_results::handle(services, scope, request)
        }),
        Operation::CancelQuery => run(body, |request| {
            cancel_query::handle(services, scope, request)
        }),
        Operation::ListQueries => run(body, |request| {
            list_queries::handle(services, scope, request)
        }),
        Operation::StartImport => run(body, |request| {
            start_import::handle(services, scope, request)
        }),
        Operation::GetImport => run(body, |request| get_import::handle(services, scope, request)),
        Operation::StopImport => run(body, |request| {
            stop_import::handle(services, scope, request)
        }),
        Operation::ListImports => run(body, |request| {
            list_imports::handle(services, scope, request)
        }),
        Operation::ListImportFailures => run(body, |request| {
            list_import_failures::handle(services, scope, request)
        }),
        other => Err(ApiError::new(
            ErrorCode::InternalFailure,
            format!("{other} is marked implemented but has no handler"),
        )),
    }
}

/// Returns `body`, or `{}` when it is empty or only whitespace: AWS JSON services take an
/// empty body as an empty request.
pub(crate) fn empty_as_object(body: &[u8]) -> &[u8] {
    if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    }
}

/// Parses the body as the operation's request, runs `handler`, encodes its response.
///
/// Shared by the CloudTrail and EventBridge dispatchers: both are AWS JSON 1.1 services
/// and refuse a body of the wrong shape the same way.
pub(crate) fn run<Request, Response>(
    body: &[u8],
    handler: impl FnOnce(Request) -> Result<Response, ApiError>,
) -> Result<Vec<u8>, ApiError>
where
    Request: serde::de::DeserializeOwned,
    Response: serde::Serialize,
{
    let request = parse(body)?;
    encode(&handler(request)?)
}

/// Parses the body as a request; a body of the wrong shape is a `SerializationException`.
pub(crate) fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|error| {
        ApiError::new(
            ErrorCode::SerializationException,
            format!("the request body is not valid for the operation: {error}"),
        )
    })
}

/// Encodes a response body; a failure is a bug (`InternalFailure`).
pub(crate) fn encode<T: serde::Serialize>(response: &T) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(response).map_err(|error| {
        ApiError::new(
            ErrorCode::InternalFailure,
            format!("cannot encode the response: {error}"),
        )
    })
}
