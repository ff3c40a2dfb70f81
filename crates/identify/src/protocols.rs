//! Services other than S3: the AWS JSON protocols (`X-Amz-Target`), the query protocols
//! (`Action=`), and REST protocols, for which only a few routes are known.
//!
//! The operation name is the event name for JSON and query requests: CloudTrail's
//! `eventName` is the API operation name (`TrentService.Decrypt` → `Decrypt`,
//! `Action=SendMessage` → `SendMessage`), and the IAM action is `<prefix>:<operation>`.
//! REST-JSON and REST-XML services (Lambda, API Gateway, …) route on method and path
//! templates from their service models, which this crate does not carry; apart from the
//! routes in [`identify_known_rest_route`], such a request gets a fallback name made from its
//! method and path shape and an empty IAM action (see [`Call::event_name`]).

use http::{HeaderMap, Method, Uri};

use crate::call::{Call, Unidentified, clip};
use crate::params::{Params, decode_path_component};
use crate::service::{event_source_of, iam_prefix_of};
use crate::{MAX_FORM_BODY, MAX_METHOD_CHARS, fallback_read_only};

/// The header that names the operation in the AWS JSON protocols.
pub(crate) const X_AMZ_TARGET: &str = "x-amz-target";

/// The longest `X-Amz-Target` or `Action` value treated as an operation name.
const MAX_OPERATION_CHARS: usize = 256;

/// Path segments kept in a fallback event name; further segments become `{More+}`.
const MAX_SHAPE_SEGMENTS: usize = 8;

/// Operation-name prefixes that CloudTrail usually marks `readOnly: true`.
const READ_ONLY_PREFIXES: &[&str] = &[
    "Get", "Describe", "List", "Lookup", "Head", "Search", "BatchGet", "Query", "Scan",
];

/// Operation-name prefixes that CloudTrail usually marks `readOnly: false`.
const WRITE_PREFIXES: &[&str] = &[
    "Create",
    "Delete",
    "Put",
    "Update",
    "Set",
    "Add",
    "Remove",
    "Attach",
    "Detach",
    "Modify",
    "Tag",
    "Untag",
    "Start",
    "Stop",
    "Enable",
    "Disable",
    "Register",
    "Deregister",
    "Send",
    "Publish",
    "Invoke",
    "Associate",
    "Disassociate",
    "Import",
    "Reset",
    "Restore",
    "Revoke",
    "Authorize",
    "Terminate",
    "Run",
    "Reboot",
    "Cancel",
    "Change",
    "Purge",
    "Replace",
    "BatchWrite",
    "BatchDelete",
    "Subscribe",
    "Unsubscribe",
    "Upload",
    "Copy",
    "Accept",
    "Reject",
    "Rotate",
    "Schedule",
];

/// Operations whose `readOnly` the prefix rule gets wrong: AWS KMS records its
/// cryptographic operations (which change no key) as read-only.
const READ_ONLY_OVERRIDES: &[(&str, &[&str], bool)] = &[(
    "kms",
    &[
        "Decrypt",
        "Encrypt",
        "GenerateDataKey",
        "GenerateDataKeyWithoutPlaintext",
        "GenerateDataKeyPair",
        "GenerateDataKeyPairWithoutPlaintext",
        "GenerateRandom",
        "GenerateMac",
        "ReEncrypt",
        "Sign",
        "Verify",
        "VerifyMac",
    ],
    true,
)];

/// Services with CloudTrail data events: the operations logged as data events. Every other
/// operation of these services is a management event.
///
/// SNS `Publish`/`PublishBatch`, CloudTrail Lake `PutAuditEvents` (CloudTrail User Guide,
/// "Logging data events"); SQS message calls (SQS Developer Guide, "Amazon SQS data events
/// in CloudTrail"); DynamoDB item calls (the `AWS::DynamoDB::Table` data resource type).
const DATA_EVENT_OPERATIONS: &[(&str, &[&str])] = &[
    ("sns", &["Publish", "PublishBatch"]),
    (
        "sqs",
        &[
            "SendMessage",
            "SendMessageBatch",
            "ReceiveMessage",
            "DeleteMessage",
            "DeleteMessageBatch",
            "ChangeMessageVisibility",
            "ChangeMessageVisibilityBatch",
        ],
    ),
    (
        "dynamodb",
        &[
            "GetItem",
            "PutItem",
            "UpdateItem",
            "DeleteItem",
            "BatchGetItem",
            "BatchWriteItem",
            "Query",
            "Scan",
            "TransactGetItems",
            "TransactWriteItems",
            "ExecuteStatement",
            "BatchExecuteStatement",
            "ExecuteTransaction",
        ],
    ),
    ("cloudtrail-data", &["PutAuditEvents"]),
];

/// Services whose every operation is a management event.
const MANAGEMENT_ONLY_SERVICES: &[&str] = &["iam", "sts", "kms", "cloudtrail"];

