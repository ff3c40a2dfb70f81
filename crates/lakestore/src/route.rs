//! Which journal records enter which event data store.

use opentrail_columnar::TableKind;
use opentrail_event::EventCategory;
use opentrail_selectors::{CompiledSelectors, EventView, InsightType};
use serde::Deserialize;

/// What the writer needs to know of a store to route records into it.
#[derive(Debug, Clone)]
pub struct StoreSpec {
    /// The store id.
    pub store_id: String,
    /// The owning account: only records whose `recipientAccountId` is this one enter.
    pub account_id: String,
    /// The store's home Region.
    pub home_region: String,
    /// Whether records of every Region enter (else only the home Region's).
    pub multi_region: bool,
    /// What the store holds.
    pub kind: TableKind,
    /// The store's advanced event selectors (CloudTrail-events stores).
    pub selectors: Option<CompiledSelectors>,
    /// The ARNs of the channels whose destinations include the store
    /// (`ActivityAuditLog` stores).
    pub channel_arns: Vec<String>,
    /// Whether the store ingests now (`ENABLED`); a stopped store keeps its position
    /// moving without taking records.
    pub ingesting: bool,
    /// Retention in days, counted on `eventTime`.
    pub retention_days: u32,
    /// The source stores whose Insights this store receives (`Insight` stores).
    pub insight_sources: Vec<InsightSource>,
}

/// A source store of an Insights store (PutInsightSelectors with `InsightsDestination`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsightSource {
    /// Its ARN: the `insightSource` column of the rows it brings.
    pub store_arn: String,
    /// Its home Region.
    pub home_region: String,
    /// Whether it collects every Region's events.
    pub multi_region: bool,
    /// The Insights types it enables.
    pub insight_types: Vec<InsightType>,
}

#[derive(Debug, Default, Deserialize)]
struct InsightHead<'a> {
    #[serde(rename = "awsRegion", borrow, default)]
    aws_region: Option<std::borrow::Cow<'a, str>>,
    #[serde(rename = "insightDetails", borrow, default)]
    insight_details: Option<InsightDetailsHead<'a>>,
    #[serde(rename = "insightSource", default)]
    insight_source: Option<serde::de::IgnoredAny>,
}

#[derive(Debug, Default, Deserialize)]
struct InsightDetailsHead<'a> {
    #[serde(rename = "insightType", borrow, default)]
    insight_type: Option<std::borrow::Cow<'a, str>>,
    #[serde(rename = "eventCategory", borrow, default)]
    event_category: Option<std::borrow::Cow<'a, str>>,
}

/// The source stores of `spec` that an Insights record is for: those enabling its type
/// on management events and covering its Region. A record that already names its
/// `insightSource` (an imported Lake export) is not the analyzer's and enters no store.
pub fn insight_sources<'s>(spec: &'s StoreSpec, payload: &[u8]) -> Vec<&'s InsightSource> {
    let Ok(head) = serde_json::from_slice::<InsightHead<'_>>(payload) else {
        return Vec::new();
    };
    if head.insight_source.is_some() {
        return Vec::new();
    }
    let Some(details) = head.insight_details else {
        return Vec::new();
    };
    if details
        .event_category
        .as_deref()
        .is_some_and(|category| category != "Management")
    {
        return Vec::new();
    }
    let Some(insight_type) = details.insight_type.as_deref() else {
        return Vec::new();
    };
    let region = head.aws_region.as_deref().unwrap_or("");
    spec.insight_sources
        .iter()
        .filter(|source| {
            source
                .insight_types
                .iter()
                .any(|kind| kind.as_str() == insight_type)
                && (source.multi_region || source.home_region == region)
        })
        .collect()
}

/// `payload` (a compact JSON object) with `"insightSource":"<arn>"` added at its end.
pub fn with_insight_source(payload: &[u8], source_arn: &str) -> Option<Vec<u8>> {
    let end = payload.iter().rposition(|byte| *byte == b'}')?;
    let mut out = Vec::with_capacity(payload.len() + source_arn.len() + 20);
    out.extend_from_slice(&payload[..end]);
    out.extend_from_slice(b",\"insightSource\":");
    // A string always serialises.
    out.extend_from_slice(&serde_json::to_vec(source_arn).ok()?);
    out.push(b'}');
    Some(out)
}

