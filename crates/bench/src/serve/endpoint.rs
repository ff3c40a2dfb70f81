//! `endpoint`: what a recording endpoint (`[[endpoints]]`) adds to small-object GETs, in
//! latency, and what it keeps of large-object throughput, against direct access to the same
//! upstream.
//!
//! **Set-up.** The upstream is the benchmark's own minimal S3-like HTTP/1.1 server (hyper)
//! on `127.0.0.1`, on its own thread and single-thread runtime so that it shares no worker
//! with the client: `GET /bench-bucket/small` answers 200 with 1 KiB, `GET
//! /bench-bucket/large` 200 with `--large-mib` MiB streamed in 64 KiB frames cut from one
//! buffer made at start (the object is never held whole), both with `content-length` and a
//! unique `x-amz-request-id`; anything else is a 404 `NoSuchKey`. It checks no signature.
//! The server runs in-process on a fresh data directory (config defaults, so the journal
//! fsyncs as configured) with one `[[keys]]` key (read-only, account [`ACCOUNT`]) and one
//! `[[endpoints]]` table: owner [`ACCOUNT`], `listen` a free port of `127.0.0.1`,
//! `upstream` the upstream, default policy (allow all). Every call through the endpoint is
//! thus a registry principal's call of the owner's account: one network activity event and
//! one data event (`GetObject`), durable before the answer's last byte reaches the client.
//!
//! **Latency run.** Open loop: `--rate` GETs/s of the small object *on each path* for
//! `--seconds`, i.e. slot `k` at `k / (2 × rate)` s, even slots direct to the upstream and
//! odd slots through the endpoint, so both paths see the same schedule, rate and machine
//! state, and the endpoint carries the bar's rate by itself. Each path has `--connections`
//! keep-alive connections, one request at a time each, fed from one queue. Every request is
//! SigV4-signed (`opentrail_sigv4::sign`, service `s3`, `x-amz-content-sha256:
//! UNSIGNED-PAYLOAD`) with the key, for the `Host` it goes to, before its slot; a dispatcher
//! thread (not a runtime worker: `std::thread::sleep` keeps to tens of microseconds, tokio's
//! timer to a millisecond) queues it at its slot. A request's latency is from its slot
//! (not from when a connection took it: waiting for a busy connection counts) to its whole
//! answer read. Requests of the first second are left out (warm-up: connections, the
//! endpoint's upstream pool). Each path's p50/p90/p99/max are reported, and their
//! differences percentile by percentile (through − direct); the bar is the p99 difference.
//! Any request that fails or answers other than 200 with 1 KiB fails the run.
//!
//! **Throughput run.** `--large-runs` downloads of the large object on each path,
//! alternating direct and through, each on a fresh connection, read frame by frame to the
//! end and counted (the length must be the object's); MB/s (10⁶ bytes) from sending the
//! request to the last byte. The medians of the two paths are compared.
//!
//! **Records.** Last, the server's `/metrics` counter `opentrail_endpoint_events_total`
//! (records the endpoints appended to the journal, counted once durable) must have grown by
//! exactly two per call through the endpoint.
//!
//! Client, server, endpoint and upstream share the machine's cores; client and server share
//! one tokio runtime, as in the other HTTP benchmarks.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context as TaskContext, Poll};
use std::time::{Duration, Instant};

use anyhow::Context;
use bytes::Bytes;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE, HOST, USER_AGENT};
use http::{HeaderValue, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Frame, Incoming, SizeHint};
use opentrail_server::config::{EndpointSection, KeySection};
use opentrail_server::metrics::ENDPOINT_EVENTS;
use opentrail_server::{Config, Server};
use opentrail_sigv4::{Credentials, SigningParams};
use opentrail_types::{Clock, RandomIds, SystemClock};
use tokio::sync::mpsc;

use super::{
    Connection, Failures, LatencySummary, RunningServer, SideServer, connect, quote, verdict,
};
use crate::milliseconds;

