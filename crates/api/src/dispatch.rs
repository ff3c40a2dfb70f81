//! One entry point for every CloudTrail operation: the body in, the response body out.
//! Works without a socket; the server adds transport, authentication and self-audit.

use opentrail_store::History;

use crate::operation::Operation;
use crate::ops::lookup_events;
use crate::{ApiError, ErrorCode};

/// What the caller may see: the events of one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// The caller's account; only events whose `recipientAccountId` is this are visible.
    pub account_id: String,
}

/// The parts of OpenTrail the operations work on.
#[derive(Debug, Clone, Copy)]
pub struct Services<'a> {
    /// Event history.
    pub history: &'a History,
}

/// Runs `operation` with the JSON `body` for a caller limited to `scope`; returns the
/// response body (a JSON object).
///
/// An empty body counts as `{}`.
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
        other => Err(ApiError::new(
            ErrorCode::InternalFailure,
            format!("{other} is marked implemented but has no handler"),
        )),
    }
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
