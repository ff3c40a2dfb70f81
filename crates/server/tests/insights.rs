//! Insights end to end in one server with a paused clock: eight days of history through
//! `/ingest`, a burst now, and the Insights event in event history, in the trail's
//! `CloudTrail-Insight/` files, in the Insights event data store, and the rate line in
//! `ListInsightsMetricData`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use opentrail_server::config::KeySection;
use opentrail_types::{ManualClock, Timestamp};
use serde_json::{Value, json};

use crate::support::{ACCOUNT, Answer, TestServer, exchange, signed_post, start};

const ADMIN: (&str, &str) = ("AKIAADMIN00000000001", "admin-secret-0123456789");
const BUCKET: &str = "insights-audit";

fn call(server: &TestServer, operation: &str, body: &Value) -> Answer {
    let target = format!("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.{operation}");
    let headers = [
        ("content-type", "application/x-amz-json-1.1"),
        ("x-amz-target", target.as_str()),
    ];
    let bytes = serde_json::to_vec(body).unwrap();
    let request = signed_post(
        server.address,
        "/",
        &headers,
        &bytes,
        ADMIN,
        server.clock.now(),
    );
    exchange(server.address, &request)
}

fn ok(server: &TestServer, operation: &str, body: &Value) -> Value {
    let answer = call(server, operation, body);
    assert_eq!(
        answer.status,
        200,
        "{operation}: {}",
        String::from_utf8_lossy(&answer.body)
    );
    answer.json()
}

/// ListInsightsMetricData of RunInstances' call rate, with `members` added.
fn run_instances_rates(server: &TestServer, members: &Value) -> Value {
    let mut body = json!({
        "EventSource": "ec2.amazonaws.com",
        "EventName": "RunInstances",
        "InsightType": "ApiCallRateInsight",
    });
    if let (Some(body), Some(members)) = (body.as_object_mut(), members.as_object()) {
        body.extend(members.clone());
    }
    ok(server, "ListInsightsMetricData", &body)
}

fn record(time: Timestamp, arn: &str) -> String {
    json!({
        "eventVersion": "1.08",
        "userIdentity": {"type": "IAMUser", "arn": arn, "accountId": ACCOUNT},
        "eventTime": time.format_event_time(),
        "eventSource": "ec2.amazonaws.com",
        "eventName": "RunInstances",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "192.0.2.7",
        "userAgent": "aws-cli/2.15.0",
        "requestParameters": null,
        "responseElements": null,
        "readOnly": false,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": ACCOUNT,
        "eventCategory": "Management"
    })
    .to_string()
}

fn ingest(server: &TestServer, records: &[String]) {
    for chunk in records.chunks(5_000) {
        let body = chunk.join("\n");
        let request = signed_post(
            server.address,
            "/ingest",
            &[("content-type", "application/x-ndjson")],
            body.as_bytes(),
            ADMIN,
            server.clock.now(),
        );
        let answer = exchange(server.address, &request);
        assert_eq!(
            answer.status,
            200,
            "{}",
            String::from_utf8_lossy(&answer.body)
        );
    }
}

fn wait_for<T>(what: &str, clock: &ManualClock, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        // Trail delivery waits on the clock: let a second pass each round.
        clock.advance_millis(1_000);
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn files_under(root: &std::path::Path, part: &str) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.to_string_lossy().contains(part) {
                found.push(path);
            }
        }
    }
    found
}

