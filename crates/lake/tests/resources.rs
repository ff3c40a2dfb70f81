//! Tags, resource policies and event configuration on store and channel ARNs.

use opentrail_lake::{
    ContextKeySelectorInput, CreateChannelInput, DestinationInput, ErrorKind, MaxEventSize,
    PutEventConfigurationInput, TagInput,
};

use crate::support::{audit_store, caller, caller_in, deletable, setup};

fn tag(key: &str, value: Option<&str>) -> TagInput {
    TagInput {
        key: key.to_owned(),
        value: value.map(str::to_owned),
    }
}

#[test]
fn tags_on_stores_and_channels() {
    let setup = setup();
    let lake = &setup.lake;
    let store = deletable(lake, "events");
    let audit = audit_store(lake, "audit");
    let channel = lake
        .create_channel(
            &caller(),
            CreateChannelInput {
                name: String::from("partner"),
                source: String::from("Custom"),
                destinations: vec![DestinationInput {
                    destination_type: String::from("EVENT_DATA_STORE"),
                    location: audit.arn.clone(),
                }],
                tags: vec![tag("team", Some("a"))],
            },
        )
        .unwrap();
    for arn in [&store.arn, &channel.arn] {
        lake.add_tags(
            &caller(),
            arn,
            vec![tag("env", Some("prod")), tag("team", Some("b"))],
        )
        .unwrap();
        lake.remove_tags(&caller(), arn, vec![tag("env", None)])
            .unwrap();
        let listed = lake.list_tags_of(&caller(), arn).unwrap();
        assert_eq!(listed.resource_id, *arn);
        assert_eq!(listed.tags.len(), 1);
        assert_eq!(listed.tags[0].key, "team");
        assert_eq!(listed.tags[0].value.as_deref(), Some("b"));
        let many: Vec<TagInput> = (0..50)
            .map(|index| tag(&format!("k{index}"), None))
            .collect();
        assert_eq!(
            lake.add_tags(&caller(), arn, many).unwrap_err().kind(),
            ErrorKind::TagsLimitExceeded
        );
        assert_eq!(
            lake.add_tags(&caller(), arn, vec![tag("", None)])
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidTagParameter
        );
    }
    // Store tags change only from the home region; a pending store is inactive.
    assert_eq!(
        lake.add_tags(&caller_in("eu-west-1"), &store.arn, vec![tag("x", None)])
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidHomeRegion
    );
    lake.delete_event_data_store(&caller(), &store.arn).unwrap();
    assert_eq!(
        lake.list_tags_of(&caller(), &store.arn).unwrap_err().kind(),
        ErrorKind::InactiveEventDataStore
    );
    assert_eq!(
        lake.add_tags(
            &caller(),
            "arn:aws:cloudtrail:us-east-1:111122223333:channel/00000000-0000-4000-8000-000000000000",
            vec![tag("x", None)]
        )
        .unwrap_err()
        .kind(),
        ErrorKind::ChannelNotFound
    );
}

#[test]
fn resource_policies() {
    let setup = setup();
    let lake = &setup.lake;
    let store = deletable(lake, "events");
    let policy = r#"{"Version":"2012-10-17","Statement":[]}"#;
    assert_eq!(
        lake.get_resource_policy(&caller(), &store.arn)
            .unwrap_err()
            .kind(),
        ErrorKind::ResourcePolicyNotFound
    );
    assert_eq!(
        lake.put_resource_policy(&caller(), &store.arn, policy)
            .unwrap(),
        policy
    );
    assert_eq!(
        lake.get_resource_policy(&caller(), &store.arn).unwrap(),
        policy
    );
    lake.delete_resource_policy(&caller(), &store.arn).unwrap();
    assert_eq!(
        lake.delete_resource_policy(&caller(), &store.arn)
            .unwrap_err()
            .kind(),
        ErrorKind::ResourcePolicyNotFound
    );
    let cases = [
        (store.arn.as_str(), "[1]", ErrorKind::ResourcePolicyNotValid),
        (store.arn.as_str(), "", ErrorKind::ResourcePolicyNotValid),
        ("not-an-arn", policy, ErrorKind::ResourceArnNotValid),
        (
            "arn:aws:cloudtrail:us-east-1:111122223333:trail/t",
            policy,
            ErrorKind::ResourceTypeNotSupported,
        ),
        (
            "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/00000000-0000-4000-8000-000000000000",
            policy,
            ErrorKind::ResourceNotFound,
        ),
        (
            "arn:aws:cloudtrail:us-east-1:12:eventdatastore/x",
            policy,
            ErrorKind::ResourceArnNotValid,
        ),
    ];
    for (arn, text, expected) in cases {
        assert_eq!(
            lake.put_resource_policy(&caller(), arn, text)
                .unwrap_err()
                .kind(),
            expected,
            "{arn} {text}"
        );
    }
}

