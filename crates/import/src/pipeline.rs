//! The import workers.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use opentrail_archive::discover::{ArchiveFile, discover};
use opentrail_archive::gzip::{DEFAULT_MAX_DECOMPRESSED_BYTES, read_file_capped_into};
use opentrail_archive::layout::KeyClass;
use opentrail_archive::records::{FileContent, RecordPosition, split};
use opentrail_event::{Event, EventCategory, RecordLimits};
use opentrail_journal::{AppendEntry, AppendOutcome, Journal, PendingAppend};

use crate::progress::{Counter, ImportCounters, ImportProgress};

/// How an import runs.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Largest file accepted after decompression, in bytes; a larger one (a gzip bomb) is
    /// refused with an error. Default 512 MiB.
    pub max_file_bytes: u64,
    /// Record size limits. Default: the standard 256 KB.
    pub limits: RecordLimits,
    /// Worker threads. Default: the machine's parallelism.
    pub workers: usize,
    /// Events per journal append. Default 4,096.
    pub batch_events: usize,
    /// Rejected records listed one by one in the summary (all are counted). Default 1,000.
    pub max_listed_rejections: usize,
}

impl Default for ImportOptions {
    fn default() -> ImportOptions {
        ImportOptions {
            max_file_bytes: DEFAULT_MAX_DECOMPRESSED_BYTES,
            limits: RecordLimits::STANDARD,
            workers: std::thread::available_parallelism().map_or(2, usize::from),
            batch_events: 4096,
            max_listed_rejections: 1000,
        }
    }
}

/// A file that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFailure {
    /// The file (or folder, when it could not be listed).
    pub path: PathBuf,
    /// Why.
    pub message: String,
}

/// A record refused by validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The file it came from.
    pub path: PathBuf,
    /// Where in the file: `record 3` (0-based index) or `line 12`.
    pub position: String,
    /// Why, naming the member at fault.
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct ImportSummary {
    /// Final counters.
    pub progress: ImportProgress,
    /// Paths skipped by name (not `.json`, `.json.gz`, `.gz`, `.jsonl`, `.ndjson`).
    pub skipped_paths: u64,
    /// Files that failed, in path order.
    pub failures: Vec<FileFailure>,
    /// The first rejected records (up to `max_listed_rejections`), in path order.
    pub rejections: Vec<Rejection>,
    /// Wall time.
    pub elapsed: Duration,
    /// Set when the journal stopped accepting appends; the import stopped there.
    pub journal_error: Option<String>,
}

impl ImportSummary {
    /// Whether anything failed: a file, a record, or the journal.
    pub fn has_failures(&self) -> bool {
        !self.failures.is_empty() || self.progress.rejected > 0 || self.journal_error.is_some()
    }
}

/// Imports every archive file under `paths` into `journal`, updating `counters` as it
/// goes. Never panics on bad input; every problem ends up in the summary.
pub fn import(
    paths: &[PathBuf],
    journal: &Journal,
    options: &ImportOptions,
    counters: &ImportCounters,
) -> ImportSummary {
    let started = Instant::now();
    let discovery = discover(paths);
    counters.add(Counter::FilesTotal, discovery.files.len() as u64);
    let shared = Shared {
        files: discovery.files,
        next: AtomicUsize::new(0),
        journal,
        options,
        counters,
        failures: Mutex::new(Vec::new()),
        rejections: Mutex::new(Vec::new()),
        journal_error: Mutex::new(None),
    };
    for error in discovery.errors {
        let path = error.path().map(Path::to_path_buf).unwrap_or_default();
        shared.fail(&path, error.message().to_owned());
    }
    std::thread::scope(|scope| {
        for _ in 0..options.workers.max(1) {
            scope.spawn(|| shared.run_worker());
        }
    });
    let mut failures = shared
        .failures
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    failures.sort_by(|left, right| left.path.cmp(&right.path));
    let mut rejections = shared
        .rejections
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    rejections.sort_by(|left, right| left.path.cmp(&right.path));
    rejections.truncate(options.max_listed_rejections);
    ImportSummary {
        progress: counters.snapshot(),
        skipped_paths: discovery.skipped,
        failures,
        rejections,
        elapsed: started.elapsed(),
        journal_error: shared
            .journal_error
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    }
}

