//! Injected bursts appear with the promised counts.

use std::collections::BTreeMap;

use opentrail_generate::{Burst, GenerateConfig};
use serde_json::Value;

use crate::support::{monday, read_output, run, small_config};

/// Records per (account, region, source, name, minute start in seconds).
type Counts = BTreeMap<(String, String, String, String, i64), u64>;

fn count(config: &GenerateConfig) -> (Counts, Vec<Value>, opentrail_generate::Summary) {
    let (dir, summary) = run(config);
    let mut counts = Counts::new();
    let mut records = Vec::new();
    for file in read_output(dir.path()) {
        for raw in &file.records {
            let record: Value = serde_json::from_str(raw.get()).unwrap();
            let time =
                opentrail_types::Timestamp::parse_event_time(record["eventTime"].as_str().unwrap())
                    .unwrap();
            let key = (
                record["recipientAccountId"].as_str().unwrap().to_owned(),
                record["awsRegion"].as_str().unwrap().to_owned(),
                record["eventSource"].as_str().unwrap().to_owned(),
                record["eventName"].as_str().unwrap().to_owned(),
                time.as_secs() / 60 * 60,
            );
            *counts.entry(key).or_default() += 1;
            records.push(record);
        }
    }
    (counts, records, summary)
}

#[test]
fn bursts_add_exactly_their_calls_and_report_the_truth() {
    let start = monday();
    let bursts = vec![
        Burst::new(
            start.saturating_add_millis(10 * 3_600_000 + 30_000),
            4,
            "ec2.amazonaws.com",
            "RunInstances",
            25,
        ),
        Burst::new(
            start.saturating_add_millis(15 * 3_600_000),
            3,
            "s3.amazonaws.com",
            "GetBucketAcl",
            40,
        )
        .with_error_code("AccessDenied")
        .in_account(1)
        .in_region("eu-west-1"),
        // Starts before the period: only the minutes inside count.
        Burst::new(
            start.saturating_add_millis(-120_000),
            4,
            "kms.amazonaws.com",
            "Decrypt",
            10,
        ),
    ];
    let quiet = small_config(3_000);
    let noisy = GenerateConfig {
        bursts,
        ..quiet.clone()
    };
    let (without, _, _) = count(&quiet);
    let (with, records, summary) = count(&noisy);

    assert_eq!(summary.bursts.len(), 3);
    assert_eq!(summary.burst_events, 100 + 120 + 20);
    assert_eq!(summary.events, 3_000 + 240);
    let third = &summary.bursts[2];
    assert_eq!(third.minutes.len(), 2);
    assert_eq!(third.first_minute(), Some(start));

    for truth in &summary.bursts {
        assert_eq!(
            truth.events,
            truth
                .minutes
                .iter()
                .map(|minute| minute.events)
                .sum::<u64>()
        );
        for minute in &truth.minutes {
            let key = (
                truth.account_id.clone(),
                truth.region.clone(),
                truth.event_source.clone(),
                truth.event_name.clone(),
                minute.minute.as_secs(),
            );
            let added =
                with.get(&key).copied().unwrap_or(0) - without.get(&key).copied().unwrap_or(0);
            assert_eq!(added, minute.events, "{key:?}");
        }
    }
    assert_eq!(summary.bursts[0].account_id, summary.account_ids[0]);
    assert_eq!(summary.bursts[0].region, "us-east-1");
    assert_eq!(summary.bursts[1].account_id, summary.account_ids[1]);

    // The error storm: every added call fails with the code, made by the reported principal.
    let storm = &summary.bursts[1];
    let failing = records
        .iter()
        .filter(|record| {
            record["eventName"] == "GetBucketAcl"
                && record["errorCode"] == "AccessDenied"
                && record["awsRegion"] == "eu-west-1"
                && record["userIdentity"]["arn"]
                    .as_str()
                    .unwrap_or_default()
                    .starts_with(&storm.principal_arn)
        })
        .count();
    assert!(failing >= 120, "{failing}");
    assert!(!storm.principal_arn.is_empty());
}
