//! The Lake query editor and query pages, all through the Lake API (`ListEventDataStores`,
//! `StartQuery`, `DescribeQuery`, `GetQueryResults`, `CancelQuery`, `ListQueries`) as the
//! signed-in principal, plus saved queries ([`super::saved`]).
//!
//! | Route | What |
//! | --- | --- |
//! | `GET /console/lake` | the editor: `store=` picks the store, `sql=`, `sample=N` or `saved=ID` fill the SQL |
//! | `POST /console/lake/run` | `store`, `sql` → `StartQuery`, then `303` to the query's page |
//! | `POST /console/lake/saved` | `store`, `sql`, `name` → saves the query (replacing one of that name) |
//! | `POST /console/lake/saved/{id}/delete` | deletes a saved query |
//! | `GET /console/lake/queries/{queryId}` | status and statistics; when finished, a page of results (`token`, `back`) and a chart (`chart`, `x`, `y`) |
//! | `POST /console/lake/queries/{queryId}/cancel` | `CancelQuery` |
//! | `GET /console/lake/queries/{queryId}.csv` | every result row as CSV, up to [`MAX_DOWNLOAD_ROWS`] |

use http::{Method, StatusCode};
use opentrail_api::{ApiError, Operation};
use opentrail_console::chart::{
    BarChart, BarItem, ColumnChart, ColumnSeries, LineChart, LineSeries, XTick, format_count,
};
use opentrail_console::html::query_value;
use opentrail_console::layout::{Notice, Section};
use opentrail_console::pages::lake::{
    self, ChartKind, LakeEditor, QueryPage, RecentQuery, ResultChart, ResultChartView, ResultsView,
    SampleLink, SavedQueryRow, StoreOption,
};
use opentrail_types::Timestamp;
use serde_json::{Value, json};

use super::history::display_time;
use super::saved::{MAX_PER_PRINCIPAL, SavedError, SavedQueries, SavedQuery};
use super::{Ctx, Reply, api_error_text, query_string};

/// Result rows per page of the query page.
const RESULTS_PAGE: usize = 50;
/// Most rows a chart draws (the first ones).
const CHART_ROWS: usize = 500;
/// Most rows drawn as horizontal bars; more become columns.
const MAX_BAR_ROWS: usize = 50;
/// Most rows in one CSV download.
pub(crate) const MAX_DOWNLOAD_ROWS: usize = 100_000;
/// `GetQueryResults`' largest page.
const RESULTS_API_PAGE: usize = 1000;
/// Recent queries shown on the editor.
const RECENT_QUERIES: usize = 10;
/// Pages of `ListEventDataStores` read for the picker (1,000 stores each).
const STORE_PAGES: usize = 5;
/// Stands for the store in the SQL when there is none to name.
const STORE_PLACEHOLDER: &str = "EVENT_DATA_STORE_ID";

/// Routes `/console/lake/...`; `rest` is the path after `lake`, split at `/`.
pub(crate) async fn route(ctx: &Ctx<'_>, method: &Method, rest: &[&str]) -> Reply {
    match (method, rest) {
        (&Method::GET, [] | [""]) => editor_page(ctx).await,
        (&Method::POST, ["run"]) => run(ctx).await,
        (&Method::POST, ["saved"]) => save(ctx).await,
        (&Method::POST, ["saved", id, "delete"]) => delete_saved(ctx, &decode(id)).await,
        (&Method::GET, ["queries", file]) if file.ends_with(".csv") => {
            download(ctx, &decode(file.trim_end_matches(".csv"))).await
        }
        (&Method::GET, ["queries", id]) => query(ctx, &decode(id)).await,
        (&Method::POST, ["queries", id, "cancel"]) => cancel(ctx, &decode(id)).await,
        _ => ctx.error_page(
            StatusCode::NOT_FOUND,
            Section::Lake,
            "There is no such page in the console.",
        ),
    }
}

fn decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

/// The editor's URL for a store and extra parameters.
fn editor_href(store: &str, extra: &[(&str, &str)]) -> String {
    let mut pairs = Vec::with_capacity(extra.len() + 1);
    if !store.is_empty() {
        pairs.push(("store", store));
    }
    pairs.extend_from_slice(extra);
    if pairs.is_empty() {
        return String::from("/console/lake");
    }
    format!("/console/lake?{}", query_string(pairs))
}

/// A query's page URL.
fn query_href(query_id: &str, store: &str, extra: &[(&str, &str)]) -> String {
    let mut href = format!("/console/lake/queries/{}", query_value(query_id));
    let mut pairs = Vec::with_capacity(extra.len() + 1);
    if !store.is_empty() {
        pairs.push(("store", store));
    }
    pairs.extend_from_slice(extra);
    if !pairs.is_empty() {
        href.push('?');
        href.push_str(&query_string(pairs));
    }
    href
}

/// The SQL the editor starts with.
fn default_sql(store: &str) -> String {
    let store = if store.is_empty() {
        STORE_PLACEHOLDER
    } else {
        store
    };
    format!(
        "SELECT eventName, count(*) AS events FROM {store} GROUP BY eventName ORDER BY events DESC LIMIT 10"
    )
}

/// A sample query: its title and SQL with `{eds}` for the store and `{since}` for the
/// start of the past week.
struct Sample {
    title: &'static str,
    sql: &'static str,
}

