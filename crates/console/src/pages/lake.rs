//! The Lake query editor (a store picker, the SQL, sample and saved queries, recent
//! queries) and one query's page (status and statistics, the results with paging and a
//! CSV download, and a chart of the results).

use std::fmt::Write as _;

use crate::chart::{self, BarChart, ColumnChart, LineChart};
use crate::html::{Esc, push_escaped, push_query_value};
use crate::layout::{csrf_field, push_error};

/// One event data store in the picker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreOption {
    /// The store's id (the last part of its ARN), as `FROM` names it.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its status (`ENABLED`, `STOPPED_INGESTION`, `PENDING_DELETION`, ...).
    pub status: String,
}

/// A sample query: a link that fills the editor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SampleLink {
    /// What it finds.
    pub title: String,
    /// The editor's URL with the sample's SQL.
    pub href: String,
}

/// A saved query of the signed-in principal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SavedQueryRow {
    /// Its id (the delete form's path).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its SQL.
    pub sql: String,
    /// The editor's URL with this query.
    pub open_href: String,
}

/// A query of the store, from `ListQueries`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecentQuery {
    /// `QueryId`.
    pub query_id: String,
    /// `QueryStatus`.
    pub status: String,
    /// `CreationTime`, formatted.
    pub created: String,
    /// The query's page.
    pub href: String,
}

/// The editor page.
#[derive(Debug, Clone, Default)]
pub struct LakeEditor {
    /// The session's CSRF token.
    pub csrf: String,
    /// Whether the principal may only read: no run, save or delete forms then.
    pub read_only: bool,
    /// The stores to pick from.
    pub stores: Vec<StoreOption>,
    /// Why the stores could not be listed.
    pub stores_error: Option<String>,
    /// The picked store's id (empty when there is none).
    pub store: String,
    /// The SQL in the editor.
    pub sql: String,
    /// The name in the save field.
    pub name: String,
    /// Sample queries.
    pub samples: Vec<SampleLink>,
    /// The principal's saved queries.
    pub saved: Vec<SavedQueryRow>,
    /// Most saved queries a principal may keep.
    pub max_saved: usize,
    /// Why the saved queries could not be read.
    pub saved_error: Option<String>,
    /// The store's recent queries.
    pub recent: Vec<RecentQuery>,
    /// Why the recent queries could not be listed.
    pub recent_error: Option<String>,
}

/// The badge class of a query status.
fn status_class(status: &str) -> &'static str {
    match status {
        "FINISHED" => "good",
        "FAILED" => "bad",
        "CANCELLED" | "TIMED_OUT" => "warn",
        _ => "",
    }
}

fn push_status_badge(out: &mut String, status: &str) {
    match status_class(status) {
        "" => out.push_str("<span class=\"badge\">"),
        class => {
            let _ = write!(out, "<span class=\"badge {class}\">");
        }
    }
    push_escaped(out, status);
    out.push_str("</span>");
}

