//! Trail pages: the list with each trail's status, create, edit, start and stop logging,
//! delete, event selectors (a management-events form and a JSON editor) and Insights
//! selectors, every one through the trail operations as the signed-in principal.
//!
//! | Route | What |
//! | --- | --- |
//! | `GET /console/trails` | the list (`DescribeTrails` with shadow trails, `GetTrailStatus` each) |
//! | `GET /console/trails/new`, `POST /console/trails` | the create form; `CreateTrail` (then `StartLogging`) |
//! | `GET /console/trails/{trail}` | one trail: details, status, selectors, Insights |
//! | `GET`, `POST /console/trails/{trail}/edit` | the edit form; `UpdateTrail` |
//! | `POST /console/trails/{trail}/logging` | `action=start|stop`: `StartLogging` / `StopLogging` |
//! | `POST /console/trails/{trail}/delete` | `DeleteTrail` |
//! | `GET`, `POST /console/trails/{trail}/selectors` | the selectors page; `PutEventSelectors` |
//! | `POST /console/trails/{trail}/insights` | `PutInsightSelectors` |
//!
//! `{trail}` is the trail's name, or its ARN (percent-encoded) for a trail whose home is
//! another region or that is named `new`.

use http::{Method, StatusCode};
use opentrail_api::{ApiError, ErrorCode, Operation};
use opentrail_console::layout::{Notice, Section};
use opentrail_console::pages::trails::{
    self, AdvancedSelectorView, BasicSelectorView, SelectorsForm, SelectorsView, TrailDetail,
    TrailForm, TrailList, TrailRow, TrailStatusView,
};
use opentrail_selectors::{AdvancedEventSelector, EventSelector};
use opentrail_types::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::history::display_time;
use super::{Ctx, Reply, api_error_text, query_string};

/// Routes `/console/trails/...`; `rest` is the path after `trails`, split at `/`.
pub(crate) async fn route(ctx: &Ctx<'_>, method: &Method, rest: &[&str]) -> Reply {
    match (method, rest) {
        (&Method::GET, [] | [""]) => list(ctx).await,
        (&Method::POST, [] | [""]) => create(ctx).await,
        (&Method::GET, ["new"]) => new_form(ctx),
        (&Method::GET, [key]) => {
            let notice = done_notice(ctx);
            detail(ctx, &decode_segment(key), notice.as_ref(), StatusCode::OK).await
        }
        (&Method::GET, [key, "edit"]) => edit_form(ctx, &decode_segment(key)).await,
        (&Method::POST, [key, "edit"]) => update(ctx, &decode_segment(key)).await,
        (&Method::POST, [key, "logging"]) => logging(ctx, &decode_segment(key)).await,
        (&Method::POST, [key, "delete"]) => delete(ctx, &decode_segment(key)).await,
        (&Method::GET, [key, "selectors"]) => selectors_page(ctx, &decode_segment(key)).await,
        (&Method::POST, [key, "selectors"]) => put_selectors(ctx, &decode_segment(key)).await,
        (&Method::POST, [key, "insights"]) => put_insights(ctx, &decode_segment(key)).await,
        (_, [_] | [_, "edit" | "logging" | "delete" | "selectors" | "insights"]) => ctx.error_page(
            StatusCode::METHOD_NOT_ALLOWED,
            Section::Trails,
            "This page does not take that method.",
        ),
        _ => ctx.error_page(
            StatusCode::NOT_FOUND,
            Section::Trails,
            "There is no such page in the console.",
        ),
    }
}

// ---------------------------------------------------------------------------------------
// Helpers shared with the event data store pages.

/// A path segment, percent-decoded.
pub(super) fn decode_segment(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

/// `text` percent-encoded for a path segment or query value.
pub(super) fn encode_segment(text: &str) -> String {
    opentrail_console::html::query_value(text)
}

/// Whether a checkbox was ticked: browsers send a ticked box (`value="on"`) and leave an
/// unticked one out.
pub(super) fn checked(form: &super::Params, name: &str) -> bool {
    form.get(name)
        .is_some_and(|value| !matches!(value, "" | "off" | "false"))
}

/// A form's text field, trimmed (empty when absent).
pub(super) fn field<'a>(form: &'a super::Params, name: &str) -> &'a str {
    form.get(name).unwrap_or("").trim()
}

/// The reply with another status.
pub(super) fn with_status(reply: Reply, status: StatusCode) -> Reply {
    match reply {
        Reply::Html(_, body) => Reply::Html(status, body),
        other => other,
    }
}

/// The HTTP status of a failed operation.
pub(super) fn error_status(error: &ApiError) -> StatusCode {
    StatusCode::from_u16(error.code.http_status()).unwrap_or(StatusCode::BAD_REQUEST)
}

/// The `done=` notice a redirect after a form carried.
pub(super) fn done_notice(ctx: &Ctx<'_>) -> Option<Notice> {
    ctx.query
        .get("done")
        .filter(|text| !text.is_empty())
        .map(|text| Notice::Done(text.chars().take(300).collect()))
}

