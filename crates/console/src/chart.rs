//! Charts rendered as inline SVG: [`bar_chart`], [`stacked_columns`], [`line_chart`] and
//! [`column_chart`] each turn a plain view model into one self-contained `<svg>` element.
//!
//! # Output
//!
//! - **Size.** Every chart has a `viewBox` [`VIEW_WIDTH`] units wide, `width="100%"` and
//!   `preserveAspectRatio="xMidYMin meet"`: it fills its container, down to a phone's width,
//!   and keeps its proportions. Text sizes are in the same units, so they scale with it.
//! - **Accessibility.** `aria-label` and `<title>` carry the chart's title (the page shows
//!   its own heading; the title is not drawn) and `<desc>` a plain-text summary of the data.
//!   A chart without links has `role="img"`. A chart with links has `role="group"`
//!   instead: `img` makes all its children presentational, which would hide the links from
//!   screen readers. Links are SVG `<a>` elements, which are keyboard focusable, and each
//!   starts with a `<title>` naming its item and value.
//! - **No data.** When there is nothing to draw, every function returns a small SVG (class
//!   `chart-empty`) reading "No data", so a page can embed the result unconditionally.
//! - **Escaping.** Every string from the view model (titles, labels, names, links) is
//!   escaped with [`Esc`].
//! - **Determinism.** Coordinates are written with at most two decimals and numbers through
//!   [`format_count`], [`format_number`] and [`format_compact`]; nothing depends on hash
//!   order, so equal input gives byte-equal output (the goldens rely on it).
//! - **No scripts, styles or fonts.** Text uses the generic `sans-serif` family. Colours
//!   come from the page stylesheet through classes; presentation attributes give a plain
//!   default, and any stylesheet rule overrides them.
//!
//! | Class | Element | Meaning |
//! | --- | --- | --- |
//! | `chart` plus `chart-bar`, `chart-stacked`, `chart-line`, `chart-columns`, `chart-empty` | `svg` | the chart kind |
//! | `series-0` … `series-7` | `rect`, `circle`, `polyline`, legend swatch | the n-th series (bars use `series-0`); repeats after eight |
//! | `grid` / `axis` | `line` | y tick lines / the zero line |
//! | `baseline` / `baseline-label` | `line` (dashed) / `text` | the line chart's baseline and its label |
//! | `window` | `rect` | a shaded x range of the line chart |
//! | `bar`, `column`, `group` | `a` or `g` | one bar, time bucket or category (an `a` when linked) |
//! | `hit` | `rect` | a transparent click target covering a linked column |
//! | `label`, `value`, `x-label`, `y-label`, `empty` | `text` | bar labels and values, axis labels, the "No data" text |
//! | `legend`, `legend-item`, `x-axis`, `y-axis` | `g` | groups of the legend and axes |
//!
//! Series classes sit on filled shapes and on stroked lines, so style them by element:
//!
//! ```css
//! .chart rect.series-0, .chart circle.series-0 { fill: #2563eb }
//! .chart polyline.series-0 { stroke: #2563eb }
//! ```
//!
//! # Example
//!
//! ```
//! use opentrail_console::chart::{BarChart, BarItem, bar_chart};
//!
//! let svg = bar_chart(&BarChart {
//!     title: "Top event names".to_owned(),
//!     items: vec![BarItem {
//!         label: "ConsoleLogin".to_owned(),
//!         value: 1234,
//!         href: Some("/events?EventName=ConsoleLogin".to_owned()),
//!     }],
//! });
//! assert!(svg.starts_with("<svg "));
//! assert!(svg.contains(r#"<a class="bar" href="/events?EventName=ConsoleLogin">"#));
//! assert!(svg.contains(">1,234</text>"));
//! ```
#![warn(missing_docs)]

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use crate::html::Esc;

/// Width of every chart's coordinate system, in `viewBox` units. Narrow enough that
/// 12-unit text stays readable when the chart shrinks to a phone's width.
pub const VIEW_WIDTH: f64 = 480.0;
const FONT_SIZE: f64 = 12.0;
/// Estimated advance of one character. Without a browser there are no font metrics, so
/// layout assumes 0.6 em: wider than most sans-serif text, so estimates err toward room.
const CHAR_WIDTH: f64 = 7.2;
/// Moves a text baseline down from a centre line so the text looks vertically centred.
const TEXT_DROP: f64 = FONT_SIZE / 3.0;
const MARGIN: f64 = 8.0;
const PLOT_HEIGHT: f64 = 180.0;
/// Room under the plot for x labels.
const X_AXIS_HEIGHT: f64 = 24.0;
const SERIES_CLASSES: usize = 8;
const MAX_X_LABELS: usize = 12;
const X_LABEL_MAX_CHARS: usize = 16;
const LABEL_GAP: f64 = 8.0;
const Y_TICK_TARGET: usize = 5;
const BAR_ROW: f64 = 24.0;
const BAR_HEIGHT: f64 = 16.0;
const BAR_LABEL_MAX_CHARS: usize = 24;
/// Bar values longer than this ("9,999,999,999") switch to [`format_compact`].
const BAR_VALUE_MAX_CHARS: usize = 13;
const LEGEND_ROW: f64 = 18.0;
const LEGEND_NAME_MAX_CHARS: usize = 24;
const SWATCH: f64 = 10.0;

/// A horizontal bar chart of top-N items, e.g. the most frequent event names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BarChart {
    /// The chart's accessible name (`aria-label`, `<title>`); not drawn.
    pub title: String,
    /// The bars, top to bottom, in the order given (sort them first).
    pub items: Vec<BarItem>,
}

/// One bar of a [`BarChart`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BarItem {
    /// The text left of the bar; cut with an ellipsis past 24 characters.
    pub label: String,
    /// The bar's length relative to the largest value; written at the bar's end.
    pub value: u64,
    /// A finished URL (e.g. the event history filtered to this item); bar and label
    /// become a link to it.
    pub href: Option<String>,
}

/// Counts over time, one column per time bucket, stacked by series (e.g. management,
/// data and Insights events).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StackedColumns {
    /// The chart's accessible name (`aria-label`, `<title>`); not drawn.
    pub title: String,
    /// Series names, bottom of the stack first; shown in the legend.
    pub series: Vec<String>,
    /// The buckets, left to right.
    pub buckets: Vec<TimeBucket>,
}

