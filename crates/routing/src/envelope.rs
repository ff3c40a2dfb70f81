//! The EventBridge envelope around one CloudTrail record (`spec/events-and-queries.md`
//! §5.1).
//!
//! # Format
//!
//! One compact JSON object, members in this order:
//!
//! | Member | Value |
//! | --- | --- |
//! | `version` | always `"0"` |
//! | `id` | a UUID version 5 derived from the record's `eventID` (see below) |
//! | `detail-type` | by `eventType`: `AWS API Call via CloudTrail` (`AwsApiCall`), `AWS Console Sign In via CloudTrail` (`AwsConsoleSignIn`), `AWS Console Action via CloudTrail` (`AwsConsoleAction`), `AWS Service Event via CloudTrail` (`AwsServiceEvent`), `AWS Insight via CloudTrail` (`AwsCloudTrailInsight`), `AWS Network Activity Event via CloudTrail` (`AwsVpceEvent`, also spelled `AwsVpceEvents`) |
//! | `source` | `aws.` + the part of `eventSource` before `.amazonaws.com` (`iam.amazonaws.com` → `aws.iam`), except the names in [`SOURCE_OVERRIDES`]; Insights records use `aws.cloudtrail`; a non-AWS `eventSource` is kept as is |
//! | `account` | `recipientAccountId` (or `userIdentity.accountId` when a record lacks it) |
//! | `time` | `eventTime`, second precision, `Z` |
//! | `region` | `awsRegion` |
//! | `resources` | `[]` (CloudTrail-sourced events name no resources here) |
//! | `detail` | the record as a JSON object, in its own member order, without `eventContext` (never sent to EventBridge), whitespace between tokens removed |
//!
//! See the AWS page "Events from AWS services via AWS CloudTrail"
//! (<https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html>).
//!
//! **`id` [project decision].** EventBridge gives every envelope a fresh UUID. OpenTrail
//! derives it from the record's `eventID` (UUID v5 in the namespace
//! [`ENVELOPE_ID_NAMESPACE`]), so an event sent again after a crash (the router resumes
//! from its last saved position, so delivery is at least once) carries the same `id`, and a
//! receiver can drop the duplicate. All targets of all rules see the same `id` for one
//! event, as with EventBridge.
//!
//! Records whose envelope exceeds [`MAX_EVENT_BYTES`] are not routed
//! ([`EnvelopeErrorKind::TooLarge`]), as CloudTrail does not send events above 256 KB to
//! EventBridge.

use opentrail_types::{Timestamp, TimestampError, json_text};
use uuid::Uuid;

use crate::raw::{self, Entries};

/// The largest envelope routed, in bytes (256 KiB).
pub const MAX_EVENT_BYTES: usize = 256 * 1024;

/// The namespace of envelope ids: `id` = UUID v5 of this namespace and the `eventID` bytes.
/// Fixed forever: changing it would give re-sent events new ids.
pub const ENVELOPE_ID_NAMESPACE: Uuid = Uuid::from_u128(0x3b65_244f_1b4e_4b6b_8595_0489_3d51_0b97);

/// `eventSource` prefixes whose EventBridge `source` is not `aws.<prefix>` (CloudWatch's
/// endpoint is `monitoring.amazonaws.com`, its events come from `aws.cloudwatch`).
pub const SOURCE_OVERRIDES: &[(&str, &str)] = &[("monitoring", "aws.cloudwatch")];

/// The `source` of Insights events.
const INSIGHTS_SOURCE: &str = "aws.cloudtrail";
/// The member never sent to EventBridge (spec §1.1: Lake enrichment only).
const EVENT_CONTEXT: &str = "eventContext";
/// The suffix of AWS service endpoints in `eventSource`.
const AWS_ENDPOINT_SUFFIX: &str = ".amazonaws.com";

/// What kind of failure an [`EnvelopeError`] is; the router branches on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EnvelopeErrorKind {
    /// The envelope would exceed [`MAX_EVENT_BYTES`]: the event is not routed (as AWS does).
    TooLarge,
    /// The record's `eventType` is not one EventBridge receives (e.g. `ActivityLog`).
    NotRouted,
    /// The record is not a CloudTrail record: bad JSON, a missing or mistyped field.
    Malformed,
}