/// `path?done=text`.
pub(super) fn with_done(path: &str, text: &str) -> String {
    format!("{path}?{}", query_string([("done", text)]))
}

/// An epoch-seconds member of an answer as the console shows times (empty when absent).
pub(super) fn time_member(answer: &Value, name: &str) -> String {
    answer
        .get(name)
        .and_then(Value::as_f64)
        .and_then(Timestamp::from_epoch_seconds_f64)
        .map(display_time)
        .unwrap_or_default()
}

/// A text member of an answer (empty when absent).
pub(super) fn text_member(answer: &Value, name: &str) -> String {
    answer
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}

/// A boolean member of an answer (false when absent).
pub(super) fn flag_member(answer: &Value, name: &str) -> bool {
    answer.get(name).and_then(Value::as_bool).unwrap_or(false)
}

/// What a JSON editor's parse error says, naming the place: `line 3, column 7`.
pub(super) fn json_error_text(what: &str, error: &serde_json::Error) -> String {
    let full = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full);
    if error.line() == 0 {
        return format!("The {what} JSON is not valid: {message}.");
    }
    format!(
        "The {what} JSON is not valid at line {}, column {}: {message}.",
        error.line(),
        error.column()
    )
}

/// The page a read-only principal gets for a form that would change something.
pub(super) fn read_only_page(ctx: &Ctx<'_>, section: Section) -> Reply {
    ctx.error_page(
        StatusCode::FORBIDDEN,
        section,
        "Your access key may only read: it cannot change anything.",
    )
}

// ---------------------------------------------------------------------------------------
// Form → request conversions.

/// The create form as typed, and the requests it makes.
#[derive(Debug, Clone)]
struct CreateTrailForm {
    view: TrailForm,
}

impl CreateTrailForm {
    fn from_form(form: &super::Params, csrf: &str) -> CreateTrailForm {
        CreateTrailForm {
            view: TrailForm {
                csrf: csrf.to_owned(),
                editing: None,
                name: field(form, "name").to_owned(),
                bucket: field(form, "bucket").to_owned(),
                prefix: field(form, "prefix").to_owned(),
                multi_region: checked(form, "multi_region"),
                include_global_events: checked(form, "global_events"),
                log_file_validation: checked(form, "log_file_validation"),
                start_logging: checked(form, "start_logging"),
            },
        }
    }

    /// The `CreateTrail` request.
    fn request(&self) -> Value {
        let view = &self.view;
        let mut request = json!({
            "Name": view.name,
            "S3BucketName": view.bucket,
            "IsMultiRegionTrail": view.multi_region,
            "IncludeGlobalServiceEvents": view.include_global_events,
            "EnableLogFileValidation": view.log_file_validation,
        });
        if !view.prefix.is_empty() {
            request["S3KeyPrefix"] = Value::String(view.prefix.clone());
        }
        request
    }
}

/// The `UpdateTrail` request of the edit form: every setting it shows (an empty prefix
/// removes the prefix).
fn update_trail_request(key: &str, form: &super::Params) -> Value {
    json!({
        "Name": key,
        "S3BucketName": field(form, "bucket"),
        "S3KeyPrefix": field(form, "prefix"),
        "IsMultiRegionTrail": checked(form, "multi_region"),
        "IncludeGlobalServiceEvents": checked(form, "global_events"),
        "EnableLogFileValidation": checked(form, "log_file_validation"),
    })
}

/// The management event sources the basic form can leave out: form field, source.
const EXCLUDABLE_SOURCES: [(&str, &str); 2] = [
    ("exclude_kms", "kms.amazonaws.com"),
    ("exclude_rds", "rdsdata.amazonaws.com"),
];

/// The `PutEventSelectors` request of the management-events form: one basic selector.
fn basic_selectors_request(key: &str, form: &super::Params) -> Result<Value, String> {
    let read_write = form.get("read_write").unwrap_or("All");
    if !trails::READ_WRITE_TYPES
        .iter()
        .any(|(value, _)| *value == read_write)
    {
        return Err(format!(
            "`{read_write}` is not a read/write type; choose All, ReadOnly or WriteOnly."
        ));
    }
    let excluded: Vec<&str> = EXCLUDABLE_SOURCES
        .iter()
        .filter(|(name, _)| checked(form, name))
        .map(|(_, source)| *source)
        .collect();
    Ok(json!({
        "TrailName": key,
        "EventSelectors": [{
            "ReadWriteType": read_write,
            "IncludeManagementEvents": true,
            "DataResources": [],
            "ExcludeManagementEventSources": excluded,
        }],
    }))
}

/// The selectors document the JSON editor takes: one of the two lists. `TrailARN` (as
/// `get-event-selectors` prints it) is allowed and ignored, so its output can be pasted.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SelectorsDocumentInput {
    #[serde(rename = "EventSelectors", default)]
    event_selectors: Option<Vec<EventSelector>>,
    #[serde(rename = "AdvancedEventSelectors", default)]
    advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
    #[serde(rename = "TrailARN", default)]
    _trail_arn: Option<serde::de::IgnoredAny>,
}

