//! Command-line flags. Flags change how this one run behaves; what the system does (data
//! directory, retention, indexed categories) comes from the config file (`--config`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// OpenTrail: a self-hosted implementation of AWS CloudTrail.
#[derive(Debug, Parser)]
#[command(name = "opentrail", version, about, long_about = None)]
pub struct Cli {
    /// Log level filter (`error`, `warn`, `info`, `debug`, `trace`); `OPENTRAIL_LOG` wins.
    #[arg(
        long,
        global = true,
        default_value = "warn",
        env = "OPENTRAIL_LOG_LEVEL"
    )]
    pub log_level: String,
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve CloudTrail's API (the aws CLI and SDKs work against it), record every call
    /// to it, and take events from other systems at `/ingest`.
    Serve(ServeArgs),
    /// Import CloudTrail log files and S3-layout archive trees into event history, or
    /// (`--event-data-store`) into a CloudTrail Lake event data store.
    Import(ImportArgs),
    /// Look up events in event history, with the flags and output of `aws cloudtrail lookup-events`.
    LookupEvents(LookupEventsArgs),
    /// Run a CloudTrail Lake SQL statement (StartQuery, DescribeQuery, GetQueryResults) on a
    /// data directory or a running server, and print its rows.
    Query(QueryArgs),
    /// Write realistic synthetic CloudTrail log files in the S3 layout.
    Generate(GenerateArgs),
    /// Validate a trail's digest and log files, with the options, output and exit status
    /// of `aws cloudtrail validate-logs`.
    ValidateLogs(crate::validate_logs::ValidateLogsArgs),
    /// Replay CloudTrail logs through the Insights analyzer (`detect`), or measure its
    /// recall, precision and delay on a generated workload with injected anomalies
    /// (`evaluate`).
    #[command(subcommand)]
    Insights(crate::insights::InsightsCommand),
}

/// Where the data lives.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// Config file (TOML). Without it, the embedded defaults apply.
    #[arg(long, env = "OPENTRAIL_CONFIG")]
    pub config: Option<PathBuf>,
    /// Data directory; overrides `data_dir` of the config file.
    #[arg(long, env = "OPENTRAIL_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
}

/// `opentrail serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Address to listen on (`HOST:PORT`); overrides `server.listen` of the config
    /// (default `127.0.0.1:4571`). Port 0 picks a free port.
    #[arg(long, env = "OPENTRAIL_LISTEN")]
    pub listen: Option<String>,
}

/// `opentrail import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Files and folders to import (`.json`, `.json.gz`, `.gz`, `.jsonl`, `.ndjson`; folders
    /// are walked, S3 layout or not).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Worker threads; default: the number of CPUs.
    #[arg(long)]
    pub workers: Option<usize>,
    /// Do not draw a progress bar even on a terminal.
    #[arg(long)]
    pub no_progress: bool,
    /// Add the records straight to this CloudTrail Lake event data store (its ID or ARN; a
    /// CloudTrail-events store of the data directory's admin account) instead of event
    /// history. Events keep their `eventID`, events the store already has are skipped,
    /// and events older than its retention period are left out. `--workers` and the
    /// progress bar do not apply.
    #[arg(long, value_name = "ID_OR_ARN")]
    pub event_data_store: Option<String>,
}

/// How `opentrail query` prints rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QueryFormat {
    /// Aligned columns under a header line; NULL shows as `NULL`.
    Table,
    /// RFC 4180 CSV with a header row; NULL is an empty field, an empty string is `""`.
    Csv,
    /// A JSON array of objects, one per row, members in column order; values are strings
    /// (as GetQueryResults returns them), NULL is `null`.
    Json,
}

