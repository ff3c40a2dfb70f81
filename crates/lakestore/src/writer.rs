//! The journal writer of one store: reads the journal from the store's saved position,
//! takes the records the store selects, and adds them as day-partitioned Parquet files.
//!
//! Exactly once: the position is saved in the same manifest write that adds the files,
//! so after a crash the writer reads again exactly the records whose files were not
//! recorded. Memory is bounded by [`WriterConfig::max_rows`].

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use opentrail_columnar::{RowsBuilder, TableKind};
use opentrail_journal::{Journal, Position};
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
    retention_now_ms: impl Fn() -> i64,
) {
    let start = files
        .position()
        .unwrap_or_else(|| journal.committed().position());
    let mut writer = Writer {
        position: start,
        resume: start,
        journal,
        files,
        config,
        pending: BTreeMap::new(),
        pending_rows: 0,
        oldest: None,
        saved: None,
        last_maintenance: None,
    };
    writer.saved = writer.files.position();
    loop {
        let stopping = shared.stop.load(Ordering::Acquire);
        let spec = specs.borrow_and_update().clone();
        let outcome = writer.step(&spec, stopping).and_then(|read| {
            writer.maintain(&spec, &retention_now_ms)?;
            Ok(read)
        });
        match outcome {
            Ok(_) if stopping => return,
            Ok(0) => {
                writer
                    .journal
                    .wait_for_commit(writer.position.next_seq, Duration::from_millis(100));
            }
            Ok(_) => {}
            Err(error) => {
                tracing::warn!(store = %spec.store_id, %error, "lake writer step failed; retrying");
                writer.discard_pending();
                if stopping {
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
    position: Position,
    /// Where reading starts again if buffered rows are lost: the saved position, or the
    /// start of a store that never saved one.
    resume: Position,
    pending: BTreeMap<String, RowsBuilder>,
    pending_rows: usize,
    oldest: Option<Instant>,
    saved: Option<Position>,
    last_maintenance: Option<Instant>,
}

impl Writer {
    /// Reads one batch of the journal and flushes when due; returns the entries read.
    fn step(&mut self, spec: &StoreSpec, stopping: bool) -> Result<usize> {
        let mut read = 0;
        let committed = self.journal.committed();
        if !stopping && committed.position().next_seq > self.position.next_seq {
            let mut reader = self.journal.reader(self.position)?;
            let batch = reader.read_batch(self.config.read_entries, self.config.read_bytes)?;
            for entry in batch.iter() {
                read += 1;
                let Some(day) = route(spec, entry.payload) else {
                    continue;
                };
                let builder = self
                    .pending
                    .entry(day)
                    .or_insert_with(|| RowsBuilder::new(spec.kind));
                // An Insights store holds one row per source store the Insight is for,
                // each naming its source (`insightSource`, spec §4.5).
                if spec.kind == TableKind::Insights {
                    for source in insight_sources(spec, entry.payload) {
                        if let Some(row) = with_insight_source(entry.payload, &source.store_arn) {
                            push_row(builder, &row, spec, entry.event_id, &mut self.pending_rows);
                        }
                    }
                } else {
                    push_row(
                        builder,
                        entry.payload,
                        spec,
                        entry.event_id,
                        &mut self.pending_rows,
                    );
                }
                if self.pending_rows > 0 {
                    self.oldest.get_or_insert_with(Instant::now);
                }
            }
            if let Some(end) = batch.end() {
                self.position = end;
            }
        }
        let due = stopping
            || self.pending_rows >= self.config.max_rows
            || self
                .oldest
                .is_some_and(|oldest| oldest.elapsed() >= self.config.flush_interval)
            || (self.pending_rows == 0 && read == 0 && self.saved != Some(self.position));
        if due {
            self.flush()?;
        }
        Ok(read)
    }

    fn flush(&mut self) -> Result<()> {
        if self.pending_rows == 0 && self.saved == Some(self.position) {
            return Ok(());
        }
        let mut days = Vec::new();
        for (day, builder) in &mut self.pending {
            let batch = builder
                .finish()
                .map_err(|error| Error::Parquet(error.to_string()))?;
            if batch.num_rows() > 0 {
                days.push((day.clone(), vec![batch]));
            }
        }
        self.files.add(days, Some(self.position))?;
        self.pending.clear();
        self.pending_rows = 0;
        self.oldest = None;
        self.saved = Some(self.position);
        self.resume = self.position;
        Ok(())
    }

    /// After a failed flush, what was buffered is dropped and read again from the saved
    /// position: the journal still has it.
    fn discard_pending(&mut self) {
        self.pending.clear();
        self.pending_rows = 0;
        self.oldest = None;
        self.position = self.resume;
    }

    fn maintain(&mut self, spec: &StoreSpec, now_ms: &impl Fn() -> i64) -> Result<()> {
        self.files.compact()?;
        let due = self
            .last_maintenance
            .is_none_or(|last| last.elapsed() >= self.config.maintenance_interval);
        if due {
            let retention_ms = i64::from(spec.retention_days) * 86_400_000;
            self.files.expire(now_ms().saturating_sub(retention_ms))?;
            self.files.collect_garbage()?;
            self.last_maintenance = Some(Instant::now());
        }
        Ok(())
    }
}
