//! `POST /PutAuditEvents`: the CloudTrail Data API (REST-JSON, signing name
//! `cloudtrail-data`; spec `events-and-queries.md` §3.6).
//!
//! The caller's key must be allowed to ingest and belong to the channel's account; when
//! the channel's resource policy names `cloudtrail:ExternalId` values, `externalId` must be
//! one of them. Accepted events are stored as `ActivityAuditLog` records in the journal,
//! answered only after the fsync; the Lake writers of the channel's destination stores
//! take them from there. The channel's ingestion status records each call.

use std::sync::Arc;

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderValue, Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use opentrail_dataapi::{
    ERROR_TYPE_HEADER, IngestContext, PutAuditEventsQuery, PutAuditEventsResponse, RequestError,
    RequestErrorCode, RequestLimits,
};
use opentrail_journal::AppendEntry;
use opentrail_lake::{Channel, IngestionAttempt};

use crate::http::{Signing, State, authenticate_for, read_body};

type HttpResponse = Response<Full<Bytes>>;

/// Handles one `PutAuditEvents` call.
pub(crate) async fn put_audit_events(
    state: &Arc<State>,
    request: Request<Incoming>,
) -> HttpResponse {
    match handle(state, request).await {
        Ok(response) => {
            let body = serde_json::to_vec(&response).unwrap_or_else(|_| b"{}".to_vec());
            respond(StatusCode::OK, body, None)
        }
        Err(Refusal::Data(error)) => {
            let response = error.to_error_response();
            let status = StatusCode::from_u16(response.status()).unwrap_or(StatusCode::BAD_REQUEST);
            respond(status, response.body(), Some(response.error_type()))
        }
        Err(Refusal::Api(error)) => {
            // Authentication and transport failures keep the control plane's codes.
            let status = match error.code.http_status() {
                400 if error.code.as_str().contains("Signature")
                    || error.code.as_str().contains("Client")
                    || error.code.as_str().contains("Token")
                    || error.code.as_str() == "AccessDeniedException" =>
                {
                    StatusCode::FORBIDDEN
                }
                other => StatusCode::from_u16(other).unwrap_or(StatusCode::BAD_REQUEST),
            };
            let body = serde_json::json!({"__type": error.code.as_str(), "message": error.message});
            respond(
                status,
                body.to_string().into_bytes(),
                Some(error.code.as_str()),
            )
        }
    }
}

enum Refusal {
    Data(RequestError),
    Api(opentrail_api::ApiError),
}

impl From<RequestError> for Refusal {
    fn from(error: RequestError) -> Refusal {
        Refusal::Data(error)
    }
}

async fn handle(
    state: &Arc<State>,
    request: Request<Incoming>,
) -> Result<PutAuditEventsResponse, Refusal> {
    let (parts, body) = request.into_parts();
    // A little over the Data API's 1 MB, so that the check below names the limit.
    let body = read_body(
        state,
        &parts.headers,
        body,
        opentrail_dataapi::MAX_REQUEST_BODY_BYTES as u64 + 1,
    )
    .await
    .map_err(|failure| Refusal::Api(failure.into_error()))?;
    let caller = authenticate_for(state, &parts, &body, Signing::Data)
        .await
        .map_err(|(error, _)| Refusal::Api(error))?;
    if !caller.principal.permission.allows_ingest() {
        return Err(RequestError::new(
            RequestErrorCode::ChannelInsufficientPermission,
            format!(
                "the key `{}` is read-only: it may not send events",
                caller.access_key_id
            ),
        )
        .into());
    }
    let query = PutAuditEventsQuery::from_query_string(parts.uri.query().unwrap_or(""))?;
    let channel = find_channel(state, &query, &caller.region)?;
    if channel.account_id != caller.principal.account_id {
        return Err(RequestError::new(
            RequestErrorCode::ChannelInsufficientPermission,
            format!(
                "account `{}` does not own the channel `{}`",
                caller.principal.account_id, channel.arn
            ),
        )
        .into());
    }
    check_external_id(&channel, query.external_id.as_deref())?;
    let lake = Arc::clone(&state.engine.lake);
    let now = state.clock.now();
    let checked = match opentrail_dataapi::check_request(&body, RequestLimits::default()) {
        Ok(checked) => checked,
        Err(error) => {
            record(&lake, &channel, now, None, Some(error.kind().as_str()));
            return Err(error.into());
        }
    };
    let ids = state.ids.clone();
    let context = IngestContext {
        channel_arn: &channel.arn,
        channel_owner_account: &channel.account_id,
        region: &channel.region,
        now,
        ids: &ids,
    };
    let outcomes = opentrail_dataapi::build_records(&checked, &context);
    let entries: Vec<AppendEntry> = outcomes
        .iter()
        .filter_map(|outcome| outcome.as_ref().ok())
        .map(|stored| AppendEntry::new(stored.event_id.clone(), stored.json.clone()))
        .collect();
    if !entries.is_empty() {
        state
            .engine
            .journal
            .append_async(entries)
            .await
            .map_err(|error| {
                record(&lake, &channel, now, None, Some("InternalFailure"));
                Refusal::Data(RequestError::new(
                    RequestErrorCode::InternalFailure,
                    format!("the events could not be stored: {error}"),
                ))
            })?;
    }
    let last_success = outcomes
        .iter()
        .rev()
        .find_map(|outcome| outcome.as_ref().ok())
        .map(|stored| stored.event_id.clone());
    let first_error = outcomes
        .iter()
        .find_map(|outcome| outcome.as_ref().err())
        .map(|failure| failure.error_code.as_str());
    // A call with successes and failures counts as a success for its good events, then
    // as an attempt that failed with the first error.
    // The failed attempt keeps the call's last stored event as its attempt event.
    if last_success.is_some() {
        record(&lake, &channel, now, last_success.clone(), None);
    }
    if first_error.is_some() || outcomes.is_empty() {
        record(&lake, &channel, now, last_success, first_error);
    }
    Ok(PutAuditEventsResponse::from_outcomes(outcomes.iter()))
}

