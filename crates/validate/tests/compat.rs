//! Compatibility mode on real (signed) trails in local bucket directories: each case's
//! exact stdout, stderr and exit status are golden files in `tests/golden/`.

use opentrail_digest::gzip::gzip;
use opentrail_types::Timestamp;
use opentrail_validate::KeySource;
use serde_json::json;

use crate::support::{
    ChainWriter, Fixture, HOUR, MINUTE, Trail, Written, at, keys_of, public_key, signer,
};

/// First digest window start of the sample chains.
const T0: &str = "2026-03-02T08:17:05Z";
const START: &str = "2026-03-02T08:00:00Z";
const END: &str = "2026-03-02T13:00:00Z";

fn t0_plus(hours: i64) -> Timestamp {
    at(T0).saturating_add_millis(hours * HOUR)
}

/// Four hourly digests (the first a starting digest), two log files each.
fn four_hour_chain(fixture: &Fixture) -> Vec<Written> {
    let key = signer("a");
    ChainWriter::new(fixture, Trail::main(), &key).hourly(at(T0), 4, 2)
}

#[test]
fn valid_chain_is_valid() {
    let fixture = Fixture::new();
    four_hour_chain(&fixture);
    let options = Trail::main().options(START, END);
    let outcome = fixture.run(&options, keys_of(&[&signer("a")]));
    assert_eq!(outcome.exit, 0, "{}", outcome.render());
    outcome.assert_golden("valid_chain");
}

#[test]
fn valid_chain_verbose_lists_every_file() {
    let fixture = Fixture::new();
    four_hour_chain(&fixture);
    let mut options = Trail::main().options(START, END);
    options.verbose = true;
    let outcome = fixture.run(&options, keys_of(&[&signer("a")]));
    assert_eq!(outcome.exit, 0);
    outcome.assert_golden("valid_chain_verbose");
}

#[test]
fn changed_log_content_does_not_match_its_hash() {
    let fixture = Fixture::new();
    let chain = four_hour_chain(&fixture);
    let log = &chain[1].logs[0];
    let mut inflated = opentrail_digest::gzip::gunzip_single(
        &fixture.read(&log.s3_bucket, &log.s3_object),
        1 << 20,
    )
    .unwrap();
    inflated[20] ^= 0x01;
    fixture.overwrite(&log.s3_bucket, &log.s3_object, &gzip(&inflated));
    let outcome = fixture.run(&Trail::main().options(START, END), keys_of(&[&signer("a")]));
    assert_eq!(outcome.exit, 1);
    outcome.assert_golden("log_content_changed");
}

#[test]
fn changed_stored_byte_is_an_invalid_format() {
    let fixture = Fixture::new();
    let chain = four_hour_chain(&fixture);
    let log = &chain[1].logs[0];
    let mut stored = fixture.read(&log.s3_bucket, &log.s3_object);
    let crc = stored.len() - 8;
    stored[crc] ^= 0x01;
    fixture.overwrite(&log.s3_bucket, &log.s3_object, &stored);
    let outcome = fixture.run(&Trail::main().options(START, END), keys_of(&[&signer("a")]));
    assert_eq!(outcome.exit, 1);
    outcome.assert_golden("log_stored_byte_changed");
}

#[test]
fn deleted_log_is_not_found() {
    let fixture = Fixture::new();
    let chain = four_hour_chain(&fixture);
    let log = &chain[2].logs[1];
    fixture.remove(&log.s3_bucket, &log.s3_object);
    let mut options = Trail::main().options(START, END);
    options.verbose = true;
    let outcome = fixture.run(&options, keys_of(&[&signer("a")]));
    assert_eq!(outcome.exit, 1);
    outcome.assert_golden("log_deleted_verbose");
}

#[test]
fn deleted_digest_is_not_found_and_the_walk_recovers() {
    let fixture = Fixture::new();
    let chain = four_hour_chain(&fixture);
    fixture.remove(&chain[2].bucket, &chain[2].key);
    let mut options = Trail::main().options(START, END);
    options.verbose = true;
    let outcome = fixture.run(&options, keys_of(&[&signer("a")]));
    assert_eq!(outcome.exit, 1);
    outcome.assert_golden("digest_deleted_verbose");
}

