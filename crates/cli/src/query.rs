//! `opentrail query`: one CloudTrail Lake SQL statement, run as a client of the query API
//! runs it: `StartQuery`, `DescribeQuery` until the query ends, then `GetQueryResults`
//! page by page.
//!
//! One code path, two transports. On a data directory (the server not running: the
//! command takes the directory's lock) the operations go through the API's own dispatch
//! (`opentrail_api::call`, what the server runs for a request), as the directory's admin
//! account (`admin.json`) in the config's Region. With `--endpoint-url` they go over
//! the wire as AWS JSON 1.1, signed with SigV4.
//!
//! Output on stdout in the chosen format (see [`QueryFormat`]). Column names come from the
//! result rows, so an empty result prints no header (CSV, table) or `[]` (JSON). Then one
//! statistics line on stderr:
//! `query <id> FINISHED: 3 of 3 rows, 1784 events matched, 1784 events scanned, 81920 bytes scanned, 42 ms`.
//!
//! Exit codes: 0 the query finished; 1 it timed out (the partial rows are printed); 2 an
//! error: a refused statement (in the aws CLI's words), a query that ended `FAILED` or
//! `CANCELLED` (with its `ErrorMessage`), an unreachable server.

use std::fmt;
use std::io::{Read, Write};
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use opentrail_api::{Operation, Scope, Services};
use opentrail_blob::S3Settings;
use opentrail_server::{Config, Engine};
use opentrail_sigv4::{Credentials, SigningParams};
use opentrail_types::{Clock, SystemClock};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Outcome;
use crate::cli::{QueryArgs, QueryFormat};
use crate::engine::load_config;

/// CloudTrail's JSON 1.1 target prefix.
const TARGET_PREFIX: &str = "CloudTrail_20131101";
/// Rows asked for per `GetQueryResults` page (the API's maximum).
const PAGE_ROWS: u64 = 1000;
/// Largest response body read: a page of 1000 rows of whole records fits.
const MAX_RESPONSE_BYTES: usize = 512 << 20;
/// Longest wait between two `DescribeQuery` calls.
const MAX_POLL_INTERVAL: Duration = Duration::from_millis(500);

/// An error answer of the service, worded as the aws CLI words a `ClientError`.
#[derive(Debug)]
pub struct ServiceError {
    /// The operation called.
    pub operation: &'static str,
    /// The error code (`InvalidQueryStatementException`).
    pub code: String,
    /// The message.
    pub message: String,
}

impl fmt::Display for ServiceError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "An error occurred ({}) when calling the {} operation: {}",
            self.code, self.operation, self.message
        )
    }
}

impl std::error::Error for ServiceError {}

