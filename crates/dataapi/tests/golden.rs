//! Goldens: the stored record of the spec's §3.6.3 example, a response, an error.

use std::sync::Arc;

use opentrail_dataapi::{
    EventErrorCode, EventFailure, PutAuditEventsResponse, RequestError, RequestErrorCode,
    RequestLimits, check_request,
};
use opentrail_types::SharedIds;
use serde_json::{Value, json};

use crate::support::{
    SPEC_EVENT_DATA, SPEC_EVENT_DATA_CHECKSUM, SpecExampleIds, assert_golden, build, seeded_ids,
};

/// The stored record exactly as spec §3.6.3 prints it.
const SPEC_STORED_RECORD: &str = r#"{
  "eventVersion": "1.11",
  "eventCategory": "ActivityAuditLog",
  "eventType": "ActivityLog",
  "eventID": "3f1e9c8a-2b47-4d6e-9a15-7c0b2e4d8f61",
  "eventTime": "2026-03-04T17:30:12Z",
  "awsRegion": "us-east-1",
  "recipientAccountId": "210987654321",
  "metadata": {
    "ingestionTime": "2026-03-04T17:30:14Z",
    "channelARN": "arn:aws:cloudtrail:us-east-1:210987654321:channel/0d7c3e21-8f4a-4b6e-a9c2-5e1f0b3d7a84"
  },
  "eventData": {
    "version": "1.0",
    "userIdentity": { "type": "GitHubUser", "principalId": "octo-dev", "details": { "org": "acme" } },
    "userAgent": "GitHub-Hookshot/abc1234",
    "eventSource": "github.com",
    "eventName": "repo.create",
    "eventTime": "2026-03-04T17:30:12Z",
    "UID": "c7Qk3Vh2xN8d",
    "requestParameters": { "repo": "acme/new-service", "visibility": "private" },
    "sourceIPAddress": "192.0.2.15",
    "recipientAccountId": "210987654321"
  }
}"#;

fn spec_example_record(event_data: &str, checksum: Option<&str>) -> Vec<u8> {
    let mut entry = json!({ "id": "gh-evt-0001", "eventData": event_data });
    if let Some(checksum) = checksum {
        entry["eventDataChecksum"] = json!(checksum);
    }
    let body = serde_json::to_vec(&json!({ "auditEvents": [entry] })).unwrap();
    let checked = check_request(&body, RequestLimits::default()).unwrap();
    let ids: SharedIds = Arc::new(SpecExampleIds);
    let mut outcomes = build(&checked, &ids);
    let record = outcomes.pop().unwrap().unwrap();
    assert_eq!(record.id, "gh-evt-0001");
    assert_eq!(record.event_id, "3f1e9c8a-2b47-4d6e-9a15-7c0b2e4d8f61");
    assert_eq!(record.event_time.as_secs(), 1_772_645_412);
    record.json
}

#[test]
fn stored_record_of_the_spec_example() {
    let json = spec_example_record(SPEC_EVENT_DATA, Some(SPEC_EVENT_DATA_CHECKSUM));
    let text = String::from_utf8(json).unwrap();
    assert_golden("stored_record_spec_example.json", &format!("{text}\n"));

    // Same content as the spec prints, member for member…
    let expected: Value = serde_json::from_str(SPEC_STORED_RECORD).unwrap();
    let actual: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(actual, expected);
    // …and the same bytes as the spec's text without its whitespace, so the member order
    // (which `Value` comparison ignores) is the spec's too.
    let spec_compact: String = SPEC_STORED_RECORD
        .lines()
        .map(str::trim)
        .collect::<String>()
        .replace("\": ", "\":")
        .replace("{ ", "{")
        .replace(" }", "}")
        .replace(", ", ",");
    assert_eq!(text, spec_compact);
}

#[test]
fn event_data_whitespace_is_dropped_and_order_kept() {
    let pretty = r#"
    {
      "version" : "1.0",
      "userIdentity": { "type": "GitHubUser", "principalId": "octo-dev", "details": { "org": "acme" } },
      "userAgent": "GitHub-Hookshot/abc1234",
      "eventSource": "github.com",
      "eventName": "repo.create",
      "eventTime": "2026-03-04T17:30:12Z",
      "UID": "c7Qk3Vh2xN8d",
      "requestParameters": { "repo": "acme/new-service", "visibility": "private" },
      "sourceIPAddress": "192.0.2.15",
      "recipientAccountId": "210987654321"
    }
    "#;
    let from_pretty = spec_example_record(pretty, None);
    let from_compact = spec_example_record(SPEC_EVENT_DATA, None);
    assert_eq!(from_pretty, from_compact);

    // Values keep their text: number forms, escapes, non-sorted member order.
    let custom = SPEC_EVENT_DATA.replacen(
        "{",
        r#"{"zeta" : 1.50, "alpha":"tab\there \u00e9", "nested":{"b":1e3,"a":[true ,null]},"#,
        1,
    );
    let record = String::from_utf8(spec_example_record(&custom, None)).unwrap();
    assert!(
        record.contains(
            r#""eventData":{"zeta":1.50,"alpha":"tab\there \u00e9","nested":{"b":1e3,"a":[true,null]},"version":"1.0""#
        ),
        "{record}"
    );
}

#[test]
fn response_with_one_success_and_one_failure() {
    let invalid = SPEC_EVENT_DATA.replace("2026-03-04T17:30:12Z", "2026-03-04 17:30:12");
    let body = serde_json::to_vec(&json!({ "auditEvents": [
        { "id": "gh-evt-0001", "eventData": SPEC_EVENT_DATA },
        { "id": "gh-evt-0002", "eventData": invalid },
    ]}))
    .unwrap();
    let checked = check_request(&body, RequestLimits::default()).unwrap();
    let mut outcomes = build(&checked, &seeded_ids());
    outcomes.push(Err(EventFailure::new(
        "gh-evt-0003",
        EventErrorCode::InternalFailure,
        "the event could not be stored",
    )));
    let response = PutAuditEventsResponse::from_outcomes(&outcomes);
    let text = serde_json::to_string_pretty(&response).unwrap();
    assert_golden("response_mixed.json", &format!("{text}\n"));

    let empty = PutAuditEventsResponse::from_outcomes(&[]);
    assert_eq!(
        serde_json::to_string(&empty).unwrap(),
        r#"{"successful":[],"failed":[]}"#
    );
}

#[test]
fn error_responses() {
    let mut lines = Vec::new();
    for code in RequestErrorCode::ALL {
        let response =
            RequestError::new(code, format!("example message for `{code}`")).to_error_response();
        lines.push(format!(
            "HTTP {} | x-amzn-ErrorType: {} | {}",
            response.status(),
            response.error_type(),
            String::from_utf8(response.body()).unwrap()
        ));
    }
    assert_golden("error_responses.txt", &(lines.join("\n") + "\n"));
}
