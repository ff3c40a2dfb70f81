//! Stand-ins for what the server plugs into `Services` and into the query service: the
//! SQL engine (an [`Executor`] with fixed rows behind a gate the test opens and closes, and
//! a [`StatementChecker`] that only finds table names), the import launcher (records, runs
//! nothing) and the result sink (records, writes nothing). These tests check the API
//! layer's wire shapes; the SQL engine and the import runner have their own tests, and the
//! server's tests run the real ones end to end.

use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

use opentrail_api::ops::import_shapes::ImportLauncher;
use opentrail_api::ops::query_shapes::StatementChecker;
use opentrail_imports::Import;
use opentrail_queries::{
    Cancel, DeliveryError, DeliveryUri, ExecFailure, Executor, Job, Output, ResultSink, Stats,
    StopReason,
};
use opentrail_trails::{BucketProbe, BucketProblem, TopicDirectory};

/// A statement containing this fails in the engine (a column it cannot resolve).
pub const FAILING_COLUMN: &str = "nope";

/// The rows every query returns: three columns, the middle value of the second row NULL.
pub fn fixed_output() -> Output {
    let cell = |text: &str| Some(text.to_owned());
    Output {
        columns: vec!["eventName".into(), "userName".into(), "eventTime".into()],
        rows: vec![
            vec![
                cell("ConsoleLogin"),
                cell("alice"),
                cell("2023-11-14 22:00:01.000"),
            ],
            vec![cell("GetObject"), None, cell("2023-11-14 22:00:02.000")],
            vec![
                cell("ListBuckets"),
                cell("bob"),
                cell("2023-11-14 22:00:03.000"),
            ],
        ],
        stats: Stats {
            events_scanned: 42,
            events_matched: 3,
            bytes_scanned: 13_287,
        },
    }
}

/// An [`Executor`] answering [`fixed_output`]. While its gate is closed every execution
/// waits at it (as RUNNING, holding the one worker, so later queries stay QUEUED) until
/// the gate opens, the query is cancelled, or the clock passes its deadline (TIMED_OUT
/// with the first row as the partial result).
#[derive(Debug, Default)]
pub struct GatedExecutor {
    gate: Mutex<Gate>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct Gate {
    closed: bool,
    /// The executions waiting at the gate.
    waiting: Vec<(String, Cancel)>,
}

impl GatedExecutor {
    fn lock(&self) -> std::sync::MutexGuard<'_, Gate> {
        self.gate.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Opens (`false`) or closes (`true`) the gate.
    pub fn set_closed(&self, closed: bool) {
        self.lock().closed = closed;
        self.changed.notify_all();
    }

