//! ARN shapes selectors accept: the "all resources" forms and exact resource ARNs.

/// `DataResources.Type` / `resources.type` of S3 objects.
pub(crate) const S3_OBJECT: &str = "AWS::S3::Object";
/// `DataResources.Type` / `resources.type` of Lambda functions.
pub(crate) const LAMBDA_FUNCTION: &str = "AWS::Lambda::Function";
/// `DataResources.Type` / `resources.type` of DynamoDB tables.
pub(crate) const DYNAMODB_TABLE: &str = "AWS::DynamoDB::Table";

/// The colon-separated parts of an ARN, `arn:<partition>:<service>:<region>:<account>:<resource>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ArnParts<'a> {
    pub(crate) service: &'a str,
    pub(crate) region: &'a str,
    pub(crate) account: &'a str,
    pub(crate) resource: &'a str,
}

/// Splits a full ARN; `None` unless it has all six parts, a known partition shape and a
/// lowercase service name. Region and account may be empty (S3 object ARNs have neither).
pub(crate) fn split_arn(value: &str) -> Option<ArnParts<'_>> {
    let mut parts = value.splitn(6, ':');
    let (Some("arn"), Some(partition), Some(service), Some(region), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let region_ok = region.is_empty() || is_region(region);
    let account_ok = account.is_empty() || is_account(account);
    (is_partition(partition) && is_service(service) && region_ok && account_ok).then_some(
        ArnParts {
            service,
            region,
            account,
            resource,
        },
    )
}

/// `aws`, or `aws-<suffix>` (`aws-cn`, `aws-us-gov`, ...).
fn is_partition(partition: &str) -> bool {
    match partition.strip_prefix("aws") {
        Some("") => true,
        Some(suffix) => suffix
            .strip_prefix('-')
            .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(is_lower_alnum_or_hyphen)),
        None => false,
    }
}

fn is_service(service: &str) -> bool {
    !service.is_empty() && service.bytes().all(is_lower_alnum_or_hyphen)
}

/// Any lowercase region-like name: our fixtures hold anonymised names such as
/// `apiso-centralnorth-2r`, so no fixed region list is checked.
fn is_region(region: &str) -> bool {
    !region.is_empty() && region.bytes().all(is_lower_alnum_or_hyphen)
}

fn is_account(account: &str) -> bool {
    account.len() == 12 && account.bytes().all(|byte| byte.is_ascii_digit())
}

fn is_lower_alnum_or_hyphen(byte: u8) -> bool {
    byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-'
}

/// Tells whether `value` is `arn:<partition>:<service>` with nothing after: the form that
/// selects every resource of a service (`arn:aws:s3`, `arn:aws:lambda`, `arn:aws:dynamodb`).
pub(crate) fn is_all_resources_form(value: &str, service: &str) -> bool {
    let mut parts = value.split(':');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("arn"), Some(partition), Some(found), None)
            if is_partition(partition) && found == service
    )
}

/// `arn:<partition>:s3:::` — the legacy "all buckets" S3 form.
fn is_legacy_all_s3_form(value: &str) -> bool {
    value
        .strip_suffix(":::")
        .is_some_and(|head| is_all_resources_form(head, "s3"))
}

/// A bucket name as S3 accepts it, legacy (us-east-1 before 2018) names included.
fn is_bucket_name(bucket: &str) -> bool {
    (1..=255).contains(&bucket.len())
        && bucket
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-' | b'_'))
}

/// The bucket and key of `arn:<partition>:s3:::<bucket>/<key>`; the key may be empty.
fn split_s3_object_arn(value: &str) -> Option<(&str, &str)> {
    let parts = split_arn(value)?;
    if parts.service != "s3" || !parts.region.is_empty() || !parts.account.is_empty() {
        return None;
    }
    let (bucket, key) = parts.resource.split_once('/')?;
    is_bucket_name(bucket).then_some((bucket, key))
}

/// A Lambda function name, optionally followed by `:<version or alias>`.
fn is_function_name_with_qualifier(resource: &str) -> bool {
    let (name, qualifier) = match resource.split_once(':') {
        Some((name, qualifier)) => (name, Some(qualifier)),
        None => (resource, None),
    };
    let name_ok = (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_'));
    let qualifier_ok = qualifier.is_none_or(|qualifier| {
        (1..=128).contains(&qualifier.len())
            && qualifier
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'$'))
    });
    name_ok && qualifier_ok
}

/// `arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]`.
pub(crate) fn is_lambda_function_arn(value: &str) -> bool {
    split_arn(value).is_some_and(|parts| {
        parts.service == "lambda"
            && !parts.region.is_empty()
            && !parts.account.is_empty()
            && parts
                .resource
                .strip_prefix("function:")
                .is_some_and(is_function_name_with_qualifier)
    })
}