/// Sample queries, after the CloudTrail Lake documentation's examples
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-lake-examples.html>
/// and the aws-samples query library), limited to the past week.
const SAMPLES: [Sample; 10] = [
    Sample {
        title: "API calls by service and action, busiest first",
        sql: "SELECT eventSource, eventName, COUNT(*) AS apiCount\nFROM {eds}\nWHERE eventTime > '{since}'\nGROUP BY eventSource, eventName\nORDER BY apiCount DESC\nLIMIT 20",
    },
    Sample {
        title: "Events per hour",
        sql: "SELECT date_trunc('hour', eventTime) AS hour, COUNT(*) AS events\nFROM {eds}\nWHERE eventTime > '{since}'\nGROUP BY date_trunc('hour', eventTime)\nORDER BY hour",
    },
    Sample {
        title: "Top error codes and messages",
        sql: "SELECT errorCode, errorMessage, COUNT(*) AS eventCount\nFROM {eds}\nWHERE eventTime > '{since}'\n  AND (errorCode IS NOT NULL OR errorMessage IS NOT NULL)\nGROUP BY errorCode, errorMessage\nORDER BY eventCount DESC\nLIMIT 10",
    },
    Sample {
        title: "Principals with the most errors",
        sql: "SELECT userIdentity.arn AS principal, COUNT(*) AS errors\nFROM {eds}\nWHERE eventTime > '{since}' AND errorCode IS NOT NULL\nGROUP BY userIdentity.arn\nORDER BY errors DESC\nLIMIT 10",
    },
    Sample {
        title: "Console sign-ins",
        sql: "SELECT eventTime, userIdentity.arn, sourceIPAddress, awsRegion, errorMessage\nFROM {eds}\nWHERE eventName = 'ConsoleLogin' AND eventTime > '{since}'\nORDER BY eventTime DESC",
    },
    Sample {
        title: "Console sign-ins without MFA",
        sql: "SELECT eventTime, userIdentity.arn, sourceIPAddress\nFROM {eds}\nWHERE eventSource = 'signin.amazonaws.com'\n  AND eventName = 'ConsoleLogin'\n  AND element_at(additionalEventData, 'MFAUsed') = 'No'\n  AND eventTime > '{since}'\nORDER BY eventTime DESC",
    },
    Sample {
        title: "Activity of one access key",
        sql: "SELECT eventSource, eventName, sourceIPAddress, eventTime, errorCode\nFROM {eds}\nWHERE userIdentity.accessKeyId = 'AKIAIOSFODNN7EXAMPLE'\n  AND eventTime > '{since}'\nORDER BY eventTime",
    },
    Sample {
        title: "Changes made from console sessions",
        sql: "SELECT userIdentity.arn, eventTime, eventSource, eventName, sourceIPAddress\nFROM {eds}\nWHERE sessionCredentialFromConsole = true AND readOnly = false\n  AND eventTime > '{since}'\nORDER BY eventTime DESC",
    },
    Sample {
        title: "CloudTrail configuration changes",
        sql: "SELECT eventName, element_at(requestParameters, 'name') AS trail, userIdentity.arn, eventTime\nFROM {eds}\nWHERE eventSource = 'cloudtrail.amazonaws.com'\n  AND eventName IN ('CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging')\n  AND eventTime > '{since}'\nORDER BY eventTime DESC",
    },
    Sample {
        title: "Most read S3 objects (data events)",
        sql: "SELECT element_at(requestParameters, 'bucketName') AS bucketName,\n       element_at(requestParameters, 'key') AS key,\n       COUNT(*) AS requestCount\nFROM {eds}\nWHERE eventCategory = 'Data' AND eventSource = 's3.amazonaws.com'\n  AND eventName = 'GetObject' AND eventTime > '{since}'\nGROUP BY element_at(requestParameters, 'bucketName'), element_at(requestParameters, 'key')\nORDER BY requestCount DESC\nLIMIT 20",
    },
];

/// Sample `index` with the store and the start of the week before `now` filled in.
fn sample_sql(index: usize, store: &str, now: Timestamp) -> Option<String> {
    let sample = SAMPLES.get(index)?;
    let store = if store.is_empty() {
        STORE_PLACEHOLDER
    } else {
        store
    };
    let since =
        Timestamp::from_millis(now.as_millis() - 7 * 86_400_000).format_utc("%Y-%m-%d 00:00:00");
    Some(
        sample
            .sql
            .replace("{eds}", store)
            .replace("{since}", &since),
    )
}

/// What the editor shows besides what it reads from the API.
#[derive(Default)]
struct EditorInput {
    store: String,
    sql: Option<String>,
    name: String,
}

/// `GET /console/lake`.
async fn editor_page(ctx: &Ctx<'_>) -> Reply {
    let query = &ctx.query;
    let input = EditorInput {
        store: query.get("store").unwrap_or("").trim().to_owned(),
        sql: query.get("sql").map(str::to_owned),
        name: query.get("name").unwrap_or("").to_owned(),
    };
    let notice = query.get("done").map(|done| Notice::Done(done.to_owned()));
    editor(ctx, input, notice.as_ref(), StatusCode::OK).await
}

/// Renders the editor with `input` (a failed form's values, or the URL's).
async fn editor(
    ctx: &Ctx<'_>,
    input: EditorInput,
    notice: Option<&Notice>,
    status: StatusCode,
) -> Reply {
    let user = ctx.user();
    let mut view = LakeEditor {
        csrf: ctx.csrf().to_owned(),
        read_only: user.read_only,
        max_saved: MAX_PER_PRINCIPAL,
        name: input.name,
        ..LakeEditor::default()
    };
    match list_stores(ctx).await {
        Ok(stores) => view.stores = stores,
        Err(error) => view.stores_error = Some(api_error_text(&error)),
    }
    view.store = pick_store(&view.stores, &input.store);
    let store = view.store.clone();

    let saved = saved_queries(ctx).await;
    let now = ctx.state.clock.now();
    let from_url = input.sql.clone().or_else(|| {
        let sample = ctx.query.get("sample")?.parse::<usize>().ok()?;
        sample_sql(sample, &store, now)
    });
    view.sql = match from_url {
        Some(sql) => sql,
        None => {
            let wanted = ctx.query.get("saved");
            let found = wanted.and_then(|id| {
                saved
                    .as_ref()
                    .ok()
                    .and_then(|queries| queries.iter().find(|query| query.id == id))
            });
            match found {
                Some(query) => {
                    if view.name.is_empty() {
                        view.name = query.name.clone();
                    }
                    query.sql.clone()
                }
                None => default_sql(&store),
            }
        }
    };
    view.samples = (0..SAMPLES.len())
        .map(|index| SampleLink {
            title: SAMPLES[index].title.to_owned(),
            href: editor_href(&store, &[("sample", &index.to_string())]),
        })
        .collect();
    match saved {
        Ok(queries) => {
            view.saved = queries
                .into_iter()
                .map(|query| SavedQueryRow {
                    open_href: editor_href(&store, &[("saved", &query.id)]),
                    id: query.id,
                    name: query.name,
                    sql: query.sql,
                })
                .collect();
        }
        Err(error) => view.saved_error = Some(error),
    }
    if !store.is_empty() {
        let request = json!({ "EventDataStore": store, "MaxResults": RECENT_QUERIES });
        match ctx.call(Operation::ListQueries, request).await {
            Ok(answer) => view.recent = recent_queries(&answer, &store),
            Err(error) => view.recent_error = Some(api_error_text(&error)),
        }
    }
    let reply = ctx.page(
        "Lake query editor",
        Section::Lake,
        notice,
        &lake::lake_editor(&view),
    );
    with_status(reply, status)
}

