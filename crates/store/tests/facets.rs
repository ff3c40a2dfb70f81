//! Facets and histograms (`History::facets`, `History::histogram`) count exactly what
//! unpaged lookups over the same range return: checked against those lookups for many
//! ranges, accounts and bucket widths, with events spread over segment files and memory.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use opentrail_event::{EventCategory, LookupFields, Record};
use opentrail_store::{
    AggregateErrorKind, FacetCount, FacetField, FacetRequest, Facets, FieldFacets, HistogramBucket,
    HistogramRequest, HistoryConfig, LookupEvent, LookupEventsInput, MAX_FACET_TOP,
    MAX_HISTOGRAM_BUCKETS,
};
use opentrail_testkit::records::management_event;
use opentrail_types::{ManualClock, SystemClock, Timestamp};
use serde_json::json;

use crate::support::Harness;

const ACCOUNT_A: &str = "111122223333";
const ACCOUNT_B: &str = "444455556666";
const BASE: &str = "2026-03-01T00:00:00Z";

fn base_ms() -> i64 {
    Timestamp::parse_event_time(BASE).unwrap().as_millis()
}

/// Event `index`: two events per minute, accounts, names, users, error codes, source
/// addresses and `readOnly` values cycling at different rates (some empty or absent).
fn event(index: usize) -> String {
    let time = Timestamp::from_millis(base_ms() + (index / 2) as i64 * 60_000);
    let users = ["alice", "bob", "carol", "dave"];
    let mut record = management_event(
        &format!("e-{index:03}"),
        &time.format_event_time(),
        ["s3.amazonaws.com", "iam.amazonaws.com"][index % 2],
        ["CreateBucket", "GetUser", "DescribeInstances"][index % 3],
        users[index % 4],
    );
    let object = record.as_object_mut().unwrap();
    match [
        Some(ACCOUNT_A),
        Some(ACCOUNT_A),
        Some(ACCOUNT_B),
        Some(ACCOUNT_A),
        None,
        Some(ACCOUNT_B),
    ][index % 6]
    {
        Some(account) => {
            object.insert("recipientAccountId".into(), json!(account));
        }
        None => {
            object.remove("recipientAccountId");
        }
    }
    match index % 5 {
        0 => {
            object.insert("errorCode".into(), json!("AccessDenied"));
        }
        1 => {
            object.insert("errorCode".into(), json!("ThrottlingException"));
        }
        _ if index % 7 == 3 => {
            object.insert("errorCode".into(), json!(""));
        }
        _ => {}
    }
    match index % 9 {
        4 => {
            object.insert("sourceIPAddress".into(), json!(""));
        }
        8 => {
            object.remove("sourceIPAddress");
        }
        _ => {
            object.insert(
                "sourceIPAddress".into(),
                json!(format!("203.0.113.{}", index % 7)),
            );
        }
    }
    match index % 3 {
        0 => {
            object.insert("readOnly".into(), json!(true));
        }
        1 => {
            object.insert("readOnly".into(), json!(false));
        }
        _ => {
            object.remove("readOnly");
        }
    }
    if index % 8 == 5 {
        object.insert("eventCategory".into(), json!("Data"));
        object.insert("managementEvent".into(), json!(false));
    }
    record.to_string()
}

/// An Insights event at minute `minute`, whose event name appears nowhere else.
fn insight_event(id: &str, minute: i64, account: &str) -> String {
    json!({
        "eventVersion": "1.08",
        "eventTime": Timestamp::from_millis(base_ms() + minute * 60_000).format_event_time(),
        "awsRegion": "us-east-1",
        "eventID": id,
        "eventType": "AwsCloudTrailInsight",
        "recipientAccountId": account,
        "sharedEventID": format!("shared-{id}"),
        "sourceIPAddress": "insights.example",
        "insightDetails": {
            "state": "Start",
            "eventSource": "s3.amazonaws.com",
            "eventName": "OnlyInInsights",
            "insightType": "ApiCallRateInsight"
        },
        "eventCategory": "Insight"
    })
    .to_string()
}

const EVENTS: usize = 60;

