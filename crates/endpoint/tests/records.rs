//! The records of calls through an endpoint, byte for byte (`tests/golden/records.jsonl`):
//! what trails deliver and LookupEvents returns. `UPDATE_GOLDEN=1` rewrites the file.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

use std::path::Path;
use std::sync::Arc;

use http::{HeaderMap, HeaderValue, Method, Uri};
use opentrail_endpoint::records::{AuthMethod, CallFacts, DENIED_CODE, DENIED_MESSAGE, records};
use opentrail_endpoint::{Caller, KnownPrincipal};
use opentrail_testkit::golden::assert_golden;
use opentrail_types::Timestamp;

fn call(method: Method, target: &str) -> opentrail_identify::Call {
    let uri: Uri = format!("http://127.0.0.1:4580{target}").parse().unwrap();
    let mut headers = HeaderMap::new();
    headers.insert("host", HeaderValue::from_static("127.0.0.1:4580"));
    opentrail_identify::identify(
        &method,
        &uri,
        &headers,
        "s3",
        None,
        &opentrail_identify::Endpoint {
            s3_virtual_host_suffixes: &[],
            default_service: "s3",
        },
    )
}

fn facts<'a>(
    call: &'a opentrail_identify::Call,
    caller: &'a Caller,
    error: Option<(&'a str, &'a str)>,
    denied: bool,
) -> CallFacts<'a> {
    CallFacts {
        time: Timestamp::parse_event_time("2026-11-22T10:00:00Z").unwrap(),
        network_event_id: String::from("6d3a0c1e-0b5f-4f43-9d2e-5e0c9a1b2c3d"),
        data_event_ids: [
            String::from("0a1b2c3d-4e5f-4061-8728-394a5b6c7d8e"),
            String::from("1b2c3d4e-5f60-4172-8839-4a5b6c7d8e9f"),
            String::from("2c3d4e5f-6071-4283-994a-5b6c7d8e9fa0"),
        ],
        call,
        caller,
        region: "us-east-1",
        source_ip: String::from("10.20.31.44"),
        user_agent: Some("aws-cli/2.31.0 md/command#s3api.get-object"),
        request_id: Some("X2C6PJ0ZQ8M1N4TB"),
        error,
        endpoint_id: "vpce-0a1b2c3d4e5f60718",
        owner_account: "210987654321",
        bytes_in: 0,
        bytes_out: 5120,
        auth: AuthMethod::Header,
        denied,
    }
}

#[test]
fn records_of_calls_match_the_golden_file() {
    let member = Caller::resolve(
        Some("AKIAMEMBER0000000001"),
        Some(Arc::new(KnownPrincipal {
            account_id: String::from("111122223333"),
            arn: String::from("arn:aws:iam::111122223333:user/alice"),
            user_name: String::from("alice"),
            principal_id: String::from("AIDAMEMBER0000000001"),
        })),
    );
    let owner_member = Caller::resolve(
        Some("AKIAOWNER00000000001"),
        Some(Arc::new(KnownPrincipal {
            account_id: String::from("210987654321"),
            arn: String::from("arn:aws:iam::210987654321:user/ops"),
            user_name: String::from("ops"),
            principal_id: String::from("AIDAOWNER00000000001"),
        })),
    );
    let outsider = Caller::resolve(Some("ASIAY34FZKBOKMUTVV7A"), None);
    let anonymous = Caller::resolve(None, None);
    let get = call(Method::GET, "/reports/2026/q3.csv");
    let list = call(Method::GET, "/reports?list-type=2&prefix=2026");
    let create = call(Method::PUT, "/reports");
    let cases = [
        (
            "GetObject by a member of another account",
            facts(&get, &member, None, false),
        ),
        (
            "GetObject by the owner's own principal",
            facts(&get, &owner_member, None, false),
        ),
        (
            "ListObjectsV2 by a member",
            facts(&list, &member, None, false),
        ),
        (
            "CreateBucket (management: network event only)",
            facts(&create, &member, None, false),
        ),
        (
            "GetObject denied to an outsider",
            facts(&get, &outsider, Some((DENIED_CODE, DENIED_MESSAGE)), true),
        ),
        (
            "GetObject of a missing key, anonymous",
            CallFacts {
                auth: AuthMethod::None,
                ..facts(
                    &get,
                    &anonymous,
                    Some(("NoSuchKey", "The specified key does not exist.")),
                    false,
                )
            },
        ),
    ];
    let mut golden = String::new();
    for (name, facts) in cases {
        golden.push_str(&format!("# {name}\n"));
        for event in records(&facts).unwrap() {
            golden.push_str(&String::from_utf8(event.to_json()).unwrap());
            golden.push('\n');
        }
    }
    assert_golden(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/records.jsonl"),
        &golden,
    );
}
