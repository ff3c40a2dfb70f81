//! The trail operations through `opentrail_api::call`, JSON in and JSON out: the cases of
//! `tests/wire/trails-sequence.txt` run in order against one registry. Each request file
//! is `{"source", "region"?, "account"?, "body"}` (default region `us-east-1`, account
//! `111122223333`); each response file is the status line and the exact response body.
//! The clock starts at 2023-11-14T22:13:20Z and moves one second before each call.

use opentrail_api::{Operation, Scope, call};

use crate::fakes::{Buckets, Topics};
use crate::support::{ACCOUNT, Fixture, REGION, run_sequence};

#[test]
fn trail_operations_wire_goldens() {
    let fixture = Fixture::open();
    let (seen_operations, _) = run_sequence(&fixture, &Buckets, &Topics, "trails-sequence.txt");
    assert_eq!(seen_operations.len(), 16, "every trail operation has cases");
    fixture.close();
}

#[test]
fn empty_bodies_and_bad_json_are_answered_like_lookup_events() {
    let fixture = Fixture::open();
    let services = fixture.services(&Buckets, &Topics);
    let scope = Scope {
        account_id: String::from(ACCOUNT),
        region: String::from(REGION),
    };
    let listed = call(services, &scope, Operation::ListTrails, b"").unwrap();
    assert_eq!(listed, br#"{"Trails":[]}"#);
    let described = call(services, &scope, Operation::DescribeTrails, b"  ").unwrap();
    assert_eq!(described, br#"{"trailList":[]}"#);
    let error = call(services, &scope, Operation::GetTrail, b"{\"Name\":").unwrap_err();
    assert_eq!(error.code.as_str(), "SerializationException");
    let error = call(services, &scope, Operation::GenerateQuery, b"{}").unwrap_err();
    assert_eq!(error.code.as_str(), "UnsupportedOperationException");
    fixture.close();
}

#[test]
fn list_public_keys_returns_the_regions_keys_in_the_window() {
    let fixture = Fixture::open();
    let services = fixture.services(&Buckets, &Topics);
    let scope = Scope {
        account_id: String::from(ACCOUNT),
        region: String::from(REGION),
    };
    // No times: the current key, made on first use.
    let listed = call(services, &scope, Operation::ListPublicKeys, b"{}").unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&listed).unwrap();
    let keys = listed["PublicKeyList"].as_array().unwrap();
    assert_eq!(keys.len(), 1, "{listed}");
    let value = keys[0]["Value"].as_str().unwrap();
    assert!(
        value.starts_with("MIIBCgKCAQEA"),
        "PKCS#1 RSAPublicKey DER: {value}"
    );
    let der = opentrail_digest::public_key_from_base64(value).unwrap();
    assert_eq!(
        keys[0]["Fingerprint"],
        opentrail_digest::fingerprint(&der).as_str()
    );
    let start = keys[0]["ValidityStartTime"].as_f64().unwrap();
    assert!(start <= 1_700_000_000.0);
    assert!(keys[0]["ValidityEndTime"].as_f64().unwrap() > 1_700_000_000.0);
    // A window long before the key existed holds none.
    let before = call(
        services,
        &scope,
        Operation::ListPublicKeys,
        br#"{"StartTime": 1000000000, "EndTime": 1000003600}"#,
    )
    .unwrap();
    assert_eq!(before, br#"{"PublicKeyList":[]}"#);
    // Another Region has its own key.
    let west = Scope {
        account_id: String::from(ACCOUNT),
        region: String::from("us-west-2"),
    };
    let other = call(services, &west, Operation::ListPublicKeys, b"{}").unwrap();
    let other: serde_json::Value = serde_json::from_slice(&other).unwrap();
    assert_ne!(
        other["PublicKeyList"][0]["Fingerprint"],
        keys[0]["Fingerprint"]
    );
    let reversed = call(
        services,
        &scope,
        Operation::ListPublicKeys,
        br#"{"StartTime": 1700003600, "EndTime": 1700000000}"#,
    )
    .unwrap_err();
    assert_eq!(reversed.code.as_str(), "InvalidTimeRangeException");
    fixture.close();
}