#[derive(Debug, Default, Deserialize)]
struct Head<'a> {
    #[serde(rename = "eventTime", borrow, default)]
    event_time: Option<&'a str>,
    #[serde(rename = "awsRegion", borrow, default)]
    aws_region: Option<&'a str>,
    #[serde(rename = "recipientAccountId", borrow, default)]
    recipient_account_id: Option<&'a str>,
    #[serde(borrow, default)]
    metadata: Option<Metadata<'a>>,
}

#[derive(Debug, Default, Deserialize)]
struct Metadata<'a> {
    #[serde(rename = "channelARN", borrow, default)]
    channel_arn: Option<&'a str>,
}

/// Decides whether `payload` (one journal record) enters the store described by `spec`;
/// returns its day partition (`YYYY-MM-DD` of `eventTime`) when it does.
pub fn route(spec: &StoreSpec, payload: &[u8]) -> Option<String> {
    if !spec.ingesting {
        return None;
    }
    if spec.kind == TableKind::ActivityAuditLog {
        return route_activity(spec, payload);
    }
    // One pass reads the routing members and the selector fields together.
    let view = EventView::parse(payload).ok()?;
    let day = home_day(
        spec,
        view.recipient_account_id(),
        view.aws_region(),
        view.event_time(),
    )?;
    let accepted = if spec.kind == TableKind::Insights {
        view.category() == EventCategory::Insight && !insight_sources(spec, payload).is_empty()
    } else {
        matches!(
            view.category(),
            EventCategory::Management | EventCategory::Data | EventCategory::NetworkActivity
        ) && spec
            .selectors
            .as_ref()
            .is_some_and(|selectors| selectors.matches(&view))
    };
    accepted.then_some(day)
}

/// [`route`] for an `ActivityAuditLog` store: the records of its channels.
fn route_activity(spec: &StoreSpec, payload: &[u8]) -> Option<String> {
    let head: Head<'_> = serde_json::from_slice(payload).ok()?;
    let day = home_day(
        spec,
        head.recipient_account_id,
        head.aws_region,
        head.event_time,
    )?;
    head.metadata
        .and_then(|metadata| metadata.channel_arn)
        .is_some_and(|arn| spec.channel_arns.iter().any(|known| known == arn))
        .then_some(day)
}

/// The day partition of a record of the store's account and of a Region it covers.
fn home_day(
    spec: &StoreSpec,
    account: Option<&str>,
    region: Option<&str>,
    event_time: Option<&str>,
) -> Option<String> {
    if account != Some(spec.account_id.as_str()) {
        return None;
    }
    if !spec.multi_region && region != Some(spec.home_region.as_str()) {
        return None;
    }
    day_of(event_time?)
}

