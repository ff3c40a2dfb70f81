//! `opentrail-bench`: measures the performance bars of `docs/benchmarks.md`.
//!
//! - `journal`: durable ingest (appends acknowledged only after fsync), events/s.
//! - `lookups`: `LookupEvents` latency per attribute kind (p50, p99) and throughput, on a
//!   data directory already holding events (`opentrail import` of generated logs).
//! - `visibility`: time from an append's acknowledgement to the event being found by a
//!   lookup, while other threads ingest as fast as they can.
//! - `facets`: the web console dashboard's aggregates (`History::facets` with its five
//!   fields, `History::histogram` with hourly buckets) over the last 24 hours and 7 days of
//!   the same data directory, unrestricted and restricted to one account (p50, p99).
//! - `serve-lookups`: signed `LookupEvents` calls over HTTP to the server opened in-process
//!   on an imported data directory, over keep-alive connections: requests/s and latency.
//! - `serve-ingest`: signed `POST /ingest` calls to the server on a fresh data directory:
//!   sustained events/s with durable acknowledgement.
//! - `make-trail`: writes a complete, signed trail (log files, hourly digests, public keys)
//!   into a local bucket directory, for `bench/validate.sh`, which times
//!   `aws cloudtrail validate-logs` and `opentrail validate-logs` on it.
//! - `inflate-hash`: where `validate-logs` spends its CPU per log file (inflate with
//!   zlib-rs or libdeflate, SHA-256, the digest crate's call), on log files in memory.
//! - `serve-delivery`: the server in-process with a trail on a local bucket directory;
//!   time from an event's acknowledgement by `/ingest` to its log file in the bucket.
//!
//! - `lake`: CloudTrail Lake on generated logs: journal import, the store's journal
//!   writer catching up into Parquet, and four typical Lake queries (`bench/lake.sh`
//!   compares them with DuckDB).
//! - `insights`: the Insights analyzer on the generated event stream: parse + observe +
//!   tick throughput on one thread, then the CPU it takes at a steady 10,000 events/s.
//! - `rules-match`: 1,000 EventBridge-style rules of mixed kinds in one shared matcher
//!   against the generated event stream on one thread (envelope + match, match alone),
//!   and the naive rule-by-rule loop on a subset as the peer.
//! - `rules-webhook`: the server in-process with a rule whose target is a local webhook;
//!   time from an event's acknowledgement by `/ingest` to its arrival at the webhook.
//! - `endpoint`: the server in-process with a recording endpoint (`[[endpoints]]`) in front
//!   of a minimal S3-like upstream: added latency of small-object GETs (open loop, direct
//!   and through alternating), large-object throughput through it against direct, and one
//!   record pair in the journal per call through it.
//!
//! Each prints its figures and the machine it ran on. Benchmarks are commands, never
//! timed tests.
#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Parser, Subcommand};
use opentrail_event::{LookupFields, Record};
use opentrail_journal::{AppendEntry, Journal, JournalConfig};
use opentrail_store::{DataDir, History, HistoryConfig, LookupEventsInput, LookupQuery};
use opentrail_types::{SystemClock, Timestamp};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

