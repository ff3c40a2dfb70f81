//! Where imported records go: the Lake storage implements [`ImportSink`].

use std::fmt;

/// What the destination did with one batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SinkCounts {
    /// Records stored.
    pub added: u64,
    /// Records already in the store (same `eventID` and `recipientAccountId`), not stored
    /// again.
    pub duplicates: u64,
}

/// The destination refused a batch.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SinkError {
    /// Why, for the failure entry's `ErrorMessage`.
    pub message: String,
    /// Whether the same batch may succeed later (the runner retries it with backoff); `false`
    /// makes the file a failure entry at once.
    pub retryable: bool,
}

/// The event data store side of an import.
///
/// `records` are the exact JSON texts of trail records (objects), in file order, already
/// filtered to the import's time range. A batch is all or nothing from the runner's point of
/// view: after an error the whole file is retried or recorded as failed, so the store must
/// tolerate records it already holds (it dedupes on `eventID` + `recipientAccountId`).
/// Implementations are called from the runner's thread and may block.
pub trait ImportSink: Send + Sync + fmt::Debug {
    /// Stores `records` in the event data store `store_arn`.
    ///
    /// # Errors
    ///
    /// A [`SinkError`] saying whether a retry may help.
    fn add(&self, store_arn: &str, records: &[&[u8]]) -> Result<SinkCounts, SinkError>;
}