/// Identifies a request to a service other than S3.
pub(crate) fn identify(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    service: &str,
    form_body: Option<&[u8]>,
) -> Call {
    if let Some(target) = headers.get(X_AMZ_TARGET) {
        let value = String::from_utf8_lossy(target.as_bytes());
        return match operation_from_target(&value) {
            Some(operation) => named(service, operation),
            None => fallback(
                method,
                uri,
                service,
                Unidentified::InvalidTarget {
                    value: clip(&value, 64),
                },
            ),
        };
    }
    let query = Params::parse(uri.query().unwrap_or("").as_bytes());
    let form = form_body.map(|body| Params::parse_possibly_truncated(body, MAX_FORM_BODY));
    let action = query
        .get("Action")
        .or_else(|| form.as_ref().and_then(|form| form.get("Action")));
    if let Some(action) = action {
        return if is_operation_name(action) {
            named(service, action)
        } else {
            fallback(
                method,
                uri,
                service,
                Unidentified::InvalidAction {
                    value: clip(action, 64),
                },
            )
        };
    }
    if let Some(call) = identify_known_rest_route(method, uri, service) {
        return call;
    }
    let reason = Unidentified::NoRestModel {
        service: service.to_owned(),
    };
    fallback(method, uri, service, reason)
}

/// Returns the operation of an `X-Amz-Target` value: what follows its last `.`.
///
/// `TrentService.Decrypt` → `Decrypt`, `DynamoDB_20120810.GetItem` → `GetItem`. The
/// part before the dot names the service and version; it is not checked against the
/// signing name, since a proxy in front of a compatible service sees whatever it sends.
fn operation_from_target(value: &str) -> Option<&str> {
    let value = value.trim();
    let (prefix, operation) = value.rsplit_once('.')?;
    (!prefix.is_empty() && is_operation_name(operation)).then_some(operation)
}

/// Returns whether `name` looks like an AWS operation name (`SendMessage`).
fn is_operation_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_OPERATION_CHARS
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_')
        && name
            .bytes()
            .next()
            .is_some_and(|byte| byte.is_ascii_alphabetic())
}

fn named(service: &str, operation: &str) -> Call {
    Call {
        service: service.to_owned(),
        event_source: event_source_of(service),
        event_name: operation.to_owned(),
        action: format!("{}:{operation}", iam_prefix_of(service)),
        read_only: read_only_of(service, operation),
        data_event: data_event_of(service, operation),
        resources: Vec::new(),
        s3: None,
        condition_keys: Vec::new(),
        unidentified: None,
    }
}

/// Returns CloudTrail's `readOnly` for an operation, when the rule below knows it.
///
/// A per-service table comes first (AWS KMS cryptographic calls are read-only). Then the
/// name: `Get…`, `Describe…`, `List…`, `Lookup…`, `Head…`, `Search…`, `BatchGet…`,
/// `Query`, `Scan` are read-only; `Create…`, `Delete…`, `Put…`, `Update…` and the other
/// [`WRITE_PREFIXES`] are not. A prefix counts only as a whole word (`Listen` is not
/// `List…`). Anything else is `None`: CloudTrail decides per operation and we do not
/// guess.
pub(crate) fn read_only_of(service: &str, operation: &str) -> Option<bool> {
    for (override_service, operations, read_only) in READ_ONLY_OVERRIDES {
        if *override_service == service && operations.contains(&operation) {
            return Some(*read_only);
        }
    }
    if READ_ONLY_PREFIXES
        .iter()
        .any(|prefix| starts_with_word(operation, prefix))
    {
        return Some(true);
    }
    if WRITE_PREFIXES
        .iter()
        .any(|prefix| starts_with_word(operation, prefix))
    {
        return Some(false);
    }
    None
}

/// Returns whether `name` is `prefix` or `prefix` followed by a capitalised word.
fn starts_with_word(name: &str, prefix: &str) -> bool {
    match name.strip_prefix(prefix) {
        Some(rest) => rest
            .bytes()
            .next()
            .is_none_or(|byte| byte.is_ascii_uppercase()),
        None => false,
    }
}

fn data_event_of(service: &str, operation: &str) -> Option<bool> {
    for (data_service, operations) in DATA_EVENT_OPERATIONS {
        if *data_service == service {
            return Some(operations.contains(&operation));
        }
    }
    MANAGEMENT_ONLY_SERVICES.contains(&service).then_some(false)
}

/// Identifies the REST routes this crate knows without a service model.
///
/// Only Lambda's `Invoke` (`POST /2015-03-31/functions/{FunctionName}/invocations`),
/// because it is the Lambda data event; Lambda's management calls are logged with
/// versioned names (`GetFunction20150331v2`) that cannot be derived from the route.
fn identify_known_rest_route(method: &Method, uri: &Uri, service: &str) -> Option<Call> {
    if service != "lambda" || *method != Method::POST {
        return None;
    }
    let segments: Vec<&str> = uri.path().trim_start_matches('/').split('/').collect();
    let ["2015-03-31", "functions", function, "invocations"] = segments.as_slice() else {
        return None;
    };
    let function = decode_path_component(function);
    if function.is_empty() {
        return None;
    }
    let resources = if function.starts_with("arn:") {
        vec![function]
    } else {
        Vec::new()
    };
    Some(Call {
        service: service.to_owned(),
        event_source: event_source_of(service),
        event_name: "Invoke".to_owned(),
        action: "lambda:InvokeFunction".to_owned(),
        read_only: Some(false),
        data_event: Some(true),
        resources,
        s3: None,
        condition_keys: Vec::new(),
        unidentified: None,
    })
}

