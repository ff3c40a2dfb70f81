//! Trails: the list with each trail's logging status, the create and edit forms, one
//! trail's details and status, and its event and Insights selectors (a form for
//! management events and a JSON view of the selectors document).
//!
//! Every view model holds text the server formatted (times as `YYYY-MM-DD HH:MM:SS UTC`,
//! selectors as pretty-printed JSON); `key` fields are what a trail's URLs carry (its
//! name, or its ARN for a trail of another region) and are percent-encoded here.

use std::fmt::Write as _;

use crate::html::{Esc, push_escaped, push_query_value};
use crate::layout::{csrf_field, push_error};
use crate::pages::events::push_json_html;

/// One row of the trail list.
#[derive(Debug, Clone, Default)]
pub struct TrailRow {
    /// What the trail's URL carries (its name, or its ARN when another region is home).
    pub key: String,
    /// `Name`.
    pub name: String,
    /// `HomeRegion`.
    pub home_region: String,
    /// `IsMultiRegionTrail`.
    pub multi_region: bool,
    /// `S3BucketName`.
    pub bucket: String,
    /// `S3KeyPrefix` (empty when none).
    pub prefix: String,
    /// `IsLogging`; `None` when the status could not be read.
    pub logging: Option<bool>,
    /// `LatestDeliveryTime`, formatted (empty when none).
    pub last_delivery: String,
    /// `LatestDeliveryError` (empty when none).
    pub last_delivery_error: String,
    /// `LogFileValidationEnabled`.
    pub log_file_validation: bool,
}

/// The trail list.
#[derive(Debug, Clone, Default)]
pub struct TrailList {
    /// The trails, in `DescribeTrails` order.
    pub rows: Vec<TrailRow>,
    /// Whether the principal may change things (then "Create trail" is offered).
    pub can_change: bool,
    /// `DescribeTrails`' error, shown instead of the table.
    pub error: Option<String>,
}

/// The body of the trail list.
pub fn trail_list(view: &TrailList) -> String {
    let mut out = String::with_capacity(2048 + view.rows.len() * 700);
    out.push_str(
        "<p class=\"muted\">Trails deliver this account's events as log files to a bucket.</p>",
    );
    if view.can_change {
        out.push_str("<div class=\"actions\"><a class=\"button primary\" href=\"/console/trails/new\">Create trail</a></div>");
    }
    if let Some(error) = &view.error {
        push_error(&mut out, error);
        return out;
    }
    out.push_str(concat!(
        "<div class=\"table-wrap\"><table id=\"trails\"><caption class=\"skip\">Trails</caption><thead><tr>",
        "<th scope=\"col\">Name</th><th scope=\"col\">Home region</th><th scope=\"col\">Multi-region trail</th>",
        "<th scope=\"col\">S3 bucket</th><th scope=\"col\">Log file prefix</th><th scope=\"col\">Status</th>",
        "<th scope=\"col\">Last delivery</th><th scope=\"col\">Log file validation</th></tr></thead><tbody>"
    ));
    if view.rows.is_empty() {
        out.push_str("<tr><td colspan=\"8\" class=\"muted\">No trails yet.</td></tr>");
    }
    for row in &view.rows {
        out.push_str("<tr><td><a href=\"/console/trails/");
        push_query_value(&mut out, &row.key);
        let _ = write!(
            out,
            concat!(
                "\">{name}</a></td><td>{region}</td><td>{multi}</td><td class=\"wrap\">{bucket}</td>",
                "<td class=\"wrap\">{prefix}</td><td>{badge}</td><td class=\"mono\">{delivery}"
            ),
            name = Esc(&row.name),
            region = Esc(&row.home_region),
            multi = yes_no(row.multi_region),
            bucket = Esc(&row.bucket),
            prefix = Esc(or_dash(&row.prefix)),
            badge = logging_badge(row.logging),
            delivery = Esc(or_dash(&row.last_delivery)),
        );
        if !row.last_delivery_error.is_empty() {
            let _ = write!(
                out,
                " <span class=\"badge bad\">{}</span>",
                Esc(&row.last_delivery_error)
            );
        }
        let _ = write!(
            out,
            "</td><td>{}</td></tr>",
            enabled_disabled(row.log_file_validation)
        );
    }
    out.push_str("</tbody></table></div>");
    out
}

