//! `GET /console/`: the dashboard. Counts come straight from the event history index
//! (`History::facets` and `History::histogram` count postings inside the range's
//! ordinals instead of reading events), restricted to the signed-in principal's account
//! as its lookups are; the recent Insights come from `LookupEvents`.

use http::StatusCode;
use opentrail_api::Operation;
use opentrail_console::chart::{self, BarChart, BarItem, StackedColumns, TimeBucket};
use opentrail_console::layout::Section;
use opentrail_console::pages::dashboard::{self, Choice, Dashboard, InsightItem, Panel};
use opentrail_event::EventCategory;
use opentrail_store::{FacetField, FacetRequest, HistogramBucket, HistogramRequest};
use opentrail_types::Timestamp;
use serde_json::{Value, json};

use super::history::{self, display_time, filtered_link};
use super::range::{TimeRange, form_text};
use super::{Ctx, Reply, query_of, query_string};

/// The ranges the dashboard offers (a subset of the history's presets).
const RANGES: [(&str, &str); 7] = [
    ("1h", "1 hour"),
    ("3h", "3 hours"),
    ("12h", "12 hours"),
    ("1d", "1 day"),
    ("7d", "7 days"),
    ("30d", "30 days"),
    ("90d", "90 days"),
];
/// Values per top-N chart.
const TOP: usize = 10;
/// Recent Insights listed.
const RECENT_INSIGHTS: usize = 5;

/// The top-N panels: field, heading, and the lookup attribute its bars filter by.
const PANELS: [(FacetField, &str); 4] = [
    (FacetField::EventName, "Top event names"),
    (FacetField::Username, "Top users"),
    (FacetField::ErrorCode, "Top error codes"),
    (FacetField::SourceIp, "Top source IP addresses"),
];

/// How the events-over-time chart is stacked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grouping {
    Category,
    ReadWrite,
}

impl Grouping {
    fn key(self) -> &'static str {
        match self {
            Grouping::Category => "category",
            Grouping::ReadWrite => "readwrite",
        }
    }
}

/// A bucket width for a span: at most 96 columns, on round widths.
fn bucket_ms(span_ms: i64) -> u64 {
    const MINUTE: u64 = 60_000;
    const WIDTHS: [u64; 12] = [
        MINUTE,
        2 * MINUTE,
        5 * MINUTE,
        10 * MINUTE,
        15 * MINUTE,
        30 * MINUTE,
        60 * MINUTE,
        3 * 60 * MINUTE,
        6 * 60 * MINUTE,
        12 * 60 * MINUTE,
        24 * 60 * MINUTE,
        7 * 24 * 60 * MINUTE,
    ];
    let span = u64::try_from(span_ms.max(1)).unwrap_or(1);
    WIDTHS
        .into_iter()
        .find(|width| span.div_ceil(*width) <= 96)
        .unwrap_or(30 * 24 * 60 * MINUTE)
        .max(span.div_ceil(opentrail_store::MAX_HISTOGRAM_BUCKETS as u64))
}

fn link_with(pairs: &[(&str, String)]) -> String {
    format!("/console/?{}", query_of(pairs))
}

/// The history of one bucket (a custom range).
fn history_of_bucket(bucket: &HistogramBucket) -> String {
    let start = form_text(bucket.start);
    let end = form_text(Timestamp::from_millis(bucket.end.as_millis() - 1));
    format!(
        "/console/events?{}",
        query_string([
            ("range", "custom"),
            ("start", start.as_str()),
            ("end", end.as_str()),
        ])
    )
}

