//! LookupEvents semantics on hand-made records.

use std::sync::Arc;

use opentrail_event::EventCategory;
use opentrail_store::{HistoryConfig, LookupEventsInput, LookupQuery};
use opentrail_testkit::records::management_event;
use opentrail_types::{SystemClock, Timestamp};
use serde_json::json;

use crate::support::{Harness, attributes, ids};

fn event(id: &str, time: &str, name: &str, user: &str) -> String {
    management_event(id, time, "iam.amazonaws.com", name, user).to_string()
}

#[test]
fn results_are_newest_first_and_time_bounds_are_inclusive() {
    let harness = Harness::new(HistoryConfig::default(), Arc::new(SystemClock));
    harness.append(&[
        event("a", "2026-03-01T00:00:00Z", "GetUser", "alice"),
        event("b", "2026-03-03T00:00:00Z", "GetUser", "alice"),
        event("c", "2026-03-02T00:00:00Z", "GetUser", "alice"),
    ]);
    assert_eq!(
        ids(&harness.lookup_all(LookupEventsInput::default())),
        ["b", "c", "a"]
    );
    let bounded = LookupEventsInput {
        start_time: Some(Timestamp::parse_event_time("2026-03-01T00:00:00Z").unwrap()),
        end_time: Some(Timestamp::parse_event_time("2026-03-02T00:00:00Z").unwrap()),
        ..LookupEventsInput::default()
    };
    assert_eq!(ids(&harness.lookup_all(bounded)), ["c", "a"]);
}

#[test]
fn several_attributes_are_anded() {
    let harness = Harness::new(HistoryConfig::default(), Arc::new(SystemClock));
    harness.append(&[
        event("a", "2026-03-01T00:00:00Z", "GetUser", "alice"),
        event("b", "2026-03-01T00:00:01Z", "GetUser", "bob"),
        event("c", "2026-03-01T00:00:02Z", "DeleteUser", "alice"),
    ]);
    let both = attributes(&[("EventName", "GetUser"), ("Username", "alice")]);
    assert_eq!(ids(&harness.lookup_all(both)), ["a"]);
    let contradictory = attributes(&[("ReadOnly", "true"), ("ReadOnly", "false")]);
    assert!(harness.lookup_all(contradictory).is_empty());
    let case_sensitive = attributes(&[("EventName", "getuser")]);
    assert!(harness.lookup_all(case_sensitive).is_empty());
}

#[test]
fn error_codes_and_source_addresses_are_lookup_extensions() {
    let harness = Harness::new(HistoryConfig::default(), Arc::new(SystemClock));
    let mut failed = management_event(
        "a",
        "2026-03-01T00:00:00Z",
        "iam.amazonaws.com",
        "GetUser",
        "alice",
    );
    failed["errorCode"] = json!("AccessDenied");
    failed["sourceIPAddress"] = json!("192.0.2.1");
    let mut other = management_event(
        "b",
        "2026-03-01T00:00:01Z",
        "iam.amazonaws.com",
        "GetUser",
        "bob",
    );
    other["sourceIPAddress"] = json!("192.0.2.1");
    harness.append(&[failed.to_string(), other.to_string()]);
    assert_eq!(
        ids(&harness.lookup_all(attributes(&[("ErrorCode", "AccessDenied")]))),
        ["a"]
    );
    assert_eq!(
        ids(&harness.lookup_all(attributes(&[("SourceIPAddress", "192.0.2.1")]))),
        ["b", "a"]
    );
    assert_eq!(
        ids(&harness.lookup_all(attributes(&[
            ("SourceIPAddress", "192.0.2.1"),
            ("Username", "bob")
        ]))),
        ["b"]
    );
    // CloudTrail's keys are the ones the error names.
    let unknown = LookupQuery::from_input(&attributes(&[("Nope", "x")])).unwrap_err();
    assert!(
        unknown.to_string().contains("EventId, EventName"),
        "{unknown}"
    );
}

