//! The dashboard: events over time and the top values of a time range, each chart
//! linking to the event history it summarises, and the recent Insights.

use std::fmt::Write as _;

use crate::html::Esc;
use crate::layout::push_error;

/// A link among a set of choices (time ranges, groupings); the current one is marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The text.
    pub label: String,
    /// Where it goes.
    pub href: String,
    /// Whether it is the page's current choice.
    pub current: bool,
}

/// One chart with its heading and a link to the history behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panel {
    /// The heading.
    pub title: String,
    /// The chart (SVG markup from [`crate::chart`]).
    pub chart: String,
    /// The history the chart summarises.
    pub history_href: String,
}

/// One Insights event of the range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsightItem {
    /// What was unusual (`ApiCallRateInsight on RunInstances`).
    pub summary: String,
    /// `Start` or `End`.
    pub state: String,
    /// Formatted event time.
    pub time: String,
    /// The insight's page.
    pub href: String,
}

/// The dashboard page.
#[derive(Debug, Clone, Default)]
pub struct Dashboard {
    /// The time-range presets.
    pub ranges: Vec<Choice>,
    /// Stack the events-over-time chart by category or by read/write.
    pub groupings: Vec<Choice>,
    /// What the range covers, in words (`2026-11-21 07:00 – 2026-11-22 07:00 UTC`).
    pub range_text: String,
    /// Events in the range, formatted.
    pub total: String,
    /// The history of the whole range.
    pub history_href: String,
    /// Events over time (SVG).
    pub over_time: String,
    /// The top-N panels, in order.
    pub panels: Vec<Panel>,
    /// The range's most recent Insights events.
    pub insights: Vec<InsightItem>,
    /// Why a part could not be shown (shown as a notice above the charts).
    pub error: Option<String>,
}

fn choices(out: &mut String, label: &str, choices: &[Choice]) {
    let _ = write!(out, "<nav class=\"presets\" aria-label=\"{}\">", Esc(label));
    for choice in choices {
        let current = if choice.current {
            " aria-current=\"true\""
        } else {
            ""
        };
        let _ = write!(
            out,
            "<a href=\"{}\"{current}>{}</a>",
            Esc(&choice.href),
            Esc(&choice.label)
        );
    }
    out.push_str("</nav>");
}

/// The body of the dashboard.
pub fn dashboard(view: &Dashboard) -> String {
    let mut out = String::with_capacity(
        32 * 1024
            + view.over_time.len()
            + view
                .panels
                .iter()
                .map(|panel| panel.chart.len())
                .sum::<usize>(),
    );
    out.push_str("<div class=\"actions\">");
    choices(&mut out, "Time range", &view.ranges);
    choices(&mut out, "Group events by", &view.groupings);
    out.push_str("</div>");
    if let Some(error) = &view.error {
        push_error(&mut out, error);
    }
    let _ = write!(
        out,
        concat!(
            "<section class=\"panel\" aria-labelledby=\"over-time\"><h2 id=\"over-time\">Events over time</h2>",
            "<p class=\"muted small\">{range} · <a href=\"{href}\">{total} events</a></p>{chart}</section>"
        ),
        range = Esc(&view.range_text),
        href = Esc(&view.history_href),
        total = Esc(&view.total),
        chart = view.over_time,
    );
    out.push_str("<div class=\"grid\">");
    for (index, panel) in view.panels.iter().enumerate() {
        let _ = write!(
            out,
            concat!(
                "<section class=\"panel\" aria-labelledby=\"panel{index}\"><h2 id=\"panel{index}\">{title}</h2>",
                "{chart}<p class=\"small\"><a href=\"{href}\">Open in event history</a></p></section>"
            ),
            index = index,
            title = Esc(&panel.title),
            chart = panel.chart,
            href = Esc(&panel.history_href),
        );
    }
    out.push_str("<section class=\"panel\" aria-labelledby=\"recent-insights\"><h2 id=\"recent-insights\">Recent Insights</h2>");
    if view.insights.is_empty() {
        out.push_str("<p class=\"muted\">No Insights events in this time range.</p>");
    } else {
        out.push_str("<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Insight</th><th scope=\"col\">State</th><th scope=\"col\">Time</th></tr></thead><tbody>");
        for insight in &view.insights {
            let badge = if insight.state == "Start" {
                "warn"
            } else {
                "good"
            };
            let _ = write!(
                out,
                "<tr><td><a href=\"{}\">{}</a></td><td><span class=\"badge {badge}\">{}</span></td><td class=\"mono\">{}</td></tr>",
                Esc(&insight.href),
                Esc(&insight.summary),
                Esc(&insight.state),
                Esc(&insight.time)
            );
        }
        out.push_str("</tbody></table></div>");
    }
    out.push_str(
        "<p class=\"small\"><a href=\"/console/insights\">All Insights</a></p></section></div>",
    );
    out
}
