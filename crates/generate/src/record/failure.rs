//! `errorCode` and `errorMessage` of failed calls, worded as the services word them.

use super::*;

impl RecordWriter<'_> {
    pub(super) fn write_failure(
        &mut self,
        out: &mut Vec<u8>,
        failure: Failure<'_>,
        principal: &Principal,
        account: &Account,
        op: &Operation,
        region: &str,
    ) {
        let (code, message): (Option<&str>, MessageKind) = match failure {
            Failure::None => return,
            Failure::SignIn => (None, MessageKind::Text("Failed authentication")),
            Failure::Throttled => (Some(op.throttle), throttle_message(op.throttle)),
            Failure::Denied => (Some(op.denied), MessageKind::Denied),
            Failure::Invalid => (
                Some(op.invalid),
                MessageKind::Text(if op.invalid.starts_with("Client.") {
                    "Value () for parameter groupId is invalid. The value cannot be empty"
                } else {
                    "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"
                }),
            ),
            Failure::NotFound => match (self.scratch.not_found, self.scratch.target) {
                (Some((code, message)), _) => (
                    Some(code),
                    message.map_or(MessageKind::Absent, MessageKind::Text),
                ),
                (None, Some(kind)) => {
                    let (code, message) = not_found(kind);
                    (Some(code), message)
                }
                (None, None) => (Some(op.denied), MessageKind::Denied),
            },
            Failure::Code(code) => (
                Some(code),
                message_for_code(code, op, self.scratch.not_found, self.scratch.target),
            ),
        };
        if let Some(code) = code {
            raw(out, ",\"errorCode\":");
            json::string(out, code);
        }
        let start = out.len();
        raw(out, ",\"errorMessage\":\"");
        let text_start = out.len();
        match message {
            MessageKind::Absent => {
                out.truncate(start);
                return;
            }
            MessageKind::Text(text) => escaped(out, text),
            MessageKind::Denied => self.denied_message(out, principal, account, op, region),
            MessageKind::NotFound(template) => {
                for (index, piece) in template.split('{').enumerate() {
                    if index == 0 {
                        escaped(out, piece);
                        continue;
                    }
                    let (field, rest) = piece.split_once('}').unwrap_or(("", piece));
                    match field {
                        "name" => out.extend_from_slice(&self.scratch.target_name),
                        "arn" => out.extend_from_slice(&self.scratch.target_arn),
                        "account" => raw(out, &account.id),
                        _ => {}
                    }
                    escaped(out, rest);
                }
            }
        }
        if out.len() == text_start {
            out.truncate(start);
            return;
        }
        out.push(b'"');
    }

    pub(super) fn denied_message(
        &self,
        out: &mut Vec<u8>,
        principal: &Principal,
        account: &Account,
        op: &Operation,
        region: &str,
    ) {
        if op.source == "s3.amazonaws.com" {
            raw(out, "Access Denied");
            return;
        }
        if op.name.starts_with("AssumeRoleWith") {
            raw(out, "Not authorized to perform sts:");
            escaped(out, &op.name);
            return;
        }
        let ec2 = op.denied == "Client.UnauthorizedOperation";
        if ec2 {
            raw(out, "You are not authorized to perform this operation. ");
        }
        raw(out, "User: ");
        if self.caller_arn.is_empty() {
            raw(out, principal.invoked_by.unwrap_or("anonymous"));
        } else {
            escaped(
                out,
                std::str::from_utf8(&self.caller_arn).unwrap_or_default(),
            );
        }
        raw(out, " is not authorized to perform: ");
        escaped(out, &op.iam_action);
        if !ec2 {
            raw(out, " on resource: ");
            if self.scratch.target_arn.is_empty() {
                raw(out, "arn:aws:");
                escaped(out, op.iam_action.split(':').next().unwrap_or_default());
                out.push(b':');
                raw(out, region);
                out.push(b':');
                raw(out, &account.id);
                raw(out, ":*");
            } else {
                escaped(
                    out,
                    std::str::from_utf8(&self.scratch.target_arn).unwrap_or_default(),
                );
            }
        }
        raw(out, " because no identity-based policy allows the ");
        escaped(out, &op.iam_action);
        raw(out, " action");
    }
}

