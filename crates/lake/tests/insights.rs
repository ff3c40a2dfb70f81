//! PutInsightSelectors and GetInsightSelectors on event data stores (§4.6), the
//! interplay with UpdateEventDataStore and DeleteEventDataStore, and
//! `Lake::insights_configs`.

use opentrail_lake::{
    CreateEventDataStoreInput, ErrorKind, EventDataStore, EventDataStoreInsightSelectors, Lake,
    PutInsightSelectorsInput, UpdateEventDataStoreInput,
};
use opentrail_selectors::{InsightSelectorInput, InsightType, SourceEventCategory};
use opentrail_types::Timestamp;

use crate::support::{
    ACCOUNT, REGION, START_SECS, audit_store, caller, caller_in, category, deletable, equals,
    named, selector, setup,
};

fn insight(insight_type: &str, categories: Option<&[&str]>) -> InsightSelectorInput {
    InsightSelectorInput {
        insight_type: Some(insight_type.to_owned()),
        event_categories: categories
            .map(|names| names.iter().map(|name| (*name).to_owned()).collect()),
    }
}

fn both_types() -> Vec<InsightSelectorInput> {
    vec![
        insight("ApiCallRateInsight", None),
        insight("ApiErrorRateInsight", Some(&["Management"])),
    ]
}

/// A store of kind `Insight` (deletable).
fn insight_store(lake: &Lake, name: &str) -> EventDataStore {
    lake.create_event_data_store(
        &caller(),
        CreateEventDataStoreInput {
            advanced_event_selectors: Some(category("Insight")),
            termination_protection_enabled: Some(false),
            ..named(name)
        },
    )
    .unwrap()
}

/// A store of management events with the given extra conditions (deletable).
fn management_store(lake: &Lake, name: &str, read_only: Option<&str>) -> EventDataStore {
    let mut fields = vec![equals("eventCategory", &["Management"])];
    if let Some(value) = read_only {
        fields.push(equals("readOnly", &[value]));
    }
    lake.create_event_data_store(
        &caller(),
        CreateEventDataStoreInput {
            advanced_event_selectors: Some(vec![selector(fields)]),
            termination_protection_enabled: Some(false),
            ..named(name)
        },
    )
    .unwrap()
}

fn put(
    lake: &Lake,
    source: &str,
    destination: &str,
    selectors: Vec<InsightSelectorInput>,
) -> opentrail_lake::Result<EventDataStoreInsightSelectors> {
    lake.put_insight_selectors(
        &caller(),
        PutInsightSelectorsInput {
            event_data_store: Some(source.to_owned()),
            insights_destination: Some(destination.to_owned()),
            insight_selectors: selectors,
        },
    )
}

fn refused<T: std::fmt::Debug>(result: opentrail_lake::Result<T>, kind: ErrorKind) -> String {
    let error = result.unwrap_err();
    assert_eq!(error.kind(), kind, "{error}");
    error.message()
}

#[test]
fn put_then_get_answers_the_source_destination_and_selectors() {
    let setup = setup();
    let lake = &setup.lake;
    let source = deletable(lake, "events");
    let destination = insight_store(lake, "insights");
    setup.clock.advance_millis(1_000);
    // The source by ARN, the destination by ID: both are answered as ARNs.
    let answer = put(lake, &source.arn, &destination.id, both_types()).unwrap();
    assert_eq!(answer.event_data_store_arn, source.arn);
    assert_eq!(answer.insights_destination, destination.arn);
    assert_eq!(answer.insight_selectors.len(), 2);
    assert_eq!(
        answer.insight_selectors[0].insight_type,
        InsightType::ApiCallRateInsight
    );
    assert_eq!(answer.insight_selectors[0].event_categories, None);
    assert_eq!(
        answer.insight_selectors[1].event_categories,
        Some(vec![SourceEventCategory::Management])
    );
    assert_eq!(
        lake.get_insight_selectors(&caller(), &source.id).unwrap(),
        answer
    );
    assert_eq!(
        lake.get_insight_selectors(&caller(), &source.arn).unwrap(),
        answer
    );
    // GetEventDataStore does not show Insights (AWS does not), and the store's
    // UpdatedTimestamp does not move.
    let shown = lake.get_event_data_store(&caller(), &source.arn).unwrap();
    assert_eq!(shown.updated, source.updated);
    // Replacing keeps the time Insights was turned on.
    setup.clock.advance_millis(60_000);
    put(
        lake,
        &source.id,
        &destination.arn,
        vec![insight("ApiErrorRateInsight", None)],
    )
    .unwrap();
    let configs = lake.insights_configs();
    assert_eq!(configs.len(), 1);
    assert_eq!(configs[0].insight_types, [InsightType::ApiErrorRateInsight]);
    assert_eq!(configs[0].enabled_at, Timestamp::from_secs(START_SECS + 1));
}