/// How the query operations reach CloudTrail Lake.
trait Transport {
    /// Calls `operation` with the JSON `body`; returns the JSON answer.
    fn call(&self, operation: &'static str, body: &Value) -> anyhow::Result<Value>;
}

/// The account and Region a command acts as on a data directory: the admin account of
/// `admin.json` and the config's Region (where `opentrail serve` creates stores).
///
/// # Errors
///
/// `admin.json` is missing or unreadable.
pub fn admin_scope(engine: &Engine) -> anyhow::Result<Scope> {
    #[derive(Deserialize)]
    struct AdminFile {
        account_id: String,
    }
    let path = engine.root().join(opentrail_server::principals::ADMIN_FILE);
    let text = match std::fs::read(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => bail!(
            "`{}` is missing: the data directory has no admin account yet (run `opentrail serve` on it once)",
            path.display()
        ),
        Err(error) => {
            return Err(error).with_context(|| format!("cannot read `{}`", path.display()));
        }
    };
    let admin: AdminFile = serde_json::from_slice(&text)
        .with_context(|| format!("`{}` is damaged", path.display()))?;
    Ok(Scope {
        account_id: admin.account_id,
        region: engine.config.region.clone(),
    })
}

/// The operations run in this process on an open data directory.
struct Local {
    engine: Engine,
    scope: Scope,
}

impl Transport for Local {
    fn call(&self, operation: &'static str, body: &Value) -> anyhow::Result<Value> {
        let Some(known) = Operation::from_name(operation) else {
            bail!("internal error: `{operation}` is no CloudTrail operation");
        };
        let lake = &self.engine.lake_system;
        let services = Services {
            history: &self.engine.history,
            trails: &self.engine.trails,
            lake: &self.engine.lake,
            buckets: &self.engine.buckets,
            topics: &opentrail_trails::NoTopics,
            keys: &self.engine.keys,
            queries: lake.queries(),
            statements: lake.checker(),
            imports: lake.imports(),
            import_launcher: lake.as_ref(),
            insights: self.engine.insights.as_ref(),
            now: SystemClock.now(),
        };
        let request = serde_json::to_vec(body)?;
        match opentrail_api::call(services, &self.scope, known, &request) {
            Ok(answer) => serde_json::from_slice(&answer)
                .with_context(|| format!("internal error: the {operation} answer is not JSON")),
            Err(error) => Err(ServiceError {
                operation,
                code: error.code.to_string(),
                message: error.message,
            }
            .into()),
        }
    }
}

/// The operations sent to a server.
struct Wire {
    runtime: tokio::runtime::Runtime,
    http: reqwest::Client,
    url: String,
    region: String,
    credentials: Credentials,
}

impl Wire {
    fn new(endpoint: &str, args: &QueryArgs, config: &Config) -> anyhow::Result<Wire> {
        let settings =
            S3Settings::from_env(std::env::vars().filter(|(_, value)| !value.is_empty()))
                .context("cannot read the AWS settings")?;
        let region = args
            .region
            .clone()
            .or_else(|| settings.region.clone())
            .unwrap_or_else(|| config.region.clone());
        let credentials = match credentials_of(&settings) {
            Some(credentials) => credentials,
            None => data_dir_credentials(config)?,
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("cannot start an async runtime")?;
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(30))
            .timeout(Duration::from_secs(300))
            .build()
            .context("cannot build an HTTP client")?;
        // botocore posts to the endpoint with `/` as path when it has none.
        let after_scheme = endpoint.find("://").map_or(0, |at| at + 3);
        let url = if endpoint[after_scheme..].contains('/') {
            endpoint.to_owned()
        } else {
            format!("{endpoint}/")
        };
        Ok(Wire {
            runtime,
            http,
            url,
            region,
            credentials,
        })
    }

    async fn send(&self, request: reqwest::Request) -> reqwest::Result<(u16, Vec<u8>)> {
        let mut response = self.http.execute(request).await?;
        let status = response.status().as_u16();
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > MAX_RESPONSE_BYTES {
                break;
            }
        }
        Ok((status, bytes))
    }
}

impl Transport for Wire {
    fn call(&self, operation: &'static str, body: &Value) -> anyhow::Result<Value> {
        let body = serde_json::to_vec(body)?;
        let request = http::Request::post(self.url.as_str())
            .header(http::header::CONTENT_TYPE, "application/x-amz-json-1.1")
            .header("x-amz-target", format!("{TARGET_PREFIX}.{operation}"))
            .body(())
            .with_context(|| format!("invalid endpoint URL `{}`", self.url))?;
        let (mut parts, ()) = request.into_parts();
        let params = SigningParams {
            credentials: &self.credentials,
            region: &self.region,
            service: "cloudtrail",
            epoch_ms: SystemClock.now().as_millis(),
        };
        opentrail_sigv4::sign(&mut parts, &body, &params)
            .with_context(|| format!("cannot sign the {operation} request"))?;
        let request = reqwest::Request::try_from(http::Request::from_parts(parts, body))
            .with_context(|| format!("invalid endpoint URL `{}`", self.url))?;
        let (status, bytes) = self
            .runtime
            .block_on(self.send(request))
            .with_context(|| format!("could not connect to the endpoint URL `{}`", self.url))?;
        if bytes.len() > MAX_RESPONSE_BYTES {
            bail!("the {operation} answer is larger than {MAX_RESPONSE_BYTES} bytes");
        }
        if (200..300).contains(&status) {
            return serde_json::from_slice(&bytes)
                .with_context(|| format!("the {operation} answer is not JSON"));
        }
        let (code, message) = error_code_and_message(&bytes, status);
        Err(ServiceError {
            operation,
            code,
            message,
        }
        .into())
    }
}

fn credentials_of(settings: &S3Settings) -> Option<Credentials> {
    let (Some(access), Some(secret)) = (&settings.access_key_id, &settings.secret_access_key)
    else {
        return None;
    };
    let credentials = Credentials::new(access.clone(), secret.clone());
    Some(match &settings.session_token {
        Some(token) => credentials.with_session_token(token.clone()),
        None => credentials,
    })
}

