//! Values that event history derives from a record: the `Username` and `Resources` of a
//! `LookupEvents` result, the event name and source that Insights records carry inside
//! `insightDetails`, the account (`recipientAccountId`) whose callers may see the event, and
//! the `errorCode` and `sourceIPAddress` the history counts for dashboards.
//!
//! AWS does not document these derivations (`spec/events-and-queries.md` §2.2 and §7 item
//! 6); the rules here are OpenTrail's, written down in `docs/compatibility.md`.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use opentrail_types::Timestamp;

use crate::{Event, EventCategory, Record};

/// One element of a `LookupEvents` result's `Resources`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LookupResource {
    /// `ResourceType`, e.g. `AWS::S3::Bucket`; `None` when unknown.
    pub resource_type: Option<String>,
    /// `ResourceName`: an ARN or a short name.
    pub resource_name: String,
}

/// Request parameters that name a resource, per event source: (`eventSource`, member of
/// `requestParameters`, resource type). A member may hold a string or a list of strings.
const PARAMETER_RESOURCES: &[(&str, &str, &str)] = &[
    ("s3.amazonaws.com", "bucketName", "AWS::S3::Bucket"),
    ("iam.amazonaws.com", "userName", "AWS::IAM::User"),
    ("iam.amazonaws.com", "roleName", "AWS::IAM::Role"),
    ("iam.amazonaws.com", "groupName", "AWS::IAM::Group"),
    ("iam.amazonaws.com", "policyArn", "AWS::IAM::Policy"),
    (
        "iam.amazonaws.com",
        "instanceProfileName",
        "AWS::IAM::InstanceProfile",
    ),
    ("iam.amazonaws.com", "accessKeyId", "AWS::IAM::AccessKey"),
    ("sts.amazonaws.com", "roleArn", "AWS::IAM::Role"),
    ("ec2.amazonaws.com", "instanceId", "AWS::EC2::Instance"),
    ("ec2.amazonaws.com", "instanceIds", "AWS::EC2::Instance"),
    ("ec2.amazonaws.com", "volumeId", "AWS::EC2::Volume"),
    ("ec2.amazonaws.com", "groupId", "AWS::EC2::SecurityGroup"),
    ("ec2.amazonaws.com", "vpcId", "AWS::EC2::VPC"),
    ("ec2.amazonaws.com", "subnetId", "AWS::EC2::Subnet"),
    ("ec2.amazonaws.com", "imageId", "AWS::EC2::Ami"),
    ("ec2.amazonaws.com", "snapshotId", "AWS::EC2::Snapshot"),
    ("ec2.amazonaws.com", "keyName", "AWS::EC2::KeyPair"),
    ("ec2.amazonaws.com", "flowLogIds", "AWS::EC2::FlowLog"),
    ("cloudtrail.amazonaws.com", "name", "AWS::CloudTrail::Trail"),
    (
        "cloudtrail.amazonaws.com",
        "trailName",
        "AWS::CloudTrail::Trail",
    ),
    (
        "lambda.amazonaws.com",
        "functionName",
        "AWS::Lambda::Function",
    ),
    (
        "lambda.amazonaws.com",
        "layerName",
        "AWS::Lambda::LayerVersion",
    ),
    ("kms.amazonaws.com", "keyId", "AWS::KMS::Key"),
    (
        "dynamodb.amazonaws.com",
        "tableName",
        "AWS::DynamoDB::Table",
    ),
    ("sns.amazonaws.com", "topicArn", "AWS::SNS::Topic"),
    ("sqs.amazonaws.com", "queueUrl", "AWS::SQS::Queue"),
    (
        "secretsmanager.amazonaws.com",
        "secretId",
        "AWS::SecretsManager::Secret",
    ),
    (
        "secretsmanager.amazonaws.com",
        "name",
        "AWS::SecretsManager::Secret",
    ),
    ("ssm.amazonaws.com", "name", "AWS::SSM::Parameter"),
    ("ssm.amazonaws.com", "names", "AWS::SSM::Parameter"),
    ("ssm.amazonaws.com", "documentName", "AWS::SSM::Document"),
    ("ssm.amazonaws.com", "target", "AWS::EC2::Instance"),
    (
        "rds.amazonaws.com",
        "dBInstanceIdentifier",
        "AWS::RDS::DBInstance",
    ),
    (
        "rds.amazonaws.com",
        "dBClusterIdentifier",
        "AWS::RDS::DBCluster",
    ),
    (
        "rds.amazonaws.com",
        "dBSnapshotIdentifier",
        "AWS::RDS::DBSnapshot",
    ),
    (
        "cloudformation.amazonaws.com",
        "stackName",
        "AWS::CloudFormation::Stack",
    ),
    ("logs.amazonaws.com", "logGroupName", "AWS::Logs::LogGroup"),
    (
        "ecr.amazonaws.com",
        "repositoryName",
        "AWS::ECR::Repository",
    ),
    ("eks.amazonaws.com", "name", "AWS::EKS::Cluster"),
    (
        "organizations.amazonaws.com",
        "accountId",
        "AWS::Organizations::Account",
    ),
    (
        "rolesanywhere.amazonaws.com",
        "name",
        "AWS::RolesAnywhere::TrustAnchor",
    ),
    ("bedrock.amazonaws.com", "modelId", "AWS::Bedrock::Model"),
];

