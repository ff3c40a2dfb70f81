//! CreateEventDataStore, UpdateEventDataStore, Get and List: one table per rule.

use opentrail_lake::{
    BillingMode, CreateEventDataStoreInput, DEFAULT_SELECTOR_NAME, ErrorKind, EventDataStoreStatus,
    LakeLimits, StoreKind, TagInput, UpdateEventDataStoreInput,
};
use opentrail_selectors::AdvancedFieldSelector;

use crate::support::{
    ACCOUNT, caller, caller_in, category, equals, named, selector, setup, setup_with,
};

#[test]
fn create_fills_in_the_defaults() {
    let setup = setup();
    let store = setup
        .lake
        .create_event_data_store(&caller(), named("audit"))
        .unwrap();
    assert_eq!(
        store.arn,
        format!(
            "arn:aws:cloudtrail:us-east-1:{ACCOUNT}:eventdatastore/{}",
            store.id
        )
    );
    assert_eq!(store.id.len(), 36);
    assert_eq!(store.id, store.id.to_lowercase());
    assert_eq!(&store.id[14..15], "4", "a version-4 UUID");
    assert_eq!(store.status, EventDataStoreStatus::Enabled);
    assert_eq!(store.kind, StoreKind::CloudTrailEvents);
    assert!(store.multi_region_enabled);
    assert!(!store.organization_enabled);
    assert!(store.termination_protection_enabled);
    assert_eq!(store.billing_mode, BillingMode::ExtendableRetentionPricing);
    assert_eq!(store.retention_period_days, 366);
    assert_eq!(store.kms_key_id, None);
    assert_eq!(store.advanced_event_selectors.len(), 1);
    let default = &store.advanced_event_selectors[0];
    assert_eq!(default.name.as_deref(), Some(DEFAULT_SELECTOR_NAME));
    assert_eq!(
        default.field_selectors,
        vec![equals("eventCategory", &["Management"])]
    );
    assert_eq!(store.created, store.updated);
}

#[test]
fn create_with_start_ingestion_false_is_stopped() {
    let setup = setup();
    let store = setup
        .lake
        .create_event_data_store(
            &caller(),
            CreateEventDataStoreInput {
                start_ingestion: Some(false),
                ..named("stopped")
            },
        )
        .unwrap();
    assert_eq!(store.status, EventDataStoreStatus::StoppedIngestion);
}

#[test]
fn store_kind_follows_the_selectors() {
    let setup = setup();
    let cases = [
        ("Management", Ok(StoreKind::CloudTrailEvents)),
        ("Data", Err(ErrorKind::InvalidEventSelectors)), // resources.type is required
        ("Insight", Ok(StoreKind::Insight)),
        ("ActivityAuditLog", Ok(StoreKind::ActivityAuditLog)),
        ("ConfigurationItem", Err(ErrorKind::Unsupported)),
        ("Evidence", Err(ErrorKind::Unsupported)),
        ("Bogus", Err(ErrorKind::InvalidEventSelectors)),
    ];
    for (index, (name, expected)) in cases.into_iter().enumerate() {
        let input = CreateEventDataStoreInput {
            advanced_event_selectors: Some(category(name)),
            ..named(&format!("store-{index}"))
        };
        let got = setup
            .lake
            .create_event_data_store(&caller(), input)
            .map(|store| store.kind)
            .map_err(|error| error.kind());
        assert_eq!(got, expected, "{name}");
    }
}