/// The benchmark's key (read-only, of [`ACCOUNT`]): it signs every GET.
const ACCESS_KEY_ID: &str = "AKIAOPENTRAILBENCHENDPOINT";
const SECRET_ACCESS_KEY: &str = "opentrail-bench-endpoint-secret-0000";
/// The account of the key and the endpoint's owner.
const ACCOUNT: &str = "111122223333";
const ENDPOINT_ID: &str = "vpce-0be0c0ffee0000001";
/// The endpoint in front of `--s3-upstream`.
const S3_ENDPOINT_ID: &str = "vpce-0be0c0ffee0000002";
/// The bucket made on `--s3-upstream`.
const S3_BUCKET_PATH: &str = "/bench-bucket";
const SMALL_PATH: &str = "/bench-bucket/small";
const LARGE_PATH: &str = "/bench-bucket/large";
const SMALL_BYTES: u64 = 1024;
/// Frames of the upstream's answers, cut from one buffer.
const CHUNK_BYTES: usize = 64 * 1024;
const S3_SIGNING_SERVICE: &str = "s3";
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
const CLIENT_USER_AGENT: &str = "opentrail-bench/endpoint";
/// Requests dispatched this soon after the start are left out of the figures.
const WARM_UP: Duration = Duration::from_secs(1);
/// Requests queued for one path's connections, at most.
const QUEUED_REQUESTS: usize = 4096;
/// How long the server may take to answer `/metrics` after its start.
const START_TIMEOUT: Duration = Duration::from_secs(10);
/// Records one GetObject by a registry principal of the owner's account makes: network
/// activity and data event.
const RECORDS_PER_GET: u64 = 2;
/// The latency bar: added p99 at [`BAR_RATE`] requests/s.
const BAR_ADDED_P99: Duration = Duration::from_millis(2);
const BAR_RATE: u64 = 1_000;
/// The throughput bar: through / direct.
const BAR_THROUGHPUT_RATIO: f64 = 0.9;

/// Flags of `endpoint`.
#[derive(Debug)]
pub struct Args {
    /// Scratch folder, emptied first and removed at the end: `data/` is the server's data
    /// directory.
    pub work: PathBuf,
    /// Small-object GETs per second on each path.
    pub rate: u64,
    /// Length of the latency run.
    pub seconds: u64,
    /// Keep-alive connections per path in the latency run.
    pub connections: usize,
    /// Size of the large object, MiB.
    pub large_mib: u64,
    /// Downloads of the large object on each path.
    pub large_runs: usize,
    /// An S3-compatible server (`http://127.0.0.1:PORT`, no signature checks) to repeat the
    /// throughput run against, through a second endpoint.
    pub s3_upstream: Option<String>,
}

/// The two ways to the upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Direct,
    Through,
}

impl Route {
    const BOTH: [Route; 2] = [Route::Direct, Route::Through];

    /// The route of latency-run slot `slot`: even slots direct, odd ones through.
    fn of_slot(slot: u64) -> Route {
        if slot.is_multiple_of(2) {
            Route::Direct
        } else {
            Route::Through
        }
    }

    fn index(self) -> usize {
        match self {
            Route::Direct => 0,
            Route::Through => 1,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Route::Direct => "direct",
            Route::Through => "through the endpoint",
        }
    }
}

/// Where one route's requests go.
#[derive(Debug, Clone)]
struct Target {
    address: SocketAddr,
    host: HeaderValue,
}

impl Target {
    fn new(address: SocketAddr) -> anyhow::Result<Target> {
        Ok(Target {
            address,
            host: HeaderValue::from_str(&address.to_string())?,
        })
    }
}

