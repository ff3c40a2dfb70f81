//! GetTrailStatus, Start/StopLogging, event selectors, Insights selectors.

use opentrail_selectors::{
    AdvancedEventSelector, AdvancedFieldSelector, DataResource, EventSelector, ReadWriteType,
    SelectorConfig,
};
use opentrail_trails::{
    ErrorKind, InsightSelectorInput, InsightType, PutInsightSelectorsInput, SourceEventCategory,
    TrailLimits,
};
use opentrail_types::Timestamp;

use crate::support::{Fixture, REGION, START, arn, caller, refused};

#[test]
fn trail_status_follows_logging_and_the_delivery_reports() {
    let fixture = Fixture::new();
    let caller = caller();
    fixture.create(&caller, "status");
    let report = fixture.trails.get_trail_status(&caller, "status").unwrap();
    assert!(!report.is_logging);
    assert_eq!(report.start_logging_time, None);
    assert_eq!(report.stop_logging_time, None);
    assert_eq!(report.status, Default::default());

    fixture.clock.advance_millis(10_000);
    fixture.trails.start_logging(&caller, "status").unwrap();
    fixture.clock.advance_millis(10_000);
    fixture.trails.start_logging(&caller, "status").unwrap();
    let report = fixture.trails.get_trail_status(&caller, "status").unwrap();
    assert!(report.is_logging);
    assert_eq!(
        report.start_logging_time,
        Some(Timestamp::from_secs(START + 10)),
        "StartLogging is idempotent"
    );
    fixture.clock.advance_millis(10_000);
    fixture.trails.stop_logging(&caller, "status").unwrap();
    fixture.trails.stop_logging(&caller, "status").unwrap();
    fixture.clock.advance_millis(10_000);
    fixture.trails.start_logging(&caller, "status").unwrap();
    let report = fixture
        .trails
        .get_trail_status(&caller, &arn(REGION, "status"))
        .unwrap();
    assert!(report.is_logging);
    assert_eq!(
        report.start_logging_time,
        Some(Timestamp::from_secs(START + 40))
    );
    assert_eq!(
        report.stop_logging_time,
        Some(Timestamp::from_secs(START + 30))
    );

    fixture
        .trails
        .update_status(&arn(REGION, "status"), |status| {
            status.latest_delivery_time = Some(Timestamp::from_secs(START + 50));
            status.latest_digest_delivery_error = Some(String::from("NoSuchBucket"));
        })
        .unwrap();
    let report = fixture.trails.get_trail_status(&caller, "status").unwrap();
    assert_eq!(
        report.status.latest_delivery_time,
        Some(Timestamp::from_secs(START + 50))
    );
    assert_eq!(
        report.status.latest_digest_delivery_error.as_deref(),
        Some("NoSuchBucket")
    );
    fixture
        .trails
        .update_status(
            "arn:aws:cloudtrail:us-east-1:111122223333:trail/none",
            |_| {},
        )
        .unwrap();
}

#[test]
fn unknown_trails_in_get_trail_status_are_named_by_arn() {
    let fixture = Fixture::new();
    let caller = caller();
    assert_eq!(
        refused(
            fixture.trails.get_trail_status(&caller, "missing"),
            ErrorKind::TrailNotFound
        ),
        "Unknown trail: arn:aws:cloudtrail:us-east-1:111122223333:trail/missing for the user: 111122223333"
    );
    assert_eq!(
        refused(
            fixture.trails.get_event_selectors(&caller, "missing"),
            ErrorKind::TrailNotFound
        ),
        "Unknown trail: arn:aws:cloudtrail:us-east-1:111122223333:trail/missing for the user: 111122223333"
    );
    assert_eq!(
        refused(
            fixture.trails.start_logging(&caller, "missing"),
            ErrorKind::TrailNotFound
        ),
        "Unknown trail: missing for the user: 111122223333"
    );
    refused(
        fixture.trails.stop_logging(&caller, "missing"),
        ErrorKind::TrailNotFound,
    );
}

