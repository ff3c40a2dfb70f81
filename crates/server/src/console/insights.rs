//! Insights pages: the list of Insights over a time range and one Insight's page, through
//! `LookupEvents` with `EventCategory=insight` and `ListInsightsMetricData`, as the
//! signed-in principal.
//!
//! | Route | What |
//! | --- | --- |
//! | `GET /console/insights` | the Insights of a time range (`range`, `start`, `end`, `at`; default 90 days) |
//! | `GET /console/insights/{eventId}` | one Insight, named by the `eventID` of its Start event (or of its End event when the Start is older than the list's range) |
//!
//! An Insight is logged as two Insights events that share a `sharedEventID`: Start and,
//! once the rate is back to normal, End. The list pairs them into one row. The page of an
//! Insight is addressed by an event ID rather than the shared ID because `LookupEvents`
//! finds an event by ID directly (`EventId`), while finding a shared ID would mean reading
//! every Insights event; the page then finds the other event of the pair by its API name.

use std::collections::HashMap;

use http::{Method, StatusCode};
use opentrail_api::{ApiError, Operation};
use opentrail_console::chart::{
    LineChart, LineSeries, XTick, XWindow, format_count, format_number,
};
use opentrail_console::html::query_value;
use opentrail_console::layout::Section;
use opentrail_console::pages::insights::{
    self, Attribution, InsightDetail, InsightList, InsightRecord, InsightRow, insight_type_label,
};
use opentrail_types::Timestamp;
use serde_json::{Value, json};

use super::history::{display_time, filtered_link};
use super::range::{TimeRange, form_text};
use super::{Ctx, Reply, api_error_text, query_of};

/// `LookupEvents`' largest page.
const LOOKUP_PAGE: usize = 50;
/// Most Insights events the list reads.
const MAX_LIST_EVENTS: usize = 1000;
/// Most events read while looking for the other event of a pair.
const MAX_PARTNER_EVENTS: usize = 1000;
/// How far the chart reaches before the Insight's start and after its end.
const CHART_MARGIN_MS: i64 = 2 * HOUR_MS;
/// Pages of `ListInsightsMetricData` read for one chart.
const METRIC_PAGES: usize = 5;
const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;
const DAY_MS: i64 = 24 * HOUR_MS;

/// Routes `/console/insights/...`; `rest` is the path after `insights`, split at `/`.
pub(crate) async fn route(ctx: &Ctx<'_>, method: &Method, rest: &[&str]) -> Reply {
    match (method, rest) {
        (&Method::GET, [] | [""]) => list(ctx).await,
        (&Method::GET, [event_id]) => {
            let event_id = percent_encoding::percent_decode_str(event_id)
                .decode_utf8_lossy()
                .into_owned();
            detail(ctx, &event_id).await
        }
        _ => ctx.error_page(
            StatusCode::NOT_FOUND,
            Section::Insights,
            "There is no such page in the console.",
        ),
    }
}

/// One Insights event, as read from its record.
#[derive(Debug, Clone, PartialEq)]
struct InsightEvent {
    event_id: String,
    event_time: Timestamp,
    shared_id: String,
    /// `Start` or `End`.
    state: String,
    event_source: String,
    event_name: String,
    insight_type: String,
    error_code: String,
    baseline_average: Option<f64>,
    insight_average: Option<f64>,
    /// Minutes.
    insight_duration: Option<i64>,
    /// Minutes.
    baseline_duration: Option<i64>,
    region: String,
    record: Value,
}

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}

/// Reads an Insights record (`spec/events-and-queries.md` §4.4); `None` when it is not one.
fn insight_event(record: Value, fallback_time: Option<Timestamp>) -> Option<InsightEvent> {
    let details = record.get("insightDetails")?;
    let statistics = details
        .pointer("/insightContext/statistics")
        .cloned()
        .unwrap_or(Value::Null);
    let event_time = record
        .get("eventTime")
        .and_then(Value::as_str)
        .and_then(|time| Timestamp::parse_event_time(time).ok())
        .or(fallback_time)?;
    Some(InsightEvent {
        event_id: text(&record, "eventID"),
        event_time,
        shared_id: text(&record, "sharedEventID"),
        state: text(details, "state"),
        event_source: text(details, "eventSource"),
        event_name: text(details, "eventName"),
        insight_type: text(details, "insightType"),
        error_code: text(details, "errorCode"),
        baseline_average: statistics
            .pointer("/baseline/average")
            .and_then(Value::as_f64),
        insight_average: statistics
            .pointer("/insight/average")
            .and_then(Value::as_f64),
        insight_duration: statistics.get("insightDuration").and_then(Value::as_i64),
        baseline_duration: statistics.get("baselineDuration").and_then(Value::as_i64),
        region: text(&record, "awsRegion"),
        record,
    })
}