/// The body of the Lake query editor.
pub fn lake_editor(view: &LakeEditor) -> String {
    let mut out = String::with_capacity(16 * 1024 + view.sql.len());
    out.push_str(
        "<section class=\"panel\" aria-labelledby=\"store-heading\"><h2 id=\"store-heading\">Event data store</h2>",
    );
    if let Some(error) = &view.stores_error {
        push_error(&mut out, error);
    } else if view.stores.is_empty() {
        out.push_str(
            "<p class=\"muted\" id=\"no-stores\">There is no event data store to query yet. <a href=\"/console/stores\">Create an event data store</a>; it collects the events logged from then on.</p>",
        );
    } else {
        out.push_str(
            "<form method=\"get\" action=\"/console/lake\" id=\"store-form\"><div class=\"fields\"><div><label for=\"store-picker\">Event data store</label><select id=\"store-picker\" name=\"store\">",
        );
        for store in &view.stores {
            let selected = if store.id == view.store {
                " selected"
            } else {
                ""
            };
            let _ = write!(
                out,
                "<option value=\"{}\"{selected}>{} ({}) · {}</option>",
                Esc(&store.id),
                Esc(&store.name),
                Esc(&store.id),
                Esc(&store.status)
            );
        }
        out.push_str(
            "</select></div><div><button type=\"submit\">Use this store</button></div></div></form><p class=\"small muted\">Picking a store starts a new query on it. A query names the stores it reads by ID in <code>FROM</code>.</p>",
        );
    }
    out.push_str("</section>");

    out.push_str(
        "<section class=\"panel\" aria-labelledby=\"editor-heading\"><h2 id=\"editor-heading\">Query</h2>",
    );
    let _ = write!(
        out,
        concat!(
            "<form method=\"post\" action=\"/console/lake/run\" id=\"query-form\">{csrf}",
            "<input type=\"hidden\" name=\"store\" value=\"{store}\">",
            "<label for=\"sql\">SQL</label>",
            "<textarea id=\"sql\" name=\"sql\" rows=\"10\" maxlength=\"10000\" spellcheck=\"false\" required>\n{sql}</textarea>",
            "<p class=\"small muted\">Up to 10,000 characters. Results are kept 7 days; a query runs at most 1 hour.</p>"
        ),
        csrf = csrf_field(&view.csrf),
        store = Esc(&view.store),
        sql = Esc(&view.sql),
    );
    if view.read_only {
        out.push_str(
            "<p class=\"muted\" id=\"read-only-note\">Your access key may only read, and starting a query (<code>StartQuery</code>) or saving one changes something, so neither is offered.</p></form>",
        );
    } else {
        let _ = write!(
            out,
            concat!(
                "<div class=\"fields\"><div><label for=\"query-name\">Name (to save the query)</label>",
                "<input type=\"text\" id=\"query-name\" name=\"name\" value=\"{name}\" maxlength=\"128\" size=\"32\"></div></div>",
                "<div class=\"actions\"><button type=\"submit\" class=\"primary\">Run query</button>",
                "<button type=\"submit\" formaction=\"/console/lake/saved\">Save query</button>",
                "<span class=\"small muted\">Saving under an existing name replaces that query.</span></div></form>"
            ),
            name = Esc(&view.name),
        );
    }
    out.push_str("</section><div class=\"grid\">");

    out.push_str(
        "<section class=\"panel\" aria-labelledby=\"samples-heading\"><h2 id=\"samples-heading\">Sample queries</h2><p class=\"small muted\">From the CloudTrail Lake documentation; a sample fills the editor.</p><ul id=\"sample-queries\">",
    );
    for sample in &view.samples {
        let _ = write!(
            out,
            "<li><a href=\"{}\">{}</a></li>",
            Esc(&sample.href),
            Esc(&sample.title)
        );
    }
    out.push_str("</ul></section>");

    out.push_str(
        "<section class=\"panel\" aria-labelledby=\"saved-heading\"><h2 id=\"saved-heading\">Saved queries</h2>",
    );
    if let Some(error) = &view.saved_error {
        push_error(&mut out, error);
    } else if view.saved.is_empty() {
        let _ = write!(
            out,
            "<p class=\"muted\" id=\"no-saved-queries\">No saved queries. Give a query a name and save it to keep it here (up to {}).</p>",
            view.max_saved
        );
    } else {
        out.push_str(
            "<div class=\"table-wrap\"><table id=\"saved-queries\"><caption class=\"skip\">Saved queries</caption><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">SQL</th><th scope=\"col\">Actions</th></tr></thead><tbody>",
        );
        for saved in &view.saved {
            let _ = write!(
                out,
                "<tr><td><a href=\"{}\">{}</a></td><td class=\"mono wrap\">",
                Esc(&saved.open_href),
                Esc(&saved.name)
            );
            push_escaped(&mut out, &preview(&saved.sql, 120));
            out.push_str("</td><td>");
            if !view.read_only {
                out.push_str(
                    "<form method=\"post\" class=\"inline\" action=\"/console/lake/saved/",
                );
                push_query_value(&mut out, &saved.id);
                let _ = write!(
                    out,
                    concat!(
                        "/delete\" data-confirm=\"Delete the saved query {name}?\">{csrf}",
                        "<input type=\"hidden\" name=\"store\" value=\"{store}\">",
                        "<button type=\"submit\" class=\"danger\" aria-label=\"Delete saved query {name}\">Delete</button></form>"
                    ),
                    name = Esc(&saved.name),
                    csrf = csrf_field(&view.csrf),
                    store = Esc(&view.store),
                );
            }
            out.push_str("</td></tr>");
        }
        out.push_str("</tbody></table></div>");
    }
    out.push_str("</section></div>");

    if !view.store.is_empty() {
        out.push_str(
            "<section class=\"panel\" aria-labelledby=\"recent-heading\"><h2 id=\"recent-heading\">Recent queries</h2>",
        );
        if let Some(error) = &view.recent_error {
            push_error(&mut out, error);
        } else if view.recent.is_empty() {
            out.push_str(
                "<p class=\"muted\" id=\"no-recent-queries\">No queries of this store in the past 7 days.</p>",
            );
        } else {
            out.push_str(
                "<div class=\"table-wrap\"><table id=\"recent-queries\"><caption class=\"skip\">Recent queries</caption><thead><tr><th scope=\"col\">Query ID</th><th scope=\"col\">Status</th><th scope=\"col\">Created</th></tr></thead><tbody>",
            );
            for query in &view.recent {
                let _ = write!(
                    out,
                    "<tr><td class=\"mono wrap\"><a href=\"{}\">{}</a></td><td>",
                    Esc(&query.href),
                    Esc(&query.query_id)
                );
                push_status_badge(&mut out, &query.status);
                let _ = write!(
                    out,
                    "</td><td class=\"mono\">{}</td></tr>",
                    Esc(&query.created)
                );
            }
            out.push_str("</tbody></table></div>");
        }
        out.push_str("</section>");
    }
    out
}

