//! The trail operations of `opentrail serve`, driven by the real aws CLI and boto3
//! (`trails_e2e.py`), across a restart.

use std::path::{Path, PathBuf};

use crate::support::{Served, launch, run_script};

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
    let auditor = format!("{}:{}", AUDITOR.0, AUDITOR.1);
    run_script(
        "trails_e2e.py",
        served,
        data_dir,
        phase,
        &[("OPENTRAIL_AUDITOR", std::ffi::OsStr::new(&auditor))],
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
