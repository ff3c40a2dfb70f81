//! Event history: the filter form, the table with its column chooser and paging, and one
//! event's record.

use std::fmt::Write as _;

use crate::html::{Esc, push_escaped, push_query_value};
use crate::layout::{csrf_field, push_error};

/// The lookup attributes the filter offers, as CloudTrail's console names them, with the
/// `LookupEvents` attribute key each stands for (the last two are OpenTrail's extensions
/// of `LookupEvents`).
pub const ATTRIBUTES: [(&str, &str); 10] = [
    ("EventName", "Event name"),
    ("Username", "User name"),
    ("ResourceType", "Resource type"),
    ("ResourceName", "Resource name"),
    ("EventSource", "Event source"),
    ("AccessKeyId", "AWS access key"),
    ("ReadOnly", "Read-only"),
    ("EventId", "Event ID"),
    ("ErrorCode", "Error code"),
    ("SourceIPAddress", "Source IP address"),
];

/// The time-range presets: the key in URLs and the label.
pub const RANGES: [(&str, &str); 9] = [
    ("30m", "30 minutes"),
    ("1h", "1 hour"),
    ("3h", "3 hours"),
    ("12h", "12 hours"),
    ("1d", "1 day"),
    ("7d", "7 days"),
    ("30d", "30 days"),
    ("90d", "90 days"),
    ("custom", "Custom"),
];

/// A column of the event table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// `eventTime`.
    EventTime,
    /// The lookup user name.
    Username,
    /// `eventName` (links to the record).
    EventName,
    /// The resources' types.
    ResourceType,
    /// The resources' names.
    ResourceName,
    /// `eventSource`.
    EventSource,
    /// `userIdentity.accessKeyId`.
    AccessKeyId,
    /// `sourceIPAddress`.
    SourceIp,
    /// `errorCode`.
    ErrorCode,
    /// `readOnly`.
    ReadOnly,
    /// `awsRegion`.
    AwsRegion,
    /// `eventCategory`.
    Category,
    /// `eventID`.
    EventId,
}

impl Column {
    /// Every column, in table order.
    pub const ALL: [Column; 13] = [
        Column::EventTime,
        Column::Username,
        Column::EventName,
        Column::ResourceType,
        Column::ResourceName,
        Column::EventSource,
        Column::AccessKeyId,
        Column::SourceIp,
        Column::ErrorCode,
        Column::ReadOnly,
        Column::AwsRegion,
        Column::Category,
        Column::EventId,
    ];

    /// The columns shown when none are chosen: CloudTrail console's defaults.
    pub const DEFAULT: [Column; 9] = [
        Column::EventTime,
        Column::Username,
        Column::EventName,
        Column::ResourceType,
        Column::ResourceName,
        Column::EventSource,
        Column::AccessKeyId,
        Column::SourceIp,
        Column::ErrorCode,
    ];

    /// The key in URLs (`cols=`) and downloads' headers.
    pub fn key(self) -> &'static str {
        match self {
            Column::EventTime => "eventTime",
            Column::Username => "username",
            Column::EventName => "eventName",
            Column::ResourceType => "resourceType",
            Column::ResourceName => "resourceName",
            Column::EventSource => "eventSource",
            Column::AccessKeyId => "accessKeyId",
            Column::SourceIp => "sourceIPAddress",
            Column::ErrorCode => "errorCode",
            Column::ReadOnly => "readOnly",
            Column::AwsRegion => "awsRegion",
            Column::Category => "eventCategory",
            Column::EventId => "eventID",
        }
    }

    /// The column for a key.
    pub fn from_key(key: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|column| column.key() == key)
    }

    /// The header text.
    pub fn label(self) -> &'static str {
        match self {
            Column::EventTime => "Event time",
            Column::Username => "User name",
            Column::EventName => "Event name",
            Column::ResourceType => "Resource type",
            Column::ResourceName => "Resource name",
            Column::EventSource => "Event source",
            Column::AccessKeyId => "AWS access key",
            Column::SourceIp => "Source IP address",
            Column::ErrorCode => "Error code",
            Column::ReadOnly => "Read-only",
            Column::AwsRegion => "AWS Region",
            Column::Category => "Event category",
            Column::EventId => "Event ID",
        }
    }
}

