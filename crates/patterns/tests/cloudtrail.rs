//! Patterns over CloudTrail records in the EventBridge envelope (spec §5.1): the real
//! records of `testdata/cloudtrail-records/` and hand-written ones.

use serde_json::{Value, json};

use crate::support::{cloudtrail_records, cross_check, envelope, matches, pattern};

/// Counts the records a pattern matches, through `Pattern::matches`.
fn count(pattern_text: &str, events: &[String]) -> usize {
    let compiled = pattern(pattern_text);
    events
        .iter()
        .filter(|event| compiled.matches(event.as_bytes()).unwrap())
        .count()
}

fn real_envelopes() -> (Vec<Value>, Vec<String>) {
    let records = cloudtrail_records();
    assert!(records.len() > 150, "{} records", records.len());
    let events = records
        .iter()
        .enumerate()
        .map(|(id, record)| envelope(record, id))
        .collect();
    (records, events)
}

#[test]
fn envelope_fields_and_detail_fields_count_as_the_records_say() {
    let (records, events) = real_envelopes();
    let expect =
        |test: &dyn Fn(&Value) -> bool| records.iter().filter(|record| test(record)).count();
    assert_eq!(
        count(
            r#"{"detail-type": ["AWS API Call via CloudTrail"]}"#,
            &events
        ),
        expect(&|record| !matches!(
            record["eventType"].as_str(),
            Some(
                "AwsConsoleSignIn"
                    | "AwsConsoleAction"
                    | "AwsServiceEvent"
                    | "AwsCloudTrailInsight"
                    | "AwsVpceEvent"
            )
        ))
    );
    assert_eq!(
        count(r#"{"source": ["aws.iam"]}"#, &events),
        expect(&|record| record["eventSource"] == "iam.amazonaws.com")
    );
    assert_eq!(
        count(r#"{"source": [{"prefix": "aws.s"}]}"#, &events),
        expect(&|record| record["eventSource"]
            .as_str()
            .is_some_and(|source| source.starts_with('s')))
    );
    assert_eq!(
        count(
            r#"{"detail": {"userIdentity": {"type": ["IAMUser"]}}}"#,
            &events
        ),
        expect(&|record| record["userIdentity"]["type"] == "IAMUser")
    );
    assert_eq!(
        count(
            r#"{"detail.userIdentity.type": ["AssumedRole", "Root"]}"#,
            &events
        ),
        expect(&|record| matches!(
            record["userIdentity"]["type"].as_str(),
            Some("AssumedRole" | "Root")
        ))
    );
    assert_eq!(
        count(r#"{"detail": {"readOnly": [false]}}"#, &events),
        expect(&|record| record["readOnly"] == false)
    );
    assert_eq!(
        count(r#"{"detail": {"readOnly": [true]}}"#, &events),
        expect(&|record| record["readOnly"] == true)
    );
    assert_eq!(
        count(r#"{"detail": {"readOnly": [{"exists": false}]}}"#, &events),
        expect(&|record| record.get("readOnly").is_none())
    );
    assert_eq!(
        count(r#"{"detail": {"errorCode": [{"exists": true}]}}"#, &events),
        expect(&|record| record
            .get("errorCode")
            .is_some_and(|code| !code.is_object() && !code.is_array()))
    );
    assert_eq!(
        count(
            r#"{"detail": {"sourceIPAddress": [{"cidr": "0.0.0.0/1"}]}}"#,
            &events
        ),
        expect(&|record| record["sourceIPAddress"]
            .as_str()
            .and_then(|ip| ip.parse::<std::net::Ipv4Addr>().ok())
            .is_some_and(|ip| ip.octets()[0] < 128))
    );
}

/// A write event on two resources of different types (CloudTrail's `resources` member).
fn two_resource_event() -> String {
    let record = json!({
        "eventVersion": "1.09",
        "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/Admin/alice"},
        "eventTime": "2026-03-04T17:05:21Z",
        "eventSource": "s3.amazonaws.com",
        "eventName": "CopyObject",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.7",
        "readOnly": false,
        "resources": [
            {"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::source-bucket/key.txt"},
            {"accountId": "111122223333", "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::target-bucket"}
        ],
        "eventType": "AwsApiCall",
        "managementEvent": false,
        "recipientAccountId": "111122223333",
        "eventCategory": "Data"
    });
    envelope(&record, 1)
}

#[test]
fn resource_type_and_arn_must_come_from_the_same_resource() {
    let event = two_resource_event();
    assert!(matches(
        r#"{"detail": {"resources": {"type": ["AWS::S3::Bucket"], "ARN": [{"prefix": "arn:aws:s3:::target"}]}}}"#,
        &event
    ));
    assert!(!matches(
        r#"{"detail": {"resources": {"type": ["AWS::S3::Bucket"], "ARN": [{"suffix": "key.txt"}]}}}"#,
        &event
    ));
    assert!(matches(
        r#"{"detail": {"resources": {"type": ["AWS::S3::Object"], "ARN": [{"suffix": "key.txt"}]}}}"#,
        &event
    ));
    assert!(matches(
        r#"{"detail": {"resources": {"accountId": [{"exists": true}], "type": ["AWS::S3::Bucket"]}}}"#,
        &event
    ));
    assert!(!matches(
        r#"{"detail": {"resources": {"accountId": [{"exists": true}], "type": ["AWS::S3::Object"]}}}"#,
        &event
    ));
    assert!(matches(
        r#"{"detail": {"resources": {"accountId": [{"exists": false}], "type": ["AWS::S3::Object"]}}}"#,
        &event
    ));
    // The envelope's own `resources` is empty: nothing there.
    assert!(!matches(r#"{"resources": [{"exists": true}]}"#, &event));
    assert!(matches(
        r#"{"source": ["aws.s3"], "detail-type": ["AWS API Call via CloudTrail"], "detail": {"readOnly": [false], "eventName": [{"anything-but": {"prefix": "Get"}}], "userIdentity": {"arn": [{"wildcard": "arn:aws:sts::*:assumed-role/Admin/*"}]}}}"#,
        &event
    ));
}

#[test]
fn one_matcher_agrees_with_each_pattern_on_real_records() {
    let (_, mut events) = real_envelopes();
    events.push(two_resource_event());
    let texts = [
        r#"{"detail-type": ["AWS API Call via CloudTrail"]}"#,
        r#"{"detail-type": ["AWS Console Sign In via CloudTrail"]}"#,
        r#"{"source": ["aws.iam", "aws.sts"]}"#,
        r#"{"source": [{"prefix": "aws.s"}], "detail": {"readOnly": [true]}}"#,
        r#"{"detail": {"userIdentity": {"type": ["IAMUser"]}, "eventName": [{"prefix": "Get"}]}}"#,
        r#"{"detail": {"eventName": [{"suffix": "Secret"}, {"suffix": "Parameters"}]}}"#,
        r#"{"detail": {"eventName": [{"equals-ignore-case": "getpassworddata"}]}}"#,
        r#"{"detail": {"errorCode": [{"exists": true}], "readOnly": [true]}}"#,
        r#"{"detail": {"errorCode": [{"exists": false}], "readOnly": [false]}}"#,
        r#"{"detail": {"awsRegion": [{"anything-but": ["us-east-1", "us-west-2"]}]}}"#,
        r#"{"detail": {"sourceIPAddress": [{"cidr": "0.0.0.0/1"}]}}"#,
        r#"{"detail": {"userAgent": [{"wildcard": "*aws-cli/*"}]}}"#,
        r#"{"detail": {"resources": {"ARN": [{"prefix": "arn:aws:ssm:"}]}}}"#,
        r#"{"detail": {"resources": {"type": ["AWS::S3::Bucket"], "ARN": [{"prefix": "arn:aws:s3:::target"}]}}}"#,
        r#"{"detail": {"resources": {"type": ["AWS::S3::Bucket"], "ARN": [{"suffix": "key.txt"}]}}}"#,
        r#"{"detail": {"eventVersion": [{"numeric": [">=", 1.08]}]}}"#,
        r#"{"detail": {"managementEvent": [true], "eventCategory": ["Management"]}}"#,
        r#"{"$or": [{"source": ["aws.ec2"]}, {"detail": {"eventName": [{"prefix": "Create"}]}}]}"#,
        r#"{"detail": {"requestParameters": {"roleName": [{"exists": true}]}}}"#,
        r#"{"detail": {"tlsDetails": {"tlsVersion": [{"anything-but": {"equals-ignore-case": "tlsv1.3"}}]}}}"#,
        r#"{"account": [{"anything-but": {"wildcard": "1*"}}]}"#,
        r#"{"detail": {"userIdentity": {"sessionContext": {"sessionIssuer": {"type": ["Role"]}}}}}"#,
    ];
    let patterns: Vec<_> = texts.iter().map(|text| pattern(text)).collect();
    cross_check(&patterns, &events);
}
