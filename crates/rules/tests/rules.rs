//! The rule operations: PutRule's create and update, the checks, DescribeRule, ListRules
//! paging, DeleteRule, EnableRule and DisableRule.

use opentrail_rules::input::{DeleteRuleInput, ListRulesInput, PutRuleInput, TagInput};
use opentrail_rules::{Caller, ErrorKind, RuleLimits, RuleState, RuleStore};
use opentrail_types::Timestamp;

use crate::support::{NOW, caller, open, put_rule, rule_input, rule_ref, target, targets_input};

fn refusal(result: Result<impl std::fmt::Debug, opentrail_rules::Error>) -> (ErrorKind, String) {
    let error = result.unwrap_err();
    (error.kind(), error.message())
}

#[test]
fn put_rule_creates_an_enabled_rule_on_the_default_bus() {
    let (_dir, store) = open();
    let rule = store
        .put_rule(
            &caller(),
            PutRuleInput {
                description: Some(String::from("IAM changes")),
                tags: Some(vec![TagInput {
                    key: Some(String::from("team")),
                    value: Some(String::from("security")),
                }]),
                event_bus_name: Some(String::from("default")),
                ..rule_input("iam-changes")
            },
            NOW,
        )
        .unwrap();
    assert_eq!(
        rule.arn(),
        "arn:aws:events:us-east-1:111122223333:rule/iam-changes"
    );
    assert_eq!(rule.state, RuleState::Enabled);
    assert_eq!(rule.created, NOW);
    assert_eq!(rule.description.as_deref(), Some("IAM changes"));
    assert_eq!(
        rule.tags,
        vec![(String::from("team"), String::from("security"))]
    );
    assert_eq!(
        store
            .describe_rule(&caller(), rule_ref("iam-changes"))
            .unwrap(),
        rule
    );
}

