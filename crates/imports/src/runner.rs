//! The runner: lists the source, reads the selected files in key order, and keeps the
//! import's statistics, failures and progress in the registry.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};
use crate::file::{FileOutcome, import_file, with_retries};
use crate::model::{FailureType, ImportFailure, ImportFailureStatus, ImportStatus};
use crate::persist::StoredImport;
use crate::plan::{Plan, TimeRange};
use crate::registry::{Imports, find};
use crate::sink::ImportSink;
use crate::source::{SourceError, SourceReader};

/// The default cap on one file's inflated size: 1 GiB.
pub const DEFAULT_MAX_DECOMPRESSED_BYTES: u64 = 1 << 30;

/// How a run reads and writes; [`RunOptions::default`] suits the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// Cap on one file's inflated size, in bytes (default 1 GiB); a larger file is a
    /// `FileTooLarge` failure entry.
    pub max_decompressed_bytes: u64,
    /// Most records per [`ImportSink::add`] call (default 1000).
    pub batch_max_records: usize,
    /// Most record bytes per [`ImportSink::add`] call (default 4 MiB).
    pub batch_max_bytes: usize,
    /// Tries of one list, read or add when the error is retryable (default 5).
    pub attempts: u32,
    /// Wait before the second try, doubled after each (default 200 ms).
    pub backoff: Duration,
    /// Longest wait between tries (default 10 s).
    pub max_backoff: Duration,
    /// Progress is written after this many files (default 50) …
    pub checkpoint_files: u64,
    /// … or when this many milliseconds of the injected clock passed since the last write
    /// (default 5000), whichever comes first.
    pub checkpoint_interval_millis: i64,
}

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions {
            max_decompressed_bytes: DEFAULT_MAX_DECOMPRESSED_BYTES,
            batch_max_records: 1000,
            batch_max_bytes: 4 << 20,
            attempts: 5,
            backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            checkpoint_files: 50,
            checkpoint_interval_millis: 5000,
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunOutcome {
    /// Every file handled, no failure left: `COMPLETED`.
    Completed,
    /// Every file handled, or listing failed, with failures left: `FAILED`.
    Failed,
    /// `StopImport` stopped it: `STOPPED`, progress kept for a retry.
    Stopped,
    /// The caller's stop flag ended it (shutdown): still running, progress written; run it
    /// again (after a restart: [`Imports::runnable_imports`]) to resume.
    Interrupted,
    /// The import was not running (already ended, or stopped before the run began).
    NotRunnable(ImportStatus),
}

/// The two reasons to stop: the caller's flag (shutdown) and `StopImport`.
#[derive(Debug)]
pub(crate) struct Halt<'a> {
    stop: &'a AtomicBool,
    cancel: &'a AtomicBool,
}

impl Halt<'_> {
    pub(crate) fn is_set(&self) -> bool {
        self.stop.load(Ordering::Relaxed) || self.cancel.load(Ordering::Relaxed)
    }
}

/// Removes the runner's stop flag from the registry when the run ends, however it ends.
struct RunnerRegistration<'a> {
    imports: &'a Imports,
    import_id: &'a str,
}

impl Drop for RunnerRegistration<'_> {
    fn drop(&mut self) {
        self.imports.lock().running.remove(self.import_id);
    }
}

impl Imports {
    /// Runs the import `import_id` to its end on the calling thread, with default options:
    /// see [`Imports::run_with`].
    ///
    /// # Errors
    ///
    /// As [`Imports::run_with`].
    pub fn run(
        &self,
        import_id: &str,
        source: &dyn SourceReader,
        sink: &dyn ImportSink,
        stop: &AtomicBool,
    ) -> Result<RunOutcome> {
        self.run_with(import_id, source, sink, stop, &RunOptions::default())
    }

