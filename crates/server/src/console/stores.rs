//! Event data store pages: the list, create, edit, start and stop ingestion, delete and
//! restore, every one through the store operations as the signed-in principal.
//!
//! | Route | What |
//! | --- | --- |
//! | `GET /console/stores` | the list (`ListEventDataStores`) |
//! | `GET /console/stores/new`, `POST /console/stores` | the create form; `CreateEventDataStore` |
//! | `GET /console/stores/{id}` | one store (`GetEventDataStore`) |
//! | `GET`, `POST /console/stores/{id}/edit` | the edit form; `UpdateEventDataStore` |
//! | `POST /console/stores/{id}/ingestion` | `action=start|stop`: `Start`/`StopEventDataStoreIngestion` |
//! | `POST /console/stores/{id}/delete` | `DeleteEventDataStore` |
//! | `POST /console/stores/{id}/restore` | `RestoreEventDataStore` |

use http::{Method, StatusCode};
use opentrail_api::Operation;
use opentrail_console::layout::{Notice, Section};
use opentrail_console::pages::stores::{
    self, MAX_RETENTION_DAYS, MIN_RETENTION_DAYS, StoreDetail, StoreForm, StoreList, StoreRow,
};
use opentrail_selectors::AdvancedEventSelector;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::trails::{
    checked, decode_segment, done_notice, encode_segment, error_status, field, flag_member,
    json_error_text, read_only_page, text_member, time_member, with_done, with_status,
};
use super::{Ctx, Params, Reply, api_error_text};

/// Most `ListEventDataStores` pages the list reads (1,000 stores each).
const MAX_LIST_PAGES: usize = 10;

/// Routes `/console/stores/...`; `rest` is the path after `stores`, split at `/`.
pub(crate) async fn route(ctx: &Ctx<'_>, method: &Method, rest: &[&str]) -> Reply {
    match (method, rest) {
        (&Method::GET, [] | [""]) => list(ctx).await,
        (&Method::POST, [] | [""]) => create(ctx).await,
        (&Method::GET, ["new"]) => new_form(ctx),
        (&Method::GET, [id]) => {
            let notice = done_notice(ctx);
            detail(ctx, &decode_segment(id), notice.as_ref(), StatusCode::OK).await
        }
        (&Method::GET, [id, "edit"]) => edit_form(ctx, &decode_segment(id)).await,
        (&Method::POST, [id, "edit"]) => update(ctx, &decode_segment(id)).await,
        (&Method::POST, [id, "ingestion"]) => ingestion(ctx, &decode_segment(id)).await,
        (&Method::POST, [id, "delete"]) => {
            lifecycle(ctx, &decode_segment(id), Operation::DeleteEventDataStore).await
        }
        (&Method::POST, [id, "restore"]) => {
            lifecycle(ctx, &decode_segment(id), Operation::RestoreEventDataStore).await
        }
        (_, [_] | [_, "edit" | "ingestion" | "delete" | "restore"]) => ctx.error_page(
            StatusCode::METHOD_NOT_ALLOWED,
            Section::Stores,
            "This page does not take that method.",
        ),
        _ => ctx.error_page(
            StatusCode::NOT_FOUND,
            Section::Stores,
            "There is no such page in the console.",
        ),
    }
}

// ---------------------------------------------------------------------------------------
// Form → request conversions.

/// The selectors document the store editor takes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoreSelectorsInput {
    #[serde(rename = "AdvancedEventSelectors")]
    advanced_event_selectors: Vec<AdvancedEventSelector>,
}

/// The selectors document as the editor and the store page show it.
#[derive(Debug, Serialize)]
struct StoreSelectorsDocument<'a> {
    #[serde(rename = "AdvancedEventSelectors")]
    advanced_event_selectors: &'a [AdvancedEventSelector],
}

/// The `AdvancedEventSelectors` of the editor's document.
fn parse_store_selectors(text: &str) -> Result<Value, String> {
    if text.trim().is_empty() {
        return Err(String::from(
            "The advanced event selectors JSON is empty: give {\"AdvancedEventSelectors\": […]}.",
        ));
    }
    let document: StoreSelectorsInput = serde_json::from_str(text)
        .map_err(|error| json_error_text("advanced event selectors", &error))?;
    Ok(serde_json::to_value(document.advanced_event_selectors).unwrap_or_default())
}

