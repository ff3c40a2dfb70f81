//! `stores.json` and `channels.json` survive a reopen, and damage is reported.

use std::path::Path;
use std::sync::Arc;

use opentrail_lake::{
    CHANNELS_FILE, CreateChannelInput, CreateEventDataStoreInput, DestinationInput, ErrorKind,
    IngestionAttempt, Lake, LakeLimits, PutInsightSelectorsInput, STORES_FILE,
};
use opentrail_selectors::InsightSelectorInput;
use opentrail_types::{ManualClock, SeededIds, Timestamp};

use crate::support::{START_SECS, audit_store, caller, category, deletable, named, reopen, setup};

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
    assert_eq!(file["version"], 2);
    assert_eq!(file["event_data_stores"][0]["status"], "STOPPED_INGESTION");
    assert_eq!(
        file["event_data_stores"][0]["insights"],
        serde_json::Value::Null
    );
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
            r#"{"version":3,"revision":0,"event_data_stores":[]}"#,
        ),
        (CHANNELS_FILE, r#"{"version":1}"#),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), content).unwrap();
        let error = Lake::open(
            dir.path(),
            Arc::new(opentrail_types::SystemClock),
            Arc::new(opentrail_types::RandomIds),
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

#[test]
fn insights_selectors_survive_a_reopen() {
    let setup = setup();
    let lake = &setup.lake;
    let source = deletable(lake, "events");
    let destination = lake
        .create_event_data_store(
            &caller(),
            CreateEventDataStoreInput {
                advanced_event_selectors: Some(category("Insight")),
                ..named("insights")
            },
        )
        .unwrap();
    let answer = lake
        .put_insight_selectors(
            &caller(),
            PutInsightSelectorsInput {
                event_data_store: Some(source.id.clone()),
                insights_destination: Some(destination.id.clone()),
                insight_selectors: vec![
                    InsightSelectorInput {
                        insight_type: Some(String::from("ApiCallRateInsight")),
                        event_categories: None,
                    },
                    InsightSelectorInput {
                        insight_type: Some(String::from("ApiErrorRateInsight")),
                        event_categories: Some(vec![String::from("Management")]),
                    },
                ],
            },
        )
        .unwrap();
    let configs = lake.insights_configs();
    let reopened = reopen(&setup);
    assert_eq!(
        reopened
            .get_insight_selectors(&caller(), &source.arn)
            .unwrap(),
        answer
    );
    assert_eq!(reopened.insights_configs(), configs);
    let text = std::fs::read_to_string(setup.dir.path().join(STORES_FILE)).unwrap();
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["version"], 2);
    let insights = &file["event_data_stores"][0]["insights"];
    assert_eq!(insights["insights_destination"], destination.arn.as_str());
    assert_eq!(
        insights["insight_selectors"],
        serde_json::json!([
            {"insight_type": "ApiCallRateInsight", "event_categories": null},
            {"insight_type": "ApiErrorRateInsight", "event_categories": ["Management"]},
        ])
    );
    assert_eq!(insights["enabled_at"], START_SECS * 1000);
    assert_eq!(
        file["event_data_stores"][1]["insights"],
        serde_json::Value::Null
    );
}

/// A version 1 `stores.json` (written before Insights existed) is read with Insights off,
/// as `stores-v1.expected.json` says (STYLE.md: persisted-state compatibility), and the
/// next change writes version 2. Regenerate the fixture only when adding a new version.
#[test]
fn version_1_stores_file_reads_with_insights_off() {
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testdata");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        testdata.join("stores-v1.json"),
        dir.path().join(STORES_FILE),
    )
    .unwrap();
    let clock = ManualClock::new(Timestamp::from_secs(START_SECS));
    let lake = Lake::open(
        dir.path(),
        Arc::new(clock),
        Arc::new(SeededIds::new(9)),
        LakeLimits::default(),
    )
    .unwrap();
    let stores = lake.list_event_data_stores(&caller(), None, None).unwrap();
    assert!(
        stores
            .event_data_stores
            .iter()
            .all(|store| store.insights.is_none())
    );
    assert!(lake.insights_configs().is_empty());
    let read = serde_json::to_string_pretty(&stores.event_data_stores).unwrap() + "\n";
    opentrail_testkit::golden::assert_golden(&testdata.join("stores-v1.expected.json"), &read);
    let first = &stores.event_data_stores[0];
    assert_eq!(
        lake.get_insight_selectors(&caller(), &first.arn)
            .unwrap_err()
            .kind(),
        ErrorKind::InsightNotEnabled
    );
    lake.create_event_data_store(&caller(), named("after-upgrade"))
        .unwrap();
    let text = std::fs::read_to_string(dir.path().join(STORES_FILE)).unwrap();
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["version"], 2);
    assert_eq!(file["event_data_stores"].as_array().unwrap().len(), 3);
}
