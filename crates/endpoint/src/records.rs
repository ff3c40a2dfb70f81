//! The records one call through the endpoint produces (`spec/events-and-queries.md` §1.1,
//! §1.5).
//!
//! **Network activity event**, for every call, delivered to the endpoint's owner:
//!
//! ```json
//! {"eventVersion":"1.11",
//!  "userIdentity":{"type":"IAMUser","principalId":"AIDA…","arn":"arn:aws:iam::111122223333:user/alice",
//!                  "accountId":"111122223333","accessKeyId":"AKIA…","userName":"alice"},
//!  "eventTime":"2026-11-22T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject",
//!  "awsRegion":"us-east-1","sourceIPAddress":"127.0.0.1","userAgent":"aws-cli/…",
//!  "requestID":"<the upstream's request id>","eventID":"…","eventType":"AwsVpceEvent",
//!  "recipientAccountId":"<endpoint owner>","vpcEndpointId":"vpce-…",
//!  "vpcEndpointAccountId":"<endpoint owner>","eventCategory":"NetworkActivity"}
//! ```
//!
//! with `errorCode` and `errorMessage` when the call failed: the upstream's own error code
//! (S3 `<Code>`, JSON `__type`), or `VpceAccessDenied` and the fixed message
//! [`DENIED_MESSAGE`] when the endpoint policy refused it. `userAgent` is kept (CloudTrail
//! usually leaves it out of network activity events; it is what tells one client from
//! another). Calls with credentials from outside the organisation carry
//! `additionalEventData.outsideOrganization: true` (see [`crate::caller`]).
//!
//! **Data event**, for S3 object-level calls the policy let through, shaped as S3 writes
//! them: `eventCategory` `Data`, `eventType` `AwsApiCall`, `managementEvent` false,
//! `readOnly`, `requestParameters` (`bucketName`, `Host`, `key` and the sub-resources),
//! `responseElements` null, `additionalEventData` (`SignatureVersion`,
//! `AuthenticationMethod`, `bytesTransferredIn`, `bytesTransferredOut`), `resources` (the
//! object, then the bucket with the owner's account), `vpcEndpointId` and
//! `vpcEndpointAccountId`. The bucket owner is taken to be the endpoint's owner
//! **[project decision]**: the endpoint fronts the owner's storage. It receives the event;
//! a registry caller of another account receives a copy too, both carrying one
//! `sharedEventID`, as CloudTrail does for cross-account data events.

use opentrail_event::{Event, Record, RecordLimits, Resource, UserIdentity, ValidationError};
use opentrail_identify::Call;
use opentrail_types::Timestamp;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::caller::{ANONYMOUS_ACCOUNT, Caller};

/// `eventVersion` written.
pub const EVENT_VERSION: &str = "1.11";
/// `errorCode` of a call the endpoint policy refused.
pub const DENIED_CODE: &str = "VpceAccessDenied";
/// `errorMessage` of a call the endpoint policy refused (fixed by CloudTrail).
pub const DENIED_MESSAGE: &str = "The request was denied due to a VPC endpoint policy";

/// How the request was signed, as S3 writes `additionalEventData.AuthenticationMethod`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    /// `Authorization` header.
    Header,
    /// Presigned URL.
    Query,
    /// Not signed.
    None,
}