/// `arn:<partition>:dynamodb:<region>:<account>:table/<name>`.
pub(crate) fn is_dynamodb_table_arn(value: &str) -> bool {
    split_arn(value).is_some_and(|parts| {
        parts.service == "dynamodb"
            && !parts.region.is_empty()
            && !parts.account.is_empty()
            && parts.resource.strip_prefix("table/").is_some_and(|name| {
                (3..=255).contains(&name.len())
                    && name.bytes().all(|byte| {
                        byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.')
                    })
            })
    })
}

/// Tells whether `value` is a valid basic `DataResources.Values` entry for `resource_type`
/// (§5.1): the all-resources form, or for S3 `arn:aws:s3:::` and bucket/prefix ARNs (a whole
/// bucket needs its trailing `/`), for Lambda and DynamoDB an exact function/table ARN.
pub(crate) fn is_basic_data_resource_value(resource_type: &str, value: &str) -> bool {
    match resource_type {
        S3_OBJECT => {
            is_all_resources_form(value, "s3")
                || is_legacy_all_s3_form(value)
                || split_s3_object_arn(value).is_some()
        }
        LAMBDA_FUNCTION => is_all_resources_form(value, "lambda") || is_lambda_function_arn(value),
        DYNAMODB_TABLE => is_all_resources_form(value, "dynamodb") || is_dynamodb_table_arn(value),
        _ => false,
    }
}

/// Tells whether `value` is an exact ARN of a resource of `resource_type`, as `Equals` and
/// `NotEquals` on `resources.ARN` require (§5.2). The three basic types are checked in
/// detail; for any other type the value must be a complete ARN with a resource part.
pub(crate) fn is_exact_resource_arn(resource_type: &str, value: &str) -> bool {
    match resource_type {
        S3_OBJECT => split_s3_object_arn(value).is_some_and(|(_, key)| !key.is_empty()),
        LAMBDA_FUNCTION => is_lambda_function_arn(value),
        DYNAMODB_TABLE => is_dynamodb_table_arn(value),
        _ => split_arn(value).is_some_and(|parts| !parts.resource.is_empty()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_resources_forms() {
        assert!(is_all_resources_form("arn:aws:s3", "s3"));
        assert!(is_all_resources_form("arn:aws-cn:lambda", "lambda"));
        assert!(!is_all_resources_form("arn:aws:s3:", "s3"));
        assert!(!is_all_resources_form("arn:aws:lambda:*", "lambda"));
        assert!(!is_all_resources_form("arn:azure:s3", "s3"));
        assert!(is_legacy_all_s3_form("arn:aws:s3:::"));
    }

    #[test]
    fn s3_values_need_a_slash_after_the_bucket() {
        assert!(is_basic_data_resource_value(
            S3_OBJECT,
            "arn:aws:s3:::bucket/"
        ));
        assert!(is_basic_data_resource_value(
            S3_OBJECT,
            "arn:aws:s3:::bucket/logs/2024"
        ));
        assert!(!is_basic_data_resource_value(
            S3_OBJECT,
            "arn:aws:s3:::bucket"
        ));
        assert!(!is_basic_data_resource_value(S3_OBJECT, "arn:aws:s3:::*"));
        assert!(!is_basic_data_resource_value(
            S3_OBJECT,
            "arn:aws:s3:::cg-*/*"
        ));
        assert!(!is_basic_data_resource_value(
            S3_OBJECT,
            "arn:aws:s3:us-east-1::b/"
        ));
    }

    #[test]
    fn exact_arns() {
        let function = "arn:aws:lambda:us-west-2:111111111111:function:helloworld";
        assert!(is_exact_resource_arn(LAMBDA_FUNCTION, function));
        assert!(is_exact_resource_arn(
            LAMBDA_FUNCTION,
            &format!("{function}:PROD")
        ));
        assert!(!is_exact_resource_arn(
            LAMBDA_FUNCTION,
            "arn:aws:lambda:us-west-2:1:function:x"
        ));
        assert!(!is_exact_resource_arn(LAMBDA_FUNCTION, "arn:aws:lambda"));
        let table = "arn:aws:dynamodb:us-east-1:111122223333:table/Music";
        assert!(is_exact_resource_arn(DYNAMODB_TABLE, table));
        assert!(!is_exact_resource_arn(
            DYNAMODB_TABLE,
            "arn:aws:dynamodb:us-east-1:111122223333:table/"
        ));
        assert!(is_exact_resource_arn(S3_OBJECT, "arn:aws:s3:::bucket/key"));
        assert!(!is_exact_resource_arn(S3_OBJECT, "arn:aws:s3:::bucket/"));
        assert!(is_exact_resource_arn(
            "AWS::SNS::Topic",
            "arn:aws:sns:us-east-1:111122223333:topic"
        ));
        assert!(!is_exact_resource_arn("AWS::SNS::Topic", "topic"));
    }
}
