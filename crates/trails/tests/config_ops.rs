//! CreateTrail, UpdateTrail, DeleteTrail, GetTrail, DescribeTrails, ListTrails.

use opentrail_selectors::SelectorConfig;
use opentrail_trails::{CreateTrailInput, ErrorKind, TagInput, TrailLimits, UpdateTrailInput};
use opentrail_types::Timestamp;

use crate::support::{
    ACCOUNT, Fixture, OTHER_ACCOUNT, PROBES, REGION, START, arn, caller, caller_in, input, refused,
};

#[test]
fn create_trail_stores_defaults_and_normalized_members() {
    let fixture = Fixture::new();
    let trail = fixture
        .trails
        .create_trail(
            &caller(),
            CreateTrailInput {
                s3_key_prefix: Some(String::from("logs")),
                sns_topic_name: Some(String::from("alerts")),
                kms_key_id: Some(String::from("alias/trail-key")),
                enable_log_file_validation: Some(true),
                tags: vec![TagInput {
                    key: String::from("team"),
                    value: Some(String::from("security")),
                }],
                ..input("management")
            },
            PROBES,
        )
        .unwrap();
    assert_eq!(trail.arn, arn(REGION, "management"));
    assert_eq!(trail.home_region, REGION);
    assert_eq!(trail.account_id, ACCOUNT);
    assert_eq!(trail.s3_key_prefix.as_deref(), Some("logs"));
    assert_eq!(trail.sns_topic_name.as_deref(), Some("alerts"));
    assert_eq!(
        trail.sns_topic_arn.as_deref(),
        Some("arn:aws:sns:us-east-1:111122223333:alerts")
    );
    assert_eq!(
        trail.kms_key_id.as_deref(),
        Some("arn:aws:kms:us-east-1:111122223333:alias/trail-key")
    );
    assert!(trail.include_global_service_events);
    assert!(!trail.is_multi_region_trail);
    assert!(trail.log_file_validation_enabled);
    assert!(
        !trail.logging,
        "a new trail does not log until StartLogging"
    );
    assert_eq!(trail.validation_since, None);
    assert_eq!(trail.selectors, SelectorConfig::trail_default());
    assert!(!trail.has_custom_event_selectors);
    assert_eq!(trail.created, Timestamp::from_secs(START));
    assert_eq!(trail.tags.len(), 1);
    assert_eq!(
        fixture.trails.get_trail(&caller(), "management").unwrap(),
        trail
    );
    assert_eq!(
        fixture.trails.get_trail(&caller(), &trail.arn).unwrap(),
        trail
    );
}

