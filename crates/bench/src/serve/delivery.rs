//! `serve-delivery`: how long an event takes from its acknowledgement by `POST /ingest` to
//! the log file holding it being durable in the trail's bucket.
//!
//! The server runs in-process on a fresh data directory with `[trails]
//! delivery_interval_secs` set from `--interval-secs`. Through the API (signed JSON 1.1
//! calls, as any client makes them) the benchmark creates a trail whose bucket is the local
//! bucket directory `<data dir>/buckets/<bucket>/` (log file validation on) and starts it
//! logging. It then ingests realistic management events of the trail's account at a steady
//! rate (a request every 10 ms on a few keep-alive connections), noting when each event's
//! request was acknowledged, while a watcher thread lists the bucket's `CloudTrail/` folder
//! every 5 ms. The local store writes an object to a temporary name, fsyncs it and renames
//! it into place, so a file is durable once its name shows. Each new file is then read and
//! its `eventID`s looked up; the figure per event is (file first seen − acknowledgement).
//! (Reading a file delays the next listing by its parse time, a few milliseconds for the
//! files of a 1-second interval at 2,000 events/s.)
//! After the ingest, the benchmark waits for every acknowledged event to show up (at most
//! two intervals and 10 s more); any still missing fail the run.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Context;
use bytes::Bytes;
use http::StatusCode;
use opentrail_generate::GenerateConfig;
use opentrail_server::config::KeySection;
use opentrail_server::{Config, SIGNING_SERVICE, Server};
use opentrail_sigv4::Credentials;
use opentrail_types::{Clock, RandomIds, SystemClock, Timestamp};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::mpsc;

use super::ingest::{IngestResponse, NDJSON};
use super::{Connection, Failures, LatencySummary, RunningServer, Signer, call, quote, verdict};
use crate::records::{RecordTemplate, format_uuid, generated_records, recipient_account};

/// The benchmark's key (admin of the generated account).
const ACCESS_KEY_ID: &str = "AKIAOPENTRAILBENCHDELIVERY";
const SECRET_ACCESS_KEY: &str = "opentrail-bench-delivery-secret-0000";
const BUCKET: &str = "opentrail-bench-delivery";
const TRAIL: &str = "bench-delivery-trail";
const CREATE_TRAIL_TARGET: &str = "CloudTrail_20131101.CreateTrail";
const START_LOGGING_TARGET: &str = "CloudTrail_20131101.StartLogging";
/// Events generated to take record templates from.
const GENERATED_EVENTS: u64 = 5_000;
/// Time between two ingest requests.
const TICK: Duration = Duration::from_millis(10);
/// Time between two listings of the bucket.
const POLL: Duration = Duration::from_millis(5);
/// Connections the requests are spread over.
const CONNECTIONS: usize = 4;
/// Requests built but not yet sent, at most.
const QUEUED_REQUESTS: usize = 64;
/// Largest log file read back, inflated.
const MAX_LOG_FILE_BYTES: u64 = 1 << 30;
/// The bar's allowance on top of the delivery interval.
const BAR_SLACK: Duration = Duration::from_secs(1);

/// Flags of `serve-delivery`.
#[derive(Debug)]
pub struct Args {
    /// Scratch folder, emptied first: `data/` is the server's data directory.
    pub dir: PathBuf,
    /// Length of the ingest.
    pub seconds: u64,
    /// Events per second ingested.
    pub rate: u64,
    /// The server's delivery interval, seconds.
    pub interval_secs: u64,
}

