//! `rules-webhook`: how long an event takes from its acknowledgement by `POST /ingest` to
//! its arrival at a rule's webhook target.
//!
//! The server runs in-process on a fresh data directory (config defaults, `[rules]`
//! included, plus one admin key). Through the API, as any client calls it, the benchmark
//! creates a trail on a local bucket directory and starts it logging (the router only
//! routes events a logging trail records, as CloudTrail does for EventBridge), then makes
//! the rule `bench` (`AWSEvents.PutRule`, pattern `{"detail":{"eventSource":
//! ["app.example.com"]}}`) with one target, a webhook on `127.0.0.1` (`AWSEvents.PutTargets`);
//! both calls are signed for the signing name `events`.
//!
//! The webhook is the benchmark's own hyper HTTP/1.1 server, on its own thread and
//! single-thread runtime: for each request it reads the whole body, notes the instant,
//! answers 200 and keeps the first arrival of each envelope's `detail.eventID` (later ones
//! are counted as duplicates).
//!
//! The ingest sends `--rate` events/s for `--seconds` (a request every 10 ms with the events
//! due by then, on a schedule, spread over four keep-alive connections), each a management
//! write call (`eventSource` `app.example.com`, `eventType` `AwsApiCall`) of the key's
//! account with a unique `eventID`; an event counts as acknowledged at the instant its
//! request was answered 200 with every record accepted. After the ingest the benchmark
//! waits up to 30 s for every acknowledged event to arrive; any missing fail the run. The
//! figures are (arrival − acknowledgement) over the events acknowledged after the first
//! second (warm-up: connections, the router's first read). The acknowledgement instant is
//! when the client has read the answer, so an event the router sends at once can arrive
//! first: such events count as 0 and are reported.
//!
//! Client, server and webhook share the machine's cores, as on any one-machine benchmark.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Context;
use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use opentrail_server::config::KeySection;
use opentrail_server::{Config, EVENTS_SIGNING_SERVICE, SIGNING_SERVICE, Server};
use opentrail_sigv4::Credentials;
use opentrail_types::{RandomIds, SystemClock};
use serde::Deserialize;
use serde_json::json;

use super::delivery::ingest;
use super::{Connection, LatencySummary, RunningServer, SideServer, Signer, call, verdict};
use crate::records::RecordTemplate;

/// The benchmark's key (admin of [`ACCOUNT`]).
const ACCESS_KEY_ID: &str = "AKIAOPENTRAILBENCHRULES";
const SECRET_ACCESS_KEY: &str = "opentrail-bench-rules-secret-0000";
/// The account of the key and of every event sent.
const ACCOUNT: &str = "111122223333";
const BUCKET: &str = "opentrail-bench-rules";
const TRAIL: &str = "bench-rules-trail";
const RULE: &str = "bench";
/// The `eventSource` of the events sent, and the only one the rule matches.
const EVENT_SOURCE: &str = "app.example.com";
const CREATE_TRAIL_TARGET: &str = "CloudTrail_20131101.CreateTrail";
const START_LOGGING_TARGET: &str = "CloudTrail_20131101.StartLogging";
const PUT_RULE_TARGET: &str = "AWSEvents.PutRule";
const PUT_TARGETS_TARGET: &str = "AWSEvents.PutTargets";
/// Events acknowledged this soon after the ingest started are left out of the figures.
const WARM_UP: Duration = Duration::from_secs(1);
/// How long to wait after the ingest for the last events to arrive.
const ARRIVAL_TIMEOUT: Duration = Duration::from_secs(30);
/// The bar: p99 at [`BAR_RATE`] events/s.
const BAR_P99: Duration = Duration::from_millis(200);
const BAR_RATE: u64 = 1_000;

/// Flags of `rules-webhook`.
#[derive(Debug)]
pub struct Args {
    /// Scratch folder, emptied first and removed at the end: `data/` is the server's data
    /// directory.
    pub work: PathBuf,
    /// Events per second ingested.
    pub rate: u64,
    /// Length of the ingest.
    pub seconds: u64,
}