mod facets;
mod inflate;
mod insights;
mod lake;
mod records;
mod rules;
mod serve;
mod trail;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(name = "opentrail-bench")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Durable journal ingest.
    Journal {
        /// Empty folder for the journal (removed first).
        #[arg(long)]
        dir: PathBuf,
        /// How long to ingest, seconds.
        #[arg(long, default_value_t = 30)]
        seconds: u64,
        /// Producer threads.
        #[arg(long, default_value_t = 4)]
        producers: usize,
        /// Events per append.
        #[arg(long, default_value_t = 1000)]
        batch: usize,
        /// Also parse and check every record before appending (the full ingest path).
        #[arg(long)]
        validate: bool,
    },
    /// LookupEvents latency and throughput on an existing data directory.
    Lookups {
        /// Data directory (as filled by `opentrail import`).
        #[arg(long)]
        data_dir: PathBuf,
        /// Lookups per attribute kind for the latency figures.
        #[arg(long, default_value_t = 2000)]
        per_kind: usize,
        /// Seconds of the throughput run.
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        /// Threads of the throughput run.
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// Journal entries read to pick lookup values from.
        #[arg(long, default_value_t = 300_000)]
        sample: usize,
    },
    /// The dashboard's facets and histograms on an existing data directory.
    Facets {
        /// Data directory (as filled by `opentrail import`).
        #[arg(long)]
        data_dir: PathBuf,
        /// Runs of each case for the latency figures.
        #[arg(long, default_value_t = 200)]
        runs: usize,
    },
    /// Acknowledged → visible in lookups, under full ingest load.
    Visibility {
        /// Empty folder (removed first).
        #[arg(long)]
        dir: PathBuf,
        /// Seconds to run.
        #[arg(long, default_value_t = 30)]
        seconds: u64,
        /// Loader threads appending as fast as they can.
        #[arg(long, default_value_t = 2)]
        loaders: usize,
    },
    /// LookupEvents over HTTP (SigV4, keep-alive connections) on an existing data directory.
    ServeLookups {
        /// Data directory (as filled by `opentrail import`); not changed but for the
        /// server's own records of the calls.
        #[arg(long)]
        data_dir: PathBuf,
        /// Seconds to run.
        #[arg(long, default_value_t = 30)]
        seconds: u64,
        /// Concurrent keep-alive connections, one request at a time each.
        #[arg(long, default_value_t = 8)]
        connections: usize,
        /// Journal entries read to pick lookup values from.
        #[arg(long, default_value_t = 300_000)]
        sample: usize,
    },
    /// POST /ingest over HTTP (SigV4, NDJSON) to a server on a fresh data directory.
    ServeIngest {
        /// Scratch folder (removed first); the server's data directory is `DIR/data`.
        #[arg(long)]
        dir: PathBuf,
        /// Seconds to run.
        #[arg(long, default_value_t = 30)]
        seconds: u64,
        /// Concurrent keep-alive connections, one request at a time each.
        #[arg(long, default_value_t = 4)]
        connections: usize,
        /// Records per request.
        #[arg(long, default_value_t = 1000)]
        batch: usize,
    },
    /// Acknowledged by POST /ingest → log file durable in a trail's local bucket.
    ServeDelivery {
        /// Scratch folder (removed first); the server's data directory is `DIR/data`.
        #[arg(long)]
        dir: PathBuf,
        /// Seconds of ingest.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// Events ingested per second.
        #[arg(long, default_value_t = 2000)]
        rate: u64,
        /// The server's delivery interval (`[trails] delivery_interval_secs`), seconds.
        #[arg(long, default_value_t = 1)]
        interval_secs: u64,
    },
    /// Inflate and SHA-256 of log files in memory: each step alone, then together as the
    /// validator runs them (one thread, then every core).
    InflateHash {
        /// A trail folder (`make-trail --out`) or any folder of `.json.gz` log files.
        #[arg(long)]
        dir: PathBuf,
        /// Log files loaded (the first ones in key order).
        #[arg(long, default_value_t = 8)]
        files: usize,
        /// Runs of each case; the best counts.
        #[arg(long, default_value_t = 3)]
        repeat: usize,
    },
    /// Writes a complete, valid, signed trail into `OUT/buckets/<bucket>/`, with
    /// `OUT/public-keys.json` and `OUT/trail.json`.
    MakeTrail {
        /// Output folder (removed first).
        #[arg(long)]
        out: PathBuf,
        /// Hours of the trail: `--files-per-hour` log files and one digest each.
        #[arg(long, default_value_t = 24)]
        hours: u32,
        /// Log files per hour, spread over the hour's twelve 5-minute delivery slots (12:
        /// one per slot; real busy trails have many per slot, from several delivery hosts).
        #[arg(long, default_value_t = trail::DEFAULT_FILES_PER_HOUR)]
        files_per_hour: usize,
        /// Gzipped log data to reach: digits with an optional K, M, G or T (powers of 1,024).
        #[arg(long, default_value = "2G", value_parser = trail::parse_size)]
        bytes: u64,
        /// Seed of the records, IDs and times.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Bucket name.
        #[arg(long, default_value = "opentrail-bench-trail")]
        bucket: String,
        /// Account of the trail and its events.
        #[arg(long, default_value = "111122223333")]
        account: String,
        /// Home and source region.
        #[arg(long, default_value = "us-east-1")]
        region: String,
        /// Trail name.
        #[arg(long, default_value = "bench-trail")]
        trail: String,
        /// Start of the trail's period, `YYYY-MM-DDTHH:MM:SSZ`.
        #[arg(long, default_value = "2026-03-02T00:00:00Z", value_parser = parse_event_time)]
        start: Timestamp,
        /// Worker threads; 0 means one per CPU. Does not change the files.
        #[arg(long, default_value_t = 0)]
        threads: usize,
    },
    /// CloudTrail Lake: import into a journal, the store's writer into Parquet, queries.
    Lake {
        /// Generated logs (`opentrail generate --accounts 1 --out DIR`).
        #[arg(long)]
        logs: PathBuf,
        /// Scratch folder (removed first): journal, bucket, results.
        #[arg(long)]
        work: PathBuf,
        /// Runs of each query.
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Import worker threads; default: one per core.
        #[arg(long)]
        workers: Option<usize>,
        /// Only run the queries, on the store an earlier run left in WORK (its journal
        /// may be gone); the ingest figures are that run's.
        #[arg(long)]
        reuse: bool,
    },
    /// The Insights analyzer: throughput on one thread, then CPU at a steady rate.
    Insights {
        /// Scratch folder (removed first and at the end): the generated logs.
        #[arg(long)]
        work: PathBuf,
        /// Days of traffic; baselines (7 days) exist on the last ones.
        #[arg(long, default_value_t = 9)]
        days: u32,
        /// Events per day.
        #[arg(long, default_value_t = 100_000)]
        events_per_day: u64,
        /// Seed of the traffic.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Accounts.
        #[arg(long, default_value_t = 3)]
        accounts: usize,
        /// Events per second of wall time in the paced run.
        #[arg(long, default_value_t = 10_000)]
        rate: u64,
        /// Seconds of the paced run.
        #[arg(long, default_value_t = 10)]
        paced_seconds: u64,
    },
    /// EventBridge-style rules: one shared matcher of `--rules` patterns of mixed kinds
    /// against the generated stream on one thread, and the naive rule-by-rule loop.
    RulesMatch {
        /// Scratch folder (removed first and at the end): the generated logs.
        #[arg(long)]
        work: PathBuf,
        /// Events generated and matched (100,000 a day).
        #[arg(long, default_value_t = 1_000_000)]
        events: u64,
        /// Rules in the matcher.
        #[arg(long, default_value_t = 1000)]
        rules: usize,
        /// Seed of the stream, the sampled records and the rules.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Events the naive loop (every rule's `Pattern::matches` in turn) runs on.
        #[arg(long, default_value_t = 20_000)]
        naive_events: usize,
    },
    /// Acknowledged by POST /ingest → received by a rule's webhook target.
    RulesWebhook {
        /// Events per second ingested.
        #[arg(long, default_value_t = 1000)]
        rate: u64,
        /// Seconds of ingest.
        #[arg(long, default_value_t = 30)]
        seconds: u64,
        /// Scratch folder (removed first and at the end); the server's data directory is
        /// `WORK/data`. Default: a folder in the system's temporary directory.
        #[arg(long)]
        work: Option<PathBuf>,
    },
    /// A recording endpoint in front of a minimal S3-like upstream against direct access:
    /// added latency of small GETs, large-object throughput, one record pair per call.
    Endpoint {
        /// Small-object GETs per second on each path (direct, and through the endpoint).
        #[arg(long, default_value_t = 1000)]
        rate: u64,
        /// Seconds of the latency run.
        #[arg(long, default_value_t = 30)]
        seconds: u64,
        /// Keep-alive connections per path in the latency run.
        #[arg(long, default_value_t = 8)]
        connections: usize,
        /// Size of the large object, MiB.
        #[arg(long, default_value_t = 256)]
        large_mib: u64,
        /// Downloads of the large object on each path.
        #[arg(long, default_value_t = 5)]
        large_runs: usize,
        /// `http://127.0.0.1:PORT` of an S3-compatible server (e.g. moto_server) that does
        /// not check signatures: the throughput run is repeated against it, direct and
        /// through a second endpoint in front of it.
        #[arg(long)]
        s3_upstream: Option<String>,
        /// Scratch folder (removed first and at the end); the server's data directory is
        /// `WORK/data`. Default: a folder in the system's temporary directory.
        #[arg(long)]
        work: Option<PathBuf>,
    },
}

