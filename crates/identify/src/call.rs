//! What [`identify`](crate::identify) returns: the call, named as CloudTrail names it.

use serde::Serialize;

/// The AWS API call one HTTP request makes, named as CloudTrail would record it.
///
/// Serialized (for logs and goldens) with camelCase member names; `unidentified` is
/// written as its message.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Call {
    /// The SigV4 signing name the call was identified under (`s3`, `kms`, `sqs`): the
    /// caller's name lowercased, or the endpoint's default when the caller's was empty or
    /// malformed.
    pub service: String,
    /// CloudTrail's `eventSource` (`s3.amazonaws.com`); see [`event_source_of`](crate::event_source_of).
    pub event_source: String,
    /// CloudTrail's `eventName` (`GetObject`, `ListObjects`, `Decrypt`). When
    /// `unidentified` is set this is a fallback of the form `"<METHOD> <path shape>"`
    /// (`"PATCH /{Bucket}/{Key+}"`, `"GET /2015-03-31/functions/{Id}"`), never a real
    /// operation name, so it cannot be mistaken for one.
    pub event_name: String,
    /// The IAM action a policy is evaluated against (`s3:GetObject`, `kms:Decrypt`).
    /// Empty when the operation is unidentified: no policy statement names an empty
    /// action, so only `"*"` statements can match it.
    pub action: String,
    /// CloudTrail's `readOnly` when known; see the crate documentation for the rule.
    pub read_only: Option<bool>,
    /// Whether CloudTrail records this operation as a data event (`true`) or a management
    /// event (`false`); `None` when not known.
    pub data_event: Option<bool>,
    /// ARNs for policy evaluation (`arn:aws:s3:::bucket/key`, `arn:aws:s3:::bucket`).
    /// Empty when unknown, including when the resource is only in the body (the keys of
    /// `DeleteObjects`, the key of a browser `PostObject`) and when the action takes no
    /// resource (`ListBuckets`, whose policy resource is `*`). ARNs use the `aws`
    /// partition.
    pub resources: Vec<String>,
    /// The S3 details, for requests identified as S3 (`service == "s3"`).
    pub s3: Option<S3Call>,
    /// Service condition keys derivable from the request head, in a stable order
    /// (`("s3:prefix", "logs/")`). Global keys (`aws:SourceIp` and the like) are the
    /// caller's to add.
    pub condition_keys: Vec<(String, String)>,
    /// Why the operation could not be named; `None` when it was.
    #[serde(serialize_with = "serialize_unidentified")]
    pub unidentified: Option<Unidentified>,
}

/// The S3 side of a [`Call`]: what CloudTrail writes for S3 that other services lack.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct S3Call {
    /// The S3 API operation (`ListObjectsV2`, `GetBucketLifecycleConfiguration`), which
    /// can differ from CloudTrail's `eventName` (`ListObjects`, `GetBucketLifecycle`).
    /// Empty when unidentified.
    pub operation: String,
    /// The bucket, from the virtual host or the first path segment.
    pub bucket: Option<String>,
    /// The object key, percent-decoded, exactly as S3 stores it (no path normalization).
    pub key: Option<String>,
    /// Whether the operation is an object-level operation that CloudTrail logs as an S3
    /// data event (the `AWS::S3::Object` resource type).
    pub data_event: bool,
    /// CloudTrail's `requestParameters` for S3: `bucketName`, `Host`, `key`, every query
    /// parameter except authentication ones (`X-Amz-Signature` and the rest of a presigned
    /// URL's, which CloudTrail reports in `additionalEventData` instead) with `""` for a
    /// bare sub-resource (`"tagging": ""`), and `x-amz-copy-source` for copies.
    pub request_parameters: serde_json::Map<String, serde_json::Value>,
    /// CloudTrail's `resources` entries for the call, without `accountId` (the proxy does
    /// not know who owns the bucket).
    pub resources: Vec<S3Resource>,
}

/// One entry of CloudTrail's `resources` array for an S3 event.
///
/// Wire form, as in CloudTrail records:
/// `{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::bucket/key"}` for one object,
/// `{"type": "AWS::S3::Object", "ARNPrefix": "arn:aws:s3:::bucket/prefix"}` for a listing,
/// `{"type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::bucket"}` for the bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct S3Resource {
    /// `AWS::S3::Object` or `AWS::S3::Bucket`.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// The ARN, for one object or the bucket.
    #[serde(rename = "ARN", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// The ARN prefix, for operations over many objects (listings).
    #[serde(rename = "ARNPrefix", skip_serializing_if = "Option::is_none")]
    pub arn_prefix: Option<String>,
}

/// Why a request's operation could not be named.
///
/// Not a failure of [`identify`](crate::identify), which always returns a [`Call`]: the
/// call is still recorded, under a fallback name. Log it with `%` to see the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Unidentified {
    /// No S3 operation is sent with this method on this kind of path.
    #[error("no s3 operation is sent as `{method}` to {target}")]
    UnknownS3Request {
        /// The request method (at most 16 characters).
        method: String,
        /// `the service root`, `a bucket` or `an object`.
        target: &'static str,
    },
    /// The `X-Amz-Target` header is not `<prefix>.<Operation>`.
    #[error("`x-amz-target` `{value}` is not of the form `Prefix.Operation`")]
    InvalidTarget {
        /// The header value (at most 64 characters, lossy).
        value: String,
    },
    /// A query-protocol `Action` parameter holds something no operation is named.
    #[error("query `Action` `{value}` is not an operation name")]
    InvalidAction {
        /// The parameter value (at most 64 characters).
        value: String,
    },
    /// Neither `X-Amz-Target` nor `Action` was sent, and the service's REST routes are
    /// not known to this crate (they are in the service model, which it does not carry).
    #[error("no operation model for rest requests to `{service}`")]
    NoRestModel {
        /// The signing name.
        service: String,
    },
}

fn serialize_unidentified<S: serde::Serializer>(
    unidentified: &Option<Unidentified>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match unidentified {
        Some(reason) => serializer.collect_str(reason),
        None => serializer.serialize_none(),
    }
}

/// Returns at most `limit` characters of `value`, for error messages.
pub(crate) fn clip(value: &str, limit: usize) -> String {
    value.chars().take(limit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_resource_serializes_with_cloudtrail_member_names() {
        let resource = S3Resource {
            resource_type: "AWS::S3::Object".to_owned(),
            arn: None,
            arn_prefix: Some("arn:aws:s3:::bucket/logs/".to_owned()),
        };
        let json = serde_json::to_value(&resource).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"type": "AWS::S3::Object", "ARNPrefix": "arn:aws:s3:::bucket/logs/"})
        );
    }

    #[test]
    fn unidentified_messages_name_the_bad_value() {
        let reason = Unidentified::InvalidTarget {
            value: "nodot".to_owned(),
        };
        assert_eq!(
            reason.to_string(),
            "`x-amz-target` `nodot` is not of the form `Prefix.Operation`"
        );
        assert_eq!(clip("ééé", 2), "éé");
    }
}
