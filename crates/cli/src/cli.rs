//! Command-line flags. Flags change how this one run behaves; what the system does (data
//! directory, retention, indexed categories) comes from the config file (`--config`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
    /// Import CloudTrail log files and S3-layout archive trees into event history.
    Import(ImportArgs),
    /// Look up events in event history, with the flags and output of `aws cloudtrail lookup-events`.
    LookupEvents(LookupEventsArgs),
    /// Write realistic synthetic CloudTrail log files in the S3 layout.
    Generate(GenerateArgs),
    /// Validate a trail's digest and log files, with the options, output and exit status
    /// of `aws cloudtrail validate-logs`.
    ValidateLogs(crate::validate_logs::ValidateLogsArgs),
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