/// A `LookupEvents` event as an Insights event.
fn lookup_insight_event(event: &Value) -> Option<InsightEvent> {
    let record: Value = event
        .get("CloudTrailEvent")
        .and_then(Value::as_str)
        .and_then(|text| serde_json::from_str(text).ok())?;
    let time = event
        .get("EventTime")
        .and_then(Value::as_f64)
        .and_then(Timestamp::from_epoch_seconds_f64);
    insight_event(record, time)
}

/// One Insight: its Start event and its End event, either of which may be missing from
/// what was read (an ongoing Insight has no End yet; a range may cut off the Start), but
/// never both.
#[derive(Debug, Clone, PartialEq)]
struct Insight {
    /// The Start event when it was read, else the End event.
    first: InsightEvent,
    /// The End event when `first` is the Start and the End was read.
    second: Option<InsightEvent>,
}

fn is_end(event: &InsightEvent) -> bool {
    event.state == "End"
}

impl Insight {
    /// The event that names the Insight: the Start when present.
    fn first(&self) -> &InsightEvent {
        &self.first
    }

    fn start(&self) -> Option<&InsightEvent> {
        (!is_end(&self.first)).then_some(&self.first)
    }

    fn end(&self) -> Option<&InsightEvent> {
        if is_end(&self.first) {
            Some(&self.first)
        } else {
            self.second.as_ref()
        }
    }

    /// The start: the Start event's time, else the End's time less the duration.
    fn start_time(&self) -> Timestamp {
        match self.start() {
            Some(start) => start.event_time,
            None => {
                let minutes = self.first.insight_duration.unwrap_or(0).max(0);
                Timestamp::from_millis(self.first.event_time.as_millis() - minutes * MINUTE_MS)
            }
        }
    }

    fn end_time(&self) -> Option<Timestamp> {
        self.end().map(|end| end.event_time)
    }

    /// The rate during the Insight: the End's average (over the whole Insight) when
    /// present, else the Start's (its first minutes).
    fn insight_average(&self) -> Option<f64> {
        self.end()
            .and_then(|end| end.insight_average)
            .or(self.first.insight_average)
    }

    fn baseline_average(&self) -> Option<f64> {
        self.first
            .baseline_average
            .or_else(|| self.end().and_then(|end| end.baseline_average))
    }

    /// The most complete record: the End (its attributions cover the whole Insight).
    fn latest(&self) -> &InsightEvent {
        self.end().unwrap_or(&self.first)
    }
}

/// Pairs Insights events by `sharedEventID` (an event without one stands alone), newest
/// start first. A second event of the same state for one Insight is ignored.
fn pair_insights(events: Vec<InsightEvent>) -> Vec<Insight> {
    type Pair = (Option<InsightEvent>, Option<InsightEvent>);
    let mut pairs: Vec<Pair> = Vec::new();
    let mut by_shared_id: HashMap<String, usize> = HashMap::new();
    for event in events {
        let index = match by_shared_id.get(&event.shared_id) {
            Some(index) if !event.shared_id.is_empty() => *index,
            _ => {
                if !event.shared_id.is_empty() {
                    by_shared_id.insert(event.shared_id.clone(), pairs.len());
                }
                pairs.push((None, None));
                pairs.len() - 1
            }
        };
        let (start, end) = &mut pairs[index];
        let slot = if is_end(&event) { end } else { start };
        if slot.is_none() {
            *slot = Some(event);
        }
    }
    let mut insights: Vec<Insight> = pairs
        .into_iter()
        .filter_map(|pair| match pair {
            (Some(start), end) => Some(Insight {
                first: start,
                second: end,
            }),
            (None, Some(end)) => Some(Insight {
                first: end,
                second: None,
            }),
            (None, None) => None,
        })
        .collect();
    insights.sort_by(|left, right| {
        right
            .start_time()
            .cmp(&left.start_time())
            .then_with(|| left.first.event_id.cmp(&right.first.event_id))
    });
    insights
}

