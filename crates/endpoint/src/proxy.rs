//! The reverse proxy: one listener per endpoint, each call identified, checked against the
//! endpoint policy, forwarded unchanged and recorded.
//!
//! A call, step by step:
//!
//! 1. The SigV4 credential scope (from `Authorization` or a presigned query) gives the
//!    access key id, Region and service; the request is not verified here (the upstream
//!    verifies it) and not changed.
//! 2. A query-protocol form body is read up to [`opentrail_identify::MAX_FORM_BODY`] bytes
//!    to find `Action`, then forwarded as read; every other body is streamed.
//! 3. The call is named ([`opentrail_identify::identify`]) and the caller resolved
//!    ([`Caller`]). The policy is evaluated with `aws:SourceIp`, `aws:SecureTransport`,
//!    `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:PrincipalOrgID`, `aws:username`
//!    and the service keys the request carries (`s3:prefix`, ...).
//! 4. Denied: the endpoint answers in the service's error shape ([`crate::shapes`]) after
//!    the `VpceAccessDenied` record is durable; nothing reaches the upstream.
//! 5. Allowed: the request goes upstream with hop-by-hop headers removed (and `Expect`
//!    unless it was signed: the proxy answers `100 Continue` itself). An error answer is
//!    read (up to [`MAX_ERROR_BODY`]) for its code, recorded, then sent; any other answer
//!    is streamed and its end waits for the records ([`crate::body`]).
//!
//! An upstream that cannot be reached gets a `503` in the service's shape, recorded with
//! `errorCode` `ServiceUnavailable`; one that does not answer within the endpoint's
//! `upstream_timeout` a `504` (`GatewayTimeout`). When the records of a call cannot be made durable, the
//! client does not get a complete answer: a `500` (`InternalError`) for answers not yet
//! sent, a broken-off body otherwise.

use std::collections::VecDeque;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http::header::{CONNECTION, HeaderName};
use http::{HeaderMap, Method, Request, Response, StatusCode, Uri};
use http_body::Body as _;
use http_body_util::BodyExt as _;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use opentrail_event::Event;
use opentrail_identify::Call;
use opentrail_policy::{Context as PolicyContext, Decision, Principal as PolicyPrincipal};
use opentrail_sigv4::{SignatureLocation, parse_presented};
use opentrail_types::Timestamp;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::body::{ClientBody, Recording, RecordingBody, UpstreamBody};
use crate::caller::{Caller, KnownPrincipal};
use crate::records::{
    AuthMethod, CallFacts, DENIED_CODE, DENIED_MESSAGE, has_data_events, records,
};
use crate::shapes::{self, DenialReason, Protocol};
use crate::spec::EndpointSpec;

/// The largest error answer read for its code; a longer one is streamed uncounted by code
/// (recorded with the status's name).
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// How long the request head may take to arrive.
const HEADER_TIMEOUT: Duration = Duration::from_secs(30);

/// What the endpoint needs from the server it runs in.
pub trait Host: Send + Sync + 'static {
    /// The registry principal of an access key, if any.
    fn principal(&self, access_key_id: &str) -> Option<Arc<KnownPrincipal>>;
    /// Appends `events` to the journal; the future ends when they are durable.
    fn record(
        &self,
        events: Vec<Event>,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;
    /// Now.
    fn now(&self) -> Timestamp;
    /// A new UUID (event ids, request ids).
    fn new_id(&self) -> String;
}

/// A running endpoint's shared state.
pub struct Endpoint {
    spec: EndpointSpec,
    host: Arc<dyn Host>,
    client: Client<HttpConnector, UpstreamBody>,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Endpoint")
            .field("id", &self.spec.id)
            .field("listen", &self.spec.listen)
            .field("upstream", &self.spec.upstream)
            .finish_non_exhaustive()
    }
}

