//! `opentrail serve`, driven by the real aws CLI and boto3 (`serve_e2e.py`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::support::{Served, launch, opentrail, run_script, signed_request, stderr};

const AUDITOR: (&str, &str) = ("AKIAAUDITOR000000001", "auditor-secret-0123456789");
const SHIPPER: (&str, &str) = ("AKIASHIPPER000000001", "shipper-secret-0123456789");

fn write_config(dir: &Path) -> PathBuf {
    let path = dir.join("opentrail.toml");
    let config = format!(
        r#"
[server]
max_body_bytes = 1048576

[admin]
account_id = "111111111111"

[[keys]]
access_key_id = "{}"
secret_access_key = "{}"
account_id = "222222222222"
user_name = "auditor"
permission = "read-only"

[[keys]]
access_key_id = "{}"
secret_access_key = "{}"
account_id = "222222222222"
user_name = "shipper"
permission = "ingest-only"
"#,
        AUDITOR.0, AUDITOR.1, SHIPPER.0, SHIPPER.1
    );
    std::fs::write(&path, config).unwrap();
    path
}

fn serve(data_dir: &Path, config: &Path) -> Served {
    launch(data_dir, Some(config), &[])
}

fn run_e2e(served: &Served, data_dir: &Path, phase: &str) {
    let auditor = format!("{}:{}", AUDITOR.0, AUDITOR.1);
    let shipper = format!("{}:{}", SHIPPER.0, SHIPPER.1);
    run_script(
        "serve_e2e.py",
        served,
        data_dir,
        phase,
        &[
            ("OPENTRAIL_AUDITOR", std::ffi::OsStr::new(&auditor)),
            ("OPENTRAIL_SHIPPER", std::ffi::OsStr::new(&shipper)),
        ],
    );
}

#[test]
fn serve_works_with_the_aws_cli_and_boto3_and_keeps_events_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let config = write_config(dir.path());

    let served = serve(&data_dir, &config);
    let credentials = data_dir.join("credentials");
    assert!(
        served.banner.contains(&format!(
            "export AWS_SHARED_CREDENTIALS_FILE={}",
            std::path::absolute(&credentials).unwrap().display()
        )),
        "{}",
        served.banner
    );
    assert!(
        served.banner.contains(&format!(
            "aws --endpoint-url {} --region us-east-1 cloudtrail lookup-events",
            served.endpoint
        )),
        "{}",
        served.banner
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&credentials)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // One process owns a data directory.
    let second = opentrail()
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(&data_dir)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(2));
    assert!(
        stderr(&second).contains("locked") || stderr(&second).contains("in use"),
        "{}",
        stderr(&second)
    );

    run_e2e(&served, &data_dir, "first");
    let status = served.stop();
    assert!(status.success(), "serve exited with {status}");

    // Acknowledged events survive the restart; the admin key is kept.
    let restarted = serve(&data_dir, &config);
    assert!(restarted.banner.contains("kept"), "{}", restarted.banner);
    run_e2e(&restarted, &data_dir, "restarted");
    assert!(restarted.stop().success());
}

/// Sends one signed NDJSON /ingest request on a fresh connection; `Some(body)` on HTTP 200.
fn ingest_once(endpoint: &str, key: (&str, &str), body: &[u8]) -> Option<serde_json::Value> {
    let (status, answer) = signed_request(
        endpoint,
        key,
        "/ingest",
        &[("content-type", "application/x-ndjson")],
        body,
    )?;
    if status != 200 {
        return None;
    }
    serde_json::from_str(&answer).ok()
}

#[test]
fn events_acknowledged_by_ingest_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let config = write_config(dir.path());
    let served = serve(&data_dir, &config);
    let endpoint = served.endpoint.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let senders: Vec<_> = (0..3)
        .map(|sender| {
            let endpoint = endpoint.clone();
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut acknowledged = Vec::new();
                let mut batch_number = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let ids: Vec<String> = (0..200)
                        .map(|index| format!("crash-{sender}-{batch_number}-{index}"))
                        .collect();
                    let body: String = ids
                        .iter()
                        .map(|id| {
                            format!(
                                "{{\"eventTime\":\"2020-01-01T00:00:00Z\",\"eventSource\":\"app\",\"eventName\":\"Op\",\"eventID\":\"{id}\",\"recipientAccountId\":\"222222222222\"}}\n"
                            )
                        })
                        .collect();
                    batch_number += 1;
                    match ingest_once(&endpoint, SHIPPER, body.as_bytes()) {
                        Some(answer) => {
                            assert_eq!(answer["Accepted"], 200, "{answer}");
                            acknowledged.extend(ids);
                        }
                        None => break,
                    }
                }
                acknowledged
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    // SIGKILL, by the server's own process id, while requests are in flight.
    let mut served = served;
    served.kill();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut acknowledged = std::collections::HashSet::new();
    for sender in senders {
        acknowledged.extend(sender.join().unwrap());
    }
    assert!(
        acknowledged.len() >= 600,
        "too few acknowledged before the kill: {}",
        acknowledged.len()
    );

    let config = opentrail_server::Config {
        data_dir: data_dir.clone(),
        ..opentrail_server::Config::default()
    };
    let engine = opentrail_server::Engine::open_existing(
        config,
        std::sync::Arc::new(opentrail_types::SystemClock),
    )
    .unwrap();
    let mut reader = engine
        .journal
        .reader(engine.journal.start_position())
        .unwrap();
    let mut durable = std::collections::HashSet::new();
    loop {
        let batch = reader.read_batch(100_000, 64 * 1024 * 1024).unwrap();
        if batch.is_empty() {
            break;
        }
        for entry in batch.iter() {
            durable.insert(entry.event_id.to_owned());
        }
    }
    let lost: Vec<&String> = acknowledged.difference(&durable).take(5).collect();
    assert!(
        lost.is_empty(),
        "acknowledged events lost after SIGKILL: {lost:?}"
    );
    engine.close();
}
