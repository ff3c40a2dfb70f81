//! Import of CloudTrail archives into the journal.
//!
//! [`import`] takes files and folders (S3-layout trees with or without an organization
//! level, loose `.json`/`.json.gz` log files, arrays of records, one record per line),
//! reads each file through the capped decompressor, checks every record, and appends the
//! good ones to the journal, where duplicates by `eventID` are dropped: importing the same
//! files again adds nothing. Records without an `eventID` get one derived from their content
//! (a name-based UUID), so that holds for them too. Digest files are recognised and
//! skipped; `CloudTrail-Insight` files are imported like the rest (their records are
//! Insights events by their own `eventCategory`).
//!
//! Work is spread over worker threads, one file at a time each. Memory is bounded by the
//! configuration, not by the archive: at most `workers × (max_file_bytes + two batches)`.
//! One bad file or record never stops the others; the [`ImportSummary`] lists them.
//!
//! ```
//! use std::sync::Arc;
//! use opentrail_import::{ImportCounters, ImportOptions, import};
//! use opentrail_journal::{Journal, JournalConfig};
//! use opentrail_types::SystemClock;
//!
//! let dir = tempfile::tempdir()?;
//! let file = dir.path().join("records.json");
//! std::fs::write(&file, r#"{"Records":[{"eventTime":"2026-03-04T17:05:21Z","eventSource":"iam.amazonaws.com","eventName":"GetUser","eventID":"e-1"}]}"#)?;
//! let journal = Journal::open(&dir.path().join("journal"), JournalConfig::default(), Arc::new(SystemClock))?;
//! let summary = import(&[file.clone()], &journal, &ImportOptions::default(), &ImportCounters::default());
//! assert_eq!(summary.progress.events_imported, 1);
//! let again = import(&[file], &journal, &ImportOptions::default(), &ImportCounters::default());
//! assert_eq!((again.progress.events_imported, again.progress.duplicates), (0, 1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

mod pipeline;
mod progress;

pub use pipeline::{
    FileFailure, ImportOptions, ImportSummary, Rejection, import, stamped_event_id,
};
pub use progress::{ImportCounters, ImportProgress};
