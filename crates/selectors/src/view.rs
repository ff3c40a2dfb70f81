//! A cheap, borrowed view of the record fields selectors read.

use std::borrow::Cow;
use std::fmt;

use opentrail_event::EventCategory;
use serde::de::{self, IgnoredAny, Visitor};
use serde::{Deserialize, Deserializer};

use crate::error::{Error, Result};

/// The fields of one CloudTrail record that event selectors read, borrowed from its JSON.
///
/// [`EventView::parse`] reads only these members: strings without escapes are borrowed from
/// the input, every other member is skipped with [`IgnoredAny`] and never allocated.
///
/// | Member | Read as |
/// |---|---|
/// | `eventCategory` | The category; records older than `eventVersion` 1.07 have none, so it is derived as [`EventCategory::derive`] does from `eventType`, `insightDetails` and `managementEvent`. |
/// | `readOnly` | `true`/`false` or the strings `"true"`/`"false"`; absent, `null` or another string is unknown. |
/// | `eventSource`, `eventName`, `eventType`, `errorCode`, `vpcEndpointId` | Strings. |
/// | `userIdentity.arn` | String. |
/// | `sessionCredentialFromConsole` | The string `"true"` as records carry it, or a boolean. |
/// | `resources[]` | `type` and `ARN` of each element. |
/// | `eventTime`, `awsRegion`, `recipientAccountId` | Strings: not selector fields, but what decides which store or day a record goes to, read in the same pass. |
#[derive(Debug, Clone)]
pub struct EventView<'a> {
    category: EventCategory,
    event_time: Option<Cow<'a, str>>,
    aws_region: Option<Cow<'a, str>>,
    recipient_account_id: Option<Cow<'a, str>>,
    read_only: Option<bool>,
    event_source: Option<Cow<'a, str>>,
    event_name: Option<Cow<'a, str>>,
    event_type: Option<Cow<'a, str>>,
    error_code: Option<Cow<'a, str>>,
    vpc_endpoint_id: Option<Cow<'a, str>>,
    user_identity_arn: Option<Cow<'a, str>>,
    session_credential_from_console: Option<Cow<'a, str>>,
    resources: Vec<EventResource<'a>>,
}

/// One element of a record's `resources[]`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EventResource<'a> {
    #[serde(rename = "type", borrow, default, deserialize_with = "string_member")]
    resource_type: Option<Cow<'a, str>>,
    #[serde(rename = "ARN", borrow, default, deserialize_with = "string_member")]
    arn: Option<Cow<'a, str>>,
}

impl EventResource<'_> {
    /// Returns `type`.
    pub fn resource_type(&self) -> Option<&str> {
        self.resource_type.as_deref()
    }

    /// Returns `ARN`.
    pub fn arn(&self) -> Option<&str> {
        self.arn.as_deref()
    }
}

/// The record members as serde reads them; everything else is skipped.
#[derive(Deserialize)]
struct RawView<'a> {
    #[serde(
        rename = "eventCategory",
        borrow,
        default,
        deserialize_with = "string_member"
    )]
    event_category: Option<Cow<'a, str>>,
    #[serde(rename = "readOnly", default, deserialize_with = "read_only_member")]
    read_only: Option<bool>,
    #[serde(
        rename = "eventSource",
        borrow,
        default,
        deserialize_with = "string_member"
    )]
    event_source: Option<Cow<'a, str>>,
    #[serde(
        rename = "eventName",
        borrow,
        default,
        deserialize_with = "string_member"
    )]
    event_name: Option<Cow<'a, str>>,
    #[serde(
        rename = "eventType",
        borrow,
        default,
        deserialize_with = "string_member"
    )]
    event_type: Option<Cow<'a, str>>,
    #[serde(
        rename = "errorCode",
        borrow,
        default,
        deserialize_with = "string_member"
    )]
    error_code: Option<Cow<'a, str>>,
    #[serde(
        rename = "vpcEndpointId",
        borrow,
        default,
        deserialize_with = "string_member"
    )]
    vpc_endpoint_id: Option<Cow<'a, str>>,
    #[serde(rename = "userIdentity", borrow, default)]
    user_identity: Option<RawIdentity<'a>>,
    #[serde(
        rename = "sessionCredentialFromConsole",
        borrow,
        default,
        deserialize_with = "string_or_bool_member"
    )]
    session_credential_from_console: Option<Cow<'a, str>>,
    #[serde(rename = "managementEvent", default)]
    management_event: Option<bool>,
    #[serde(rename = "insightDetails", default)]
    insight_details: Option<IgnoredAny>,
    #[serde(borrow, default)]
    resources: Option<Vec<EventResource<'a>>>,
    #[serde(
        rename = "eventTime",
        borrow,
        default,
        deserialize_with = "string_member"
    )]
    event_time: Option<Cow<'a, str>>,
    #[serde(
        rename = "awsRegion",
        borrow,
        default,
        deserialize_with = "string_member"
    )]
    aws_region: Option<Cow<'a, str>>,
    #[serde(
        rename = "recipientAccountId",
        borrow,
        default,
        deserialize_with = "string_member"
    )]
    recipient_account_id: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct RawIdentity<'a> {
    #[serde(borrow, default, deserialize_with = "string_member")]
    arn: Option<Cow<'a, str>>,
}