/// Reads Insights events of `request` (a `LookupEvents` request without paging members),
/// up to `limit`; the flag says whether more were left unread.
async fn lookup_insights(
    ctx: &Ctx<'_>,
    mut request: Value,
    limit: usize,
) -> Result<(Vec<InsightEvent>, bool), ApiError> {
    request["EventCategory"] = Value::String(String::from("insight"));
    request["MaxResults"] = json!(LOOKUP_PAGE);
    let mut events = Vec::new();
    let mut read = 0;
    loop {
        let answer = ctx.call(Operation::LookupEvents, request.clone()).await?;
        let page = answer
            .get("Events")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        read += page.len();
        events.extend(page.iter().filter_map(lookup_insight_event));
        match answer.get("NextToken").and_then(Value::as_str) {
            Some(token) if read < limit => {
                request["NextToken"] = Value::String(token.to_owned());
            }
            Some(_) => return Ok((events, true)),
            None => return Ok((events, false)),
        }
    }
}

fn average_text(average: Option<f64>) -> String {
    average.map(format_number).unwrap_or_default()
}

/// The detail page's URL for an Insight, keeping the list's range.
fn detail_href(event_id: &str, range: &TimeRange) -> String {
    let pairs = range.params();
    format!(
        "/console/insights/{}?{}",
        query_value(event_id),
        query_of(&pairs)
    )
}

/// `GET /console/insights`.
async fn list(ctx: &Ctx<'_>) -> Reply {
    let now = ctx.state.clock.now();
    let range = match TimeRange::from_params(&ctx.query, now, "90d") {
        Ok(range) => range,
        Err(message) => {
            return ctx.error_page(StatusCode::BAD_REQUEST, Section::Insights, &message);
        }
    };
    let mut view = InsightList {
        range: range.preset.clone(),
        start: range.start_text.clone(),
        end: range.end_text.clone(),
        ..InsightList::default()
    };
    let request = json!({
        "StartTime": range.start.as_epoch_seconds_f64(),
        "EndTime": range.end.as_epoch_seconds_f64(),
    });
    match lookup_insights(ctx, request, MAX_LIST_EVENTS).await {
        Ok((events, truncated)) => {
            if truncated {
                view.truncated_at = Some(MAX_LIST_EVENTS);
            }
            view.rows = pair_insights(events)
                .iter()
                .map(|insight| insight_row(insight, &range))
                .collect();
        }
        Err(error) => view.error = Some(api_error_text(&error)),
    }
    ctx.page(
        "Insights",
        Section::Insights,
        None,
        &insights::insight_list(&view),
    )
}

fn insight_row(insight: &Insight, range: &TimeRange) -> InsightRow {
    let first = insight.first();
    InsightRow {
        href: detail_href(&first.event_id, range),
        event_name: first.event_name.clone(),
        event_source: first.event_source.clone(),
        insight_type: first.insight_type.clone(),
        error_code: first.error_code.clone(),
        start_time: display_time(insight.start_time()),
        end_time: insight.end_time().map(display_time),
        baseline_average: average_text(insight.baseline_average()),
        insight_average: average_text(insight.insight_average()),
    }
}