/// Runs the benchmark.
pub fn run(args: &Args) -> anyhow::Result<()> {
    anyhow::ensure!(args.rate >= 1, "`--rate` must be at least 1");
    anyhow::ensure!(args.seconds >= 1, "`--seconds` must be at least 1");
    crate::fresh_dir(&args.dir)?;
    let mut config = Config::load(None, std::env::vars()).context("config")?;
    config.data_dir = args.dir.join("data");
    config.trails.delivery_interval_secs = args.interval_secs;
    // The generator takes whole seconds.
    let now = Timestamp::from_secs(SystemClock.now().as_secs());
    let records = generated_records(
        &args.dir.join("templates"),
        &GenerateConfig {
            seed: 1,
            events: GENERATED_EVENTS,
            start: now.saturating_add_millis(-3_600_000),
            end: now,
            accounts: 1,
            regions: vec![config.region.clone()],
            ..GenerateConfig::default()
        },
    )?;
    let account = records
        .iter()
        .find_map(|record| recipient_account(record))
        .context("the generated records have no `recipientAccountId`")?;
    let templates = crate::records::templates(&records);
    anyhow::ensure!(!templates.is_empty(), "no usable generated record");
    config.keys.push(KeySection {
        access_key_id: String::from(ACCESS_KEY_ID),
        secret_access_key: String::from(SECRET_ACCESS_KEY),
        account_id: account.clone(),
        user_name: String::from("bench-delivery"),
        arn: None,
        permission: String::from("admin"),
    });
    let bucket_dir = config.data_dir.join("buckets").join(BUCKET);
    std::fs::create_dir_all(&bucket_dir)
        .with_context(|| format!("cannot create `{}`", bucket_dir.display()))?;
    let region = config.region.clone();
    let server = Server::open(config, Arc::new(SystemClock), Arc::new(RandomIds))
        .context("cannot open the server")?;
    println!(
        "account `{account}`, {} record templates; trail `{TRAIL}` on local bucket `{}`, delivery interval {} s",
        templates.len(),
        bucket_dir.display(),
        args.interval_secs
    );
    let credentials = Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
    super::runtime()?.block_on(drive(
        server,
        credentials,
        region,
        templates,
        &bucket_dir,
        args,
    ))
}

/// Event IDs seen in delivered files, with when their file was first listed.
type Visible = Arc<Mutex<HashMap<String, Instant>>>;

