//! Proof against the real validator (`integrity_e2e.py`): a trail delivered by
//! `opentrail serve` to moto_server must pass `aws cloudtrail validate-logs`, and every
//! tampering must be reported by it and by `opentrail validate-logs` alike.

use std::path::Path;
use std::process::Command;

use crate::support::{Served, launch, moto};

/// Seconds between digests in this test (CloudTrail: 3600).
const DIGEST_PERIOD_SECS: u64 = 4;

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
