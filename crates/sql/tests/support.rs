//! Test stores: a handful of CloudTrail-like events written as Parquet into an
//! in-memory object store.
//!
//! The schema is a copy of `opentrail-columnar`'s CloudTrail schema (§3.4.2);
//! once that crate is a dependency, use `opentrail_columnar::schema` and its
//! writer instead.

use std::io::Cursor;
use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, Fields, Schema, SchemaRef, TimeUnit};
use datafusion::arrow::json::ReaderBuilder;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::file::properties::{EnabledStatistics, WriterProperties};
use object_store::memory::InMemory;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use opentrail_sql::{StoreFile, StoreTable};
use serde_json::{Value, json};

/// Store with three daily files (2026-01-21, -22, -23).
pub const STORE_A: &str = "EXAMPLEf852-4e8f-8bd1-bcf6cEXAMPLE";
/// Store with two files, one of whose events shares an event id with store A.
pub const STORE_B: &str = "0c9a1b0e-5f3d-4b1a-9c2e-1234567890ab";

fn text(name: &str) -> Field {
    Field::new(name, DataType::Utf8, true)
}

fn texts(names: &[&str]) -> Vec<Field> {
    names.iter().map(|name| text(name)).collect()
}

fn map(name: &str) -> Field {
    let entries = Fields::from(vec![
        Field::new("keys", DataType::Utf8, false),
        Field::new("values", DataType::Utf8, true),
    ]);
    let entries = Field::new("entries", DataType::Struct(entries), false);
    Field::new(name, DataType::Map(Arc::new(entries), false), true)
}

fn structure(name: &str, members: Vec<Field>) -> Field {
    Field::new(name, DataType::Struct(Fields::from(members)), true)
}

fn timestamp(name: &str, nullable: bool) -> Field {
    Field::new(
        name,
        DataType::Timestamp(TimeUnit::Millisecond, None),
        nullable,
    )
}

/// The CloudTrail-events store schema of §3.4.2.
pub fn cloudtrail_schema() -> SchemaRef {
    let session_context = structure(
        "sessioncontext",
        vec![
            structure(
                "attributes",
                vec![timestamp("creationdate", true), text("mfaauthenticated")],
            ),
            structure(
                "sessionissuer",
                texts(&["type", "principalid", "arn", "accountid", "username"]),
            ),
            structure(
                "webidfederationdata",
                vec![text("federatedprovider"), map("attributes")],
            ),
            text("sourceidentity"),
            text("ec2roledelivery"),
            text("ec2issuedinvpc"),
        ],
    );
    let mut identity = texts(&[
        "type",
        "principalid",
        "arn",
        "accountid",
        "accesskeyid",
        "username",
    ]);
    identity.push(session_context);
    identity.push(structure(
        "onbehalfof",
        texts(&["userid", "identitystorearn"]),
    ));
    identity.push(structure(
        "inscopeof",
        texts(&[
            "sourcearn",
            "sourceaccount",
            "issuertype",
            "credentialsissuedto",
        ]),
    ));
    identity.extend(texts(&["invokedby", "identityprovider"]));
    let resource = Field::new(
        "item",
        DataType::Struct(Fields::from(texts(&[
            "accountid",
            "type",
            "arn",
            "arnprefix",
        ]))),
        true,
    );
    let mut columns = vec![
        text("eventversion"),
        structure("useridentity", identity),
        timestamp("eventtime", false),
    ];
    columns.extend(texts(&[
        "eventsource",
        "eventname",
        "awsregion",
        "sourceipaddress",
        "useragent",
        "errorcode",
        "errormessage",
    ]));
    columns.extend([
        map("requestparameters"),
        map("responseelements"),
        map("additionaleventdata"),
    ]);
    columns.extend(texts(&["requestid", "eventid"]));
    columns.push(Field::new("readonly", DataType::Boolean, true));
    columns.push(Field::new(
        "resources",
        DataType::List(Arc::new(resource)),
        true,
    ));
    columns.extend(texts(&["eventtype", "apiversion"]));
    columns.push(Field::new("managementevent", DataType::Boolean, true));
    columns.extend(texts(&[
        "recipientaccountid",
        "sharedeventid",
        "annotation",
        "vpcendpointid",
        "vpcendpointaccountid",
    ]));
    columns.extend([
        map("serviceeventdetails"),
        map("addendum"),
        map("edgedevicedetails"),
        map("insightdetails"),
    ]);
    columns.push(text("eventcategory"));
    columns.push(structure(
        "tlsdetails",
        texts(&["tlsversion", "ciphersuite", "clientprovidedhostheader"]),
    ));
    columns.extend(texts(&[
        "sessioncredentialfromconsole",
        "eventjson",
        "eventjsonchecksum",
    ]));
    Arc::new(Schema::new(columns))
}

