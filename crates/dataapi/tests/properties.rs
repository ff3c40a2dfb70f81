//! Property tests: no body panics, and every accepted request yields one outcome per event.

use proptest::prelude::*;
use serde_json::{Value, json};

use opentrail_dataapi::{RequestLimits, check_request, event_data_checksum};

use crate::support::{SPEC_EVENT_DATA, build, seeded_ids};

/// The outcomes are one per event, in order, and well-formed.
fn assert_one_outcome_per_event(body: &[u8]) {
    let Ok(checked) = check_request(body, RequestLimits::default()) else {
        return;
    };
    let outcomes = build(&checked, &seeded_ids());
    assert_eq!(outcomes.len(), checked.len());
    let mut successful = 0;
    let mut failed = 0;
    for (event, outcome) in checked.audit_events().iter().zip(&outcomes) {
        match outcome {
            Ok(record) => {
                successful += 1;
                assert_eq!(record.id, event.id());
                let stored: Value = serde_json::from_slice(&record.json).unwrap();
                assert_eq!(stored["eventID"], json!(record.event_id));
            }
            Err(failure) => {
                failed += 1;
                assert_eq!(failure.id, event.id());
                assert!((1..=1024).contains(&failure.error_message.chars().count()));
                assert!((1..=128).contains(&failure.error_code.as_str().len()));
            }
        }
    }
    assert_eq!(successful + failed, checked.len());
    let response = opentrail_dataapi::PutAuditEventsResponse::from_outcomes(&outcomes);
    assert_eq!(
        response.successful.len() + response.failed.len(),
        checked.len()
    );
}

/// eventData values: the valid example, mutations of it, JSON scraps and noise.
fn event_data_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(SPEC_EVENT_DATA.to_owned()),
        (0..SPEC_EVENT_DATA.len()).prop_map(|cut| SPEC_EVENT_DATA[..cut].to_owned()),
        (
            prop::sample::select(vec![
                "version",
                "userIdentity",
                "eventTime",
                "UID",
                "sourceIPAddress",
                "recipientAccountId",
                "requestParameters",
                "eventSource",
            ]),
            prop_oneof![
                Just(Value::Null),
                any::<i64>().prop_map(Value::from),
                ".{0,40}".prop_map(Value::String),
                Just(json!({ "a": "b" })),
                Just(json!([1, 2])),
            ],
        )
            .prop_map(|(field, value)| {
                let mut data: Value = serde_json::from_str(SPEC_EVENT_DATA).unwrap();
                data[field] = value;
                data.to_string()
            }),
        ".{0,64}",
        "[{}\\[\\]\":,a-z0-9 ]{0,64}",
    ]
}

fn entry_strategy() -> impl Strategy<Value = Value> {
    (
        prop_oneof!["[a-c]{1,2}", "[-_A-Za-z0-9]{1,8}", ".{0,4}"],
        event_data_strategy(),
        0..4_u8,
    )
        .prop_map(|(id, event_data, checksum_kind)| {
            let mut entry = json!({ "id": id, "eventData": event_data });
            match checksum_kind {
                0 => {}
                1 => entry["eventDataChecksum"] = json!(event_data_checksum(&event_data)),
                2 => {
                    entry["eventDataChecksum"] =
                        json!("KGMhEmWEQs5VSMm5HNm+PnsU6PimzkbqDibMai4q9wY=")
                }
                _ => entry["eventDataChecksum"] = json!("%%"),
            }
            entry
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..512)) {
        assert_one_outcome_per_event(&body);
    }

    #[test]
    fn arbitrary_text_never_panics(body in "[{}\\[\\]\":,a-zA-Z0-9 ]{0,200}") {
        assert_one_outcome_per_event(body.as_bytes());
    }

    #[test]
    fn structured_requests_get_one_outcome_per_event(
        entries in prop::collection::vec(entry_strategy(), 0..12),
    ) {
        let body = serde_json::to_vec(&json!({ "auditEvents": entries })).unwrap();
        assert_one_outcome_per_event(&body);
    }
}
