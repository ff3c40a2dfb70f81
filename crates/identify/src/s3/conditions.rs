//! S3 condition keys that can be read off the request head.
//!
//! Keys and the actions they apply to follow "Actions, resources, and condition keys for
//! Amazon S3" (Service Authorization Reference). A key is only given for the actions that
//! support it, so a policy condition on it behaves as it would in AWS for other actions
//! (the key is absent).

use http::HeaderMap;

use crate::params::Params;

use super::table::{COPY_SOURCE, S3Operation, Scope};

/// Actions that take the canned-ACL and grant headers as condition keys.
const ACL_ACTIONS: &[&str] = &[
    "s3:PutObject",
    "s3:PutObjectAcl",
    "s3:PutObjectVersionAcl",
    "s3:PutBucketAcl",
    "s3:CreateBucket",
];

/// Request headers that are condition keys, and the actions they apply to.
const HEADER_CONDITION_KEYS: &[(&str, &str, &[&str])] = &[
    ("x-amz-acl", "s3:x-amz-acl", ACL_ACTIONS),
    ("x-amz-grant-read", "s3:x-amz-grant-read", ACL_ACTIONS),
    ("x-amz-grant-write", "s3:x-amz-grant-write", ACL_ACTIONS),
    (
        "x-amz-grant-read-acp",
        "s3:x-amz-grant-read-acp",
        ACL_ACTIONS,
    ),
    (
        "x-amz-grant-write-acp",
        "s3:x-amz-grant-write-acp",
        ACL_ACTIONS,
    ),
    (
        "x-amz-grant-full-control",
        "s3:x-amz-grant-full-control",
        ACL_ACTIONS,
    ),
    (
        "x-amz-server-side-encryption",
        "s3:x-amz-server-side-encryption",
        &["s3:PutObject"],
    ),
    (
        "x-amz-server-side-encryption-aws-kms-key-id",
        "s3:x-amz-server-side-encryption-aws-kms-key-id",
        &["s3:PutObject"],
    ),
    (
        "x-amz-storage-class",
        "s3:x-amz-storage-class",
        &["s3:PutObject"],
    ),
];

/// Headers that are condition keys of `s3:PutObject` only when it is a copy.
const COPY_CONDITION_KEYS: &[(&str, &str)] = &[
    (COPY_SOURCE, "s3:x-amz-copy-source"),
    ("x-amz-metadata-directive", "s3:x-amz-metadata-directive"),
];

/// Listing query parameters that are condition keys of `s3:ListBucket` and
/// `s3:ListBucketVersions`.
const LISTING_CONDITION_KEYS: &[(&str, &str)] = &[
    ("prefix", "s3:prefix"),
    ("delimiter", "s3:delimiter"),
    ("max-keys", "s3:max-keys"),
];

/// Returns the condition keys for `operation`, evaluated as `action`, in a stable order:
/// listing parameters, `s3:versionid`, then headers in table order.
pub(super) fn condition_keys(
    operation: &S3Operation,
    action: &str,
    version_id: Option<&str>,
    params: &Params,
    headers: &HeaderMap,
) -> Vec<(String, String)> {
    let mut keys = Vec::new();
    if operation.scope == Scope::Listing && operation.operation != "HeadBucket" {
        for (param, key) in LISTING_CONDITION_KEYS {
            if let Some(value) = params.get(param) {
                keys.push(((*key).to_owned(), value.to_owned()));
            }
        }
    }
    if let (Some(_), Some(version_id)) = (operation.version_action, version_id) {
        keys.push(("s3:versionid".to_owned(), version_id.to_owned()));
    }
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    for (name, key, actions) in HEADER_CONDITION_KEYS {
        if let Some(value) = header(name).filter(|_| actions.contains(&action)) {
            keys.push(((*key).to_owned(), value.to_owned()));
        }
    }
    if matches!(operation.operation, "CopyObject" | "UploadPartCopy") {
        for (name, key) in COPY_CONDITION_KEYS {
            if let Some(value) = header(name) {
                keys.push(((*key).to_owned(), value.to_owned()));
            }
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use http::{HeaderValue, Method};

    use super::super::table::{Level, classify};
    use super::*;

    fn keys_for(
        method: Method,
        level: Level,
        query: &[u8],
        headers: &HeaderMap,
    ) -> Vec<(String, String)> {
        let params = Params::parse(query);
        let operation = classify(&method, level, &params, headers).unwrap();
        let version_id = params.get("versionId");
        let action = match (operation.version_action, version_id) {
            (Some(version_action), Some(_)) => version_action,
            _ => operation.action,
        };
        condition_keys(&operation, action, version_id, &params, headers)
    }

    #[test]
    fn headers_are_condition_keys_only_for_the_actions_that_take_them() {
        let mut headers = HeaderMap::new();
        headers.insert("x-amz-acl", HeaderValue::from_static("public-read"));
        headers.insert(COPY_SOURCE, HeaderValue::from_static("src/key"));
        let delete = keys_for(Method::DELETE, Level::Object, b"versionId=v1", &headers);
        assert_eq!(delete, [("s3:versionid".to_owned(), "v1".to_owned())]);
        let copy = keys_for(Method::PUT, Level::Object, b"", &headers);
        assert_eq!(
            copy,
            [
                ("s3:x-amz-acl".to_owned(), "public-read".to_owned()),
                ("s3:x-amz-copy-source".to_owned(), "src/key".to_owned()),
            ]
        );
        headers.remove(COPY_SOURCE);
        let head_bucket = keys_for(Method::HEAD, Level::Bucket, b"prefix=a", &headers);
        assert!(head_bucket.is_empty());
    }
}
