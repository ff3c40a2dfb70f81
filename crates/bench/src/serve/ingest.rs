//! `serve-ingest`: signed `POST /ingest` calls (NDJSON, `batch` records each) against a
//! server on a fresh data directory; sustained events/s with durable acknowledgement, and
//! a check that the journal holds every acknowledged event once the server has stopped.
//!
//! The records are realistic management events made by `opentrail-generate` (one account,
//! the last hour) before the timed run. Request bodies are built once as templates; each
//! request copies one and writes a fresh prefix into every `eventID`
//! (`<request:08x>-<connection:04x>-4000-8000-<position:012x>`), so every record sent is
//! distinct while the client spends its CPU on HTTP, not on JSON.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use bytes::Bytes;
use http::StatusCode;
use opentrail_generate::GenerateConfig;
use opentrail_server::config::KeySection;
use opentrail_server::{Config, Engine, Server};
use opentrail_sigv4::Credentials;
use opentrail_types::{Clock, RandomIds, SystemClock, Timestamp};
use serde::Deserialize;

use super::{Connection, Failures, LatencySummary, RunningServer, Signer, quote, verdict};
use crate::fresh_dir;

/// `Content-Type` of NDJSON bodies.
pub(super) const NDJSON: &str = "application/x-ndjson";
/// The benchmark's ingesting key.
const ACCESS_KEY_ID: &str = "AKIAOPENTRAILBENCHINGEST";
const SECRET_ACCESS_KEY: &str = "opentrail-bench-ingest-secret-0000";
/// Events generated to take record templates from.
const GENERATED_EVENTS: u64 = 20_000;
/// Most distinct body templates (each `batch` records).
const MAX_TEMPLATES: usize = 16;
/// The bar of `docs/benchmarks.md`.
const BAR_EVENTS_PER_SEC: f64 = 50_000.0;
/// Placeholder of the per-request part of an `eventID`: `<request:08x>-<connection:04x>`.
const ID_PREFIX_LEN: usize = 13;

/// Flags of `serve-ingest`.
#[derive(Debug)]
pub struct Args {
    /// Scratch folder, emptied first: `data/` is the server's data directory.
    pub dir: PathBuf,
    /// Length of the timed run.
    pub seconds: u64,
    /// Concurrent keep-alive connections.
    pub connections: usize,
    /// Records per request.
    pub batch: usize,
}

/// An NDJSON body of `batch` records whose `eventID`s start with a placeholder.
#[derive(Debug)]
struct BodyTemplate {
    body: Vec<u8>,
    /// Offsets of the `ID_PREFIX_LEN`-byte placeholders.
    id_offsets: Vec<usize>,
}

impl BodyTemplate {
    /// The body for request `request` of connection `connection`.
    fn body_for(&self, connection: usize, request: u64) -> Bytes {
        let mut body = self.body.clone();
        let mut prefix = [0u8; ID_PREFIX_LEN];
        write_hex(&mut prefix[..8], request);
        prefix[8] = b'-';
        write_hex(&mut prefix[9..], connection as u64);
        for offset in &self.id_offsets {
            body[*offset..*offset + ID_PREFIX_LEN].copy_from_slice(&prefix);
        }
        Bytes::from(body)
    }
}

/// Writes the low digits of `value` in lowercase hex, filling `target`.
fn write_hex(target: &mut [u8], mut value: u64) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for byte in target.iter_mut().rev() {
        *byte = DIGITS[(value & 0xf) as usize];
        value >>= 4;
    }
}

/// What one connection measured.
struct ConnectionReport {
    latencies: Vec<Duration>,
    acknowledged: u64,
    bytes: u64,
    failures: Failures,
}

/// The `/ingest` response.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct IngestResponse {
    pub(super) accepted: usize,
    pub(super) duplicates: usize,
    pub(super) failed: Vec<serde_json::Value>,
}