/// `opentrail query`.
#[derive(Debug, Args)]
#[command(
    after_help = "Rows go to stdout; then one statistics line goes to stderr: the query ID, \
its status, rows printed and in all, events matched and scanned, bytes scanned and the \
execution time. Exit status: 0 the query finished; 1 it timed out (the rows computed are \
printed); 2 an error (a refused statement, a query that ended FAILED or CANCELLED)."
)]
pub struct QueryArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Send the statement to the server at this URL (e.g. `http://127.0.0.1:4571`) instead
    /// of running it in the data directory. Requests are signed with the credentials of
    /// `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, else of the `AWS_PROFILE` profile (or
    /// `default`) of the shared AWS files, else of the data directory's `credentials` file
    /// (the data directory is not opened then: only that file is read).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Region the requests to `--endpoint-url` are signed for; default `AWS_REGION`,
    /// `AWS_DEFAULT_REGION`, the profile's region, then `region` of the config.
    #[arg(long, requires = "endpoint_url")]
    pub region: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = QueryFormat::Table)]
    pub format: QueryFormat,
    /// Print at most this many rows (the statistics line still counts them all).
    #[arg(long, value_name = "N")]
    pub max_rows: Option<u64>,
    /// Read the statement from this file (`-`: standard input).
    #[arg(long, value_name = "PATH", conflicts_with = "statement")]
    pub file: Option<PathBuf>,
    /// The SQL statement, e.g. `SELECT eventName, count(*) FROM <store id> GROUP BY eventName`.
    #[arg(value_name = "SQL", required_unless_present = "file")]
    pub statement: Option<String>,
}

/// `opentrail lookup-events`.
#[derive(Debug, Args)]
pub struct LookupEventsArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Lookup attributes: `AttributeKey=EventName,AttributeValue=ConsoleLogin` (shorthand) or
    /// JSON. Repeat, or give several values, to AND them (AWS takes only one).
    #[arg(long, num_args = 1.., action = clap::ArgAction::Append)]
    pub lookup_attributes: Vec<String>,
    /// Inclusive start: ISO 8601 (`2026-03-04T17:05:21Z`), a date, or epoch seconds.
    #[arg(long)]
    pub start_time: Option<String>,
    /// Inclusive end, in the same forms.
    #[arg(long)]
    pub end_time: Option<String>,
    /// `insight` for Insights events.
    #[arg(long)]
    pub event_category: Option<String>,
    /// Events in the one request made (1-50): manual paging, as in the aws CLI, so only
    /// that page is printed, with its raw `NextToken`.
    #[arg(long)]
    pub max_results: Option<i64>,
    /// Stop after this many events; the output then carries a `NextToken` for `--starting-token`.
    #[arg(long)]
    pub max_items: Option<u64>,
    /// Continue from the `NextToken` of an earlier `--max-items` output.
    #[arg(long)]
    pub starting_token: Option<String>,
    /// Events per request while printing every page.
    #[arg(long)]
    pub page_size: Option<i64>,
    /// A raw service `NextToken` (manual paging): makes one request and prints its `NextToken` as is.
    #[arg(long)]
    pub next_token: Option<String>,
    /// Make one request only.
    #[arg(long)]
    pub no_paginate: bool,
}

/// `opentrail generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Output folder; files go under `AWSLogs/...` inside it.
    #[arg(long, default_value = "./generated-logs")]
    pub out: PathBuf,
    /// Number of events.
    #[arg(long, default_value_t = 100_000)]
    pub events: u64,
    /// Seed: the same seed and flags give byte-identical files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// First event time (ISO 8601 or a date).
    #[arg(long, default_value = "2026-01-01T00:00:00Z")]
    pub start: String,
    /// Length of the period the events spread over, e.g. `7d`, `36h`.
    #[arg(long, default_value = "7d")]
    pub duration: String,
    /// Accounts.
    #[arg(long, default_value_t = 3)]
    pub accounts: usize,
    /// Principals (users, roles, services...).
    #[arg(long, default_value_t = 200)]
    pub principals: usize,
    /// Regions, comma-separated.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "us-east-1,us-west-2,eu-west-1"
    )]
    pub regions: Vec<String>,
    /// Fraction of data events (S3, Lambda, DynamoDB), 0 to 1.
    #[arg(long, default_value_t = 0.0)]
    pub data_event_fraction: f64,
    /// Inject unusual activity: `START,MINUTES,EVENT_SOURCE,EVENT_NAME,PER_MINUTE[,ERROR_CODE]`.
    /// Repeatable.
    #[arg(long)]
    pub burst: Vec<String>,
    /// Do not draw a progress bar even on a terminal.
    #[arg(long)]
    pub no_progress: bool,
}