#[test]
fn create_trail_refusals() {
    let fixture = Fixture::new();
    let caller = caller();
    fixture.create(&caller, "taken");
    let cases: Vec<(CreateTrailInput, ErrorKind, Option<&str>)> = vec![
        (input("ab"), ErrorKind::InvalidTrailName, None),
        (
            input("taken"),
            ErrorKind::TrailAlreadyExists,
            Some("Trail taken already exists for customer: 111122223333"),
        ),
        (
            CreateTrailInput {
                s3_bucket_name: String::from("Bad_Bucket"),
                ..input("new-trail")
            },
            ErrorKind::InvalidS3BucketName,
            None,
        ),
        (
            CreateTrailInput {
                s3_bucket_name: String::from("missing-logs"),
                ..input("new-trail")
            },
            ErrorKind::S3BucketDoesNotExist,
            Some("S3 bucket missing-logs does not exist!"),
        ),
        (
            CreateTrailInput {
                s3_bucket_name: String::from("locked-logs"),
                ..input("new-trail")
            },
            ErrorKind::InsufficientS3BucketPolicy,
            Some("Incorrect S3 bucket policy is detected for bucket: locked-logs"),
        ),
        (
            CreateTrailInput {
                s3_bucket_name: String::from("flaky-logs"),
                ..input("new-trail")
            },
            ErrorKind::DependencyUnavailable,
            None,
        ),
        (
            CreateTrailInput {
                s3_key_prefix: Some("p".repeat(201)),
                ..input("new-trail")
            },
            ErrorKind::InvalidS3Prefix,
            None,
        ),
        (
            CreateTrailInput {
                sns_topic_name: Some(String::from("bad topic")),
                ..input("new-trail")
            },
            ErrorKind::InvalidSnsTopicName,
            None,
        ),
        (
            CreateTrailInput {
                sns_topic_name: Some(String::from("arn:aws:sns:x")),
                ..input("new-trail")
            },
            ErrorKind::InvalidSnsTopicName,
            None,
        ),
        (
            CreateTrailInput {
                sns_topic_name: Some(String::from("unknown")),
                ..input("new-trail")
            },
            ErrorKind::InsufficientSnsTopicPolicy,
            Some("SNS Topic does not exist or the topic policy is incorrect!"),
        ),
        (
            CreateTrailInput {
                kms_key_id: Some(String::from("not-a-key")),
                ..input("new-trail")
            },
            ErrorKind::InvalidKmsKeyId,
            None,
        ),
        (
            CreateTrailInput {
                cloud_watch_logs_log_group_arn: Some(String::from("group")),
                ..input("new-trail")
            },
            ErrorKind::InvalidCloudWatchLogsLogGroupArn,
            None,
        ),
        (
            CreateTrailInput {
                cloud_watch_logs_log_group_arn: Some(String::from(
                    "arn:aws:logs:us-east-1:111122223333:log-group:trail:*",
                )),
                cloud_watch_logs_role_arn: Some(String::from("role")),
                ..input("new-trail")
            },
            ErrorKind::InvalidCloudWatchLogsRoleArn,
            None,
        ),
        (
            CreateTrailInput {
                cloud_watch_logs_log_group_arn: Some(String::from(
                    "arn:aws:logs:us-east-1:111122223333:log-group:trail:*",
                )),
                ..input("new-trail")
            },
            ErrorKind::InvalidCloudWatchLogsRoleArn,
            Some("You must specify a role ARN as well as a log group."),
        ),
        (
            CreateTrailInput {
                cloud_watch_logs_role_arn: Some(String::from(
                    "arn:aws:iam::111122223333:role/CloudTrail_CloudWatchLogs_Role",
                )),
                ..input("new-trail")
            },
            ErrorKind::InvalidParameterCombination,
            None,
        ),
        (
            CreateTrailInput {
                cloud_watch_logs_log_group_arn: Some(String::from(
                    "arn:aws:logs:us-east-1:111122223333:log-group:trail:*",
                )),
                cloud_watch_logs_role_arn: Some(String::from(
                    "arn:aws:iam::111122223333:role/CloudTrail_CloudWatchLogs_Role",
                )),
                ..input("new-trail")
            },
            ErrorKind::Unsupported,
            None,
        ),
        (
            CreateTrailInput {
                is_organization_trail: Some(true),
                ..input("new-trail")
            },
            ErrorKind::OrganizationsNotInUse,
            None,
        ),
        (
            CreateTrailInput {
                is_multi_region_trail: Some(true),
                include_global_service_events: Some(false),
                ..input("new-trail")
            },
            ErrorKind::InvalidParameterCombination,
            Some("Multi-Region trail must include global service events."),
        ),
        (
            CreateTrailInput {
                tags: (0..51)
                    .map(|index| TagInput {
                        key: format!("k{index}"),
                        value: None,
                    })
                    .collect(),
                ..input("new-trail")
            },
            ErrorKind::TagsLimitExceeded,
            None,
        ),
        (
            CreateTrailInput {
                tags: vec![
                    TagInput {
                        key: String::from("k"),
                        value: None,
                    },
                    TagInput {
                        key: String::from("k"),
                        value: Some(String::from("v")),
                    },
                ],
                ..input("new-trail")
            },
            ErrorKind::InvalidTagParameter,
            None,
        ),
    ];
    for (case, kind, message) in cases {
        let label = format!("{case:?}");
        let text = refused(fixture.trails.create_trail(&caller, case, PROBES), kind);
        if let Some(message) = message {
            assert_eq!(text, message, "{label}");
        }
    }
    assert_eq!(
        fixture.trails.snapshot().len(),
        1,
        "no refused call stored anything"
    );
}

