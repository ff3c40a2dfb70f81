//! The web console in a real headless Chromium (issue 9, point 8): `opentrail serve` with
//! generated history, a trail with Insights, an event data store and one Insights event;
//! then `console/console_e2e.cjs` (Playwright, `playwright-core` from npm, Debian's
//! `chromium`) signs in, filters the event history, opens a record, downloads CSV,
//! creates a trail, runs a Lake query, opens the insight and signs out, checking every
//! page's weight (at most 300 KB) and its width on a phone, and saving a screenshot of
//! every page in `artifacts/console-screenshots/` (or `$OPENTRAIL_SCREENSHOTS`). `.ci/run`
//! installs Chromium and the npm package; without them this test fails, it never skips.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use opentrail_types::Timestamp;
use serde_json::{Value, json};

use crate::support::{Served, admin_key, call_api, launch, signed_request};

const ACCOUNT: &str = "111111111111";
/// Events of the generated history (besides the Insights history and burst).
const GENERATED_EVENTS: usize = 3000;
/// The event name the browser filters the history by.
const FILTERED_EVENT_NAME: &str = "CreateUser";
/// How long any wait for the server may take.
const DEADLINE: Duration = Duration::from_secs(60);

/// Where the browser script and its `node_modules` live.
fn console_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/console")
}

/// Where screenshots go: `$OPENTRAIL_SCREENSHOTS` (a relative path is taken from the
/// repository's root, not from the crate's folder cargo runs tests in), or
/// `artifacts/console-screenshots/` at the repository's root.
fn screenshots_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    match std::env::var_os("OPENTRAIL_SCREENSHOTS") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("artifacts/console-screenshots"),
    }
}

/// Whether `name` is one of the screenshots a run saves (`NN-page.png`): only those are
/// removed before a run, whatever else the folder holds.
fn is_screenshot(name: &str) -> bool {
    let bytes = name.as_bytes();
    name.ends_with(".png")
        && bytes.len() > 7
        && bytes[0].is_ascii_digit()
        && bytes[1].is_ascii_digit()
        && bytes[2] == b'-'
}

/// Fails (never skips) when node, Chromium or playwright-core is missing.
fn require_browser_tools() {
    const HOW: &str = "`.ci/run` installs them: `apt-get install chromium` and \
                       `npm ci --prefix crates/cli/tests/console`";
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.as_ref().is_ok_and(|output| output.status.success()),
        "the console tests need `node` (20 or later) on PATH; {HOW}"
    );
    assert!(
        std::fs::metadata("/usr/bin/chromium").is_ok_and(|meta| meta.is_file()),
        "the console tests need Debian's Chromium at /usr/bin/chromium; {HOW}"
    );
    let package = console_dir().join("node_modules/playwright-core/package.json");
    assert!(
        std::fs::metadata(&package).is_ok_and(|meta| meta.is_file()),
        "the console tests need playwright-core in crates/cli/tests/console/node_modules; {HOW}"
    );
}

fn now_secs() -> i64 {
    i64::try_from(
        std::time::SystemTime::UNIX_EPOCH
            .elapsed()
            .unwrap()
            .as_secs(),
    )
    .unwrap()
}

/// A small deterministic generator (xorshift64), so every run sends the same history
/// relative to its start.
struct Draw(u64);

impl Draw {
    fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % u64::try_from(below).unwrap()).unwrap()
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next(items.len())]
    }
}

