//! Event history pages: the filtered table, one record, and downloads, all through
//! `LookupEvents` as the signed-in principal.

use http::StatusCode;
use opentrail_api::Operation;
use opentrail_console::layout::Section;
use opentrail_console::pages::events::{self, Column, EventDetail, EventHistory, EventRow};
use opentrail_types::Timestamp;
use serde_json::{Value, json};

use super::range::TimeRange;
use super::{Ctx, Reply, api_error_text, query_of};

/// Rows per page when the URL does not say.
const DEFAULT_PAGE_SIZE: usize = 50;
/// `LookupEvents`' largest page.
const LOOKUP_PAGE: usize = 50;

/// A download's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// CSV with every column.
    Csv,
    /// `{"Records":[…]}`, the records as stored (what `opentrail import` reads).
    Json,
}

/// What the filter form asks for.
struct Filter {
    attributes: Vec<(String, String)>,
    range: TimeRange,
    columns: Vec<Column>,
    page_size: usize,
}

impl Filter {
    fn from_ctx(ctx: &Ctx<'_>) -> Result<Filter, String> {
        let query = &ctx.query;
        let attributes: Vec<(String, String)> = query
            .all("attr")
            .zip(query.all("value"))
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(key, value)| (key.to_owned(), value.trim().to_owned()))
            .collect();
        if let Some((key, _)) = attributes
            .iter()
            .find(|(key, _)| !events::ATTRIBUTES.iter().any(|(known, _)| known == key))
        {
            return Err(format!("`{key}` is not a lookup attribute."));
        }
        let range = TimeRange::from_params(query, ctx.state.clock.now(), "90d")?;
        let mut columns: Vec<Column> = query.all("cols").filter_map(Column::from_key).collect();
        if columns.is_empty() {
            columns = Column::DEFAULT.to_vec();
        }
        let page_size = query
            .get("n")
            .and_then(|text| text.parse::<usize>().ok())
            .filter(|size| (1..=LOOKUP_PAGE).contains(size))
            .unwrap_or(DEFAULT_PAGE_SIZE);
        Ok(Filter {
            attributes,
            range,
            columns,
            page_size,
        })
    }

    /// The query-string pairs that repeat this filter.
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        for (key, value) in &self.attributes {
            pairs.push(("attr", key.clone()));
            pairs.push(("value", value.clone()));
        }
        pairs.extend(self.range.params());
        if self.columns != Column::DEFAULT {
            for column in &self.columns {
                pairs.push(("cols", column.key().to_owned()));
            }
        }
        if self.page_size != DEFAULT_PAGE_SIZE {
            pairs.push(("n", self.page_size.to_string()));
        }
        pairs
    }

    fn request(&self, max_results: usize, token: Option<&str>) -> Value {
        let attributes: Vec<Value> = self
            .attributes
            .iter()
            .map(|(key, value)| json!({ "AttributeKey": key, "AttributeValue": value }))
            .collect();
        let mut request = json!({
            "StartTime": self.range.start.as_epoch_seconds_f64(),
            "EndTime": self.range.end.as_epoch_seconds_f64(),
            "MaxResults": max_results,
        });
        if !attributes.is_empty() {
            request["LookupAttributes"] = Value::Array(attributes);
        }
        if let Some(token) = token {
            request["NextToken"] = Value::String(token.to_owned());
        }
        request
    }
}

/// The event history with the filter `pairs`.
pub(crate) fn link(pairs: &[(&str, String)]) -> String {
    format!("/console/events?{}", query_of(pairs))
}

/// The history link for one attribute's value (used by charts, records and other pages).
pub(crate) fn filtered_link(attribute: &str, value: &str, range: Option<&TimeRange>) -> String {
    let mut pairs = vec![("attr", attribute.to_owned()), ("value", value.to_owned())];
    if let Some(range) = range {
        pairs.extend(range.params());
    }
    link(&pairs)
}

/// An event's time as the console shows it.
pub(crate) fn display_time(time: Timestamp) -> String {
    time.format_utc("%Y-%m-%d %H:%M:%S UTC")
}

fn text(value: &Value, key: &str) -> String {
    match value.get(key) {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Bool(flag)) => flag.to_string(),
        _ => String::new(),
    }
}