/// The store's selectors as the editor shows them (pretty JSON), from an answer.
fn selectors_document(store: &Value) -> String {
    let selectors: Vec<AdvancedEventSelector> = store
        .get("AdvancedEventSelectors")
        .cloned()
        .and_then(|list| serde_json::from_value(list).ok())
        .unwrap_or_default();
    serde_json::to_string_pretty(&StoreSelectorsDocument {
        advanced_event_selectors: &selectors,
    })
    .unwrap_or_default()
}

/// The default selectors document of the create form: all management events.
fn default_selectors_document() -> String {
    selectors_document(&json!({
        "AdvancedEventSelectors": [{
            "Name": "Default management events",
            "FieldSelectors": [{ "Field": "eventCategory", "Equals": ["Management"] }],
        }],
    }))
}

/// A retention period as typed: whole days (the API checks the range).
fn parse_retention(text: &str) -> Result<i64, String> {
    text.parse::<i64>().map_err(|_| {
        format!(
            "The retention period `{text}` is not a whole number of days; give {MIN_RETENTION_DAYS} to {MAX_RETENTION_DAYS}."
        )
    })
}

/// The form as typed (to show it again after a failure).
fn form_view(form: &Params, csrf: &str, editing: Option<(String, String)>) -> StoreForm {
    StoreForm {
        csrf: csrf.to_owned(),
        editing,
        name: field(form, "name").to_owned(),
        retention: field(form, "retention").to_owned(),
        termination_protection: checked(form, "termination_protection"),
        multi_region: checked(form, "multi_region"),
        kind: form.get("kind").unwrap_or("management").to_owned(),
        selectors: form.get("selectors").unwrap_or("").to_owned(),
        start_ingestion: checked(form, "start_ingestion"),
    }
}

/// The `CreateEventDataStore` request of the create form: `kind=management` leaves the
/// selectors to the API's default (all management events), `kind=json` sends the editor's.
fn create_store_request(form: &Params) -> Result<Value, String> {
    let mut request = json!({
        "Name": field(form, "name"),
        "TerminationProtectionEnabled": checked(form, "termination_protection"),
        "MultiRegionEnabled": checked(form, "multi_region"),
        "StartIngestion": checked(form, "start_ingestion"),
    });
    let retention = field(form, "retention");
    if !retention.is_empty() {
        request["RetentionPeriod"] = json!(parse_retention(retention)?);
    }
    match form.get("kind").unwrap_or("management") {
        "management" => {}
        "json" => {
            request["AdvancedEventSelectors"] =
                parse_store_selectors(form.get("selectors").unwrap_or(""))?;
        }
        other => return Err(format!("`{other}` is not a kind of event data store.")),
    }
    Ok(request)
}

/// The `UpdateEventDataStore` request of the edit form: every setting it shows.
fn update_store_request(id: &str, form: &Params) -> Result<Value, String> {
    let retention = field(form, "retention");
    if retention.is_empty() {
        return Err(format!(
            "Give a retention period: {MIN_RETENTION_DAYS} to {MAX_RETENTION_DAYS} days."
        ));
    }
    Ok(json!({
        "EventDataStore": id,
        "Name": field(form, "name"),
        "RetentionPeriod": parse_retention(retention)?,
        "TerminationProtectionEnabled": checked(form, "termination_protection"),
        "MultiRegionEnabled": checked(form, "multi_region"),
        "AdvancedEventSelectors": parse_store_selectors(form.get("selectors").unwrap_or(""))?,
    }))
}

/// A store's ID: the last part of its ARN.
fn store_id(arn: &str) -> &str {
    arn.rsplit_once('/').map_or(arn, |(_, id)| id)
}

fn retention_days(store: &Value) -> u32 {
    store
        .get("RetentionPeriod")
        .and_then(Value::as_u64)
        .and_then(|days| u32::try_from(days).ok())
        .unwrap_or(0)
}

// ---------------------------------------------------------------------------------------
// Pages.

