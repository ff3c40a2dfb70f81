//! Self-audit: every call to OpenTrail's API becomes a CloudTrail management event, as AWS
//! records calls to CloudTrail itself (`spec/events-and-queries.md` §1).
//!
//! The record, for a call by a known principal:
//!
//! ```json
//! {"eventVersion":"1.11",
//!  "userIdentity":{"type":"IAMUser","principalId":"AIDA…","arn":"arn:aws:iam::111122223333:user/admin",
//!                  "accountId":"111122223333","accessKeyId":"AKIA…","userName":"admin"},
//!  "eventTime":"2026-11-21T10:00:00Z","eventSource":"cloudtrail.amazonaws.com",
//!  "eventName":"LookupEvents","awsRegion":"us-east-1","sourceIPAddress":"127.0.0.1",
//!  "userAgent":"aws-cli/1.45.0 …","requestParameters":{"maxResults":5},"responseElements":null,
//!  "requestID":"<the x-amzn-RequestId returned>","eventID":"…","readOnly":true,
//!  "eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333",
//!  "eventCategory":"Management"}
//! ```
//!
//! `requestParameters` is the request body with member names in camelCase, as CloudTrail
//! logs them; members whose name says they hold a secret are replaced by
//! `HIDDEN_DUE_TO_SECURITY_REASONS`, as CloudTrail does. `responseElements` is `null` for
//! read-only calls and for failures. A failed call carries `errorCode` and `errorMessage`.
//! Per-field limits are applied as AWS's recorders apply them
//! ([`opentrail_event::Record::apply_field_limits`]).

use std::sync::Arc;

use opentrail_event::{Event, Record, RecordLimits, UserIdentity, ValidationError};
use opentrail_types::Timestamp;
use serde_json::value::RawValue;

use crate::principals::Principal;

/// `eventSource` of calls to OpenTrail's own API.
pub const EVENT_SOURCE: &str = "cloudtrail.amazonaws.com";
/// `eventSource` of the EventBridge API's own records.
pub const EVENTS_SOURCE: &str = "events.amazonaws.com";
/// `eventVersion` OpenTrail writes.
pub const EVENT_VERSION: &str = "1.11";
/// What replaces a secret in `requestParameters`.
pub const HIDDEN: &str = "HIDDEN_DUE_TO_SECURITY_REASONS";

/// Who made a call, as far as it is known.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The principal of a known key.
    pub principal: Arc<Principal>,
    /// The access key id the request was signed with.
    pub access_key_id: String,
    /// The Region the request was signed for (the server's own when the signature did
    /// not get that far): the call's `awsRegion`, and the Region its trails are seen from.
    pub region: String,
}

/// One call to record.
#[derive(Debug, Clone)]
pub struct ApiCall<'a> {
    /// When the call completed.
    pub time: Timestamp,
    /// `eventID`.
    pub event_id: String,
    /// `requestID`: the `x-amzn-RequestId` returned to the caller.
    pub request_id: &'a str,
    /// The service called: `cloudtrail.amazonaws.com` ([`EVENT_SOURCE`]) or
    /// `events.amazonaws.com` ([`EVENTS_SOURCE`]).
    pub event_source: &'a str,
    /// The operation.
    pub event_name: &'a str,
    /// Whether the operation only reads.
    pub read_only: bool,
    /// The server's Region.
    pub region: &'a str,
    /// The caller.
    pub caller: &'a Caller,
    /// The client's IP address.
    pub source_ip: String,
    /// The `User-Agent` header.
    pub user_agent: Option<&'a str>,
    /// The request's parameters (already in CloudTrail's form, see [`request_parameters`]).
    pub request_parameters: Option<serde_json::Value>,
    /// The response, for calls that change something.
    pub response_elements: Option<serde_json::Value>,
    /// `errorCode` and `errorMessage` of a failed call.
    pub error: Option<(&'a str, &'a str)>,
    /// Whether the call came from a console session (`sessionCredentialFromConsole`).
    pub from_console: bool,
}

