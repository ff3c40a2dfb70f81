//! `opentrail serve`, driven by the real aws CLI and boto3 (`serve_e2e.py`).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::support::{opentrail, stderr};

const AUDITOR: (&str, &str) = ("AKIAAUDITOR000000001", "auditor-secret-0123456789");
const SHIPPER: (&str, &str) = ("AKIASHIPPER000000001", "shipper-secret-0123456789");

/// A running `opentrail serve`, killed (by its own process id) if a test fails before
/// stopping it.
struct Served {
    child: Child,
    endpoint: String,
    banner: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    /// Sends SIGTERM and waits for the exit.
    fn stop(mut self) -> ExitStatus {
        let status = Command::new("kill")
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
}

fn write_config(dir: &Path) -> PathBuf {
    let path = dir.join("opentrail.toml");
    let config = format!(
        r#"
[server]
max_body_bytes = 1048576

[admin]
account_id = "111111111111"

[[keys]]
access_key_id = "{}"
secret_access_key = "{}"
account_id = "222222222222"
user_name = "auditor"
permission = "read-only"

[[keys]]
access_key_id = "{}"
secret_access_key = "{}"
account_id = "222222222222"
user_name = "shipper"
permission = "ingest-only"
"#,
        AUDITOR.0, AUDITOR.1, SHIPPER.0, SHIPPER.1
    );
    std::fs::write(&path, config).unwrap();
    path
}

fn serve(data_dir: &Path, config: &Path) -> Served {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("opentrail"));
    command
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .arg("--config")
        .arg(config)
        .env_remove("OPENTRAIL_DATA_DIR")
        .env_remove("OPENTRAIL_CONFIG")
        .env_remove("OPENTRAIL_LISTEN")
        .env("OPENTRAIL_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut child = command.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut reader = BufReader::new(stdout);
    let mut banner = String::new();
    // The banner ends with a blank line after the aws command line.
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

fn run_e2e(served: &Served, data_dir: &Path, phase: &str) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/serve_e2e.py");
    let output = Command::new("python3")
        .arg(script)
        .env("OPENTRAIL_ENDPOINT", &served.endpoint)
        .env("OPENTRAIL_CREDENTIALS", data_dir.join("credentials"))
        .env("OPENTRAIL_AUDITOR", format!("{}:{}", AUDITOR.0, AUDITOR.1))
        .env("OPENTRAIL_SHIPPER", format!("{}:{}", SHIPPER.0, SHIPPER.1))
        .env("OPENTRAIL_PHASE", phase)
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "serve_e2e.py ({phase}) failed:\n{printed}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn serve_works_with_the_aws_cli_and_boto3_and_keeps_events_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let config = write_config(dir.path());

    let served = serve(&data_dir, &config);
    let credentials = data_dir.join("credentials");
    assert!(
        served.banner.contains(&format!(
            "export AWS_SHARED_CREDENTIALS_FILE={}",
            std::path::absolute(&credentials).unwrap().display()
        )),
        "{}",
        served.banner
    );
    assert!(
        served.banner.contains(&format!(
            "aws --endpoint-url {} --region us-east-1 cloudtrail lookup-events",
            served.endpoint
        )),
        "{}",
        served.banner
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&credentials)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // One process owns a data directory.
    let second = opentrail()
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(&data_dir)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(2));
    assert!(
        stderr(&second).contains("locked") || stderr(&second).contains("in use"),
        "{}",
        stderr(&second)
    );

    run_e2e(&served, &data_dir, "first");
    let status = served.stop();
    assert!(status.success(), "serve exited with {status}");

    // Acknowledged events survive the restart; the admin key is kept.
    let restarted = serve(&data_dir, &config);
    assert!(restarted.banner.contains("kept"), "{}", restarted.banner);
    run_e2e(&restarted, &data_dir, "restarted");
    assert!(restarted.stop().success());
}

/// Sends one signed NDJSON /ingest request on a fresh connection; `Some(body)` on HTTP 200.
fn ingest_once(endpoint: &str, key: (&str, &str), body: &[u8]) -> Option<serde_json::Value> {
    use std::io::{Read, Write};
    let address = endpoint.trim_start_matches("http://");
    let (mut parts, ()) = http::Request::builder()
        .method("POST")
        .uri(format!("{endpoint}/ingest"))
        .header("content-type", "application/x-ndjson")
        .body(())
        .unwrap()
        .into_parts();
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
        service: "cloudtrail",
        epoch_ms: now_ms,
    };
    opentrail_sigv4::sign(&mut parts, body, &params).unwrap();
    let mut request = String::from("POST /ingest HTTP/1.1\r\nconnection: close\r\n");
    for (name, value) in &parts.headers {
        request.push_str(&format!("{name}: {}\r\n", value.to_str().unwrap()));
    }
    request.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    let mut stream = std::net::TcpStream::connect(address).ok()?;
    stream.write_all(request.as_bytes()).ok()?;
    stream.write_all(body).ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    let text = String::from_utf8_lossy(&answer);
    if !text.starts_with("HTTP/1.1 200") {
        return None;
    }
    let (_, json) = text.split_once("\r\n\r\n")?;
    serde_json::from_str(json).ok()
}

#[test]
fn events_acknowledged_by_ingest_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let config = write_config(dir.path());
    let served = serve(&data_dir, &config);
    let endpoint = served.endpoint.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let senders: Vec<_> = (0..3)
        .map(|sender| {
            let endpoint = endpoint.clone();
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut acknowledged = Vec::new();
                let mut batch_number = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let ids: Vec<String> = (0..200)
                        .map(|index| format!("crash-{sender}-{batch_number}-{index}"))
                        .collect();
                    let body: String = ids
                        .iter()
                        .map(|id| {
                            format!(
                                "{{\"eventTime\":\"2020-01-01T00:00:00Z\",\"eventSource\":\"app\",\"eventName\":\"Op\",\"eventID\":\"{id}\",\"recipientAccountId\":\"222222222222\"}}\n"
                            )
                        })
                        .collect();
                    batch_number += 1;
                    match ingest_once(&endpoint, SHIPPER, body.as_bytes()) {
                        Some(answer) => {
                            assert_eq!(answer["Accepted"], 200, "{answer}");
                            acknowledged.extend(ids);
                        }
                        None => break,
                    }
                }
                acknowledged
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    // SIGKILL, by the server's own process id, while requests are in flight.
    let mut served = served;
    served.child.kill().unwrap();
    served.child.wait().unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut acknowledged = std::collections::HashSet::new();
    for sender in senders {
        acknowledged.extend(sender.join().unwrap());
    }
    assert!(
        acknowledged.len() >= 600,
        "too few acknowledged before the kill: {}",
        acknowledged.len()
    );

    let config = opentrail_server::Config {
        data_dir: data_dir.clone(),
        ..opentrail_server::Config::default()
    };
    let engine = opentrail_server::Engine::open_existing(
        config,
        std::sync::Arc::new(opentrail_types::SystemClock),
    )
    .unwrap();
    let mut reader = engine
        .journal
        .reader(engine.journal.start_position())
        .unwrap();
    let mut durable = std::collections::HashSet::new();
    loop {
        let batch = reader.read_batch(100_000, 64 * 1024 * 1024).unwrap();
        if batch.is_empty() {
            break;
        }
        for entry in batch.iter() {
            durable.insert(entry.event_id.to_owned());
        }
    }
    let lost: Vec<&String> = acknowledged.difference(&durable).take(5).collect();
    assert!(
        lost.is_empty(),
        "acknowledged events lost after SIGKILL: {lost:?}"
    );
    engine.close();
}
