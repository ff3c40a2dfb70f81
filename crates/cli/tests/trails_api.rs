//! The trail operations of `opentrail serve`, driven by the real aws CLI and boto3
//! (`trails_e2e.py`), across a restart.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{Served, launch};

const AUDITOR: (&str, &str) = ("AKIAAUDITOR000000002", "auditor-secret-9876543210");

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
    launch(data_dir, Some(config), &[])
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
    let status = served.stop();
    assert!(status.success(), "serve exited with {status}");
    assert!(data_dir.join("trails/trails.json").is_file());
    let restarted = serve(&data_dir, &config);
    run_e2e(&restarted, &data_dir, "restarted");
    let status = restarted.stop();
    assert!(status.success(), "serve exited with {status}");
}
