//! Rules in `opentrail serve` (the EventBridge API, the envelope, webhook and file
//! targets, the input transformer, read-only management events, self-audit), driven by
//! the real aws CLI and boto3 (`rules_e2e.py`), across a restart.

use std::path::Path;

use crate::support::{Served, launch, run_script};

fn serve(data_dir: &Path, config: &Path) -> Served {
    launch(data_dir, Some(config), &[])
}

#[test]
fn rules_work_with_the_aws_cli_and_boto3_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let config = dir.path().join("opentrail.toml");
    std::fs::write(&config, "[admin]\naccount_id = \"111111111111\"\n").unwrap();
    let served = serve(&data_dir, &config);
    run_script("rules_e2e.py", &served, &data_dir, "first", &[]);
    let status = served.stop();
    assert!(status.success(), "serve exited with {status}");
    let restarted = serve(&data_dir, &config);
    run_script("rules_e2e.py", &restarted, &data_dir, "restarted", &[]);
    let status = restarted.stop();
    assert!(status.success(), "serve exited with {status}");
}
