//! Shared helpers: a valid eventData, a request body builder, a fixed context.

use std::path::PathBuf;
use std::sync::Arc;

use opentrail_dataapi::{
    CheckedRequest, EventFailure, IngestContext, RequestLimits, StoredRecord, build_records,
    check_request,
};
use opentrail_types::{IdGenerator, SeededIds, SharedIds, Timestamp};
use serde_json::{Value, json};

/// The channel of the spec's §3.6.3 example.
pub const CHANNEL_ARN: &str =
    "arn:aws:cloudtrail:us-east-1:210987654321:channel/0d7c3e21-8f4a-4b6e-a9c2-5e1f0b3d7a84";
/// The account owning [`CHANNEL_ARN`].
pub const OWNER: &str = "210987654321";
/// The Region of the endpoint.
pub const REGION: &str = "us-east-1";

/// The `eventData` of the spec's §3.6.3 example, compact, members in the spec's order.
pub const SPEC_EVENT_DATA: &str = r#"{"version":"1.0","userIdentity":{"type":"GitHubUser","principalId":"octo-dev","details":{"org":"acme"}},"userAgent":"GitHub-Hookshot/abc1234","eventSource":"github.com","eventName":"repo.create","eventTime":"2026-03-04T17:30:12Z","UID":"c7Qk3Vh2xN8d","requestParameters":{"repo":"acme/new-service","visibility":"private"},"sourceIPAddress":"192.0.2.15","recipientAccountId":"210987654321"}"#;

/// `printf %s "$SPEC_EVENT_DATA" | openssl dgst -binary -sha256 | base64`, computed with
/// OpenSSL 3 in a shell.
pub const SPEC_EVENT_DATA_CHECKSUM: &str = "KGMhEmWEQs5VSMm5HNm+PnsU6PimzkbqDibMai4q9wY=";

/// The spec example's `eventData` as a JSON value, to mutate in tables.
pub fn spec_event_data() -> Value {
    serde_json::from_str(SPEC_EVENT_DATA).unwrap()
}

/// A request body with one event per `(id, eventData)`, without checksums.
pub fn body_of(events: &[(&str, &str)]) -> Vec<u8> {
    let entries: Vec<Value> = events
        .iter()
        .map(|(id, data)| json!({ "id": id, "eventData": data }))
        .collect();
    serde_json::to_vec(&json!({ "auditEvents": entries })).unwrap()
}

/// Always answers the §3.6.3 example's `eventID`.
#[derive(Debug)]
pub struct SpecExampleIds;

impl IdGenerator for SpecExampleIds {
    fn fill(&self, bytes: &mut [u8]) {
        bytes.fill(0);
    }

    fn uuid(&self) -> String {
        String::from("3f1e9c8a-2b47-4d6e-9a15-7c0b2e4d8f61")
    }
}

/// Seeded IDs for tests that do not care about the values.
pub fn seeded_ids() -> SharedIds {
    Arc::new(SeededIds::new(42))
}

/// `2026-03-04T17:30:14Z`, the example's ingestion time.
pub fn ingestion_time() -> Timestamp {
    Timestamp::parse_event_time("2026-03-04T17:30:14Z").unwrap()
}

/// Builds the records of `checked` in the example channel.
pub fn build(checked: &CheckedRequest, ids: &SharedIds) -> Vec<Result<StoredRecord, EventFailure>> {
    let ctx = IngestContext {
        channel_arn: CHANNEL_ARN,
        channel_owner_account: OWNER,
        region: REGION,
        now: ingestion_time(),
        ids,
    };
    build_records(checked, &ctx)
}

/// Runs one event through both steps and returns its single outcome.
pub fn ingest_one(event_data: &str, checksum: Option<&str>) -> Result<StoredRecord, EventFailure> {
    let mut entry = json!({ "id": "evt-1", "eventData": event_data });
    if let Some(checksum) = checksum {
        entry["eventDataChecksum"] = Value::String(checksum.to_owned());
    }
    let body = serde_json::to_vec(&json!({ "auditEvents": [entry] })).unwrap();
    let checked = check_request(&body, RequestLimits::default()).unwrap();
    let mut outcomes = build(&checked, &seeded_ids());
    assert_eq!(outcomes.len(), 1);
    outcomes.pop().unwrap()
}

/// Compares `actual` with `tests/golden/<name>`; `BLESS=1` (or testkit's
/// `UPDATE_GOLDEN=1`) rewrites the file.
pub fn assert_golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("BLESS").is_some_and(|value| value == "1") {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    opentrail_testkit::golden::assert_golden(&path, actual);
}
