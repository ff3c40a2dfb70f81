//! Insights: the list of Insights (each Start event paired with its End event) and one
//! Insight's page (its facts, the call or error rate around it against the baseline, the
//! top contributors and its Insights events).

use std::fmt::Write as _;

use crate::chart::{LineChart, line_chart};
use crate::html::{Esc, push_escaped};
use crate::layout::push_error;
use crate::pages::events::{push_json_html, push_time_range};

/// One Insight as a row of the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InsightRow {
    /// The Insight's page.
    pub href: String,
    /// `insightDetails.eventName`.
    pub event_name: String,
    /// `insightDetails.eventSource`.
    pub event_source: String,
    /// `insightDetails.insightType`.
    pub insight_type: String,
    /// `insightDetails.errorCode` (error-rate Insights only).
    pub error_code: String,
    /// The start, formatted.
    pub start_time: String,
    /// The end, formatted; `None` while the Insight is ongoing.
    pub end_time: Option<String>,
    /// Baseline calls (or errors) per minute, formatted.
    pub baseline_average: String,
    /// Calls (or errors) per minute during the Insight, formatted.
    pub insight_average: String,
}

/// The Insights list.
#[derive(Debug, Clone, Default)]
pub struct InsightList {
    /// The time-range preset key (see [`RANGES`](crate::pages::events::RANGES)).
    pub range: String,
    /// Custom range start, `YYYY-MM-DDTHH:MM` (UTC).
    pub start: String,
    /// Custom range end, `YYYY-MM-DDTHH:MM` (UTC).
    pub end: String,
    /// The Insights, newest start first.
    pub rows: Vec<InsightRow>,
    /// Set when more Insights events matched than were read: the most read.
    pub truncated_at: Option<usize>,
    /// The lookup's error, shown instead of the table.
    pub error: Option<String>,
}

/// The text of an Insight type.
pub fn insight_type_label(insight_type: &str) -> &str {
    match insight_type {
        "ApiCallRateInsight" => "API call rate",
        "ApiErrorRateInsight" => "API error rate",
        other => other,
    }
}

/// The body of the Insights list.
pub fn insight_list(view: &InsightList) -> String {
    let mut out = String::with_capacity(8 * 1024 + view.rows.len() * 600);
    out.push_str(
        "<section class=\"panel\" aria-label=\"Time range\"><form method=\"get\" action=\"/console/insights\" id=\"insights-filter\"><div class=\"fields\">",
    );
    push_time_range(&mut out, &view.range, &view.start, &view.end);
    out.push_str(concat!(
        "<div><button type=\"submit\" class=\"primary\">Apply</button></div></div></form>",
        "<p class=\"small muted\">Insights events are logged when a trail has Insights selectors and the rate of write calls (or of errors) of one API departs from its baseline. Each row pairs an Insight's Start event with its End event.</p></section>"
    ));
    if let Some(error) = &view.error {
        push_error(&mut out, error);
        return out;
    }
    if let Some(limit) = view.truncated_at {
        let _ = write!(
            out,
            "<p class=\"small muted\" role=\"status\" id=\"insights-truncated\">More Insights events are in this range than the {limit} read; choose a shorter range to see the older ones.</p>"
        );
    }
    out.push_str(concat!(
        "<div class=\"table-wrap\"><table id=\"insights\"><caption class=\"skip\">Insights</caption><thead><tr>",
        "<th scope=\"col\">Event name</th><th scope=\"col\">Event source</th><th scope=\"col\">Insight type</th>",
        "<th scope=\"col\">Error code</th><th scope=\"col\">Start time</th><th scope=\"col\">End time</th>",
        "<th scope=\"col\" class=\"num\">Baseline average</th><th scope=\"col\" class=\"num\">Insight average</th>",
        "<th scope=\"col\">State</th></tr></thead><tbody>"
    ));
    if view.rows.is_empty() {
        out.push_str(
            "<tr><td colspan=\"9\" class=\"muted\">No Insights events in this time range.</td></tr>",
        );
    }
    for row in &view.rows {
        let _ = write!(
            out,
            concat!(
                "<tr><td><a href=\"{href}\">{name}</a></td><td>{source}</td><td>{kind}</td><td>{error}</td>",
                "<td class=\"mono\">{start}</td><td class=\"mono\">{end}</td>",
                "<td class=\"num\">{baseline}</td><td class=\"num\">{insight}</td><td>{state}</td></tr>"
            ),
            href = Esc(&row.href),
            name = Esc(&row.event_name),
            source = Esc(&row.event_source),
            kind = Esc(insight_type_label(&row.insight_type)),
            error = Esc(&row.error_code),
            start = Esc(&row.start_time),
            end = Esc(row.end_time.as_deref().unwrap_or("ongoing")),
            baseline = Esc(&row.baseline_average),
            insight = Esc(&row.insight_average),
            state = if row.end_time.is_some() {
                "<span class=\"badge good\">Ended</span>"
            } else {
                "<span class=\"badge warn\">Ongoing</span>"
            },
        );
    }
    out.push_str("</tbody></table></div>");
    out
}

