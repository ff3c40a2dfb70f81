//! Running the binary, and a data directory with the fixtures imported.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;

pub fn opentrail() -> Command {
    let mut command = Command::cargo_bin("opentrail").unwrap();
    command
        .env_remove("OPENTRAIL_DATA_DIR")
        .env_remove("OPENTRAIL_CONFIG")
        .env("OPENTRAIL_LOG", "error");
    command
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// Imports the repository's CloudTrail fixtures (log files, records and digests, not the
/// EventBridge cases beside them) into `data_dir`.
pub fn import_fixtures(data_dir: &Path) -> Output {
    let root = opentrail_testkit::testdata::root();
    let output = opentrail()
        .args(["import", "--data-dir"])
        .arg(data_dir)
        .arg(root.join("cloudtrail-logs"))
        .arg(root.join("cloudtrail-records"))
        .arg(root.join("digests"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "import failed: {}\n{}",
        stdout(&output),
        stderr(&output)
    );
    output
}

/// A running `opentrail serve`, killed (by its own process id) when the test ends however
/// it ends, unless stopped first.
pub struct Served {
    pub child: std::process::Child,
    pub endpoint: String,
    pub banner: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    /// Sends SIGTERM and waits (at most a minute) for the exit.
    pub fn stop(mut self) -> std::process::ExitStatus {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the server did not stop within 60 s of SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Kills it with SIGKILL and waits.
    pub fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

/// Starts `opentrail serve` on 127.0.0.1 for `data_dir`, with the config file `config`
/// (or the admin account 111111111111 and defaults) and the extra environment `env`;
/// returns it once its banner names the endpoint.
pub fn launch(data_dir: &Path, config: Option<&Path>, env: &[(&str, &str)]) -> Served {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("opentrail"));
    command
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .env_remove("OPENTRAIL_DATA_DIR")
        .env_remove("OPENTRAIL_CONFIG")
        .env_remove("OPENTRAIL_LISTEN")
        .env_remove("AWS_PROFILE")
        .env("OPENTRAIL_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    match config {
        Some(config) => {
            command.arg("--config").arg(config);
        }
        None => {
            command.env("OPENTRAIL__ADMIN__ACCOUNT_ID", "\"111111111111\"");
        }
    }
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut reader = BufReader::new(stdout);
    let mut banner = String::new();
    // The banner ends with the aws command line.
    for _ in 0..8 {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 {
            break;
        }
        banner.push_str(&line);
        if banner.contains("cloudtrail lookup-events") {
            break;
        }
    }
    let endpoint = banner
        .split_whitespace()
        .find(|word| word.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no endpoint in the banner: {banner:?}"))
        .to_owned();
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in reader.lines() {});
    Served {
        child,
        endpoint,
        banner,
    }
}

/// The access key of `data_dir`'s `credentials` file.
pub fn admin_key(data_dir: &Path) -> (String, String) {
    let text = std::fs::read_to_string(data_dir.join("credentials")).unwrap();
    let value = |name: &str| {
        text.lines()
            .find_map(|line| line.split_once('=').filter(|(key, _)| key.trim() == name))
            .map(|(_, value)| value.trim().to_owned())
            .unwrap()
    };
    (value("aws_access_key_id"), value("aws_secret_access_key"))
}

/// Sends one signed request (`POST path`) on a fresh connection; returns the status code
/// and the body, or `None` when the server is unreachable or hangs up.
pub fn signed_request(
    endpoint: &str,
    key: (&str, &str),
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Option<(u16, String)> {
    signed_request_as("cloudtrail", endpoint, key, path, headers, body)
}

/// As [`signed_request`], signed for the signing name `service`.
pub fn signed_request_as(
    service: &str,
    endpoint: &str,
    key: (&str, &str),
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let address = endpoint.trim_start_matches("http://");
    let mut builder = http::Request::builder()
        .method("POST")
        .uri(format!("{endpoint}{path}"));
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let (mut parts, ()) = builder.body(()).unwrap().into_parts();
    let credentials = opentrail_sigv4::Credentials::new(key.0, key.1);
    let now_ms = i64::try_from(
        std::time::SystemTime::UNIX_EPOCH
            .elapsed()
            .unwrap()
            .as_millis(),
    )
    .unwrap();
    let params = opentrail_sigv4::SigningParams {
        credentials: &credentials,
        region: "us-east-1",
        service,
        epoch_ms: now_ms,
    };
    opentrail_sigv4::sign(&mut parts, body, &params).unwrap();
    let mut request = format!("POST {path} HTTP/1.1\r\nconnection: close\r\n");
    for (name, value) in &parts.headers {
        request.push_str(&format!("{name}: {}\r\n", value.to_str().unwrap()));
    }
    request.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    let mut stream = TcpStream::connect(address).ok()?;
    stream.write_all(request.as_bytes()).ok()?;
    stream.write_all(body).ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    let text = String::from_utf8_lossy(&answer);
    let status = text.get(9..12)?.parse().ok()?;
    let (_, json) = text.split_once("\r\n\r\n")?;
    Some((status, json.to_owned()))
}

/// Calls a CloudTrail operation (JSON 1.1) and panics unless it succeeds.
pub fn call_api(endpoint: &str, key: (&str, &str), operation: &str, body: &str) -> String {
    let target = format!("CloudTrail_20131101.{operation}");
    let (status, answer) = signed_request(
        endpoint,
        key,
        "/",
        &[
            ("content-type", "application/x-amz-json-1.1"),
            ("x-amz-target", target.as_str()),
        ],
        body.as_bytes(),
    )
    .unwrap_or_else(|| panic!("{operation}: no answer"));
    assert_eq!(status, 200, "{operation}: {answer}");
    answer
}

/// Calls an EventBridge operation (`AWSEvents`, signed for `events`) and panics unless it
/// succeeds.
pub fn call_events(endpoint: &str, key: (&str, &str), operation: &str, body: &str) -> String {
    let target = format!("AWSEvents.{operation}");
    let (status, answer) = signed_request_as(
        "events",
        endpoint,
        key,
        "/",
        &[
            ("content-type", "application/x-amz-json-1.1"),
            ("x-amz-target", target.as_str()),
        ],
        body.as_bytes(),
    )
    .unwrap_or_else(|| panic!("{operation}: no answer"));
    assert_eq!(status, 200, "{operation}: {answer}");
    answer
}

/// Runs the end-to-end script `tests/<script>` with python3 against `served`: the
/// endpoint, the admin key's credentials file, the data directory and `phase` in its
/// environment, plus `extra`. Panics with what it printed when it fails; returns its
/// standard output.
pub fn run_script(
    script: &str,
    served: &Served,
    data_dir: &Path,
    phase: &str,
    extra: &[(&str, &std::ffi::OsStr)],
) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(script);
    let mut command = std::process::Command::new("python3");
    command
        .arg(path)
        .env("OPENTRAIL_ENDPOINT", &served.endpoint)
        .env("OPENTRAIL_CREDENTIALS", data_dir.join("credentials"))
        .env("OPENTRAIL_DATA_DIR", data_dir)
        .env("OPENTRAIL_PHASE", phase);
    for (name, value) in extra {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{script} ({phase}) failed:\n{printed}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    printed
}

/// A port no one listens on now (for a server the test starts next).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// moto_server, killed (by its own process id) when the test ends, however it ends.
pub struct Moto(std::process::Child);

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `moto_server` on 127.0.0.1 and waits until it accepts connections; returns it
/// and its URL.
pub fn moto() -> (Moto, String) {
    moto_with(&[])
}

/// [`moto`] with extra environment (e.g. `INITIAL_NO_AUTH_ACTION_COUNT` to turn on its
/// signature checks).
pub fn moto_with(env: &[(&str, &str)]) -> (Moto, String) {
    let port = free_port();
    let child = std::process::Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .envs(env.iter().copied())
        .spawn()
        .unwrap_or_else(|error| {
            panic!("cannot start moto_server ({error}); install it with `python3 -m pip install 'moto[server]'`")
        });
    let killed = Moto(child);
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "moto_server did not start within 60 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    (killed, format!("http://127.0.0.1:{port}"))
}