/// `GET /console/insights/{eventId}`.
async fn detail(ctx: &Ctx<'_>, event_id: &str) -> Reply {
    let now = ctx.state.clock.now();
    let request = json!({
        "LookupAttributes": [{ "AttributeKey": "EventId", "AttributeValue": event_id }],
    });
    let found = match lookup_insights(ctx, request, 1).await {
        Ok((events, _)) => events.into_iter().next(),
        Err(error) => return ctx.api_error_page(Section::Insights, &error),
    };
    let Some(found) = found else {
        return ctx.error_page(
            StatusCode::NOT_FOUND,
            Section::Insights,
            &format!("No Insights event with ID {event_id} is in this account's event history."),
        );
    };
    let partner = match find_partner(ctx, &found, now).await {
        Ok(partner) => partner,
        Err(error) => return ctx.api_error_page(Section::Insights, &error),
    };
    let mut events = vec![found];
    events.extend(partner);
    let Some(insight) = pair_insights(events).into_iter().next() else {
        return ctx.error_page(
            StatusCode::NOT_FOUND,
            Section::Insights,
            "The Insights event could not be read.",
        );
    };
    let list_href = match TimeRange::from_params(&ctx.query, now, "90d") {
        Ok(range) if ctx.query.get("range").is_some() => {
            let pairs = range.params();
            format!("/console/insights?{}", query_of(&pairs))
        }
        _ => String::from("/console/insights"),
    };
    let mut view = detail_view(&insight, now, list_href);
    let first = insight.first();
    let window = chart_window(&insight, now);
    match metric_points(ctx, first, &window).await {
        Ok(points) => {
            view.chart = rate_chart(&insight, &window, points);
        }
        Err(error) => view.chart_error = Some(api_error_text(&error)),
    }
    let title = format!("Insight: {}", first.event_name);
    ctx.page(
        &title,
        Section::Insights,
        None,
        &insights::insight_detail(&view),
    )
}

/// The other event of `found`'s pair, looked up by its API name: after a Start up to now,
/// before an End back to its start.
async fn find_partner(
    ctx: &Ctx<'_>,
    found: &InsightEvent,
    now: Timestamp,
) -> Result<Option<InsightEvent>, ApiError> {
    if found.event_name.is_empty() || found.shared_id.is_empty() {
        return Ok(None);
    }
    let (start, end) = if found.state == "End" {
        let minutes = found.insight_duration.unwrap_or(0).max(0);
        let start = found.event_time.as_millis() - minutes * MINUTE_MS - HOUR_MS;
        (Timestamp::from_millis(start), found.event_time)
    } else {
        (found.event_time, now.max(found.event_time))
    };
    let request = json!({
        "LookupAttributes": [{ "AttributeKey": "EventName", "AttributeValue": found.event_name }],
        "StartTime": start.as_epoch_seconds_f64(),
        "EndTime": end.as_epoch_seconds_f64(),
    });
    let (events, _) = lookup_insights(ctx, request, MAX_PARTNER_EVENTS).await?;
    Ok(events.into_iter().find(|event| {
        event.shared_id == found.shared_id
            && event.event_id != found.event_id
            && (event.state == "End") != (found.state == "End")
    }))
}

/// What the chart covers: the Insight (`start`..`end`, `end` now while ongoing) and the
/// span drawn around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ChartWindow {
    insight_start: Timestamp,
    insight_end: Timestamp,
    from: Timestamp,
    to: Timestamp,
    /// `Period` in seconds.
    period: i64,
}

fn chart_window(insight: &Insight, now: Timestamp) -> ChartWindow {
    let insight_start = insight.start_time();
    let insight_end = insight.end_time().unwrap_or(now).max(insight_start);
    let from = Timestamp::from_millis(insight_start.as_millis() - CHART_MARGIN_MS);
    let to =
        Timestamp::from_millis((insight_end.as_millis() + CHART_MARGIN_MS).min(now.as_millis()))
            .max(insight_end);
    ChartWindow {
        insight_start,
        insight_end,
        from,
        to,
        period: metric_period(
            to.as_millis() - from.as_millis(),
            now.as_millis() - from.as_millis(),
        ),
    }
}

/// The finest `Period` that keeps the chart readable and whose points are still kept
/// (1-minute points 15 days, 5-minute points 63 days, hourly points 90 days).
fn metric_period(span_ms: i64, age_ms: i64) -> i64 {
    if span_ms <= DAY_MS && age_ms <= 15 * DAY_MS {
        60
    } else if span_ms <= 7 * DAY_MS && age_ms <= 63 * DAY_MS {
        300
    } else {
        3600
    }
}