/// `text` on one line, cut to `max_chars` characters with an ellipsis.
fn preview(text: &str, max_chars: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max_chars {
        return flat;
    }
    let mut cut: String = flat.chars().take(max_chars.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// The kind of chart drawn from a query's results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ChartKind {
    /// Bars, one per row.
    #[default]
    Bar,
    /// Lines across the rows, in row order.
    Line,
}

impl ChartKind {
    /// The key in URLs (`chart=`).
    pub fn key(self) -> &'static str {
        match self {
            ChartKind::Bar => "bar",
            ChartKind::Line => "line",
        }
    }

    /// The kind for a key.
    pub fn from_key(key: &str) -> Option<ChartKind> {
        match key {
            "bar" => Some(ChartKind::Bar),
            "line" => Some(ChartKind::Line),
            _ => None,
        }
    }
}

/// A drawn chart of results.
#[derive(Debug, Clone, PartialEq)]
pub enum ResultChart {
    /// Horizontal bars (one whole-number series).
    Bar(BarChart),
    /// Grouped columns (several series, or fractions).
    Columns(ColumnChart),
    /// Lines.
    Line(LineChart),
}

impl ResultChart {
    /// The chart's SVG.
    pub fn svg(&self) -> String {
        match self {
            ResultChart::Bar(bars) => chart::bar_chart(bars),
            ResultChart::Columns(columns) => chart::column_chart(columns),
            ResultChart::Line(lines) => chart::line_chart(lines),
        }
    }
}

/// The chart panel of a query's results: the form choosing what to draw, and the chart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResultChartView {
    /// The form's action (the query's page).
    pub action: String,
    /// Hidden fields that keep the page's place (`store`, `token`, `back`).
    pub hidden: Vec<(String, String)>,
    /// The kind chosen.
    pub kind: ChartKind,
    /// Every column (label choices), in result order.
    pub columns: Vec<String>,
    /// The numeric columns (value choices), in result order.
    pub numeric_columns: Vec<String>,
    /// The label column chosen.
    pub label_column: String,
    /// The value columns chosen.
    pub value_columns: Vec<String>,
    /// The chart; `None` when nothing can be drawn (then `note` says why).
    pub chart: Option<ResultChart>,
    /// A line under the chart: which rows it shows, or why there is none.
    pub note: String,
}

/// A page of a finished query's results.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResultsView {
    /// Column names, in result order.
    pub columns: Vec<String>,
    /// Whether each column is numeric (right-aligned).
    pub numeric: Vec<bool>,
    /// This page's rows; `None` is SQL NULL.
    pub rows: Vec<Vec<Option<String>>>,
    /// The 1-based number of this page's first row.
    pub first_row: usize,
    /// Rows of the whole result.
    pub total: u64,
    /// The previous page's URL.
    pub previous_href: Option<String>,
    /// The next page's URL.
    pub next_href: Option<String>,
    /// The CSV download's URL.
    pub csv_href: String,
    /// Most rows a download holds.
    pub max_download: usize,
    /// The chart panel.
    pub chart: Option<ResultChartView>,
}

/// One query's page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueryPage {
    /// The session's CSRF token.
    pub csrf: String,
    /// `QueryId`.
    pub query_id: String,
    /// The store the editor had picked (kept in links).
    pub store: String,
    /// `QueryStatus`.
    pub status: String,
    /// Statistics and times: (label, value).
    pub facts: Vec<(String, String)>,
    /// `ErrorMessage`.
    pub error_message: Option<String>,
    /// `QueryString`.
    pub sql: String,
    /// The editor's URL with this SQL.
    pub edit_href: String,
    /// Whether to offer the cancel button (queued or running, and allowed to change).
    pub can_cancel: bool,
    /// The results, once finished.
    pub results: Option<ResultsView>,
    /// Why the results could not be read.
    pub results_error: Option<String>,
}