#[test]
fn both_stores_are_required() {
    let setup = setup();
    let lake = &setup.lake;
    let source = deletable(lake, "events");
    let destination = insight_store(lake, "insights");
    for (given_source, given_destination, selectors) in [
        (Some(&source.arn), None, both_types()),
        (Some(&source.arn), None, Vec::new()),
        (None, Some(&destination.arn), both_types()),
        (None, None, both_types()),
    ] {
        let input = PutInsightSelectorsInput {
            event_data_store: given_source.cloned(),
            insights_destination: given_destination.cloned(),
            insight_selectors: selectors,
        };
        refused(
            lake.put_insight_selectors(&caller(), input),
            ErrorKind::InvalidParameterCombination,
        );
    }
}

#[test]
fn malformed_selectors_are_refused_with_what_is_wrong() {
    let setup = setup();
    let lake = &setup.lake;
    let source = deletable(lake, "events");
    let destination = insight_store(lake, "insights");
    for (selectors, named_in_message) in [
        (vec![InsightSelectorInput::default()], "no InsightType"),
        (
            vec![insight("ApiVolumeInsight", None)],
            "`ApiVolumeInsight`",
        ),
        (
            vec![
                insight("ApiCallRateInsight", None),
                insight("ApiCallRateInsight", None),
            ],
            "`ApiCallRateInsight` is given more than once",
        ),
        (
            vec![insight("ApiCallRateInsight", Some(&[]))],
            "EventCategories is empty",
        ),
        (
            vec![insight("ApiCallRateInsight", Some(&["Network"]))],
            "`Network`",
        ),
        (
            vec![insight("ApiCallRateInsight", Some(&["Data"]))],
            "`Data` of `ApiCallRateInsight`",
        ),
        (
            vec![insight(
                "ApiErrorRateInsight",
                Some(&["Management", "Data"]),
            )],
            "Management events only",
        ),
    ] {
        let message = refused(
            put(lake, &source.arn, &destination.arn, selectors),
            ErrorKind::InvalidInsightSelectors,
        );
        assert!(
            message.contains(named_in_message),
            "`{named_in_message}` not in: {message}"
        );
    }
    refused(
        lake.get_insight_selectors(&caller(), &source.arn),
        ErrorKind::InsightNotEnabled,
    );
}

#[test]
fn the_destination_must_be_an_insight_store_and_the_source_a_cloudtrail_one() {
    let setup = setup();
    let lake = &setup.lake;
    let source = deletable(lake, "events");
    let destination = insight_store(lake, "insights");
    let other_management = deletable(lake, "more-events");
    let audit = audit_store(lake, "audit");
    let message = refused(
        put(lake, &source.arn, &other_management.arn, both_types()),
        ErrorKind::InvalidInsightSelectors,
    );
    assert!(message.contains("kind Insight"), "{message}");
    assert!(message.contains(&other_management.arn), "{message}");
    refused(
        put(lake, &source.arn, &audit.arn, both_types()),
        ErrorKind::InvalidInsightSelectors,
    );
    // The destination as source (also when turning Insights off), an audit store as
    // source.
    for wrong_source in [&destination, &audit] {
        for selectors in [both_types(), Vec::new()] {
            let message = refused(
                put(lake, &wrong_source.arn, &destination.arn, selectors),
                ErrorKind::InvalidInsightSelectors,
            );
            assert!(message.contains("logs management events"), "{message}");
        }
    }
}

#[test]
fn the_source_must_log_the_management_events_each_type_needs() {
    let setup = setup();
    let lake = &setup.lake;
    let destination = insight_store(lake, "insights");
    let read_only = management_store(lake, "reads", Some("true"));
    let write_only = management_store(lake, "writes", Some("false"));
    let data_only = lake
        .create_event_data_store(
            &caller(),
            CreateEventDataStoreInput {
                advanced_event_selectors: Some(vec![selector(vec![
                    equals("eventCategory", &["Data"]),
                    equals("resources.type", &["AWS::S3::Object"]),
                ])]),
                ..named("s3-data")
            },
        )
        .unwrap();
    let call_rate = || vec![insight("ApiCallRateInsight", None)];
    let error_rate = || vec![insight("ApiErrorRateInsight", None)];
    let message = refused(
        put(lake, &read_only.arn, &destination.arn, call_rate()),
        ErrorKind::InvalidInsightSelectors,
    );
    assert!(message.contains("write management events"), "{message}");
    put(lake, &read_only.arn, &destination.arn, error_rate()).unwrap();
    put(lake, &write_only.arn, &destination.arn, both_types()).unwrap();
    for selectors in [call_rate(), error_rate()] {
        let message = refused(
            put(lake, &data_only.arn, &destination.arn, selectors),
            ErrorKind::InvalidInsightSelectors,
        );
        assert!(message.contains(&data_only.arn), "{message}");
    }
    // One destination may serve several sources.
    assert_eq!(lake.insights_configs().len(), 2);
}

