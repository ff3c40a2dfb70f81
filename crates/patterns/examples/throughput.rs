//! Measures the shared matcher: 1,000 rules of mixed pattern kinds against CloudTrail
//! records (from `testdata/cloudtrail-records/`) wrapped in the EventBridge envelope, on
//! one thread, parsing each event's bytes every time.
//!
//! Run with `cargo run --release -p opentrail-patterns --example throughput [events]`.

use std::error::Error;
use std::time::Instant;

use opentrail_patterns::{MatcherBuilder, Pattern};
use serde_json::{Value, json};

const RULES: usize = 1_000;
const DEFAULT_EVENTS: usize = 200_000;

/// Services and operations rules are written for (some occur in the records, most not).
const SOURCES: &[&str] = &[
    "aws.ec2",
    "aws.ssm",
    "aws.iam",
    "aws.sts",
    "aws.s3",
    "aws.kms",
    "aws.lambda",
    "aws.secretsmanager",
    "aws.bedrock",
    "aws.signin",
    "aws.cloudtrail",
    "aws.rds",
    "aws.dynamodb",
    "aws.sns",
    "aws.sqs",
    "aws.logs",
    "aws.organizations",
    "aws.ecr",
];
const EVENT_NAMES: &[&str] = &[
    "DescribeInstanceInformation",
    "GetPasswordData",
    "AssumeRole",
    "ConsoleLogin",
    "BatchGetSecretValue",
    "GetParameters",
    "RunInstances",
    "TerminateInstances",
    "CreateUser",
    "DeleteUser",
    "AttachRolePolicy",
    "PutBucketPolicy",
    "DeleteBucket",
    "CreateKey",
    "ScheduleKeyDeletion",
    "StopLogging",
    "DeleteTrail",
    "UpdateFunctionCode",
    "CreateAccessKey",
    "PutRolePolicy",
    "CreateLoginProfile",
    "LeaveOrganization",
    "DeleteFlowLogs",
    "SendCommand",
    "StartSession",
    "GetSecretValue",
    "ModifyInstanceAttribute",
];
const PREFIXES: &[&str] = &[
    "Describe", "Get", "List", "Create", "Delete", "Put", "Update", "Start",
];
const SUFFIXES: &[&str] = &[
    "Policy",
    "Instances",
    "Key",
    "Secret",
    "Parameters",
    "Logging",
    "Data",
];
const IDENTITY_TYPES: &[&str] = &[
    "IAMUser",
    "AssumedRole",
    "Root",
    "AWSService",
    "FederatedUser",
];
const REGIONS: &[&str] = &["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"];

