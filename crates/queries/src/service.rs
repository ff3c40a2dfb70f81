//! [`Queries`]: the query service and its five operations.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use opentrail_types::{SharedClock, SharedIds, Timestamp};

use crate::delivery::{DeliveryUri, ResultSink};
use crate::error::{Error, ErrorKind, Result};
use crate::executor::{Cancel, Executor};
use crate::model::{
    CancelOutcome, DeliveryStatus, QueryDescription, QueryLimits, QueryStatistics, QueryStatus,
    ResultsPage, StartRequest, Stats,
};
use crate::persist::{Layout, QueryRecord, VERSION};
use crate::token;
use crate::worker;

/// `ErrorMessage` of a query that was queued or running when the process stopped.
pub const RESTART_MESSAGE: &str = "the server restarted before the query finished";

/// Longest `QueryStatement` (botocore).
const MAX_STATEMENT_CHARS: usize = 10_000;
/// Largest page of GetQueryResults and ListQueries (botocore).
const MAX_PAGE: i64 = 1000;

/// The query service: accepts statements, runs them on its own worker threads through an
/// [`Executor`], keeps records and results under a folder, and answers DescribeQuery,
/// GetQueryResults, CancelQuery and ListQueries.
///
/// Callers resolve and check the stores a statement names before [`Queries::start`], and
/// refuse calls about queries of a store pending deletion using the `store_ids` the answers
/// carry (`InactiveEventDataStoreException`, spec §3.2.4).
pub struct Queries {
    pub(crate) inner: Arc<Inner>,
    workers: Mutex<Vec<JoinHandle<()>>>,
}

impl fmt::Debug for Queries {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Queries")
            .field("limits", &self.inner.limits)
            .finish_non_exhaustive()
    }
}

/// State shared with the workers.
pub(crate) struct Inner {
    pub(crate) layout: Layout,
    pub(crate) clock: SharedClock,
    pub(crate) ids: SharedIds,
    pub(crate) executor: Arc<dyn Executor>,
    pub(crate) sink: Option<Arc<dyn ResultSink>>,
    pub(crate) limits: QueryLimits,
    pub(crate) state: Mutex<State>,
    /// Signalled when a query is queued or the service shuts down.
    pub(crate) work: Condvar,
}

pub(crate) struct State {
    pub(crate) queries: HashMap<String, Entry>,
    pub(crate) queue: VecDeque<String>,
    pub(crate) shutting_down: bool,
}

pub(crate) struct Entry {
    pub(crate) record: QueryRecord,
    /// The stop signal of a running query.
    pub(crate) cancel: Option<Cancel>,
}

impl Inner {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A poisoned lock means a thread panicked while holding it; every mutation below
        // leaves the map consistent before it can panic, so the state is still usable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A duration in milliseconds, saturating.
pub(crate) fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

impl Queries {
    /// Opens the service on `dir` (created if needed) and starts its workers.
    ///
    /// Queries that were `QUEUED` or `RUNNING` when the process stopped become `FAILED`
    /// with [`RESTART_MESSAGE`]; an interrupted delivery becomes `FAILED`. Expired queries
    /// are purged.
    ///
    /// # Errors
    ///
    /// `Io` when the folder cannot be read or written, `Corrupt` for a damaged record.
    pub fn open(
        dir: &Path,
        clock: SharedClock,
        ids: SharedIds,
        executor: Arc<dyn Executor>,
        sink: Option<Arc<dyn ResultSink>>,
        limits: QueryLimits,
    ) -> Result<Queries> {
        let layout = Layout::create(dir)?;
        let now = clock.now();
        let mut queries = HashMap::new();
        for mut record in layout.read_records()? {
            if recover_interrupted(&mut record, now) {
                layout.write_record(&record)?;
            }
            let entry = Entry {
                record,
                cancel: None,
            };
            queries.insert(entry.record.query_id.clone(), entry);
        }
        let inner = Arc::new(Inner {
            layout,
            clock,
            ids,
            executor,
            sink,
            limits,
            state: Mutex::new(State {
                queries,
                queue: VecDeque::new(),
                shutting_down: false,
            }),
            work: Condvar::new(),
        });
        let service = Queries {
            inner: Arc::clone(&inner),
            workers: Mutex::new(Vec::new()),
        };
        service.purge_expired()?;
        let mut handles = Vec::new();
        for number in 0..inner.limits.workers.max(1) {
            let worker_inner = Arc::clone(&inner);
            let handle = std::thread::Builder::new()
                .name(format!("query-worker-{number}"))
                .spawn(move || worker::run(&worker_inner))
                .map_err(|error| Error::io(dir, error))?;
            handles.push(handle);
        }
        *service
            .workers
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = handles;
        Ok(service)
    }