#[test]
fn five_trails_per_region_and_multi_region_trails_count_everywhere() {
    let fixture = Fixture::new();
    let east = caller();
    let west = caller_in(ACCOUNT, "us-west-2");
    fixture
        .trails
        .create_trail(
            &west,
            CreateTrailInput {
                is_multi_region_trail: Some(true),
                ..input("everywhere")
            },
            PROBES,
        )
        .unwrap();
    for index in 0..4 {
        fixture.create(&east, &format!("east-{index}"));
    }
    let message = refused(
        fixture.trails.create_trail(&east, input("east-4"), PROBES),
        ErrorKind::MaximumNumberOfTrailsExceeded,
    );
    assert_eq!(
        message,
        "User: 111122223333 already has 5 trails in us-east-1."
    );
    // West has room for its own trails, but a new multi-region trail would be a sixth in east.
    fixture.create(&west, "west-1");
    refused(
        fixture.trails.create_trail(
            &west,
            CreateTrailInput {
                is_multi_region_trail: Some(true),
                ..input("everywhere-2")
            },
            PROBES,
        ),
        ErrorKind::MaximumNumberOfTrailsExceeded,
    );
    // Another account has its own limit; a deleted trail frees its slot.
    fixture.create(&caller_in(OTHER_ACCOUNT, REGION), "east-4");
    fixture.trails.delete_trail(&east, "east-0").unwrap();
    fixture.create(&east, "east-4");

    let limited = Fixture::with_limits(TrailLimits {
        trails_per_region: 1,
        ..TrailLimits::default()
    });
    limited.create(&east, "one");
    refused(
        limited.trails.create_trail(&east, input("two"), PROBES),
        ErrorKind::MaximumNumberOfTrailsExceeded,
    );
}

#[test]
fn accounts_see_only_their_trails() {
    let fixture = Fixture::new();
    let trail = fixture.create(&caller(), "mine");
    let other = caller_in(OTHER_ACCOUNT, REGION);
    let message = refused(
        fixture.trails.get_trail(&other, &trail.arn),
        ErrorKind::TrailNotFound,
    );
    assert_eq!(
        message,
        format!("Unknown trail: {} for the user: {OTHER_ACCOUNT}", trail.arn)
    );
    assert_eq!(
        refused(
            fixture.trails.get_trail(&other, "mine"),
            ErrorKind::TrailNotFound
        ),
        "Unknown trail: mine for the user: 444455556666"
    );
    refused(
        fixture.trails.delete_trail(&other, &trail.arn),
        ErrorKind::TrailNotFound,
    );
    assert!(
        fixture
            .trails
            .describe_trails(&other, None, true)
            .unwrap()
            .is_empty()
    );
    assert!(fixture.trails.list_trails(&other, None).trails.is_empty());
}

