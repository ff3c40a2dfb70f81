//! The EventBridge operations through `opentrail_api::call_events`, JSON in and JSON out:
//! the cases of `tests/wire/events/sequence.txt` run in order against one rule store.
//!
//! Each request file `tests/wire/events/<Operation>/<case>.request.json` is
//! `{"source", "region"?, "account"?, "body"}` (default region `us-east-1`, account
//! `111122223333`); each response file is the status line and the exact response body.
//! The server configures one API destination, `alerts`. The clock starts at
//! 2023-11-14T22:13:20Z and moves one second before each call.

use std::collections::BTreeSet;
use std::path::PathBuf;

use opentrail_api::events::{EventsOperation, EventsServices, call_events};
use opentrail_api::{ErrorCode, Scope};
use opentrail_rules::RuleStore;
use opentrail_testkit::golden::assert_golden;
use opentrail_types::Timestamp;

use crate::support::{ACCOUNT, REGION};

/// A request file.
#[derive(serde::Deserialize)]
struct RequestFile {
    /// Where the case came from.
    source: String,
    account: Option<String>,
    region: Option<String>,
    body: Box<serde_json::value::RawValue>,
}

fn events_folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/wire/events")
}

fn scope() -> Scope {
    Scope {
        account_id: String::from(ACCOUNT),
        region: String::from(REGION),
    }
}

#[test]
fn events_operations_wire_goldens() {
    let dir = tempfile::tempdir().unwrap();
    let rules = RuleStore::open(dir.path()).unwrap();
    let api_destinations = [String::from("alerts")];
    let folder = events_folder();
    let sequence = std::fs::read_to_string(folder.join("sequence.txt")).unwrap();
    let mut now = Timestamp::from_secs(1_700_000_000);
    let mut seen = BTreeSet::new();
    for line in sequence
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
    {
        let (operation_name, case) = line.split_once('/').unwrap();
        let operation = EventsOperation::from_name(operation_name).unwrap();
        seen.insert(operation);
        let text = std::fs::read_to_string(folder.join(format!("{line}.request.json")))
            .unwrap_or_else(|error| panic!("{line}: {error}"));
        let request: RequestFile = serde_json::from_str(&text).unwrap();
        assert!(!request.source.is_empty(), "{line}: say where it came from");
        let scope = Scope {
            account_id: request.account.unwrap_or_else(|| String::from(ACCOUNT)),
            region: request.region.unwrap_or_else(|| String::from(REGION)),
        };
        // The body goes to the operation as written: member order matters (maps keep it).
        let body = request.body.get().as_bytes();
        now = Timestamp::from_millis(now.as_millis() + 1_000);
        let services = EventsServices {
            rules: &rules,
            api_destinations: &api_destinations,
            now,
        };
        let text = match call_events(services, &scope, operation, body) {
            Ok(response) => format!("HTTP 200\n{}\n", String::from_utf8(response).unwrap()),
            Err(error) => format!("HTTP {}\n{}\n", error.code.http_status(), error.to_json()),
        };
        assert_golden(
            &folder
                .join(operation_name)
                .join(format!("{case}.response.json")),
            &text,
        );
    }
    let served: BTreeSet<EventsOperation> = EventsOperation::ALL
        .iter()
        .copied()
        .filter(|operation| operation.unsupported_error().is_none())
        .collect();
    assert_eq!(seen, served, "every served operation has cases");
}

#[test]
fn empty_and_malformed_bodies_are_answered_like_cloudtrail() {
    let dir = tempfile::tempdir().unwrap();
    let rules = RuleStore::open(dir.path()).unwrap();
    let services = EventsServices {
        rules: &rules,
        api_destinations: &[],
        now: Timestamp::from_secs(1_700_000_000),
    };
    let listed = call_events(services, &scope(), EventsOperation::ListRules, b"").unwrap();
    assert_eq!(listed, br#"{"Rules":[]}"#);
    let error =
        call_events(services, &scope(), EventsOperation::PutRule, b"{\"Name\":").unwrap_err();
    assert_eq!(error.code, ErrorCode::SerializationException);
    let error = call_events(services, &scope(), EventsOperation::DescribeRule, b"  ").unwrap_err();
    assert_eq!(error.code, ErrorCode::ValidationException);
    assert_eq!(
        error.message,
        "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"
    );
}

#[test]
fn every_other_eventbridge_operation_is_refused_explicitly() {
    let dir = tempfile::tempdir().unwrap();
    let rules = RuleStore::open(dir.path()).unwrap();
    let services = EventsServices {
        rules: &rules,
        api_destinations: &[],
        now: Timestamp::from_secs(1_700_000_000),
    };
    let mut refused = 0;
    for operation in EventsOperation::ALL {
        if operation.unsupported_error().is_none() {
            continue;
        }
        refused += 1;
        let error = call_events(services, &scope(), *operation, b"{}").unwrap_err();
        assert_eq!(
            error.code,
            ErrorCode::UnsupportedOperationException,
            "{operation}"
        );
        assert_eq!(error.code.http_status(), 400);
        assert!(
            error.message.starts_with(&format!(
                "{operation} is not supported by OpenTrail: OpenTrail "
            )),
            "{}",
            error.message
        );
    }
    assert_eq!(refused, 43);
    let error = EventsOperation::from_target(Some("AWSEvents.PutRules")).unwrap_err();
    assert_eq!(error.code, ErrorCode::UnknownOperationException);
    assert_eq!(
        error.to_json(),
        r#"{"__type":"UnknownOperationException","message":"unknown operation `AWSEvents.PutRules`"}"#
    );
}
