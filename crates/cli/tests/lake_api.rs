//! CloudTrail Lake in `opentrail serve` (event data stores, queries, channels and
//! `PutAuditEvents`, imports, result delivery), driven by the real aws CLI and boto3
//! (`lake_e2e.py`), across a restart.

use std::path::Path;

use crate::support::{Served, launch, run_script};

/// Lake writers flush every 200 ms, so that sent events are soon queryable.
const ENV: &[(&str, &str)] = &[("OPENTRAIL__LAKE__FLUSH_INTERVAL_MS", "200")];

fn serve(data_dir: &Path) -> Served {
    launch(data_dir, None, ENV)
}

fn run_e2e(served: &Served, data_dir: &Path, state: &Path, phase: &str) {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../imports/testdata/bucket");
    run_script(
        "lake_e2e.py",
        served,
        data_dir,
        phase,
        &[
            ("OPENTRAIL_FIXTURES", fixtures.as_os_str()),
            ("OPENTRAIL_STATE", state.as_os_str()),
        ],
    );
}

#[test]
fn lake_works_with_the_aws_cli_and_boto3_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let state = dir.path().join("lake-state.json");
    let served = serve(&data_dir);
    run_e2e(&served, &data_dir, &state, "first");
    let status = served.stop();
    assert!(status.success(), "serve exited with {status}");
    assert!(state.is_file(), "the first phase left no state");
    let restarted = serve(&data_dir);
    run_e2e(&restarted, &data_dir, &state, "restarted");
    let status = restarted.stop();
    assert!(status.success(), "serve exited with {status}");
}
