//! Property tests: arbitrary JSON-ish input never panics, and map values are the compact
//! JSON text of what the record held.

use opentrail_columnar::{RowsBuilder, TableKind};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

use crate::support::{map_entries, one_batch};

/// Member names of every kind, so that generated objects reach the typed paths.
const MEMBERS: &[&str] = &[
    "eventTime",
    "eventID",
    "eventVersion",
    "recipientAccountId",
    "userIdentity",
    "type",
    "arn",
    "sessionContext",
    "attributes",
    "creationDate",
    "mfaAuthenticated",
    "sessionIssuer",
    "webIdFederationData",
    "onBehalfOf",
    "inScopeOf",
    "resources",
    "ARN",
    "accountId",
    "readOnly",
    "managementEvent",
    "requestParameters",
    "responseElements",
    "tlsDetails",
    "addendum",
    "insightDetails",
    "insightContext",
    "statistics",
    "baseline",
    "insight",
    "average",
    "insightDuration",
    "baselineDuration",
    "attributions",
    "attribute",
    "value",
    "eventData",
    "metadata",
    "details",
    "UID",
    "userAgent",
    "sessionCredentialFromConsole",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(MEMBERS).prop_map(str::to_owned),
        1 => "\\PC{0,8}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|number| json!(number)),
        any::<f64>()
            .prop_filter("finite", |number| number.is_finite())
            .prop_map(|number| json!(number)),
        "\\PC{0,12}".prop_map(Value::String),
        Just(json!("2026-01-22T16:53:53Z")),
        Just(json!("true")),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((key(), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A record-like object: random members, usually with a valid `eventTime`.
fn record() -> impl Strategy<Value = Value> {
    (
        proptest::collection::vec((key(), json_value()), 0..10),
        proptest::option::weighted(0.8, Just(json!("2026-01-22T16:53:53Z"))),
    )
        .prop_map(|(pairs, time)| {
            let mut object: Map<String, Value> = pairs.into_iter().collect();
            if let Some(time) = time {
                object.insert("eventTime".to_owned(), time);
            }
            Value::Object(object)
        })
}

proptest! {
    #[test]
    fn random_records_never_panic(value in record(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            serde_json::to_string(&value).unwrap()
        };
        for kind in TableKind::ALL {
            let mut rows = RowsBuilder::new(kind);
            let accepted = usize::from(rows.push(text.as_bytes()).is_ok());
            prop_assert_eq!(rows.finish().unwrap().num_rows(), accepted);
        }
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        for kind in TableKind::ALL {
            let mut rows = RowsBuilder::new(kind);
            let accepted = usize::from(rows.push(&bytes).is_ok());
            prop_assert_eq!(rows.finish().unwrap().num_rows(), accepted);
        }
    }

    #[test]
    fn map_values_are_compact_json_of_the_member(value in json_value()) {
        let record = json!({"eventTime": "2026-01-22T16:53:53Z", "requestParameters": {"k": value}});
        let batch = one_batch(TableKind::CloudTrail, &serde_json::to_string_pretty(&record).unwrap());
        let expected = match &value {
            Value::Null => None,
            Value::String(text) => Some(text.clone()),
            other => Some(serde_json::to_string(other).unwrap()),
        };
        prop_assert_eq!(
            map_entries(&batch, "requestparameters", 0),
            Some(vec![("k".to_owned(), expected)])
        );
    }
}
