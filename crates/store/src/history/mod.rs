//! Event history: the index behind `LookupEvents`.
//!
//! The history is a journal consumer. Its indexer thread reads new entries as soon as they
//! are durable, builds a small in-memory [`segment`] from each batch (visible to lookups at
//! once), merges those, and flushes them to a segment file, recording in the
//! [`manifest`] both the file and the journal position it reaches. A maintenance thread
//! merges segment files (tiered, by size) and enforces retention. Lookups read a snapshot
//! of the segment list, so they never wait for indexing.

pub(crate) mod doc;
pub(crate) mod facets;
pub(crate) mod manifest;
pub(crate) mod query;
pub(crate) mod segment;
pub(crate) mod token;

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use opentrail_event::{EventCategory, LookupFields, Record};
use opentrail_journal::{Batch, Journal, JournalReader, Location, Position};
use opentrail_types::SharedClock;

use crate::error::{Error, Result};
use crate::lookup::{
    AttributeKey, LookupError, LookupErrorKind, LookupEvent, LookupPage, LookupQuery,
};
use doc::{Derived, derive_doc};
use facets::{AggregateError, FacetRequest, Facets, HistogramBucket, HistogramRequest};
use manifest::{Manifest, segment_file_name};
use query::{Hit, Plan, search};
use segment::{SegmentReader, Storage, build_segment, merge_segments};
use token::PageToken;

/// In-memory segments below this size are merged with each other as they accumulate.
const SMALL_MEMORY_SEGMENT_DOCS: usize = 16_384;

/// Name under which the history saves its journal position.
pub const CONSUMER_NAME: &str = "history";

/// How the history indexes and keeps events.
#[derive(Debug, Clone)]
pub struct HistoryConfig {
    /// How long an event stays searchable, counted from its arrival (import time for
    /// imported archives). Default 90 days.
    pub retention: Duration,
    /// Categories held besides Insights (always held, returned only for
    /// `EventCategory=insight`). Default: `Management` only, as CloudTrail.
    pub categories: Vec<EventCategory>,
    /// Docs held in memory before they are written to a segment file. Default 1,000,000.
    pub flush_docs: usize,
    /// Longest time indexed events stay only in memory. Default 5 minutes.
    pub flush_interval: Duration,
    /// Largest segment a merge produces, in docs. Default 4,000,000.
    pub max_segment_docs: usize,
    /// Most journal entries indexed in one step. Default 65,536.
    pub max_batch_docs: usize,
    /// Segments of one size tier merged together. Default 8.
    pub merge_fan_in: usize,
    /// How often merges and retention run. Default 60 seconds.
    pub maintenance_interval: Duration,
}

impl Default for HistoryConfig {
    fn default() -> HistoryConfig {
        HistoryConfig {
            retention: Duration::from_secs(90 * 24 * 3600),
            categories: vec![EventCategory::Management],
            flush_docs: 1_000_000,
            flush_interval: Duration::from_secs(300),
            max_segment_docs: 4_000_000,
            max_batch_docs: 65_536,
            merge_fan_in: 8,
            maintenance_interval: Duration::from_secs(60),
        }
    }
}

/// One segment of the index.
#[derive(Debug)]
struct IndexSegment {
    reader: SegmentReader,
    /// File name when written to disk; `None` while only in memory.
    file_name: Option<String>,
}

/// What lookups see.
#[derive(Debug)]
struct Snapshot {
    segments: Vec<Arc<IndexSegment>>,
    /// Every journal entry below this is indexed (or not meant to be).
    next_seq: u64,
}

#[derive(Debug)]
struct State {
    persisted: Vec<Arc<IndexSegment>>,
    memory: Vec<Arc<IndexSegment>>,
    /// In-memory segments claimed by the flush in progress (also in `memory` until written).
    flushing: Vec<Arc<IndexSegment>>,
    manifest: Manifest,
    merging: Vec<String>,
    next_seq: u64,
    /// The indexer's journal position: the in-memory segments reach it.
    position: Position,
}

/// Counters an operator watches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HistoryStatus {
    /// Every journal entry below this sequence number is searchable.
    pub indexed_next_seq: u64,
    /// Segment files.
    pub persisted_segments: usize,
    /// Segments held only in memory.
    pub memory_segments: usize,
    /// Docs in all segments (including ones past retention not yet removed).
    pub docs: usize,
    /// Journal entries that could not be indexed (damaged payloads); logged one by one.
    pub unindexable_entries: u64,
    /// Journal entries indexed by parsing their record, because no keys were attached
    /// (or they were no longer kept); the others were indexed from attached keys.
    pub parsed_entries: u64,
}