/// One event as a row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventRow {
    /// `eventID` (the record's link).
    pub event_id: String,
    /// Formatted event time.
    pub event_time: String,
    /// The lookup user name.
    pub username: String,
    /// `eventName`.
    pub event_name: String,
    /// Resource types, one per resource.
    pub resource_types: Vec<String>,
    /// Resource names, one per resource.
    pub resource_names: Vec<String>,
    /// `eventSource`.
    pub event_source: String,
    /// The access key.
    pub access_key_id: String,
    /// `sourceIPAddress`.
    pub source_ip: String,
    /// `errorCode`.
    pub error_code: String,
    /// `readOnly` as written (`true`/`false`/empty).
    pub read_only: String,
    /// `awsRegion`.
    pub aws_region: String,
    /// `eventCategory`.
    pub category: String,
}

impl EventRow {
    /// The text of one column (resources joined with `, `), as downloads write it.
    pub fn text(&self, column: Column) -> String {
        match column {
            Column::EventTime => self.event_time.clone(),
            Column::Username => self.username.clone(),
            Column::EventName => self.event_name.clone(),
            Column::ResourceType => self.resource_types.join(", "),
            Column::ResourceName => self.resource_names.join(", "),
            Column::EventSource => self.event_source.clone(),
            Column::AccessKeyId => self.access_key_id.clone(),
            Column::SourceIp => self.source_ip.clone(),
            Column::ErrorCode => self.error_code.clone(),
            Column::ReadOnly => self.read_only.clone(),
            Column::AwsRegion => self.aws_region.clone(),
            Column::Category => self.category.clone(),
            Column::EventId => self.event_id.clone(),
        }
    }
}

/// The event history page.
#[derive(Debug, Clone, Default)]
pub struct EventHistory {
    /// The filters as (attribute key, value), in the order given; at least one row is
    /// shown even when empty.
    pub filters: Vec<(String, String)>,
    /// The time-range preset key (see [`RANGES`]).
    pub range: String,
    /// Custom range start, `YYYY-MM-DDTHH:MM` (UTC).
    pub start: String,
    /// Custom range end, `YYYY-MM-DDTHH:MM` (UTC).
    pub end: String,
    /// The columns shown.
    pub columns: Vec<Column>,
    /// Rows per page.
    pub page_size: usize,
    /// This page's rows.
    pub rows: Vec<EventRow>,
    /// The page number, from 1.
    pub page: usize,
    /// The URL of the previous page.
    pub previous_href: Option<String>,
    /// The URL of the next page.
    pub next_href: Option<String>,
    /// The query string (without `?`) that repeats the filter, range and columns: the
    /// downloads use it.
    pub filter_query: String,
    /// Most events one download holds.
    pub max_download: usize,
    /// The lookup's error, shown instead of the table.
    pub error: Option<String>,
}

