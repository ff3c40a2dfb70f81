//! `opentrail import`: archives into event history, with a progress bar and a summary;
//! with `--event-data-store`, into a CloudTrail Lake event data store instead
//! ([`run_into_store`]).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use opentrail_archive::discover::{ArchiveFile, discover};
use opentrail_archive::gzip::read_file_capped_into;
use opentrail_archive::layout::{FileKind, KeyClass};
use opentrail_archive::records::{FileContent, RecordPosition, split};
use opentrail_import::{
    FileFailure, ImportCounters, ImportOptions, ImportSummary, Rejection, import,
};
use opentrail_lake::{Caller, StoreKind};
use opentrail_lakestore::{ImportCounts, Importer};
use opentrail_server::Engine;
use opentrail_server::lake::table_kind;
use opentrail_types::{Clock, SystemClock};

use crate::Outcome;
use crate::cli::ImportArgs;
use crate::engine::open_engine;

pub fn run(args: ImportArgs) -> anyhow::Result<Outcome> {
    if let Some(store) = &args.event_data_store {
        return run_into_store(&args, store);
    }
    let opened = open_engine(&args.store, false)?;
    let mut options = ImportOptions {
        max_file_bytes: opened.config.import.max_file_bytes,
        ..ImportOptions::default()
    };
    if let Some(workers) = args.workers {
        options.workers = workers.max(1);
    }
    let counters = ImportCounters::default();
    let show_progress = !args.no_progress && std::io::stderr().is_terminal();
    let started = Instant::now();
    let done = std::sync::atomic::AtomicBool::new(false);
    let summary = std::thread::scope(|scope| {
        let progress = show_progress.then(|| {
            let counters = &counters;
            let done = &done;
            scope.spawn(move || draw_progress(counters, done, started))
        });
        let summary = import(&args.paths, &opened.journal, &options, &counters);
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(progress) = progress {
            let _ = progress.join();
        }
        summary
    });
    opened.wait_searchable()?;
    let status = opened.history.status();
    let searchable = status.indexed_next_seq.saturating_sub(1);
    tracing::info!(parsed = status.parsed_entries, "history indexed the import");
    opened.close();
    let elapsed = started.elapsed();
    let mut out = std::io::stdout().lock();
    print_summary(&mut out, &summary, elapsed, searchable)?;
    Ok(if summary.has_failures() {
        Outcome::Problems
    } else {
        Outcome::Success
    })
}