/// A record that cannot be wrapped.
#[derive(Debug, thiserror::Error)]
pub enum EnvelopeError {
    /// Not JSON, or not valid UTF-8.
    #[error("the record is not valid JSON: {0}")]
    Json(#[source] serde_json::Error),
    /// JSON, but not an object.
    #[error("the record is not a JSON object")]
    NotAnObject,
    /// A required member is absent or not a string.
    #[error("the record has no string `{field}`")]
    MissingField {
        /// The member.
        field: &'static str,
    },
    /// `eventTime` does not parse.
    #[error("the record's `eventTime`: {0}")]
    EventTime(#[source] TimestampError),
    /// An `eventType` EventBridge never receives.
    #[error("events of type `{event_type}` are not routed")]
    NotRouted {
        /// The record's `eventType`.
        event_type: String,
    },
    /// Larger than [`MAX_EVENT_BYTES`].
    #[error("the event is {size} bytes; events larger than {MAX_EVENT_BYTES} bytes are not routed")]
    TooLarge {
        /// The envelope's size in bytes.
        size: usize,
    },
}

impl EnvelopeError {
    /// The kind of failure.
    pub fn kind(&self) -> EnvelopeErrorKind {
        match self {
            EnvelopeError::TooLarge { .. } => EnvelopeErrorKind::TooLarge,
            EnvelopeError::NotRouted { .. } => EnvelopeErrorKind::NotRouted,
            EnvelopeError::Json(_)
            | EnvelopeError::NotAnObject
            | EnvelopeError::MissingField { .. }
            | EnvelopeError::EventTime(_) => EnvelopeErrorKind::Malformed,
        }
    }
}

/// One event wrapped for routing: the envelope JSON and what the router needs to pick
/// rules. The router shares it between targets behind an `Arc`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    json: String,
    id: String,
    event_id: String,
    account: String,
    region: String,
    read_only: Option<bool>,
    management: bool,
    detail_type: &'static str,
    source: String,
    time: Timestamp,
}

impl Envelope {
    /// The envelope JSON (compact, UTF-8), the body sent when a target has no input
    /// settings.
    pub fn json(&self) -> &str {
        &self.json
    }

    /// The envelope JSON as bytes.
    pub fn json_bytes(&self) -> &[u8] {
        self.json.as_bytes()
    }

    /// The envelope `id` (UUID v5 of the `eventID`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The record's `eventID`.
    pub fn event_id(&self) -> &str {
        &self.event_id
    }

    /// `account`: the account whose rules see the event.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// `region`: the Region whose rules see the event.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The record's `readOnly`, when present.
    pub fn read_only(&self) -> Option<bool> {
        self.read_only
    }

    /// Whether the record is a management event: its `managementEvent`, else
    /// `eventCategory` = `Management`, else (records older than both members) an event type
    /// that was always a management event before data events were labelled.
    pub fn management(&self) -> bool {
        self.management
    }

    /// Whether only rules in state `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS` are
    /// offered this event (a read-only management event, spec §5.1).
    pub fn read_only_management(&self) -> bool {
        self.management && self.read_only == Some(true)
    }

    /// `detail-type`.
    pub fn detail_type(&self) -> &'static str {
        self.detail_type
    }

    /// `source`.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// `time`: the record's `eventTime`.
    pub fn time(&self) -> Timestamp {
        self.time
    }

    /// The `version`, `id`, `detail-type`, `source`, `account`, `time`, `region` and
    /// `resources` members, as `<aws.events.event>` of an input transformer sees them:
    /// without `detail`, with `detail-type` spelled `detailType` and `time` the ingestion
    /// time (the shape AWS delivers, recorded in LocalStack's AWS-validated snapshot
    /// `test_events_inputs.snapshot.json`).
    pub(crate) fn metadata_json(&self, ingestion_time: Timestamp) -> String {
        format!(
            r#"{{"id":{},"account":{},"detailType":{},"time":{},"source":{},"region":{},"resources":[],"version":"0"}}"#,
            json_text::quote(&self.id),
            json_text::quote(&self.account),
            json_text::quote(self.detail_type),
            json_text::quote(&ingestion_time.format_event_time()),
            json_text::quote(&self.source),
            json_text::quote(&self.region),
        )
    }
}