/// The body of the event history page.
pub fn event_history(view: &EventHistory) -> String {
    let mut out = String::with_capacity(16 * 1024 + view.rows.len() * 600);
    out.push_str(
        "<section class=\"panel\" aria-label=\"Filter\"><form method=\"get\" action=\"/console/events\" id=\"filter\">",
    );
    let filters: Vec<(&str, &str)> = if view.filters.is_empty() {
        vec![("EventName", "")]
    } else {
        view.filters
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str()))
            .collect()
    };
    for (index, (key, value)) in filters.iter().enumerate() {
        let _ = write!(
            out,
            concat!(
                "<div class=\"filter-row\"><div><label for=\"attr{i}\">Lookup attribute</label>",
                "<select name=\"attr\" id=\"attr{i}\">"
            ),
            i = index
        );
        for (attribute, label) in ATTRIBUTES {
            let selected = if attribute == *key { " selected" } else { "" };
            let _ = write!(
                out,
                "<option value=\"{attribute}\"{selected}>{label}</option>"
            );
        }
        let _ = write!(
            out,
            concat!(
                "</select></div><div><label for=\"value{i}\">Value</label>",
                "<input type=\"text\" name=\"value\" id=\"value{i}\" value=\"{value}\" ",
                "placeholder=\"Enter a value\" size=\"28\"></div></div>"
            ),
            i = index,
            value = Esc(value)
        );
    }
    out.push_str(
        "<p class=\"small muted\">Filters on several attributes are combined with AND. <button type=\"button\" id=\"add-filter\" hidden>Add filter</button></p>",
    );
    out.push_str("<div class=\"fields\">");
    push_time_range(&mut out, &view.range, &view.start, &view.end);
    out.push_str("<div><label for=\"n\">Rows per page</label><select name=\"n\" id=\"n\">");
    for size in [10, 25, 50] {
        let selected = if size == view.page_size {
            " selected"
        } else {
            ""
        };
        let _ = write!(out, "<option value=\"{size}\"{selected}>{size}</option>");
    }
    out.push_str("</select></div></div>");
    out.push_str("<details class=\"columns\"><summary>Columns</summary><div>");
    for column in Column::ALL {
        let checked = if view.columns.contains(&column) {
            " checked"
        } else {
            ""
        };
        let _ = write!(
            out,
            "<label><input type=\"checkbox\" name=\"cols\" value=\"{}\"{checked}> {}</label>",
            column.key(),
            column.label()
        );
    }
    out.push_str("</div></details>");
    out.push_str("<div class=\"actions\"><button type=\"submit\" class=\"primary\">Apply</button><a class=\"button\" href=\"/console/events\">Clear filters</a></div></form></section>");

    if let Some(error) = &view.error {
        push_error(&mut out, error);
        return out;
    }
    let _ = write!(
        out,
        concat!(
            "<div class=\"actions\"><span class=\"muted\">Page {page}</span>",
            "<a class=\"button\" href=\"/console/events.csv?{query}\" download>Download CSV</a>",
            "<a class=\"button\" href=\"/console/events.json?{query}\" download>Download JSON</a>",
            "<span class=\"small muted\">Downloads hold every matching event, up to {max}.</span></div>"
        ),
        page = view.page,
        query = Esc(&view.filter_query),
        max = view.max_download,
    );
    out.push_str("<div class=\"table-wrap\"><table id=\"events\"><caption class=\"skip\">Events</caption><thead><tr>");
    for column in &view.columns {
        let _ = write!(out, "<th scope=\"col\">{}</th>", column.label());
    }
    out.push_str("</tr></thead><tbody>");
    if view.rows.is_empty() {
        let _ = write!(
            out,
            "<tr><td colspan=\"{}\" class=\"muted\">No events match these filters.</td></tr>",
            view.columns.len().max(1)
        );
    }
    for row in &view.rows {
        out.push_str("<tr>");
        for column in &view.columns {
            out.push_str("<td");
            match column {
                Column::EventName => {
                    out.push_str("><a href=\"/console/events/");
                    push_query_value(&mut out, &row.event_id);
                    out.push_str("\">");
                    push_escaped(&mut out, &row.event_name);
                    out.push_str("</a>");
                }
                Column::ErrorCode if !row.error_code.is_empty() => {
                    out.push_str("><span class=\"badge bad\">");
                    push_escaped(&mut out, &row.error_code);
                    out.push_str("</span>");
                }
                Column::EventTime => {
                    out.push_str(" class=\"mono\">");
                    push_escaped(&mut out, &row.event_time);
                }
                Column::ResourceName | Column::EventId | Column::AccessKeyId => {
                    out.push_str(" class=\"wrap\">");
                    push_escaped(&mut out, &row.text(*column));
                }
                _ => {
                    out.push('>');
                    push_escaped(&mut out, &row.text(*column));
                }
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div><nav class=\"pager\" aria-label=\"Pages\">");
    match &view.previous_href {
        Some(href) => {
            let _ = write!(
                out,
                "<a class=\"button\" href=\"{}\" rel=\"prev\">Previous page</a>",
                Esc(href)
            );
        }
        None => out.push_str("<button type=\"button\" disabled>Previous page</button>"),
    }
    match &view.next_href {
        Some(href) => {
            let _ = write!(
                out,
                "<a class=\"button\" href=\"{}\" rel=\"next\">Next page</a>",
                Esc(href)
            );
        }
        None => out.push_str("<button type=\"button\" disabled>Next page</button>"),
    }
    out.push_str("</nav>");
    out
}

/// Appends the time-range fields of a filter form: the preset select (`#range`, see
/// [`RANGES`]) and the custom start and end (`#custom-range`, shown by the script only
/// for `custom`), each labelled.
pub fn push_time_range(out: &mut String, range: &str, start: &str, end: &str) {
    out.push_str(
        "<div><label for=\"range\">Time range</label><select name=\"range\" id=\"range\">",
    );
    for (key, label) in RANGES {
        let selected = if key == range { " selected" } else { "" };
        let _ = write!(out, "<option value=\"{key}\"{selected}>{label}</option>");
    }
    let _ = write!(
        out,
        concat!(
            "</select></div><div id=\"custom-range\" class=\"fields\">",
            "<div><label for=\"start\">Start (UTC)</label><input type=\"datetime-local\" name=\"start\" id=\"start\" value=\"{start}\"></div>",
            "<div><label for=\"end\">End (UTC)</label><input type=\"datetime-local\" name=\"end\" id=\"end\" value=\"{end}\"></div></div>"
        ),
        start = Esc(start),
        end = Esc(end),
    );
}

/// One event's page.
#[derive(Debug, Clone, Default)]
pub struct EventDetail {
    /// Summary facts: (label, value, link to the history filtered by it).
    pub facts: Vec<(String, String, Option<String>)>,
    /// The resources: (type, name).
    pub resources: Vec<(String, String)>,
    /// The record, pretty-printed JSON.
    pub record_json: String,
}

/// The body of an event's page.
pub fn event_detail(view: &EventDetail) -> String {
    let mut out = String::with_capacity(view.record_json.len() * 2 + 4096);
    out.push_str("<p><a href=\"/console/events\">← Event history</a></p><div class=\"grid\"><section class=\"panel\"><h2>Details</h2><dl class=\"facts\">");
    for (label, value, href) in &view.facts {
        let _ = write!(out, "<dt>{}</dt><dd>", Esc(label));
        match href {
            Some(href) if !value.is_empty() => {
                let _ = write!(out, "<a href=\"{}\">{}</a>", Esc(href), Esc(value));
            }
            _ if value.is_empty() => out.push('—'),
            _ => push_escaped(&mut out, value),
        }
        out.push_str("</dd>");
    }
    out.push_str("</dl></section><section class=\"panel\"><h2>Resources referenced</h2>");
    if view.resources.is_empty() {
        out.push_str("<p class=\"muted\">None.</p>");
    } else {
        out.push_str("<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Resource type</th><th scope=\"col\">Resource name</th></tr></thead><tbody>");
        for (kind, name) in &view.resources {
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=\"wrap\">{}</td></tr>",
                Esc(kind),
                Esc(name)
            );
        }
        out.push_str("</tbody></table></div>");
    }
    out.push_str("</section></div><section class=\"panel\"><h2>Event record</h2><pre class=\"json\" tabindex=\"0\" aria-label=\"Event record JSON\">");
    push_json_html(&mut out, &view.record_json);
    out.push_str("</pre></section>");
    out
}