    /// Runs the import `import_id` on the calling thread (blocking; never a runtime worker
    /// thread) until every selected file is handled, `StopImport` stops it, or `stop` is
    /// set (shutdown: the import stays running and resumes on the next run).
    ///
    /// `source` must be the location of the import's `S3LocationUri` (see
    /// [`crate::open_source`]). The run lists the source (`INITIALIZING`), selects the
    /// `CloudTrail` log files whose name minute the time range admits, then
    /// (`IN_PROGRESS`) first reads again the files of failure entries marked `RETRY`, then
    /// every selected file after the progress cursor, in bytewise key order. Each file's
    /// records in the time range go to `sink` in batches; a file that cannot be read,
    /// inflated, parsed or stored becomes a failure entry and the run goes on. It ends
    /// `COMPLETED` when no failure entry is left unresolved, else `FAILED`.
    ///
    /// # Errors
    ///
    /// `ImportNotFound`; `Internal` when another runner already has the import; `Storage`
    /// when the final state cannot be written (checkpoints that fail are logged and tried
    /// again at the next one).
    pub fn run_with(
        &self,
        import_id: &str,
        source: &dyn SourceReader,
        sink: &dyn ImportSink,
        stop: &AtomicBool,
        options: &RunOptions,
    ) -> Result<RunOutcome> {
        let cancel = Arc::new(AtomicBool::new(false));
        let (import, cursor) = {
            let mut state = self.lock();
            let entry = &state.entries[find(&state, import_id)?];
            let status = entry.import.import_status;
            if !status.is_running() {
                return Ok(RunOutcome::NotRunnable(status));
            }
            let snapshot = (entry.import.clone(), entry.progress.cursor.clone());
            if state.running.contains_key(import_id) {
                return Err(Error::new(
                    ErrorKind::Internal,
                    format!("bug: import `{import_id}` already has a runner"),
                ));
            }
            state
                .running
                .insert(import_id.to_owned(), Arc::clone(&cancel));
            snapshot
        };
        let _registration = RunnerRegistration {
            imports: self,
            import_id,
        };
        let halt = Halt {
            stop,
            cancel: &cancel,
        };
        let range = TimeRange {
            start: import.start_event_time,
            end: import.end_event_time,
        };
        let listed = with_retries(
            options,
            &halt,
            |error: &SourceError| error.retryable,
            || source.list(stop),
        );
        let keys = match listed {
            Ok(Some(keys)) if !halt.is_set() => keys,
            Ok(_) => return self.halted_outcome(import_id),
            Err(error) => return self.finish_listing_failed(import_id, &error),
        };
        let plan = Plan::select(keys, &range);
        let retry_keys = self.update(import_id, true, |entry| {
            let now = self.clock.now();
            for failure in &mut entry.failures {
                if failure.key.is_none() && failure.status == ImportFailureStatus::Retry {
                    failure.status = ImportFailureStatus::Succeeded;
                    failure.last_updated_time = now;
                }
            }
            entry.recount_failed_entries();
            let statistics = &mut entry.import.import_statistics;
            statistics.prefixes_found = plan.prefix_last_keys.len() as u64;
            statistics.prefixes_completed = plan.prefixes_completed(cursor.as_deref());
            if entry.import.import_status == ImportStatus::Initializing {
                entry.import.import_status = ImportStatus::InProgress;
            }
            entry.import.updated_timestamp = now;
            entry
                .failures
                .iter()
                .filter(|failure| failure.status == ImportFailureStatus::Retry)
                .filter_map(|failure| failure.key.clone())
                .collect::<Vec<String>>()
        })?;
        let store_arn = import.destination();
        let mut checkpoint = Checkpoint::new(self, options);
        for key in retry_keys {
            if halt.is_set() {
                return self.halted_outcome(import_id);
            }
            let outcome = import_file(&key, store_arn, &range, source, sink, options, &halt);
            if outcome == FileOutcome::Halted {
                return self.halted_outcome(import_id);
            }
            self.update(import_id, false, |entry| {
                record_retry(entry, &key, &outcome, self)
            })?;
            checkpoint.file_done(import_id);
        }
        for (index, (key, _)) in plan.files.iter().enumerate() {
            if cursor
                .as_deref()
                .is_some_and(|cursor| key.as_str() <= cursor)
            {
                continue;
            }
            if halt.is_set() {
                return self.halted_outcome(import_id);
            }
            let outcome = import_file(key, store_arn, &range, source, sink, options, &halt);
            if outcome == FileOutcome::Halted {
                return self.halted_outcome(import_id);
            }
            let ends_prefix = plan.ends_prefix(index);
            self.update(import_id, false, |entry| {
                record_file(entry, key, source.location_of(key), &outcome, self);
                entry.progress.cursor = Some(key.clone());
                if ends_prefix {
                    entry.import.import_statistics.prefixes_completed += 1;
                }
            })?;
            checkpoint.file_done(import_id);
        }
        self.finish(import_id)
    }

    /// Applies `change` to the import's entry, then writes the registry when `persist`.
    fn update<R>(
        &self,
        import_id: &str,
        persist: bool,
        change: impl FnOnce(&mut StoredImport) -> R,
    ) -> Result<R> {
        let mut state = self.lock();
        let index = find(&state, import_id)?;
        let result = change(&mut state.entries[index]);
        if persist {
            self.save(&state)?;
        }
        Ok(result)
    }

    /// Writes the progress reached and says why the run ended early.
    fn halted_outcome(&self, import_id: &str) -> Result<RunOutcome> {
        let state = self.lock();
        let status = state.entries[find(&state, import_id)?].import.import_status;
        self.save(&state)?;
        Ok(if status == ImportStatus::Stopped {
            RunOutcome::Stopped
        } else {
            RunOutcome::Interrupted
        })
    }