/// The top-level members of `requestParameters`, borrowed where the input allows.
#[derive(Deserialize)]
struct ParameterMembers<'a>(#[serde(borrow)] HashMap<Cow<'a, str>, &'a RawValue>);

/// `instancesSet.items[].instanceId`, the form EC2 uses for Start/Stop/TerminateInstances.
#[derive(Deserialize)]
struct InstancesSet {
    #[serde(default)]
    items: Vec<InstanceItem>,
}

#[derive(Deserialize)]
struct InstanceItem {
    #[serde(rename = "instanceId")]
    instance_id: Option<String>,
}

/// A member value that names resources: a string or a list of strings.
#[derive(Deserialize)]
#[serde(untagged)]
enum Names {
    One(String),
    Many(Vec<String>),
}

/// The members event history derives its lookup values from, and the derivations,
/// written once for every way of reading a record: the full [`Record`] and the borrowed
/// [`IndexView`] implement the accessors; the `lookup_*` methods are provided.
pub trait LookupFields {
    /// `eventName`.
    fn event_name_member(&self) -> Option<&str>;
    /// `eventSource`.
    fn event_source_member(&self) -> Option<&str>;
    /// `insightDetails.eventName`.
    fn insight_event_name_member(&self) -> Option<&str>;
    /// `insightDetails.eventSource`.
    fn insight_event_source_member(&self) -> Option<&str>;
    /// `readOnly`.
    fn read_only_member(&self) -> Option<bool>;
    /// A member of `userIdentity`.
    fn identity_member(&self, member: IdentityMember) -> Option<&str>;
    /// (`type`, `ARN`) of each element of `resources`.
    fn declared_resources(&self) -> Vec<(Option<&str>, Option<&str>)>;
    /// `requestParameters`, as raw JSON.
    fn request_parameters_member(&self) -> Option<&RawValue>;
    /// `recipientAccountId`.
    fn recipient_account_id_member(&self) -> Option<&str>;
    /// `errorCode`.
    fn error_code_member(&self) -> Option<&str>;
    /// `sourceIPAddress`.
    fn source_ip_address_member(&self) -> Option<&str>;

    /// The event name history indexes: `eventName`, or for Insights records
    /// `insightDetails.eventName`.
    fn lookup_event_name(&self) -> Option<&str> {
        self.event_name_member()
            .or_else(|| self.insight_event_name_member())
    }

    /// The event source history indexes: `eventSource`, or for Insights records
    /// `insightDetails.eventSource`.
    fn lookup_event_source(&self) -> Option<&str> {
        self.event_source_member()
            .or_else(|| self.insight_event_source_member())
    }

    /// The access key history indexes: `userIdentity.accessKeyId` unless empty.
    fn lookup_access_key_id(&self) -> Option<&str> {
        non_empty(self.identity_member(IdentityMember::AccessKeyId))
    }

