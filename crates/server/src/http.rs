//! The HTTP front: connections, routes, body limits, authentication, self-audit.
//!
//! Routes:
//!
//! | Route | What |
//! | --- | --- |
//! | `POST /` | CloudTrail's API (AWS JSON 1.1, `X-Amz-Target`), SigV4 |
//! | `POST /ingest` | records from other systems ([`crate::ingest`]), SigV4, ingest permission |
//! | `GET /healthz` | `{"status":"ok",…}` (503 `draining` during shutdown); no authentication |
//! | `GET /metrics` | Prometheus text ([`crate::metrics`]); no authentication |
//!
//! Every response to `POST` routes carries `x-amzn-RequestId`; errors are
//! `{"__type": "<code>", "message": "…"}` with the code's HTTP status.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{CONNECTION, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, USER_AGENT};
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use opentrail_api::events::{EventsOperation, EventsServices};
use opentrail_api::{ApiError, ErrorCode, Operation, Scope, Services};
use opentrail_journal::{AppendEntry, AppendOutcome, Attachment};
use opentrail_sigv4::Verifier;
use opentrail_types::{SharedClock, SharedIds};

use crate::audit::{self, ApiCall, Caller};
use crate::engine::Engine;
use crate::ingest::{self, BodyFormat, IngestCaller, IngestResponse};
use crate::metrics::{AuditRecorded, EngineGauges, RecordsIngested, RequestCompleted};
use crate::principals::KeyRegistry;

/// `Content-Type` of JSON 1.1 responses.
const JSON_11: &str = "application/x-amz-json-1.1";
/// The request-id header botocore reads.
const REQUEST_ID_HEADER: &str = "x-amzn-requestid";
/// The operation name `/ingest` calls are recorded and counted under.
pub const INGEST_OPERATION: &str = "IngestRecords";

/// What every request handler shares.
#[derive(Debug)]
pub(crate) struct State {
    pub engine: Engine,
    pub keys: KeyRegistry,
    pub verifier: Verifier,
    /// The verifier of the Data API (signing name `cloudtrail-data`).
    pub data_verifier: Verifier,
    /// The verifier of the EventBridge API (signing name `events`).
    pub events_verifier: Verifier,
    /// The web console's sessions.
    pub console: crate::console::Console,
    /// The admin key's account: where records of sign-ins with unknown keys go.
    pub admin_account: String,
    pub clock: SharedClock,
    pub ids: SharedIds,
    pub draining: AtomicBool,
}

type HttpResponse = Response<Full<Bytes>>;

/// Routes one request.
pub(crate) async fn route(
    state: Arc<State>,
    peer: SocketAddr,
    request: Request<Incoming>,
) -> Result<HttpResponse, Infallible> {
    let path = request.uri().path();
    let response = match (request.method(), path) {
        (&Method::POST, "/") => api(&state, peer, request).await,
        (&Method::POST, "/ingest") => ingest_route(&state, peer, request).await,
        (&Method::POST, opentrail_dataapi::REQUEST_PATH) => {
            crate::data_api::put_audit_events(&state, request).await
        }
        (&Method::GET, "/healthz") => health(&state),
        (&Method::GET, "/" | "/console") if state.engine.config.console.enabled => {
            crate::console::redirect("/console/")
        }
        (_, path) if path.starts_with("/console/") && state.engine.config.console.enabled => {
            crate::console::route(&state, peer, request).await
        }
        (&Method::GET, "/metrics") => metrics_page(&state),
        (method, "/" | "/ingest" | "/healthz" | "/metrics") => {
            let error = ApiError::new(
                ErrorCode::UnknownOperationException,
                format!("method `{method}` is not allowed on `{path}`"),
            );
            error_response(&error, &state.ids.uuid(), StatusCode::METHOD_NOT_ALLOWED)
        }
        (_, path) => {
            let error = ApiError::new(
                ErrorCode::UnknownOperationException,
                format!(
                    "no route `{}`; the API is `POST /`",
                    path.chars().take(200).collect::<String>()
                ),
            );
            error_response(&error, &state.ids.uuid(), StatusCode::NOT_FOUND)
        }
    };
    Ok(response)
}

