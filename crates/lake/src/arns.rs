//! Names, ARNs and the "ARN or ID" parameters of event data stores and channels.

use crate::error::{Error, ErrorKind, Result};

/// The partition OpenTrail writes into the ARNs it makes.
pub const PARTITION: &str = "aws";
/// Shortest store or channel name.
pub const MIN_NAME_CHARS: usize = 3;
/// Longest store or channel name.
pub const MAX_NAME_CHARS: usize = 128;
/// Longest ID accepted in place of an ARN.
const MAX_ID_CHARS: usize = 128;

/// The ARN of the event data store `id` of `account` created in `region`.
pub fn event_data_store_arn(region: &str, account: &str, id: &str) -> String {
    format!("arn:{PARTITION}:cloudtrail:{region}:{account}:eventdatastore/{id}")
}

/// The ARN of the channel `id` of `account` in `region`.
pub fn channel_arn(region: &str, account: &str, id: &str) -> String {
    format!("arn:{PARTITION}:cloudtrail:{region}:{account}:channel/{id}")
}

/// The Lake resources an ARN may name in tagging and resource-policy calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LakeResourceType {
    /// `…:eventdatastore/<id>`.
    EventDataStore,
    /// `…:channel/<id>`.
    Channel,
}

/// Tells whether `text` is a CloudTrail ARN of an event data store or a channel (the
/// API routes tagging calls on this; it does not check the rest of the ARN).
pub fn lake_resource_type(text: &str) -> Option<LakeResourceType> {
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    let ["arn", _, "cloudtrail", _, _, resource] = parts.as_slice() else {
        return None;
    };
    if resource.starts_with("eventdatastore/") {
        Some(LakeResourceType::EventDataStore)
    } else if resource.starts_with("channel/") {
        Some(LakeResourceType::Channel)
    } else {
        None
    }
}

/// Checks a store or channel name: 3–128 characters of `[a-zA-Z0-9._-]`.
///
/// # Errors
///
/// `InvalidParameter` naming the rule broken.
pub fn validate_name(what: &str, name: &str) -> Result<()> {
    let length = name.chars().count();
    if !(MIN_NAME_CHARS..=MAX_NAME_CHARS).contains(&length) {
        return Err(Error::rejected(
            ErrorKind::InvalidParameter,
            format!(
                "{what} name `{name}` is {length} characters long; it must be \
                 {MIN_NAME_CHARS} to {MAX_NAME_CHARS} characters"
            ),
        ));
    }
    let pattern_ok = name
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-'));
    if !pattern_ok {
        return Err(Error::rejected(
            ErrorKind::InvalidParameter,
            format!(
                "{what} name `{name}` is not valid; it may contain only letters, numbers, \
                 periods (.), underscores (_) and hyphens (-)"
            ),
        ));
    }
    Ok(())
}

/// A resource named by ARN or by ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reference {
    /// A well-formed ARN of the expected type.
    Arn {
        /// The region in the ARN (the resource's home region).
        region: String,
        /// The account in the ARN.
        account: String,
        /// The ID part.
        id: String,
    },
    /// A bare ID.
    Id(String),
}

impl Reference {
    pub(crate) fn id(&self) -> &str {
        match self {
            Reference::Arn { id, .. } | Reference::Id(id) => id,
        }
    }
}

fn is_id(text: &str) -> bool {
    (1..=MAX_ID_CHARS).contains(&text.len())
        && text
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
}

fn is_account(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|byte| byte.is_ascii_digit())
}

/// Parses `text` as an ARN whose resource part is `<resource_type>/<id>`, or as a bare
/// ID; `None` when it is neither.
fn parse_reference(text: &str, resource_type: &str) -> Option<Reference> {
    if !text.starts_with("arn:") {
        return is_id(text).then(|| Reference::Id(text.to_owned()));
    }
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    let ["arn", partition, "cloudtrail", region, account, resource] = parts.as_slice() else {
        return None;
    };
    let (kind, id) = resource.split_once('/')?;
    let well_formed = !partition.is_empty()
        && !region.is_empty()
        && region
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
        && is_account(account)
        && kind == resource_type
        && is_id(id);
    well_formed.then(|| Reference::Arn {
        region: (*region).to_owned(),
        account: (*account).to_owned(),
        id: id.to_owned(),
    })
}

/// Parses an `EventDataStore` parameter (ARN or ID).
pub(crate) fn parse_store_reference(text: &str) -> Result<Reference> {
    parse_reference(text, "eventdatastore").ok_or_else(|| {
        Error::rejected(
            ErrorKind::EventDataStoreArnInvalid,
            format!(
                "`{text}` is not a valid event data store ARN or ID; the ARN format is \
                 arn:aws:cloudtrail:<region>:<account>:eventdatastore/<id>"
            ),
        )
    })
}

/// Parses a `Channel` parameter (ARN or ID).
pub(crate) fn parse_channel_reference(text: &str) -> Result<Reference> {
    parse_reference(text, "channel").ok_or_else(|| {
        Error::rejected(
            ErrorKind::ChannelArnInvalid,
            format!(
                "`{text}` is not a valid channel ARN or ID; the ARN format is \
                 arn:aws:cloudtrail:<region>:<account>:channel/<id>"
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_arns_or_ids() {
        let arn = "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/0a1b-2c";
        assert_eq!(
            parse_store_reference(arn).unwrap(),
            Reference::Arn {
                region: String::from("us-east-1"),
                account: String::from("111122223333"),
                id: String::from("0a1b-2c"),
            }
        );
        assert_eq!(
            parse_store_reference("0a1b-2c").unwrap(),
            Reference::Id(String::from("0a1b-2c"))
        );
        for bad in [
            "",
            "arn:aws:cloudtrail:us-east-1:111122223333:channel/0a1b",
            "arn:aws:cloudtrail:us-east-1:1111:eventdatastore/0a1b",
            "arn:aws:cloudtrail::111122223333:eventdatastore/0a1b",
            "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/",
            "arn:aws:s3:::bucket",
            "not an id",
        ] {
            assert_eq!(
                parse_store_reference(bad).unwrap_err().kind(),
                ErrorKind::EventDataStoreArnInvalid,
                "{bad}"
            );
        }
        assert_eq!(
            parse_channel_reference(arn).unwrap_err().kind(),
            ErrorKind::ChannelArnInvalid
        );
    }

    #[test]
    fn lake_arns_are_recognized_by_resource_type() {
        assert_eq!(
            lake_resource_type("arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/x"),
            Some(LakeResourceType::EventDataStore)
        );
        assert_eq!(
            lake_resource_type("arn:aws:cloudtrail:us-east-1:111122223333:channel/x"),
            Some(LakeResourceType::Channel)
        );
        assert_eq!(
            lake_resource_type("arn:aws:cloudtrail:us-east-1:111122223333:trail/x"),
            None
        );
        assert_eq!(lake_resource_type("eventdatastore/x"), None);
    }
}
