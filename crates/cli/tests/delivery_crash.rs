//! A server killed with SIGKILL while it delivers a trail, again and again: every
//! acknowledged event ends up in exactly one log file, and the digest chain still passes
//! `opentrail validate-logs`.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::support::{
    Served, admin_key, call_api, launch, opentrail, signed_request, stderr, stdout,
};

const BUCKET: &str = "crash-bucket";

fn serve(data_dir: &Path) -> Served {
    launch(
        data_dir,
        None,
        &[
            ("OPENTRAIL_DELIVERY_INTERVAL_SECS", "1"),
            ("OPENTRAIL_DIGEST_PERIOD_SECS", "2"),
        ],
    )
}

/// Ingests batches until told to stop or the server goes away; returns the acknowledged IDs.
fn ingest_until_gone(
    endpoint: String,
    key: (String, String),
    round: usize,
    stop: Arc<AtomicBool>,
) -> Vec<String> {
    let mut acknowledged = Vec::new();
    let mut batch = 0;
    while !stop.load(Ordering::Relaxed) {
        let ids: Vec<String> = (0..100)
            .map(|index| format!("crash-{round}-{batch}-{index}"))
            .collect();
        let body: String = ids
            .iter()
            .map(|id| {
                format!(
                    "{{\"eventTime\":\"2026-01-01T00:00:00Z\",\"eventSource\":\"app.example.com\",\"eventName\":\"Op\",\"awsRegion\":\"us-east-1\",\"eventID\":\"{id}\",\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"readOnly\":false,\"eventCategory\":\"Management\"}}\n"
                )
            })
            .collect();
        batch += 1;
        match signed_request(
            &endpoint,
            (&key.0, &key.1),
            "/ingest",
            &[("content-type", "application/x-ndjson")],
            body.as_bytes(),
        ) {
            Some((200, _)) => acknowledged.extend(ids),
            _ => break,
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    acknowledged
}

fn files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, found);
        } else if path.to_string_lossy().ends_with(".json.gz") {
            found.push(path);
        }
    }
}

#[test]
fn delivery_survives_sigkill_without_loss_or_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let bucket = data_dir.join("buckets").join(BUCKET);
    std::fs::create_dir_all(&bucket).unwrap();
    let mut server = serve(&data_dir);
    let mut endpoint = server.endpoint.clone();
    let key = admin_key(&data_dir);
    let keys = (key.0.as_str(), key.1.as_str());
    call_api(
        &endpoint,
        keys,
        "CreateTrail",
        &format!(
            r#"{{"Name":"crash-trail","S3BucketName":"{BUCKET}","EnableLogFileValidation":true}}"#
        ),
    );
    call_api(&endpoint, keys, "StartLogging", r#"{"Name":"crash-trail"}"#);

    let mut acknowledged = HashSet::new();
    for round in 0..4 {
        let stop = Arc::new(AtomicBool::new(false));
        let sender = {
            let (endpoint, key, stop) = (endpoint.clone(), key.clone(), Arc::clone(&stop));
            std::thread::spawn(move || ingest_until_gone(endpoint, key, round, stop))
        };
        // Long enough for files and digests to be on their way when the kill comes.
        std::thread::sleep(Duration::from_millis(1_300 + 400 * round as u64));
        server.kill();
        stop.store(true, Ordering::Relaxed);
        acknowledged.extend(sender.join().unwrap());
        server = serve(&data_dir);
        endpoint = server.endpoint.clone();
    }
    assert!(
        acknowledged.len() >= 400,
        "too few acknowledged: {}",
        acknowledged.len()
    );
    // Let the restarted server deliver what is left, then end the chain.
    std::thread::sleep(Duration::from_secs(3));
    call_api(&endpoint, keys, "StopLogging", r#"{"Name":"crash-trail"}"#);
    std::thread::sleep(Duration::from_secs(4));

    let mut found = Vec::new();
    files(&bucket, &mut found);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut log_files = 0;
    for path in found
        .iter()
        .filter(|path| path.to_string_lossy().contains("/CloudTrail/"))
    {
        log_files += 1;
        let bytes = std::fs::read(path).unwrap();
        let inflated = opentrail_digest::gzip::gunzip_single(&bytes, 1 << 30).unwrap();
        let body: serde_json::Value = serde_json::from_slice(&inflated).unwrap();
        for record in body["Records"].as_array().unwrap() {
            *seen
                .entry(record["eventID"].as_str().unwrap().to_owned())
                .or_default() += 1;
        }
    }
    let twice: Vec<_> = seen.iter().filter(|(_, count)| **count > 1).collect();
    assert!(
        twice.is_empty(),
        "events delivered more than once: {twice:?}"
    );
    let lost: Vec<_> = acknowledged
        .iter()
        .filter(|id| !seen.contains_key(*id))
        .collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged events never delivered",
        lost.len()
    );
    assert!(log_files >= 4, "{log_files} log files");

    let output = opentrail()
        .args([
            "validate-logs",
            "--trail-arn",
            "arn:aws:cloudtrail:us-east-1:111111111111:trail/crash-trail",
            "--start-time",
            "2020-01-01T00:00:00Z",
            "--region",
            "us-east-1",
            "--endpoint-url",
            &endpoint,
            "--local-buckets",
        ])
        .arg(data_dir.join("buckets"))
        .env("AWS_ACCESS_KEY_ID", &key.0)
        .env("AWS_SECRET_ACCESS_KEY", &key.1)
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .unwrap();
    drop(server);
    assert!(
        output.status.success(),
        "the chain does not validate after the crashes:\n{}\n{}",
        stdout(&output),
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("digest files valid"),
        "{}",
        stdout(&output)
    );
}
