//! The target operations: PutTargets' checks, per-entry failures and limits,
//! RemoveTargets, ListTargetsByRule paging and ListRuleNamesByTarget.

use opentrail_rules::input::{
    DeadLetterConfigInput, HttpParametersInput, InputTransformerInput, ListRuleNamesByTargetInput,
    ListTargetsInput, RemoveTargetsInput, RetryPolicyInput, TargetInput,
};
use opentrail_rules::{EntryFailure, ErrorKind, RuleStore};

use crate::support::{caller, open, put_rule, target, targets_input};

/// Puts `targets` on rule `r1` (created first) and returns the outcome.
fn put(
    store: &RuleStore,
    targets: Vec<TargetInput>,
) -> Result<Vec<EntryFailure>, opentrail_rules::Error> {
    if store.snapshot().is_empty() {
        put_rule(store, &caller(), "r1");
    }
    store.put_targets(
        &caller(),
        targets_input("r1", targets),
        &[String::from("alerts")],
    )
}

fn refused(store: &RuleStore, entry: TargetInput) -> (ErrorKind, String) {
    let error = put(store, vec![entry]).unwrap_err();
    (error.kind(), error.message())
}

fn ids(store: &RuleStore) -> Vec<String> {
    store.snapshot()[0]
        .targets
        .iter()
        .map(|target| target.id.clone())
        .collect()
}

#[test]
fn targets_are_added_and_replaced_by_id_in_place() {
    let (_dir, store) = open();
    assert!(
        put(
            &store,
            vec![target("a", "stdout:"), target("b", "file:b.ndjson")]
        )
        .unwrap()
        .is_empty()
    );
    put(
        &store,
        vec![
            target("c", "https://hooks.example.com/c"),
            target("a", "file:a.ndjson"),
        ],
    )
    .unwrap();
    assert_eq!(ids(&store), ["a", "b", "c"]);
    assert_eq!(store.snapshot()[0].targets[0].arn, "file:a.ndjson");
}

#[test]
fn a_rule_holds_at_most_five_targets_and_a_call_puts_at_most_ten() {
    let (_dir, store) = open();
    let many = |count: usize, from: usize| -> Vec<TargetInput> {
        (from..from + count)
            .map(|n| target(&format!("t{n}"), "stdout:"))
            .collect()
    };
    put(&store, many(4, 0)).unwrap();
    let error = put(&store, many(2, 4)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::LimitExceeded);
    assert_eq!(
        error.message(),
        "The requested resource exceeds the maximum number allowed."
    );
    // Nothing of the refused call was applied.
    assert_eq!(ids(&store).len(), 4);
    put(&store, many(1, 4)).unwrap();
    // Replacing existing targets does not count against the limit.
    put(&store, many(5, 0)).unwrap();
    let error = put(&store, many(11, 0)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation);
    assert_eq!(error.message(), "At most 10 targets allowed.");
    let error = put(&store, Vec::new()).unwrap_err();
    assert!(
        error
            .message()
            .ends_with("Member must have length greater than or equal to 1"),
        "{}",
        error.message()
    );
}

#[test]
fn destinations_opentrail_cannot_reach_fail_alone() {
    let (_dir, store) = open();
    let failures = put(
        &store,
        vec![
            target("queue", "arn:aws:sqs:us-east-1:111122223333:q"),
            target("ok", "stdout:"),
            target(
                "unknown-destination",
                "arn:aws:events:us-east-1:111122223333:api-destination/nope/0f6b8e6c",
            ),
            target(
                "configured",
                "arn:aws:events:us-east-1:111122223333:api-destination/alerts/0f6b8e6c",
            ),
            target("escape", "file:../x"),
        ],
    )
    .unwrap();
    assert_eq!(ids(&store), ["ok", "configured"]);
    let summary: Vec<(&str, ErrorKind)> = failures
        .iter()
        .map(|failure| (failure.target_id.as_str(), failure.kind))
        .collect();
    assert_eq!(
        summary,
        [
            ("queue", ErrorKind::Validation),
            ("unknown-destination", ErrorKind::ResourceNotFound),
            ("escape", ErrorKind::Validation),
        ]
    );
    assert!(
        failures[0]
            .message
            .starts_with("Parameter Arn is not valid. Reason: target `arn:aws:sqs"),
        "{}",
        failures[0].message
    );
    assert!(
        failures[1]
            .message
            .starts_with("Api destination nope does not exist")
    );
}