/// `GET /console/stores`.
async fn list(ctx: &Ctx<'_>) -> Reply {
    let mut view = StoreList {
        can_change: !ctx.user().read_only,
        ..StoreList::default()
    };
    let mut token: Option<String> = None;
    for _ in 0..MAX_LIST_PAGES {
        let mut request = json!({ "MaxResults": 1000 });
        if let Some(token) = &token {
            request["NextToken"] = Value::String(token.clone());
        }
        let answer = match ctx.call(Operation::ListEventDataStores, request).await {
            Ok(answer) => answer,
            Err(error) => {
                view.error = Some(api_error_text(&error));
                break;
            }
        };
        for store in answer
            .get("EventDataStores")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let arn = text_member(store, "EventDataStoreArn");
            view.rows.push(StoreRow {
                id: store_id(&arn).to_owned(),
                name: text_member(store, "Name"),
                status: text_member(store, "Status"),
                retention_days: retention_days(store),
                termination_protection: flag_member(store, "TerminationProtectionEnabled"),
                multi_region: flag_member(store, "MultiRegionEnabled"),
                created: time_member(store, "CreatedTimestamp"),
                arn,
            });
        }
        token = answer
            .get("NextToken")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    let notice = done_notice(ctx);
    ctx.page(
        "Event data stores",
        Section::Stores,
        notice.as_ref(),
        &stores::store_list(&view),
    )
}

/// `GET /console/stores/new`.
fn new_form(ctx: &Ctx<'_>) -> Reply {
    if ctx.user().read_only {
        return read_only_page(ctx, Section::Stores);
    }
    let view = StoreForm {
        csrf: ctx.csrf().to_owned(),
        editing: None,
        name: String::new(),
        retention: String::from("366"),
        termination_protection: true,
        multi_region: true,
        kind: String::from("management"),
        selectors: default_selectors_document(),
        start_ingestion: true,
    };
    ctx.page(
        "Create event data store",
        Section::Stores,
        None,
        &stores::store_form(&view),
    )
}

/// `POST /console/stores`: `CreateEventDataStore`.
async fn create(ctx: &Ctx<'_>) -> Reply {
    let failed = |message: String, status: StatusCode| {
        let view = form_view(&ctx.form, ctx.csrf(), None);
        let notice = Notice::Failed(message);
        let reply = ctx.page(
            "Create event data store",
            Section::Stores,
            Some(&notice),
            &stores::store_form(&view),
        );
        with_status(reply, status)
    };
    let request = match create_store_request(&ctx.form) {
        Ok(request) => request,
        Err(message) => return failed(message, StatusCode::BAD_REQUEST),
    };
    match ctx.call(Operation::CreateEventDataStore, request).await {
        Ok(answer) => {
            let arn = text_member(&answer, "EventDataStoreArn");
            Reply::Redirect(with_done(
                &format!("/console/stores/{}", encode_segment(store_id(&arn))),
                "Event data store created.",
            ))
        }
        Err(error) => failed(api_error_text(&error), error_status(&error)),
    }
}

/// One store's page, with `notice` and `status` (a failed action shows it with its error).
async fn detail(ctx: &Ctx<'_>, id: &str, notice: Option<&Notice>, status: StatusCode) -> Reply {
    let store = match ctx
        .call(
            Operation::GetEventDataStore,
            json!({ "EventDataStore": id }),
        )
        .await
    {
        Ok(store) => store,
        Err(error) => {
            let message = match notice {
                Some(Notice::Failed(failed)) if *failed != api_error_text(&error) => {
                    format!("{failed} ({})", api_error_text(&error))
                }
                _ => api_error_text(&error),
            };
            return ctx.error_page(error_status(&error), Section::Stores, &message);
        }
    };
    let arn = text_member(&store, "EventDataStoreArn");
    let view = StoreDetail {
        csrf: ctx.csrf().to_owned(),
        can_change: !ctx.user().read_only,
        id: store_id(&arn).to_owned(),
        name: text_member(&store, "Name"),
        status: text_member(&store, "Status"),
        retention_days: retention_days(&store),
        termination_protection: flag_member(&store, "TerminationProtectionEnabled"),
        multi_region: flag_member(&store, "MultiRegionEnabled"),
        organization: flag_member(&store, "OrganizationEnabled"),
        billing_mode: text_member(&store, "BillingMode"),
        kms_key_id: text_member(&store, "KmsKeyId"),
        federation_status: text_member(&store, "FederationStatus"),
        created: time_member(&store, "CreatedTimestamp"),
        updated: time_member(&store, "UpdatedTimestamp"),
        selectors_json: selectors_document(&store),
        arn,
    };
    let reply = ctx.page(
        &view.name,
        Section::Stores,
        notice,
        &stores::store_detail(&view),
    );
    with_status(reply, status)
}

