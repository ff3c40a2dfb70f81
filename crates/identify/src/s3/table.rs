//! The S3 operation table: method, bucket/key presence, sub-resources and headers → operation.
//!
//! Event names are the ones CloudTrail writes, which are not always the API's:
//!
//! - `ListObjectsV2` is logged as `ListObjects`, with `"list-type": "2"` in
//!   `requestParameters` (seen in published CloudTrail records of `aws s3 ls`).
//! - `GetBucketLifecycleConfiguration`/`PutBucketLifecycleConfiguration` are logged as
//!   `GetBucketLifecycle`/`PutBucketLifecycle`, the notification configuration calls as
//!   `GetBucketNotification`/`PutBucketNotification`, and the bucket public access block
//!   calls as `GetBucketPublicAccessBlock`/`PutBucketPublicAccessBlock`/
//!   `DeleteBucketPublicAccessBlock` ("Amazon S3 CloudTrail events", S3 User Guide,
//!   bucket-level list). The older and newer API calls share one wire form, so they cannot
//!   be told apart anyway.
//!
//! Data events (`data_event`) follow the object-level list of the same page: the
//! object operations, plus `ListObjects` (both versions), `ListObjectVersions`,
//! `HeadBucket` and `DeleteObjects`, which it lists as logged at object level. The
//! object-level operations that page does not list (`DeleteObjectTagging`, the retention
//! and legal-hold calls, `SelectObjectContent`, `GetObjectTorrent`) act on one object and
//! are classed the same way; that part is our inference.
//!
//! IAM actions follow "Required permissions for Amazon S3 API operations" (S3 User Guide):
//! several operations need an action with another name (`HeadObject` → `s3:GetObject`,
//! `ListObjectsV2` → `s3:ListBucket`, `UploadPart` → `s3:PutObject`,
//! `DeleteBucketCors` → `s3:PutBucketCORS`), and some need the `…Version…` action when a
//! `versionId` is given (`GetObject` → `s3:GetObjectVersion`).

use http::{HeaderMap, Method, header::CONTENT_TYPE};

use crate::params::Params;

/// What an operation acts on, which decides its resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// The account's bucket list (`ListBuckets`).
    Service,
    /// The bucket or one of its configurations.
    Bucket,
    /// Objects of the bucket under a prefix (listings, `HeadBucket`).
    Listing,
    /// Objects named in the request body, which is not read (`DeleteObjects`, `PostObject`).
    BodyObjects,
    /// One object.
    Object,
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct S3Operation {
    /// The S3 API operation name.
    pub(crate) operation: &'static str,
    /// CloudTrail's `eventName`.
    pub(crate) event_name: &'static str,
    /// The IAM action.
    pub(crate) action: &'static str,
    /// The IAM action when the request names a `versionId`, if it differs.
    pub(crate) version_action: Option<&'static str>,
    /// CloudTrail's `readOnly`.
    pub(crate) read_only: bool,
    /// Whether CloudTrail logs it as an S3 data event.
    pub(crate) data_event: bool,
    /// What it acts on.
    pub(crate) scope: Scope,
}

const fn row(
    operation: &'static str,
    event_name: &'static str,
    action: &'static str,
    read_only: bool,
    data_event: bool,
    scope: Scope,
) -> S3Operation {
    S3Operation {
        operation,
        event_name,
        action,
        version_action: None,
        read_only,
        data_event,
        scope,
    }
}

/// A management call on the bucket whose event name is the API name.
const fn bucket(operation: &'static str, action: &'static str, read_only: bool) -> S3Operation {
    row(
        operation,
        operation,
        action,
        read_only,
        false,
        Scope::Bucket,
    )
}

/// A data-event call on one object whose event name is the API name.
const fn object(
    operation: &'static str,
    action: &'static str,
    version_action: Option<&'static str>,
    read_only: bool,
) -> S3Operation {
    S3Operation {
        version_action,
        ..row(operation, operation, action, read_only, true, Scope::Object)
    }
}