/// One column of [`StackedColumns`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimeBucket {
    /// The bucket's start, already formatted (e.g. `10:00`). Labels are never cut;
    /// instead only every n-th is drawn so they never overlap, at most 12.
    pub label: String,
    /// A finished URL for the bucket's events; the whole column becomes a link.
    pub href: Option<String>,
    /// One count per entry of [`StackedColumns::series`], in the same order. Missing
    /// entries count as 0; entries beyond the series are ignored.
    pub values: Vec<u64>,
}

/// Lines over a numeric x axis, for Insights (rate against baseline) and Lake results.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineChart {
    /// The chart's accessible name (`aria-label`, `<title>`); not drawn.
    pub title: String,
    /// The lines, drawn in order; shown in the legend.
    pub series: Vec<LineSeries>,
    /// Where to label the x axis. The x range covers the points and these ticks; labels
    /// that would overlap a label to their left are dropped, and at most 12 are drawn.
    pub x_ticks: Vec<XTick>,
    /// A reference value drawn as a dashed horizontal line labelled "baseline".
    pub baseline: Option<f64>,
    /// X ranges shaded behind the lines (e.g. an Insights event's window); clipped to the
    /// x range.
    pub windows: Vec<XWindow>,
}

/// One line of a [`LineChart`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineSeries {
    /// The name shown in the legend.
    pub name: String,
    /// `(x, y)` points in any order (they are sorted by x). An x with no point is simply
    /// absent and the line joins its neighbours; points with a non-finite coordinate are
    /// skipped. A series of one point is drawn as a dot.
    pub points: Vec<(f64, f64)>,
}

/// A labelled position on a [`LineChart`]'s x axis.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct XTick {
    /// The position, in the same unit as the points' x (e.g. epoch milliseconds).
    pub x: f64,
    /// The text drawn there, already formatted; cut past 16 characters.
    pub label: String,
}

/// A shaded x range of a [`LineChart`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct XWindow {
    /// Where the range starts (either end may come first).
    pub start: f64,
    /// Where the range ends.
    pub end: f64,
    /// What the range is (e.g. "Insight 10:05–10:20"): its tooltip and its entry in the
    /// description.
    pub label: String,
}

/// Grouped vertical columns: one group per category, one column per series (e.g. a
/// Lake query's `GROUP BY` result).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnChart {
    /// The chart's accessible name (`aria-label`, `<title>`); not drawn.
    pub title: String,
    /// Category labels, left to right. Crowded labels are first cut (down to 6
    /// characters, full text in a `<title>`), then only every n-th is drawn, at most 12.
    pub categories: Vec<String>,
    /// The series, each one column per category; shown in the legend.
    pub series: Vec<ColumnSeries>,
}

/// One series of a [`ColumnChart`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnSeries {
    /// The name shown in the legend.
    pub name: String,
    /// One value per category, in the same order; missing or non-finite values draw no
    /// column. Negative values hang below the zero line.
    pub values: Vec<f64>,
}

/// Renders a horizontal bar chart: one row per item with its label, a bar scaled to the
/// largest value, and the value at the bar's end. Linked items are wrapped in `<a>`.
pub fn bar_chart(chart: &BarChart) -> String {
    let items = &chart.items;
    let Some(max_value) = items.iter().map(|item| item.value).max() else {
        return no_data(&chart.title);
    };
    let value_texts: Vec<String> = items
        .iter()
        .map(|item| bar_value_text(item.value))
        .collect();
    let label_chars = items.iter().map(|item| item.label.chars().count()).max();
    let label_chars = label_chars.unwrap_or(0).clamp(1, BAR_LABEL_MAX_CHARS);
    let value_chars = value_texts.iter().map(String::len).max().unwrap_or(1);
    let bar_left = MARGIN + label_chars as f64 * CHAR_WIDTH + 6.0;
    let bar_room = VIEW_WIDTH - MARGIN - value_chars as f64 * CHAR_WIDTH - 4.0 - bar_left;
    let height = 2.0 * MARGIN + items.len() as f64 * BAR_ROW;

    let desc = render(|desc| {
        write!(desc, "{} items.", items.len())?;
        for item in items {
            write!(desc, " {}: {}.", item.label, format_count(item.value))?;
        }
        Ok(())
    });
    let has_links = items.iter().any(|item| item.href.is_some());
    render(|out| {
        open_svg(out, "chart-bar", &chart.title, &desc, height, has_links)?;
        for (index, (item, value_text)) in items.iter().zip(&value_texts).enumerate() {
            let top = MARGIN + index as f64 * BAR_ROW + (BAR_ROW - BAR_HEIGHT) / 2.0;
            let text_y = Num(top + BAR_HEIGHT / 2.0 + TEXT_DROP);
            let length = bar_length(item.value, max_value, bar_room);
            open_item(out, "bar", item.href.as_deref())?;
            let (label, full_value) = (Esc(&item.label), format_count(item.value));
            write!(out, "<title>{label}: {full_value}</title>")?;
            let label = truncate(&item.label, BAR_LABEL_MAX_CHARS);
            let label_x = Num(bar_left - 6.0);
            write!(
                out,
                r#"<text class="label" x="{label_x}" y="{text_y}" text-anchor="end">"#
            )?;
            write!(out, "{}</text>", Esc(&label))?;
            rect(out, Series(0), [bar_left, top, length, BAR_HEIGHT], "/>")?;
            let value_x = Num(bar_left + length + 4.0);
            write!(
                out,
                r#"<text class="value" x="{value_x}" y="{text_y}">{value_text}</text>"#
            )?;
            close_item(out, item.href.as_deref())?;
        }
        close_svg(out)
    })
}