impl Endpoint {
    /// An endpoint of `spec` recording through `host`.
    pub fn new(spec: EndpointSpec, host: Arc<dyn Host>) -> Arc<Endpoint> {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        connector.set_connect_timeout(Some(spec.connect_timeout));
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(60))
            .pool_timer(TokioTimer::new())
            .build(connector);
        Arc::new(Endpoint { spec, host, client })
    }

    /// The endpoint's definition.
    pub fn spec(&self) -> &EndpointSpec {
        &self.spec
    }

    /// Serves `listener` until `shutdown` completes, then lets in-flight calls finish (up
    /// to `grace`).
    pub async fn serve(
        self: Arc<Self>,
        listener: TcpListener,
        shutdown: impl Future<Output = ()>,
        grace: Duration,
    ) {
        let graceful = GracefulShutdown::new();
        let connections = Arc::new(Semaphore::new(self.spec.max_connections.max(1)));
        tokio::pin!(shutdown);
        loop {
            let permit = tokio::select! {
                () = &mut shutdown => break,
                permit = connections.clone().acquire_owned() => match permit {
                    Ok(permit) => permit,
                    Err(_) => break,
                },
            };
            let (stream, peer) = tokio::select! {
                () = &mut shutdown => break,
                accepted = listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(error) => {
                        tracing::warn!(endpoint = %self.spec.id, error = %error, "cannot accept a connection");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
            };
            let _ = stream.set_nodelay(true);
            let endpoint = Arc::clone(&self);
            let service = service_fn(move |request| {
                let endpoint = Arc::clone(&endpoint);
                async move { Ok::<_, std::convert::Infallible>(endpoint.handle(peer, request).await) }
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service);
            let connection = graceful.watch(connection);
            tokio::spawn(async move {
                let _permit = permit;
                if let Err(error) = connection.await {
                    tracing::debug!(error = %error, "endpoint connection ended with an error");
                }
            });
        }
        drop(listener);
        if tokio::time::timeout(grace, graceful.shutdown())
            .await
            .is_err()
        {
            tracing::warn!(endpoint = %self.spec.id, "in-flight calls did not finish in time");
        }
    }

    /// Handles one call.
    pub async fn handle(
        self: Arc<Self>,
        peer: SocketAddr,
        request: Request<Incoming>,
    ) -> Response<ClientBody> {
        let time = self.host.now();
        let (mut parts, body) = request.into_parts();
        let signature = parse_presented(&parts.uri, &parts.headers).ok().flatten();
        let (access_key_id, region, service, auth, signed_expect) = match &signature {
            Some(signature) => (
                Some(signature.access_key_id().to_owned()),
                signature.region().to_owned(),
                signature.service().to_owned(),
                match signature.location() {
                    SignatureLocation::Query => AuthMethod::Query,
                    SignatureLocation::Header => AuthMethod::Header,
                },
                signature
                    .signed_headers()
                    .iter()
                    .any(|name| name.eq_ignore_ascii_case("expect")),
            ),
            None => (
                None,
                self.spec.region.clone(),
                self.spec.default_service.clone(),
                AuthMethod::None,
                false,
            ),
        };

        // A query-protocol body is read (bounded) to find `Action`.
        let size = body.size_hint();
        let (form, prefix, rest) =
            if opentrail_identify::needs_form_body(&parts.method, &parts.headers) {
                match read_prefix(body, opentrail_identify::MAX_FORM_BODY).await {
                    Ok((prefix, rest)) => {
                        let form = rest.is_none().then(|| concat(&prefix));
                        (form, prefix, rest)
                    }
                    Err(_) => return self.client_went_away(),
                }
            } else {
                (None, VecDeque::new(), Some(body))
            };

        let identify_endpoint = opentrail_identify::Endpoint {
            s3_virtual_host_suffixes: &self.spec.virtual_host_suffixes,
            default_service: &self.spec.default_service,
        };
        let call = opentrail_identify::identify(
            &parts.method,
            &parts.uri,
            &parts.headers,
            &service,
            form.as_deref(),
            &identify_endpoint,
        );
        let known = access_key_id
            .as_deref()
            .and_then(|key| self.host.principal(key));
        let caller = Caller::resolve(access_key_id.as_deref(), known);
        let query_action = form.as_deref().is_some_and(has_action)
            || parts
                .uri
                .query()
                .is_some_and(|query| has_action(query.as_bytes()));
        let protocol = Protocol::of(&service, &parts.headers, query_action);
        let user_agent = header_text(&parts.headers, "user-agent");
        let facts = Facts {
            endpoint: Arc::clone(&self),
            time,
            call,
            caller,
            region,
            source_ip: peer.ip().to_string(),
            user_agent,
            auth,
        };

        let decision = self.evaluate(&facts);
        if !decision.is_allowed() {
            return facts.deny(&parts.method, protocol, &decision).await;
        }

        strip_hop_by_hop(&mut parts.headers);
        if !signed_expect {
            parts.headers.remove(http::header::EXPECT);
        }
        parts.uri = match upstream_uri(&self.spec.upstream, &parts.uri) {
            Some(uri) => uri,
            None => {
                return facts
                    .local_failure(
                        &parts.method,
                        protocol,
                        StatusCode::BAD_REQUEST,
                        "InvalidURI",
                        "the request URI cannot be forwarded",
                    )
                    .await;
            }
        };
        let counted = Arc::new(AtomicU64::new(0));
        let method = parts.method.clone();
        let upstream_request = Request::from_parts(
            parts,
            UpstreamBody::new(prefix, rest, Arc::clone(&counted), size),
        );
        let answer = match tokio::time::timeout(
            self.spec.upstream_timeout,
            self.client.request(upstream_request),
        )
        .await
        {
            Ok(Ok(answer)) => answer,
            Err(_) => {
                tracing::warn!(endpoint = %self.spec.id, timeout_secs = self.spec.upstream_timeout.as_secs(), "the upstream did not answer in time");
                return facts
                    .local_failure(
                        &method,
                        protocol,
                        StatusCode::GATEWAY_TIMEOUT,
                        "GatewayTimeout",
                        "the service behind the endpoint did not answer in time",
                    )
                    .await;
            }
            Ok(Err(error)) => {
                tracing::warn!(endpoint = %self.spec.id, error = %error, "the upstream cannot be reached");
                return facts
                    .local_failure(
                        &method,
                        protocol,
                        StatusCode::SERVICE_UNAVAILABLE,
                        "ServiceUnavailable",
                        "the endpoint could not reach the service behind it",
                    )
                    .await;
            }
        };
        facts.forward(answer, counted, &method, protocol).await
    }

    fn evaluate(&self, facts: &Facts) -> Decision {
        let mut context = PolicyContext::new();
        context.insert("aws:SourceIp", facts.source_ip.as_str());
        context.insert("aws:SecureTransport", "false");
        if let Some(account) = facts.caller.account_id() {
            context.insert("aws:PrincipalAccount", account);
        }
        if let Caller::Known { principal, .. } = &facts.caller {
            context.insert("aws:PrincipalArn", &principal.arn);
            context.insert("aws:username", &principal.user_name);
            context.insert("aws:userid", &principal.principal_id);
            context.insert("aws:PrincipalType", "User");
            if let Some(organization) = &self.spec.organization_id {
                context.insert("aws:PrincipalOrgID", organization);
            }
        }
        for (key, value) in &facts.call.condition_keys {
            context.insert(key, value);
        }
        let principal = match &facts.caller {
            Caller::Anonymous => None,
            caller => Some(PolicyPrincipal {
                arn: caller.arn(),
                account: caller.account_id(),
            }),
        };
        self.spec.policy.evaluate(&opentrail_policy::Request {
            action: &facts.call.action,
            resources: &facts.call.resources,
            principal,
            context: &context,
        })
    }

    fn client_went_away(&self) -> Response<ClientBody> {
        // The client broke off while sending its body: nothing was forwarded, and the
        // answer goes nowhere.
        let mut response = Response::new(ClientBody::full(Bytes::new()));
        *response.status_mut() = StatusCode::BAD_REQUEST;
        response
    }
}

/// The facts of one call gathered before it is forwarded.
struct Facts {
    endpoint: Arc<Endpoint>,
    time: Timestamp,
    call: Call,
    caller: Caller,
    region: String,
    source_ip: String,
    user_agent: Option<String>,
    auth: AuthMethod,
}

/// How a call ended, for its records.
struct Outcome {
    request_id: Option<String>,
    error: Option<(String, String)>,
    bytes_in: u64,
    bytes_out: u64,
    denied: bool,
}

impl Facts {
    /// Builds and appends the call's records; `Err` when they are not durable.
    fn record(&self, outcome: Outcome) -> Recording {
        let host = &self.endpoint.host;
        // Data event ids only for calls that have data events (an id is a random draw).
        let data_events = has_data_events(&self.call, outcome.denied);
        let data_id = || {
            if data_events {
                host.new_id()
            } else {
                String::new()
            }
        };
        let ids = [data_id(), data_id(), data_id()];
        let built = records(&CallFacts {
            time: self.time,
            network_event_id: host.new_id(),
            data_event_ids: ids,
            call: &self.call,
            caller: &self.caller,
            region: &self.region,
            source_ip: self.source_ip.clone(),
            user_agent: self.user_agent.as_deref(),
            request_id: outcome.request_id.as_deref(),
            error: outcome
                .error
                .as_ref()
                .map(|(code, message)| (code.as_str(), message.as_str())),
            endpoint_id: &self.endpoint.spec.id,
            owner_account: &self.endpoint.spec.owner_account,
            bytes_in: outcome.bytes_in,
            bytes_out: outcome.bytes_out,
            auth: self.auth,
            denied: outcome.denied,
        });
        let endpoint_id = self.endpoint.spec.id.clone();
        let events = match built {
            Ok(events) => events,
            Err(error) => {
                tracing::error!(endpoint = %endpoint_id, error = %error, "a call's record is invalid");
                return Box::pin(async { Err(()) });
            }
        };
        let appended = host.record(events);
        Box::pin(async move {
            appended.await.map_err(|error| {
                tracing::error!(endpoint = %endpoint_id, error = %error, "a call could not be recorded");
            })
        })
    }

    async fn deny(
        self,
        method: &Method,
        protocol: Protocol,
        decision: &Decision,
    ) -> Response<ClientBody> {
        let request_id = self.endpoint.host.new_id();
        let reason = match decision {
            Decision::ExplicitDeny { .. } => DenialReason::ExplicitDeny,
            _ => DenialReason::NoAllow,
        };
        let message = shapes::denial_message(
            self.caller.arn(),
            &self.call.action,
            self.call.resources.first().map(String::as_str),
            reason,
        );
        let recorded = self
            .record(Outcome {
                request_id: Some(request_id.clone()),
                error: Some((String::from(DENIED_CODE), String::from(DENIED_MESSAGE))),
                bytes_in: 0,
                bytes_out: 0,
                denied: true,
            })
            .await;
        if recorded.is_err() {
            return not_recorded(method, protocol, &request_id);
        }
        let (status, headers, body) = shapes::denial(protocol, method, &message, &request_id);
        response(status, headers, ClientBody::full(body))
    }

    /// A call the endpoint answered itself with an error (bad URI, upstream unreachable).
    async fn local_failure(
        self,
        method: &Method,
        protocol: Protocol,
        status: StatusCode,
        code: &str,
        message: &str,
    ) -> Response<ClientBody> {
        let request_id = self.endpoint.host.new_id();
        let recorded = self
            .record(Outcome {
                request_id: Some(request_id.clone()),
                error: Some((code.to_owned(), message.to_owned())),
                bytes_in: 0,
                bytes_out: 0,
                denied: false,
            })
            .await;
        if recorded.is_err() {
            return not_recorded(method, protocol, &request_id);
        }
        let (status, headers, body) =
            shapes::error(protocol, method, status, code, message, &request_id);
        response(status, headers, ClientBody::full(body))
    }

    /// Sends the upstream's answer on, recording the call.
    async fn forward(
        self,
        answer: Response<Incoming>,
        counted: Arc<AtomicU64>,
        method: &Method,
        protocol: Protocol,
    ) -> Response<ClientBody> {
        let (mut parts, body) = answer.into_parts();
        strip_hop_by_hop(&mut parts.headers);
        let status = parts.status;
        if status.is_client_error() || status.is_server_error() {
            // Errors are small: read one (bounded) for its code and message.
            let (prefix, rest) = read_prefix(body, MAX_ERROR_BODY).await.unwrap_or_default();
            let whole = rest.is_none().then(|| concat(&prefix));
            let (code, message) = shapes::upstream_error(
                status,
                &parts.headers,
                whole.as_deref().unwrap_or_default(),
            );
            let request_id = shapes::request_id(&parts.headers, whole.as_deref());
            let outcome = Outcome {
                request_id,
                error: Some((code, message)),
                bytes_in: counted.load(Ordering::Relaxed),
                bytes_out: 0,
                denied: false,
            };
            return match (whole, rest) {
                (Some(whole), _) => {
                    let outcome = Outcome {
                        bytes_out: whole.len() as u64,
                        ..outcome
                    };
                    if self.record(outcome).await.is_err() {
                        return not_recorded(method, protocol, "");
                    }
                    Response::from_parts(parts, ClientBody::full(whole))
                }
                (None, Some(rest)) => {
                    let recorder = self.recorder(outcome, counted);
                    Response::from_parts(
                        parts,
                        ClientBody::Streaming(Box::new(RecordingBody::new(prefix, rest, recorder))),
                    )
                }
                (None, None) => {
                    // The upstream broke off inside its error answer.
                    let _ = self.record(outcome).await;
                    response(
                        StatusCode::BAD_GATEWAY,
                        HeaderMap::new(),
                        ClientBody::full(Bytes::new()),
                    )
                }
            };
        }
        let outcome = Outcome {
            request_id: shapes::request_id(&parts.headers, None),
            error: None,
            bytes_in: 0,
            bytes_out: 0,
            denied: false,
        };
        if body.is_end_stream() || method == Method::HEAD {
            let outcome = Outcome {
                bytes_in: counted.load(Ordering::Relaxed),
                ..outcome
            };
            if self.record(outcome).await.is_err() {
                return not_recorded(method, protocol, "");
            }
            return Response::from_parts(parts, ClientBody::full(Bytes::new()));
        }
        let recorder = self.recorder(outcome, counted);
        Response::from_parts(
            parts,
            ClientBody::Streaming(Box::new(RecordingBody::new(
                VecDeque::new(),
                body,
                recorder,
            ))),
        )
    }

    /// The recording of a streamed answer, run when its last byte is in hand.
    fn recorder(self, outcome: Outcome, counted: Arc<AtomicU64>) -> crate::body::Recorder {
        Box::new(move |bytes_out| {
            self.record(Outcome {
                bytes_in: counted.load(Ordering::Relaxed),
                bytes_out,
                ..outcome
            })
        })
    }
}

/// The answer when a call's records are not durable: the call is not acknowledged.
fn not_recorded(method: &Method, protocol: Protocol, request_id: &str) -> Response<ClientBody> {
    let (status, headers, body) = shapes::error(
        protocol,
        method,
        StatusCode::INTERNAL_SERVER_ERROR,
        "InternalError",
        "the endpoint could not record the call; retry it",
        request_id,
    );
    response(status, headers, ClientBody::full(body))
}

fn response(status: StatusCode, headers: HeaderMap, body: ClientBody) -> Response<ClientBody> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    response
}