/// Appends pretty-printed JSON as escaped HTML with its tokens marked for colour: member
/// names `k`, strings `s`, numbers `n`, `true`/`false`/`null` `b`.
pub fn push_json_html(out: &mut String, json: &str) {
    let bytes = json.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'"' => {
                let start = at;
                at += 1;
                while at < bytes.len() && bytes[at] != b'"' {
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
                at = (at + 1).min(bytes.len());
                let token = &json[start..at];
                let rest = json[at..].trim_start_matches([' ', '\t']);
                let class = if rest.starts_with(':') { "k" } else { "s" };
                let _ = write!(out, "<span class=\"{class}\">{}</span>", Esc(token));
            }
            b'-' | b'0'..=b'9' => {
                let start = at;
                while at < bytes.len()
                    && matches!(bytes[at], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    at += 1;
                }
                let _ = write!(out, "<span class=\"n\">{}</span>", &json[start..at]);
            }
            b't' | b'f' | b'n' => {
                let start = at;
                while at < bytes.len() && bytes[at].is_ascii_alphabetic() {
                    at += 1;
                }
                let _ = write!(out, "<span class=\"b\">{}</span>", Esc(&json[start..at]));
            }
            _ => {
                let start = at;
                while at < bytes.len()
                    && !matches!(bytes[at], b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n')
                {
                    at += 1;
                }
                push_escaped(out, &json[start..at]);
            }
        }
    }
}

/// The sign-in page's body.
#[derive(Debug, Clone, Default)]
pub struct SignIn {
    /// The sign-in form's CSRF token.
    pub csrf: String,
    /// The access key id to fill in again after a failure.
    pub access_key_id: String,
    /// Where to go after signing in (a `/console/` path).
    pub next: String,
}

/// The body of the sign-in page.
pub fn sign_in(view: &SignIn) -> String {
    format!(
        concat!(
            "<section class=\"panel signin\"><form method=\"post\" action=\"/console/signin\">{csrf}",
            "<input type=\"hidden\" name=\"next\" value=\"{next}\">",
            "<p class=\"muted\">Sign in with an access key of this server (the admin key is in the data directory's <code>credentials</code> file).</p>",
            "<div class=\"fields\"><div><label for=\"access_key_id\">Access key ID</label>",
            "<input type=\"text\" id=\"access_key_id\" name=\"access_key_id\" value=\"{key}\" autocomplete=\"username\" required autofocus spellcheck=\"false\"></div></div>",
            "<div class=\"fields\"><div><label for=\"secret_access_key\">Secret access key</label>",
            "<input type=\"password\" id=\"secret_access_key\" name=\"secret_access_key\" autocomplete=\"current-password\" required></div></div>",
            "<button type=\"submit\" class=\"primary\">Sign in</button></form></section>"
        ),
        csrf = csrf_field(&view.csrf),
        next = Esc(&view.next),
        key = Esc(&view.access_key_id),
    )
}