// Service and listings.
pub(crate) const LIST_BUCKETS: S3Operation = row(
    "ListBuckets",
    "ListBuckets",
    "s3:ListAllMyBuckets",
    true,
    false,
    Scope::Service,
);
const LIST_OBJECTS: S3Operation = row(
    "ListObjects",
    "ListObjects",
    "s3:ListBucket",
    true,
    true,
    Scope::Listing,
);
const LIST_OBJECTS_V2: S3Operation = row(
    "ListObjectsV2",
    "ListObjects",
    "s3:ListBucket",
    true,
    true,
    Scope::Listing,
);
const LIST_OBJECT_VERSIONS: S3Operation = row(
    "ListObjectVersions",
    "ListObjectVersions",
    "s3:ListBucketVersions",
    true,
    true,
    Scope::Listing,
);
const HEAD_BUCKET: S3Operation = row(
    "HeadBucket",
    "HeadBucket",
    "s3:ListBucket",
    true,
    true,
    Scope::Listing,
);
const LIST_MULTIPART_UPLOADS: S3Operation = bucket(
    "ListMultipartUploads",
    "s3:ListBucketMultipartUploads",
    true,
);
const CREATE_BUCKET: S3Operation = bucket("CreateBucket", "s3:CreateBucket", false);
const DELETE_BUCKET: S3Operation = bucket("DeleteBucket", "s3:DeleteBucket", false);
const DELETE_OBJECTS: S3Operation = row(
    "DeleteObjects",
    "DeleteObjects",
    "s3:DeleteObject",
    false,
    true,
    Scope::BodyObjects,
);
const POST_OBJECT: S3Operation = row(
    "PostObject",
    "PostObject",
    "s3:PutObject",
    false,
    true,
    Scope::BodyObjects,
);

/// `GET` on a bucket, by sub-resource, in the order they are tested.
const BUCKET_GET: &[(&str, S3Operation)] = &[
    ("acl", bucket("GetBucketAcl", "s3:GetBucketAcl", true)),
    (
        "policy",
        bucket("GetBucketPolicy", "s3:GetBucketPolicy", true),
    ),
    (
        "policyStatus",
        bucket("GetBucketPolicyStatus", "s3:GetBucketPolicyStatus", true),
    ),
    ("cors", bucket("GetBucketCors", "s3:GetBucketCORS", true)),
    (
        "lifecycle",
        row(
            "GetBucketLifecycleConfiguration",
            "GetBucketLifecycle",
            "s3:GetLifecycleConfiguration",
            true,
            false,
            Scope::Bucket,
        ),
    ),
    (
        "tagging",
        bucket("GetBucketTagging", "s3:GetBucketTagging", true),
    ),
    (
        "versioning",
        bucket("GetBucketVersioning", "s3:GetBucketVersioning", true),
    ),
    (
        "encryption",
        bucket("GetBucketEncryption", "s3:GetEncryptionConfiguration", true),
    ),
    (
        "website",
        bucket("GetBucketWebsite", "s3:GetBucketWebsite", true),
    ),
    (
        "logging",
        bucket("GetBucketLogging", "s3:GetBucketLogging", true),
    ),
    (
        "notification",
        row(
            "GetBucketNotificationConfiguration",
            "GetBucketNotification",
            "s3:GetBucketNotification",
            true,
            false,
            Scope::Bucket,
        ),
    ),
    (
        "replication",
        bucket(
            "GetBucketReplication",
            "s3:GetReplicationConfiguration",
            true,
        ),
    ),
    (
        "requestPayment",
        bucket(
            "GetBucketRequestPayment",
            "s3:GetBucketRequestPayment",
            true,
        ),
    ),
    (
        "location",
        bucket("GetBucketLocation", "s3:GetBucketLocation", true),
    ),
    (
        "accelerate",
        bucket(
            "GetBucketAccelerateConfiguration",
            "s3:GetAccelerateConfiguration",
            true,
        ),
    ),
    (
        "ownershipControls",
        bucket(
            "GetBucketOwnershipControls",
            "s3:GetBucketOwnershipControls",
            true,
        ),
    ),
    (
        "publicAccessBlock",
        row(
            "GetPublicAccessBlock",
            "GetBucketPublicAccessBlock",
            "s3:GetBucketPublicAccessBlock",
            true,
            false,
            Scope::Bucket,
        ),
    ),
    (
        "object-lock",
        bucket(
            "GetObjectLockConfiguration",
            "s3:GetBucketObjectLockConfiguration",
            true,
        ),
    ),
    ("uploads", LIST_MULTIPART_UPLOADS),
    ("versions", LIST_OBJECT_VERSIONS),
];

