//! `serve-lookups`: signed `LookupEvents` calls over HTTP against the server opened on an
//! existing data directory; requests/s and latency overall and per lookup kind.
//!
//! The server shows a principal only the events of its own account, so the benchmark
//! finds the account most of the data belongs to and declares a read-only key of that
//! account in the config. The data directory's admin key (`admin.json`) is left alone:
//! it may belong to any account.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use bytes::Bytes;
use http::StatusCode;
use opentrail_event::Record;
use opentrail_journal::{Journal, JournalConfig};
use opentrail_server::config::KeySection;
use opentrail_server::{Config, Server};
use opentrail_sigv4::Credentials;
use opentrail_store::{DataDir, LookupEventsInput};
use opentrail_types::{RandomIds, SystemClock, Timestamp};
use rand::{Rng, SeedableRng};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::{Value, json};

use super::{
    Connection, Failures, LatencySummary, RunningServer, Signer, quote, verdict,
    wait_until_searchable,
};
use crate::{Kind, kinds_from_records, milliseconds, read_records};

/// `X-Amz-Target` of `LookupEvents`, as the aws CLI sends it.
const LOOKUP_EVENTS_TARGET: &str =
    "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents";
/// `Content-Type` of CloudTrail's API.
pub(super) const JSON_11: &str = "application/x-amz-json-1.1";
/// The benchmark's read-only key.
const ACCESS_KEY_ID: &str = "AKIAOPENTRAILBENCHREAD";
const SECRET_ACCESS_KEY: &str = "opentrail-bench-read-only-secret-0000";
/// Page size of every request.
const MAX_RESULTS: i64 = 50;
/// Bars of `docs/benchmarks.md`.
const BAR_REQUESTS_PER_SEC: f64 = 1_000.0;
const BAR_P99: Duration = Duration::from_millis(50);

/// Flags of `serve-lookups`.
#[derive(Debug)]
pub struct Args {
    /// Data directory filled by `opentrail import`.
    pub data_dir: PathBuf,
    /// Length of the timed run.
    pub seconds: u64,
    /// Concurrent keep-alive connections.
    pub connections: usize,
    /// Journal entries read to pick lookup values from.
    pub sample: usize,
}

/// Request bodies of one lookup kind.
struct WireKind {
    name: &'static str,
    bodies: Vec<Bytes>,
}

/// What one connection measured.
struct ConnectionReport {
    /// Per kind: latencies of successful requests.
    latencies: Vec<Vec<Duration>>,
    /// Per kind: events returned.
    events: Vec<u64>,
    failures: Failures,
}

/// Runs the benchmark.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let (account, kinds) = sample_data(&args.data_dir, args.sample)?;
    println!(
        "account `{account}` (most events of the sample); {} lookup kinds, MaxResults {MAX_RESULTS}",
        kinds.len()
    );
    let mut config = Config::load(None, std::env::vars()).context("config")?;
    config.data_dir.clone_from(&args.data_dir);
    config.keys.push(KeySection {
        access_key_id: String::from(ACCESS_KEY_ID),
        secret_access_key: String::from(SECRET_ACCESS_KEY),
        account_id: account,
        user_name: String::from("bench-reader"),
        arn: None,
        permission: String::from("read-only"),
    });
    let region = config.region.clone();
    let opening = Instant::now();
    let server = Server::open(config, Arc::new(SystemClock), Arc::new(RandomIds))
        .with_context(|| format!("cannot open the server on `{}`", args.data_dir.display()))?;
    println!("server opened in {:.1} s", opening.elapsed().as_secs_f64());
    let credentials = Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
    super::runtime()?.block_on(drive(server, credentials, region, kinds, args))
}