/// How an error message is made.
#[derive(Debug, Clone, Copy)]
enum MessageKind {
    /// No `errorMessage`.
    Absent,
    /// Fixed text.
    Text(&'static str),
    /// The access-denied sentence naming caller, action and resource.
    Denied,
    /// A template with `{name}`, `{arn}` and `{account}`.
    NotFound(&'static str),
}

fn throttle_message(code: &str) -> MessageKind {
    MessageKind::Text(match code {
        "Client.RequestLimitExceeded" | "RequestLimitExceeded" => "Request limit exceeded.",
        "SlowDown" => "Please reduce your request rate.",
        _ => "Rate exceeded",
    })
}

fn message_for_code(
    code: &str,
    op: &Operation,
    not_found_override: Option<(&'static str, Option<&'static str>)>,
    target: Option<crate::catalog::Res>,
) -> MessageKind {
    match code {
        "ThrottlingException"
        | "Throttling"
        | "TooManyRequestsException"
        | "RequestThrottled"
        | "LimitExceededException"
        | "ProvisionedThroughputExceededException"
        | "Client.RequestLimitExceeded"
        | "RequestLimitExceeded"
        | "SlowDown" => throttle_message(code),
        "AccessDenied"
        | "AccessDeniedException"
        | "Client.UnauthorizedOperation"
        | "UnauthorizedOperation"
        | "AuthorizationError" => MessageKind::Denied,
        _ => {
            if let Some((known, message)) = not_found_override
                && known == code
            {
                return message.map_or(MessageKind::Absent, MessageKind::Text);
            }
            if let Some(kind) = target {
                let (known, message) = not_found(kind);
                if known == code {
                    return message;
                }
            }
            if code == op.invalid {
                return MessageKind::Text("1 validation error detected");
            }
            MessageKind::Absent
        }
    }
}

/// The not-found error of a resource kind.
fn not_found(kind: crate::catalog::Res) -> (&'static str, MessageKind) {
    use crate::catalog::Res;
    use MessageKind::{Absent, NotFound, Text};
    match kind {
        Res::Bucket => ("NoSuchBucket", Text("The specified bucket does not exist")),
        Res::Instance => (
            "Client.InvalidInstanceID.NotFound",
            NotFound("The instance ID '{name}' does not exist"),
        ),
        Res::Volume => (
            "Client.InvalidVolume.NotFound",
            NotFound("The volume '{name}' does not exist."),
        ),
        Res::SecurityGroup => (
            "Client.InvalidGroup.NotFound",
            NotFound("The security group '{name}' does not exist"),
        ),
        Res::Vpc => (
            "Client.InvalidVpcID.NotFound",
            NotFound("The vpc ID '{name}' does not exist"),
        ),
        Res::Subnet => (
            "Client.InvalidSubnetID.NotFound",
            NotFound("The subnet ID '{name}' does not exist"),
        ),
        Res::Image => (
            "Client.InvalidAMIID.NotFound",
            NotFound("The image id '[{name}]' does not exist"),
        ),
        Res::Function => (
            "ResourceNotFoundException",
            NotFound("Function not found: {arn}"),
        ),
        Res::Table => (
            "ResourceNotFoundException",
            NotFound("Requested resource not found: Table: {name} not found"),
        ),
        Res::Key => ("NotFoundException", NotFound("Key '{arn}' does not exist")),
        Res::Secret => (
            "ResourceNotFoundException",
            Text("Secrets Manager can't find the specified secret."),
        ),
        Res::Parameter => ("ParameterNotFound", Absent),
        Res::LogGroup => (
            "ResourceNotFoundException",
            Text("The specified log group does not exist."),
        ),
        Res::Stack => (
            "ValidationError",
            NotFound("Stack with id {name} does not exist"),
        ),
        Res::Repository => (
            "RepositoryNotFoundException",
            NotFound(
                "The repository with name '{name}' does not exist in the registry with id '{account}'",
            ),
        ),
        Res::EksCluster => (
            "ResourceNotFoundException",
            NotFound("No cluster found for name: {name}."),
        ),
        Res::DbInstance => (
            "DBInstanceNotFoundFault",
            NotFound("DBInstance {name} not found."),
        ),
        Res::Topic => ("NotFound", Text("Topic does not exist")),
        Res::Queue => (
            "AWS.SimpleQueueService.NonExistentQueue",
            Text("The specified queue does not exist."),
        ),
        Res::Role => (
            "NoSuchEntityException",
            NotFound("The role with name {name} cannot be found."),
        ),
        Res::User => (
            "NoSuchEntityException",
            NotFound("The user with name {name} cannot be found."),
        ),
        Res::Policy => (
            "NoSuchEntityException",
            NotFound("Policy {arn} was not found."),
        ),
        Res::Trail => (
            "TrailNotFoundException",
            NotFound("Unknown trail: {arn} for the user: {account}"),
        ),
        Res::Alarm => ("ResourceNotFound", NotFound("Alarm {name} does not exist")),
        Res::HostedZone => (
            "NoSuchHostedZone",
            NotFound("No hosted zone found with ID: {name}"),
        ),
        Res::Distribution => (
            "NoSuchDistribution",
            Text("The specified distribution does not exist."),
        ),
        Res::EcsCluster => ("ClusterNotFoundException", Text("Cluster not found.")),
        Res::StateMachine => (
            "StateMachineDoesNotExist",
            NotFound("State Machine Does Not Exist: '{arn}'"),
        ),
        Res::LoadBalancer => (
            "LoadBalancerNotFound",
            Text("One or more load balancers not found"),
        ),
        Res::TargetGroup => (
            "TargetGroupNotFound",
            Text("One or more target groups not found"),
        ),
        Res::AutoScalingGroup => (
            "ValidationError",
            NotFound("AutoScalingGroup name not found - AutoScalingGroup {name} not found"),
        ),
        Res::Rule => (
            "ResourceNotFoundException",
            NotFound("Rule {name} does not exist on EventBus default."),
        ),
        Res::Certificate => (
            "ResourceNotFoundException",
            NotFound("Could not find certificate {arn}."),
        ),
        Res::GlueDatabase => (
            "EntityNotFoundException",
            NotFound("Database {name} not found."),
        ),
        Res::Detector => (
            "BadRequestException",
            Text(
                "The request is rejected because the input detectorId is not owned by the current account.",
            ),
        ),
    }
}