    /// The account history files the record under: `recipientAccountId` unless empty. A
    /// caller sees only the events of its own account; a record without one is seen only by
    /// lookups that are not restricted to an account.
    fn lookup_recipient_account_id(&self) -> Option<&str> {
        non_empty(self.recipient_account_id_member())
    }

    /// The error code history indexes (not a lookup attribute; counted by
    /// dashboards): `errorCode` unless empty.
    fn lookup_error_code(&self) -> Option<&str> {
        non_empty(self.error_code_member())
    }

    /// The source address history indexes (not a lookup attribute; counted by
    /// dashboards): `sourceIPAddress` (an IP address or a service name) unless empty.
    fn lookup_source_ip(&self) -> Option<&str> {
        non_empty(self.source_ip_address_member())
    }

    /// `readOnly` as `LookupEvents` renders it: `"true"` / `"false"`.
    fn lookup_read_only(&self) -> Option<&'static str> {
        self.read_only_member()
            .map(|read_only| if read_only { "true" } else { "false" })
    }

    /// The `Username` of a `LookupEvents` result; see [`derive_username`].
    fn lookup_username(&self) -> Option<&str> {
        derive_username(
            self.identity_member(IdentityMember::Type),
            self.identity_member(IdentityMember::Arn),
            self.identity_member(IdentityMember::UserName),
            self.identity_member(IdentityMember::OnBehalfOfUserId),
        )
    }

    /// The `Resources` of a `LookupEvents` result; see [`derive_resources`].
    fn lookup_resources(&self) -> Vec<LookupResource> {
        derive_resources(
            self.declared_resources().into_iter(),
            self.event_source_member(),
            self.request_parameters_member(),
        )
    }

    /// The keys event history indexes the record by, given its time and category.
    fn lookup_keys_at(&self, event_time: Timestamp, category: EventCategory) -> LookupKeys {
        LookupKeys {
            event_time,
            category,
            read_only: self.read_only_member(),
            event_name: self.lookup_event_name().map(str::to_owned),
            event_source: self.lookup_event_source().map(str::to_owned),
            username: self.lookup_username().map(str::to_owned),
            access_key_id: self.lookup_access_key_id().map(str::to_owned),
            resources: self.lookup_resources(),
            recipient_account_id: self.lookup_recipient_account_id().map(str::to_owned),
            error_code: self.lookup_error_code().map(str::to_owned),
            source_ip: self.lookup_source_ip().map(str::to_owned),
        }
    }
}

/// The members of `userIdentity` the derivations read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityMember {
    /// `type`.
    Type,
    /// `arn`.
    Arn,
    /// `userName`.
    UserName,
    /// `accessKeyId`.
    AccessKeyId,
    /// `onBehalfOf.userId`.
    OnBehalfOfUserId,
}

impl LookupFields for Record {
    fn event_name_member(&self) -> Option<&str> {
        self.event_name.as_deref()
    }

    fn event_source_member(&self) -> Option<&str> {
        self.event_source.as_deref()
    }

    fn insight_event_name_member(&self) -> Option<&str> {
        self.insight_details.as_ref()?.event_name.as_deref()
    }

    fn insight_event_source_member(&self) -> Option<&str> {
        self.insight_details.as_ref()?.event_source.as_deref()
    }

    fn read_only_member(&self) -> Option<bool> {
        self.read_only
    }

    fn identity_member(&self, member: IdentityMember) -> Option<&str> {
        let identity = self.user_identity.as_ref()?;
        match member {
            IdentityMember::Type => identity.identity_type.as_deref(),
            IdentityMember::Arn => identity.arn.as_deref(),
            IdentityMember::UserName => identity.user_name.as_deref(),
            IdentityMember::AccessKeyId => identity.access_key_id.as_deref(),
            IdentityMember::OnBehalfOfUserId => identity.on_behalf_of.as_ref()?.user_id.as_deref(),
        }
    }

    fn declared_resources(&self) -> Vec<(Option<&str>, Option<&str>)> {
        self.resources
            .iter()
            .flatten()
            .map(|resource| (resource.resource_type.as_deref(), resource.arn.as_deref()))
            .collect()
    }

    fn request_parameters_member(&self) -> Option<&RawValue> {
        self.request_parameters.as_deref()
    }

