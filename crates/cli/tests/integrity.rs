//! Proof against the real validator (`integrity_e2e.py`): a trail delivered by
//! `opentrail serve` to moto_server must pass `aws cloudtrail validate-logs`, and every
//! tampering must be reported by it and by `opentrail validate-logs` alike.

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Seconds between digests in this test (CloudTrail: 3600).
const DIGEST_PERIOD_SECS: u64 = 4;

/// A child process killed (by its own process id) when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `moto_server` on 127.0.0.1 and waits until it accepts connections.
fn moto() -> (Killed, String) {
    let port = free_port();
    let child = Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|error| {
            panic!("cannot start moto_server ({error}); install it with `python3 -m pip install 'moto[server]'`")
        });
    let killed = Killed(child);
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

fn serve(data_dir: &Path, moto: &str) -> (Killed, String) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("opentrail"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .env_remove("OPENTRAIL_DATA_DIR")
        .env_remove("OPENTRAIL_CONFIG")
        .env_remove("OPENTRAIL_LISTEN")
        .env_remove("AWS_PROFILE")
        .env("OPENTRAIL_LOG", "warn")
        .env("OPENTRAIL__ADMIN__ACCOUNT_ID", "111111111111")
        .env("OPENTRAIL_DELIVERY_INTERVAL_SECS", "1")
        .env("OPENTRAIL_DIGEST_PERIOD_SECS", DIGEST_PERIOD_SECS.to_string())
        // The trail's bucket is found the standard AWS way.
        .env("AWS_ENDPOINT_URL_S3", moto)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let killed = Killed(child);
    let mut reader = BufReader::new(stdout);
    let mut banner = String::new();
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
    std::thread::spawn(move || for _ in reader.lines() {});
    (killed, endpoint)
}

#[test]
fn delivered_trails_pass_the_aws_cli_validator_and_tampering_is_reported_by_both() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let (_moto, moto_endpoint) = moto();
    let (server, endpoint) = serve(&data_dir, &moto_endpoint);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/integrity_e2e.py");
    let output = Command::new("python3")
        .arg(script)
        .env("OPENTRAIL_ENDPOINT", &endpoint)
        .env("OPENTRAIL_CREDENTIALS", data_dir.join("credentials"))
        .env("OPENTRAIL_BIN", assert_cmd::cargo::cargo_bin("opentrail"))
        .env("MOTO_ENDPOINT", &moto_endpoint)
        .env("DIGEST_PERIOD_SECS", DIGEST_PERIOD_SECS.to_string())
        .output()
        .unwrap();
    drop(server);
    assert!(
        output.status.success(),
        "integrity_e2e.py failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