struct Shared<'a> {
    files: Vec<ArchiveFile>,
    next: AtomicUsize,
    journal: &'a Journal,
    options: &'a ImportOptions,
    counters: &'a ImportCounters,
    failures: Mutex<Vec<FileFailure>>,
    rejections: Mutex<Vec<Rejection>>,
    journal_error: Mutex<Option<String>>,
}

/// Namespace of the name-based UUIDs given to records that have no `eventID`.
const STAMPED_ID_NAMESPACE: uuid::Uuid =
    uuid::Uuid::from_u128(0x6f70_656e_7472_6169_6c2d_6576_656e_7469);

/// The `eventID` given to a record that has none: a name-based (v5) UUID of its compact
/// JSON, so the same record sent or imported twice gets the same ID and is kept once.
pub fn stamped_event_id(compact_record: &[u8]) -> String {
    uuid::Uuid::new_v5(&STAMPED_ID_NAMESPACE, compact_record)
        .hyphenated()
        .to_string()
}

/// One worker's reusable buffers and appends in flight.
struct Worker {
    batch: Vec<AppendEntry>,
    insights: Vec<bool>,
    scratch: Vec<u8>,
    file_bytes: Vec<u8>,
    in_flight: InFlight,
}

/// Appends handed to the journal and not yet confirmed, with the categories of their
/// events (to count Insights once appended).
type InFlight = VecDeque<(PendingAppend, Vec<bool>)>;

