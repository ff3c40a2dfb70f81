//! A `moto_server` (pip package `moto[server]`) on loopback, for the S3 tests.
//!
//! The S3 tests fail, never skip, when `moto_server` is missing: CI installs it. Set
//! `MOTO_SERVER` to use another executable. Tests share one server while any of them runs;
//! the last one to finish stops it (by its own process ID, in `Drop`).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use opentrail_blob::{Bucket, S3Settings};

/// Credentials moto accepts (it accepts any).
pub const ACCESS_KEY_ID: &str = "testing";
pub const SECRET_ACCESS_KEY: &str = "testing";

static SHARED: Mutex<Weak<MotoServer>> = Mutex::new(Weak::new());
static BUCKET_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A running moto server.
#[derive(Debug)]
pub struct MotoServer {
    child: Child,
    port: u16,
    log: PathBuf,
    _log_dir: tempfile::TempDir,
}

impl MotoServer {
    /// Returns the shared server, starting it if no test holds it.
    pub fn shared() -> Arc<MotoServer> {
        let mut shared = SHARED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(server) = shared.upgrade() {
            return server;
        }
        let server = Arc::new(MotoServer::start());
        *shared = Arc::downgrade(&server);
        server
    }

    /// Starts a new server on a free loopback port and waits until it answers.
    ///
    /// # Panics
    ///
    /// When `moto_server` cannot be run or does not answer within 30 seconds.
    pub fn start() -> MotoServer {
        let program = std::env::var("MOTO_SERVER").unwrap_or_else(|_| "moto_server".to_owned());
        let mut last_failure = String::new();
        // The free port may be taken between our probe and moto's bind: try a few.
        for _ in 0..3 {
            let port = free_port();
            let log_dir = tempfile::tempdir().expect("temp dir for the moto log");
            let log = log_dir.path().join("moto.log");
            let log_file = std::fs::File::create(&log).expect("moto log file");
            let stderr = log_file.try_clone().expect("moto log file");
            let spawned = Command::new(&program)
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdin(Stdio::null())
                .stdout(log_file)
                .stderr(stderr)
                .spawn();
            let child = match spawned {
                Ok(child) => child,
                Err(error) => panic!(
                    "cannot run `{program}` ({error}): the S3 tests need moto's S3 emulator; \
                     install it with `python3 -m pip install 'moto[server]'`"
                ),
            };
            let mut server = MotoServer {
                child,
                port,
                log,
                _log_dir: log_dir,
            };
            match server.wait_until_ready(Duration::from_secs(30)) {
                Ok(()) => return server,
                Err(failure) => last_failure = failure,
            }
        }
        panic!("moto_server did not start: {last_failure}");
    }

    fn wait_until_ready(&mut self, timeout: Duration) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "it exited with {status}; log:\n{}",
                    self.log_text()
                ));
            }
            if let Ok((200, _)) = raw_request(self.port, "GET", "/") {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "no answer on port {} after {timeout:?}; log:\n{}",
                    self.port,
                    self.log_text()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Returns the endpoint URL, `http://127.0.0.1:<port>`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Returns settings that reach this server with signed requests.
    pub fn settings(&self) -> S3Settings {
        S3Settings {
            endpoint_url: Some(self.endpoint()),
            region: Some("us-east-1".to_owned()),
            access_key_id: Some(ACCESS_KEY_ID.to_owned()),
            secret_access_key: Some(SECRET_ACCESS_KEY.to_owned()),
            session_token: None,
            force_path_style: true,
            allow_http: true,
        }
    }

    /// Creates a bucket with a fresh name starting with `label`, and returns its name.
    pub fn create_bucket(&self, label: &str) -> String {
        let name = self.unique_bucket_name(label);
        let (status, body) =
            raw_request(self.port, "PUT", &format!("/{name}")).expect("create bucket");
        assert_eq!(status, 200, "creating bucket `{name}` failed: {body}");
        name
    }

    /// Returns a fresh bucket name starting with `label`, without creating the bucket.
    pub fn unique_bucket_name(&self, label: &str) -> String {
        let sequence = BUCKET_COUNTER.fetch_add(1, Ordering::Relaxed);
        format!("{label}-{}-{sequence}", std::process::id())
    }

    /// Creates a bucket and returns a handle on it.
    pub fn bucket(&self, label: &str) -> Bucket {
        let name = self.create_bucket(label);
        Bucket::s3(&name, &self.settings()).expect("S3 bucket handle")
    }

    /// Returns what boto3 sees in a `HeadObject` of `key`: the SSE headers and the user
    /// metadata, as JSON. An independent client confirms what went over the wire.
    pub fn boto3_head_object(&self, bucket: &str, key: &str) -> serde_json::Value {
        let script = r#"
import json, sys, boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1",
                  aws_access_key_id="testing", aws_secret_access_key="testing")
head = s3.head_object(Bucket=sys.argv[2], Key=sys.argv[3])
print(json.dumps({k: head.get(k) for k in ("ServerSideEncryption", "SSEKMSKeyId", "Metadata")}))
"#;
        let output = Command::new("python3")
            .args(["-c", script, &self.endpoint(), bucket, key])
            .output()
            .expect("run python3 with boto3 (installed with moto)");
        assert!(
            output.status.success(),
            "boto3 head_object failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).expect("boto3 output is JSON")
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        // Our own child, by its process ID.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Returns a loopback port that was free a moment ago.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a probe port");
    listener.local_addr().expect("probe port address").port()
}

/// Sends one unsigned HTTP/1.1 request and returns the status and body.
pub fn raw_request(port: u16, method: &str, path: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes())?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("not an HTTP response: {response:.80}")))?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}