/// The rate per minute over the window: `(epoch ms, value per minute)`.
async fn metric_points(
    ctx: &Ctx<'_>,
    event: &InsightEvent,
    window: &ChartWindow,
) -> Result<Vec<(f64, f64)>, ApiError> {
    let mut request = json!({
        "EventSource": event.event_source,
        "EventName": event.event_name,
        "InsightType": event.insight_type,
        "StartTime": window.from.as_epoch_seconds_f64(),
        "EndTime": window.to.as_epoch_seconds_f64(),
        "Period": window.period,
        "DataType": "FillWithZeros",
    });
    if !event.error_code.is_empty() {
        request["ErrorCode"] = Value::String(event.error_code.clone());
    }
    let per_minute = window.period as f64 / 60.0;
    let mut points = Vec::new();
    for _ in 0..METRIC_PAGES {
        let answer = ctx
            .call(Operation::ListInsightsMetricData, request.clone())
            .await?;
        let empty = Vec::new();
        let times = answer
            .get("Timestamps")
            .and_then(Value::as_array)
            .unwrap_or(&empty);
        let values = answer
            .get("Values")
            .and_then(Value::as_array)
            .unwrap_or(&empty);
        for (time, value) in times.iter().zip(values) {
            if let (Some(time), Some(value)) = (time.as_f64(), value.as_f64()) {
                points.push((time * 1000.0, value / per_minute));
            }
        }
        match answer.get("NextToken").and_then(Value::as_str) {
            Some(token) => request["NextToken"] = Value::String(token.to_owned()),
            None => break,
        }
    }
    Ok(points)
}

/// Tick positions for `from..to`: a step from a fixed ladder giving at most about eight
/// ticks, each labelled with the clock time (and the date when the span passes a day).
fn time_ticks(from: Timestamp, to: Timestamp) -> Vec<XTick> {
    const STEPS: [i64; 12] = [
        MINUTE_MS,
        5 * MINUTE_MS,
        10 * MINUTE_MS,
        15 * MINUTE_MS,
        30 * MINUTE_MS,
        HOUR_MS,
        2 * HOUR_MS,
        3 * HOUR_MS,
        6 * HOUR_MS,
        12 * HOUR_MS,
        DAY_MS,
        7 * DAY_MS,
    ];
    let span = (to.as_millis() - from.as_millis()).max(1);
    let step = STEPS
        .into_iter()
        .find(|step| span / step <= 8)
        .unwrap_or(30 * DAY_MS);
    let pattern = if span <= DAY_MS {
        "%H:%M"
    } else if step < DAY_MS {
        "%m-%d %H:%M"
    } else {
        "%Y-%m-%d"
    };
    let first = from.as_millis().div_euclid(step) * step + step;
    let mut ticks = Vec::new();
    let mut at = first;
    while at <= to.as_millis() && ticks.len() < 16 {
        ticks.push(XTick {
            x: at as f64,
            label: Timestamp::from_millis(at).format_utc(pattern),
        });
        at += step;
    }
    ticks
}

fn rate_noun(insight_type: &str) -> &'static str {
    if insight_type == "ApiErrorRateInsight" {
        "Errors"
    } else {
        "Calls"
    }
}

/// The rate chart: the series, the baseline dashed and the Insight shaded.
fn rate_chart(insight: &Insight, window: &ChartWindow, points: Vec<(f64, f64)>) -> LineChart {
    let first = insight.first();
    let noun = rate_noun(&first.insight_type);
    let end_label = if insight.end().is_some() {
        window.insight_end.format_utc("%H:%M UTC")
    } else {
        String::from("now (ongoing)")
    };
    LineChart {
        title: format!("{noun} per minute of {}", first.event_name),
        series: vec![LineSeries {
            name: format!("{noun} per minute"),
            points,
        }],
        x_ticks: time_ticks(window.from, window.to),
        baseline: insight.baseline_average(),
        windows: vec![XWindow {
            start: window.insight_start.as_millis() as f64,
            end: window.insight_end.as_millis() as f64,
            label: format!(
                "Insight {}–{end_label}",
                window.insight_start.format_utc("%H:%M")
            ),
        }],
    }
}

fn attribute_label(attribute: &str) -> String {
    match attribute {
        "userIdentityArn" => String::from("User identity ARN"),
        "userAgent" => String::from("User agent"),
        "errorCode" => String::from("Error code"),
        "resourceArn" => String::from("Resource ARN"),
        other => other.to_owned(),
    }
}