impl Shared<'_> {
    fn run_worker(&self) {
        let mut worker = Worker {
            batch: Vec::with_capacity(self.options.batch_events),
            insights: Vec::with_capacity(self.options.batch_events),
            scratch: Vec::new(),
            file_bytes: Vec::new(),
            in_flight: VecDeque::new(),
        };
        loop {
            if self.journal_failed() {
                return;
            }
            let index = self.next.fetch_add(1, Ordering::Relaxed);
            let Some(file) = self.files.get(index) else {
                break;
            };
            self.import_file(file, &mut worker);
            self.counters.add(Counter::FilesDone, 1);
        }
        self.send(&mut worker);
        let mut in_flight = worker.in_flight;
        while let Some(pending) = in_flight.pop_front() {
            self.confirm(pending);
        }
    }

    fn import_file(&self, file: &ArchiveFile, worker: &mut Worker) {
        if file.class == KeyClass::Digest {
            self.counters.add(Counter::DigestFiles, 1);
            return;
        }
        let mut file_bytes = std::mem::take(&mut worker.file_bytes);
        let read = read_file_capped_into(&file.path, self.options.max_file_bytes, &mut file_bytes);
        self.import_bytes(file, &file_bytes, read.map(|(_, stored)| stored), worker);
        worker.file_bytes = file_bytes;
    }

    fn import_bytes(
        &self,
        file: &ArchiveFile,
        bytes: &[u8],
        read: opentrail_archive::Result<u64>,
        worker: &mut Worker,
    ) {
        let stored_bytes = match read {
            Ok(stored_bytes) => stored_bytes,
            Err(error) => return self.fail(&file.path, error.message().to_owned()),
        };
        self.counters.add(Counter::BytesStored, stored_bytes);
        self.counters
            .add(Counter::BytesDecompressed, bytes.len() as u64);
        let Worker {
            batch,
            insights,
            scratch,
            in_flight,
            ..
        } = worker;
        let content = match split(bytes) {
            Ok(content) => content,
            Err(error) => return self.fail(&file.path, error.message().to_owned()),
        };
        let records = match content {
            FileContent::Digest(_) => {
                self.counters.add(Counter::DigestFiles, 1);
                return;
            }
            FileContent::Empty => return,
            FileContent::Records { records, .. } => records,
        };
        self.counters
            .add(Counter::RecordsSeen, records.len() as u64);
        for (index, record) in records.iter().enumerate() {
            let raw = match record {
                Ok(raw) => raw,
                Err(error) => {
                    self.reject(
                        &file.path,
                        describe_position(error.position()),
                        error.to_string(),
                    );
                    continue;
                }
            };
            scratch.clear();
            opentrail_types::json_text::compact_into(raw.get().as_bytes(), scratch);
            let mut event = match Event::parse(scratch, &self.options.limits) {
                Ok(event) => event,
                Err(error) => {
                    self.reject(&file.path, format!("record {index}"), error.to_string());
                    continue;
                }
            };
            let payload = match event.event_id() {
                Some(id) if !id.is_empty() => std::mem::take(scratch),
                _ => {
                    event.set_event_id(stamped_event_id(scratch));
                    event.to_json()
                }
            };
            let Some(event_id) = event.event_id() else {
                continue;
            };
            if event_id.len() > opentrail_journal::frame::MAX_EVENT_ID_LEN {
                self.reject(
                    &file.path,
                    format!("record {index}"),
                    String::from("field `eventID` is longer than 1024 bytes"),
                );
                continue;
            }
            insights.push(event.category() == EventCategory::Insight);
            // The history would parse the record again to index it; hand it the keys.
            let keys: opentrail_journal::Attachment = std::sync::Arc::new(event.lookup_keys());
            batch.push(AppendEntry::new(event_id.to_owned(), payload).with_attachment(keys));
            if batch.len() >= self.options.batch_events {
                self.send_parts(batch, insights, in_flight);
            }
        }
    }

    /// Hands the batch to the journal, keeping at most two appends in flight.
    fn send(&self, worker: &mut Worker) {
        self.send_parts(
            &mut worker.batch,
            &mut worker.insights,
            &mut worker.in_flight,
        );
    }

    fn send_parts(
        &self,
        batch: &mut Vec<AppendEntry>,
        insights: &mut Vec<bool>,
        in_flight: &mut InFlight,
    ) {
        if batch.is_empty() {
            return;
        }
        let entries = std::mem::replace(batch, Vec::with_capacity(self.options.batch_events));
        let kinds = std::mem::replace(insights, Vec::with_capacity(self.options.batch_events));
        match self.journal.submit(entries) {
            Ok(pending) => in_flight.push_back((pending, kinds)),
            Err(error) => self.journal_failure(error.to_string()),
        }
        while in_flight.len() > 1 {
            if let Some(pending) = in_flight.pop_front() {
                self.confirm(pending);
            }
        }
    }

    fn confirm(&self, (pending, insights): (PendingAppend, Vec<bool>)) {
        match pending.wait() {
            Ok(outcomes) => {
                let mut appended = 0;
                let mut insight_events = 0;
                for (outcome, insight) in outcomes.iter().zip(insights) {
                    if let AppendOutcome::Appended { .. } = outcome {
                        appended += 1;
                        insight_events += u64::from(insight);
                    }
                }
                self.counters.add(Counter::EventsImported, appended);
                self.counters
                    .add(Counter::Duplicates, outcomes.len() as u64 - appended);
                self.counters.add(Counter::InsightEvents, insight_events);
            }
            Err(error) => self.journal_failure(error.to_string()),
        }
    }

    fn fail(&self, path: &Path, message: String) {
        tracing::warn!(path = %path.display(), error = %message, "file not imported");
        self.counters.add(Counter::FilesFailed, 1);
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(FileFailure {
                path: path.to_owned(),
                message,
            });
    }

    fn reject(&self, path: &Path, position: String, reason: String) {
        self.counters.add(Counter::Rejected, 1);
        let mut rejections = self
            .rejections
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Keep a bounded list; the count above is complete.
        if rejections.len() < self.options.max_listed_rejections.saturating_mul(4).max(16) {
            rejections.push(Rejection {
                path: path.to_owned(),
                position,
                reason,
            });
        }
    }

    fn journal_failed(&self) -> bool {
        self.journal_error
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_some()
    }

    fn journal_failure(&self, message: String) {
        tracing::error!(error = %message, "the journal refused appends; stopping the import");
        let mut slot = self
            .journal_error
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        slot.get_or_insert(message);
    }
}

fn describe_position(position: RecordPosition) -> String {
    match position {
        RecordPosition::Index(index) => format!("record {index}"),
        RecordPosition::Line(line) => format!("line {line}"),
    }
}