/// `GET` on a bucket for the four "configuration by id" families: with `id` one
/// configuration, without it the list.
const BUCKET_GET_CONFIGURATIONS: &[(&str, S3Operation, S3Operation)] = &[
    (
        "analytics",
        bucket(
            "GetBucketAnalyticsConfiguration",
            "s3:GetAnalyticsConfiguration",
            true,
        ),
        bucket(
            "ListBucketAnalyticsConfigurations",
            "s3:GetAnalyticsConfiguration",
            true,
        ),
    ),
    (
        "inventory",
        bucket(
            "GetBucketInventoryConfiguration",
            "s3:GetInventoryConfiguration",
            true,
        ),
        bucket(
            "ListBucketInventoryConfigurations",
            "s3:GetInventoryConfiguration",
            true,
        ),
    ),
    (
        "metrics",
        bucket(
            "GetBucketMetricsConfiguration",
            "s3:GetMetricsConfiguration",
            true,
        ),
        bucket(
            "ListBucketMetricsConfigurations",
            "s3:GetMetricsConfiguration",
            true,
        ),
    ),
    (
        "intelligent-tiering",
        bucket(
            "GetBucketIntelligentTieringConfiguration",
            "s3:GetIntelligentTieringConfiguration",
            true,
        ),
        bucket(
            "ListBucketIntelligentTieringConfigurations",
            "s3:GetIntelligentTieringConfiguration",
            true,
        ),
    ),
];

/// `PUT` on a bucket, by sub-resource; none of them means `CreateBucket`.
const BUCKET_PUT: &[(&str, S3Operation)] = &[
    ("acl", bucket("PutBucketAcl", "s3:PutBucketAcl", false)),
    (
        "policy",
        bucket("PutBucketPolicy", "s3:PutBucketPolicy", false),
    ),
    ("cors", bucket("PutBucketCors", "s3:PutBucketCORS", false)),
    (
        "lifecycle",
        row(
            "PutBucketLifecycleConfiguration",
            "PutBucketLifecycle",
            "s3:PutLifecycleConfiguration",
            false,
            false,
            Scope::Bucket,
        ),
    ),
    (
        "tagging",
        bucket("PutBucketTagging", "s3:PutBucketTagging", false),
    ),
    (
        "versioning",
        bucket("PutBucketVersioning", "s3:PutBucketVersioning", false),
    ),
    (
        "encryption",
        bucket(
            "PutBucketEncryption",
            "s3:PutEncryptionConfiguration",
            false,
        ),
    ),
    (
        "website",
        bucket("PutBucketWebsite", "s3:PutBucketWebsite", false),
    ),
    (
        "logging",
        bucket("PutBucketLogging", "s3:PutBucketLogging", false),
    ),
    (
        "notification",
        row(
            "PutBucketNotificationConfiguration",
            "PutBucketNotification",
            "s3:PutBucketNotification",
            false,
            false,
            Scope::Bucket,
        ),
    ),
    (
        "replication",
        bucket(
            "PutBucketReplication",
            "s3:PutReplicationConfiguration",
            false,
        ),
    ),
    (
        "requestPayment",
        bucket(
            "PutBucketRequestPayment",
            "s3:PutBucketRequestPayment",
            false,
        ),
    ),
    (
        "accelerate",
        bucket(
            "PutBucketAccelerateConfiguration",
            "s3:PutAccelerateConfiguration",
            false,
        ),
    ),
    (
        "ownershipControls",
        bucket(
            "PutBucketOwnershipControls",
            "s3:PutBucketOwnershipControls",
            false,
        ),
    ),
    (
        "publicAccessBlock",
        row(
            "PutPublicAccessBlock",
            "PutBucketPublicAccessBlock",
            "s3:PutBucketPublicAccessBlock",
            false,
            false,
            Scope::Bucket,
        ),
    ),
    (
        "object-lock",
        bucket(
            "PutObjectLockConfiguration",
            "s3:PutBucketObjectLockConfiguration",
            false,
        ),
    ),
    (
        "analytics",
        bucket(
            "PutBucketAnalyticsConfiguration",
            "s3:PutAnalyticsConfiguration",
            false,
        ),
    ),
    (
        "inventory",
        bucket(
            "PutBucketInventoryConfiguration",
            "s3:PutInventoryConfiguration",
            false,
        ),
    ),
    (
        "metrics",
        bucket(
            "PutBucketMetricsConfiguration",
            "s3:PutMetricsConfiguration",
            false,
        ),
    ),
    (
        "intelligent-tiering",
        bucket(
            "PutBucketIntelligentTieringConfiguration",
            "s3:PutIntelligentTieringConfiguration",
            false,
        ),
    ),
];