#[test]
fn member_constraints_are_reported_together() {
    let (_dir, store) = open();
    let entry = TargetInput {
        id: Some(String::from("bad id")),
        arn: None,
        input: Some("1".repeat(8193)),
        retry_policy: Some(RetryPolicyInput {
            maximum_retry_attempts: Some(186),
            maximum_event_age_in_seconds: Some(59),
        }),
        input_transformer: Some(InputTransformerInput {
            input_paths_map: Some(vec![(
                String::from("aws.events.rule-arn"),
                String::from("$"),
            )]),
            input_template: None,
        }),
        ..TargetInput::default()
    };
    let (kind, message) = refused(&store, entry);
    assert_eq!(kind, ErrorKind::Validation);
    assert!(
        message.starts_with("7 validation errors detected: "),
        "{message}"
    );
    for part in [
        "Value 'bad id' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern",
        "Value null at 'targets.1.member.arn' failed to satisfy constraint: Member must not be null",
        "at 'targets.1.member.input' failed to satisfy constraint: Member must have length less than or equal to 8192",
        "Value null at 'targets.1.member.inputTransformer.inputTemplate'",
        r"Value 'aws.events.rule-arn' at 'targets.1.member.inputTransformer.inputPathsMap' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9\_\-]+",
        "Value '186' at 'targets.1.member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 185",
        "Value '59' at 'targets.1.member.retryPolicy.maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60",
    ] {
        assert!(message.contains(part), "{part}\n{message}");
    }
}

#[test]
fn input_input_path_and_transformer_are_checked_like_eventbridge() {
    let (_dir, store) = open();
    let with = |change: fn(&mut TargetInput)| {
        let mut entry = target("t1", "stdout:");
        change(&mut entry);
        entry
    };
    let (kind, message) = refused(
        &store,
        with(|entry| {
            entry.input = Some(String::from("{}"));
            entry.input_path = Some(String::from("$.detail"));
        }),
    );
    assert_eq!(kind, ErrorKind::Validation);
    assert_eq!(
        message,
        "Only one of Input, InputPath, or InputTransformer must be provided for target t1."
    );
    let (_, message) = refused(
        &store,
        with(|entry| entry.input = Some(String::from("hello"))),
    );
    assert_eq!(message, "JSON syntax error in input for target t1.");
    let (_, message) = refused(
        &store,
        with(|entry| entry.input_path = Some(String::from("$.detail['key']"))),
    );
    assert_eq!(message, "InputPath for target t1 is invalid.");
    let transformer = |paths: Vec<(&str, &str)>, template: &str| InputTransformerInput {
        input_paths_map: Some(
            paths
                .into_iter()
                .map(|(key, value)| (key.to_owned(), value.to_owned()))
                .collect(),
        ),
        input_template: Some(template.to_owned()),
    };
    let mut entry = target("t1", "stdout:");
    entry.input_transformer = Some(transformer(vec![("user", "detail.user")], "<user>"));
    assert_eq!(
        refused(&store, entry).1,
        "InputPath for target t1 is invalid."
    );
    let mut entry = target("t1", "stdout:");
    entry.input_transformer = Some(transformer(vec![("user", "$.detail.user")], "<usr> did it"));
    assert_eq!(
        refused(&store, entry).1,
        "InputTemplate for target t1 contains invalid placeholder usr."
    );
    let mut entry = target("t1", "stdout:");
    entry.input_transformer = Some(transformer(vec![], "[<aws.events.event.json>]"));
    assert_eq!(
        refused(&store, entry).1,
        "InputTemplate for target t1 contains placeholder aws.events.event.json valid only for JSON template."
    );

    // Valid forms are stored as given.
    let mut scalar = target("scalar", "stdout:");
    scalar.input = Some(String::from("\"hello\""));
    let mut path = target("path", "stdout:");
    path.input_path = Some(String::from("$.detail.items[0]"));
    let mut transformed = target("transformed", "stdout:");
    transformed.input_transformer = Some(transformer(
        vec![
            ("user", "$.detail.userIdentity.arn"),
            ("user", "$.detail.user"),
        ],
        r#"{"who": <user>, "rule": "<aws.events.rule-name>", "event": <aws.events.event.json>}"#,
    ));
    assert!(
        put(&store, vec![scalar, path, transformed])
            .unwrap()
            .is_empty()
    );
    let stored = &store.snapshot()[0].targets;
    assert_eq!(stored[0].input.as_deref(), Some("\"hello\""));
    assert_eq!(stored[1].input_path.as_deref(), Some("$.detail.items[0]"));
    let kept = stored[2].input_transformer.as_ref().unwrap();
    // A repeated key keeps its first place and its last value.
    assert_eq!(
        kept.input_paths_map,
        vec![(String::from("user"), String::from("$.detail.user"))]
    );
}

