//! The proxy against a real upstream on 127.0.0.1 (a small hyper server that echoes what
//! it received): calls pass unaltered both ways, bodies stream, errors are read for their
//! code, denials never reach the upstream, and no answer completes before its records are
//! durable.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt as _, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};
use opentrail_endpoint::{Endpoint, EndpointSpec, Host, KnownPrincipal};
use opentrail_event::Event;
use opentrail_policy::Policy;
use opentrail_sigv4::{Credentials, SigningParams, sign};
use opentrail_types::Timestamp;
use serde_json::Value;
use tokio::net::TcpListener;

const MEMBER_KEY: &str = "AKIAMEMBER0000000001";
const OWNER: &str = "210987654321";
const ENDPOINT_ID: &str = "vpce-0a1b2c3d4e5f60718";

/// What the test host saw and how it behaves.
#[derive(Default)]
struct Recorded {
    events: Mutex<Vec<Value>>,
    delay_ms: AtomicU64,
    failing: AtomicBool,
    next_id: AtomicU64,
}

/// Records kept in memory; recording can be slowed down or made to fail.
#[derive(Clone, Default)]
struct TestHost(Arc<Recorded>);

impl Host for TestHost {
    fn principal(&self, access_key_id: &str) -> Option<Arc<KnownPrincipal>> {
        (access_key_id == MEMBER_KEY).then(|| {
            Arc::new(KnownPrincipal {
                account_id: String::from("111122223333"),
                arn: String::from("arn:aws:iam::111122223333:user/member"),
                user_name: String::from("member"),
                principal_id: String::from("AIDAMEMBER"),
            })
        })
    }