/// A failed request, and whether the connection can still be reused.
pub(crate) struct Failure {
    error: ApiError,
    /// The body was not read to its end: the connection must close.
    close: bool,
}

impl Failure {
    /// The error, for routes that answer in another error format.
    pub(crate) fn into_error(self) -> ApiError {
        self.error
    }
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Failure {
        Failure {
            error,
            close: false,
        }
    }
}

/// Reads the body, refusing more than `limit` bytes or a client slower than the request
/// timeout.
pub(crate) async fn read_body(
    state: &State,
    headers: &HeaderMap,
    body: Incoming,
    limit: u64,
) -> Result<Bytes, Failure> {
    let too_large = || Failure {
        error: ApiError::new(
            ErrorCode::RequestEntityTooLargeException,
            format!("the request body is larger than {limit} bytes"),
        ),
        close: true,
    };
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit) {
        return Err(too_large());
    }
    let limit_usize = usize::try_from(limit).unwrap_or(usize::MAX);
    let timeout = Duration::from_secs(state.engine.config.server.request_timeout_secs);
    match tokio::time::timeout(timeout, Limited::new(body, limit_usize).collect()).await {
        Err(_) => Err(Failure {
            error: ApiError::new(
                ErrorCode::RequestTimeoutException,
                format!(
                    "the request body did not arrive within {} seconds",
                    timeout.as_secs()
                ),
            ),
            close: true,
        }),
        Ok(Err(error)) if error.is::<http_body_util::LengthLimitError>() => Err(too_large()),
        Ok(Err(error)) => Err(Failure {
            error: ApiError::new(
                ErrorCode::SerializationException,
                format!("the request body could not be read: {error}"),
            ),
            close: true,
        }),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
    }
}

/// A signature check and who it names: the caller, or the error and the caller when the
/// key is known (the failed call is then recorded under that identity).
type Authenticated = Result<Caller, (ApiError, Option<Caller>)>;

/// Bodies up to this size are hashed for the signature check on the async thread (well
/// under half a millisecond); larger ones on the blocking pool.
const INLINE_HASH_BYTES: usize = 64 * 1024;

/// Checks the signature of a request whose body has been read, off the async thread when
/// the body is large (hashing 1.5 MB takes about a millisecond).
pub(crate) async fn authenticate(
    state: &Arc<State>,
    parts: &http::request::Parts,
    body: &Bytes,
) -> Authenticated {
    authenticate_for(state, parts, body, Signing::CloudTrail).await
}

/// Which signing name a request must be signed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signing {
    /// `cloudtrail`: CloudTrail's API and `/ingest`.
    CloudTrail,
    /// `cloudtrail-data`: the Data API.
    Data,
    /// `events`: the EventBridge API.
    Events,
}

/// As [`authenticate`], for the signing name of `signing`.
pub(crate) async fn authenticate_for(
    state: &Arc<State>,
    parts: &http::request::Parts,
    body: &Bytes,
    signing: Signing,
) -> Authenticated {
    if body.len() <= INLINE_HASH_BYTES {
        return check_signature(
            state,
            &parts.method,
            &parts.uri,
            &parts.headers,
            body,
            signing,
        );
    }
    let (worker, method, uri, headers, body) = (
        state.clone(),
        parts.method.clone(),
        parts.uri.clone(),
        parts.headers.clone(),
        body.clone(),
    );
    tokio::task::spawn_blocking(move || {
        check_signature(&worker, &method, &uri, &headers, &body, signing)
    })
    .await
    .unwrap_or_else(|error| {
        Err((
            internal(&format!("the signature check failed: {error}")).error,
            None,
        ))
    })
}