/// `DELETE` on a bucket, by sub-resource; none of them means `DeleteBucket`.
const BUCKET_DELETE: &[(&str, S3Operation)] = &[
    (
        "policy",
        bucket("DeleteBucketPolicy", "s3:DeleteBucketPolicy", false),
    ),
    (
        "cors",
        bucket("DeleteBucketCors", "s3:PutBucketCORS", false),
    ),
    (
        "lifecycle",
        bucket(
            "DeleteBucketLifecycle",
            "s3:PutLifecycleConfiguration",
            false,
        ),
    ),
    (
        "tagging",
        bucket("DeleteBucketTagging", "s3:PutBucketTagging", false),
    ),
    (
        "encryption",
        bucket(
            "DeleteBucketEncryption",
            "s3:PutEncryptionConfiguration",
            false,
        ),
    ),
    (
        "website",
        bucket("DeleteBucketWebsite", "s3:DeleteBucketWebsite", false),
    ),
    (
        "replication",
        bucket(
            "DeleteBucketReplication",
            "s3:PutReplicationConfiguration",
            false,
        ),
    ),
    (
        "ownershipControls",
        bucket(
            "DeleteBucketOwnershipControls",
            "s3:PutBucketOwnershipControls",
            false,
        ),
    ),
    (
        "publicAccessBlock",
        row(
            "DeletePublicAccessBlock",
            "DeleteBucketPublicAccessBlock",
            "s3:PutBucketPublicAccessBlock",
            false,
            false,
            Scope::Bucket,
        ),
    ),
    (
        "analytics",
        bucket(
            "DeleteBucketAnalyticsConfiguration",
            "s3:PutAnalyticsConfiguration",
            false,
        ),
    ),
    (
        "inventory",
        bucket(
            "DeleteBucketInventoryConfiguration",
            "s3:PutInventoryConfiguration",
            false,
        ),
    ),
    (
        "metrics",
        bucket(
            "DeleteBucketMetricsConfiguration",
            "s3:PutMetricsConfiguration",
            false,
        ),
    ),
    (
        "intelligent-tiering",
        bucket(
            "DeleteBucketIntelligentTieringConfiguration",
            "s3:PutIntelligentTieringConfiguration",
            false,
        ),
    ),
];

/// `GET` on an object, by sub-resource; none of them means `GetObject`.
const OBJECT_GET: &[(&str, S3Operation)] = &[
    (
        "acl",
        object(
            "GetObjectAcl",
            "s3:GetObjectAcl",
            Some("s3:GetObjectVersionAcl"),
            true,
        ),
    ),
    (
        "tagging",
        object(
            "GetObjectTagging",
            "s3:GetObjectTagging",
            Some("s3:GetObjectVersionTagging"),
            true,
        ),
    ),
    (
        "attributes",
        object(
            "GetObjectAttributes",
            "s3:GetObjectAttributes",
            Some("s3:GetObjectVersionAttributes"),
            true,
        ),
    ),
    (
        "retention",
        object("GetObjectRetention", "s3:GetObjectRetention", None, true),
    ),
    (
        "legal-hold",
        object("GetObjectLegalHold", "s3:GetObjectLegalHold", None, true),
    ),
    (
        "torrent",
        object(
            "GetObjectTorrent",
            "s3:GetObjectTorrent",
            Some("s3:GetObjectVersionTorrent"),
            true,
        ),
    ),
    (
        "uploadId",
        object("ListParts", "s3:ListMultipartUploadParts", None, true),
    ),
];
const GET_OBJECT: S3Operation = object(
    "GetObject",
    "s3:GetObject",
    Some("s3:GetObjectVersion"),
    true,
);
const HEAD_OBJECT: S3Operation = object(
    "HeadObject",
    "s3:GetObject",
    Some("s3:GetObjectVersion"),
    true,
);