fn over_time(buckets: &[HistogramBucket], grouping: Grouping, span_ms: i64) -> String {
    let pattern = if span_ms > 86_400_000 {
        "%m-%d %H:%M"
    } else {
        "%H:%M"
    };
    let pattern = if buckets
        .first()
        .is_some_and(|bucket| bucket.end.as_millis() - bucket.start.as_millis() >= 86_400_000)
    {
        "%Y-%m-%d"
    } else {
        pattern
    };
    let series: Vec<String> = match grouping {
        Grouping::Category => vec![
            String::from("Management"),
            String::from("Data"),
            String::from("Network activity"),
            String::from("Insight"),
        ],
        Grouping::ReadWrite => vec![
            String::from("Read"),
            String::from("Write"),
            String::from("Other"),
        ],
    };
    let buckets = buckets
        .iter()
        .map(|bucket| TimeBucket {
            label: bucket.start.format_utc(pattern),
            href: Some(history_of_bucket(bucket)),
            values: match grouping {
                Grouping::Category => vec![
                    bucket.category(EventCategory::Management),
                    bucket.category(EventCategory::Data),
                    bucket.category(EventCategory::NetworkActivity),
                    bucket.category(EventCategory::Insight),
                ],
                Grouping::ReadWrite => vec![
                    bucket.read_only_true,
                    bucket.read_only_false,
                    bucket.read_only_absent,
                ],
            },
        })
        .collect();
    chart::stacked_columns(&StackedColumns {
        title: String::from("Events over time"),
        series,
        buckets,
    })
}

/// `GET /console/`.
pub(crate) async fn dashboard(ctx: &Ctx<'_>) -> Reply {
    let caller = &ctx.session.caller;
    if !caller.principal.permission.allows_call(true) {
        let error = crate::http::access_denied_in(caller, "cloudtrail", "LookupEvents");
        return ctx.api_error_page(Section::Dashboard, &error);
    }
    let now = ctx.state.clock.now();
    let range = match TimeRange::from_params(&ctx.query, now, "1d") {
        Ok(range) if range.preset != "custom" => range,
        Ok(_) | Err(_) => {
            return ctx.error_page(
                StatusCode::BAD_REQUEST,
                Section::Dashboard,
                "The dashboard's time range is one of its presets.",
            );
        }
    };
    let grouping = match ctx.query.get("by") {
        Some("readwrite") => Grouping::ReadWrite,
        _ => Grouping::Category,
    };
    let account = Some(caller.principal.account_id.clone());
    let span_ms = range.end.as_millis() - range.start.as_millis();
    // Two halves on the blocking pool at once (the server has two cores): the source
    // addresses, by far the most distinct values, and the other fields with the histogram.
    let facets_request = |fields: Vec<FacetField>| FacetRequest {
        account: account.clone(),
        start: range.start,
        end: range.end,
        fields,
        top: TOP,
    };
    let (addresses_request, others_request) = (
        facets_request(vec![FacetField::SourceIp]),
        facets_request(
            PANELS
                .iter()
                .map(|(field, _)| *field)
                .filter(|field| *field != FacetField::SourceIp)
                .collect(),
        ),
    );
    let histogram_request = HistogramRequest {
        account: account.clone(),
        start: range.start,
        end: range.end,
        bucket_ms: bucket_ms(span_ms),
    };
    let state = ctx.state.clone();
    let addresses =
        tokio::task::spawn_blocking(move || state.engine.history.facets(&addresses_request));
    let state = ctx.state.clone();
    let others = tokio::task::spawn_blocking(move || {
        let history = &state.engine.history;
        let facets = history.facets(&others_request)?;
        let buckets = history.histogram(&histogram_request)?;
        Ok::<_, opentrail_store::AggregateError>((facets, buckets))
    });
    let counted = match (addresses.await, others.await) {
        (Ok(Ok(addresses)), Ok(Ok((mut facets, buckets)))) => {
            facets.fields.extend(addresses.fields);
            // In the panels' order.
            facets.fields.sort_by_key(|counted| {
                PANELS.iter().position(|(field, _)| *field == counted.field)
            });
            Ok(Ok((facets, buckets)))
        }
        (Ok(Err(error)), _) | (_, Ok(Err(error))) => Ok(Err(error)),
        (Err(error), _) | (_, Err(error)) => Err(error),
    };

    let mut view = Dashboard {
        range_text: format!(
            "{} – {}",
            display_time(range.start),
            display_time(range.end)
        ),
        history_href: history::link(&range.params()),
        ..Dashboard::default()
    };
    view.ranges = RANGES
        .iter()
        .map(|(key, label)| Choice {
            label: (*label).to_owned(),
            href: link_with(&[
                ("range", (*key).to_owned()),
                ("by", grouping.key().to_owned()),
            ]),
            current: range.preset == *key,
        })
        .collect();
    view.groupings = [
        (Grouping::Category, "By category"),
        (Grouping::ReadWrite, "By read/write"),
    ]
    .iter()
    .map(|(choice, label)| {
        let mut pairs = range.params();
        pairs.push(("by", choice.key().to_owned()));
        Choice {
            label: (*label).to_owned(),
            href: link_with(&pairs),
            current: *choice == grouping,
        }
    })
    .collect();
    match counted {
        Ok(Ok((facets, buckets))) => {
            view.total = chart::format_count(facets.total);
            view.over_time = over_time(&buckets, grouping, span_ms);
            for ((field, title), counted) in PANELS.iter().zip(&facets.fields) {
                let attribute = match field {
                    FacetField::SourceIp => "SourceIPAddress",
                    other => other.as_str(),
                };
                let items = counted
                    .top
                    .iter()
                    .map(|value| BarItem {
                        label: value.value.clone(),
                        value: value.count,
                        href: Some(filtered_link(attribute, &value.value, Some(&range))),
                    })
                    .collect();
                view.panels.push(Panel {
                    title: (*title).to_owned(),
                    chart: chart::bar_chart(&BarChart {
                        title: (*title).to_owned(),
                        items,
                    }),
                    history_href: history::link(&range.params()),
                });
            }
        }
        Ok(Err(error)) => view.error = Some(error.to_string()),
        Err(error) => view.error = Some(format!("the counts could not be made: {error}")),
    }
    view.insights = recent_insights(ctx, &range).await;
    ctx.page(
        "Dashboard",
        Section::Dashboard,
        None,
        &dashboard::dashboard(&view),
    )
}

