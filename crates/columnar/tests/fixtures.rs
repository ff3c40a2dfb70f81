//! Real CloudTrail records (the repository's `testdata/` and this crate's copies) map
//! without error, and their rows agree with the records read independently.

use opentrail_columnar::{RowsBuilder, TableKind, dedupe_key};
use opentrail_testkit::testdata::all_fixture_records;
use serde_json::{Value, json};

use crate::support::{entries, map_entries, rows_json, testdata_records};

/// Every fixture record: the repository's whole set plus this crate's copies.
fn every_record() -> Vec<(String, String)> {
    let mut records: Vec<(String, String)> = all_fixture_records()
        .into_iter()
        .map(|record| (record.origin, record.json))
        .collect();
    for name in [
        "218007301253_CloudTrail_us-east-1_20230710T1225Z_4iD2boYSOwmb6sWd.json",
        "aws.execution.ec2-launch-unusual-instances.json",
        "cloudtrail-log-file-examples--block05.json",
        "cloudtrail-log-file-examples--block10.json",
    ] {
        for (index, json) in testdata_records(name).into_iter().enumerate() {
            records.push((format!("{name}#{index}"), json));
        }
    }
    records
}

/// The text a string column should hold for a JSON member.
fn as_text(value: Option<&Value>) -> Value {
    match value {
        None | Some(Value::Null) => Value::Null,
        Some(Value::String(text)) => json!(text),
        Some(other) => json!(other.to_string()),
    }
}

#[test]
fn every_fixture_record_maps_and_agrees_with_an_independent_read() {
    let records = every_record();
    assert!(
        records.len() > 1900,
        "only {} fixture records",
        records.len()
    );
    let mut rows = RowsBuilder::new(TableKind::CloudTrail);
    for (origin, json) in &records {
        rows.push(json.as_bytes())
            .unwrap_or_else(|error| panic!("{origin}: {error}"));
    }
    let facts = rows.facts().to_vec();
    let batch = rows.finish().unwrap();
    let json_rows = rows_json(&batch);
    for (index, (origin, text)) in records.iter().enumerate() {
        let record: Value = serde_json::from_str(text).unwrap();
        let row = &json_rows[index];
        assert_eq!(row["eventjson"], json!(text.trim()), "{origin}");
        let time =
            opentrail_types::Timestamp::parse_event_time(record["eventTime"].as_str().unwrap())
                .unwrap();
        assert_eq!(facts[index].event_time_ms, time.as_millis(), "{origin}");
        let key = dedupe_key(
            record["eventID"].as_str().unwrap_or_default(),
            record["recipientAccountId"].as_str().unwrap_or_default(),
        );
        assert_eq!(facts[index].dedupe_key, key, "{origin}");
        for (member, column) in [
            ("eventID", "eventid"),
            ("eventName", "eventname"),
            ("eventSource", "eventsource"),
            ("errorCode", "errorcode"),
            ("sourceIPAddress", "sourceipaddress"),
            ("userAgent", "useragent"),
            ("recipientAccountId", "recipientaccountid"),
            ("eventCategory", "eventcategory"),
        ] {
            assert_eq!(
                row[column],
                as_text(record.get(member)),
                "{origin} {member}"
            );
        }
        let identity = record.get("userIdentity");
        assert_eq!(
            row["useridentity"]["arn"],
            as_text(identity.and_then(|identity| identity.get("arn"))),
            "{origin}"
        );
        assert_eq!(
            row["readonly"],
            record.get("readOnly").cloned().unwrap_or(Value::Null),
            "{origin}"
        );
        for (member, column) in [
            ("requestParameters", "requestparameters"),
            ("responseElements", "responseelements"),
            ("additionalEventData", "additionaleventdata"),
            ("insightDetails", "insightdetails"),
        ] {
            let stored = map_entries(&batch, column, index);
            match record.get(member) {
                None | Some(Value::Null) => assert_eq!(stored, None, "{origin} {member}"),
                Some(Value::Object(object)) => {
                    let stored = stored.unwrap();
                    assert_eq!(stored.len(), object.len(), "{origin} {member}");
                    for (key, value) in stored {
                        let expected = &object[&key];
                        match (expected, value) {
                            (Value::Null, None) => {}
                            (Value::String(text), Some(value)) => assert_eq!(&value, text),
                            (other, Some(value)) => {
                                let reparsed: Value = serde_json::from_str(&value).unwrap();
                                assert_eq!(&reparsed, other, "{origin} {member}.{key}");
                                assert!(!value.contains(": ") && !value.contains('\n'), "{value}");
                            }
                            (expected, value) => {
                                panic!("{origin} {member}.{key}: {expected} vs {value:?}")
                            }
                        }
                    }
                }
                Some(other) => panic!("{origin}: {member} is {other}"),
            }
        }
    }
}