    fn recipient_account_id_member(&self) -> Option<&str> {
        self.recipient_account_id.as_deref()
    }

    fn error_code_member(&self) -> Option<&str> {
        self.error_code.as_deref()
    }

    fn source_ip_address_member(&self) -> Option<&str> {
        self.source_ip_address.as_deref()
    }
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|value| !value.is_empty())
}

/// The `Username` of a `LookupEvents` result, from `userIdentity`'s `type`, `arn`,
/// `userName` and `onBehalfOf.userId`.
///
/// `Root` → `root`; `IAMUser`, `SAMLUser`, `WebIdentityUser` → `userName`;
/// `AssumedRole`, `FederatedUser` → the session name (the part of `arn` after its last
/// `/`); `IdentityCenterUser` → `onBehalfOf.userId`; any other type → `userName` when
/// present.
pub fn derive_username<'a>(
    identity_type: Option<&'a str>,
    arn: Option<&'a str>,
    user_name: Option<&'a str>,
    on_behalf_of_user_id: Option<&'a str>,
) -> Option<&'a str> {
    let user_name = non_empty(user_name);
    match identity_type {
        Some("Root") => Some("root"),
        Some("AssumedRole" | "FederatedUser") => arn
            .and_then(|arn| arn.rsplit_once('/'))
            .map(|(_, session)| session)
            .filter(|session| !session.is_empty())
            .or(user_name),
        Some("IdentityCenterUser") => on_behalf_of_user_id.or(user_name),
        _ => user_name,
    }
}

/// The `Resources` of a `LookupEvents` result.
///
/// Each declared resource (`resources[]`'s `type` and `ARN`) gives (type, ARN); request
/// parameters known to name a resource of the event's service give (type, name as
/// written). Duplicates are removed; the order is that of the record.
pub fn derive_resources<'a>(
    declared: impl Iterator<Item = (Option<&'a str>, Option<&'a str>)>,
    event_source: Option<&str>,
    request_parameters: Option<&RawValue>,
) -> Vec<LookupResource> {
    let mut resources: Vec<LookupResource> = Vec::new();
    let mut push = |resource: LookupResource| {
        if !resource.resource_name.is_empty() && !resources.contains(&resource) {
            resources.push(resource);
        }
    };
    for (resource_type, arn) in declared {
        if let Some(arn) = arn {
            push(LookupResource {
                resource_type: resource_type.map(str::to_owned),
                resource_name: arn.to_owned(),
            });
        }
    }
    let (Some(source), Some(parameters)) = (event_source, request_parameters) else {
        return resources;
    };
    let mut mapping = PARAMETER_RESOURCES
        .iter()
        .filter(|(from, _, _)| *from == source)
        .peekable();
    if mapping.peek().is_none() || parameters.get() == "null" {
        return resources;
    }
    let Ok(ParameterMembers(members)) = serde_json::from_str(parameters.get()) else {
        return resources;
    };
    for (_, member, resource_type) in mapping {
        let Some(raw) = members.get(*member) else {
            continue;
        };
        let names = match serde_json::from_str::<Names>(raw.get()) {
            Ok(Names::One(name)) => vec![name],
            Ok(Names::Many(names)) => names,
            Err(_) => continue,
        };
        for name in names {
            push(LookupResource {
                resource_type: Some((*resource_type).to_owned()),
                resource_name: name,
            });
        }
    }
    if source == "ec2.amazonaws.com"
        && let Some(set) = members.get("instancesSet")
    {
        let items = serde_json::from_str::<InstancesSet>(set.get()).map(|set| set.items);
        for item in items.unwrap_or_default() {
            if let Some(instance_id) = item.instance_id {
                push(LookupResource {
                    resource_type: Some(String::from("AWS::EC2::Instance")),
                    resource_name: instance_id,
                });
            }
        }
    }
    resources
}