/// Wraps one CloudTrail record (a JSON object) in its EventBridge envelope.
///
/// # Errors
///
/// [`EnvelopeErrorKind::Malformed`] when the record is not a JSON object with string
/// `eventID`, `eventTime`, `eventType`, `awsRegion`, an account and (except Insights)
/// `eventSource`; [`EnvelopeErrorKind::NotRouted`] for event types EventBridge never
/// receives; [`EnvelopeErrorKind::TooLarge`] above [`MAX_EVENT_BYTES`].
pub fn envelope(record: &[u8]) -> Result<Envelope, EnvelopeError> {
    let text = std::str::from_utf8(record).map_err(|_| {
        EnvelopeError::Json(serde::de::Error::custom("the record is not valid UTF-8"))
    })?;
    let entries = raw::parse_object(text)
        .map_err(EnvelopeError::Json)?
        .ok_or(EnvelopeError::NotAnObject)?;

    let event_id = required_string(&entries, "eventID")?;
    let event_type = required_string(&entries, "eventType")?;
    let detail_type = detail_type_of(&event_type).ok_or_else(|| EnvelopeError::NotRouted {
        event_type: event_type.clone(),
    })?;
    let source = if event_type == "AwsCloudTrailInsight" {
        String::from(INSIGHTS_SOURCE)
    } else {
        source_of(&required_string(&entries, "eventSource")?)
    };
    let event_time = required_string(&entries, "eventTime")?;
    let time = Timestamp::parse_event_time(&event_time).map_err(EnvelopeError::EventTime)?;
    let region = required_string(&entries, "awsRegion")?;
    let account = account_of(&entries)?;
    let read_only = raw::member(&entries, "readOnly").and_then(raw::as_bool);
    let management = is_management(&entries, &event_type);
    let id = Uuid::new_v5(&ENVELOPE_ID_NAMESPACE, event_id.as_bytes())
        .hyphenated()
        .to_string();

    let mut json = String::with_capacity(text.len() + 320);
    json.push_str(r#"{"version":"0","id":"#);
    json_text::push_string(&mut json, &id);
    for (name, value) in [
        ("detail-type", detail_type),
        ("source", source.as_str()),
        ("account", account.as_str()),
        ("time", time.format_event_time().as_str()),
        ("region", region.as_str()),
    ] {
        json.push_str(",\"");
        json.push_str(name);
        json.push_str("\":");
        json_text::push_string(&mut json, value);
    }
    json.push_str(r#","resources":[],"detail":{"#);
    push_detail_members(text, &entries, &mut json);
    json.push_str("}}");
    if json.len() > MAX_EVENT_BYTES {
        return Err(EnvelopeError::TooLarge { size: json.len() });
    }
    Ok(Envelope {
        json,
        id,
        event_id,
        account,
        region,
        read_only,
        management,
        detail_type,
        source,
        time,
    })
}

/// Appends the members of the record `text` (parsed into `entries`) but `eventContext`,
/// separated by commas and without whitespace: each member's own text, name as written,
/// value bytes as written. Journal records are compact already, so this is mostly copying;
/// the record is not re-serialised.
fn push_detail_members(text: &str, entries: &Entries<'_>, json: &mut String) {
    // Each member's text runs from its name's opening quote to the end of its value; the
    // name starts after the previous value (or the `{`) and the comma and blanks after it.
    let mut after_previous = text.find('{').map_or(0, |brace| brace + 1);
    let mut first = true;
    for (key, value) in entries {
        let value = value.get();
        let Some(value_start) = raw::offset_in(text, value) else {
            // Not a slice of the text (never, for a parse of it): write the member anew.
            push_member_anew(key, value, &mut first, json);
            continue;
        };
        let value_end = value_start + value.len();
        let member_start = text[after_previous..value_start]
            .find('"')
            .map_or(value_start, |quote| after_previous + quote);
        after_previous = value_end;
        if key == EVENT_CONTEXT {
            continue;
        }
        if !first {
            json.push(',');
        }
        first = false;
        json_text::compact_str_into(&text[member_start..value_end], json);
    }
}

fn push_member_anew(key: &str, value: &str, first: &mut bool, json: &mut String) {
    if key == EVENT_CONTEXT {
        return;
    }
    if !*first {
        json.push(',');
    }
    *first = false;
    json_text::push_string(json, key);
    json.push(':');
    json_text::compact_str_into(value, json);
}

/// Returns the `detail-type` of an `eventType`, or `None` when EventBridge never receives
/// that type.
pub fn detail_type_of(event_type: &str) -> Option<&'static str> {
    Some(match event_type {
        "AwsApiCall" => "AWS API Call via CloudTrail",
        // The EventBridge guide once wrote "Signin"; real events use the spaced form.
        "AwsConsoleSignIn" => "AWS Console Sign In via CloudTrail",
        "AwsConsoleAction" => "AWS Console Action via CloudTrail",
        "AwsServiceEvent" => "AWS Service Event via CloudTrail",
        "AwsCloudTrailInsight" => "AWS Insight via CloudTrail",
        // The user guide spells it `AwsVpceEvents` once; records use `AwsVpceEvent`.
        "AwsVpceEvent" | "AwsVpceEvents" => "AWS Network Activity Event via CloudTrail",
        _ => return None,
    })
}

/// Returns the EventBridge `source` for an `eventSource` **[project decision]**: `aws.` +
/// the service prefix of an AWS endpoint, with [`SOURCE_OVERRIDES`]; anything else as is.
pub fn source_of(event_source: &str) -> String {
    let Some(prefix) = event_source.strip_suffix(AWS_ENDPOINT_SUFFIX) else {
        return event_source.to_owned();
    };
    if prefix.is_empty() {
        return event_source.to_owned();
    }
    for (from, to) in SOURCE_OVERRIDES {
        if *from == prefix {
            return (*to).to_owned();
        }
    }
    format!("aws.{prefix}")
}

fn required_string(entries: &Entries<'_>, field: &'static str) -> Result<String, EnvelopeError> {
    raw::member(entries, field)
        .and_then(raw::as_string)
        .ok_or(EnvelopeError::MissingField { field })
}

fn account_of(entries: &Entries<'_>) -> Result<String, EnvelopeError> {
    if let Some(account) = raw::member(entries, "recipientAccountId").and_then(raw::as_string) {
        return Ok(account);
    }
    // `recipientAccountId` is "optional (always in practice)"; old records may lack it, and
    // the caller's own account is then the one that received the record.
    raw::member(entries, "userIdentity")
        .and_then(raw::object_entries)
        .and_then(|identity| raw::member(&identity, "accountId").and_then(raw::as_string))
        .ok_or(EnvelopeError::MissingField {
            field: "recipientAccountId",
        })
}

fn is_management(entries: &Entries<'_>, event_type: &str) -> bool {
    if let Some(flag) = raw::member(entries, "managementEvent").and_then(raw::as_bool) {
        return flag;
    }
    if let Some(category) = raw::member(entries, "eventCategory").and_then(raw::as_string) {
        return category == "Management";
    }
    // Before `eventVersion` 1.06/1.07 neither member existed and these types were recorded
    // as management events.
    matches!(
        event_type,
        "AwsApiCall" | "AwsConsoleAction" | "AwsConsoleSignIn" | "AwsServiceEvent"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"eventVersion":"1.11","eventTime":"2026-03-04T17:05:21Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","awsRegion":"us-east-1","eventID":"9f3a7c1e-4b2d-4e8f-a6c5-1d0e2f3b4a59","readOnly":false,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"210987654321","eventCategory":"Management"}"#;

    #[test]
    fn sources_follow_the_endpoint_prefix_with_overrides() {
        assert_eq!(source_of("iam.amazonaws.com"), "aws.iam");
        assert_eq!(
            source_of("network-firewall.amazonaws.com"),
            "aws.network-firewall"
        );
        assert_eq!(source_of("monitoring.amazonaws.com"), "aws.cloudwatch");
        assert_eq!(source_of("orders.example.com"), "orders.example.com");
        assert_eq!(source_of(".amazonaws.com"), ".amazonaws.com");
    }

    #[test]
    fn the_id_is_stable_per_event_id() {
        let first = envelope(MINIMAL.as_bytes()).unwrap();
        let again = envelope(MINIMAL.as_bytes()).unwrap();
        assert_eq!(first.id(), again.id());
        assert_ne!(first.id(), first.event_id());
        let other = MINIMAL.replace("9f3a7c1e", "0f3a7c1e");
        assert_ne!(envelope(other.as_bytes()).unwrap().id(), first.id());
    }

    #[test]
    fn event_context_is_dropped_and_whitespace_removed() {
        let record = MINIMAL.replace(
            r#""eventCategory":"Management"}"#,
            r#""eventCategory" : "Management", "eventContext": {"tagContext": {}}}"#,
        );
        let wrapped = envelope(record.as_bytes()).unwrap();
        assert!(!wrapped.json().contains("eventContext"));
        assert!(
            wrapped
                .json()
                .ends_with(r#""eventCategory":"Management"}}"#)
        );
    }

    #[test]
    fn detail_is_the_record_as_written_without_event_context_wherever_it_stands() {
        let body = &MINIMAL[1..MINIMAL.len() - 1];
        let context = r#""eventContext" : { "tagContext" : { "a b" : [ 1 , 2 ] } }"#;
        let cases = [
            format!("{{{context}, {body}}}"),
            format!("{{ {body} ,\n {context} }}"),
            format!("{{{context},{context},{body},{context}}}"),
            format!("{{\n  {}\n}}", body.replace(',', ",\n  ")),
            format!(r#"{{"ev\u0065ntContext":1,{body}}}"#),
        ];
        let expected_detail = format!("{{{body}}}");
        for record in cases {
            let wrapped = envelope(record.as_bytes()).unwrap();
            let detail = wrapped
                .json()
                .split_once(r#","detail":"#)
                .map(|(_, rest)| &rest[..rest.len() - 1])
                .unwrap();
            assert_eq!(detail, expected_detail, "{record}");
        }
        // A name written with escapes is kept as written.
        let escaped = format!(r#"{{"user\u0041gent" : "x y",{body}}}"#);
        let wrapped = envelope(escaped.as_bytes()).unwrap();
        assert!(
            wrapped
                .json()
                .contains(r#""detail":{"user\u0041gent":"x y","eventVersion""#)
        );
    }

    #[test]
    fn read_only_management_is_flagged() {
        let record = MINIMAL.replace(r#""readOnly":false"#, r#""readOnly":true"#);
        let wrapped = envelope(record.as_bytes()).unwrap();
        assert!(wrapped.read_only_management());
        let data = record.replace(r#""managementEvent":true"#, r#""managementEvent":false"#);
        assert!(!envelope(data.as_bytes()).unwrap().read_only_management());
    }

    #[test]
    fn bad_records_say_why() {
        let cases: [(&[u8], EnvelopeErrorKind); 5] = [
            (b"[1]", EnvelopeErrorKind::Malformed),
            (b"{\"eventID\":", EnvelopeErrorKind::Malformed),
            (b"\xff", EnvelopeErrorKind::Malformed),
            (
                br#"{"eventID":"x","eventType":"ActivityLog"}"#,
                EnvelopeErrorKind::NotRouted,
            ),
            (
                br#"{"eventID":"x","eventType":"AwsApiCall","eventSource":"s3.amazonaws.com","eventTime":"soon"}"#,
                EnvelopeErrorKind::Malformed,
            ),
        ];
        for (record, kind) in cases {
            let error = envelope(record).unwrap_err();
            assert_eq!(error.kind(), kind, "{error}");
        }
    }

    #[test]
    fn oversized_events_are_not_routed() {
        let padding = "x".repeat(MAX_EVENT_BYTES);
        let record = MINIMAL.replace(
            r#""eventName":"CreateUser""#,
            &format!(r#""eventName":"CreateUser","userAgent":"{padding}""#),
        );
        let error = envelope(record.as_bytes()).unwrap_err();
        assert_eq!(error.kind(), EnvelopeErrorKind::TooLarge);
    }
}