/// The admin key of the data directory's `credentials` file (profile `default`).
fn data_dir_credentials(config: &Config) -> anyhow::Result<Credentials> {
    let path = config
        .data_dir
        .join(opentrail_server::principals::CREDENTIALS_FILE);
    let found = path
        .try_exists()
        .with_context(|| format!("cannot look for `{}`", path.display()))?;
    if !found {
        bail!(
            "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, \
             or give --data-dir with the server's data directory (its `credentials` file); `{}` does not exist",
            path.display()
        );
    }
    let file = path.to_string_lossy().into_owned();
    let vars = [
        ("AWS_SHARED_CREDENTIALS_FILE".to_owned(), file.clone()),
        ("AWS_CONFIG_FILE".to_owned(), file),
    ];
    let settings =
        S3Settings::from_env(vars).with_context(|| format!("cannot read `{}`", path.display()))?;
    credentials_of(&settings).ok_or_else(|| {
        anyhow!(
            "`{}` holds no access key in its `default` profile",
            path.display()
        )
    })
}

/// Reads a JSON 1.1 error as botocore does: the code from `__type` (after a `#`, before a
/// `:`), else the HTTP status; the message from `message` or `Message`.
fn error_code_and_message(body: &[u8], status: u16) -> (String, String) {
    let parsed: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let code = match parsed.get("__type").and_then(Value::as_str) {
        Some(raw) => {
            let after_hash = raw.rsplit('#').next().unwrap_or(raw);
            after_hash
                .split(':')
                .next()
                .unwrap_or(after_hash)
                .to_owned()
        }
        None => status.to_string(),
    };
    let message = parsed
        .get("message")
        .or_else(|| parsed.get("Message"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    (code, message)
}

/// `QueryStatistics` of DescribeQuery, as far as printed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct Statistics {
    events_matched: u64,
    events_scanned: u64,
    bytes_scanned: u64,
    execution_time_in_millis: i64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Described {
    query_status: String,
    #[serde(default)]
    query_statistics: Statistics,
    #[serde(default)]
    error_message: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct ResultsStatistics {
    total_results_count: u64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ResultsPage {
    #[serde(default)]
    query_statistics: ResultsStatistics,
    #[serde(default)]
    query_result_rows: Vec<Vec<serde_json::Map<String, Value>>>,
    #[serde(default)]
    next_token: Option<String>,
}

/// A query that ended, with the rows fetched.
#[derive(Debug, Default)]
struct Execution {
    query_id: String,
    status: String,
    error_message: Option<String>,
    statistics: Statistics,
    /// Column names, from the first row (`None` without rows).
    columns: Option<Vec<String>>,
    rows: Vec<Vec<Option<String>>>,
    total_rows: u64,
}

/// Starts `statement`, waits for the end (sleeping with `sleep` between polls), and
/// fetches up to `max_rows` rows of a finished or timed-out query.
fn execute(
    transport: &dyn Transport,
    statement: &str,
    max_rows: Option<u64>,
    sleep: &mut dyn FnMut(Duration),
) -> anyhow::Result<Execution> {
    let started = transport.call("StartQuery", &json!({ "QueryStatement": statement }))?;
    let Some(query_id) = started.get("QueryId").and_then(Value::as_str) else {
        bail!("the StartQuery answer has no `QueryId`: {started}");
    };
    let query_id = query_id.to_owned();
    let mut interval = Duration::from_millis(20);
    let described: Described = loop {
        let answer = transport.call("DescribeQuery", &json!({ "QueryId": query_id }))?;
        let described: Described = serde_json::from_value(answer)
            .context("the DescribeQuery answer is not the shape expected")?;
        if !matches!(described.query_status.as_str(), "QUEUED" | "RUNNING") {
            break described;
        }
        sleep(interval);
        interval = (interval * 2).min(MAX_POLL_INTERVAL);
    };
    let mut execution = Execution {
        query_id: query_id.clone(),
        status: described.query_status,
        error_message: described.error_message,
        statistics: described.query_statistics,
        ..Execution::default()
    };
    if !matches!(execution.status.as_str(), "FINISHED" | "TIMED_OUT") {
        return Ok(execution);
    }
    let limit = max_rows.unwrap_or(u64::MAX);
    let mut next_token: Option<String> = None;
    loop {
        let wanted = limit.saturating_sub(execution.rows.len() as u64);
        let mut request = json!({
            "QueryId": query_id,
            "MaxQueryResults": wanted.clamp(1, PAGE_ROWS),
        });
        if let Some(token) = &next_token {
            request["NextToken"] = Value::String(token.clone());
        }
        let answer = transport.call("GetQueryResults", &request)?;
        let page: ResultsPage = serde_json::from_value(answer)
            .context("the GetQueryResults answer is not the shape expected")?;
        execution.total_rows = page.query_statistics.total_results_count;
        for row in page.query_result_rows {
            if execution.rows.len() as u64 >= limit {
                break;
            }
            let (names, values) = split_row(row);
            execution.columns.get_or_insert(names);
            execution.rows.push(values);
        }
        next_token = page.next_token;
        if next_token.is_none() || execution.rows.len() as u64 >= limit {
            break;
        }
    }
    Ok(execution)
}

/// Splits a `QueryResultRows` row (one-member objects, in column order) into the column
/// names and the values; a non-string value keeps its JSON text.
fn split_row(row: Vec<serde_json::Map<String, Value>>) -> (Vec<String>, Vec<Option<String>>) {
    let mut names = Vec::with_capacity(row.len());
    let mut values = Vec::with_capacity(row.len());
    for cell in row {
        for (name, value) in cell {
            names.push(name);
            values.push(match value {
                Value::Null => None,
                Value::String(text) => Some(text),
                other => Some(other.to_string()),
            });
        }
    }
    (names, values)
}

fn read_statement(args: &QueryArgs) -> anyhow::Result<String> {
    let text = match (&args.statement, &args.file) {
        (Some(statement), _) => statement.clone(),
        (None, Some(path)) if path.as_os_str() == "-" => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("cannot read the statement from standard input")?;
            text
        }
        (None, Some(path)) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the statement from `{}`", path.display()))?,
        (None, None) => bail!("give the SQL statement or --file"),
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        bail!("the SQL statement is empty");
    }
    Ok(trimmed.to_owned())
}

pub fn run(args: QueryArgs) -> anyhow::Result<Outcome> {
    let statement = read_statement(&args)?;
    let config = load_config(&args.store)?;
    let execution = match &args.endpoint_url {
        Some(endpoint) => {
            let wire = Wire::new(endpoint, &args, &config)?;
            execute(&wire, &statement, args.max_rows, &mut std::thread::sleep)?
        }
        None => {
            let engine = Engine::open_existing(config, std::sync::Arc::new(SystemClock))?;
            let scope = match admin_scope(&engine) {
                Ok(scope) => scope,
                Err(error) => {
                    engine.close();
                    return Err(error);
                }
            };
            let local = Local { engine, scope };
            let result = execute(&local, &statement, args.max_rows, &mut std::thread::sleep);
            local.engine.close();
            result?
        }
    };
    let mut out = std::io::stdout().lock();
    write_rows(&mut out, args.format, &execution)?;
    out.flush()?;
    drop(out);
    writeln!(std::io::stderr().lock(), "{}", statistics_line(&execution))?;
    match execution.status.as_str() {
        "FINISHED" => Ok(Outcome::Success),
        "TIMED_OUT" => Ok(Outcome::Problems),
        status => Err(anyhow!(
            "query `{}` ended {status}: {}",
            execution.query_id,
            execution
                .error_message
                .as_deref()
                .unwrap_or("no error message")
        )),
    }
}

fn statistics_line(execution: &Execution) -> String {
    let statistics = &execution.statistics;
    format!(
        "query {} {}: {} of {} rows, {} events matched, {} events scanned, {} bytes scanned, {} ms",
        execution.query_id,
        execution.status,
        execution.rows.len(),
        execution.total_rows,
        statistics.events_matched,
        statistics.events_scanned,
        statistics.bytes_scanned,
        statistics.execution_time_in_millis
    )
}

fn write_rows(
    out: &mut impl Write,
    format: QueryFormat,
    execution: &Execution,
) -> anyhow::Result<()> {
    let rows = &execution.rows;
    match (format, &execution.columns) {
        (QueryFormat::Json, columns) => write_json(out, columns.as_deref().unwrap_or(&[]), rows)?,
        (_, None) => {}
        (QueryFormat::Table, Some(columns)) => write_table(out, columns, rows)?,
        (QueryFormat::Csv, Some(columns)) => write_csv(out, columns, rows)?,
    }
    Ok(())
}

/// What the table shows for a SQL NULL.
const TABLE_NULL: &str = "NULL";

/// Columns separated by ` | `, padded to the widest value (in characters), a `-+-` rule
/// under the header.
fn write_table(
    out: &mut impl Write,
    columns: &[String],
    rows: &[Vec<Option<String>>],
) -> std::io::Result<()> {
    let cell = |value: &Option<String>| value.as_deref().unwrap_or(TABLE_NULL).to_owned();
    let mut widths: Vec<usize> = columns.iter().map(|name| name.chars().count()).collect();
    for row in rows {
        for (index, value) in row.iter().enumerate() {
            if let Some(width) = widths.get_mut(index) {
                *width = (*width).max(cell(value).chars().count());
            }
        }
    }
    let line = |texts: Vec<String>| {
        let padded: Vec<String> = texts
            .iter()
            .zip(&widths)
            .map(|(text, width)| format!("{text:<width$}"))
            .collect();
        padded.join(" | ").trim_end().to_owned()
    };
    writeln!(out, "{}", line(columns.to_vec()))?;
    let rule: Vec<String> = widths.iter().map(|width| "-".repeat(*width)).collect();
    writeln!(out, "{}", rule.join("-+-"))?;
    for row in rows {
        writeln!(out, "{}", line(row.iter().map(cell).collect()))?;
    }
    Ok(())
}

/// RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote, CR or LF (quotes
/// doubled). NULL is an empty field; an empty string is `""`, so the two stay apart.
fn write_csv(
    out: &mut impl Write,
    columns: &[String],
    rows: &[Vec<Option<String>>],
) -> std::io::Result<()> {
    let field = |text: &str| {
        if text.is_empty() || text.contains([',', '"', '\r', '\n']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_owned()
        }
    };
    let header: Vec<String> = columns.iter().map(|name| field(name)).collect();
    write!(out, "{}\r\n", header.join(","))?;
    for row in rows {
        let fields: Vec<String> = row
            .iter()
            .map(|value| value.as_deref().map(field).unwrap_or_default())
            .collect();
        write!(out, "{}\r\n", fields.join(","))?;
    }
    Ok(())
}

/// A JSON array, one object per row on its own line, members in column order (written
/// by hand: a map would sort them).
fn write_json(
    out: &mut impl Write,
    columns: &[String],
    rows: &[Vec<Option<String>>],
) -> anyhow::Result<()> {
    if rows.is_empty() {
        writeln!(out, "[]")?;
        return Ok(());
    }
    writeln!(out, "[")?;
    for (index, row) in rows.iter().enumerate() {
        let mut members = Vec::with_capacity(row.len());
        for (name, value) in columns.iter().zip(row) {
            members.push(format!(
                "{}: {}",
                serde_json::to_string(name)?,
                serde_json::to_string(value)?
            ));
        }
        let separator = if index + 1 < rows.len() { "," } else { "" };
        writeln!(out, "  {{{}}}{separator}", members.join(", "))?;
    }
    writeln!(out, "]")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    fn sample() -> (Vec<String>, Vec<Vec<Option<String>>>) {
        (
            vec!["eventName".to_owned(), "n".to_owned()],
            vec![
                vec![Some("ConsoleLogin".to_owned()), Some("12".to_owned())],
                vec![Some("a,\"b\"".to_owned()), None],
                vec![Some(String::new()), Some("3".to_owned())],
            ],
        )
    }

    #[test]
    fn table_aligns_columns_and_shows_null() {
        let (columns, rows) = sample();
        let mut out = Vec::new();
        write_table(&mut out, &columns, &rows).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "eventName    | n\n\
             -------------+-----\n\
             ConsoleLogin | 12\n\
             a,\"b\"        | NULL\n\
             \x20            | 3\n"
        );
    }

    #[test]
    fn csv_follows_rfc_4180_and_keeps_null_apart_from_empty() {
        let (columns, rows) = sample();
        let mut out = Vec::new();
        write_csv(&mut out, &columns, &rows).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "eventName,n\r\nConsoleLogin,12\r\n\"a,\"\"b\"\"\",\r\n\"\",3\r\n"
        );
    }

    #[test]
    fn json_keeps_column_order_and_nulls() {
        let columns = vec!["z".to_owned(), "a".to_owned()];
        let rows = vec![vec![Some("1".to_owned()), None]];
        let mut out = Vec::new();
        write_json(&mut out, &columns, &rows).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "[\n  {\"z\": \"1\", \"a\": null}\n]\n");
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed, json!([{"z": "1", "a": null}]));
        let mut empty = Vec::new();
        write_json(&mut empty, &[], &[]).unwrap();
        assert_eq!(empty, b"[]\n");
    }

    #[test]
    fn errors_read_like_botocore() {
        let body =
            br#"{"__type":"com.amazonaws#InvalidQueryStatementException:x","message":"bad"}"#;
        assert_eq!(
            error_code_and_message(body, 400),
            (
                "InvalidQueryStatementException".to_owned(),
                "bad".to_owned()
            )
        );
        assert_eq!(
            error_code_and_message(b"<html>", 502),
            ("502".to_owned(), String::new())
        );
    }

    /// A service that runs for two polls, then pages `rows` rows by the page size asked.
    struct Fake {
        calls: RefCell<Vec<(String, Value)>>,
        rows: u64,
    }

    impl Transport for Fake {
        fn call(&self, operation: &'static str, body: &Value) -> anyhow::Result<Value> {
            self.calls
                .borrow_mut()
                .push((operation.to_owned(), body.clone()));
            let polls = self
                .calls
                .borrow()
                .iter()
                .filter(|(name, _)| name == "DescribeQuery")
                .count();
            Ok(match operation {
                "StartQuery" => json!({"QueryId": "q1"}),
                "DescribeQuery" if polls < 3 => json!({"QueryStatus": "RUNNING"}),
                "DescribeQuery" => json!({
                    "QueryStatus": "FINISHED",
                    "QueryStatistics": {"EventsMatched": 5, "EventsScanned": 9, "BytesScanned": 100, "ExecutionTimeInMillis": 7}
                }),
                _ => {
                    let start: u64 = body["NextToken"].as_str().map_or(0, |t| t.parse().unwrap());
                    let size = body["MaxQueryResults"].as_u64().unwrap();
                    let end = (start + size).min(self.rows);
                    let rows: Vec<Value> = (start..end)
                        .map(|n| json!([{"n": n.to_string()}, {"x": null}]))
                        .collect();
                    let mut page = json!({
                        "QueryStatus": "FINISHED",
                        "QueryStatistics": {"ResultsCount": rows.len(), "TotalResultsCount": self.rows},
                        "QueryResultRows": rows,
                    });
                    if end < self.rows {
                        page["NextToken"] = json!(end.to_string());
                    }
                    page
                }
            })
        }
    }

    #[test]
    fn execute_polls_until_the_end_and_pages_to_the_row_limit() {
        let fake = Fake {
            calls: RefCell::new(Vec::new()),
            rows: 2500,
        };
        let mut slept = Vec::new();
        let all = execute(&fake, "SELECT 1", None, &mut |delay| slept.push(delay)).unwrap();
        assert_eq!(all.status, "FINISHED");
        assert_eq!(all.rows.len(), 2500);
        assert_eq!(all.total_rows, 2500);
        assert_eq!(all.columns.as_deref().unwrap(), ["n", "x"]);
        assert_eq!(all.rows[2499], [Some("2499".to_owned()), None]);
        assert_eq!(all.statistics.events_matched, 5);
        assert_eq!(
            slept,
            [Duration::from_millis(20), Duration::from_millis(40)]
        );
        let pages = fake
            .calls
            .borrow()
            .iter()
            .filter(|(name, _)| name == "GetQueryResults")
            .count();
        assert_eq!(pages, 3);

        let fake = Fake {
            calls: RefCell::new(Vec::new()),
            rows: 2500,
        };
        let some = execute(&fake, "SELECT 1", Some(1200), &mut |_| {}).unwrap();
        assert_eq!(some.rows.len(), 1200);
        assert_eq!(some.total_rows, 2500);
        let sizes: Vec<u64> = fake
            .calls
            .borrow()
            .iter()
            .filter(|(name, _)| name == "GetQueryResults")
            .map(|(_, body)| body["MaxQueryResults"].as_u64().unwrap())
            .collect();
        assert_eq!(sizes, [1000, 200]);
    }
}