#[test]
fn unknown_stores_and_malformed_references_are_refused() {
    let setup = setup();
    let lake = &setup.lake;
    let source = deletable(lake, "events");
    let destination = insight_store(lake, "insights");
    let missing = format!("arn:aws:cloudtrail:{REGION}:{ACCOUNT}:eventdatastore/missing-store");
    let other_account = format!(
        "arn:aws:cloudtrail:{REGION}:444455556666:eventdatastore/{}",
        destination.id
    );
    for (given_source, given_destination, kind) in [
        (
            missing.as_str(),
            destination.arn.as_str(),
            ErrorKind::EventDataStoreNotFound,
        ),
        (
            source.arn.as_str(),
            missing.as_str(),
            ErrorKind::EventDataStoreNotFound,
        ),
        (
            source.arn.as_str(),
            "missing",
            ErrorKind::EventDataStoreNotFound,
        ),
        (
            "not a store!",
            destination.arn.as_str(),
            ErrorKind::EventDataStoreArnInvalid,
        ),
        (
            source.arn.as_str(),
            "arn:aws:s3:::bucket",
            ErrorKind::EventDataStoreArnInvalid,
        ),
        (
            source.arn.as_str(),
            other_account.as_str(),
            ErrorKind::EventDataStoreArnInvalid,
        ),
    ] {
        refused(
            put(lake, given_source, given_destination, both_types()),
            kind,
        );
    }
    refused(
        lake.get_insight_selectors(&caller(), &missing),
        ErrorKind::EventDataStoreNotFound,
    );
    refused(
        lake.get_insight_selectors(&caller(), "not a store!"),
        ErrorKind::EventDataStoreArnInvalid,
    );
}

#[test]
fn the_source_is_changed_from_its_home_region_only() {
    let setup = setup();
    let lake = &setup.lake;
    let source = deletable(lake, "events");
    let destination = insight_store(lake, "insights");
    let west = caller_in("us-west-2");
    let input = PutInsightSelectorsInput {
        event_data_store: Some(source.arn.clone()),
        insights_destination: Some(destination.arn.clone()),
        insight_selectors: both_types(),
    };
    refused(
        lake.put_insight_selectors(&west, input),
        ErrorKind::InvalidHomeRegion,
    );
    // Read from any region the (multi-region) source is visible in.
    put(lake, &source.arn, &destination.arn, both_types()).unwrap();
    assert_eq!(
        lake.get_insight_selectors(&west, &source.arn)
            .unwrap()
            .insights_destination,
        destination.arn
    );
}

#[test]
fn stores_pending_deletion_are_inactive() {
    let setup = setup();
    let lake = &setup.lake;
    let source = deletable(lake, "events");
    let destination = insight_store(lake, "insights");
    let deleted_source = deletable(lake, "deleted-events");
    let deleted_destination = insight_store(lake, "deleted-insights");
    lake.delete_event_data_store(&caller(), &deleted_source.arn)
        .unwrap();
    lake.delete_event_data_store(&caller(), &deleted_destination.arn)
        .unwrap();
    refused(
        put(lake, &deleted_source.arn, &destination.arn, both_types()),
        ErrorKind::InactiveEventDataStore,
    );
    refused(
        put(lake, &source.arn, &deleted_destination.arn, both_types()),
        ErrorKind::InactiveEventDataStore,
    );
}

#[test]
fn an_empty_list_turns_insights_off() {
    let setup = setup();
    let lake = &setup.lake;
    let source = deletable(lake, "events");
    let destination = insight_store(lake, "insights");
    put(lake, &source.arn, &destination.arn, both_types()).unwrap();
    let answer = put(lake, &source.arn, &destination.arn, Vec::new()).unwrap();
    assert_eq!(answer.event_data_store_arn, source.arn);
    assert_eq!(answer.insights_destination, destination.arn);
    assert!(answer.insight_selectors.is_empty());
    let message = refused(
        lake.get_insight_selectors(&caller(), &source.id),
        ErrorKind::InsightNotEnabled,
    );
    assert_eq!(
        message,
        format!(
            "Event data store {} does not have Insights enabled. Edit the event data store \
             settings to enable Insights, and then try the operation again.",
            source.arn
        )
    );
    assert!(lake.insights_configs().is_empty());
    // Turning it on again starts a new `enabled_at`.
    setup.clock.advance_millis(1_000);
    put(lake, &source.arn, &destination.arn, both_types()).unwrap();
    assert_eq!(
        lake.insights_configs()[0].enabled_at,
        Timestamp::from_secs(START_SECS + 1)
    );
}