/// The create and edit forms of a trail.
#[derive(Debug, Clone, Default)]
pub struct TrailForm {
    /// The session's CSRF token.
    pub csrf: String,
    /// The trail being edited (its URL key and name); `None` on the create form.
    pub editing: Option<(String, String)>,
    /// `name` (create only).
    pub name: String,
    /// `bucket`.
    pub bucket: String,
    /// `prefix`.
    pub prefix: String,
    /// `multi_region`.
    pub multi_region: bool,
    /// `global_events`: include global service events.
    pub include_global_events: bool,
    /// `log_file_validation`.
    pub log_file_validation: bool,
    /// `start_logging` (create only).
    pub start_logging: bool,
}

impl TrailForm {
    /// The create form as it first shows: the CloudTrail console's defaults
    /// (multi-region, global service events, validation, logging started).
    pub fn new_trail(csrf: &str) -> TrailForm {
        TrailForm {
            csrf: csrf.to_owned(),
            multi_region: true,
            include_global_events: true,
            log_file_validation: true,
            start_logging: true,
            ..TrailForm::default()
        }
    }
}

/// The body of the create or edit form.
pub fn trail_form(view: &TrailForm) -> String {
    let mut out = String::with_capacity(4096);
    match &view.editing {
        Some((key, name)) => {
            out.push_str("<p><a href=\"/console/trails/");
            push_query_value(&mut out, key);
            let _ = write!(out, "\">← {}</a></p>", Esc(name));
            out.push_str("<section class=\"panel\"><form method=\"post\" id=\"trail-form\" action=\"/console/trails/");
            push_query_value(&mut out, key);
            let _ = write!(
                out,
                "/edit\">{}<h2>General details</h2><dl class=\"facts\"><dt>Trail name</dt><dd>{}</dd></dl>",
                csrf_field(&view.csrf),
                Esc(name)
            );
        }
        None => {
            let _ = write!(
                out,
                concat!(
                    "<p><a href=\"/console/trails\">← Trails</a></p>",
                    "<section class=\"panel\"><form method=\"post\" id=\"trail-form\" action=\"/console/trails\">{csrf}",
                    "<h2>General details</h2><div class=\"fields\"><div><label for=\"name\">Trail name</label>",
                    "<input type=\"text\" id=\"name\" name=\"name\" value=\"{name}\" size=\"40\" maxlength=\"128\" ",
                    "required autofocus spellcheck=\"false\" aria-describedby=\"name-hint\"></div></div>",
                    "<p class=\"small muted\" id=\"name-hint\">3 to 128 characters: letters, digits, periods, ",
                    "underscores and hyphens, starting with a letter or digit.</p>"
                ),
                csrf = csrf_field(&view.csrf),
                name = Esc(&view.name),
            );
        }
    }
    let _ = write!(
        out,
        concat!(
            "<h2>Storage location</h2><div class=\"fields\">",
            "<div><label for=\"bucket\">S3 bucket</label><input type=\"text\" id=\"bucket\" name=\"bucket\" ",
            "value=\"{bucket}\" size=\"40\" required spellcheck=\"false\"></div>",
            "<div><label for=\"prefix\">Log file prefix (optional)</label><input type=\"text\" id=\"prefix\" ",
            "name=\"prefix\" value=\"{prefix}\" size=\"30\" spellcheck=\"false\"></div></div>",
            "<p class=\"small muted\">Log files go to <span class=\"mono\">bucket/prefix/AWSLogs/account/CloudTrail/region/…</span>; ",
            "the bucket must exist.</p><h2>Options</h2>"
        ),
        bucket = Esc(&view.bucket),
        prefix = Esc(&view.prefix),
    );
    checkbox(
        &mut out,
        "multi_region",
        "Multi-region trail (log the events of every region)",
        view.multi_region,
    );
    checkbox(
        &mut out,
        "global_events",
        "Include global service events (IAM, STS, CloudFront)",
        view.include_global_events,
    );
    checkbox(
        &mut out,
        "log_file_validation",
        "Log file validation (hourly signed digest files)",
        view.log_file_validation,
    );
    let button = if view.editing.is_some() {
        "Save changes"
    } else {
        checkbox(
            &mut out,
            "start_logging",
            "Start logging now",
            view.start_logging,
        );
        "Create trail"
    };
    let _ = write!(
        out,
        "<div class=\"actions\"><button type=\"submit\" class=\"primary\">{button}</button>"
    );
    match &view.editing {
        Some((key, _)) => {
            out.push_str("<a class=\"button\" href=\"/console/trails/");
            push_query_value(&mut out, key);
            out.push_str("\">Cancel</a>");
        }
        None => out.push_str("<a class=\"button\" href=\"/console/trails\">Cancel</a>"),
    }
    out.push_str("</div></form></section>");
    out
}