#[test]
fn response_fields_are_derived_from_the_record() {
    let harness = Harness::new(HistoryConfig::default(), Arc::new(SystemClock));
    let mut record = management_event(
        "e-1",
        "2026-03-01T10:00:00Z",
        "s3.amazonaws.com",
        "CreateBucket",
        "alice",
    );
    record["readOnly"] = json!(false);
    record["requestParameters"] = json!({"bucketName": "audit-logs"});
    let text = record.to_string();
    harness.append(std::slice::from_ref(&text));
    let found = harness.lookup_all(attributes(&[("ResourceName", "audit-logs")]));
    assert_eq!(found.len(), 1);
    let event = &found[0];
    assert_eq!(event.event_name.as_deref(), Some("CreateBucket"));
    assert_eq!(event.event_source.as_deref(), Some("s3.amazonaws.com"));
    assert_eq!(event.read_only.as_deref(), Some("false"));
    assert_eq!(event.username.as_deref(), Some("alice"));
    assert_eq!(event.access_key_id.as_deref(), Some("AKIA0000000000000005"));
    assert_eq!(
        event.event_time,
        Timestamp::parse_event_time("2026-03-01T10:00:00Z").unwrap()
    );
    assert_eq!(
        event.resources[0].resource_type.as_deref(),
        Some("AWS::S3::Bucket")
    );
    let stored: serde_json::Value = serde_json::from_str(&event.cloudtrail_event).unwrap();
    assert_eq!(stored, record);
    assert!(!event.cloudtrail_event.contains('\n'));
}

#[test]
fn event_id_lookups_find_exactly_that_event() {
    let harness = Harness::new(HistoryConfig::default(), Arc::new(SystemClock));
    let records: Vec<String> = (0..200)
        .map(|index| {
            event(
                &format!("id-{index}"),
                "2026-03-01T00:00:00Z",
                "GetUser",
                "alice",
            )
        })
        .collect();
    harness.append(&records);
    assert_eq!(
        ids(&harness.lookup_all(attributes(&[("EventId", "id-137")]))),
        ["id-137"]
    );
    assert!(
        harness
            .lookup_all(attributes(&[("EventId", "id-999")]))
            .is_empty()
    );
    assert!(
        harness
            .lookup_all(attributes(&[("EventId", "id-1"), ("EventId", "id-2")]))
            .is_empty()
    );
}

#[test]
fn data_and_network_events_are_left_out_unless_configured() {
    let data = json!({"eventTime":"2026-03-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","eventID":"data-1","managementEvent":false,"eventCategory":"Data","readOnly":true}).to_string();
    let network = json!({"eventTime":"2026-03-01T00:00:01Z","eventSource":"kms.amazonaws.com","eventName":"Decrypt","eventID":"net-1","eventType":"AwsVpceEvent","eventCategory":"NetworkActivity","errorCode":"VpceAccessDenied"}).to_string();
    let management = event("mgmt-1", "2026-03-01T00:00:02Z", "GetUser", "alice");
    let records = [data, network, management];

    let default = Harness::new(HistoryConfig::default(), Arc::new(SystemClock));
    default.append(&records);
    assert_eq!(
        ids(&default.lookup_all(LookupEventsInput::default())),
        ["mgmt-1"]
    );

    let config = HistoryConfig {
        categories: vec![
            EventCategory::Management,
            EventCategory::Data,
            EventCategory::NetworkActivity,
        ],
        ..HistoryConfig::default()
    };
    let wide = Harness::new(config, Arc::new(SystemClock));
    wide.append(&records);
    assert_eq!(
        ids(&wide.lookup_all(LookupEventsInput::default())),
        ["mgmt-1", "net-1", "data-1"]
    );
    assert_eq!(
        ids(&wide.lookup_all(attributes(&[("EventSource", "kms.amazonaws.com")]))),
        ["net-1"]
    );
}