    fn finish_listing_failed(&self, import_id: &str, error: &SourceError) -> Result<RunOutcome> {
        tracing::warn!(import = %import_id, error = %error, "import source cannot be listed");
        let now = self.clock.now();
        let outcome = self.update(import_id, true, |entry| {
            for failure in &mut entry.failures {
                if failure.status == ImportFailureStatus::Retry {
                    failure.status = ImportFailureStatus::Failed;
                    failure.last_updated_time = now;
                }
            }
            entry.failures.push(ImportFailure {
                location: entry.import.import_source.s3.s3_location_uri.clone(),
                status: ImportFailureStatus::Failed,
                error_type: error.failure_type.as_str().to_owned(),
                error_message: error.message.clone(),
                last_updated_time: now,
                key: None,
            });
            entry.recount_failed_entries();
            end_status(entry, now)
        })?;
        Ok(outcome)
    }

    fn finish(&self, import_id: &str) -> Result<RunOutcome> {
        let now = self.clock.now();
        self.update(import_id, true, |entry| end_status(entry, now))
    }
}

/// Sets the final status of a run that reached its end (unless `StopImport` came first).
fn end_status(entry: &mut StoredImport, now: opentrail_types::Timestamp) -> RunOutcome {
    let import = &mut entry.import;
    if import.import_status == ImportStatus::Stopped {
        return RunOutcome::Stopped;
    }
    let (status, outcome) = if import.import_statistics.failed_entries == 0 {
        (ImportStatus::Completed, RunOutcome::Completed)
    } else {
        (ImportStatus::Failed, RunOutcome::Failed)
    };
    import.import_status = status;
    import.updated_timestamp = now;
    outcome
}

fn count_outcome(entry: &mut StoredImport, outcome: &FileOutcome) {
    let statistics = &mut entry.import.import_statistics;
    match outcome {
        FileOutcome::Imported { events } => {
            statistics.files_completed += 1;
            statistics.events_completed += events;
        }
        FileOutcome::Failed { events, .. } => statistics.events_completed += events,
        FileOutcome::Halted => {}
    }
}

/// Records a first-time file's outcome.
fn record_file(
    entry: &mut StoredImport,
    key: &str,
    location: String,
    outcome: &FileOutcome,
    imports: &Imports,
) {
    let now = imports.clock.now();
    count_outcome(entry, outcome);
    if let FileOutcome::Failed {
        failure_type,
        message,
        ..
    } = outcome
    {
        tracing::warn!(import = %entry.import.import_id, location = %location, error = %message, "import file failed");
        entry
            .failures
            .push(new_failure(location, key, *failure_type, message, now));
        entry.recount_failed_entries();
    }
    entry.import.updated_timestamp = now;
}

/// Records the outcome of a retried failure entry.
fn record_retry(entry: &mut StoredImport, key: &str, outcome: &FileOutcome, imports: &Imports) {
    let now = imports.clock.now();
    count_outcome(entry, outcome);
    let retried = entry.failures.iter_mut().find(|failure| {
        failure.key.as_deref() == Some(key) && failure.status == ImportFailureStatus::Retry
    });
    if let Some(failure) = retried {
        failure.last_updated_time = now;
        match outcome {
            FileOutcome::Failed {
                failure_type,
                message,
                ..
            } => {
                failure.status = ImportFailureStatus::Failed;
                failure.error_type = failure_type.as_str().to_owned();
                failure.error_message.clone_from(message);
            }
            FileOutcome::Imported { .. } | FileOutcome::Halted => {
                failure.status = ImportFailureStatus::Succeeded;
            }
        }
    }
    entry.recount_failed_entries();
    entry.import.updated_timestamp = now;
}

fn new_failure(
    location: String,
    key: &str,
    failure_type: FailureType,
    message: &str,
    now: opentrail_types::Timestamp,
) -> ImportFailure {
    ImportFailure {
        location,
        status: ImportFailureStatus::Failed,
        error_type: failure_type.as_str().to_owned(),
        error_message: message.to_owned(),
        last_updated_time: now,
        key: Some(key.to_owned()),
    }
}

/// Decides when in-memory progress is written to `imports.json`.
struct Checkpoint<'a> {
    imports: &'a Imports,
    options: &'a RunOptions,
    files_since: u64,
    last_millis: i64,
}

impl<'a> Checkpoint<'a> {
    fn new(imports: &'a Imports, options: &'a RunOptions) -> Checkpoint<'a> {
        Checkpoint {
            imports,
            options,
            files_since: 0,
            last_millis: imports.clock.now().as_millis(),
        }
    }

    fn file_done(&mut self, import_id: &str) {
        self.files_since += 1;
        let now = self.imports.clock.now().as_millis();
        let due = self.files_since >= self.options.checkpoint_files
            || now.saturating_sub(self.last_millis) >= self.options.checkpoint_interval_millis;
        if !due {
            return;
        }
        let state = self.imports.lock();
        match self.imports.save(&state) {
            Ok(()) => {
                self.files_since = 0;
                self.last_millis = now;
            }
            // The in-memory state is right; the next checkpoint writes it again.
            Err(error) => {
                tracing::warn!(import = %import_id, error = %error, "cannot write import progress");
            }
        }
    }
}
