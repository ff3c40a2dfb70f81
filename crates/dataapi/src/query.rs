//! The query parameters of `PutAuditEvents`: `channelArn` (ARN or ID) and `externalId`.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;

use crate::error::{RequestError, RequestErrorCode, Result};
use crate::wire::{CHANNEL_ARN_PARAMETER, EXTERNAL_ID_PARAMETER};

/// Longest channel ID, alone or as the suffix of a channel ARN (the rule the Lake crate
/// applies to `Channel` parameters, so both accept the same references).
pub const MAX_CHANNEL_ID_CHARS: usize = 128;
/// Shortest `externalId` (model `ExternalId.min`).
pub const MIN_EXTERNAL_ID_CHARS: usize = 2;
/// Longest `externalId` (model `ExternalId.max`).
pub const MAX_EXTERNAL_ID_CHARS: usize = 1224;

/// A channel named by `channelArn`: the model's `^arn:.*$`, or the bare ID (the ARN
/// suffix), which the documentation accepts too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelReference {
    /// `arn:<partition>:cloudtrail:<region>:<account>:channel/<id>`.
    Arn {
        /// The partition (`aws`, `aws-cn`, …).
        partition: String,
        /// The channel's Region.
        region: String,
        /// The account owning the channel (12 digits).
        account: String,
        /// The channel ID.
        id: String,
    },
    /// The channel ID alone.
    Id(String),
}

impl ChannelReference {
    /// Parses a `channelArn` value.
    ///
    /// An ID is 1–128 characters of `[A-Za-z0-9-]`; an ARN must have the service
    /// `cloudtrail`, a non-empty Region of `[a-z0-9-]`, a 12-digit account and the
    /// resource `channel/<id>`.
    ///
    /// # Errors
    ///
    /// `InvalidChannelARN` when `text` is neither form.
    pub fn parse(text: &str) -> Result<ChannelReference> {
        parse_channel_reference(text).ok_or_else(|| {
            RequestError::new(
                RequestErrorCode::InvalidChannelArn,
                format!(
                    "`{}` is not a valid channel ARN or ID; the ARN format is \
                     arn:aws:cloudtrail:<region>:<account>:channel/<id>",
                    excerpt(text)
                ),
            )
        })
    }

    /// Returns the channel ID.
    pub fn id(&self) -> &str {
        match self {
            ChannelReference::Arn { id, .. } | ChannelReference::Id(id) => id,
        }
    }
}

fn is_channel_id(text: &str) -> bool {
    (1..=MAX_CHANNEL_ID_CHARS).contains(&text.len())
        && text
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
}

fn parse_channel_reference(text: &str) -> Option<ChannelReference> {
    if !text.starts_with("arn:") {
        return is_channel_id(text).then(|| ChannelReference::Id(text.to_owned()));
    }
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    let ["arn", partition, "cloudtrail", region, account, resource] = parts.as_slice() else {
        return None;
    };
    let id = resource.strip_prefix("channel/")?;
    let well_formed = !partition.is_empty()
        && partition
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte == b'-')
        && !region.is_empty()
        && region
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
        && account.len() == 12
        && account.bytes().all(|byte| byte.is_ascii_digit())
        && is_channel_id(id);
    well_formed.then(|| ChannelReference::Arn {
        partition: (*partition).to_owned(),
        region: (*region).to_owned(),
        account: (*account).to_owned(),
        id: id.to_owned(),
    })
}

/// The checked query parameters of a `PutAuditEvents` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PutAuditEventsQuery {
    /// The channel, as named by `channelArn`.
    pub channel: ChannelReference,
    /// The `externalId`, when given (2–1224 characters of `[\w+=,.@:/-]`).
    pub external_id: Option<String>,
}

impl PutAuditEventsQuery {
    /// Checks the decoded values of `channelArn` and `externalId`.
    ///
    /// # Errors
    ///
    /// `ValidationException` when `channelArn` is missing or `externalId` breaks its
    /// length or pattern; `InvalidChannelARN` when `channelArn` is malformed.
    pub fn parse(channel_arn: Option<&str>, external_id: Option<&str>) -> Result<Self> {
        let Some(channel_arn) = channel_arn else {
            return Err(RequestError::validation(format!(
                "query parameter `{CHANNEL_ARN_PARAMETER}` is required"
            )));
        };
        let channel = ChannelReference::parse(channel_arn)?;
        if let Some(external_id) = external_id {
            validate_external_id(external_id)?;
        }
        Ok(PutAuditEventsQuery {
            channel,
            external_id: external_id.map(str::to_owned),
        })
    }

    /// Parses the raw (percent-encoded) query string of the request URI, without the `?`.
    ///
    /// `%XX` sequences are decoded; `+` stays a plus sign (botocore encodes a space as
    /// `%20`, and `+` is a legal `externalId` character). Other parameters are ignored.
    ///
    /// # Errors
    ///
    /// `ValidationException` when a parameter is given twice or does not decode to
    /// UTF-8, and the errors of [`PutAuditEventsQuery::parse`].
    pub fn from_query_string(query: &str) -> Result<Self> {
        let mut channel_arn: Option<Cow<'_, str>> = None;
        let mut external_id: Option<Cow<'_, str>> = None;
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = decode_component(raw_name)?;
            let slot = match name.as_ref() {
                CHANNEL_ARN_PARAMETER => &mut channel_arn,
                EXTERNAL_ID_PARAMETER => &mut external_id,
                _ => continue,
            };
            if slot.is_some() {
                return Err(RequestError::validation(format!(
                    "query parameter `{name}` is given more than once"
                )));
            }
            *slot = Some(decode_component(raw_value)?);
        }
        PutAuditEventsQuery::parse(channel_arn.as_deref(), external_id.as_deref())
    }
}

fn decode_component(raw: &str) -> Result<Cow<'_, str>> {
    percent_decode_str(raw).decode_utf8().map_err(|_| {
        RequestError::validation(format!(
            "query component `{}` does not decode to UTF-8",
            excerpt(raw)
        ))
    })
}

/// Checks `externalId` against the model: 2–1224 characters matching
/// `^[\w+=,.@:\/-]*$`, where `\w` is the ASCII word class (AWS validates with Java
/// regular expressions).
fn validate_external_id(external_id: &str) -> Result<()> {
    let length = external_id.chars().count();
    if !(MIN_EXTERNAL_ID_CHARS..=MAX_EXTERNAL_ID_CHARS).contains(&length) {
        return Err(RequestError::validation(format!(
            "`{EXTERNAL_ID_PARAMETER}` is {length} characters long; it must be \
             {MIN_EXTERNAL_ID_CHARS} to {MAX_EXTERNAL_ID_CHARS} characters"
        )));
    }
    let pattern_ok = external_id.bytes().all(|byte| {
        byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'_' | b'+' | b'=' | b',' | b'.' | b'@' | b':' | b'/' | b'-'
            )
    });
    if !pattern_ok {
        return Err(RequestError::validation(format!(
            "`{EXTERNAL_ID_PARAMETER}` value `{}` does not match the pattern \
             ^[\\w+=,.@:\\/-]*$",
            excerpt(external_id)
        )));
    }
    Ok(())
}

/// At most 128 characters of a caller-supplied value, for error messages.
pub(crate) fn excerpt(text: &str) -> Cow<'_, str> {
    const MAX_EXCERPT_CHARS: usize = 128;
    match text.char_indices().nth(MAX_EXCERPT_CHARS) {
        None => Cow::Borrowed(text),
        Some((cut, _)) => Cow::Owned(format!("{}…", &text[..cut])),
    }
}
