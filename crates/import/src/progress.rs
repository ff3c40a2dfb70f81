//! Counters that workers update and a progress display reads.

use std::sync::atomic::{AtomicU64, Ordering};

/// Live counters of an import, shared between workers and whoever shows progress.
#[derive(Debug, Default)]
pub struct ImportCounters {
    files_total: AtomicU64,
    files_done: AtomicU64,
    files_failed: AtomicU64,
    digest_files: AtomicU64,
    records_seen: AtomicU64,
    events_imported: AtomicU64,
    duplicates: AtomicU64,
    rejected: AtomicU64,
    insight_events: AtomicU64,
    bytes_stored: AtomicU64,
    bytes_decompressed: AtomicU64,
}

/// A snapshot of [`ImportCounters`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportProgress {
    /// Archive files found.
    pub files_total: u64,
    /// Files finished (imported, skipped as digests, or failed).
    pub files_done: u64,
    /// Files that could not be read or split.
    pub files_failed: u64,
    /// Digest files recognised and skipped.
    pub digest_files: u64,
    /// Records found in files.
    pub records_seen: u64,
    /// Events newly appended to the journal.
    pub events_imported: u64,
    /// Events the journal already held (same `eventID`).
    pub duplicates: u64,
    /// Records refused by validation.
    pub rejected: u64,
    /// Insights events among the imported ones.
    pub insight_events: u64,
    /// Bytes read from disk (compressed size of `.gz` files).
    pub bytes_stored: u64,
    /// Bytes after decompression.
    pub bytes_decompressed: u64,
}

impl ImportCounters {
    /// Reads every counter.
    pub fn snapshot(&self) -> ImportProgress {
        let load = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        ImportProgress {
            files_total: load(&self.files_total),
            files_done: load(&self.files_done),
            files_failed: load(&self.files_failed),
            digest_files: load(&self.digest_files),
            records_seen: load(&self.records_seen),
            events_imported: load(&self.events_imported),
            duplicates: load(&self.duplicates),
            rejected: load(&self.rejected),
            insight_events: load(&self.insight_events),
            bytes_stored: load(&self.bytes_stored),
            bytes_decompressed: load(&self.bytes_decompressed),
        }
    }

    pub(crate) fn add(&self, counter: Counter, amount: u64) {
        let target = match counter {
            Counter::FilesTotal => &self.files_total,
            Counter::FilesDone => &self.files_done,
            Counter::FilesFailed => &self.files_failed,
            Counter::DigestFiles => &self.digest_files,
            Counter::RecordsSeen => &self.records_seen,
            Counter::EventsImported => &self.events_imported,
            Counter::Duplicates => &self.duplicates,
            Counter::Rejected => &self.rejected,
            Counter::InsightEvents => &self.insight_events,
            Counter::BytesStored => &self.bytes_stored,
            Counter::BytesDecompressed => &self.bytes_decompressed,
        };
        target.fetch_add(amount, Ordering::Relaxed);
    }
}

/// Names of the counters, for [`ImportCounters::add`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Counter {
    FilesTotal,
    FilesDone,
    FilesFailed,
    DigestFiles,
    RecordsSeen,
    EventsImported,
    Duplicates,
    Rejected,
    InsightEvents,
    BytesStored,
    BytesDecompressed,
}
