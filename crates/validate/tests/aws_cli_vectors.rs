//! The expected output strings of the aws CLI's own functional tests, fed through our
//! validator on real (signed) digests laid out as the tests' mock scenarios lay them out.
//!
//! Source of the expected strings (facts, copied verbatim): aws/aws-cli
//! `tests/functional/cloudtrail/test_validation.py` (the version with backfill support),
//! and its scenario builder `create_scenario`/`MockDigestProvider` in
//! `tests/unit/customizations/cloudtrail/test_validation.py`: trail
//! `arn:aws:cloudtrail:us-east-1:123456789012:trail/foo`, bucket `1`, digest `i` keyed at
//! `20140810T000000Z + i hours` with `digestStartTime` = the key time and `digestEndTime`
//! 90 minutes later, a standard and a backfill digest at each position, actions `gap` (no
//! link), `link` (to position `i - 1`), `bucket_change` (a link into the next bucket).
//!
//! Not reproduced: scenarios whose mock lists digests that `GetObject` then cannot find
//! (a real bucket does not list a deleted object) and the mock validator's `invalid error`.

use std::collections::BTreeMap;

use opentrail_digest::gzip::gzip;
use opentrail_digest::naming::DigestKey;
use opentrail_digest::{DigestFile, LogFileEntry, PreviousDigest, Signer};
use opentrail_types::Timestamp;
use opentrail_validate::{KeySource, PublicKeyInfo, ValidateOptions};

use crate::support::{Fixture, HOUR, MINUTE, Outcome, at, keys_of, signer};

const START_DATE: &str = "2014-08-10T00:00:00Z";
const END_DATE: &str = "2015-08-10T00:00:00Z";
const TEST_ACCOUNT_ID: &str = "123456789012";
const TEST_TRAIL_ARN: &str = "arn:aws:cloudtrail:us-east-1:123456789012:trail/foo";

/// The tests' `self._logs`: (key, hash, raw content).
const LOGS: [(&str, &str, &str); 3] = [
    (
        "key1",
        "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
        "{}",
    ),
    (
        "key2",
        "7a38bf81f383f69433ad6e900d35b3e2385593f76a7b7ab5d4355b8ba41ee24b",
        "{\"foo\":\"bar\"}",
    ),
    (
        "key3",
        "5b1070294963f40cb5b3c7a05d3fbaf7ffe4e5d226632026e39cfeb32d349c0c",
        "{\"baz\":\"qux\"}",
    ),
];

/// `MockDigestProvider.get_key_at_position`.
fn key_at(position: usize, backfill: bool) -> String {
    DigestKey {
        prefix: None,
        org_id: None,
        account_id: TEST_ACCOUNT_ID.to_owned(),
        source_region: "us-east-1".to_owned(),
        trail_name: "foo".to_owned(),
        home_region: "us-east-1".to_owned(),
        end: key_time(position),
        backfill,
    }
    .object_key()
}

fn key_time(position: usize) -> Timestamp {
    at(START_DATE).saturating_add_millis(position as i64 * HOUR)
}

fn log_entry(index: usize) -> LogFileEntry {
    let (key, hash, _) = LOGS[index];
    LogFileEntry {
        s3_bucket: "1".to_owned(),
        s3_object: key.to_owned(),
        hash_value: hash.to_owned(),
        newest_event_time: at("2015-08-16T22:36:54Z"),
        oldest_event_time: at("2015-08-16T22:36:54Z"),
    }
}