    /// StartQuery: queues the statement and returns its new `QueryId`.
    ///
    /// # Errors
    ///
    /// `InvalidParameter` for a statement of 0 or more than 10,000 characters, the
    /// `DeliveryS3Uri` refusals of [`DeliveryUri::parse`], `UnsupportedOperation` for a
    /// `DeliveryS3Uri` without a result sink, `MaxConcurrentQueries` when the account
    /// already has the limit of queued and running queries, `Io` when the record cannot be
    /// written.
    pub fn start(&self, request: StartRequest) -> Result<String> {
        let length = request.statement.chars().count();
        if length == 0 || length > MAX_STATEMENT_CHARS {
            return Err(Error::rejected(
                ErrorKind::InvalidParameter,
                format!("QueryStatement has {length} characters; give 1 to {MAX_STATEMENT_CHARS}"),
            ));
        }
        if let Some(uri) = &request.delivery_s3_uri {
            DeliveryUri::parse(uri)?;
            if self.inner.sink.is_none() {
                return Err(Error::rejected(
                    ErrorKind::UnsupportedOperation,
                    "delivery of query results to S3 is not configured on this server",
                ));
            }
        }
        let mut state = self.inner.lock();
        let limit = self.inner.limits.max_concurrent;
        let active = state
            .queries
            .values()
            .filter(|entry| {
                entry.record.account == request.account && entry.record.status.is_active()
            })
            .count();
        if active >= limit {
            return Err(Error::rejected(
                ErrorKind::MaxConcurrentQueries,
                format!(
                    "account `{}` already has {active} queued or running queries; the limit is {limit}",
                    request.account
                ),
            ));
        }
        let mut query_id = self.inner.ids.uuid();
        while state.queries.contains_key(&query_id) {
            query_id = self.inner.ids.uuid();
        }
        let record = QueryRecord {
            version: VERSION,
            query_id: query_id.clone(),
            delivery_status: request
                .delivery_s3_uri
                .as_ref()
                .map(|_| DeliveryStatus::Pending),
            account: request.account,
            statement: request.statement,
            store_ids: request.store_ids,
            owner_account: request.owner_account,
            delivery_s3_uri: request.delivery_s3_uri,
            status: QueryStatus::Queued,
            error_message: None,
            creation_time: self.inner.clock.now(),
            start_time: None,
            end_time: None,
            stats: Stats::default(),
            total_rows: 0,
            has_results: false,
        };
        self.inner.layout.write_record(&record)?;
        state.queries.insert(
            query_id.clone(),
            Entry {
                record,
                cancel: None,
            },
        );
        state.queue.push_back(query_id.clone());
        drop(state);
        self.inner.work.notify_one();
        Ok(query_id)
    }

    /// DescribeQuery.
    ///
    /// # Errors
    ///
    /// `QueryIdNotFound` for an unknown or purged ID, or another account's query.
    pub fn describe(&self, account: &str, query_id: &str) -> Result<QueryDescription> {
        let record = self.record(account, query_id)?;
        let statistics = QueryStatistics {
            events_matched: record.stats.events_matched,
            events_scanned: record.stats.events_scanned,
            bytes_scanned: record.stats.bytes_scanned,
            execution_time_millis: execution_time_millis(&record, self.inner.clock.now()),
            creation_time: record.creation_time,
        };
        Ok(QueryDescription {
            query_id: record.query_id,
            query_string: record.statement,
            status: record.status,
            statistics,
            error_message: record.error_message,
            delivery_s3_uri: record.delivery_s3_uri,
            delivery_status: record.delivery_status,
            owner_account: record.owner_account,
            store_ids: record.store_ids,
        })
    }

