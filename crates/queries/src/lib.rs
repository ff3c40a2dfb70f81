//! Lake query lifecycle: queued, running, finished; results, paging, cancellation,
//! time-outs, limits (spec `events-and-queries.md` §3.3).
//!
//! The SQL engine is not here: [`Queries`] runs each statement through an [`Executor`]
//! (DataFusion, in `opentrail-sql`) on worker threads it owns, and keeps everything else:
//! the per-account concurrency limit, statuses and statistics, paged results with opaque
//! tokens, cancellation, the one-hour time-out (through the [`Cancel`] signal the executor
//! polls), durable records and results for seven days, and delivery of finished results to
//! `DeliveryS3Uri` as gzip CSV through a [`ResultSink`].
//!
//! Main types: [`Queries`] (the service), [`Executor`]/[`Job`]/[`Output`]/[`Cancel`] (the
//! engine seam), [`ResultSink`]/[`DeliveryUri`] (the delivery seam), [`Error`] with
//! [`ErrorKind`]s named after the AWS exceptions.
//!
//! Stores pending deletion: answers carry the `store_ids` a query reads
//! ([`QueryDescription::store_ids`], [`ResultsPage::store_ids`],
//! [`Queries::query_store_ids`]); the API layer refuses DescribeQuery, GetQueryResults and
//! ListQueries with `InactiveEventDataStoreException` when one of them is pending deletion.
//!
//! ```
//! use std::sync::Arc;
//! use opentrail_queries::{
//!     Cancel, ExecFailure, Executor, Job, Output, Queries, QueryLimits, QueryStatus,
//!     StartRequest,
//! };
//! use opentrail_types::{SeededIds, SystemClock};
//!
//! struct One;
//! impl Executor for One {
//!     fn execute(&self, _job: &Job, _cancel: &Cancel) -> Result<Output, ExecFailure> {
//!         Ok(Output {
//!             columns: vec!["n".into()],
//!             rows: vec![vec![Some("1".into())]],
//!             ..Output::default()
//!         })
//!     }
//! }
//!
//! let dir = tempfile::tempdir().unwrap();
//! let queries = Queries::open(
//!     dir.path(),
//!     Arc::new(SystemClock),
//!     Arc::new(SeededIds::new(1)),
//!     Arc::new(One),
//!     None,
//!     QueryLimits::default(),
//! )
//! .unwrap();
//! let id = queries
//!     .start(StartRequest {
//!         account: "111122223333".into(),
//!         statement: "SELECT 1 AS n FROM store".into(),
//!         store_ids: vec!["store".into()],
//!         delivery_s3_uri: None,
//!         owner_account: None,
//!     })
//!     .unwrap();
//! while queries.describe("111122223333", &id).unwrap().status.is_active() {
//!     std::thread::sleep(std::time::Duration::from_millis(5));
//! }
//! let page = queries.results("111122223333", &id, None, None).unwrap();
//! assert_eq!(page.status, QueryStatus::Finished);
//! assert_eq!(page.rows, vec![vec![Some("1".to_string())]]);
//! queries.shutdown();
//! ```
#![warn(missing_docs)]

mod delivery;
mod error;
mod executor;
mod listing;
mod model;
mod persist;
mod service;
mod token;
mod worker;

pub use delivery::{
    DeliveryError, DeliveryUri, MAX_DELIVERY_URI_CHARS, RESULT_FILE_NAME, ResultSink,
    delivery_files, gzip, result_folder, results_csv,
};
pub use error::{Error, ErrorKind, Result};
pub use executor::{Cancel, ExecFailure, Executor, FailureKind, Job, Output, StopReason};
pub use model::{
    CancelOutcome, DeliveryStatus, ListQueriesRequest, ListedQuery, QueriesPage, QueryDescription,
    QueryLimits, QueryStatistics, QueryStatus, ResultsPage, StartRequest, Stats,
};
pub use service::{Queries, RESTART_MESSAGE};