/// Runs the benchmark.
pub fn run(args: &Args) -> anyhow::Result<()> {
    anyhow::ensure!(args.rate >= 1, "`--rate` must be at least 1");
    anyhow::ensure!(
        args.seconds > WARM_UP.as_secs(),
        "`--seconds` must be more than the {} s warm-up",
        WARM_UP.as_secs()
    );
    crate::fresh_dir(&args.work)?;
    let mut config = Config::load(None, std::env::vars()).context("config")?;
    config.data_dir = args.work.join("data");
    config.keys.push(KeySection {
        access_key_id: String::from(ACCESS_KEY_ID),
        secret_access_key: String::from(SECRET_ACCESS_KEY),
        account_id: String::from(ACCOUNT),
        user_name: String::from("bench-rules"),
        arn: None,
        permission: String::from("admin"),
    });
    let bucket_dir = config.data_dir.join("buckets").join(BUCKET);
    std::fs::create_dir_all(&bucket_dir)
        .with_context(|| format!("cannot create `{}`", bucket_dir.display()))?;
    let region = config.region.clone();
    let template = record_template(&region)?;
    let receiver = Receiver::start()?;
    let server = Server::open(config, Arc::new(SystemClock), Arc::new(RandomIds))
        .context("cannot open the server")?;
    println!(
        "account `{ACCOUNT}`, Region `{region}`; trail `{TRAIL}` on a local bucket; rule `{RULE}` → webhook http://{}/hook; [rules] as configured (defaults unless OPENTRAIL_* says otherwise)",
        receiver.server.address
    );
    let credentials = Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
    let outcome = super::runtime()?.block_on(drive(
        server,
        credentials,
        region,
        template,
        &receiver,
        args,
    ));
    receiver.stop()?;
    outcome?;
    std::fs::remove_dir_all(&args.work)
        .with_context(|| format!("cannot remove `{}`", args.work.display()))?;
    Ok(())
}

/// The record sent, as a template whose `eventID` and `eventTime` change per event.
fn record_template(region: &str) -> anyhow::Result<RecordTemplate> {
    let record = json!({
        "eventVersion": "1.11",
        "userIdentity": {
            "type": "IAMUser",
            "principalId": "AIDAOPENTRAILBENCHRULES",
            "arn": format!("arn:aws:iam::{ACCOUNT}:user/bench-rules"),
            "accountId": ACCOUNT,
            "userName": "bench-rules",
        },
        "eventTime": "2026-03-02T00:00:00Z",
        "eventSource": EVENT_SOURCE,
        "eventName": "UpdateOrder",
        "awsRegion": region,
        "sourceIPAddress": "203.0.113.10",
        "userAgent": "opentrail-bench/rules-webhook",
        "requestParameters": {"orderId": "o-1234567890", "status": "shipped"},
        "responseElements": null,
        "requestID": "00000000-0000-4000-8000-000000000000",
        "eventID": "00000000-0000-4000-8000-000000000000",
        "readOnly": false,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": ACCOUNT,
        "eventCategory": "Management",
    });
    RecordTemplate::parse(&record.to_string()).context("the record template is not usable")
}

async fn drive(
    server: Server,
    credentials: Credentials,
    region: String,
    template: RecordTemplate,
    receiver: &Receiver,
    args: &Args,
) -> anyhow::Result<()> {
    let running = RunningServer::start(server).await?;
    let outcome = drive_running(&running, credentials, region, template, receiver, args).await;
    running.stop().await?;
    outcome
}