    /// The stores a query reads, for the pending-deletion check of the API layer.
    ///
    /// # Errors
    ///
    /// `QueryIdNotFound` as [`Queries::describe`].
    pub fn query_store_ids(&self, account: &str, query_id: &str) -> Result<Vec<String>> {
        Ok(self.record(account, query_id)?.store_ids)
    }

    /// GetQueryResults: one page of rows of a `FINISHED` or `TIMED_OUT` query; the status
    /// alone (and `ErrorMessage` when `FAILED`) otherwise.
    ///
    /// # Errors
    ///
    /// `InvalidMaxResults` outside 1–1000, `QueryIdNotFound` as [`Queries::describe`],
    /// `InvalidNextToken` for a token not issued for this query's results, `Io`/`Corrupt`
    /// when the results file cannot be read.
    pub fn results(
        &self,
        account: &str,
        query_id: &str,
        next_token: Option<&str>,
        max_results: Option<i64>,
    ) -> Result<ResultsPage> {
        let page_size = self.page_size(max_results, "MaxQueryResults")?;
        let record = self.record(account, query_id)?;
        let offset = match next_token {
            Some(text) => token::decode_results(text, query_id)?,
            None => 0,
        };
        let mut page = ResultsPage {
            status: record.status,
            columns: Vec::new(),
            rows: Vec::new(),
            results_count: 0,
            total_results_count: record.total_rows,
            bytes_scanned: record.stats.bytes_scanned,
            next_token: None,
            error_message: record.error_message.clone(),
            store_ids: record.store_ids.clone(),
        };
        if !record.has_results {
            return Ok(page);
        }
        if offset > record.total_rows {
            return Err(Error::rejected(
                ErrorKind::InvalidNextToken,
                format!(
                    "NextToken points past the {} rows of query `{query_id}`",
                    record.total_rows
                ),
            ));
        }
        let (columns, rows) = self.inner.layout.read_page(query_id, offset, page_size)?;
        let end = offset + rows.len() as u64;
        page.columns = columns;
        page.results_count = rows.len() as u64;
        page.rows = rows;
        if end < record.total_rows {
            page.next_token = Some(token::encode_results(query_id, end));
        }
        Ok(page)
    }

    /// CancelQuery: a `QUEUED` or `RUNNING` query becomes `CANCELLED` at once; a running
    /// executor is told to stop and its answer is discarded.
    ///
    /// # Errors
    ///
    /// `QueryIdNotFound` as [`Queries::describe`], `InactiveQuery` when the query has
    /// already ended, `Io` when the record cannot be written.
    pub fn cancel(&self, account: &str, query_id: &str) -> Result<CancelOutcome> {
        let now = self.inner.clock.now();
        let mut state = self.inner.lock();
        let entry = state
            .queries
            .get_mut(query_id)
            .filter(|entry| entry.record.account == account)
            .ok_or_else(|| Error::query_not_found(query_id))?;
        if !entry.record.status.is_active() {
            return Err(Error::rejected(
                ErrorKind::InactiveQuery,
                format!(
                    "query `{query_id}` is already `{}`",
                    entry.record.status.as_str()
                ),
            ));
        }
        // Written first: a failed write leaves the query as it was.
        let mut record = entry.record.clone();
        record.status = QueryStatus::Cancelled;
        record.end_time = Some(now);
        if record.delivery_s3_uri.is_some() {
            record.delivery_status = Some(DeliveryStatus::Cancelled);
        }
        self.inner.layout.write_record(&record)?;
        if let Some(cancel) = entry.cancel.take() {
            cancel.cancel();
        }
        let owner_account = record.owner_account.clone();
        entry.record = record;
        Ok(CancelOutcome {
            query_id: query_id.to_owned(),
            status: QueryStatus::Cancelled,
            owner_account,
        })
    }