impl<'a> EventView<'a> {
    /// Reads the selector fields of one record's JSON bytes.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRecord`] when `bytes` is not a JSON object, or one of the members
    /// above has another JSON type (a number for `eventSource`, ...), or appears twice.
    pub fn parse(bytes: &'a [u8]) -> Result<EventView<'a>> {
        // serde's derived struct visitor also takes a JSON array (fields by position); a
        // record is always an object, so anything else is refused up front.
        let first_byte = bytes.iter().find(|byte| !byte.is_ascii_whitespace());
        if first_byte != Some(&b'{') {
            return Err(Error::InvalidRecord {
                source: de::Error::custom("a record must be a JSON object"),
            });
        }
        let raw: RawView<'a> =
            serde_json::from_slice(bytes).map_err(|source| Error::InvalidRecord { source })?;
        let category = EventCategory::derive(
            raw.event_category.as_deref(),
            raw.event_type.as_deref(),
            raw.insight_details.is_some(),
            raw.management_event,
        );
        Ok(EventView {
            category,
            event_time: raw.event_time,
            aws_region: raw.aws_region,
            recipient_account_id: raw.recipient_account_id,
            read_only: raw.read_only,
            event_source: raw.event_source,
            event_name: raw.event_name,
            event_type: raw.event_type,
            error_code: raw.error_code,
            vpc_endpoint_id: raw.vpc_endpoint_id,
            user_identity_arn: raw.user_identity.and_then(|identity| identity.arn),
            session_credential_from_console: raw.session_credential_from_console,
            resources: raw.resources.unwrap_or_default(),
        })
    }

    /// Returns the record's category (given or derived).
    pub fn category(&self) -> EventCategory {
        self.category
    }

    /// Returns `readOnly`; `None` when the record does not say.
    pub fn read_only(&self) -> Option<bool> {
        self.read_only
    }

    /// Returns `eventSource`.
    pub fn event_source(&self) -> Option<&str> {
        self.event_source.as_deref()
    }

    /// Returns `eventName`.
    pub fn event_name(&self) -> Option<&str> {
        self.event_name.as_deref()
    }

    /// Returns `eventType`.
    pub fn event_type(&self) -> Option<&str> {
        self.event_type.as_deref()
    }

    /// Returns `errorCode`.
    pub fn error_code(&self) -> Option<&str> {
        self.error_code.as_deref()
    }

    /// Returns `vpcEndpointId`.
    pub fn vpc_endpoint_id(&self) -> Option<&str> {
        self.vpc_endpoint_id.as_deref()
    }

    /// Returns `userIdentity.arn`.
    pub fn user_identity_arn(&self) -> Option<&str> {
        self.user_identity_arn.as_deref()
    }

    /// Returns `sessionCredentialFromConsole` as text (`"true"` / `"false"`).
    pub fn session_credential_from_console(&self) -> Option<&str> {
        self.session_credential_from_console.as_deref()
    }

    /// Returns `eventTime` as written.
    pub fn event_time(&self) -> Option<&str> {
        self.event_time.as_deref()
    }

    /// Returns `awsRegion`.
    pub fn aws_region(&self) -> Option<&str> {
        self.aws_region.as_deref()
    }

    /// Returns `recipientAccountId`.
    pub fn recipient_account_id(&self) -> Option<&str> {
        self.recipient_account_id.as_deref()
    }

    /// Returns the elements of `resources[]` (empty when the record has none).
    pub fn resources(&self) -> &[EventResource<'a>] {
        &self.resources
    }
}

/// A string member, borrowed from the input unless it holds escapes. (serde's own
/// `Option<Cow<str>>` always copies: only a bare `Cow<str>` field borrows.)
fn string_member<'de, D>(deserializer: D) -> Result<Option<Cow<'de, str>>, D::Error>
where
    D: Deserializer<'de>,
{
    struct StringVisitor;

    impl<'de> Visitor<'de> for StringVisitor {
        type Value = Option<Cow<'de, str>>;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a string or null")
        }

        fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Self::Value, E> {
            Ok(Some(Cow::Borrowed(value)))
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(value.to_owned())))
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }

    deserializer.deserialize_any(StringVisitor)
}