#[derive(Debug)]
struct Inner {
    dir: PathBuf,
    journal: Journal,
    clock: SharedClock,
    config: HistoryConfig,
    state: Mutex<State>,
    snapshot: RwLock<Arc<Snapshot>>,
    indexed: Mutex<u64>,
    indexed_changed: Condvar,
    stop: AtomicBool,
    wake: Condvar,
    wake_lock: Mutex<bool>,
    unindexable: AtomicU64,
    parsed: AtomicU64,
    /// The flush handed to the flush thread: the journal position its segments reach.
    flush_job: Mutex<FlushSlot>,
    flush_changed: Condvar,
    /// Held by a maintenance run: runs asked for by callers and by the maintenance thread
    /// take turns.
    maintenance: Mutex<()>,
}

/// The flush thread's work.
#[derive(Debug, Default)]
struct FlushSlot {
    /// A flush waiting to start, with the position it records.
    pending: Option<Position>,
    /// Whether a flush is being written.
    running: bool,
}

/// The event history. Dropping it (or [`History::close`]) stops its threads after writing
/// what is in memory.
#[derive(Debug)]
pub struct History {
    inner: Arc<Inner>,
    threads: Vec<JoinHandle<()>>,
}

impl History {
    /// Opens the history in `dir` over `journal` and starts indexing from where it stopped.
    ///
    /// A damaged or unreadable index is rebuilt from the journal (it holds nothing else), and
    /// so is one written by an older version without account, error code or source address
    /// terms, or for other categories.
    ///
    /// # Errors
    ///
    /// I/O errors on the folder.
    pub fn open(
        dir: &Path,
        journal: Journal,
        config: HistoryConfig,
        clock: SharedClock,
    ) -> Result<History> {
        fs::create_dir_all(dir).map_err(|error| Error::io(dir, error))?;
        let (manifest, persisted) = match load_index(dir) {
            Ok(loaded) => loaded,
            Err(reason) => {
                tracing::warn!(reason = %reason, "history index is unreadable; rebuilding it from the journal");
                reset_index(dir)?;
                (Manifest::empty(), Vec::new())
            }
        };
        let wanted = category_names(&config.categories);
        let has_docs = manifest.position.is_some() || !manifest.segments.is_empty();
        if has_docs && let Some(missing) = manifest.missing_terms() {
            tracing::info!(
                version = manifest.version,
                missing,
                "history index predates some of its terms; rebuilding it from the journal"
            );
            reset_index(dir)?;
            return History::open(dir, journal, config, clock);
        }
        if has_docs && manifest.categories != wanted {
            tracing::info!(
                indexed = ?manifest.categories,
                configured = ?wanted,
                "history categories changed; rebuilding the index from the journal"
            );
            reset_index(dir)?;
            return History::open(dir, journal, config, clock);
        }
        let mut manifest = manifest;
        manifest.categories = wanted;
        remove_orphans(dir, &manifest)?;
        let committed = journal.committed();
        let mut position = manifest
            .position
            .unwrap_or_else(|| journal.start_position());
        if position.next_seq > committed.next_seq {
            tracing::warn!(
                indexed = position.next_seq,
                journal = committed.next_seq,
                "history index is ahead of the journal; rebuilding it"
            );
            reset_index(dir)?;
            return History::open(dir, journal, config, clock);
        }
        if position.next_seq < journal.start_position().next_seq {
            tracing::warn!(
                "events between the history and the oldest journal segment are past retention"
            );
            position = journal.start_position();
        }
        let next_seq = position.next_seq;
        let state = State {
            persisted,
            memory: Vec::new(),
            flushing: Vec::new(),
            manifest,
            merging: Vec::new(),
            next_seq,
            position,
        };
        let snapshot = Arc::new(Snapshot {
            segments: state.persisted.clone(),
            next_seq,
        });
        let inner = Arc::new(Inner {
            dir: dir.to_owned(),
            journal,
            clock,
            config,
            state: Mutex::new(state),
            snapshot: RwLock::new(snapshot),
            indexed: Mutex::new(next_seq),
            indexed_changed: Condvar::new(),
            stop: AtomicBool::new(false),
            wake: Condvar::new(),
            wake_lock: Mutex::new(false),
            unindexable: AtomicU64::new(0),
            parsed: AtomicU64::new(0),
            flush_job: Mutex::new(FlushSlot::default()),
            flush_changed: Condvar::new(),
            maintenance: Mutex::new(()),
        });
        let spawn = |name: &str, work: fn(&Inner, Position)| {
            let inner = Arc::clone(&inner);
            std::thread::Builder::new()
                .name(name.to_owned())
                .spawn(move || work(&inner, position))
                .map_err(|error| Error::io(dir, error))
        };
        let indexer = spawn("history-indexer", Inner::run_indexer)?;
        let flusher = spawn("history-flush", |inner, _| inner.run_flusher())?;
        let maintainer = spawn("history-maintenance", |inner, _| inner.run_maintainer())?;
        Ok(History {
            inner,
            threads: vec![indexer, flusher, maintainer],
        })
    }

