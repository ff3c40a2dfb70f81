//! The trail operations through `opentrail_api::call`, JSON in and JSON out: the cases of
//! `tests/wire/trails-sequence.txt` run in order against one registry. Each request file
//! is `{"source", "region"?, "account"?, "body"}` (default region `us-east-1`, account
//! `111122223333`); each response file is the status line and the exact response body.
//! The clock starts at 2023-11-14T22:13:20Z and moves one second before each call.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use opentrail_api::{Operation, Scope, Services, call};
use opentrail_digest::KeyRing;
use opentrail_journal::{Journal, JournalConfig};
use opentrail_store::{History, HistoryConfig};
use opentrail_testkit::golden::assert_golden;
use opentrail_trails::{BucketProbe, BucketProblem, TopicDirectory, TrailLimits, Trails};
use opentrail_types::{Clock, ManualClock, SystemClock, Timestamp};

const ACCOUNT: &str = "111122223333";
const REGION: &str = "us-east-1";

/// `audit-logs` and `other-logs` exist, `locked-logs` refuses writes, nothing else exists.
struct Buckets;

impl BucketProbe for Buckets {
    fn check(&self, bucket: &str) -> Result<(), BucketProblem> {
        match bucket {
            "audit-logs" | "other-logs" => Ok(()),
            "locked-logs" => Err(BucketProblem::AccessDenied(String::from("denied"))),
            _ => Err(BucketProblem::DoesNotExist),
        }
    }
}

/// Every account has the topic `alerts` in every region.
struct Topics;

impl TopicDirectory for Topics {
    fn topic_arn(&self, account: &str, region: &str, name_or_arn: &str) -> Option<String> {
        let arn = format!("arn:aws:sns:{region}:{account}:alerts");
        (name_or_arn == "alerts" || name_or_arn == arn).then_some(arn)
    }
}

struct Setup {
    _dir: tempfile::TempDir,
    journal: Journal,
    history: History,
    trails: Trails,
    keys: KeyRing,
    clock: ManualClock,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(
        &dir.path().join("journal"),
        JournalConfig::default(),
        Arc::new(SystemClock),
    )
    .unwrap();
    let history = History::open(
        &dir.path().join("history"),
        journal.clone(),
        HistoryConfig::default(),
        Arc::new(SystemClock),
    )
    .unwrap();
    let clock = ManualClock::new(Timestamp::from_secs(1_700_000_000));
    let trails = Trails::open(
        &dir.path().join("trails"),
        Arc::new(clock.clone()),
        TrailLimits::default(),
    )
    .unwrap();
    let keys = KeyRing::open(
        &dir.path().join("keys"),
        Arc::new(clock.clone()),
        Duration::from_secs(30 * 86_400),
    )
    .unwrap();
    Setup {
        _dir: dir,
        journal,
        history,
        trails,
        keys,
        clock,
    }
}

#[test]
fn trail_operations_wire_goldens() {
    let setup = setup();
    let services = Services {
        history: &setup.history,
        trails: &setup.trails,
        buckets: &Buckets,
        topics: &Topics,
        keys: &setup.keys,
        now: setup.clock.now(),
    };
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wire");
    let sequence = std::fs::read_to_string(folder.join("trails-sequence.txt")).unwrap();
    let mut seen_operations = std::collections::BTreeSet::new();
    for line in sequence
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
    {
        let (operation_name, case) = line.split_once('/').unwrap();
        let operation = Operation::from_name(operation_name).unwrap();
        seen_operations.insert(operation_name.to_owned());
        let request: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(folder.join(format!("{line}.request.json"))).unwrap(),
        )
        .unwrap();
        let scope = Scope {
            account_id: request["account"].as_str().unwrap_or(ACCOUNT).to_owned(),
            region: request["region"].as_str().unwrap_or(REGION).to_owned(),
        };
        let body = serde_json::to_vec(&request["body"]).unwrap();
        setup.clock.advance_millis(1_000);
        let text = match call(services, &scope, operation, &body) {
            Ok(response) => format!("HTTP 200\n{}\n", String::from_utf8(response).unwrap()),
            Err(error) => format!("HTTP {}\n{}\n", error.code.http_status(), error.to_json()),
        };
        assert_golden(
            &folder
                .join(operation_name)
                .join(format!("{case}.response.json")),
            &text,
        );
    }
    assert_eq!(seen_operations.len(), 16, "every trail operation has cases");
    setup.history.close();
    setup.journal.close();
}

