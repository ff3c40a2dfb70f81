//! Checks of members shared by the operations: tags, KMS key IDs, retention, resource
//! policies, context key selectors, and page tokens.

use crate::arns::PARTITION;
use crate::error::{Error, ErrorKind, Result};
use crate::model::{
    BillingMode, ContextKeySelector, ContextKeySelectorInput, ContextKeyType, MIN_RETENTION_DAYS,
    Tag, TagInput,
};

/// Longest tag key.
pub const MAX_TAG_KEY_CHARS: usize = 128;
/// Longest tag value.
pub const MAX_TAG_VALUE_CHARS: usize = 256;
/// Longest resource policy, in characters.
pub const MAX_RESOURCE_POLICY_CHARS: usize = 8192;
/// Most context key selectors per store.
pub const MAX_CONTEXT_KEY_SELECTORS: usize = 2;
/// Most keys in one context key selector.
pub const MAX_CONTEXT_KEYS: usize = 50;
/// Longest context key.
pub const MAX_CONTEXT_KEY_CHARS: usize = 128;
/// Longest KMS key ID.
const MAX_KMS_KEY_ID_CHARS: usize = 350;
/// Marks the page tokens this registry issues.
const TOKEN_PREFIX: &str = "otl1";

fn reject(kind: ErrorKind, message: impl Into<String>) -> Error {
    Error::rejected(kind, message)
}

/// Checks one request's tags: key and value lengths, reserved keys, keys repeated.
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

