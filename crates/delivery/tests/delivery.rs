//! Delivery end to end on a local bucket, with a paused clock, seeded IDs and the
//! test-only signing key: object keys, log file bytes, digest bytes and metadata are
//! goldens; the chain verifies; restarts neither lose nor repeat events.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use opentrail_blob::{BucketResolver, S3Settings};
use opentrail_delivery::{Delivery, DeliveryConfig, Parts};
use opentrail_digest::KeyRing;
use opentrail_journal::{AppendEntry, Journal, JournalConfig};
use opentrail_testkit::golden::assert_golden;
use opentrail_trails::{
    BucketProbe, BucketProblem, Caller, CreateTrailInput, Probes, TopicDirectory, TrailLimits,
    Trails,
};
use opentrail_types::{ManualClock, SeededIds, SharedClock, Timestamp};

const ACCOUNT: &str = "111122223333";
const BUCKET: &str = "audit-archive";
const TEST_KEY_FINGERPRINT: &str = "d29f6b51998694384193ba2567c2d352";

struct LocalBuckets(PathBuf);

impl BucketProbe for LocalBuckets {
    fn check(&self, bucket: &str) -> Result<(), BucketProblem> {
        if self.0.join(bucket).is_dir() {
            Ok(())
        } else {
            Err(BucketProblem::DoesNotExist)
        }
    }
}

struct NoTopics;

impl TopicDirectory for NoTopics {
    fn topic_arn(&self, _: &str, _: &str, _: &str) -> Option<String> {
        None
    }
}

fn time(text: &str) -> Timestamp {
    Timestamp::parse_event_time(text).unwrap()
}

/// A key ring holding the digest crate's test-only key as the current us-east-1 key.
fn test_key_ring(dir: &Path, clock: SharedClock) -> KeyRing {
    let digest_testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("../digest/testdata");
    let region = dir.join("us-east-1");
    std::fs::create_dir_all(&region).unwrap();
    let listing = std::fs::read_to_string(digest_testdata.join("keys/v1.json")).unwrap();
    std::fs::write(region.join("keys.json"), listing).unwrap();
    let private = region.join(format!("{TEST_KEY_FINGERPRINT}.key"));
    std::fs::copy(
        digest_testdata.join("test-only-signing-key.pk8.der"),
        &private,
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&region, std::fs::Permissions::from_mode(0o700)).unwrap();
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    KeyRing::open(dir, clock, Duration::from_secs(30 * 86_400)).unwrap()
}

struct World {
    root: tempfile::TempDir,
    clock: Arc<ManualClock>,
    journal: Journal,
    trails: Arc<Trails>,
    runtime: tokio::runtime::Runtime,
}