#[test]
fn cloudtrail_categories_mix_but_families_do_not() {
    let setup = setup();
    let data = selector(vec![
        equals("eventCategory", &["Data"]),
        equals("resources.type", &["AWS::S3::Object"]),
    ]);
    let management = selector(vec![equals("eventCategory", &["Management"])]);
    let mixed_ok = CreateEventDataStoreInput {
        advanced_event_selectors: Some(vec![management.clone(), data]),
        ..named("mixed")
    };
    assert_eq!(
        setup
            .lake
            .create_event_data_store(&caller(), mixed_ok)
            .unwrap()
            .kind,
        StoreKind::CloudTrailEvents
    );
    let families = CreateEventDataStoreInput {
        advanced_event_selectors: Some(vec![
            management,
            selector(vec![equals("eventCategory", &["Insight"])]),
        ]),
        ..named("families")
    };
    let error = setup
        .lake
        .create_event_data_store(&caller(), families)
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidEventSelectors);
    assert!(error.message().contains("Insight"), "{}", error.message());
}

#[test]
fn selector_rules_for_stores() {
    let setup = setup();
    let starts_with = |field: &str, value: &str| AdvancedFieldSelector {
        field: field.to_owned(),
        starts_with: Some(vec![value.to_owned()]),
        ..AdvancedFieldSelector::default()
    };
    let cases: Vec<(&str, Vec<opentrail_selectors::AdvancedEventSelector>, bool)> = vec![
        (
            "lake-only management fields",
            vec![selector(vec![
                equals("eventCategory", &["Management"]),
                starts_with("eventName", "Get"),
                equals("eventType", &["AwsApiCall"]),
                equals("sessionCredentialFromConsole", &["true"]),
                starts_with("userIdentity.arn", "arn:aws:iam::"),
            ])],
            true,
        ),
        (
            "any management event source",
            vec![selector(vec![
                equals("eventCategory", &["Management"]),
                equals("eventSource", &["s3.amazonaws.com"]),
            ])],
            true,
        ),
        (
            "readOnly only Equals",
            vec![selector(vec![
                equals("eventCategory", &["Management"]),
                starts_with("readOnly", "t"),
            ])],
            false,
        ),
        (
            "resources.type on management",
            vec![selector(vec![
                equals("eventCategory", &["Management"]),
                equals("resources.type", &["AWS::S3::Object"]),
            ])],
            false,
        ),
        (
            "eventCategory NotEquals",
            vec![selector(vec![AdvancedFieldSelector {
                field: String::from("eventCategory"),
                not_equals: Some(vec![String::from("Data")]),
                ..AdvancedFieldSelector::default()
            }])],
            false,
        ),
        (
            "network activity needs an event source",
            category("NetworkActivity"),
            false,
        ),
        (
            "network activity with a source",
            vec![selector(vec![
                equals("eventCategory", &["NetworkActivity"]),
                equals("eventSource", &["s3.amazonaws.com"]),
                equals("errorCode", &["VpceAccessDenied"]),
            ])],
            true,
        ),
        (
            "insight takes only eventCategory",
            vec![selector(vec![
                equals("eventCategory", &["Insight"]),
                equals("eventName", &["x"]),
            ])],
            false,
        ),
        (
            "six selectors",
            (0..6)
                .map(|_| selector(vec![equals("eventCategory", &["Management"])]))
                .collect(),
            false,
        ),
        ("no selector", Vec::new(), false),
        (
            "501 values",
            vec![selector(vec![
                equals("eventCategory", &["Management"]),
                AdvancedFieldSelector {
                    field: String::from("eventName"),
                    equals: Some((0..500).map(|index| format!("E{index}")).collect()),
                    ..AdvancedFieldSelector::default()
                },
            ])],
            false,
        ),
        (
            "a star is a literal",
            vec![selector(vec![
                equals("eventCategory", &["Management"]),
                equals("eventName", &["*"]),
            ])],
            true,
        ),
    ];
    for (index, (case, selectors, ok)) in cases.into_iter().enumerate() {
        let input = CreateEventDataStoreInput {
            advanced_event_selectors: Some(selectors),
            ..named(&format!("rule-{index}"))
        };
        match setup.lake.create_event_data_store(&caller(), input) {
            Ok(_) => assert!(ok, "{case}: accepted"),
            Err(error) => {
                assert!(!ok, "{case}: {}", error.message());
                assert_eq!(error.kind(), ErrorKind::InvalidEventSelectors, "{case}");
            }
        }
    }
}