/// `GET /console/stores/{id}/edit`.
async fn edit_form(ctx: &Ctx<'_>, id: &str) -> Reply {
    if ctx.user().read_only {
        return read_only_page(ctx, Section::Stores);
    }
    let store = match ctx
        .call(
            Operation::GetEventDataStore,
            json!({ "EventDataStore": id }),
        )
        .await
    {
        Ok(store) => store,
        Err(error) => return ctx.api_error_page(Section::Stores, &error),
    };
    let name = text_member(&store, "Name");
    let view = StoreForm {
        csrf: ctx.csrf().to_owned(),
        editing: Some((id.to_owned(), name.clone())),
        name: name.clone(),
        retention: retention_days(&store).to_string(),
        termination_protection: flag_member(&store, "TerminationProtectionEnabled"),
        multi_region: flag_member(&store, "MultiRegionEnabled"),
        kind: String::from("json"),
        selectors: selectors_document(&store),
        start_ingestion: false,
    };
    ctx.page(
        &format!("Edit event data store · {name}"),
        Section::Stores,
        None,
        &stores::store_form(&view),
    )
}

/// `POST /console/stores/{id}/edit`: `UpdateEventDataStore`.
async fn update(ctx: &Ctx<'_>, id: &str) -> Reply {
    let (message, status) = match update_store_request(id, &ctx.form) {
        Err(message) => (message, StatusCode::BAD_REQUEST),
        Ok(request) => match ctx.call(Operation::UpdateEventDataStore, request).await {
            Ok(_) => {
                return Reply::Redirect(with_done(
                    &format!("/console/stores/{}", encode_segment(id)),
                    "Event data store updated.",
                ));
            }
            Err(error) => (api_error_text(&error), error_status(&error)),
        },
    };
    // The title keeps the name the store has, not the one typed.
    let name = match ctx
        .call(
            Operation::GetEventDataStore,
            json!({ "EventDataStore": id }),
        )
        .await
    {
        Ok(store) => text_member(&store, "Name"),
        Err(_) => id.to_owned(),
    };
    let view = form_view(&ctx.form, ctx.csrf(), Some((id.to_owned(), name.clone())));
    let notice = Notice::Failed(message);
    let reply = ctx.page(
        &format!("Edit event data store · {name}"),
        Section::Stores,
        Some(&notice),
        &stores::store_form(&view),
    );
    with_status(reply, status)
}

/// `POST /console/stores/{id}/ingestion`: `StartEventDataStoreIngestion` or
/// `StopEventDataStoreIngestion`.
async fn ingestion(ctx: &Ctx<'_>, id: &str) -> Reply {
    let (operation, done) = match ctx.form.get("action") {
        Some("start") => (
            Operation::StartEventDataStoreIngestion,
            "Ingestion started.",
        ),
        Some("stop") => (Operation::StopEventDataStoreIngestion, "Ingestion stopped."),
        _ => {
            let notice = Notice::Failed(String::from(
                "The form must say action=start or action=stop.",
            ));
            return detail(ctx, id, Some(&notice), StatusCode::BAD_REQUEST).await;
        }
    };
    run_and_return(ctx, id, operation, done).await
}

/// `POST /console/stores/{id}/delete` and `/restore`.
async fn lifecycle(ctx: &Ctx<'_>, id: &str, operation: Operation) -> Reply {
    let done = if operation == Operation::DeleteEventDataStore {
        "Event data store deleted: it can be restored for 7 days."
    } else {
        "Event data store restored."
    };
    run_and_return(ctx, id, operation, done).await
}

