//! The fake executor and sink, and helpers shared by the tests.
//!
//! The fake executor decides what to do from the statement text:
//!
//! - `rows N`: finishes with N rows (`n`, `label`) and fixed statistics;
//! - `fail`: fails with a statement error;
//! - `panic`: panics;
//! - `block`: runs until the test releases it (then 1 row) or the signal says stop
//!   (cancelled, or timed out with 3 partial rows);
//! - `stall`: runs until the signal says stop, ignoring releases;
//! - `golden`: finishes with the rows of the CSV golden.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use opentrail_queries::{
    Cancel, DeliveryError, DeliveryUri, ExecFailure, Executor, Job, Output, Queries, QueryLimits,
    QueryStatus, ResultSink, StartRequest, Stats, StopReason,
};
use opentrail_types::{ManualClock, SeededIds, Timestamp};
use tempfile::TempDir;

pub const ACCOUNT: &str = "111122223333";
pub const OTHER_ACCOUNT: &str = "444455556666";
pub const STORE: &str = "a1b2c3d4-0000-4000-8000-00000000e0d5";

pub const STATS: Stats = Stats {
    events_scanned: 500,
    events_matched: 42,
    bytes_scanned: 13_287,
};

#[derive(Debug, Default)]
pub struct FakeExecutor {
    /// Lets `block` queries finish.
    pub released: AtomicBool,
    /// Executions started so far.
    pub started: AtomicUsize,
}

pub fn rows(count: usize) -> Vec<Vec<Option<String>>> {
    (0..count)
        .map(|index| vec![Some(index.to_string()), Some(format!("row {index}"))])
        .collect()
}

fn output(count: usize) -> Output {
    Output {
        columns: vec![String::from("n"), String::from("label")],
        rows: rows(count),
        stats: STATS,
    }
}

pub fn golden_output() -> Output {
    let text = |value: &str| Some(String::from(value));
    Output {
        columns: vec![
            String::from("eventName"),
            String::from("note"),
            String::from("_col2"),
        ],
        rows: vec![
            vec![text("ListBuckets"), text("plain"), text("1")],
            vec![text("Put,Object"), text("say \"hi\""), None],
            vec![text("multi\nline"), text(""), text("crlf\r\nend")],
            vec![text("Ünïcödé ✓"), text("日本語"), text(" padded ")],
            vec![None, None, None],
        ],
        stats: STATS,
    }
}

impl Executor for FakeExecutor {
    fn execute(&self, job: &Job, cancel: &Cancel) -> Result<Output, ExecFailure> {
        self.started.fetch_add(1, Ordering::SeqCst);
        let statement = job.statement.as_str();
        if let Some(count) = statement.strip_prefix("rows ") {
            let count: usize = count
                .parse()
                .map_err(|_| ExecFailure::failed("bad count"))?;
            return Ok(output(count));
        }
        match statement {
            "fail" => Err(ExecFailure::failed("table `nope` does not exist")),
            "panic" => panic!("the fake engine panics on purpose"),
            "golden" => Ok(golden_output()),
            "block" | "stall" => loop {
                match cancel.should_stop() {
                    Some(StopReason::Cancelled) => return Err(ExecFailure::cancelled()),
                    Some(StopReason::TimedOut) => {
                        return Err(ExecFailure::timed_out(Some(output(3))));
                    }
                    None => {}
                }
                if statement == "block" && self.released.load(Ordering::SeqCst) {
                    return Ok(output(1));
                }
                std::thread::sleep(Duration::from_millis(1));
            },
            other => Err(ExecFailure::failed(format!(
                "unknown fake statement `{other}`"
            ))),
        }
    }
}

/// One recorded delivery: URI, query ID, account, files.
pub type Delivery = (DeliveryUri, String, String, Vec<(String, Vec<u8>)>);

/// A sink that records deliveries and fails with a set status when told to.
#[derive(Debug, Default)]
pub struct RecordingSink {
    pub fail_with: Mutex<Option<DeliveryError>>,
    pub delivered: Mutex<Vec<Delivery>>,
}

impl ResultSink for RecordingSink {
    fn deliver(
        &self,
        uri: &DeliveryUri,
        query_id: &str,
        account: &str,
        files: Vec<(String, Vec<u8>)>,
    ) -> Result<(), DeliveryError> {
        if let Some(error) = self.fail_with.lock().unwrap().clone() {
            return Err(error);
        }
        self.delivered.lock().unwrap().push((
            uri.clone(),
            query_id.to_owned(),
            account.to_owned(),
            files,
        ));
        Ok(())
    }
}

/// A service on a temporary folder with a manual clock.
pub struct Harness {
    pub queries: Queries,
    pub dir: TempDir,
    pub clock: ManualClock,
    pub executor: Arc<FakeExecutor>,
    pub sink: Arc<RecordingSink>,
    pub limits: QueryLimits,
}

impl Drop for Harness {
    fn drop(&mut self) {
        self.queries.shutdown();
    }
}

pub fn start_time() -> Timestamp {
    Timestamp::parse_event_time("2026-03-04T17:05:21Z").unwrap()
}

impl Harness {
    pub fn new() -> Harness {
        Harness::with_limits(QueryLimits::default())
    }

    pub fn with_limits(limits: QueryLimits) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let clock = ManualClock::new(start_time());
        let executor = Arc::new(FakeExecutor::default());
        let sink = Arc::new(RecordingSink::default());
        let queries = open(&dir, &clock, &executor, &sink, &limits, 1);
        Harness {
            dir,
            clock,
            executor,
            sink,
            limits,
            queries,
        }
    }

    /// Shuts the service down and opens a new one on the same folder.
    pub fn reopen(&mut self) {
        self.queries.shutdown();
        self.queries = open(
            &self.dir,
            &self.clock,
            &self.executor,
            &self.sink,
            &self.limits,
            2,
        );
    }

    pub fn start(&self, statement: &str) -> String {
        self.queries.start(request(statement)).unwrap()
    }

    /// Waits (at most 10 s of real time) until the query has `status`.
    pub fn wait_for(&self, query_id: &str, status: QueryStatus) {
        wait_until(|| self.queries.describe(ACCOUNT, query_id).unwrap().status == status);
    }

    /// Waits until the query has left QUEUED and RUNNING; returns its status.
    pub fn wait_ended(&self, query_id: &str) -> QueryStatus {
        wait_until(|| {
            !self
                .queries
                .describe(ACCOUNT, query_id)
                .unwrap()
                .status
                .is_active()
        });
        self.queries.describe(ACCOUNT, query_id).unwrap().status
    }
}

fn open(
    dir: &TempDir,
    clock: &ManualClock,
    executor: &Arc<FakeExecutor>,
    sink: &Arc<RecordingSink>,
    limits: &QueryLimits,
    seed: u64,
) -> Queries {
    Queries::open(
        dir.path(),
        Arc::new(clock.clone()),
        Arc::new(SeededIds::new(seed)),
        executor.clone(),
        Some(sink.clone()),
        limits.clone(),
    )
    .unwrap()
}

pub fn request(statement: &str) -> StartRequest {
    StartRequest {
        account: String::from(ACCOUNT),
        statement: String::from(statement),
        store_ids: vec![String::from(STORE)],
        delivery_s3_uri: None,
        owner_account: None,
    }
}

/// Polls `condition` every millisecond for at most 10 s of real time.
pub fn wait_until(mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !condition() {
        assert!(Instant::now() < deadline, "condition not met within 10 s");
        std::thread::sleep(Duration::from_millis(1));
    }
}