fn check_signature(
    state: &State,
    method: &Method,
    uri: &http::Uri,
    headers: &HeaderMap,
    body: &[u8],
    signing: Signing,
) -> Authenticated {
    let now_ms = state.clock.now().as_millis();
    let verifier = match signing {
        Signing::CloudTrail => &state.verifier,
        Signing::Data => &state.data_verifier,
        Signing::Events => &state.events_verifier,
    };
    let verified = verifier.verify(method, uri, headers, body, now_ms, |access_key_id| {
        state
            .keys
            .get(access_key_id)
            .map(|key| opentrail_sigv4::Secret::new(key.secret.expose()))
    });
    match verified {
        Ok(verified) => {
            let access_key_id = verified.access_key_id;
            match state.keys.get(&access_key_id) {
                Some(key) => Ok(Caller {
                    principal: key.principal.clone(),
                    access_key_id,
                    region: verified.region,
                }),
                // Verification looked the key up already; a key cannot vanish meanwhile.
                None => Err((
                    ApiError::new(
                        ErrorCode::UnrecognizedClientException,
                        "The security token included in the request is invalid.",
                    ),
                    None,
                )),
            }
        }
        Err(error) => {
            let caller = error.access_key_id().and_then(|access_key_id| {
                state.keys.get(access_key_id).map(|key| Caller {
                    principal: key.principal.clone(),
                    access_key_id: access_key_id.to_owned(),
                    region: state.engine.config.region.clone(),
                })
            });
            Err((ApiError::from(error), caller))
        }
    }
}

/// The self-audit record of a call, with what every request knows filled in;
/// parameters, response and error are set by the caller.
pub(crate) fn call_record<'a>(
    state: &'a State,
    request_id: &'a str,
    peer: SocketAddr,
    user_agent: Option<&'a str>,
    caller: &'a Caller,
    event_name: &'a str,
    read_only: bool,
) -> ApiCall<'a> {
    ApiCall {
        time: state.clock.now(),
        event_id: state.ids.uuid(),
        request_id,
        event_source: audit::EVENT_SOURCE,
        event_name,
        read_only,
        region: &caller.region,
        caller,
        source_ip: peer.ip().to_string(),
        user_agent,
        request_parameters: None,
        response_elements: None,
        error: None,
        from_console: false,
    }
}

fn access_denied(caller: &Caller, action: &str) -> ApiError {
    access_denied_in(caller, "cloudtrail", action)
}

pub(crate) fn access_denied_in(caller: &Caller, service: &str, action: &str) -> ApiError {
    ApiError::new(
        ErrorCode::AccessDeniedException,
        format!(
            "User: {} is not authorized to perform: {service}:{action} because its key's permission does not allow it",
            caller.principal.arn
        ),
    )
}

/// The operation a `POST /` names: CloudTrail's, or EventBridge's (`AWSEvents.`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum AnyOperation {
    CloudTrail(Operation),
    Events(EventsOperation),
}

impl AnyOperation {
    fn from_target(target: Option<&str>) -> Result<AnyOperation, ApiError> {
        if is_events_target(target) {
            EventsOperation::from_target(target).map(AnyOperation::Events)
        } else {
            Operation::from_target(target).map(AnyOperation::CloudTrail)
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            AnyOperation::CloudTrail(operation) => operation.name(),
            AnyOperation::Events(operation) => operation.name(),
        }
    }

    pub(crate) fn is_read_only(self) -> bool {
        match self {
            AnyOperation::CloudTrail(operation) => operation.is_read_only(),
            AnyOperation::Events(operation) => operation.is_read_only(),
        }
    }

    pub(crate) fn event_source(self) -> &'static str {
        match self {
            AnyOperation::CloudTrail(_) => audit::EVENT_SOURCE,
            AnyOperation::Events(_) => audit::EVENTS_SOURCE,
        }
    }

    /// The IAM-style action prefix in access-denied messages.
    pub(crate) fn service(self) -> &'static str {
        match self {
            AnyOperation::CloudTrail(_) => "cloudtrail",
            AnyOperation::Events(_) => "events",
        }
    }
}