/// Renders counts over time as stacked columns with a legend, a y axis with nice ticks
/// and thinned x labels. Linked buckets are wrapped in `<a>` with a full-height target.
pub fn stacked_columns(chart: &StackedColumns) -> String {
    let buckets = &chart.buckets;
    if chart.series.is_empty() || buckets.is_empty() {
        return no_data(&chart.title);
    }
    let series_count = chart.series.len();
    let totals: Vec<u64> = buckets
        .iter()
        .map(|bucket| bucket.counts(series_count).fold(0u64, u64::saturating_add))
        .collect();
    let max_total = totals.iter().copied().max().unwrap_or(0);
    let ticks = ticks_spanning(0.0, max_total as f64, Y_TICK_TARGET, true);
    let labels = || buckets.iter().map(|bucket| bucket.label.as_str());
    let longest_label = longest_chars(labels());
    let names = chart.series.iter().map(String::as_str);
    let layout = AxisLayout::new(names, ticks, longest_label);
    let plot = &layout.plot;
    let slot = plot.width / buckets.len() as f64;
    let bar_width = slot * 0.8;

    let desc = stacked_desc(chart, &totals);
    let has_links = buckets.iter().any(|bucket| bucket.href.is_some());
    let height = layout.height();
    render(|out| {
        open_svg(out, "chart-stacked", &chart.title, &desc, height, has_links)?;
        layout.write_legend_and_y_axis(out)?;
        for (index, (bucket, total)) in buckets.iter().zip(&totals).enumerate() {
            let slot_left = plot.left + index as f64 * slot;
            open_item(out, "column", bucket.href.as_deref())?;
            write!(
                out,
                "<title>{}: {}",
                Esc(&bucket.label),
                format_count(*total)
            )?;
            for (series, (name, count)) in chart
                .series
                .iter()
                .zip(bucket.counts(series_count))
                .enumerate()
            {
                let separator = if series == 0 { " (" } else { ", " };
                write!(out, "{separator}{} {}", Esc(name), format_count(count))?;
            }
            out.push_str(")</title>");
            if bucket.href.is_some() {
                let area = [slot_left, plot.top, slot, plot.height];
                rect(out, "hit", area, r#" fill="transparent"/>"#)?;
            }
            let mut stacked = 0u64;
            for (series, count) in bucket.counts(series_count).enumerate() {
                let below = stacked;
                // Saturating like the totals, so the stack never passes the top tick.
                stacked = stacked.saturating_add(count);
                if count == 0 {
                    continue;
                }
                let (bottom, top) = (plot.y(below as f64), plot.y(stacked as f64));
                let left = slot_left + (slot - bar_width) / 2.0;
                rect(
                    out,
                    Series(series),
                    [left, top, bar_width, bottom - top],
                    "/>",
                )?;
            }
            close_item(out, bucket.href.as_deref())?;
        }
        layout.write_zero_line(out)?;
        // Time labels read badly when cut, so skip more of them instead.
        layout.write_slot_labels(out, labels(), longest_label)
    })
}

impl TimeBucket {
    /// The bucket's count for each of `series_count` series, missing ones as 0.
    fn counts(&self, series_count: usize) -> impl Iterator<Item = u64> + '_ {
        let values = self.values.iter().copied().chain(std::iter::repeat(0));
        values.take(series_count)
    }
}

fn stacked_desc(chart: &StackedColumns, totals: &[u64]) -> String {
    let buckets = &chart.buckets;
    let first = buckets.first().map_or("", |bucket| bucket.label.as_str());
    let last = buckets.last().map_or("", |bucket| bucket.label.as_str());
    render(|desc| {
        let count = buckets.len();
        write!(desc, "{count} time buckets from {first} to {last}. Totals:")?;
        for (series, name) in chart.series.iter().enumerate() {
            let counts = buckets.iter().map(|bucket| bucket.values.get(series));
            let total = counts.fold(0u64, |sum, count| sum.saturating_add(*count.unwrap_or(&0)));
            let separator = if series == 0 { "" } else { ";" };
            write!(desc, "{separator} {name} {}", format_count(total))?;
        }
        // `max_by_key` keeps the last of equal totals; searching backwards names the first.
        let busiest = totals
            .iter()
            .enumerate()
            .rev()
            .max_by_key(|(_, total)| **total);
        if let Some((index, total)) = busiest {
            let label = &buckets[index].label;
            write!(desc, ". Busiest: {label} with {}.", format_count(*total))?;
        }
        Ok(())
    })
}