impl QueryPage {
    /// Whether the query is still queued or running.
    pub fn running(&self) -> bool {
        matches!(self.status.as_str(), "QUEUED" | "RUNNING")
    }
}

/// Milliseconds between reloads of a running query's page.
pub const REFRESH_MS: u32 = 1000;

/// The body of a query's page.
pub fn query_page(view: &QueryPage) -> String {
    let mut out = String::with_capacity(16 * 1024 + view.sql.len() * 2);
    out.push_str("<p><a href=\"/console/lake");
    if !view.store.is_empty() {
        out.push_str("?store=");
        push_query_value(&mut out, &view.store);
    }
    out.push_str("\">← Lake query editor</a></p><div class=\"grid\">");
    out.push_str(
        "<section class=\"panel\" aria-labelledby=\"status-heading\"><h2 id=\"status-heading\">Status</h2><p id=\"query-status\"",
    );
    if view.running() {
        let _ = write!(
            out,
            " data-refresh=\"{REFRESH_MS}\" role=\"status\" aria-live=\"polite\""
        );
    }
    out.push('>');
    push_status_badge(&mut out, &view.status);
    if view.running() {
        out.push_str(" <span class=\"small muted\">This page reloads until the query ends.</span>");
    }
    out.push_str("</p><dl class=\"facts\" id=\"query-facts\">");
    let _ = write!(
        out,
        "<dt>Query ID</dt><dd class=\"mono\">{}</dd>",
        Esc(&view.query_id)
    );
    for (label, value) in &view.facts {
        let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", Esc(label), Esc(value));
    }
    out.push_str("</dl>");
    if let Some(message) = &view.error_message {
        push_error(&mut out, message);
    }
    if view.can_cancel {
        out.push_str("<form method=\"post\" action=\"/console/lake/queries/");
        push_query_value(&mut out, &view.query_id);
        let _ = write!(
            out,
            concat!(
                "/cancel\" data-confirm=\"Cancel this query?\">{csrf}",
                "<input type=\"hidden\" name=\"store\" value=\"{store}\">",
                "<div class=\"actions\"><button type=\"submit\" class=\"danger\">Cancel query</button></div></form>"
            ),
            csrf = csrf_field(&view.csrf),
            store = Esc(&view.store),
        );
    }
    out.push_str(
        "</section><section class=\"panel\" aria-labelledby=\"sql-heading\"><h2 id=\"sql-heading\">SQL</h2><pre class=\"json\" id=\"query-sql\" tabindex=\"0\" aria-label=\"The query's SQL\">",
    );
    push_escaped(&mut out, &view.sql);
    let _ = write!(
        out,
        "</pre><div class=\"actions\"><a class=\"button\" href=\"{}\">Edit in editor</a></div></section></div>",
        Esc(&view.edit_href)
    );

    if let Some(error) = &view.results_error {
        out.push_str(
            "<section class=\"panel\" aria-labelledby=\"results-heading\"><h2 id=\"results-heading\">Results</h2>",
        );
        push_error(&mut out, error);
        out.push_str("</section>");
    }
    if let Some(results) = &view.results {
        push_results(&mut out, results);
        if let Some(chart) = &results.chart {
            push_chart_panel(&mut out, chart);
        }
    }
    out
}