#[test]
fn fixture_insights_records_map_as_insights_rows() {
    let records: Vec<(String, String)> = every_record()
        .into_iter()
        .filter(|(_, json)| json.contains("AwsCloudTrailInsight"))
        .collect();
    assert!(records.len() >= 4, "{}", records.len());
    let mut rows = RowsBuilder::new(TableKind::Insights);
    for (origin, json) in &records {
        rows.push(json.as_bytes())
            .unwrap_or_else(|error| panic!("{origin}: {error}"));
    }
    let json_rows = rows_json(&rows.finish().unwrap());
    for ((origin, text), row) in records.iter().zip(&json_rows) {
        let record: Value = serde_json::from_str(text).unwrap();
        let details = &record["insightDetails"];
        assert_eq!(row["insightstate"], details["state"], "{origin}");
        assert_eq!(row["insighteventname"], details["eventName"], "{origin}");
        let statistics = &details["insightContext"]["statistics"];
        assert_eq!(
            row["insightcontext"]["baselineduration"], statistics["baselineDuration"],
            "{origin}"
        );
        let attributions = details["insightContext"]["attributions"].as_array();
        assert_eq!(
            row["insightcontext"]["attributions"]
                .as_array()
                .map(Vec::len),
            attributions.map(Vec::len),
            "{origin}"
        );
    }
}

#[test]
fn run_instances_fixture_keeps_nested_parameters_as_compact_json() {
    let records = testdata_records("aws.execution.ec2-launch-unusual-instances.json");
    let mut rows = RowsBuilder::new(TableKind::CloudTrail);
    rows.push(records[0].as_bytes()).unwrap();
    let batch = rows.finish().unwrap();
    assert_eq!(
        map_entries(&batch, "requestparameters", 0),
        entries(&[
            ("blockDeviceMapping", Some("{}")),
            ("clientToken", Some("5dd59182-3917-421c-9b2c-7c92954b66ee")),
            ("disableApiStop", Some("false")),
            ("disableApiTermination", Some("false")),
            ("instanceType", Some("p2.xlarge")),
            (
                "instancesSet",
                Some(
                    r#"{"items":[{"imageId":"ami-aCBbfd13bdb1d1E4b","maxCount":10,"minCount":1}]}"#
                )
            ),
            ("monitoring", Some(r#"{"enabled":false}"#)),
            ("subnetId", Some("subnet-0e540f0c7ffb48ae9")),
        ])
    );
    let row = &rows_json(&batch)[0];
    assert_eq!(row["responseelements"], Value::Null);
    assert_eq!(row["readonly"], json!(false));
    assert_eq!(row["managementevent"], json!(true));
    assert_eq!(
        row["useridentity"]["sessioncontext"]["attributes"],
        json!({"creationdate": "2024-08-01T11:30:22", "mfaauthenticated": "false"})
    );
    assert_eq!(
        row["tlsdetails"],
        json!({"tlsversion": "TLSv1.3", "ciphersuite": "TLS_AES_128_GCM_SHA256",
               "clientprovidedhostheader": "ec2.ca-south-3r.amazonaws.com"})
    );
}

#[test]
fn escaped_strings_in_fixture_maps_are_unescaped() {
    let records = testdata_records("cloudtrail-log-file-examples--block05.json");
    let mut rows = RowsBuilder::new(TableKind::CloudTrail);
    rows.push(records[0].as_bytes()).unwrap();
    let batch = rows.finish().unwrap();
    let elements = map_entries(&batch, "responseelements", 0).unwrap();
    assert_eq!(
        elements[2],
        (
            "keyMaterial".to_owned(),
            Some("<sensitiveDataRemoved>".to_owned())
        )
    );
}