#[test]
fn two_consecutive_deleted_digests_are_reported_once() {
    let fixture = Fixture::new();
    let chain = four_hour_chain(&fixture);
    fixture.remove(&chain[2].bucket, &chain[2].key);
    fixture.remove(&chain[1].bucket, &chain[1].key);
    let outcome = fixture.run(&Trail::main().options(START, END), keys_of(&[&signer("a")]));
    assert_eq!(outcome.exit, 1);
    assert_eq!(outcome.stderr.matches("INVALID: not found").count(), 1);
    outcome.assert_golden("two_digests_deleted");
}

#[test]
fn digest_signed_by_an_unknown_key_has_no_public_key() {
    let fixture = Fixture::new();
    let (key_a, key_b) = (signer("a"), signer("b"));
    let mut writer = ChainWriter::new(&fixture, Trail::main(), &key_a);
    let first = writer.hourly(at(T0), 2, 1);
    let mut other = ChainWriter::new(&fixture, Trail::main(), &key_b);
    other.link_to(&first[1]);
    let logs = other.logs(t0_plus(2), 1);
    let third = other.digest(t0_plus(2), t0_plus(3), logs);
    writer.link_to(&third);
    let logs = writer.logs(t0_plus(3), 1);
    writer.digest(t0_plus(3), t0_plus(4), logs);
    let outcome = fixture.run(&Trail::main().options(START, END), keys_of(&[&key_a]));
    assert_eq!(outcome.exit, 1);
    assert!(outcome.stderr.contains(&format!(
        "INVALID: public key not found in region us-east-1 for fingerprint {}",
        key_b.fingerprint()
    )));
    outcome.assert_golden("digest_unknown_key");
}

#[test]
fn digest_signed_by_another_key_fails_verification() {
    let fixture = Fixture::new();
    let (key_a, key_b) = (signer("a"), signer("b"));
    let chain = four_hour_chain(&fixture);
    // Re-sign the third digest with key B while it still names key A.
    let json: serde_json::Value = serde_json::from_slice(&chain[2].json).unwrap();
    fixture.write_raw_digest(&chain[2].bucket, &chain[2].key, &json, &key_b, None);
    let outcome = fixture.run(
        &Trail::main().options(START, END),
        keys_of(&[&key_a, &key_b]),
    );
    assert_eq!(outcome.exit, 1);
    outcome.assert_golden("digest_wrong_signature");
}

#[test]
fn copied_digests_have_been_moved() {
    let fixture = Fixture::new();
    let chain = four_hour_chain(&fixture);
    for written in &chain {
        let object = fixture
            .block_on(fixture.bucket(&written.bucket).get(&written.key))
            .unwrap();
        fixture.put(
            "copied-archive",
            &written.key,
            object.body.to_vec(),
            object.metadata,
        );
    }
    let mut options = Trail::main().options(START, END);
    options.s3_bucket = Some("copied-archive".into());
    let outcome = fixture.run(&options, keys_of(&[&signer("a")]));
    assert_eq!(outcome.exit, 1);
    assert_eq!(
        outcome
            .stderr
            .matches("has been moved from its original location")
            .count(),
        4
    );
    outcome.assert_golden("digests_moved");
}

#[test]
fn log_with_a_second_gzip_member_is_judged_by_its_first_member() {
    let fixture = Fixture::new();
    let chain = four_hour_chain(&fixture);
    let log = &chain[3].logs[0];
    let mut stored = fixture.read(&log.s3_bucket, &log.s3_object);
    stored.extend_from_slice(&gzip(b"{\"Records\":[]}"));
    fixture.overwrite(&log.s3_bucket, &log.s3_object, &stored);
    // The CLI hashes the first member only (checked against aws-cli 1.45.11).
    let outcome = fixture.run(&Trail::main().options(START, END), keys_of(&[&signer("a")]));
    assert_eq!(outcome.exit, 0, "{}", outcome.render());
    let mut strict = Trail::main().options(START, END);
    strict.strict = true;
    let outcome = fixture.run(&strict, keys_of(&[&signer("a")]));
    assert_eq!(outcome.exit, 1);
    outcome.assert_golden("strict_log_multi_member");
}