/// Writes `create_scenario(actions, logs)` as real digests (standard and backfill) in
/// buckets `1`, `2`, ... and the log files in bucket `1`.
fn scenario(fixture: &Fixture, signer: &Signer, actions: &[&str], logs: &[&[usize]]) {
    for (key, _, raw) in LOGS {
        fixture.put("1", key, gzip(raw.as_bytes()), BTreeMap::new());
    }
    // The walk starts in bucket 1 at the newest position; each `bucket_change` moves the
    // positions before it into the next bucket.
    let mut buckets = vec![1_usize; actions.len()];
    for position in (1..actions.len()).rev() {
        buckets[position - 1] =
            buckets[position] + usize::from(actions[position] == "bucket_change");
    }
    for backfill in [false, true] {
        for (position, action) in actions.iter().enumerate() {
            let bucket = buckets[position].to_string();
            let previous = (*action != "gap" && position > 0).then(|| PreviousDigest {
                s3_bucket: buckets[position - 1].to_string(),
                s3_object: key_at(position - 1, backfill),
                hash_value: "0".repeat(64),
                signature: "abcd".to_owned(),
            });
            let file = DigestFile {
                aws_account_id: TEST_ACCOUNT_ID.to_owned(),
                digest_start_time: key_time(position),
                digest_end_time: key_time(position).saturating_add_millis(90 * MINUTE),
                digest_s3_bucket: bucket,
                digest_s3_object: key_at(position, backfill),
                digest_public_key_fingerprint: signer.fingerprint().to_owned(),
                newest_event_time: None,
                oldest_event_time: None,
                previous,
                log_files: logs
                    .get(position)
                    .map(|indexes| indexes.iter().map(|&index| log_entry(index)).collect())
                    .unwrap_or_default(),
            };
            let generated = backfill.then(|| at("2025-09-01T00:00:00Z"));
            fixture.write_digest(&file, signer, generated);
        }
    }
}

fn options(verbose: bool, end: Option<&str>) -> ValidateOptions {
    let mut options = ValidateOptions::new(TEST_TRAIL_ARN, at(START_DATE));
    options.end = end.map(at);
    options.s3_bucket = Some("1".to_owned());
    options.source_region = Some("us-east-1".to_owned());
    options.verbose = verbose;
    options
}

fn run(actions: &[&str], logs: &[&[usize]], options: &ValidateOptions) -> Outcome {
    let fixture = Fixture::new();
    let key = signer("a");
    scenario(&fixture, &key, actions, logs);
    fixture.run(options, keys_of(&[&key]))
}

fn assert_in(needle: &str, haystack: &str) {
    assert!(
        haystack.contains(needle),
        "expected {needle:?} in:\n{haystack}"
    );
}

#[test]
fn test_verbose_output_shows_happy_case() {
    let outcome = run(&["gap", "link"], &[&[], &[0]], &options(true, None));
    assert_eq!(outcome.exit, 0);
    assert_in(
        &format!("Digest file\ts3://1/{}\tvalid", key_at(0, false)),
        &outcome.stdout,
    );
    assert_in("2/2 digest files valid", &outcome.stdout);
    assert_in("2/2 backfill digest files valid", &outcome.stdout);
    assert_in("2/2 log files valid", &outcome.stdout);
    assert_in(
        &format!("Digest file\ts3://1/{}\tvalid", key_at(1, false)),
        &outcome.stdout,
    );
    assert_in("Log file\ts3://1/key1\tvalid", &outcome.stdout);
    assert_in(
        &format!("(backfill) Digest file\ts3://1/{}\tvalid", key_at(0, true)),
        &outcome.stdout,
    );
    assert_in(
        &format!("(backfill) Digest file\ts3://1/{}\tvalid", key_at(1, true)),
        &outcome.stdout,
    );
}

#[test]
fn test_verbose_output_shows_valid_digests() {
    let outcome = run(&["gap"], &[], &options(true, None));
    assert_eq!(outcome.exit, 0);
    assert_in(
        &format!("Digest file\ts3://1/{}\tvalid", key_at(0, false)),
        &outcome.stdout,
    );
    assert_in(
        &format!("(backfill) Digest file\ts3://1/{}\tvalid", key_at(0, true)),
        &outcome.stdout,
    );
    assert_in("1/1 digest files valid", &outcome.stdout);
    assert_in("1/1 backfill digest files valid", &outcome.stdout);
}