async fn drive_running(
    running: &RunningServer,
    credentials: Credentials,
    region: String,
    template: RecordTemplate,
    receiver: &Receiver,
    args: &Args,
) -> anyhow::Result<()> {
    let address = running.address;
    let signer = Arc::new(Signer::new(credentials, region, address)?);
    let mut connection = Connection::new(address);
    let trail = json!({"Name": TRAIL, "S3BucketName": BUCKET});
    call(
        &mut connection,
        &signer,
        SIGNING_SERVICE,
        CREATE_TRAIL_TARGET,
        &trail,
    )
    .await?;
    let logging = json!({"Name": TRAIL});
    call(
        &mut connection,
        &signer,
        SIGNING_SERVICE,
        START_LOGGING_TARGET,
        &logging,
    )
    .await?;
    let pattern = json!({"detail": {"eventSource": [EVENT_SOURCE]}}).to_string();
    let rule = json!({"Name": RULE, "EventPattern": pattern});
    call(
        &mut connection,
        &signer,
        EVENTS_SIGNING_SERVICE,
        PUT_RULE_TARGET,
        &rule,
    )
    .await?;
    let hook = format!("http://{}/hook", receiver.server.address);
    let targets = json!({"Rule": RULE, "Targets": [{"Id": "hook", "Arn": hook}]});
    let answer = call(
        &mut connection,
        &signer,
        EVENTS_SIGNING_SERVICE,
        PUT_TARGETS_TARGET,
        &targets,
    )
    .await?;
    #[derive(Deserialize)]
    struct PutTargetsAnswer {
        #[serde(rename = "FailedEntryCount")]
        failed_entry_count: u64,
    }
    let answer: PutTargetsAnswer =
        serde_json::from_slice(&answer).context("PutTargets answered no FailedEntryCount")?;
    anyhow::ensure!(
        answer.failed_entry_count == 0,
        "PutTargets refused the webhook target"
    );

    let started = Instant::now();
    let (acknowledged, failures) =
        ingest(&signer, address, vec![template], args.rate, args.seconds).await?;
    let ingest_time = started.elapsed();
    let waited = Instant::now();
    while waited.elapsed() < ARRIVAL_TIMEOUT && receiver.missing(&acknowledged) > 0 {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let arrivals = receiver
        .arrivals
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let mut latencies = Vec::with_capacity(acknowledged.len());
    let mut missing = 0usize;
    let mut early = 0usize;
    for (event_id, acknowledged_at) in &acknowledged {
        let Some(arrived) = arrivals.first.get(event_id) else {
            missing += 1;
            continue;
        };
        if acknowledged_at.saturating_duration_since(started) >= WARM_UP {
            // The router may deliver before the client has read the 200: counted as 0.
            early += usize::from(arrived < acknowledged_at);
            latencies.push(arrived.saturating_duration_since(*acknowledged_at));
        }
    }
    let received = arrivals.first.len();
    drop(arrivals);
    let summary = LatencySummary::of(&mut latencies);
    let achieved = acknowledged.len() as f64 / ingest_time.as_secs_f64().max(1e-9);
    println!(
        "rules-webhook: {} events acknowledged in {:.1} s ({achieved:.0} events/s; asked {}); {received} arrived at the webhook ({} duplicates, {} requests without an eventID)",
        acknowledged.len(),
        ingest_time.as_secs_f64(),
        args.rate,
        receiver.duplicates.load(Ordering::Relaxed),
        receiver.unreadable.load(Ordering::Relaxed),
    );
    println!(
        "acknowledged → webhook received: {} over {} events (the first {} s left out; {early} arrived before their acknowledgement reached the client, counted as 0)",
        summary.describe(),
        summary.count,
        WARM_UP.as_secs()
    );
    let at_bar_rate = args.rate >= BAR_RATE;
    println!(
        "bar: p99 ≤ {} ms at {BAR_RATE} events/s: {}{}",
        BAR_P99.as_millis(),
        verdict(summary.count > 0 && missing == 0 && summary.p99 <= BAR_P99),
        if at_bar_rate {
            ""
        } else {
            " (run below the bar's rate)"
        }
    );
    failures.check(acknowledged.len() as u64 + failures.count)?;
    anyhow::ensure!(
        missing == 0,
        "{missing} of {} acknowledged events never arrived at the webhook ({} s after the ingest ended)",
        acknowledged.len(),
        ARRIVAL_TIMEOUT.as_secs()
    );
    Ok(())
}

/// What the webhook received.
#[derive(Debug, Default)]
struct Arrivals {
    /// The first arrival of each `detail.eventID`.
    first: HashMap<String, Instant>,
}

/// The webhook: a [`SideServer`] noting arrivals.
#[derive(Debug)]
struct Receiver {
    server: SideServer,
    arrivals: Arc<Mutex<Arrivals>>,
    duplicates: Arc<AtomicU64>,
    unreadable: Arc<AtomicU64>,
}

/// What the webhook's request handler shares.
#[derive(Debug, Clone)]
struct Shared {
    arrivals: Arc<Mutex<Arrivals>>,
    duplicates: Arc<AtomicU64>,
    unreadable: Arc<AtomicU64>,
}

impl Receiver {
    /// Binds `127.0.0.1:0` and serves on a new thread.
    fn start() -> anyhow::Result<Receiver> {
        let shared = Shared {
            arrivals: Arc::default(),
            duplicates: Arc::default(),
            unreadable: Arc::default(),
        };
        let serving = shared.clone();
        // A connection the router drops ends with its task; its events are sent again.
        let server =
            SideServer::start("webhook", move |request| receive(request, serving.clone()))?;
        Ok(Receiver {
            server,
            arrivals: shared.arrivals,
            duplicates: shared.duplicates,
            unreadable: shared.unreadable,
        })
    }

    /// How many of `acknowledged` have not arrived yet.
    fn missing(&self, acknowledged: &[(String, Instant)]) -> usize {
        let arrivals = self.arrivals.lock().unwrap_or_else(PoisonError::into_inner);
        acknowledged
            .iter()
            .filter(|(event_id, _)| !arrivals.first.contains_key(event_id))
            .count()
    }

    /// Stops serving and waits for the thread.
    fn stop(self) -> anyhow::Result<()> {
        self.server.stop()
    }
}

/// Reads one webhook request, notes its arrival and answers 200.
async fn receive(
    request: Request<Incoming>,
    shared: Shared,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let body = match request.into_body().collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            shared.unreadable.fetch_add(1, Ordering::Relaxed);
            let mut response = Response::new(Full::new(Bytes::new()));
            *response.status_mut() = StatusCode::BAD_REQUEST;
            return Ok(response);
        }
    };
    let arrived = Instant::now();
    match event_id(&body) {
        Some(event_id) => {
            let mut arrivals = shared
                .arrivals
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            match arrivals.first.entry(event_id) {
                Entry::Occupied(_) => {
                    shared.duplicates.fetch_add(1, Ordering::Relaxed);
                }
                Entry::Vacant(vacant) => {
                    vacant.insert(arrived);
                }
            }
        }
        None => {
            shared.unreadable.fetch_add(1, Ordering::Relaxed);
        }
    }
    Ok(Response::new(Full::new(Bytes::new())))
}