fn with_status(reply: Reply, status: StatusCode) -> Reply {
    match reply {
        Reply::Html(_, body) => Reply::Html(status, body),
        other => other,
    }
}

/// The caller's stores, in `ListEventDataStores` order.
async fn list_stores(ctx: &Ctx<'_>) -> Result<Vec<StoreOption>, ApiError> {
    let mut stores = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..STORE_PAGES {
        let mut request = json!({ "MaxResults": 1000 });
        if let Some(token) = &token {
            request["NextToken"] = Value::String(token.clone());
        }
        let answer = ctx.call(Operation::ListEventDataStores, request).await?;
        for store in answer
            .get("EventDataStores")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let arn = text(store, "EventDataStoreArn");
            let id = arn.rsplit('/').next().unwrap_or("").to_owned();
            if id.is_empty() {
                continue;
            }
            stores.push(StoreOption {
                id,
                name: text(store, "Name"),
                status: text(store, "Status"),
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
    Ok(stores)
}

/// The store to work on: the one asked for when it is listed, else the first enabled one,
/// else the first one.
fn pick_store(stores: &[StoreOption], wanted: &str) -> String {
    let listed = stores
        .iter()
        .find(|store| !wanted.is_empty() && store.id == wanted);
    let enabled = || stores.iter().find(|store| store.status == "ENABLED");
    listed
        .or_else(enabled)
        .or_else(|| stores.first())
        .map(|store| store.id.clone())
        .unwrap_or_default()
}

fn recent_queries(answer: &Value, store: &str) -> Vec<RecentQuery> {
    answer
        .get("Queries")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|query| {
            let query_id = text(query, "QueryId");
            RecentQuery {
                href: query_href(&query_id, store, &[]),
                status: text(query, "QueryStatus"),
                created: time_text(query.get("CreationTime")),
                query_id,
            }
        })
        .collect()
}

/// The signed-in principal's saved queries, or the error to show instead.
async fn saved_queries(ctx: &Ctx<'_>) -> Result<Vec<SavedQuery>, String> {
    let saved = SavedQueries::under(ctx.state.engine.root());
    let principal = ctx.session.caller.principal.arn.clone();
    match tokio::task::spawn_blocking(move || saved.list(&principal)).await {
        Ok(Ok(queries)) => Ok(queries),
        Ok(Err(error)) => {
            tracing::error!(error = %error, "the saved queries could not be read");
            Err(String::from("The saved queries could not be read."))
        }
        Err(error) => {
            tracing::error!(error = %error, "reading the saved queries stopped");
            Err(String::from("The saved queries could not be read."))
        }
    }
}

/// The form's values as the editor shows them again after a failure.
fn form_input(ctx: &Ctx<'_>) -> EditorInput {
    EditorInput {
        store: ctx.form.get("store").unwrap_or("").trim().to_owned(),
        sql: Some(ctx.form.get("sql").unwrap_or("").to_owned()),
        name: ctx.form.get("name").unwrap_or("").to_owned(),
    }
}

/// `POST /console/lake/run`.
async fn run(ctx: &Ctx<'_>) -> Reply {
    let store = ctx.form.get("store").unwrap_or("").trim().to_owned();
    let sql = ctx.form.get("sql").unwrap_or("");
    let request = json!({ "QueryStatement": sql });
    match ctx.call(Operation::StartQuery, request).await {
        Ok(answer) => {
            let query_id = text(&answer, "QueryId");
            Reply::Redirect(query_href(&query_id, &store, &[]))
        }
        Err(error) => {
            let status =
                StatusCode::from_u16(error.code.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
            let notice = Notice::Failed(api_error_text(&error));
            editor(ctx, form_input(ctx), Some(&notice), status).await
        }
    }
}

/// `POST /console/lake/saved`. Saving a query is console state, not a CloudTrail API
/// call, so no audit record is written for it (the queries it runs are recorded).
async fn save(ctx: &Ctx<'_>) -> Reply {
    if ctx.user().read_only {
        let notice = Notice::Failed(String::from(
            "Your access key may only read, so it cannot save queries.",
        ));
        return editor(ctx, form_input(ctx), Some(&notice), StatusCode::FORBIDDEN).await;
    }
    let store = ctx.form.get("store").unwrap_or("").trim().to_owned();
    let name = ctx.form.get("name").unwrap_or("").to_owned();
    let sql = ctx.form.get("sql").unwrap_or("").to_owned();
    let saved = SavedQueries::under(ctx.state.engine.root());
    let principal = ctx.session.caller.principal.arn.clone();
    let id = ctx.state.ids.uuid();
    let saved_at = ctx.state.clock.now().format_event_time();
    let result =
        tokio::task::spawn_blocking(move || saved.save(&principal, &name, &sql, id, saved_at))
            .await;
    match result {
        Ok(Ok(query)) => {
            let done = format!("Saved the query “{}”.", query.name);
            Reply::Redirect(editor_href(
                &store,
                &[("saved", &query.id), ("done", &done)],
            ))
        }
        Ok(Err(SavedError::Invalid(message))) => {
            let notice = Notice::Failed(message);
            editor(ctx, form_input(ctx), Some(&notice), StatusCode::BAD_REQUEST).await
        }
        Ok(Err(error)) => {
            tracing::error!(error = %error, "a saved query could not be written");
            let notice = Notice::Failed(String::from(
                "The query could not be saved; the server could not write its file.",
            ));
            let status = StatusCode::INTERNAL_SERVER_ERROR;
            editor(ctx, form_input(ctx), Some(&notice), status).await
        }
        Err(error) => {
            tracing::error!(error = %error, "saving a query stopped");
            let notice = Notice::Failed(String::from("The query could not be saved."));
            let status = StatusCode::INTERNAL_SERVER_ERROR;
            editor(ctx, form_input(ctx), Some(&notice), status).await
        }
    }
}

/// `POST /console/lake/saved/{id}/delete` (console state: no audit record, as for saving).
async fn delete_saved(ctx: &Ctx<'_>, id: &str) -> Reply {
    let store = ctx.form.get("store").unwrap_or("").trim().to_owned();
    let input = EditorInput {
        store: store.clone(),
        ..EditorInput::default()
    };
    if ctx.user().read_only {
        let notice = Notice::Failed(String::from(
            "Your access key may only read, so it cannot delete saved queries.",
        ));
        return editor(ctx, input, Some(&notice), StatusCode::FORBIDDEN).await;
    }
    let saved = SavedQueries::under(ctx.state.engine.root());
    let principal = ctx.session.caller.principal.arn.clone();
    let owned_id = id.to_owned();
    let result = tokio::task::spawn_blocking(move || saved.delete(&principal, &owned_id)).await;
    match result {
        Ok(Ok(true)) => {
            Reply::Redirect(editor_href(&store, &[("done", "Deleted the saved query.")]))
        }
        Ok(Ok(false)) => {
            let notice = Notice::Failed(String::from(
                "There is no such saved query; it may have been deleted already.",
            ));
            editor(ctx, input, Some(&notice), StatusCode::NOT_FOUND).await
        }
        Ok(Err(error)) => {
            tracing::error!(error = %error, "a saved query could not be deleted");
            let notice = Notice::Failed(String::from(
                "The saved query could not be deleted; the server could not write its file.",
            ));
            editor(ctx, input, Some(&notice), StatusCode::INTERNAL_SERVER_ERROR).await
        }
        Err(error) => {
            tracing::error!(error = %error, "deleting a saved query stopped");
            let notice = Notice::Failed(String::from("The saved query could not be deleted."));
            editor(ctx, input, Some(&notice), StatusCode::INTERNAL_SERVER_ERROR).await
        }
    }
}

/// `POST /console/lake/queries/{id}/cancel`.
async fn cancel(ctx: &Ctx<'_>, query_id: &str) -> Reply {
    let store = ctx.form.get("store").unwrap_or("").trim().to_owned();
    match ctx
        .call(Operation::CancelQuery, json!({ "QueryId": query_id }))
        .await
    {
        Ok(_) => Reply::Redirect(query_href(
            query_id,
            &store,
            &[("done", "The query was cancelled.")],
        )),
        Err(error) => ctx.api_error_page(Section::Lake, &error),
    }
}

fn text(value: &Value, key: &str) -> String {
    match value.get(key) {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Number(number)) => number.to_string(),
        _ => String::new(),
    }
}

fn time_text(seconds: Option<&Value>) -> String {
    seconds
        .and_then(Value::as_f64)
        .and_then(Timestamp::from_epoch_seconds_f64)
        .map(display_time)
        .unwrap_or_default()
}

fn count_text(value: Option<&Value>) -> String {
    format_count(value.and_then(Value::as_u64).unwrap_or(0))
}

/// Bytes as people read them: `512 bytes`, `1.5 MB (1,572,864 bytes)`.
fn bytes_text(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["KB", "MB", "GB", "TB", "PB"];
    if bytes < 1024 {
        return format!("{} bytes", format_count(bytes));
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {} ({} bytes)", UNITS[unit], format_count(bytes))
}

/// Milliseconds as people read them: `850 ms`, `2.35 s`.
fn millis_text(millis: i64) -> String {
    if millis < 1000 {
        format!("{millis} ms")
    } else {
        format!("{:.2} s", millis as f64 / 1000.0)
    }
}

/// One page of results: column names (from the first row) and rows.
struct ResultPage {
    columns: Vec<String>,
    rows: Vec<Vec<Option<String>>>,
    total: u64,
    status: String,
    next_token: Option<String>,
}

/// Reads a `GetQueryResults` answer.
fn result_page(answer: &Value) -> ResultPage {
    let raw_rows = answer
        .get("QueryResultRows")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut columns: Vec<String> = Vec::new();
    let mut rows = Vec::with_capacity(raw_rows.len());
    for (index, raw) in raw_rows.iter().enumerate() {
        let cells = raw.as_array().map(Vec::as_slice).unwrap_or_default();
        let mut row = Vec::with_capacity(cells.len());
        for cell in cells {
            let Some((name, value)) = cell.as_object().and_then(|cell| cell.iter().next()) else {
                row.push(None);
                continue;
            };
            if index == 0 {
                columns.push(name.clone());
            }
            row.push(match value {
                Value::Null => None,
                Value::String(text) => Some(text.clone()),
                other => Some(other.to_string()),
            });
        }
        rows.push(row);
    }
    let statistics = answer.get("QueryStatistics");
    ResultPage {
        columns,
        rows,
        total: statistics
            .and_then(|statistics| statistics.get("TotalResultsCount"))
            .and_then(Value::as_u64)
            .unwrap_or(0),
        status: text(answer, "QueryStatus"),
        next_token: answer
            .get("NextToken")
            .and_then(Value::as_str)
            .map(str::to_owned),
    }
}

async fn results(
    ctx: &Ctx<'_>,
    query_id: &str,
    max: usize,
    token: Option<&str>,
) -> Result<ResultPage, ApiError> {
    let mut request = json!({ "QueryId": query_id, "MaxQueryResults": max });
    if let Some(token) = token {
        request["NextToken"] = Value::String(token.to_owned());
    }
    let answer = ctx.call(Operation::GetQueryResults, request).await?;
    Ok(result_page(&answer))
}

/// `GET /console/lake/queries/{queryId}`.
async fn query(ctx: &Ctx<'_>, query_id: &str) -> Reply {
    let store = ctx.query.get("store").unwrap_or("").trim().to_owned();
    let described = match ctx
        .call(Operation::DescribeQuery, json!({ "QueryId": query_id }))
        .await
    {
        Ok(answer) => answer,
        Err(error) => return ctx.api_error_page(Section::Lake, &error),
    };
    let status = text(&described, "QueryStatus");
    let sql = text(&described, "QueryString");
    let statistics = described
        .get("QueryStatistics")
        .cloned()
        .unwrap_or(Value::Null);
    let mut facts = vec![
        (
            String::from("Events matched"),
            count_text(statistics.get("EventsMatched")),
        ),
        (
            String::from("Events scanned"),
            count_text(statistics.get("EventsScanned")),
        ),
        (
            String::from("Bytes scanned"),
            bytes_text(
                statistics
                    .get("BytesScanned")
                    .and_then(Value::as_u64)
                    .unwrap_or(0),
            ),
        ),
        (
            String::from("Execution time"),
            millis_text(
                statistics
                    .get("ExecutionTimeInMillis")
                    .and_then(Value::as_i64)
                    .unwrap_or(0),
            ),
        ),
        (
            String::from("Created"),
            time_text(statistics.get("CreationTime")),
        ),
    ];
    let delivery = text(&described, "DeliveryS3Uri");
    if !delivery.is_empty() {
        let delivery_status = text(&described, "DeliveryStatus");
        facts.push((
            String::from("Results delivered to"),
            format!("{delivery} ({delivery_status})"),
        ));
    }
    let error_message = Some(text(&described, "ErrorMessage")).filter(|text| !text.is_empty());
    let mut view = QueryPage {
        csrf: ctx.csrf().to_owned(),
        query_id: text(&described, "QueryId"),
        store: store.clone(),
        status: status.clone(),
        facts,
        error_message,
        edit_href: editor_href(&store, &[("sql", &sql)]),
        sql,
        ..QueryPage::default()
    };
    if view.query_id.is_empty() {
        view.query_id = query_id.to_owned();
    }
    view.can_cancel = view.running() && !ctx.user().read_only;
    if status == "FINISHED" {
        match finished_results(ctx, query_id, &store).await {
            Ok(results) => view.results = Some(results),
            Err(error) => view.results_error = Some(api_error_text(&error)),
        }
    }
    let notice = ctx
        .query
        .get("done")
        .map(|done| Notice::Done(done.to_owned()));
    ctx.page(
        "Lake query",
        Section::Lake,
        notice.as_ref(),
        &lake::query_page(&view),
    )
}

/// The results panel of a finished query: this page of rows (paged like the event
/// history: `token` is this page's `NextToken`, `back` the tokens of the pages before it)
/// and the chart of the first rows.
async fn finished_results(
    ctx: &Ctx<'_>,
    query_id: &str,
    store: &str,
) -> Result<ResultsView, ApiError> {
    let token = ctx.query.get("token").filter(|token| !token.is_empty());
    let back: Vec<&str> = ctx.query.all("back").collect();
    let page = results(ctx, query_id, RESULTS_PAGE, token).await?;
    let numeric = numeric_columns(&page.columns, &page.rows);
    let mut view = ResultsView {
        first_row: back.len() * RESULTS_PAGE + 1,
        total: page.total,
        csv_href: format!("/console/lake/queries/{}.csv", query_value(query_id)),
        max_download: MAX_DOWNLOAD_ROWS,
        ..ResultsView::default()
    };
    let mut place: Vec<(&str, String)> = Vec::new();
    if !store.is_empty() {
        place.push(("store", store.to_owned()));
    }
    let chart_choice = chart_params(ctx);
    let page_href = |pairs: &[(&str, String)]| {
        let mut all: Vec<(&str, &str)> = place
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .collect();
        all.extend(pairs.iter().map(|(name, value)| (*name, value.as_str())));
        all.extend(
            chart_choice
                .iter()
                .map(|(name, value)| (*name, value.as_str())),
        );
        query_href(query_id, "", &all)
    };
    if let Some(next) = &page.next_token {
        let mut pairs: Vec<(&str, String)> = back
            .iter()
            .map(|token| ("back", (*token).to_owned()))
            .collect();
        pairs.push(("back", token.unwrap_or("").to_owned()));
        pairs.push(("token", next.clone()));
        view.next_href = Some(page_href(&pairs));
    }
    if let Some((previous, earlier)) = back.split_last() {
        let mut pairs: Vec<(&str, String)> = earlier
            .iter()
            .map(|token| ("back", (*token).to_owned()))
            .collect();
        if !previous.is_empty() {
            pairs.push(("token", (*previous).to_owned()));
        }
        view.previous_href = Some(page_href(&pairs));
    }

    // The chart draws the first rows: this page when it is the first and holds them all,
    // else a page of its own.
    let chart_rows = if token.is_none() && page.next_token.is_none() {
        None
    } else {
        Some(results(ctx, query_id, CHART_ROWS, None).await?)
    };
    let (chart_columns, chart_data) = match &chart_rows {
        Some(chart_page) => (&chart_page.columns, &chart_page.rows),
        None => (&page.columns, &page.rows),
    };
    if !chart_columns.is_empty() {
        let mut hidden: Vec<(String, String)> = place
            .iter()
            .map(|(name, value)| ((*name).to_owned(), value.clone()))
            .collect();
        for earlier in &back {
            hidden.push((String::from("back"), (*earlier).to_owned()));
        }
        if let Some(token) = token {
            hidden.push((String::from("token"), token.to_owned()));
        }
        view.chart = Some(chart_view(
            ctx,
            query_href(query_id, "", &[]),
            hidden,
            chart_columns,
            chart_data,
            page.total,
        ));
    }
    view.columns = page.columns;
    view.numeric = numeric;
    view.rows = page.rows;
    Ok(view)
}

/// The chart parameters of the URL, to carry into paging links.
fn chart_params(ctx: &Ctx<'_>) -> Vec<(&'static str, String)> {
    let mut pairs = Vec::new();
    if let Some(kind) = ctx.query.get("chart") {
        pairs.push(("chart", kind.to_owned()));
    }
    if let Some(label) = ctx.query.get("x") {
        pairs.push(("x", label.to_owned()));
    }
    for value in ctx.query.all("y") {
        pairs.push(("y", value.to_owned()));
    }
    pairs
}

/// Whether a result value reads as a number.
fn is_numeric(value: &str) -> bool {
    let value = value.trim();
    !value.is_empty()
        && value
            .bytes()
            .all(|byte| byte.is_ascii_digit() || b"+-.eE".contains(&byte))
        && value.parse::<f64>().is_ok_and(f64::is_finite)
}

/// For each column, whether it is numeric: at least one value, and every non-NULL value a
/// number.
fn numeric_columns(columns: &[String], rows: &[Vec<Option<String>>]) -> Vec<bool> {
    (0..columns.len())
        .map(|index| {
            let mut seen = false;
            for row in rows {
                match row.get(index) {
                    Some(Some(value)) if is_numeric(value) => seen = true,
                    Some(Some(_)) => return false,
                    _ => {}
                }
            }
            seen
        })
        .collect()
}

/// What a chart draws: the label column and the value columns (indexes).
#[derive(Debug, Clone, PartialEq, Eq)]
struct ChartColumns {
    label: usize,
    values: Vec<usize>,
}

/// The chart drawn when the URL does not choose: the first text column as labels and the
/// first numeric column as values; with no text column, the first column as labels and
/// the next numeric one as values. `None` when nothing numeric is left to draw.
fn default_chart_columns(numeric: &[bool]) -> Option<ChartColumns> {
    let label = numeric
        .iter()
        .position(|is_numeric| !is_numeric)
        .unwrap_or(0);
    let value = numeric
        .iter()
        .enumerate()
        .position(|(index, is_numeric)| *is_numeric && index != label)?;
    Some(ChartColumns {
        label,
        values: vec![value],
    })
}

/// The chart the URL asks for (`x` a column, `y` numeric columns), falling back to the
/// default for what it does not name or names wrongly.
fn chosen_chart_columns(
    columns: &[String],
    numeric: &[bool],
    label: Option<&str>,
    values: &[&str],
) -> Option<ChartColumns> {
    let default = default_chart_columns(numeric);
    let label = label
        .and_then(|name| columns.iter().position(|column| column == name))
        .or(default.as_ref().map(|chosen| chosen.label))
        .unwrap_or(0);
    let mut chosen: Vec<usize> = Vec::new();
    for name in values {
        if let Some(index) = columns.iter().position(|column| column == name)
            && numeric.get(index).copied().unwrap_or(false)
            && index != label
            && !chosen.contains(&index)
        {
            chosen.push(index);
        }
    }
    if chosen.is_empty() {
        let fallback = numeric
            .iter()
            .enumerate()
            .position(|(index, is_numeric)| *is_numeric && index != label)?;
        chosen.push(fallback);
    }
    Some(ChartColumns {
        label,
        values: chosen,
    })
}

/// Whether a result value reads as a date or time (`2026-03-05`, `2026-03-05 02:00:00.000`).
fn is_time(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-'
        && bytes[8..10].iter().all(u8::is_ascii_digit)
}

/// A label as a chart shows it: times without zero seconds and fractions
/// (`2026-03-05 02:00:00.000` → `2026-03-05 02:00`), so they fit under the axis.
fn chart_label(text: &str) -> String {
    if !is_time(text) {
        return text.to_owned();
    }
    let mut short = text;
    if let Some((whole, fraction)) = short.rsplit_once('.')
        && fraction.bytes().all(|byte| byte == b'0')
    {
        short = whole;
    }
    if short.len() == 19 && short.ends_with(":00") {
        short = &short[..16];
    }
    short.to_owned()
}

/// Lines when the labels are times (a series over time), else bars.
fn default_chart_kind(rows: &[Vec<Option<String>>], chosen: Option<&ChartColumns>) -> ChartKind {
    let Some(chosen) = chosen else {
        return ChartKind::Bar;
    };
    let mut labels = rows
        .iter()
        .filter_map(|row| row.get(chosen.label).and_then(Option::as_deref))
        .peekable();
    if labels.peek().is_some() && labels.all(is_time) {
        ChartKind::Line
    } else {
        ChartKind::Bar
    }
}

fn number(value: Option<&Option<String>>) -> f64 {
    value
        .and_then(Option::as_deref)
        .and_then(|text| text.trim().parse::<f64>().ok())
        .unwrap_or(f64::NAN)
}

/// Draws `rows` as `kind`: one whole-number series of few rows as horizontal bars, other
/// bar charts as grouped columns, lines across the rows in their order.
fn build_chart(
    kind: ChartKind,
    columns: &[String],
    rows: &[Vec<Option<String>>],
    chosen: &ChartColumns,
) -> ResultChart {
    let label_name = columns.get(chosen.label).cloned().unwrap_or_default();
    let value_names: Vec<String> = chosen
        .values
        .iter()
        .map(|index| columns.get(*index).cloned().unwrap_or_default())
        .collect();
    let title = format!("{} by {label_name}", value_names.join(", "));
    let labels: Vec<String> = rows
        .iter()
        .map(|row| match row.get(chosen.label) {
            Some(Some(text)) => chart_label(text),
            _ => String::from("NULL"),
        })
        .collect();
    match kind {
        ChartKind::Line => ResultChart::Line(LineChart {
            title,
            series: chosen
                .values
                .iter()
                .zip(&value_names)
                .map(|(index, name)| LineSeries {
                    name: name.clone(),
                    points: rows
                        .iter()
                        .enumerate()
                        .map(|(at, row)| (at as f64, number(row.get(*index))))
                        .collect(),
                })
                .collect(),
            x_ticks: labels
                .iter()
                .enumerate()
                .map(|(at, label)| XTick {
                    x: at as f64,
                    label: label.clone(),
                })
                .collect(),
            baseline: None,
            windows: Vec::new(),
        }),
        ChartKind::Bar => {
            let whole = |value: f64| value >= 0.0 && value.fract() == 0.0 && value < 1.8e19;
            if let [index] = chosen.values.as_slice()
                && rows.len() <= MAX_BAR_ROWS
                && rows.iter().all(|row| whole(number(row.get(*index))))
            {
                return ResultChart::Bar(BarChart {
                    title,
                    items: rows
                        .iter()
                        .zip(labels)
                        .map(|(row, label)| BarItem {
                            label,
                            value: number(row.get(*index)) as u64,
                            href: None,
                        })
                        .collect(),
                });
            }
            ResultChart::Columns(ColumnChart {
                title,
                categories: labels,
                series: chosen
                    .values
                    .iter()
                    .zip(value_names)
                    .map(|(index, name)| ColumnSeries {
                        name,
                        values: rows.iter().map(|row| number(row.get(*index))).collect(),
                    })
                    .collect(),
            })
        }
    }
}

fn chart_view(
    ctx: &Ctx<'_>,
    action: String,
    hidden: Vec<(String, String)>,
    columns: &[String],
    rows: &[Vec<Option<String>>],
    total: u64,
) -> ResultChartView {
    let numeric = numeric_columns(columns, rows);
    let wanted: Vec<&str> = ctx.query.all("y").collect();
    let chosen = chosen_chart_columns(columns, &numeric, ctx.query.get("x"), &wanted);
    let kind = match ctx.query.get("chart").and_then(ChartKind::from_key) {
        Some(kind) => kind,
        None => default_chart_kind(rows, chosen.as_ref()),
    };
    let mut view = ResultChartView {
        action,
        hidden,
        kind,
        columns: columns.to_vec(),
        numeric_columns: columns
            .iter()
            .zip(&numeric)
            .filter(|(_, is_numeric)| **is_numeric)
            .map(|(name, _)| name.clone())
            .collect(),
        ..ResultChartView::default()
    };
    match chosen {
        Some(chosen) => {
            view.label_column = columns.get(chosen.label).cloned().unwrap_or_default();
            view.value_columns = chosen
                .values
                .iter()
                .filter_map(|index| columns.get(*index).cloned())
                .collect();
            view.chart = Some(build_chart(kind, columns, rows, &chosen));
            view.note = if (rows.len() as u64) < total {
                format!(
                    "The chart shows the first {} rows of {}.",
                    format_count(rows.len() as u64),
                    format_count(total)
                )
            } else {
                format!(
                    "The chart shows all {} rows.",
                    format_count(rows.len() as u64)
                )
            };
        }
        None => {
            view.label_column = columns.first().cloned().unwrap_or_default();
            view.note = String::from(
                "The results have no numeric column besides the labels, so there is nothing to chart.",
            );
        }
    }
    view
}

/// `GET /console/lake/queries/{queryId}.csv`.
async fn download(ctx: &Ctx<'_>, query_id: &str) -> Reply {
    let mut columns: Vec<String> = Vec::new();
    let mut rows: Vec<Vec<Option<String>>> = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page_size = (MAX_DOWNLOAD_ROWS - rows.len()).min(RESULTS_API_PAGE);
        let page = match results(ctx, query_id, page_size, token.as_deref()).await {
            Ok(page) => page,
            Err(error) => return ctx.api_error_page(Section::Lake, &error),
        };
        if page.status != "FINISHED" {
            return ctx.error_page(
                StatusCode::CONFLICT,
                Section::Lake,
                &format!(
                    "The query is {}; its results can be downloaded once it has finished.",
                    page.status
                ),
            );
        }
        if columns.is_empty() {
            columns = page.columns;
        }
        rows.extend(page.rows);
        token = page.next_token;
        if token.is_none() || rows.len() >= MAX_DOWNLOAD_ROWS {
            break;
        }
    }
    let body = if columns.is_empty() {
        Ok(Vec::new())
    } else {
        tokio::task::spawn_blocking(move || {
            opentrail_queries::results_csv(&columns, &rows).into_bytes()
        })
        .await
    };
    match body {
        Ok(body) => Reply::Download {
            content_type: "text/csv; charset=utf-8",
            file_name: format!("query_{}.csv", file_name_part(query_id)),
            body,
        },
        Err(error) => {
            tracing::error!(error = %error, "writing a query's CSV stopped");
            ctx.error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                Section::Lake,
                "The CSV could not be made.",
            )
        }
    }
}

/// `text` with only the characters safe in a download's file name.
fn file_name_part(text: &str) -> String {
    text.chars()
        .filter(|char| char.is_ascii_alphanumeric() || *char == '-' || *char == '_')
        .take(64)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    fn rows(rows: &[&[Option<&str>]]) -> Vec<Vec<Option<String>>> {
        rows.iter()
            .map(|row| row.iter().map(|value| value.map(str::to_owned)).collect())
            .collect()
    }

    #[test]
    fn numbers_are_detected_per_column_ignoring_nulls() {
        assert!(is_numeric("12"));
        assert!(is_numeric("-1.5e3"));
        assert!(is_numeric(" 0.25 "));
        assert!(!is_numeric(""));
        assert!(!is_numeric("NaN"));
        assert!(!is_numeric("inf"));
        assert!(!is_numeric("1e999"));
        assert!(!is_numeric("2026-03-05 02:14:00.000"));
        assert!(!is_numeric("0x10"));
        let columns = names(&["eventName", "events", "ratio", "empty", "mixed"]);
        let data = rows(&[
            &[
                Some("ConsoleLogin"),
                Some("12"),
                Some("0.5"),
                None,
                Some("3"),
            ],
            &[Some("GetObject"), Some("7"), None, None, Some("n/a")],
        ]);
        assert_eq!(
            numeric_columns(&columns, &data),
            [false, true, true, false, false]
        );
    }

    #[test]
    fn the_default_chart_is_the_first_text_column_by_the_first_numeric_one() {
        assert_eq!(
            default_chart_columns(&[true, false, true, true]),
            Some(ChartColumns {
                label: 1,
                values: vec![0]
            })
        );
        // All numeric: the first column labels the next.
        assert_eq!(
            default_chart_columns(&[true, true]),
            Some(ChartColumns {
                label: 0,
                values: vec![1]
            })
        );
        assert_eq!(default_chart_columns(&[false, false]), None);
        assert_eq!(default_chart_columns(&[true]), None);
        assert_eq!(default_chart_columns(&[]), None);
    }

    #[test]
    fn chosen_chart_columns_keep_only_numeric_values_other_than_the_label() {
        let columns = names(&["eventSource", "eventName", "apiCount", "errors"]);
        let numeric = [false, false, true, true];
        let chosen = chosen_chart_columns(
            &columns,
            &numeric,
            Some("eventName"),
            &["errors", "eventSource", "apiCount", "errors", "nope"],
        );
        assert_eq!(
            chosen,
            Some(ChartColumns {
                label: 1,
                values: vec![3, 2]
            })
        );
        // Unknown names fall back to the default.
        let chosen = chosen_chart_columns(&columns, &numeric, Some("nope"), &["nope"]);
        assert_eq!(
            chosen,
            Some(ChartColumns {
                label: 0,
                values: vec![2]
            })
        );
        // A numeric label column is allowed; the values are the other numeric columns.
        let chosen = chosen_chart_columns(&columns, &numeric, Some("apiCount"), &[]);
        assert_eq!(
            chosen,
            Some(ChartColumns {
                label: 2,
                values: vec![3]
            })
        );
        assert_eq!(
            chosen_chart_columns(&names(&["a"]), &[false], None, &["a"]),
            None
        );
    }

    #[test]
    fn times_as_labels_make_a_line_chart_by_default() {
        assert!(is_time("2026-03-05"));
        assert!(is_time("2026-03-05 02:00:00.000"));
        assert!(!is_time("20260305"));
        assert!(!is_time("ConsoleLogin"));
        assert_eq!(chart_label("2026-03-05 02:00:00.000"), "2026-03-05 02:00");
        assert_eq!(
            chart_label("2026-03-05 02:00:30.000"),
            "2026-03-05 02:00:30"
        );
        assert_eq!(
            chart_label("2026-03-05 02:00:00.250"),
            "2026-03-05 02:00:00.250"
        );
        assert_eq!(chart_label("2026-03-05"), "2026-03-05");
        assert_eq!(chart_label("a.000"), "a.000");
        let chosen = ChartColumns {
            label: 0,
            values: vec![1],
        };
        let hours = rows(&[
            &[Some("2026-03-05 00:00:00.000"), Some("4")],
            &[None, Some("1")],
            &[Some("2026-03-05 01:00:00.000"), Some("5")],
        ]);
        assert_eq!(default_chart_kind(&hours, Some(&chosen)), ChartKind::Line);
        let names = rows(&[&[Some("2026-03-05"), Some("4")], &[Some("x"), Some("1")]]);
        assert_eq!(default_chart_kind(&names, Some(&chosen)), ChartKind::Bar);
        assert_eq!(default_chart_kind(&[], Some(&chosen)), ChartKind::Bar);
        assert_eq!(default_chart_kind(&hours, None), ChartKind::Bar);
    }

    #[test]
    fn bar_charts_become_columns_for_fractions_or_several_series() {
        let columns = names(&["eventName", "events", "share"]);
        let data = rows(&[
            &[Some("ConsoleLogin"), Some("12"), Some("0.5")],
            &[None, Some("7"), Some("0.25")],
        ]);
        let one = ChartColumns {
            label: 0,
            values: vec![1],
        };
        match build_chart(ChartKind::Bar, &columns, &data, &one) {
            ResultChart::Bar(bars) => {
                assert_eq!(bars.title, "events by eventName");
                assert_eq!(bars.items[1].label, "NULL");
                assert_eq!(bars.items[0].value, 12);
            }
            other => panic!("{other:?}"),
        }
        let fraction = ChartColumns {
            label: 0,
            values: vec![2],
        };
        assert!(matches!(
            build_chart(ChartKind::Bar, &columns, &data, &fraction),
            ResultChart::Columns(_)
        ));
        let both = ChartColumns {
            label: 0,
            values: vec![1, 2],
        };
        match build_chart(ChartKind::Line, &columns, &data, &both) {
            ResultChart::Line(lines) => {
                assert_eq!(lines.series.len(), 2);
                assert_eq!(lines.series[1].points, [(0.0, 0.5), (1.0, 0.25)]);
                assert_eq!(lines.x_ticks[0].label, "ConsoleLogin");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn results_are_read_in_column_order_with_nulls() {
        let answer = json!({
            "QueryStatus": "FINISHED",
            "QueryStatistics": { "ResultsCount": 2, "TotalResultsCount": 9, "BytesScanned": 10 },
            "QueryResultRows": [
                [{ "eventName": "A" }, { "events": "3" }],
                [{ "eventName": null }, { "events": "1" }],
            ],
            "NextToken": "t",
        });
        let page = result_page(&answer);
        assert_eq!(page.columns, ["eventName", "events"]);
        assert_eq!(page.rows[1], [None, Some(String::from("1"))]);
        assert_eq!(page.total, 9);
        assert_eq!(page.next_token.as_deref(), Some("t"));
    }

    #[test]
    fn samples_name_the_store_and_the_past_week() {
        let now = Timestamp::parse_event_time("2026-03-08T10:30:00Z").unwrap();
        let sql = sample_sql(0, "abc-123", now).unwrap();
        assert!(sql.contains("FROM abc-123"), "{sql}");
        assert!(sql.contains("eventTime > '2026-03-01 00:00:00'"), "{sql}");
        for index in 0..SAMPLES.len() {
            let sql = sample_sql(index, "s", now).unwrap();
            assert!(!sql.contains('{'), "{sql}");
            assert!(sql.chars().count() <= super::super::saved::MAX_SQL_CHARS);
        }
        assert!(sample_sql(SAMPLES.len(), "s", now).is_none());
        assert!(default_sql("").contains(STORE_PLACEHOLDER));
    }

    #[test]
    fn the_picked_store_is_the_asked_one_else_the_first_enabled() {
        let store = |id: &str, status: &str| StoreOption {
            id: id.to_owned(),
            name: id.to_owned(),
            status: status.to_owned(),
        };
        let stores = [
            store("a", "STOPPED_INGESTION"),
            store("b", "ENABLED"),
            store("c", "ENABLED"),
        ];
        assert_eq!(pick_store(&stores, "c"), "c");
        assert_eq!(pick_store(&stores, ""), "b");
        assert_eq!(pick_store(&stores, "zzz"), "b");
        assert_eq!(pick_store(&stores[..1], ""), "a");
        assert_eq!(pick_store(&[], "x"), "");
    }

    #[test]
    fn sizes_and_durations_read_well() {
        assert_eq!(bytes_text(512), "512 bytes");
        assert_eq!(bytes_text(1_572_864), "1.5 MB (1,572,864 bytes)");
        assert_eq!(millis_text(850), "850 ms");
        assert_eq!(millis_text(2345), "2.35 s");
        assert_eq!(file_name_part("a/b\"c-1"), "abc-1");
    }
}