/// `PUT` on an object, by sub-resource; then multipart parts, copies, plain `PutObject`.
const OBJECT_PUT: &[(&str, S3Operation)] = &[
    (
        "acl",
        object(
            "PutObjectAcl",
            "s3:PutObjectAcl",
            Some("s3:PutObjectVersionAcl"),
            false,
        ),
    ),
    (
        "tagging",
        object(
            "PutObjectTagging",
            "s3:PutObjectTagging",
            Some("s3:PutObjectVersionTagging"),
            false,
        ),
    ),
    (
        "retention",
        object("PutObjectRetention", "s3:PutObjectRetention", None, false),
    ),
    (
        "legal-hold",
        object("PutObjectLegalHold", "s3:PutObjectLegalHold", None, false),
    ),
];
const UPLOAD_PART: S3Operation = object("UploadPart", "s3:PutObject", None, false);
const UPLOAD_PART_COPY: S3Operation = object("UploadPartCopy", "s3:PutObject", None, false);
const COPY_OBJECT: S3Operation = object("CopyObject", "s3:PutObject", None, false);
const PUT_OBJECT: S3Operation = object("PutObject", "s3:PutObject", None, false);

/// `DELETE` on an object, by sub-resource; none of them means `DeleteObject`.
const OBJECT_DELETE: &[(&str, S3Operation)] = &[
    (
        "tagging",
        object(
            "DeleteObjectTagging",
            "s3:DeleteObjectTagging",
            Some("s3:DeleteObjectVersionTagging"),
            false,
        ),
    ),
    (
        "uploadId",
        object(
            "AbortMultipartUpload",
            "s3:AbortMultipartUpload",
            None,
            false,
        ),
    ),
];
const DELETE_OBJECT: S3Operation = object(
    "DeleteObject",
    "s3:DeleteObject",
    Some("s3:DeleteObjectVersion"),
    false,
);

/// `POST` on an object, by sub-resource; anything else is not an S3 operation.
const OBJECT_POST: &[(&str, S3Operation)] = &[
    (
        "uploads",
        object("CreateMultipartUpload", "s3:PutObject", None, false),
    ),
    (
        "uploadId",
        object("CompleteMultipartUpload", "s3:PutObject", None, false),
    ),
    (
        "restore",
        object("RestoreObject", "s3:RestoreObject", None, false),
    ),
    (
        "select",
        object("SelectObjectContent", "s3:GetObject", None, true),
    ),
];

/// The header that turns a `PUT` into a copy.
pub(crate) const COPY_SOURCE: &str = "x-amz-copy-source";

/// Where in the bucket namespace a request points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    /// `/` with no bucket.
    Service,
    /// A bucket, no key.
    Bucket,
    /// An object key in a bucket.
    Object,
    /// A path whose bucket segment is empty (`//key`), which names nothing.
    EmptyBucket,
}

impl Level {
    /// Names the level for error messages.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Self::Service => "the service root",
            Self::Bucket => "a bucket",
            Self::Object => "an object",
            Self::EmptyBucket => "a path with an empty bucket name",
        }
    }
}

/// Returns the operation for a request, or `None` when S3 has none for it.
pub(crate) fn classify(
    method: &Method,
    level: Level,
    params: &Params,
    headers: &HeaderMap,
) -> Option<S3Operation> {
    match level {
        Level::Service => (*method == Method::GET).then_some(LIST_BUCKETS),
        Level::Bucket => classify_bucket(method, params, headers),
        Level::Object => classify_object(method, params, headers),
        Level::EmptyBucket => None,
    }
}

fn first_present(table: &[(&str, S3Operation)], params: &Params) -> Option<S3Operation> {
    for (sub_resource, operation) in table {
        if params.contains(sub_resource) {
            return Some(*operation);
        }
    }
    None
}