/// The selectors document as the JSON editor and the trail page show it.
#[derive(Debug, Serialize)]
struct SelectorsDocument<'a> {
    #[serde(rename = "EventSelectors", skip_serializing_if = "Option::is_none")]
    event_selectors: Option<&'a [EventSelector]>,
    #[serde(
        rename = "AdvancedEventSelectors",
        skip_serializing_if = "Option::is_none"
    )]
    advanced_event_selectors: Option<&'a [AdvancedEventSelector]>,
}

/// The `PutEventSelectors` request of the JSON editor.
fn json_selectors_request(key: &str, text: &str) -> Result<Value, String> {
    if text.trim().is_empty() {
        return Err(String::from(
            "The selectors JSON is empty: give {\"EventSelectors\": […]} or {\"AdvancedEventSelectors\": […]}.",
        ));
    }
    let document: SelectorsDocumentInput =
        serde_json::from_str(text).map_err(|error| json_error_text("selectors", &error))?;
    let mut request = json!({ "TrailName": key });
    match (document.event_selectors, document.advanced_event_selectors) {
        (Some(_), Some(_)) => Err(String::from(
            "The selectors JSON holds both EventSelectors and AdvancedEventSelectors; a trail uses one kind or the other.",
        )),
        (None, None) => Err(String::from(
            "The selectors JSON holds neither EventSelectors nor AdvancedEventSelectors.",
        )),
        (Some(basic), None) => {
            request["EventSelectors"] = serde_json::to_value(basic).unwrap_or_default();
            Ok(request)
        }
        (None, Some(advanced)) => {
            request["AdvancedEventSelectors"] = serde_json::to_value(advanced).unwrap_or_default();
            Ok(request)
        }
    }
}

/// The `PutInsightSelectors` request of the Insights form (an empty list turns them off).
fn insights_request(key: &str, form: &super::Params) -> Value {
    let mut selectors = Vec::new();
    if checked(form, "api_call_rate") {
        selectors.push(json!({ "InsightType": "ApiCallRateInsight" }));
    }
    if checked(form, "api_error_rate") {
        selectors.push(json!({ "InsightType": "ApiErrorRateInsight" }));
    }
    json!({ "TrailName": key, "InsightSelectors": selectors })
}

// ---------------------------------------------------------------------------------------
// Answers → view models.

/// What a trail's URLs carry: its name when it lives in this region (and is not `new`,
/// the create form's path), else its ARN.
fn trail_key(trail: &Value, region: &str) -> String {
    let name = text_member(trail, "Name");
    if text_member(trail, "HomeRegion") == region && name != "new" {
        name
    } else {
        text_member(trail, "TrailARN")
    }
}

/// The trail name a key stands for (the part after `trail/` of an ARN).
fn name_of_key(key: &str) -> &str {
    match key.rsplit_once(":trail/") {
        Some((_, name)) => name,
        None => key,
    }
}

fn status_view(status: &Value) -> TrailStatusView {
    TrailStatusView {
        logging: flag_member(status, "IsLogging"),
        latest_delivery_time: time_member(status, "LatestDeliveryTime"),
        latest_delivery_error: text_member(status, "LatestDeliveryError"),
        latest_digest_delivery_time: time_member(status, "LatestDigestDeliveryTime"),
        latest_digest_delivery_error: text_member(status, "LatestDigestDeliveryError"),
        start_logging_time: time_member(status, "StartLoggingTime"),
        stop_logging_time: time_member(status, "StopLoggingTime"),
        latest_notification_time: time_member(status, "LatestNotificationTime"),
        latest_notification_error: text_member(status, "LatestNotificationError"),
    }
}

