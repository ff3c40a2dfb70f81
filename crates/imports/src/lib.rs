//! Lake imports (`StartImport` and friends, spec `events-and-queries.md` §3.7): the import
//! registry, reading trail archives from a bucket or a directory, statistics and failures.
//!
//! - [`Imports`]: the registry of one server, persisted in `<dir>/imports.json`, with the
//!   API operations ([`Imports::start_import`], [`Imports::get_import`],
//!   [`Imports::stop_import`], [`Imports::list_imports`], [`Imports::list_import_failures`]).
//! - [`Imports::run`] / [`spawn_runner`]: reads the log files of one import and hands their
//!   records to an [`ImportSink`] (the Lake storage), on a thread of the caller's.
//! - [`ImportLocation`], [`open_source`], [`SourceReader`]: what `S3LocationUri` names and
//!   how it is read (a bucket through `opentrail_blob`, or a local directory).
//!
//! # Decisions
//!
//! - **Files read:** `CloudTrail` log files in the standard layout at or below the location
//!   (`…AWSLogs/[o-…/]<account>/CloudTrail/<region>/YYYY/MM/DD/<name>.json[.gz]`, parsed by
//!   `opentrail_archive::layout`); digests, `CloudTrail-Insight` files and anything else are
//!   left out. The time range applies first to the minute in the file name (a file is read
//!   when it may hold events in range, allowing [`FILE_NAME_LAG_MINUTES`] of delivery lag),
//!   then to each record's `eventTime` (inclusive bounds).
//! - **Prefixes:** `PrefixesFound` counts the date folders (`…/CloudTrail/<region>/YYYY/MM/DD/`,
//!   per account and region) holding at least one selected file; `PrefixesCompleted` those
//!   whose files are all handled (imported or recorded as a failure).
//! - **Progress and resume:** files are read in bytewise key order and a cursor (the last
//!   key handled) is written with the statistics every few files or seconds. An import
//!   `IN_PROGRESS` when the process stopped is resumed, not failed: the caller runs it again
//!   ([`Imports::runnable_imports`]) and files up to the cursor are not read again. A file
//!   read after the last checkpoint is read again; the store drops the records it already
//!   holds (dedupe on `eventID` + `recipientAccountId`), and `EventsCompleted` counts them
//!   again.
//! - **Retry:** `StartImport{ImportId}` on a `FAILED` or `STOPPED` import marks its `FAILED`
//!   entries `RETRY`; the next run reads those files again (each entry ends `SUCCEEDED` or
//!   `FAILED`), then the files after the cursor. Files already imported are not read again.
//! - **Stop:** `StopImport` applies to `INITIALIZING`/`IN_PROGRESS` imports only (else
//!   `InvalidParameterException`); the runner notices between files and batches.
//!
//! # Example
//!
//! ```
//! use std::sync::Arc;
//! use std::sync::atomic::AtomicBool;
//! use opentrail_imports::*;
//! use opentrail_types::{ManualClock, SeededIds, Timestamp};
//!
//! #[derive(Debug)]
//! struct CountingSink;
//! impl ImportSink for CountingSink {
//!     fn add(&self, _store: &str, records: &[&[u8]]) -> Result<SinkCounts, SinkError> {
//!         Ok(SinkCounts { added: records.len() as u64, duplicates: 0 })
//!     }
//! }
//!
//! let state = tempfile::tempdir()?;
//! let logs = tempfile::tempdir()?;
//! let folder = logs.path().join("AWSLogs/111122223333/CloudTrail/us-east-1/2023/07/10");
//! std::fs::create_dir_all(&folder)?;
//! std::fs::write(
//!     folder.join("111122223333_CloudTrail_us-east-1_20230710T1145Z_7xgocspSowgK0Gto.json"),
//!     br#"{"Records":[{"eventVersion":"1.08","eventTime":"2023-07-10T11:42:36Z","eventID":"e1"}]}"#,
//! )?;
//!
//! let clock = Arc::new(ManualClock::new(Timestamp::parse_event_time("2026-01-01T00:00:00Z")?));
//! let imports = Imports::open(state.path(), clock, Arc::new(SeededIds::new(1)))?;
//! let import = imports.start_import(StartImportRequest {
//!     destinations: Some(vec!["arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/eds1".into()]),
//!     import_source: Some(ImportSource { s3: S3ImportSource {
//!         s3_location_uri: logs.path().display().to_string(),
//!         s3_bucket_region: "us-east-1".into(),
//!         s3_bucket_access_role_arn: "arn:aws:iam::111122223333:role/import".into(),
//!     }}),
//!     ..StartImportRequest::default()
//! })?;
//! let source = DirectorySource::new(logs.path().to_path_buf());
//! let outcome = imports.run(&import.import_id, &source, &CountingSink, &AtomicBool::new(false))?;
//! assert_eq!(outcome, RunOutcome::Completed);
//! let done = imports.get_import(&import.import_id)?;
//! assert_eq!(done.import_status, ImportStatus::Completed);
//! assert_eq!(done.import_statistics.events_completed, 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

mod error;
mod file;
mod location;
mod model;
mod persist;
mod plan;
mod registry;
mod runner;
mod sink;
mod source;
mod spawn;

pub use error::{Error, ErrorKind, Result};
pub use location::{ImportLocation, store_arn_account};
pub use model::{
    FailureType, FailuresPage, Import, ImportFailure, ImportFailureStatus, ImportSource,
    ImportStatistics, ImportStatus, ImportsListItem, ImportsPage, ListImportsRequest,
    S3ImportSource, StartImportRequest,
};
pub use plan::FILE_NAME_LAG_MINUTES;
pub use registry::{DEFAULT_MAX_RESULTS, IMPORTS_FILE, Imports};
pub use runner::{DEFAULT_MAX_DECOMPRESSED_BYTES, RunOptions, RunOutcome};
pub use sink::{ImportSink, SinkCounts, SinkError};
pub use source::{BucketSource, DirectorySource, SourceError, SourceReader, open_source};
pub use spawn::{RunnerHandle, spawn_runner};