fn classify_bucket(method: &Method, params: &Params, headers: &HeaderMap) -> Option<S3Operation> {
    match *method {
        Method::GET => {
            if let Some(operation) = first_present(BUCKET_GET, params) {
                return Some(operation);
            }
            for (sub_resource, one, list) in BUCKET_GET_CONFIGURATIONS {
                if params.contains(sub_resource) {
                    return Some(if params.contains("id") { *one } else { *list });
                }
            }
            if params.get("list-type") == Some("2") {
                return Some(LIST_OBJECTS_V2);
            }
            Some(LIST_OBJECTS)
        }
        Method::HEAD => Some(HEAD_BUCKET),
        Method::PUT => Some(first_present(BUCKET_PUT, params).unwrap_or(CREATE_BUCKET)),
        Method::DELETE => Some(first_present(BUCKET_DELETE, params).unwrap_or(DELETE_BUCKET)),
        Method::POST => {
            if params.contains("delete") {
                return Some(DELETE_OBJECTS);
            }
            is_multipart_form(headers).then_some(POST_OBJECT)
        }
        _ => None,
    }
}

fn classify_object(method: &Method, params: &Params, headers: &HeaderMap) -> Option<S3Operation> {
    match *method {
        Method::GET => Some(first_present(OBJECT_GET, params).unwrap_or(GET_OBJECT)),
        Method::HEAD => Some(HEAD_OBJECT),
        Method::PUT => {
            if let Some(operation) = first_present(OBJECT_PUT, params) {
                return Some(operation);
            }
            let copy = headers.contains_key(COPY_SOURCE);
            if params.contains("uploadId") || params.contains("partNumber") {
                return Some(if copy { UPLOAD_PART_COPY } else { UPLOAD_PART });
            }
            Some(if copy { COPY_OBJECT } else { PUT_OBJECT })
        }
        Method::DELETE => Some(first_present(OBJECT_DELETE, params).unwrap_or(DELETE_OBJECT)),
        Method::POST => first_present(OBJECT_POST, params),
        _ => None,
    }
}

/// Returns whether the body is an HTML form upload (`multipart/form-data`).
fn is_multipart_form(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .trim_start()
                .get(..19)
                .is_some_and(|start| start.eq_ignore_ascii_case("multipart/form-data"))
        })
}