#[test]
fn parameters_must_suit_the_destination() {
    let (_dir, store) = open();
    let mut entry = target("t1", "stdout:");
    entry.http_parameters = Some(HttpParametersInput::default());
    assert_eq!(
        refused(&store, entry).1,
        "Parameter(s) HttpParameters not supported for target: t1."
    );
    let mut entry = target("t1", "stdout:");
    entry.unsupported_parameters = vec!["EcsParameters", "SqsParameters"];
    assert_eq!(
        refused(&store, entry).1,
        "Parameter(s) EcsParameters, SqsParameters not supported for target: t1."
    );
    let mut entry = target("hook", "https://hooks.example.com/x");
    entry.http_parameters = Some(HttpParametersInput {
        header_parameters: Some(vec![(String::from("X-Team"), String::from("security"))]),
        query_string_parameters: Some(vec![(String::from("source"), String::from("opentrail"))]),
        path_parameter_values: None,
    });
    assert!(put(&store, vec![entry]).unwrap().is_empty());
    let mut entry = target("hook", "https://hooks.example.com/x");
    entry.http_parameters = Some(HttpParametersInput {
        header_parameters: Some(vec![(String::from("bad header"), String::from("x"))]),
        ..HttpParametersInput::default()
    });
    let (kind, message) = refused(&store, entry);
    assert_eq!(kind, ErrorKind::Validation);
    assert!(
        message.contains("'targets.1.member.httpParameters.headerParameters'"),
        "{message}"
    );
}

#[test]
fn dead_letters_go_to_files_only() {
    let (_dir, store) = open();
    let with_dead_letter = |arn: &str| {
        let mut entry = target("t1", "stdout:");
        entry.dead_letter_config = Some(DeadLetterConfigInput {
            arn: Some(arn.to_owned()),
        });
        entry
    };
    assert!(
        put(&store, vec![with_dead_letter("file:dead/t1.ndjson")])
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.snapshot()[0].targets[0].dead_letter_arn.as_deref(),
        Some("file:dead/t1.ndjson")
    );
    let (kind, message) = refused(
        &store,
        with_dead_letter("arn:aws:sqs:us-east-1:111122223333:dlq"),
    );
    assert_eq!(kind, ErrorKind::Validation);
    assert!(
        message.starts_with("Parameter DeadLetterConfig.Arn is not valid."),
        "{message}"
    );
    let (_, message) = refused(&store, with_dead_letter("stdout:"));
    assert!(
        message.contains("is not supported as a dead letter resource"),
        "{message}"
    );
    let (_, message) = refused(&store, with_dead_letter("file:/var/dead.ndjson"));
    assert!(message.contains("absolute path"), "{message}");
}