/// What event history indexes about one event, derived once by whoever parsed the record
/// (a producer attaches it to the journal entry; the indexer derives it from an
/// [`IndexView`] when no attachment is left).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupKeys {
    /// `eventTime`.
    pub event_time: Timestamp,
    /// The category.
    pub category: EventCategory,
    /// `readOnly`.
    pub read_only: Option<bool>,
    /// As [`Record::lookup_event_name`].
    pub event_name: Option<String>,
    /// As [`Record::lookup_event_source`].
    pub event_source: Option<String>,
    /// As [`Record::lookup_username`].
    pub username: Option<String>,
    /// As [`Record::lookup_access_key_id`].
    pub access_key_id: Option<String>,
    /// As [`Record::lookup_resources`].
    pub resources: Vec<LookupResource>,
    /// As [`Record::lookup_recipient_account_id`].
    pub recipient_account_id: Option<String>,
    /// As [`Record::lookup_error_code`].
    pub error_code: Option<String>,
    /// As [`Record::lookup_source_ip`].
    pub source_ip: Option<String>,
}

impl Event {
    /// The keys event history indexes this event by.
    pub fn lookup_keys(&self) -> LookupKeys {
        self.record().lookup_keys_at(self.time(), self.category())
    }
}

/// The members of a record that event history indexes, parsed without copying what it
/// does not need (history reads every journal entry; a full [`Record`] parse would
/// allocate every string of it).
#[derive(Debug, Deserialize)]
pub struct IndexView<'a> {
    /// `eventID`.
    #[serde(rename = "eventID", borrow, default)]
    pub event_id: Option<Cow<'a, str>>,
    /// `eventTime`.
    #[serde(rename = "eventTime", borrow, default)]
    pub event_time: Option<Cow<'a, str>>,
    #[serde(rename = "eventSource", borrow, default)]
    event_source: Option<Cow<'a, str>>,
    #[serde(rename = "eventName", borrow, default)]
    event_name: Option<Cow<'a, str>>,
    #[serde(rename = "readOnly", default)]
    read_only: Option<bool>,
    #[serde(rename = "eventType", borrow, default)]
    event_type: Option<Cow<'a, str>>,
    #[serde(rename = "eventCategory", borrow, default)]
    event_category: Option<Cow<'a, str>>,
    #[serde(rename = "managementEvent", default)]
    management_event: Option<bool>,
    #[serde(rename = "userIdentity", borrow, default)]
    user_identity: Option<IdentityView<'a>>,
    #[serde(borrow, default)]
    resources: Option<Vec<ResourceView<'a>>>,
    #[serde(rename = "requestParameters", borrow, default)]
    request_parameters: Option<&'a RawValue>,
    #[serde(rename = "insightDetails", borrow, default)]
    insight_details: Option<InsightView<'a>>,
    #[serde(rename = "recipientAccountId", borrow, default)]
    recipient_account_id: Option<Cow<'a, str>>,
    #[serde(rename = "errorCode", borrow, default)]
    error_code: Option<Cow<'a, str>>,
    #[serde(rename = "sourceIPAddress", borrow, default)]
    source_ip_address: Option<Cow<'a, str>>,
}

#[derive(Debug, Deserialize)]
struct IdentityView<'a> {
    #[serde(rename = "type", borrow, default)]
    identity_type: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    arn: Option<Cow<'a, str>>,
    #[serde(rename = "userName", borrow, default)]
    user_name: Option<Cow<'a, str>>,
    #[serde(rename = "accessKeyId", borrow, default)]
    access_key_id: Option<Cow<'a, str>>,
    #[serde(rename = "onBehalfOf", borrow, default)]
    on_behalf_of: Option<OnBehalfOfView<'a>>,
}

#[derive(Debug, Deserialize)]
struct OnBehalfOfView<'a> {
    #[serde(rename = "userId", borrow, default)]
    user_id: Option<Cow<'a, str>>,
}

#[derive(Debug, Deserialize)]
struct ResourceView<'a> {
    #[serde(rename = "ARN", borrow, default)]
    arn: Option<Cow<'a, str>>,
    #[serde(rename = "type", borrow, default)]
    resource_type: Option<Cow<'a, str>>,
}

#[derive(Debug, Deserialize)]
struct InsightView<'a> {
    #[serde(rename = "eventSource", borrow, default)]
    event_source: Option<Cow<'a, str>>,
    #[serde(rename = "eventName", borrow, default)]
    event_name: Option<Cow<'a, str>>,
}