async fn drive(
    server: Server,
    credentials: Credentials,
    region: String,
    templates: Vec<RecordTemplate>,
    bucket_dir: &Path,
    args: &Args,
) -> anyhow::Result<()> {
    let running = RunningServer::start(server).await?;
    let address = running.address;
    let signer = Arc::new(Signer::new(credentials, region, address)?);
    let mut connection = Connection::new(address);
    let trail = json!({"Name": TRAIL, "S3BucketName": BUCKET, "EnableLogFileValidation": true});
    call(
        &mut connection,
        &signer,
        SIGNING_SERVICE,
        CREATE_TRAIL_TARGET,
        &trail,
    )
    .await?;
    call(
        &mut connection,
        &signer,
        SIGNING_SERVICE,
        START_LOGGING_TARGET,
        &json!({"Name": TRAIL}),
    )
    .await?;

    let stop = Arc::new(AtomicBool::new(false));
    let visible: Visible = Arc::default();
    let watcher = {
        let (stop, visible) = (Arc::clone(&stop), Arc::clone(&visible));
        let root = bucket_dir.to_path_buf();
        std::thread::spawn(move || watch(&root, &stop, &visible))
    };

    let ingest = ingest(&signer, address, templates, args.rate, args.seconds).await;
    let interval = Duration::from_secs(args.interval_secs);
    let waited = Instant::now();
    let deadline = waited + 2 * interval + Duration::from_secs(10);
    if let Ok((acknowledged, _)) = &ingest {
        while Instant::now() < deadline && missing(acknowledged, &visible) > 0 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let waited = waited.elapsed();
    stop.store(true, Ordering::Relaxed);
    let files = watcher
        .join()
        .map_err(|_| anyhow::anyhow!("the bucket watcher panicked"))??;
    running.stop().await?;
    let (acknowledged, failures) = ingest?;

    let visible = visible.lock().unwrap_or_else(PoisonError::into_inner);
    let mut latencies = Vec::with_capacity(acknowledged.len());
    let mut missing_events = 0usize;
    for (event_id, acknowledged_at) in &acknowledged {
        match visible.get(event_id) {
            Some(seen) => latencies.push(seen.saturating_duration_since(*acknowledged_at)),
            None => missing_events += 1,
        }
    }
    let summary = LatencySummary::of(&mut latencies);
    let bar = interval + BAR_SLACK;
    println!(
        "serve-delivery: {} events acknowledged over {} s ({:.0} events/s; asked {}), {files} log files delivered",
        acknowledged.len(),
        args.seconds,
        acknowledged.len() as f64 / args.seconds as f64,
        args.rate
    );
    println!(
        "acknowledged → log file durable in the bucket: {} over {} events",
        summary.describe(),
        summary.count
    );
    println!(
        "bar: p99 ≤ interval + 1 s = {:.1} s {}",
        bar.as_secs_f64(),
        verdict(summary.count > 0 && missing_events == 0 && summary.p99 <= bar)
    );
    failures.check(acknowledged.len() as u64 + failures.count)?;
    anyhow::ensure!(
        files > 0,
        "no log file appeared in `{}`: does the server deliver trails?",
        bucket_dir.display()
    );
    anyhow::ensure!(
        missing_events == 0,
        "{missing_events} acknowledged events were in no delivered file {:.1} s after the ingest ended",
        waited.as_secs_f64()
    );
    Ok(())
}

/// How many acknowledged events are not in a delivered file yet.
fn missing(acknowledged: &[(String, Instant)], visible: &Visible) -> usize {
    let visible = visible.lock().unwrap_or_else(PoisonError::into_inner);
    acknowledged
        .iter()
        .filter(|(event_id, _)| !visible.contains_key(event_id))
        .count()
}

/// One request's records.
struct Batch {
    body: Bytes,
    event_ids: Vec<String>,
}

/// Ingests `rate` events per second for `seconds` (a request every [`TICK`] with the
/// events due by then, on [`CONNECTIONS`] keep-alive connections), each a copy of the next
/// template with a fresh `eventID` (UUID-shaped, unique in a fresh data directory) and the
/// current `eventTime`; returns every acknowledged event with the instant its request was
/// answered, and the failed requests.
pub(super) async fn ingest(
    signer: &Arc<Signer>,
    address: std::net::SocketAddr,
    templates: Vec<RecordTemplate>,
    rate: u64,
    seconds: u64,
) -> anyhow::Result<(Vec<(String, Instant)>, Failures)> {
    let (sender, receiver) = mpsc::channel::<Batch>(QUEUED_REQUESTS);
    let receiver = Arc::new(tokio::sync::Mutex::new(receiver));
    let mut tasks = Vec::with_capacity(CONNECTIONS);
    for _ in 0..CONNECTIONS {
        let (signer, receiver) = (Arc::clone(signer), Arc::clone(&receiver));
        tasks.push(tokio::spawn(async move {
            let mut connection = Connection::new(address);
            let mut acknowledged = Vec::new();
            let mut failures = Failures::default();
            loop {
                let Some(batch) = receiver.lock().await.recv().await else {
                    break;
                };
                send_batch(
                    &mut connection,
                    &signer,
                    batch,
                    &mut acknowledged,
                    &mut failures,
                )
                .await;
            }
            (acknowledged, failures)
        }));
    }
    let started = Instant::now();
    let duration = Duration::from_secs(seconds);
    let mut ticker = tokio::time::interval(TICK);
    let mut sent = 0u64;
    let mut template = 0usize;
    while started.elapsed() < duration {
        ticker.tick().await;
        let due = (rate as f64 * started.elapsed().as_secs_f64()) as u64;
        if due <= sent {
            continue;
        }
        let time = SystemClock.now().format_event_time();
        let time: [u8; 20] = time
            .as_bytes()
            .try_into()
            .with_context(|| format!("unexpected time format `{time}`"))?;
        let mut body = Vec::with_capacity((due - sent) as usize * 1_600);
        let mut event_ids = Vec::with_capacity((due - sent) as usize);
        for counter in sent..due {
            // UUID-shaped and unique in the fresh data directory.
            let id = format_uuid((0x4000_8000_u128 << 48) | u128::from(counter));
            templates[template % templates.len()].write(&mut body, &id, &time);
            template += 1;
            body.push(b'\n');
            event_ids.push(String::from_utf8_lossy(&id).into_owned());
        }
        sent = due;
        let batch = Batch {
            body: Bytes::from(body),
            event_ids,
        };
        if sender.send(batch).await.is_err() {
            break;
        }
    }
    drop(sender);
    let mut acknowledged = Vec::new();
    let mut failures = Failures::default();
    for task in tasks {
        let (events, task_failures) = task.await.context("an ingest connection panicked")?;
        acknowledged.extend(events);
        failures.merge(task_failures);
    }
    Ok((acknowledged, failures))
}

/// Posts one batch and notes its events as acknowledged when all were accepted.
async fn send_batch(
    connection: &mut Connection,
    signer: &Signer,
    batch: Batch,
    acknowledged: &mut Vec<(String, Instant)>,
    failures: &mut Failures,
) {
    let request = match signer.post("/ingest", NDJSON, None, batch.body) {
        Ok(request) => request,
        Err(error) => {
            failures.record(format!("{error:#}"));
            return;
        }
    };
    match connection.send(request).await {
        Ok((StatusCode::OK, body)) => match serde_json::from_slice::<IngestResponse>(&body) {
            Ok(answer) if answer.accepted == batch.event_ids.len() => {
                let now = Instant::now();
                acknowledged.extend(batch.event_ids.into_iter().map(|id| (id, now)));
            }
            Ok(answer) => failures.record(format!(
                "Accepted {} of {} ({} duplicates, first refusal {:?})",
                answer.accepted,
                batch.event_ids.len(),
                answer.duplicates,
                answer.failed.first()
            )),
            Err(error) => failures.record(format!(
                "200 with an unreadable body ({error}): {}",
                quote(&body)
            )),
        },
        Ok((status, body)) => failures.record(format!("HTTP {status}: {}", quote(&body))),
        Err(error) => failures.record(format!("{error:#}")),
    }
}

/// Lists the log files below `root` every [`POLL`] until `stop`; for each new file, notes
/// the time it was first listed for every `eventID` it holds. Returns the number of files.
fn watch(root: &Path, stop: &AtomicBool, visible: &Visible) -> anyhow::Result<usize> {
    let mut known: HashSet<PathBuf> = HashSet::new();
    let mut fresh: Vec<PathBuf> = Vec::new();
    loop {
        let stopping = stop.load(Ordering::Relaxed);
        fresh.clear();
        list_log_files(root, &known, &mut fresh)?;
        let seen = Instant::now();
        for path in &fresh {
            for event_id in event_ids(path)? {
                visible
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .entry(event_id)
                    .or_insert(seen);
            }
            known.insert(path.clone());
        }
        if stopping {
            return Ok(known.len());
        }
        std::thread::sleep(POLL);
    }
}

/// Adds the delivered log files below `dir` that are not in `known` to `fresh`: `.json.gz`
/// files outside `CloudTrail-Digest` folders, leaving out writes in progress (`.tmp-*`).
fn list_log_files(
    dir: &Path,
    known: &HashSet<PathBuf>,
    fresh: &mut Vec<PathBuf>,
) -> anyhow::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        // The trail's folders appear with its first file.
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => {
            return Err(error).with_context(|| format!("cannot list `{}`", dir.display()));
        }
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            if name != "CloudTrail-Digest" {
                list_log_files(&path, known, fresh)?;
            }
        } else if name.ends_with(".json.gz") && !name.starts_with(".tmp-") && !known.contains(&path)
        {
            fresh.push(path);
        }
    }
    Ok(())
}

