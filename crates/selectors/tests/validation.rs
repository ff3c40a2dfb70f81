//! Validation table: requests that must pass and requests that must fail with a message
//! naming the broken rule (§5, limits of §4.2).

use std::path::PathBuf;

use opentrail_selectors::{ErrorKind, NetworkSources, SelectorConfig};
use opentrail_testkit::golden::assert_golden;

use crate::support::{validate_request, validate_request_with};

/// `n` copies of `item`, comma-separated.
fn repeat(item: &str, count: usize) -> String {
    vec![item; count].join(",")
}

/// `count` distinct quoted values `"v0","v1",...`.
fn values(count: usize) -> String {
    (0..count)
        .map(|index| format!(r#""v{index}""#))
        .collect::<Vec<_>>()
        .join(",")
}

fn basic(selectors: &str) -> String {
    format!(r#"{{"EventSelectors":{selectors}}}"#)
}

fn data_resource(resource_type: &str, value: &str) -> String {
    basic(&format!(
        r#"[{{"DataResources":[{{"Type":"{resource_type}","Values":["{value}"]}}]}}]"#
    ))
}

fn advanced(field_selectors: &str) -> String {
    format!(r#"{{"AdvancedEventSelectors":[{{"FieldSelectors":[{field_selectors}]}}]}}"#)
}

fn management(extra: &str) -> String {
    advanced(&format!(
        r#"{{"Field":"eventCategory","Equals":["Management"]}},{extra}"#
    ))
}

fn s3_data(extra: &str) -> String {
    let separator = if extra.is_empty() { "" } else { "," };
    advanced(&format!(
        r#"{{"Field":"eventCategory","Equals":["Data"]}},{{"Field":"resources.type","Equals":["AWS::S3::Object"]}}{separator}{extra}"#
    ))
}

fn network(source: &str, extra: &str) -> String {
    let separator = if extra.is_empty() { "" } else { "," };
    advanced(&format!(
        r#"{{"Field":"eventCategory","Equals":["NetworkActivity"]}},{{"Field":"eventSource","Equals":["{source}"]}}{separator}{extra}"#
    ))
}

fn valid_cases() -> Vec<(&'static str, String)> {
    let function = "arn:aws:lambda:us-west-2:111111111111:function:helloworld";
    let table = "arn:aws:dynamodb:us-east-1:111122223333:table/Music";
    vec![
        ("default basic", basic("[{}]")),
        ("five basic selectors", basic(&format!("[{}]", repeat("{}", 5)))),
        ("all members", basic(r#"[{"ReadWriteType":"WriteOnly","IncludeManagementEvents":true,"DataResources":[],"ExcludeManagementEventSources":["kms.amazonaws.com","rdsdata.amazonaws.com"]}]"#)),
        ("s3 all", data_resource("AWS::S3::Object", "arn:aws:s3")),
        ("s3 legacy all", data_resource("AWS::S3::Object", "arn:aws:s3:::")),
        ("s3 bucket", data_resource("AWS::S3::Object", "arn:aws:s3:::my-bucket/")),
        ("s3 bucket prefix", data_resource("AWS::S3::Object", "arn:aws:s3:::my-bucket/logs/2024")),
        ("lambda all", data_resource("AWS::Lambda::Function", "arn:aws:lambda")),
        ("lambda function", data_resource("AWS::Lambda::Function", function)),
        ("dynamodb all", data_resource("AWS::DynamoDB::Table", "arn:aws:dynamodb")),
        ("dynamodb table", data_resource("AWS::DynamoDB::Table", table)),
        ("data only", basic(r#"[{"IncludeManagementEvents":false,"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3"]}]}]"#)),
        (
            "250 data resource values over two selectors",
            basic(&format!(
                r#"[{{"DataResources":[{{"Type":"AWS::S3::Object","Values":[{}]}}]}},{{"DataResources":[{{"Type":"AWS::S3::Object","Values":[{}]}}]}}]"#,
                repeat(r#""arn:aws:s3:::b/""#, 125),
                repeat(r#""arn:aws:s3:::c/""#, 125)
            )),
        ),
        ("advanced default equivalent", r#"{"AdvancedEventSelectors":[{"Name":"Management events selector","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]}]}"#.to_owned()),
        ("management readOnly and exclusions", management(r#"{"Field":"readOnly","Equals":["false"]},{"Field":"eventSource","NotEquals":["kms.amazonaws.com","rdsdata.amazonaws.com"]}"#)),
        ("data with every field", s3_data(r#"{"Field":"readOnly","Equals":["true"]},{"Field":"eventSource","StartsWith":["s3"]},{"Field":"eventName","NotEndsWith":["Acl"]},{"Field":"eventType","Equals":["AwsApiCall"]},{"Field":"resources.ARN","Equals":["arn:aws:s3:::bucket/key"],"StartsWith":["arn:aws:s3:::bucket/"],"NotEquals":["arn:aws:s3:::bucket/other"],"NotStartsWith":["arn:aws:s3:::bucket/tmp/"],"EndsWith":[".json"],"NotEndsWith":[".tmp"]},{"Field":"sessionCredentialFromConsole","NotEquals":["true"]},{"Field":"userIdentity.arn","NotStartsWith":["arn:aws:sts::111122223333:assumed-role/Robot"]}"#)),
        ("data lambda exact", advanced(&format!(r#"{{"Field":"eventCategory","Equals":["Data"]}},{{"Field":"resources.type","Equals":["AWS::Lambda::Function"]}},{{"Field":"resources.ARN","NotEquals":["{function}"]}}"#))),
        ("data other type, generic ARN", advanced(r#"{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::SNS::Topic"]},{"Field":"resources.ARN","Equals":["arn:aws:sns:us-east-1:111122223333:alerts"]}"#)),
        ("network all events template", network("s3.amazonaws.com", "")),
        ("network access denied template", network("kms.amazonaws.com", r#"{"Field":"errorCode","Equals":["VpceAccessDenied"]}"#)),
        ("network optional fields", network("ec2.amazonaws.com", r#"{"Field":"eventName","NotStartsWith":["Describe"]},{"Field":"userIdentity.arn","EndsWith":[":root"]},{"Field":"vpcEndpointId","NotEquals":["vpce-1"]}"#)),
        ("name of 1000 characters", format!(r#"{{"AdvancedEventSelectors":[{{"Name":"{}","FieldSelectors":[{{"Field":"eventCategory","Equals":["Management"]}}]}}]}}"#, "n".repeat(1000))),
        ("value of 2048 characters", s3_data(&format!(r#"{{"Field":"eventName","Equals":["{}"]}}"#, "e".repeat(2048)))),
        ("500 values in total", s3_data(&format!(r#"{{"Field":"eventName","Equals":[{}]}}"#, values(498)))),
    ]
}

fn invalid_cases() -> Vec<(&'static str, String, &'static str)> {
    vec![
        // request level (§5.3)
        ("both lists", r#"{"EventSelectors":[{}],"AdvancedEventSelectors":[]}"#.to_owned(), "both EventSelectors and AdvancedEventSelectors"),
        ("neither list", "{}".to_owned(), "either EventSelectors or AdvancedEventSelectors"),
        // basic counts (§4.2)
        ("no basic selector", basic("[]"), "Specify a valid number of event selectors (1 to 5) for a trail. The request has 0."),
        ("six basic selectors", basic(&format!("[{}]", repeat("{}", 6))), "(1 to 5) for a trail. The request has 6."),
        (
            "251 data resource values",
            basic(&format!(
                r#"[{{"DataResources":[{{"Type":"AWS::S3::Object","Values":[{}]}}]}},{{"DataResources":[{{"Type":"AWS::S3::Object","Values":[{}]}}]}}]"#,
                repeat(r#""arn:aws:s3:::b/""#, 125),
                repeat(r#""arn:aws:s3:::c/""#, 126)
            )),
            "Specify a valid number of DataResources.Values (0 to 250) for all your selectors. The request has 251.",
        ),
        // basic members (§5.1)
        ("exclude s3", basic(r#"[{"ExcludeManagementEventSources":["s3.amazonaws.com"]}]"#), "Value s3.amazonaws.com for ExcludeManagementEventSources is invalid. Valid values are kms.amazonaws.com, rdsdata.amazonaws.com."),
        ("selects nothing", basic(r#"[{"IncludeManagementEvents":false}]"#), "When includeManagementEvents is false, DataResources must not be empty."),
        ("selects nothing, empty list", basic(r#"[{"IncludeManagementEvents":false,"DataResources":[]}]"#), "DataResources must not be empty"),
        ("data resource type missing", basic(r#"[{"DataResources":[{"Values":["arn:aws:s3"]}]}]"#), "DataResources.Type is required."),
        ("data resource type bucket", data_resource("AWS::S3::Bucket", "arn:aws:s3"), "Value AWS::S3::Bucket for DataResources.Type is invalid. Valid values are AWS::S3::Object, AWS::Lambda::Function, AWS::DynamoDB::Table."),
        ("data resource type advanced-only", data_resource("AWS::SNS::Topic", "arn:aws:sns"), "Value AWS::SNS::Topic for DataResources.Type is invalid."),
        ("data resource values missing", basic(r#"[{"DataResources":[{"Type":"AWS::S3::Object"}]}]"#), "DataResources.Values for type AWS::S3::Object must contain at least one value."),
        ("data resource values empty", basic(r#"[{"DataResources":[{"Type":"AWS::S3::Object","Values":[]}]}]"#), "must contain at least one value"),
        ("s3 bucket without slash", data_resource("AWS::S3::Object", "arn:aws:s3:::my-bucket"), "Value arn:aws:s3:::my-bucket for DataResources.Values is invalid."),
        ("s3 star", data_resource("AWS::S3::Object", "arn:aws:s3:::*"), "Value arn:aws:s3:::* for DataResources.Values is invalid."),
        ("s3 star bucket", data_resource("AWS::S3::Object", "arn:aws:s3:::cg-*/*"), "Value arn:aws:s3:::cg-*/* for DataResources.Values is invalid."),
        ("s3 lambda ARN", data_resource("AWS::S3::Object", "arn:aws:lambda"), "Value arn:aws:lambda for DataResources.Values is invalid."),
        ("s3 not an ARN", data_resource("AWS::S3::Object", "my-bucket/"), "Value my-bucket/ for DataResources.Values is invalid."),
        ("lambda star", data_resource("AWS::Lambda::Function", "arn:aws:lambda:*"), "Value arn:aws:lambda:* for DataResources.Values is invalid."),
        ("lambda region prefix", data_resource("AWS::Lambda::Function", "arn:aws:lambda:us-west-2:111111111111:function:"), "for DataResources.Values is invalid. For AWS::Lambda::Function"),
        ("lambda bad account", data_resource("AWS::Lambda::Function", "arn:aws:lambda:us-west-2:1111:function:f"), "for DataResources.Values is invalid."),
        ("dynamodb prefix", data_resource("AWS::DynamoDB::Table", "arn:aws:dynamodb:us-east-1"), "Value arn:aws:dynamodb:us-east-1 for DataResources.Values is invalid. For AWS::DynamoDB::Table"),
        ("dynamodb table missing", data_resource("AWS::DynamoDB::Table", "arn:aws:dynamodb:us-east-1:111122223333:table/"), "for DataResources.Values is invalid."),
        // advanced shape (§4.2)
        ("no advanced selector", r#"{"AdvancedEventSelectors":[]}"#.to_owned(), "Specify at least one advanced event selector for a trail."),
        ("name too long", format!(r#"{{"AdvancedEventSelectors":[{{"Name":"{}","FieldSelectors":[{{"Field":"eventCategory","Equals":["Management"]}}]}}]}}"#, "n".repeat(1001)), "Name must be at most 1000 characters long. The request has 1001."),
        ("field empty", management(r#"{"Field":"","Equals":["x"]}"#), "Field must be between 1 and 1000 characters long."),
        ("field too long", management(&format!(r#"{{"Field":"{}","Equals":["x"]}}"#, "f".repeat(1001))), "Field must be between 1 and 1000 characters long."),
        ("field pattern", management(r#"{"Field":"event-name","Equals":["x"]}"#), "Field event-name is invalid. Field names must match the pattern [\\w|\\d|\\.|_]+."),
        ("field pattern allows bars, then unknown", management(r#"{"Field":"resources|ARN","Equals":["x"]}"#), "Invalid field resources|ARN. Valid fields for Management events on trails are eventCategory, readOnly, eventSource."),
        ("field case-sensitive", s3_data(r#"{"Field":"resources.arn","StartsWith":["x"]}"#), "Invalid field resources.arn. Valid fields for Data events on trails are eventCategory, readOnly, eventSource, eventName, eventType, resources.type, resources.ARN, sessionCredentialFromConsole, userIdentity.arn."),
        ("no operator", s3_data(r#"{"Field":"eventName"}"#), "Field eventName must have at least one operator"),
        ("empty operator list", s3_data(r#"{"Field":"eventName","StartsWith":[]}"#), "Operator StartsWith of field eventName must have at least one value."),
        ("empty value", s3_data(r#"{"Field":"eventName","EndsWith":[""]}"#), "Values of operator EndsWith of field eventName must be between 1 and 2048 characters long."),
        ("value too long", s3_data(&format!(r#"{{"Field":"eventName","Equals":["{}"]}}"#, "e".repeat(2049))), "between 1 and 2048 characters long"),
        ("repeated field", s3_data(r#"{"Field":"eventName","Equals":["A"]},{"Field":"eventName","NotEquals":["B"]}"#), "Field eventName appears more than once in an advanced event selector."),
        ("repeated eventCategory", advanced(r#"{"Field":"eventCategory","Equals":["Management"]},{"Field":"eventCategory","Equals":["Management"]}"#), "Field eventCategory appears more than once"),
        ("501 values in total", s3_data(&format!(r#"{{"Field":"eventName","Equals":[{}]}}"#, values(499))), "Specify up to 500 values for all conditions in all advanced event selectors for a trail. The request has 501."),
        (
            "501 values across selectors",
            format!(
                r#"{{"AdvancedEventSelectors":[{}]}}"#,
                repeat(r#"{"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]}"#, 501)
            ),
            "The request has 501.",
        ),
        // eventCategory (§5.2)
        ("no eventCategory", advanced(r#"{"Field":"readOnly","Equals":["true"]}"#), "Field eventCategory is required in every advanced event selector."),
        ("no field selectors", r#"{"AdvancedEventSelectors":[{"FieldSelectors":[]}]}"#.to_owned(), "Field eventCategory is required"),
        ("eventCategory StartsWith", advanced(r#"{"Field":"eventCategory","StartsWith":["Manage"]}"#), "Operator StartsWith is not supported for field eventCategory. Field eventCategory supports only the Equals operator."),
        ("eventCategory NotEquals", advanced(r#"{"Field":"eventCategory","Equals":["Data"],"NotEquals":["Management"]}"#), "Operator NotEquals is not supported for field eventCategory."),
        ("eventCategory two values", advanced(r#"{"Field":"eventCategory","Equals":["Management","Data"]}"#), "Field eventCategory must use the Equals operator with exactly one value."),
        ("eventCategory Insight", advanced(r#"{"Field":"eventCategory","Equals":["Insight"]}"#), "Invalid value for eventCategory: Insight. Valid values are Management, Data, NetworkActivity."),
        ("eventCategory ConfigurationItem", advanced(r#"{"Field":"eventCategory","Equals":["ConfigurationItem"]}"#), "Invalid value for eventCategory: ConfigurationItem."),
        ("eventCategory Evidence", advanced(r#"{"Field":"eventCategory","Equals":["Evidence"]}"#), "Invalid value for eventCategory: Evidence."),
        ("eventCategory ActivityAuditLog", advanced(r#"{"Field":"eventCategory","Equals":["ActivityAuditLog"]}"#), "Invalid value for eventCategory: ActivityAuditLog."),
        ("eventCategory lowercase", advanced(r#"{"Field":"eventCategory","Equals":["management"]}"#), "Invalid value for eventCategory: management."),
        // management (§5.2)
        ("management eventName", management(r#"{"Field":"eventName","Equals":["CreateUser"]}"#), "Field eventName is not supported for Management events on trails (it is available on event data stores only)."),
        ("management eventType", management(r#"{"Field":"eventType","Equals":["AwsApiCall"]}"#), "Field eventType is not supported for Management events on trails (it is available on event data stores only)."),
        ("management console", management(r#"{"Field":"sessionCredentialFromConsole","Equals":["true"]}"#), "Field sessionCredentialFromConsole is not supported for Management events on trails (it is available"),
        ("management userIdentity.arn", management(r#"{"Field":"userIdentity.arn","StartsWith":["arn:"]}"#), "Field userIdentity.arn is not supported for Management events on trails (it is available"),
        ("management resources.type", management(r#"{"Field":"resources.type","Equals":["AWS::S3::Object"]}"#), "Field resources.type is not supported for Management events on trails. Valid fields"),
        ("management errorCode", management(r#"{"Field":"errorCode","Equals":["VpceAccessDenied"]}"#), "Field errorCode is not supported for Management events on trails."),
        ("management vpcEndpointId", management(r#"{"Field":"vpcEndpointId","Equals":["vpce-1"]}"#), "Field vpcEndpointId is not supported for Management events on trails."),
        ("management eventSource Equals", management(r#"{"Field":"eventSource","Equals":["kms.amazonaws.com"]}"#), "Operator Equals is not supported for field eventSource of Management events. Field eventSource supports only the NotEquals operator."),
        ("management eventSource s3", management(r#"{"Field":"eventSource","NotEquals":["s3.amazonaws.com"]}"#), "Invalid value for eventSource: s3.amazonaws.com. For Management events, eventSource can only be NotEquals kms.amazonaws.com or rdsdata.amazonaws.com."),
        ("readOnly NotEquals", management(r#"{"Field":"readOnly","NotEquals":["true"]}"#), "Operator NotEquals is not supported for field readOnly of Management events. Field readOnly supports only the Equals operator."),
        ("readOnly yes", management(r#"{"Field":"readOnly","Equals":["yes"]}"#), "Invalid value for readOnly: yes. Valid values are true, false."),
        ("readOnly True", s3_data(r#"{"Field":"readOnly","Equals":["True"]}"#), "Invalid value for readOnly: True."),
        // data (§5.2)
        ("data with misspelt resources.type", advanced(r#"{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.typ","Equals":["AWS::S3::Object"]}"#), "Invalid field resources.typ."),
        ("data without resources.type", advanced(r#"{"Field":"eventCategory","Equals":["Data"]}"#), "Field resources.type is required for Data events."),
        ("resources.type two values", advanced(r#"{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object","AWS::Lambda::Function"]}"#), "Field resources.type must use the Equals operator with exactly one value."),
        ("resources.type StartsWith", advanced(r#"{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","StartsWith":["AWS::S3"]}"#), "Operator StartsWith is not supported for field resources.type of Data events. Field resources.type supports only the Equals operator."),
        ("resources.type with NotEquals too", advanced(r#"{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"],"NotEquals":["AWS::S3::Bucket"]}"#), "Operator NotEquals is not supported for field resources.type of Data events."),
        ("resources.type shape", advanced(r#"{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["S3Object"]}"#), "Invalid value for resources.type: S3Object. Resource types have the form AWS::Service::Resource."),
        ("resources.ARN Equals prefix", s3_data(r#"{"Field":"resources.ARN","Equals":["arn:aws:s3:::bucket/"]}"#), "Invalid value for resources.ARN: arn:aws:s3:::bucket/. The Equals operator needs the exact ARN of a AWS::S3::Object resource."),
        ("resources.ARN NotEquals all", s3_data(r#"{"Field":"resources.ARN","NotEquals":["arn:aws:s3"]}"#), "Invalid value for resources.ARN: arn:aws:s3. The NotEquals operator needs the exact ARN"),
        ("resources.ARN Equals wrong type", s3_data(r#"{"Field":"resources.ARN","Equals":["arn:aws:dynamodb:us-east-1:111122223333:table/Music"]}"#), "Invalid value for resources.ARN: arn:aws:dynamodb:us-east-1:111122223333:table/Music."),
        ("resources.ARN Equals not an ARN", advanced(r#"{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::SNS::Topic"]},{"Field":"resources.ARN","Equals":["alerts"]}"#), "Invalid value for resources.ARN: alerts."),
        ("console StartsWith", s3_data(r#"{"Field":"sessionCredentialFromConsole","StartsWith":["t"]}"#), "Operator StartsWith is not supported for field sessionCredentialFromConsole of Data events. Field sessionCredentialFromConsole supports only the Equals and NotEquals operators."),
        ("data errorCode", s3_data(r#"{"Field":"errorCode","Equals":["VpceAccessDenied"]}"#), "Field errorCode is not supported for Data events on trails. Valid fields for Data events"),
        ("data vpcEndpointId", s3_data(r#"{"Field":"vpcEndpointId","Equals":["vpce-1"]}"#), "Field vpcEndpointId is not supported for Data events on trails."),
        // network activity (§5.2)
        ("network without eventSource", advanced(r#"{"Field":"eventCategory","Equals":["NetworkActivity"]}"#), "Field eventSource is required for NetworkActivity events."),
        ("network two sources", advanced(r#"{"Field":"eventCategory","Equals":["NetworkActivity"]},{"Field":"eventSource","Equals":["s3.amazonaws.com","kms.amazonaws.com"]}"#), "Field eventSource must use the Equals operator with exactly one value."),
        ("network source StartsWith", advanced(r#"{"Field":"eventCategory","Equals":["NetworkActivity"]},{"Field":"eventSource","StartsWith":["s3"]}"#), "Operator StartsWith is not supported for field eventSource of NetworkActivity events."),
        ("network source with NotEquals", advanced(r#"{"Field":"eventCategory","Equals":["NetworkActivity"]},{"Field":"eventSource","Equals":["s3.amazonaws.com"],"NotEquals":["kms.amazonaws.com"]}"#), "Operator NotEquals is not supported for field eventSource of NetworkActivity events."),
        ("network unsupported source", network("iam.amazonaws.com", ""), "Invalid value for eventSource: iam.amazonaws.com. The event source does not support network activity events."),
        ("network bare service name", network("s3", ""), "Invalid value for eventSource: s3."),
        ("network errorCode other", network("s3.amazonaws.com", r#"{"Field":"errorCode","Equals":["AccessDenied"]}"#), "Invalid value for errorCode: AccessDenied. Valid values are VpceAccessDenied."),
        ("network errorCode StartsWith", network("s3.amazonaws.com", r#"{"Field":"errorCode","StartsWith":["Vpce"]}"#), "Operator StartsWith is not supported for field errorCode of NetworkActivity events."),
        ("network readOnly", network("s3.amazonaws.com", r#"{"Field":"readOnly","Equals":["true"]}"#), "Field readOnly is not supported for NetworkActivity events on trails. Valid fields for NetworkActivity events on trails are eventCategory, eventSource, eventName, userIdentity.arn, errorCode, vpcEndpointId."),
        ("network eventType", network("s3.amazonaws.com", r#"{"Field":"eventType","Equals":["AwsVpceEvent"]}"#), "Field eventType is not supported for NetworkActivity events on trails."),
        ("network resources.ARN", network("s3.amazonaws.com", r#"{"Field":"resources.ARN","StartsWith":["arn:"]}"#), "Field resources.ARN is not supported for NetworkActivity events on trails."),
        (
            "second selector is checked too",
            r#"{"AdvancedEventSelectors":[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]},{"FieldSelectors":[{"Field":"eventCategory","Equals":["Insight"]}]}]}"#.to_owned(),
            "Invalid value for eventCategory: Insight.",
        ),
    ]
}

#[test]
fn valid_requests_pass() {
    let mut failures = Vec::new();
    for (name, request) in valid_cases() {
        if let Err(error) = validate_request(&request) {
            failures.push(format!("{name}: {error}"));
        }
    }
    assert!(
        failures.is_empty(),
        "valid requests refused:\n{}",
        failures.join("\n")
    );
}

#[test]
fn invalid_requests_fail_with_a_message_naming_the_rule() {
    let mut failures = Vec::new();
    for (name, request, expected) in invalid_cases() {
        match validate_request(&request) {
            Ok(_) => failures.push(format!("{name}: accepted")),
            Err(error) => {
                let message = error.to_string();
                if error.kind() != ErrorKind::InvalidEventSelectors || !message.contains(expected) {
                    failures.push(format!("{name}: got `{message}`, expected `{expected}`"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn operators_may_extend_the_network_sources() {
    let request = network("search.example.com", "");
    assert!(validate_request(&request).is_err());
    let sources = NetworkSources::with_extra(["search.example.com"]);
    assert!(validate_request_with(&request, &sources).is_ok());
}

#[test]
fn advanced_selectors_are_kept_as_given() {
    let request = network(
        "s3.amazonaws.com",
        r#"{"Field":"errorCode","Equals":["VpceAccessDenied"]}"#,
    );
    let SelectorConfig::Advanced(stored) = validate_request(&request).unwrap() else {
        panic!("advanced request stored as basic");
    };
    let body: serde_json::Value = serde_json::from_str(&request).unwrap();
    assert_eq!(
        serde_json::to_value(&stored).unwrap(),
        body["AdvancedEventSelectors"]
    );
}

/// The stored form GetEventSelectors echoes for basic requests, defaults filled in.
#[test]
fn basic_selectors_are_normalized_golden() {
    let requests = [
        basic("[{}]"),
        basic(r#"[{"ReadWriteType":"ReadOnly"}]"#),
        basic(
            r#"[{"IncludeManagementEvents":false,"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::bucket/"]}]},{"ExcludeManagementEventSources":["kms.amazonaws.com"]}]"#,
        ),
    ];
    let mut output = String::new();
    for request in requests {
        let SelectorConfig::Basic(stored) = validate_request(&request).unwrap() else {
            panic!("basic request stored as advanced");
        };
        // Serialised from the structs, so members keep botocore's order.
        output.push_str(&format!(
            "request: {request}\nstored:  {{\"EventSelectors\":{}}}\n\n",
            serde_json::to_string(&stored).unwrap()
        ));
    }
    let golden =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/normalized_basic.txt");
    assert_golden(&golden, &output);
}

#[test]
fn trail_default_is_valid_and_already_normalized() {
    let default = SelectorConfig::trail_default();
    let validated =
        opentrail_selectors::validate_for_trail(default.clone(), &NetworkSources::default())
            .unwrap();
    assert_eq!(validated, default);
}