/// Reads the start of the journal; returns the account most events belong to, and
/// lookups of every kind with values taken from that account's events.
fn sample_data(data_dir: &Path, sample: usize) -> anyhow::Result<(String, Vec<WireKind>)> {
    let data_dir = DataDir::open_existing(data_dir)
        .with_context(|| format!("cannot open the data directory `{}`", data_dir.display()))?;
    let journal = Journal::open(
        &data_dir.journal_dir(),
        JournalConfig::default(),
        Arc::new(SystemClock),
    )?;
    let records = read_records(&journal, sample);
    journal.close();
    drop(data_dir);
    let records = records?;
    let mut per_account: HashMap<&str, usize> = HashMap::new();
    for record in &records {
        if let Some(account) = record.recipient_account_id.as_deref() {
            *per_account.entry(account).or_default() += 1;
        }
    }
    let Some((account, _)) = per_account
        .into_iter()
        .max_by_key(|(account, count)| (*count, *account))
    else {
        anyhow::bail!("no sampled event has a `recipientAccountId`");
    };
    let account = account.to_owned();
    let records: Vec<Record> = records
        .into_iter()
        .filter(|record| record.recipient_account_id.as_deref() == Some(account.as_str()))
        .collect();
    let mut kinds = kinds_from_records(&records);
    kinds.push(hour_windows(&records));
    let wire = kinds
        .into_iter()
        .filter(|kind| !kind.inputs.is_empty())
        .map(|kind| WireKind {
            name: kind.name,
            bodies: kind.inputs.iter().map(wire_body).collect(),
        })
        .collect();
    Ok((account, wire))
}

/// No attribute, one random hour inside the sampled period.
fn hour_windows(records: &[Record]) -> Kind {
    let mut times: Vec<i64> = Vec::with_capacity(records.len());
    for record in records {
        if let Some(time) = record.event_time.as_deref()
            && let Ok(time) = Timestamp::parse_event_time(time)
        {
            times.push(time.as_secs());
        }
    }
    let (Some(oldest), Some(newest)) = (times.iter().min(), times.iter().max()) else {
        return Kind {
            name: "no attribute, one hour",
            inputs: Vec::new(),
        };
    };
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let inputs = (0..500)
        .map(|_| {
            let start = rng.random_range(*oldest..=(*newest - 3600).max(*oldest));
            LookupEventsInput {
                start_time: Some(Timestamp::from_secs(start)),
                end_time: Some(Timestamp::from_secs(start + 3600)),
                ..LookupEventsInput::default()
            }
        })
        .collect();
    Kind {
        name: "no attribute, one hour",
        inputs,
    }
}

/// The JSON 1.1 body of a lookup, as the aws CLI sends it (times in epoch seconds).
fn wire_body(input: &LookupEventsInput) -> Bytes {
    let mut body = serde_json::Map::new();
    if !input.lookup_attributes.is_empty() {
        let attributes = input
            .lookup_attributes
            .iter()
            .map(|(key, value)| json!({"AttributeKey": key, "AttributeValue": value}))
            .collect();
        body.insert(String::from("LookupAttributes"), Value::Array(attributes));
    }
    if let Some(start) = input.start_time {
        body.insert(String::from("StartTime"), json!(start.as_secs()));
    }
    if let Some(end) = input.end_time {
        body.insert(String::from("EndTime"), json!(end.as_secs()));
    }
    body.insert(String::from("MaxResults"), json!(MAX_RESULTS));
    Bytes::from(Value::Object(body).to_string())
}