#[test]
fn logging_history_is_bounded_and_restarts_open_new_chains() {
    let fixture = Fixture::with_limits(TrailLimits {
        logging_history: 3,
        ..TrailLimits::default()
    });
    let caller = caller();
    fixture
        .trails
        .create_trail(
            &caller,
            opentrail_trails::CreateTrailInput {
                enable_log_file_validation: Some(true),
                ..crate::support::input("bounded")
            },
            crate::support::PROBES,
        )
        .unwrap();
    for round in 0..5 {
        fixture.clock.set(Timestamp::from_secs(START + 100 * round));
        fixture.trails.start_logging(&caller, "bounded").unwrap();
        let trail = fixture.trails.get_trail(&caller, "bounded").unwrap();
        assert_eq!(
            trail.validation_since,
            Some(Timestamp::from_secs(START + 100 * round))
        );
        fixture.clock.advance_millis(50_000);
        fixture.trails.stop_logging(&caller, "bounded").unwrap();
    }
    let trail = fixture.trails.get_trail(&caller, "bounded").unwrap();
    assert_eq!(trail.logging_history.len(), 3);
    assert_eq!(
        trail.logging_history[0].start,
        Timestamp::from_secs(START + 200)
    );
    assert_eq!(
        trail.logging_history[2].stop,
        Some(Timestamp::from_secs(START + 450))
    );
}

fn management_selector(read_only: Option<&str>) -> AdvancedEventSelector {
    let mut field_selectors = vec![AdvancedFieldSelector {
        field: String::from("eventCategory"),
        equals: Some(vec![String::from("Management")]),
        ..AdvancedFieldSelector::default()
    }];
    if let Some(value) = read_only {
        field_selectors.push(AdvancedFieldSelector {
            field: String::from("readOnly"),
            equals: Some(vec![value.to_owned()]),
            ..AdvancedFieldSelector::default()
        });
    }
    AdvancedEventSelector {
        name: Some(String::from("Management events selector")),
        field_selectors,
    }
}

#[test]
fn event_selectors_replace_the_whole_configuration() {
    let fixture = Fixture::new();
    let caller = caller();
    fixture.create(&caller, "selectors");
    let trail = fixture
        .trails
        .put_event_selectors(
            &caller,
            "selectors",
            None,
            Some(vec![management_selector(None)]),
        )
        .unwrap();
    assert!(trail.has_custom_event_selectors);
    assert!(matches!(trail.selectors, SelectorConfig::Advanced(ref list) if list.len() == 1));
    // Basic selectors with defaults left out are stored normalized; the default is not custom.
    let trail = fixture
        .trails
        .put_event_selectors(
            &caller,
            "selectors",
            Some(vec![EventSelector::default()]),
            None,
        )
        .unwrap();
    assert_eq!(trail.selectors, SelectorConfig::trail_default());
    assert!(!trail.has_custom_event_selectors);
    assert_eq!(
        fixture
            .trails
            .get_event_selectors(&caller, "selectors")
            .unwrap()
            .selectors,
        trail.selectors
    );

    let both = fixture.trails.put_event_selectors(
        &caller,
        "selectors",
        Some(Vec::new()),
        Some(Vec::new()),
    );
    refused(both, ErrorKind::InvalidEventSelectors);
    refused(
        fixture
            .trails
            .put_event_selectors(&caller, "selectors", None, None),
        ErrorKind::InvalidEventSelectors,
    );
    let six = vec![EventSelector::default(); 6];
    refused(
        fixture
            .trails
            .put_event_selectors(&caller, "selectors", Some(six), None),
        ErrorKind::InvalidEventSelectors,
    );
    refused(
        fixture
            .trails
            .put_event_selectors(&caller, "missing", None, None),
        ErrorKind::TrailNotFound,
    );
}

fn insight(kind: &str, categories: Option<&[&str]>) -> InsightSelectorInput {
    InsightSelectorInput {
        insight_type: Some(kind.to_owned()),
        event_categories: categories
            .map(|list| list.iter().map(|name| (*name).to_owned()).collect()),
    }
}

fn put_insights(
    fixture: &Fixture,
    selectors: Vec<InsightSelectorInput>,
) -> opentrail_trails::Result<opentrail_trails::Trail> {
    fixture.trails.put_insight_selectors(
        &caller(),
        PutInsightSelectorsInput {
            trail_name: Some(String::from("insights")),
            insight_selectors: selectors,
            ..PutInsightSelectorsInput::default()
        },
    )
}