#[test]
fn multi_region_trails_are_shadows_elsewhere_and_writable_only_at_home() {
    let fixture = Fixture::new();
    let east = caller();
    let west = caller_in(ACCOUNT, "us-west-2");
    let global = fixture
        .trails
        .create_trail(
            &east,
            CreateTrailInput {
                is_multi_region_trail: Some(true),
                ..input("global")
            },
            PROBES,
        )
        .unwrap();
    fixture.create(&east, "local");
    fixture.create(&west, "west-only");

    let names = |trails: Vec<opentrail_trails::Trail>| {
        trails
            .into_iter()
            .map(|trail| trail.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(fixture.trails.describe_trails(&west, None, true).unwrap()),
        ["global", "west-only"]
    );
    assert_eq!(
        names(fixture.trails.describe_trails(&west, None, false).unwrap()),
        ["west-only"]
    );
    let listed = fixture.trails.list_trails(&west, None);
    assert_eq!(listed.trails.len(), 2);
    assert_eq!(listed.trails[0].home_region, REGION);
    // Names reach only the region's own trails; ARNs reach shadows, for reads.
    refused(
        fixture.trails.get_trail(&west, "global"),
        ErrorKind::TrailNotFound,
    );
    assert_eq!(
        fixture
            .trails
            .get_trail(&west, &global.arn)
            .unwrap()
            .home_region,
        REGION
    );
    assert_eq!(
        names(
            fixture
                .trails
                .describe_trails(
                    &west,
                    Some(vec![
                        global.arn.clone(),
                        String::from("global"),
                        String::from("west-only")
                    ]),
                    false
                )
                .unwrap()
        ),
        ["global", "west-only"]
    );
    assert!(
        !fixture
            .trails
            .get_trail_status(&west, &global.arn)
            .unwrap()
            .is_logging
    );
    fixture
        .trails
        .get_event_selectors(&west, &global.arn)
        .unwrap();
    // Writes from a shadow's region are refused.
    let arn = global.arn.clone();
    refused(
        fixture.trails.start_logging(&west, &arn),
        ErrorKind::InvalidHomeRegion,
    );
    refused(
        fixture.trails.stop_logging(&west, &arn),
        ErrorKind::InvalidHomeRegion,
    );
    refused(
        fixture.trails.delete_trail(&west, &arn),
        ErrorKind::InvalidHomeRegion,
    );
    refused(
        fixture.trails.update_trail(
            &west,
            UpdateTrailInput {
                name: arn.clone(),
                ..UpdateTrailInput::default()
            },
            PROBES,
        ),
        ErrorKind::InvalidHomeRegion,
    );
    refused(
        fixture
            .trails
            .put_event_selectors(&west, &arn, Some(Vec::new()), None),
        ErrorKind::InvalidHomeRegion,
    );
    refused(
        fixture.trails.put_insight_selectors(
            &west,
            opentrail_trails::PutInsightSelectorsInput {
                trail_name: Some(arn.clone()),
                ..Default::default()
            },
        ),
        ErrorKind::InvalidHomeRegion,
    );
    refused(
        fixture.trails.add_tags(&west, &arn, Vec::new()),
        ErrorKind::InvalidHomeRegion,
    );
    refused(
        fixture.trails.remove_tags(&west, &arn, Vec::new()),
        ErrorKind::InvalidHomeRegion,
    );
    // Turning multi-region off removes the shadow.
    fixture
        .trails
        .update_trail(
            &east,
            UpdateTrailInput {
                name: arn.clone(),
                is_multi_region_trail: Some(false),
                ..UpdateTrailInput::default()
            },
            PROBES,
        )
        .unwrap();
    assert_eq!(
        names(fixture.trails.describe_trails(&west, None, true).unwrap()),
        ["west-only"]
    );
}

#[test]
fn list_trails_pages_by_arn() {
    let fixture = Fixture::with_limits(TrailLimits {
        list_trails_page_size: 2,
        ..TrailLimits::default()
    });
    let caller = caller();
    for name in ["delta", "alpha", "charlie", "bravo", "echo"] {
        fixture.create(&caller, name);
    }
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = fixture.trails.list_trails(&caller, token.as_deref());
        pages += 1;
        assert!(page.trails.len() <= 2);
        seen.extend(page.trails.into_iter().map(|info| info.name));
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, ["alpha", "bravo", "charlie", "delta", "echo"]);
}