fn parse_event_time(text: &str) -> Result<Timestamp, String> {
    Timestamp::parse_event_time(text).map_err(|error| error.to_string())
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    print_machine();
    match cli.command {
        Command::Journal {
            dir,
            seconds,
            producers,
            batch,
            validate,
        } => bench_journal(&dir, seconds, producers, batch, validate),
        Command::Lookups {
            data_dir,
            per_kind,
            seconds,
            threads,
            sample,
        } => bench_lookups(&data_dir, per_kind, seconds, threads, sample),
        Command::Facets { data_dir, runs } => facets::run(&facets::Args { data_dir, runs }),
        Command::Visibility {
            dir,
            seconds,
            loaders,
        } => bench_visibility(&dir, seconds, loaders),
        Command::ServeLookups {
            data_dir,
            seconds,
            connections,
            sample,
        } => serve::lookups::run(&serve::lookups::Args {
            data_dir,
            seconds,
            connections,
            sample,
        }),
        Command::ServeIngest {
            dir,
            seconds,
            connections,
            batch,
        } => serve::ingest::run(&serve::ingest::Args {
            dir,
            seconds,
            connections,
            batch,
        }),
        Command::ServeDelivery {
            dir,
            seconds,
            rate,
            interval_secs,
        } => serve::delivery::run(&serve::delivery::Args {
            dir,
            seconds,
            rate,
            interval_secs,
        }),
        Command::InflateHash { dir, files, repeat } => {
            inflate::run(&inflate::Args { dir, files, repeat })
        }
        Command::MakeTrail {
            out,
            hours,
            files_per_hour,
            bytes,
            seed,
            bucket,
            account,
            region,
            trail,
            start,
            threads,
        } => trail::run(&trail::Args {
            out,
            hours,
            files_per_hour,
            bytes,
            seed,
            bucket,
            account,
            region,
            trail,
            start,
            threads,
        }),
        Command::Lake {
            logs,
            work,
            runs,
            workers,
            reuse,
        } => lake::run(&lake::Args {
            logs,
            work,
            runs,
            workers,
            reuse,
        }),
        Command::Insights {
            work,
            days,
            events_per_day,
            seed,
            accounts,
            rate,
            paced_seconds,
        } => insights::run(&insights::Args {
            work,
            days,
            events_per_day,
            seed,
            accounts,
            rate,
            paced_seconds,
        }),
        Command::RulesMatch {
            work,
            events,
            rules,
            seed,
            naive_events,
        } => rules::run(&rules::Args {
            work,
            events,
            rules,
            seed,
            naive_events,
        }),
        Command::RulesWebhook {
            rate,
            seconds,
            work,
        } => serve::webhook::run(&serve::webhook::Args {
            work: work.unwrap_or_else(|| {
                std::env::temp_dir().join(format!(
                    "opentrail-bench-rules-webhook-{}",
                    std::process::id()
                ))
            }),
            rate,
            seconds,
        }),
        Command::Endpoint {
            rate,
            seconds,
            connections,
            large_mib,
            large_runs,
            s3_upstream,
            work,
        } => serve::endpoint::run(&serve::endpoint::Args {
            work: work.unwrap_or_else(|| {
                std::env::temp_dir()
                    .join(format!("opentrail-bench-endpoint-{}", std::process::id()))
            }),
            rate,
            seconds,
            connections,
            large_mib,
            large_runs,
            s3_upstream,
        }),
    }
}

