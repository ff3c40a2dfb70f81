//! One entry point for every CloudTrail operation: the body in, the response body out.
//! Works without a socket; the server adds transport, authentication and self-audit.

use std::fmt;

use opentrail_digest::KeyRing;
use opentrail_store::History;
use opentrail_trails::{BucketProbe, TopicDirectory, Trails};
use opentrail_types::Timestamp;

use crate::operation::Operation;
use crate::ops::{
    add_tags, create_trail, delete_trail, describe_trails, get_event_selectors,
    get_insight_selectors, get_trail, get_trail_status, list_public_keys, list_tags, list_trails,
    lookup_events, put_event_selectors, put_insight_selectors, remove_tags, start_logging,
    stop_logging, update_trail,
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
    /// Checks a trail's bucket on CreateTrail/UpdateTrail.
    pub buckets: &'a dyn BucketProbe,
    /// The SNS topics trails may notify.
    pub topics: &'a dyn TopicDirectory,
    /// Digest signing keys (ListPublicKeys).
    pub keys: &'a KeyRing,
    /// The time of the call.
    pub now: Timestamp,
}

impl fmt::Debug for Services<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Services")
            .field("history", &self.history)
            .field("trails", &self.trails)
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
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
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
        other => Err(ApiError::new(
            ErrorCode::InternalFailure,
            format!("{other} is marked implemented but has no handler"),
        )),
    }
}

/// Parses the body as the operation's request, runs `handler`, encodes its response.
fn run<Request, Response>(
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

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|error| {
        ApiError::new(
            ErrorCode::SerializationException,
            format!("the request body is not valid for the operation: {error}"),
        )
    })
}

fn encode<T: serde::Serialize>(response: &T) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(response).map_err(|error| {
        ApiError::new(
            ErrorCode::InternalFailure,
            format!("cannot encode the response: {error}"),
        )
    })
}