/// A history holding [`EVENTS`] events over 30 minutes and four Insights events, in two
/// segment files and in memory.
fn harness(attach_keys: bool) -> Harness {
    let config = HistoryConfig {
        categories: vec![EventCategory::Management, EventCategory::Data],
        ..HistoryConfig::default()
    };
    let harness = Harness::new(config, Arc::new(SystemClock));
    let append = |records: &[String]| {
        if attach_keys {
            harness.append_with_keys(records);
        } else {
            harness.append(records);
        }
    };
    let all: Vec<String> = (0..EVENTS).map(event).collect();
    append(&all[..20]);
    harness.history().flush_now().unwrap();
    let mut middle = all[20..40].to_vec();
    middle.push(insight_event("ins-1", 12, ACCOUNT_A));
    middle.push(insight_event("ins-2", 14, ACCOUNT_B));
    append(&middle);
    harness.history().flush_now().unwrap();
    let mut last = all[40..].to_vec();
    last.push(insight_event("ins-3", 25, ACCOUNT_A));
    last.push(insight_event("ins-4", 29, ACCOUNT_A));
    append(&last);
    let status = harness.history().status();
    assert!(
        status.persisted_segments >= 2 && status.memory_segments >= 1,
        "{status:?}"
    );
    harness
}

/// Every event an unpaged lookup over `start..=end` returns to `account`, as records.
fn looked_up(
    harness: &Harness,
    account: Option<&str>,
    start: i64,
    end: i64,
    insights: bool,
) -> Vec<(Record, LookupEvent)> {
    let input = LookupEventsInput {
        start_time: Some(Timestamp::from_millis(start)),
        end_time: Some(Timestamp::from_millis(end)),
        event_category: insights.then(|| String::from("insight")),
        ..LookupEventsInput::default()
    };
    harness
        .lookup_all_as(account, input)
        .into_iter()
        .map(|event| {
            (
                serde_json::from_str(&event.cloudtrail_event).unwrap(),
                event,
            )
        })
        .collect()
}

fn field_value(record: &Record, field: FacetField) -> Option<String> {
    let value = match field {
        FacetField::EventName => record.lookup_event_name(),
        FacetField::EventSource => record.lookup_event_source(),
        FacetField::Username => record.lookup_username(),
        FacetField::ErrorCode => record.lookup_error_code(),
        FacetField::SourceIp => record.lookup_source_ip(),
        FacetField::AccessKeyId => record.lookup_access_key_id(),
    };
    value.map(str::to_owned)
}

/// The facets computed from the lookup's events.
fn expected_facets(events: &[(Record, LookupEvent)], fields: &[FacetField], top: usize) -> Facets {
    let mut facets = Facets {
        total: events.len() as u64,
        fields: Vec::new(),
    };
    for field in fields {
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        for (record, _) in events {
            if let Some(value) = field_value(record, *field) {
                *counts.entry(value).or_default() += 1;
            }
        }
        let mut ranked: Vec<(String, u64)> = counts.into_iter().collect();
        ranked.sort_by(|left, right| right.1.cmp(&left.1).then_with(|| left.0.cmp(&right.0)));
        facets.fields.push(FieldFacets {
            field: *field,
            distinct: ranked.len() as u64,
            with_field: ranked.iter().map(|(_, count)| count).sum(),
            top: ranked
                .into_iter()
                .take(top)
                .map(|(value, count)| FacetCount { value, count })
                .collect(),
        });
    }
    facets
}

fn bucket_count(start: i64, end: i64, bucket_ms: i64) -> usize {
    ((end - start + bucket_ms - 1) / bucket_ms).max(1) as usize
}

/// The histogram computed from the events lookups return (of every category).
fn expected_histogram(
    events: &[(Record, LookupEvent)],
    start: i64,
    end: i64,
    bucket_ms: i64,
) -> Vec<HistogramBucket> {
    let count = bucket_count(start, end, bucket_ms);
    let mut buckets: Vec<HistogramBucket> = (0..count)
        .map(|index| {
            let bucket_start = start + index as i64 * bucket_ms;
            let bucket_end = if index + 1 == count {
                end + 1
            } else {
                bucket_start + bucket_ms
            };
            HistogramBucket {
                start: Timestamp::from_millis(bucket_start),
                end: Timestamp::from_millis(bucket_end),
                total: 0,
                categories: [0; 8],
                read_only_true: 0,
                read_only_false: 0,
                read_only_absent: 0,
            }
        })
        .collect();
    for (record, event) in events {
        let time = event.event_time.as_millis();
        let index = usize::try_from((time - start) / bucket_ms)
            .unwrap()
            .min(count - 1);
        let bucket = &mut buckets[index];
        bucket.total += 1;
        bucket.categories[usize::from(EventCategory::of_record(record).code())] += 1;
        match record.read_only {
            Some(true) => bucket.read_only_true += 1,
            Some(false) => bucket.read_only_false += 1,
            None => bucket.read_only_absent += 1,
        }
    }
    buckets
}