#[test]
fn empty_bodies_and_bad_json_are_answered_like_lookup_events() {
    let setup = setup();
    let services = Services {
        history: &setup.history,
        trails: &setup.trails,
        buckets: &Buckets,
        topics: &Topics,
        keys: &setup.keys,
        now: setup.clock.now(),
    };
    let scope = Scope {
        account_id: String::from(ACCOUNT),
        region: String::from(REGION),
    };
    let listed = call(services, &scope, Operation::ListTrails, b"").unwrap();
    assert_eq!(listed, br#"{"Trails":[]}"#);
    let described = call(services, &scope, Operation::DescribeTrails, b"  ").unwrap();
    assert_eq!(described, br#"{"trailList":[]}"#);
    let error = call(services, &scope, Operation::GetTrail, b"{\"Name\":").unwrap_err();
    assert_eq!(error.code.as_str(), "SerializationException");
    let error = call(services, &scope, Operation::ListEventDataStores, b"{}").unwrap_err();
    assert_eq!(error.code.as_str(), "UnsupportedOperationException");
    setup.history.close();
    setup.journal.close();
}

#[test]
fn list_public_keys_returns_the_regions_keys_in_the_window() {
    let setup = setup();
    let services = Services {
        history: &setup.history,
        trails: &setup.trails,
        buckets: &Buckets,
        topics: &Topics,
        keys: &setup.keys,
        now: setup.clock.now(),
    };
    let scope = Scope {
        account_id: String::from(ACCOUNT),
        region: String::from(REGION),
    };
    // No times: the current key, made on first use.
    let listed = call(services, &scope, Operation::ListPublicKeys, b"{}").unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&listed).unwrap();
    let keys = listed["PublicKeyList"].as_array().unwrap();
    assert_eq!(keys.len(), 1, "{listed}");
    let value = keys[0]["Value"].as_str().unwrap();
    assert!(
        value.starts_with("MIIBCgKCAQEA"),
        "PKCS#1 RSAPublicKey DER: {value}"
    );
    let der = opentrail_digest::public_key_from_base64(value).unwrap();
    assert_eq!(
        keys[0]["Fingerprint"],
        opentrail_digest::fingerprint(&der).as_str()
    );
    let start = keys[0]["ValidityStartTime"].as_f64().unwrap();
    assert!(start <= 1_700_000_000.0);
    assert!(keys[0]["ValidityEndTime"].as_f64().unwrap() > 1_700_000_000.0);
    // A window long before the key existed holds none.
    let before = call(
        services,
        &scope,
        Operation::ListPublicKeys,
        br#"{"StartTime": 1000000000, "EndTime": 1000003600}"#,
    )
    .unwrap();
    assert_eq!(before, br#"{"PublicKeyList":[]}"#);
    // Another Region has its own key.
    let west = Scope {
        account_id: String::from(ACCOUNT),
        region: String::from("us-west-2"),
    };
    let other = call(services, &west, Operation::ListPublicKeys, b"{}").unwrap();
    let other: serde_json::Value = serde_json::from_slice(&other).unwrap();
    assert_ne!(
        other["PublicKeyList"][0]["Fingerprint"],
        keys[0]["Fingerprint"]
    );
    let reversed = call(
        services,
        &scope,
        Operation::ListPublicKeys,
        br#"{"StartTime": 1700003600, "EndTime": 1700000000}"#,
    )
    .unwrap_err();
    assert_eq!(reversed.code.as_str(), "InvalidTimeRangeException");
    setup.history.close();
    setup.journal.close();
}