    fn record(
        &self,
        events: Vec<Event>,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send>> {
        let shared = Arc::clone(&self.0);
        let parsed: Vec<Value> = events
            .iter()
            .map(|event| serde_json::from_slice(&event.to_json()).unwrap())
            .collect();
        Box::pin(async move {
            let delay = shared.delay_ms.load(Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(delay)).await;
            if shared.failing.load(Ordering::SeqCst) {
                return Err(String::from("the disk is full"));
            }
            shared.events.lock().unwrap().extend(parsed);
            Ok(())
        })
    }

    fn now(&self) -> Timestamp {
        Timestamp::parse_event_time("2026-11-22T10:00:00Z").unwrap()
    }

    fn new_id(&self) -> String {
        let number = self.0.next_id.fetch_add(1, Ordering::SeqCst);
        format!("00000000-0000-4000-8000-{number:012}")
    }
}

impl TestHost {
    fn events(&self) -> Vec<Value> {
        self.0.events.lock().unwrap().clone()
    }
}

/// What the upstream received: method, path and query, headers, body.
type Seen = Arc<Mutex<Vec<(String, String, http::HeaderMap, Bytes)>>>;

/// An S3-like upstream: `GET /bucket/big` answers `size` bytes, `/bucket/missing` an S3
/// `NoSuchKey` error, anything else echoes the request body with `x-amz-request-id`.
async fn upstream(size: usize) -> (SocketAddr, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let seen: Seen = Arc::default();
    let recorder = Arc::clone(&seen);
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let recorder = Arc::clone(&recorder);
            tokio::spawn(async move {
                let service = service_fn(move |request: Request<Incoming>| {
                    let recorder = Arc::clone(&recorder);
                    async move {
                        let (parts, body) = request.into_parts();
                        let body = body.collect().await.unwrap().to_bytes();
                        let target = parts.uri.path_and_query().unwrap().to_string();
                        recorder.lock().unwrap().push((
                            parts.method.to_string(),
                            target.clone(),
                            parts.headers.clone(),
                            body.clone(),
                        ));
                        let response = if target.starts_with("/bucket/missing") {
                            Response::builder()
                                .status(404)
                                .header("x-amz-request-id", "UPSTREAM-404")
                                .header("content-type", "application/xml")
                                .body(Full::new(Bytes::from_static(b"<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>")))
                        } else if target.starts_with("/bucket/big")
                            && parts.method == http::Method::GET
                        {
                            Response::builder()
                                .header("x-amz-request-id", "UPSTREAM-BIG")
                                .body(Full::new(Bytes::from(vec![b'z'; size])))
                        } else {
                            Response::builder()
                                .header("x-amz-request-id", "UPSTREAM-OK")
                                .header("etag", "\"abc\"")
                                .body(Full::new(body))
                        };
                        Ok::<_, Infallible>(response.unwrap())
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (address, seen)
}

async fn endpoint(upstream: SocketAddr, policy: Policy, host: &TestHost) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let listen = listener.local_addr().unwrap();
    let spec = EndpointSpec {
        id: String::from(ENDPOINT_ID),
        owner_account: String::from(OWNER),
        listen,
        upstream: format!("http://{upstream}").parse().unwrap(),
        region: String::from("us-east-1"),
        default_service: String::from("s3"),
        virtual_host_suffixes: Vec::new(),
        policy,
        organization_id: Some(String::from("o-test")),
        connect_timeout: Duration::from_secs(2),
        upstream_timeout: Duration::from_millis(500),
        max_connections: 64,
    };
    let endpoint = Endpoint::new(spec, Arc::new(host.clone()));
    tokio::spawn(endpoint.serve(listener, std::future::pending(), Duration::from_secs(1)));
    listen
}

/// A SigV4-signed S3 request (the signature is real; the proxy does not check it).
fn signed(method: &str, url: &str, key: &str, body: &[u8]) -> Request<Full<Bytes>> {
    let (mut parts, ()) = Request::builder()
        .method(method)
        .uri(url)
        .header("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
        .header("user-agent", "proxy-test/1.0")
        .body(())
        .unwrap()
        .into_parts();
    let credentials = Credentials::new(key, "secret-secret-secret");
    sign(
        &mut parts,
        body,
        &SigningParams {
            credentials: &credentials,
            region: "eu-west-1",
            service: "s3",
            epoch_ms: 1_795_000_000_000,
        },
    )
    .unwrap();
    Request::from_parts(parts, Full::new(Bytes::copy_from_slice(body)))
}

fn client() -> Client<HttpConnector, Full<Bytes>> {
    Client::builder(TokioExecutor::new()).build(HttpConnector::new())
}

async fn send(request: Request<Full<Bytes>>) -> (StatusCode, http::HeaderMap, Bytes) {
    let response = client().request(request).await.unwrap();
    let (parts, body) = response.into_parts();
    (
        parts.status,
        parts.headers,
        body.collect().await.unwrap().to_bytes(),
    )
}

fn by_category<'a>(events: &'a [Value], category: &str) -> Vec<&'a Value> {
    events
        .iter()
        .filter(|event| event["eventCategory"] == category)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_pass_unaltered_and_are_recorded_as_network_and_data_events() {
    let (upstream, seen) = upstream(0).await;
    let host = TestHost::default();
    let listen = endpoint(upstream, Policy::full_access(), &host).await;
    let body = vec![7u8; 1 << 20];
    let request = signed(
        "PUT",
        &format!("http://{listen}/bucket/docs/a%20b.txt?x-id=PutObject"),
        MEMBER_KEY,
        &body,
    );
    let sent_headers = request.headers().clone();
    let (status, headers, answer) = send(request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["x-amz-request-id"], "UPSTREAM-OK");
    assert_eq!(headers["etag"], "\"abc\"");
    assert_eq!(answer.len(), body.len());

    let seen = seen.lock().unwrap().clone();
    let (method, target, upstream_headers, upstream_body) = &seen[0];
    assert_eq!(method, "PUT");
    assert_eq!(target, "/bucket/docs/a%20b.txt?x-id=PutObject");
    for name in [
        "authorization",
        "x-amz-date",
        "x-amz-content-sha256",
        "host",
        "user-agent",
    ] {
        assert_eq!(upstream_headers[name], sent_headers[name], "{name}");
    }
    assert_eq!(upstream_body.as_ref(), body.as_slice());

    let events = host.events();
    let network = by_category(&events, "NetworkActivity");
    assert_eq!(network.len(), 1, "{events:?}");
    let network = network[0];
    assert_eq!(network["eventName"], "PutObject");
    assert_eq!(network["eventType"], "AwsVpceEvent");
    assert_eq!(network["awsRegion"], "eu-west-1");
    assert_eq!(network["requestID"], "UPSTREAM-OK");
    assert_eq!(network["vpcEndpointId"], ENDPOINT_ID);
    assert_eq!(network["recipientAccountId"], OWNER);
    assert_eq!(
        network["userIdentity"]["arn"],
        "arn:aws:iam::111122223333:user/member"
    );
    assert_eq!(network["userAgent"], "proxy-test/1.0");
    assert!(network.get("errorCode").is_none());
    // The owner's copy and the caller's, sharing one sharedEventID.
    let data = by_category(&events, "Data");
    assert_eq!(data.len(), 2, "{events:?}");
    assert_eq!(data[0]["recipientAccountId"], OWNER);
    assert_eq!(data[1]["recipientAccountId"], "111122223333");
    assert_eq!(data[0]["sharedEventID"], data[1]["sharedEventID"]);
    assert_eq!(data[0]["requestParameters"]["key"], "docs/a b.txt");
    assert_eq!(
        data[0]["additionalEventData"]["bytesTransferredIn"],
        1 << 20
    );
    assert_eq!(
        data[0]["additionalEventData"]["bytesTransferredOut"],
        1 << 20
    );
    assert_eq!(
        data[0]["additionalEventData"]["AuthenticationMethod"],
        "AuthHeader"
    );
    assert_eq!(data[0]["readOnly"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upstream_errors_are_passed_on_and_recorded_with_their_code() {
    let (upstream, _) = upstream(0).await;
    let host = TestHost::default();
    let listen = endpoint(upstream, Policy::full_access(), &host).await;
    let (status, _, body) = send(signed(
        "GET",
        &format!("http://{listen}/bucket/missing"),
        "AKIAOUTSIDER00000001",
        b"",
    ))
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(String::from_utf8_lossy(&body).contains("NoSuchKey"));
    let events = host.events();
    let network = by_category(&events, "NetworkActivity")[0];
    assert_eq!(network["errorCode"], "NoSuchKey");
    assert_eq!(network["errorMessage"], "The specified key does not exist.");
    assert_eq!(network["requestID"], "UPSTREAM-404");
    // A key outside the registry: reduced identity, marked.
    assert_eq!(network["userIdentity"]["type"], "AWSAccount");
    assert_eq!(
        network["userIdentity"]["accessKeyId"],
        "AKIAOUTSIDER00000001"
    );
    assert_eq!(network["additionalEventData"]["outsideOrganization"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn denied_calls_never_reach_the_upstream() {
    let (upstream, seen) = upstream(0).await;
    let host = TestHost::default();
    let policy = Policy::parse(
        r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*",
            "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-test"}}}]}"#,
    )
    .unwrap();
    let listen = endpoint(upstream, policy, &host).await;
    let (status, headers, body) = send(signed(
        "GET",
        &format!("http://{listen}/bucket/secret.txt"),
        "AKIAOUTSIDER00000001",
        b"",
    ))
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(headers["content-type"], "application/xml");
    let text = String::from_utf8_lossy(&body);
    assert!(text.contains("<Code>AccessDenied</Code>"), "{text}");
    assert!(
        text.contains("because no VPC endpoint policy allows the s3:GetObject action"),
        "{text}"
    );
    assert!(
        seen.lock().unwrap().is_empty(),
        "a denied call was forwarded"
    );
    let events = host.events();
    assert_eq!(
        events.len(),
        1,
        "no data event for a denied call: {events:?}"
    );
    assert_eq!(events[0]["errorCode"], "VpceAccessDenied");
    assert_eq!(
        events[0]["errorMessage"],
        "The request was denied due to a VPC endpoint policy"
    );
    // The member passes.
    let (status, _, _) = send(signed(
        "GET",
        &format!("http://{listen}/bucket/open.txt"),
        MEMBER_KEY,
        b"",
    ))
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_complete_only_once_their_records_are_durable() {
    let (upstream, _) = upstream(3 << 20).await;
    let host = TestHost::default();
    let listen = endpoint(upstream, Policy::full_access(), &host).await;
    host.0.delay_ms.store(400, Ordering::SeqCst);
    let started = Instant::now();
    let (status, _, body) = send(signed(
        "GET",
        &format!("http://{listen}/bucket/big"),
        MEMBER_KEY,
        b"",
    ))
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.len(), 3 << 20);
    assert!(started.elapsed() >= Duration::from_millis(400));
    let events = host.events();
    assert_eq!(events.len(), 3, "{events:?}");
    assert_eq!(
        by_category(&events, "Data")[0]["additionalEventData"]["bytesTransferredOut"],
        3 << 20
    );

    // When records cannot be made durable, the client never gets a complete answer.
    host.0.delay_ms.store(0, Ordering::SeqCst);
    host.0.failing.store(true, Ordering::SeqCst);
    let response = client()
        .request(signed(
            "GET",
            &format!("http://{listen}/bucket/big"),
            MEMBER_KEY,
            b"",
        ))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.into_body().collect().await.is_err(),
        "a streamed answer completed unrecorded"
    );
    let (status, _, body) = send(signed(
        "GET",
        &format!("http://{listen}/bucket/missing"),
        MEMBER_KEY,
        b"",
    ))
    .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(String::from_utf8_lossy(&body).contains("<Code>InternalError</Code>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_upstream_is_answered_and_recorded() {
    // A port nothing listens on.
    let closed = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let host = TestHost::default();
    let listen = endpoint(closed, Policy::full_access(), &host).await;
    let (status, _, body) = send(signed(
        "GET",
        &format!("http://{listen}/bucket/x"),
        MEMBER_KEY,
        b"",
    ))
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(String::from_utf8_lossy(&body).contains("ServiceUnavailable"));
    assert_eq!(host.events()[0]["errorCode"], "ServiceUnavailable");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_that_never_answers_times_out_and_is_recorded() {
    // Accepts connections and reads nothing, answers nothing.
    let silent = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = silent.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = silent.accept().await {
            held.push(stream);
        }
    });
    let host = TestHost::default();
    let listen = endpoint(address, Policy::full_access(), &host).await;
    let started = Instant::now();
    let (status, _, body) = send(signed(
        "GET",
        &format!("http://{listen}/bucket/x"),
        MEMBER_KEY,
        b"",
    ))
    .await;
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT);
    assert!(started.elapsed() >= Duration::from_millis(500));
    assert!(String::from_utf8_lossy(&body).contains("<Code>GatewayTimeout</Code>"));
    assert_eq!(host.events()[0]["errorCode"], "GatewayTimeout");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_goes_away_mid_answer_is_still_recorded() {
    let (upstream, _) = upstream(64 << 20).await;
    let host = TestHost::default();
    let listen = endpoint(upstream, Policy::full_access(), &host).await;
    let response = client()
        .request(signed(
            "GET",
            &format!("http://{listen}/bucket/big"),
            MEMBER_KEY,
            b"",
        ))
        .await
        .unwrap();
    let mut body = response.into_body();
    let first = body.frame().await.unwrap().unwrap();
    assert!(first.data_ref().is_some());
    drop(body);
    let deadline = Instant::now() + Duration::from_secs(10);
    while host.events().is_empty() {
        assert!(
            Instant::now() < deadline,
            "the broken-off call was not recorded"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let events = host.events();
    let sent = by_category(&events, "Data")[0]["additionalEventData"]["bytesTransferredOut"]
        .as_u64()
        .unwrap();
    assert!(sent > 0 && sent < 64 << 20, "bytesTransferredOut {sent}");
}