fn print_machine() {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|line| line.starts_with("model name"))
                .map(|line| line.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_default();
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines().next().map(|line| {
                line.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse::<u64>()
                    .unwrap_or(0)
                    / 1024
                    / 1024
            })
        })
        .unwrap_or(0);
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    // Others' work on the machine skews every figure: say how busy it was at the start.
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_default();
    println!("machine: {cores} cores ({cpu}), {memory} GiB memory, load average {load} at start");
}

/// A realistic record (a real management event from the fixtures, 1.3 KB) with a fresh ID.
const TEMPLATE: &str = r#"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROARZ6KEXAMPLEAAAAAA:stratus-red-team","arn":"arn:aws:sts::123837392027:assumed-role/OrganizationAccountAccessRole/stratus-red-team","accountId":"123837392027","accessKeyId":"ASIAEXAMPLEKEY000001","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROARZ6KEXAMPLEAAAAAA","arn":"arn:aws:iam::123837392027:role/OrganizationAccountAccessRole","accountId":"123837392027","userName":"OrganizationAccountAccessRole"},"webIdFederationData":{},"attributes":{"creationDate":"2023-07-10T11:40:12Z","mfaAuthenticated":"false"}}},"eventTime":"2023-07-10T11:45:01Z","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.44","userAgent":"aws-sdk-go-v2/1.18.0 os/linux lang/go#1.20.4 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.100.0","requestParameters":{"instancesSet":{},"filterSet":{"items":[{"name":"instance-state-name","valueSet":{"items":[{"value":"running"}]}}]}},"responseElements":null,"requestID":"8f1c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f","eventID":"ID","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"123837392027","eventCategory":"Management","tlsDetails":{"tlsVersion":"TLSv1.2","cipherSuite":"ECDHE-RSA-AES128-GCM-SHA256","clientProvidedHostHeader":"ec2.us-east-1.amazonaws.com"}}"#;