#[test]
fn insights_are_returned_only_for_the_insight_category() {
    let harness = Harness::new(HistoryConfig::default(), Arc::new(SystemClock));
    let insight = json!({"eventVersion":"1.08","eventTime":"2026-03-05T02:14:00Z","awsRegion":"us-east-1","eventID":"ins-1","eventType":"AwsCloudTrailInsight","sharedEventID":"s-1","insightDetails":{"state":"Start","eventSource":"ec2.amazonaws.com","eventName":"TerminateInstances","insightType":"ApiCallRateInsight"},"eventCategory":"Insight"}).to_string();
    harness.append(&[
        insight,
        event("m-1", "2026-03-05T02:14:00Z", "TerminateInstances", "alice"),
    ]);
    assert_eq!(
        ids(&harness.lookup_all(attributes(&[("EventName", "TerminateInstances")]))),
        ["m-1"]
    );
    let mut input = attributes(&[("EventName", "TerminateInstances")]);
    input.event_category = Some(String::from("insight"));
    let found = harness.lookup_all(input);
    assert_eq!(ids(&found), ["ins-1"]);
    assert_eq!(found[0].event_source.as_deref(), Some("ec2.amazonaws.com"));
}

#[test]
fn paging_is_stable_while_events_keep_arriving() {
    let harness = Harness::new(HistoryConfig::default(), Arc::new(SystemClock));
    let old: Vec<String> = (0..120)
        .map(|index| {
            event(
                &format!("old-{index:03}"),
                &format!("2026-03-01T00:{:02}:{:02}Z", index / 60, index % 60),
                "GetUser",
                "alice",
            )
        })
        .collect();
    harness.append(&old);
    let mut input = LookupEventsInput {
        max_results: Some(25),
        ..LookupEventsInput::default()
    };
    let mut seen = Vec::new();
    let mut round = 0;
    loop {
        let page = harness
            .history()
            .lookup_events(&LookupQuery::from_input(&input).unwrap())
            .unwrap();
        seen.extend(ids(&page.events));
        // Newer and older events arrive between pages: neither may show up, nor disturb.
        harness.append(&[
            event(
                &format!("new-{round}"),
                "2026-03-09T00:00:00Z",
                "GetUser",
                "alice",
            ),
            event(
                &format!("older-{round}"),
                "2026-02-01T00:00:00Z",
                "GetUser",
                "alice",
            ),
        ]);
        round += 1;
        match page.next_token {
            Some(token) => input.next_token = Some(token),
            None => break,
        }
    }
    let mut expected: Vec<String> = (0..120)
        .rev()
        .map(|index| format!("old-{index:03}"))
        .collect();
    expected.dedup();
    assert_eq!(seen, expected);
}

#[test]
fn tokens_survive_a_restart() {
    let mut harness = Harness::new(HistoryConfig::default(), Arc::new(SystemClock));
    let records: Vec<String> = (0..30)
        .map(|index| {
            event(
                &format!("e-{index:02}"),
                &format!("2026-03-01T00:00:{index:02}Z"),
                "GetUser",
                "alice",
            )
        })
        .collect();
    harness.append(&records);
    let input = LookupEventsInput {
        max_results: Some(10),
        ..LookupEventsInput::default()
    };
    let first = harness
        .history()
        .lookup_events(&LookupQuery::from_input(&input).unwrap())
        .unwrap();
    harness.restart();
    let second_input = LookupEventsInput {
        next_token: first.next_token.clone(),
        ..input
    };
    let second = harness
        .history()
        .lookup_events(&LookupQuery::from_input(&second_input).unwrap())
        .unwrap();
    assert_eq!(ids(&second.events)[0], "e-19");
}

#[test]
fn changing_the_indexed_categories_rebuilds_the_index() {
    let data = json!({"eventTime":"2026-03-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","eventID":"data-1","managementEvent":false,"eventCategory":"Data"}).to_string();
    let mut harness = Harness::new(
        HistoryConfig {
            flush_docs: 1,
            ..HistoryConfig::default()
        },
        Arc::new(SystemClock),
    );
    harness.append(&[
        data,
        event("m-1", "2026-03-01T00:00:01Z", "GetUser", "alice"),
    ]);
    harness.restart();
    assert_eq!(
        ids(&harness.lookup_all(LookupEventsInput::default())),
        ["m-1"]
    );
    harness.config.categories = vec![EventCategory::Management, EventCategory::Data];
    harness.restart();
    assert_eq!(
        ids(&harness.lookup_all(LookupEventsInput::default())),
        ["m-1", "data-1"]
    );
}
