//! The examples of the EventBridge user guide ("Amazon EventBridge input transformation",
//! "Input transform examples") and API reference (`InputTransformer`), run against a
//! CloudTrail record that carries the guide's `instance-id` and `state` values.

use serde_json::json;

use super::*;
use crate::envelope::envelope;

const RECORD: &str = r#"{
  "eventVersion": "1.08",
  "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/Alice", "accountId": "123456789012"},
  "eventTime": "2015-11-11T21:29:54Z",
  "eventSource": "ec2.amazonaws.com",
  "eventName": "StartInstances",
  "awsRegion": "us-east-1",
  "instance-id": "i-0123456789",
  "state": "RUNNING",
  "requestParameters": {"instance-id": "i-0123456789", "state": "RUNNING"},
  "quoted": "say \"hi\" \\ bye",
  "eventID": "7bf73129-1428-4cd3-a780-95db273d1602",
  "resources": [{"ARN": "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789"}],
  "eventType": "AwsApiCall",
  "recipientAccountId": "123456789012"
}"#;

fn rule() -> RuleRef {
    RuleRef {
        name: String::from("example"),
        arn: String::from("arn:aws:events:us-east-2:123456789012:rule/example"),
    }
}

fn target(settings: serde_json::Value) -> Target {
    let mut target = json!({"id": "t1", "arn": "stdout:"});
    if let (Some(object), Some(extra)) = (target.as_object_mut(), settings.as_object()) {
        object.extend(extra.clone());
    }
    serde_json::from_value(target).unwrap()
}

fn transformer(template: &str) -> Target {
    target(json!({"input_transformer": {
        "input_paths_map": [
            ["timestamp", "$.time"],
            ["instance", "$.detail.instance-id"],
            ["status", "$.detail.state"],
            ["state", "$.detail.state"],
            ["params", "$.detail.requestParameters"],
            ["quoted", "$.detail.quoted"],
            ["missing", "$.detail.notinmessage"],
            ["aws.events.rule-name", "$.detail.state"]
        ],
        "input_template": template
    }}))
}

fn rendered(target: &Target) -> String {
    let wrapped = envelope(RECORD.as_bytes()).unwrap();
    String::from_utf8(render(target, &wrapped, &rule()).unwrap()).unwrap()
}

fn transformed(template: &str) -> String {
    rendered(&transformer(template))
}