#[test]
fn event_configuration_is_stored_and_checked() {
    let setup = setup();
    let lake = &setup.lake;
    let store = deletable(lake, "events");
    let got = lake
        .get_event_configuration(&caller(), None, Some(&store.id))
        .unwrap();
    assert_eq!(
        got.event_configuration.max_event_size,
        MaxEventSize::Standard
    );
    let selectors = vec![ContextKeySelectorInput {
        selector_type: String::from("TagContext"),
        equals: vec![String::from("team")],
    }];
    let put = |input: PutEventConfigurationInput| {
        lake.put_event_configuration(&caller(), input)
            .map_err(|error| error.kind())
    };
    let base = || PutEventConfigurationInput {
        event_data_store: Some(store.arn.clone()),
        ..PutEventConfigurationInput::default()
    };
    assert_eq!(
        put(PutEventConfigurationInput {
            context_key_selectors: Some(selectors.clone()),
            ..base()
        })
        .unwrap_err(),
        ErrorKind::InvalidParameter,
        "context keys need Large"
    );
    let twice = vec![selectors[0].clone(), selectors[0].clone()];
    let three = vec![selectors[0].clone(); 3];
    let bad_type = vec![ContextKeySelectorInput {
        selector_type: String::from("Other"),
        equals: vec![String::from("x")],
    }];
    let too_many_keys = vec![ContextKeySelectorInput {
        selector_type: String::from("RequestContext"),
        equals: (0..51).map(|index| format!("k{index}")).collect(),
    }];
    for bad in [twice, three, bad_type, too_many_keys] {
        assert_eq!(
            put(PutEventConfigurationInput {
                max_event_size: Some(String::from("Large")),
                context_key_selectors: Some(bad),
                ..base()
            })
            .unwrap_err(),
            ErrorKind::InvalidParameter
        );
    }
    assert_eq!(
        put(PutEventConfigurationInput {
            max_event_size: Some(String::from("Huge")),
            ..base()
        })
        .unwrap_err(),
        ErrorKind::InvalidParameter
    );
    assert_eq!(
        put(PutEventConfigurationInput {
            trail_name: Some(String::from("t")),
            ..base()
        })
        .unwrap_err(),
        ErrorKind::InvalidParameterCombination
    );
    assert_eq!(
        put(PutEventConfigurationInput {
            trail_name: Some(String::from("t")),
            event_data_store: None,
            ..base()
        })
        .unwrap_err(),
        ErrorKind::Unsupported
    );
    let stored = put(PutEventConfigurationInput {
        max_event_size: Some(String::from("Large")),
        context_key_selectors: Some(selectors),
        ..base()
    })
    .unwrap();
    assert_eq!(
        stored.event_configuration.max_event_size,
        MaxEventSize::Large
    );
    assert_eq!(stored.event_configuration.context_key_selectors.len(), 1);
    let audit = audit_store(lake, "audit");
    assert_eq!(
        put(PutEventConfigurationInput {
            event_data_store: Some(audit.arn),
            max_event_size: Some(String::from("Large")),
            ..PutEventConfigurationInput::default()
        })
        .unwrap_err(),
        ErrorKind::InvalidEventDataStoreCategory
    );
}