/// Whether an `X-Amz-Target` names EventBridge's API.
fn is_events_target(target: Option<&str>) -> bool {
    target.is_some_and(|target| target.starts_with(opentrail_api::events::TARGET_PREFIX))
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// `POST /`: one CloudTrail or EventBridge API call.
async fn api(state: &Arc<State>, peer: SocketAddr, request: Request<Incoming>) -> HttpResponse {
    let started = Instant::now();
    let request_id = state.ids.uuid();
    let (parts, body) = request.into_parts();
    let target = header_text(&parts.headers, "x-amz-target");
    let signing = if is_events_target(target) {
        Signing::Events
    } else {
        Signing::CloudTrail
    };
    let operation = AnyOperation::from_target(target);
    let label = operation
        .as_ref()
        .map_or("Unknown", |operation| operation.name());

    let mut caller = None;
    let mut recorded_body = Bytes::new();
    let result: Result<Vec<u8>, Failure> = async {
        check_json_content_type(&parts.headers)?;
        let body = read_body(
            state,
            &parts.headers,
            body,
            state.engine.config.server.max_body_bytes,
        )
        .await?;
        recorded_body = body.clone();
        let known = match authenticate_for(state, &parts, &body, signing).await {
            Ok(known) => known,
            Err((error, known)) => {
                caller = known;
                return Err(error.into());
            }
        };
        caller = Some(known.clone());
        let operation = operation.clone().map_err(Failure::from)?;
        if !known
            .principal
            .permission
            .allows_call(operation.is_read_only())
        {
            return Err(access_denied_in(&known, operation.service(), operation.name()).into());
        }
        if state.draining.load(Ordering::Relaxed) {
            return Err(shutting_down().into());
        }
        let scope = Scope {
            account_id: known.principal.account_id.clone(),
            region: known.region.clone(),
        };
        Ok(dispatch(state, scope, operation, body).await?)
    }
    .await;

    let (response, status) = match &result {
        Ok(body) => (
            json_response(StatusCode::OK, body.clone(), &request_id),
            200,
        ),
        Err(failure) => failure_response(failure, &request_id),
    };
    if let (Some(caller), Ok(operation)) = (&caller, &operation) {
        let error = result.as_ref().err().map(|failure| &failure.error);
        let read_only = operation.is_read_only();
        let call = ApiCall {
            request_parameters: audit::request_parameters(&recorded_body),
            // Reads never log their response: do not parse it for nothing.
            response_elements: result
                .as_ref()
                .ok()
                .filter(|_| !read_only)
                .and_then(|body| serde_json::from_slice(body).ok()),
            error: error.map(|error| (error.code.as_str(), error.message.as_str())),
            event_source: operation.event_source(),
            ..call_record(
                state,
                &request_id,
                peer,
                header_text(&parts.headers, USER_AGENT.as_str()),
                caller,
                operation.name(),
                read_only,
            )
        };
        // A call that changed something answers only once its record is durable; reads
        // do not wait (their record commits with the next group commit, milliseconds later).
        let wait = !read_only && result.is_ok();
        record_audit_event(state, call, wait).await;
    }
    RequestCompleted {
        operation: label,
        status,
        seconds: started.elapsed().as_secs_f64(),
    }
    .emit();
    response
}

/// Runs one operation for a caller limited to `scope`, on the blocking pool (operations
/// touch files and indexes); the caller has been authenticated and authorised.
pub(crate) async fn dispatch(
    state: &Arc<State>,
    scope: Scope,
    operation: AnyOperation,
    body: Bytes,
) -> Result<Vec<u8>, ApiError> {
    let worker = state.clone();
    tokio::task::spawn_blocking(move || match operation {
        AnyOperation::CloudTrail(operation) => {
            let services = Services {
                history: &worker.engine.history,
                trails: &worker.engine.trails,
                lake: &worker.engine.lake,
                buckets: &worker.engine.buckets,
                topics: &opentrail_trails::NoTopics,
                keys: &worker.engine.keys,
                queries: worker.engine.lake_system.queries(),
                statements: worker.engine.lake_system.checker(),
                imports: worker.engine.lake_system.imports(),
                import_launcher: worker.engine.lake_system.as_ref(),
                insights: worker.engine.insights.as_ref(),
                now: worker.clock.now(),
            };
            opentrail_api::call(services, &scope, operation, &body)
        }
        AnyOperation::Events(operation) => {
            let destinations = worker.engine.rules.api_destination_names();
            let services = EventsServices {
                rules: worker.engine.rules.store(),
                api_destinations: &destinations,
                now: worker.clock.now(),
            };
            opentrail_api::events::call_events(services, &scope, operation, &body)
        }
    })
    .await
    .map_err(|error| internal(&format!("the request handler failed: {error}")).error)?
}

fn check_json_content_type(headers: &HeaderMap) -> Result<(), Failure> {
    let content_type = header_text(headers, CONTENT_TYPE.as_str()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case(JSON_11)
        || essence.eq_ignore_ascii_case("application/x-amz-json-1.0")
        || essence.eq_ignore_ascii_case("application/json")
    {
        return Ok(());
    }
    Err(Failure {
        error: ApiError::new(
            ErrorCode::SerializationException,
            format!(
                "content type `{}` is not accepted; CloudTrail's API takes `{JSON_11}`",
                content_type.chars().take(100).collect::<String>()
            ),
        ),
        close: true,
    })
}

pub(crate) fn shutting_down() -> ApiError {
    ApiError::new(
        ErrorCode::ServiceUnavailableException,
        "the server is shutting down; retry against its replacement",
    )
}

fn internal(detail: &str) -> Failure {
    tracing::error!(error = detail, "internal failure");
    Failure::from(ApiError::new(
        ErrorCode::InternalFailure,
        "an internal error occurred; the server log has the details",
    ))
}

/// The error response of a failed request; it closes the connection when the body was
/// not read to its end.
fn failure_response(failure: &Failure, request_id: &str) -> (HttpResponse, u16) {
    let status = status_of(&failure.error);
    let mut response = error_response(&failure.error, request_id, status);
    if failure.close {
        response
            .headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
    }
    (response, status.as_u16())
}

fn status_of(error: &ApiError) -> StatusCode {
    StatusCode::from_u16(error.code.http_status()).unwrap_or(StatusCode::BAD_REQUEST)
}

/// Appends a self-audit event (waiting for durability when `wait`).
pub(crate) async fn record_audit_event(state: &State, call: ApiCall<'_>, wait: bool) {
    let operation: &'static str = match Operation::from_name(call.event_name) {
        Some(operation) => operation.name(),
        None => INGEST_OPERATION,
    };
    let entry = match audit_entry(call) {
        Ok(entry) => entry,
        Err(error) => {
            AuditRecorded {
                recorded: false,
                operation,
                error: Some(error),
            }
            .emit();
            return;
        }
    };
    let outcome = if wait {
        state
            .engine
            .journal
            .append_async(vec![entry])
            .await
            .map(|_| ())
            .map_err(|error| error.to_string())
    } else {
        state
            .engine
            .journal
            .submit_async(vec![entry])
            .await
            .map_err(|error| error.to_string())
    };
    AuditRecorded {
        recorded: outcome.is_ok(),
        operation,
        error: outcome.err(),
    }
    .emit();
}

fn audit_entry(call: ApiCall<'_>) -> Result<AppendEntry, String> {
    let event = audit::record_call(call).map_err(|error| error.to_string())?;
    journal_entry(&event, "self-audit")
}

/// The journal entry of a record the server made itself (a self-audit or endpoint record),
/// with its lookup keys attached so history need not parse it again. `what` names the
/// record in the error.
pub(crate) fn journal_entry(
    event: &opentrail_event::Event,
    what: &str,
) -> Result<AppendEntry, String> {
    let event_id = event
        .event_id()
        .map(str::to_owned)
        .ok_or_else(|| format!("{what} record has no eventID"))?;
    let keys: Attachment = Arc::new(event.lookup_keys());
    Ok(AppendEntry::new(event_id, event.to_json()).with_attachment(keys))
}

/// `POST /ingest`.
async fn ingest_route(
    state: &Arc<State>,
    peer: SocketAddr,
    request: Request<Incoming>,
) -> HttpResponse {
    let started = Instant::now();
    let request_id = state.ids.uuid();
    let (parts, body) = request.into_parts();
    let mut caller = None;
    let mut parameters = None;
    let mut refused_count = 0usize;
    let mut audit_done = false;
    let result: Result<IngestResponse, Failure> = async {
        let body = read_body(
            state,
            &parts.headers,
            body,
            state.engine.config.server.max_body_bytes,
        )
        .await?;
        let known = match authenticate(state, &parts, &body).await {
            Ok(known) => known,
            Err((error, known)) => {
                caller = known;
                return Err(error.into());
            }
        };
        caller = Some(known.clone());
        if !known.principal.permission.allows_ingest() {
            return Err(access_denied(&known, INGEST_OPERATION).into());
        }
        if state.draining.load(Ordering::Relaxed) {
            return Err(shutting_down().into());
        }
        let format =
            BodyFormat::from_content_type(header_text(&parts.headers, CONTENT_TYPE.as_str()))?;
        let gzip = match header_text(&parts.headers, CONTENT_ENCODING.as_str()) {
            None => false,
            Some(encoding) if encoding.eq_ignore_ascii_case("gzip") => true,
            Some(encoding) if encoding.eq_ignore_ascii_case("identity") => false,
            Some(other) => {
                return Err(ApiError::new(
                    ErrorCode::SerializationException,
                    format!("content encoding `{other}` is not supported; use gzip or none"),
                )
                .into());
            }
        };
        let max_decoded = state.engine.config.server.max_decoded_body_bytes;
        let max_records = state.engine.config.ingest.max_records_per_request;
        let account_id = known.principal.account_id.clone();
        let may_use_other_accounts = known.principal.permission.may_ingest_for_other_accounts();
        let prepared = tokio::task::spawn_blocking(move || {
            let decoded = if gzip {
                opentrail_archive::gzip::decode_slice_capped(&body, max_decoded)
                    .map(|decoded| Bytes::from(decoded.bytes))
                    .map_err(|error| match error.kind() {
                        opentrail_archive::ErrorKind::TooLarge => ApiError::new(
                            ErrorCode::RequestEntityTooLargeException,
                            format!("the decoded request body is larger than {max_decoded} bytes"),
                        ),
                        _ => ApiError::new(
                            ErrorCode::SerializationException,
                            format!("the gzip body cannot be decoded: {error}"),
                        ),
                    })?
            } else {
                body
            };
            let caller = IngestCaller {
                account_id: &account_id,
                may_use_other_accounts,
            };
            ingest::prepare(&decoded, format, &caller, max_records)
        })
        .await
        .map_err(|error| internal(&format!("the ingest worker failed: {error}")))??;
        refused_count = prepared.failed.len();
        let request_parameters = serde_json::json!({
            "format": format.name(),
            "contentEncoding": if gzip { "gzip" } else { "identity" },
            "recordCount": prepared.records,
        });
        parameters = Some(request_parameters.clone());
        let accepted_in_request = prepared.entries.len();
        let mut entries = prepared.entries;
        // The call's own record rides in the same group commit as the records it carried.
        let call = ApiCall {
            request_parameters: Some(request_parameters),
            response_elements: Some(serde_json::json!({
                "recordsReceived": prepared.records,
                "recordsRefused": refused_count,
            })),
            ..call_record(
                state,
                &request_id,
                peer,
                header_text(&parts.headers, USER_AGENT.as_str()),
                &known,
                INGEST_OPERATION,
                false,
            )
        };
        let audit_appended = match audit_entry(call) {
            Ok(entry) => {
                entries.push(entry);
                true
            }
            Err(error) => {
                AuditRecorded {
                    recorded: false,
                    operation: INGEST_OPERATION,
                    error: Some(error),
                }
                .emit();
                false
            }
        };
        audit_done = true;
        let outcomes = state
            .engine
            .journal
            .append_async(entries)
            .await
            .map_err(|error| {
                if error.is_retryable() {
                    Failure::from(ApiError::new(
                        ErrorCode::ServiceUnavailableException,
                        format!("the journal cannot take events right now: {error}"),
                    ))
                } else {
                    internal(&format!("journal append failed: {error}"))
                }
            })?;
        if audit_appended {
            AuditRecorded {
                recorded: true,
                operation: INGEST_OPERATION,
                error: None,
            }
            .emit();
        }
        let mut response = IngestResponse {
            failed: prepared.failed,
            ..IngestResponse::default()
        };
        for outcome in outcomes.iter().take(accepted_in_request) {
            match outcome {
                AppendOutcome::Appended { .. } => response.accepted += 1,
                AppendOutcome::Duplicate { .. } => response.duplicates += 1,
            }
        }
        Ok(response)
    }
    .await;

    let (response, status) = match &result {
        Ok(ingested) => {
            RecordsIngested {
                accepted: ingested.accepted as u64,
                duplicates: ingested.duplicates as u64,
                rejected: refused_count as u64,
            }
            .emit();
            let body = serde_json::to_vec(ingested).unwrap_or_else(|_| b"{}".to_vec());
            (json_response(StatusCode::OK, body, &request_id), 200)
        }
        Err(failure) => failure_response(failure, &request_id),
    };
    if let (Some(caller), Err(failure), false) = (&caller, &result, audit_done) {
        let call = ApiCall {
            request_parameters: parameters,
            error: Some((failure.error.code.as_str(), failure.error.message.as_str())),
            ..call_record(
                state,
                &request_id,
                peer,
                header_text(&parts.headers, USER_AGENT.as_str()),
                caller,
                INGEST_OPERATION,
                false,
            )
        };
        record_audit_event(state, call, false).await;
    }
    RequestCompleted {
        operation: INGEST_OPERATION,
        status,
        seconds: started.elapsed().as_secs_f64(),
    }
    .emit();
    response
}

fn health(state: &State) -> HttpResponse {
    let committed = state.engine.journal.committed().next_seq;
    let indexed = state.engine.history.status().indexed_next_seq;
    let draining = state.draining.load(Ordering::Relaxed);
    let body = serde_json::json!({
        "status": if draining { "draining" } else { "ok" },
        "journalCommittedEvents": committed,
        "historyIndexedEvents": indexed,
        "historyLagEvents": committed.saturating_sub(indexed),
    });
    let status = if draining {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn metrics_page(state: &State) -> HttpResponse {
    let history = state.engine.history.status();
    EngineGauges {
        journal_next_seq: state.engine.journal.committed().next_seq,
        history_next_seq: history.indexed_next_seq,
        persisted_segments: history.persisted_segments,
        memory_segments: history.memory_segments,
    }
    .emit();
    let text = crate::metrics::handle().map_or_else(String::new, |handle| handle.render());
    let mut response = Response::new(Full::new(Bytes::from(text)));
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

fn json_response(status: StatusCode, body: Vec<u8>, request_id: &str) -> HttpResponse {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(JSON_11));
    if let Ok(value) = HeaderValue::from_str(request_id) {
        headers.insert(REQUEST_ID_HEADER, value);
    }
    response
}

fn error_response(error: &ApiError, request_id: &str, status: StatusCode) -> HttpResponse {
    json_response(status, error.to_json().into_bytes(), request_id)
}
