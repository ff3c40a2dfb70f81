//! Every record in `testdata/` parses, passes validation and round-trips losslessly.

use opentrail_event::{
    Event, EventCategory, IndexView, LookupFields, Record, RecordLimits, record_to_json,
};
use opentrail_testkit::testdata::all_fixture_records;
use opentrail_types::json_text;

#[test]
fn every_fixture_record_round_trips_losslessly() {
    let records = all_fixture_records();
    assert!(
        records.len() >= 1_970,
        "expected all fixture records, found {}",
        records.len()
    );
    for fixture in &records {
        let original: serde_json::Value = serde_json::from_str(&fixture.json).unwrap();
        let record: Record = serde_json::from_str(&fixture.json)
            .unwrap_or_else(|error| panic!("{}: {error}", fixture.origin));
        let written = record_to_json(&record);
        let reparsed: serde_json::Value = serde_json::from_slice(&written).unwrap();
        assert_eq!(
            original, reparsed,
            "{} changed in a round trip",
            fixture.origin
        );
        // And a second trip gives the same bytes: the writer is deterministic.
        let again: Record = serde_json::from_slice(&written).unwrap();
        assert_eq!(record_to_json(&again), written, "{}", fixture.origin);
    }
}

#[test]
fn every_fixture_record_passes_validation() {
    for fixture in all_fixture_records() {
        let compact = json_text::compact(&fixture.json).into_bytes();
        let event = Event::parse(&compact, &RecordLimits::STANDARD)
            .unwrap_or_else(|error| panic!("{}: {error}", fixture.origin));
        assert_eq!(
            event.time().format_event_time(),
            event.record().event_time.clone().unwrap(),
            "{}",
            fixture.origin
        );
    }
}

#[test]
fn typed_fields_are_reachable_on_real_records() {
    let mut sessions = 0;
    let mut tls = 0;
    let mut insights = 0;
    for fixture in all_fixture_records() {
        let record: Record = serde_json::from_str(&fixture.json).unwrap();
        if let Some(context) = record
            .user_identity
            .as_ref()
            .and_then(|u| u.session_context.as_ref())
        {
            let attributes = context.attributes.as_ref().unwrap();
            assert!(matches!(
                attributes.mfa_authenticated.as_deref(),
                Some("true" | "false")
            ));
            sessions += 1;
        }
        if record
            .tls_details
            .as_ref()
            .and_then(|t| t.tls_version.as_ref())
            .is_some()
        {
            tls += 1;
        }
        if EventCategory::of_record(&record) == EventCategory::Insight {
            let details = record.insight_details.as_ref().unwrap();
            let statistics = details
                .insight_context
                .as_ref()
                .unwrap()
                .statistics
                .as_ref()
                .unwrap();
            let insight = statistics
                .insight
                .as_ref()
                .unwrap()
                .average
                .as_ref()
                .unwrap();
            assert!(insight.as_f64().unwrap() > 0.0);
            insights += 1;
        }
    }
    assert!(sessions >= 400, "{sessions}");
    assert!(tls >= 1_600, "{tls}");
    assert_eq!(insights, 4);
}

#[test]
fn known_members_are_not_left_in_extra_on_real_records() {
    // Real records use only documented members at the top level; anything in `extra`
    // there would mean the model misses a field.
    for fixture in all_fixture_records() {
        let record: Record = serde_json::from_str(&fixture.json).unwrap();
        let unknown: Vec<&str> = record.extra.iter().map(|(key, _)| key).collect();
        assert!(
            unknown.is_empty(),
            "{}: unmodelled members {unknown:?}",
            fixture.origin
        );
    }
}

#[test]
fn the_index_view_derives_what_the_full_record_derives() {
    for fixture in all_fixture_records() {
        let record: Record = serde_json::from_str(&fixture.json).unwrap();
        let view = IndexView::parse(fixture.json.as_bytes()).unwrap();
        let origin = &fixture.origin;
        assert_eq!(
            view.lookup_event_name(),
            record.lookup_event_name(),
            "{origin}"
        );
        assert_eq!(
            view.lookup_event_source(),
            record.lookup_event_source(),
            "{origin}"
        );
        assert_eq!(view.lookup_username(), record.lookup_username(), "{origin}");
        assert_eq!(
            view.lookup_access_key_id(),
            record.lookup_access_key_id(),
            "{origin}"
        );
        assert_eq!(
            view.lookup_resources(),
            record.lookup_resources(),
            "{origin}"
        );
        assert_eq!(
            view.category(),
            EventCategory::of_record(&record),
            "{origin}"
        );
        assert_eq!(view.read_only_member(), record.read_only, "{origin}");
        assert_eq!(
            view.event_id.as_deref(),
            record.event_id.as_deref(),
            "{origin}"
        );
        assert_eq!(
            view.event_time.as_deref(),
            record.event_time.as_deref(),
            "{origin}"
        );
        let event = Event::parse(
            &json_text::compact(&fixture.json).into_bytes(),
            &RecordLimits::STANDARD,
        )
        .unwrap();
        assert_eq!(view.lookup_keys().unwrap(), event.lookup_keys(), "{origin}");
    }
}

#[test]
fn minifying_real_records_equals_compact_serialization() {
    for fixture in all_fixture_records() {
        let value: serde_json::Value = serde_json::from_str(&fixture.json).unwrap();
        let minified: serde_json::Value =
            serde_json::from_slice(&json_text::compact(&fixture.json).into_bytes()).unwrap();
        assert_eq!(minified, value, "{}", fixture.origin);
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        assert_eq!(
            json_text::compact(&pretty).into_bytes(),
            serde_json::to_vec(&value).unwrap(),
            "{}",
            fixture.origin
        );
    }
}
