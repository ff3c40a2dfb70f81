//! Selectors on real and published records (copies under `testdata/`, see its README).

use opentrail_event::{EventCategory, Record};
use opentrail_selectors::EventView;
use serde_json::Value;

use crate::support::{compile, fixture_records, panther_cases, selects};

const RECORD_FILES: [&str; 6] = [
    "cloudtrail-logs/invictus-aws-dataset/218007301253_CloudTrail_us-east-1_20230710T1205Z_dOIWyEekdNWhkpqY.json",
    "cloudtrail-records/stratus-red-team/aws.defense-evasion.cloudtrail-stop.json",
    "cloudtrail-records/aws-user-guide/cloudtrail-log-file-examples--block06.json",
    "cloudtrail-records/aws-user-guide/cloudtrail-log-file-examples--block10.json",
    "cloudtrail-records/aws-user-guide/cloudtrail-event-reference-aws-console-sign-in-events--block01.json",
    "cloudtrail-records/aws-user-guide/non-api-aws-service-events--block01.json",
];

const PANTHER_FILES: [&str; 3] = [
    "detections/panther-test-cases/aws_s3_delete_object.yml",
    "detections/panther-test-cases/aws_vpce_access_denied.yml",
    "detections/panther-test-cases/aws_vpce_s3_external_ip.yml",
];

fn all_records() -> Vec<String> {
    let mut records = Vec::new();
    for file in RECORD_FILES {
        records.extend(fixture_records(file));
    }
    for file in PANTHER_FILES {
        records.extend(panther_cases(file).into_iter().map(|case| case.json));
    }
    records
}

fn string_at<'v>(value: &'v Value, pointer: &str) -> Option<&'v str> {
    value.pointer(pointer).and_then(Value::as_str)
}

#[test]
fn event_view_agrees_with_a_full_parse_on_every_fixture_record() {
    let records = all_records();
    assert!(
        records.len() > 30,
        "fixtures missing: {} records",
        records.len()
    );
    for json in &records {
        let view = EventView::parse(json.as_bytes()).unwrap();
        let value: Value = serde_json::from_str(json).unwrap();
        let record: Record = serde_json::from_str(json).unwrap();
        assert_eq!(view.category(), EventCategory::of_record(&record), "{json}");
        assert_eq!(view.read_only(), value["readOnly"].as_bool(), "{json}");
        assert_eq!(view.event_source(), string_at(&value, "/eventSource"));
        assert_eq!(view.event_name(), string_at(&value, "/eventName"));
        assert_eq!(view.event_type(), string_at(&value, "/eventType"));
        assert_eq!(view.error_code(), string_at(&value, "/errorCode"));
        assert_eq!(view.vpc_endpoint_id(), string_at(&value, "/vpcEndpointId"));
        assert_eq!(
            view.user_identity_arn(),
            string_at(&value, "/userIdentity/arn")
        );
        assert_eq!(
            view.session_credential_from_console(),
            string_at(&value, "/sessionCredentialFromConsole")
        );
        let resources = value["resources"].as_array().cloned().unwrap_or_default();
        assert_eq!(view.resources().len(), resources.len());
        for (found, expected) in view.resources().iter().zip(&resources) {
            assert_eq!(found.resource_type(), string_at(expected, "/type"));
            assert_eq!(found.arn(), string_at(expected, "/ARN"));
        }
    }
}