/// The `index`-th rule: kinds rotate through exact values, prefixes, suffixes,
/// equals-ignore-case, wildcards, anything-but, numeric, cidr, exists, arrays of objects
/// and `$or`, each with values picked by `index`.
fn rule(index: usize) -> String {
    let pick = |list: &[&'static str], salt: usize| list[(index / 13 + salt * 7) % list.len()];
    let source = pick(SOURCES, 0);
    let name = pick(EVENT_NAMES, 1);
    let pattern = match index % 12 {
        0 => {
            json!({"source": [source], "detail-type": ["AWS API Call via CloudTrail"], "detail": {"eventName": [name]}})
        }
        1 => json!({"source": [source], "detail": {"eventName": [{"prefix": pick(PREFIXES, 2)}]}}),
        2 => {
            json!({"detail": {"eventName": [{"suffix": pick(SUFFIXES, 3)}], "readOnly": [index.is_multiple_of(2)]}})
        }
        3 => {
            json!({"detail": {"eventName": [{"equals-ignore-case": name.to_lowercase()}], "userIdentity": {"type": [pick(IDENTITY_TYPES, 4)]}}})
        }
        4 => {
            json!({"source": [source], "detail": {"userAgent": [{"wildcard": format!("*{}*", index % 10)}]}})
        }
        5 => {
            json!({"detail-type": ["AWS API Call via CloudTrail"], "detail": {"awsRegion": [{"anything-but": [pick(REGIONS, 5), pick(REGIONS, 6)]}], "eventName": [name]}})
        }
        6 => json!({"source": [source], "detail": {"errorCode": [{"exists": true}]}}),
        7 => json!({"detail": {"sourceIPAddress": [{"cidr": format!("{}.0.0.0/8", index % 256)}]}}),
        8 => {
            json!({"source": [source], "detail": {"responseElements": [null], "eventVersion": [{"prefix": "1.0"}]}})
        }
        9 => {
            json!({"detail": {"resources": {"ARN": [{"prefix": format!("arn:aws:{}:", &source[4..])}], "accountId": [{"exists": true}]}}})
        }
        10 => {
            json!({"$or": [{"source": [source], "detail": {"eventName": [name]}}, {"detail": {"userIdentity": {"type": [pick(IDENTITY_TYPES, 8)]}, "errorCode": [{"prefix": "AccessDenied"}]}}]})
        }
        _ => {
            json!({"account": [{"anything-but": {"prefix": "9"}}], "detail": {"eventName": [{"wildcard": format!("{}*", pick(PREFIXES, 9))}], "managementEvent": [true]}})
        }
    };
    pattern.to_string()
}

/// The EventBridge envelope of a CloudTrail record (spec §5.1).
fn envelope(record: &Value, id: usize) -> String {
    let event_source = record["eventSource"].as_str().unwrap_or("");
    let source = match event_source.strip_suffix(".amazonaws.com") {
        Some(service) => format!("aws.{service}"),
        None => event_source.to_owned(),
    };
    let detail_type = match record["eventType"].as_str().unwrap_or("") {
        "AwsConsoleSignIn" => "AWS Console Sign In via CloudTrail",
        "AwsServiceEvent" => "AWS Service Event via CloudTrail",
        _ => "AWS API Call via CloudTrail",
    };
    json!({
        "version": "0",
        "id": format!("6a7e8feb-b491-4cf7-a9f1-{id:012}"),
        "detail-type": detail_type,
        "source": source,
        "account": record["recipientAccountId"],
        "time": record["eventTime"],
        "region": record["awsRegion"],
        "resources": [],
        "detail": record,
    })
    .to_string()
}

fn records() -> Result<Vec<Value>, Box<dyn Error>> {
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/cloudtrail-records");
    let mut records = Vec::new();
    for folder in std::fs::read_dir(root)? {
        for file in std::fs::read_dir(folder?.path())? {
            let value: Value = serde_json::from_str(&std::fs::read_to_string(file?.path())?)?;
            match value {
                Value::Array(items) => records.extend(items),
                Value::Object(mut object) => match object.remove("Records") {
                    Some(Value::Array(items)) => records.extend(items),
                    _ => records.push(Value::Object(object)),
                },
                _ => {}
            }
        }
    }
    records.retain(Value::is_object);
    Ok(records)
}

#[expect(
    clippy::print_stdout,
    reason = "an example reports its measurement on standard output"
)]
fn main() -> Result<(), Box<dyn Error>> {
    let event_count = match std::env::args().nth(1) {
        Some(count) => count.parse()?,
        None => DEFAULT_EVENTS,
    };
    let started = Instant::now();
    let mut builder = MatcherBuilder::new();
    for index in 0..RULES {
        builder.add(index as u32, &Pattern::parse(&rule(index))?);
    }
    let matcher = builder.build();
    println!("compiled {RULES} rules in {:?}", started.elapsed());

    let records = records()?;
    // Distinct envelopes (ids differ), cycled through.
    let envelopes: Vec<String> = (0..4096)
        .map(|id| envelope(&records[id % records.len()], id))
        .collect();
    let bytes: usize = envelopes.iter().map(String::len).sum();
    println!(
        "{} records, {} distinct envelopes, {} bytes on average",
        records.len(),
        envelopes.len(),
        bytes / envelopes.len()
    );

    let mut out = Vec::new();
    // Baseline: no rules, so the walk only validates the event text.
    let empty = MatcherBuilder::<u32>::new().build();
    let started = Instant::now();
    for index in 0..event_count {
        empty.matching(envelopes[index % envelopes.len()].as_bytes(), &mut out)?;
    }
    let elapsed = started.elapsed();
    println!(
        "no rules (validation only): {:.0} events/s",
        event_count as f64 / elapsed.as_secs_f64()
    );

    let mut matched = 0usize;
    let mut matching_events = 0usize;
    let started = Instant::now();
    for index in 0..event_count {
        matcher.matching(envelopes[index % envelopes.len()].as_bytes(), &mut out)?;
        matched += out.len();
        matching_events += usize::from(!out.is_empty());
    }
    let elapsed = started.elapsed();
    println!(
        "{event_count} events in {elapsed:?}: {:.0} events/s on one thread ({:.2} µs each); {matching_events} events matched {matched} rules in all",
        event_count as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 / event_count as f64,
    );
    Ok(())
}