/// Runs the benchmark.
pub fn run(args: &Args) -> anyhow::Result<()> {
    anyhow::ensure!(args.batch > 0, "`--batch` must be at least 1");
    fresh_dir(&args.dir)?;
    let (account, records) = generated_records(&args.dir.join("logs"))?;
    let templates = body_templates(&records, args.batch);
    let body_bytes = templates.first().map_or(0, |template| template.body.len());
    println!(
        "{} generated records of account `{account}` in {} body templates of {} records, {:.2} MB each ({} bytes per record on average)",
        records.len(),
        templates.len(),
        args.batch,
        body_bytes as f64 / 1e6,
        body_bytes / args.batch
    );

    let mut config = Config::load(None, std::env::vars()).context("config")?;
    config.data_dir = args.dir.join("data");
    config.keys.push(KeySection {
        access_key_id: String::from(ACCESS_KEY_ID),
        secret_access_key: String::from(SECRET_ACCESS_KEY),
        account_id: account,
        user_name: String::from("bench-ingester"),
        arn: None,
        permission: String::from("admin"),
    });
    // Large `--batch` values need the limits raised; the defaults take the default batch.
    config.ingest.max_records_per_request = config.ingest.max_records_per_request.max(args.batch);
    config.server.max_body_bytes = config.server.max_body_bytes.max(2 * body_bytes as u64);
    config.server.max_decoded_body_bytes = config
        .server
        .max_decoded_body_bytes
        .max(config.server.max_body_bytes);
    let region = config.region.clone();
    let server = Server::open(config.clone(), Arc::new(SystemClock), Arc::new(RandomIds))
        .context("cannot open the server")?;
    let credentials = Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
    let (acknowledged, requests) =
        super::runtime()?.block_on(drive(server, credentials, region, templates, args))?;

    // Reopen the data directory the server closed: every acknowledged event must be there.
    let engine = Engine::open(config, Arc::new(SystemClock)).context("cannot reopen")?;
    let next_seq = engine.journal.committed().next_seq;
    engine.close();
    println!(
        "journal after shutdown: next sequence number {next_seq} for {acknowledged} acknowledged events and {requests} self-audit records of the calls"
    );
    anyhow::ensure!(
        next_seq >= acknowledged,
        "the journal holds fewer entries ({next_seq}) than events were acknowledged ({acknowledged})"
    );
    Ok(())
}

/// Generates an hour of realistic events up to now into `logs`, and returns the account
/// most of them belong to and that account's records, compact JSON each.
fn generated_records(logs: &Path) -> anyhow::Result<(String, Vec<String>)> {
    let now = SystemClock.now().as_secs();
    let config = GenerateConfig {
        seed: 1,
        events: GENERATED_EVENTS,
        start: Timestamp::from_secs(now - 3600),
        end: Timestamp::from_secs(now),
        ..GenerateConfig::default()
    };
    let records = crate::records::generated_records(logs, &config)?;
    let accounts: Vec<Option<String>> = records
        .iter()
        .map(|record| crate::records::recipient_account(record))
        .collect();
    let mut per_account: HashMap<&str, usize> = HashMap::new();
    for account in accounts.iter().flatten() {
        *per_account.entry(account).or_default() += 1;
    }
    let Some((account, _)) = per_account
        .into_iter()
        .max_by_key(|(account, count)| (*count, *account))
    else {
        anyhow::bail!("the generated records have no `recipientAccountId`");
    };
    let account = account.to_owned();
    let records: Vec<String> = records
        .into_iter()
        .zip(&accounts)
        .filter(|(_, recipient)| recipient.as_deref() == Some(account.as_str()))
        .map(|(record, _)| record)
        .collect();
    anyhow::ensure!(!records.is_empty(), "no generated records");
    Ok((account, records))
}

/// Up to `MAX_TEMPLATES` bodies of `batch` records, taken in turn from `records`, whose
/// `eventID`s are replaced by `00000000-0000-4000-8000-<position:012x>`.
fn body_templates(records: &[String], batch: usize) -> Vec<BodyTemplate> {
    const EVENT_ID: &str = "\"eventID\":\"";
    let count = (records.len() / batch).clamp(1, MAX_TEMPLATES);
    let mut templates = Vec::with_capacity(count);
    let mut next = 0usize;
    for _ in 0..count {
        let mut body = Vec::with_capacity(batch * 1600);
        let mut id_offsets = Vec::with_capacity(batch);
        let mut position = 0usize;
        while position < batch {
            let record = &records[next % records.len()];
            next += 1;
            // Records without an `eventID` would get one from their content: skip them.
            let Some(start) = record.find(EVENT_ID).map(|at| at + EVENT_ID.len()) else {
                continue;
            };
            let Some(length) = record[start..].find('"') else {
                continue;
            };
            body.extend_from_slice(&record.as_bytes()[..start]);
            id_offsets.push(body.len());
            body.extend_from_slice(format!("00000000-0000-4000-8000-{position:012x}").as_bytes());
            body.extend_from_slice(&record.as_bytes()[start + length..]);
            body.push(b'\n');
            position += 1;
        }
        templates.push(BodyTemplate { body, id_offsets });
    }
    templates
}