#[test]
fn insights_configs_lists_sources_that_ingest_into_a_live_destination() {
    let setup = setup();
    let lake = &setup.lake;
    let source = deletable(lake, "events");
    let destination = insight_store(lake, "insights");
    let idle = deletable(lake, "no-insights");
    let revision = *lake.subscribe().borrow();
    put(lake, &source.arn, &destination.arn, both_types()).unwrap();
    assert!(
        *lake.subscribe().borrow() > revision,
        "changes are announced"
    );
    let configs = lake.insights_configs();
    assert_eq!(configs.len(), 1);
    let config = &configs[0];
    assert_eq!(config.source_store_arn, source.arn);
    assert_eq!(config.source_store_id, source.id);
    assert_eq!(config.account_id, ACCOUNT);
    assert_eq!(config.home_region, REGION);
    assert!(config.multi_region);
    assert_eq!(config.destination_store_id, destination.id);
    assert_eq!(config.destination_store_arn, destination.arn);
    assert_eq!(
        config.insight_types,
        [
            InsightType::ApiCallRateInsight,
            InsightType::ApiErrorRateInsight
        ]
    );
    assert!(
        configs
            .iter()
            .all(|config| config.source_store_id != idle.id)
    );

    // A stopped source is left out until it ingests again.
    lake.stop_event_data_store_ingestion(&caller(), &source.arn)
        .unwrap();
    assert!(lake.insights_configs().is_empty());
    lake.start_event_data_store_ingestion(&caller(), &source.arn)
        .unwrap();
    assert_eq!(lake.insights_configs().len(), 1);

    // A deleted source: left out; restored: back.
    lake.delete_event_data_store(&caller(), &source.arn)
        .unwrap();
    assert!(lake.insights_configs().is_empty());
    assert_eq!(
        lake.get_insight_selectors(&caller(), &source.arn)
            .unwrap()
            .insight_selectors
            .len(),
        2,
        "a store pending deletion still answers"
    );
    lake.restore_event_data_store(&caller(), &source.arn)
        .unwrap();
    assert_eq!(lake.insights_configs().len(), 1);
}

#[test]
fn a_deleted_destination_is_still_named_but_no_longer_fed() {
    let setup = setup();
    let lake = &setup.lake;
    let source = deletable(lake, "events");
    let destination = insight_store(lake, "insights");
    put(lake, &source.arn, &destination.arn, both_types()).unwrap();
    lake.delete_event_data_store(&caller(), &destination.arn)
        .unwrap();
    assert!(lake.insights_configs().is_empty());
    let answer = lake.get_insight_selectors(&caller(), &source.arn).unwrap();
    assert_eq!(answer.insights_destination, destination.arn);
    // Purged: still named.
    let purged = lake
        .purge_expired(Timestamp::from_secs(START_SECS + 8 * 86_400))
        .unwrap();
    assert_eq!(purged, vec![destination.id.clone()]);
    assert_eq!(
        lake.get_insight_selectors(&caller(), &source.arn)
            .unwrap()
            .insights_destination,
        destination.arn
    );
    assert!(lake.insights_configs().is_empty());
    // A new destination feeds it again.
    let replacement = insight_store(lake, "new-insights");
    put(lake, &source.arn, &replacement.arn, both_types()).unwrap();
    assert_eq!(
        lake.insights_configs()[0].destination_store_id,
        replacement.id
    );
}

#[test]
fn updated_selectors_must_keep_the_insights_prerequisites() {
    let setup = setup();
    let lake = &setup.lake;
    let source = deletable(lake, "events");
    let destination = insight_store(lake, "insights");
    let update = |read_only: &str| UpdateEventDataStoreInput {
        event_data_store: source.arn.clone(),
        advanced_event_selectors: Some(vec![selector(vec![
            equals("eventCategory", &["Management"]),
            equals("readOnly", &[read_only]),
        ])]),
        ..UpdateEventDataStoreInput::default()
    };
    put(lake, &source.arn, &destination.arn, both_types()).unwrap();
    let message = refused(
        lake.update_event_data_store(&caller(), update("true")),
        ErrorKind::InvalidInsightSelectors,
    );
    assert!(message.contains("ApiCallRateInsight"), "{message}");
    // Error rate alone is content with read events.
    put(
        lake,
        &source.arn,
        &destination.arn,
        vec![insight("ApiErrorRateInsight", None)],
    )
    .unwrap();
    lake.update_event_data_store(&caller(), update("true"))
        .unwrap();
    // Without Insights, any selectors of the kind go.
    put(lake, &source.arn, &destination.arn, Vec::new()).unwrap();
    lake.update_event_data_store(&caller(), update("true"))
        .unwrap();
}
