//! The journal writer of one store: reads the journal from the store's saved position,
//! takes the records the store selects, and adds them as day-partitioned Parquet files.
//!
//! Two threads per store, so that turning records into rows and encoding rows as Parquet
//! run at once: the writer reads and routes records and builds the rows; at each flush it
//! hands the finished batches, with the journal position they reach, to the store's file
//! thread, which encodes and uploads them, saves the position, and compacts and expires
//! files. The hand-over waits while the file thread is busy, so memory holds at most two
//! flushes' rows ([`WriterConfig::max_rows`] each).
//!
//! Exactly once: the position is saved in the same manifest write that adds the files,
//! so after a crash the writer reads again exactly the records whose files were not
//! recorded. A flush that fails makes the file thread refuse every later flush, because
//! saving a later position would skip the failed flush's records; the writer then drops
//! what it holds, lets that file thread end, and reads again from the saved position with
//! a new one.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use arrow::array::RecordBatch;
use opentrail_columnar::{RowsBuilder, TableKind};
use opentrail_journal::{Batch, Entry, Journal, Position};
use opentrail_types::SharedClock;
use tokio::sync::watch;

use crate::error::{Error, Result};
use crate::route::{StoreSpec, insight_sources, route, with_insight_source};
use crate::storage::StoreFiles;

/// How often a writer flushes and how much it buffers.
#[derive(Debug, Clone)]
pub struct WriterConfig {
    /// The longest a record waits in memory before its file is written: the delay before
    /// it can be queried. Default: 2 seconds.
    pub flush_interval: Duration,
    /// Buffered rows that force a flush. Default: 131,072 (one row group).
    pub max_rows: usize,
    /// Journal entries read per step.
    pub read_entries: usize,
    /// Journal bytes read per step.
    pub read_bytes: usize,
    /// How often expired rows and old garbage are removed. Default: 10 minutes.
    pub maintenance_interval: Duration,
}

impl Default for WriterConfig {
    fn default() -> WriterConfig {
        WriterConfig {
            flush_interval: Duration::from_secs(2),
            max_rows: 131_072,
            read_entries: 8_192,
            read_bytes: 32 << 20,
            maintenance_interval: Duration::from_secs(600),
        }
    }
}

/// What the writer thread shares with its owner.
#[derive(Debug)]
pub(crate) struct WriterShared {
    pub(crate) stop: AtomicBool,
}

/// Runs one store's writer until `shared.stop` is set; flushes what it holds first.
pub(crate) fn run(
    journal: Journal,
    files: Arc<StoreFiles>,
    mut specs: watch::Receiver<StoreSpec>,
    config: WriterConfig,
    shared: Arc<WriterShared>,
    clock: SharedClock,
) {
    let start = files
        .position()
        .unwrap_or_else(|| journal.committed().position());
    let mut writer = Writer {
        position: start,
        resume: start,
        sent: files.position(),
        journal,
        flusher: None,
        files,
        config,
        specs: specs.clone(),
        clock,
        batch: Batch::default(),
        lanes: [Lane::new(), Lane::new()],
        pending_rows: 0,
        oldest: None,
    };
    loop {
        let stopping = shared.stop.load(Ordering::Acquire);
        let spec = specs.borrow_and_update().clone();
        match writer.step(&spec, stopping) {
            Ok(_) if stopping => {
                writer.close_flusher();
                return;
            }
            Ok(0) => {
                writer
                    .journal
                    .wait_for_commit(writer.position.next_seq, Duration::from_millis(100));
            }
            Ok(_) => {}
            Err(error) => {
                tracing::warn!(store = %spec.store_id, %error, "lake writer step failed; retrying");
                writer.restart();
                if stopping {
                    writer.close_flusher();
                    return;
                }
                std::thread::sleep(Duration::from_secs(1));
            }
        }
    }
}

fn push_row(
    builder: &mut RowsBuilder,
    row: &[u8],
    spec: &StoreSpec,
    event_id: &str,
    pending_rows: &mut usize,
) {
    match builder.push(row) {
        Ok(()) => *pending_rows += 1,
        Err(error) => {
            // Ingest checked every record already; one the columns cannot take is
            // reported and left out rather than stopping the store.
            tracing::warn!(store = %spec.store_id, event_id, %error, "record left out of the event data store");
        }
    }
}