/// Reads frames of `body` until more than `limit` bytes or its end. Returns the frames read
/// and, when the end was not reached, the rest.
async fn read_prefix(
    mut body: Incoming,
    limit: usize,
) -> Result<(VecDeque<Bytes>, Option<Incoming>), hyper::Error> {
    let mut prefix = VecDeque::new();
    let mut length = 0usize;
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame?.into_data() {
            length += data.len();
            prefix.push_back(data);
            if length > limit {
                return Ok((prefix, Some(body)));
            }
        }
    }
    Ok((prefix, None))
}

fn concat(chunks: &VecDeque<Bytes>) -> Bytes {
    if chunks.len() == 1 {
        return chunks[0].clone();
    }
    let mut whole = Vec::with_capacity(chunks.iter().map(Bytes::len).sum());
    for chunk in chunks {
        whole.extend_from_slice(chunk);
    }
    Bytes::from(whole)
}

fn has_action(form: &[u8]) -> bool {
    form.split(|byte| *byte == b'&')
        .any(|pair| pair.starts_with(b"Action="))
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

/// Headers that describe one hop, not the message (RFC 9110 §7.6.1): never forwarded.
const HOP_BY_HOP: [&str; 8] = [
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

fn strip_hop_by_hop(headers: &mut HeaderMap) {
    let named: Vec<HeaderName> = headers
        .get_all(CONNECTION)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
        .collect();
    for name in named {
        headers.remove(name);
    }
    for name in HOP_BY_HOP {
        headers.remove(name);
    }
}

/// The call's URI on the upstream: its scheme and authority, the call's path and query.
fn upstream_uri(upstream: &Uri, call: &Uri) -> Option<Uri> {
    let mut parts = http::uri::Parts::default();
    parts.scheme = upstream.scheme().cloned();
    parts.authority = upstream.authority().cloned();
    parts.path_and_query = Some(
        call.path_and_query()
            .cloned()
            .unwrap_or_else(|| http::uri::PathAndQuery::from_static("/")),
    );
    Uri::from_parts(parts).ok()
}