impl<'a> IndexView<'a> {
    /// Parses the indexed members of a record's JSON.
    ///
    /// # Errors
    ///
    /// JSON errors, and indexed members of the wrong type.
    pub fn parse(json: &'a [u8]) -> Result<IndexView<'a>, serde_json::Error> {
        // One UTF-8 check for the whole text, so that serde_json skips one per string.
        match std::str::from_utf8(json) {
            Ok(text) => serde_json::from_str(text),
            Err(_) => serde_json::from_slice(json),
        }
    }

    /// The keys event history indexes this record by.
    ///
    /// # Errors
    ///
    /// A description when `eventTime` is missing or does not parse.
    pub fn lookup_keys(&self) -> Result<LookupKeys, String> {
        let event_time = self
            .event_time
            .as_deref()
            .ok_or_else(|| String::from("record has no eventTime"))
            .and_then(|text| {
                Timestamp::parse_event_time(text).map_err(|error| error.to_string())
            })?;
        Ok(self.lookup_keys_at(event_time, self.category()))
    }

    /// As [`crate::EventCategory::of_record`].
    pub fn category(&self) -> EventCategory {
        EventCategory::derive(
            self.event_category.as_deref(),
            self.event_type.as_deref(),
            self.insight_details.is_some(),
            self.management_event,
        )
    }
}

impl LookupFields for IndexView<'_> {
    fn event_name_member(&self) -> Option<&str> {
        self.event_name.as_deref()
    }

    fn event_source_member(&self) -> Option<&str> {
        self.event_source.as_deref()
    }

    fn insight_event_name_member(&self) -> Option<&str> {
        self.insight_details.as_ref()?.event_name.as_deref()
    }

    fn insight_event_source_member(&self) -> Option<&str> {
        self.insight_details.as_ref()?.event_source.as_deref()
    }

    fn read_only_member(&self) -> Option<bool> {
        self.read_only
    }

    fn identity_member(&self, member: IdentityMember) -> Option<&str> {
        let identity = self.user_identity.as_ref()?;
        match member {
            IdentityMember::Type => identity.identity_type.as_deref(),
            IdentityMember::Arn => identity.arn.as_deref(),
            IdentityMember::UserName => identity.user_name.as_deref(),
            IdentityMember::AccessKeyId => identity.access_key_id.as_deref(),
            IdentityMember::OnBehalfOfUserId => identity.on_behalf_of.as_ref()?.user_id.as_deref(),
        }
    }

    fn declared_resources(&self) -> Vec<(Option<&str>, Option<&str>)> {
        self.resources
            .iter()
            .flatten()
            .map(|resource| (resource.resource_type.as_deref(), resource.arn.as_deref()))
            .collect()
    }

    fn request_parameters_member(&self) -> Option<&RawValue> {
        self.request_parameters
    }

    fn recipient_account_id_member(&self) -> Option<&str> {
        self.recipient_account_id.as_deref()
    }

    fn error_code_member(&self) -> Option<&str> {
        self.error_code.as_deref()
    }

