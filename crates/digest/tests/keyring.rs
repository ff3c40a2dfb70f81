//! The key ring: generation, rotation, validity windows, storage, failures.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use opentrail_digest::keys::DEFAULT_ROTATION;
use opentrail_digest::{ErrorKind, KeyRing, PublicKeyInfo, verify_signature};
use opentrail_testkit::golden::assert_golden;
use opentrail_types::{Clock as _, ManualClock, SharedClock, Timestamp};

use crate::common::{at, crate_path, test_signer};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

fn ring(dir: &Path, clock: &ManualClock) -> KeyRing {
    let shared: SharedClock = Arc::new(clock.clone());
    KeyRing::open(dir, shared, DEFAULT_ROTATION).unwrap()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn fingerprints(keys: &[PublicKeyInfo]) -> Vec<&str> {
    keys.iter().map(|key| key.fingerprint.as_str()).collect()
}

#[test]
fn key_ring_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<KeyRing>();
}

#[test]
fn first_use_generates_a_key_stored_owner_only() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("keys");
    let clock = ManualClock::new(at("2026-03-02T08:17:05.750Z"));
    let ring = ring(&dir, &clock);
    assert_eq!(mode(&dir), 0o700);
    assert!(
        ring.public_keys("us-east-1", Timestamp::MIN, Timestamp::MAX)
            .unwrap()
            .is_empty()
    );

    let signer = ring.signer("us-east-1").unwrap();
    let region_dir = dir.join("us-east-1");
    assert_eq!(mode(&region_dir), 0o700);
    let key_file = region_dir.join(format!("{}.key", signer.fingerprint()));
    assert_eq!(mode(&key_file), 0o600);
    assert_eq!(mode(&region_dir.join("keys.json")), 0o600);
    // Nothing else (no temporary files) is left behind.
    let mut names: Vec<String> = std::fs::read_dir(&region_dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected = vec![
        format!("{}.key", signer.fingerprint()),
        String::from("keys.json"),
    ];
    expected.sort();
    assert_eq!(names, expected);

    let keys = ring
        .public_keys("us-east-1", clock.now(), clock.now())
        .unwrap();
    assert_eq!(fingerprints(&keys), [signer.fingerprint()]);
    assert_eq!(keys[0].der, signer.public_key_der());
    // Window: [created (whole second), created + 45 days].
    assert_eq!(keys[0].validity_start, at("2026-03-02T08:17:05Z"));
    assert_eq!(keys[0].validity_end, at("2026-04-16T08:17:05Z"));

    // Regions are independent.
    let other = ring.signer("eu-west-1").unwrap();
    assert_ne!(other.fingerprint(), signer.fingerprint());
    let message = b"signed";
    verify_signature(&keys[0].der, message, &signer.sign(message).unwrap()).unwrap();
}

#[test]
fn rotation_happens_after_the_period_and_windows_overlap() {
    let temp = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(at("2026-03-01T00:00:00Z"));
    let ring = ring(temp.path(), &clock);
    let first = ring.signer("us-east-1").unwrap();

    clock.advance_millis(30 * DAY_MS - 1);
    assert_eq!(
        ring.signer("us-east-1").unwrap().fingerprint(),
        first.fingerprint()
    );

    clock.advance_millis(1);
    let second = ring.signer("us-east-1").unwrap();
    assert_ne!(second.fingerprint(), first.fingerprint());
    assert_eq!(
        ring.signer("us-east-1").unwrap().fingerprint(),
        second.fingerprint()
    );

    let all = ring
        .public_keys("us-east-1", Timestamp::MIN, Timestamp::MAX)
        .unwrap();
    assert_eq!(
        fingerprints(&all),
        [second.fingerprint(), first.fingerprint()]
    );

    // A validator's standard-chain query around the rotation sees both keys.
    let rotation = at("2026-03-31T00:00:00Z");
    let around = ring
        .public_keys(
            "us-east-1",
            rotation.saturating_add_millis(-DAY_MS),
            rotation,
        )
        .unwrap();
    assert_eq!(
        fingerprints(&around),
        [second.fingerprint(), first.fingerprint()]
    );
    // Before the second key existed: only the first.
    let before = ring
        .public_keys(
            "us-east-1",
            at("2026-03-01T00:00:00Z"),
            at("2026-03-30T23:59:59Z"),
        )
        .unwrap();
    assert_eq!(fingerprints(&before), [first.fingerprint()]);
    // The first key's window ends 45 days after it was made (overlap: 15 days).
    let first_end = at("2026-04-15T00:00:00Z");
    assert_eq!(all[1].validity_end, first_end);
    let at_end = ring.public_keys("us-east-1", first_end, first_end).unwrap();
    assert_eq!(at_end.len(), 2);
    let after = first_end.saturating_add_millis(1000);
    let later = ring.public_keys("us-east-1", after, after).unwrap();
    assert_eq!(fingerprints(&later), [second.fingerprint()]);

    // Retired keys stay listed after reopening, and the current key is reloaded from disk.
    let reopened = self::ring(temp.path(), &clock);
    assert_eq!(
        reopened.signer("us-east-1").unwrap().fingerprint(),
        second.fingerprint()
    );
    assert_eq!(
        reopened
            .public_keys("us-east-1", Timestamp::MIN, Timestamp::MAX)
            .unwrap(),
        all
    );
    let stored = std::fs::read_to_string(temp.path().join("us-east-1/keys.json")).unwrap();
    let value: serde_json::Value = serde_json::from_str(&stored).unwrap();
    assert_eq!(value["version"], 1);
    assert_eq!(value["keys"][0]["retired"], true);
    assert_eq!(value["keys"][1]["retired"], false);
}