#[test]
fn range_inside_hours_takes_the_digest_after_the_end_and_stops_after_the_start() {
    let fixture = Fixture::new();
    four_hour_chain(&fixture);
    let mut options = Trail::main().options("2026-03-02T09:45:00Z", "2026-03-02T11:30:00Z");
    options.verbose = true;
    let outcome = fixture.run(&options, keys_of(&[&signer("a")]));
    assert_eq!(outcome.exit, 0);
    outcome.assert_golden("range_inside_hours_verbose");
}

#[test]
fn starting_digest_after_a_pause_prints_a_gap() {
    let fixture = Fixture::new();
    let key = signer("a");
    let mut writer = ChainWriter::new(&fixture, Trail::main(), &key);
    writer.hourly(at(T0), 2, 1);
    writer.restart();
    writer.hourly(t0_plus(4), 2, 1);
    let mut options = Trail::main().options(START, "2026-03-02T15:00:00Z");
    options.verbose = true;
    let outcome = fixture.run(&options, keys_of(&[&key]));
    assert_eq!(outcome.exit, 0);
    outcome.assert_golden("gap_verbose");
}

#[test]
fn backfill_chain_is_walked_after_the_standard_chain() {
    let fixture = Fixture::new();
    let key = signer("a");
    four_hour_chain(&fixture);
    let mut backfill = ChainWriter::new(&fixture, Trail::main(), &key).backfill();
    let late = backfill.logs(t0_plus(1), 1);
    backfill.digest(
        t0_plus(1),
        t0_plus(1).saturating_add_millis(90 * MINUTE),
        late,
    );
    let late = backfill.logs(t0_plus(2), 2);
    backfill.digest(
        t0_plus(2),
        t0_plus(2).saturating_add_millis(95 * MINUTE),
        late,
    );
    let mut options = Trail::main().options(START, END);
    options.verbose = true;
    let outcome = fixture.run(&options, keys_of(&[&key]));
    assert_eq!(outcome.exit, 0, "{}", outcome.render());
    assert!(outcome.stdout.contains("\n2/2 backfill digest files valid"));
    outcome.assert_golden("backfill_verbose");
}

#[test]
fn backfill_digest_without_generation_time_is_invalid() {
    let fixture = Fixture::new();
    let key = signer("a");
    four_hour_chain(&fixture);
    let mut backfill = ChainWriter::new(&fixture, Trail::main(), &key).backfill();
    let late = backfill.logs(t0_plus(1), 1);
    let written = backfill.digest(t0_plus(1), t0_plus(2), late);
    let object = fixture
        .block_on(fixture.bucket(&written.bucket).get(&written.key))
        .unwrap();
    let mut metadata = object.metadata;
    metadata.remove("backfill-generation-timestamp");
    fixture.put(
        &written.bucket,
        &written.key,
        object.body.to_vec(),
        metadata,
    );
    let outcome = fixture.run(&Trail::main().options(START, END), keys_of(&[&key]));
    assert_eq!(outcome.exit, 1);
    outcome.assert_golden("backfill_no_generation_time");
}

#[test]
fn walk_follows_a_bucket_change() {
    let fixture = Fixture::new();
    let key = signer("a");
    let mut old = Trail::main();
    old.bucket = "old-archive".into();
    let mut writer = ChainWriter::new(&fixture, old, &key);
    let first = writer.hourly(at(T0), 2, 1);
    let mut writer = ChainWriter::new(&fixture, Trail::main(), &key);
    writer.link_to(&first[1]);
    writer.hourly(t0_plus(2), 2, 1);
    let mut options = Trail::main().options(START, END);
    options.verbose = true;
    let outcome = fixture.run(&options, keys_of(&[&key]));
    assert_eq!(outcome.exit, 0, "{}", outcome.render());
    outcome.assert_golden("bucket_change_verbose");
}