#[test]
fn test_warns_when_no_digests_in_gap() {
    let outcome = run(&["gap", "gap"], &[], &options(false, None));
    assert_eq!(outcome.exit, 0);
    assert_in(
        "No log files were delivered by CloudTrail between 2014-08-10T00:00:00Z and 2014-08-10T01:00:00Z",
        &outcome.stderr,
    );
}

#[test]
fn test_shows_successful_summary() {
    let outcome = run(&["gap", "link"], &[], &options(true, Some(END_DATE)));
    assert_eq!(outcome.exit, 0);
    assert_in(
        "Results requested for 2014-08-10T00:00:00Z to 2015-08-10T00:00:00Z",
        &outcome.stdout,
    );
    assert_in("2/2 digest files valid", &outcome.stdout);
    assert_in("2/2 backfill digest files valid", &outcome.stdout);
    assert_in(
        "Results found for 2014-08-10T00:00:00Z to 2014-08-10T02:30:00Z",
        &outcome.stdout,
    );
}

#[test]
fn test_warns_when_no_digests_after_start_date() {
    let outcome = run(&[], &[], &options(false, Some(END_DATE)));
    assert_eq!(outcome.exit, 0);
    assert_in(
        "Results requested for 2014-08-10T00:00:00Z to 2015-08-10T00:00:00Z\nNo digests found",
        &outcome.stdout,
    );
}

#[test]
fn test_fails_and_warns_when_log_hash_is_invalid() {
    let fixture = Fixture::new();
    let key = signer("a");
    scenario(&fixture, &key, &["gap"], &[&[0]]);
    fixture.put("1", "key1", gzip(b"does not match"), BTreeMap::new());
    let outcome = fixture.run(&options(false, None), keys_of(&[&key]));
    assert_eq!(outcome.exit, 1);
    assert_in(
        "Log file\ts3://1/key1\tINVALID: hash value doesn't match",
        &outcome.stderr,
    );
    assert_in("1/1 digest files valid", &outcome.stdout);
    assert_in("1/1 backfill digest files valid", &outcome.stdout);
    assert_in(
        "0/2 log files valid, 2/2 log files INVALID",
        &outcome.stdout,
    );
}

#[test]
fn test_validates_valid_log_files() {
    let outcome = run(
        &["gap", "link", "link"],
        &[&[2], &[], &[0, 1]],
        &options(true, None),
    );
    assert_eq!(outcome.exit, 0);
    for needle in [
        "s3://1/key1",
        "s3://1/key2",
        "s3://1/key3",
        "Log file\ts3://1/key1\tvalid",
        "Log file\ts3://1/key2\tvalid",
        "Log file\ts3://1/key3\tvalid",
        "3/3 digest files valid",
        "3/3 backfill digest files valid",
        "6/6 log files valid",
    ] {
        assert_in(needle, &outcome.stdout);
    }
}

#[test]
fn test_ensures_start_time_before_end_time() {
    let mut options = options(false, Some("2014-01-01T00:00:00Z"));
    options.start = at("2015-01-01T00:00:00Z");
    let outcome = run(&[], &[], &options);
    assert_eq!(outcome.exit, 255);
    assert_in("start-time must occur before end-time", &outcome.stderr);
}