#[test]
fn create_member_rules() {
    let setup = setup();
    let tags = |count: usize| -> Vec<TagInput> {
        (0..count)
            .map(|index| TagInput {
                key: format!("k{index}"),
                value: None,
            })
            .collect()
    };
    let cases: Vec<(&str, CreateEventDataStoreInput, Option<ErrorKind>)> = vec![
        ("short name", named("ab"), Some(ErrorKind::InvalidParameter)),
        (
            "bad name",
            named("a b c"),
            Some(ErrorKind::InvalidParameter),
        ),
        (
            "long name",
            named(&"a".repeat(129)),
            Some(ErrorKind::InvalidParameter),
        ),
        (
            "organization",
            CreateEventDataStoreInput {
                organization_enabled: Some(true),
                ..named("org")
            },
            Some(ErrorKind::OrganizationsNotInUse),
        ),
        (
            "retention too short",
            CreateEventDataStoreInput {
                retention_period: Some(6),
                ..named("rrr1")
            },
            Some(ErrorKind::InvalidParameter),
        ),
        (
            "retention at extendable max",
            CreateEventDataStoreInput {
                retention_period: Some(3653),
                ..named("rrr2")
            },
            None,
        ),
        (
            "retention over fixed max",
            CreateEventDataStoreInput {
                retention_period: Some(2558),
                billing_mode: Some(String::from("FIXED_RETENTION_PRICING")),
                ..named("rrr3")
            },
            Some(ErrorKind::InvalidParameter),
        ),
        (
            "unknown billing mode",
            CreateEventDataStoreInput {
                billing_mode: Some(String::from("CHEAP")),
                ..named("bbb1")
            },
            Some(ErrorKind::InvalidParameter),
        ),
        (
            "bad kms key",
            CreateEventDataStoreInput {
                kms_key_id: Some(String::from("not-a-key")),
                ..named("kkk1")
            },
            Some(ErrorKind::InvalidKmsKeyId),
        ),
        (
            "reserved tag",
            CreateEventDataStoreInput {
                tags: vec![TagInput {
                    key: String::from("aws:x"),
                    value: None,
                }],
                ..named("ttt1")
            },
            Some(ErrorKind::InvalidTagParameter),
        ),
        (
            "51 tags",
            CreateEventDataStoreInput {
                tags: tags(51),
                ..named("ttt2")
            },
            Some(ErrorKind::InvalidTagParameter),
        ),
        (
            "50 tags",
            CreateEventDataStoreInput {
                tags: tags(50),
                ..named("ttt3")
            },
            None,
        ),
    ];
    for (case, input, expected) in cases {
        let got = setup
            .lake
            .create_event_data_store(&caller(), input)
            .err()
            .map(|error| error.kind());
        assert_eq!(got, expected, "{case}");
    }
    let fixed = setup
        .lake
        .create_event_data_store(
            &caller(),
            CreateEventDataStoreInput {
                billing_mode: Some(String::from("FIXED_RETENTION_PRICING")),
                kms_key_id: Some(String::from("alias/lake")),
                ..named("fixed")
            },
        )
        .unwrap();
    assert_eq!(fixed.retention_period_days, 2557);
    assert_eq!(
        fixed.kms_key_id.as_deref(),
        Some("arn:aws:kms:us-east-1:111122223333:alias/lake")
    );
}

#[test]
fn names_are_unique_per_region_and_the_quota_counts_every_state() {
    let setup = setup_with(LakeLimits {
        event_data_stores_per_region: 2,
        ..LakeLimits::default()
    });
    let lake = &setup.lake;
    let first = crate::support::deletable(lake, "one");
    let error = lake
        .create_event_data_store(&caller(), named("one"))
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::EventDataStoreAlreadyExists);
    // The same name in another region is fine.
    lake.create_event_data_store(&caller_in("eu-west-1"), named("one"))
        .unwrap();
    lake.create_event_data_store(&caller(), named("two"))
        .unwrap();
    lake.delete_event_data_store(&caller(), &first.arn).unwrap();
    let error = lake
        .create_event_data_store(&caller(), named("three"))
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::EventDataStoreMaxLimitExceeded);
}

