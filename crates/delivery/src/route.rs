//! Which events a trail receives, and into which stream (account, source region, folder).

use opentrail_event::EventCategory;
use opentrail_selectors::{CompiledSelectors, EventView};
use opentrail_trails::Trail;
use opentrail_types::Timestamp;
use serde::Deserialize;

use crate::state::Kind;

/// The members of a record routing needs beyond what selectors read.
#[derive(Debug, Default, Deserialize)]
struct Head<'a> {
    #[serde(rename = "eventTime", borrow, default)]
    event_time: Option<&'a str>,
    #[serde(rename = "awsRegion", borrow, default)]
    aws_region: Option<&'a str>,
    #[serde(rename = "recipientAccountId", borrow, default)]
    recipient_account_id: Option<&'a str>,
    #[serde(rename = "eventSource", borrow, default)]
    event_source: Option<&'a str>,
    #[serde(rename = "eventName", borrow, default)]
    event_name: Option<&'a str>,
    #[serde(rename = "eventCategory", borrow, default)]
    event_category: Option<&'a str>,
    #[serde(rename = "eventType", borrow, default)]
    event_type: Option<&'a str>,
    #[serde(rename = "requestParameters", borrow, default)]
    request_parameters: Option<NameParameter<'a>>,
    #[serde(rename = "insightDetails", borrow, default)]
    insight_details: Option<InsightHead<'a>>,
}

/// What decides whether a trail wants an Insights event: its type and, for data-event
/// Insights, `insightDetails.eventCategory` `Data` (absent: management events).
#[derive(Debug, Default, Deserialize)]
struct InsightHead<'a> {
    #[serde(rename = "insightType", borrow, default)]
    insight_type: Option<std::borrow::Cow<'a, str>>,
    #[serde(rename = "eventCategory", borrow, default)]
    event_category: Option<std::borrow::Cow<'a, str>>,
}

#[derive(Debug, Default, Deserialize)]
struct NameParameter<'a> {
    #[serde(borrow, default)]
    name: Option<std::borrow::Cow<'a, str>>,
}

/// Where an accepted event goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Stream {
    /// Account folder.
    pub account: String,
    /// Source region folder.
    pub region: String,
    /// Log or Insights folder.
    pub kind: Kind,
}

/// An event routed to a stream, with its `eventTime`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routed {
    /// The stream.
    pub stream: Stream,
    /// Its `eventTime` (digests carry the newest and oldest per file).
    pub event_time: Timestamp,
}

/// Event sources whose events are global (recorded in `us-east-1`): carried only by
/// trails with `IncludeGlobalServiceEvents`, and by single-region trails only in
/// `us-east-1` (CloudTrail's rule for trails created since 2021).
const GLOBAL_SOURCES: &[&str] = &[
    "iam.amazonaws.com",
    "sts.amazonaws.com",
    "cloudfront.amazonaws.com",
    "route53.amazonaws.com",
    "route53domains.amazonaws.com",
    "organizations.amazonaws.com",
    "signin.amazonaws.com",
    "waf.amazonaws.com",
    "globalaccelerator.amazonaws.com",
    "shield.amazonaws.com",
    "support.amazonaws.com",
];

const GLOBAL_REGION: &str = "us-east-1";

fn is_global(source: Option<&str>, region: &str) -> bool {
    // STS has regional endpoints; only its global endpoint's events (us-east-1) are global.
    region == GLOBAL_REGION && source.is_some_and(|source| GLOBAL_SOURCES.contains(&source))
}

/// Whether `payload`, which arrived at `arrival`, goes to `trail` and where. `None` for
/// events the trail does not carry (or records it cannot read, which ingest never accepts).
pub fn route(
    trail: &Trail,
    selectors: &CompiledSelectors,
    arrival: Timestamp,
    payload: &[u8],
) -> Option<Routed> {
    let head: Head<'_> = serde_json::from_slice(payload).ok()?;
    let account = head.recipient_account_id?;
    if account != trail.account_id {
        return None;
    }
    let region = head.aws_region.unwrap_or(trail.home_region.as_str());
    if !trail.is_multi_region_trail && region != trail.home_region {
        return None;
    }
    if is_global(head.event_source, region) && !trail.include_global_service_events {
        return None;
    }
    if !logging_at(trail, arrival, &head) {
        return None;
    }
    let category = EventCategory::derive(
        head.event_category,
        head.event_type,
        head.insight_details.is_some(),
        None,
    );
    let kind = if category == EventCategory::Insight {
        if !wants_insight(trail, head.insight_details.as_ref()) {
            return None;
        }
        Kind::Insight
    } else {
        let view = EventView::parse(payload).ok()?;
        if !selectors.matches(&view) {
            return None;
        }
        Kind::CloudTrail
    };
    let event_time = head
        .event_time
        .and_then(|text| Timestamp::parse_event_time(text).ok())
        .unwrap_or(arrival);
    Some(Routed {
        stream: Stream {
            account: account.to_owned(),
            region: region.to_owned(),
            kind,
        },
        event_time,
    })
}

/// Whether the trail's Insights selectors ask for this Insights event: a selector of its
/// type whose categories include the event's (management unless it says `Data`).
fn wants_insight(trail: &Trail, details: Option<&InsightHead<'_>>) -> bool {
    let insight_type = details.and_then(|details| details.insight_type.as_deref());
    let category = details
        .and_then(|details| details.event_category.as_deref())
        .unwrap_or("Management");
    trail.insight_selectors.iter().any(|selector| {
        Some(selector.insight_type.as_str()) == insight_type
            && selector
                .effective_categories()
                .iter()
                .any(|each| each.as_str() == category)
    })
}

/// How long after a StopLogging the call's own record is still awaited (it is appended
/// to the journal just after the trail changed).
pub const STOP_GRACE_MILLIS: i64 = 2_000;

/// Whether the trail was logging when the event arrived. The record of the StopLogging
/// call that stopped the trail (or of the DeleteTrail that removed it) arrives just after
/// the stop and still belongs to the trail, as in CloudTrail.
fn logging_at(trail: &Trail, arrival: Timestamp, head: &Head<'_>) -> bool {
    for interval in trail.logging_history.iter().rev() {
        if arrival < interval.start {
            continue;
        }
        match interval.stop {
            None => return true,
            Some(stop) if arrival <= stop => return true,
            Some(stop) => {
                return arrival.as_millis() <= stop.as_millis() + STOP_GRACE_MILLIS
                    && is_own_stop(trail, head);
            }
        }
    }
    false
}

fn is_own_stop(trail: &Trail, head: &Head<'_>) -> bool {
    if head.event_source != Some("cloudtrail.amazonaws.com") {
        return false;
    }
    if !matches!(head.event_name, Some("StopLogging" | "DeleteTrail")) {
        return false;
    }
    head.request_parameters
        .as_ref()
        .and_then(|parameters| parameters.name.as_deref())
        .is_some_and(|name| name == trail.name || name == trail.arn)
}