/// Runs the benchmark.
pub fn run(args: &Args) -> anyhow::Result<()> {
    anyhow::ensure!(args.rate >= 1, "`--rate` must be at least 1");
    anyhow::ensure!(
        args.seconds > WARM_UP.as_secs(),
        "`--seconds` must be more than the {} s warm-up",
        WARM_UP.as_secs()
    );
    anyhow::ensure!(args.connections >= 1, "`--connections` must be at least 1");
    anyhow::ensure!(args.large_mib >= 1, "`--large-mib` must be at least 1");
    anyhow::ensure!(args.large_runs >= 1, "`--large-runs` must be at least 1");
    crate::fresh_dir(&args.work)?;
    let large_bytes = args.large_mib << 20;
    let upstream = start_upstream(large_bytes)?;
    let listen = free_port()?;
    let mut config = Config::load(None, std::env::vars()).context("config")?;
    config.data_dir = args.work.join("data");
    config.keys.push(KeySection {
        access_key_id: String::from(ACCESS_KEY_ID),
        secret_access_key: String::from(SECRET_ACCESS_KEY),
        account_id: String::from(ACCOUNT),
        user_name: String::from("bench-endpoint"),
        arn: None,
        permission: String::from("read-only"),
    });
    config.endpoints.push(EndpointSection {
        id: String::from(ENDPOINT_ID),
        owner_account: String::from(ACCOUNT),
        listen,
        upstream: format!("http://{}", upstream.address),
        region: None,
        service: String::from(S3_SIGNING_SERVICE),
        virtual_host_suffixes: Vec::new(),
        organization_id: None,
        policy: None,
        policy_file: None,
        connect_timeout_ms: 5_000,
        upstream_timeout_secs: 900,
        max_connections: 1_024,
    });
    let s3 = match &args.s3_upstream {
        None => None,
        Some(url) => {
            let address: SocketAddr = url
                .strip_prefix("http://")
                .and_then(|rest| rest.trim_end_matches('/').parse().ok())
                .with_context(|| format!("`--s3-upstream` {url} is not http://IP:PORT"))?;
            let s3_listen = free_port()?;
            config.endpoints.push(EndpointSection {
                id: String::from(S3_ENDPOINT_ID),
                listen: s3_listen,
                upstream: url.clone(),
                ..config.endpoints[0].clone()
            });
            Some([Target::new(address)?, Target::new(s3_listen)?])
        }
    };
    let region = config.region.clone();
    let outcome = Server::open(config, Arc::new(SystemClock), Arc::new(RandomIds))
        .context("cannot open the server")
        .and_then(|server| {
            println!(
                "upstream: the benchmark's S3-like server on http://{} (own thread and runtime): GET {SMALL_PATH} → 1 KiB, GET {LARGE_PATH} → {} MiB in {} KiB frames",
                upstream.address,
                args.large_mib,
                CHUNK_BYTES / 1024
            );
            println!(
                "endpoint `{ENDPOINT_ID}` on http://{listen} → the upstream, owner `{ACCOUNT}`, policy allow-all, run by the server in-process (data directory `{}`, config defaults unless OPENTRAIL_* says otherwise)",
                args.work.join("data").display()
            );
            println!(
                "client: GETs SigV4-signed (s3, UNSIGNED-PAYLOAD) with the registry key `{ACCESS_KEY_ID}` (account `{ACCOUNT}`, Region `{region}`), on the server's runtime"
            );
            let signer = Arc::new(GetSigner {
                credentials: Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY),
                region,
            });
            let targets = [Target::new(upstream.address)?, Target::new(listen)?];
            super::runtime()?.block_on(drive(server, signer, targets, s3, large_bytes, args))
        });
    upstream.stop()?;
    outcome?;
    std::fs::remove_dir_all(&args.work)
        .with_context(|| format!("cannot remove `{}`", args.work.display()))?;
    Ok(())
}

/// A free port of `127.0.0.1`, for the endpoint to bind (free when asked).
fn free_port() -> anyhow::Result<SocketAddr> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("cannot bind 127.0.0.1:0")?;
    Ok(listener.local_addr()?)
}

async fn drive(
    server: Server,
    signer: Arc<GetSigner>,
    targets: [Target; 2],
    s3: Option<[Target; 2]>,
    large_bytes: u64,
    args: &Args,
) -> anyhow::Result<()> {
    let running = RunningServer::start(server).await?;
    let outcome = drive_running(&running, signer, targets, s3, large_bytes, args).await;
    running.stop().await?;
    outcome
}