#[test]
fn update_rules() {
    let setup = setup();
    let lake = &setup.lake;
    let store = lake
        .create_event_data_store(&caller(), named("main"))
        .unwrap();
    lake.create_event_data_store(&caller(), named("other"))
        .unwrap();
    let update = |input: UpdateEventDataStoreInput| {
        lake.update_event_data_store(&caller(), input)
            .map_err(|error| error.kind())
    };
    let base = || UpdateEventDataStoreInput {
        event_data_store: store.id.clone(),
        ..UpdateEventDataStoreInput::default()
    };
    assert_eq!(update(base()).unwrap_err(), ErrorKind::InvalidParameter);
    assert_eq!(
        update(UpdateEventDataStoreInput {
            name: Some(String::from("other")),
            ..base()
        })
        .unwrap_err(),
        ErrorKind::EventDataStoreAlreadyExists
    );
    assert_eq!(
        update(UpdateEventDataStoreInput {
            billing_mode: Some(String::from("FIXED_RETENTION_PRICING")),
            ..base()
        })
        .unwrap_err(),
        ErrorKind::InvalidParameter
    );
    assert_eq!(
        update(UpdateEventDataStoreInput {
            advanced_event_selectors: Some(category("Insight")),
            ..base()
        })
        .unwrap_err(),
        ErrorKind::InvalidEventSelectors,
        "the kind cannot change"
    );
    assert_eq!(
        update(UpdateEventDataStoreInput {
            organization_enabled: Some(true),
            ..base()
        })
        .unwrap_err(),
        ErrorKind::OrganizationsNotInUse
    );
    // The KMS key can be set once, repeated, never changed or removed.
    let key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    update(UpdateEventDataStoreInput {
        kms_key_id: Some(String::from("1234abcd-12ab-34cd-56ef-1234567890ab")),
        ..base()
    })
    .unwrap();
    update(UpdateEventDataStoreInput {
        kms_key_id: Some(key.to_owned()),
        ..base()
    })
    .unwrap();
    for other in ["alias/other", ""] {
        assert_eq!(
            update(UpdateEventDataStoreInput {
                kms_key_id: Some(other.to_owned()),
                ..base()
            })
            .unwrap_err(),
            ErrorKind::InvalidParameter,
            "{other}"
        );
    }
    setup.clock.advance_millis(5_000);
    let updated = update(UpdateEventDataStoreInput {
        name: Some(String::from("renamed")),
        retention_period: Some(90),
        multi_region_enabled: Some(false),
        termination_protection_enabled: Some(false),
        ..base()
    })
    .unwrap();
    assert_eq!(updated.name, "renamed");
    assert_eq!(updated.retention_period_days, 90);
    assert!(!updated.multi_region_enabled);
    assert_eq!(updated.kms_key_id.as_deref(), Some(key));
    assert!(updated.updated > updated.created);
    // Writes only from the home region; a single-region store is invisible elsewhere.
    let error = lake
        .update_event_data_store(
            &caller_in("eu-west-1"),
            UpdateEventDataStoreInput {
                retention_period: Some(30),
                ..base()
            },
        )
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::EventDataStoreNotFound);
}

#[test]
fn fixed_pricing_may_become_extendable() {
    let setup = setup();
    let store = setup
        .lake
        .create_event_data_store(
            &caller(),
            CreateEventDataStoreInput {
                billing_mode: Some(String::from("FIXED_RETENTION_PRICING")),
                ..named("fixed")
            },
        )
        .unwrap();
    let updated = setup
        .lake
        .update_event_data_store(
            &caller(),
            UpdateEventDataStoreInput {
                event_data_store: store.arn,
                billing_mode: Some(String::from("EXTENDABLE_RETENTION_PRICING")),
                retention_period: Some(3653),
                ..UpdateEventDataStoreInput::default()
            },
        )
        .unwrap();
    assert_eq!(
        updated.billing_mode,
        BillingMode::ExtendableRetentionPricing
    );
    assert_eq!(updated.retention_period_days, 3653);
}