/// The top contributors of an Insights record's `insightContext.attributions`.
fn attributions(record: &Value) -> Vec<Attribution> {
    let contributors = |list: Option<&Value>| -> Vec<(String, String)> {
        list.and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|item| {
                let value = match item.get("value") {
                    Some(Value::String(text)) => text.clone(),
                    Some(Value::Null) | None => String::from("null"),
                    Some(other) => other.to_string(),
                };
                (
                    value,
                    average_text(item.get("average").and_then(Value::as_f64)),
                )
            })
            .collect()
    };
    record
        .pointer("/insightDetails/insightContext/attributions")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|attribution| {
            let attribute = text(attribution, "attribute");
            Attribution {
                label: attribute_label(&attribute),
                insight: contributors(attribution.get("insight")),
                baseline: contributors(attribution.get("baseline")),
                attribute,
            }
        })
        .collect()
}

fn minutes_text(minutes: Option<i64>) -> String {
    match minutes {
        None => String::new(),
        Some(1) => String::from("1 minute"),
        Some(minutes) if minutes >= 2 * 1440 => format!(
            "{} minutes ({} days)",
            format_count(minutes.max(0) as u64),
            minutes / 1440
        ),
        Some(minutes) => format!("{} minutes", format_count(minutes.max(0) as u64)),
    }
}

/// The page's facts, contributors, records and history link (the chart is added after).
fn detail_view(insight: &Insight, now: Timestamp, list_href: String) -> InsightDetail {
    let first = insight.first();
    let latest = insight.latest();
    let noun = rate_noun(&first.insight_type);
    let per_minute = |average: Option<f64>| match average {
        Some(average) => format!("{} per minute", format_number(average)),
        None => String::new(),
    };
    let mut facts = vec![
        (
            String::from("State"),
            String::from(if insight.end().is_some() {
                "Ended"
            } else {
                "Ongoing"
            }),
        ),
        (
            String::from("Insight type"),
            insight_type_label(&first.insight_type).to_owned(),
        ),
        (String::from("Event source"), first.event_source.clone()),
        (String::from("Event name"), first.event_name.clone()),
    ];
    if !first.error_code.is_empty() {
        facts.push((String::from("Error code"), first.error_code.clone()));
    }
    facts.extend([
        (
            String::from("Start time"),
            display_time(insight.start_time()),
        ),
        (
            String::from("End time"),
            insight
                .end_time()
                .map_or_else(|| String::from("ongoing"), display_time),
        ),
        (
            String::from("Duration"),
            minutes_text(latest.insight_duration),
        ),
        (
            String::from("Baseline average"),
            per_minute(insight.baseline_average()),
        ),
        (
            String::from("Insight average"),
            per_minute(insight.insight_average()),
        ),
        (
            String::from("Baseline duration"),
            minutes_text(latest.baseline_duration),
        ),
        (String::from("AWS Region"), first.region.clone()),
        (String::from("Shared event ID"), first.shared_id.clone()),
    ]);

    // The history of the API over the Insight, to the minute after it ends.
    let end = insight.end_time().unwrap_or(now);
    let history_end = Timestamp::from_millis(end.as_millis() + MINUTE_MS);
    let range = TimeRange {
        preset: String::from("custom"),
        start: insight.start_time(),
        end: history_end,
        at_ms: now.as_millis(),
        start_text: form_text(insight.start_time()),
        end_text: form_text(history_end),
    };
    let records = [insight.start(), insight.end()]
        .into_iter()
        .flatten()
        .map(|event| InsightRecord {
            state: event.state.clone(),
            event_id: event.event_id.clone(),
            event_time: display_time(event.event_time),
            json: serde_json::to_string_pretty(&event.record).unwrap_or_default(),
        })
        .collect();
    InsightDetail {
        list_href,
        facts,
        rate_heading: format!("{} rate", if noun == "Errors" { "Error" } else { "Call" }),
        chart: LineChart::default(),
        chart_error: None,
        attributions: attributions(&latest.record),
        history_href: filtered_link("EventName", &first.event_name, Some(&range)),
        history_label: format!("{} events during the Insight", first.event_name),
        records,
        chart_note: chart_note(insight, now),
    }
}