    /// Removes the records and results of queries that ended more than the retention
    /// period ago; returns how many. Run it periodically (it also runs on open).
    ///
    /// # Errors
    ///
    /// `Io` when a file cannot be removed (the queries removed before it stay removed).
    pub fn purge_expired(&self) -> Result<usize> {
        let now = self.inner.clock.now();
        let retention = millis(self.inner.limits.results_retention);
        let mut state = self.inner.lock();
        let expired: Vec<String> = state
            .queries
            .values()
            .filter(|entry| {
                entry
                    .record
                    .end_time
                    .is_some_and(|end| end.saturating_add_millis(retention) <= now)
            })
            .map(|entry| entry.record.query_id.clone())
            .collect();
        for query_id in &expired {
            self.inner.layout.remove(query_id)?;
            state.queries.remove(query_id);
        }
        Ok(expired.len())
    }

    /// Stops the workers: running executors are told to stop and their answers discarded,
    /// so their queries stay `RUNNING` on disk and become `FAILED` on the next open. Waits
    /// for the worker threads to end.
    pub fn shutdown(&self) {
        self.signal_shutdown();
        let handles =
            std::mem::take(&mut *self.workers.lock().unwrap_or_else(PoisonError::into_inner));
        for handle in handles {
            // A worker that panicked has nothing left to clean up; its query stays RUNNING
            // on disk and is failed on the next open.
            let _ = handle.join();
        }
    }

    fn signal_shutdown(&self) {
        let mut state = self.inner.lock();
        state.shutting_down = true;
        for entry in state.queries.values() {
            if let Some(cancel) = &entry.cancel {
                cancel.cancel();
            }
        }
        drop(state);
        self.inner.work.notify_all();
    }

    /// A copy of the record of `query_id` if `account` owns it.
    pub(crate) fn record(&self, account: &str, query_id: &str) -> Result<QueryRecord> {
        let state = self.inner.lock();
        state
            .queries
            .get(query_id)
            .filter(|entry| entry.record.account == account)
            .map(|entry| entry.record.clone())
            .ok_or_else(|| Error::query_not_found(query_id))
    }

    pub(crate) fn page_size(&self, max_results: Option<i64>, member: &str) -> Result<usize> {
        match max_results {
            None => Ok(self.inner.limits.default_page.clamp(1, 1000)),
            Some(value @ 1..=MAX_PAGE) => usize::try_from(value)
                .map_err(|_| Error::Internal(format!("page size `{value}` does not fit"))),
            Some(value) => Err(Error::rejected(
                ErrorKind::InvalidMaxResults,
                format!("{member} `{value}` is not valid; give 1 to {MAX_PAGE}"),
            )),
        }
    }
}

impl Drop for Queries {
    /// Tells the workers to stop without waiting for them (see [`Queries::shutdown`]).
    fn drop(&mut self) {
        self.signal_shutdown();
    }
}

/// Fails a query the previous process left queued or running, and a delivery it left
/// pending; returns whether the record changed.
fn recover_interrupted(record: &mut QueryRecord, now: Timestamp) -> bool {
    if record.status.is_active() {
        record.status = QueryStatus::Failed;
        record.error_message = Some(String::from(RESTART_MESSAGE));
        record.end_time = Some(now);
        if record.delivery_s3_uri.is_some() {
            record.delivery_status = Some(DeliveryStatus::Failed);
        }
        return true;
    }
    if record.delivery_status == Some(DeliveryStatus::Pending) {
        record.delivery_status = Some(DeliveryStatus::Failed);
        return true;
    }
    false
}

/// `ExecutionTimeInMillis`: running time so far, or from start to end once ended.
fn execution_time_millis(record: &QueryRecord, now: Timestamp) -> i64 {
    let Some(start) = record.start_time else {
        return 0;
    };
    let end = match record.status {
        QueryStatus::Running => now,
        _ => record.end_time.unwrap_or(start),
    };
    end.as_millis().saturating_sub(start.as_millis()).max(0)
}
