//! Test stores, written as real stores are: JSON records through
//! `opentrail_columnar::RowsBuilder`, Parquet files through
//! `opentrail_columnar::write_parquet`, tables of `opentrail_columnar::schema`,
//! all in an in-memory object store.
//!
//! - [`STORE_A`] and [`STORE_B`]: a handful of hand-written CloudTrail records
//!   the `.slt` files rely on.
//! - [`FIXTURE_STORE`]: every CloudTrail record of `opentrail-columnar`'s
//!   `testdata/` (copies of the shared fixtures, with their licence notes).
//! - [`INSIGHTS_STORE`] and [`ACTIVITY_STORE`]: records of the other two store
//!   kinds, built as spec §4.4 and §3.6.3 show.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use object_store::memory::InMemory;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use opentrail_columnar::{ParquetOptions, RowsBuilder, TableKind, schema, write_parquet};
use opentrail_sql::{StoreFile, StoreTable};
use serde_json::value::RawValue;
use serde_json::{Value, json};

/// Store with three daily files (2026-01-21, -22, -23).
pub const STORE_A: &str = "EXAMPLEf852-4e8f-8bd1-bcf6cEXAMPLE";
/// Store with two files, one of whose events shares an event id with store A.
pub const STORE_B: &str = "0c9a1b0e-5f3d-4b1a-9c2e-1234567890ab";
/// CloudTrail store of every fixture record, one file per fixture file.
pub const FIXTURE_STORE: &str = "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b";
/// Insights store (§3.4.3): the spec's and AWS's Insights records.
pub const INSIGHTS_STORE: &str = "1a5e7b3c-9d2f-4e60-8b14-7c3d2e1f0a96";
/// `ActivityAuditLog` store (§3.4.4): records as `PutAuditEvents` stores them.
pub const ACTIVITY_STORE: &str = "a0c7d1e2-3f4b-4c5d-8e6f-7a8b9c0d1e2f";

/// The fixture files of `opentrail-columnar`'s `testdata/` that hold
/// CloudTrail-events records (management, data, network activity), and the
/// one trail-format Insights pair, which a CloudTrail table also holds
/// (`insightdetails`).
pub const CLOUDTRAIL_FIXTURE_FILES: &[&str] = &[
    "218007301253_CloudTrail_us-east-1_20230710T1225Z_4iD2boYSOwmb6sWd.json",
    "aws.execution.ec2-launch-unusual-instances.json",
    "cloudtrail-log-file-examples--block05.json",
    "cloudtrail-log-file-examples--block10.json",
    "spec/management.json",
    "spec/data.json",
    "spec/network.json",
];

/// A file of `opentrail-columnar`'s `testdata/` (see its `NOTICE.md`).
pub fn columnar_testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../columnar/testdata")
        .join(name)
}

/// The records of a fixture file as exact text: a `Records` envelope, an
/// array, or one record.
pub fn split_records(text: &str) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Envelope {
        #[serde(rename = "Records")]
        records: Vec<Box<RawValue>>,
    }
    let trimmed = text.trim();
    let raw: Vec<Box<RawValue>> = if trimmed.starts_with('[') {
        serde_json::from_str(trimmed).unwrap()
    } else if let Ok(envelope) = serde_json::from_str::<Envelope>(trimmed) {
        envelope.records
    } else {
        return vec![trimmed.to_owned()];
    };
    raw.into_iter()
        .map(|record| record.get().to_owned())
        .collect()
}

/// The records of a file of `opentrail-columnar`'s `testdata/`.
pub fn testdata_records(name: &str) -> Vec<String> {
    split_records(&std::fs::read_to_string(columnar_testdata(name)).unwrap())
}

/// The records of [`FIXTURE_STORE`], one list per fixture file.
pub fn fixture_record_files() -> Vec<Vec<String>> {
    CLOUDTRAIL_FIXTURE_FILES
        .iter()
        .map(|name| testdata_records(name))
        .collect()
}

