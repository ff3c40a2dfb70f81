//! Request-level checks of `check_request`: size, entry count, ids, shape.

use opentrail_dataapi::{
    AuditEvent, MAX_REQUEST_BODY_BYTES, PutAuditEventsRequest, RequestErrorCode, RequestLimits,
    check_request,
};
use serde_json::json;

use crate::support::{SPEC_EVENT_DATA, body_of};

/// A valid one-event body padded with an unknown member to exactly `size` bytes.
fn body_of_size(size: usize) -> Vec<u8> {
    let head =
        serde_json::to_string(&json!({ "auditEvents": [ { "id": "a", "eventData": "{}" } ] }))
            .unwrap();
    let without_padding = head.len() - 1 + r#","padding":""}"#.len();
    let padding = "x".repeat(size - without_padding);
    let body = format!(r#"{},"padding":"{padding}"}}"#, &head[..head.len() - 1]);
    assert_eq!(body.len(), size);
    body.into_bytes()
}

#[test]
fn body_of_exactly_one_mebibyte_is_accepted() {
    assert_eq!(MAX_REQUEST_BODY_BYTES, 1_048_576);
    let checked = check_request(
        &body_of_size(MAX_REQUEST_BODY_BYTES),
        RequestLimits::default(),
    )
    .unwrap();
    assert_eq!(checked.len(), 1);
    let error = check_request(
        &body_of_size(MAX_REQUEST_BODY_BYTES + 1),
        RequestLimits::default(),
    )
    .unwrap_err();
    assert_eq!(error.kind(), RequestErrorCode::ValidationException);
    assert!(error.message().contains("1048577"), "{}", error.message());
}

#[test]
fn configured_limits_apply() {
    let limits = RequestLimits {
        max_body_bytes: 200,
        max_audit_events: 2,
    };
    assert!(check_request(&body_of_size(200), limits).is_ok());
    assert!(check_request(&body_of_size(201), limits).is_err());
    let three = body_of(&[("a", "{}"), ("b", "{}"), ("c", "{}")]);
    let error = check_request(
        &three,
        RequestLimits {
            max_body_bytes: 10_000,
            ..limits
        },
    )
    .unwrap_err();
    assert_eq!(error.kind(), RequestErrorCode::ValidationException);
}

#[test]
fn one_to_one_hundred_events() {
    for (count, accepted) in [(0, false), (1, true), (100, true), (101, false)] {
        let ids: Vec<String> = (0..count).map(|index| format!("evt-{index}")).collect();
        let events: Vec<(&str, &str)> = ids
            .iter()
            .map(|id| (id.as_str(), SPEC_EVENT_DATA))
            .collect();
        let result = check_request(&body_of(&events), RequestLimits::default());
        match result {
            Ok(checked) => {
                assert!(accepted, "{count} accepted");
                assert_eq!(checked.len(), count);
                let order: Vec<&str> = checked
                    .audit_events()
                    .iter()
                    .map(|event| event.id())
                    .collect();
                assert_eq!(order, ids);
            }
            Err(error) => {
                assert!(!accepted, "{count} refused: {error}");
                assert_eq!(error.kind(), RequestErrorCode::ValidationException);
                assert!(error.message().contains("`auditEvents`"));
            }
        }
    }
}

#[test]
fn audit_event_ids_follow_the_uuid_shape() {
    let max = "a".repeat(128);
    let too_long = "a".repeat(129);
    let cases: [(&str, bool); 8] = [
        ("a", true),
        ("Az09-_", true),
        (&max, true),
        (&too_long, false),
        ("", false),
        ("a b", false),
        ("a.b", false),
        ("caf\u{e9}", false),
    ];
    for (id, accepted) in cases {
        let result = check_request(&body_of(&[(id, "{}")]), RequestLimits::default());
        match result {
            Ok(checked) => {
                assert!(accepted, "{id:?} accepted");
                assert_eq!(checked.audit_events()[0].id(), id);
            }
            Err(error) => {
                assert!(!accepted, "{id:?} refused: {error}");
                assert_eq!(error.kind(), RequestErrorCode::ValidationException);
                assert!(
                    error.message().contains("`auditEvents[0].id`"),
                    "{}",
                    error.message()
                );
            }
        }
    }
}

#[test]
fn duplicated_ids_reject_the_whole_request() {
    let body = body_of(&[("a", SPEC_EVENT_DATA), ("b", SPEC_EVENT_DATA), ("a", "{}")]);
    let error = check_request(&body, RequestLimits::default()).unwrap_err();
    assert_eq!(error.kind(), RequestErrorCode::DuplicatedAuditEventId);
    assert!(error.message().contains("`a`"));
    let response = error.to_error_response();
    assert_eq!(response.status(), 400);
    assert_eq!(response.error_type(), "DuplicatedAuditEventId");
}

#[test]
fn bodies_of_the_wrong_shape() {
    use RequestErrorCode::{
        SerializationException as Serialization, ValidationException as Validation,
    };
    let cases: [(&str, RequestErrorCode); 20] = [
        ("", Validation),
        ("  \n", Validation),
        ("{}", Validation),
        (r#"{"auditEvents":null}"#, Validation),
        (r#"{"auditEvents":[]}"#, Validation),
        (r#"{"auditEvents":[null]}"#, Validation),
        (r#"{"auditEvents":[{"eventData":"{}"}]}"#, Validation),
        (r#"{"auditEvents":[{"id":"a"}]}"#, Validation),
        (
            r#"{"auditEvents":[{"id":"a","eventData":null}]}"#,
            Validation,
        ),
        ("{", Serialization),
        ("not json", Serialization),
        ("[]", Serialization),
        (r#"{"auditEvents":{}}"#, Serialization),
        (r#"{"auditEvents":[["a","{}"]]}"#, Serialization),
        ("\"text\"", Serialization),
        (
            r#"{"auditEvents":[{"id":"a","eventData":{"version":"1.0"}}]}"#,
            Serialization,
        ),
        (
            r#"{"auditEvents":[{"id":7,"eventData":"{}"}]}"#,
            Serialization,
        ),
        (
            r#"{"auditEvents":[{"id":"a","eventData":"{}","eventDataChecksum":5}]}"#,
            Serialization,
        ),
        (
            r#"{"auditEvents":[{"id":"a","id":"b","eventData":"{}"}]}"#,
            Serialization,
        ),
        (
            r#"{"auditEvents":[{"id":"a","eventData":"{}"}]} trailing"#,
            Serialization,
        ),
    ];
    for (body, code) in cases {
        let error = check_request(body.as_bytes(), RequestLimits::default()).unwrap_err();
        assert_eq!(error.kind(), code, "{body:?}: {error}");
        assert!(!error.message().is_empty());
        assert_eq!(error.to_error_response().status(), 400);
    }
    let invalid_utf8 = b"{\"auditEvents\":[{\"id\":\"a\",\"eventData\":\"\xff\"}]}";
    assert_eq!(
        check_request(invalid_utf8, RequestLimits::default())
            .unwrap_err()
            .kind(),
        Serialization
    );
}

#[test]
fn unknown_members_are_ignored_and_the_checksum_is_kept() {
    let body = r#"{"auditEvents":[{"id":"a","eventData":"{}","eventDataChecksum":"abc","extra":1}],"channelArn":"x"}"#;
    let checked = check_request(body.as_bytes(), RequestLimits::default()).unwrap();
    let event = &checked.audit_events()[0];
    assert_eq!(event.event_data(), "{}");
    assert_eq!(event.event_data_checksum(), Some("abc"));
}

#[test]
fn the_client_shape_serialises_with_the_model_names() {
    let request = PutAuditEventsRequest {
        audit_events: vec![
            AuditEvent {
                id: String::from("a"),
                event_data: String::from("{}"),
                event_data_checksum: Some(String::from("c")),
            },
            AuditEvent {
                id: String::from("b"),
                event_data: String::from("{}"),
                event_data_checksum: None,
            },
        ],
    };
    let text = serde_json::to_string(&request).unwrap();
    assert_eq!(
        text,
        r#"{"auditEvents":[{"id":"a","eventData":"{}","eventDataChecksum":"c"},{"id":"b","eventData":"{}"}]}"#
    );
    let back: PutAuditEventsRequest = serde_json::from_str(&text).unwrap();
    assert_eq!(back, request);
    assert_eq!(
        check_request(text.as_bytes(), RequestLimits::default())
            .unwrap()
            .len(),
        2
    );
}
