//! Proof against the real validator (`integrity_e2e.py`): a trail delivered by
//! `opentrail serve` to moto_server must pass `aws cloudtrail validate-logs`, and every
//! tampering must be reported by it and by `opentrail validate-logs` alike.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Served, launch};

/// Seconds between digests in this test (CloudTrail: 3600).
const DIGEST_PERIOD_SECS: u64 = 4;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `moto_server` on 127.0.0.1 and waits until it accepts connections.
/// moto_server, killed (by its own process id) when the test ends, however it ends.
struct Moto(std::process::Child);

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn moto() -> (Moto, String) {
    let port = free_port();
    let child = Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
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

fn serve(data_dir: &Path, moto: &str) -> Served {
    let digest_period = DIGEST_PERIOD_SECS.to_string();
    launch(
        data_dir,
        None,
        &[
            ("OPENTRAIL_DELIVERY_INTERVAL_SECS", "1"),
            ("OPENTRAIL_DIGEST_PERIOD_SECS", digest_period.as_str()),
            // The trail's bucket is found the standard AWS way.
            ("AWS_ENDPOINT_URL_S3", moto),
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_REGION", "us-east-1"),
            ("AWS_CONFIG_FILE", "/dev/null"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
        ],
    )
}

#[test]
fn delivered_trails_pass_the_aws_cli_validator_and_tampering_is_reported_by_both() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let (_moto, moto_endpoint) = moto();
    let server = serve(&data_dir, &moto_endpoint);
    let endpoint = server.endpoint.clone();
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