#[test]
fn references_resolve_by_arn_or_id_and_respect_regions_and_accounts() {
    let setup = setup();
    let lake = &setup.lake;
    let multi = lake
        .create_event_data_store(&caller(), named("multi"))
        .unwrap();
    let single = lake
        .create_event_data_store(
            &caller(),
            CreateEventDataStoreInput {
                multi_region_enabled: Some(false),
                ..named("single")
            },
        )
        .unwrap();
    let west = caller_in("us-west-2");
    assert_eq!(
        lake.get_event_data_store(&caller(), &multi.id).unwrap(),
        multi
    );
    assert_eq!(lake.get_event_data_store(&west, &multi.arn).unwrap(), multi);
    assert_eq!(
        lake.get_event_data_store(&west, &single.id)
            .unwrap_err()
            .kind(),
        ErrorKind::EventDataStoreNotFound
    );
    let other_account = opentrail_lake::Caller {
        account_id: String::from("999988887777"),
        region: String::from("us-east-1"),
    };
    assert_eq!(
        lake.get_event_data_store(&other_account, &multi.arn)
            .unwrap_err()
            .kind(),
        ErrorKind::EventDataStoreArnInvalid
    );
    assert_eq!(
        lake.get_event_data_store(&other_account, &multi.id)
            .unwrap_err()
            .kind(),
        ErrorKind::EventDataStoreNotFound
    );
    for bad in [
        "arn:aws:cloudtrail:us-east-1:111122223333:trail/x",
        "bad id!",
    ] {
        assert_eq!(
            lake.get_event_data_store(&caller(), bad)
                .unwrap_err()
                .kind(),
            ErrorKind::EventDataStoreArnInvalid
        );
    }
    let unknown = "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/00000000-0000-4000-8000-000000000000";
    assert_eq!(
        lake.get_event_data_store(&caller(), unknown)
            .unwrap_err()
            .kind(),
        ErrorKind::EventDataStoreNotFound
    );
    // Writes from a region other than the home region are refused.
    assert_eq!(
        lake.stop_event_data_store_ingestion(&west, &multi.arn)
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidHomeRegion
    );
}

#[test]
fn listing_pages_by_arn() {
    let setup = setup();
    let lake = &setup.lake;
    let mut arns: Vec<String> = (0..5)
        .map(|index| {
            lake.create_event_data_store(&caller(), named(&format!("store{index}")))
                .unwrap()
                .arn
        })
        .collect();
    arns.sort();
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = lake
            .list_event_data_stores(&caller(), Some(2), token.as_deref())
            .unwrap();
        assert!(page.event_data_stores.len() <= 2);
        seen.extend(page.event_data_stores.into_iter().map(|store| store.arn));
        match page.next_token {
            Some(next) => token = Some(next),
            None => break,
        }
    }
    assert_eq!(seen, arns);
    let all = lake.list_event_data_stores(&caller(), None, None).unwrap();
    assert_eq!(all.event_data_stores.len(), 5);
    assert_eq!(all.next_token, None);
    for bad in [0, 1001] {
        assert_eq!(
            lake.list_event_data_stores(&caller(), Some(bad), None)
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidMaxResults
        );
    }
    assert_eq!(
        lake.list_event_data_stores(&caller(), None, Some("made-up"))
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidNextToken
    );
    // Another account sees none of them.
    let other = opentrail_lake::Caller {
        account_id: String::from("999988887777"),
        region: String::from("us-east-1"),
    };
    assert!(
        lake.list_event_data_stores(&other, None, None)
            .unwrap()
            .event_data_stores
            .is_empty()
    );
}