/// Says what the chart shows: the rate's unit and period, the span, the baseline.
fn chart_note(insight: &Insight, now: Timestamp) -> String {
    let window = chart_window(insight, now);
    let noun = rate_noun(&insight.first.insight_type);
    let period = match window.period {
        60 => "each minute",
        300 => "averaged over 5-minute periods",
        _ => "averaged over hours",
    };
    format!(
        "{noun} per minute, {period}, from {} to {}. The dashed line is the baseline average; the shaded band is the Insight.",
        display_time(window.from),
        display_time(window.to),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, shared: &str, state: &str, time: &str, average: f64) -> Value {
        json!({
            "eventVersion": "1.08",
            "eventTime": time,
            "awsRegion": "us-east-1",
            "eventID": id,
            "eventType": "AwsCloudTrailInsight",
            "sharedEventID": shared,
            "insightDetails": {
                "state": state,
                "eventSource": "ec2.amazonaws.com",
                "eventName": "TerminateInstances",
                "insightType": "ApiCallRateInsight",
                "insightContext": {
                    "statistics": {
                        "baseline": { "average": 0.0012401 },
                        "insight": { "average": average },
                        "insightDuration": 17,
                        "baselineDuration": 11520
                    },
                    "attributions": [{
                        "attribute": "userIdentityArn",
                        "insight": [{ "value": "arn:aws:iam::1:user/a", "average": 6.0 }],
                        "baseline": [{ "value": "arn:aws:iam::1:user/b", "average": 0.0012401 }]
                    }]
                }
            },
            "eventCategory": "Insight"
        })
    }

    fn event(id: &str, shared: &str, state: &str, time: &str, average: f64) -> InsightEvent {
        insight_event(record(id, shared, state, time, average), None).unwrap()
    }

    #[test]
    fn start_and_end_events_pair_by_shared_event_id() {
        // LookupEvents answers newest first.
        let events = vec![
            event("e2", "s2", "Start", "2026-03-05T05:00:00Z", 20.0),
            event("e1", "s1", "End", "2026-03-05T02:31:00Z", 6.2352941),
            event("s1-start", "s1", "Start", "2026-03-05T02:14:00Z", 14.0),
            event("e3", "s3", "End", "2026-03-04T10:17:00Z", 3.0),
        ];
        let insights = pair_insights(events);
        assert_eq!(insights.len(), 3);
        // Newest start first; the ongoing one has no end.
        assert_eq!(insights[0].first().event_id, "e2");
        assert!(insights[0].end().is_none());
        let paired = &insights[1];
        assert_eq!(paired.first().event_id, "s1-start");
        assert_eq!(paired.end().unwrap().event_id, "e1");
        assert_eq!(
            paired.end_time().unwrap().format_event_time(),
            "2026-03-05T02:31:00Z"
        );
        // The End's average covers the whole Insight.
        assert_eq!(paired.insight_average(), Some(6.2352941));
        assert_eq!(paired.baseline_average(), Some(0.0012401));
        // An End whose Start is outside the range: the start is the end less the duration.
        let lone_end = &insights[2];
        assert!(lone_end.start().is_none());
        assert_eq!(lone_end.first().event_id, "e3");
        assert_eq!(
            lone_end.start_time().format_event_time(),
            "2026-03-04T10:00:00Z"
        );
    }

    #[test]
    fn events_without_a_shared_id_or_repeated_stay_apart() {
        let events = vec![
            event("a", "", "Start", "2026-03-05T02:00:00Z", 1.0),
            event("b", "", "Start", "2026-03-05T01:00:00Z", 1.0),
            event("c", "s", "Start", "2026-03-05T00:00:00Z", 1.0),
            event("d", "s", "Start", "2026-03-05T00:00:00Z", 1.0),
        ];
        let insights = pair_insights(events);
        assert_eq!(insights.len(), 3);
        assert_eq!(insights[2].first().event_id, "c");
    }

    #[test]
    fn records_that_are_not_insights_are_skipped() {
        assert!(
            insight_event(
                json!({ "eventID": "x", "eventTime": "2026-03-05T02:00:00Z" }),
                None
            )
            .is_none()
        );
        let lookup = json!({
            "EventId": "e1",
            "EventTime": 1_772_677_200.0,
            "CloudTrailEvent": record("e1", "s", "Start", "2026-03-05T02:14:00Z", 14.0).to_string(),
        });
        let read = lookup_insight_event(&lookup).unwrap();
        assert_eq!(read.state, "Start");
        assert_eq!(read.insight_duration, Some(17));
        assert_eq!(read.baseline_duration, Some(11520));
        assert_eq!(attributions(&read.record)[0].insight[0].1, "6");
    }

    #[test]
    fn the_chart_window_reaches_two_hours_around_the_insight_up_to_now() {
        let insights = pair_insights(vec![
            event("e", "s", "End", "2026-03-05T02:31:00Z", 6.0),
            event("b", "s", "Start", "2026-03-05T02:14:00Z", 14.0),
        ]);
        let now = Timestamp::parse_event_time("2026-03-05T03:00:00Z").unwrap();
        let window = chart_window(&insights[0], now);
        assert_eq!(window.from.format_event_time(), "2026-03-05T00:14:00Z");
        assert_eq!(window.to, now);
        assert_eq!(window.period, 60);
        let later = Timestamp::parse_event_time("2026-04-05T03:00:00Z").unwrap();
        let window = chart_window(&insights[0], later);
        assert_eq!(window.to.format_event_time(), "2026-03-05T04:31:00Z");
        assert_eq!(window.period, 300);
        assert_eq!(metric_period(2 * DAY_MS, 2 * DAY_MS), 300);
        assert_eq!(metric_period(HOUR_MS, 80 * DAY_MS), 3600);
    }

    #[test]
    fn time_ticks_are_few_and_round() {
        let from = Timestamp::parse_event_time("2026-03-05T00:14:00Z").unwrap();
        let to = Timestamp::parse_event_time("2026-03-05T04:31:00Z").unwrap();
        let ticks = time_ticks(from, to);
        let labels: Vec<&str> = ticks.iter().map(|tick| tick.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "00:30", "01:00", "01:30", "02:00", "02:30", "03:00", "03:30", "04:00", "04:30"
            ]
        );
        let to = Timestamp::parse_event_time("2026-03-08T00:00:00Z").unwrap();
        let labels: Vec<String> = time_ticks(from, to)
            .into_iter()
            .map(|tick| tick.label)
            .collect();
        assert_eq!(labels[0], "03-05 12:00");
        assert!(labels.len() <= 8, "{labels:?}");
    }

    #[test]
    fn the_detail_view_names_facts_and_the_history_window() {
        let insights = pair_insights(vec![
            event("e", "s", "End", "2026-03-05T02:31:00Z", 6.2352941),
            event("b", "s", "Start", "2026-03-05T02:14:00Z", 14.0),
        ]);
        let now = Timestamp::parse_event_time("2026-03-05T03:00:00Z").unwrap();
        let view = detail_view(&insights[0], now, String::from("/console/insights"));
        let fact = |label: &str| {
            view.facts
                .iter()
                .find(|(name, _)| name == label)
                .map(|(_, value)| value.clone())
                .unwrap()
        };
        assert_eq!(fact("State"), "Ended");
        assert_eq!(fact("Duration"), "17 minutes");
        assert_eq!(fact("Insight average"), "6.235 per minute");
        assert_eq!(fact("Baseline duration"), "11,520 minutes (8 days)");
        assert!(
            view.history_href
                .contains("attr=EventName&value=TerminateInstances"),
            "{}",
            view.history_href
        );
        assert!(
            view.history_href.contains("start=2026-03-05T02%3A14"),
            "{}",
            view.history_href
        );
        assert!(
            view.history_href.contains("end=2026-03-05T02%3A32"),
            "{}",
            view.history_href
        );
        assert_eq!(view.records.len(), 2);
        assert_eq!(view.records[0].state, "Start");
        assert!(
            view.chart_note.starts_with("Calls per minute, each minute"),
            "{}",
            view.chart_note
        );
    }
}
