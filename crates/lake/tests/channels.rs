//! CreateChannel, GetChannel, UpdateChannel, DeleteChannel, ListChannels, ingestion status.

use opentrail_lake::{
    CreateChannelInput, DestinationInput, ErrorKind, IngestionAttempt, LakeLimits, TagInput,
    UpdateChannelInput,
};
use opentrail_types::Timestamp;

use crate::support::{audit_store, caller, caller_in, deletable, setup, setup_with};

fn to(location: &str) -> Vec<DestinationInput> {
    vec![DestinationInput {
        destination_type: String::from("EVENT_DATA_STORE"),
        location: location.to_owned(),
    }]
}

fn channel(name: &str, source: &str, destinations: Vec<DestinationInput>) -> CreateChannelInput {
    CreateChannelInput {
        name: name.to_owned(),
        source: source.to_owned(),
        destinations,
        tags: Vec::new(),
    }
}

#[test]
fn create_channel_rules() {
    let setup = setup();
    let lake = &setup.lake;
    let audit = audit_store(lake, "audit");
    let events = deletable(lake, "events");
    let pending = audit_store(lake, "pending");
    lake.delete_event_data_store(&caller(), &pending.arn)
        .unwrap();
    let created = lake
        .create_channel(&caller(), channel("partner", "Custom", to(&audit.id)))
        .unwrap();
    assert_eq!(
        created.arn,
        format!(
            "arn:aws:cloudtrail:us-east-1:111122223333:channel/{}",
            created.id
        )
    );
    assert_eq!(
        created.destinations[0].location, audit.arn,
        "IDs are stored as ARNs"
    );
    let unknown = "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/00000000-0000-4000-8000-000000000000";
    let many_tags: Vec<TagInput> = (0..51)
        .map(|index| TagInput {
            key: format!("k{index}"),
            value: None,
        })
        .collect();
    let cases: Vec<(&str, CreateChannelInput, ErrorKind)> = vec![
        (
            "bad name",
            channel("a", "Other", to(&audit.arn)),
            ErrorKind::InvalidParameter,
        ),
        (
            "empty source",
            channel("chan1", "", to(&audit.arn)),
            ErrorKind::InvalidSource,
        ),
        (
            "same name",
            channel("partner", "Other", to(&audit.arn)),
            ErrorKind::ChannelAlreadyExists,
        ),
        (
            "same source",
            channel("chan2", "Custom", to(&audit.arn)),
            ErrorKind::ChannelAlreadyExists,
        ),
        (
            "no destination",
            channel("chan3", "Other", Vec::new()),
            ErrorKind::InvalidParameter,
        ),
        (
            "service destination",
            channel(
                "c4",
                "Other",
                vec![DestinationInput {
                    destination_type: String::from("AWS_SERVICE"),
                    location: String::from("config.amazonaws.com"),
                }],
            ),
            ErrorKind::InvalidParameter,
        ),
        (
            "not an audit store",
            channel("chan5", "Other", to(&events.arn)),
            ErrorKind::InvalidEventDataStoreCategory,
        ),
        (
            "pending deletion",
            channel("chan6", "Other", to(&pending.arn)),
            ErrorKind::InactiveEventDataStore,
        ),
        (
            "unknown store",
            channel("chan7", "Other", to(unknown)),
            ErrorKind::EventDataStoreNotFound,
        ),
        (
            "malformed store",
            channel("chan8", "Other", to("arn:aws:cloudtrail:us-east-1:1:x/y")),
            ErrorKind::EventDataStoreArnInvalid,
        ),
        (
            "too many tags",
            CreateChannelInput {
                tags: many_tags,
                ..channel("chan9", "Other", to(&audit.arn))
            },
            ErrorKind::TagsLimitExceeded,
        ),
    ];
    for (case, input, expected) in cases {
        assert_eq!(
            lake.create_channel(&caller(), input).unwrap_err().kind(),
            expected,
            "{case}"
        );
    }
    // Another region has its own names and sources.
    let west_audit = lake
        .get_event_data_store(&caller_in("us-west-2"), &audit.arn)
        .unwrap();
    lake.create_channel(
        &caller_in("us-west-2"),
        channel("partner", "Custom", to(&west_audit.arn)),
    )
    .unwrap();
}

#[test]
fn channels_are_limited_per_region() {
    let setup = setup_with(LakeLimits {
        channels_per_region: 2,
        ..LakeLimits::default()
    });
    let lake = &setup.lake;
    let audit = audit_store(lake, "audit");
    for index in 0..2 {
        lake.create_channel(
            &caller(),
            channel(
                &format!("chan{index}"),
                &format!("source{index}"),
                to(&audit.arn),
            ),
        )
        .unwrap();
    }
    assert_eq!(
        lake.create_channel(&caller(), channel("chan2", "source2", to(&audit.arn)))
            .unwrap_err()
            .kind(),
        ErrorKind::ChannelMaxLimitExceeded
    );
}

