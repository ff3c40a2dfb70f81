//! What the HTTP benchmarks (`serve-lookups`, `serve-ingest`, `serve-delivery`,
//! `rules-webhook`, `endpoint`) share: the server run in-process on a tokio runtime, keep-alive
//! HTTP/1.1 client connections (hyper), SigV4 signing with `opentrail-sigv4`, and latency
//! figures.
//!
//! Client and server share one process and one multi-thread runtime (one worker per
//! core), as a benchmark on one machine must: the figures include the client's own CPU.

pub mod delivery;
pub mod endpoint;
pub mod ingest;
pub mod lookups;
pub mod webhook;

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::Context;
use bytes::Bytes;
use http::header::{CONTENT_TYPE, HOST};
use http::{HeaderValue, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::client::conn::http1::SendRequest;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use opentrail_server::Server;
use opentrail_sigv4::{Credentials, SigningParams};
use opentrail_types::{Clock, SystemClock};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::{milliseconds, percentile};

/// Failures kept word for word in the report; the rest are only counted.
const FAILURE_EXAMPLES: usize = 5;
/// Characters of an error response body quoted in a failure.
const QUOTED_BODY_CHARS: usize = 300;

/// Returns the runtime the server and the client share: one worker per core.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the tokio runtime")
}

/// A server serving `127.0.0.1` on a free port, on the current runtime.
#[derive(Debug)]
pub struct RunningServer {
    /// Where it listens.
    pub address: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<opentrail_server::Result<()>>,
}

impl RunningServer {
    /// Binds `127.0.0.1:0` and runs `server` on it in a task.
    pub async fn start(server: Server) -> anyhow::Result<RunningServer> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .context("cannot bind 127.0.0.1:0")?;
        let address = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server.run(listener, async move {
            let _ = stopped.await;
        }));
        Ok(RunningServer {
            address,
            stop,
            task,
        })
    }

    /// Stops the server and waits until it has closed the data directory.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.stop.send(());
        self.task
            .await
            .context("the server task panicked")?
            .context("the server failed")
    }
}

/// Signs requests to one server with one access key.
#[derive(Debug)]
pub struct Signer {
    credentials: Credentials,
    region: String,
    host: HeaderValue,
}

impl Signer {
    /// A signer for the server at `address` (Region `region`).
    pub fn new(
        credentials: Credentials,
        region: String,
        address: SocketAddr,
    ) -> anyhow::Result<Signer> {
        let host = HeaderValue::from_str(&address.to_string())?;
        Ok(Signer {
            credentials,
            region,
            host,
        })
    }

    /// Returns `POST path` with `body`, signed now for CloudTrail (`cloudtrail`).
    pub fn post(
        &self,
        path: &str,
        content_type: &'static str,
        target: Option<&'static str>,
        body: Bytes,
    ) -> anyhow::Result<Request<Full<Bytes>>> {
        self.post_for(
            opentrail_server::SIGNING_SERVICE,
            path,
            content_type,
            target,
            body,
        )
    }

    /// Returns `POST path` with `body`, signed now for the signing name `service`
    /// (`events` for the EventBridge API).
    pub fn post_for(
        &self,
        service: &str,
        path: &str,
        content_type: &'static str,
        target: Option<&'static str>,
        body: Bytes,
    ) -> anyhow::Result<Request<Full<Bytes>>> {
        let mut builder = Request::post(path)
            .header(HOST, self.host.clone())
            .header(CONTENT_TYPE, content_type);
        if let Some(target) = target {
            builder = builder.header("x-amz-target", target);
        }
        let (mut parts, ()) = builder.body(())?.into_parts();
        let params = SigningParams {
            credentials: &self.credentials,
            region: &self.region,
            service,
            epoch_ms: SystemClock.now().as_millis(),
        };
        opentrail_sigv4::sign(&mut parts, &body, &params).context("cannot sign the request")?;
        Ok(Request::from_parts(parts, Full::new(body)))
    }

    /// Returns an unsigned `GET path`.
    pub fn get(&self, path: &str) -> anyhow::Result<Request<Full<Bytes>>> {
        Ok(Request::get(path)
            .header(HOST, self.host.clone())
            .body(Full::new(Bytes::new()))?)
    }
}