/// Everything the records of one call are made from.
#[derive(Debug, Clone)]
pub struct CallFacts<'a> {
    /// When the request arrived.
    pub time: Timestamp,
    /// `eventID` of the network activity event.
    pub network_event_id: String,
    /// `eventID`s of the data event copies (owner's, then caller's) and their
    /// `sharedEventID`; used only for S3 object-level calls.
    pub data_event_ids: [String; 3],
    /// The call.
    pub call: &'a Call,
    /// The caller.
    pub caller: &'a Caller,
    /// `awsRegion`: the Region of the credential scope, else the endpoint's.
    pub region: &'a str,
    /// The client's address.
    pub source_ip: String,
    /// `User-Agent`.
    pub user_agent: Option<&'a str>,
    /// The upstream's request id.
    pub request_id: Option<&'a str>,
    /// `errorCode` and `errorMessage` of a failed call.
    pub error: Option<(&'a str, &'a str)>,
    /// The endpoint's id and owner.
    pub endpoint_id: &'a str,
    /// The endpoint owner's account.
    pub owner_account: &'a str,
    /// Request body bytes that went upstream.
    pub bytes_in: u64,
    /// Response body bytes that came back.
    pub bytes_out: u64,
    /// How the request was signed.
    pub auth: AuthMethod,
    /// Whether the endpoint policy refused the call (then no data event).
    pub denied: bool,
}

/// The records of one call: the network activity event, then the data event copies.
///
/// # Errors
///
/// A record breaks the 256 KB limit after per-field truncation (a broken invariant: the
/// fields written are bounded well below it).
pub fn records(facts: &CallFacts<'_>) -> Result<Vec<Event>, ValidationError> {
    let mut events = vec![network_event(facts)?];
    if has_data_events(facts.call, facts.denied)
        && let Some(s3) = &facts.call.s3
    {
        events.extend(data_events(facts, s3)?);
    }
    Ok(events)
}

/// Whether a call has data events besides its network activity event: an S3 object-level
/// call the endpoint policy let through.
pub fn has_data_events(call: &Call, denied: bool) -> bool {
    !denied && call.s3.as_ref().is_some_and(|s3| s3.data_event)
}

fn user_identity(caller: &Caller) -> UserIdentity {
    match caller {
        Caller::Known {
            access_key_id,
            principal,
        } => UserIdentity {
            identity_type: Some(String::from("IAMUser")),
            principal_id: Some(principal.principal_id.clone()),
            arn: Some(principal.arn.clone()),
            account_id: Some(principal.account_id.clone()),
            access_key_id: Some(access_key_id.clone()),
            user_name: Some(principal.user_name.clone()),
            ..UserIdentity::default()
        },
        Caller::Unknown {
            access_key_id,
            account_id,
        } => UserIdentity {
            identity_type: Some(String::from("AWSAccount")),
            account_id: account_id.clone(),
            access_key_id: Some(access_key_id.clone()),
            ..UserIdentity::default()
        },
        Caller::Anonymous => UserIdentity {
            identity_type: Some(String::from("AWSAccount")),
            principal_id: Some(String::new()),
            account_id: Some(String::from(ANONYMOUS_ACCOUNT)),
            ..UserIdentity::default()
        },
    }
}

/// The members every record of the call shares.
fn base_record(facts: &CallFacts<'_>) -> Record {
    Record {
        event_version: Some(String::from(EVENT_VERSION)),
        user_identity: Some(user_identity(facts.caller)),
        event_time: Some(facts.time.format_event_time()),
        event_source: Some(facts.call.event_source.clone()),
        event_name: Some(facts.call.event_name.clone()),
        aws_region: Some(facts.region.to_owned()),
        source_ip_address: Some(facts.source_ip.clone()),
        user_agent: facts.user_agent.map(str::to_owned),
        error_code: facts.error.map(|(code, _)| code.to_owned()),
        error_message: facts
            .error
            .map(|(_, message)| message.to_owned())
            .filter(|message| !message.is_empty()),
        request_id: facts.request_id.map(str::to_owned),
        vpc_endpoint_id: Some(facts.endpoint_id.to_owned()),
        vpc_endpoint_account_id: Some(facts.owner_account.to_owned()),
        ..Record::default()
    }
}

fn network_event(facts: &CallFacts<'_>) -> Result<Event, ValidationError> {
    let mut record = Record {
        event_id: Some(facts.network_event_id.clone()),
        event_type: Some(String::from("AwsVpceEvent")),
        recipient_account_id: Some(facts.owner_account.to_owned()),
        event_category: Some(String::from("NetworkActivity")),
        ..base_record(facts)
    };
    if facts.caller.outside_organization() {
        record.additional_event_data = raw(&serde_json::json!({"outsideOrganization": true}));
    }
    finish(record)
}