#[test]
fn prefix_is_used_with_the_bucket_and_ignored_without_it() {
    let fixture = Fixture::new();
    let key = signer("a");
    let mut trail = Trail::main();
    trail.prefix = Some("team/logs".into());
    ChainWriter::new(&fixture, trail.clone(), &key).hourly(at(T0), 2, 1);

    let with_prefix = fixture.run(&trail.options(START, END), keys_of(&[&key]));
    assert_eq!(with_prefix.exit, 0);
    with_prefix.assert_golden("prefix_given");

    let mut no_prefix = trail.options(START, END);
    no_prefix.s3_prefix = None;
    let outcome = fixture.run(&no_prefix, keys_of(&[&key]));
    assert_eq!(outcome.exit, 0);
    assert!(
        outcome.stdout.ends_with("No digests found\n"),
        "{}",
        outcome.render()
    );

    // Without --s3-bucket the trail's own prefix wins and --s3-prefix is ignored
    // (limitation 10).
    let mut described = trail.options(START, END);
    described.s3_bucket = None;
    described.s3_prefix = Some("wrong".into());
    let outcome = fixture.run_with(&described, keys_of(&[&key]), vec![trail.info()]);
    assert_eq!(outcome.render(), with_prefix.render());
}

#[test]
fn offline_key_file_replaces_list_public_keys() {
    let fixture = Fixture::new();
    let key = signer("a");
    four_hour_chain(&fixture);
    let path = fixture.root().join("public-keys.json");
    let file = json!({"PublicKeyList": [{
        "Value": key.public_key_base64(),
        "ValidityStartTime": "2026-03-01T00:00:00+00:00",
        "ValidityEndTime": 1_775_000_000,
        "Fingerprint": key.fingerprint(),
    }]});
    std::fs::write(&path, serde_json::to_vec(&file).unwrap()).unwrap();
    let keys = KeySource::from_file(&path).unwrap();
    let outcome = fixture.run(&Trail::main().options(START, END), keys);
    assert_eq!(outcome.exit, 0);
    outcome.assert_golden("valid_chain");
}

#[test]
fn no_public_keys_aborts_after_the_header() {
    let fixture = Fixture::new();
    let key = signer("a");
    four_hour_chain(&fixture);
    let expired = public_key(
        &key,
        Some(at("2025-01-01T00:00:00Z")),
        Some(at("2025-02-01T00:00:00Z")),
    );
    let outcome = fixture.run(
        &Trail::main().options(START, END),
        KeySource::Fixed(vec![expired]),
    );
    assert_eq!(outcome.exit, 255);
    outcome.assert_golden("no_public_keys");
}

#[test]
fn argument_and_setup_errors_abort_with_the_cli_texts() {
    let fixture = Fixture::new();
    let key = signer("a");
    let keys = || keys_of(&[&key]);
    type Edit = Box<dyn Fn(&mut opentrail_validate::ValidateOptions)>;
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "bad arn",
            Box::new(|options| options.trail_arn = "foo:bar:baz".into()),
            "Invalid trail ARN provided: foo:bar:baz",
        ),
        (
            "reversed range",
            Box::new(|options| options.end = Some(at("2026-03-01T00:00:00Z"))),
            "Invalid time range specified: start-time must occur before end-time",
        ),
        (
            "unknown trail",
            Box::new(|options| options.s3_bucket = None),
            "A trail could not be found for arn:aws:cloudtrail:us-east-1:111122223333:trail/main-trail",
        ),
        (
            "missing bucket",
            Box::new(|options| options.s3_bucket = Some("nowhere".into())),
            "An error occurred (NoSuchBucket) when calling the GetBucketLocation operation: The specified bucket does not exist",
        ),
    ];
    fixture.bucket("audit-archive");
    for (name, edit, text) in cases {
        let mut options = Trail::main().options(START, END);
        edit(&mut options);
        let outcome = fixture.run(&options, keys());
        assert_eq!(outcome.exit, 255, "{name}");
        assert_eq!(outcome.stderr, format!("\n{text}\n"), "{name}");
    }
}

