//! Checks of CreateTrail/UpdateTrail members and tags (`spec/trails-and-integrity.md`
//! §4.2–4.3). Where AWS's message text is known it is used as is; otherwise the text
//! follows the project's style.

use crate::error::{Error, ErrorKind, Result};
use crate::model::{Tag, TagInput};
use crate::names::PARTITION;
use crate::probe::{BucketProblem, Probes};

/// Longest S3 key prefix.
pub const MAX_S3_KEY_PREFIX_CHARS: usize = 200;
/// Longest SNS topic name.
pub const MAX_SNS_TOPIC_NAME_CHARS: usize = 256;
/// Longest tag key.
pub const MAX_TAG_KEY_CHARS: usize = 128;
/// Longest tag value.
pub const MAX_TAG_VALUE_CHARS: usize = 256;

fn reject(kind: ErrorKind, message: impl Into<String>) -> Error {
    Error::rejected(kind, message)
}

/// Checks S3's bucket naming rules (general purpose buckets).
pub(crate) fn check_bucket_name(name: &str) -> Result<()> {
    let problem = if !(3..=63).contains(&name.len()) {
        Some("it must be 3 to 63 characters long")
    } else if !name.bytes().all(|byte| {
        byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'.' || byte == b'-'
    }) {
        Some("it may contain only lowercase letters, numbers, periods and hyphens")
    } else if !name.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !name.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        Some("it must begin and end with a letter or number")
    } else if name.contains("..") {
        Some("it must not contain two adjacent periods")
    } else if name.parse::<std::net::Ipv4Addr>().is_ok() {
        Some("it must not be formatted as an IP address")
    } else if name.starts_with("xn--") || name.ends_with("-s3alias") || name.ends_with("--ol-s3") {
        Some("it uses a prefix or suffix S3 reserves")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(reject(
            ErrorKind::InvalidS3BucketName,
            format!("bucket name `{name}` is not valid: {problem}"),
        )),
        None => Ok(()),
    }
}

/// Asks the bucket probe whether the trail can deliver into `bucket`.
pub(crate) fn probe_bucket(probes: Probes<'_>, bucket: &str) -> Result<()> {
    match probes.buckets.check(bucket) {
        Ok(()) => Ok(()),
        Err(BucketProblem::DoesNotExist) => Err(reject(
            ErrorKind::S3BucketDoesNotExist,
            format!("S3 bucket {bucket} does not exist!"),
        )),
        Err(BucketProblem::InvalidName(reason)) => Err(reject(
            ErrorKind::InvalidS3BucketName,
            format!("bucket name `{bucket}` is not valid: {reason}"),
        )),
        Err(BucketProblem::AccessDenied(reason)) => {
            tracing::warn!(bucket, error = %reason, "a trail's bucket refuses OpenTrail");
            Err(reject(
                ErrorKind::InsufficientS3BucketPolicy,
                format!("Incorrect S3 bucket policy is detected for bucket: {bucket}"),
            ))
        }
        Err(BucketProblem::Unavailable(reason)) => Err(reject(
            ErrorKind::DependencyUnavailable,
            format!("cannot check bucket `{bucket}` now: {reason}; try again later"),
        )),
    }
}

/// Checks an S3 key prefix.
pub(crate) fn check_prefix(prefix: &str) -> Result<()> {
    let length = prefix.chars().count();
    if length > MAX_S3_KEY_PREFIX_CHARS {
        return Err(reject(
            ErrorKind::InvalidS3Prefix,
            format!(
                "S3 key prefix is {length} characters long; it can be at most \
                 {MAX_S3_KEY_PREFIX_CHARS}"
            ),
        ));
    }
    Ok(())
}

/// Checks the form of an SNS topic name or ARN, then finds the topic among the
/// configured ones; returns its name and ARN.
pub(crate) fn resolve_topic(
    probes: Probes<'_>,
    account: &str,
    region: &str,
    name_or_arn: &str,
) -> Result<(String, String)> {
    let name = if name_or_arn.starts_with("arn:") {
        let parts: Vec<&str> = name_or_arn.splitn(6, ':').collect();
        match parts.as_slice() {
            ["arn", partition, "sns", topic_region, topic_account, name]
                if !partition.is_empty()
                    && !topic_region.is_empty()
                    && is_account(topic_account) =>
            {
                *name
            }
            _ => {
                return Err(reject(
                    ErrorKind::InvalidSnsTopicName,
                    format!("`{name_or_arn}` is not a valid SNS topic ARN"),
                ));
            }
        }
    } else {
        name_or_arn
    };
    let length = name.chars().count();
    let name_ok = (1..=MAX_SNS_TOPIC_NAME_CHARS).contains(&length)
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-');
    if !name_ok {
        return Err(reject(
            ErrorKind::InvalidSnsTopicName,
            format!(
                "SNS topic name `{name}` is not valid: it must be 1 to \
                 {MAX_SNS_TOPIC_NAME_CHARS} letters, numbers, hyphens or underscores"
            ),
        ));
    }
    let Some(arn) = probes.topics.topic_arn(account, region, name_or_arn) else {
        return Err(reject(
            ErrorKind::InsufficientSnsTopicPolicy,
            "SNS Topic does not exist or the topic policy is incorrect!",
        ));
    };
    let stored_name = arn.rsplit(':').next().unwrap_or(name).to_owned();
    Ok((stored_name, arn))
}