struct Writer {
    journal: Journal,
    files: Arc<StoreFiles>,
    config: WriterConfig,
    specs: watch::Receiver<StoreSpec>,
    clock: SharedClock,
    /// The store's file thread.
    flusher: Option<Flusher>,
    position: Position,
    /// Where reading starts again if buffered rows are lost and the store never saved a
    /// position.
    resume: Position,
    /// The position of the last flush handed to the file thread.
    sent: Option<Position>,
    /// The journal batch being read, its memory kept between reads.
    batch: Batch,
    /// The rows being built by each parsing lane, per day partition.
    lanes: [Lane; 2],
    pending_rows: usize,
    oldest: Option<Instant>,
}

/// Rows one parsing lane built, per day partition (`YYYY-MM-DD`).
type Lane = BTreeMap<String, RowsBuilder>;

/// Journal batches of at least this many entries are parsed in two lanes; a smaller one
/// is not worth a thread.
const PARALLEL_ENTRIES: usize = 1_024;

/// Routes `entries` and adds the rows they make to `lane`; returns the rows added.
fn take(spec: &StoreSpec, entries: &[Entry<'_>], lane: &mut Lane) -> usize {
    let mut added = 0;
    for entry in entries {
        let Some(day) = route(spec, entry.payload) else {
            continue;
        };
        let builder = lane
            .entry(day)
            .or_insert_with(|| RowsBuilder::new(spec.kind));
        // An Insights store holds one row per source store the Insight is for, each
        // naming its source (`insightSource`, spec §4.5).
        if spec.kind == TableKind::Insights {
            for source in insight_sources(spec, entry.payload) {
                if let Some(row) = with_insight_source(entry.payload, &source.store_arn) {
                    push_row(builder, &row, spec, entry.event_id, &mut added);
                }
            }
        } else {
            push_row(builder, entry.payload, spec, entry.event_id, &mut added);
        }
    }
    added
}

impl Writer {
    /// Reads one batch of the journal and flushes when due; returns the entries read.
    fn step(&mut self, spec: &StoreSpec, stopping: bool) -> Result<usize> {
        // Running even while nothing arrives: it also expires the rows of an idle store.
        if self.flusher()?.failed() {
            return Err(Error::Flush(String::from(
                "a flush failed (the file thread said why)",
            )));
        }
        let mut read = 0;
        let committed = self.journal.committed();
        if !stopping && committed.position().next_seq > self.position.next_seq {
            let mut reader = self.journal.reader(self.position)?;
            reader.read_batch_into(
                &mut self.batch,
                self.config.read_entries,
                self.config.read_bytes,
            )?;
            let entries: Vec<Entry<'_>> = self.batch.iter().collect();
            read = entries.len();
            let added = if entries.len() >= PARALLEL_ENTRIES {
                // Two lanes parse the two halves at once: the parse is most of a row's
                // cost, and the other core would otherwise only encode.
                let (first, second) = entries.split_at(entries.len() / 2);
                let [lane_a, lane_b] = &mut self.lanes;
                std::thread::scope(|scope| {
                    let other = scope.spawn(|| take(spec, second, lane_b));
                    let here = take(spec, first, lane_a);
                    // A panic in the other lane is a bug; it surfaces here as it would
                    // have on this thread.
                    here + other
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
            } else {
                take(spec, &entries, &mut self.lanes[0])
            };
            self.pending_rows += added;
            if self.pending_rows > 0 {
                self.oldest.get_or_insert_with(Instant::now);
            }
            if let Some(end) = self.batch.end() {
                self.position = end;
            }
        }
        let due = stopping
            || self.pending_rows >= self.config.max_rows
            || self
                .oldest
                .is_some_and(|oldest| oldest.elapsed() >= self.config.flush_interval)
            || (self.pending_rows == 0 && read == 0 && self.sent != Some(self.position));
        if due {
            self.flush()?;
        }
        Ok(read)
    }

    /// Hands what is buffered, and the position it reaches, to the file thread.
    fn flush(&mut self) -> Result<()> {
        if self.pending_rows == 0 && self.sent == Some(self.position) {
            return Ok(());
        }
        let mut by_day: BTreeMap<String, Vec<RecordBatch>> = BTreeMap::new();
        for lane in &mut self.lanes {
            for (day, builder) in lane.iter_mut() {
                let batch = builder
                    .finish()
                    .map_err(|error| Error::Parquet(error.to_string()))?;
                if batch.num_rows() > 0 {
                    by_day.entry(day.clone()).or_default().push(batch);
                }
            }
        }
        let days = by_day.into_iter().collect();
        let flush = Flush {
            days,
            position: self.position,
        };
        if self.flusher()?.flushes.send(flush).is_err() {
            // The file thread is gone (it panicked): a new one starts at the next flush.
            self.close_flusher();
            return Err(Error::Flush(String::from("the file thread stopped")));
        }
        self.clear_lanes();
        self.sent = Some(self.position);
        Ok(())
    }

    fn clear_lanes(&mut self) {
        for lane in &mut self.lanes {
            lane.clear();
        }
        self.pending_rows = 0;
        self.oldest = None;
    }

    /// The store's file thread, started if it is not running.
    fn flusher(&mut self) -> Result<&mut Flusher> {
        if self.flusher.is_none() {
            self.flusher = Some(Flusher::start(
                Arc::clone(&self.files),
                self.specs.clone(),
                self.config.maintenance_interval,
                self.clock.clone(),
            )?);
        }
        self.flusher
            .as_mut()
            .ok_or_else(|| Error::Flush(String::from("the file thread did not start")))
    }

    /// After a failed step (a flush, a journal read), what was buffered is dropped and read
    /// again from the saved position (the journal still has it), by a new file thread.
    fn restart(&mut self) {
        self.clear_lanes();
        // What the file thread still holds is written (or refused) before the saved
        // position is read: a flush written after it would save rows read again.
        self.close_flusher();
        let saved = self.files.position();
        self.position = saved.unwrap_or(self.resume);
        self.sent = saved;
    }

    /// Lets the file thread finish what it was handed, and waits for it.
    fn close_flusher(&mut self) {
        if let Some(flusher) = self.flusher.take() {
            drop(flusher.flushes);
            if flusher.thread.join().is_err() {
                tracing::error!(store = %self.files.store_id(), "lake file thread panicked");
            }
        }
    }
}

/// Batches of one flush and the journal position they reach.
struct Flush {
    days: Vec<(String, Vec<RecordBatch>)>,
    position: Position,
}

/// The writer's end of a store's file thread.
struct Flusher {
    flushes: SyncSender<Flush>,
    /// Told once when a flush failed.
    failures: Receiver<()>,
    thread: JoinHandle<()>,
}

impl Flusher {
    fn start(
        files: Arc<StoreFiles>,
        specs: watch::Receiver<StoreSpec>,
        maintenance_interval: Duration,
        clock: SharedClock,
    ) -> Result<Flusher> {
        // A rendezvous: the writer waits at a flush until the file thread takes it, so
        // at most one flush is being written while the next one is built.
        let (flushes, receiver) = mpsc::sync_channel(0);
        let (failed, failures) = mpsc::channel();
        let id = files.store_id().to_owned();
        let thread = std::thread::Builder::new()
            .name(format!("lakef-{}", &id[..id.len().min(8)]))
            .spawn(move || {
                let mut files_thread = FileThread {
                    files,
                    specs,
                    maintenance_interval,
                    clock,
                    failed: false,
                    last_maintenance: None,
                };
                files_thread.run(&receiver, &failed);
            })
            .map_err(|error| Error::Flush(format!("cannot start the file thread: {error}")))?;
        Ok(Flusher {
            flushes,
            failures,
            thread,
        })
    }

    /// Whether a flush failed; the writer then replaces this file thread.
    fn failed(&self) -> bool {
        self.failures.try_recv().is_ok()
    }
}

/// The file thread of one store: writes flushes in order, then compacts and expires.
struct FileThread {
    files: Arc<StoreFiles>,
    specs: watch::Receiver<StoreSpec>,
    maintenance_interval: Duration,
    clock: SharedClock,
    /// Whether a flush failed: every later one is refused.
    failed: bool,
    last_maintenance: Option<Instant>,
}

impl FileThread {
    fn run(&mut self, flushes: &Receiver<Flush>, failures: &mpsc::Sender<()>) {
        loop {
            match flushes.recv_timeout(Duration::from_secs(1)) {
                Ok(flush) => {
                    if self.failed {
                        continue;
                    }
                    if let Err(error) = self.files.add(flush.days, Some(flush.position)) {
                        tracing::warn!(store = %self.files.store_id(), %error, "lake flush failed; the writer reads its records again");
                        self.failed = true;
                        // The writer may be gone already (stopping); nothing to tell then.
                        let _ = failures.send(());
                        continue;
                    }
                    self.maintain();
                }
                Err(RecvTimeoutError::Timeout) => self.maintain(),
                Err(RecvTimeoutError::Disconnected) => {
                    self.maintain();
                    return;
                }
            }
        }
    }

    /// Compacts after every flush; expires rows and collects garbage every
    /// `maintenance_interval`. A failure leaves the store as it was and is tried again.
    fn maintain(&mut self) {
        if let Err(error) = self.files.compact() {
            tracing::warn!(store = %self.files.store_id(), %error, "lake compaction failed; trying again later");
        }
        let due = self
            .last_maintenance
            .is_none_or(|last| last.elapsed() >= self.maintenance_interval);
        if !due {
            return;
        }
        let retention_ms = i64::from(self.specs.borrow().retention_days) * 86_400_000;
        let cutoff = self.clock.now().as_millis().saturating_sub(retention_ms);
        let outcome = self
            .files
            .expire(cutoff)
            .and_then(|_| self.files.collect_garbage());
        match outcome {
            Ok(_) => self.last_maintenance = Some(Instant::now()),
            Err(error) => {
                tracing::warn!(store = %self.files.store_id(), %error, "lake retention failed; trying again later");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::{StorageOptions, StoreLocation};
    use opentrail_blob::Bucket;
    use opentrail_types::{ManualClock, Timestamp};

    const STORE: &str = "0c9a1b0e-5f7d-4c1e-9a8b-2d3e4f5a6b7c";

    fn batch(day: &str, id: &str) -> Vec<(String, Vec<RecordBatch>)> {
        let record = opentrail_testkit::records::management_event(
            id,
            &format!("{day}T01:00:00Z"),
            "s3.amazonaws.com",
            "ListBuckets",
            "alice",
        );
        let mut rows = RowsBuilder::new(TableKind::CloudTrail);
        rows.push(&serde_json::to_vec(&record).unwrap()).unwrap();
        vec![(day.to_owned(), vec![rows.finish().unwrap()])]
    }

    fn position(next_seq: u64) -> Position {
        Position {
            next_seq,
            location: opentrail_journal::Location(next_seq * 100),
        }
    }

    #[test]
    fn after_a_failed_flush_the_later_ones_are_refused_until_a_new_file_thread() {
        let root = tempfile::tempdir().unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let clock: SharedClock = Arc::new(ManualClock::new(
            Timestamp::parse_event_time("2026-11-20T12:00:00Z").unwrap(),
        ));
        let bucket_dir = root.path().join("bucket");
        // A file where the 20th's folder must go: its uploads fail.
        std::fs::create_dir_all(bucket_dir.join(STORE)).unwrap();
        std::fs::write(bucket_dir.join(STORE).join("eventday=2026-11-20"), b"x").unwrap();
        let files = Arc::new(
            StoreFiles::open(
                StoreLocation {
                    store_id: STORE.into(),
                    kind: TableKind::CloudTrail,
                    bucket: Bucket::local("lake", bucket_dir),
                    prefix: String::new(),
                    state_dir: root.path().join("state"),
                },
                StorageOptions::default(),
                runtime.handle().clone(),
                clock.clone(),
            )
            .unwrap(),
        );
        let (_, specs) = watch::channel(StoreSpec {
            store_id: STORE.into(),
            account_id: "111122223333".into(),
            home_region: "us-east-1".into(),
            multi_region: true,
            kind: TableKind::CloudTrail,
            selectors: None,
            channel_arns: Vec::new(),
            ingesting: true,
            retention_days: 3653,
            insight_sources: Vec::new(),
        });
        let file_thread = || FileThread {
            files: Arc::clone(&files),
            specs: specs.clone(),
            maintenance_interval: Duration::from_secs(600),
            clock: clock.clone(),
            failed: false,
            last_maintenance: None,
        };
        let (failed, failures) = mpsc::channel();
        // The 20th fails; the 19th after it would succeed, but its position would pass
        // the 20th's rows. The writer then reads again, with a new file thread.
        let passes: [&[(&str, u64)]; 2] = [
            &[("2026-11-20", 1), ("2026-11-19", 2)],
            &[("2026-11-19", 3)],
        ];
        for pass in passes {
            let (sender, flushes) = mpsc::sync_channel(2);
            for &(day, seq) in pass {
                sender
                    .send(Flush {
                        days: batch(day, &format!("id-{seq}")),
                        position: position(seq),
                    })
                    .unwrap();
            }
            drop(sender);
            file_thread().run(&flushes, &failed);
        }
        assert_eq!(failures.try_iter().count(), 1);
        assert_eq!(
            files.totals().0,
            1,
            "only the new file thread's flush is stored"
        );
        assert_eq!(files.position(), Some(position(3)));
    }
}
