//! A recording endpoint of `opentrail serve` in front of moto_server, driven by boto3 and
//! the aws CLI (`endpoint_e2e.py`): calls pass unaltered (moto checks every signature),
//! a 200 MB object goes both ways with the server's memory bounded, the policy denies, an
//! unknown key is caught, and the records reach LookupEvents and a trail's log files.

use std::path::Path;
use std::process::Command;

use crate::support::{free_port, launch, moto_with};

const ENDPOINT_ID: &str = "vpce-0a1b2c3d4e5f60718";

/// The endpoint policy: the organisation's principals may do anything but delete what is
/// under `protected/`.
const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Sid":"Organization","Effect":"Allow","Principal":"*","Action":"*","Resource":"*",
   "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-opentrail01"}}},
  {"Sid":"KeepProtected","Effect":"Deny","Principal":"*","Action":"s3:DeleteObject",
   "Resource":"arn:aws:s3:::endpoint-bucket/protected/*"}]}"#;

fn script(phase: &str, env: &[(&str, &str)]) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/endpoint_e2e.py");
    let output = Command::new("python3")
        .arg(path)
        .env("OPENTRAIL_PHASE", phase)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "endpoint_e2e.py ({phase}) failed:\n{printed}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    printed
}

#[test]
fn calls_through_the_endpoint_reach_moto_unaltered_and_are_recorded_and_policed() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    // moto checks signatures after the six requests that make the two users' keys.
    let (_moto, moto) = moto_with(&[("INITIAL_NO_AUTH_ACTION_COUNT", "6")]);
    let keys: serde_json::Value =
        serde_json::from_str(script("setup", &[("MOTO_ENDPOINT", &moto)]).trim()).unwrap();
    let member = keys["member"].as_str().unwrap().to_owned();
    let outsider = keys["outsider"].as_str().unwrap().to_owned();
    let (member_id, member_secret) = member.split_once(':').unwrap();

    let listen = format!("127.0.0.1:{}", free_port());
    let config = dir.path().join("opentrail.toml");
    std::fs::write(
        &config,
        format!(
            r#"[admin]
account_id = "111111111111"

[history]
categories = ["Management", "Data", "NetworkActivity"]

[[keys]]
access_key_id = "{member_id}"
secret_access_key = "{member_secret}"
account_id = "222222222222"
user_name = "member"
permission = "read-only"

[[endpoints]]
id = "{ENDPOINT_ID}"
owner_account = "111111111111"
listen = "{listen}"
upstream = "{moto}"
organization_id = "o-opentrail01"
policy = '''{POLICY}'''
"#
        ),
    )
    .unwrap();
    let served = launch(
        &data_dir,
        Some(&config),
        &[
            ("OPENTRAIL_DELIVERY_INTERVAL_SECS", "1"),
            // The trail's bucket is moto's, reached the standard AWS way.
            ("AWS_ENDPOINT_URL_S3", &moto),
            ("AWS_ACCESS_KEY_ID", member_id),
            ("AWS_SECRET_ACCESS_KEY", member_secret),
            ("AWS_REGION", "us-east-1"),
            ("AWS_CONFIG_FILE", "/dev/null"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
        ],
    );
    let pid = served.child.id().to_string();
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let printed = script(
        "calls",
        &[
            ("MOTO_ENDPOINT", &moto),
            ("OPENTRAIL_ENDPOINT", &served.endpoint),
            (
                "OPENTRAIL_CREDENTIALS",
                data_dir.join("credentials").to_str().unwrap(),
            ),
            ("RECORDING_ENDPOINT", &format!("http://{listen}")),
            ("ENDPOINT_ID", ENDPOINT_ID),
            ("MEMBER", &member),
            ("OUTSIDER", &outsider),
            ("SERVE_PID", &pid),
            ("WORK_DIR", work.to_str().unwrap()),
        ],
    );
    println!("{printed}");
    let status = served.stop();
    assert!(status.success(), "serve exited with {status}");
}