/// One keep-alive HTTP/1.1 connection, opened again when the server closed it.
#[derive(Debug)]
pub struct Connection {
    address: SocketAddr,
    sender: Option<SendRequest<Full<Bytes>>>,
}

impl Connection {
    /// A connection to `address`, opened on the first request.
    pub fn new(address: SocketAddr) -> Connection {
        Connection {
            address,
            sender: None,
        }
    }

    /// Sends `request` and reads the whole response.
    pub async fn send(
        &mut self,
        request: Request<Full<Bytes>>,
    ) -> anyhow::Result<(StatusCode, Bytes)> {
        let sender = match self.sender.take() {
            Some(sender) if !sender.is_closed() => sender,
            _ => connect(self.address).await?,
        };
        let sender = self.sender.insert(sender);
        let response = async {
            sender.ready().await.context("the connection closed")?;
            let response = sender
                .send_request(request)
                .await
                .context("the request failed")?;
            let status = response.status();
            let body = response
                .into_body()
                .collect()
                .await
                .context("cannot read the response body")?
                .to_bytes();
            anyhow::Ok((status, body))
        }
        .await;
        if response.is_err() {
            self.sender = None;
        }
        response
    }
}

/// An HTTP/1.1 server of the benchmark's own (the webhook receiver, the S3-like upstream)
/// on `127.0.0.1`, on its own thread and single-thread runtime, so it shares no worker with
/// the client and server it serves; each connection is served on its own task.
#[derive(Debug)]
pub struct SideServer {
    /// Where it listens.
    pub address: SocketAddr,
    stop: oneshot::Sender<()>,
    thread: std::thread::JoinHandle<anyhow::Result<()>>,
}

impl SideServer {
    /// Binds `127.0.0.1:0` and serves each request with `handler` on a new thread named
    /// `name` until [`SideServer::stop`].
    pub fn start<H, F, B>(name: &'static str, handler: H) -> anyhow::Result<SideServer>
    where
        H: Fn(Request<Incoming>) -> F + Clone + Send + 'static,
        F: Future<Output = Result<Response<B>, Infallible>> + Send + 'static,
        B: hyper::body::Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let listener =
            std::net::TcpListener::bind("127.0.0.1:0").context("cannot bind 127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name(String::from(name))
            .spawn(move || serve_side(name, listener, handler, stopped))
            .with_context(|| format!("cannot start the {name} thread"))?;
        Ok(SideServer {
            address,
            stop,
            thread,
        })
    }

    /// Stops serving and waits for the thread.
    pub fn stop(self) -> anyhow::Result<()> {
        let _ = self.stop.send(());
        let name = self
            .thread
            .thread()
            .name()
            .unwrap_or("side server")
            .to_owned();
        self.thread
            .join()
            .map_err(|_| anyhow::anyhow!("the {name} thread panicked"))?
    }
}

/// Accepts connections until `stopped`, serving each on its own task.
fn serve_side<H, F, B>(
    name: &str,
    listener: std::net::TcpListener,
    handler: H,
    mut stopped: oneshot::Receiver<()>,
) -> anyhow::Result<()>
where
    H: Fn(Request<Incoming>) -> F + Clone + Send + 'static,
    F: Future<Output = Result<Response<B>, Infallible>> + Send + 'static,
    B: hyper::body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .with_context(|| format!("cannot start the {name}'s runtime"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        loop {
            let (stream, _) = tokio::select! {
                _ = &mut stopped => return anyhow::Ok(()),
                accepted = listener.accept() => accepted.with_context(|| format!("the {name} cannot accept"))?,
            };
            stream.set_nodelay(true)?;
            let handler = handler.clone();
            tokio::spawn(async move {
                // A connection the other side drops ends here.
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service_fn(handler))
                    .await;
            });
        }
    })
}

/// Opens a keep-alive HTTP/1.1 connection to `address` (`TCP_NODELAY`).
pub(crate) async fn connect(address: SocketAddr) -> anyhow::Result<SendRequest<Full<Bytes>>> {
    let stream = tokio::net::TcpStream::connect(address)
        .await
        .with_context(|| format!("cannot connect to {address}"))?;
    stream.set_nodelay(true)?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .context("HTTP handshake failed")?;
    tokio::spawn(async move {
        // A broken connection shows up as a failed request or body on `sender`.
        let _ = connection.await;
    });
    Ok(sender)
}

