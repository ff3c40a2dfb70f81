//! `opentrail import`: archives into event history, with a progress bar and a summary.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use opentrail_import::{ImportCounters, ImportOptions, ImportSummary, import};

use crate::Outcome;
use crate::cli::ImportArgs;
use crate::engine::open_engine;

pub fn run(args: ImportArgs) -> anyhow::Result<Outcome> {
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
