//! Strict mode: the compatibility lines plus `STRICT:` findings, and exit status 1 for them.

use opentrail_types::Timestamp;

use crate::support::{ChainWriter, Fixture, HOUR, MINUTE, Trail, at, keys_of, signer};

const T0: &str = "2026-03-02T08:17:05Z";
const START: &str = "2026-03-02T08:00:00Z";
const END: &str = "2026-03-02T13:00:00Z";

fn t0_plus(hours: i64) -> Timestamp {
    at(T0).saturating_add_millis(hours * HOUR)
}

fn strict_options() -> opentrail_validate::ValidateOptions {
    let mut options = Trail::main().options(START, END);
    options.strict = true;
    options
}

#[test]
fn intact_chain_has_no_findings() {
    let fixture = Fixture::new();
    let key = signer("a");
    ChainWriter::new(&fixture, Trail::main(), &key).hourly(at(T0), 4, 2);
    let strict = fixture.run(&strict_options(), keys_of(&[&key]));
    let compat = fixture.run(&Trail::main().options(START, END), keys_of(&[&key]));
    assert_eq!(strict.exit, 0, "{}", strict.render());
    assert_eq!(strict.render(), compat.render());
}

#[test]
fn every_deleted_digest_is_reported() {
    let fixture = Fixture::new();
    let key = signer("a");
    let chain = ChainWriter::new(&fixture, Trail::main(), &key).hourly(at(T0), 5, 1);
    fixture.remove(&chain[3].bucket, &chain[3].key);
    fixture.remove(&chain[2].bucket, &chain[2].key);
    fixture.remove(&chain[1].bucket, &chain[1].key);
    let mut options = strict_options();
    options.end = Some(at("2026-03-02T14:00:00Z"));
    let outcome = fixture.run(&options, keys_of(&[&key]));
    assert_eq!(outcome.exit, 1);
    assert_eq!(outcome.stderr.matches("INVALID: not found").count(), 1);
    assert_eq!(outcome.stderr.matches("STRICT: missing").count(), 2);
    outcome.assert_golden("strict_three_digests_deleted");
}

#[test]
fn two_deleted_digests_compat_once_strict_twice() {
    let fixture = Fixture::new();
    let key = signer("a");
    let chain = ChainWriter::new(&fixture, Trail::main(), &key).hourly(at(T0), 4, 1);
    fixture.remove(&chain[2].bucket, &chain[2].key);
    fixture.remove(&chain[1].bucket, &chain[1].key);
    let compat = fixture.run(&Trail::main().options(START, END), keys_of(&[&key]));
    let strict = fixture.run(&strict_options(), keys_of(&[&key]));
    let missing = |text: &str| {
        text.matches("INVALID: not found").count() + text.matches("STRICT: missing").count()
    };
    assert_eq!(missing(&compat.stderr), 1);
    assert_eq!(missing(&strict.stderr), 2);
    strict.assert_golden("strict_two_digests_deleted");
}

#[test]
fn previous_hash_and_signature_are_cross_checked() {
    let fixture = Fixture::new();
    let key = signer("a");
    let mut writer = ChainWriter::new(&fixture, Trail::main(), &key);
    let first = writer.hourly(at(T0), 2, 1);
    let logs = writer.logs(t0_plus(2), 1);
    writer.digest_with(t0_plus(2), t0_plus(3), logs, |file| {
        if let Some(previous) = &mut file.previous {
            previous.hash_value = "0".repeat(64);
        }
    });
    let logs = writer.logs(t0_plus(3), 1);
    writer.digest_with(t0_plus(3), t0_plus(4), logs, |file| {
        file.digest_start_time = t0_plus(3).saturating_add_millis(MINUTE);
        if let Some(previous) = &mut file.previous {
            previous.signature = first[0].signature.clone();
        }
    });
    let compat = fixture.run(&Trail::main().options(START, END), keys_of(&[&key]));
    assert_eq!(
        compat.exit,
        0,
        "the CLI does not cross-check: {}",
        compat.render()
    );
    let strict = fixture.run(&strict_options(), keys_of(&[&key]));
    assert_eq!(strict.exit, 1);
    strict.assert_golden("strict_links");
}

#[test]
fn unreferenced_log_files_are_reported() {
    let fixture = Fixture::new();
    let key = signer("a");
    let trail = Trail::main();
    ChainWriter::new(&fixture, trail.clone(), &key).hourly(at(T0), 4, 1);
    // A file dropped into the covered hours, and one after them (not yet digested).
    for (minute, unique) in [(150, "Dropped000000001"), (300, "Later00000000001")] {
        let delivered = at(T0).saturating_add_millis(minute * MINUTE);
        let key = trail.log_key(delivered, unique);
        fixture.write_log(&trail.bucket, &key, br#"{"Records":[]}"#, delivered);
    }
    let mut options = strict_options();
    options.end = Some(at("2026-03-02T14:00:00Z"));
    let outcome = fixture.run(&options, keys_of(&[&key]));
    assert_eq!(outcome.exit, 1);
    assert_eq!(
        outcome
            .stderr
            .matches("not listed in any valid digest")
            .count(),
        1
    );
    outcome.assert_golden("strict_unreferenced_log");
}

#[test]
fn another_trail_whose_name_extends_this_one_is_walked_only_in_compat_mode() {
    let fixture = Fixture::new();
    let key = signer("a");
    ChainWriter::new(&fixture, Trail::main(), &key).hourly(at(T0), 2, 1);
    let mut other = Trail::main();
    other.name = "main-trail_us-east-1_x".into();
    ChainWriter::new(&fixture, other, &key).hourly(at(T0).saturating_add_millis(30 * MINUTE), 2, 1);
    let mut compat_options = Trail::main().options(START, END);
    compat_options.verbose = true;
    let compat = fixture.run(&compat_options, keys_of(&[&key]));
    assert!(
        compat.stdout.contains("main-trail_us-east-1_x_us-east-1_"),
        "{}",
        compat.render()
    );
    compat.assert_golden("greedy_filter_compat_verbose");
    let mut strict_options = strict_options();
    strict_options.verbose = true;
    let strict = fixture.run(&strict_options, keys_of(&[&key]));
    assert!(
        !strict.stdout.contains("main-trail_us-east-1_x"),
        "{}",
        strict.render()
    );
    strict.assert_golden("greedy_filter_strict_verbose");
}
