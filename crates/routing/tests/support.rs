//! A scripted HTTP/1.1 webhook receiver on `127.0.0.1:0` that records every request, and
//! helpers shared by the delivery tests.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use opentrail_routing::{Envelope, Job, RuleRef, TargetsConfig, envelope};
use opentrail_rules::Target;
use opentrail_types::{Clock, Timestamp};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// What the server answers to one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// This status, at once.
    Status(u16),
    /// This status after a delay (longer than the client's time-out: a time-out).
    Delayed(Duration, u16),
    /// This status with one extra header.
    WithHeader(u16, &'static str, &'static str),
}

/// One request as received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub target: String,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }
}

#[derive(Debug, Default)]
struct Script {
    replies: VecDeque<Reply>,
    requests: Vec<Recorded>,
}

/// The running server; [`WebhookServer::shutdown`] stops it.
pub struct WebhookServer {
    pub address: SocketAddr,
    script: Arc<Mutex<Script>>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl WebhookServer {
    /// Starts a server answering `replies` in order, then 200 to everything.
    pub async fn start(replies: Vec<Reply>) -> WebhookServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let script = Arc::new(Mutex::new(Script {
            replies: replies.into(),
            requests: Vec::new(),
        }));
        let (stop, mut stopped) = oneshot::channel();
        let shared = Arc::clone(&script);
        let task = tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = &mut stopped => break,
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { break };
                        tokio::spawn(answer(stream, Arc::clone(&shared)));
                    }
                }
            }
        });
        WebhookServer {
            address,
            script,
            stop: Some(stop),
            task,
        }
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.script.lock().unwrap().requests.clone()
    }

    /// Stops accepting and waits for the accept loop to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        (&mut self.task).await.unwrap();
    }
}

async fn answer(mut stream: TcpStream, script: Arc<Mutex<Script>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let reply = {
        let mut script = script.lock().unwrap();
        script.requests.push(request);
        script.replies.pop_front().unwrap_or(Reply::Status(200))
    };
    let (status, extra) = match reply {
        Reply::Status(status) => (status, String::new()),
        Reply::Delayed(delay, status) => {
            tokio::time::sleep(delay).await;
            (status, String::new())
        }
        Reply::WithHeader(status, name, value) => (status, format!("{name}: {value}\r\n")),
    };
    let response = format!(
        "HTTP/1.1 {status} Scripted\r\nContent-Length: 0\r\nConnection: close\r\n{extra}\r\n"
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

async fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut buffer = Vec::new();
    let mut chunk = [0_u8; 4096];
    let header_end = loop {
        if let Some(at) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break at;
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[header_end + 4..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    Some(Recorded {
        method,
        target,
        headers,
        body,
    })
}

/// A clock that follows tokio's (pausable) clock from a fixed start, so event age grows
/// while paused-time tests sleep through backoff.
#[derive(Debug)]
pub struct TokioClock {
    start: Timestamp,
    started: tokio::time::Instant,
}

impl TokioClock {
    pub fn new(start: Timestamp) -> TokioClock {
        TokioClock {
            start,
            started: tokio::time::Instant::now(),
        }
    }
}

impl Clock for TokioClock {
    fn now(&self) -> Timestamp {
        let elapsed = i64::try_from(self.started.elapsed().as_millis()).unwrap();
        self.start.saturating_add_millis(elapsed)
    }
}

pub const RECORD: &str = r#"{"eventVersion":"1.11","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::210987654321:user/alice","accountId":"210987654321"},"eventTime":"2026-03-04T17:05:21Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","awsRegion":"us-east-1","requestParameters":{"userName":"build-bot"},"eventID":"9f3a7c1e-4b2d-4e8f-a6c5-1d0e2f3b4a59","readOnly":false,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"210987654321","eventCategory":"Management"}"#;

pub fn start_time() -> Timestamp {
    Timestamp::parse_event_time("2026-03-04T17:05:30Z").unwrap()
}

pub fn test_envelope() -> Arc<Envelope> {
    Arc::new(envelope(RECORD.as_bytes()).unwrap())
}

pub fn rule() -> RuleRef {
    RuleRef {
        name: String::from("iam-changes"),
        arn: String::from("arn:aws:events:us-east-1:210987654321:rule/iam-changes"),
    }
}

/// A target from the model's serde form (robust to members added later).
pub fn target(value: serde_json::Value) -> Arc<Target> {
    Arc::new(serde_json::from_value(value).unwrap())
}

pub fn job(target: Arc<Target>, acknowledged: Timestamp) -> Job {
    Job {
        rule: rule(),
        target,
        envelope: test_envelope(),
        acknowledged,
    }
}

/// Settings with fast backoff for real-time tests.
pub fn fast_config(dir: &Path) -> TargetsConfig {
    let mut config = TargetsConfig::new(dir.join("rules"), dir.join("rules/dead-letter.ndjson"));
    config.webhook_timeout = Duration::from_millis(300);
    config.backoff_initial = Duration::from_millis(5);
    config.backoff_max = Duration::from_millis(20);
    config
}

/// The JSON lines of a file.
pub fn json_lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}