fn iam_user(name: &str) -> Value {
    json!({
        "type": "IAMUser",
        "principalId": format!("AIDA{}", name.to_uppercase()),
        "arn": format!("arn:aws:iam::111122223333:user/{name}"),
        "accountId": "111122223333",
        "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
        "userName": name,
    })
}

fn assumed_admin() -> Value {
    json!({
        "type": "AssumedRole",
        "principalId": "AROAEXAMPLE:admin-session",
        "arn": "arn:aws:sts::111122223333:assumed-role/Admin/admin-session",
        "accountId": "111122223333",
        "sessionContext": {
            "attributes": {"creationDate": "2026-01-21T23:00:00Z", "mfaAuthenticated": "false"},
            "sessionIssuer": {
                "type": "Role",
                "principalId": "AROAEXAMPLE",
                "arn": "arn:aws:iam::111122223333:role/Admin",
                "accountId": "111122223333",
                "userName": "Admin"
            }
        }
    })
}

/// A CloudTrail record (§1.1 member names) with `extra` members replacing or
/// adding to the common ones, as compact JSON text.
fn event(id: &str, time: &str, source: &str, name: &str, extra: Value) -> String {
    let mut record = json!({
        "eventVersion": "1.09",
        "userIdentity": iam_user("bob"),
        "eventTime": time,
        "eventSource": source,
        "eventName": name,
        "awsRegion": "us-east-1",
        "sourceIPAddress": "192.0.2.10",
        "userAgent": "aws-cli/2.0",
        "requestID": format!("req-{id}"),
        "eventID": id,
        "readOnly": false,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": "111122223333",
        "eventCategory": "Management",
        "tlsDetails": {"tlsVersion": "TLSv1.2", "cipherSuite": "ECDHE-RSA-AES128-GCM-SHA256", "clientProvidedHostHeader": "example.amazonaws.com"},
    });
    if let (Some(record), Value::Object(extra)) = (record.as_object_mut(), extra) {
        record.extend(extra);
    }
    record.to_string()
}

/// Store A's records, one inner list per file.
pub fn store_a_files() -> Vec<Vec<String>> {
    vec![
        vec![
            event(
                "a-1",
                "2026-01-21T08:00:00Z",
                "s3.amazonaws.com",
                "CreateBucket",
                json!({
                    "requestParameters": {"bucketName": "demo-bucket", "Host": "s3.amazonaws.com"},
                    "resources": [{"accountId": "111122223333", "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::demo-bucket"}],
                    "sessionCredentialFromConsole": "true",
                }),
            ),
            event(
                "a-2",
                "2026-01-21T09:30:00Z",
                "signin.amazonaws.com",
                "ConsoleLogin",
                json!({
                    "userIdentity": iam_user("alice"),
                    "awsRegion": "us-west-2",
                    "additionalEventData": {"MFAUsed": "No", "LoginTo": "https://console.aws.amazon.com/"},
                    "responseElements": {"ConsoleLogin": "Success"},
                    "eventType": "AwsConsoleSignIn",
                }),
            ),
        ],
        vec![
            event(
                "a-3",
                "2026-01-22T00:00:00Z",
                "sts.amazonaws.com",
                "AssumeRole",
                json!({
                    "userIdentity": assumed_admin(),
                    "resources": [{"accountId": "111122223333", "type": "AWS::IAM::Role", "ARN": "arn:aws:iam::111122223333:role/Admin"}],
                    "readOnly": true,
                }),
            ),
            event(
                "a-4",
                "2026-01-22T12:00:00.123Z",
                "s3.amazonaws.com",
                "GetObject",
                json!({
                    "requestParameters": {"bucketName": "demo-bucket", "key": "a.txt"},
                    "errorCode": "AccessDenied",
                    "errorMessage": "Access Denied",
                    "readOnly": true,
                    "managementEvent": false,
                    "eventCategory": "Data",
                    "recipientAccountId": "444455556666",
                }),
            ),
            event(
                "a-5",
                "2026-01-22T16:53:53Z",
                "cloudtrail.amazonaws.com",
                "StartQuery",
                json!({
                    "requestParameters": {"queryStatement": "SELECT 1"},
                    "responseElements": {"queryId": "q-1"},
                    "sessionCredentialFromConsole": "true",
                }),
            ),
        ],
        vec![
            event(
                "a-6",
                "2026-01-23T10:00:00Z",
                "ec2.amazonaws.com",
                "RunInstances",
                json!({
                    // A nested object: the map column holds it as compact JSON text.
                    "responseElements": {"instancesSet": {"items": [{"instanceId": "i-0abc"}]}},
                    "tlsDetails": {"tlsVersion": "TLSv1.3"},
                }),
            ),
            event(
                "a-7",
                "2026-01-23T20:25:01Z",
                "s3.amazonaws.com",
                "ListBuckets",
                json!({
                    "readOnly": true,
                    "userIdentity": null,
                    "tlsDetails": null,
                }),
            ),
        ],
    ]
}