fn push_results(out: &mut String, results: &ResultsView) {
    out.push_str(
        "<section class=\"panel\" aria-labelledby=\"results-heading\"><h2 id=\"results-heading\">Results</h2><div class=\"actions\"><span class=\"muted\" id=\"results-range\">",
    );
    if results.rows.is_empty() && results.total == 0 {
        out.push_str("No rows");
    } else if results.rows.is_empty() {
        let _ = write!(
            out,
            "No rows on this page of {}",
            chart::format_count(results.total)
        );
    } else {
        let last = results.first_row + results.rows.len() - 1;
        let _ = write!(
            out,
            "Rows {}–{} of {}",
            chart::format_count(results.first_row as u64),
            chart::format_count(last as u64),
            chart::format_count(results.total)
        );
    }
    let _ = write!(
        out,
        concat!(
            "</span><a class=\"button\" href=\"{href}\" download>Download CSV</a>",
            "<span class=\"small muted\">The download holds every row, up to {max}.</span></div>"
        ),
        href = Esc(&results.csv_href),
        max = chart::format_count(results.max_download as u64),
    );
    if results.columns.is_empty() {
        out.push_str(
            "<p class=\"muted\" id=\"no-results\">The query returned no rows.</p></section>",
        );
        return;
    }
    out.push_str(
        "<div class=\"table-wrap\"><table id=\"results\"><caption class=\"skip\">Query results</caption><thead><tr>",
    );
    for (index, column) in results.columns.iter().enumerate() {
        let class = if results.numeric.get(index).copied().unwrap_or(false) {
            " class=\"num\""
        } else {
            ""
        };
        let _ = write!(out, "<th scope=\"col\"{class}>{}</th>", Esc(column));
    }
    out.push_str("</tr></thead><tbody>");
    for row in &results.rows {
        out.push_str("<tr>");
        for (index, value) in row.iter().enumerate() {
            let numeric = results.numeric.get(index).copied().unwrap_or(false);
            match value {
                None => out.push_str("<td class=\"muted\">NULL</td>"),
                Some(value) if numeric => {
                    let _ = write!(out, "<td class=\"num\">{}</td>", Esc(value));
                }
                Some(value) => {
                    let _ = write!(out, "<td class=\"wrap\">{}</td>", Esc(value));
                }
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div><nav class=\"pager\" aria-label=\"Result pages\">");
    match &results.previous_href {
        Some(href) => {
            let _ = write!(
                out,
                "<a class=\"button\" href=\"{}\" rel=\"prev\">Previous page</a>",
                Esc(href)
            );
        }
        None => out.push_str("<button type=\"button\" disabled>Previous page</button>"),
    }
    match &results.next_href {
        Some(href) => {
            let _ = write!(
                out,
                "<a class=\"button\" href=\"{}\" rel=\"next\">Next page</a>",
                Esc(href)
            );
        }
        None => out.push_str("<button type=\"button\" disabled>Next page</button>"),
    }
    out.push_str("</nav></section>");
}

fn push_chart_panel(out: &mut String, view: &ResultChartView) {
    let _ = write!(
        out,
        concat!(
            "<section class=\"panel\" aria-labelledby=\"chart-heading\"><h2 id=\"chart-heading\">Chart</h2>",
            "<form method=\"get\" action=\"{action}\" id=\"chart-form\">"
        ),
        action = Esc(&view.action),
    );
    for (name, value) in &view.hidden {
        let _ = write!(
            out,
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
            Esc(name),
            Esc(value)
        );
    }
    out.push_str("<div class=\"fields\"><div><label for=\"chart-kind\">Chart type</label><select id=\"chart-kind\" name=\"chart\">");
    for (kind, label) in [(ChartKind::Bar, "Bar"), (ChartKind::Line, "Line")] {
        let selected = if kind == view.kind { " selected" } else { "" };
        let _ = write!(
            out,
            "<option value=\"{}\"{selected}>{label}</option>",
            kind.key()
        );
    }
    out.push_str("</select></div><div><label for=\"chart-x\">Labels</label><select id=\"chart-x\" name=\"x\">");
    for column in &view.columns {
        let selected = if *column == view.label_column {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            out,
            "<option value=\"{}\"{selected}>{}</option>",
            Esc(column),
            Esc(column)
        );
    }
    out.push_str("</select></div>");
    if view.numeric_columns.is_empty() {
        out.push_str("</div>");
    } else {
        out.push_str("<fieldset id=\"chart-values\"><legend>Values</legend>");
        for (index, column) in view.numeric_columns.iter().enumerate() {
            let checked = if view.value_columns.contains(column) {
                " checked"
            } else {
                ""
            };
            let _ = write!(
                out,
                "<label for=\"chart-y{index}\"><input type=\"checkbox\" id=\"chart-y{index}\" name=\"y\" value=\"{value}\"{checked}> {value}</label>",
                value = Esc(column)
            );
        }
        out.push_str("</fieldset></div>");
    }
    out.push_str("<div class=\"actions\"><button type=\"submit\">Draw chart</button></div></form>");
    out.push_str("<figure id=\"results-chart\">");
    if let Some(chart) = &view.chart {
        out.push_str(&chart.svg());
    }
    let _ = write!(
        out,
        "<figcaption class=\"small muted\">{}</figcaption></figure></section>",
        Esc(&view.note)
    );
}
