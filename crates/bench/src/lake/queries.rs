//! The four typical Lake queries, timed on the store's files with the SQL engine the
//! server runs (`opentrail-sql`, DataFusion, the server's default engine settings).

use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use opentrail_lakestore::StoreFiles;
use opentrail_sql::{CancelFlag, EngineConfig, QueryOutput, SqlEngine, StoreFile, StoreTable};
use opentrail_types::Timestamp;
use serde::Serialize;

use super::STORE_ID;

/// Results larger than this fail the query (none of the four comes near).
const RESULT_LIMIT_BYTES: usize = 1 << 30;

/// The queries, in CloudTrail Lake SQL: `{store}`, `{key}`, `{start}` and `{end}` are
/// filled in before they run. `bench/lake_duckdb.py` holds the same four for DuckDB.
const QUERIES: [(&str, &str); 4] = [
    (
        "count by eventName",
        "SELECT eventName, COUNT(*) AS events FROM {store} \
         GROUP BY eventName ORDER BY events DESC, eventName",
    ),
    (
        "top principals by errors",
        "SELECT userIdentity.arn AS principal, COUNT(*) AS errors FROM {store} \
         WHERE errorCode IS NOT NULL GROUP BY userIdentity.arn \
         ORDER BY errors DESC, principal LIMIT 20",
    ),
    (
        "one access key over 7 days",
        "SELECT eventTime, eventSource, eventName, awsRegion, sourceIPAddress, errorCode \
         FROM {store} WHERE userIdentity.accessKeyId = '{key}' \
         AND eventTime >= '{start}' AND eventTime < '{end}' ORDER BY eventTime",
    ),
    (
        "distinct source IPs per day",
        "SELECT date_trunc('day', eventTime) AS day, COUNT(DISTINCT sourceIPAddress) AS source_ips \
         FROM {store} GROUP BY date_trunc('day', eventTime) ORDER BY day",
    ),
];

/// The values picked from the data for the queries.
#[derive(Debug, Clone, Serialize)]
pub struct Parameters {
    /// The access key with the most events.
    pub access_key: String,
    /// Start of the 7-day window (inclusive), `YYYY-MM-DD HH:MM:SS` UTC.
    pub start: String,
    /// End of the window (exclusive).
    pub end: String,
}

/// One query's figures.
#[derive(Debug, Clone, Serialize)]
pub struct Timed {
    /// What it asks.
    pub name: String,
    /// The statement as run.
    pub sql: String,
    /// Wall time of each run (parse, plan, execute, render), milliseconds.
    pub runs_ms: Vec<f64>,
    /// Median of `runs_ms`.
    pub median_ms: f64,
    /// Least of `runs_ms`.
    pub min_ms: f64,
    /// Result rows.
    pub rows: usize,
    /// The sum of the last column when it is a count, else the row count: compared with
    /// DuckDB's.
    pub check: i64,
    /// `EventsScanned` of the last run.
    pub events_scanned: u64,
    /// `BytesScanned` of the last run.
    pub bytes_scanned: u64,
}

/// What [`run`] returns.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The values the queries were given.
    pub parameters: Parameters,
    /// Each query's figures, in order.
    pub queries: Vec<Timed>,
}

/// The store as the SQL engine sees it: the files of the manifest, as the server lists
/// them for a query.
pub fn tables(files: &StoreFiles) -> Vec<StoreTable> {
    vec![StoreTable {
        name: STORE_ID.to_owned(),
        schema: opentrail_columnar::schema(files.kind()),
        files: files
            .snapshot()
            .into_iter()
            .map(|file| StoreFile {
                location: object_store::path::Path::from(file.key),
                size: file.bytes,
                rows: file.rows,
                min_event_time_ms: file.min_ms,
                max_event_time_ms: file.max_ms,
            })
            .collect(),
    }]
}

