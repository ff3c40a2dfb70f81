//! The index gives the same answers as a brute-force scan of the same records.

use std::sync::Arc;

use opentrail_event::{EventCategory, LookupFields, Record};
use opentrail_store::{HistoryConfig, LookupEventsInput};
use opentrail_testkit::testdata::all_fixture_records;
use opentrail_types::{SystemClock, Timestamp};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::support::{Harness, ids};

struct Indexed {
    event_id: String,
    time: Timestamp,
    seq: usize,
    category: EventCategory,
    account: Option<String>,
    values: Vec<(&'static str, String)>,
}

fn describe(record: &Record, seq: usize) -> Indexed {
    let mut values = Vec::new();
    let mut push = |key: &'static str, value: Option<&str>| {
        if let Some(value) = value.filter(|value| !value.is_empty()) {
            values.push((key, value.to_owned()));
        }
    };
    push("EventId", record.event_id.as_deref());
    push("EventName", record.lookup_event_name());
    push("EventSource", record.lookup_event_source());
    push("Username", record.lookup_username());
    push("AccessKeyId", record.lookup_access_key_id());
    push("ReadOnly", record.lookup_read_only());
    for resource in record.lookup_resources() {
        push("ResourceType", resource.resource_type.as_deref());
        push("ResourceName", Some(&resource.resource_name));
    }
    Indexed {
        event_id: record.event_id.clone().unwrap_or_default(),
        time: Timestamp::parse_event_time(record.event_time.as_deref().unwrap()).unwrap(),
        seq,
        category: EventCategory::of_record(record),
        account: record.lookup_recipient_account_id().map(str::to_owned),
        values,
    }
}

/// The expected answer, computed by scanning every record.
fn brute_force(all: &[Indexed], input: &LookupEventsInput, account: Option<&str>) -> Vec<String> {
    let insight = input.event_category.is_some();
    let mut matching: Vec<&Indexed> = all
        .iter()
        .filter(|doc| {
            if insight {
                doc.category == EventCategory::Insight
            } else {
                doc.category == EventCategory::Management
            }
        })
        .filter(|doc| account.is_none() || doc.account.as_deref() == account)
        .filter(|doc| input.start_time.is_none_or(|start| doc.time >= start))
        .filter(|doc| input.end_time.is_none_or(|end| doc.time <= end))
        .filter(|doc| {
            input.lookup_attributes.iter().all(|(key, value)| {
                doc.values.iter().any(|(doc_key, doc_value)| {
                    Some(*doc_key) == key.as_deref() && Some(doc_value) == value.as_ref()
                })
            })
        })
        .collect();
    matching.sort_by_key(|doc| std::cmp::Reverse((doc.time, doc.seq)));
    matching
        .into_iter()
        .map(|doc| doc.event_id.clone())
        .collect()
}

#[test]
fn index_matches_brute_force_on_real_records() {
    let config = HistoryConfig {
        flush_docs: 300,
        merge_fan_in: 3,
        ..HistoryConfig::default()
    };
    let harness = Harness::new(config, Arc::new(SystemClock));
    let fixtures: Vec<String> = all_fixture_records()
        .into_iter()
        .map(|fixture| fixture.json)
        // The three guide records without an eventID get a stamped one; keep the test's
        // expectations simple by leaving them out.
        .filter(|json| json.contains("\"eventID\""))
        .collect();
    for chunk in fixtures.chunks(97) {
        harness.append(chunk);
    }
    harness.history().run_maintenance().unwrap();
    let status = harness.history().status();
    assert!(status.persisted_segments >= 1, "{status:?}");

    let records: Vec<Record> = fixtures
        .iter()
        .map(|json| serde_json::from_str(json).unwrap())
        .collect();
    let all: Vec<Indexed> = records
        .iter()
        .enumerate()
        .map(|(seq, record)| describe(record, seq))
        .collect();
    let mut pool: Vec<(&'static str, String)> =
        all.iter().flat_map(|doc| doc.values.clone()).collect();
    pool.sort();
    pool.dedup();
    let mut accounts: Vec<String> = all.iter().filter_map(|doc| doc.account.clone()).collect();
    accounts.sort();
    accounts.dedup();
    assert!(accounts.len() >= 2, "the fixtures hold one account only");
    accounts.push(String::from("000000000000"));
    let times: Vec<i64> = all.iter().map(|doc| doc.time.as_secs()).collect();
    let (min_time, max_time) = (*times.iter().min().unwrap(), *times.iter().max().unwrap());

    let strategy = (
        prop::collection::vec(0..pool.len(), 0..3),
        prop::option::of(min_time - 10..max_time + 10),
        prop::option::of(0..3_600_i64 * 24 * 400),
        1..=50_i64,
        prop::bool::weighted(0.1),
        prop::option::of(0..accounts.len()),
    );
    let mut runner = TestRunner::new(Config {
        cases: 300,
        ..Config::default()
    });
    runner
        .run(&strategy, |(picks, start, span, page, insight, account)| {
            let account = account.map(|pick| accounts[pick].as_str());
            let mut input = LookupEventsInput {
                lookup_attributes: picks
                    .iter()
                    .map(|&pick| (Some(pool[pick].0.to_owned()), Some(pool[pick].1.clone())))
                    .collect(),
                start_time: start.map(Timestamp::from_secs),
                end_time: start
                    .zip(span)
                    .map(|(start, span)| Timestamp::from_secs(start + span)),
                max_results: Some(page),
                ..LookupEventsInput::default()
            };
            if insight {
                input.event_category = Some(String::from("insight"));
                input.lookup_attributes.retain(|(key, _)| {
                    matches!(
                        key.as_deref(),
                        Some("EventId" | "EventName" | "EventSource")
                    )
                });
            }
            let expected = brute_force(&all, &input, account);
            let actual = ids(&harness.lookup_all_as(account, input.clone()));
            prop_assert_eq!(actual, expected, "input {:?}, account {:?}", input, account);
            Ok(())
        })
        .unwrap();
}

#[test]
fn every_attribute_kind_finds_real_events() {
    let harness = Harness::new(HistoryConfig::default(), Arc::new(SystemClock));
    let fixtures: Vec<String> = all_fixture_records()
        .into_iter()
        .map(|fixture| fixture.json)
        .collect();
    harness.append(&fixtures);
    let cases = [
        ("EventName", "StopLogging"),
        ("EventSource", "cloudtrail.amazonaws.com"),
        ("ReadOnly", "false"),
        ("Username", "root"),
        ("ResourceType", "AWS::CloudTrail::Trail"),
        ("AccessKeyId", "AKIAGGWFBBHBE7D3M9WI"),
    ];
    for (key, value) in cases {
        let found = harness.lookup_all(crate::support::attributes(&[(key, value)]));
        assert!(!found.is_empty(), "{key}={value} found nothing");
    }
    let insights = harness.lookup_all(LookupEventsInput {
        event_category: Some(String::from("insight")),
        ..LookupEventsInput::default()
    });
    assert_eq!(insights.len(), 4);
}