/// Adds `new` to `existing` (a key already there gets the new value, in place); refuses
/// with `over_limit` when the result would have more than `limit` tags.
pub(crate) fn merge_tags(
    existing: &[Tag],
    new: Vec<Tag>,
    limit: usize,
    over_limit: ErrorKind,
) -> Result<Vec<Tag>> {
    let mut merged = existing.to_vec();
    for tag in new {
        match merged.iter_mut().find(|seen| seen.key == tag.key) {
            Some(seen) => seen.value = tag.value,
            None => merged.push(tag),
        }
    }
    if merged.len() > limit {
        return Err(reject(
            over_limit,
            format!(
                "the resource would have {} tags; a resource can have at most {limit}",
                merged.len()
            ),
        ));
    }
    Ok(merged)
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

/// Turns a KMS key ID (alias name, alias ARN, key ARN or key ID) into the form a store
/// keeps and echoes: a key ID becomes a key ARN and an alias name an alias ARN, both in
/// the store's home region and account; ARNs stay as given. OpenTrail does not encrypt
/// with the key (it has no KMS): the value is kept so that clients see what they set.
pub(crate) fn normalize_kms_key_id(key: &str, region: &str, account: &str) -> Result<String> {
    if key.len() <= MAX_KMS_KEY_ID_CHARS {
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
    }
    Err(reject(
        ErrorKind::InvalidKmsKeyId,
        format!(
            "KMS key ID `{key}` is not valid; give a key ID, a key ARN, an alias name \
             (alias/name) or an alias ARN"
        ),
    ))
}

/// Parses a `BillingMode`.
pub(crate) fn parse_billing_mode(text: &str) -> Result<BillingMode> {
    BillingMode::from_wire(text).ok_or_else(|| {
        reject(
            ErrorKind::InvalidParameter,
            format!(
                "BillingMode `{text}` is not valid; use EXTENDABLE_RETENTION_PRICING or \
                 FIXED_RETENTION_PRICING"
            ),
        )
    })
}

/// Checks a retention period against the billing mode's range.
pub(crate) fn check_retention(days: i64, mode: BillingMode) -> Result<u32> {
    let max = mode.max_retention_days();
    match u32::try_from(days) {
        Ok(days) if (MIN_RETENTION_DAYS..=max).contains(&days) => Ok(days),
        _ => Err(reject(
            ErrorKind::InvalidParameter,
            format!(
                "RetentionPeriod `{days}` is not valid; with BillingMode {} it must be \
                 {MIN_RETENTION_DAYS} to {max} days",
                mode.as_str()
            ),
        )),
    }
}

/// Checks a resource policy: a JSON object of 1 to 8192 characters.
pub(crate) fn check_resource_policy(policy: &str) -> Result<()> {
    let length = policy.chars().count();
    if !(1..=MAX_RESOURCE_POLICY_CHARS).contains(&length) {
        return Err(reject(
            ErrorKind::ResourcePolicyNotValid,
            format!(
                "the resource policy is {length} characters long; it must be 1 to \
                 {MAX_RESOURCE_POLICY_CHARS} characters"
            ),
        ));
    }
    match serde_json::from_str::<serde_json::Value>(policy) {
        Ok(serde_json::Value::Object(_)) => Ok(()),
        Ok(_) => Err(reject(
            ErrorKind::ResourcePolicyNotValid,
            "the resource policy is not a JSON object",
        )),
        Err(error) => Err(reject(
            ErrorKind::ResourcePolicyNotValid,
            format!("the resource policy is not valid JSON: {error}"),
        )),
    }
}

/// Checks context key selectors: at most two, one per type, each with 1–50 keys of
/// 1–128 characters.
pub(crate) fn check_context_key_selectors(
    selectors: Vec<ContextKeySelectorInput>,
) -> Result<Vec<ContextKeySelector>> {
    if selectors.len() > MAX_CONTEXT_KEY_SELECTORS {
        return Err(reject(
            ErrorKind::InvalidParameter,
            format!(
                "ContextKeySelectors has {} selectors; give at most {MAX_CONTEXT_KEY_SELECTORS}",
                selectors.len()
            ),
        ));
    }
    let mut checked: Vec<ContextKeySelector> = Vec::with_capacity(selectors.len());
    for selector in selectors {
        let selector_type = match selector.selector_type.as_str() {
            "TagContext" => ContextKeyType::TagContext,
            "RequestContext" => ContextKeyType::RequestContext,
            other => {
                return Err(reject(
                    ErrorKind::InvalidParameter,
                    format!(
                        "context key selector Type `{other}` is not valid; use TagContext or \
                         RequestContext"
                    ),
                ));
            }
        };
        if checked
            .iter()
            .any(|seen| seen.selector_type == selector_type)
        {
            return Err(reject(
                ErrorKind::InvalidParameter,
                format!(
                    "context key selector Type `{}` appears more than once",
                    selector_type.as_str()
                ),
            ));
        }
        if !(1..=MAX_CONTEXT_KEYS).contains(&selector.equals.len()) {
            return Err(reject(
                ErrorKind::InvalidParameter,
                format!(
                    "context key selector `{}` has {} keys; give 1 to {MAX_CONTEXT_KEYS}",
                    selector_type.as_str(),
                    selector.equals.len()
                ),
            ));
        }
        for key in &selector.equals {
            if !(1..=MAX_CONTEXT_KEY_CHARS).contains(&key.chars().count()) {
                return Err(reject(
                    ErrorKind::InvalidParameter,
                    format!(
                        "context key `{key}` is not valid; a key is 1 to \
                         {MAX_CONTEXT_KEY_CHARS} characters"
                    ),
                ));
            }
        }
        checked.push(ContextKeySelector {
            selector_type,
            equals: selector.equals,
        });
    }
    Ok(checked)
}

/// The page size for `MaxResults` (1–1000), or `default` when absent.
pub(crate) fn page_size(max_results: Option<i64>, default: usize) -> Result<usize> {
    match max_results {
        None => Ok(default.max(1)),
        Some(value) if (1..=1000).contains(&value) => usize::try_from(value)
            .map_err(|_| Error::Internal(format!("page size `{value}` does not fit"))),
        Some(value) => Err(reject(
            ErrorKind::InvalidMaxResults,
            format!("MaxResults `{value}` is not valid; give 1 to 1000"),
        )),
    }
}

/// The opaque token of the page after the resource with ARN `last`.
pub(crate) fn encode_token(last: &str) -> String {
    let mut token = String::from(TOKEN_PREFIX);
    for byte in last.bytes() {
        token.push_str(&format!("{byte:02x}"));
    }
    token
}

/// The ARN a token issued by [`encode_token`] carries.
pub(crate) fn decode_token(token: &str) -> Result<String> {
    let invalid = || {
        reject(
            ErrorKind::InvalidNextToken,
            format!("NextToken `{token}` was not issued by this server"),
        )
    };
    let hex = token.strip_prefix(TOKEN_PREFIX).ok_or_else(invalid)?;
    if hex.is_empty() || hex.len() % 2 != 0 || token.len() > 1000 {
        return Err(invalid());
    }
    let mut bytes = Vec::with_capacity(hex.len() / 2);
    for pair in hex.as_bytes().chunks(2) {
        let text = std::str::from_utf8(pair).map_err(|_| invalid())?;
        bytes.push(u8::from_str_radix(text, 16).map_err(|_| invalid())?);
    }
    let last = String::from_utf8(bytes).map_err(|_| invalid())?;
    if !last.starts_with("arn:") {
        return Err(invalid());
    }
    Ok(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_foreign_ones_are_refused() {
        let arn = "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/abc";
        assert_eq!(decode_token(&encode_token(arn)).unwrap(), arn);
        for bad in ["", "otl1", "otl1zz", "otl1616", "abcd", "otl16162"] {
            assert_eq!(
                decode_token(bad).unwrap_err().kind(),
                ErrorKind::InvalidNextToken,
                "{bad}"
            );
        }
    }

    #[test]
    fn kms_key_ids_are_kept_as_arns() {
        let uuid = "1234abcd-12ab-34cd-56ef-1234567890ab";
        assert_eq!(
            normalize_kms_key_id(uuid, "us-east-2", "123456789012").unwrap(),
            format!("arn:aws:kms:us-east-2:123456789012:key/{uuid}")
        );
        assert_eq!(
            normalize_kms_key_id("alias/Mine", "us-east-2", "123456789012").unwrap(),
            "arn:aws:kms:us-east-2:123456789012:alias/Mine"
        );
        for bad in [
            "",
            "alias/",
            "nope",
            "arn:aws:kms:us-east-2:123456789012:key/x",
        ] {
            assert_eq!(
                normalize_kms_key_id(bad, "us-east-2", "123456789012")
                    .unwrap_err()
                    .kind(),
                ErrorKind::InvalidKmsKeyId
            );
        }
    }

    #[test]
    fn resource_policies_must_be_json_objects() {
        check_resource_policy(r#"{"Version":"2012-10-17","Statement":[]}"#).unwrap();
        for bad in ["", "[]", "{", "\"text\""] {
            assert_eq!(
                check_resource_policy(bad).unwrap_err().kind(),
                ErrorKind::ResourcePolicyNotValid
            );
        }
        let long = format!("{{\"a\":\"{}\"}}", "x".repeat(8200));
        assert_eq!(
            check_resource_policy(&long).unwrap_err().kind(),
            ErrorKind::ResourcePolicyNotValid
        );
    }
}