async fn drive_running(
    running: &RunningServer,
    signer: Arc<GetSigner>,
    targets: [Target; 2],
    s3: Option<[Target; 2]>,
    large_bytes: u64,
    args: &Args,
) -> anyhow::Result<()> {
    // The API answers only once the endpoints are bound (the server binds them first).
    let api = Target::new(running.address)?;
    let records_before = endpoint_records(&api).await?;

    let latency = latency_run(Arc::clone(&signer), targets.clone(), args).await?;
    let [mut direct, mut through] = latency.latencies;
    let direct = LatencySummary::of(&mut direct);
    let through = LatencySummary::of(&mut through);
    let added = AddedLatency::between(&direct, &through);
    let [sent_direct, sent_through] = latency.sent;
    println!(
        "latency run: {sent_direct} GETs direct and {sent_through} through the endpoint in {:.1} s ({:.0}/s on each path, asked {}; {} keep-alive connections per path; dispatch at most {:.2} ms behind its slot)",
        latency.elapsed.as_secs_f64(),
        sent_through as f64 / args.seconds as f64,
        args.rate,
        args.connections,
        milliseconds(latency.max_behind)
    );
    println!(
        "  direct:               {} over {} requests",
        direct.describe(),
        direct.count
    );
    println!(
        "  through the endpoint: {} over {} requests",
        through.describe(),
        through.count
    );
    println!(
        "  added (through − direct, percentile by percentile): {} (the first {} s left out)",
        added.describe(),
        WARM_UP.as_secs()
    );
    println!(
        "bar: added p99 ≤ {} ms at {BAR_RATE} requests/s: {}{}",
        BAR_ADDED_P99.as_millis(),
        verdict(latency.failures.count == 0 && added.within(BAR_ADDED_P99)),
        if args.rate >= BAR_RATE {
            ""
        } else {
            " (run below the bar's rate)"
        }
    );
    latency.failures.check(sent_direct + sent_through)?;

    let downloads = throughput_run(&signer, &targets, large_bytes, args.large_runs).await?;
    report_throughput(&downloads, "the benchmark's upstream");
    let mut calls_through = sent_through + args.large_runs as u64;
    if let Some(s3) = &s3 {
        println!(
            "S3-compatible upstream http://{} (endpoint `{S3_ENDPOINT_ID}` in front of it): bucket and {} MiB object put directly",
            s3[Route::Direct.index()].address,
            large_bytes >> 20
        );
        put_large_object(&signer, &s3[Route::Direct.index()], large_bytes).await?;
        let downloads = throughput_run(&signer, s3, large_bytes, args.large_runs).await?;
        report_throughput(&downloads, "the S3-compatible upstream");
        calls_through += args.large_runs as u64;
    }

    let records = endpoint_records(&api).await? - records_before;
    let expected = calls_through * RECORDS_PER_GET;
    println!(
        "records: {records} appended by the endpoint for {calls_through} calls through it (`{ENDPOINT_EVENTS}`; {RECORDS_PER_GET} per call expected: network activity + data event): {}",
        if records == expected {
            "ok"
        } else {
            "MISMATCH"
        }
    );
    anyhow::ensure!(
        records == expected,
        "the endpoint appended {records} records for {calls_through} calls; expected {expected}"
    );
    Ok(())
}

/// Prints the medians of `downloads` and the throughput verdict.
fn report_throughput(downloads: &Downloads, upstream: &str) {
    let mut direct_rates = downloads.rates[Route::Direct.index()].clone();
    let mut through_rates = downloads.rates[Route::Through.index()].clone();
    let direct_median = median(&mut direct_rates);
    let through_median = median(&mut through_rates);
    let ratio = through_median / direct_median.max(f64::MIN_POSITIVE);
    println!(
        "median ({upstream}): direct {direct_median:.1} MB/s, through the endpoint {through_median:.1} MB/s; through/direct {:.1} %",
        ratio * 100.0
    );
    println!(
        "bar ({upstream}): large-object throughput ≥ {:.0}% of direct: {}",
        BAR_THROUGHPUT_RATIO * 100.0,
        verdict(ratio >= BAR_THROUGHPUT_RATIO)
    );
}

/// Makes the bucket and puts the large object on an S3-compatible server, directly.
async fn put_large_object(
    signer: &GetSigner,
    target: &Target,
    large_bytes: u64,
) -> anyhow::Result<()> {
    let size = usize::try_from(large_bytes)?;
    for (path, body) in [
        (S3_BUCKET_PATH, Bytes::new()),
        (LARGE_PATH, Bytes::from(vec![b'z'; size])),
    ] {
        let request = signer.signed(http::Method::PUT, target, path, body)?;
        let mut sender = connect(target.address).await?;
        let response = sender
            .send_request(request)
            .await
            .with_context(|| format!("PUT {path}"))?;
        let status = response.status();
        let answer = response.into_body().collect().await?.to_bytes();
        anyhow::ensure!(
            status.is_success(),
            "PUT {path}: HTTP {status}: {}",
            quote(&answer)
        );
    }
    Ok(())
}

/// Signs S3 GETs with the benchmark's key.
#[derive(Debug)]
struct GetSigner {
    credentials: Credentials,
    region: String,
}

impl GetSigner {
    /// Returns `GET path` to `target`, signed now for `s3` with an unsigned payload.
    fn get(&self, target: &Target, path: &str) -> anyhow::Result<Request<Full<Bytes>>> {
        self.signed(http::Method::GET, target, path, Bytes::new())
    }