#[test]
fn organization_trails_need_an_account_and_use_the_organization_folder() {
    let fixture = Fixture::new();
    let key = signer("a");
    let mut trail = Trail::main();
    trail.org_id = Some("o-exampleorgid".into());
    trail.account = "444455556666".into();
    ChainWriter::new(&fixture, trail.clone(), &key).hourly(at(T0), 2, 1);
    let mut options = trail.options(START, END);
    options.trail_arn = "arn:aws:cloudtrail:us-east-1:111122223333:trail/main-trail".into();
    options.s3_bucket = None;
    let mut info = trail.info();
    info.trail_arn = Some(options.trail_arn.clone());
    let outcome = fixture.run_with(&options, keys_of(&[&key]), vec![info.clone()]);
    assert_eq!(outcome.exit, 255);
    assert_eq!(
        outcome.stderr,
        "\nMissing required parameter for organization trail: '--account-id'\n"
    );
    options.account_id = Some("444455556666".into());
    let outcome = fixture.run_with(&options, keys_of(&[&key]), vec![info]);
    assert_eq!(outcome.exit, 0, "{}", outcome.render());
    assert!(
        outcome
            .stdout
            .contains("\n2/2 digest files valid\n2/2 log files valid\n"),
        "{}",
        outcome.render()
    );
}

#[test]
fn digest_without_log_files_crashes_like_the_cli() {
    let fixture = Fixture::new();
    let key = signer("a");
    let trail = Trail::main();
    let end = t0_plus(1);
    let digest_key = trail.digest_key(end, false);
    let json = json!({
        "awsAccountId": "111122223333",
        "digestStartTime": at(T0).format_event_time(),
        "digestEndTime": end.format_event_time(),
        "digestS3Bucket": trail.bucket,
        "digestS3Object": digest_key,
        "digestPublicKeyFingerprint": key.fingerprint(),
        "digestSignatureAlgorithm": "SHA256withRSA",
        "previousDigestSignature": null,
    });
    fixture.write_raw_digest(&trail.bucket, &digest_key, &json, &key, None);
    let mut options = trail.options(START, END);
    options.verbose = true;
    let outcome = fixture.run(&options, keys_of(&[&key]));
    assert_eq!(outcome.exit, 255);
    outcome.assert_golden("digest_without_log_files");
}

#[test]
fn unloadable_public_key_and_bad_signature_hex_get_their_verdicts() {
    let fixture = Fixture::new();
    let key = signer("a");
    let chain = four_hour_chain(&fixture);
    // The newest digest names a fingerprint whose listed key is not a PKCS#1 key.
    let mut json: serde_json::Value = serde_json::from_slice(&chain[3].json).unwrap();
    json["digestPublicKeyFingerprint"] = json!("abc");
    fixture.write_raw_digest(&chain[3].bucket, &chain[3].key, &json, &key, None);
    // The one before has a signature that is not hex.
    let object = fixture
        .block_on(fixture.bucket(&chain[2].bucket).get(&chain[2].key))
        .unwrap();
    let mut metadata = object.metadata;
    metadata.insert("signature".into(), "abc".into());
    fixture.put(
        &chain[2].bucket,
        &chain[2].key,
        object.body.to_vec(),
        metadata,
    );
    let mut keys = vec![public_key(&key, None, None)];
    keys.push(opentrail_validate::PublicKeyInfo {
        value: Some("YQo=".into()),
        validity_start: None,
        validity_end: None,
        fingerprint: "abc".into(),
    });
    let outcome = fixture.run(&Trail::main().options(START, END), KeySource::Fixed(keys));
    assert_eq!(outcome.exit, 1);
    outcome.assert_golden("bad_key_and_bad_signature_hex");
}

#[test]
fn cut_and_empty_log_files_hash_what_they_hold() {
    let fixture = Fixture::new();
    let chain = four_hour_chain(&fixture);
    let cut = &chain[3].logs[0];
    let stored = fixture.read(&cut.s3_bucket, &cut.s3_object);
    fixture.overwrite(&cut.s3_bucket, &cut.s3_object, &stored[..stored.len() / 2]);
    let empty = &chain[3].logs[1];
    fixture.overwrite(&empty.s3_bucket, &empty.s3_object, b"");
    let outcome = fixture.run(&Trail::main().options(START, END), keys_of(&[&signer("a")]));
    assert_eq!(outcome.exit, 1);
    outcome.assert_golden("log_cut_and_empty");
}