async fn drive(
    server: Server,
    credentials: Credentials,
    region: String,
    kinds: Vec<WireKind>,
    args: &Args,
) -> anyhow::Result<()> {
    let running = RunningServer::start(server).await?;
    let address = running.address;
    let signer = Arc::new(Signer::new(credentials, region, address)?);
    wait_until_searchable(&signer, address).await?;
    let kinds = Arc::new(kinds);
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    let mut tasks = Vec::with_capacity(args.connections);
    for connection in 0..args.connections {
        tasks.push(tokio::spawn(lookup_connection(
            Connection::new(address),
            Arc::clone(&signer),
            Arc::clone(&kinds),
            deadline,
            connection as u64,
        )));
    }
    let mut reports = Vec::with_capacity(tasks.len());
    for task in tasks {
        reports.push(task.await.context("a client connection panicked")?);
    }
    let elapsed = started.elapsed().as_secs_f64();
    running.stop().await?;

    let mut failures = Failures::default();
    let mut per_kind: Vec<Vec<Duration>> = vec![Vec::new(); kinds.len()];
    let mut events = vec![0u64; kinds.len()];
    for report in reports {
        failures.merge(report.failures);
        for (index, latencies) in report.latencies.into_iter().enumerate() {
            per_kind[index].extend(latencies);
            events[index] += report.events[index];
        }
    }
    let mut all: Vec<Duration> = per_kind.iter().flatten().copied().collect();
    let overall = LatencySummary::of(&mut all);
    let requests_per_sec = overall.count as f64 / elapsed;
    println!(
        "{:<28} {:>8} {:>8} {:>8} {:>8} {:>8} {:>7}",
        "LookupEvents over HTTP", "requests", "p50 ms", "p90 ms", "p99 ms", "max ms", "events"
    );
    for ((kind, latencies), returned) in kinds.iter().zip(&mut per_kind).zip(&events) {
        let summary = LatencySummary::of(latencies);
        println!(
            "{:<28} {:>8} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>7.1}",
            kind.name,
            summary.count,
            milliseconds(summary.p50),
            milliseconds(summary.p90),
            milliseconds(summary.p99),
            milliseconds(summary.max),
            *returned as f64 / summary.count.max(1) as f64
        );
    }
    println!(
        "serve-lookups: {} requests in {elapsed:.1} s: {requests_per_sec:.0} requests/s ({} connections, every kind mixed), {}",
        overall.count,
        args.connections,
        overall.describe()
    );
    println!(
        "bars: ≥ {BAR_REQUESTS_PER_SEC:.0} requests/s {}; p99 ≤ {} ms {}",
        verdict(requests_per_sec >= BAR_REQUESTS_PER_SEC),
        BAR_P99.as_millis(),
        verdict(overall.p99 <= BAR_P99)
    );
    failures.check(overall.count as u64 + failures.count)
}

/// `LookupEvents` response, read only as far as the benchmark needs.
#[derive(Deserialize)]
struct LookupEventsResponse {
    #[serde(rename = "Events")]
    events: Vec<IgnoredAny>,
}

/// Sends lookups of random kinds one after the other until `deadline`.
async fn lookup_connection(
    mut connection: Connection,
    signer: Arc<Signer>,
    kinds: Arc<Vec<WireKind>>,
    deadline: Instant,
    seed: u64,
) -> ConnectionReport {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut report = ConnectionReport {
        latencies: vec![Vec::new(); kinds.len()],
        events: vec![0; kinds.len()],
        failures: Failures::default(),
    };
    while Instant::now() < deadline {
        let kind_index = rng.random_range(0..kinds.len());
        let kind = &kinds[kind_index];
        let body = kind.bodies[rng.random_range(0..kind.bodies.len())].clone();
        let request = match signer.post("/", JSON_11, Some(LOOKUP_EVENTS_TARGET), body) {
            Ok(request) => request,
            Err(error) => {
                report.failures.record(format!("{}: {error:#}", kind.name));
                break;
            }
        };
        let sent = Instant::now();
        let response = connection.send(request).await;
        let latency = sent.elapsed();
        match response {
            Ok((StatusCode::OK, body)) => {
                match serde_json::from_slice::<LookupEventsResponse>(&body) {
                    Ok(page) => {
                        report.latencies[kind_index].push(latency);
                        report.events[kind_index] += page.events.len() as u64;
                    }
                    Err(error) => report.failures.record(format!(
                        "{}: 200 with a body without `Events` ({error}): {}",
                        kind.name,
                        quote(&body)
                    )),
                }
            }
            Ok((status, body)) => {
                report
                    .failures
                    .record(format!("{}: HTTP {status}: {}", kind.name, quote(&body)));
            }
            Err(error) => report.failures.record(format!("{}: {error:#}", kind.name)),
        }
    }
    report
}