/// The selectors of a `GetEventSelectors` answer: the view, and the document as the JSON
/// editor shows it.
fn selectors_views(answer: &Value) -> Result<(SelectorsView, String), String> {
    let basic: Option<Vec<EventSelector>> = match answer.get("EventSelectors") {
        Some(list) => Some(
            serde_json::from_value(list.clone())
                .map_err(|error| format!("the event selectors cannot be read: {error}"))?,
        ),
        None => None,
    };
    let advanced: Option<Vec<AdvancedEventSelector>> = match answer.get("AdvancedEventSelectors") {
        Some(list) => Some(
            serde_json::from_value(list.clone())
                .map_err(|error| format!("the event selectors cannot be read: {error}"))?,
        ),
        None => None,
    };
    let document = SelectorsDocument {
        event_selectors: basic.as_deref(),
        advanced_event_selectors: advanced.as_deref(),
    };
    let text = serde_json::to_string_pretty(&document).unwrap_or_default();
    let view = match (basic, advanced) {
        (_, Some(advanced)) => SelectorsView::Advanced(
            advanced
                .iter()
                .map(|selector| AdvancedSelectorView {
                    name: selector.name.clone().unwrap_or_default(),
                    conditions: selector
                        .field_selectors
                        .iter()
                        .flat_map(|field| {
                            [
                                ("Equals", &field.equals),
                                ("StartsWith", &field.starts_with),
                                ("EndsWith", &field.ends_with),
                                ("NotEquals", &field.not_equals),
                                ("NotStartsWith", &field.not_starts_with),
                                ("NotEndsWith", &field.not_ends_with),
                            ]
                            .into_iter()
                            .filter_map(|(operator, values)| {
                                values.as_ref().map(|values| {
                                    (field.field.clone(), operator.to_owned(), values.clone())
                                })
                            })
                        })
                        .collect(),
                })
                .collect(),
        ),
        (Some(basic), None) => SelectorsView::Basic(
            basic
                .iter()
                .map(|selector| BasicSelectorView {
                    read_write_type: read_write_name(selector).to_owned(),
                    include_management_events: selector.include_management_events.unwrap_or(true),
                    excluded_sources: selector
                        .exclude_management_event_sources
                        .clone()
                        .unwrap_or_default(),
                    data_resources: selector
                        .data_resources
                        .iter()
                        .flatten()
                        .map(|resource| {
                            (
                                resource.resource_type.clone().unwrap_or_default(),
                                resource.values.clone().unwrap_or_default(),
                            )
                        })
                        .collect(),
                })
                .collect(),
        ),
        (None, None) => SelectorsView::Basic(Vec::new()),
    };
    Ok((view, text))
}

fn read_write_name(selector: &EventSelector) -> &'static str {
    match selector.read_write_type.unwrap_or_default() {
        opentrail_selectors::ReadWriteType::All => "All",
        opentrail_selectors::ReadWriteType::ReadOnly => "ReadOnly",
        opentrail_selectors::ReadWriteType::WriteOnly => "WriteOnly",
    }
}

// ---------------------------------------------------------------------------------------
// Pages.

/// `GET /console/trails`.
async fn list(ctx: &Ctx<'_>) -> Reply {
    let mut view = TrailList {
        can_change: !ctx.user().read_only,
        ..TrailList::default()
    };
    let region = ctx.session.caller.region.clone();
    match ctx
        .call(
            Operation::DescribeTrails,
            json!({ "includeShadowTrails": true }),
        )
        .await
    {
        Ok(answer) => {
            let trails = answer
                .get("trailList")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for trail in &trails {
                let arn = text_member(trail, "TrailARN");
                let status = ctx
                    .call(Operation::GetTrailStatus, json!({ "Name": arn }))
                    .await
                    .ok();
                view.rows.push(TrailRow {
                    key: trail_key(trail, &region),
                    name: text_member(trail, "Name"),
                    home_region: text_member(trail, "HomeRegion"),
                    multi_region: flag_member(trail, "IsMultiRegionTrail"),
                    bucket: text_member(trail, "S3BucketName"),
                    prefix: text_member(trail, "S3KeyPrefix"),
                    logging: status
                        .as_ref()
                        .map(|status| flag_member(status, "IsLogging")),
                    last_delivery: status
                        .as_ref()
                        .map(|status| time_member(status, "LatestDeliveryTime"))
                        .unwrap_or_default(),
                    last_delivery_error: status
                        .as_ref()
                        .map(|status| text_member(status, "LatestDeliveryError"))
                        .unwrap_or_default(),
                    log_file_validation: flag_member(trail, "LogFileValidationEnabled"),
                });
            }
        }
        Err(error) => view.error = Some(api_error_text(&error)),
    }
    let notice = done_notice(ctx);
    ctx.page(
        "Trails",
        Section::Trails,
        notice.as_ref(),
        &trails::trail_list(&view),
    )
}

/// `GET /console/trails/new`.
fn new_form(ctx: &Ctx<'_>) -> Reply {
    if ctx.user().read_only {
        return read_only_page(ctx, Section::Trails);
    }
    let view = TrailForm::new_trail(ctx.csrf());
    ctx.page(
        "Create trail",
        Section::Trails,
        None,
        &trails::trail_form(&view),
    )
}

/// `POST /console/trails`: `CreateTrail`, then `StartLogging` when asked.
async fn create(ctx: &Ctx<'_>) -> Reply {
    let form = CreateTrailForm::from_form(&ctx.form, ctx.csrf());
    let answer = match ctx.call(Operation::CreateTrail, form.request()).await {
        Ok(answer) => answer,
        Err(error) => {
            let notice = Notice::Failed(api_error_text(&error));
            let reply = ctx.page(
                "Create trail",
                Section::Trails,
                Some(&notice),
                &trails::trail_form(&form.view),
            );
            return with_status(reply, error_status(&error));
        }
    };
    let name = text_member(&answer, "Name");
    let key = if name == "new" {
        text_member(&answer, "TrailARN")
    } else {
        name.clone()
    };
    let path = format!("/console/trails/{}", encode_segment(&key));
    if form.view.start_logging {
        if let Err(error) = ctx
            .call(Operation::StartLogging, json!({ "Name": key }))
            .await
        {
            let notice = Notice::Failed(format!(
                "The trail was created, but logging did not start: {}",
                api_error_text(&error)
            ));
            return detail(ctx, &key, Some(&notice), error_status(&error)).await;
        }
        return Reply::Redirect(with_done(&path, "Trail created; logging started."));
    }
    Reply::Redirect(with_done(&path, "Trail created."))
}