fn is_account(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|byte| byte.is_ascii_digit())
}

fn is_key_id(text: &str) -> bool {
    let is_hex = |part: &str| part.bytes().all(|byte| byte.is_ascii_hexdigit());
    if let Some(rest) = text.strip_prefix("mrk-") {
        return rest.len() == 32 && is_hex(rest);
    }
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, length)| group.len() == length && is_hex(group))
}

fn is_alias_name(alias: &str) -> bool {
    alias.strip_prefix("alias/").is_some_and(|name| {
        !name.is_empty()
            && name.len() <= 250
            && name
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'/' | b'_' | b'-'))
    })
}

/// Turns a KMS key ID (alias name, alias ARN, key ARN or key ID) into the form a trail
/// stores: a key ID becomes a full key ARN and an alias name an alias ARN, both in the
/// trail's home region and account; ARNs stay as given.
pub(crate) fn normalize_kms_key_id(key: &str, region: &str, account: &str) -> Result<String> {
    if key.starts_with("arn:") {
        let parts: Vec<&str> = key.splitn(6, ':').collect();
        if let ["arn", partition, "kms", key_region, key_account, resource] = parts.as_slice() {
            let resource_ok =
                resource.strip_prefix("key/").is_some_and(is_key_id) || is_alias_name(resource);
            if !partition.is_empty()
                && !key_region.is_empty()
                && is_account(key_account)
                && resource_ok
            {
                return Ok(key.to_owned());
            }
        }
    } else if is_alias_name(key) {
        return Ok(format!("arn:{PARTITION}:kms:{region}:{account}:{key}"));
    } else if is_key_id(key) {
        return Ok(format!("arn:{PARTITION}:kms:{region}:{account}:key/{key}"));
    }
    Err(reject(
        ErrorKind::InvalidKmsKeyId,
        format!(
            "KMS key ID `{key}` is not valid; give a key ID, a key ARN, an alias name \
             (alias/name) or an alias ARN"
        ),
    ))
}

fn is_log_group_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(7, ':').collect();
    let ["arn", partition, "logs", region, account, "log-group", rest] = parts.as_slice() else {
        return false;
    };
    let group = rest.strip_suffix(":*").unwrap_or(rest);
    !partition.is_empty()
        && !region.is_empty()
        && is_account(account)
        && !group.is_empty()
        && group.len() <= 512
        && group.bytes().all(|byte| {
            byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-' | b'_' | b'/' | b'#')
        })
}

fn is_role_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let ["arn", partition, "iam", "", account, resource] = parts.as_slice() else {
        return false;
    };
    !partition.is_empty()
        && is_account(account)
        && resource
            .strip_prefix("role/")
            .is_some_and(|name| !name.is_empty() && !name.ends_with('/'))
}

/// Checks the CloudWatch Logs members: malformed values first, then the combination,
/// then the refusal of a well-formed request (OpenTrail cannot deliver to CloudWatch
/// Logs). `None` or an empty text means "not asked for".
pub(crate) fn check_cloud_watch_logs(group: Option<&str>, role: Option<&str>) -> Result<()> {
    let group = group.filter(|text| !text.is_empty());
    let role = role.filter(|text| !text.is_empty());
    if let Some(group) = group
        && !is_log_group_arn(group)
    {
        return Err(reject(
            ErrorKind::InvalidCloudWatchLogsLogGroupArn,
            format!("`{group}` is not a valid CloudWatch Logs log group ARN"),
        ));
    }
    if let Some(role) = role
        && !is_role_arn(role)
    {
        return Err(reject(
            ErrorKind::InvalidCloudWatchLogsRoleArn,
            format!("`{role}` is not a valid IAM role ARN"),
        ));
    }
    match (group, role) {
        (None, None) => Ok(()),
        (Some(_), None) => Err(reject(
            ErrorKind::InvalidCloudWatchLogsRoleArn,
            "You must specify a role ARN as well as a log group.",
        )),
        (None, Some(_)) => Err(reject(
            ErrorKind::InvalidParameterCombination,
            "You must specify a log group as well as a role ARN.",
        )),
        (Some(_), Some(_)) => Err(reject(
            ErrorKind::Unsupported,
            "OpenTrail does not deliver trail events to CloudWatch Logs; leave out \
             CloudWatchLogsLogGroupArn and CloudWatchLogsRoleArn",
        )),
    }
}