/// Store B's records, one inner list per file.
pub fn store_b_files() -> Vec<Vec<String>> {
    vec![
        vec![event(
            "a-3",
            "2026-01-22T05:00:00Z",
            "sts.amazonaws.com",
            "AssumeRoleCopy",
            json!({}),
        )],
        vec![event(
            "b-2",
            "2026-01-24T05:00:00Z",
            "s3.amazonaws.com",
            "PutObject",
            json!({}),
        )],
    ]
}

/// The Insights store's records: the spec's Start/End pair (§4.7), AWS's
/// pair (2019), and an error-rate Start as our emitter writes it for a Lake
/// store (with `insightSource`, §4.5).
pub fn insights_files() -> Vec<Vec<String>> {
    let error_rate = json!({
        "eventVersion": "1.08",
        "eventTime": "2026-03-06T08:00:00Z",
        "awsRegion": "us-east-1",
        "eventID": "e7a1c3d5-0b2f-4a6e-8c9d-1f2e3d4c5b6a",
        "eventType": "AwsCloudTrailInsight",
        "recipientAccountId": "210987654321",
        "sharedEventID": "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
        "insightSource": "arn:aws:cloudtrail:us-east-1:210987654321:eventdatastore/EXAMPLEf852-4e8f-8bd1-bcf6cEXAMPLE",
        "insightDetails": {
            "state": "Start",
            "eventSource": "s3.amazonaws.com",
            "eventName": "GetObject",
            "errorCode": "AccessDenied",
            "insightType": "ApiErrorRateInsight",
            "insightContext": {
                "statistics": {
                    "baseline": {"average": 9.82222E-5},
                    "insight": {"average": 2.5},
                    "insightDuration": 1,
                    "baselineDuration": 10080
                },
                "attributions": [{
                    "attribute": "userIdentityArn",
                    "insight": [{"value": "arn:aws:iam::210987654321:user/bob", "average": 2.5}],
                    "baseline": []
                }]
            }
        },
        "eventCategory": "Insight"
    });
    vec![
        [
            testdata_records("spec/insight-start.json"),
            testdata_records("spec/insight-end.json"),
        ]
        .concat(),
        testdata_records("cloudtrail-log-file-examples--block10.json"),
        vec![error_rate.to_string()],
    ]
}

/// An `ActivityAuditLog` record as `PutAuditEvents` stores it (§3.6.3).
fn activity(id: &str, time: &str, source: &str, name: &str, event_data: Value) -> String {
    let mut data = json!({
        "version": "1.0",
        "userIdentity": {"type": "GitHubUser", "principalId": "octo-dev"},
        "eventSource": source,
        "eventName": name,
        "eventTime": time,
        "UID": format!("uid-{id}"),
        "recipientAccountId": "210987654321",
    });
    if let (Some(data), Value::Object(extra)) = (data.as_object_mut(), event_data) {
        data.extend(extra);
    }
    json!({
        "eventVersion": "1.11",
        "eventCategory": "ActivityAuditLog",
        "eventType": "ActivityLog",
        "eventID": id,
        "eventTime": time,
        "awsRegion": "us-east-1",
        "recipientAccountId": "210987654321",
        "metadata": {
            "ingestionTime": time,
            "channelARN": "arn:aws:cloudtrail:us-east-1:210987654321:channel/7e6d5c4b-3a29-4187-9f6e-5d4c3b2a1908"
        },
        "eventData": data,
    })
    .to_string()
}