/// Picks the parameters from the data, then runs each query `runs` times.
///
/// # Errors
///
/// The engine cannot be built, or a query failed.
pub async fn run(
    object_store: Arc<dyn object_store::ObjectStore>,
    tables: Vec<StoreTable>,
    runs: usize,
) -> anyhow::Result<Report> {
    let engine = SqlEngine::new(EngineConfig::default(), object_store)?;
    let parameters = parameters(&engine, &tables).await?;
    println!(
        "== lake queries ({runs} runs each; access key {}, window [{}, {}))",
        parameters.access_key, parameters.start, parameters.end
    );
    println!(
        "{:<30} {:>10} {:>10} {:>6} {:>12} {:>14} {:>12}",
        "query", "median ms", "min ms", "rows", "check", "EventsScanned", "BytesScanned"
    );
    let mut timed = Vec::new();
    for (name, template) in QUERIES {
        let sql = template
            .replace("{store}", STORE_ID)
            .replace("{key}", &parameters.access_key)
            .replace("{start}", &parameters.start)
            .replace("{end}", &parameters.end);
        let mut runs_ms = Vec::new();
        let mut last = None;
        for _ in 0..runs {
            let started = Instant::now();
            let output = query(&engine, &tables, &sql).await?;
            runs_ms.push(started.elapsed().as_secs_f64() * 1e3);
            last = Some(output);
        }
        let Some(output) = last else {
            bail!("no run of `{name}`");
        };
        let (median_ms, min_ms) = median_min(&runs_ms);
        let entry = Timed {
            name: name.to_owned(),
            sql,
            runs_ms,
            median_ms,
            min_ms,
            rows: output.rows.len(),
            check: check(&output),
            events_scanned: output.stats.events_scanned,
            bytes_scanned: output.stats.bytes_scanned,
        };
        println!(
            "{:<30} {:>10.1} {:>10.1} {:>6} {:>12} {:>14} {:>12}",
            entry.name,
            entry.median_ms,
            entry.min_ms,
            entry.rows,
            entry.check,
            entry.events_scanned,
            entry.bytes_scanned
        );
        timed.push(entry);
    }
    Ok(Report {
        parameters,
        queries: timed,
    })
}

async fn query(
    engine: &SqlEngine,
    tables: &[StoreTable],
    sql: &str,
) -> anyhow::Result<QueryOutput> {
    let checked = opentrail_sql::parse_statement(sql)
        .map_err(|error| anyhow::anyhow!("cannot parse `{sql}`: {error}"))?;
    engine
        .execute(&checked, tables, &CancelFlag::new(), RESULT_LIMIT_BYTES)
        .await
        .map_err(|error| anyhow::anyhow!("`{sql}` failed: {error}"))
}

/// The busiest access key, and a 7-day window of whole days in the middle of the data.
async fn parameters(engine: &SqlEngine, tables: &[StoreTable]) -> anyhow::Result<Parameters> {
    let busiest = query(
        engine,
        tables,
        &format!(
            "SELECT userIdentity.accessKeyId AS accesskey, COUNT(*) AS n FROM {STORE_ID} \
             WHERE userIdentity.accessKeyId IS NOT NULL \
             GROUP BY userIdentity.accessKeyId ORDER BY n DESC, accesskey LIMIT 1"
        ),
    )
    .await?;
    let access_key = cell(&busiest, 0, 0).context("no event has an access key")?;
    let span = query(
        engine,
        tables,
        &format!("SELECT min(eventTime), max(eventTime) FROM {STORE_ID}"),
    )
    .await?;
    let first = day(cell(&span, 0, 0).context("the store is empty")?)?;
    let last = day(cell(&span, 0, 1).context("the store is empty")?)?;
    let days = (last.as_millis() - first.as_millis()) / DAY_MS + 1;
    let start = first.saturating_add_millis((days - 7).max(0) / 2 * DAY_MS);
    let end = start.saturating_add_millis(7 * DAY_MS);
    let format = "%Y-%m-%d %H:%M:%S";
    Ok(Parameters {
        access_key: access_key.to_owned(),
        start: start.format_utc(format),
        end: end.format_utc(format),
    })
}

const DAY_MS: i64 = 86_400_000;

fn cell(output: &QueryOutput, row: usize, column: usize) -> Option<&str> {
    output.rows.get(row)?.get(column)?.as_deref()
}

/// Midnight UTC of a rendered time (`2026-01-03 07:50:12.000`).
fn day(rendered: &str) -> anyhow::Result<Timestamp> {
    let date = rendered
        .get(..10)
        .with_context(|| format!("not a time: `{rendered}`"))?;
    Timestamp::parse_cli_time(date).with_context(|| format!("not a date: `{date}`"))
}

/// The sum of the last column when every value of it is an integer, else the row count.
pub fn check(output: &QueryOutput) -> i64 {
    let counts: Option<Vec<i64>> = output
        .rows
        .iter()
        .map(|row| row.last()?.as_deref()?.parse().ok())
        .collect();
    match counts {
        Some(counts) if !counts.is_empty() => counts.iter().sum(),
        _ => i64::try_from(output.rows.len()).unwrap_or(i64::MAX),
    }
}

/// Median and least of `values` (zero for none).
pub fn median_min(values: &[f64]) -> (f64, f64) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    let median = if sorted.is_empty() {
        0.0
    } else if sorted.len().is_multiple_of(2) {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    } else {
        sorted[middle]
    };
    (median, sorted.first().copied().unwrap_or(0.0))
}