fn record_with_id(id: &str, time: Timestamp) -> Vec<u8> {
    TEMPLATE
        .replace("\"eventID\":\"ID\"", &format!("\"eventID\":\"{id}\""))
        .replace("2023-07-10T11:45:01Z", &time.format_event_time())
        .into_bytes()
}

/// An entry as the ingest path makes it: the record checked, and the keys the history
/// indexes it by attached (as `opentrail import` does, and the server will).
fn full_ingest_entry(id: &str, payload: Vec<u8>) -> AppendEntry {
    match opentrail_event::Event::parse(&payload, &opentrail_event::RecordLimits::STANDARD) {
        Ok(event) => {
            let keys: opentrail_journal::Attachment = Arc::new(event.lookup_keys());
            AppendEntry::new(id, payload).with_attachment(keys)
        }
        Err(error) => panic!("template record invalid: {error}"),
    }
}

fn fresh_dir(dir: &Path) -> anyhow::Result<()> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => {
            return Err(error).with_context(|| format!("cannot empty `{}`", dir.display()));
        }
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))
}

fn bench_journal(
    dir: &Path,
    seconds: u64,
    producers: usize,
    batch: usize,
    validate: bool,
) -> anyhow::Result<()> {
    fresh_dir(dir)?;
    let journal = Journal::open(dir, JournalConfig::default(), Arc::new(SystemClock))?;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let acknowledged = Arc::new(AtomicU64::new(0));
    let bytes = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    std::thread::scope(|scope| {
        for producer in 0..producers {
            let journal = journal.clone();
            let acknowledged = Arc::clone(&acknowledged);
            let bytes = Arc::clone(&bytes);
            scope.spawn(move || {
                let mut counter = 0u64;
                let time = Timestamp::from_secs(1_700_000_000);
                while Instant::now() < deadline {
                    let mut entries = Vec::with_capacity(batch);
                    let mut batch_bytes = 0;
                    for _ in 0..batch {
                        let id = format!("{producer:02}-{counter:012}-6e1b-4c5d-8e9f-0a1b2c3d4e5f");
                        counter += 1;
                        let payload = record_with_id(&id, time);
                        if validate
                            && let Err(error) = opentrail_event::Event::parse(
                                &payload,
                                &opentrail_event::RecordLimits::STANDARD,
                            )
                        {
                            panic!("template record invalid: {error}");
                        }
                        batch_bytes += payload.len();
                        entries.push(AppendEntry::new(id, payload));
                    }
                    match journal.append(entries) {
                        Ok(outcomes) => {
                            acknowledged.fetch_add(outcomes.len() as u64, Ordering::Relaxed);
                            bytes.fetch_add(batch_bytes as u64, Ordering::Relaxed);
                        }
                        Err(error) => panic!("append failed: {error}"),
                    }
                }
            });
        }
    });
    let elapsed = started.elapsed().as_secs_f64();
    let events = acknowledged.load(Ordering::Relaxed);
    println!(
        "journal ingest{}: {events} events acknowledged after fsync in {elapsed:.1} s: {:.0} events/s, {:.1} MB/s ({producers} producers, {batch} per append)",
        if validate {
            " (with record validation)"
        } else {
            ""
        },
        events as f64 / elapsed,
        bytes.load(Ordering::Relaxed) as f64 / 1e6 / elapsed
    );
    journal.close();
    Ok(())
}