fn iam_user(name: &str) -> Value {
    json!({
        "type": "IAMUser",
        "principalid": format!("AIDA{}", name.to_uppercase()),
        "arn": format!("arn:aws:iam::111122223333:user/{name}"),
        "accountid": "111122223333",
        "accesskeyid": "AKIAIOSFODNN7EXAMPLE",
        "username": name,
    })
}

fn assumed_admin() -> Value {
    json!({
        "type": "AssumedRole",
        "principalid": "AROAEXAMPLE:admin-session",
        "arn": "arn:aws:sts::111122223333:assumed-role/Admin/admin-session",
        "accountid": "111122223333",
        "sessioncontext": {
            "attributes": {"creationdate": "2026-01-21T23:00:00Z", "mfaauthenticated": "false"},
            "sessionissuer": {
                "type": "Role",
                "principalid": "AROAEXAMPLE",
                "arn": "arn:aws:iam::111122223333:role/Admin",
                "accountid": "111122223333",
                "username": "Admin"
            }
        }
    })
}

fn event(id: &str, time: &str, source: &str, name: &str, extra: Value) -> Value {
    let mut record = json!({
        "eventversion": "1.09",
        "eventtime": time,
        "eventsource": source,
        "eventname": name,
        "awsregion": "us-east-1",
        "sourceipaddress": "192.0.2.10",
        "useragent": "aws-cli/2.0",
        "requestid": format!("req-{id}"),
        "eventid": id,
        "readonly": false,
        "eventtype": "AwsApiCall",
        "managementevent": true,
        "recipientaccountid": "111122223333",
        "eventcategory": "Management",
        "eventjson": format!("{{\"eventID\":\"{id}\"}}"),
        "useridentity": iam_user("bob"),
        "tlsdetails": {"tlsversion": "TLSv1.2", "ciphersuite": "ECDHE-RSA-AES128-GCM-SHA256", "clientprovidedhostheader": "example.amazonaws.com"},
    });
    if let (Some(record), Value::Object(extra)) = (record.as_object_mut(), extra) {
        record.extend(extra);
    }
    record
}