/// Every row, for tests that check the table as a whole.
#[cfg(test)]
pub(crate) fn all_operations() -> Vec<S3Operation> {
    let mut all = vec![
        LIST_BUCKETS,
        LIST_OBJECTS,
        LIST_OBJECTS_V2,
        HEAD_BUCKET,
        CREATE_BUCKET,
        DELETE_BUCKET,
        DELETE_OBJECTS,
        POST_OBJECT,
        GET_OBJECT,
        HEAD_OBJECT,
        UPLOAD_PART,
        UPLOAD_PART_COPY,
        COPY_OBJECT,
        PUT_OBJECT,
        DELETE_OBJECT,
    ];
    for table in [
        BUCKET_GET,
        BUCKET_PUT,
        BUCKET_DELETE,
        OBJECT_GET,
        OBJECT_PUT,
        OBJECT_DELETE,
        OBJECT_POST,
    ] {
        all.extend(table.iter().map(|(_, operation)| *operation));
    }
    for (_, one, list) in BUCKET_GET_CONFIGURATIONS {
        all.push(*one);
        all.push(*list);
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The object-level list of "Amazon S3 CloudTrail events" (S3 User Guide), plus the
    /// bucket-level calls it says are logged at object level.
    const DOCUMENTED_DATA_EVENTS: &[&str] = &[
        "AbortMultipartUpload",
        "CompleteMultipartUpload",
        "DeleteObjects",
        "DeleteObject",
        "GetObject",
        "GetObjectAcl",
        "GetObjectAttributes",
        "GetObjectTagging",
        "HeadObject",
        "CreateMultipartUpload",
        "ListParts",
        "PostObject",
        "RestoreObject",
        "PutObject",
        "PutObjectAcl",
        "PutObjectTagging",
        "CopyObject",
        "UploadPart",
        "UploadPartCopy",
        "ListObjects",
        "ListObjectVersions",
        "HeadBucket",
    ];

    /// The bucket-level event names of the same page (management events).
    const DOCUMENTED_MANAGEMENT_EVENTS: &[&str] = &[
        "CreateBucket",
        "DeleteBucket",
        "DeleteBucketCors",
        "DeleteBucketEncryption",
        "DeleteBucketLifecycle",
        "DeleteBucketPolicy",
        "DeleteBucketReplication",
        "DeleteBucketTagging",
        "DeleteBucketPublicAccessBlock",
        "GetBucketAcl",
        "GetBucketCors",
        "GetBucketEncryption",
        "GetBucketLifecycle",
        "GetBucketLocation",
        "GetBucketLogging",
        "GetBucketNotification",
        "GetObjectLockConfiguration",
        "GetBucketPolicy",
        "GetBucketReplication",
        "GetBucketRequestPayment",
        "GetBucketTagging",
        "GetBucketVersioning",
        "GetBucketWebsite",
        "GetBucketPublicAccessBlock",
        "ListBuckets",
        "PutBucketAcl",
        "PutBucketCors",
        "PutBucketEncryption",
        "PutBucketLifecycle",
        "PutBucketLogging",
        "PutBucketNotification",
        "PutBucketPolicy",
        "PutBucketReplication",
        "PutBucketRequestPayment",
        "PutBucketTagging",
        "PutBucketVersioning",
        "PutBucketWebsite",
        "PutBucketPublicAccessBlock",
    ];

    #[test]
    fn documented_event_names_have_a_row_with_the_documented_category() {
        let all = all_operations();
        for name in DOCUMENTED_DATA_EVENTS {
            let rows: Vec<_> = all.iter().filter(|row| row.event_name == *name).collect();
            assert!(!rows.is_empty(), "no row logs `{name}`");
            assert!(
                rows.iter().all(|row| row.data_event),
                "`{name}` is a data event"
            );
        }
        for name in DOCUMENTED_MANAGEMENT_EVENTS {
            let rows: Vec<_> = all.iter().filter(|row| row.event_name == *name).collect();
            assert!(!rows.is_empty(), "no row logs `{name}`");
            assert!(
                rows.iter().all(|row| !row.data_event),
                "`{name}` is management"
            );
        }
    }

    #[test]
    fn object_scoped_rows_are_data_events_and_bucket_rows_are_not() {
        for operation in all_operations() {
            match operation.scope {
                Scope::Object | Scope::Listing | Scope::BodyObjects => {
                    assert!(operation.data_event, "{operation:?}");
                }
                Scope::Bucket | Scope::Service => assert!(!operation.data_event, "{operation:?}"),
            }
            assert!(operation.action.starts_with("s3:"), "{operation:?}");
        }
    }

    #[test]
    fn sub_resources_take_precedence_over_copy_and_multipart_markers() {
        let mut headers = HeaderMap::new();
        headers.insert(COPY_SOURCE, http::HeaderValue::from_static("src/key"));
        let tagging = Params::parse(b"tagging&uploadId=1&partNumber=1");
        let operation = classify(&Method::PUT, Level::Object, &tagging, &headers);
        assert_eq!(operation.map(|row| row.operation), Some("PutObjectTagging"));
        let part = Params::parse(b"partNumber=2&uploadId=1");
        let operation = classify(&Method::PUT, Level::Object, &part, &headers);
        assert_eq!(operation.map(|row| row.operation), Some("UploadPartCopy"));
    }

    #[test]
    fn post_to_a_bucket_is_an_operation_only_with_delete_or_a_form() {
        let mut headers = HeaderMap::new();
        let none = Params::default();
        assert_eq!(
            classify(&Method::POST, Level::Bucket, &none, &headers),
            None
        );
        headers.insert(
            CONTENT_TYPE,
            http::HeaderValue::from_static("Multipart/Form-Data; boundary=x"),
        );
        let operation = classify(&Method::POST, Level::Bucket, &none, &headers);
        assert_eq!(operation.map(|row| row.operation), Some("PostObject"));
    }
}