    /// Returns `method path` with `body` to `target`, signed now for `s3` with an unsigned
    /// payload.
    fn signed(
        &self,
        method: http::Method,
        target: &Target,
        path: &str,
        body: Bytes,
    ) -> anyhow::Result<Request<Full<Bytes>>> {
        let (mut parts, ()) = Request::builder()
            .method(method)
            .uri(path)
            .header(HOST, target.host.clone())
            .header(USER_AGENT, CLIENT_USER_AGENT)
            .header("x-amz-content-sha256", UNSIGNED_PAYLOAD)
            .body(())?
            .into_parts();
        let params = SigningParams {
            credentials: &self.credentials,
            region: &self.region,
            service: S3_SIGNING_SERVICE,
            epoch_ms: SystemClock.now().as_millis(),
        };
        opentrail_sigv4::sign(&mut parts, b"", &params).context("cannot sign the request")?;
        Ok(Request::from_parts(parts, Full::new(body)))
    }
}

/// One small GET, queued at its slot.
#[derive(Debug)]
struct Job {
    request: Request<Full<Bytes>>,
    slot: Instant,
    measured: bool,
}

/// What the latency run saw.
#[derive(Debug)]
struct LatencyRun {
    /// Latencies of the measured requests, by [`Route::index`].
    latencies: [Vec<Duration>; 2],
    /// Requests sent, by [`Route::index`].
    sent: [u64; 2],
    failures: Failures,
    /// The latest a request was queued after its slot.
    max_behind: Duration,
    elapsed: Duration,
}

/// Sends the small GETs on both routes at their slots; see the module documentation.
async fn latency_run(
    signer: Arc<GetSigner>,
    targets: [Target; 2],
    args: &Args,
) -> anyhow::Result<LatencyRun> {
    let mut senders = Vec::with_capacity(2);
    let mut workers = Vec::with_capacity(2 * args.connections);
    for route in Route::BOTH {
        let (sender, receiver) = mpsc::channel::<Job>(QUEUED_REQUESTS);
        senders.push(sender);
        let receiver = Arc::new(tokio::sync::Mutex::new(receiver));
        for _ in 0..args.connections {
            let receiver = Arc::clone(&receiver);
            let address = targets[route.index()].address;
            workers.push((
                route,
                tokio::spawn(async move {
                    let mut connection = Connection::new(address);
                    let mut latencies = Vec::new();
                    let mut failures = Failures::default();
                    loop {
                        let Some(job) = receiver.lock().await.recv().await else {
                            break;
                        };
                        let answer = connection.send(job.request).await;
                        let done = Instant::now();
                        match answer {
                            Ok((StatusCode::OK, body)) if body.len() as u64 == SMALL_BYTES => {
                                if job.measured {
                                    latencies.push(done.saturating_duration_since(job.slot));
                                }
                            }
                            Ok((status, body)) => failures.record(format!(
                                "{}: HTTP {status}, {} bytes: {}",
                                route.name(),
                                body.len(),
                                quote(&body)
                            )),
                            Err(error) => failures.record(format!("{}: {error:#}", route.name())),
                        }
                    }
                    (latencies, failures)
                }),
            ));
        }
    }
    let (rate, seconds) = (args.rate, args.seconds);
    let started = Instant::now();
    let dispatched =
        tokio::task::spawn_blocking(move || dispatch(&signer, &targets, senders, rate, seconds));
    let dispatch = dispatched.await.context("the dispatcher panicked")?;
    let mut run = LatencyRun {
        latencies: [Vec::new(), Vec::new()],
        sent: [0, 0],
        failures: Failures::default(),
        max_behind: Duration::ZERO,
        elapsed: Duration::ZERO,
    };
    for (route, worker) in workers {
        let (latencies, failures) = worker.await.context("a client connection panicked")?;
        run.latencies[route.index()].extend(latencies);
        run.failures.merge(failures);
    }
    run.elapsed = started.elapsed();
    let dispatch = dispatch?;
    run.sent = dispatch.sent;
    run.max_behind = dispatch.max_behind;
    Ok(run)
}

/// What the dispatcher did.
#[derive(Debug)]
struct Dispatched {
    sent: [u64; 2],
    max_behind: Duration,
}