/// Store A's events, one inner list per file.
pub fn store_a_files() -> Vec<Vec<Value>> {
    vec![
        vec![
            event(
                "a-1",
                "2026-01-21T08:00:00Z",
                "s3.amazonaws.com",
                "CreateBucket",
                json!({
                    "requestparameters": {"bucketName": "demo-bucket", "Host": "s3.amazonaws.com"},
                    "resources": [{"accountid": "111122223333", "type": "AWS::S3::Bucket", "arn": "arn:aws:s3:::demo-bucket", "arnprefix": "arn:aws:s3:::"}],
                    "sessioncredentialfromconsole": "true",
                }),
            ),
            event(
                "a-2",
                "2026-01-21T09:30:00Z",
                "signin.amazonaws.com",
                "ConsoleLogin",
                json!({
                    "useridentity": iam_user("alice"),
                    "awsregion": "us-west-2",
                    "additionaleventdata": {"MFAUsed": "No", "LoginTo": "https://console.aws.amazon.com/"},
                    "responseelements": {"ConsoleLogin": "Success"},
                    "eventtype": "AwsConsoleSignIn",
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
                    "useridentity": assumed_admin(),
                    "resources": [{"accountid": "111122223333", "type": "AWS::IAM::Role", "arn": "arn:aws:iam::111122223333:role/Admin", "arnprefix": "arn:aws:iam::111122223333:role/"}],
                    "readonly": true,
                }),
            ),
            event(
                "a-4",
                "2026-01-22T12:00:00.123Z",
                "s3.amazonaws.com",
                "GetObject",
                json!({
                    "requestparameters": {"bucketName": "demo-bucket", "key": "a.txt"},
                    "errorcode": "AccessDenied",
                    "errormessage": "Access Denied",
                    "readonly": true,
                    "managementevent": false,
                    "eventcategory": "Data",
                    "recipientaccountid": "444455556666",
                }),
            ),
            event(
                "a-5",
                "2026-01-22T16:53:53Z",
                "cloudtrail.amazonaws.com",
                "StartQuery",
                json!({
                    "requestparameters": {"queryStatement": "SELECT 1"},
                    "responseelements": {"queryId": "q-1"},
                    "sessioncredentialfromconsole": "true",
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
                    "responseelements": {"instancesSet": "{\"items\":[{\"instanceId\":\"i-0abc\"}]}"},
                    "tlsdetails": {"tlsversion": "TLSv1.3"},
                }),
            ),
            event(
                "a-7",
                "2026-01-23T20:25:01Z",
                "s3.amazonaws.com",
                "ListBuckets",
                json!({
                    "readonly": true,
                    "useridentity": null,
                    "tlsdetails": null,
                }),
            ),
        ],
    ]
}

/// Store B's events, one inner list per file.
pub fn store_b_files() -> Vec<Vec<Value>> {
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

/// Writes `events` as one Parquet file at `location` and describes it.
pub async fn write_file(
    store: &dyn ObjectStore,
    schema: &SchemaRef,
    location: &str,
    events: &[Value],
) -> StoreFile {
    let mut ndjson = Vec::new();
    for event in events {
        serde_json::to_writer(&mut ndjson, event).unwrap();
        ndjson.push(b'\n');
    }
    let mut reader = ReaderBuilder::new(Arc::clone(schema))
        .build(Cursor::new(ndjson))
        .unwrap();
    let batch = reader.next().unwrap().unwrap();
    let times = batch
        .column_by_name("eventtime")
        .unwrap()
        .as_any()
        .downcast_ref::<datafusion::arrow::array::TimestampMillisecondArray>()
        .unwrap();
    let min = times.iter().flatten().min().unwrap();
    let max = times.iter().flatten().max().unwrap();
    let properties = WriterProperties::builder()
        .set_statistics_enabled(EnabledStatistics::Page)
        .build();
    let mut bytes = Vec::new();
    let mut writer =
        ArrowWriter::try_new(&mut bytes, Arc::clone(schema), Some(properties)).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    let size = bytes.len() as u64;
    let location = Path::from(location);
    store.put(&location, PutPayload::from(bytes)).await.unwrap();
    StoreFile {
        location,
        size,
        rows: batch.num_rows() as u64,
        min_event_time_ms: min,
        max_event_time_ms: max,
    }
}

/// Writes a store's files under `<name>/<n>.parquet`.
pub async fn write_store(
    store: &dyn ObjectStore,
    name: &str,
    files: Vec<Vec<Value>>,
) -> StoreTable {
    let schema = cloudtrail_schema();
    let mut written = Vec::new();
    for (index, events) in files.iter().enumerate() {
        written.push(write_file(store, &schema, &format!("{name}/{index}.parquet"), events).await);
    }
    StoreTable {
        name: name.to_owned(),
        schema,
        files: written,
    }
}

/// The object store and the two test stores.
pub async fn test_stores() -> (Arc<InMemory>, Vec<StoreTable>) {
    let object_store = Arc::new(InMemory::new());
    let a = write_store(object_store.as_ref(), STORE_A, store_a_files()).await;
    let b = write_store(object_store.as_ref(), STORE_B, store_b_files()).await;
    (object_store, vec![a, b])
}