/// Builds the checked record of a call.
///
/// # Errors
///
/// Only when the record breaks the 256 KB limit after per-field truncation, which the
/// limits make impossible in practice (a broken invariant).
pub fn record_call(call: ApiCall<'_>) -> Result<Event, ValidationError> {
    let principal = &call.caller.principal;
    let identity = UserIdentity {
        identity_type: Some(String::from("IAMUser")),
        principal_id: Some(principal.principal_id.clone()),
        arn: Some(principal.arn.clone()),
        account_id: Some(principal.account_id.clone()),
        access_key_id: Some(call.caller.access_key_id.clone()),
        user_name: Some(principal.user_name.clone()),
        ..UserIdentity::default()
    };
    let raw = |value: Option<serde_json::Value>| -> Option<Box<RawValue>> {
        let value = value.unwrap_or(serde_json::Value::Null);
        serde_json::value::to_raw_value(&value).ok()
    };
    let succeeded = call.error.is_none();
    let mut record = Record {
        event_version: Some(String::from(EVENT_VERSION)),
        user_identity: Some(identity),
        event_time: Some(call.time.format_event_time()),
        event_source: Some(call.event_source.to_owned()),
        event_name: Some(call.event_name.to_owned()),
        aws_region: Some(call.region.to_owned()),
        source_ip_address: Some(call.source_ip),
        user_agent: call.user_agent.map(str::to_owned),
        error_code: call.error.map(|(code, _)| code.to_owned()),
        error_message: call.error.map(|(_, message)| message.to_owned()),
        request_parameters: raw(call.request_parameters),
        // CloudTrail writes response members lower-camel-case too (`queryId`,
        // `trailARN`), which Lake queries such as `element_at(responseElements,'queryId')`
        // rely on.
        response_elements: raw(if succeeded && !call.read_only {
            call.response_elements.map(camel_case_members)
        } else {
            None
        }),
        request_id: Some(call.request_id.to_owned()),
        event_id: Some(call.event_id),
        read_only: Some(call.read_only),
        event_type: Some(String::from("AwsApiCall")),
        management_event: Some(true),
        recipient_account_id: Some(principal.account_id.clone()),
        event_category: Some(String::from("Management")),
        session_credential_from_console: call.from_console.then(|| String::from("true")),
        ..Record::default()
    };
    record.apply_field_limits();
    Event::from_record(record, &RecordLimits::STANDARD)
}

/// A request body in CloudTrail's `requestParameters` form: member names start lower-case
/// (`LookupAttributes` → `lookupAttributes`), secrets are hidden. `None` for an empty or
/// non-JSON body.
pub fn request_parameters(body: &[u8]) -> Option<serde_json::Value> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    Some(camel_case_members(value))
}