impl World {
    fn new(start: &str) -> World {
        // Delivery's log lines show in a failing test's output.
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter("opentrail_delivery=debug")
            .try_init();
        let root = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(time(start)));
        let shared: SharedClock = clock.clone();
        let journal = Journal::open(
            &root.path().join("journal"),
            JournalConfig::default(),
            shared.clone(),
        )
        .unwrap();
        let trails = Arc::new(
            Trails::open(&root.path().join("trails"), shared, TrailLimits::default()).unwrap(),
        );
        std::fs::create_dir_all(root.path().join("buckets").join(BUCKET)).unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        World {
            root,
            clock,
            journal,
            trails,
            runtime,
        }
    }

    fn bucket(&self) -> PathBuf {
        self.root.path().join("buckets").join(BUCKET)
    }

    fn start(&self, seed: u64) -> Delivery {
        let shared: SharedClock = self.clock.clone();
        let keys = test_key_ring(&self.root.path().join("keys"), shared.clone());
        Delivery::start(
            Parts {
                journal: self.journal.clone(),
                trails: Arc::clone(&self.trails),
                buckets: Arc::new(BucketResolver::new(
                    self.root.path().join("buckets"),
                    Vec::new(),
                    S3Settings::default(),
                )),
                keys: Arc::new(keys),
                clock: shared,
                ids: Arc::new(SeededIds::new(seed)),
                runtime: self.runtime.handle().clone(),
                root: self.root.path().join("delivery"),
            },
            DeliveryConfig::default(),
        )
        .unwrap()
    }

    fn caller(&self) -> Caller {
        Caller {
            account_id: ACCOUNT.into(),
            region: "us-east-1".into(),
        }
    }

    fn create_trail(&self, name: &str, validation: bool) {
        self.create(CreateTrailInput {
            name: name.into(),
            s3_bucket_name: BUCKET.into(),
            enable_log_file_validation: Some(validation),
            ..CreateTrailInput::default()
        });
    }

    fn create(&self, input: CreateTrailInput) {
        let probe = LocalBuckets(self.root.path().join("buckets"));
        self.trails
            .create_trail(
                &self.caller(),
                input,
                Probes {
                    buckets: &probe,
                    topics: &NoTopics,
                },
            )
            .unwrap();
    }

    /// The records of every log file under `folder` (`/CloudTrail/`, `/CloudTrail-Insight/`).
    fn delivered_ids(&self, folder: &str) -> Vec<String> {
        let mut ids = Vec::new();
        for key in self.keys().iter().filter(|key| key.contains(folder)) {
            let body: serde_json::Value = serde_json::from_slice(&self.read(key)).unwrap();
            for record in body["Records"].as_array().unwrap() {
                ids.push(record["eventID"].as_str().unwrap().to_owned());
            }
        }
        ids.sort();
        ids
    }

    fn append(&self, records: &[serde_json::Value]) {
        let entries = records
            .iter()
            .map(|record| {
                AppendEntry::new(
                    record["eventID"].as_str().unwrap(),
                    serde_json::to_vec(record).unwrap(),
                )
            })
            .collect();
        self.journal.append(entries).unwrap();
    }

    fn advance_to(&self, text: &str) {
        self.clock.set(time(text));
    }

    /// Every object key of the bucket (sidecars left out), sorted.
    fn keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        collect(&self.bucket(), &self.bucket(), &mut keys);
        keys.sort();
        keys
    }

    /// Waits (real time) until `condition` holds on the bucket's keys.
    fn wait_for(&self, what: &str, condition: impl Fn(&[String]) -> bool) -> Vec<String> {
        let started = Instant::now();
        loop {
            let keys = self.keys();
            if condition(&keys) {
                return keys;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what}; bucket holds {keys:#?}; delivery state {}",
                self.delivery_state()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Every trail's delivery state file, for failure messages.
    fn delivery_state(&self) -> String {
        let mut shown = String::new();
        if let Ok(entries) = std::fs::read_dir(self.root.path().join("delivery")) {
            for entry in entries.flatten() {
                let state = std::fs::read_to_string(entry.path().join("state.json"));
                shown.push_str(&format!("\n{}: {state:?}", entry.path().display()));
            }
        }
        shown
    }

    /// Waits (real time) until the trail's status board satisfies `condition`.
    fn wait_status(
        &self,
        trail: &str,
        what: &str,
        condition: impl Fn(&opentrail_trails::TrailStatus) -> bool,
    ) -> opentrail_trails::TrailStatus {
        let started = Instant::now();
        loop {
            let report = self.trails.get_trail_status(&self.caller(), trail).unwrap();
            if condition(&report.status) {
                return report.status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what}: {report:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn read(&self, key: &str) -> Vec<u8> {
        let bytes = std::fs::read(self.bucket().join(key)).unwrap();
        opentrail_digest::gzip::gunzip_single(&bytes, 1 << 30).unwrap()
    }

    fn meta(&self, key: &str) -> String {
        std::fs::read_to_string(self.bucket().join(format!("{key}.meta.json"))).unwrap()
    }
}

fn collect(root: &Path, dir: &Path, keys: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, keys);
        } else {
            let key = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if !key.ends_with(".meta.json") && !key.contains(".tmp-") {
                keys.push(key);
            }
        }
    }
}

fn record(id: u32, time: &str, account: &str, region: &str) -> serde_json::Value {
    let mut record = opentrail_testkit::records::management_event(
        &format!("00000000-0000-4000-8000-{id:012}"),
        time,
        "iam.amazonaws.com",
        "ListUsers",
        "alice",
    );
    record["recipientAccountId"] = account.into();
    record["awsRegion"] = region.into();
    record
}

fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

#[test]
fn log_files_and_digests_are_byte_exact_and_chained() {
    let world = World::new("2026-03-02T08:17:00Z");
    let delivery = world.start(7);
    world.create_trail("main-trail", true);
    world.advance_to("2026-03-02T08:17:05Z");
    world
        .trails
        .start_logging(&world.caller(), "main-trail")
        .unwrap();
    world.advance_to("2026-03-02T08:17:06Z");
    world.append(&[
        record(1, "2026-03-02T08:10:00Z", ACCOUNT, "us-east-1"),
        record(2, "2026-03-02T08:16:59Z", ACCOUNT, "us-east-1"),
        // Another account's event and another Region's: not this trail's.
        record(3, "2026-03-02T08:16:00Z", "999999999999", "us-east-1"),
        record(4, "2026-03-02T08:16:00Z", ACCOUNT, "eu-west-1"),
    ]);
    // The batch closes five minutes after its oldest event arrived.
    world.advance_to("2026-03-02T08:22:06Z");
    world.wait_for("the first log file", |keys| keys.len() == 1);
    world.advance_to("2026-03-02T09:17:05Z");
    world.wait_for("the first digest", |keys| keys.len() == 2);
    // An hour without log files still has its digest.
    world.advance_to("2026-03-02T10:17:05Z");
    world.wait_for("the second digest", |keys| keys.len() == 3);
    // StopLogging: a final digest once the call's own record had its grace time.
    world.advance_to("2026-03-02T10:30:00Z");
    world
        .trails
        .stop_logging(&world.caller(), "main-trail")
        .unwrap();
    world.advance_to("2026-03-02T10:30:03Z");
    let keys = world.wait_for("the final digest", |keys| keys.len() == 4);
    // Nothing more comes: no digest is written twice, none after the final one.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(world.keys(), keys);
    drop(delivery);

    let mut shown = String::new();
    for key in &keys {
        shown.push_str(&format!("== {key}\n"));
        shown.push_str(&String::from_utf8(world.read(key)).unwrap());
        shown.push('\n');
        if key.contains("CloudTrail-Digest") {
            shown.push_str(&format!("-- metadata: {}\n", world.meta(key)));
        }
    }
    assert_golden(&golden("main-trail.txt"), &shown);

    // Each digest's signature verifies with the test key, and each points at the one before.
    let listing: serde_json::Value = serde_json::from_slice(
        &std::fs::read(world.root.path().join("keys/us-east-1/keys.json")).unwrap(),
    )
    .unwrap();
    let public = listing["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|key| key["fingerprint"] == TEST_KEY_FINGERPRINT)
        .unwrap()["publicKey"]
        .as_str()
        .unwrap()
        .to_owned();
    let der = opentrail_digest::public_key_from_base64(&public).unwrap();
    let mut previous: Option<(String, String)> = None;
    for key in keys.iter().filter(|key| key.contains("CloudTrail-Digest")) {
        let inflated = world.read(key);
        let digest: serde_json::Value = serde_json::from_slice(&inflated).unwrap();
        let meta: serde_json::Value = serde_json::from_str(&world.meta(key)).unwrap();
        let signature = meta["signature"].as_str().unwrap();
        let message = opentrail_digest::string_to_sign(
            digest["digestEndTime"].as_str().unwrap(),
            BUCKET,
            key,
            &opentrail_digest::sha256_hex(&inflated),
            digest["previousDigestSignature"].as_str(),
        );
        opentrail_digest::verify_signature(
            &der,
            message.as_bytes(),
            &hex::decode(signature).unwrap(),
        )
        .unwrap();
        match &previous {
            None => assert!(digest["previousDigestS3Object"].is_null()),
            Some((previous_key, previous_signature)) => {
                assert_eq!(digest["previousDigestS3Object"], previous_key.as_str());
                assert_eq!(
                    digest["previousDigestSignature"],
                    previous_signature.as_str()
                );
            }
        }
        previous = Some((key.clone(), signature.to_owned()));
    }
}

#[test]
fn restarts_neither_lose_nor_repeat_events() {
    let world = World::new("2026-03-02T08:00:00Z");
    let delivery = world.start(1);
    world.create_trail("restarts", true);
    world
        .trails
        .start_logging(&world.caller(), "restarts")
        .unwrap();
    let mut expected = Vec::new();
    let mut id = 0;
    let mut delivery = Some(delivery);
    for round in 0..6 {
        world.clock.advance_millis(1_000);
        let records: Vec<_> = (0..50)
            .map(|_| {
                id += 1;
                expected.push(format!("00000000-0000-4000-8000-{id:012}"));
                record(id, "2026-03-02T08:00:00Z", ACCOUNT, "us-east-1")
            })
            .collect();
        world.append(&records);
        if round % 2 == 1 {
            // Stop mid-batch: the open batch is not written; its events are read again.
            delivery.take().unwrap().stop();
            delivery = Some(world.start(100 + round));
        }
        world.clock.advance_millis(301_000);
        let files = round as usize + 1;
        world.wait_for("a log file per delivered batch", |keys| {
            keys.iter()
                .filter(|key| key.contains("/CloudTrail/"))
                .count()
                >= files
        });
    }
    drop(delivery);
    let mut seen = Vec::new();
    for key in world
        .keys()
        .iter()
        .filter(|key| key.contains("/CloudTrail/"))
    {
        let body: serde_json::Value = serde_json::from_slice(&world.read(key)).unwrap();
        for record in body["Records"].as_array().unwrap() {
            seen.push(record["eventID"].as_str().unwrap().to_owned());
        }
    }
    seen.sort();
    expected.sort();
    assert_eq!(seen, expected, "every event exactly once");
}

fn id(number: u32) -> String {
    format!("00000000-0000-4000-8000-{number:012}")
}

#[test]
fn multi_region_trails_write_each_region_under_its_own_folder_and_chain() {
    let world = World::new("2026-03-02T08:00:00Z");
    let delivery = world.start(3);
    world.create(CreateTrailInput {
        name: "everywhere".into(),
        s3_bucket_name: BUCKET.into(),
        is_multi_region_trail: Some(true),
        enable_log_file_validation: Some(true),
        ..CreateTrailInput::default()
    });
    world
        .trails
        .start_logging(&world.caller(), "everywhere")
        .unwrap();
    world.clock.advance_millis(1_000);
    world.append(&[
        record(1, "2026-03-02T08:00:00Z", ACCOUNT, "us-east-1"),
        record(2, "2026-03-02T08:00:00Z", ACCOUNT, "eu-west-1"),
        record(3, "2026-03-02T08:00:00Z", ACCOUNT, "ap-southeast-2"),
    ]);
    world.clock.advance_millis(300_000);
    let keys = world.wait_for("a log file per Region", |keys| keys.len() == 3);
    for region in ["us-east-1", "eu-west-1", "ap-southeast-2"] {
        let folder = format!(
            "AWSLogs/{ACCOUNT}/CloudTrail/{region}/2026/03/02/{ACCOUNT}_CloudTrail_{region}_20260302T0805Z_"
        );
        assert!(
            keys.iter().any(|key| key.starts_with(&folder)),
            "{folder} in {keys:#?}"
        );
    }
    // Each Region's digest chain: windows counted from the start of logging, the Region's
    // own signing key.
    world.advance_to("2026-03-02T09:00:00Z");
    let keys = world.wait_for("a digest per Region", |keys| keys.len() == 6);
    drop(delivery);
    for region in ["us-east-1", "eu-west-1", "ap-southeast-2"] {
        let digest = format!(
            "AWSLogs/{ACCOUNT}/CloudTrail-Digest/{region}/2026/03/02/{ACCOUNT}_CloudTrail-Digest_{region}_everywhere_us-east-1_20260302T090000Z.json.gz"
        );
        assert!(keys.contains(&digest), "{digest} in {keys:#?}");
        let body: serde_json::Value = serde_json::from_slice(&world.read(&digest)).unwrap();
        assert_eq!(body["digestStartTime"], "2026-03-02T08:00:00Z");
        assert_eq!(body["logFiles"].as_array().unwrap().len(), 1);
        assert!(
            body["logFiles"][0]["s3Object"]
                .as_str()
                .unwrap()
                .contains(&format!("/CloudTrail/{region}/"))
        );
    }
}

#[test]
fn selectors_decide_what_the_trail_receives_and_insights_go_to_their_folder() {
    let world = World::new("2026-03-02T08:00:00Z");
    let delivery = world.start(4);
    world.create_trail("choosy", false);
    let selectors: Vec<opentrail_selectors::AdvancedEventSelector> = serde_json::from_str(
        r#"[{"Name":"writes only","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]},{"Field":"readOnly","Equals":["false"]}]}]"#,
    )
    .unwrap();
    world
        .trails
        .put_event_selectors(&world.caller(), "choosy", None, Some(selectors))
        .unwrap();
    world
        .trails
        .put_insight_selectors(
            &world.caller(),
            opentrail_trails::PutInsightSelectorsInput {
                trail_name: Some("choosy".into()),
                insight_selectors: vec![opentrail_trails::InsightSelectorInput {
                    insight_type: Some("ApiCallRateInsight".into()),
                    event_categories: None,
                }],
                ..Default::default()
            },
        )
        .unwrap();
    world
        .trails
        .start_logging(&world.caller(), "choosy")
        .unwrap();
    world.clock.advance_millis(1_000);
    let mut write = record(2, "2026-03-02T08:00:00Z", ACCOUNT, "us-east-1");
    write["readOnly"] = false.into();
    write["eventName"] = "CreateUser".into();
    let insight = serde_json::json!({
        "eventVersion": "1.08",
        "eventTime": "2026-03-02T07:59:00Z",
        "awsRegion": "us-east-1",
        "eventID": id(3),
        "eventType": "AwsCloudTrailInsight",
        "recipientAccountId": ACCOUNT,
        "sharedEventID": "11111111-2222-4333-8444-555555555555",
        "insightDetails": {"state": "Start", "eventSource": "iam.amazonaws.com", "eventName": "CreateUser", "insightType": "ApiCallRateInsight"},
        "eventCategory": "Insight"
    });
    world.append(&[
        record(1, "2026-03-02T08:00:00Z", ACCOUNT, "us-east-1"),
        write,
        insight,
    ]);
    world.clock.advance_millis(300_000);
    world.wait_for("a log file and an Insights file", |keys| keys.len() == 2);
    drop(delivery);
    assert_eq!(
        world.delivered_ids("/CloudTrail/"),
        [id(2)],
        "the read-only event is not selected"
    );
    assert_eq!(world.delivered_ids("/CloudTrail-Insight/"), [id(3)]);
    let insight_key = world
        .keys()
        .into_iter()
        .find(|key| key.contains("/CloudTrail-Insight/"))
        .unwrap();
    assert!(
        insight_key.contains(&format!("/CloudTrail-Insight/us-east-1/2026/03/02/{ACCOUNT}_CloudTrail-Insight_us-east-1_20260302T0805Z_")),
        "{insight_key}"
    );
}

#[test]
fn a_failing_bucket_is_retried_reported_and_recovered_from() {
    let world = World::new("2026-03-02T08:00:00Z");
    let delivery = world.start(5);
    world.create_trail("flaky", false);
    world
        .trails
        .start_logging(&world.caller(), "flaky")
        .unwrap();
    // The bucket goes away before the first file is written.
    let parked = world.root.path().join("parked");
    std::fs::rename(world.bucket(), &parked).unwrap();
    world.clock.advance_millis(1_000);
    world.append(&[record(1, "2026-03-02T08:00:00Z", ACCOUNT, "us-east-1")]);
    world.clock.advance_millis(300_000);
    let status = world.wait_status("flaky", "the delivery error", |status| {
        status.latest_delivery_error.as_deref() == Some("NoSuchBucket")
    });
    assert_eq!(status.latest_delivery_time, None);
    // Back again: the retry delivers the same file, and the error clears.
    std::fs::rename(&parked, world.bucket()).unwrap();
    world.wait_for("the retried log file", |keys| keys.len() == 1);
    world.wait_status("flaky", "the error to clear", |status| {
        status.latest_delivery_error.is_none() && status.latest_delivery_time.is_some()
    });
    drop(delivery);
    assert_eq!(world.delivered_ids("/CloudTrail/"), [id(1)]);
}

#[test]
fn stopping_ends_the_chain_and_starting_again_begins_a_new_one() {
    let world = World::new("2026-03-02T08:00:00Z");
    let delivery = world.start(6);
    world.create_trail("restarted", true);
    world
        .trails
        .start_logging(&world.caller(), "restarted")
        .unwrap();
    world.advance_to("2026-03-02T09:00:00Z");
    world.wait_for("the first digest", |keys| keys.len() == 1);
    world.advance_to("2026-03-02T09:10:00Z");
    world
        .trails
        .stop_logging(&world.caller(), "restarted")
        .unwrap();
    world.advance_to("2026-03-02T09:10:03Z");
    world.wait_for("the final digest", |keys| keys.len() == 2);
    // Stopped: no digests, whatever the time.
    world.advance_to("2026-03-02T12:00:00Z");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(world.keys().len(), 2);
    world
        .trails
        .start_logging(&world.caller(), "restarted")
        .unwrap();
    world.advance_to("2026-03-02T13:00:00Z");
    let keys = world.wait_for("the new chain's first digest", |keys| keys.len() == 3);
    drop(delivery);
    let digest = |time: &str| {
        let key = keys
            .iter()
            .find(|key| key.ends_with(&format!("_restarted_us-east-1_{time}.json.gz")))
            .unwrap_or_else(|| panic!("no digest at {time} in {keys:#?}"));
        serde_json::from_slice::<serde_json::Value>(&world.read(key)).unwrap()
    };
    let final_digest = digest("20260302T091003Z");
    assert_eq!(final_digest["digestStartTime"], "2026-03-02T09:00:00Z");
    assert!(
        final_digest["previousDigestS3Object"]
            .as_str()
            .unwrap()
            .ends_with("_20260302T090000Z.json.gz")
    );
    let starting = digest("20260302T130000Z");
    assert_eq!(starting["digestStartTime"], "2026-03-02T12:00:00Z");
    for member in [
        "previousDigestS3Bucket",
        "previousDigestS3Object",
        "previousDigestHashValue",
        "previousDigestHashAlgorithm",
        "previousDigestSignature",
    ] {
        assert!(starting[member].is_null(), "{member} of a starting digest");
    }
}