#[test]
fn put_rule_on_an_existing_rule_replaces_its_settings_but_keeps_targets_tags_and_creation() {
    let (_dir, store) = open();
    let caller = caller();
    store
        .put_rule(
            &caller,
            PutRuleInput {
                state: Some(String::from("DISABLED")),
                description: Some(String::from("first")),
                role_arn: Some(String::from("arn:aws:iam::111122223333:role/r")),
                tags: Some(vec![TagInput {
                    key: Some(String::from("team")),
                    value: Some(String::from("a")),
                }]),
                ..rule_input("r1")
            },
            NOW,
        )
        .unwrap();
    store
        .put_targets(
            &caller,
            targets_input("r1", vec![target("t1", "stdout:")]),
            &[],
        )
        .unwrap();
    let later = Timestamp::from_secs(1_800_000_000);
    let updated = store
        .put_rule(
            &caller,
            PutRuleInput {
                event_pattern: Some(String::from(r#"{"source":["aws.s3"]}"#)),
                // Tags are ignored on update, as on EventBridge.
                tags: Some(vec![TagInput {
                    key: Some(String::from("team")),
                    value: Some(String::from("b")),
                }]),
                ..rule_input("r1")
            },
            later,
        )
        .unwrap();
    assert_eq!(updated.event_pattern, r#"{"source":["aws.s3"]}"#);
    // Left-out members are not kept: the state goes back to ENABLED, the rest to unset.
    assert_eq!(updated.state, RuleState::Enabled);
    assert_eq!(updated.description, None);
    assert_eq!(updated.role_arn, None);
    assert_eq!(
        updated.tags,
        vec![(String::from("team"), String::from("a"))]
    );
    assert_eq!(updated.targets.len(), 1);
    assert_eq!(updated.created, NOW);
    assert_eq!(store.snapshot().len(), 1);
}

#[test]
fn put_rule_refuses_schedules_and_rules_without_a_pattern() {
    let (_dir, store) = open();
    let (kind, message) = refusal(store.put_rule(
        &caller(),
        PutRuleInput {
            schedule_expression: Some(String::from("rate(5 minutes)")),
            ..rule_input("r1")
        },
        NOW,
    ));
    assert_eq!(kind, ErrorKind::Validation);
    assert!(
        message.starts_with("ScheduleExpression is not supported"),
        "{message}"
    );
    for pattern in [None, Some(String::new())] {
        let (kind, message) = refusal(store.put_rule(
            &caller(),
            PutRuleInput {
                event_pattern: pattern,
                ..rule_input("r1")
            },
            NOW,
        ));
        assert_eq!(kind, ErrorKind::Validation);
        assert_eq!(
            message,
            "Parameter(s) EventPattern or ScheduleExpression must be specified."
        );
    }
    assert!(store.snapshot().is_empty());
}

#[test]
fn put_rule_reports_every_broken_constraint_at_once() {
    let (_dir, store) = open();
    let (kind, message) = refusal(store.put_rule(
        &caller(),
        PutRuleInput {
            name: Some(String::from("bad name")),
            state: Some(String::from("ON")),
            description: Some("d".repeat(513)),
            tags: Some(vec![TagInput {
                key: None,
                value: Some(String::new()),
            }]),
            ..rule_input("ignored")
        },
        NOW,
    ));
    assert_eq!(kind, ErrorKind::Validation);
    assert!(
        message.starts_with("4 validation errors detected: "),
        "{message}"
    );
    assert!(message.contains(r"Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\.\-_A-Za-z0-9]+"), "{message}");
    assert!(message.contains("Value 'ON' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]"), "{message}");
    assert!(message.contains("at 'description' failed to satisfy constraint: Member must have length less than or equal to 512"), "{message}");
    assert!(message.contains("Value null at 'tags.1.member.key' failed to satisfy constraint: Member must not be null"), "{message}");

    let (_, message) = refusal(store.put_rule(
        &caller(),
        PutRuleInput {
            name: None,
            ..rule_input("x")
        },
        NOW,
    ));
    assert_eq!(
        message,
        "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"
    );
    let (_, message) = refusal(store.put_rule(&caller(), rule_input(&"n".repeat(65)), NOW));
    assert!(
        message.ends_with("Member must have length less than or equal to 64"),
        "{message}"
    );
    assert!(
        store
            .put_rule(&caller(), rule_input(&"n".repeat(64)), NOW)
            .is_ok()
    );
}

#[test]
fn only_the_default_bus_exists() {
    let (_dir, store) = open();
    for bus in [
        "default",
        "arn:aws:events:us-east-1:111122223333:event-bus/default",
    ] {
        store
            .put_rule(
                &caller(),
                PutRuleInput {
                    event_bus_name: Some(bus.to_owned()),
                    ..rule_input("r1")
                },
                NOW,
            )
            .unwrap();
    }
    let (kind, message) = refusal(store.put_rule(
        &caller(),
        PutRuleInput {
            event_bus_name: Some(String::from("orders")),
            ..rule_input("r2")
        },
        NOW,
    ));
    assert_eq!(kind, ErrorKind::ResourceNotFound);
    assert_eq!(message, "Event bus orders does not exist.");
    let (kind, _) = refusal(store.describe_rule(
        &caller(),
        opentrail_rules::input::RuleRefInput {
            name: Some(String::from("r1")),
            event_bus_name: Some(String::from("orders")),
        },
    ));
    assert_eq!(kind, ErrorKind::ResourceNotFound);
}

#[test]
fn event_patterns_are_limited_by_the_quota_and_the_api() {
    let (_dir, store) = open();
    // A valid pattern of exactly `length` characters.
    let pattern = |length: usize| {
        let filler = length - r#"{"source":[""]}"#.len();
        format!(r#"{{"source":["{}"]}}"#, "a".repeat(filler))
    };
    store
        .put_rule(
            &caller(),
            PutRuleInput {
                event_pattern: Some(pattern(2048)),
                ..rule_input("fits")
            },
            NOW,
        )
        .unwrap();
    let (kind, message) = refusal(store.put_rule(
        &caller(),
        PutRuleInput {
            event_pattern: Some(pattern(2049)),
            ..rule_input("over-quota")
        },
        NOW,
    ));
    assert_eq!(kind, ErrorKind::LimitExceeded);
    assert!(message.contains("2049"), "{message}");
    let (kind, message) = refusal(store.put_rule(
        &caller(),
        PutRuleInput {
            event_pattern: Some(pattern(4097)),
            ..rule_input("over-api")
        },
        NOW,
    ));
    assert_eq!(kind, ErrorKind::Validation);
    assert!(
        message.ends_with("Member must have length less than or equal to 4096"),
        "{message}"
    );

    let raised = store.with_limits(RuleLimits {
        max_event_pattern_chars: 4096,
        ..RuleLimits::default()
    });
    raised
        .put_rule(
            &caller(),
            PutRuleInput {
                event_pattern: Some(pattern(4096)),
                ..rule_input("raised")
            },
            NOW,
        )
        .unwrap();
}

#[test]
fn a_bus_holds_a_limited_number_of_rules() {
    let dir = tempfile::tempdir().unwrap();
    let store = RuleStore::open(dir.path())
        .unwrap()
        .with_limits(RuleLimits {
            max_rules_per_bus: 2,
            ..RuleLimits::default()
        });
    put_rule(&store, &caller(), "r1");
    put_rule(&store, &caller(), "r2");
    let (kind, message) = refusal(store.put_rule(&caller(), rule_input("r3"), NOW));
    assert_eq!(kind, ErrorKind::LimitExceeded);
    assert_eq!(
        message,
        "The requested resource exceeds the maximum number allowed."
    );
    // Updating a rule is no new rule; other Regions and accounts have their own bus.
    put_rule(&store, &caller(), "r2");
    put_rule(&store, &Caller::new("111122223333", "eu-west-1"), "r3");
    put_rule(&store, &Caller::new("444455556666", "us-east-1"), "r3");
    assert_eq!(RuleLimits::default().max_rules_per_bus, 300);
}

#[test]
fn callers_see_only_their_own_rules() {
    let (_dir, store) = open();
    put_rule(&store, &caller(), "shared-name");
    let other = Caller::new("444455556666", "us-east-1");
    let (kind, message) = refusal(store.describe_rule(&other, rule_ref("shared-name")));
    assert_eq!(kind, ErrorKind::ResourceNotFound);
    assert_eq!(
        message,
        "Rule shared-name does not exist on EventBus default."
    );
    assert!(
        store
            .list_rules(&other, ListRulesInput::default())
            .unwrap()
            .rules
            .is_empty()
    );
    let elsewhere = Caller::new("111122223333", "eu-west-1");
    assert!(
        store
            .describe_rule(&elsewhere, rule_ref("shared-name"))
            .is_err()
    );
}

#[test]
fn list_rules_pages_by_name_with_a_prefix() {
    let (_dir, store) = open();
    for name in ["c", "a2", "b", "a1", "a3"] {
        put_rule(&store, &caller(), name);
    }
    let page = store
        .list_rules(
            &caller(),
            ListRulesInput {
                name_prefix: Some(String::from("a")),
                limit: Some(2),
                ..ListRulesInput::default()
            },
        )
        .unwrap();
    let names: Vec<&str> = page.rules.iter().map(|rule| rule.name.as_str()).collect();
    assert_eq!(names, ["a1", "a2"]);
    assert_eq!(page.next_token.as_deref(), Some("a2"));
    let next = store
        .list_rules(
            &caller(),
            ListRulesInput {
                name_prefix: Some(String::from("a")),
                limit: Some(2),
                next_token: page.next_token,
                ..ListRulesInput::default()
            },
        )
        .unwrap();
    let names: Vec<&str> = next.rules.iter().map(|rule| rule.name.as_str()).collect();
    assert_eq!(names, ["a3"]);
    assert_eq!(next.next_token, None);
    let all = store
        .list_rules(&caller(), ListRulesInput::default())
        .unwrap();
    assert_eq!(all.rules.len(), 5);
    assert_eq!(all.next_token, None);
    for limit in [0, 101] {
        let (kind, _) = refusal(store.list_rules(
            &caller(),
            ListRulesInput {
                limit: Some(limit),
                ..ListRulesInput::default()
            },
        ));
        assert_eq!(kind, ErrorKind::Validation);
    }
}

#[test]
fn delete_rule_refuses_while_targets_remain_and_forgets_unknown_rules() {
    let (_dir, store) = open();
    let caller = caller();
    put_rule(&store, &caller, "r1");
    store
        .put_targets(
            &caller,
            targets_input("r1", vec![target("t1", "stdout:")]),
            &[],
        )
        .unwrap();
    let delete = |force| DeleteRuleInput {
        name: Some(String::from("r1")),
        event_bus_name: None,
        force,
    };
    for force in [None, Some(true)] {
        let (kind, message) = refusal(store.delete_rule(&caller, delete(force)));
        assert_eq!(kind, ErrorKind::Validation);
        assert_eq!(message, "Rule can't be deleted since it has targets.");
    }
    store
        .remove_targets(
            &caller,
            opentrail_rules::input::RemoveTargetsInput {
                rule: Some(String::from("r1")),
                ids: Some(vec![String::from("t1")]),
                ..Default::default()
            },
        )
        .unwrap();
    store.delete_rule(&caller, delete(None)).unwrap();
    assert!(store.snapshot().is_empty());
    // Deleting it again is no error, as on EventBridge.
    store.delete_rule(&caller, delete(None)).unwrap();
}

#[test]
fn enable_and_disable_switch_the_state() {
    let (_dir, store) = open();
    let caller = caller();
    store
        .put_rule(
            &caller,
            PutRuleInput {
                state: Some(String::from(
                    "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
                )),
                ..rule_input("r1")
            },
            NOW,
        )
        .unwrap();
    let state = |store: &RuleStore| store.describe_rule(&caller, rule_ref("r1")).unwrap().state;
    store.enable_rule(&caller, rule_ref("r1")).unwrap();
    assert_eq!(
        state(&store),
        RuleState::EnabledWithAllCloudTrailManagementEvents
    );
    store.disable_rule(&caller, rule_ref("r1")).unwrap();
    assert_eq!(state(&store), RuleState::Disabled);
    store.enable_rule(&caller, rule_ref("r1")).unwrap();
    assert_eq!(state(&store), RuleState::Enabled);
    let (kind, message) = refusal(store.enable_rule(&caller, rule_ref("missing")));
    assert_eq!(kind, ErrorKind::ResourceNotFound);
    assert_eq!(message, "Rule missing does not exist on EventBus default.");
    let (kind, _) = refusal(store.disable_rule(&caller, rule_ref("missing")));
    assert_eq!(kind, ErrorKind::ResourceNotFound);
}

#[test]
fn put_rule_refuses_patterns_the_parser_refuses() {
    let (_dir, store) = open();
    let (kind, message) = refusal(store.put_rule(
        &caller(),
        PutRuleInput {
            event_pattern: Some(String::from(r#"{"source":[]}"#)),
            ..rule_input("r1")
        },
        NOW,
    ));
    assert_eq!(kind, ErrorKind::InvalidEventPattern);
    assert!(
        message.starts_with("Event pattern is not valid. Reason: "),
        "{message}"
    );
    assert!(store.snapshot().is_empty());
}