    /// Runs one `LookupEvents` page, restricted to [`LookupQuery::account`] when set.
    ///
    /// # Errors
    ///
    /// [`LookupErrorKind::InvalidNextToken`] when the query's next token was issued for
    /// another account (or, if its parameters were changed after parsing, another request);
    /// [`LookupErrorKind::Internal`] when a stored record cannot be read. Other request
    /// errors are caught earlier, by [`LookupQuery::from_input`].
    pub fn lookup_events(&self, query: &LookupQuery) -> Result<LookupPage, LookupError> {
        self.inner.lookup_events(query)
    }

    /// Counts, over a time range, the docs and the most frequent values of each field
    /// `request` names (for dashboards), without reading a record.
    ///
    /// Counts what an unpaged lookup over the same range would return, restricted to
    /// [`FacetRequest::account`] when set: Insights docs and docs past retention are left
    /// out. Events indexed meanwhile are either all counted or not at all (one snapshot of
    /// the index).
    ///
    /// # Errors
    ///
    /// [`AggregateErrorKind::InvalidTimeRange`](crate::AggregateErrorKind::InvalidTimeRange)
    /// when the start is after the end,
    /// [`AggregateErrorKind::InvalidTop`](crate::AggregateErrorKind::InvalidTop) and
    /// [`AggregateErrorKind::DuplicateField`](crate::AggregateErrorKind::DuplicateField).
    pub fn facets(&self, request: &FacetRequest) -> Result<Facets, AggregateError> {
        let snapshot = self.inner.snapshot();
        let readers: Vec<&SegmentReader> = snapshot
            .segments
            .iter()
            .map(|segment| &segment.reader)
            .collect();
        facets::facets(&readers, request, self.inner.cutoff_arrival_ms())
    }

    /// Counts the docs of each fixed-width time bucket between `request`'s start and end,
    /// per category (Insights included) and per `readOnly` value, restricted to
    /// [`HistogramRequest::account`] when set; docs past retention are left out.
    ///
    /// # Errors
    ///
    /// [`AggregateErrorKind::InvalidTimeRange`](crate::AggregateErrorKind::InvalidTimeRange),
    /// [`AggregateErrorKind::InvalidBucketWidth`](crate::AggregateErrorKind::InvalidBucketWidth)
    /// and [`AggregateErrorKind::TooManyBuckets`](crate::AggregateErrorKind::TooManyBuckets)
    /// (more than [`MAX_HISTOGRAM_BUCKETS`](crate::MAX_HISTOGRAM_BUCKETS)).
    pub fn histogram(
        &self,
        request: &HistogramRequest,
    ) -> Result<Vec<HistogramBucket>, AggregateError> {
        let snapshot = self.inner.snapshot();
        let readers: Vec<&SegmentReader> = snapshot
            .segments
            .iter()
            .map(|segment| &segment.reader)
            .collect();
        facets::histogram(&readers, request, self.inner.cutoff_arrival_ms())
    }