/// `(eventSource, eventName, readOnly, resource type, resource name prefix)`.
const APIS: [(&str, &str, bool, &str, &str); 12] = [
    (
        "iam.amazonaws.com",
        "CreateUser",
        false,
        "AWS::IAM::User",
        "user-",
    ),
    (
        "iam.amazonaws.com",
        "AttachUserPolicy",
        false,
        "AWS::IAM::User",
        "user-",
    ),
    (
        "iam.amazonaws.com",
        "CreateAccessKey",
        false,
        "AWS::IAM::AccessKey",
        "AKIA-",
    ),
    (
        "s3.amazonaws.com",
        "CreateBucket",
        false,
        "AWS::S3::Bucket",
        "logs-",
    ),
    (
        "s3.amazonaws.com",
        "PutBucketPolicy",
        false,
        "AWS::S3::Bucket",
        "logs-",
    ),
    (
        "s3.amazonaws.com",
        "DeleteBucket",
        false,
        "AWS::S3::Bucket",
        "logs-",
    ),
    ("ec2.amazonaws.com", "DescribeInstances", true, "", ""),
    (
        "ec2.amazonaws.com",
        "StopInstances",
        false,
        "AWS::EC2::Instance",
        "i-0abc",
    ),
    (
        "sts.amazonaws.com",
        "AssumeRole",
        false,
        "AWS::IAM::Role",
        "role-",
    ),
    ("kms.amazonaws.com", "ListKeys", true, "", ""),
    (
        "lambda.amazonaws.com",
        "UpdateFunctionCode20150331v2",
        false,
        "AWS::Lambda::Function",
        "fn-",
    ),
    (
        "dynamodb.amazonaws.com",
        "CreateTable",
        false,
        "AWS::DynamoDB::Table",
        "table-",
    ),
];
const USERS: [&str; 5] = ["alice", "bob", "carol", "dave", "ci-deployer"];
const ERRORS: [&str; 3] = ["AccessDenied", "ThrottlingException", "NoSuchEntity"];
const SOURCE_IPS: [&str; 6] = [
    "203.0.113.7",
    "203.0.113.42",
    "198.51.100.23",
    "192.0.2.200",
    "cloudformation.amazonaws.com",
    "2001:db8::17",
];

/// The generated history: `GENERATED_EVENTS` management events over the 72 hours up to a
/// quarter of an hour ago (too late to count for Insights detection); returns the records
/// and how many there are of each event name.
fn generated_history(now: i64) -> (Vec<Value>, BTreeMap<&'static str, usize>) {
    let mut draw = Draw(0x9E37_79B9_7F4A_7C15);
    let mut counts = BTreeMap::new();
    let mut records = Vec::with_capacity(GENERATED_EVENTS);
    let span = 72 * 3600;
    for index in 0..GENERATED_EVENTS {
        let (source, name, read_only, resource_type, resource_prefix) = *draw.pick(&APIS);
        let user = *draw.pick(&USERS);
        let ip = *draw.pick(&SOURCE_IPS);
        let at = now - 15 * 60 - i64::try_from(draw.next(span)).unwrap();
        let mut record = json!({
            "eventVersion": "1.09",
            "userIdentity": {
                "type": "IAMUser",
                "principalId": format!("AIDA{}", user.to_uppercase().replace('-', "")),
                "arn": format!("arn:aws:iam::{ACCOUNT}:user/{user}"),
                "accountId": ACCOUNT,
                "accessKeyId": format!("AKIAEXAMPLE{:05}", USERS.iter().position(|u| *u == user).unwrap()),
                "userName": user,
            },
            "eventTime": Timestamp::from_secs(at).format_event_time(),
            "eventSource": source,
            "eventName": name,
            "awsRegion": "us-east-1",
            "sourceIPAddress": ip,
            "userAgent": "console-e2e/1.0",
            "requestParameters": null,
            "responseElements": null,
            "requestID": format!("req-{index:06}"),
            "readOnly": read_only,
            "eventType": "AwsApiCall",
            "managementEvent": true,
            "recipientAccountId": ACCOUNT,
            "eventCategory": "Management",
        });
        if !resource_type.is_empty() {
            let resource = format!("{resource_prefix}{}", draw.next(40));
            record["resources"] = json!([{
                "ARN": format!("arn:aws:{}:us-east-1:{ACCOUNT}:{resource}", source.split('.').next().unwrap()),
                "accountId": ACCOUNT,
                "type": resource_type,
            }]);
            record["requestParameters"] = json!({ "name": resource });
        }
        if draw.next(10) == 0 {
            let code = *draw.pick(&ERRORS);
            record["errorCode"] = json!(code);
            record["errorMessage"] = json!(format!("{code} for {user}"));
        }
        *counts.entry(name).or_insert(0) += 1;
        records.push(record);
    }
    (records, counts)
}