/// Range bounds around the events: before, at and between event times, and after.
fn bounds() -> Vec<i64> {
    let base = base_ms();
    vec![
        base - 3_600_000,
        base - 1,
        base,
        base + 1,
        base + 7 * 60_000 - 1,
        base + 7 * 60_000,
        base + 12 * 60_000 + 30_000,
        base + 19 * 60_000,
        base + 25 * 60_000,
        base + 29 * 60_000,
        base + 29 * 60_000 + 1,
        base + 86_400_000,
    ]
}

fn assert_facets_match_lookups(harness: &Harness) {
    let history = harness.history();
    let bounds = bounds();
    let mut ties_seen = false;
    for account in [Some(ACCOUNT_A), Some(ACCOUNT_B), None, Some("999999999999")] {
        for (first, start) in bounds.iter().enumerate() {
            for end in &bounds[first..] {
                let events = looked_up(harness, account, *start, *end, false);
                for top in [0, 2, 100] {
                    let request = FacetRequest {
                        account: account.map(str::to_owned),
                        start: Timestamp::from_millis(*start),
                        end: Timestamp::from_millis(*end),
                        fields: FacetField::ALL.to_vec(),
                        top,
                    };
                    let facets = history.facets(&request).unwrap();
                    assert_eq!(
                        facets,
                        expected_facets(&events, &FacetField::ALL, top),
                        "account {account:?}, {start}..={end}, top {top}"
                    );
                    ties_seen |= facets.fields.iter().any(|field| {
                        field
                            .top
                            .windows(2)
                            .any(|pair| pair[0].count == pair[1].count)
                    });
                }
            }
        }
    }
    assert!(ties_seen, "no tie was ordered");
}

fn assert_histograms_match_lookups(harness: &Harness) {
    let history = harness.history();
    let bounds = bounds();
    for account in [Some(ACCOUNT_A), Some(ACCOUNT_B), None] {
        for (first, start) in bounds.iter().enumerate() {
            for end in &bounds[first..] {
                let mut events = looked_up(harness, account, *start, *end, false);
                events.extend(looked_up(harness, account, *start, *end, true));
                for bucket_ms in [60_000, 7 * 60_000 + 1, 3_600_000, 86_400_000 * 2] {
                    if bucket_count(*start, *end, bucket_ms) > MAX_HISTOGRAM_BUCKETS {
                        continue;
                    }
                    let request = HistogramRequest {
                        account: account.map(str::to_owned),
                        start: Timestamp::from_millis(*start),
                        end: Timestamp::from_millis(*end),
                        bucket_ms: bucket_ms as u64,
                    };
                    assert_eq!(
                        history.histogram(&request).unwrap(),
                        expected_histogram(&events, *start, *end, bucket_ms),
                        "account {account:?}, {start}..={end}, buckets of {bucket_ms} ms"
                    );
                }
            }
        }
    }
}

#[test]
fn facets_count_what_lookups_return() {
    let harness = harness(false);
    assert_facets_match_lookups(&harness);
}

#[test]
fn facets_agree_when_keys_are_attached() {
    let harness = harness(true);
    assert_eq!(harness.history().status().parsed_entries, 0);
    assert_facets_match_lookups(&harness);
}

#[test]
fn histograms_count_what_lookups_return() {
    let harness = harness(false);
    assert_histograms_match_lookups(&harness);
}

#[test]
fn facets_after_merges_and_a_restart_are_unchanged() {
    let mut harness = harness(true);
    let request = FacetRequest {
        account: None,
        start: Timestamp::from_millis(base_ms()),
        end: Timestamp::from_millis(base_ms() + 86_400_000),
        fields: FacetField::ALL.to_vec(),
        top: 5,
    };
    let before = harness.history().facets(&request).unwrap();
    harness.history().flush_now().unwrap();
    harness.history().run_maintenance().unwrap();
    harness.restart();
    assert_eq!(harness.history().status().memory_segments, 0);
    assert_eq!(harness.history().facets(&request).unwrap(), before);
}