/// Digests no producer writes, each answered as the CLI's Python answers it.
#[test]
fn malformed_digests_get_the_cli_verdicts() {
    let fixture = Fixture::new();
    let key = signer("a");
    let trail = Trail::main();
    let chain = four_hour_chain(&fixture);
    let newest = chain[3].clone();
    let member =
        |written: &Written| -> serde_json::Value { serde_json::from_slice(&written.json).unwrap() };
    // Newest: valid JSON that is a list, not an object.
    fixture.write_raw_digest(
        &newest.bucket,
        &newest.key,
        &json!(["not", "an", "object"]),
        &key,
        None,
    );
    // Next: an end time that is not a string (signed as Python would sign it).
    let mut third = member(&chain[2]);
    third["digestEndTime"] = json!(5);
    fixture.write_raw_digest(&chain[2].bucket, &chain[2].key, &third, &key, None);
    // Next: not JSON at all, with trailing bytes after the gzip member.
    let mut broken = gzip(b"{\"digestS3Bucket\":");
    broken.extend_from_slice(b"trailing");
    let metadata = fixture
        .block_on(fixture.bucket(&chain[1].bucket).get(&chain[1].key))
        .unwrap()
        .metadata;
    fixture.put(&chain[1].bucket, &chain[1].key, broken, metadata);
    // Oldest: valid, with a `logFiles` entry lacking its hash and one that is a number.
    let mut first = member(&chain[0]);
    first["logFiles"][0]
        .as_object_mut()
        .unwrap()
        .remove("hashValue");
    fixture.write_raw_digest(&chain[0].bucket, &chain[0].key, &first, &key, None);
    let outcome = fixture.run(&trail.options(START, END), keys_of(&[&key]));
    assert_eq!(outcome.exit, 1);
    outcome.assert_golden("malformed_digests");

    first["logFiles"].as_array_mut().unwrap().push(json!(7));
    fixture.write_raw_digest(&chain[0].bucket, &chain[0].key, &first, &key, None);
    let outcome = fixture.run(&trail.options(START, END), keys_of(&[&key]));
    assert_eq!(outcome.exit, 255);
    outcome.assert_golden("malformed_log_entry_crash");
}

#[test]
fn zone_less_digest_time_crashes_the_summary_like_python() {
    let fixture = Fixture::new();
    let key = signer("a");
    let chain = four_hour_chain(&fixture);
    let mut newest: serde_json::Value = serde_json::from_slice(&chain[3].json).unwrap();
    newest["digestStartTime"] = json!("2026-03-02T11:17:05");
    fixture.write_raw_digest(&chain[3].bucket, &chain[3].key, &newest, &key, None);
    let outcome = fixture.run(&Trail::main().options(START, END), keys_of(&[&key]));
    assert_eq!(outcome.exit, 255);
    outcome.assert_golden("zone_less_digest_time");
}

#[test]
fn link_to_a_missing_non_digest_key_stops_on_its_date() {
    let fixture = Fixture::new();
    let key = signer("a");
    let chain = four_hour_chain(&fixture);
    let mut newest: serde_json::Value = serde_json::from_slice(&chain[3].json).unwrap();
    newest["previousDigestS3Object"] = json!("foo");
    fixture.write_raw_digest(&chain[3].bucket, &chain[3].key, &newest, &key, None);
    let outcome = fixture.run(&Trail::main().options(START, END), keys_of(&[&key]));
    assert_eq!(outcome.exit, 255);
    outcome.assert_golden("link_to_non_digest_key");
}

#[test]
fn backfill_keys_outside_the_generation_window_are_a_verdict() {
    let fixture = Fixture::new();
    let key = signer("a");
    four_hour_chain(&fixture);
    let mut backfill = ChainWriter::new(&fixture, Trail::main(), &key).backfill();
    let late = backfill.logs(t0_plus(1), 1);
    backfill.digest(t0_plus(1), t0_plus(2), late);
    // Valid for the standard range, expired before the backfill digest was generated.
    let keys = KeySource::Fixed(vec![public_key(&key, Some(at(START)), Some(t0_plus(1)))]);
    let outcome = fixture.run(&Trail::main().options(START, END), keys);
    assert_eq!(outcome.exit, 1);
    outcome.assert_golden("backfill_no_keys_in_window");
}