/// The channel the query names, among the channels of the Region the call is signed for.
fn find_channel(
    state: &State,
    query: &PutAuditEventsQuery,
    region: &str,
) -> Result<Channel, RequestError> {
    let id = query.channel.id();
    state
        .engine
        .lake
        .channels_snapshot()
        .into_iter()
        .find(|channel| channel.id == id && channel.region == region)
        .ok_or_else(|| {
            RequestError::new(
                RequestErrorCode::ChannelNotFound,
                format!("no channel `{id}` in {region}"),
            )
        })
}

/// When the channel's resource policy has `cloudtrail:ExternalId` conditions, the call's
/// `externalId` must be one of their values.
fn check_external_id(channel: &Channel, given: Option<&str>) -> Result<(), RequestError> {
    let Some(policy) = &channel.resource_policy else {
        return Ok(());
    };
    let Ok(policy) = serde_json::from_str::<serde_json::Value>(policy) else {
        return Ok(());
    };
    let mut wanted = Vec::new();
    collect_external_ids(&policy, &mut wanted);
    if wanted.is_empty() || given.is_some_and(|given| wanted.iter().any(|value| value == given)) {
        return Ok(());
    }
    Err(RequestError::new(
        RequestErrorCode::ChannelInsufficientPermission,
        format!(
            "the channel's resource policy requires an externalId{}",
            if given.is_some() {
                " other than the one given"
            } else {
                ""
            }
        ),
    ))
}

fn collect_external_ids(value: &serde_json::Value, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(members) => {
            for (name, member) in members {
                if name.eq_ignore_ascii_case("cloudtrail:ExternalId") {
                    match member {
                        serde_json::Value::String(text) => found.push(text.clone()),
                        serde_json::Value::Array(items) => found.extend(
                            items
                                .iter()
                                .filter_map(|item| item.as_str().map(str::to_owned)),
                        ),
                        _ => {}
                    }
                } else {
                    collect_external_ids(member, found);
                }
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                collect_external_ids(item, found);
            }
        }
        _ => {}
    }
}

fn record(
    lake: &opentrail_lake::Lake,
    channel: &Channel,
    time: opentrail_types::Timestamp,
    event_id: Option<String>,
    error_code: Option<&str>,
) {
    let attempt = IngestionAttempt {
        time,
        event_id,
        error_code: error_code.map(str::to_owned),
    };
    if let Err(error) = lake.record_ingestion(&channel.arn, attempt) {
        tracing::warn!(channel = %channel.arn, %error, "the channel's ingestion status cannot be saved");
    }
}

fn respond(status: StatusCode, body: Vec<u8>, error_type: Option<&str>) -> HttpResponse {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(error_type) = error_type
        && let Ok(value) = HeaderValue::from_str(error_type)
    {
        headers.insert(ERROR_TYPE_HEADER, value);
    }
    response
}
