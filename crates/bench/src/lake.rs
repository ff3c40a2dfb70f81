//! `lake`: CloudTrail Lake on generated logs, in one run (`--reuse`: the queries again on
//! the store an earlier run left).
//!
//! 1. Ingest: the logs are imported into a fresh journal with the import pipeline
//!    (`opentrail import` without the event history index), then one store's journal
//!    writer ([`LakeStorage`]) is started at the start of that journal and timed until
//!    every record is in Parquet: the writer's events/s against the journal bar.
//! 2. Queries: four typical Lake queries ([`queries`]) on the store's files, each run
//!    `--runs` times; their figures, row counts and check sums go to
//!    `WORK/lake-results.json`, which `bench/lake_duckdb.py` reads to run the same
//!    queries in DuckDB and compare.
//!
//! The store takes every management event of one account in every Region (the trail
//! default selectors), so logs generated for one account with no data events land in it
//! whole; the figures say how many did.

mod queries;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use opentrail_blob::Bucket;
use opentrail_columnar::TableKind;
use opentrail_import::{ImportCounters, ImportOptions, import};
use opentrail_journal::{Journal, JournalConfig};
use opentrail_lakestore::{LakeStorage, StorageOptions, StorageParts, StoreSpec, WriterConfig};
use opentrail_selectors::{CompiledSelectors, SelectorConfig};
use opentrail_types::{SharedClock, SystemClock};

/// The store's id: its SQL table name and its folder in the bucket.
pub const STORE_ID: &str = "5c1f2a3b-7d4e-4f60-9a81-b2c3d4e5f607";

/// Arguments of `lake`.
#[derive(Debug)]
pub struct Args {
    /// Generated logs (`opentrail generate --out`).
    pub logs: PathBuf,
    /// Scratch folder (removed first): journal, bucket, manifests, results.
    pub work: PathBuf,
    /// Runs of each query.
    pub runs: usize,
    /// Import worker threads; `None` for one per core.
    pub workers: Option<usize>,
    /// Only the queries, on the store an earlier run left in `work`.
    pub reuse: bool,
}

/// What the ingest part measured.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Ingest {
    /// Events the import put in the journal.
    pub journal_events: u64,
    /// Wall time of the import, seconds.
    pub import_seconds: f64,
    /// Bytes of JSON the import read (decompressed).
    pub import_json_bytes: u64,
    /// Rows the store holds once its writer caught up.
    pub store_rows: u64,
    /// Bytes of Parquet the store holds.
    pub store_bytes: u64,
    /// Parquet files of the store.
    pub store_files: usize,
    /// From the writer's start to its position reaching the journal's end, seconds.
    pub writer_seconds: f64,
}