#[test]
fn trail_default_selects_management_records_and_never_insights() {
    let default = compile(r#"{"EventSelectors":[{}]}"#);
    let mut insights = 0;
    for file in RECORD_FILES {
        for json in fixture_records(file) {
            let category = EventView::parse(json.as_bytes()).unwrap().category();
            let expected = category == EventCategory::Management;
            insights += usize::from(category == EventCategory::Insight);
            assert_eq!(selects(&default, &json), expected, "{category}: {json}");
        }
    }
    assert_eq!(insights, 2, "the Insights start/end pair of the user guide");
}

#[test]
fn read_write_split_follows_read_only_and_counts_missing_as_write() {
    let read_only = compile(r#"{"EventSelectors":[{"ReadWriteType":"ReadOnly"}]}"#);
    let write_only = compile(r#"{"EventSelectors":[{"ReadWriteType":"WriteOnly"}]}"#);
    let read_advanced = compile(
        r#"{"AdvancedEventSelectors":[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]},{"Field":"readOnly","Equals":["true"]}]}]}"#,
    );
    let (mut reads, mut writes, mut unknown) = (0, 0, 0);
    for file in RECORD_FILES {
        for json in fixture_records(file) {
            let view = EventView::parse(json.as_bytes()).unwrap();
            if view.category() != EventCategory::Management {
                continue;
            }
            let is_read = view.read_only() == Some(true);
            reads += usize::from(is_read);
            writes += usize::from(view.read_only() == Some(false));
            unknown += usize::from(view.read_only().is_none());
            assert_eq!(read_only.matches(&view), is_read, "{json}");
            assert_eq!(read_advanced.matches(&view), is_read, "{json}");
            assert_eq!(write_only.matches(&view), !is_read, "{json}");
        }
    }
    assert!(reads > 0 && writes > 0, "reads {reads}, writes {writes}");
    // The 2014 CreateUser example and the console sign-in example carry no readOnly.
    assert_eq!(unknown, 2);
}

#[test]
fn kms_service_event_is_left_out_by_exclude_management_event_sources() {
    let [json] = fixture_records(
        "cloudtrail-records/aws-user-guide/non-api-aws-service-events--block01.json",
    )
    .try_into()
    .unwrap();
    let all = compile(r#"{"EventSelectors":[{}]}"#);
    let without_kms =
        compile(r#"{"EventSelectors":[{"ExcludeManagementEventSources":["kms.amazonaws.com"]}]}"#);
    let advanced_without_kms = compile(
        r#"{"AdvancedEventSelectors":[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]},{"Field":"eventSource","NotEquals":["kms.amazonaws.com"]}]}]}"#,
    );
    assert!(selects(&all, &json));
    assert!(!selects(&without_kms, &json));
    assert!(!selects(&advanced_without_kms, &json));
}

/// The console's "log network activity access denied events" template selects exactly the
/// records Panther's VPC-endpoint access-denied rule flags.
#[test]
fn access_denied_template_agrees_with_panther_labels() {
    let template = compile(
        r#"{"AdvancedEventSelectors":[{"Name":"S3 network activity access denied","FieldSelectors":[
            {"Field":"eventCategory","Equals":["NetworkActivity"]},
            {"Field":"eventSource","Equals":["s3.amazonaws.com"]},
            {"Field":"errorCode","Equals":["VpceAccessDenied"]}]}]}"#,
    );
    let cases = panther_cases("detections/panther-test-cases/aws_vpce_access_denied.yml");
    assert_eq!(cases.len(), 3);
    for case in cases {
        assert_eq!(
            selects(&template, &case.json),
            case.expected,
            "{}",
            case.name
        );
    }
}

/// A basic write-only S3 data selector on the bucket selects the DeleteObject record (an
/// old-style record: no `eventCategory`, `managementEvent: false`) and not the ListBucket
/// one (read-only, bucket resource), as Panther's rule labels them.
#[test]
fn basic_s3_data_selector_agrees_with_panther_labels() {
    let selector = compile(
        r#"{"EventSelectors":[{"ReadWriteType":"WriteOnly","IncludeManagementEvents":false,
            "DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::example-bucket/"]}]}]}"#,
    );
    let cases = panther_cases("detections/panther-test-cases/aws_s3_delete_object.yml");
    assert_eq!(cases.len(), 2);
    for case in cases {
        assert_eq!(
            selects(&selector, &case.json),
            case.expected,
            "{}",
            case.name
        );
    }
}

#[test]
fn network_activity_template_selects_only_its_event_source() {
    let template = compile(
        r#"{"AdvancedEventSelectors":[{"FieldSelectors":[
            {"Field":"eventCategory","Equals":["NetworkActivity"]},
            {"Field":"eventSource","Equals":["s3.amazonaws.com"]}]}]}"#,
    );
    let basic_s3 = compile(
        r#"{"EventSelectors":[{"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3"]}]}]}"#,
    );
    let found: Vec<(String, bool, bool)> =
        panther_cases("detections/panther-test-cases/aws_vpce_s3_external_ip.yml")
            .into_iter()
            .map(|case| {
                let by_template = selects(&template, &case.json);
                let by_basic = selects(&basic_s3, &case.json);
                (case.name, by_template, by_basic)
            })
            .collect();
    let expected = [
        ("External IP Access", true, false),
        ("Internal IP Access", true, false),
        ("Not S3 Service", false, false),
    ];
    let expected: Vec<(String, bool, bool)> = expected
        .into_iter()
        .map(|(name, template, basic)| (name.to_owned(), template, basic))
        .collect();
    // Basic selectors never select network activity, even with an S3 object resource.
    assert_eq!(found, expected);
}