#[test]
fn update_trail_changes_only_the_members_given() {
    let fixture = Fixture::new();
    let caller = caller();
    let created = fixture
        .trails
        .create_trail(
            &caller,
            CreateTrailInput {
                s3_key_prefix: Some(String::from("old")),
                sns_topic_name: Some(String::from("alerts")),
                kms_key_id: Some(String::from("1234abcd-12ab-34cd-56ef-1234567890ab")),
                ..input("update-me")
            },
            PROBES,
        )
        .unwrap();
    let update = |change: UpdateTrailInput| {
        fixture.trails.update_trail(
            &caller,
            UpdateTrailInput {
                name: String::from("update-me"),
                ..change
            },
            PROBES,
        )
    };
    let same = update(UpdateTrailInput::default()).unwrap();
    assert_eq!(
        same, created,
        "an empty update changes nothing, not even the generation"
    );
    let updated = update(UpdateTrailInput {
        s3_bucket_name: Some(String::from("other-logs")),
        s3_key_prefix: Some(String::new()),
        sns_topic_name: Some(String::new()),
        kms_key_id: Some(String::new()),
        is_multi_region_trail: Some(true),
        ..UpdateTrailInput::default()
    })
    .unwrap();
    assert_eq!(updated.s3_bucket_name, "other-logs");
    assert_eq!(updated.s3_key_prefix, None);
    assert_eq!(updated.sns_topic_arn, None);
    assert_eq!(updated.kms_key_id, None);
    assert!(updated.is_multi_region_trail);
    assert_eq!(updated.generation, created.generation + 1);
    assert_eq!(updated.created, created.created);

    refused(
        update(UpdateTrailInput {
            include_global_service_events: Some(false),
            ..UpdateTrailInput::default()
        }),
        ErrorKind::InvalidParameterCombination,
    );
    refused(
        update(UpdateTrailInput {
            s3_bucket_name: Some(String::from("missing-logs")),
            ..UpdateTrailInput::default()
        }),
        ErrorKind::S3BucketDoesNotExist,
    );
    refused(
        update(UpdateTrailInput {
            s3_key_prefix: Some("x".repeat(201)),
            ..UpdateTrailInput::default()
        }),
        ErrorKind::InvalidS3Prefix,
    );
    refused(
        update(UpdateTrailInput {
            sns_topic_name: Some(String::from("nope")),
            ..UpdateTrailInput::default()
        }),
        ErrorKind::InsufficientSnsTopicPolicy,
    );
    refused(
        update(UpdateTrailInput {
            kms_key_id: Some(String::from("alias/")),
            ..UpdateTrailInput::default()
        }),
        ErrorKind::InvalidKmsKeyId,
    );
    refused(
        update(UpdateTrailInput {
            is_organization_trail: Some(true),
            ..UpdateTrailInput::default()
        }),
        ErrorKind::OrganizationsNotInUse,
    );
    refused(
        update(UpdateTrailInput {
            cloud_watch_logs_role_arn: Some(String::from("nope")),
            ..UpdateTrailInput::default()
        }),
        ErrorKind::InvalidCloudWatchLogsRoleArn,
    );
    refused(
        fixture.trails.update_trail(
            &caller,
            UpdateTrailInput {
                name: String::from("missing"),
                ..UpdateTrailInput::default()
            },
            PROBES,
        ),
        ErrorKind::TrailNotFound,
    );
    assert_eq!(
        fixture.trails.get_trail(&caller, "update-me").unwrap(),
        updated
    );
}

#[test]
fn validation_turned_on_while_logging_starts_a_new_chain() {
    let fixture = Fixture::new();
    let caller = caller();
    fixture.create(&caller, "chain");
    let set_validation = |enabled: bool| {
        fixture
            .trails
            .update_trail(
                &caller,
                UpdateTrailInput {
                    name: String::from("chain"),
                    enable_log_file_validation: Some(enabled),
                    ..UpdateTrailInput::default()
                },
                PROBES,
            )
            .unwrap()
    };
    assert_eq!(
        set_validation(true).validation_since,
        None,
        "not logging: no chain yet"
    );
    fixture.clock.advance_millis(1_000);
    fixture.trails.start_logging(&caller, "chain").unwrap();
    let started = Timestamp::from_secs(START + 1);
    assert_eq!(
        fixture
            .trails
            .get_trail(&caller, "chain")
            .unwrap()
            .validation_since,
        Some(started)
    );
    fixture.clock.advance_millis(1_000);
    let off = set_validation(false);
    assert!(!off.log_file_validation_enabled);
    assert_eq!(
        off.validation_since,
        Some(started),
        "the last chain's start is kept"
    );
    fixture.clock.advance_millis(1_000);
    assert_eq!(
        set_validation(true).validation_since,
        Some(Timestamp::from_secs(START + 3))
    );
}