    /// Whether the execution of `query_id` is waiting at the closed gate and has no reason
    /// to stop: it will not change state until the test acts.
    pub fn is_held(&self, query_id: &str) -> bool {
        let gate = self.lock();
        gate.closed
            && gate
                .waiting
                .iter()
                .any(|(id, cancel)| id == query_id && cancel.should_stop().is_none())
    }
}

impl Executor for GatedExecutor {
    fn execute(&self, job: &Job, cancel: &Cancel) -> Result<Output, ExecFailure> {
        let mut gate = self.lock();
        gate.waiting.push((job.query_id.clone(), cancel.clone()));
        let stop = loop {
            if let Some(reason) = cancel.should_stop() {
                break Some(reason);
            }
            if !gate.closed {
                break None;
            }
            // Cancellation and the deadline are polled, as the real engine does between
            // batches; the gate itself wakes the wait at once.
            gate = self
                .changed
                .wait_timeout(gate, Duration::from_millis(2))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        };
        gate.waiting.retain(|(id, _)| id != &job.query_id);
        drop(gate);
        match stop {
            Some(StopReason::Cancelled) => Err(ExecFailure::cancelled()),
            Some(StopReason::TimedOut) => {
                let mut partial = fixed_output();
                partial.rows.truncate(1);
                Err(ExecFailure::timed_out(Some(partial)))
            }
            None if job.statement.contains(FAILING_COLUMN) => Err(ExecFailure::failed(format!(
                "column `{FAILING_COLUMN}` cannot be resolved"
            ))),
            None => Ok(fixed_output()),
        }
    }
}

/// Accepts `SELECT … FROM <name> [JOIN <name>] …` and returns the names after `FROM` and
/// `JOIN`, unquoted, as the SQL engine's checker does for well-formed statements.
#[derive(Debug, Default)]
pub struct FromChecker;

impl StatementChecker for FromChecker {
    fn tables(&self, statement: &str) -> Result<Vec<String>, String> {
        let words: Vec<&str> = statement.split_whitespace().collect();
        let first = words.first().copied().unwrap_or_default();
        if !first.eq_ignore_ascii_case("SELECT") {
            return Err(format!(
                "only SELECT statements are allowed; this one starts with `{first}`"
            ));
        }
        let mut tables = Vec::new();
        for pair in words.windows(2) {
            if pair[0].eq_ignore_ascii_case("FROM") || pair[0].eq_ignore_ascii_case("JOIN") {
                let name = pair[1].trim_end_matches([';', ',', ')']).trim_matches('"');
                tables.push(name.to_owned());
            }
        }
        if tables.is_empty() {
            return Err(String::from(
                "the statement reads no table; name one after FROM",
            ));
        }
        Ok(tables)
    }
}

/// Records the imports it is asked to launch; refuses a source whose URI names the bucket
/// `unreachable-logs`, as the server does when a bucket does not resolve.
#[derive(Debug, Default)]
pub struct RecordingLauncher {
    launched: Mutex<Vec<String>>,
}

impl RecordingLauncher {
    /// The IDs of the imports launched, in order.
    pub fn launched(&self) -> Vec<String> {
        self.launched
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl ImportLauncher for RecordingLauncher {
    fn launch(&self, import: &Import) -> Result<(), String> {
        let uri = &import.import_source.s3.s3_location_uri;
        if uri.starts_with("s3://unreachable-logs") {
            return Err(format!("the bucket of `{uri}` cannot be reached"));
        }
        self.launched
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(import.import_id.clone());
        Ok(())
    }
}

/// Accepts every delivery and records `(uri, query ID, file keys)`.
#[derive(Debug, Default)]
pub struct RecordingSink {
    delivered: Mutex<Vec<(String, String, Vec<String>)>>,
}

impl RecordingSink {
    /// What was delivered, in order.
    pub fn delivered(&self) -> Vec<(String, String, Vec<String>)> {
        self.delivered
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl ResultSink for RecordingSink {
    fn deliver(
        &self,
        uri: &DeliveryUri,
        query_id: &str,
        _account: &str,
        files: Vec<(String, Vec<u8>)>,
    ) -> Result<(), DeliveryError> {
        let keys = files.into_iter().map(|(key, _)| key).collect();
        self.delivered
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((uri.uri.clone(), query_id.to_owned(), keys));
        Ok(())
    }
}

/// `audit-logs` and `other-logs` exist, `locked-logs` refuses writes, nothing else exists.
#[derive(Debug)]
pub struct Buckets;

impl BucketProbe for Buckets {
    fn check(&self, bucket: &str) -> Result<(), BucketProblem> {
        match bucket {
            "audit-logs" | "other-logs" => Ok(()),
            "locked-logs" => Err(BucketProblem::AccessDenied(String::from("denied"))),
            _ => Err(BucketProblem::DoesNotExist),
        }
    }
}

/// Every bucket exists and takes writes.
#[derive(Debug)]
pub struct AnyBucket;

impl BucketProbe for AnyBucket {
    fn check(&self, _bucket: &str) -> Result<(), BucketProblem> {
        Ok(())
    }
}

/// Every account has the topic `alerts` in every region.
#[derive(Debug)]
pub struct Topics;

impl TopicDirectory for Topics {
    fn topic_arn(&self, account: &str, region: &str, name_or_arn: &str) -> Option<String> {
        let arn = format!("arn:aws:sns:{region}:{account}:alerts");
        (name_or_arn == "alerts" || name_or_arn == arn).then_some(arn)
    }
}