/// A trail's status as `GetTrailStatus` reports it, every time formatted (empty when
/// none).
#[derive(Debug, Clone, Default)]
pub struct TrailStatusView {
    /// `IsLogging`.
    pub logging: bool,
    /// `LatestDeliveryTime`.
    pub latest_delivery_time: String,
    /// `LatestDeliveryError`.
    pub latest_delivery_error: String,
    /// `LatestDigestDeliveryTime`.
    pub latest_digest_delivery_time: String,
    /// `LatestDigestDeliveryError`.
    pub latest_digest_delivery_error: String,
    /// `StartLoggingTime`.
    pub start_logging_time: String,
    /// `StopLoggingTime`.
    pub stop_logging_time: String,
    /// `LatestNotificationTime`.
    pub latest_notification_time: String,
    /// `LatestNotificationError`.
    pub latest_notification_error: String,
}

/// One basic event selector, as shown.
#[derive(Debug, Clone, Default)]
pub struct BasicSelectorView {
    /// `ReadWriteType` (`All` when absent).
    pub read_write_type: String,
    /// `IncludeManagementEvents`.
    pub include_management_events: bool,
    /// `ExcludeManagementEventSources`.
    pub excluded_sources: Vec<String>,
    /// `DataResources`: (type, values).
    pub data_resources: Vec<(String, Vec<String>)>,
}

/// One advanced event selector, as shown.
#[derive(Debug, Clone, Default)]
pub struct AdvancedSelectorView {
    /// `Name` (empty when none).
    pub name: String,
    /// Its field selectors: (field, operator such as `Equals`, values).
    pub conditions: Vec<(String, String, Vec<String>)>,
}

/// The selectors in force on a trail.
#[derive(Debug, Clone, Default)]
pub enum SelectorsView {
    /// Not read (see the detail's `selectors_error`).
    #[default]
    Unknown,
    /// Basic `EventSelectors`.
    Basic(Vec<BasicSelectorView>),
    /// `AdvancedEventSelectors`.
    Advanced(Vec<AdvancedSelectorView>),
}

/// One trail's page.
#[derive(Debug, Clone, Default)]
pub struct TrailDetail {
    /// The session's CSRF token.
    pub csrf: String,
    /// Whether the principal may change the trail (then its buttons and forms show).
    pub can_change: bool,
    /// What the trail's URLs carry.
    pub key: String,
    /// `Name`.
    pub name: String,
    /// `TrailARN`.
    pub arn: String,
    /// `HomeRegion`.
    pub home_region: String,
    /// Whether this region is the trail's home (only there can it change).
    pub home: bool,
    /// `IsMultiRegionTrail`.
    pub multi_region: bool,
    /// `IncludeGlobalServiceEvents`.
    pub include_global_events: bool,
    /// `LogFileValidationEnabled`.
    pub log_file_validation: bool,
    /// `IsOrganizationTrail`.
    pub organization: bool,
    /// `S3BucketName`.
    pub bucket: String,
    /// `S3KeyPrefix`.
    pub prefix: String,
    /// `KmsKeyId`.
    pub kms_key_id: String,
    /// `SnsTopicARN`.
    pub sns_topic_arn: String,
    /// `CloudWatchLogsLogGroupArn`.
    pub log_group_arn: String,
    /// The status; `None` when it could not be read (see `status_error`).
    pub status: Option<TrailStatusView>,
    /// `GetTrailStatus`' error.
    pub status_error: Option<String>,
    /// The event selectors.
    pub selectors: SelectorsView,
    /// The selectors document, pretty-printed JSON.
    pub selectors_json: String,
    /// `GetEventSelectors`' error.
    pub selectors_error: Option<String>,
    /// Whether `ApiCallRateInsight` is on.
    pub api_call_rate_insight: bool,
    /// Whether `ApiErrorRateInsight` is on.
    pub api_error_rate_insight: bool,
    /// `GetInsightSelectors`' error (other than "not enabled").
    pub insights_error: Option<String>,
}

