//! Small record builders for tests.

use serde_json::{Value, json};

/// Returns a management event record as a JSON value: `eventName` `event_name` from
/// `event_source`, made by IAM user `user` at `event_time`, with event ID `event_id`.
pub fn management_event(
    event_id: &str,
    event_time: &str,
    event_source: &str,
    event_name: &str,
    user: &str,
) -> Value {
    json!({
        "eventVersion": "1.11",
        "userIdentity": {
            "type": "IAMUser",
            "principalId": "AIDAEXAMPLEUSER00001",
            "arn": format!("arn:aws:iam::111122223333:user/{user}"),
            "accountId": "111122223333",
            "accessKeyId": format!("AKIA{:0>16}", user.len()),
            "userName": user
        },
        "eventTime": event_time,
        "eventSource": event_source,
        "eventName": event_name,
        "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.7",
        "userAgent": "aws-cli/2.17.4",
        "requestParameters": null,
        "responseElements": null,
        "requestID": "00000000-0000-4000-8000-000000000000",
        "eventID": event_id,
        "readOnly": true,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": "111122223333",
        "eventCategory": "Management"
    })
}

/// Returns a `{"Records":[...]}` log-file body holding `records`.
pub fn log_file(records: &[Value]) -> String {
    json!({ "Records": records }).to_string()
}