/// Lookup requests of one kind.
struct Kind {
    name: &'static str,
    inputs: Vec<LookupEventsInput>,
}

fn attributes(pairs: &[(&str, &str)]) -> LookupEventsInput {
    LookupEventsInput {
        lookup_attributes: pairs
            .iter()
            .map(|(key, value)| (Some((*key).to_owned()), Some((*value).to_owned())))
            .collect(),
        ..LookupEventsInput::default()
    }
}

fn sample_kinds(journal: &Journal, sample: usize) -> anyhow::Result<Vec<Kind>> {
    let records = read_records(journal, sample)?;
    Ok(kinds_from_records(&records))
}

/// Reads up to `sample` records from the start of the journal.
fn read_records(journal: &Journal, sample: usize) -> anyhow::Result<Vec<Record>> {
    let mut reader = journal.reader(journal.start_position())?;
    let mut records: Vec<Record> = Vec::new();
    while records.len() < sample {
        let batch = reader.read_batch(10_000, 64 << 20)?;
        if batch.is_empty() {
            break;
        }
        for entry in batch.iter() {
            if let Ok(record) = serde_json::from_slice::<Record>(entry.payload) {
                records.push(record);
            }
        }
    }
    anyhow::ensure!(
        !records.is_empty(),
        "the data directory holds no events; import some first"
    );
    Ok(records)
}