/// The body of one trail's page.
pub fn trail_detail(view: &TrailDetail) -> String {
    let mut out = String::with_capacity(8192 + view.selectors_json.len() * 2);
    let mut base = String::from("/console/trails/");
    push_query_value(&mut base, &view.key);
    out.push_str("<p><a href=\"/console/trails\">← Trails</a></p>");
    let changeable = view.can_change && view.home;
    if view.can_change && !view.home {
        let _ = write!(
            out,
            "<p class=\"muted\">This trail's home region is {}: it can be changed only there.</p>",
            Esc(&view.home_region)
        );
    }
    if changeable {
        out.push_str("<div class=\"actions\" id=\"trail-actions\">");
        let logging = view.status.as_ref().map(|status| status.logging);
        if logging != Some(true) {
            logging_button(&mut out, &base, &view.csrf, "start", "Start logging");
        }
        if logging != Some(false) {
            logging_button(&mut out, &base, &view.csrf, "stop", "Stop logging");
        }
        let _ = write!(
            out,
            concat!(
                "<a class=\"button\" href=\"{base}/edit\">Edit trail</a>",
                "<a class=\"button\" href=\"{base}/selectors\">Edit event selectors</a>",
                "<form method=\"post\" action=\"{base}/delete\" class=\"inline\" data-confirm=\"Delete trail {name}? ",
                "Its log files stay in the bucket.\">{csrf}<button type=\"submit\" class=\"danger\">Delete trail</button></form></div>"
            ),
            base = base,
            name = Esc(&view.name),
            csrf = csrf_field(&view.csrf),
        );
    }
    out.push_str("<div class=\"grid\"><section class=\"panel\" id=\"general\"><h2>General details</h2><dl class=\"facts\">");
    push_fact(&mut out, "Trail name", &view.name);
    push_fact(&mut out, "Trail ARN", &view.arn);
    push_fact(&mut out, "Home region", &view.home_region);
    push_fact(&mut out, "Multi-region trail", yes_no(view.multi_region));
    push_fact(
        &mut out,
        "Include global service events",
        yes_no(view.include_global_events),
    );
    push_fact(&mut out, "Organization trail", yes_no(view.organization));
    push_fact(&mut out, "S3 bucket", &view.bucket);
    push_fact(&mut out, "Log file prefix", &view.prefix);
    push_fact(
        &mut out,
        "Log file validation",
        enabled_disabled(view.log_file_validation),
    );
    push_fact(
        &mut out,
        "Log file SSE-KMS encryption",
        if view.kms_key_id.is_empty() {
            "Not enabled"
        } else {
            &view.kms_key_id
        },
    );
    push_fact(&mut out, "SNS topic", &view.sns_topic_arn);
    push_fact(&mut out, "CloudWatch Logs log group", &view.log_group_arn);
    out.push_str("</dl></section><section class=\"panel\" id=\"status\"><h2>Logging status</h2>");
    match (&view.status, &view.status_error) {
        (_, Some(error)) => {
            push_error(&mut out, error);
        }
        (Some(status), None) => {
            let _ = write!(
                out,
                "<dl class=\"facts\"><dt>Logging</dt><dd>{}</dd>",
                logging_badge(Some(status.logging))
            );
            push_fact(
                &mut out,
                "Last log file delivered",
                &status.latest_delivery_time,
            );
            push_error_fact(
                &mut out,
                "Last delivery error",
                &status.latest_delivery_error,
            );
            push_fact(
                &mut out,
                "Last digest file delivered",
                &status.latest_digest_delivery_time,
            );
            push_error_fact(
                &mut out,
                "Last digest delivery error",
                &status.latest_digest_delivery_error,
            );
            push_fact(&mut out, "Logging started", &status.start_logging_time);
            push_fact(&mut out, "Logging stopped", &status.stop_logging_time);
            if !status.latest_notification_time.is_empty()
                || !status.latest_notification_error.is_empty()
            {
                push_fact(
                    &mut out,
                    "Last SNS notification",
                    &status.latest_notification_time,
                );
                push_error_fact(
                    &mut out,
                    "Last notification error",
                    &status.latest_notification_error,
                );
            }
            out.push_str("</dl>");
        }
        (None, None) => out.push_str("<p class=\"muted\">Unknown.</p>"),
    }
    out.push_str("</section></div>");

    out.push_str("<section class=\"panel\" id=\"event-selectors\"><h2>Event selectors</h2>");
    if let Some(error) = &view.selectors_error {
        push_error(&mut out, error);
    }
    match &view.selectors {
        SelectorsView::Unknown => {}
        SelectorsView::Basic(selectors) => push_basic_selectors(&mut out, selectors),
        SelectorsView::Advanced(selectors) => push_advanced_selectors(&mut out, selectors),
    }
    if !view.selectors_json.is_empty() {
        out.push_str("<details><summary>JSON view</summary><pre class=\"json\" tabindex=\"0\" aria-label=\"Event selectors JSON\">");
        push_json_html(&mut out, &view.selectors_json);
        out.push_str("</pre></details>");
    }
    out.push_str("</section><section class=\"panel\" id=\"insights\"><h2>Insights events</h2>");
    if let Some(error) = &view.insights_error {
        push_error(&mut out, error);
    } else if changeable {
        let _ = write!(
            out,
            "<form method=\"post\" action=\"{base}/insights\" id=\"insights-form\">{}",
            csrf_field(&view.csrf)
        );
        checkbox(
            &mut out,
            "api_call_rate",
            "API call rate: unusual numbers of write management calls",
            view.api_call_rate_insight,
        );
        checkbox(
            &mut out,
            "api_error_rate",
            "API error rate: unusual numbers of failed management calls",
            view.api_error_rate_insight,
        );
        out.push_str("<div class=\"actions\"><button type=\"submit\">Save Insights settings</button></div></form>");
    } else {
        let mut kinds = Vec::new();
        if view.api_call_rate_insight {
            kinds.push("API call rate");
        }
        if view.api_error_rate_insight {
            kinds.push("API error rate");
        }
        if kinds.is_empty() {
            out.push_str("<p class=\"muted\">Not enabled.</p>");
        } else {
            let _ = write!(out, "<p>{}</p>", kinds.join(", "));
        }
    }
    out.push_str("</section>");
    out
}

