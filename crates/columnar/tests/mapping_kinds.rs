//! The spec's example records of every kind mapped to rows: explicit checks of the Insights
//! and `ActivityAuditLog` rules, and row goldens (arrow-json rendering) for review.

use opentrail_columnar::{RowErrorKind, RowsBuilder, TableKind};
use serde_json::{Value, json};

use crate::support::{assert_golden, entries, golden, map_entries, rows_json, testdata};

fn spec_record(name: &str) -> String {
    std::fs::read_to_string(testdata(&format!("spec/{name}.json"))).unwrap()
}

fn rows_golden(kind: TableKind, names: &[&str], file: &str) -> Vec<Value> {
    let mut rows = RowsBuilder::new(kind);
    for name in names {
        rows.push(spec_record(name).as_bytes()).unwrap();
    }
    let mut json = rows_json(&rows.finish().unwrap());
    // The record text is long and already covered by other tests; keep the golden readable.
    for row in &mut json {
        row["eventjson"] = json!("<record text>");
    }
    let text = serde_json::to_string_pretty(&json).unwrap() + "\n";
    assert_golden(&golden(file), &text);
    json
}

#[test]
fn spec_cloudtrail_examples_match_their_golden() {
    let rows = rows_golden(
        TableKind::CloudTrail,
        &["management", "data", "network"],
        "cloudtrail.spec-examples.rows.json",
    );
    assert_eq!(
        rows[0]["useridentity"]["sessioncontext"]["sessionissuer"]["username"],
        "OpsAdmin"
    );
    assert_eq!(rows[1]["requestparameters"]["bucketName"], "acme-reports");
    assert_eq!(rows[1]["additionaleventdata"]["bytesTransferredIn"], "0");
    assert_eq!(rows[1]["resources"][1]["arnprefix"], "arn:aws:s3:::");
    assert_eq!(rows[2]["errorcode"], "VpceAccessDenied");
    assert_eq!(rows[2]["managementevent"], Value::Null);
    assert_eq!(rows[2]["useridentity"]["arn"], Value::Null);
}

#[test]
fn insights_records_flatten_as_section_4_5_says() {
    let rows = rows_golden(
        TableKind::Insights,
        &["insight-start", "insight-end"],
        "insights.spec-examples.rows.json",
    );
    let start = &rows[0];
    assert_eq!(start["eventcategory"], "Insight");
    assert_eq!(start["eventtype"], "AwsCloudTrailInsight");
    assert_eq!(
        start["sharedeventid"],
        "6b2f9d1a-3e7c-4a05-8f4b-c1d2e3f4a5b6"
    );
    assert_eq!(start["insightstate"], "Start");
    assert_eq!(start["insighteventsource"], "ec2.amazonaws.com");
    assert_eq!(start["insighteventname"], "TerminateInstances");
    assert_eq!(start["insighttype"], "ApiCallRateInsight");
    assert_eq!(start["insighterrorcode"], Value::Null);
    assert_eq!(start["insightsource"], Value::Null);
    let context = &start["insightcontext"];
    assert_eq!(context["baselineaverage"], json!(0.0012401));
    assert_eq!(context["insightaverage"], json!(14.0));
    assert_eq!(context["baselineduration"], json!(11520));
    assert_eq!(context["insightduration"], json!(1));
    let first = &context["attributions"][0];
    assert_eq!(first["attribute"], "userIdentityArn");
    assert_eq!(
        first["insight"][1],
        json!({"value": "arn:aws:iam::210987654321:user/alice", "average": 1.0})
    );
    assert_eq!(
        first["insightvalue"],
        "arn:aws:sts::210987654321:assumed-role/CleanupLambda/cleanup-fn"
    );
    assert_eq!(first["insightaverage"], json!(13.0));
    assert_eq!(
        first["baselinevalue"],
        "arn:aws:iam::210987654321:user/alice"
    );
    assert_eq!(first["baselineaverage"], json!(0.0012401));
    assert_eq!(context["attributions"][2]["insightvalue"], "null");
    assert_eq!(rows[1]["insightcontext"]["insightduration"], json!(17));
}