/// Queues a signed GET for each slot at its time, on its route's queue; runs on a blocking
/// thread. Ends early when the connections are gone.
fn dispatch(
    signer: &GetSigner,
    targets: &[Target; 2],
    senders: Vec<mpsc::Sender<Job>>,
    rate: u64,
    seconds: u64,
) -> anyhow::Result<Dispatched> {
    let mut dispatched = Dispatched {
        sent: [0, 0],
        max_behind: Duration::ZERO,
    };
    let slots = 2 * rate * seconds;
    let started = Instant::now();
    for slot in 0..slots {
        let route = Route::of_slot(slot);
        let offset = slot_offset(slot, rate);
        let slot_time = started + offset;
        // Signed before its slot, so that signing is in neither path's figures.
        let request = signer.get(&targets[route.index()], SMALL_PATH)?;
        let now = Instant::now();
        if slot_time > now {
            std::thread::sleep(slot_time - now);
        }
        dispatched.max_behind = dispatched
            .max_behind
            .max(Instant::now().saturating_duration_since(slot_time));
        let job = Job {
            request,
            slot: slot_time,
            measured: offset >= WARM_UP,
        };
        if senders[route.index()].blocking_send(job).is_err() {
            break;
        }
        dispatched.sent[route.index()] += 1;
    }
    Ok(dispatched)
}

/// The time of latency-run slot `slot` after the start: `slot / (2 × rate)` seconds.
fn slot_offset(slot: u64, rate: u64) -> Duration {
    let nanos = u128::from(slot) * 1_000_000_000 / (2 * u128::from(rate.max(1)));
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}

/// Differences of two latency summaries, percentile by percentile, in signed milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
struct AddedLatency {
    p50: f64,
    p90: f64,
    p99: f64,
    max: f64,
    /// Both summaries have requests.
    measured: bool,
}

impl AddedLatency {
    /// `through − direct`.
    fn between(direct: &LatencySummary, through: &LatencySummary) -> AddedLatency {
        let difference =
            |through: Duration, direct: Duration| milliseconds(through) - milliseconds(direct);
        AddedLatency {
            p50: difference(through.p50, direct.p50),
            p90: difference(through.p90, direct.p90),
            p99: difference(through.p99, direct.p99),
            max: difference(through.max, direct.max),
            measured: direct.count > 0 && through.count > 0,
        }
    }

    /// Whether the p99 difference is at most `bar` (and anything was measured).
    fn within(&self, bar: Duration) -> bool {
        self.measured && self.p99 <= milliseconds(bar)
    }

    /// `p50 +… ms, p90 +… ms, p99 +… ms, max +… ms`.
    fn describe(&self) -> String {
        format!(
            "p50 {:+.2} ms, p90 {:+.2} ms, p99 {:+.2} ms, max {:+.2} ms",
            self.p50, self.p90, self.p99, self.max
        )
    }
}

/// Download rates of the throughput run, MB/s, by [`Route::index`].
#[derive(Debug)]
struct Downloads {
    rates: [Vec<f64>; 2],
}

/// Downloads the large object `runs` times on each route, alternating; prints each run.
async fn throughput_run(
    signer: &GetSigner,
    targets: &[Target; 2],
    large_bytes: u64,
    runs: usize,
) -> anyhow::Result<Downloads> {
    println!(
        "throughput run: {runs} downloads of the {} MiB object on each path, alternating, each on a fresh connection",
        large_bytes >> 20
    );
    let mut downloads = Downloads {
        rates: [Vec::with_capacity(runs), Vec::with_capacity(runs)],
    };
    for run in 1..=runs {
        let mut line = format!("  run {run}:");
        for route in Route::BOTH {
            let target = &targets[route.index()];
            let request = signer.get(target, LARGE_PATH)?;
            let (bytes, elapsed) = download(target.address, request)
                .await
                .with_context(|| format!("download {run} {}", route.name()))?;
            anyhow::ensure!(
                bytes == large_bytes,
                "download {run} {} read {bytes} bytes of {large_bytes}",
                route.name()
            );
            let rate = bytes as f64 / 1e6 / elapsed.as_secs_f64().max(1e-9);
            downloads.rates[route.index()].push(rate);
            line.push_str(&format!(" {} {rate:.1} MB/s;", route.name()));
        }
        println!("{}", line.trim_end_matches(';'));
    }
    Ok(downloads)
}

/// Sends `request` on a new connection to `address` and reads the answer to its end,
/// counting; returns the bytes and the time from sending to the last byte.
async fn download(
    address: SocketAddr,
    request: Request<Full<Bytes>>,
) -> anyhow::Result<(u64, Duration)> {
    let mut sender = connect(address).await?;
    let started = Instant::now();
    let response = sender
        .send_request(request)
        .await
        .context("the request failed")?;
    let status = response.status();
    let mut body = response.into_body();
    if status != StatusCode::OK {
        let answer = body.collect().await.map(|collected| collected.to_bytes());
        anyhow::bail!("HTTP {status}: {}", quote(&answer.unwrap_or_default()));
    }
    let mut bytes = 0u64;
    while let Some(frame) = body.frame().await {
        let frame = frame.context("the answer broke off")?;
        if let Some(data) = frame.data_ref() {
            bytes += data.len() as u64;
        }
    }
    Ok((bytes, started.elapsed()))
}