/// Hand-checked figures: account restriction, Insights left out, ties by value, empty
/// values not counted.
#[test]
fn facets_of_the_whole_range_are_as_counted_by_hand() {
    let harness = harness(false);
    let request = |account: Option<&str>, fields: Vec<FacetField>| FacetRequest {
        account: account.map(str::to_owned),
        start: Timestamp::from_millis(base_ms()),
        end: Timestamp::from_millis(base_ms() + 29 * 60_000),
        fields,
        top: 10,
    };
    let count = |value: &str, count: u64| FacetCount {
        value: value.to_owned(),
        count,
    };
    let all = harness
        .history()
        .facets(&request(
            None,
            vec![FacetField::EventName, FacetField::ErrorCode],
        ))
        .unwrap();
    assert_eq!(all.total, EVENTS as u64, "Insights docs are not counted");
    // 20 of each name; equal counts in name order; `OnlyInInsights` is not counted.
    assert_eq!(
        all.fields[0].top,
        [
            count("CreateBucket", 20),
            count("DescribeInstances", 20),
            count("GetUser", 20)
        ]
    );
    // Indexes ≡ 0 and ≡ 1 (mod 5); the empty codes of indexes ≡ 3 (mod 7) are not values.
    assert_eq!(
        all.fields[1],
        FieldFacets {
            field: FacetField::ErrorCode,
            top: vec![count("AccessDenied", 12), count("ThrottlingException", 12)],
            distinct: 2,
            with_field: 24,
        }
    );
    // Account B: indexes ≡ 2 and ≡ 5 (mod 6), 20 events, and one Insights event not
    // counted; users cycle every 4 indexes, so each has 5.
    let b = harness
        .history()
        .facets(&request(Some(ACCOUNT_B), vec![FacetField::Username]))
        .unwrap();
    assert_eq!(b.total, 20);
    assert_eq!(
        b.fields[0].top,
        [
            count("alice", 5),
            count("bob", 5),
            count("carol", 5),
            count("dave", 5)
        ]
    );
    // Source addresses: indexes ≡ 4 (mod 9) are empty and ≡ 8 (mod 9) absent.
    let sources = harness
        .history()
        .facets(&request(None, vec![FacetField::SourceIp]))
        .unwrap();
    let without: u64 = (0..EVENTS)
        .filter(|index| index % 9 == 4 || index % 9 == 8)
        .count() as u64;
    assert_eq!(sources.fields[0].with_field, EVENTS as u64 - without);
    assert_eq!(sources.fields[0].distinct, 7);
}

#[test]
fn histogram_buckets_tile_the_range_and_the_last_one_holds_its_end() {
    let harness = harness(false);
    let start = base_ms();
    let request = HistogramRequest {
        account: None,
        start: Timestamp::from_millis(start),
        end: Timestamp::from_millis(start + 30 * 60_000),
        bucket_ms: 10 * 60_000,
    };
    let buckets = harness.history().histogram(&request).unwrap();
    assert_eq!(buckets.len(), 3);
    assert_eq!(buckets[0].start.as_millis(), start);
    assert_eq!(buckets[2].end.as_millis(), start + 30 * 60_000 + 1);
    // Events 0..20 in the first 10 minutes, with one Insights event (minute 12) in the second.
    assert_eq!(buckets[0].total, 20);
    assert_eq!(buckets[1].category(EventCategory::Insight), 2);
    assert_eq!(
        buckets.iter().map(|bucket| bucket.total).sum::<u64>(),
        EVENTS as u64 + 4
    );
    let data: u64 = buckets
        .iter()
        .map(|bucket| bucket.category(EventCategory::Data))
        .sum();
    assert_eq!(
        data,
        (0..EVENTS).filter(|index| index % 8 == 5).count() as u64
    );
    for bucket in &buckets {
        assert_eq!(
            bucket.read_only_true + bucket.read_only_false + bucket.read_only_absent,
            bucket.total
        );
    }
}