/// A `RunInstances` call at `at` by `arn` (the Insights history and burst of
/// `insights_e2e.py`).
fn run_instances(at: i64, arn: &str) -> Value {
    json!({
        "eventVersion": "1.08",
        "userIdentity": { "type": "IAMUser", "arn": arn, "accountId": ACCOUNT },
        "eventTime": Timestamp::from_secs(at).format_event_time(),
        "eventSource": "ec2.amazonaws.com",
        "eventName": "RunInstances",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "192.0.2.7",
        "userAgent": "console-e2e",
        "requestParameters": null,
        "responseElements": null,
        "readOnly": false,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": ACCOUNT,
        "eventCategory": "Management",
    })
}

fn ingest(served: &Served, key: (&str, &str), records: &[Value]) {
    for chunk in records.chunks(5000) {
        let mut body = String::new();
        for record in chunk {
            body.push_str(&record.to_string());
            body.push('\n');
        }
        let (status, answer) = signed_request(
            &served.endpoint,
            key,
            "/ingest",
            &[("content-type", "application/x-ndjson")],
            body.as_bytes(),
        )
        .expect("/ingest: no answer");
        assert_eq!(status, 200, "/ingest: {answer}");
    }
}

fn call(served: &Served, key: (&str, &str), operation: &str, body: &Value) -> Value {
    serde_json::from_str(&call_api(
        &served.endpoint,
        key,
        operation,
        &body.to_string(),
    ))
    .unwrap()
}