fn draw_progress(
    counters: &ImportCounters,
    done: &std::sync::atomic::AtomicBool,
    started: Instant,
) {
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files  {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    while !done.load(std::sync::atomic::Ordering::SeqCst) {
        let progress = counters.snapshot();
        bar.set_length(progress.files_total);
        bar.set_position(progress.files_done);
        let seconds = started.elapsed().as_secs_f64().max(0.001);
        bar.set_message(format!(
            "{} events ({} duplicates)  {:.1} MB/s",
            progress.events_imported,
            progress.duplicates,
            progress.bytes_decompressed as f64 / 1e6 / seconds
        ));
        std::thread::sleep(Duration::from_millis(100));
    }
    bar.finish_and_clear();
}

fn print_summary(
    out: &mut impl Write,
    summary: &ImportSummary,
    elapsed: Duration,
    searchable: u64,
) -> std::io::Result<()> {
    let progress = &summary.progress;
    let seconds = elapsed.as_secs_f64().max(0.001);
    writeln!(
        out,
        "imported {} events from {} files in {:.1} s ({:.0} events/s, {:.1} MB/s decompressed)",
        progress.events_imported,
        progress.files_total,
        seconds,
        progress.events_imported as f64 / seconds,
        progress.bytes_decompressed as f64 / 1e6 / seconds,
    )?;
    writeln!(
        out,
        "  files:   {} found, {} failed, {} digest files skipped, {} other paths skipped",
        progress.files_total, progress.files_failed, progress.digest_files, summary.skipped_paths
    )?;
    writeln!(
        out,
        "  records: {} read, {} imported, {} duplicates, {} rejected, {} Insights events",
        progress.records_seen,
        progress.events_imported,
        progress.duplicates,
        progress.rejected,
        progress.insight_events
    )?;
    writeln!(
        out,
        "  history: {searchable} events in the journal are searchable"
    )?;
    if let Some(error) = &summary.journal_error {
        writeln!(out, "the journal stopped accepting events: {error}")?;
    }
    if !summary.failures.is_empty() {
        writeln!(out, "failed files:")?;
        for failure in &summary.failures {
            writeln!(out, "  {}: {}", failure.path.display(), failure.message)?;
        }
    }
    if !summary.rejections.is_empty() {
        writeln!(
            out,
            "rejected records (first {} of {}):",
            summary.rejections.len(),
            progress.rejected
        )?;
        for rejection in &summary.rejections {
            writeln!(
                out,
                "  {} {}: {}",
                rejection.path.display(),
                rejection.position,
                rejection.reason
            )?;
        }
    }
    Ok(())
}

/// Records handed to the store at once (the importer writes one Parquet file per day a
/// batch touches, so bigger batches make fewer, larger files).
const STORE_BATCH_RECORDS: usize = 20_000;
/// Bytes of records handed to the store at once.
const STORE_BATCH_BYTES: usize = 64 << 20;
/// Rejected records listed one by one (all are counted).
const MAX_LISTED_REJECTIONS: usize = 1000;

/// What an import into an event data store did.
#[derive(Debug, Default)]
struct StoreImportSummary {
    store_id: String,
    retention_days: u32,
    files_found: u64,
    digest_files: u64,
    insight_files: u64,
    skipped_paths: u64,
    records_read: u64,
    counts: ImportCounts,
    rejected: u64,
    failures: Vec<FileFailure>,
    rejections: Vec<Rejection>,
}

/// Records waiting to be added, each with the file and position it came from.
#[derive(Debug, Default)]
struct PendingRecords {
    records: Vec<Vec<u8>>,
    origins: Vec<(usize, usize)>,
    bytes: usize,
}

/// `opentrail import --event-data-store`: reads the archives as the journal import does
/// and adds their records to the store's Parquet files with the Lake importer.
fn run_into_store(args: &ImportArgs, given: &str) -> anyhow::Result<Outcome> {
    let engine = open_engine(&args.store, true)?;
    let started = Instant::now();
    let result = import_into_store(&engine, &args.paths, given);
    engine.close();
    let summary = result?;
    let mut out = std::io::stdout().lock();
    print_store_summary(&mut out, &summary, started.elapsed())?;
    Ok(if summary.failures.is_empty() && summary.rejected == 0 {
        Outcome::Success
    } else {
        Outcome::Problems
    })
}

fn import_into_store(
    engine: &Engine,
    paths: &[PathBuf],
    given: &str,
) -> anyhow::Result<StoreImportSummary> {
    let scope = crate::query::admin_scope(engine)?;
    let caller = Caller {
        account_id: scope.account_id,
        region: scope.region,
    };
    let store = engine
        .lake
        .get_event_data_store(&caller, given)
        .with_context(|| format!("cannot import into `{given}`"))?;
    if store.kind != StoreKind::CloudTrailEvents {
        bail!(
            "the event data store `{}` holds {:?} events; log files can be imported into a CloudTrail-events store only",
            store.id,
            store.kind
        );
    }
    if store.is_pending_deletion() {
        bail!(
            "the event data store `{}` is pending deletion; nothing can be imported into it",
            store.id
        );
    }
    let files = engine
        .lake_system
        .storage()
        .files(&store.id, table_kind(store.kind))
        .with_context(|| {
            format!(
                "cannot open the files of the event data store `{}`",
                store.id
            )
        })?;
    let cutoff_ms = SystemClock
        .now()
        .as_millis()
        .saturating_sub(i64::from(store.retention_period_days) * 86_400_000);
    let mut importer = Importer::new(files, cutoff_ms);
    let discovery = discover(paths);
    let mut summary = StoreImportSummary {
        store_id: store.id.clone(),
        retention_days: store.retention_period_days,
        files_found: discovery.files.len() as u64,
        skipped_paths: discovery.skipped,
        ..StoreImportSummary::default()
    };
    for error in &discovery.errors {
        summary.failures.push(FileFailure {
            path: error.path().map(Path::to_path_buf).unwrap_or_default(),
            message: error.message().to_owned(),
        });
    }
    let max_file_bytes = engine.config.import.max_file_bytes;
    let mut pending = PendingRecords::default();
    let mut file_bytes = Vec::new();
    for (file_index, file) in discovery.files.iter().enumerate() {
        match &file.class {
            KeyClass::Digest => {
                summary.digest_files += 1;
                continue;
            }
            // Insights events are no trail events (spec §3.7): StartImport skips them too.
            KeyClass::LogFile(key) if key.kind == FileKind::CloudTrailInsight => {
                summary.insight_files += 1;
                continue;
            }
            _ => {}
        }
        file_bytes.clear();
        if let Err(error) = read_file_capped_into(&file.path, max_file_bytes, &mut file_bytes) {
            summary.failures.push(FileFailure {
                path: file.path.clone(),
                message: error.message().to_owned(),
            });
            continue;
        }
        let records = match split(&file_bytes) {
            Ok(FileContent::Records { records, .. }) => records,
            Ok(FileContent::Digest(_)) => {
                summary.digest_files += 1;
                continue;
            }
            Ok(FileContent::Empty) => continue,
            Err(error) => {
                summary.failures.push(FileFailure {
                    path: file.path.clone(),
                    message: error.message().to_owned(),
                });
                continue;
            }
        };
        summary.records_read += records.len() as u64;
        for (index, record) in records.iter().enumerate() {
            match record {
                Ok(raw) => {
                    let bytes = raw.get().as_bytes();
                    pending.bytes += bytes.len();
                    pending.records.push(bytes.to_vec());
                    pending.origins.push((file_index, index));
                }
                Err(error) => {
                    let position = match error.position() {
                        RecordPosition::Index(index) => format!("record {index}"),
                        RecordPosition::Line(line) => format!("line {line}"),
                    };
                    summary.reject(&file.path, position, error.to_string());
                }
            }
        }
        if pending.records.len() >= STORE_BATCH_RECORDS || pending.bytes >= STORE_BATCH_BYTES {
            add_pending(&mut importer, &mut pending, &discovery.files, &mut summary)?;
        }
    }
    add_pending(&mut importer, &mut pending, &discovery.files, &mut summary)?;
    summary
        .failures
        .sort_by(|left, right| left.path.cmp(&right.path));
    Ok(summary)
}

impl StoreImportSummary {
    fn reject(&mut self, path: &Path, position: String, reason: String) {
        self.rejected += 1;
        if self.rejections.len() < MAX_LISTED_REJECTIONS {
            self.rejections.push(Rejection {
                path: path.to_owned(),
                position,
                reason,
            });
        }
    }
}

/// Adds the pending records to the store.
///
/// # Errors
///
/// The store's files cannot be read or written; nothing of the batch is in the store.
fn add_pending(
    importer: &mut Importer,
    pending: &mut PendingRecords,
    files: &[ArchiveFile],
    summary: &mut StoreImportSummary,
) -> anyhow::Result<()> {
    if pending.records.is_empty() {
        return Ok(());
    }
    let batch = std::mem::take(pending);
    let records: Vec<&[u8]> = batch.records.iter().map(Vec::as_slice).collect();
    let (counts, rejected) = importer.add(&records).with_context(|| {
        format!(
            "cannot add records to the event data store `{}`",
            summary.store_id
        )
    })?;
    summary.counts.added += counts.added;
    summary.counts.duplicates += counts.duplicates;
    summary.counts.expired += counts.expired;
    for rejection in rejected {
        let Some(&(file_index, record_index)) = batch.origins.get(rejection.index) else {
            continue;
        };
        let path = files
            .get(file_index)
            .map(|file| file.path.clone())
            .unwrap_or_default();
        summary.reject(&path, format!("record {record_index}"), rejection.reason);
    }
    Ok(())
}

fn print_store_summary(
    out: &mut impl Write,
    summary: &StoreImportSummary,
    elapsed: Duration,
) -> std::io::Result<()> {
    let counts = &summary.counts;
    writeln!(
        out,
        "imported {} events into event data store {} from {} files in {:.1} s",
        counts.added,
        summary.store_id,
        summary.files_found,
        elapsed.as_secs_f64()
    )?;
    writeln!(
        out,
        "  files:   {} found, {} failed, {} digest files skipped, {} Insights files skipped, {} other paths skipped",
        summary.files_found,
        summary.failures.len(),
        summary.digest_files,
        summary.insight_files,
        summary.skipped_paths
    )?;
    writeln!(
        out,
        "  records: {} read, {} added, {} duplicates, {} expired (older than the {}-day retention), {} rejected",
        summary.records_read,
        counts.added,
        counts.duplicates,
        counts.expired,
        summary.retention_days,
        summary.rejected
    )?;
    if !summary.failures.is_empty() {
        writeln!(out, "failed files:")?;
        for failure in &summary.failures {
            writeln!(out, "  {}: {}", failure.path.display(), failure.message)?;
        }
    }
    if !summary.rejections.is_empty() {
        writeln!(
            out,
            "rejected records (first {} of {}):",
            summary.rejections.len(),
            summary.rejected
        )?;
        for rejection in &summary.rejections {
            writeln!(
                out,
                "  {} {}: {}",
                rejection.path.display(),
                rejection.position,
                rejection.reason
            )?;
        }
    }
    Ok(())
}