#[test]
fn insights_extras_error_code_source_and_top_contributor() {
    let record = r#"{"eventTime":"2026-03-05T02:14:00Z","eventID":"e","insightSource":"arn:aws:cloudtrail:us-east-1:1:eventdatastore/s",
        "addendum":{"reason":"DELIVERY_DELAY"},
        "insightDetails":{"state":"Start","insightType":"ApiErrorRateInsight","errorCode":"AccessDeniedException",
          "insightContext":{"statistics":{"baseline":{"average":9.82222E-5},"insight":{}},
            "attributions":[{"attribute":"errorCode","insight":[{"value":"b","average":1},{"value":"a","average":2},null]},null]}}}"#;
    let mut rows = RowsBuilder::new(TableKind::Insights);
    rows.push(record.as_bytes()).unwrap();
    rows.push(br#"{"eventTime":"2026-03-05T02:14:00Z"}"#)
        .unwrap();
    let batch = rows.finish().unwrap();
    assert_eq!(
        map_entries(&batch, "addendum", 0),
        entries(&[("reason", Some("DELIVERY_DELAY"))])
    );
    let json = rows_json(&batch);
    let row = &json[0];
    assert_eq!(
        row["insightsource"],
        "arn:aws:cloudtrail:us-east-1:1:eventdatastore/s"
    );
    assert_eq!(row["insighterrorcode"], "AccessDeniedException");
    let context = &row["insightcontext"];
    assert_eq!(context["baselineaverage"], json!(9.82222e-5));
    assert_eq!(context["insightaverage"], Value::Null);
    assert_eq!(context["baselineduration"], Value::Null);
    let attribution = &context["attributions"][0];
    assert_eq!(attribution["insight"][2], Value::Null);
    assert_eq!(attribution["insightvalue"], "a");
    assert_eq!(attribution["insightaverage"], json!(2.0));
    assert_eq!(attribution["baseline"], Value::Null);
    assert_eq!(attribution["baselinevalue"], Value::Null);
    assert_eq!(context["attributions"][1], Value::Null);
    assert_eq!(json[1]["insightcontext"], Value::Null);
    assert_eq!(json[1]["insightstate"], Value::Null);

    let bad = r#"{"eventTime":"2026-03-05T02:14:00Z","insightDetails":{"insightContext":{"statistics":{"insightDuration":1.5}}}}"#;
    let error = RowsBuilder::new(TableKind::Insights)
        .push(bad.as_bytes())
        .unwrap_err();
    assert_eq!(error.kind(), RowErrorKind::InvalidMember);
    assert_eq!(
        error.member(),
        "insightDetails.insightContext.statistics.insightDuration"
    );
}

#[test]
fn activity_audit_log_records_map_to_section_3_4_4() {
    let rows = rows_golden(
        TableKind::ActivityAuditLog,
        &["activity"],
        "activityauditlog.spec-examples.rows.json",
    );
    let row = &rows[0];
    assert_eq!(row["eventcategory"], "ActivityAuditLog");
    assert_eq!(row["eventtype"], "ActivityLog");
    assert_eq!(row["eventtime"], "2026-03-04T17:30:12");
    assert_eq!(row["addendum"], Value::Null);
    assert_eq!(
        row["metadata"],
        json!({"ingestiontime": "2026-03-04T17:30:14Z",
               "channelarn": "arn:aws:cloudtrail:us-east-1:210987654321:channel/0d7c3e21-8f4a-4b6e-a9c2-5e1f0b3d7a84"})
    );
    let data = &row["eventdata"];
    assert_eq!(data["version"], "1.0");
    assert_eq!(
        data["useridentity"],
        json!({"type": "GitHubUser", "principalid": "octo-dev", "details": {"org": "acme"}})
    );
    assert_eq!(data["eventtime"], "2026-03-04T17:30:12Z");
    assert_eq!(data["uid"], "c7Qk3Vh2xN8d");
    assert_eq!(
        data["requestparameters"],
        json!({"repo": "acme/new-service", "visibility": "private"})
    );
    assert_eq!(data["responseelements"], Value::Null);
    assert_eq!(data["errormessage"], Value::Null);
    assert_eq!(data["sourceipaddress"], "192.0.2.15");
    assert_eq!(data["recipientaccountid"], "210987654321");
}

#[test]
fn activity_addendum_is_a_struct_with_original_uid() {
    let record = r#"{"eventTime":"2026-03-04T17:30:12Z","addendum":{"reason":"UPDATED_DATA","updatedFields":"eventData.userAgent",
        "originalUID":"u-1","originalEventID":"e-0"},"eventData":{"additionalEventData":{"n":1,"o":{"a":[]}}}}"#;
    let mut rows = RowsBuilder::new(TableKind::ActivityAuditLog);
    rows.push(record.as_bytes()).unwrap();
    let batch = rows.finish().unwrap();
    let row = &rows_json(&batch)[0];
    assert_eq!(
        row["addendum"],
        json!({"reason": "UPDATED_DATA", "updatedfields": "eventData.userAgent",
               "originaluid": "u-1", "originaleventid": "e-0"})
    );
    assert_eq!(row["eventdata"]["useridentity"], Value::Null);
    assert_eq!(
        map_entries(&batch, "eventdata.additionaleventdata", 0),
        entries(&[("n", Some("1")), ("o", Some(r#"{"a":[]}"#))])
    );
}