#[test]
fn deleted_trails_leave_a_tombstone_until_purged() {
    let fixture = Fixture::new();
    let caller = caller();
    let first = fixture.create(&caller, "reborn");
    fixture.trails.start_logging(&caller, "reborn").unwrap();
    fixture.clock.advance_millis(5_000);
    fixture.trails.delete_trail(&caller, "reborn").unwrap();
    refused(
        fixture.trails.get_trail(&caller, "reborn"),
        ErrorKind::TrailNotFound,
    );
    refused(
        fixture.trails.delete_trail(&caller, "reborn"),
        ErrorKind::TrailNotFound,
    );
    assert!(
        fixture
            .trails
            .describe_trails(&caller, None, true)
            .unwrap()
            .is_empty()
    );
    let snapshot = fixture.trails.snapshot();
    assert_eq!(snapshot.len(), 1);
    let tombstone = &snapshot[0];
    assert_eq!(tombstone.deleted_at, Some(Timestamp::from_secs(START + 5)));
    assert!(!tombstone.logging);
    assert_eq!(
        tombstone.logging_history[0].stop,
        Some(Timestamp::from_secs(START + 5))
    );

    fixture.clock.advance_millis(1_000);
    let second = fixture.create(&caller, "reborn");
    assert_eq!(second.arn, first.arn);
    assert_ne!(second.created, first.created);
    assert_eq!(fixture.trails.snapshot().len(), 2);
    fixture.trails.purge(&first.arn).unwrap();
    let left = fixture.trails.snapshot();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0], second, "purge leaves the live trail alone");
    fixture.trails.purge(&first.arn).unwrap();
}

#[test]
fn every_change_bumps_the_watch_channel() {
    let fixture = Fixture::new();
    let caller = caller();
    let mut changes = fixture.trails.subscribe();
    let mut last = *changes.borrow_and_update();
    let mut expect_change = |changes: &mut tokio::sync::watch::Receiver<u64>, label: &str| {
        assert!(changes.has_changed().unwrap(), "{label} did not notify");
        let now = *changes.borrow_and_update();
        assert!(now > last, "{label}");
        last = now;
    };
    fixture.create(&caller, "watched");
    expect_change(&mut changes, "create");
    fixture.trails.start_logging(&caller, "watched").unwrap();
    expect_change(&mut changes, "start");
    fixture.trails.start_logging(&caller, "watched").unwrap();
    assert!(
        !changes.has_changed().unwrap(),
        "an idempotent StartLogging changes nothing"
    );
    fixture.trails.stop_logging(&caller, "watched").unwrap();
    expect_change(&mut changes, "stop");
    fixture
        .trails
        .put_event_selectors(
            &caller,
            "watched",
            Some(vec![opentrail_selectors::EventSelector {
                read_write_type: Some(opentrail_selectors::ReadWriteType::ReadOnly),
                ..Default::default()
            }]),
            None,
        )
        .unwrap();
    expect_change(&mut changes, "put event selectors");
    fixture
        .trails
        .add_tags(
            &caller,
            &arn(REGION, "watched"),
            vec![TagInput {
                key: String::from("k"),
                value: None,
            }],
        )
        .unwrap();
    expect_change(&mut changes, "add tags");
    fixture.trails.delete_trail(&caller, "watched").unwrap();
    expect_change(&mut changes, "delete");
    fixture.trails.purge(&arn(REGION, "watched")).unwrap();
    expect_change(&mut changes, "purge");
    fixture
        .trails
        .update_status(&arn(REGION, "watched"), |status| {
            status.latest_delivery_error = Some(String::from("x"))
        })
        .unwrap();
    assert!(
        !changes.has_changed().unwrap(),
        "status updates are not configuration changes"
    );
}