fn logging_button(out: &mut String, base: &str, csrf: &str, action: &str, label: &str) {
    let class = if action == "start" {
        " class=\"primary\""
    } else {
        ""
    };
    let _ = write!(
        out,
        concat!(
            "<form method=\"post\" action=\"{base}/logging\" class=\"inline\">{csrf}",
            "<input type=\"hidden\" name=\"action\" value=\"{action}\">",
            "<button type=\"submit\"{class}>{label}</button></form>"
        ),
        base = base,
        csrf = csrf_field(csrf),
        action = action,
        class = class,
        label = label,
    );
}

fn push_basic_selectors(out: &mut String, selectors: &[BasicSelectorView]) {
    out.push_str("<p class=\"small muted\">Basic event selectors.</p>");
    out.push_str(concat!(
        "<div class=\"table-wrap\"><table id=\"basic-selectors\"><thead><tr>",
        "<th scope=\"col\">Read/write events</th><th scope=\"col\">Management events</th>",
        "<th scope=\"col\">Excluded event sources</th><th scope=\"col\">Data events</th></tr></thead><tbody>"
    ));
    if selectors.is_empty() {
        out.push_str("<tr><td colspan=\"4\" class=\"muted\">No selectors: the trail logs no events.</td></tr>");
    }
    for selector in selectors {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"wrap\">{}</td><td class=\"wrap\">",
            Esc(&selector.read_write_type),
            yes_no(selector.include_management_events),
            Esc(or_dash(&selector.excluded_sources.join(", "))),
        );
        if selector.data_resources.is_empty() {
            out.push('—');
        }
        for (index, (kind, values)) in selector.data_resources.iter().enumerate() {
            if index > 0 {
                out.push_str("<br>");
            }
            let _ = write!(out, "{}: {}", Esc(kind), Esc(&values.join(", ")));
        }
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table></div>");
}

