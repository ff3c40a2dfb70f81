//! `stores.json` and `channels.json` survive a reopen, and damage is reported.

use opentrail_lake::{
    CHANNELS_FILE, CreateChannelInput, DestinationInput, ErrorKind, IngestionAttempt, Lake,
    LakeLimits, STORES_FILE,
};
use opentrail_types::Timestamp;

use crate::support::{audit_store, caller, deletable, reopen, setup};

#[test]
fn stores_and_channels_survive_a_reopen() {
    let setup = setup();
    let lake = &setup.lake;
    let store = deletable(lake, "events");
    lake.stop_event_data_store_ingestion(&caller(), &store.arn)
        .unwrap();
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
                tags: Vec::new(),
            },
        )
        .unwrap();
    lake.record_ingestion(
        &channel.arn,
        IngestionAttempt {
            time: Timestamp::from_secs(1_700_000_100),
            event_id: Some(String::from("3f1e9c8a-2b47-4d6e-9a15-7c0b2e4d8f61")),
            error_code: None,
        },
    )
    .unwrap();
    let stores_before = lake.list_event_data_stores(&caller(), None, None).unwrap();
    let channel_before = lake.get_channel(&caller(), &channel.arn).unwrap();
    let reopened = reopen(&setup);
    assert_eq!(
        reopened
            .list_event_data_stores(&caller(), None, None)
            .unwrap(),
        stores_before
    );
    assert_eq!(
        reopened.get_channel(&caller(), &channel.id).unwrap(),
        channel_before
    );
    assert!(setup.dir.path().join(STORES_FILE).is_file());
    assert!(setup.dir.path().join(CHANNELS_FILE).is_file());
    let text = std::fs::read_to_string(setup.dir.path().join(STORES_FILE)).unwrap();
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["version"], 1);
    assert_eq!(file["event_data_stores"][0]["status"], "STOPPED_INGESTION");
    assert_eq!(
        file["event_data_stores"][0]["billing_mode"],
        "EXTENDABLE_RETENTION_PRICING"
    );
    assert_eq!(
        file["event_data_stores"][0]["advanced_event_selectors"][0]["FieldSelectors"][0]["Field"],
        "eventCategory"
    );
}

#[test]
fn damaged_or_future_files_are_refused() {
    for (name, content) in [
        (STORES_FILE, "{not json"),
        (
            STORES_FILE,
            r#"{"version":2,"revision":0,"event_data_stores":[]}"#,
        ),
        (CHANNELS_FILE, r#"{"version":1}"#),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), content).unwrap();
        let error = Lake::open(
            dir.path(),
            std::sync::Arc::new(opentrail_types::SystemClock),
            std::sync::Arc::new(opentrail_types::RandomIds),
            LakeLimits::default(),
        )
        .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Corrupt, "{name}: {content}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join(name)).unwrap(),
            content
        );
    }
}
