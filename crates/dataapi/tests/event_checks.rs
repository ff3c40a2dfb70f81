//! Per-event checks of `build_records`: one table row per error code and limit.

use opentrail_dataapi::{
    EventErrorCode, MAX_ADDITIONAL_EVENT_DATA_BYTES, MAX_REQUEST_PARAMETERS_BYTES,
    event_data_checksum,
};
use serde_json::{Value, json};

use crate::support::{SPEC_EVENT_DATA, SPEC_EVENT_DATA_CHECKSUM, ingest_one, spec_event_data};

use EventErrorCode::{FieldNotFound, FieldTooLong, InvalidData, InvalidRecipient};

/// A string of `chars` characters.
fn text(chars: usize) -> Value {
    Value::String("x".repeat(chars))
}

/// An object whose compact JSON text is exactly `bytes` bytes: `{"k":"xx…"}`.
fn object_of_bytes(bytes: usize) -> Value {
    let object = json!({ "k": "x".repeat(bytes - 8) });
    assert_eq!(serde_json::to_string(&object).unwrap().len(), bytes);
    object
}

fn set(path: &[&str], value: Value) -> impl Fn(&mut Value) + use<> {
    let path: Vec<String> = path.iter().map(|part| (*part).to_owned()).collect();
    move |data: &mut Value| {
        let mut target = &mut *data;
        for part in &path[..path.len() - 1] {
            target = target.get_mut(part).unwrap();
        }
        target[path[path.len() - 1].as_str()] = value.clone();
    }
}

fn remove(path: &[&str]) -> impl Fn(&mut Value) + use<> {
    let path: Vec<String> = path.iter().map(|part| (*part).to_owned()).collect();
    move |data: &mut Value| {
        let mut target = &mut *data;
        for part in &path[..path.len() - 1] {
            target = target.get_mut(part).unwrap();
        }
        target
            .as_object_mut()
            .unwrap()
            .remove(&path[path.len() - 1]);
    }
}

type Mutation = Box<dyn Fn(&mut Value)>;