/// Checks one request's tags: key and value lengths, reserved keys, keys repeated in the
/// request.
pub(crate) fn check_tags(tags: Vec<TagInput>) -> Result<Vec<Tag>> {
    let mut checked: Vec<Tag> = Vec::with_capacity(tags.len());
    for tag in tags {
        let key_length = tag.key.chars().count();
        if !(1..=MAX_TAG_KEY_CHARS).contains(&key_length) {
            return Err(reject(
                ErrorKind::InvalidTagParameter,
                format!(
                    "tag key `{}` is {key_length} characters long; a key is 1 to \
                     {MAX_TAG_KEY_CHARS} characters",
                    tag.key
                ),
            ));
        }
        if tag.key.to_ascii_lowercase().starts_with("aws:") {
            return Err(reject(
                ErrorKind::InvalidTagParameter,
                format!("tag key `{}` uses the reserved prefix `aws:`", tag.key),
            ));
        }
        if let Some(value) = &tag.value {
            let value_length = value.chars().count();
            if !(1..=MAX_TAG_VALUE_CHARS).contains(&value_length) {
                return Err(reject(
                    ErrorKind::InvalidTagParameter,
                    format!(
                        "the value of tag `{}` is {value_length} characters long; a value is 1 \
                         to {MAX_TAG_VALUE_CHARS} characters",
                        tag.key
                    ),
                ));
            }
        }
        if checked.iter().any(|seen| seen.key == tag.key) {
            return Err(reject(
                ErrorKind::InvalidTagParameter,
                format!(
                    "tag key `{}` appears more than once in the request",
                    tag.key
                ),
            ));
        }
        checked.push(Tag {
            key: tag.key,
            value: tag.value,
        });
    }
    Ok(checked)
}

/// Adds `new` to `existing` (a key already there gets the new value, in place).
///
/// # Errors
///
/// `TagsLimitExceeded` when the result would exceed `limit`.
pub(crate) fn merge_tags(existing: &[Tag], new: Vec<Tag>, limit: usize) -> Result<Vec<Tag>> {
    let mut merged = existing.to_vec();
    for tag in new {
        match merged.iter_mut().find(|seen| seen.key == tag.key) {
            Some(seen) => seen.value = tag.value,
            None => merged.push(tag),
        }
    }
    if merged.len() > limit {
        return Err(reject(
            ErrorKind::TagsLimitExceeded,
            format!(
                "the trail would have {} tags; a trail can have at most {limit}",
                merged.len()
            ),
        ));
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kms_key_ids_are_stored_as_arns() {
        let region = "us-east-2";
        let account = "123456789012";
        let uuid = "1234abcd-12ab-34cd-56ef-1234567890ab";
        assert_eq!(
            normalize_kms_key_id(uuid, region, account).unwrap(),
            format!("arn:aws:kms:us-east-2:123456789012:key/{uuid}")
        );
        assert_eq!(
            normalize_kms_key_id("alias/MyAliasName", region, account).unwrap(),
            "arn:aws:kms:us-east-2:123456789012:alias/MyAliasName"
        );
        for arn in [
            "arn:aws:kms:us-east-2:123456789012:alias/MyAliasName",
            "arn:aws:kms:us-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:kms:us-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab",
        ] {
            assert_eq!(normalize_kms_key_id(arn, region, account).unwrap(), arn);
        }
        for bad in [
            "",
            "alias/",
            "1234abcd",
            "arn:aws:kms:us-east-2:123456789012:key/nope",
            "arn:aws:s3:::bucket",
        ] {
            assert_eq!(
                normalize_kms_key_id(bad, region, account)
                    .unwrap_err()
                    .kind(),
                ErrorKind::InvalidKmsKeyId,
                "{bad}"
            );
        }
    }

    #[test]
    fn bucket_names_follow_s3_rules() {
        for good in ["abc", "my.bucket-1", "a1b"] {
            check_bucket_name(good).unwrap();
        }
        for bad in [
            "ab",
            "My-Bucket",
            "-abc",
            "abc-",
            "a..b",
            "192.168.5.4",
            "xn--abc",
        ] {
            assert_eq!(
                check_bucket_name(bad).unwrap_err().kind(),
                ErrorKind::InvalidS3BucketName,
                "{bad}"
            );
        }
    }
}