#[test]
fn simple_string() {
    assert_eq!(
        transformed(r#""instance <instance> is in <state>""#),
        r#""instance i-0123456789 is in RUNNING""#
    );
}

#[test]
fn string_with_escaped_quotes() {
    assert_eq!(
        transformed(r#""instance \"<instance>\" is in <state>""#),
        r#""instance \"i-0123456789\" is in RUNNING""#
    );
}

#[test]
fn simple_json() {
    assert_eq!(
        transformed("{\n  \"instance\" : <instance>,\n  \"state\": <state>\n}"),
        r#"{"instance":"i-0123456789","state":"RUNNING"}"#
    );
}

#[test]
fn json_with_strings_and_variables() {
    assert_eq!(
        transformed(
            r#"{"instance" : <instance>, "state": "<state>", "instanceStatus": "instance \"<instance>\" is in <state>"}"#
        ),
        r#"{"instance":"i-0123456789","state":"RUNNING","instanceStatus":"instance \"i-0123456789\" is in RUNNING"}"#
    );
}

#[test]
fn json_with_a_mix_of_variables_and_static_information() {
    assert_eq!(
        transformed(
            r#"{"instance" : <instance>, "state": [ 9, <state>, true ], "Transformed" : "Yes"}"#
        ),
        r#"{"instance":"i-0123456789","state":[9,"RUNNING",true],"Transformed":"Yes"}"#
    );
}

#[test]
fn reserved_variables_in_json() {
    let wrapped = envelope(RECORD.as_bytes()).unwrap();
    let output = transformed(
        r#"{"instance" : <instance>, "state": <state>, "ruleArn" : <aws.events.rule-arn>, "ruleName" : <aws.events.rule-name>, "originalEvent" : <aws.events.event>}"#,
    );
    let expected = format!(
        r#"{{"instance":"i-0123456789","state":"RUNNING","ruleArn":"arn:aws:events:us-east-2:123456789012:rule/example","ruleName":"example","originalEvent":{{"id":"{}","account":"123456789012","detailType":"AWS API Call via CloudTrail","time":"2015-11-11T21:29:54Z","source":"aws.ec2","region":"us-east-1","resources":[],"version":"0"}}}}"#,
        wrapped.id()
    );
    assert_eq!(output, expected);
}

#[test]
fn reserved_variables_in_a_string() {
    assert_eq!(
        transformed(r#""<aws.events.rule-name> triggered""#),
        r#""example triggered""#
    );
}

#[test]
fn cloudwatch_log_group_example_quotes_the_timestamp() {
    // The guide prints the timestamp unquoted, which is not JSON; a string value outside
    // quotes is inserted as a JSON string.
    assert_eq!(
        transformed(
            r#"{"timestamp" : <timestamp>, "message": "instance \"<instance>\" is in <state>"}"#
        ),
        r#"{"timestamp":"2015-11-11T21:29:54Z","message":"instance \"i-0123456789\" is in RUNNING"}"#
    );
}

#[test]
fn api_reference_examples() {
    assert_eq!(
        transformed("<instance> is in state <status>"),
        "i-0123456789 is in state RUNNING"
    );
    assert_eq!(
        transformed(r#"<instance> is in state "<status>""#),
        r#"i-0123456789 is in state "RUNNING""#
    );
    assert_eq!(
        transformed(
            r#"{"myInstance": <instance>,"myStatus": "<instance> is in state \"<status>\""}"#
        ),
        r#"{"myInstance":"i-0123456789","myStatus":"i-0123456789 is in state \"RUNNING\""}"#
    );
}

#[test]
fn a_path_that_selects_nothing_gives_an_empty_string() {
    assert_eq!(
        transformed(r#"{"command": <missing>, "text": "cmd <missing>."}"#),
        r#"{"command":"","text":"cmd ."}"#
    );
    assert_eq!(
        transformed(r#""info extracted from detail <missing>""#),
        r#""info extracted from detail ""#
    );
}

#[test]
fn objects_inside_strings_lose_their_quotes() {
    assert_eq!(
        transformed(r#""Detail is <params>""#),
        r#""Detail is {instance-id:i-0123456789,state:RUNNING}""#
    );
    assert_eq!(
        transformed(r#"{"params": <params>}"#),
        r#"{"params":{"instance-id":"i-0123456789","state":"RUNNING"}}"#
    );
}

#[test]
fn values_inside_quotes_are_escaped() {
    assert_eq!(
        transformed(r#"{"said": "<quoted>", "raw": <quoted>}"#),
        r#"{"said":"say \"hi\" \\ bye","raw":"say \"hi\" \\ bye"}"#
    );
}

#[test]
fn the_whole_event_as_json() {
    let wrapped = envelope(RECORD.as_bytes()).unwrap();
    assert_eq!(
        transformed(r#"{"event": <aws.events.event.json>}"#),
        format!(r#"{{"event":{}}}"#, wrapped.json())
    );
}

#[test]
fn unknown_placeholders_stay_as_written() {
    assert_eq!(transformed(r#""a <b> c <state>""#), r#""a <b> c RUNNING""#);
}

#[test]
fn ingestion_time_is_the_given_time() {
    let wrapped = envelope(RECORD.as_bytes()).unwrap();
    let template = transformer(r#""at <aws.events.event.ingestion-time>""#);
    let at = Timestamp::parse_event_time("2026-03-04T17:05:21.750Z").unwrap();
    let output = render_at(&template, &wrapped, &rule(), at).unwrap();
    assert_eq!(output, br#""at 2026-03-04T17:05:21Z""#);
}

#[test]
fn json_templates_that_break_are_errors() {
    let wrapped = envelope(RECORD.as_bytes()).unwrap();
    let broken = transformer(r#"{"a": <instance> <state>}"#);
    let error = render(&broken, &wrapped, &rule()).unwrap_err();
    assert!(
        matches!(error, InputError::InvalidTemplateOutput(_)),
        "{error}"
    );
}

#[test]
fn no_settings_send_the_envelope() {
    let wrapped = envelope(RECORD.as_bytes()).unwrap();
    assert_eq!(rendered(&target(json!({}))), wrapped.json());
}

#[test]
fn constant_input_is_minified() {
    assert_eq!(
        rendered(&target(json!({"input": "{ \"alert\" : [1, 2] }"}))),
        r#"{"alert":[1,2]}"#
    );
    let wrapped = envelope(RECORD.as_bytes()).unwrap();
    let bad = target(json!({"input": "{nope"}));
    assert!(matches!(
        render(&bad, &wrapped, &rule()),
        Err(InputError::InvalidInput(_))
    ));
}

#[test]
fn input_paths() {
    let path = |path: &str| rendered(&target(json!({ "input_path": path })));
    assert!(path("$.detail").starts_with(r#"{"eventVersion":"1.08","userIdentity":"#));
    assert_eq!(
        path("$.detail.userIdentity.arn"),
        r#""arn:aws:iam::123456789012:user/Alice""#
    );
    assert_eq!(
        path("$.detail.resources[0].ARN"),
        r#""arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789""#
    );
    assert_eq!(path("$.detail-type"), r#""AWS API Call via CloudTrail""#);
}

#[test]
fn input_path_errors() {
    let wrapped = envelope(RECORD.as_bytes()).unwrap();
    let missing = target(json!({"input_path": "$.detail.nothing"}));
    assert!(matches!(
        render(&missing, &wrapped, &rule()),
        Err(InputError::PathSelectsNothing { .. })
    ));
    let invalid = target(json!({"input_path": "detail"}));
    assert!(matches!(
        render(&invalid, &wrapped, &rule()),
        Err(InputError::InvalidPath { .. })
    ));
}
