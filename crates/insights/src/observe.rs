//! What the analyzer reads of one record: a borrowed parse of the few members Insights
//! counts and attributes by.

use std::borrow::Cow;

use opentrail_event::EventCategory;
use opentrail_types::Timestamp;
use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer};

/// The members of one record that Insights reads, borrowed from its JSON where the
/// strings have no escapes.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation<'a> {
    /// `eventTime`.
    pub time: Timestamp,
    /// `recipientAccountId`.
    pub account: Cow<'a, str>,
    /// `awsRegion`.
    pub region: Cow<'a, str>,
    /// The category, given or derived as `opentrail-event` derives it.
    pub category: EventCategory,
    /// `readOnly`: `true`/`false` or the strings `"true"`/`"false"`; else unknown.
    pub read_only: Option<bool>,
    /// `eventSource`.
    pub event_source: Cow<'a, str>,
    /// `eventName`.
    pub event_name: Cow<'a, str>,
    /// `errorCode`, when the call failed.
    pub error_code: Option<Cow<'a, str>>,
    /// `userIdentity.arn`.
    pub user_arn: Option<Cow<'a, str>>,
    /// `userAgent`.
    pub user_agent: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Raw<'a> {
    #[serde(rename = "eventTime", borrow, default)]
    event_time: Option<Cow<'a, str>>,
    #[serde(rename = "recipientAccountId", borrow, default)]
    recipient_account_id: Option<Cow<'a, str>>,
    #[serde(rename = "awsRegion", borrow, default)]
    aws_region: Option<Cow<'a, str>>,
    #[serde(rename = "eventCategory", borrow, default)]
    event_category: Option<Cow<'a, str>>,
    #[serde(rename = "eventType", borrow, default)]
    event_type: Option<Cow<'a, str>>,
    #[serde(rename = "managementEvent", default, deserialize_with = "flag")]
    management_event: Option<bool>,
    #[serde(rename = "insightDetails", default)]
    insight_details: Option<IgnoredAny>,
    #[serde(rename = "readOnly", default, deserialize_with = "flag")]
    read_only: Option<bool>,
    #[serde(rename = "eventSource", borrow, default)]
    event_source: Option<Cow<'a, str>>,
    #[serde(rename = "eventName", borrow, default)]
    event_name: Option<Cow<'a, str>>,
    #[serde(rename = "errorCode", borrow, default)]
    error_code: Option<Cow<'a, str>>,
    #[serde(rename = "userIdentity", borrow, default)]
    user_identity: Option<Identity<'a>>,
    #[serde(rename = "userAgent", borrow, default)]
    user_agent: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Identity<'a> {
    #[serde(borrow, default)]
    arn: Option<Cow<'a, str>>,
}

/// `true`/`false` as JSON booleans or as the strings CloudTrail sometimes writes; any
/// other value is unknown rather than an error, so one odd record is never refused.
fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag<'a> {
        Bool(bool),
        #[serde(borrow)]
        Text(Cow<'a, str>),
        Other(IgnoredAny),
    }
    Ok(match Flag::deserialize(deserializer)? {
        Flag::Bool(value) => Some(value),
        Flag::Text(text) if text == "true" => Some(true),
        Flag::Text(text) if text == "false" => Some(false),
        Flag::Text(_) | Flag::Other(_) => None,
    })
}

impl<'a> Observation<'a> {
    /// Reads one record's JSON. `None` when it is not an object, a member Insights needs
    /// (`eventTime`, `recipientAccountId`, `awsRegion`, `eventSource`, `eventName`) is
    /// missing or has another type, or the time does not parse: such a record cannot be
    /// counted anywhere, and ingest already refused records without them.
    pub fn parse(bytes: &'a [u8]) -> Option<Observation<'a>> {
        let raw: Raw<'a> = serde_json::from_slice(bytes).ok()?;
        let category = EventCategory::derive(
            raw.event_category.as_deref(),
            raw.event_type.as_deref(),
            raw.insight_details.is_some(),
            raw.management_event,
        );
        let time = Timestamp::parse_event_time(raw.event_time.as_deref()?).ok()?;
        Some(Observation {
            time,
            account: raw.recipient_account_id?,
            region: raw.aws_region?,
            category,
            read_only: raw.read_only,
            event_source: raw.event_source?,
            event_name: raw.event_name?,
            error_code: raw.error_code.filter(|code| !code.is_empty()),
            user_arn: raw.user_identity.and_then(|identity| identity.arn),
            user_agent: raw.user_agent,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_counted_members_and_derives_the_category() {
        let record = br#"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/a\"b"},"eventTime":"2026-03-05T02:14:07Z","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"us-east-1","userAgent":"aws-cli/2","errorCode":"Client.UnauthorizedOperation","readOnly":"false","managementEvent":true,"recipientAccountId":"111122223333"}"#;
        let observation = Observation::parse(record).unwrap();
        assert_eq!(observation.time.format_event_time(), "2026-03-05T02:14:07Z");
        assert_eq!(observation.category, EventCategory::Management);
        assert_eq!(observation.read_only, Some(false));
        assert_eq!(
            observation.user_arn.as_deref(),
            Some("arn:aws:iam::111122223333:user/a\"b")
        );
        assert_eq!(
            observation.error_code.as_deref(),
            Some("Client.UnauthorizedOperation")
        );
        let data = br#"{"eventTime":"2026-03-05T02:14:07Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","readOnly":true,"managementEvent":false,"recipientAccountId":"1","eventType":"AwsApiCall"}"#;
        assert_eq!(
            Observation::parse(data).unwrap().category,
            EventCategory::Data
        );
    }

    #[test]
    fn records_without_the_needed_members_are_skipped() {
        assert!(Observation::parse(b"[]").is_none());
        assert!(Observation::parse(br#"{"eventTime":"2026-03-05T02:14:07Z"}"#).is_none());
        let bad_time = br#"{"eventTime":"yesterday","eventSource":"a","eventName":"b","awsRegion":"r","recipientAccountId":"1"}"#;
        assert!(Observation::parse(bad_time).is_none());
    }
}
