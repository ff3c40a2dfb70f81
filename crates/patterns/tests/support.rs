//! Helpers shared by the test modules.

use std::collections::BTreeSet;
use std::path::PathBuf;

use opentrail_patterns::{MatcherBuilder, Pattern};
use serde_json::{Value, json};

/// The repository's `testdata/` folder.
pub fn testdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata")
}

/// Reads a file under `testdata/`.
pub fn read_testdata(relative: &str) -> String {
    let path = testdata().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Parses a pattern that must be valid.
pub fn pattern(text: &str) -> Pattern {
    Pattern::parse(text).unwrap_or_else(|error| panic!("{text}: {error}"))
}

/// Whether `pattern` matches `event`, checked to agree with the reference evaluation.
pub fn matches(pattern_text: &str, event: &str) -> bool {
    let pattern = pattern(pattern_text);
    let fast = pattern.matches(event.as_bytes()).unwrap();
    let reference = pattern.matches_reference(event.as_bytes()).unwrap();
    assert_eq!(
        fast, reference,
        "matcher and reference disagree\n{pattern_text}\n{event}"
    );
    fast
}

/// The reason a pattern is refused.
pub fn refusal(text: &str) -> String {
    match Pattern::parse(text) {
        Ok(_) => panic!("accepted: {text}"),
        Err(error) => error.reason().to_owned(),
    }
}

/// Checks that one matcher holding all `patterns` returns, for every event, exactly the
/// patterns that match it one by one (and that the reference agrees).
pub fn cross_check(patterns: &[Pattern], events: &[String]) {
    let mut builder = MatcherBuilder::new();
    for (key, pattern) in patterns.iter().enumerate() {
        builder.add(key, pattern);
    }
    let matcher = builder.build();
    assert_eq!(matcher.len(), patterns.len());
    let mut out = Vec::new();
    for event in events {
        let bytes = event.as_bytes();
        let mut expected = BTreeSet::new();
        for (key, pattern) in patterns.iter().enumerate() {
            let alone = pattern.matches(bytes).unwrap();
            let reference = pattern.matches_reference(bytes).unwrap();
            assert_eq!(alone, reference, "pattern {key} on event {event}");
            if alone {
                expected.insert(key);
            }
        }
        matcher.matching(bytes, &mut out).unwrap();
        let got: Vec<usize> = out.clone();
        assert_eq!(
            got,
            expected.into_iter().collect::<Vec<_>>(),
            "matcher on event {event}"
        );
    }
}

/// The EventBridge `detail-type` of a CloudTrail record (spec §5.1).
fn detail_type(record: &Value) -> &'static str {
    match record["eventType"].as_str().unwrap_or("") {
        "AwsConsoleSignIn" => "AWS Console Sign In via CloudTrail",
        "AwsConsoleAction" => "AWS Console Action via CloudTrail",
        "AwsServiceEvent" => "AWS Service Event via CloudTrail",
        "AwsCloudTrailInsight" => "AWS Insight via CloudTrail",
        "AwsVpceEvent" => "AWS Network Activity Event via CloudTrail",
        _ => "AWS API Call via CloudTrail",
    }
}

/// Wraps a CloudTrail record in the EventBridge envelope (spec §5.1).
pub fn envelope(record: &Value, id: usize) -> String {
    let event_source = record["eventSource"].as_str().unwrap_or("");
    let source = match event_source.strip_suffix(".amazonaws.com") {
        Some(service) => format!("aws.{service}"),
        None => event_source.to_owned(),
    };
    json!({
        "version": "0",
        "id": format!("00000000-0000-4000-8000-{id:012}"),
        "detail-type": detail_type(record),
        "source": source,
        "account": record["recipientAccountId"],
        "time": record["eventTime"],
        "region": record["awsRegion"],
        "resources": [],
        "detail": record,
    })
    .to_string()
}

/// Every CloudTrail record under `testdata/cloudtrail-records/`.
pub fn cloudtrail_records() -> Vec<Value> {
    let mut records = Vec::new();
    let root = testdata().join("cloudtrail-records");
    let mut files = Vec::new();
    for folder in std::fs::read_dir(&root).unwrap() {
        for file in std::fs::read_dir(folder.unwrap().path()).unwrap() {
            files.push(file.unwrap().path());
        }
    }
    files.sort();
    for file in files {
        let value: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        match value {
            Value::Array(items) => records.extend(items),
            Value::Object(ref object) if object.contains_key("Records") => {
                records.extend(object["Records"].as_array().unwrap().iter().cloned());
            }
            other => records.push(other),
        }
    }
    records.retain(Value::is_object);
    records
}