#[test]
fn a_burst_becomes_an_insight_in_history_trails_lake_and_metrics() {
    let day0 = Timestamp::parse_event_time("2026-03-02T00:00:00Z").unwrap();
    // Day 8, 10:00:50: the burst fills the minute before and this one.
    let now = day0.saturating_add_millis((8 * 1440 + 600) * 60_000 + 50_000);
    let clock = Arc::new(ManualClock::new(now));
    let bucket_root = Arc::new(std::sync::Mutex::new(None));
    let bucket_seen = Arc::clone(&bucket_root);
    let server = start(
        move |config| {
            config.keys.push(KeySection {
                access_key_id: String::from(ADMIN.0),
                secret_access_key: String::from(ADMIN.1),
                account_id: String::from(ACCOUNT),
                user_name: String::from("admin"),
                arn: None,
                permission: String::from("admin"),
            });
            config.trails.delivery_interval_secs = 1;
            config.lake.flush_interval_ms = 100;
            config.insights.detection.late_recompute_seconds = 0;
            let bucket = config.data_dir.join("buckets").join(BUCKET);
            std::fs::create_dir_all(&bucket).unwrap();
            *bucket_seen.lock().unwrap() = Some(bucket);
        },
        Some(Arc::clone(&clock)),
    );
    let bucket = bucket_root.lock().unwrap().clone().unwrap();

    ok(
        &server,
        "CreateTrail",
        &json!({"Name": "audit", "S3BucketName": BUCKET}),
    );
    ok(&server, "StartLogging", &json!({"Name": "audit"}));
    ok(
        &server,
        "PutInsightSelectors",
        &json!({"TrailName": "audit", "InsightSelectors": [{"InsightType": "ApiCallRateInsight"}]}),
    );
    let source = ok(
        &server,
        "CreateEventDataStore",
        &json!({"Name": "events", "MultiRegionEnabled": false}),
    );
    let destination = ok(
        &server,
        "CreateEventDataStore",
        &json!({
            "Name": "insights",
            "MultiRegionEnabled": false,
            "AdvancedEventSelectors": [{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Insight"]}]}]
        }),
    );
    let source_arn = source["EventDataStoreArn"].as_str().unwrap().to_owned();
    let destination_arn = destination["EventDataStoreArn"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(
        &server,
        "PutInsightSelectors",
        &json!({
            "EventDataStore": source_arn,
            "InsightsDestination": destination_arn,
            "InsightSelectors": [{"InsightType": "ApiCallRateInsight"}]
        }),
    );

    // Eight days of one call a minute, up to ten minutes ago.
    let alice = "arn:aws:iam::111122223333:user/alice";
    let history: Vec<String> = (0..(8 * 1440 + 590))
        .map(|minute| record(day0.saturating_add_millis(minute * 60_000), alice))
        .collect();
    ingest(&server, &history);
    // Counted (and the baseline recomputed in the same step) before the burst comes: a
    // burst read in one batch with late history would be judged on the older baseline.
    wait_for("the history counted", &clock, || {
        let series =
            run_instances_rates(&server, &json!({"StartTime": day0.as_epoch_seconds_f64()}));
        let total: f64 = series["Values"]
            .as_array()?
            .iter()
            .filter_map(Value::as_f64)
            .sum();
        (total as usize == history.len()).then_some(())
    });
    // The burst: 40 calls in each of the last two minutes, by a role.
    let role = "arn:aws:sts::111122223333:assumed-role/Cleanup/fn";
    let minute_start = now.as_millis() - 50_000;
    let burst: Vec<String> = (0..80)
        .map(|index| {
            let minute = if index < 40 {
                minute_start - 60_000
            } else {
                minute_start
            };
            record(Timestamp::from_millis(minute + (index % 40) * 1_000), role)
        })
        .collect();
    ingest(&server, &burst);

    let start = wait_for("the Start in event history", &clock, || {
        let found = ok(
            &server,
            "LookupEvents",
            &json!({"EventCategory": "insight", "StartTime": day0.as_epoch_seconds_f64()}),
        );
        let events = found["Events"].as_array()?.clone();
        (!events.is_empty()).then_some(events)
    });
    assert_eq!(start.len(), 1, "{start:#?}");
    let record: Value =
        serde_json::from_str(start[0]["CloudTrailEvent"].as_str().unwrap()).unwrap();
    assert_eq!(record["eventCategory"], "Insight");
    assert_eq!(record["insightDetails"]["state"], "Start");
    assert_eq!(record["insightDetails"]["eventName"], "RunInstances");
    assert_eq!(
        record["eventTime"],
        Timestamp::from_millis(minute_start - 60_000).format_event_time()
    );
    let statistics = &record["insightDetails"]["insightContext"]["statistics"];
    assert_eq!(statistics["baseline"]["average"], 1.0);
    assert_eq!(statistics["baselineDuration"], 8 * 1440);
    assert_eq!(
        record["insightDetails"]["insightContext"]["attributions"][0]["insight"][0]["value"],
        role
    );

    // The trail delivers it under CloudTrail-Insight/.
    let insight_files = wait_for("the trail's Insights file", &clock, || {
        let files = files_under(&bucket, "/CloudTrail-Insight/");
        (!files.is_empty()).then_some(files)
    });
    assert!(
        insight_files[0]
            .to_string_lossy()
            .contains(&format!("AWSLogs/{ACCOUNT}/CloudTrail-Insight/us-east-1/")),
        "{insight_files:?}"
    );

    // The Insights store gets it with its source store named.
    let destination_id = destination_arn.rsplit('/').next().unwrap().to_owned();
    let rows = wait_for("the row in the Insights store", &clock, || {
        let started = ok(
            &server,
            "StartQuery",
            &json!({"QueryStatement": format!(
                "SELECT insightstate, insightsource, insighteventname FROM {destination_id}"
            )}),
        );
        let query_id = started["QueryId"].as_str()?.to_owned();
        for _ in 0..100 {
            let described = ok(&server, "DescribeQuery", &json!({"QueryId": query_id}));
            match described["QueryStatus"].as_str()? {
                "FINISHED" => break,
                "FAILED" | "CANCELLED" | "TIMED_OUT" => panic!("{described}"),
                _ => std::thread::sleep(Duration::from_millis(100)),
            }
        }
        let results = ok(&server, "GetQueryResults", &json!({"QueryId": query_id}));
        let rows = results["QueryResultRows"].as_array()?.clone();
        (!rows.is_empty()).then_some(rows)
    });
    assert_eq!(
        rows[0],
        json!([{"insightstate": "Start"}, {"insightsource": source_arn}, {"insighteventname": "RunInstances"}])
    );

    // The rate line behind it, minute by minute.
    let window = json!({
        "Period": 60,
        "StartTime": (minute_start - 180_000) as f64 / 1000.0,
        "EndTime": (minute_start + 60_000) as f64 / 1000.0,
    });
    let metrics = run_instances_rates(&server, &window);
    let values: Vec<f64> = metrics["Values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|value| value.as_f64().unwrap())
        .collect();
    // History stopped ten minutes ago: only the burst's two minutes have calls.
    assert_eq!(values, [40.0, 40.0], "{metrics}");
    assert_eq!(
        metrics["Timestamps"][0].as_f64().unwrap(),
        (minute_start - 60_000) as f64 / 1000.0
    );
    let mut filled_window = window.clone();
    filled_window["DataType"] = json!("FillWithZeros");
    filled_window["MaxResults"] = json!(3);
    let filled = run_instances_rates(&server, &filled_window);
    assert_eq!(filled["Values"], json!([0.0, 0.0, 40.0]), "{filled}");
    assert!(filled["NextToken"].is_string());
    let missing = call(
        &server,
        "ListInsightsMetricData",
        &json!({"EventSource": "ec2.amazonaws.com", "EventName": "RunInstances", "InsightType": "ApiErrorRateInsight"}),
    );
    assert_eq!(missing.status, 400);
    assert_eq!(missing.json()["__type"], "InvalidParameterException");
}