fn camel_case_members(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(members) => {
            let mut out = serde_json::Map::with_capacity(members.len());
            for (name, member) in members {
                let renamed = lower_first(&name);
                let member = if is_secret_name(&renamed) {
                    serde_json::Value::String(String::from(HIDDEN))
                } else {
                    camel_case_members(member)
                };
                out.insert(renamed, member);
            }
            serde_json::Value::Object(out)
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(camel_case_members).collect())
        }
        other => other,
    }
}

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Member names that hold secrets by their name (`secretAccessKey`, `password`, ...).
/// `nextToken` is a paging cursor, not a secret.
fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "secret",
        "password",
        "privatekey",
        "sessiontoken",
        "credential",
    ]
    .iter()
    .any(|word| lower.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::principals::Permission;

    fn username_of(event: &Event) -> Option<String> {
        use opentrail_event::LookupFields;
        event
            .record()
            .lookup_username()
            .map(|name| name.to_string())
    }

    fn caller() -> Caller {
        Caller {
            region: String::from("us-east-1"),
            principal: Arc::new(Principal {
                account_id: String::from("111122223333"),
                arn: String::from("arn:aws:iam::111122223333:user/admin"),
                user_name: String::from("admin"),
                principal_id: String::from("AIDAEXAMPLE00000000X"),
                permission: Permission::Admin,
            }),
            access_key_id: String::from("AKIAEXAMPLE000000000"),
        }
    }

    fn call<'a>(caller: &'a Caller, body: &[u8]) -> ApiCall<'a> {
        ApiCall {
            time: Timestamp::from_secs(1_795_000_000),
            event_id: String::from("6d1bd6a4-9c83-4c3e-9a46-0f1f5d9a3a11"),
            request_id: "0b1b0ab5-3a1e-4e3c-8f43-2b1f0c0b7d6e",
            event_source: EVENT_SOURCE,
            event_name: "LookupEvents",
            read_only: true,
            region: "us-east-1",
            caller,
            source_ip: String::from("127.0.0.1"),
            user_agent: Some("aws-cli/1.45.0"),
            request_parameters: request_parameters(body),
            response_elements: None,
            error: None,
            from_console: false,
        }
    }

    #[test]
    fn a_read_call_is_a_management_event_with_camel_case_parameters() {
        let caller = caller();
        let event = record_call(call(
            &caller,
            br#"{"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"X"}],"MaxResults":5}"#,
        ))
        .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&event.to_json()).unwrap();
        assert_eq!(json["eventSource"], "cloudtrail.amazonaws.com");
        assert_eq!(json["eventName"], "LookupEvents");
        assert_eq!(json["readOnly"], true);
        assert_eq!(json["eventType"], "AwsApiCall");
        assert_eq!(json["managementEvent"], true);
        assert_eq!(json["recipientAccountId"], "111122223333");
        assert_eq!(json["userIdentity"]["accessKeyId"], "AKIAEXAMPLE000000000");
        assert_eq!(json["userIdentity"]["type"], "IAMUser");
        assert_eq!(json["requestID"], "0b1b0ab5-3a1e-4e3c-8f43-2b1f0c0b7d6e");
        assert_eq!(json["eventTime"], "2026-11-18T11:06:40Z");
        assert_eq!(
            json["requestParameters"],
            serde_json::json!({"lookupAttributes":[{"attributeKey":"EventName","attributeValue":"X"}],"maxResults":5})
        );
        assert_eq!(json["responseElements"], serde_json::Value::Null);
        assert!(json.get("errorCode").is_none());
        assert_eq!(username_of(&event).as_deref(), Some("admin"));
    }

    #[test]
    fn failures_carry_the_error_and_no_response() {
        let caller = caller();
        let mut failed = call(&caller, b"{}");
        failed.event_name = "CreateTrail";
        failed.read_only = false;
        failed.response_elements = Some(serde_json::json!({"name": "x"}));
        failed.error = Some(("AccessDenied", "User: arn is not authorized"));
        let json: serde_json::Value =
            serde_json::from_slice(&record_call(failed).unwrap().to_json()).unwrap();
        assert_eq!(json["errorCode"], "AccessDenied");
        assert_eq!(json["errorMessage"], "User: arn is not authorized");
        assert_eq!(json["responseElements"], serde_json::Value::Null);
        assert_eq!(json["readOnly"], false);
    }

    #[test]
    fn responses_of_write_calls_are_camel_cased_like_cloudtrail_writes_them() {
        let caller = caller();
        let mut started = call(&caller, br#"{"QueryStatement":"SELECT 1"}"#);
        started.event_name = "StartQuery";
        started.read_only = false;
        started.response_elements = Some(serde_json::json!({"QueryId": "q-1", "TrailARN": "arn"}));
        let json: serde_json::Value =
            serde_json::from_slice(&record_call(started).unwrap().to_json()).unwrap();
        assert_eq!(
            json["responseElements"],
            serde_json::json!({"queryId": "q-1", "trailARN": "arn"})
        );
    }

    #[test]
    fn secrets_are_hidden_and_huge_parameters_are_dropped() {
        let hidden = request_parameters(
            br#"{"Name":"t","SecretAccessKey":"abc","Nested":{"Password":"p"},"NextToken":"n"}"#,
        )
        .unwrap();
        assert_eq!(hidden["secretAccessKey"], HIDDEN);
        assert_eq!(hidden["nested"]["password"], HIDDEN);
        assert_eq!(hidden["nextToken"], "n");
        assert_eq!(hidden["name"], "t");
        assert!(request_parameters(b"not json").is_none());
        assert!(request_parameters(b"  ").is_none());

        let caller = caller();
        let huge = format!(r#"{{"Pad":"{}"}}"#, "x".repeat(200 * 1024));
        let event = record_call(call(&caller, huge.as_bytes())).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&event.to_json()).unwrap();
        assert_eq!(json["requestParameters"], serde_json::Value::Null);
        let mut long_agent = call(&caller, b"{}");
        let agent = "a".repeat(5000);
        long_agent.user_agent = Some(&agent);
        let json: serde_json::Value =
            serde_json::from_slice(&record_call(long_agent).unwrap().to_json()).unwrap();
        assert_eq!(json["userAgent"].as_str().unwrap().len(), 1024);
    }
}