#[test]
fn test_fails_when_digest_not_from_same_location_as_json_contents() {
    let fixture = Fixture::new();
    let key = signer("a");
    scenario(&fixture, &key, &["gap"], &[]);
    for backfill in [false, true] {
        let file = DigestFile {
            aws_account_id: TEST_ACCOUNT_ID.to_owned(),
            digest_start_time: key_time(0),
            digest_end_time: key_time(0),
            digest_s3_bucket: "not_same".to_owned(),
            digest_s3_object: key_at(0, backfill),
            digest_public_key_fingerprint: "a".to_owned(),
            newest_event_time: None,
            oldest_event_time: None,
            previous: None,
            log_files: Vec::new(),
        };
        let json: serde_json::Value = serde_json::from_slice(&file.to_json()).unwrap();
        fixture.write_raw_digest(
            "1",
            &key_at(0, backfill),
            &json,
            &key,
            backfill.then(|| at("2025-09-01T00:00:00Z")),
        );
    }
    let outcome = fixture.run(&options(false, None), keys_of(&[&key]));
    assert_eq!(outcome.exit, 1);
    assert_in(
        &format!(
            "Digest file\ts3://1/{}\tINVALID: has been moved from its original location",
            key_at(0, false)
        ),
        &outcome.stderr,
    );
    assert_in(
        &format!(
            "(backfill) Digest file\ts3://1/{}\tINVALID: has been moved from its original location",
            key_at(0, true)
        ),
        &outcome.stderr,
    );
    assert_in(
        "0/1 digest files valid, 1/1 digest files INVALID",
        &outcome.stdout,
    );
    assert_in(
        "0/1 backfill digest files valid, 1/1 backfill digest files INVALID",
        &outcome.stdout,
    );
}

#[test]
fn test_fails_when_digest_is_missing_keys_before_validation() {
    let fixture = Fixture::new();
    let key = signer("a");
    for backfill in [false, true] {
        let empty = serde_json::json!({});
        fixture.write_raw_digest(
            "1",
            &key_at(0, backfill),
            &empty,
            &key,
            backfill.then(|| at("2025-09-01T00:00:00Z")),
        );
    }
    let outcome = fixture.run(&options(false, None), keys_of(&[&key]));
    assert_eq!(outcome.exit, 1);
    assert_in(
        &format!(
            "Digest file\ts3://1/{}\tINVALID: invalid format",
            key_at(0, false)
        ),
        &outcome.stderr,
    );
    assert_in(
        &format!(
            "(backfill) Digest file\ts3://1/{}\tINVALID: invalid format",
            key_at(0, true)
        ),
        &outcome.stderr,
    );
    assert_in(
        "0/1 digest files valid, 1/1 digest files INVALID",
        &outcome.stdout,
    );
    assert_in(
        "0/1 backfill digest files valid, 1/1 backfill digest files INVALID",
        &outcome.stdout,
    );
}

#[test]
fn test_fails_when_digest_metadata_is_missing() {
    let fixture = Fixture::new();
    for backfill in [false, true] {
        fixture.put("1", &key_at(1, backfill), gzip(b"{}"), BTreeMap::new());
    }
    let keys = KeySource::Fixed(vec![PublicKeyInfo {
        value: Some(
            "MIIBCgKCAQEAn11L2YZ9h7onug2ILi1MWyHiMRsTQjfWE+pHVRLk1QjfWhirG+lpOa8NrwQ/r7Ah5bNL6HepznOU9XTDSfmmnP97mqyc7z/upfZdS/AHhYcGaz7n6Wc/RRBU6VmiPCrAUojuSk6/GjvA8iOPFsYDuBtviXarvuLPlrT9kAd4Lb+rFfR5peEgBEkhlzc5HuWO7S0y+KunqxX6jQBnXGMtxmPBPP0FylgWGNdFtks/4YSKcgqwH0YDcawP9GGGDAeCIqPWIXDLG1jOjRRzWfCmD0iJUkz8vTsn4hq/5ZxRFE7UBAUiVcGbdnDdvVfhF9C3dQiDq3k7adQIziLT0cShgQIDAQAB"
                .to_owned(),
        ),
        validity_start: None,
        validity_end: None,
        fingerprint: "a".to_owned(),
    }]);
    let outcome = fixture.run(&options(false, None), keys);
    assert_eq!(outcome.exit, 1);
    assert_in(
        &format!(
            "Digest file\ts3://1/{}\tINVALID: signature verification failed",
            key_at(1, false)
        ),
        &outcome.stderr,
    );
    assert_in(
        &format!(
            "(backfill) Digest file\ts3://1/{}\tINVALID: signature verification failed",
            key_at(1, true)
        ),
        &outcome.stderr,
    );
    assert_in(
        "0/1 digest files valid, 1/1 digest files INVALID",
        &outcome.stdout,
    );
    assert_in(
        "0/1 backfill digest files valid, 1/1 backfill digest files INVALID",
        &outcome.stdout,
    );
}

