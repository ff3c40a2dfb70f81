//! `make-trail` end to end on a small trail: every digest verifies as the validator checks
//! it, the chain is unbroken, every log file matches its hash, and the seed reproduces the
//! log files.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use opentrail_digest::gzip::{gunzip_single, sha256_of_gzip_member};
use opentrail_digest::{public_key_from_base64, sha256_hex, string_to_sign, verify_signature};

use super::*;

const START: i64 = 1_772_409_600; // 2026-03-02T00:00:00Z

fn args(out: &Path, seed: u64) -> Args {
    Args {
        out: out.to_path_buf(),
        hours: 2,
        files_per_hour: 12,
        bytes: 200 * 1024,
        seed,
        bucket: String::from("bench-bucket"),
        account: String::from("111122223333"),
        region: String::from("us-east-1"),
        trail: String::from("bench-trail"),
        start: Timestamp::from_secs(START),
        threads: 2,
    }
}

/// Every object of the bucket: key → (body, metadata).
fn objects(out: &Path) -> BTreeMap<String, (Bytes, BTreeMap<String, String>)> {
    let runtime = crate::serve::runtime().unwrap();
    let bucket = Bucket::local("bench-bucket", out.join("buckets/bench-bucket"));
    runtime.block_on(async {
        let mut objects = BTreeMap::new();
        let mut after: Option<String> = None;
        loop {
            let page = bucket.list_page("", after.as_deref(), 1000).await.unwrap();
            for info in &page.objects {
                let object = bucket.get(&info.key).await.unwrap();
                objects.insert(info.key.clone(), (object.body, object.metadata));
            }
            after = page.objects.last().map(|info| info.key.clone());
            if !page.is_truncated {
                return objects;
            }
        }
    })
}

/// A scratch folder under the system's temporary folder, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "opentrail-bench-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn from_hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(&text[at..at + 2], 16).unwrap())
        .collect()
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn make_trail_writes_a_valid_signed_chain() {
    check_chain(12);
}

#[test]
fn make_trail_writes_a_valid_chain_with_many_files_per_hour() {
    check_chain(30);
}

/// Makes a 2-hour trail of `files_per_hour` files an hour and checks all of it.
fn check_chain(files_per_hour: usize) {
    let dir = TempDir::new();
    let mut args = args(dir.path(), 7);
    args.files_per_hour = files_per_hour;
    run(&args).unwrap();
    let summary = read_json(&dir.path().join("trail.json"));
    assert_eq!(summary["LogFiles"], 2 * files_per_hour);
    assert_eq!(summary["DigestFiles"], 2);
    assert_eq!(summary["StartTime"], "2026-03-02T00:00:00Z");
    assert_eq!(summary["EndTime"], "2026-03-02T02:00:00Z");
    assert_eq!(
        summary["Trail"]["TrailARN"],
        "arn:aws:cloudtrail:us-east-1:111122223333:trail/bench-trail"
    );
    assert!(summary["LogFileBytes"].as_u64().unwrap() >= 200 * 1024);
    let keys = read_json(&dir.path().join("public-keys.json"));
    let key = &keys["PublicKeyList"][0];
    let der = public_key_from_base64(key["Value"].as_str().unwrap()).unwrap();
    assert_eq!(key["Fingerprint"], summary["Fingerprint"]);
    assert!(key["ValidityStartTime"].as_i64().unwrap() <= START);

    let objects = objects(dir.path());
    let digests: Vec<&String> = objects
        .keys()
        .filter(|key| key.contains("/CloudTrail-Digest/"))
        .collect();
    assert_eq!(
        digests,
        [
            "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/02/111122223333_CloudTrail-Digest_us-east-1_bench-trail_us-east-1_20260302T010030Z.json.gz",
            "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/02/111122223333_CloudTrail-Digest_us-east-1_bench-trail_us-east-1_20260302T020030Z.json.gz",
        ]
    );
    let mut listed = 0;
    let mut previous: Option<(String, String, DigestFile)> = None;
    for key in digests {
        let (body, metadata) = &objects[key];
        let json = gunzip_single(body, 1 << 30).unwrap();
        let digest = DigestFile::from_json(&json).unwrap();
        assert_eq!(&digest.digest_s3_object, key);
        assert_eq!(digest.digest_s3_bucket, "bench-bucket");
        assert_eq!(metadata["signature-algorithm"], "SHA256withRSA");
        let signature = &metadata["signature"];
        let message = string_to_sign(
            &digest.digest_end_time.format_event_time(),
            "bench-bucket",
            key,
            &sha256_hex(&json),
            digest.previous.as_ref().map(|link| link.signature.as_str()),
        );
        verify_signature(&der, message.as_bytes(), &from_hex(signature)).unwrap();
        match &previous {
            None => assert!(
                digest.previous.is_none(),
                "the first digest starts the chain"
            ),
            Some((previous_key, previous_signature, previous_digest)) => {
                let link = digest.previous.as_ref().unwrap();
                assert_eq!(&link.s3_object, previous_key);
                assert_eq!(&link.signature, previous_signature);
                let previous_json = gunzip_single(&objects[previous_key].0, 1 << 30).unwrap();
                assert_eq!(link.hash_value, sha256_hex(&previous_json));
                assert_eq!(digest.digest_start_time, previous_digest.digest_end_time);
            }
        }
        assert_eq!(digest.log_files.len(), files_per_hour);
        for entry in &digest.log_files {
            let (log_body, _) = &objects[&entry.s3_object];
            assert_eq!(
                sha256_of_gzip_member(log_body, 1 << 30).unwrap(),
                entry.hash_value
            );
            let delivered = opentrail_archive::layout::LogFileKey::parse(&entry.s3_object)
                .unwrap()
                .delivered;
            assert!(digest.digest_start_time < delivered && delivered <= digest.digest_end_time);
            assert!(entry.newest_event_time < delivered);
            listed += 1;
        }
        previous = Some((key.clone(), signature.clone(), digest));
    }
    let log_files = objects
        .keys()
        .filter(|key| key.contains("/CloudTrail/"))
        .count();
    assert_eq!(
        (listed, log_files),
        (2 * files_per_hour, 2 * files_per_hour)
    );
}

#[test]
fn make_trail_log_files_are_reproducible_from_the_seed() {
    let log_files = |seed: u64, threads: usize| {
        let dir = TempDir::new();
        let mut args = args(dir.path(), seed);
        args.hours = 1;
        args.bytes = 50 * 1024;
        args.threads = threads;
        run(&args).unwrap();
        objects(dir.path())
            .into_iter()
            .filter(|(key, _)| key.contains("/CloudTrail/"))
            .map(|(key, (body, _))| (key, body))
            .collect::<Vec<_>>()
    };
    let first = log_files(3, 1);
    assert_eq!(first.len(), 12);
    let again = log_files(3, 2);
    assert_eq!(first, again);
    let other = log_files(4, 2);
    assert_ne!(first[0].0, other[0].0);
}

#[test]
fn sizes_take_binary_units() {
    for (text, expected) in [
        ("2G", 2 << 30),
        ("2g", 2 << 30),
        ("512M", 512 << 20),
        ("64KiB", 64 << 10),
        ("1tb", 1 << 40),
        ("1000", 1000),
    ] {
        assert_eq!(parse_size(text).unwrap(), expected, "{text}");
    }
    for text in ["", "G", "2X", "-1", "99999999999T"] {
        assert!(parse_size(text).is_err(), "{text}");
    }
}