/// Calls a store operation taking only `EventDataStore`, then goes back to the store's
/// page: with `done` after success, with the error otherwise.
async fn run_and_return(ctx: &Ctx<'_>, id: &str, operation: Operation, done: &str) -> Reply {
    match ctx.call(operation, json!({ "EventDataStore": id })).await {
        Ok(_) => Reply::Redirect(with_done(
            &format!("/console/stores/{}", encode_segment(id)),
            done,
        )),
        Err(error) => {
            let notice = Notice::Failed(api_error_text(&error));
            detail(ctx, id, Some(&notice), error_status(&error)).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Params {
        Params::parse(super::super::query_string(pairs.iter().copied()).as_bytes())
    }

    #[test]
    fn management_stores_leave_the_selectors_to_the_default() {
        let request = create_store_request(&form(&[
            ("name", " audit-store "),
            ("retention", "90"),
            ("termination_protection", "on"),
            ("kind", "management"),
            ("selectors", "not even json"),
            ("start_ingestion", "on"),
        ]))
        .unwrap();
        assert_eq!(
            request,
            json!({
                "Name": "audit-store",
                "RetentionPeriod": 90,
                "TerminationProtectionEnabled": true,
                "MultiRegionEnabled": false,
                "StartIngestion": true,
            })
        );
        let request = create_store_request(&form(&[("name", "s"), ("retention", "")])).unwrap();
        assert!(request.get("RetentionPeriod").is_none());
        assert_eq!(request["StartIngestion"], false);
    }

    #[test]
    fn json_stores_send_the_editors_selectors() {
        let request = create_store_request(&form(&[
            ("name", "writes"),
            ("kind", "json"),
            (
                "selectors",
                r#"{"AdvancedEventSelectors":[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]},{"Field":"readOnly","Equals":["false"]}]}]}"#,
            ),
        ]))
        .unwrap();
        assert_eq!(
            request["AdvancedEventSelectors"][0]["FieldSelectors"][1],
            json!({"Field": "readOnly", "Equals": ["false"]})
        );
        let error = create_store_request(&form(&[
            ("name", "writes"),
            ("kind", "json"),
            (
                "selectors",
                "{\"AdvancedEventSelectors\": [\n  {\"FieldSelectors\": [}\n]}",
            ),
        ]))
        .unwrap_err();
        assert!(
            error.starts_with("The advanced event selectors JSON is not valid at line 2, column"),
            "{error}"
        );
        let error =
            create_store_request(&form(&[("name", "x"), ("kind", "json"), ("selectors", "")]))
                .unwrap_err();
        assert!(error.contains("empty"), "{error}");
        let error = create_store_request(&form(&[
            ("name", "x"),
            ("kind", "json"),
            ("selectors", r#"{"EventSelectors":[]}"#),
        ]))
        .unwrap_err();
        assert!(error.contains("`EventSelectors`"), "{error}");
        let error = create_store_request(&form(&[("name", "x"), ("kind", "other")])).unwrap_err();
        assert!(error.contains("`other`"), "{error}");
    }

    #[test]
    fn retention_must_be_whole_days() {
        let error =
            create_store_request(&form(&[("name", "x"), ("retention", "90.5")])).unwrap_err();
        assert!(
            error.contains("`90.5`") && error.contains("7 to 3653"),
            "{error}"
        );
        let error =
            update_store_request("id", &form(&[("name", "x"), ("retention", "")])).unwrap_err();
        assert!(error.contains("retention period"), "{error}");
        // The range is the API's to check (it knows the billing mode).
        let request = create_store_request(&form(&[("name", "x"), ("retention", "5000")])).unwrap();
        assert_eq!(request["RetentionPeriod"], 5000);
    }

    #[test]
    fn updates_send_every_setting() {
        let request = update_store_request(
            "0b1c",
            &form(&[
                ("name", "renamed"),
                ("retention", "30"),
                ("multi_region", "on"),
                ("selectors", &default_selectors_document()),
            ]),
        )
        .unwrap();
        assert_eq!(
            request,
            json!({
                "EventDataStore": "0b1c",
                "Name": "renamed",
                "RetentionPeriod": 30,
                "TerminationProtectionEnabled": false,
                "MultiRegionEnabled": true,
                "AdvancedEventSelectors": [{
                    "Name": "Default management events",
                    "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}],
                }],
            })
        );
    }

    #[test]
    fn documents_keep_the_wire_member_order() {
        let text = default_selectors_document();
        assert!(
            text.starts_with("{\n  \"AdvancedEventSelectors\": [\n    {\n      \"Name\": \"Default management events\",\n      \"FieldSelectors\": [\n        {\n          \"Field\": \"eventCategory\",\n          \"Equals\": ["),
            "{text}"
        );
        assert_eq!(
            store_id("arn:aws:cloudtrail:us-east-1:111111111111:eventdatastore/EXAMPLE-f852-4e8f"),
            "EXAMPLE-f852-4e8f"
        );
    }
}