/// Lookups of every attribute kind (and a few combinations and time ranges), with values
/// picked at random from `records`, which must not be empty.
fn kinds_from_records(records: &[Record]) -> Vec<Kind> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    let mut pick = |count: usize,
                    make: &dyn Fn(&Record) -> Option<LookupEventsInput>|
     -> Vec<LookupEventsInput> {
        let mut inputs = Vec::with_capacity(count);
        for _ in 0..count * 20 {
            if inputs.len() == count {
                break;
            }
            let Some(record) = records.choose(&mut rng) else {
                break;
            };
            if let Some(input) = make(record) {
                inputs.push(input);
            }
        }
        inputs
    };
    let count = 500;
    let newest = Timestamp::from_secs(
        records
            .iter()
            .filter_map(|record| record.event_time.as_deref())
            .filter_map(|time| Timestamp::parse_event_time(time).ok())
            .map(Timestamp::as_secs)
            .max()
            .unwrap_or(0),
    );
    let kinds = vec![
        Kind {
            name: "no attribute (newest 50)",
            inputs: vec![LookupEventsInput::default(); count],
        },
        Kind {
            name: "EventId",
            inputs: pick(count, &|record| {
                Some(attributes(&[("EventId", record.event_id.as_deref()?)]))
            }),
        },
        Kind {
            name: "EventName",
            inputs: pick(count, &|record| {
                Some(attributes(&[("EventName", record.event_name.as_deref()?)]))
            }),
        },
        Kind {
            name: "EventSource",
            inputs: pick(count, &|record| {
                Some(attributes(&[(
                    "EventSource",
                    record.event_source.as_deref()?,
                )]))
            }),
        },
        Kind {
            name: "ReadOnly",
            inputs: pick(count, &|record| {
                Some(attributes(&[("ReadOnly", record.lookup_read_only()?)]))
            }),
        },
        Kind {
            name: "Username",
            inputs: pick(count, &|record| {
                Some(attributes(&[("Username", record.lookup_username()?)]))
            }),
        },
        Kind {
            name: "AccessKeyId",
            inputs: pick(count, &|record| {
                Some(attributes(&[(
                    "AccessKeyId",
                    record.lookup_access_key_id()?,
                )]))
            }),
        },
        Kind {
            name: "ResourceType",
            inputs: pick(count, &|record| {
                let resources = record.lookup_resources();
                Some(attributes(&[(
                    "ResourceType",
                    resources.first()?.resource_type.as_deref()?,
                )]))
            }),
        },
        Kind {
            name: "ResourceName",
            inputs: pick(count, &|record| {
                let resources = record.lookup_resources();
                Some(attributes(&[(
                    "ResourceName",
                    &resources.first()?.resource_name,
                )]))
            }),
        },
        Kind {
            name: "EventName AND Username",
            inputs: pick(count, &|record| {
                Some(attributes(&[
                    ("EventName", record.event_name.as_deref()?),
                    ("Username", record.lookup_username()?),
                ]))
            }),
        },
        Kind {
            name: "EventSource, last day",
            inputs: pick(count, &|record| {
                let mut input = attributes(&[("EventSource", record.event_source.as_deref()?)]);
                input.start_time = Some(Timestamp::from_secs(newest.as_secs() - 86_400));
                input.end_time = Some(newest);
                Some(input)
            }),
        },
    ];
    kinds
        .into_iter()
        .filter(|kind| !kind.inputs.is_empty())
        .collect()
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn milliseconds(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// The history of an imported data directory, caught up with its journal (an index of an
/// older version is rebuilt first). Keep the [`DataDir`]: it holds the directory's lock.
fn open_history(data_dir: &Path) -> anyhow::Result<(DataDir, Journal, History)> {
    let data_dir = DataDir::open(data_dir)?;
    let clock = Arc::new(SystemClock);
    let journal = Journal::open(
        &data_dir.journal_dir(),
        JournalConfig::default(),
        clock.clone(),
    )?;
    let history = History::open(
        &data_dir.history_dir(),
        journal.clone(),
        HistoryConfig::default(),
        clock,
    )?;
    let opening = Instant::now();
    while !history.wait_caught_up(Duration::from_secs(10)) {
        println!(
            "waiting for the history to catch up ({:.0} s)…",
            opening.elapsed().as_secs_f64()
        );
    }
    let status = history.status();
    println!(
        "history: {} docs in {} segment files and {} in memory",
        status.docs, status.persisted_segments, status.memory_segments
    );
    Ok((data_dir, journal, history))
}

fn bench_lookups(
    data_dir: &Path,
    per_kind: usize,
    seconds: u64,
    threads: usize,
    sample: usize,
) -> anyhow::Result<()> {
    let (_data_dir, journal, history) = open_history(data_dir)?;
    let kinds = sample_kinds(&journal, sample)?;
    let queries: Vec<Vec<LookupQuery>> = kinds
        .iter()
        .map(|kind| {
            kind.inputs
                .iter()
                .filter_map(|input| LookupQuery::from_input(input).ok())
                .collect()
        })
        .collect();
    println!(
        "{:<26} {:>9} {:>9} {:>9} {:>11}",
        "lookup (first page of 50)", "p50 ms", "p99 ms", "max ms", "avg events"
    );
    for (kind, queries) in kinds.iter().zip(&queries) {
        let mut latencies = Vec::with_capacity(per_kind);
        let mut returned = 0usize;
        for index in 0..per_kind {
            let query = &queries[index % queries.len()];
            let started = Instant::now();
            let page = history
                .lookup_events(query)
                .map_err(|error| anyhow::anyhow!("{error}"))?;
            latencies.push(started.elapsed());
            returned += page.events.len();
        }
        latencies.sort();
        println!(
            "{:<26} {:>9.3} {:>9.3} {:>9.3} {:>11.1}",
            kind.name,
            milliseconds(percentile(&latencies, 0.5)),
            milliseconds(percentile(&latencies, 0.99)),
            milliseconds(*latencies.last().unwrap_or(&Duration::ZERO)),
            returned as f64 / per_kind as f64
        );
    }
    let all: Vec<&LookupQuery> = queries.iter().flatten().collect();
    let done = AtomicU64::new(0);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for thread in 0..threads {
            let all = &all;
            let done = &done;
            let history = &history;
            scope.spawn(move || {
                let mut rng = rand::rngs::StdRng::seed_from_u64(thread as u64);
                while Instant::now() < deadline {
                    let query = all[rng.random_range(0..all.len())];
                    if history.lookup_events(query).is_ok() {
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "throughput: {:.0} lookups/s ({threads} threads, every kind mixed, {elapsed:.0} s)",
        done.load(Ordering::Relaxed) as f64 / elapsed
    );
    history.close();
    journal.close();
    Ok(())
}

fn bench_visibility(dir: &Path, seconds: u64, loaders: usize) -> anyhow::Result<()> {
    fresh_dir(dir)?;
    let clock = Arc::new(SystemClock);
    let journal = Journal::open(
        &dir.join("journal"),
        JournalConfig::default(),
        clock.clone(),
    )?;
    let history = History::open(
        &dir.join("history"),
        journal.clone(),
        HistoryConfig::default(),
        clock.clone(),
    )?;
    let stop = AtomicBool::new(false);
    let loaded = AtomicU64::new(0);
    let mut latencies = Vec::new();
    let started = Instant::now();
    std::thread::scope(|scope| {
        for loader in 0..loaders {
            let journal = journal.clone();
            let stop = &stop;
            let loaded = &loaded;
            let clock = &clock;
            scope.spawn(move || {
                let mut counter = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let now = opentrail_types::Clock::now(clock.as_ref());
                    let entries: Vec<AppendEntry> = (0..1000)
                        .map(|_| {
                            counter += 1;
                            let id = format!("load-{loader}-{counter:012}");
                            full_ingest_entry(&id, record_with_id(&id, now))
                        })
                        .collect();
                    if let Ok(outcomes) = journal.append(entries) {
                        loaded.fetch_add(outcomes.len() as u64, Ordering::Relaxed);
                    }
                }
            });
        }
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let mut probe = 0u64;
        while Instant::now() < deadline {
            probe += 1;
            let id = format!("probe-{probe:08}");
            let now = opentrail_types::Clock::now(clock.as_ref());
            if journal
                .append(vec![full_ingest_entry(&id, record_with_id(&id, now))])
                .is_err()
            {
                break;
            }
            let acknowledged = Instant::now();
            let query = match LookupQuery::from_input(&attributes(&[("EventId", &id)])) {
                Ok(query) => query,
                Err(_) => break,
            };
            loop {
                if history
                    .lookup_events(&query)
                    .is_ok_and(|page| !page.events.is_empty())
                {
                    latencies.push(acknowledged.elapsed());
                    break;
                }
                if acknowledged.elapsed() > Duration::from_secs(30) {
                    latencies.push(acknowledged.elapsed());
                    break;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        stop.store(true, Ordering::Relaxed);
    });
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    println!(
        "acknowledged → visible: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms over {} probes, while ingesting {:.0} events/s ({loaders} loaders)",
        milliseconds(percentile(&latencies, 0.5)),
        milliseconds(percentile(&latencies, 0.99)),
        milliseconds(*latencies.last().unwrap_or(&Duration::ZERO)),
        latencies.len(),
        loaded.load(Ordering::Relaxed) as f64 / elapsed
    );
    history.close();
    journal.close();
    Ok(())
}