#[test]
fn insight_selectors_replace_and_check_prerequisites() {
    let fixture = Fixture::new();
    let caller = caller();
    let trail = fixture.create(&caller, "insights");
    assert_eq!(
        refused(
            fixture
                .trails
                .get_insight_selectors(&caller, Some(String::from("insights")), None),
            ErrorKind::InsightNotEnabled
        ),
        format!(
            "Trail {} does not have Insights enabled. Edit the trail settings to enable Insights, and then try the operation again.",
            trail.arn
        )
    );
    let stored = put_insights(
        &fixture,
        vec![
            insight("ApiCallRateInsight", None),
            insight("ApiErrorRateInsight", Some(&["Management"])),
        ],
    )
    .unwrap();
    assert_eq!(stored.insight_selectors.len(), 2);
    assert_eq!(
        stored.insight_selectors[0].insight_type,
        InsightType::ApiCallRateInsight
    );
    assert_eq!(stored.insight_selectors[0].event_categories, None);
    assert_eq!(
        stored.insight_selectors[1].event_categories,
        Some(vec![SourceEventCategory::Management])
    );
    let replaced = put_insights(&fixture, vec![insight("ApiErrorRateInsight", None)]).unwrap();
    assert_eq!(
        replaced.insight_selectors.len(),
        1,
        "the list replaces, never appends"
    );
    assert_eq!(
        fixture
            .trails
            .get_insight_selectors(&caller, Some(String::from("insights")), None)
            .unwrap()
            .insight_selectors,
        replaced.insight_selectors
    );
    assert!(
        put_insights(&fixture, Vec::new())
            .unwrap()
            .insight_selectors
            .is_empty()
    );
    refused(
        fixture
            .trails
            .get_insight_selectors(&caller, Some(String::from("insights")), None),
        ErrorKind::InsightNotEnabled,
    );

    for bad in [
        vec![insight("ApiCallRate", None)],
        vec![InsightSelectorInput::default()],
        vec![
            insight("ApiCallRateInsight", None),
            insight("ApiCallRateInsight", None),
        ],
        vec![insight("ApiCallRateInsight", Some(&["Network"]))],
        vec![insight("ApiCallRateInsight", Some(&[]))],
        vec![insight("ApiCallRateInsight", Some(&["Data"]))],
    ] {
        refused(
            put_insights(&fixture, bad),
            ErrorKind::InvalidInsightSelectors,
        );
    }

    // Read-only management events: error-rate Insights only.
    fixture
        .trails
        .put_event_selectors(
            &caller,
            "insights",
            None,
            Some(vec![management_selector(Some("true"))]),
        )
        .unwrap();
    refused(
        put_insights(&fixture, vec![insight("ApiCallRateInsight", None)]),
        ErrorKind::InvalidInsightSelectors,
    );
    put_insights(&fixture, vec![insight("ApiErrorRateInsight", None)]).unwrap();
    // No management events at all, but data events.
    let data_only = EventSelector {
        read_write_type: Some(ReadWriteType::All),
        include_management_events: Some(false),
        data_resources: Some(vec![DataResource {
            resource_type: Some(String::from("AWS::S3::Object")),
            values: Some(vec![String::from("arn:aws:s3")]),
        }]),
        exclude_management_event_sources: None,
    };
    fixture
        .trails
        .put_event_selectors(&caller, "insights", Some(vec![data_only]), None)
        .unwrap();
    refused(
        put_insights(&fixture, vec![insight("ApiErrorRateInsight", None)]),
        ErrorKind::InvalidInsightSelectors,
    );
    put_insights(
        &fixture,
        vec![
            insight("ApiCallRateInsight", Some(&["Data"])),
            insight("ApiErrorRateInsight", Some(&["Data"])),
        ],
    )
    .unwrap();
}

#[test]
fn insight_selector_targets() {
    let fixture = Fixture::new();
    let caller = caller();
    fixture.create(&caller, "insights");
    let request = |trail: Option<&str>, store: Option<&str>, destination: Option<&str>| {
        PutInsightSelectorsInput {
            trail_name: trail.map(str::to_owned),
            insight_selectors: Vec::new(),
            event_data_store: store.map(str::to_owned),
            insights_destination: destination.map(str::to_owned),
        }
    };
    let eds = "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/abc";
    for (input, kind) in [
        (
            request(Some("insights"), Some(eds), None),
            ErrorKind::InvalidParameterCombination,
        ),
        (
            request(Some("insights"), None, Some(eds)),
            ErrorKind::InvalidParameterCombination,
        ),
        (
            request(None, None, None),
            ErrorKind::InvalidParameterCombination,
        ),
        (request(None, Some(eds), Some(eds)), ErrorKind::Unsupported),
        (
            request(Some("missing"), None, None),
            ErrorKind::TrailNotFound,
        ),
        (request(Some("x"), None, None), ErrorKind::InvalidTrailName),
    ] {
        refused(fixture.trails.put_insight_selectors(&caller, input), kind);
    }
    refused(
        fixture
            .trails
            .get_insight_selectors(&caller, None, Some(eds)),
        ErrorKind::Unsupported,
    );
    refused(
        fixture
            .trails
            .get_insight_selectors(&caller, Some(String::from("insights")), Some(eds)),
        ErrorKind::InvalidParameterCombination,
    );
    refused(
        fixture.trails.get_insight_selectors(&caller, None, None),
        ErrorKind::InvalidParameterCombination,
    );
}