#[test]
fn targets_need_an_existing_rule() {
    let (_dir, store) = open();
    let error = store
        .put_targets(
            &caller(),
            targets_input("missing", vec![target("t", "stdout:")]),
            &[],
        )
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResourceNotFound);
    assert_eq!(
        error.message(),
        "Rule missing does not exist on EventBus default."
    );
    let error = store
        .list_targets_by_rule(
            &caller(),
            ListTargetsInput {
                rule: Some(String::from("missing")),
                ..ListTargetsInput::default()
            },
        )
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResourceNotFound);
}

#[test]
fn remove_targets_removes_the_listed_ids_and_ignores_unknown_ones() {
    let (_dir, store) = open();
    put(
        &store,
        vec![
            target("a", "stdout:"),
            target("b", "stdout:"),
            target("c", "stdout:"),
        ],
    )
    .unwrap();
    let failures = store
        .remove_targets(
            &caller(),
            RemoveTargetsInput {
                rule: Some(String::from("r1")),
                ids: Some(vec![String::from("b"), String::from("zzz")]),
                ..RemoveTargetsInput::default()
            },
        )
        .unwrap();
    assert!(failures.is_empty());
    assert_eq!(ids(&store), ["a", "c"]);
    let error = store
        .remove_targets(
            &caller(),
            RemoveTargetsInput {
                rule: Some(String::from("r1")),
                ids: Some(vec![]),
                ..RemoveTargetsInput::default()
            },
        )
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation);
}

#[test]
fn list_targets_by_rule_pages_in_put_order() {
    let (_dir, store) = open();
    put(
        &store,
        vec![
            target("z", "stdout:"),
            target("a", "stdout:"),
            target("m", "stdout:"),
        ],
    )
    .unwrap();
    let list = |next_token: Option<String>| {
        store.list_targets_by_rule(
            &caller(),
            ListTargetsInput {
                rule: Some(String::from("r1")),
                limit: Some(2),
                next_token,
                ..ListTargetsInput::default()
            },
        )
    };
    let first = list(None).unwrap();
    let ids: Vec<&str> = first
        .targets
        .iter()
        .map(|target| target.id.as_str())
        .collect();
    assert_eq!(ids, ["z", "a"]);
    assert_eq!(first.next_token.as_deref(), Some("a"));
    let second = list(first.next_token).unwrap();
    assert_eq!(second.targets.len(), 1);
    assert_eq!(second.targets[0].id, "m");
    assert_eq!(second.next_token, None);
    let error = list(Some(String::from("gone"))).unwrap_err();
    assert_eq!(error.message(), "Parameter NextToken is not valid.");
}

#[test]
fn rule_names_by_target_lists_the_rules_sending_to_an_arn() {
    let (_dir, store) = open();
    for name in ["r3", "r1", "r2"] {
        put_rule(&store, &caller(), name);
    }
    for (rule, arn) in [("r3", "file:x"), ("r1", "file:x"), ("r2", "stdout:")] {
        store
            .put_targets(&caller(), targets_input(rule, vec![target("t", arn)]), &[])
            .unwrap();
    }
    let page = store
        .list_rule_names_by_target(
            &caller(),
            ListRuleNamesByTargetInput {
                target_arn: Some(String::from("file:x")),
                limit: Some(1),
                ..ListRuleNamesByTargetInput::default()
            },
        )
        .unwrap();
    assert_eq!(page.rule_names, ["r1"]);
    let next = store
        .list_rule_names_by_target(
            &caller(),
            ListRuleNamesByTargetInput {
                target_arn: Some(String::from("file:x")),
                next_token: page.next_token,
                ..ListRuleNamesByTargetInput::default()
            },
        )
        .unwrap();
    assert_eq!(next.rule_names, ["r3"]);
    assert_eq!(next.next_token, None);
}