/// Runs the benchmark.
///
/// # Errors
///
/// The scratch folder, the journal, the import, the bucket or a query failed.
pub fn run(args: &Args) -> anyhow::Result<()> {
    if !args.logs.is_dir() {
        bail!("no logs folder `{}`", args.logs.display());
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let bucket_dir = args.work.join("bucket");
    let results_path = args.work.join("lake-results.json");
    let (ingest, account) = if args.reuse {
        earlier_ingest(&results_path)?
    } else {
        ingest(args, &runtime, &bucket_dir)?
    };

    // The store as the writer left it; its journal is not needed to read it.
    let journal = Journal::open(
        &args.work.join("journal"),
        JournalConfig::default(),
        Arc::new(SystemClock),
    )?;
    let bucket = Bucket::local("lake", bucket_dir.clone());
    let storage = storage(&journal, &bucket, args, runtime.handle().clone());
    let files = storage.files(STORE_ID, TableKind::CloudTrail)?;
    let snapshot = files.snapshot();
    if snapshot.is_empty() {
        bail!("the store in `{}` has no files", args.work.display());
    }
    let tables = queries::tables(&files);
    drop(storage);
    journal.close();
    let report = runtime.block_on(queries::run(
        bucket.object_store()?,
        tables,
        args.runs.max(1),
    ))?;
    let results = serde_json::json!({
        "store_id": STORE_ID,
        "account": account,
        "parquet_dir": bucket_dir.join(STORE_ID),
        "parquet_files": snapshot.iter().map(|entry| bucket_dir.join(&entry.key)).collect::<Vec<_>>(),
        "logs": &args.logs,
        "runs": args.runs.max(1),
        "ingest": ingest,
        "parameters": report.parameters,
        "queries": report.queries,
    });
    std::fs::write(&results_path, serde_json::to_vec_pretty(&results)?)
        .with_context(|| format!("cannot write `{}`", results_path.display()))?;
    println!("results: {}", results_path.display());
    Ok(())
}

/// The ingest figures and account of the run that left its results at `path`.
fn earlier_ingest(path: &std::path::Path) -> anyhow::Result<(Ingest, String)> {
    #[derive(serde::Deserialize)]
    struct Earlier {
        ingest: Ingest,
        account: String,
    }
    let text = std::fs::read(path)
        .with_context(|| format!("--reuse needs an earlier run's `{}`", path.display()))?;
    let earlier: Earlier = serde_json::from_slice(&text)
        .with_context(|| format!("`{}` is not an earlier run's results", path.display()))?;
    println!(
        "reusing the store of an earlier run (its writer: {:.0} events/s)",
        earlier.ingest.store_rows as f64 / earlier.ingest.writer_seconds
    );
    Ok((earlier.ingest, earlier.account))
}

fn storage(
    journal: &Journal,
    bucket: &Bucket,
    args: &Args,
    runtime: tokio::runtime::Handle,
) -> LakeStorage {
    LakeStorage::new(StorageParts {
        journal: journal.clone(),
        bucket: bucket.clone(),
        prefix: String::new(),
        state_root: args.work.join("lake-state"),
        runtime,
        clock: Arc::new(SystemClock),
        options: StorageOptions {
            // Files replaced by compaction leave the bucket at once, so that a glob over
            // the store's folder (DuckDB's view) sees exactly the store's files. No query
            // runs while the writer does.
            garbage_grace: Duration::ZERO,
            ..StorageOptions::default()
        },
        writer: WriterConfig::default(),
    })
}

/// Empties `args.work`, imports the logs into a fresh journal, then times the store's
/// writer from the journal's start to its end.
fn ingest(
    args: &Args,
    runtime: &tokio::runtime::Runtime,
    bucket_dir: &std::path::Path,
) -> anyhow::Result<(Ingest, String)> {
    match std::fs::remove_dir_all(&args.work) {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => {
            return Err(error).with_context(|| format!("cannot empty `{}`", args.work.display()));
        }
    }
    std::fs::create_dir_all(bucket_dir)
        .with_context(|| format!("cannot create `{}`", bucket_dir.display()))?;
    let clock: SharedClock = Arc::new(SystemClock);
    let journal = Journal::open(&args.work.join("journal"), JournalConfig::default(), clock)?;

    println!("== lake ingest: import into a fresh journal");
    let mut options = ImportOptions::default();
    if let Some(workers) = args.workers {
        options.workers = workers.max(1);
    }
    let counters = ImportCounters::default();
    let summary = import(
        std::slice::from_ref(&args.logs),
        &journal,
        &options,
        &counters,
    );
    if summary.has_failures() {
        bail!(
            "the import had failures: {} files, {} records rejected, journal: {:?}",
            summary.failures.len(),
            summary.progress.rejected,
            summary.journal_error
        );
    }
    let imported = summary.progress.events_imported;
    let import_seconds = summary.elapsed.as_secs_f64();
    println!(
        "journal import: {imported} events ({} duplicates) in {import_seconds:.1} s: {:.0} events/s, {:.0} MB/s of JSON",
        summary.progress.duplicates,
        imported as f64 / import_seconds,
        summary.progress.bytes_decompressed as f64 / 1e6 / import_seconds,
    );

    let account = first_account(&journal)?;
    let bucket = Bucket::local("lake", bucket_dir.to_path_buf());
    let storage = storage(&journal, &bucket, args, runtime.handle().clone());

    println!("== lake ingest: the store's journal writer catching up with the journal");
    let files = storage.files(STORE_ID, TableKind::CloudTrail)?;
    // A new store starts at the journal's end; this one reads it all.
    files.add(Vec::new(), Some(journal.start_position()))?;
    let end = journal.committed().position();
    let started = Instant::now();
    storage.sync(vec![spec(&account)])?;
    while files.position() != Some(end) {
        std::thread::sleep(Duration::from_millis(5));
    }
    let writer_seconds = started.elapsed().as_secs_f64();
    storage.stop();
    files.collect_garbage()?;
    let (store_rows, store_bytes) = files.totals();
    let store_files = files.snapshot().len();
    println!(
        "lake writer: {store_rows} of {imported} journal events into {store_files} Parquet files ({:.0} MB) in {writer_seconds:.1} s: {:.0} events/s (bar: >= 100,000 events/s: {})",
        store_bytes as f64 / 1e6,
        store_rows as f64 / writer_seconds,
        crate::serve::verdict(store_rows as f64 / writer_seconds >= 100_000.0),
    );
    if store_rows != imported {
        println!(
            "note: {} journal events are not in the store (other accounts, data or Insights events)",
            imported.saturating_sub(store_rows)
        );
    }
    drop(storage);
    journal.close();
    let ingest = Ingest {
        journal_events: imported,
        import_seconds,
        import_json_bytes: summary.progress.bytes_decompressed,
        store_rows,
        store_bytes,
        store_files,
        writer_seconds,
    };
    Ok((ingest, account))
}

/// The store: every management event of `account`, every Region, as a new store with
/// the default selectors takes them.
fn spec(account: &str) -> StoreSpec {
    StoreSpec {
        store_id: STORE_ID.to_owned(),
        account_id: account.to_owned(),
        home_region: "us-east-1".to_owned(),
        multi_region: true,
        kind: TableKind::CloudTrail,
        selectors: Some(CompiledSelectors::new(&SelectorConfig::trail_default())),
        channel_arns: Vec::new(),
        ingesting: true,
        retention_days: 3653,
        insight_sources: Vec::new(),
    }
}

/// The `recipientAccountId` of the journal's first record: the store's account.
fn first_account(journal: &Journal) -> anyhow::Result<String> {
    #[derive(serde::Deserialize)]
    struct Head {
        #[serde(rename = "recipientAccountId")]
        recipient_account_id: String,
    }
    let mut reader = journal.reader(journal.start_position())?;
    let batch = reader.read_batch(1, 1 << 20)?;
    let Some(entry) = batch.iter().next() else {
        bail!("the import put no event in the journal");
    };
    let head: Head = serde_json::from_slice(entry.payload)
        .context("the journal's first record has no `recipientAccountId`")?;
    Ok(head.recipient_account_id)
}