fn fallback(method: &Method, uri: &Uri, service: &str, reason: Unidentified) -> Call {
    Call {
        service: service.to_owned(),
        event_source: event_source_of(service),
        event_name: format!(
            "{} {}",
            clip(method.as_str(), MAX_METHOD_CHARS),
            path_shape(uri.path())
        ),
        action: String::new(),
        read_only: fallback_read_only(method),
        data_event: None,
        resources: Vec::new(),
        s3: None,
        condition_keys: Vec::new(),
        unidentified: Some(reason),
    }
}

/// Returns a path with its identifiers replaced by `{Id}`, for fallback event names.
///
/// A segment is kept when it looks like part of a route rather than a value: an API
/// version date (`2015-03-31`) or a word of ASCII letters and dashes of at most 32
/// characters (`functions`, `invocations`, `Execute`); anything else (digits, `%`, `_`,
/// `:`, longer) becomes `{Id}`. Past [`MAX_SHAPE_SEGMENTS`] segments the rest is
/// `{More+}`. This keeps the number of distinct names small (Insights baselines and
/// lookups key on `eventName`), at the price that a resource name made only of letters and
/// dashes (`my-function`) shows through.
fn path_shape(path: &str) -> String {
    let trimmed = path.strip_prefix('/').unwrap_or(path);
    if trimmed.is_empty() {
        return "/".to_owned();
    }
    let mut shape = String::new();
    for (index, segment) in trimmed.split('/').enumerate() {
        if index == MAX_SHAPE_SEGMENTS {
            shape.push_str("/{More+}");
            break;
        }
        shape.push('/');
        if segment.is_empty() || is_route_literal(segment) {
            shape.push_str(segment);
        } else {
            shape.push_str("{Id}");
        }
    }
    shape
}

fn is_route_literal(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    let is_date = bytes.len() == 10
        && bytes.iter().enumerate().all(|(index, byte)| match index {
            4 | 7 => *byte == b'-',
            _ => byte.is_ascii_digit(),
        });
    let is_word = bytes.len() <= 32
        && bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes
            .iter()
            .all(|byte| byte.is_ascii_alphabetic() || *byte == b'-');
    is_date || is_word
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_operation_is_what_follows_the_last_dot() {
        assert_eq!(
            operation_from_target("TrentService.Decrypt"),
            Some("Decrypt")
        );
        assert_eq!(
            operation_from_target("com.amazonaws.x.CloudTrail_20131101.LookupEvents"),
            Some("LookupEvents")
        );
        assert_eq!(operation_from_target("Decrypt"), None);
        assert_eq!(operation_from_target(".Decrypt"), None);
        assert_eq!(operation_from_target("TrentService."), None);
        assert_eq!(operation_from_target("TrentService.De crypt"), None);
    }

    #[test]
    fn read_only_rule_uses_whole_words_and_the_kms_table() {
        assert_eq!(read_only_of("ec2", "DescribeInstances"), Some(true));
        assert_eq!(read_only_of("dynamodb", "Query"), Some(true));
        assert_eq!(read_only_of("ec2", "RunInstances"), Some(false));
        assert_eq!(read_only_of("kms", "Decrypt"), Some(true));
        assert_eq!(read_only_of("kms", "CreateKey"), Some(false));
        assert_eq!(read_only_of("x", "Listen"), None);
        assert_eq!(read_only_of("sts", "AssumeRole"), None);
    }

    #[test]
    fn data_event_table_classes_every_operation_of_a_listed_service() {
        assert_eq!(data_event_of("sqs", "SendMessage"), Some(true));
        assert_eq!(data_event_of("sqs", "CreateQueue"), Some(false));
        assert_eq!(data_event_of("kms", "Decrypt"), Some(false));
        assert_eq!(data_event_of("ec2", "RunInstances"), None);
    }

    #[test]
    fn path_shape_hides_identifiers() {
        assert_eq!(path_shape(""), "/");
        assert_eq!(path_shape("/"), "/");
        assert_eq!(
            path_shape("/2015-03-31/functions/My_Func1/configuration"),
            "/2015-03-31/functions/{Id}/configuration"
        );
        assert_eq!(
            path_shape("/a/b/c/d/e/f/g/h/i/j"),
            "/a/b/c/d/e/f/g/h/{More+}"
        );
        assert_eq!(path_shape("/tags/"), "/tags/");
        assert_eq!(path_shape("/arn%3Aaws%3Ax"), "/{Id}");
        assert_eq!(path_shape("/BeginTransaction"), "/BeginTransaction");
        assert_eq!(path_shape(&format!("/{}", "a".repeat(33))), "/{Id}");
    }
}