/// The median of `values` (the mean of the middle two for an even count); 0 when empty.
fn median(values: &mut [f64]) -> f64 {
    values.sort_unstable_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        length if length % 2 == 1 => values[length / 2],
        length => (values[length / 2 - 1] + values[length / 2]) / 2.0,
    }
}

/// Reads the server's `/metrics` (waiting up to [`START_TIMEOUT`] for its first answer)
/// and returns the endpoint records counter (0 before the first record).
async fn endpoint_records(api: &Target) -> anyhow::Result<u64> {
    let mut connection = Connection::new(api.address);
    let started = Instant::now();
    loop {
        let request = Request::get("/metrics")
            .header(HOST, api.host.clone())
            .body(Full::new(Bytes::new()))?;
        match connection.send(request).await {
            Ok((StatusCode::OK, body)) => {
                let text = String::from_utf8_lossy(&body);
                return Ok(counter_total(&text, ENDPOINT_EVENTS).unwrap_or(0));
            }
            Ok((status, body)) => anyhow::bail!("/metrics answered {status}: {}", quote(&body)),
            Err(error) if started.elapsed() > START_TIMEOUT => {
                return Err(error.context("the server did not answer /metrics"));
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

/// The sum of the samples of counter `name` in Prometheus text `text` (every label set);
/// `None` when it has none.
fn counter_total(text: &str, name: &str) -> Option<u64> {
    let mut total: Option<u64> = None;
    for line in text.lines() {
        let Some(rest) = line.strip_prefix(name) else {
            continue;
        };
        let value = if let Some(labelled) = rest.strip_prefix('{') {
            labelled.split_once('}').map(|(_, value)| value)
        } else if rest.starts_with(' ') {
            Some(rest)
        } else {
            // Another metric whose name starts with `name`.
            None
        };
        let Some(value) = value.and_then(|value| value.split_whitespace().next()) else {
            continue;
        };
        let Ok(value) = value.parse::<f64>() else {
            continue;
        };
        *total.get_or_insert(0) += value as u64;
    }
    total
}

/// What the upstream's request handler shares.
#[derive(Debug)]
struct Objects {
    /// The frame buffer, made once: every answer is slices of it.
    chunk: Bytes,
    large_bytes: u64,
    requests: AtomicU64,
}

/// Starts the upstream: an S3-like [`SideServer`] serving the objects.
fn start_upstream(large_bytes: u64) -> anyhow::Result<SideServer> {
    let chunk: Vec<u8> = (0..CHUNK_BYTES).map(|index| (index % 251) as u8).collect();
    let objects = Arc::new(Objects {
        chunk: Bytes::from(chunk),
        large_bytes,
        requests: AtomicU64::new(0),
    });
    SideServer::start("upstream", move |request| {
        answer(request, Arc::clone(&objects))
    })
}

/// Answers one request: an object, or `NoSuchKey`.
async fn answer(
    request: Request<Incoming>,
    objects: Arc<Objects>,
) -> Result<Response<ObjectBody>, Infallible> {
    let number = objects.requests.fetch_add(1, Ordering::Relaxed);
    let length = match (request.method(), request.uri().path()) {
        (&http::Method::GET, SMALL_PATH) => Some(SMALL_BYTES),
        (&http::Method::GET, LARGE_PATH) => Some(objects.large_bytes),
        _ => None,
    };
    let (status, content_type, body) = match length {
        Some(length) => (
            StatusCode::OK,
            "application/octet-stream",
            ObjectBody::new(objects.chunk.clone(), length),
        ),
        None => {
            let xml = Bytes::from(format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>{number:016X}</RequestId></Error>"
            ));
            let length = xml.len() as u64;
            (
                StatusCode::NOT_FOUND,
                "application/xml",
                ObjectBody::new(xml, length),
            )
        }
    };
    let length = body.remaining;
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(request_id) = HeaderValue::from_str(&format!("{number:016X}")) {
        headers.insert("x-amz-request-id", request_id);
    }
    Ok(response)
}

/// `remaining` bytes sent as slices of `chunk`, over and over: an object of any size from one
/// buffer.
#[derive(Debug)]
struct ObjectBody {
    chunk: Bytes,
    remaining: u64,
}

impl ObjectBody {
    fn new(chunk: Bytes, length: u64) -> ObjectBody {
        debug_assert!(
            length == 0 || !chunk.is_empty(),
            "bytes from an empty chunk"
        );
        ObjectBody {
            chunk,
            remaining: length,
        }
    }
}

impl Body for ObjectBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _context: &mut TaskContext<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let length = usize::try_from(self.remaining)
            .unwrap_or(usize::MAX)
            .min(self.chunk.len());
        if length == 0 {
            return Poll::Ready(None);
        }
        self.remaining -= length as u64;
        Poll::Ready(Some(Ok(Frame::data(self.chunk.slice(..length)))))
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(p50: u64, p90: u64, p99: u64, max: u64, count: usize) -> LatencySummary {
        LatencySummary {
            count,
            p50: Duration::from_micros(p50),
            p90: Duration::from_micros(p90),
            p99: Duration::from_micros(p99),
            max: Duration::from_micros(max),
        }
    }

    #[test]
    fn added_latency_is_through_minus_direct_per_percentile() {
        let direct = summary(300, 500, 900, 4_000, 100);
        let through = summary(700, 1_100, 2_400, 3_000, 100);
        let added = AddedLatency::between(&direct, &through);
        assert!((added.p50 - 0.4).abs() < 1e-9, "{added:?}");
        assert!((added.p90 - 0.6).abs() < 1e-9, "{added:?}");
        assert!((added.p99 - 1.5).abs() < 1e-9, "{added:?}");
        assert!((added.max + 1.0).abs() < 1e-9, "{added:?}");
        assert_eq!(
            added.describe(),
            "p50 +0.40 ms, p90 +0.60 ms, p99 +1.50 ms, max -1.00 ms"
        );
        assert!(added.within(Duration::from_millis(2)));
        assert!(!added.within(Duration::from_millis(1)));
    }

    #[test]
    fn added_latency_without_requests_never_meets_the_bar() {
        let empty = summary(0, 0, 0, 0, 0);
        let through = summary(700, 1_100, 1_200, 3_000, 100);
        assert!(!AddedLatency::between(&empty, &through).within(Duration::from_millis(2)));
        assert!(!AddedLatency::between(&through, &empty).within(Duration::from_millis(2)));
    }

    #[test]
    fn slots_alternate_routes_at_twice_the_rate() {
        assert_eq!(Route::of_slot(0), Route::Direct);
        assert_eq!(Route::of_slot(1), Route::Through);
        assert_eq!(Route::of_slot(7), Route::Through);
        assert_eq!(slot_offset(0, 1000), Duration::ZERO);
        assert_eq!(slot_offset(1, 1000), Duration::from_micros(500));
        assert_eq!(slot_offset(2000, 1000), Duration::from_secs(1));
        assert_eq!(slot_offset(3, 3), Duration::from_millis(500));
        // Large slot numbers do not overflow.
        assert_eq!(
            slot_offset(2 * 1_000_000 * 86_400, 1_000_000),
            Duration::from_secs(86_400)
        );
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&mut []), 0.0);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
    }

    #[test]
    fn counters_are_read_from_prometheus_text() {
        let text = "# TYPE opentrail_endpoint_events_total counter\n\
                    opentrail_endpoint_events_total 42\n\
                    opentrail_endpoint_events_total_other 7\n\
                    opentrail_api_requests_total{operation=\"Ingest\",status=\"200\"} 5\n\
                    opentrail_api_requests_total{operation=\"LookupEvents\",status=\"200\"} 6\n";
        assert_eq!(
            counter_total(text, "opentrail_endpoint_events_total"),
            Some(42)
        );
        assert_eq!(
            counter_total(text, "opentrail_api_requests_total"),
            Some(11)
        );
        assert_eq!(counter_total(text, "opentrail_missing_total"), None);
        assert_eq!(counter_total("", "opentrail_endpoint_events_total"), None);
    }

    #[test]
    fn object_bodies_are_cut_from_one_chunk() {
        let mut body = ObjectBody::new(Bytes::from_static(b"abcd"), 10);
        assert_eq!(body.size_hint().exact(), Some(10));
        let waker = std::task::Waker::noop();
        let mut context = TaskContext::from_waker(waker);
        let mut read = Vec::new();
        while let Poll::Ready(Some(Ok(frame))) = Pin::new(&mut body).poll_frame(&mut context) {
            read.extend_from_slice(frame.data_ref().unwrap());
        }
        assert_eq!(read, b"abcdabcdab");
        assert!(body.is_end_stream());
    }
}