/// Renders lines over a numeric x axis with a legend, nice y ticks, the caller's x ticks
/// (thinned), an optional dashed baseline and shaded windows behind the lines.
pub fn line_chart(chart: &LineChart) -> String {
    let lines: Vec<Vec<(f64, f64)>> = chart.series.iter().map(finite_sorted_points).collect();
    let Some((x_min, x_max)) = min_max(lines.iter().flatten().map(|&(x, _)| x)) else {
        return no_data(&chart.title);
    };
    let tick_xs = chart
        .x_ticks
        .iter()
        .map(|tick| tick.x)
        .filter(|x| x.is_finite());
    let (mut x_low, mut x_high) = min_max(tick_xs.chain([x_min, x_max])).unwrap_or_default();
    if x_high <= x_low {
        // One x value: centre it in a small range rather than divide by zero.
        let pad = (x_low.abs() * 1e-9).max(0.5);
        (x_low, x_high) = (x_low - pad, x_high + pad);
    }
    let baseline = chart.baseline.filter(|value| value.is_finite());
    let ys = lines.iter().flatten().map(|&(_, y)| y).chain(baseline);
    let (y_min, y_max) = min_max(ys).unwrap_or_default();
    let ticks = ticks_spanning(y_min, y_max, Y_TICK_TARGET, false);
    let longest_tick = longest_chars(chart.x_ticks.iter().map(|tick| tick.label.as_str()));
    let names = chart.series.iter().map(|series| series.name.as_str());
    let layout = AxisLayout::new(names, ticks, longest_tick);
    let plot = &layout.plot;
    let x_of = |x: f64| plot.left + (x - x_low) / (x_high - x_low) * plot.width;

    let desc = line_desc(chart, &lines, baseline);
    let height = layout.height();
    render(|out| {
        open_svg(out, "chart-line", &chart.title, &desc, height, false)?;
        layout.write_legend_and_y_axis(out)?;
        for window in &chart.windows {
            if window.start.is_nan() || window.end.is_nan() {
                continue;
            }
            let start = window.start.min(window.end).max(x_low);
            let end = window.start.max(window.end).min(x_high);
            if start >= end {
                continue;
            }
            let area = [x_of(start), plot.top, x_of(end) - x_of(start), plot.height];
            rect(
                out,
                "window",
                area,
                r#" fill="currentColor" fill-opacity="0.1">"#,
            )?;
            writeln!(out, "<title>{}</title></rect>", Esc(&window.label))?;
        }
        layout.write_zero_line(out)?;
        if let Some(value) = baseline {
            let (y, value) = (plot.y(value), format_number(value));
            let tail = r#" stroke="currentColor" stroke-dasharray="6 4">"#;
            hline(out, "baseline", [plot.left, plot.right(), y], tail)?;
            writeln!(out, "<title>baseline {value}</title></line>")?;
            let (x, y) = (Num(plot.right() - 2.0), Num(y - 4.0));
            writeln!(
                out,
                r#"<text class="baseline-label" x="{x}" y="{y}" text-anchor="end">baseline</text>"#
            )?;
        }
        for (index, (series, points)) in chart.series.iter().zip(&lines).enumerate() {
            let class = Series(index);
            if let [(x, y)] = points.as_slice() {
                // A one-point polyline draws nothing; a dot does.
                let (x, y) = (Num(x_of(*x)), Num(plot.y(*y)));
                write!(out, r#"<circle class="{class}" cx="{x}" cy="{y}" r="3">"#)?;
                writeln!(out, "<title>{}</title></circle>", Esc(&series.name))?;
                continue;
            }
            if points.is_empty() {
                continue;
            }
            let style = r#"fill="none" stroke="currentColor" stroke-width="2""#;
            write!(out, r#"<polyline class="{class}" {style} points=""#)?;
            for (at, (x, y)) in points.iter().enumerate() {
                let separator = if at == 0 { "" } else { " " };
                write!(out, "{separator}{},{}", Num(x_of(*x)), Num(plot.y(*y)))?;
            }
            writeln!(out, r#""><title>{}</title></polyline>"#, Esc(&series.name))?;
        }
        let in_range = chart
            .x_ticks
            .iter()
            .filter(|tick| tick.x >= x_low && tick.x <= x_high);
        let ticks = in_range
            .map(|tick| (x_of(tick.x), tick.label.as_str()))
            .collect();
        layout.write_placed_labels(out, ticks)
    })
}

fn line_desc(chart: &LineChart, lines: &[Vec<(f64, f64)>], baseline: Option<f64>) -> String {
    render(|desc| {
        write!(desc, "{} series.", chart.series.len())?;
        for (series, points) in chart.series.iter().zip(lines) {
            let name = &series.name;
            match min_max(points.iter().map(|&(_, y)| y)) {
                Some((low, high)) => {
                    let (low, high) = (format_number(low), format_number(high));
                    let count = points.len();
                    write!(desc, " {name}: {count} points, min {low}, max {high}.")?;
                }
                None => write!(desc, " {name}: no points.")?,
            }
        }
        if let Some(value) = baseline {
            write!(desc, " Baseline {}.", format_number(value))?;
        }
        for window in &chart.windows {
            write!(desc, " Highlighted: {}.", window.label)?;
        }
        Ok(())
    })
}

/// Renders grouped columns, one group per category and one column per series, with a
/// legend, nice y ticks (whole steps when every value is whole) and a zero line.
pub fn column_chart(chart: &ColumnChart) -> String {
    let categories = &chart.categories;
    if categories.is_empty() || chart.series.is_empty() {
        return no_data(&chart.title);
    }
    let all_values = || {
        let indexes = 0..categories.len();
        let series = chart.series.iter();
        series.flat_map(move |series| indexes.clone().filter_map(|index| series.value(index)))
    };
    let (low, high) = min_max(all_values()).unwrap_or_default();
    let whole = all_values().all(|value| value.fract() == 0.0);
    let ticks = ticks_spanning(low, high, Y_TICK_TARGET, whole);
    let labels = || categories.iter().map(String::as_str);
    let longest_label = longest_chars(labels());
    let names = chart.series.iter().map(|series| series.name.as_str());
    let layout = AxisLayout::new(names, ticks, longest_label);
    let plot = &layout.plot;
    let slot = plot.width / categories.len() as f64;
    let column_width = slot * 0.8 / chart.series.len() as f64;

    let desc = column_desc(chart);
    let height = layout.height();
    render(|out| {
        open_svg(out, "chart-columns", &chart.title, &desc, height, false)?;
        layout.write_legend_and_y_axis(out)?;
        let zero = plot.y(0.0);
        for (index, category) in categories.iter().enumerate() {
            out.push_str("<g class=\"group\">");
            let group_left = plot.left + index as f64 * slot + slot * 0.1;
            for (position, series) in chart.series.iter().enumerate() {
                let Some(value) = series.value(index) else {
                    continue;
                };
                let (y, left) = (plot.y(value), group_left + position as f64 * column_width);
                rect(
                    out,
                    Series(position),
                    [left, y.min(zero), column_width, (y - zero).abs()],
                    ">",
                )?;
                let (category, name, value) =
                    (Esc(category), Esc(&series.name), format_number(value));
                write!(out, "<title>{category}, {name}: {value}</title></rect>")?;
            }
            out.push_str("</g>\n");
        }
        layout.write_zero_line(out)?;
        // Skipping labels before cutting them: a cut time (`2026-…`) says nothing, and a
        // skipped column still names itself in its tooltip.
        layout.write_slot_labels(out, labels(), longest_label)
    })
}

impl ColumnSeries {
    /// The value for category `index`, if present and finite.
    fn value(&self, index: usize) -> Option<f64> {
        self.values
            .get(index)
            .copied()
            .filter(|value| value.is_finite())
    }
}

fn column_desc(chart: &ColumnChart) -> String {
    let categories = &chart.categories;
    render(|desc| {
        write!(desc, "{} categories.", categories.len())?;
        for series in &chart.series {
            let name = &series.name;
            let present =
                (0..categories.len()).filter_map(|index| Some((index, series.value(index)?)));
            let values: Vec<(usize, f64)> = present.collect();
            let by_value = |left: &&(usize, f64), right: &&(usize, f64)| left.1.total_cmp(&right.1);
            // `min_by` keeps the first of equals and `max_by` the last; searching backwards
            // makes both name the first category.
            let lowest = values.iter().min_by(by_value);
            let highest = values.iter().rev().max_by(by_value);
            let (Some(&(low_at, low)), Some(&(high_at, high))) = (lowest, highest) else {
                write!(desc, " {name}: no values.")?;
                continue;
            };
            let (low, high) = (format_number(low), format_number(high));
            let (low_at, high_at) = (&categories[low_at], &categories[high_at]);
            write!(
                desc,
                " {name}: highest {high} ({high_at}), lowest {low} ({low_at})."
            )?;
        }
        Ok(())
    })
}

/// Returns nice axis ticks from 0 up to at least `max`: evenly spaced by 1, 2 or 5 × 10^k,
/// with about `target_count` intervals (never more), the last tick ≥ `max`.
///
/// A `max` that is not positive and finite gives `[0, 1]`, so an axis always has a span.
///
/// ```
/// use opentrail_console::chart::nice_ticks;
///
/// assert_eq!(nice_ticks(7.0, 5), [0.0, 2.0, 4.0, 6.0, 8.0]);
/// assert_eq!(nice_ticks(0.9, 4), [0.0, 0.5, 1.0]);
/// assert_eq!(nice_ticks(0.0, 5), [0.0, 1.0]);
/// ```
pub fn nice_ticks(max: f64, target_count: usize) -> Vec<f64> {
    ticks_spanning(0.0, max, target_count, false)
}

/// Nice ticks covering `low..=high` and 0. `whole_steps` keeps counts off fractional
/// ticks. Ticks are computed as `k × mantissa ÷ 10^n` for small steps, because dividing by
/// an exact power of ten lands on the nearest double (0.6), where multiplying by an
/// inexact 0.1 does not (0.6000000000000001).
fn ticks_spanning(low: f64, high: f64, target_count: usize, whole_steps: bool) -> Vec<f64> {
    let low = if low.is_finite() { low.min(0.0) } else { 0.0 };
    let high = if high.is_finite() { high.max(0.0) } else { 0.0 };
    let span = high - low;
    if !(span.is_finite() && span > 0.0) {
        return vec![0.0, 1.0];
    }
    let raw_step = span / target_count.clamp(1, 100) as f64;
    let mut exponent = raw_step.log10().floor() as i32;
    let fraction = raw_step / 10f64.powi(exponent);
    let mut mantissa = match fraction {
        fraction if fraction <= 1.0 => 1.0,
        fraction if fraction <= 2.0 => 2.0,
        fraction if fraction <= 5.0 => 5.0,
        _ => 10.0,
    };
    if whole_steps && exponent < 0 {
        (mantissa, exponent) = (1.0, 0);
    }
    let tick = |k: i64| match exponent {
        0.. => k as f64 * mantissa * 10f64.powi(exponent),
        _ => k as f64 * mantissa / 10f64.powi(-exponent),
    };
    let step = tick(1);
    if !(step.is_finite() && step > 0.0) {
        return vec![0.0, 1.0];
    }
    let (first, last) = ((low / step).floor() as i64, (high / step).ceil() as i64);
    (first..=last).map(tick).collect()
}

/// Formats a count with comma thousands separators: `1234` → `1,234`.
pub fn format_count(count: u64) -> String {
    group_thousands(&count.to_string())
}

/// Formats a value exactly enough for a tooltip or description: thousands separators and
/// up to three decimals, or three significant digits below 1 (`1234.5` → `1,234.5`,
/// `0.000123456` → `0.000123`). From 10^15 up it uses [`format_compact`]; a non-finite
/// value is written `n/a`.
pub fn format_number(value: f64) -> String {
    if !value.is_finite() {
        return "n/a".to_owned();
    }
    if value.abs() >= 1e15 {
        return format_compact(value);
    }
    group_thousands(&fixed_decimals(value, decimals_for(value, 3)))
}

/// Formats a number short enough for an axis tick: from a thousand up scaled by an SI
/// suffix (k, M, G, T, P, E) with at most two decimals (`1_500_000.0` → `1.5M`,
/// `1234.0` → `1.23k`), below that at most two decimals or three significant digits
/// (`0.25` → `0.25`). A non-finite value is written `n/a`.
pub fn format_compact(value: f64) -> String {
    const UNITS: [(f64, &str); 6] = [
        (1e18, "E"),
        (1e15, "P"),
        (1e12, "T"),
        (1e9, "G"),
        (1e6, "M"),
        (1e3, "k"),
    ];
    if !value.is_finite() {
        return "n/a".to_owned();
    }
    for (unit, suffix) in UNITS {
        // Compare with the value that rounds up to one unit: 999,999 reads 1M, not 1000k.
        if value.abs() >= unit * 0.999_995 {
            return format!("{}{suffix}", fixed_decimals(value / unit, 2));
        }
    }
    fixed_decimals(value, decimals_for(value, 2))
}

/// Decimals to show `value` with: `at_least`, or three significant digits below 1 so
/// small rates do not round to 0.
fn decimals_for(value: f64, at_least: usize) -> usize {
    let magnitude = value.abs();
    if magnitude >= 1.0 || magnitude == 0.0 {
        return at_least;
    }
    let leading_zeros = (-magnitude.log10()).floor() as usize;
    (leading_zeros + 3).clamp(at_least, 15)
}

/// `value` with at most `decimals` decimals, without trailing zeros or a `-` on zero.
fn fixed_decimals(value: f64, decimals: usize) -> String {
    let mut text = format!("{value:.decimals$}");
    if text.contains('.') {
        let kept = text.trim_end_matches('0').trim_end_matches('.').len();
        text.truncate(kept);
    }
    if text == "-0" {
        text.remove(0);
    }
    text
}

/// Puts commas between thousands in the integer part of a plain decimal number.
fn group_thousands(number: &str) -> String {
    let (sign, unsigned) = number
        .strip_prefix('-')
        .map_or(("", number), |rest| ("-", rest));
    let (integer, fraction) = unsigned.split_at(unsigned.find('.').unwrap_or(unsigned.len()));
    let mut out = String::with_capacity(number.len() + integer.len() / 3);
    out.push_str(sign);
    for (index, digit) in integer.chars().enumerate() {
        if index > 0 && (integer.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out.push_str(fraction);
    out
}

/// A coordinate written with at most two decimals, so output is short and byte-stable.
/// Non-finite values (only degenerate input makes them) are written as 0 and huge ones
/// clamped, so neither `NaN` nor 300-digit numbers reach the SVG.
struct Num(f64);

impl fmt::Display for Num {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = if self.0.is_finite() {
            self.0.clamp(-1e6, 1e6)
        } else {
            0.0
        };
        formatter.write_str(&fixed_decimals(value, 2))
    }
}

/// The class of the n-th series: `series-0` to `series-7`, then round again.
struct Series(usize);

impl fmt::Display for Series {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "series-{}", self.0 % SERIES_CLASSES)
    }
}

/// Runs `draw` on a new string (markup or a description). Writing into a `String` cannot
/// fail, so the `fmt::Result` that `write!` makes the drawing code carry is always `Ok`
/// and is dropped here.
fn render(draw: impl FnOnce(&mut String) -> fmt::Result) -> String {
    let mut out = String::new();
    let _ = draw(&mut out);
    out
}

fn open_svg(
    out: &mut String,
    class: &str,
    title: &str,
    desc: &str,
    height: f64,
    has_links: bool,
) -> fmt::Result {
    let role = if has_links { "group" } else { "img" };
    let (width, height, title) = (Num(VIEW_WIDTH), Num(height), Esc(title));
    write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart {class}""#
    )?;
    write!(
        out,
        r#" viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMidYMin meet""#
    )?;
    write!(out, r#" role="{role}" aria-label="{title}""#)?;
    writeln!(
        out,
        r#" font-family="sans-serif" font-size="{}">"#,
        Num(FONT_SIZE)
    )?;
    writeln!(out, "<title>{title}</title>\n<desc>{}</desc>", Esc(desc))
}

fn close_svg(out: &mut String) -> fmt::Result {
    out.push_str("</svg>\n");
    Ok(())
}

/// The small chart every function returns when there is nothing to draw.
fn no_data(title: &str) -> String {
    render(|out| {
        open_svg(out, "chart-empty", title, "No data.", 40.0, false)?;
        let x = Num(VIEW_WIDTH / 2.0);
        writeln!(
            out,
            r#"<text class="empty" x="{x}" y="24" text-anchor="middle">No data</text>"#
        )?;
        close_svg(out)
    })
}

/// Writes a `<rect>` with `class` and `[x, y, width, height]`, then `tail` (more
/// attributes and `/>` or `>`).
fn rect(out: &mut String, class: impl fmt::Display, area: [f64; 4], tail: &str) -> fmt::Result {
    let [x, y, width, height] = area.map(Num);
    write!(
        out,
        r#"<rect class="{class}" x="{x}" y="{y}" width="{width}" height="{height}"{tail}"#
    )
}

/// Writes a horizontal `<line>` with `class` from `[x1, x2, y]`, then `tail`.
fn hline(out: &mut String, class: &str, ends: [f64; 3], tail: &str) -> fmt::Result {
    let [x1, x2, y] = ends.map(Num);
    write!(
        out,
        r#"<line class="{class}" x1="{x1}" y1="{y}" x2="{x2}" y2="{y}"{tail}"#
    )
}

/// Opens one bar or column: an `<a>` when it links somewhere, else a `<g>`.
fn open_item(out: &mut String, class: &str, href: Option<&str>) -> fmt::Result {
    match href {
        Some(href) => write!(out, r#"<a class="{class}" href="{}">"#, Esc(href)),
        None => write!(out, r#"<g class="{class}">"#),
    }
}

fn close_item(out: &mut String, href: Option<&str>) -> fmt::Result {
    out.push_str(if href.is_some() { "</a>\n" } else { "</g>\n" });
    Ok(())
}

/// Writes `text` cut to `max_chars` as element content; when cut, a `<title>` child keeps
/// the full text for tooltips and screen readers.
fn push_label(out: &mut String, text: &str, max_chars: usize) -> fmt::Result {
    let shown = truncate(text, max_chars);
    if let Cow::Owned(_) = shown {
        write!(out, "<title>{}</title>", Esc(text))?;
    }
    write!(out, "{}", Esc(&shown))
}

/// The value written at a bar's end: the exact count while it is short, else compact so
/// the bar keeps its room.
fn bar_value_text(value: u64) -> String {
    let full = format_count(value);
    if full.len() <= BAR_VALUE_MAX_CHARS {
        full
    } else {
        format_compact(value as f64)
    }
}

/// A bar's length in `room`; any non-zero value gets at least one unit so it stays visible.
fn bar_length(value: u64, max_value: u64, room: f64) -> f64 {
    if value == 0 || max_value == 0 {
        return 0.0;
    }
    (value as f64 / max_value as f64 * room).max(1.0)
}

/// `text` cut to at most `max_chars` characters, the last replaced by an ellipsis when
/// cut. Counts characters, not bytes, so multi-byte names are never split.
fn truncate(text: &str, max_chars: usize) -> Cow<'_, str> {
    let max_chars = max_chars.max(1);
    if text.char_indices().nth(max_chars).is_none() {
        return Cow::Borrowed(text);
    }
    let keep = text
        .char_indices()
        .nth(max_chars - 1)
        .map_or(text.len(), |(at, _)| at);
    Cow::Owned(format!("{}…", &text[..keep]))
}

/// Length in characters of the longest of `labels`, capped for x labels.
fn longest_chars<'a>(labels: impl Iterator<Item = &'a str>) -> usize {
    let longest = labels.map(|label| label.chars().count()).max();
    longest.unwrap_or(0).clamp(1, X_LABEL_MAX_CHARS)
}

/// Chooses which of `count` evenly spaced x labels to draw (every `stride`-th) and how many
/// characters each may keep, so drawn labels never overlap: each fits in the `stride`
/// slots it owns. Labels shrink toward `min_chars` before any is skipped, and never more
/// than [`MAX_X_LABELS`] are drawn.
fn thin_labels(count: usize, slot: f64, wanted_chars: usize, min_chars: usize) -> (usize, usize) {
    let needed = ((min_chars as f64 * CHAR_WIDTH + LABEL_GAP) / slot).ceil() as usize;
    let stride = needed.max(count.div_ceil(MAX_X_LABELS)).max(1);
    let room = ((stride as f64 * slot - LABEL_GAP) / CHAR_WIDTH).floor() as usize;
    (stride, room.clamp(1, wanted_chars.max(1)))
}

/// How many characters a label centred at `center` may keep without leaving the chart.
fn label_budget(center: f64, max_chars: usize) -> usize {
    let room = 2.0 * center.min(VIEW_WIDTH - center).max(0.0);
    ((room / CHAR_WIDTH).floor() as usize).clamp(1, max_chars)
}

/// Smallest and largest of `values`, `None` when empty.
fn min_max(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values.fold(None, |range, value| match range {
        None => Some((value, value)),
        Some((low, high)) => Some((value.min(low), value.max(high))),
    })
}

/// The finite points of a series, sorted by x so the line runs left to right.
fn finite_sorted_points(series: &LineSeries) -> Vec<(f64, f64)> {
    let finite = series
        .points
        .iter()
        .filter(|(x, y)| x.is_finite() && y.is_finite());
    let mut points: Vec<(f64, f64)> = finite.copied().collect();
    points.sort_by(|left, right| left.0.total_cmp(&right.0));
    points
}

/// The data rectangle of a chart with a y axis, and the value range it shows.
#[derive(Debug)]
struct Plot {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
    /// First and last y tick; `high > low` because ticks span at least one step.
    low: f64,
    high: f64,
}

impl Plot {
    fn right(&self) -> f64 {
        self.left + self.width
    }

    fn bottom(&self) -> f64 {
        self.top + self.height
    }

    fn y(&self, value: f64) -> f64 {
        self.bottom() - (value - self.low) / (self.high - self.low) * self.height
    }
}

/// The frame shared by the charts with a y axis: legend on top (entries left to right,
/// wrapping), tick labels on the left, x labels below.
#[derive(Debug)]
struct AxisLayout<'a> {
    plot: Plot,
    ticks: Vec<f64>,
    names: Vec<&'a str>,
    legend_positions: Vec<(f64, f64)>,
}

impl<'a> AxisLayout<'a> {
    /// Lays out a chart with series `names` and x labels of up to `x_label_chars`. The
    /// side margins make room for half a label (up to 48 units) beyond the first and last
    /// x positions; labels reaching further are cut.
    fn new(names: impl Iterator<Item = &'a str>, ticks: Vec<f64>, x_label_chars: usize) -> Self {
        let names: Vec<&str> = names.collect();
        let mut legend_positions = Vec::with_capacity(names.len());
        let (mut x, mut row) = (MARGIN, 0);
        for name in &names {
            let chars = name.chars().count().min(LEGEND_NAME_MAX_CHARS);
            let width = SWATCH + 4.0 + chars as f64 * CHAR_WIDTH + 12.0;
            if x > MARGIN && x + width > VIEW_WIDTH - MARGIN {
                (x, row) = (MARGIN, row + 1);
            }
            legend_positions.push((x, MARGIN + row as f64 * LEGEND_ROW));
            x += width;
        }
        let legend_height = if names.is_empty() {
            0.0
        } else {
            (row + 1) as f64 * LEGEND_ROW
        };
        let widest_tick = ticks.iter().map(|&tick| format_compact(tick).len()).max();
        let side = (x_label_chars as f64 * CHAR_WIDTH / 2.0).clamp(MARGIN, 48.0);
        let left = (MARGIN + widest_tick.unwrap_or(1) as f64 * CHAR_WIDTH + 6.0).max(side);
        let plot = Plot {
            left,
            top: MARGIN + legend_height + FONT_SIZE,
            width: VIEW_WIDTH - side - left,
            height: PLOT_HEIGHT,
            low: ticks.first().copied().unwrap_or(0.0),
            high: ticks.last().copied().unwrap_or(1.0),
        };
        AxisLayout {
            plot,
            ticks,
            names,
            legend_positions,
        }
    }

    fn height(&self) -> f64 {
        self.plot.bottom() + X_AXIS_HEIGHT
    }

    /// Writes the legend, then a grid line and a label for every y tick.
    fn write_legend_and_y_axis(&self, out: &mut String) -> fmt::Result {
        out.push_str("<g class=\"legend\">\n");
        for (index, (name, &(x, y))) in self.names.iter().zip(&self.legend_positions).enumerate() {
            out.push_str("<g class=\"legend-item\">");
            rect(out, Series(index), [x, y, SWATCH, SWATCH], "/>")?;
            write!(
                out,
                r#"<text x="{}" y="{}">"#,
                Num(x + SWATCH + 4.0),
                Num(y + SWATCH - 1.0)
            )?;
            push_label(out, name, LEGEND_NAME_MAX_CHARS)?;
            out.push_str("</text></g>\n");
        }
        out.push_str("</g>\n<g class=\"y-axis\" text-anchor=\"end\">\n");
        let plot = &self.plot;
        for &tick in &self.ticks {
            let y = plot.y(tick);
            let tail = r#" stroke="currentColor" stroke-opacity="0.15"/>"#;
            hline(out, "grid", [plot.left, plot.right(), y], tail)?;
            let (x, y) = (Num(plot.left - 6.0), Num(y + TEXT_DROP));
            writeln!(
                out,
                r#"<text class="y-label" x="{x}" y="{y}">{}</text>"#,
                format_compact(tick)
            )?;
        }
        out.push_str("</g>\n");
        Ok(())
    }

    fn write_zero_line(&self, out: &mut String) -> fmt::Result {
        let plot = &self.plot;
        hline(
            out,
            "axis",
            [plot.left, plot.right(), plot.y(0.0)],
            " stroke=\"currentColor\"/>\n",
        )
    }

    /// Writes one x label under the plot, cut to `max_chars` and to the chart's edges.
    fn write_x_label(
        &self,
        out: &mut String,
        center: f64,
        text: &str,
        max_chars: usize,
    ) -> fmt::Result {
        let (x, y) = (Num(center), Num(self.plot.bottom() + 16.0));
        write!(out, r#"<text class="x-label" x="{x}" y="{y}">"#)?;
        push_label(out, text, label_budget(center, max_chars))?;
        out.push_str("</text>\n");
        Ok(())
    }

    /// Writes x labels at the given centres, left to right, skipping any that would
    /// overlap the label before it, then closes the chart.
    fn write_placed_labels(&self, out: &mut String, mut labels: Vec<(f64, &str)>) -> fmt::Result {
        labels.sort_by(|left, right| left.0.total_cmp(&right.0));
        out.push_str("<g class=\"x-axis\" text-anchor=\"middle\">\n");
        let (mut shown, mut clear_from) = (0, f64::NEG_INFINITY);
        for (center, text) in labels {
            let chars = text
                .chars()
                .count()
                .min(label_budget(center, X_LABEL_MAX_CHARS));
            let half = chars as f64 * CHAR_WIDTH / 2.0;
            if shown == MAX_X_LABELS || center - half < clear_from {
                continue;
            }
            self.write_x_label(out, center, text, X_LABEL_MAX_CHARS)?;
            shown += 1;
            clear_from = center + half + LABEL_GAP;
        }
        out.push_str("</g>\n");
        close_svg(out)
    }

    /// Writes x labels centred in equal slots across the plot (one per column or group),
    /// thinned by [`thin_labels`], then closes the chart. Labels are cut down to
    /// `min_chars` before any is skipped.
    fn write_slot_labels<'b>(
        &self,
        out: &mut String,
        labels: impl ExactSizeIterator<Item = &'b str>,
        min_chars: usize,
    ) -> fmt::Result {
        let count = labels.len();
        let slot = self.plot.width / count as f64;
        let wanted = X_LABEL_MAX_CHARS;
        let (stride, chars) = thin_labels(count, slot, wanted, min_chars);
        out.push_str("<g class=\"x-axis\" text-anchor=\"middle\">\n");
        for (index, label) in labels.enumerate().step_by(stride) {
            let center = self.plot.left + (index as f64 + 0.5) * slot;
            self.write_x_label(out, center, label, chars)?;
        }
        out.push_str("</g>\n");
        close_svg(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ticks_step_by_one_two_or_five() {
        assert_eq!(nice_ticks(7.0, 5), [0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(nice_ticks(100.0, 5), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(nice_ticks(101.0, 5), [0.0, 50.0, 100.0, 150.0]);
        assert_eq!(nice_ticks(1.0, 5), [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(nice_ticks(0.03, 3), [0.0, 0.01, 0.02, 0.03]);
        assert_eq!(
            nice_ticks(1_500_000.0, 4),
            [0.0, 500_000.0, 1_000_000.0, 1_500_000.0]
        );
    }

    #[test]
    fn nice_ticks_cover_max_with_at_most_target_intervals() {
        for max in [
            0.001, 0.7, 1.0, 3.0, 9.99, 12.0, 99.0, 1234.0, 1e9, 1.8e19, 1e300,
        ] {
            for target in 1..=10 {
                let ticks = nice_ticks(max, target);
                assert_eq!(ticks[0], 0.0, "{max} {target}");
                assert!(*ticks.last().unwrap() >= max, "{max} {target}: {ticks:?}");
                assert!(
                    ticks.len() >= 2 && ticks.len() <= target + 1,
                    "{max} {target}: {ticks:?}"
                );
            }
        }
    }

    #[test]
    fn nice_ticks_give_a_unit_axis_for_degenerate_max() {
        for max in [0.0, -5.0, f64::NAN, f64::INFINITY, 1e-320] {
            assert_eq!(nice_ticks(max, 5), [0.0, 1.0], "{max}");
        }
    }

    #[test]
    fn ticks_span_negative_values_and_whole_steps() {
        assert_eq!(ticks_spanning(-3.0, 9.0, 5, false), [-5.0, 0.0, 5.0, 10.0]);
        assert_eq!(
            ticks_spanning(0.0, 2.0, 5, false),
            [0.0, 0.5, 1.0, 1.5, 2.0]
        );
        assert_eq!(ticks_spanning(0.0, 2.0, 5, true), [0.0, 1.0, 2.0]);
        assert_eq!(ticks_spanning(0.0, 0.0, 5, true), [0.0, 1.0]);
    }

    #[test]
    fn formats_counts_with_thousands_separators() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1234), "1,234");
        assert_eq!(format_count(1_234_567), "1,234,567");
        assert_eq!(format_count(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn formats_compact_tick_labels() {
        assert_eq!(format_compact(0.0), "0");
        assert_eq!(format_compact(-0.0), "0");
        assert_eq!(format_compact(0.6000000000000001), "0.6");
        assert_eq!(format_compact(0.00012345), "0.000123");
        assert_eq!(format_compact(950.0), "950");
        assert_eq!(format_compact(1234.0), "1.23k");
        assert_eq!(format_compact(500_000.0), "500k");
        assert_eq!(format_compact(999_999.0), "1M");
        assert_eq!(format_compact(1_500_000.0), "1.5M");
        assert_eq!(format_compact(-2_000_000_000.0), "-2G");
        assert_eq!(format_compact(u64::MAX as f64), "18.45E");
        assert_eq!(format_compact(f64::NAN), "n/a");
    }

    #[test]
    fn formats_exact_numbers() {
        assert_eq!(format_number(1234.5), "1,234.5");
        assert_eq!(format_number(-1234567.0), "-1,234,567");
        assert_eq!(format_number(2.0 / 3.0), "0.667");
        assert_eq!(format_number(0.000123456), "0.000123");
        assert_eq!(format_number(1e16), "10P");
        assert_eq!(format_number(f64::INFINITY), "n/a");
    }

    #[test]
    fn truncates_by_characters_with_an_ellipsis() {
        assert_eq!(truncate("short", 5), "short");
        assert_eq!(truncate("longer", 5), "long…");
        assert_eq!(truncate("ééééé-é", 3), "éé…");
        assert_eq!(truncate("abc", 0), "…");
    }

    #[test]
    fn thinned_labels_fit_in_the_slots_they_own() {
        for count in [1, 5, 24, 100, 200, 5000] {
            let slot = 400.0 / count as f64;
            for (wanted, min) in [(5, 5), (16, 6), (1, 1)] {
                let (stride, chars) = thin_labels(count, slot, wanted, min);
                assert!(count.div_ceil(stride) <= MAX_X_LABELS, "{count}");
                assert!(
                    chars as f64 * CHAR_WIDTH + LABEL_GAP <= stride as f64 * slot || chars == 1
                );
                assert!(chars >= min.min(wanted) || stride >= count);
            }
        }
    }
}
