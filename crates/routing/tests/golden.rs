//! Envelope goldens (`tests/golden/README.md` lists where each record comes from).

use std::path::{Path, PathBuf};

use serde_json::Value;
use serde_json::value::RawValue;

use opentrail_routing::envelope;

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The first record of a fixture: the file itself, element 0 of an array, or `Records[0]`,
/// as the original text (order and spacing kept).
fn first_record(path: &Path) -> String {
    #[derive(serde::Deserialize)]
    struct Log<'a> {
        #[serde(borrow, rename = "Records")]
        records: Vec<&'a RawValue>,
    }
    let text = std::fs::read_to_string(path).unwrap();
    let trimmed = text.trim();
    if trimmed.starts_with('[') {
        let records: Vec<&RawValue> = serde_json::from_str(trimmed).unwrap();
        return records[0].get().to_owned();
    }
    if let Ok(log) = serde_json::from_str::<Log<'_>>(trimmed) {
        return log.records[0].get().to_owned();
    }
    trimmed.to_owned()
}

fn check_golden(case: &str, record_path: &Path) {
    let record = first_record(record_path);
    let wrapped = envelope(record.as_bytes()).unwrap();
    let actual = format!("{}\n", wrapped.json());
    let golden = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{case}.envelope.json"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(&golden)
        .unwrap_or_else(|error| panic!("{}: {error}; run with UPDATE_GOLDEN=1", golden.display()));
    assert_eq!(actual, expected, "{case}");

    // Whatever the golden says, `detail` is the record, and the envelope is one line.
    let parsed: Value = serde_json::from_str(wrapped.json()).unwrap();
    let mut original: Value = serde_json::from_str(&record).unwrap();
    if let Some(object) = original.as_object_mut() {
        object.remove("eventContext");
    }
    assert_eq!(parsed["detail"], original, "{case}");
    assert!(!wrapped.json().contains('\n'), "{case}");
    assert_eq!(parsed["id"], wrapped.id(), "{case}");
}

#[test]
fn api_call() {
    let root = repository_root();
    check_golden(
        "api-call",
        &root.join(
            "testdata/cloudtrail-records/stratus-red-team/aws.persistence.iam-backdoor-user.json",
        ),
    );
    let record = first_record(&root.join(
        "testdata/cloudtrail-records/stratus-red-team/aws.persistence.iam-backdoor-user.json",
    ));
    let wrapped = envelope(record.as_bytes()).unwrap();
    assert_eq!(wrapped.detail_type(), "AWS API Call via CloudTrail");
    assert_eq!(wrapped.source(), "aws.iam");
    assert_eq!(wrapped.account(), "946986569305");
    assert_eq!(wrapped.read_only(), Some(false));
    assert!(wrapped.management());
}

#[test]
fn console_sign_in() {
    check_golden(
        "console-sign-in",
        &repository_root().join(
            "testdata/cloudtrail-records/aws-user-guide/cloudtrail-event-reference-aws-console-sign-in-events--block02.json",
        ),
    );
}

#[test]
fn service_event() {
    check_golden(
        "service-event",
        &repository_root().join(
            "testdata/cloudtrail-records/aws-user-guide/non-api-aws-service-events--block01.json",
        ),
    );
}

#[test]
fn insight() {
    let path = repository_root().join(
        "testdata/cloudtrail-records/aws-user-guide/cloudtrail-log-file-examples--block10.json",
    );
    check_golden("insight", &path);
    let wrapped = envelope(first_record(&path).as_bytes()).unwrap();
    assert_eq!(wrapped.source(), "aws.cloudtrail");
    assert_eq!(wrapped.detail_type(), "AWS Insight via CloudTrail");
    assert!(!wrapped.management());
}

#[test]
fn data_event() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/inputs/data-event.json");
    check_golden("data-event", &path);
    let wrapped = envelope(first_record(&path).as_bytes()).unwrap();
    assert_eq!(wrapped.source(), "aws.s3");
    assert_eq!(wrapped.read_only(), Some(true));
    assert!(!wrapped.management());
    assert!(!wrapped.read_only_management());
}

#[test]
fn network_activity_event() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/inputs/network-activity-event.json");
    check_golden("network-activity-event", &path);
    let wrapped = envelope(first_record(&path).as_bytes()).unwrap();
    assert_eq!(
        wrapped.detail_type(),
        "AWS Network Activity Event via CloudTrail"
    );
    assert_eq!(wrapped.source(), "aws.kms");
    assert_eq!(wrapped.account(), "210987654321");
    assert!(!wrapped.management());
}
