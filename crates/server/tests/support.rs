//! A server on a background runtime, and a raw HTTP/1.1 client that signs with SigV4.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use opentrail_server::Server;
use opentrail_server::config::{Config, KeySection};
use opentrail_sigv4::{Credentials, SigningParams, sign};
use opentrail_types::{ManualClock, SeededIds, SharedClock, SystemClock, Timestamp};

pub const READER: (&str, &str) = ("AKIAREADER0000000001", "reader-secret-0123456789");
pub const ACCOUNT: &str = "111122223333";

/// A running server; stopped (and its engine closed) on drop.
pub struct TestServer {
    pub address: SocketAddr,
    pub clock: SharedClock,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

pub fn start(adjust: impl FnOnce(&mut Config), clock: Option<Arc<ManualClock>>) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config {
        data_dir: dir.path().join("data"),
        ..Config::default()
    };
    config.admin.account_id = Some(String::from(ACCOUNT));
    config.keys.push(KeySection {
        access_key_id: String::from(READER.0),
        secret_access_key: String::from(READER.1),
        account_id: String::from(ACCOUNT),
        user_name: String::from("reader"),
        arn: None,
        permission: String::from("read-only"),
    });
    adjust(&mut config);
    let shared_clock: SharedClock = match clock {
        Some(manual) => manual,
        None => Arc::new(SystemClock),
    };
    let server = Server::open(config, shared_clock.clone(), Arc::new(SeededIds::new(3))).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let address = listener.local_addr().unwrap();
    let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        runtime
            .block_on(server.run(listener, async {
                let _ = stopped.await;
            }))
            .unwrap();
    });
    TestServer {
        address,
        clock: shared_clock,
        shutdown: Some(shutdown),
        thread: Some(thread),
        _dir: dir,
    }
}

/// A response: status, raw head, body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "not JSON ({error}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// Signs a POST at `signed_at` and returns the raw request bytes.
pub fn signed_post(
    address: SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    key: (&str, &str),
    signed_at: Timestamp,
) -> Vec<u8> {
    let mut builder = http::Request::builder()
        .method("POST")
        .uri(format!("http://{address}{path}"));
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let (mut parts, ()) = builder.body(()).unwrap().into_parts();
    let credentials = Credentials::new(key.0, key.1);
    let params = SigningParams {
        credentials: &credentials,
        region: "us-east-1",
        service: "cloudtrail",
        epoch_ms: signed_at.as_millis(),
    };
    sign(&mut parts, body, &params).unwrap();
    let mut request = format!("POST {path} HTTP/1.1\r\n");
    for (name, value) in &parts.headers {
        request.push_str(&format!("{name}: {}\r\n", value.to_str().unwrap()));
    }
    request.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    let mut bytes = request.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// Sends `request` on a fresh connection and reads one response.
pub fn exchange(address: SocketAddr, request: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(request).unwrap();
    read_answer(&mut stream)
}

pub fn read_answer(stream: &mut TcpStream) -> Answer {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 65536];
    loop {
        let read = stream.read(&mut chunk).unwrap();
        assert!(
            read > 0,
            "connection closed before a full response: {}",
            String::from_utf8_lossy(&buffer)
        );
        buffer.extend_from_slice(&chunk[..read]);
        let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&buffer[..end]).to_string();
        let length: usize = head
            .lines()
            .find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse().ok())?
            })
            .unwrap_or(0);
        if buffer.len() >= end + 4 + length {
            let status = head[9..12].parse().unwrap();
            return Answer {
                status,
                body: buffer[end + 4..end + 4 + length].to_vec(),
                head,
            };
        }
    }
}

pub const LOOKUP_HEADERS: &[(&str, &str)] = &[
    ("content-type", "application/x-amz-json-1.1"),
    (
        "x-amz-target",
        "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents",
    ),
];

/// A signed LookupEvents call by the read-only key, signed at the server's clock time.
pub fn lookup(server: &TestServer, body: &[u8]) -> Answer {
    let request = signed_post(
        server.address,
        "/",
        LOOKUP_HEADERS,
        body,
        READER,
        server.clock.now(),
    );
    exchange(server.address, &request)
}