async fn drive(
    server: Server,
    credentials: Credentials,
    region: String,
    templates: Vec<BodyTemplate>,
    args: &Args,
) -> anyhow::Result<(u64, u64)> {
    let running = RunningServer::start(server).await?;
    let address = running.address;
    let signer = Arc::new(Signer::new(credentials, region, address)?);
    let templates = Arc::new(templates);
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    let mut tasks = Vec::with_capacity(args.connections);
    for connection in 0..args.connections {
        tasks.push(tokio::spawn(ingest_connection(
            Connection::new(address),
            Arc::clone(&signer),
            Arc::clone(&templates),
            connection,
            deadline,
            args.batch,
        )));
    }
    let mut reports = Vec::with_capacity(tasks.len());
    for task in tasks {
        reports.push(task.await.context("a client connection panicked")?);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let stopping = Instant::now();
    running.stop().await?;
    let stop_secs = stopping.elapsed().as_secs_f64();

    let mut failures = Failures::default();
    let mut latencies = Vec::new();
    let mut acknowledged = 0u64;
    let mut bytes = 0u64;
    for report in reports {
        failures.merge(report.failures);
        latencies.extend(report.latencies);
        acknowledged += report.acknowledged;
        bytes += report.bytes;
    }
    let summary = LatencySummary::of(&mut latencies);
    let events_per_sec = acknowledged as f64 / elapsed;
    println!(
        "serve-ingest: {acknowledged} events acknowledged (durable) in {elapsed:.1} s: {events_per_sec:.0} events/s, {:.1} requests/s, {:.1} MB/s of NDJSON ({} connections, {} records per request)",
        summary.count as f64 / elapsed,
        bytes as f64 / 1e6 / elapsed,
        args.connections,
        args.batch
    );
    println!("request latency: {}", summary.describe());
    println!("server shutdown took {stop_secs:.1} s");
    println!(
        "bar: ≥ {BAR_EVENTS_PER_SEC:.0} events/s sustained, durable {}",
        verdict(events_per_sec >= BAR_EVENTS_PER_SEC)
    );
    failures.check(summary.count as u64 + failures.count)?;
    Ok((acknowledged, summary.count as u64))
}

/// Posts bodies one after the other until `deadline`.
async fn ingest_connection(
    mut connection: Connection,
    signer: Arc<Signer>,
    templates: Arc<Vec<BodyTemplate>>,
    connection_index: usize,
    deadline: Instant,
    batch: usize,
) -> ConnectionReport {
    let mut report = ConnectionReport {
        latencies: Vec::new(),
        acknowledged: 0,
        bytes: 0,
        failures: Failures::default(),
    };
    let mut request_index = 0u64;
    while Instant::now() < deadline {
        let template = &templates[(connection_index + request_index as usize) % templates.len()];
        let body = template.body_for(connection_index, request_index);
        request_index += 1;
        let body_bytes = body.len() as u64;
        let request = match signer.post("/ingest", NDJSON, None, body) {
            Ok(request) => request,
            Err(error) => {
                report.failures.record(format!("{error:#}"));
                break;
            }
        };
        let sent = Instant::now();
        let response = connection.send(request).await;
        let latency = sent.elapsed();
        match response {
            Ok((StatusCode::OK, body)) => match serde_json::from_slice::<IngestResponse>(&body) {
                Ok(ingested) if ingested.accepted == batch => {
                    report.latencies.push(latency);
                    report.acknowledged += ingested.accepted as u64;
                    report.bytes += body_bytes;
                }
                Ok(ingested) => report.failures.record(format!(
                    "Accepted {} of {batch} ({} duplicates, first refusal {:?})",
                    ingested.accepted,
                    ingested.duplicates,
                    ingested.failed.first()
                )),
                Err(error) => report.failures.record(format!(
                    "200 with an unreadable body ({error}): {}",
                    quote(&body)
                )),
            },
            Ok((status, body)) => {
                report
                    .failures
                    .record(format!("HTTP {status}: {}", quote(&body)));
            }
            Err(error) => report.failures.record(format!("{error:#}")),
        }
    }
    report
}