#[test]
fn channels_update_list_and_delete() {
    let setup = setup();
    let lake = &setup.lake;
    let first = audit_store(lake, "first");
    let second = audit_store(lake, "second");
    let one = lake
        .create_channel(&caller(), channel("one", "Custom", to(&first.arn)))
        .unwrap();
    let two = lake
        .create_channel(&caller(), channel("two", "partner-x", to(&first.arn)))
        .unwrap();
    let updated = lake
        .update_channel(
            &caller(),
            UpdateChannelInput {
                channel: one.id.clone(),
                destinations: Some(to(&second.arn)),
                name: Some(String::from("uno")),
            },
        )
        .unwrap();
    assert_eq!(updated.name, "uno");
    assert_eq!(updated.source, "Custom");
    assert_eq!(updated.destinations[0].location, second.arn);
    assert_eq!(
        lake.update_channel(
            &caller(),
            UpdateChannelInput {
                channel: one.arn.clone(),
                destinations: None,
                name: Some(String::from("two")),
            },
        )
        .unwrap_err()
        .kind(),
        ErrorKind::ChannelAlreadyExists
    );
    // The first store is free again once no channel delivers to it... but two still does.
    assert_eq!(
        lake.delete_event_data_store(&caller(), &first.arn)
            .unwrap_err()
            .kind(),
        ErrorKind::ChannelExistsForEds
    );
    let page = lake.list_channels(&caller(), Some(1), None).unwrap();
    assert_eq!(page.channels.len(), 1);
    let rest = lake
        .list_channels(&caller(), Some(1), page.next_token.as_deref())
        .unwrap();
    assert_eq!(rest.channels.len(), 1);
    assert_eq!(rest.next_token, None);
    let mut listed = vec![page.channels[0].arn.clone(), rest.channels[0].arn.clone()];
    listed.sort();
    let mut expected = vec![one.arn.clone(), two.arn.clone()];
    expected.sort();
    assert_eq!(listed, expected);
    assert!(
        lake.list_channels(&caller_in("eu-west-1"), None, None)
            .unwrap()
            .channels
            .is_empty(),
        "channels are regional"
    );
    lake.delete_channel(&caller(), &two.arn).unwrap();
    lake.delete_event_data_store(&caller(), &first.arn).unwrap();
    assert_eq!(
        lake.get_channel(&caller(), &two.arn).unwrap_err().kind(),
        ErrorKind::ChannelNotFound
    );
    assert_eq!(
        lake.get_channel(
            &caller(),
            "arn:aws:cloudtrail:us-east-1:111122223333:trail/x"
        )
        .unwrap_err()
        .kind(),
        ErrorKind::ChannelArnInvalid
    );
}

#[test]
fn ingestion_status_follows_attempts() {
    let setup = setup();
    let lake = &setup.lake;
    let audit = audit_store(lake, "audit");
    let created = lake
        .create_channel(&caller(), channel("one", "Custom", to(&audit.arn)))
        .unwrap();
    let mut changes = lake.subscribe();
    changes.borrow_and_update();
    let success = IngestionAttempt {
        time: Timestamp::from_secs(1_700_000_010),
        event_id: Some(String::from("11111111-1111-4111-8111-111111111111")),
        error_code: None,
    };
    lake.record_ingestion(&created.arn, success).unwrap();
    let failure = IngestionAttempt {
        time: Timestamp::from_secs(1_700_000_020),
        event_id: Some(String::from("22222222-2222-4222-8222-222222222222")),
        error_code: Some(String::from("InvalidChecksum")),
    };
    lake.record_ingestion(&created.arn, failure).unwrap();
    let status = lake
        .get_channel(&caller(), &created.id)
        .unwrap()
        .ingestion_status;
    assert_eq!(
        status.latest_ingestion_success_time,
        Some(Timestamp::from_secs(1_700_000_010))
    );
    assert_eq!(
        status.latest_ingestion_success_event_id.as_deref(),
        Some("11111111-1111-4111-8111-111111111111")
    );
    assert_eq!(
        status.latest_ingestion_error_code.as_deref(),
        Some("InvalidChecksum")
    );
    assert_eq!(
        status.latest_ingestion_attempt_time,
        Some(Timestamp::from_secs(1_700_000_020))
    );
    assert!(
        !changes.has_changed().unwrap(),
        "status reports do not wake the writer"
    );
    // A channel deleted meanwhile is not an error.
    lake.record_ingestion(
        "arn:aws:cloudtrail:us-east-1:111122223333:channel/gone",
        IngestionAttempt {
            time: Timestamp::from_secs(1_700_000_030),
            event_id: None,
            error_code: Some(String::from("ChannelNotFound")),
        },
    )
    .unwrap();
}