fn data_events(
    facts: &CallFacts<'_>,
    s3: &opentrail_identify::S3Call,
) -> Result<Vec<Event>, ValidationError> {
    let [owner_id, caller_id, shared_id] = &facts.data_event_ids;
    let resources = data_event_resources(s3, facts.owner_account);
    let mut additional = Map::new();
    // An unsigned request has neither member, as S3 writes anonymous requests.
    if facts.auth != AuthMethod::None {
        additional.insert(String::from("SignatureVersion"), Value::from("SigV4"));
        additional.insert(
            String::from("AuthenticationMethod"),
            Value::from(if facts.auth == AuthMethod::Query {
                "QueryString"
            } else {
                "AuthHeader"
            }),
        );
    }
    additional.insert(
        String::from("bytesTransferredIn"),
        Value::from(facts.bytes_in),
    );
    additional.insert(
        String::from("bytesTransferredOut"),
        Value::from(facts.bytes_out),
    );
    if facts.caller.outside_organization() {
        additional.insert(String::from("outsideOrganization"), Value::Bool(true));
    }
    let additional = raw(&Value::Object(additional));
    let caller_account = facts.caller.account_id().filter(|account| {
        matches!(facts.caller, Caller::Known { .. }) && *account != facts.owner_account
    });
    let mut copies = vec![(facts.owner_account, owner_id)];
    if let Some(account) = caller_account {
        copies.push((account, caller_id));
    }
    let shared = (copies.len() > 1).then(|| shared_id.clone());
    copies
        .into_iter()
        .map(|(recipient, event_id)| {
            finish(Record {
                request_parameters: raw(&Value::Object(s3.request_parameters.clone())),
                response_elements: raw(&Value::Null),
                additional_event_data: additional.clone(),
                event_id: Some(event_id.clone()),
                read_only: facts.call.read_only,
                resources: Some(resources.clone()),
                event_type: Some(String::from("AwsApiCall")),
                management_event: Some(false),
                recipient_account_id: Some(recipient.to_owned()),
                shared_event_id: shared.clone(),
                event_category: Some(String::from("Data")),
                ..base_record(facts)
            })
        })
        .collect()
}

/// The `resources` of an S3 data event: what the call names (the object, or the prefix of a
/// listing), then the bucket with its owner's account.
fn data_event_resources(s3: &opentrail_identify::S3Call, owner_account: &str) -> Vec<Resource> {
    const BUCKET: &str = "AWS::S3::Bucket";
    let mut resources: Vec<Resource> = s3
        .resources
        .iter()
        .filter_map(|resource| {
            // `Resource` keeps members it has no field for (`ARNPrefix`) as written.
            let mut converted: Resource =
                serde_json::from_value(serde_json::to_value(resource).ok()?).ok()?;
            if converted.resource_type.as_deref() == Some(BUCKET) {
                converted.account_id = Some(owner_account.to_owned());
            }
            Some(converted)
        })
        .collect();
    if let Some(bucket) = &s3.bucket
        && !resources
            .iter()
            .any(|resource| resource.resource_type.as_deref() == Some(BUCKET))
    {
        resources.push(Resource {
            arn: Some(format!("arn:aws:s3:::{bucket}")),
            account_id: Some(owner_account.to_owned()),
            resource_type: Some(String::from(BUCKET)),
            ..Resource::default()
        });
    }
    resources
}

fn raw(value: &Value) -> Option<Box<RawValue>> {
    serde_json::value::to_raw_value(value).ok()
}

fn finish(mut record: Record) -> Result<Event, ValidationError> {
    record.apply_field_limits();
    Event::from_record(record, &RecordLimits::STANDARD)
}