/// One attribute's top contributors.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attribution {
    /// The attribute (`userIdentityArn`, `userAgent`, `errorCode`, ...).
    pub attribute: String,
    /// Its heading (`User identity ARN`, ...).
    pub label: String,
    /// Top contributors during the Insight: (value, average per minute, formatted).
    pub insight: Vec<(String, String)>,
    /// Top contributors during the baseline.
    pub baseline: Vec<(String, String)>,
}

/// One Insights event of an Insight.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InsightRecord {
    /// `Start` or `End`.
    pub state: String,
    /// `eventID`.
    pub event_id: String,
    /// `eventTime`, formatted.
    pub event_time: String,
    /// The record, pretty-printed JSON.
    pub json: String,
}

/// One Insight's page.
#[derive(Debug, Clone, Default)]
pub struct InsightDetail {
    /// The list's URL (with its time range).
    pub list_href: String,
    /// Summary facts: (label, value).
    pub facts: Vec<(String, String)>,
    /// The rate heading: `Call rate` or `Error rate`.
    pub rate_heading: String,
    /// The rate against the baseline, the Insight shaded.
    pub chart: LineChart,
    /// What the chart shows (or why it is empty).
    pub chart_note: String,
    /// Why the rate could not be read.
    pub chart_error: Option<String>,
    /// Top contributors, one per attribute.
    pub attributions: Vec<Attribution>,
    /// The event history of the API over the Insight's window.
    pub history_href: String,
    /// The event history link's text.
    pub history_label: String,
    /// The Start and End events found.
    pub records: Vec<InsightRecord>,
}

fn push_contributors(out: &mut String, id: &str, caption: &str, rows: &[(String, String)]) {
    let _ = write!(
        out,
        concat!(
            "<div class=\"table-wrap\"><table id=\"{id}\"><caption>{caption}</caption><thead><tr>",
            "<th scope=\"col\">Value</th><th scope=\"col\" class=\"num\">Average per minute</th></tr></thead><tbody>"
        ),
        id = Esc(id),
        caption = Esc(caption),
    );
    if rows.is_empty() {
        out.push_str("<tr><td colspan=\"2\" class=\"muted\">None.</td></tr>");
    }
    for (value, average) in rows {
        let _ = write!(
            out,
            "<tr><td class=\"wrap\">{}</td><td class=\"num\">{}</td></tr>",
            Esc(value),
            Esc(average)
        );
    }
    out.push_str("</tbody></table></div>");
}

/// The body of an Insight's page.
pub fn insight_detail(view: &InsightDetail) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(
        out,
        "<p><a href=\"{}\">← Insights</a></p><div class=\"grid\"><section class=\"panel\" aria-labelledby=\"details-heading\"><h2 id=\"details-heading\">Details</h2><dl class=\"facts\" id=\"insight-facts\">",
        Esc(&view.list_href)
    );
    for (label, value) in &view.facts {
        let _ = write!(out, "<dt>{}</dt><dd>", Esc(label));
        if value.is_empty() {
            out.push('—');
        } else {
            push_escaped(&mut out, value);
        }
        out.push_str("</dd>");
    }
    let _ = write!(
        out,
        "</dl><div class=\"actions\"><a class=\"button\" href=\"{}\">{}</a></div></section></div>",
        Esc(&view.history_href),
        Esc(&view.history_label)
    );
    let _ = write!(
        out,
        "<section class=\"panel\" aria-labelledby=\"rate-heading\"><h2 id=\"rate-heading\">{}</h2>",
        Esc(&view.rate_heading)
    );
    if let Some(error) = &view.chart_error {
        push_error(&mut out, error);
    } else {
        let _ = write!(
            out,
            "<figure id=\"insight-chart\">{}<figcaption class=\"small muted\">{}</figcaption></figure>",
            line_chart(&view.chart),
            Esc(&view.chart_note)
        );
    }
    out.push_str(
        "</section><section class=\"panel\" aria-labelledby=\"contributors-heading\"><h2 id=\"contributors-heading\">Top contributors</h2>",
    );
    if view.attributions.is_empty() {
        out.push_str("<p class=\"muted\">The Insights events name no contributors.</p>");
    }
    for attribution in &view.attributions {
        let _ = write!(
            out,
            "<h3>{}</h3><div class=\"grid\">",
            Esc(&attribution.label)
        );
        let id = format!("contributors-{}", attribution.attribute);
        push_contributors(&mut out, &id, "During the Insight", &attribution.insight);
        let id = format!("baseline-{}", attribution.attribute);
        push_contributors(&mut out, &id, "During the baseline", &attribution.baseline);
        out.push_str("</div>");
    }
    out.push_str(
        "</section><section class=\"panel\" aria-labelledby=\"records-heading\"><h2 id=\"records-heading\">Insights events</h2>",
    );
    for record in &view.records {
        let _ = write!(
            out,
            concat!(
                "<details id=\"record-{id_state}\"><summary>{state} event · {time} · <span class=\"mono\">{id}</span></summary>",
                "<pre class=\"json\" tabindex=\"0\" aria-label=\"{state} event record JSON\">"
            ),
            id_state = Esc(&record.state.to_ascii_lowercase()),
            state = Esc(&record.state),
            time = Esc(&record.event_time),
            id = Esc(&record.event_id),
        );
        push_json_html(&mut out, &record.json);
        out.push_str("</pre></details>");
    }
    out.push_str("</section>");
    out
}