    fn source_ip_address_member(&self) -> Option<&str> {
        self.source_ip_address.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: &str) -> Record {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn username_follows_the_identity_type() {
        let cases = [
            (r#"{"type":"Root","userName":"alias"}"#, Some("root")),
            (r#"{"type":"IAMUser","userName":"alice"}"#, Some("alice")),
            (
                r#"{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/Ops/deploy-7"}"#,
                Some("deploy-7"),
            ),
            (
                r#"{"type":"FederatedUser","arn":"arn:aws:sts::1:federated-user/bob"}"#,
                Some("bob"),
            ),
            (
                r#"{"type":"IdentityCenterUser","onBehalfOf":{"userId":"u-1"}}"#,
                Some("u-1"),
            ),
            (
                r#"{"type":"SAMLUser","userName":"carol@example.com"}"#,
                Some("carol@example.com"),
            ),
            (
                r#"{"type":"AWSService","invokedBy":"ec2.amazonaws.com"}"#,
                None,
            ),
            (r#"{"type":"IAMUser","userName":""}"#, None),
        ];
        for (identity, expected) in cases {
            let record = record(&format!(r#"{{"userIdentity":{identity}}}"#));
            assert_eq!(record.lookup_username(), expected, "{identity}");
        }
        assert_eq!(record("{}").lookup_username(), None);
    }

    #[test]
    fn resources_come_from_the_record_and_known_parameters() {
        let record = record(
            r#"{"eventSource":"s3.amazonaws.com","requestParameters":{"bucketName":"logs","key":"a"},
                "resources":[{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::logs"},{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::logs"}]}"#,
        );
        let names: Vec<_> = record
            .lookup_resources()
            .into_iter()
            .map(|resource| resource.resource_name)
            .collect();
        assert_eq!(names, ["arn:aws:s3:::logs", "logs"]);
    }

    #[test]
    fn ec2_instance_sets_and_lists_are_read() {
        let record = record(
            r#"{"eventSource":"ec2.amazonaws.com","requestParameters":{"instancesSet":{"items":[{"instanceId":"i-1"},{"instanceId":"i-2"}]},"instanceIds":["i-3"]}}"#,
        );
        let names: Vec<_> = record
            .lookup_resources()
            .into_iter()
            .map(|resource| resource.resource_name)
            .collect();
        assert_eq!(names, ["i-3", "i-1", "i-2"]);
    }

    #[test]
    fn insight_records_expose_name_and_source_from_details() {
        let record = record(
            r#"{"insightDetails":{"eventSource":"ec2.amazonaws.com","eventName":"RunInstances"}}"#,
        );
        assert_eq!(record.lookup_event_name(), Some("RunInstances"));
        assert_eq!(record.lookup_event_source(), Some("ec2.amazonaws.com"));
    }

    #[test]
    fn recipient_accounts_are_read_by_both_parses_and_empty_ones_are_not_indexed() {
        let text = r#"{"eventTime":"2026-03-01T00:00:00Z","recipientAccountId":"444455556666"}"#;
        assert_eq!(
            record(text).lookup_recipient_account_id(),
            Some("444455556666")
        );
        let view = IndexView::parse(text.as_bytes()).unwrap();
        assert_eq!(
            view.lookup_keys().unwrap().recipient_account_id.as_deref(),
            Some("444455556666")
        );
        let empty = r#"{"eventTime":"2026-03-01T00:00:00Z","recipientAccountId":""}"#;
        assert_eq!(record(empty).lookup_recipient_account_id(), None);
        let view = IndexView::parse(empty.as_bytes()).unwrap();
        assert_eq!(view.lookup_keys().unwrap().recipient_account_id, None);
        assert_eq!(record("{}").lookup_recipient_account_id(), None);
    }

    #[test]
    fn error_codes_and_source_ips_are_read_by_both_parses_and_empty_ones_are_not_indexed() {
        let text = r#"{"eventTime":"2026-03-01T00:00:00Z","sourceIPAddress":"203.0.113.7","errorCode":"AccessDenied"}"#;
        let view = IndexView::parse(text.as_bytes()).unwrap();
        let from_view = view.lookup_keys().unwrap();
        let from_record = record(text).lookup_keys_at(from_view.event_time, view.category());
        assert_eq!(from_record, from_view);
        assert_eq!(from_view.error_code.as_deref(), Some("AccessDenied"));
        assert_eq!(from_view.source_ip.as_deref(), Some("203.0.113.7"));
        let empty = r#"{"eventTime":"2026-03-01T00:00:00Z","sourceIPAddress":"","errorCode":""}"#;
        let view = IndexView::parse(empty.as_bytes()).unwrap();
        let keys = view.lookup_keys().unwrap();
        assert_eq!((keys.error_code, keys.source_ip), (None, None));
        assert_eq!(record("{}").lookup_error_code(), None);
        assert_eq!(record("{}").lookup_source_ip(), None);
    }

    #[test]
    fn empty_access_keys_are_not_indexed() {
        assert_eq!(
            record(r#"{"userIdentity":{"accessKeyId":""}}"#).lookup_access_key_id(),
            None
        );
        assert_eq!(
            record(r#"{"userIdentity":{"accessKeyId":"AKIA1"}}"#).lookup_access_key_id(),
            Some("AKIA1")
        );
    }
}