/// The `ActivityAuditLog` store's records: the spec's example (§3.6.3) and
/// three more from a second channel.
pub fn activity_files() -> Vec<Vec<String>> {
    vec![
        testdata_records("spec/activity.json"),
        vec![
            activity(
                "act-2",
                "2026-03-04T18:00:00Z",
                "github.com",
                "repo.create",
                json!({"requestParameters": {"repo": "acme/other", "visibility": "public"}}),
            ),
            activity(
                "act-3",
                "2026-03-05T09:15:00Z",
                "github.com",
                "repo.delete",
                json!({
                    "userIdentity": {"type": "GitHubUser", "principalId": "octo-admin", "details": {"org": "acme", "role": "owner"}},
                    "errorCode": "Forbidden",
                    "errorMessage": "must be an organisation owner",
                    "additionalEventData": {"attempt": 2, "dryRun": false},
                }),
            ),
            activity(
                "act-4",
                "2025-12-31T23:59:59Z",
                "okta.com",
                "user.session.start",
                json!({
                    "userIdentity": {"type": "OktaUser", "principalId": "00u1a2b3c4"},
                    "sourceIPAddress": "198.51.100.7",
                    "userAgent": "Mozilla/5.0",
                }),
            ),
        ],
    ]
}

/// Writes `records` as one Parquet file of `kind` at `location`, as a store
/// writes it, and describes it.
pub async fn write_file(
    store: &dyn ObjectStore,
    kind: TableKind,
    location: &str,
    records: &[String],
) -> StoreFile {
    let mut rows = RowsBuilder::new(kind);
    for record in records {
        rows.push(record.as_bytes())
            .unwrap_or_else(|error| panic!("{error}: {record}"));
    }
    let batch = rows.finish().unwrap();
    let mut bytes = Vec::new();
    let summary = write_parquet(&[batch], &mut bytes, &ParquetOptions::default()).unwrap();
    assert_eq!(summary.bytes, bytes.len() as u64);
    let location = ObjectPath::from(location);
    store.put(&location, PutPayload::from(bytes)).await.unwrap();
    StoreFile {
        location,
        size: summary.bytes,
        rows: summary.rows,
        min_event_time_ms: summary.min_event_time_ms.unwrap(),
        max_event_time_ms: summary.max_event_time_ms.unwrap(),
    }
}

/// Writes a store's files of `kind` under `<name>/<n>.parquet`.
pub async fn write_store(
    store: &dyn ObjectStore,
    name: &str,
    kind: TableKind,
    files: Vec<Vec<String>>,
) -> StoreTable {
    let mut written = Vec::new();
    for (index, records) in files.iter().enumerate() {
        let location = format!("{name}/{index}.parquet");
        written.push(write_file(store, kind, &location, records).await);
    }
    StoreTable {
        name: name.to_owned(),
        schema: schema(kind),
        files: written,
    }
}

/// The object store and every test store.
pub async fn test_stores() -> (Arc<InMemory>, Vec<StoreTable>) {
    let object_store = Arc::new(InMemory::new());
    let store = object_store.as_ref();
    let tables = vec![
        write_store(store, STORE_A, TableKind::CloudTrail, store_a_files()).await,
        write_store(store, STORE_B, TableKind::CloudTrail, store_b_files()).await,
        write_store(
            store,
            FIXTURE_STORE,
            TableKind::CloudTrail,
            fixture_record_files(),
        )
        .await,
        write_store(store, INSIGHTS_STORE, TableKind::Insights, insights_files()).await,
        write_store(
            store,
            ACTIVITY_STORE,
            TableKind::ActivityAuditLog,
            activity_files(),
        )
        .await,
    ];
    (object_store, tables)
}