fn push_advanced_selectors(out: &mut String, selectors: &[AdvancedSelectorView]) {
    out.push_str("<p class=\"small muted\">Advanced event selectors.</p>");
    out.push_str(concat!(
        "<div class=\"table-wrap\"><table id=\"advanced-selectors\"><thead><tr>",
        "<th scope=\"col\">Selector</th><th scope=\"col\">Conditions</th></tr></thead><tbody>"
    ));
    if selectors.is_empty() {
        out.push_str("<tr><td colspan=\"2\" class=\"muted\">No selectors: the trail logs no events.</td></tr>");
    }
    for (index, selector) in selectors.iter().enumerate() {
        out.push_str("<tr><td>");
        if selector.name.is_empty() {
            let _ = write!(out, "Selector {}", index + 1);
        } else {
            push_escaped(out, &selector.name);
        }
        out.push_str("</td><td class=\"wrap\">");
        for (number, (field, operator, values)) in selector.conditions.iter().enumerate() {
            if number > 0 {
                out.push_str("<br>");
            }
            let _ = write!(
                out,
                "<span class=\"mono\">{}</span> {} {}",
                Esc(field),
                Esc(operator),
                Esc(&values.join(", "))
            );
        }
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table></div>");
}

/// The event selectors page: a form for management events and the JSON view.
#[derive(Debug, Clone, Default)]
pub struct SelectorsForm {
    /// The session's CSRF token.
    pub csrf: String,
    /// What the trail's URLs carry.
    pub key: String,
    /// The trail's name.
    pub name: String,
    /// `read_write`: `All`, `ReadOnly` or `WriteOnly`.
    pub read_write: String,
    /// `exclude_kms`.
    pub exclude_kms: bool,
    /// `exclude_rds`.
    pub exclude_rds_data: bool,
    /// `selectors`: the JSON document (`{"EventSelectors":[…]}` or
    /// `{"AdvancedEventSelectors":[…]}`).
    pub json: String,
}

/// The `read_write` choices: form value and label.
pub const READ_WRITE_TYPES: [(&str, &str); 3] = [
    ("All", "Read and write events"),
    ("ReadOnly", "Read events only"),
    ("WriteOnly", "Write events only"),
];

/// The body of the event selectors page.
pub fn selectors_form(view: &SelectorsForm) -> String {
    let mut out = String::with_capacity(4096 + view.json.len() * 2);
    let mut action = String::from("/console/trails/");
    push_query_value(&mut action, &view.key);
    let _ = write!(
        out,
        concat!(
            "<p><a href=\"{action}\">← {name}</a></p>",
            "<section class=\"panel\" id=\"management-events\"><h2>Management events</h2>",
            "<form method=\"post\" action=\"{action}/selectors\">{csrf}",
            "<input type=\"hidden\" name=\"mode\" value=\"basic\">",
            "<fieldset><legend>API activity</legend>"
        ),
        action = action,
        name = Esc(&view.name),
        csrf = csrf_field(&view.csrf),
    );
    for (value, label) in READ_WRITE_TYPES {
        let checked = if value == view.read_write || (view.read_write.is_empty() && value == "All")
        {
            " checked"
        } else {
            ""
        };
        let _ = write!(
            out,
            "<label for=\"rw-{value}\"><input type=\"radio\" name=\"read_write\" id=\"rw-{value}\" value=\"{value}\"{checked}> {label}</label>"
        );
    }
    out.push_str("</fieldset>");
    checkbox(
        &mut out,
        "exclude_kms",
        "Exclude AWS KMS events",
        view.exclude_kms,
    );
    checkbox(
        &mut out,
        "exclude_rds",
        "Exclude Amazon RDS Data API events",
        view.exclude_rds_data,
    );
    let _ = write!(
        out,
        concat!(
            "<p class=\"small muted\">Saving replaces all of the trail's event selectors with one basic selector ",
            "for management events. Use the JSON editor below for data events or advanced selectors.</p>",
            "<div class=\"actions\"><button type=\"submit\" class=\"primary\">Save management events</button></div></form></section>",
            "<section class=\"panel\" id=\"selectors-json\"><h2>JSON editor</h2>",
            "<form method=\"post\" action=\"{action}/selectors\">{csrf}",
            "<input type=\"hidden\" name=\"mode\" value=\"json\">",
            "<label for=\"selectors\">Event selectors (JSON)</label>",
            "<textarea id=\"selectors\" name=\"selectors\" rows=\"22\" spellcheck=\"false\" aria-describedby=\"selectors-hint\">{json}</textarea>",
            "<p class=\"small muted\" id=\"selectors-hint\">One object holding either <span class=\"mono\">EventSelectors</span> (basic) ",
            "or <span class=\"mono\">AdvancedEventSelectors</span>, as PutEventSelectors takes them.</p>",
            "<div class=\"actions\"><button type=\"submit\" class=\"primary\">Save selectors</button>",
            "<a class=\"button\" href=\"{action}\">Cancel</a></div></form></section>"
        ),
        action = action,
        csrf = csrf_field(&view.csrf),
        json = Esc(&view.json),
    );
    out
}

/// Appends a checkbox named `name` (its id too), sending `on` when ticked.
pub(crate) fn checkbox(out: &mut String, name: &str, label: &str, checked: bool) {
    let checked = if checked { " checked" } else { "" };
    let _ = write!(
        out,
        "<div><label for=\"{name}\"><input type=\"checkbox\" id=\"{name}\" name=\"{name}\" value=\"on\"{checked}> {label}</label></div>"
    );
}

/// Appends a `<dt>`/`<dd>` pair; an empty value shows as a dash.
pub(crate) fn push_fact(out: &mut String, label: &str, value: &str) {
    let _ = write!(
        out,
        "<dt>{}</dt><dd>{}</dd>",
        Esc(label),
        Esc(or_dash(value))
    );
}

/// Appends a `<dt>`/`<dd>` pair whose value, when any, is an error badge.
fn push_error_fact(out: &mut String, label: &str, error: &str) {
    if error.is_empty() {
        push_fact(out, label, "None");
    } else {
        let _ = write!(
            out,
            "<dt>{}</dt><dd><span class=\"badge bad\">{}</span></dd>",
            Esc(label),
            Esc(error)
        );
    }
}

fn logging_badge(logging: Option<bool>) -> &'static str {
    match logging {
        Some(true) => "<span class=\"badge good\">Logging</span>",
        Some(false) => "<span class=\"badge warn\">Not logging</span>",
        None => "<span class=\"badge\">Unknown</span>",
    }
}

/// `Yes` or `No`.
pub(crate) fn yes_no(flag: bool) -> &'static str {
    if flag { "Yes" } else { "No" }
}

/// `Enabled` or `Disabled`.
pub(crate) fn enabled_disabled(flag: bool) -> &'static str {
    if flag { "Enabled" } else { "Disabled" }
}

/// The text, or a dash when it is empty.
pub(crate) fn or_dash(text: &str) -> &str {
    if text.is_empty() { "—" } else { text }
}