/// Makes one AWS JSON 1.1 call (`POST /`, `X-Amz-Target: target`) signed for `service`;
/// returns the response body, and fails unless the call answers 200.
pub async fn call(
    connection: &mut Connection,
    signer: &Signer,
    service: &str,
    target: &'static str,
    body: &serde_json::Value,
) -> anyhow::Result<Bytes> {
    let request = signer.post_for(
        service,
        "/",
        lookups::JSON_11,
        Some(target),
        Bytes::from(body.to_string()),
    )?;
    let (status, answer) = connection.send(request).await?;
    anyhow::ensure!(
        status == StatusCode::OK,
        "{target} answered {status}: {}",
        quote(&answer)
    );
    Ok(answer)
}

/// Waits until `/healthz` reports every durable event searchable.
pub async fn wait_until_searchable(signer: &Signer, address: SocketAddr) -> anyhow::Result<()> {
    let mut connection = Connection::new(address);
    let started = Instant::now();
    let mut announced = Instant::now();
    loop {
        let (status, body) = connection.send(signer.get("/healthz")?).await?;
        anyhow::ensure!(
            status == StatusCode::OK,
            "/healthz answered {status}: {}",
            quote(&body)
        );
        let health: serde_json::Value =
            serde_json::from_slice(&body).context("/healthz answered no JSON")?;
        let lag = health["historyLagEvents"].as_u64().unwrap_or(0);
        if lag == 0 {
            return Ok(());
        }
        if announced.elapsed() > Duration::from_secs(10) {
            println!(
                "waiting for the history to catch up: {lag} events behind ({:.0} s)…",
                started.elapsed().as_secs_f64()
            );
            announced = Instant::now();
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The start of a response body, for a failure message.
pub fn quote(body: &[u8]) -> String {
    String::from_utf8_lossy(body)
        .chars()
        .take(QUOTED_BODY_CHARS)
        .collect()
}

/// Failed requests: counted, the first few kept.
#[derive(Debug, Default)]
pub struct Failures {
    /// Failed requests.
    pub count: u64,
    /// The first few, described.
    pub examples: Vec<String>,
}

impl Failures {
    /// Counts one failure.
    pub fn record(&mut self, description: String) {
        self.count += 1;
        if self.examples.len() < FAILURE_EXAMPLES {
            self.examples.push(description);
        }
    }

    /// Adds the failures of another connection.
    pub fn merge(&mut self, other: Failures) {
        self.count += other.count;
        for example in other.examples {
            if self.examples.len() < FAILURE_EXAMPLES {
                self.examples.push(example);
            }
        }
    }

    /// Prints the failures and fails when there were any.
    pub fn check(&self, total: u64) -> anyhow::Result<()> {
        if self.count == 0 {
            return Ok(());
        }
        println!("FAILED: {} of {total} requests", self.count);
        for example in &self.examples {
            println!("  {example}");
        }
        anyhow::bail!("{} requests failed", self.count)
    }
}

/// Percentiles of request latencies.
#[derive(Debug, Clone, Copy)]
pub struct LatencySummary {
    /// Requests measured.
    pub count: usize,
    /// Median.
    pub p50: Duration,
    /// 90th percentile.
    pub p90: Duration,
    /// 99th percentile.
    pub p99: Duration,
    /// Slowest.
    pub max: Duration,
}

impl LatencySummary {
    /// Sorts `latencies` and summarises them.
    pub fn of(latencies: &mut [Duration]) -> LatencySummary {
        latencies.sort_unstable();
        LatencySummary {
            count: latencies.len(),
            p50: percentile(latencies, 0.5),
            p90: percentile(latencies, 0.9),
            p99: percentile(latencies, 0.99),
            max: latencies.last().copied().unwrap_or(Duration::ZERO),
        }
    }

    /// `p50 … ms, p90 … ms, p99 … ms, max … ms`.
    pub fn describe(&self) -> String {
        format!(
            "p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            milliseconds(self.p50),
            milliseconds(self.p90),
            milliseconds(self.p99),
            milliseconds(self.max)
        )
    }
}

/// `met` or `NOT MET`.
pub fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT MET" }
}