/// The range's latest Insights events (none when the lookup fails: the rest of the
/// dashboard still shows).
async fn recent_insights(ctx: &Ctx<'_>, range: &TimeRange) -> Vec<InsightItem> {
    let request = json!({
        "EventCategory": "insight",
        "StartTime": range.start.as_epoch_seconds_f64(),
        "EndTime": range.end.as_epoch_seconds_f64(),
        "MaxResults": RECENT_INSIGHTS,
    });
    let Ok(answer) = ctx.call(Operation::LookupEvents, request).await else {
        return Vec::new();
    };
    answer
        .get("Events")
        .and_then(Value::as_array)
        .map(|events| events.iter().filter_map(insight_item).collect())
        .unwrap_or_default()
}

fn insight_item(event: &Value) -> Option<InsightItem> {
    let record: Value = serde_json::from_str(event.get("CloudTrailEvent")?.as_str()?).ok()?;
    let details = record.get("insightDetails")?;
    let text = |value: Option<&Value>| value.and_then(Value::as_str).unwrap_or("").to_owned();
    // An Insight's page is named by the id of either of its events.
    let event_id = text(event.get("EventId"));
    let insight_type = text(details.get("insightType"));
    let event_name = text(details.get("eventName"));
    let time = event
        .get("EventTime")
        .and_then(Value::as_f64)
        .and_then(Timestamp::from_epoch_seconds_f64)
        .map(display_time)
        .unwrap_or_default();
    Some(InsightItem {
        summary: format!("{insight_type} on {event_name}"),
        state: text(details.get("state")),
        time,
        href: format!(
            "/console/insights/{}",
            opentrail_console::html::query_value(&event_id)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_stay_round_and_few() {
        assert_eq!(bucket_ms(3_600_000), 60_000);
        assert_eq!(bucket_ms(3 * 3_600_000), 2 * 60_000);
        assert_eq!(bucket_ms(86_400_000), 15 * 60_000);
        assert_eq!(bucket_ms(7 * 86_400_000), 3 * 3_600_000);
        assert_eq!(bucket_ms(90 * 86_400_000), 86_400_000);
        for span in [1, 59_999, 3_600_000, 40 * 86_400_000, 3_650 * 86_400_000] {
            let width = bucket_ms(span);
            let count = u64::try_from(span).unwrap().div_ceil(width);
            assert!(
                count <= opentrail_store::MAX_HISTOGRAM_BUCKETS as u64,
                "{span}"
            );
        }
    }
}