/// The `detail.eventID` of an envelope.
fn event_id(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Envelope {
        detail: Detail,
    }
    #[derive(Deserialize)]
    struct Detail {
        #[serde(rename = "eventID")]
        event_id: String,
    }
    serde_json::from_slice::<Envelope>(body)
        .ok()
        .map(|envelope| envelope.detail.event_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_template_is_a_routable_write_call() {
        let template = record_template("us-east-1").unwrap();
        let mut record = Vec::new();
        template.write(
            &mut record,
            b"00000000-0000-4000-8000-000000000007",
            b"2026-11-21T10:00:00Z",
        );
        let wrapped = opentrail_routing::envelope(&record).unwrap();
        assert_eq!(wrapped.source(), EVENT_SOURCE);
        assert_eq!(wrapped.detail_type(), "AWS API Call via CloudTrail");
        assert_eq!(
            event_id(wrapped.json_bytes()).as_deref(),
            Some("00000000-0000-4000-8000-000000000007")
        );
    }

    #[test]
    fn event_ids_come_from_the_detail() {
        assert_eq!(
            event_id(br#"{"id":"x","detail":{"eventID":"e-1","eventName":"A"}}"#).as_deref(),
            Some("e-1")
        );
        assert_eq!(event_id(br#"{"eventID":"e-1"}"#), None);
        assert_eq!(event_id(b"not json"), None);
    }
}
