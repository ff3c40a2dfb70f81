//! Insights in `opentrail serve` (selectors on a trail and a store, detection, event
//! history, trail files, the Insights store, `ListInsightsMetricData`), driven by the
//! real aws CLI and boto3 (`insights_e2e.py`), across a restart.

use std::path::Path;

use crate::support::{Served, launch, run_script};

fn serve(data_dir: &Path, config: &Path) -> Served {
    launch(
        data_dir,
        Some(config),
        &[
            ("OPENTRAIL__LAKE__FLUSH_INTERVAL_MS", "200"),
            ("OPENTRAIL_DELIVERY_INTERVAL_SECS", "1"),
        ],
    )
}

fn run_e2e(served: &Served, data_dir: &Path, state: &Path, phase: &str) {
    run_script(
        "insights_e2e.py",
        served,
        data_dir,
        phase,
        &[("OPENTRAIL_STATE", state.as_os_str())],
    );
}

#[test]
fn insights_work_with_the_aws_cli_and_boto3_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let state = dir.path().join("insights-state.json");
    let config = dir.path().join("opentrail.toml");
    // History sent now is taken into the baselines at once instead of after 5 minutes.
    std::fs::write(
        &config,
        "[admin]\naccount_id = \"111111111111\"\n\n[insights.detection]\nlate_recompute_seconds = 0\n",
    )
    .unwrap();
    let served = serve(&data_dir, &config);
    run_e2e(&served, &data_dir, &state, "first");
    let status = served.stop();
    assert!(status.success(), "serve exited with {status}");
    assert!(state.is_file(), "the first phase left no state");
    let restarted = serve(&data_dir, &config);
    run_e2e(&restarted, &data_dir, &state, "restarted");
    let status = restarted.stop();
    assert!(status.success(), "serve exited with {status}");
}