/// One trail's page, with `notice` and `status` (a failed action shows it with its error).
async fn detail(ctx: &Ctx<'_>, key: &str, notice: Option<&Notice>, status: StatusCode) -> Reply {
    let trail = match ctx.call(Operation::GetTrail, json!({ "Name": key })).await {
        Ok(answer) => answer.get("Trail").cloned().unwrap_or(Value::Null),
        Err(error) => {
            let message = match notice {
                Some(Notice::Failed(failed)) if *failed != api_error_text(&error) => {
                    format!("{failed} ({})", api_error_text(&error))
                }
                _ => api_error_text(&error),
            };
            return ctx.error_page(error_status(&error), Section::Trails, &message);
        }
    };
    let region = ctx.session.caller.region.clone();
    let arn = text_member(&trail, "TrailARN");
    let home_region = text_member(&trail, "HomeRegion");
    let mut view = TrailDetail {
        csrf: ctx.csrf().to_owned(),
        can_change: !ctx.user().read_only,
        key: trail_key(&trail, &region),
        name: text_member(&trail, "Name"),
        arn: arn.clone(),
        home: home_region == region,
        home_region,
        multi_region: flag_member(&trail, "IsMultiRegionTrail"),
        include_global_events: flag_member(&trail, "IncludeGlobalServiceEvents"),
        log_file_validation: flag_member(&trail, "LogFileValidationEnabled"),
        organization: flag_member(&trail, "IsOrganizationTrail"),
        bucket: text_member(&trail, "S3BucketName"),
        prefix: text_member(&trail, "S3KeyPrefix"),
        kms_key_id: text_member(&trail, "KmsKeyId"),
        sns_topic_arn: text_member(&trail, "SnsTopicARN"),
        log_group_arn: text_member(&trail, "CloudWatchLogsLogGroupArn"),
        ..TrailDetail::default()
    };
    match ctx
        .call(Operation::GetTrailStatus, json!({ "Name": arn }))
        .await
    {
        Ok(status) => view.status = Some(status_view(&status)),
        Err(error) => view.status_error = Some(api_error_text(&error)),
    }
    match ctx
        .call(Operation::GetEventSelectors, json!({ "TrailName": arn }))
        .await
    {
        Ok(answer) => match selectors_views(&answer) {
            Ok((selectors, text)) => {
                view.selectors = selectors;
                view.selectors_json = text;
            }
            Err(message) => view.selectors_error = Some(message),
        },
        Err(error) => view.selectors_error = Some(api_error_text(&error)),
    }
    match ctx
        .call(Operation::GetInsightSelectors, json!({ "TrailName": arn }))
        .await
    {
        Ok(answer) => {
            for selector in answer
                .get("InsightSelectors")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                match selector.get("InsightType").and_then(Value::as_str) {
                    Some("ApiCallRateInsight") => view.api_call_rate_insight = true,
                    Some("ApiErrorRateInsight") => view.api_error_rate_insight = true,
                    _ => {}
                }
            }
        }
        Err(error) if error.code == ErrorCode::InsightNotEnabledException => {}
        Err(error) => view.insights_error = Some(api_error_text(&error)),
    }
    let reply = ctx.page(
        &view.name,
        Section::Trails,
        notice,
        &trails::trail_detail(&view),
    );
    with_status(reply, status)
}

/// `GET /console/trails/{trail}/edit`.
async fn edit_form(ctx: &Ctx<'_>, key: &str) -> Reply {
    if ctx.user().read_only {
        return read_only_page(ctx, Section::Trails);
    }
    let trail = match ctx.call(Operation::GetTrail, json!({ "Name": key })).await {
        Ok(answer) => answer.get("Trail").cloned().unwrap_or(Value::Null),
        Err(error) => return ctx.api_error_page(Section::Trails, &error),
    };
    let name = text_member(&trail, "Name");
    let view = TrailForm {
        csrf: ctx.csrf().to_owned(),
        editing: Some((key.to_owned(), name.clone())),
        name: name.clone(),
        bucket: text_member(&trail, "S3BucketName"),
        prefix: text_member(&trail, "S3KeyPrefix"),
        multi_region: flag_member(&trail, "IsMultiRegionTrail"),
        include_global_events: flag_member(&trail, "IncludeGlobalServiceEvents"),
        log_file_validation: flag_member(&trail, "LogFileValidationEnabled"),
        start_logging: false,
    };
    ctx.page(
        &format!("Edit trail · {name}"),
        Section::Trails,
        None,
        &trails::trail_form(&view),
    )
}