/// A `LookupEvents` event as a row; the members the answer lacks come from its record.
fn row(event: &Value) -> (EventRow, Value) {
    let record: Value = event
        .get("CloudTrailEvent")
        .and_then(Value::as_str)
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or(Value::Null);
    let time = event
        .get("EventTime")
        .and_then(Value::as_f64)
        .and_then(Timestamp::from_epoch_seconds_f64)
        .map(display_time)
        .unwrap_or_default();
    let resources = event
        .get("Resources")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let row = EventRow {
        event_id: text(event, "EventId"),
        event_time: time,
        username: text(event, "Username"),
        event_name: text(event, "EventName"),
        resource_types: resources
            .iter()
            .map(|resource| text(resource, "ResourceType"))
            .collect(),
        resource_names: resources
            .iter()
            .map(|resource| text(resource, "ResourceName"))
            .collect(),
        event_source: text(event, "EventSource"),
        access_key_id: text(event, "AccessKeyId"),
        source_ip: text(&record, "sourceIPAddress"),
        error_code: text(&record, "errorCode"),
        read_only: match event.get("ReadOnly").and_then(Value::as_str) {
            Some(flag) => flag.to_owned(),
            None => text(&record, "readOnly"),
        },
        aws_region: text(&record, "awsRegion"),
        category: text(&record, "eventCategory"),
    };
    (row, record)
}

/// `GET /console/events`.
pub(crate) async fn event_history(ctx: &Ctx<'_>) -> Reply {
    let mut view = EventHistory {
        filters: ctx
            .query
            .all("attr")
            .zip(ctx.query.all("value"))
            .map(|(key, value)| (key.to_owned(), value.to_owned()))
            .collect(),
        range: String::from("90d"),
        columns: Column::DEFAULT.to_vec(),
        page_size: DEFAULT_PAGE_SIZE,
        page: 1,
        max_download: ctx.state.engine.config.console.max_download_events,
        ..EventHistory::default()
    };
    let filter = match Filter::from_ctx(ctx) {
        Ok(filter) => filter,
        Err(message) => {
            view.error = Some(message);
            return ctx.page(
                "Event history",
                Section::Events,
                None,
                &events::event_history(&view),
            );
        }
    };
    view.filters = filter.attributes.clone();
    view.range = filter.range.preset.clone();
    view.start = filter.range.start_text.clone();
    view.end = filter.range.end_text.clone();
    view.columns = filter.columns.clone();
    view.page_size = filter.page_size;
    let pairs = filter.pairs();
    view.filter_query = query_of(&pairs);

    // Paging: `token` is this page's NextToken, `back` the tokens of the pages before it
    // ("" for the first), so "Previous" needs no server state.
    let token = ctx.query.get("token").filter(|token| !token.is_empty());
    let back: Vec<&str> = ctx.query.all("back").collect();
    view.page = back.len() + 1;
    match ctx
        .call(
            Operation::LookupEvents,
            filter.request(filter.page_size, token),
        )
        .await
    {
        Ok(answer) => {
            view.rows = answer
                .get("Events")
                .and_then(Value::as_array)
                .map(|events| events.iter().map(|event| row(event).0).collect())
                .unwrap_or_default();
            if let Some(next) = answer.get("NextToken").and_then(Value::as_str) {
                let mut next_pairs = pairs.clone();
                for earlier in &back {
                    next_pairs.push(("back", (*earlier).to_owned()));
                }
                next_pairs.push(("back", token.unwrap_or("").to_owned()));
                next_pairs.push(("token", next.to_owned()));
                view.next_href = Some(link(&next_pairs));
            }
            if let Some((previous, earlier)) = back.split_last() {
                let mut previous_pairs = pairs.clone();
                for token in earlier {
                    previous_pairs.push(("back", (*token).to_owned()));
                }
                if !previous.is_empty() {
                    previous_pairs.push(("token", (*previous).to_owned()));
                }
                view.previous_href = Some(link(&previous_pairs));
            }
        }
        Err(error) => view.error = Some(api_error_text(&error)),
    }
    ctx.page(
        "Event history",
        Section::Events,
        None,
        &events::event_history(&view),
    )
}

fn first_event(answer: &Value) -> Option<&Value> {
    answer
        .get("Events")
        .and_then(Value::as_array)
        .and_then(|events| events.first())
}