#[test]
fn test_follows_trails_when_bucket_changes() {
    let outcome = run(
        &["gap", "bucket_change", "link", "bucket_change", "link"],
        &[&[], &[0], &[], &[], &[]],
        &options(true, None),
    );
    assert_eq!(outcome.exit, 0, "{}", outcome.render());
    for (bucket, position) in [(3, 0), (2, 1), (2, 2), (1, 3), (1, 4)] {
        assert_in(
            &format!(
                "Digest file\ts3://{bucket}/{}\tvalid",
                key_at(position, false)
            ),
            &outcome.stdout,
        );
        assert_in(
            &format!(
                "(backfill) Digest file\ts3://{bucket}/{}\tvalid",
                key_at(position, true)
            ),
            &outcome.stdout,
        );
    }
    assert_in("Log file\ts3://1/key1\tvalid", &outcome.stdout);
    assert_in("5/5 digest files valid", &outcome.stdout);
    assert_in("5/5 backfill digest files valid", &outcome.stdout);
    assert_in("2/2 log files valid", &outcome.stdout);
}

#[test]
fn test_fails_when_digest_public_key_not_found() {
    let fixture = Fixture::new();
    let (key_a, key_b) = (signer("a"), signer("b"));
    scenario(&fixture, &key_a, &["gap"], &[]);
    let outcome = fixture.run(&options(false, None), keys_of(&[&key_b]));
    assert_eq!(outcome.exit, 1);
    let standard = outcome
        .stderr
        .lines()
        .filter(|line| line.contains("public key not found") && !line.contains("(backfill)"))
        .count();
    let backfill = outcome
        .stderr
        .lines()
        .filter(|line| line.contains("public key not found") && line.contains("(backfill)"))
        .count();
    assert_eq!((standard, backfill), (1, 1));
    assert_in(
        "0/1 digest files valid, 1/1 digest files INVALID",
        &outcome.stdout,
    );
    assert_in(
        "0/1 backfill digest files valid, 1/1 backfill digest files INVALID",
        &outcome.stdout,
    );
}

#[test]
fn test_fails_and_warns_when_log_is_deleted() {
    let fixture = Fixture::new();
    let key = signer("a");
    scenario(&fixture, &key, &["gap"], &[&[0]]);
    fixture.remove("1", "key1");
    let outcome = fixture.run(&options(false, None), keys_of(&[&key]));
    assert_eq!(outcome.exit, 1);
    assert_in(
        "Log file\ts3://1/key1\tINVALID: not found\n\n",
        &outcome.stderr,
    );
}

/// `TestSha256RSADigestValidator`: the key `YQo=` cannot be loaded; `VALID_TEST_KEY` does
/// not verify a signature made by another key.
#[test]
fn validator_unit_vectors_through_the_whole_run() {
    let fixture = Fixture::new();
    let key = signer("a");
    scenario(&fixture, &key, &["gap"], &[]);
    let bad_key = |value: &str| {
        KeySource::Fixed(vec![PublicKeyInfo {
            value: Some(value.to_owned()),
            validity_start: None,
            validity_end: None,
            fingerprint: key.fingerprint().to_owned(),
        }])
    };
    let unloadable = fixture.run(&options(false, None), bad_key("YQo="));
    assert_in(
        &format!(
            "Digest file\ts3://1/{}\tINVALID: Unable to load PKCS #1 key with fingerprint {}",
            key_at(0, false),
            key.fingerprint()
        ),
        &unloadable.stderr,
    );
    let wrong = fixture.run(
        &options(false, None),
        bad_key(&signer("b").public_key_base64()),
    );
    assert_in(
        &format!(
            "Digest file\ts3://1/{}\tINVALID: signature verification failed",
            key_at(0, false)
        ),
        &wrong.stderr,
    );
}