/// `None`: accepted; `Some((code, field))`: refused with `code`, the message naming `field`.
type Expected = Option<(EventErrorCode, &'static str)>;

fn cases() -> Vec<(&'static str, Mutation, Expected)> {
    let limit_cases: [(&[&str], usize, &str); 9] = [
        (&["version"], 256, "eventData.version"),
        (
            &["userIdentity", "type"],
            128,
            "eventData.userIdentity.type",
        ),
        (
            &["userIdentity", "principalId"],
            1024,
            "eventData.userIdentity.principalId",
        ),
        (&["userAgent"], 1024, "eventData.userAgent"),
        (&["eventSource"], 1024, "eventData.eventSource"),
        (&["eventName"], 1024, "eventData.eventName"),
        (&["UID"], 1024, "eventData.UID"),
        (&["errorCode"], 256, "eventData.errorCode"),
        (&["errorMessage"], 256, "eventData.errorMessage"),
    ];
    let mut cases: Vec<(&'static str, Mutation, Expected)> =
        vec![("spec example", Box::new(|_: &mut Value| {}), None)];
    for (path, limit, field) in limit_cases {
        cases.push(("at the limit", Box::new(set(path, text(limit))), None));
        cases.push((
            "over the limit",
            Box::new(set(path, text(limit + 1))),
            Some((FieldTooLong, field)),
        ));
        // Limits count characters, not bytes.
        cases.push((
            "multi-byte at the limit",
            Box::new(set(path, Value::String("\u{e9}".repeat(limit)))),
            None,
        ));
    }
    let object_limits: [(&str, usize, &str); 3] = [
        (
            "requestParameters",
            MAX_REQUEST_PARAMETERS_BYTES,
            "eventData.requestParameters",
        ),
        (
            "responseElements",
            MAX_REQUEST_PARAMETERS_BYTES,
            "eventData.responseElements",
        ),
        (
            "additionalEventData",
            MAX_ADDITIONAL_EVENT_DATA_BYTES,
            "eventData.additionalEventData",
        ),
    ];
    for (name, limit, field) in object_limits {
        cases.push((
            "object at the limit",
            Box::new(set(&[name], object_of_bytes(limit))),
            None,
        ));
        cases.push((
            "object over the limit",
            Box::new(set(&[name], object_of_bytes(limit + 1))),
            Some((FieldTooLong, field)),
        ));
        cases.push((
            "object of the wrong type",
            Box::new(set(&[name], json!(["a"]))),
            Some((InvalidData, field)),
        ));
        cases.push(("optional null", Box::new(set(&[name], Value::Null)), None));
    }
    let required: [(&[&str], &str); 9] = [
        (&["version"], "eventData.version"),
        (&["userIdentity"], "eventData.userIdentity"),
        (&["userIdentity", "type"], "eventData.userIdentity.type"),
        (
            &["userIdentity", "principalId"],
            "eventData.userIdentity.principalId",
        ),
        (&["eventSource"], "eventData.eventSource"),
        (&["eventName"], "eventData.eventName"),
        (&["eventTime"], "eventData.eventTime"),
        (&["UID"], "eventData.UID"),
        (&["recipientAccountId"], "eventData.recipientAccountId"),
    ];
    for (path, field) in required {
        cases.push((
            "required missing",
            Box::new(remove(path)),
            Some((FieldNotFound, field)),
        ));
        cases.push((
            "required null",
            Box::new(set(path, Value::Null)),
            Some((InvalidData, field)),
        ));
    }
    let optional: [&[&str]; 8] = [
        &["userIdentity", "details"],
        &["userAgent"],
        &["requestParameters"],
        &["responseElements"],
        &["errorCode"],
        &["errorMessage"],
        &["sourceIPAddress"],
        &["additionalEventData"],
    ];
    for path in optional {
        cases.push(("optional missing", Box::new(remove(path)), None));
    }
    let wrong_types: [(&[&str], Value, &str); 9] = [
        (&["version"], json!(1.0), "eventData.version"),
        (
            &["userIdentity"],
            json!("GitHubUser"),
            "eventData.userIdentity",
        ),
        (
            &["userIdentity", "type"],
            json!(["GitHubUser"]),
            "eventData.userIdentity.type",
        ),
        (
            &["userIdentity", "details"],
            json!("org=acme"),
            "eventData.userIdentity.details",
        ),
        (&["eventSource"], json!(true), "eventData.eventSource"),
        (&["eventTime"], json!(1_772_645_412), "eventData.eventTime"),
        (&["UID"], json!({}), "eventData.UID"),
        (
            &["sourceIPAddress"],
            json!(3_221_225_999_u64),
            "eventData.sourceIPAddress",
        ),
        (
            &["recipientAccountId"],
            json!(210_987_654_321_u64),
            "eventData.recipientAccountId",
        ),
    ];
    for (path, value, field) in wrong_types {
        cases.push((
            "wrong type",
            Box::new(set(path, value)),
            Some((InvalidData, field)),
        ));
    }
    for bad_time in [
        "2026-03-04T17:30:12",
        "2026-03-04T17:30:12.000Z",
        "2026-03-04T17:30:12+00:00",
        "2026-03-04 17:30:12Z",
        "2026-02-30T17:30:12Z",
        "2026-03-04T17:30:60Z",
        "",
    ] {
        cases.push((
            "bad eventTime",
            Box::new(set(&["eventTime"], json!(bad_time))),
            Some((InvalidData, "eventData.eventTime")),
        ));
    }
    for good_ip in [
        "192.0.2.15",
        "0.0.0.0",
        "2001:db8::1",
        "::1",
        "::ffff:192.0.2.1",
    ] {
        cases.push((
            "good address",
            Box::new(set(&["sourceIPAddress"], json!(good_ip))),
            None,
        ));
    }
    for bad_ip in [
        "192.0.2.256",
        "192.0.2",
        "github.com",
        "2001:db8::g",
        "192.0.2.15:443",
        "",
    ] {
        cases.push((
            "bad address",
            Box::new(set(&["sourceIPAddress"], json!(bad_ip))),
            Some((InvalidData, "eventData.sourceIPAddress")),
        ));
    }
    cases.push((
        "other recipient",
        Box::new(set(&["recipientAccountId"], json!("111122223333"))),
        Some((InvalidRecipient, "eventData.recipientAccountId")),
    ));
    cases.push((
        "unknown members are kept",
        Box::new(set(&["custom"], json!({"a": [1, 2]}))),
        None,
    ));
    cases
}

#[test]
fn event_data_table() {
    for (name, mutate, expected) in cases() {
        let mut data = spec_event_data();
        mutate(&mut data);
        let event_data = serde_json::to_string(&data).unwrap();
        let outcome = ingest_one(&event_data, None);
        match (outcome, expected) {
            (Ok(record), None) => {
                let stored: Value = serde_json::from_slice(&record.json).unwrap();
                assert_eq!(stored["eventData"], data, "{name}");
            }
            (Err(failure), Some((code, field))) => {
                assert_eq!(
                    failure.error_code, code,
                    "{name} {field}: {}",
                    failure.error_message
                );
                assert!(
                    failure.error_message.contains(&format!("`{field}`")),
                    "{name}: message {:?} does not name `{field}`",
                    failure.error_message
                );
                let length = failure.error_message.chars().count();
                assert!((1..=1024).contains(&length), "{name}");
                assert_eq!(failure.id, "evt-1");
            }
            (Ok(_), Some((code, field))) => panic!("{name}: accepted, expected {code} on {field}"),
            (Err(failure), None) => panic!("{name}: refused: {failure:?}"),
        }
    }
}

#[test]
fn event_data_that_is_not_a_json_object_is_invalid_data() {
    for bad in [
        "", "not json", "[]", "\"text\"", "42", "null", "{\"a\":1", "{} {}",
    ] {
        let failure = ingest_one(bad, None).unwrap_err();
        assert_eq!(failure.error_code, InvalidData, "{bad:?}");
        assert!(
            failure.error_message.contains("`eventData`"),
            "{}",
            failure.error_message
        );
    }
}

#[test]
fn duplicate_members_are_invalid_data() {
    let top = SPEC_EVENT_DATA.replacen("{", r#"{"UID":"first","#, 1);
    let failure = ingest_one(&top, None).unwrap_err();
    assert_eq!(failure.error_code, InvalidData);
    assert!(
        failure.error_message.contains("`UID`"),
        "{}",
        failure.error_message
    );

    let nested = SPEC_EVENT_DATA.replacen(r#""type":"GitHubUser""#, r#""type":"A","type":"B""#, 1);
    let failure = ingest_one(&nested, None).unwrap_err();
    assert_eq!(failure.error_code, InvalidData);
    assert!(failure.error_message.contains("`eventData.userIdentity`"));
}

#[test]
fn checks_run_in_table_order_and_report_the_first_failure() {
    let mut data = spec_event_data();
    data.as_object_mut().unwrap().remove("eventName");
    data["version"] = text(257);
    data["recipientAccountId"] = json!("111122223333");
    let failure = ingest_one(&serde_json::to_string(&data).unwrap(), None).unwrap_err();
    assert_eq!(failure.error_code, FieldTooLong);
    assert!(failure.error_message.contains("`eventData.version`"));
}

#[test]
fn checksums_computed_with_openssl() {
    // printf %s "$SPEC_EVENT_DATA" | openssl dgst -binary -sha256 | base64
    assert_eq!(
        event_data_checksum(SPEC_EVENT_DATA),
        SPEC_EVENT_DATA_CHECKSUM
    );
    // printf %s 'é{}' | openssl dgst -binary -sha256 | base64 (UTF-8 bytes are hashed)
    assert_eq!(
        event_data_checksum("\u{e9}{}"),
        "grsX894sfvHHJM21t0kQR++J6Bro2tPKF6JpOrTdbl4="
    );
    // printf %s '' | openssl dgst -binary -sha256 | base64
    assert_eq!(
        event_data_checksum(""),
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
    );

    assert!(ingest_one(SPEC_EVENT_DATA, Some(SPEC_EVENT_DATA_CHECKSUM)).is_ok());
    assert!(
        ingest_one(
            SPEC_EVENT_DATA,
            Some(SPEC_EVENT_DATA_CHECKSUM.trim_end_matches('='))
        )
        .is_ok()
    );
    // A matching checksum does not make bad data good: the checksum runs first, then the
    // object checks.
    let failure = ingest_one(
        "\u{e9}{}",
        Some("grsX894sfvHHJM21t0kQR++J6Bro2tPKF6JpOrTdbl4="),
    )
    .unwrap_err();
    assert_eq!(failure.error_code, InvalidData);
}

#[test]
fn checksum_mismatches_are_invalid_checksum() {
    let with_space = format!("{SPEC_EVENT_DATA} ");
    let cases = [
        (with_space.as_str(), SPEC_EVENT_DATA_CHECKSUM),
        (
            SPEC_EVENT_DATA,
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
        ),
        (SPEC_EVENT_DATA, ""),
        (SPEC_EVENT_DATA, "not base64!"),
        (
            SPEC_EVENT_DATA,
            "KGMhEmWEQs5VSMm5HNm-PnsU6PimzkbqDibMai4q9wY=",
        ),
        // The hex digest is not the Base64 one.
        (
            SPEC_EVENT_DATA,
            "28632112658442ce5548c9b91cd9be3e7b14e8f8a6ce46ea0e26cc6a2e2af706",
        ),
        // An invalid eventData with a wrong checksum reports the checksum.
        ("not json", SPEC_EVENT_DATA_CHECKSUM),
    ];
    for (event_data, checksum) in cases {
        let failure = ingest_one(event_data, Some(checksum)).unwrap_err();
        assert_eq!(
            failure.error_code,
            EventErrorCode::InvalidChecksum,
            "{checksum:?}"
        );
        assert!(failure.error_message.contains("`eventDataChecksum`"));
    }
}