#[test]
fn aggregate_requests_out_of_bounds_are_refused() {
    let harness = Harness::new(HistoryConfig::default(), Arc::new(SystemClock));
    let history = harness.history();
    let at = Timestamp::from_millis;
    let facets = |start: i64, end: i64, fields: Vec<FacetField>, top: usize| {
        history
            .facets(&FacetRequest {
                account: None,
                start: at(start),
                end: at(end),
                fields,
                top,
            })
            .map_err(|error| error.kind())
    };
    assert_eq!(
        facets(2, 1, vec![], 10),
        Err(AggregateErrorKind::InvalidTimeRange)
    );
    assert_eq!(
        facets(1, 2, vec![], MAX_FACET_TOP + 1),
        Err(AggregateErrorKind::InvalidTop)
    );
    assert_eq!(
        facets(1, 2, vec![FacetField::SourceIp, FacetField::SourceIp], 10),
        Err(AggregateErrorKind::DuplicateField)
    );
    let empty = facets(1, 1, vec![FacetField::SourceIp], MAX_FACET_TOP).unwrap();
    assert_eq!(empty.total, 0);
    assert_eq!(empty.fields[0].distinct, 0);

    let histogram = |start: i64, end: i64, bucket_ms: u64| {
        history
            .histogram(&HistogramRequest {
                account: None,
                start: at(start),
                end: at(end),
                bucket_ms,
            })
            .map(|buckets| buckets.len())
            .map_err(|error| error.kind())
    };
    assert_eq!(
        histogram(2, 1, 1),
        Err(AggregateErrorKind::InvalidTimeRange)
    );
    assert_eq!(
        histogram(0, 10, 0),
        Err(AggregateErrorKind::InvalidBucketWidth)
    );
    assert_eq!(histogram(0, 500, 1), Ok(500));
    assert_eq!(
        histogram(0, 501, 1),
        Err(AggregateErrorKind::TooManyBuckets)
    );
    assert_eq!(histogram(5, 5, 1), Ok(1));
    assert_eq!(
        histogram(i64::MIN / 2, i64::MAX / 2, u64::MAX),
        Ok(1),
        "a bucket wider than any range"
    );
    assert_eq!(
        histogram(i64::MIN / 2, i64::MAX / 2, 1),
        Err(AggregateErrorKind::TooManyBuckets)
    );
}

/// Docs past retention are left out, as lookups leave them out, also from a segment that
/// holds both expired and kept docs.
#[test]
fn aggregates_leave_out_docs_past_retention() {
    let clock = Arc::new(ManualClock::new(
        Timestamp::parse_event_time("2026-03-02T00:00:00Z").unwrap(),
    ));
    let config = HistoryConfig {
        retention: Duration::from_secs(86_400),
        ..HistoryConfig::default()
    };
    let harness = Harness::new(config, clock.clone());
    let old: Vec<String> = (0..6)
        .map(event)
        .filter(|record| !record.contains("\"Data\""))
        .collect();
    harness.append(&old);
    clock.advance_millis(12 * 3_600_000);
    let recent: Vec<String> = (6..12)
        .map(event)
        .filter(|record| !record.contains("\"Data\""))
        .collect();
    harness.append(&recent);
    // One file with both, then the old ones past retention (nothing removes them yet).
    harness.history().flush_now().unwrap();
    assert_eq!(harness.history().status().persisted_segments, 1);
    clock.advance_millis(13 * 3_600_000);
    let start = base_ms() - 86_400_000;
    let end = base_ms() + 86_400_000;
    for account in [None, Some(ACCOUNT_A)] {
        let events = looked_up(&harness, account, start, end, false);
        assert_eq!(
            events.len(),
            if account.is_some() { 3 } else { recent.len() }
        );
        let request = FacetRequest {
            account: account.map(str::to_owned),
            start: Timestamp::from_millis(start),
            end: Timestamp::from_millis(end),
            fields: FacetField::ALL.to_vec(),
            top: 10,
        };
        assert_eq!(
            harness.history().facets(&request).unwrap(),
            expected_facets(&events, &FacetField::ALL, 10),
            "account {account:?}"
        );
        let request = HistogramRequest {
            account: account.map(str::to_owned),
            start: Timestamp::from_millis(start),
            end: Timestamp::from_millis(end),
            bucket_ms: 3_600_000,
        };
        let mut events = events;
        events.extend(looked_up(&harness, account, start, end, true));
        assert_eq!(
            harness.history().histogram(&request).unwrap(),
            expected_histogram(&events, start, end, 3_600_000),
            "account {account:?}"
        );
    }
}