    /// Blocks until every journal entry with a sequence number below `next_seq` is
    /// searchable, or `timeout` passes; returns whether it is.
    pub fn wait_indexed(&self, next_seq: u64, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut indexed = self
            .inner
            .indexed
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        while *indexed < next_seq {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            indexed = self
                .inner
                .indexed_changed
                .wait_timeout(indexed, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        true
    }

    /// Blocks until everything durable in the journal now is searchable, or `timeout`.
    pub fn wait_caught_up(&self, timeout: Duration) -> bool {
        let next_seq = self.inner.journal.committed().next_seq;
        self.wait_indexed(next_seq, timeout)
    }

    /// Writes everything indexed so far to segment files now, and records how far it
    /// reaches; returns when done. Indexing goes on meanwhile.
    ///
    /// # Errors
    ///
    /// I/O errors while writing.
    pub fn flush_now(&self) -> Result<()> {
        self.inner.flush_now()
    }

    /// Runs merges and retention now instead of at the next interval.
    ///
    /// # Errors
    ///
    /// I/O errors while writing or removing segments.
    pub fn run_maintenance(&self) -> Result<()> {
        self.inner.maintain()
    }

    /// Counters for metrics and status pages.
    pub fn status(&self) -> HistoryStatus {
        let state = self
            .inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let docs = state
            .persisted
            .iter()
            .chain(&state.memory)
            .map(|segment| segment.reader.len())
            .sum();
        HistoryStatus {
            indexed_next_seq: state.next_seq,
            persisted_segments: state.persisted.len(),
            memory_segments: state.memory.len(),
            docs,
            unindexable_entries: self.inner.unindexable.load(Ordering::Relaxed),
            parsed_entries: self.inner.parsed.load(Ordering::Relaxed),
        }
    }

    /// Stops the threads after writing in-memory segments to disk.
    pub fn close(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        self.inner.stop.store(true, Ordering::SeqCst);
        self.inner.wake_maintainer();
        self.inner.flush_changed.notify_all();
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

impl Drop for History {
    fn drop(&mut self) {
        self.shut_down();
    }
}

fn category_names(categories: &[EventCategory]) -> Vec<String> {
    let mut names: Vec<String> = categories
        .iter()
        .filter(|category| **category != EventCategory::Insight)
        .map(|category| category.as_str().to_owned())
        .collect();
    names.sort();
    names.dedup();
    names
}

fn load_index(dir: &Path) -> std::result::Result<(Manifest, Vec<Arc<IndexSegment>>), String> {
    let Some(manifest) = Manifest::load(dir)? else {
        return Ok((Manifest::empty(), Vec::new()));
    };
    let mut segments = Vec::with_capacity(manifest.segments.len());
    for name in &manifest.segments {
        let reader = open_segment_file(&dir.join(name))
            .map_err(|error| format!("segment `{name}`: {error}"))?;
        segments.push(Arc::new(IndexSegment {
            reader,
            file_name: Some(name.clone()),
        }));
    }
    Ok((manifest, segments))
}

fn open_segment_file(path: &Path) -> std::result::Result<SegmentReader, String> {
    let file = fs::File::open(path).map_err(|error| error.to_string())?;
    let map = map_segment(&file).map_err(|error| error.to_string())?;
    SegmentReader::open(Storage::Mapped(map)).map_err(|error| error.to_string())
}

#[expect(unsafe_code, reason = "segment files are read through a memory map")]
fn map_segment(file: &fs::File) -> std::io::Result<memmap2::Mmap> {
    // SAFETY: segment files are written once under a temporary name, synced and renamed;
    // after that nothing writes or truncates them (a merge writes a new file and unlinks
    // the old one, which leaves existing maps valid on Unix). The data directory lock keeps
    // other processes out.
    unsafe { memmap2::Mmap::map(file) }
}

/// Removes every index file so the history is rebuilt from the journal.
fn reset_index(dir: &Path) -> Result<()> {
    remove_files_where(dir, |name| {
        name.ends_with(".idx") || name.ends_with(".tmp") || name == manifest::MANIFEST_FILE
    })
}

/// Removes segment files a crash left behind (written but never listed in the manifest).
fn remove_orphans(dir: &Path, manifest: &Manifest) -> Result<()> {
    remove_files_where(dir, |name| {
        let listed = manifest.segments.iter().any(|segment| segment == name);
        (name.ends_with(".idx") && !listed) || name.ends_with(".tmp")
    })
}

/// Removes the files of `dir` whose names `doomed` picks.
fn remove_files_where(dir: &Path, doomed: impl Fn(&str) -> bool) -> Result<()> {
    let entries = fs::read_dir(dir).map_err(|error| Error::io(dir, error))?;
    for entry in entries {
        let path = entry.map_err(|error| Error::io(dir, error))?.path();
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or_default();
        if doomed(name) {
            fs::remove_file(&path).map_err(|error| Error::io(&path, error))?;
        }
    }
    Ok(())
}

impl Inner {
    /// The segments lookups and aggregates read now: every doc is in exactly one of them
    /// (segments being flushed stay in memory until their file replaces them).
    fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.snapshot.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn publish(&self, state: &State) {
        let segments = state
            .persisted
            .iter()
            .chain(&state.memory)
            .cloned()
            .collect();
        *self
            .snapshot
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Arc::new(Snapshot {
            segments,
            next_seq: state.next_seq,
        });
    }

    fn set_indexed(&self, next_seq: u64) {
        *self.indexed.lock().unwrap_or_else(PoisonError::into_inner) = next_seq;
        self.indexed_changed.notify_all();
    }

    fn wake_maintainer(&self) {
        *self
            .wake_lock
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = true;
        self.wake.notify_all();
    }

    fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    // ----- indexing -------------------------------------------------------------------

    fn run_indexer(&self, start: Position) {
        let mut position = start;
        let mut reader: Option<JournalReader> = None;
        let mut batch = Batch::default();
        let mut unflushed_since: Option<Instant> = None;
        loop {
            let stopping = self.stopping();
            if !stopping {
                self.journal
                    .wait_for_commit(position.next_seq, Duration::from_millis(100));
            }
            let committed = self.journal.committed();
            if committed.next_seq > position.next_seq {
                match self.index_next_batch(&mut reader, &mut batch, &mut position) {
                    Ok(()) => {
                        unflushed_since.get_or_insert_with(Instant::now);
                    }
                    Err(error) => {
                        tracing::error!(error = %error, "history indexing failed; retrying");
                        reader = None;
                        std::thread::sleep(Duration::from_millis(500));
                    }
                }
            }
            if let Err(error) = self.merge_memory_if_needed() {
                tracing::error!(error = %error, "merging in-memory history segments failed");
            }
            let memory_docs = self.unclaimed_memory_docs();
            let due = memory_docs >= self.config.flush_docs
                || unflushed_since
                    .is_some_and(|since| since.elapsed() >= self.config.flush_interval);
            if stopping {
                // Last flush, here: wait for the flush thread, then write what is left.
                self.take_over_flushes();
                let position = self.claim_memory();
                if let Err(error) = self.flush_claimed(position) {
                    tracing::error!(error = %error, "writing the last history segment failed; the journal will be indexed again at the next start");
                }
                return;
            }
            if unflushed_since.is_some() && due && self.start_flush() {
                unflushed_since = None;
            }
        }
    }

    fn index_next_batch(
        &self,
        reader: &mut Option<JournalReader>,
        batch: &mut Batch,
        position: &mut Position,
    ) -> Result<()> {
        if reader.is_none() {
            *reader = Some(match self.journal.reader(*position) {
                Ok(reader) => reader,
                Err(error) if error.kind() == opentrail_journal::ErrorKind::Expired => {
                    tracing::warn!(
                        "history fell behind journal retention; continuing from the oldest entry kept"
                    );
                    *position = self.journal.start_position();
                    self.journal.reader(*position)?
                }
                Err(error) => return Err(error.into()),
            });
        }
        let Some(reader) = reader.as_mut() else {
            return Ok(());
        };
        reader.read_batch_into(batch, self.config.max_batch_docs, 64 * 1024 * 1024)?;
        let Some(end) = batch.end() else {
            return Ok(());
        };
        let mut docs = Vec::with_capacity(batch.len());
        let first_seq = batch.iter().next().map_or(0, |entry| entry.seq);
        let mut parsed = 0;
        let attachments = self.journal.attachments(first_seq..end.next_seq);
        for (entry, attachment) in batch.iter().zip(
            attachments
                .iter()
                .map(Option::as_ref)
                .chain(std::iter::repeat(None)),
        ) {
            match derive_doc(&entry, attachment, &self.config.categories, &mut parsed) {
                Ok(Derived::Doc(doc)) => docs.push(doc),
                Ok(Derived::NotIndexed) => {}
                Err(reason) => {
                    self.unindexable.fetch_add(1, Ordering::Relaxed);
                    tracing::error!(seq = entry.seq, event_id = entry.event_id, reason = %reason, "journal entry cannot be indexed");
                }
            }
        }
        self.parsed.fetch_add(parsed, Ordering::Relaxed);
        let segment = if docs.is_empty() {
            None
        } else {
            let mut bytes = Vec::new();
            build_segment(docs, &mut bytes).map_err(|error| Error::io(&self.dir, error))?;
            let reader = SegmentReader::open(Storage::Memory(bytes)).map_err(|error| {
                Error::internal(format!("a segment just built does not open: {error}"))
            })?;
            Some(Arc::new(IndexSegment {
                reader,
                file_name: None,
            }))
        };
        *position = end;
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(segment) = segment {
            state.memory.push(segment);
        }
        state.next_seq = end.next_seq;
        state.position = end;
        self.publish(&state);
        drop(state);
        self.set_indexed(end.next_seq);
        Ok(())
    }

    /// Docs in in-memory segments not yet claimed by a flush.
    fn unclaimed_memory_docs(&self) -> usize {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state
            .memory
            .iter()
            .filter(|segment| !is_claimed(&state, segment))
            .map(|segment| segment.reader.len())
            .sum()
    }

    /// Claims every in-memory segment for a flush; returns the position they reach.
    fn claim_memory(&self) -> Position {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.flushing = state.memory.clone();
        state.position
    }

    /// Hands a flush of every in-memory segment, reaching `position`, to the flush thread;
    /// false when one is already under way (the indexer tries again later).
    fn start_flush(&self) -> bool {
        let mut slot = self
            .flush_job
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if slot.pending.is_some() || slot.running {
            return false;
        }
        slot.pending = Some(self.claim_memory());
        self.flush_changed.notify_all();
        true
    }

    fn flush_now(&self) -> Result<()> {
        let mut slot = self
            .flush_job
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        while slot.pending.is_some() || slot.running {
            slot = self
                .flush_changed
                .wait_timeout(slot, Duration::from_millis(50))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        // Done here rather than by the flush thread, which may be stopping.
        slot.running = true;
        drop(slot);
        let position = self.claim_memory();
        self.finish_flush(position)
    }

    /// Writes the claimed segments (the flush slot is marked running), releases the claim
    /// if that fails so the next flush takes them again, and marks the slot idle.
    fn finish_flush(&self, position: Position) -> Result<()> {
        let result = self.flush_claimed(position);
        if result.is_err() {
            self.state
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .flushing
                .clear();
        }
        let mut slot = self
            .flush_job
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        slot.running = false;
        self.flush_changed.notify_all();
        result
    }

    /// Cancels a flush not yet started and waits for one being written, so the caller can
    /// do the last flush itself. (The flush thread may already have exited on the stop
    /// signal, leaving a job handed over just before it unserved.)
    fn take_over_flushes(&self) {
        let mut slot = self
            .flush_job
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        slot.pending = None;
        while slot.running {
            slot = self
                .flush_changed
                .wait_timeout(slot, Duration::from_millis(100))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    fn run_flusher(&self) {
        loop {
            let position = {
                let mut slot = self
                    .flush_job
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                loop {
                    if let Some(position) = slot.pending.take() {
                        slot.running = true;
                        break position;
                    }
                    if self.stopping() {
                        return;
                    }
                    slot = self
                        .flush_changed
                        .wait_timeout(slot, Duration::from_millis(200))
                        .unwrap_or_else(PoisonError::into_inner)
                        .0;
                }
            };
            if let Err(error) = self.finish_flush(position) {
                tracing::error!(error = %error, "writing a history segment failed; will retry");
            }
        }
    }

    /// Keeps the number of in-memory segments small: when a size tier holds `merge_fan_in`
    /// of them, they become one.
    fn merge_memory_if_needed(&self) -> Result<()> {
        let memory = self
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .memory
            .clone();
        // Only small segments are merged here, to keep their number (and the cost of a
        // lookup) down when events trickle in; large ones are merged once, by the flush.
        let small: Vec<Arc<IndexSegment>> = {
            let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            memory
                .iter()
                .filter(|segment| {
                    segment.reader.len() < SMALL_MEMORY_SEGMENT_DOCS && !is_claimed(&state, segment)
                })
                .cloned()
                .collect()
        };
        let Some(group) = pick_tier(&small, self.config.merge_fan_in, usize::MAX) else {
            return Ok(());
        };
        let readers: Vec<&SegmentReader> = group.iter().map(|segment| &segment.reader).collect();
        let mut bytes = Vec::new();
        merge_segments(&readers, &|_, _| true, &mut bytes)
            .map_err(|error| Error::io(&self.dir, error))?;
        let reader = SegmentReader::open(Storage::Memory(bytes))
            .map_err(|error| Error::internal(format!("a merged segment does not open: {error}")))?;
        let merged = Arc::new(IndexSegment {
            reader,
            file_name: None,
        });
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.memory.retain(|segment| {
            !group
                .iter()
                .any(|merged_away| Arc::ptr_eq(segment, merged_away))
        });
        state.memory.push(merged);
        self.publish(&state);
        Ok(())
    }

    /// Writes the claimed in-memory segments into one segment file and records `position`
    /// (which they reach) in the manifest and as the journal consumer position.
    fn flush_claimed(&self, position: Position) -> Result<()> {
        let (memory, file_id) = {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            let file_id = state.manifest.next_file_id;
            if !state.flushing.is_empty() {
                state.manifest.next_file_id += 1;
            }
            (state.flushing.clone(), file_id)
        };
        let written = if memory.is_empty() {
            None
        } else {
            let readers: Vec<&SegmentReader> =
                memory.iter().map(|segment| &segment.reader).collect();
            let name = segment_file_name(file_id);
            // Docs already past retention are not written.
            let cutoff = self.cutoff_arrival_ms();
            let keep = |segment: &SegmentReader, ordinal: usize| segment.arrival(ordinal) >= cutoff;
            let reader = self.write_segment_file(&name, &readers, &keep)?;
            Some(Arc::new(IndexSegment {
                reader,
                file_name: Some(name),
            }))
        };
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state
            .memory
            .retain(|segment| !memory.iter().any(|flushed| Arc::ptr_eq(segment, flushed)));
        state.flushing.clear();
        if let Some(segment) = written {
            if let Some(name) = &segment.file_name {
                state.manifest.segments.push(name.clone());
            }
            state.persisted.push(segment);
        }
        state.manifest.position = Some(position);
        state
            .manifest
            .save(&self.dir)
            .map_err(|error| Error::io(&self.dir, error))?;
        self.publish(&state);
        drop(state);
        self.journal
            .save_consumer_position(CONSUMER_NAME, position)?;
        self.wake_maintainer();
        Ok(())
    }

    /// Merges `readers` into segment file `name` (temporary name, sync, rename, sync
    /// folder) and opens it.
    fn write_segment_file(
        &self,
        name: &str,
        readers: &[&SegmentReader],
        keep: &dyn Fn(&SegmentReader, usize) -> bool,
    ) -> Result<SegmentReader> {
        let path = self.dir.join(name);
        let temporary = self.dir.join(format!("{name}.tmp"));
        let file = fs::File::create(&temporary).map_err(|error| Error::io(&temporary, error))?;
        let mut writer = BufWriter::with_capacity(1 << 20, file);
        merge_segments(readers, keep, &mut writer).map_err(|error| Error::io(&temporary, error))?;
        writer
            .flush()
            .map_err(|error| Error::io(&temporary, error))?;
        let file = writer
            .into_inner()
            .map_err(|error| Error::io(&temporary, error.into_error()))?;
        file.sync_all()
            .map_err(|error| Error::io(&temporary, error))?;
        fs::rename(&temporary, &path).map_err(|error| Error::io(&path, error))?;
        fs::File::open(&self.dir)
            .and_then(|dir| dir.sync_all())
            .map_err(|error| Error::io(&self.dir, error))?;
        open_segment_file(&path).map_err(|error| {
            Error::internal(format!(
                "segment `{name}` just written does not open: {error}"
            ))
        })
    }

    // ----- maintenance ----------------------------------------------------------------

    fn run_maintainer(&self) {
        loop {
            {
                let woken = self
                    .wake_lock
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                let (mut woken, _) = self
                    .wake
                    .wait_timeout_while(woken, self.config.maintenance_interval, |woken| {
                        !*woken && !self.stopping()
                    })
                    .unwrap_or_else(PoisonError::into_inner);
                *woken = false;
            }
            if self.stopping() {
                return;
            }
            if let Err(error) = self.maintain() {
                tracing::error!(error = %error, "history maintenance failed");
            }
        }
    }

    fn cutoff_arrival_ms(&self) -> i64 {
        let retention_ms = i64::try_from(self.config.retention.as_millis()).unwrap_or(i64::MAX);
        self.clock.now().as_millis().saturating_sub(retention_ms)
    }

    fn maintain(&self) -> Result<()> {
        let _turn = self
            .maintenance
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let cutoff = self.cutoff_arrival_ms();
        // Retention: drop segments wholly past it; rewrite ones that are mostly past it.
        let persisted = self.claim_persisted(|_| true);
        for segment in &persisted {
            let reader = &segment.reader;
            if reader.max_arrival < cutoff {
                self.replace_persisted(&[Arc::clone(segment)], None)?;
                continue;
            }
            if reader.min_arrival < cutoff {
                let expired = (0..reader.len())
                    .filter(|ordinal| reader.arrival(*ordinal) < cutoff)
                    .count();
                if expired * 4 >= reader.len() {
                    let keep = |segment: &SegmentReader, ordinal: usize| {
                        segment.arrival(ordinal) >= cutoff
                    };
                    let name = self.next_file_name();
                    let rewritten = self.write_segment_file(&name, &[reader], &keep)?;
                    let replacement = Arc::new(IndexSegment {
                        reader: rewritten,
                        file_name: Some(name),
                    });
                    self.replace_persisted(&[Arc::clone(segment)], Some(replacement))?;
                    continue;
                }
            }
            self.release(&[Arc::clone(segment)]);
        }
        // Merges: a size tier with `merge_fan_in` segments becomes one.
        loop {
            let persisted = self.claim_persisted(|_| true);
            let group = pick_tier(
                &persisted,
                self.config.merge_fan_in,
                self.config.max_segment_docs,
            );
            let unused: Vec<Arc<IndexSegment>> = persisted
                .iter()
                .filter(|segment| {
                    !group.as_ref().is_some_and(|group| {
                        group.iter().any(|chosen| Arc::ptr_eq(chosen, segment))
                    })
                })
                .cloned()
                .collect();
            self.release(&unused);
            let Some(group) = group else { break };
            let readers: Vec<&SegmentReader> =
                group.iter().map(|segment| &segment.reader).collect();
            let name = self.next_file_name();
            let merged = self.write_segment_file(&name, &readers, &|segment, ordinal| {
                segment.arrival(ordinal) >= cutoff
            })?;
            let merged = Arc::new(IndexSegment {
                reader: merged,
                file_name: Some(name),
            });
            self.replace_persisted(&group, Some(merged))?;
            if self.stopping() {
                break;
            }
        }
        let removed = self
            .journal
            .remove_segments_before(opentrail_types::Timestamp::from_millis(cutoff))?;
        if removed > 0 {
            tracing::info!(removed, "journal segments past history retention removed");
        }
        Ok(())
    }

    fn next_file_name(&self) -> String {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let id = state.manifest.next_file_id;
        state.manifest.next_file_id += 1;
        segment_file_name(id)
    }

    /// Marks the persisted segments chosen by `filter` (and not already being merged) as
    /// taken by maintenance and returns them.
    fn claim_persisted(&self, filter: impl Fn(&IndexSegment) -> bool) -> Vec<Arc<IndexSegment>> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let chosen: Vec<Arc<IndexSegment>> = state
            .persisted
            .iter()
            .filter(|segment| {
                segment
                    .file_name
                    .as_ref()
                    .is_some_and(|name| !state.merging.contains(name))
                    && filter(segment)
            })
            .cloned()
            .collect();
        for segment in &chosen {
            if let Some(name) = &segment.file_name {
                state.merging.push(name.clone());
            }
        }
        chosen
    }

    fn release(&self, segments: &[Arc<IndexSegment>]) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.merging.retain(|name| {
            !segments
                .iter()
                .any(|segment| segment.file_name.as_ref() == Some(name))
        });
    }

    /// Replaces `old` persisted segments by `new` in the manifest and the snapshot, then
    /// removes the old files.
    fn replace_persisted(
        &self,
        old: &[Arc<IndexSegment>],
        new: Option<Arc<IndexSegment>>,
    ) -> Result<()> {
        let old_names: Vec<String> = old
            .iter()
            .filter_map(|segment| segment.file_name.clone())
            .collect();
        {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            state
                .persisted
                .retain(|segment| !old.iter().any(|gone| Arc::ptr_eq(segment, gone)));
            state
                .manifest
                .segments
                .retain(|name| !old_names.contains(name));
            if let Some(segment) = new {
                if let Some(name) = &segment.file_name {
                    state.manifest.segments.push(name.clone());
                }
                state.persisted.push(segment);
            }
            state.merging.retain(|name| !old_names.contains(name));
            state
                .manifest
                .save(&self.dir)
                .map_err(|error| Error::io(&self.dir, error))?;
            self.publish(&state);
        }
        for name in old_names {
            let path = self.dir.join(&name);
            // Lookups still holding the old segment keep reading its map after the unlink.
            if let Err(error) = fs::remove_file(&path) {
                tracing::warn!(path = %path.display(), error = %error, "could not remove a merged history segment");
            }
        }
        Ok(())
    }

    // ----- lookups --------------------------------------------------------------------

    fn lookup_events(&self, query: &LookupQuery) -> Result<LookupPage, LookupError> {
        query.check_token_binding()?;
        let snapshot = self.snapshot();
        let snapshot_seq = match &query.token {
            Some(token) => token.snapshot_seq,
            None => snapshot.next_seq.saturating_sub(1),
        };
        let mut plan = Plan::new(
            query,
            &self.config.categories,
            self.cutoff_arrival_ms(),
            snapshot_seq,
        );
        plan.cursor = query.token.map(|token| (token.time_ms, token.seq));
        let readers: Vec<&SegmentReader> = snapshot
            .segments
            .iter()
            .map(|segment| &segment.reader)
            .collect();
        let mut hits = search(&readers, &plan, query.max_results + 1);
        let more = hits.len() > query.max_results;
        hits.truncate(query.max_results);
        let mut events = Vec::with_capacity(hits.len());
        for hit in &hits {
            let event = self.materialize(hit)?;
            // Event IDs are matched by hash in the index; compare the real ID here.
            let wrong_id = query.attributes.iter().any(|attribute| {
                attribute.key == AttributeKey::EventId && attribute.value != event.event_id
            });
            if !wrong_id {
                events.push(event);
            }
        }
        let next_token = match (more, hits.last()) {
            (true, Some(last)) => Some(
                PageToken {
                    fingerprint: query.fingerprint(),
                    account: query.account_fingerprint(),
                    snapshot_seq,
                    time_ms: last.time_ms,
                    seq: last.seq,
                }
                .encode(),
            ),
            _ => None,
        };
        Ok(LookupPage { events, next_token })
    }

    fn materialize(&self, hit: &Hit) -> Result<LookupEvent, LookupError> {
        let internal = |message: String| {
            tracing::error!(seq = hit.seq, message = %message, "cannot read an indexed event");
            LookupError::new(
                LookupErrorKind::Internal,
                "an indexed event could not be read",
            )
        };
        let entry = self
            .journal
            .read_entry(Location(hit.location))
            .map_err(|error| internal(error.to_string()))?;
        let record: Record =
            serde_json::from_slice(&entry.payload).map_err(|error| internal(error.to_string()))?;
        let cloudtrail_event =
            String::from_utf8(entry.payload).map_err(|error| internal(error.to_string()))?;
        Ok(LookupEvent {
            event_id: record.event_id.clone().unwrap_or(entry.event_id),
            event_name: record.lookup_event_name().map(str::to_owned),
            read_only: record.lookup_read_only().map(str::to_owned),
            access_key_id: record.lookup_access_key_id().map(str::to_owned),
            event_time: opentrail_types::Timestamp::from_millis(hit.time_ms),
            event_source: record.lookup_event_source().map(str::to_owned),
            username: record.lookup_username().map(str::to_owned),
            resources: record.lookup_resources(),
            cloudtrail_event,
        })
    }
}

/// Whether a flush has claimed `segment`.
fn is_claimed(state: &State, segment: &Arc<IndexSegment>) -> bool {
    state
        .flushing
        .iter()
        .any(|claimed| Arc::ptr_eq(claimed, segment))
}

/// Picks `fan_in` segments of the smallest size tier that has that many (tiers grow by
/// factors of `fan_in`), if their total stays within `max_docs`.
fn pick_tier(
    segments: &[Arc<IndexSegment>],
    fan_in: usize,
    max_docs: usize,
) -> Option<Vec<Arc<IndexSegment>>> {
    let fan_in = fan_in.max(2);
    let tier_of = |docs: usize| {
        let mut tier = 0;
        let mut bound = 1024usize;
        while docs > bound {
            bound = bound.saturating_mul(fan_in);
            tier += 1;
        }
        tier
    };
    let mut tiers: std::collections::BTreeMap<u32, Vec<Arc<IndexSegment>>> =
        std::collections::BTreeMap::new();
    for segment in segments {
        tiers
            .entry(tier_of(segment.reader.len()))
            .or_default()
            .push(Arc::clone(segment));
    }
    for (_, mut group) in tiers {
        if group.len() >= fan_in {
            group.sort_by_key(|segment| segment.reader.len());
            group.truncate(fan_in);
            let total: usize = group.iter().map(|segment| segment.reader.len()).sum();
            if total <= max_docs {
                return Some(group);
            }
        }
    }
    None
}