/// `POST /console/trails/{trail}/edit`: `UpdateTrail`.
async fn update(ctx: &Ctx<'_>, key: &str) -> Reply {
    let request = update_trail_request(key, &ctx.form);
    match ctx.call(Operation::UpdateTrail, request).await {
        Ok(_) => Reply::Redirect(with_done(
            &format!("/console/trails/{}", encode_segment(key)),
            "Trail updated.",
        )),
        Err(error) => {
            let name = name_of_key(key).to_owned();
            let mut view = CreateTrailForm::from_form(&ctx.form, ctx.csrf()).view;
            view.editing = Some((key.to_owned(), name.clone()));
            view.name = name.clone();
            let notice = Notice::Failed(api_error_text(&error));
            let reply = ctx.page(
                &format!("Edit trail · {name}"),
                Section::Trails,
                Some(&notice),
                &trails::trail_form(&view),
            );
            with_status(reply, error_status(&error))
        }
    }
}

/// `POST /console/trails/{trail}/logging`: `StartLogging` or `StopLogging`.
async fn logging(ctx: &Ctx<'_>, key: &str) -> Reply {
    let (operation, done) = match ctx.form.get("action") {
        Some("start") => (Operation::StartLogging, "Logging started."),
        Some("stop") => (Operation::StopLogging, "Logging stopped."),
        _ => {
            let notice = Notice::Failed(String::from(
                "The form must say action=start or action=stop.",
            ));
            return detail(ctx, key, Some(&notice), StatusCode::BAD_REQUEST).await;
        }
    };
    match ctx.call(operation, json!({ "Name": key })).await {
        Ok(_) => Reply::Redirect(with_done(
            &format!("/console/trails/{}", encode_segment(key)),
            done,
        )),
        Err(error) => {
            let notice = Notice::Failed(api_error_text(&error));
            detail(ctx, key, Some(&notice), error_status(&error)).await
        }
    }
}

/// `POST /console/trails/{trail}/delete`: `DeleteTrail`.
async fn delete(ctx: &Ctx<'_>, key: &str) -> Reply {
    match ctx
        .call(Operation::DeleteTrail, json!({ "Name": key }))
        .await
    {
        Ok(_) => Reply::Redirect(with_done(
            "/console/trails",
            &format!("Trail {} deleted.", name_of_key(key)),
        )),
        Err(error) => {
            let notice = Notice::Failed(api_error_text(&error));
            detail(ctx, key, Some(&notice), error_status(&error)).await
        }
    }
}

/// The selectors page for `key`, filled from the trail's selectors in force; after a
/// failed save of the JSON editor, `entered_json` is the document as typed.
async fn selectors_page_with(
    ctx: &Ctx<'_>,
    key: &str,
    entered_json: Option<&str>,
    notice: Option<&Notice>,
    status: StatusCode,
) -> Reply {
    let answer = match ctx
        .call(Operation::GetEventSelectors, json!({ "TrailName": key }))
        .await
    {
        Ok(answer) => answer,
        Err(error) => return ctx.api_error_page(Section::Trails, &error),
    };
    let (selectors, text) = match selectors_views(&answer) {
        Ok(views) => views,
        Err(message) => {
            return ctx.error_page(StatusCode::INTERNAL_SERVER_ERROR, Section::Trails, &message);
        }
    };
    let name = name_of_key(key).to_owned();
    let mut view = SelectorsForm {
        csrf: ctx.csrf().to_owned(),
        key: key.to_owned(),
        name: name.clone(),
        read_write: String::from("All"),
        json: entered_json.map_or(text, str::to_owned),
        ..SelectorsForm::default()
    };
    if let SelectorsView::Basic(basic) = &selectors
        && let Some(first) = basic.first()
    {
        let excludes = |source: &str| {
            first
                .excluded_sources
                .iter()
                .any(|excluded| excluded == source)
        };
        view.read_write = first.read_write_type.clone();
        view.exclude_kms = excludes("kms.amazonaws.com");
        view.exclude_rds_data = excludes("rdsdata.amazonaws.com");
    }
    let reply = ctx.page(
        &format!("Event selectors · {name}"),
        Section::Trails,
        notice,
        &trails::selectors_form(&view),
    );
    with_status(reply, status)
}

/// `GET /console/trails/{trail}/selectors`.
async fn selectors_page(ctx: &Ctx<'_>, key: &str) -> Reply {
    if ctx.user().read_only {
        return read_only_page(ctx, Section::Trails);
    }
    let notice = done_notice(ctx);
    selectors_page_with(ctx, key, None, notice.as_ref(), StatusCode::OK).await
}