#[test]
fn a_long_pause_rotates_once_on_the_next_use() {
    let temp = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(at("2026-01-01T00:00:00Z"));
    let ring = ring(temp.path(), &clock);
    let first = ring.signer("us-east-1").unwrap();
    clock.advance_millis(200 * DAY_MS);
    let second = ring.signer("us-east-1").unwrap();
    assert_ne!(first.fingerprint(), second.fingerprint());
    assert_eq!(
        ring.public_keys("us-east-1", Timestamp::MIN, Timestamp::MAX)
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn a_missing_private_key_is_an_error_until_rotated_by_hand() {
    let temp = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(at("2026-03-01T00:00:00Z"));
    let first = ring(temp.path(), &clock).signer("us-east-1").unwrap();
    let key_file = temp
        .path()
        .join(format!("us-east-1/{}.key", first.fingerprint()));
    std::fs::remove_file(&key_file).unwrap();

    let reopened = ring(temp.path(), &clock);
    let error = reopened.signer("us-east-1").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingPrivateKey);
    assert!(error.to_string().contains(first.fingerprint()), "{error}");
    // No key was made behind the operator's back.
    assert_eq!(
        reopened
            .public_keys("us-east-1", Timestamp::MIN, Timestamp::MAX)
            .unwrap()
            .len(),
        1
    );

    let replacement = reopened.rotate_now("us-east-1").unwrap();
    assert_ne!(replacement.fingerprint(), first.fingerprint());
    assert_eq!(
        reopened.signer("us-east-1").unwrap().fingerprint(),
        replacement.fingerprint()
    );
    assert_eq!(
        reopened
            .public_keys("us-east-1", Timestamp::MIN, Timestamp::MAX)
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn a_private_key_filed_under_another_fingerprint_is_rejected() {
    let temp = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(at("2026-03-01T00:00:00Z"));
    let first = ring(temp.path(), &clock).signer("us-east-1").unwrap();
    let key_file = temp
        .path()
        .join(format!("us-east-1/{}.key", first.fingerprint()));
    std::fs::write(&key_file, test_signer().to_pkcs8_der().unwrap()).unwrap();
    let error = ring(temp.path(), &clock).signer("us-east-1").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BadPrivateKey);

    std::fs::write(&key_file, b"garbage").unwrap();
    let error = ring(temp.path(), &clock).signer("us-east-1").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BadPrivateKey);
}

#[test]
fn bad_input_is_rejected() {
    let temp = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(at("2026-03-01T00:00:00Z"));
    let ring = ring(temp.path(), &clock);
    for region in ["", "../etc", "US-EAST-1", "us east", "a/b"] {
        assert_eq!(
            ring.signer(region).unwrap_err().kind(),
            ErrorKind::InvalidRegion,
            "{region}"
        );
    }
    let error = ring
        .public_keys(
            "us-east-1",
            at("2026-03-02T00:00:00Z"),
            at("2026-03-01T00:00:00Z"),
        )
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidTimeRange);

    let shared: SharedClock = Arc::new(clock.clone());
    let error = KeyRing::open(temp.path(), shared, Duration::from_millis(10)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRotation);

    std::fs::create_dir_all(temp.path().join("eu-west-1")).unwrap();
    std::fs::write(temp.path().join("eu-west-1/keys.json"), b"{\"version\":2}").unwrap();
    let error = ring.signer("eu-west-1").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::KeyStore);
}

/// `testdata/keys/v1.json` is a version-1 key list (the test-only key, current, and a
/// retired key of the CLI's published `VALID_TEST_KEY`); `v1.expected.txt` is how today's
/// code reads it.
#[test]
fn version_1_key_store_is_read() {
    let temp = tempfile::tempdir().unwrap();
    let region_dir = temp.path().join("us-east-1");
    std::fs::create_dir_all(&region_dir).unwrap();
    std::fs::copy(
        crate_path("testdata/keys/v1.json"),
        region_dir.join("keys.json"),
    )
    .unwrap();
    let signer = test_signer();
    std::fs::write(
        region_dir.join(format!("{}.key", signer.fingerprint())),
        signer.to_pkcs8_der().unwrap(),
    )
    .unwrap();

    let clock = ManualClock::new(at("2026-03-10T00:00:00Z"));
    let ring = ring(temp.path(), &clock);
    assert_eq!(
        ring.signer("us-east-1").unwrap().fingerprint(),
        signer.fingerprint()
    );
    let mut text = String::new();
    for key in ring
        .public_keys("us-east-1", Timestamp::MIN, Timestamp::MAX)
        .unwrap()
    {
        text.push_str(&format!(
            "{} {} {} {}\n",
            key.fingerprint,
            key.validity_start.format_event_time(),
            key.validity_end.format_event_time(),
            opentrail_digest::fingerprint(&key.der),
        ));
    }
    assert_golden(&crate_path("testdata/keys/v1.expected.txt"), &text);
}