/// `GET /console/events/{eventId}`.
pub(crate) async fn event_detail(ctx: &Ctx<'_>, event_id: &str) -> Reply {
    let event_id = percent_encoding::percent_decode_str(event_id)
        .decode_utf8_lossy()
        .into_owned();
    let request = json!({
        "LookupAttributes": [{ "AttributeKey": "EventId", "AttributeValue": event_id }],
        "MaxResults": 1,
    });
    let mut answer = match ctx.call(Operation::LookupEvents, request.clone()).await {
        Ok(answer) => answer,
        Err(error) => return ctx.api_error_page(Section::Events, &error),
    };
    if first_event(&answer).is_none() {
        // Insights events are found only by lookups of their category.
        let mut insight = request;
        insight["EventCategory"] = Value::String(String::from("insight"));
        if let Ok(found) = ctx.call(Operation::LookupEvents, insight).await {
            answer = found;
        }
    }
    let Some(event) = first_event(&answer) else {
        return ctx.error_page(
            StatusCode::NOT_FOUND,
            Section::Events,
            &format!("No event with ID {event_id} is in this account's event history."),
        );
    };
    let (row, record) = row(event);
    let fact = |label: &str, value: String, attribute: Option<&str>| {
        let href = attribute.map(|attribute| filtered_link(attribute, &value, None));
        (label.to_owned(), value, href)
    };
    let view = EventDetail {
        facts: vec![
            fact("Event time", row.event_time.clone(), None),
            fact("User name", row.username.clone(), Some("Username")),
            fact("Event name", row.event_name.clone(), Some("EventName")),
            fact(
                "Event source",
                row.event_source.clone(),
                Some("EventSource"),
            ),
            fact(
                "AWS access key",
                row.access_key_id.clone(),
                Some("AccessKeyId"),
            ),
            fact("Source IP address", row.source_ip.clone(), None),
            fact("AWS Region", row.aws_region.clone(), None),
            fact("Error code", row.error_code.clone(), None),
            fact("Error message", text(&record, "errorMessage"), None),
            fact("Read-only", row.read_only.clone(), None),
            fact("Event category", row.category.clone(), None),
            fact("Event type", text(&record, "eventType"), None),
            fact("Event ID", row.event_id.clone(), None),
            fact("Request ID", text(&record, "requestID"), None),
            fact(
                "Recipient account",
                text(&record, "recipientAccountId"),
                None,
            ),
        ],
        resources: row
            .resource_types
            .iter()
            .cloned()
            .zip(row.resource_names.iter().cloned())
            .collect(),
        record_json: serde_json::to_string_pretty(&record).unwrap_or_default(),
    };
    let title = format!("{} · {}", row.event_name, row.event_time);
    ctx.page(&title, Section::Events, None, &events::event_detail(&view))
}

/// `GET /console/events.csv` and `.json`: every event the filter matches, newest first,
/// up to `console.max_download_events`.
pub(crate) async fn download(ctx: &Ctx<'_>, format: Format) -> Reply {
    let filter = match Filter::from_ctx(ctx) {
        Ok(filter) => filter,
        Err(message) => {
            return ctx.error_page(StatusCode::BAD_REQUEST, Section::Events, &message);
        }
    };
    let limit = ctx.state.engine.config.console.max_download_events;
    // Each event's row and its record as stored (kept as text: a JSON download holds the
    // records byte for byte, members in their order).
    let mut rows: Vec<(EventRow, String)> = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = (limit - rows.len()).min(LOOKUP_PAGE);
        let answer = match ctx
            .call(
                Operation::LookupEvents,
                filter.request(page, token.as_deref()),
            )
            .await
        {
            Ok(answer) => answer,
            Err(error) => return ctx.api_error_page(Section::Events, &error),
        };
        if let Some(events) = answer.get("Events").and_then(Value::as_array) {
            rows.extend(events.iter().map(|event| {
                let raw = event
                    .get("CloudTrailEvent")
                    .and_then(Value::as_str)
                    .unwrap_or("null")
                    .to_owned();
                (row(event).0, raw)
            }));
        }
        token = answer
            .get("NextToken")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if token.is_none() || rows.len() >= limit {
            break;
        }
    }
    let stamp = ctx.state.clock.now().format_utc("%Y%m%dT%H%M%SZ");
    match format {
        Format::Csv => {
            let columns: Vec<String> = Column::ALL
                .iter()
                .map(|column| column.key().to_owned())
                .collect();
            let table: Vec<Vec<Option<String>>> = rows
                .iter()
                .map(|(row, _)| {
                    Column::ALL
                        .iter()
                        .map(|column| Some(row.text(*column)))
                        .collect()
                })
                .collect();
            Reply::Download {
                content_type: "text/csv; charset=utf-8",
                file_name: format!("event_history_{stamp}.csv"),
                body: opentrail_queries::results_csv(&columns, &table).into_bytes(),
            }
        }
        Format::Json => {
            let mut body =
                Vec::with_capacity(rows.iter().map(|(_, raw)| raw.len() + 1).sum::<usize>() + 16);
            body.extend_from_slice(b"{\"Records\":[");
            for (index, (_, raw)) in rows.iter().enumerate() {
                if index > 0 {
                    body.push(b',');
                }
                body.extend_from_slice(raw.as_bytes());
            }
            body.extend_from_slice(b"]}\n");
            Reply::Download {
                content_type: "application/json",
                file_name: format!("event_history_{stamp}.json"),
                body,
            }
        }
    }
}