/// `POST /console/trails/{trail}/selectors`: `PutEventSelectors` from the management
/// form (`mode=basic`) or the JSON editor (`mode=json`).
async fn put_selectors(ctx: &Ctx<'_>, key: &str) -> Reply {
    let form = &ctx.form;
    let basic = form.get("mode") == Some("basic");
    let typed_json = form.get("selectors").unwrap_or("");
    let request = if basic {
        basic_selectors_request(key, form)
    } else {
        json_selectors_request(key, typed_json)
    };
    let (message, status) = match request {
        Err(message) => (message, StatusCode::BAD_REQUEST),
        Ok(request) => match ctx.call(Operation::PutEventSelectors, request).await {
            Ok(_) => {
                return Reply::Redirect(with_done(
                    &format!("/console/trails/{}", encode_segment(key)),
                    "Event selectors saved.",
                ));
            }
            Err(error) => (api_error_text(&error), error_status(&error)),
        },
    };
    let notice = Notice::Failed(message);
    let entered_json = if basic { None } else { Some(typed_json) };
    selectors_page_with(ctx, key, entered_json, Some(&notice), status).await
}

/// `POST /console/trails/{trail}/insights`: `PutInsightSelectors`.
async fn put_insights(ctx: &Ctx<'_>, key: &str) -> Reply {
    match ctx
        .call(
            Operation::PutInsightSelectors,
            insights_request(key, &ctx.form),
        )
        .await
    {
        Ok(_) => Reply::Redirect(with_done(
            &format!("/console/trails/{}", encode_segment(key)),
            "Insights settings saved.",
        )),
        Err(error) => {
            let notice = Notice::Failed(api_error_text(&error));
            detail(ctx, key, Some(&notice), error_status(&error)).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Params;
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Params {
        Params::parse(query_string(pairs.iter().copied()).as_bytes())
    }

    #[test]
    fn create_requests_follow_the_checkboxes() {
        let typed = form(&[
            ("name", " audit "),
            ("bucket", "logs"),
            ("prefix", ""),
            ("multi_region", "on"),
            ("log_file_validation", "on"),
        ]);
        let created = CreateTrailForm::from_form(&typed, "token");
        assert_eq!(
            created.request(),
            json!({
                "Name": "audit",
                "S3BucketName": "logs",
                "IsMultiRegionTrail": true,
                "IncludeGlobalServiceEvents": false,
                "EnableLogFileValidation": true,
            })
        );
        assert!(!created.view.start_logging);
        let typed = form(&[
            ("name", "audit"),
            ("bucket", "logs"),
            ("prefix", "org/"),
            ("start_logging", "on"),
        ]);
        let created = CreateTrailForm::from_form(&typed, "token");
        assert_eq!(created.request()["S3KeyPrefix"], "org/");
        assert_eq!(created.request()["IsMultiRegionTrail"], false);
        assert!(created.view.start_logging);
    }

    #[test]
    fn updates_send_every_setting_and_an_empty_prefix_removes_it() {
        let request =
            update_trail_request("audit", &form(&[("bucket", "b2"), ("global_events", "on")]));
        assert_eq!(
            request,
            json!({
                "Name": "audit",
                "S3BucketName": "b2",
                "S3KeyPrefix": "",
                "IsMultiRegionTrail": false,
                "IncludeGlobalServiceEvents": true,
                "EnableLogFileValidation": false,
            })
        );
    }

    #[test]
    fn the_management_form_makes_one_basic_selector() {
        let request = basic_selectors_request(
            "audit",
            &form(&[("read_write", "WriteOnly"), ("exclude_kms", "on")]),
        )
        .unwrap();
        assert_eq!(
            request,
            json!({
                "TrailName": "audit",
                "EventSelectors": [{
                    "ReadWriteType": "WriteOnly",
                    "IncludeManagementEvents": true,
                    "DataResources": [],
                    "ExcludeManagementEventSources": ["kms.amazonaws.com"],
                }],
            })
        );
        let both = basic_selectors_request(
            "audit",
            &form(&[("exclude_kms", "on"), ("exclude_rds", "on")]),
        )
        .unwrap();
        assert_eq!(both["EventSelectors"][0]["ReadWriteType"], "All");
        assert_eq!(
            both["EventSelectors"][0]["ExcludeManagementEventSources"],
            json!(["kms.amazonaws.com", "rdsdata.amazonaws.com"])
        );
        let error =
            basic_selectors_request("audit", &form(&[("read_write", "Sometimes")])).unwrap_err();
        assert!(error.contains("`Sometimes`"), "{error}");
    }

    #[test]
    fn the_json_editor_takes_either_kind_of_selectors() {
        let advanced = json_selectors_request(
            "audit",
            r#"{"AdvancedEventSelectors":[{"Name":"m","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]}]}"#,
        )
        .unwrap();
        assert_eq!(
            advanced,
            json!({
                "TrailName": "audit",
                "AdvancedEventSelectors": [{"Name": "m", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}],
            })
        );
        // get-event-selectors output pastes as is.
        let pasted = json_selectors_request(
            "audit",
            r#"{"TrailARN":"arn:aws:cloudtrail:us-east-1:111111111111:trail/audit","EventSelectors":[{"ReadWriteType":"All","IncludeManagementEvents":true}]}"#,
        )
        .unwrap();
        assert_eq!(pasted["EventSelectors"][0]["ReadWriteType"], "All");
        assert!(pasted.get("TrailARN").is_none());
    }

    #[test]
    fn json_errors_name_the_place() {
        let error = json_selectors_request(
            "audit",
            "{\n  \"AdvancedEventSelectors\": [\n    {\"Name\": \"x\",}\n  ]\n}",
        )
        .unwrap_err();
        assert!(
            error.starts_with("The selectors JSON is not valid at line 3, column"),
            "{error}"
        );
        let error = json_selectors_request(
            "audit",
            r#"{"AdvancedEventSelectors":[{"FieldSelectors":[{"Feild":"eventCategory"}]}]}"#,
        )
        .unwrap_err();
        assert!(
            error.contains("line 1, column") && error.contains("`Feild`"),
            "{error}"
        );
        let error = json_selectors_request("audit", r#"{"Selectors":[]}"#).unwrap_err();
        assert!(error.contains("`Selectors`"), "{error}");
        let error = json_selectors_request("audit", "  ").unwrap_err();
        assert!(error.contains("empty"), "{error}");
        let error = json_selectors_request(
            "audit",
            r#"{"EventSelectors":[],"AdvancedEventSelectors":[]}"#,
        )
        .unwrap_err();
        assert!(error.contains("both"), "{error}");
        let error = json_selectors_request("audit", "{}").unwrap_err();
        assert!(error.contains("neither"), "{error}");
    }

    #[test]
    fn insight_checkboxes_become_selectors() {
        assert_eq!(
            insights_request("audit", &form(&[("api_error_rate", "on")])),
            json!({"TrailName": "audit", "InsightSelectors": [{"InsightType": "ApiErrorRateInsight"}]})
        );
        assert_eq!(
            insights_request("audit", &form(&[])),
            json!({"TrailName": "audit", "InsightSelectors": []})
        );
    }

    #[test]
    fn trails_of_other_regions_and_named_new_are_keyed_by_arn() {
        let arn = "arn:aws:cloudtrail:eu-west-1:111111111111:trail/org";
        let shadow = json!({"Name": "org", "HomeRegion": "eu-west-1", "TrailARN": arn});
        assert_eq!(trail_key(&shadow, "us-east-1"), arn);
        assert_eq!(trail_key(&shadow, "eu-west-1"), "org");
        let new = json!({"Name": "new", "HomeRegion": "us-east-1", "TrailARN": "arn:aws:cloudtrail:us-east-1:1:trail/new"});
        assert_eq!(
            trail_key(&new, "us-east-1"),
            "arn:aws:cloudtrail:us-east-1:1:trail/new"
        );
        assert_eq!(name_of_key(arn), "org");
        assert_eq!(name_of_key("audit"), "audit");
        assert_eq!(decode_segment(&encode_segment(arn)), arn);
    }

    #[test]
    fn selectors_answers_become_views_and_a_document() {
        let answer = json!({
            "TrailARN": "arn",
            "EventSelectors": [{
                "ReadWriteType": "ReadOnly",
                "IncludeManagementEvents": true,
                "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::b/"]}],
                "ExcludeManagementEventSources": ["kms.amazonaws.com"],
            }],
        });
        let (view, text) = selectors_views(&answer).unwrap();
        let SelectorsView::Basic(basic) = view else {
            panic!("basic selectors expected");
        };
        assert_eq!(basic[0].read_write_type, "ReadOnly");
        assert_eq!(basic[0].data_resources[0].0, "AWS::S3::Object");
        assert!(text.starts_with("{\n  \"EventSelectors\": [\n"), "{text}");
        assert!(!text.contains("TrailARN"));
        // The document the page shows goes back through the editor unchanged.
        let request = json_selectors_request("t", &text).unwrap();
        assert_eq!(request["EventSelectors"], answer["EventSelectors"]);

        let answer = json!({
            "TrailARN": "arn",
            "AdvancedEventSelectors": [{"Name": "writes", "FieldSelectors": [
                {"Field": "eventCategory", "Equals": ["Management"]},
                {"Field": "readOnly", "Equals": ["false"]},
                {"Field": "eventSource", "NotEquals": ["kms.amazonaws.com"], "NotStartsWith": ["rds"]},
            ]}],
        });
        let (view, text) = selectors_views(&answer).unwrap();
        let SelectorsView::Advanced(advanced) = view else {
            panic!("advanced selectors expected");
        };
        assert_eq!(advanced[0].name, "writes");
        assert_eq!(advanced[0].conditions.len(), 4);
        assert_eq!(advanced[0].conditions[2].1, "NotEquals");
        assert!(
            text.contains("\"Name\": \"writes\",\n      \"FieldSelectors\""),
            "{text}"
        );
    }

    #[test]
    fn checkboxes_are_on_when_sent() {
        let typed = form(&[("a", "on"), ("b", ""), ("c", "false")]);
        assert!(checked(&typed, "a"));
        assert!(!checked(&typed, "b"));
        assert!(!checked(&typed, "c"));
        assert!(!checked(&typed, "d"));
    }
}