/// `readOnly`: a boolean, or the strings `"true"` / `"false"` some producers write.
fn read_only_member<'de, D>(deserializer: D) -> Result<Option<bool>, D::Error>
where
    D: Deserializer<'de>,
{
    struct ReadOnlyVisitor;

    impl<'de> Visitor<'de> for ReadOnlyVisitor {
        type Value = Option<bool>;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a boolean, \"true\", \"false\" or null")
        }

        fn visit_bool<E: de::Error>(self, value: bool) -> Result<Option<bool>, E> {
            Ok(Some(value))
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<Option<bool>, E> {
            // Any other text leaves it unknown rather than failing the record: the member
            // only steers ReadWriteType decisions (see `CompiledSelectors`).
            Ok(match value {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            })
        }

        fn visit_unit<E: de::Error>(self) -> Result<Option<bool>, E> {
            Ok(None)
        }
    }

    deserializer.deserialize_any(ReadOnlyVisitor)
}

/// `sessionCredentialFromConsole`: records carry the string `"true"`; a boolean is taken as
/// its text so selectors compare one form.
fn string_or_bool_member<'de, D>(deserializer: D) -> Result<Option<Cow<'de, str>>, D::Error>
where
    D: Deserializer<'de>,
{
    struct StringOrBoolVisitor;

    impl<'de> Visitor<'de> for StringOrBoolVisitor {
        type Value = Option<Cow<'de, str>>;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a string, a boolean or null")
        }

        fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
            Ok(Some(Cow::Borrowed(if value { "true" } else { "false" })))
        }

        fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Self::Value, E> {
            Ok(Some(Cow::Borrowed(value)))
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(value.to_owned())))
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }

    deserializer.deserialize_any(StringOrBoolVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_selector_fields_and_borrows_plain_strings() {
        let json = br#"{"eventVersion":"1.09","eventCategory":"Data","readOnly":"false",
            "eventSource":"s3.amazonaws.com","eventName":"PutObject","eventType":"AwsApiCall",
            "userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/a"},
            "sessionCredentialFromConsole":"true","requestParameters":{"a":[1,2,{"b":null}]},
            "resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::b/k","accountId":"1"}],
            "eventTime":"2026-01-22T16:53:53Z","awsRegion":"us-east-1","recipientAccountId":"111122223333"}"#;
        let view = EventView::parse(json).unwrap();
        assert_eq!(view.event_time(), Some("2026-01-22T16:53:53Z"));
        assert_eq!(view.aws_region(), Some("us-east-1"));
        assert_eq!(view.recipient_account_id(), Some("111122223333"));
        assert_eq!(view.category(), EventCategory::Data);
        assert_eq!(view.read_only(), Some(false));
        assert!(matches!(
            view.event_source,
            Some(Cow::Borrowed("s3.amazonaws.com"))
        ));
        assert_eq!(
            view.user_identity_arn(),
            Some("arn:aws:iam::111122223333:user/a")
        );
        assert_eq!(view.session_credential_from_console(), Some("true"));
        assert_eq!(view.resources().len(), 1);
        assert_eq!(view.resources()[0].arn(), Some("arn:aws:s3:::b/k"));
        assert_eq!(view.error_code(), None);
    }

    #[test]
    fn old_records_get_a_derived_category() {
        let insight = EventView::parse(br#"{"insightDetails":{"state":"Start"}}"#).unwrap();
        assert_eq!(insight.category(), EventCategory::Insight);
        let data = EventView::parse(br#"{"managementEvent":false}"#).unwrap();
        assert_eq!(data.category(), EventCategory::Data);
        let network = EventView::parse(br#"{"eventType":"AwsVpceEvent"}"#).unwrap();
        assert_eq!(network.category(), EventCategory::NetworkActivity);
        let management = EventView::parse(b"{}").unwrap();
        assert_eq!(management.category(), EventCategory::Management);
        assert_eq!(management.read_only(), None);
    }

    #[test]
    fn escaped_strings_are_unescaped() {
        let view = EventView::parse(br#"{"eventName":"Put\u004fbject","readOnly":null}"#).unwrap();
        assert_eq!(view.event_name(), Some("PutObject"));
        assert_eq!(view.read_only(), None);
    }

    #[test]
    fn wrong_types_and_non_objects_are_errors() {
        for json in [
            &b"[]"[..],
            b"3",
            br#"{"eventSource":3}"#,
            br#"{"readOnly":[]}"#,
            b"{",
        ] {
            let error = EventView::parse(json).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::InvalidRecord);
        }
    }
}