/// The `YYYY-MM-DD` of a CloudTrail time (`2026-01-22T16:53:53Z`), if it has that shape.
pub fn day_of(event_time: &str) -> Option<String> {
    let day = event_time.get(..10)?;
    let bytes = day.as_bytes();
    let digits = [0, 1, 2, 3, 5, 6, 8, 9]
        .iter()
        .all(|&index| bytes[index].is_ascii_digit());
    (digits && bytes[4] == b'-' && bytes[7] == b'-').then(|| day.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentrail_selectors::SelectorConfig;

    fn spec(kind: TableKind) -> StoreSpec {
        StoreSpec {
            store_id: "s".into(),
            account_id: "111122223333".into(),
            home_region: "us-east-1".into(),
            multi_region: false,
            kind,
            selectors: Some(CompiledSelectors::new(&SelectorConfig::trail_default())),
            channel_arns: vec!["arn:aws:cloudtrail:us-east-1:111122223333:channel/c".into()],
            ingesting: true,
            retention_days: 7,
            insight_sources: vec![InsightSource {
                store_arn: "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/source".into(),
                home_region: "us-east-1".into(),
                multi_region: false,
                insight_types: vec![InsightType::ApiCallRateInsight],
            }],
        }
    }

    const INSIGHT: &str = r#"{"eventVersion":"1.08","eventTime":"2026-03-05T02:14:00Z","awsRegion":"us-east-1","eventID":"e","eventType":"AwsCloudTrailInsight","recipientAccountId":"111122223333","sharedEventID":"s","insightDetails":{"state":"Start","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","insightType":"ApiCallRateInsight"},"eventCategory":"Insight"}"#;

    #[test]
    fn insights_enter_the_destination_of_a_source_enabling_their_type() {
        let insights = spec(TableKind::Insights);
        assert_eq!(
            route(&insights, INSIGHT.as_bytes()).as_deref(),
            Some("2026-03-05")
        );
        let errors = INSIGHT.replace("ApiCallRateInsight", "ApiErrorRateInsight");
        assert_eq!(route(&insights, errors.as_bytes()), None);
        let elsewhere = INSIGHT.replace("\"us-east-1\"", "\"eu-west-1\"");
        assert_eq!(route(&insights, elsewhere.as_bytes()), None);
        let data = INSIGHT.replace(
            "\"insightType\":\"ApiCallRateInsight\"",
            "\"insightType\":\"ApiCallRateInsight\",\"eventCategory\":\"Data\"",
        );
        assert_eq!(route(&insights, data.as_bytes()), None);
        let sourced = with_insight_source(INSIGHT.as_bytes(), "arn:x").unwrap();
        let value: serde_json::Value = serde_json::from_slice(&sourced).unwrap();
        assert_eq!(value["insightSource"], "arn:x");
        assert_eq!(route(&insights, &sourced), None);
    }

    const MANAGEMENT: &str = r#"{"eventVersion":"1.11","eventTime":"2026-01-22T16:53:53Z","eventSource":"s3.amazonaws.com","eventName":"CreateBucket","awsRegion":"us-east-1","recipientAccountId":"111122223333","eventCategory":"Management","readOnly":false}"#;

    #[test]
    fn a_management_event_of_the_account_and_region_enters() {
        assert_eq!(
            route(&spec(TableKind::CloudTrail), MANAGEMENT.as_bytes()).as_deref(),
            Some("2026-01-22")
        );
    }

    #[test]
    fn other_accounts_regions_kinds_and_stopped_stores_do_not() {
        let other_account = MANAGEMENT.replace("111122223333", "999999999999");
        assert_eq!(
            route(&spec(TableKind::CloudTrail), other_account.as_bytes()),
            None
        );
        let other_region = MANAGEMENT.replace("\"us-east-1\"", "\"eu-west-1\"");
        assert_eq!(
            route(&spec(TableKind::CloudTrail), other_region.as_bytes()),
            None
        );
        let mut multi = spec(TableKind::CloudTrail);
        multi.multi_region = true;
        assert!(route(&multi, other_region.as_bytes()).is_some());
        assert_eq!(
            route(&spec(TableKind::Insights), MANAGEMENT.as_bytes()),
            None
        );
        assert_eq!(
            route(&spec(TableKind::ActivityAuditLog), MANAGEMENT.as_bytes()),
            None
        );
        let mut stopped = spec(TableKind::CloudTrail);
        stopped.ingesting = false;
        assert_eq!(route(&stopped, MANAGEMENT.as_bytes()), None);
    }

    #[test]
    fn activity_records_enter_the_stores_of_their_channel() {
        let record = r#"{"eventVersion":"1.11","eventCategory":"ActivityAuditLog","eventType":"ActivityLog","eventID":"e","eventTime":"2026-03-04T17:30:12Z","awsRegion":"us-east-1","recipientAccountId":"111122223333","metadata":{"ingestionTime":"2026-03-04T17:30:14Z","channelARN":"arn:aws:cloudtrail:us-east-1:111122223333:channel/c"},"eventData":{}}"#;
        assert_eq!(
            route(&spec(TableKind::ActivityAuditLog), record.as_bytes()).as_deref(),
            Some("2026-03-04")
        );
        let elsewhere = record.replace("channel/c", "channel/d");
        assert_eq!(
            route(&spec(TableKind::ActivityAuditLog), elsewhere.as_bytes()),
            None
        );
    }

    #[test]
    fn days_need_the_cloudtrail_shape() {
        assert_eq!(
            day_of("2026-01-22T00:00:00Z").as_deref(),
            Some("2026-01-22")
        );
        assert_eq!(day_of("2026-1-22T00:00:00Z"), None);
        assert_eq!(day_of("short"), None);
    }
}
