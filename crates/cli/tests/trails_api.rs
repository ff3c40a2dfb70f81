//! The trail operations of `opentrail serve`, driven by the real aws CLI and boto3
//! (`trails_e2e.py`), across a restart.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const AUDITOR: (&str, &str) = ("AKIAAUDITOR000000002", "auditor-secret-9876543210");

/// A running `opentrail serve`, killed (by its own process id) if the test fails first.
struct Served {
    child: Child,
    endpoint: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    /// Sends SIGTERM and waits for a successful exit.
    fn stop(mut self) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "serve exited with {status}");
                return;
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
region = "us-east-1"

[admin]
account_id = "111111111111"

[[keys]]
access_key_id = "{}"
secret_access_key = "{}"
account_id = "222222222222"
user_name = "auditor"
permission = "read-only"
"#,
        AUDITOR.0, AUDITOR.1
    );
    std::fs::write(&path, config).unwrap();
    path
}

fn serve(data_dir: &Path, config: &Path) -> Served {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("opentrail"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .arg("--config")
        .arg(config)
        .env_remove("OPENTRAIL_DATA_DIR")
        .env_remove("OPENTRAIL_CONFIG")
        .env_remove("OPENTRAIL_LISTEN")
        .env("OPENTRAIL_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
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
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in reader.lines() {});
    Served { child, endpoint }
}

fn run_e2e(served: &Served, data_dir: &Path, phase: &str) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/trails_e2e.py");
    let output = Command::new("python3")
        .arg(script)
        .env("OPENTRAIL_ENDPOINT", &served.endpoint)
        .env("OPENTRAIL_CREDENTIALS", data_dir.join("credentials"))
        .env("OPENTRAIL_DATA_DIR", data_dir)
        .env("OPENTRAIL_AUDITOR", format!("{}:{}", AUDITOR.0, AUDITOR.1))
        .env("OPENTRAIL_PHASE", phase)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "trails_e2e.py ({phase}) failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn trail_operations_work_with_the_aws_cli_and_boto3_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let config = write_config(dir.path());
    let served = serve(&data_dir, &config);
    run_e2e(&served, &data_dir, "first");
    served.stop();
    assert!(data_dir.join("trails/trails.json").is_file());
    let restarted = serve(&data_dir, &config);
    run_e2e(&restarted, &data_dir, "restarted");
    restarted.stop();
}