/// The `eventID`s of a delivered log file.
fn event_ids(path: &Path) -> anyhow::Result<Vec<String>> {
    #[derive(Deserialize)]
    struct LogFile {
        #[serde(rename = "Records")]
        records: Vec<IdOnly>,
    }
    #[derive(Deserialize)]
    struct IdOnly {
        #[serde(rename = "eventID")]
        event_id: Option<String>,
    }
    let stored =
        std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let decoded = opentrail_archive::gzip::decode_slice_capped(&stored, MAX_LOG_FILE_BYTES)
        .with_context(|| format!("cannot decode `{}`", path.display()))?;
    let file: LogFile = serde_json::from_slice(&decoded.bytes)
        .with_context(|| format!("`{}` is not a log file", path.display()))?;
    Ok(file
        .records
        .into_iter()
        .filter_map(|record| record.event_id)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_skips_digests_temporary_files_and_known_files() {
        let root =
            std::env::temp_dir().join(format!("opentrail-bench-watch-{}", std::process::id()));
        let logs = root.join("AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/02");
        let digests = root.join("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/02");
        std::fs::create_dir_all(&logs).unwrap();
        std::fs::create_dir_all(&digests).unwrap();
        for (folder, name) in [
            (&logs, "a.json.gz"),
            (&logs, "b.json.gz"),
            (&logs, ".tmp-123-0"),
            (&logs, ".tmp-123-1.json.gz"),
            (&logs, "b.json.gz.meta.json"),
            (&digests, "d.json.gz"),
        ] {
            std::fs::write(folder.join(name), b"").unwrap();
        }
        let known = HashSet::from([logs.join("a.json.gz")]);
        let mut fresh = Vec::new();
        list_log_files(&root, &known, &mut fresh).unwrap();
        assert_eq!(fresh, [logs.join("b.json.gz")]);
        let mut none = Vec::new();
        list_log_files(&root.join("absent"), &known, &mut none).unwrap();
        assert!(none.is_empty());
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn event_ids_are_read_from_a_delivered_file() {
        let path = std::env::temp_dir().join(format!(
            "opentrail-bench-ids-{}.json.gz",
            std::process::id()
        ));
        let json = br#"{"Records":[{"eventID":"a"},{"eventName":"x"},{"eventID":"b"}]}"#;
        std::fs::write(&path, opentrail_digest::gzip::gzip(json)).unwrap();
        assert_eq!(event_ids(&path).unwrap(), ["a", "b"]);
        std::fs::remove_file(&path).unwrap();
    }
}
