//! Persistence: `rules.json` across reopen, damaged and unknown files, the change channel,
//! snapshots, and writers on several threads.

use std::path::Path;
use std::sync::Arc;

use opentrail_rules::store::RULES_FILE;
use opentrail_rules::{
    ErrorKind, HttpParameters, InputTransformer, RetryPolicy, Rule, RuleState, RuleStore, Target,
};
use opentrail_types::Timestamp;

use crate::support::{caller, open, put_rule, rule_ref, target, targets_input};

#[test]
fn a_new_folder_is_an_empty_store() {
    let (dir, store) = open();
    assert!(store.snapshot().is_empty());
    assert_eq!(store.revision(), 0);
    // Nothing is written until something changes.
    assert!(!dir.path().join(RULES_FILE).try_exists().unwrap());
}

#[test]
fn rules_and_targets_survive_a_reopen() {
    let (dir, store) = open();
    let caller = caller();
    put_rule(&store, &caller, "iam-changes");
    store
        .put_targets(
            &caller,
            targets_input("iam-changes", vec![target("log", "file:iam.ndjson")]),
            &[],
        )
        .unwrap();
    store
        .disable_rule(&caller, rule_ref("iam-changes"))
        .unwrap();
    let before = store.snapshot();
    let revision = store.revision();
    assert_eq!(revision, 3);
    drop(store);

    let reopened = RuleStore::open(dir.path()).unwrap();
    assert_eq!(reopened.snapshot(), before);
    assert_eq!(reopened.revision(), revision);
    assert_eq!(*reopened.subscribe().borrow(), revision);
    let rule = &reopened.snapshot()[0];
    assert_eq!(rule.state, RuleState::Disabled);
    assert_eq!(rule.targets[0].arn, "file:iam.ndjson");
}

#[test]
fn a_damaged_file_is_an_error_and_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(RULES_FILE);
    std::fs::write(
        &path,
        b"{\"version\":1,\"revision\":2,\"rules\":[{\"name\":",
    )
    .unwrap();
    let error = RuleStore::open(dir.path()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Corrupt);
    assert!(error.to_string().contains("rules.json"), "{error}");
    assert_eq!(error.message(), "an internal error occurred");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"{\"version\":1,\"revision\":2,\"rules\":[{\"name\":"
    );
}

#[test]
fn an_unknown_version_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(RULES_FILE),
        br#"{"version":2,"revision":0,"rules":[]}"#,
    )
    .unwrap();
    let error = RuleStore::open(dir.path()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Corrupt);
    assert!(error.to_string().contains("unknown version `2`"), "{error}");
}

#[test]
fn a_folder_that_is_a_file_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, b"x").unwrap();
    let error = RuleStore::open(&file).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Io);
}

#[test]
fn the_version_1_fixture_reads_as_expected() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rules-v1.json");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(&fixture, dir.path().join(RULES_FILE)).unwrap();
    let store = RuleStore::open(dir.path()).unwrap();
    assert_eq!(store.revision(), 4);
    let expected = Rule {
        account_id: String::from("111122223333"),
        region: String::from("us-east-1"),
        name: String::from("iam-changes"),
        event_pattern: String::from(r#"{"source":["aws.iam"]}"#),
        state: RuleState::EnabledWithAllCloudTrailManagementEvents,
        description: Some(String::from("IAM changes")),
        role_arn: None,
        tags: vec![(String::from("team"), String::from("security"))],
        targets: vec![Target {
            id: String::from("hook"),
            arn: String::from("https://hooks.example.com/iam"),
            role_arn: None,
            input: None,
            input_path: None,
            input_transformer: Some(InputTransformer {
                input_paths_map: vec![
                    (
                        String::from("user"),
                        String::from("$.detail.userIdentity.arn"),
                    ),
                    (String::from("event"), String::from("$.detail.eventName")),
                ],
                input_template: String::from("\"<user> called <event>\""),
            }),
            http_parameters: Some(HttpParameters {
                header_parameters: vec![(String::from("X-Team"), String::from("security"))],
                query_string_parameters: vec![],
                path_parameter_values: vec![],
            }),
            retry_policy: Some(RetryPolicy {
                maximum_retry_attempts: Some(3),
                maximum_event_age_in_seconds: None,
            }),
            dead_letter_arn: Some(String::from("file:dead/iam.ndjson")),
        }],
        created: Timestamp::from_millis(1_700_000_000_000),
    };
    assert_eq!(*store.snapshot(), vec![expected]);
    // A change writes version 1 again, with the next revision.
    store
        .disable_rule(&caller(), rule_ref("iam-changes"))
        .unwrap();
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join(RULES_FILE)).unwrap()).unwrap();
    assert_eq!(written["version"], 1);
    assert_eq!(written["revision"], 5);
    assert_eq!(written["rules"][0]["state"], "DISABLED");
}

#[test]
fn changes_bump_the_channel_and_no_ops_do_not() {
    let (_dir, store) = open();
    let caller = caller();
    let mut changes = store.subscribe();
    assert_eq!(*changes.borrow_and_update(), 0);
    put_rule(&store, &caller, "r1");
    assert!(changes.has_changed().unwrap());
    assert_eq!(*changes.borrow_and_update(), 1);
    // Enabling an enabled rule and deleting an unknown one change nothing.
    store.enable_rule(&caller, rule_ref("r1")).unwrap();
    store
        .delete_rule(
            &caller,
            opentrail_rules::input::DeleteRuleInput {
                name: Some(String::from("missing")),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(!changes.has_changed().unwrap());
    assert_eq!(store.revision(), 1);
}

#[test]
fn snapshots_do_not_change_under_the_reader() {
    let (_dir, store) = open();
    let caller = caller();
    put_rule(&store, &caller, "r1");
    let before = store.snapshot();
    put_rule(&store, &caller, "r2");
    assert_eq!(before.len(), 1);
    assert_eq!(store.snapshot().len(), 2);
    // Taking a snapshot does not copy the rules.
    assert!(Arc::ptr_eq(&store.snapshot(), &store.snapshot()));
}

#[test]
fn writers_on_several_threads_all_land() {
    let (dir, store) = open();
    let store = Arc::new(store);
    let mut threads = Vec::new();
    for thread in 0..8 {
        let store = Arc::clone(&store);
        threads.push(std::thread::spawn(move || {
            for n in 0..5 {
                put_rule(&store, &caller(), &format!("rule-{thread}-{n}"));
            }
        }));
    }
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(store.snapshot().len(), 40);
    assert_eq!(store.revision(), 40);
    let reopened = RuleStore::open(dir.path()).unwrap();
    assert_eq!(reopened.snapshot().len(), 40);
}