/// Calls `probe` until it gives something; panics after [`DEADLINE`].
fn until<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(found) = probe() {
            return found;
        }
        assert!(
            started.elapsed() < DEADLINE,
            "{what}: not within {DEADLINE:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The calls `ListInsightsMetricData` counted for `RunInstances` since `start`.
fn counted_run_instances(served: &Served, key: (&str, &str), start: i64) -> f64 {
    let mut total = 0.0;
    let mut token: Option<String> = None;
    loop {
        let mut request = json!({
            "EventSource": "ec2.amazonaws.com",
            "EventName": "RunInstances",
            "InsightType": "ApiCallRateInsight",
            "Period": 3600,
            "StartTime": start,
        });
        if let Some(token) = &token {
            request["NextToken"] = json!(token);
        }
        let answer = call(served, key, "ListInsightsMetricData", &request);
        total += answer["Values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|value| value.as_f64().unwrap())
            .sum::<f64>();
        match answer["NextToken"].as_str() {
            Some(next) => token = Some(next.to_owned()),
            None => return total,
        }
    }
}

/// Runs `statement` through Lake's API; returns the rows once it finished.
fn lake_rows(served: &Served, key: (&str, &str), statement: &str) -> Vec<Value> {
    let query = call(
        served,
        key,
        "StartQuery",
        &json!({ "QueryStatement": statement }),
    );
    let id = query["QueryId"].as_str().unwrap().to_owned();
    until("the Lake query's end", || {
        let status = call(served, key, "DescribeQuery", &json!({ "QueryId": id }));
        match status["QueryStatus"].as_str().unwrap() {
            "QUEUED" | "RUNNING" => None,
            "FINISHED" => Some(()),
            other => panic!("the Lake query ended {other}: {status}"),
        }
    });
    let results = call(served, key, "GetQueryResults", &json!({ "QueryId": id }));
    results["QueryResultRows"].as_array().unwrap().clone()
}

#[test]
fn the_console_works_in_headless_chromium() {
    require_browser_tools();
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let config = dir.path().join("opentrail.toml");
    // History sent now is taken into the baselines at once instead of after 5 minutes.
    std::fs::write(
        &config,
        format!(
            "[admin]\naccount_id = \"{ACCOUNT}\"\n\n[insights.detection]\nlate_recompute_seconds = 0\n"
        ),
    )
    .unwrap();
    let served = launch(
        &data_dir,
        Some(&config),
        &[
            ("OPENTRAIL__LAKE__FLUSH_INTERVAL_MS", "200"),
            ("OPENTRAIL_DELIVERY_INTERVAL_SECS", "1"),
        ],
    );
    let (key_id, secret) = admin_key(&data_dir);
    let key = (key_id.as_str(), secret.as_str());

    // A logging trail with Insights, so the burst below becomes an Insights event.
    std::fs::create_dir_all(data_dir.join("buckets/audit-archive")).unwrap();
    call(
        &served,
        key,
        "CreateTrail",
        &json!({ "Name": "audit", "S3BucketName": "audit-archive" }),
    );
    call(&served, key, "StartLogging", &json!({ "Name": "audit" }));
    call(
        &served,
        key,
        "PutInsightSelectors",
        &json!({
            "TrailName": "audit",
            "InsightSelectors": [{ "InsightType": "ApiCallRateInsight" }, { "InsightType": "ApiErrorRateInsight" }],
        }),
    );
    // A store for Lake, made before the events so it holds them all.
    let store = call(
        &served,
        key,
        "CreateEventDataStore",
        &json!({ "Name": "console-e2e", "MultiRegionEnabled": false }),
    );
    let store_id = store["EventDataStoreArn"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    // The bucket the browser's trail delivers to.
    std::fs::create_dir_all(data_dir.join("buckets/console-trail-bucket")).unwrap();

    let now = now_secs() / 60 * 60;
    let (generated, counts) = generated_history(now);
    ingest(&served, key, &generated);
    // Eight days of one RunInstances call a minute by alice, up to ten minutes ago, then
    // 40 calls in the minute before and 40 in this one by a role.
    let alice = format!("arn:aws:iam::{ACCOUNT}:user/alice");
    let role = format!("arn:aws:sts::{ACCOUNT}:assumed-role/Cleanup/cleanup-fn");
    let history: Vec<Value> = (10..8 * 1440 + 10)
        .map(|minute| run_instances(now - minute * 60, &alice))
        .collect();
    ingest(&served, key, &history);
    let expected = f64::from(u32::try_from(history.len()).unwrap());
    until("the Insights history counted", || {
        (counted_run_instances(&served, key, now - 9 * 86_400) == expected).then_some(())
    });
    let burst: Vec<Value> = [60, 0]
        .into_iter()
        .flat_map(|back| (0..40).map(move |second| now - back + second))
        .map(|at| run_instances(at, &role))
        .collect();
    ingest(&served, key, &burst);
    let insight_id = until("the Insights event in event history", || {
        let found = call(
            &served,
            key,
            "LookupEvents",
            &json!({ "EventCategory": "insight", "StartTime": now - 86_400 }),
        );
        found["Events"]
            .as_array()
            .and_then(|events| events.first())
            .map(|event| event["EventId"].as_str().unwrap().to_owned())
    });
    let lake_total = GENERATED_EVENTS + history.len() + burst.len();
    until("the generated events in the Lake store", || {
        let rows = lake_rows(
            &served,
            key,
            &format!("SELECT count(*) AS n FROM {store_id} WHERE userAgent LIKE 'console-e2e%'"),
        );
        let count: usize = rows[0][0]["n"].as_str().unwrap().parse().unwrap();
        (count >= lake_total).then_some(())
    });

    let screenshots = screenshots_dir();
    std::fs::create_dir_all(&screenshots).unwrap();
    let screenshots = screenshots.canonicalize().unwrap();
    for entry in std::fs::read_dir(&screenshots).unwrap() {
        let entry = entry.unwrap();
        if is_screenshot(&entry.file_name().to_string_lossy()) {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    let started = Instant::now();
    let output = Command::new("node")
        .arg(console_dir().join("console_e2e.cjs"))
        .env("OPENTRAIL_ENDPOINT", &served.endpoint)
        .env("OPENTRAIL_ACCESS_KEY_ID", key.0)
        .env("OPENTRAIL_SECRET_ACCESS_KEY", key.1)
        .env("OPENTRAIL_DATA_DIR", &data_dir)
        .env("OPENTRAIL_SCREENSHOTS", &screenshots)
        .env("OPENTRAIL_EVENT_NAME", FILTERED_EVENT_NAME)
        .env(
            "OPENTRAIL_EVENT_COUNT",
            counts[FILTERED_EVENT_NAME].to_string(),
        )
        .env("OPENTRAIL_STORE_ID", &store_id)
        .env("OPENTRAIL_INSIGHT_EVENT_ID", &insight_id)
        .env("OPENTRAIL_INSIGHT_CONTRIBUTOR", &role)
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout);
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "console_e2e.cjs failed (screenshots in {}):\n{printed}\n{errors}",
        screenshots.display()
    );
    println!(
        "console_e2e.cjs ({:.1} s, screenshots in {}):\n{printed}",
        started.elapsed().as_secs_f64(),
        screenshots.display()
    );
    let status = served.stop();
    assert!(status.success(), "serve exited with {status}");
}
