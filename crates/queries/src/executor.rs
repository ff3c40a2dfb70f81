//! The seam to the SQL engine: [`Executor`] runs one [`Job`] and polls a [`Cancel`].

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use opentrail_types::{SharedClock, Timestamp};

use crate::model::Stats;

/// Runs query statements. The real one is the DataFusion engine of `opentrail-sql`; this
/// crate knows it only through this trait.
///
/// `execute` is called on a worker thread owned by [`crate::Queries`] and may block for
/// as long as the query runs (an async engine blocks on its own runtime). It must poll
/// [`Cancel::should_stop`] between batches and return soon after it reports a reason.
pub trait Executor: Send + Sync {
    /// Executes `job` to the end, or until `cancel` says to stop.
    ///
    /// # Errors
    ///
    /// An [`ExecFailure`] whose kind says why the query did not finish: a statement or
    /// engine error, the time limit (with the rows computed so far, if any), or a
    /// cancellation.
    fn execute(&self, job: &Job, cancel: &Cancel) -> Result<Output, ExecFailure>;
}

/// One query to execute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The query's ID.
    pub query_id: String,
    /// The statement text as the caller sent it.
    pub statement: String,
    /// The caller's account.
    pub account: String,
    /// IDs of the event data stores the statement reads, resolved before StartQuery.
    pub store_ids: Vec<String>,
    /// `EventDataStoreOwnerAccountId`, when given.
    pub owner_account: Option<String>,
    /// `DeliveryS3Uri`, when given (delivery itself is done by [`crate::Queries`]).
    pub delivery_s3_uri: Option<String>,
    /// The stored-result limit: results larger than this make the query fail, so an engine
    /// may stop early once its output is known to exceed it.
    pub max_result_bytes: u64,
}

/// The complete result of a statement.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// Column names in select-list order (the alias, the last path component, or `_colN`).
    pub columns: Vec<String>,
    /// Rows, one value per column, rendered as strings; `None` is SQL NULL.
    pub rows: Vec<Vec<Option<String>>>,
    /// What the execution counted.
    pub stats: Stats,
}

/// Why an execution did not produce a complete [`Output`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecFailure {
    /// The text for `ErrorMessage` (lowercase, naming the bad value).
    pub message: String,
    /// Which kind of failure.
    pub kind: FailureKind,
}

/// The kinds of [`ExecFailure`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureKind {
    /// The statement or the engine failed; the query ends `FAILED`.
    Failed,
    /// The deadline passed; the query ends `TIMED_OUT` keeping the rows computed so far
    /// (`None` when the engine has none to offer).
    TimedOut(Option<Output>),
    /// The cancel flag was raised; the query is already `CANCELLED`.
    Cancelled,
}

impl ExecFailure {
    /// A `Failed` failure with `message`.
    pub fn failed(message: impl Into<String>) -> ExecFailure {
        ExecFailure {
            message: message.into(),
            kind: FailureKind::Failed,
        }
    }

    /// A `Cancelled` failure.
    pub fn cancelled() -> ExecFailure {
        ExecFailure {
            message: String::from("the query was cancelled"),
            kind: FailureKind::Cancelled,
        }
    }

    /// A `TimedOut` failure carrying the rows computed so far.
    pub fn timed_out(partial: Option<Output>) -> ExecFailure {
        ExecFailure {
            message: String::from("the query ran longer than the time limit"),
            kind: FailureKind::TimedOut(partial),
        }
    }
}

/// Why an executor should stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// CancelQuery was called, or the server is shutting down.
    Cancelled,
    /// The query has run past its deadline.
    TimedOut,
}

/// A cheap, clonable stop signal: a shared flag plus a deadline on the injected clock.
#[derive(Debug, Clone)]
pub struct Cancel {
    flag: Arc<AtomicBool>,
    deadline: Timestamp,
    clock: SharedClock,
}

impl Cancel {
    /// Returns a signal that is not raised and expires at `deadline` on `clock`.
    pub fn new(clock: SharedClock, deadline: Timestamp) -> Cancel {
        Cancel {
            flag: Arc::new(AtomicBool::new(false)),
            deadline,
            clock,
        }
    }

    /// Raises the flag; every clone sees it.
    pub fn cancel(&self) {
        self.flag.store(true, Ordering::SeqCst);
    }

    /// Whether the flag is raised.
    pub fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// The instant the query times out.
    pub fn deadline(&self) -> Timestamp {
        self.deadline
    }

    /// Whether the clock has reached the deadline.
    pub fn is_past_deadline(&self) -> bool {
        self.clock.now() >= self.deadline
    }

    /// Returns why the executor should stop, or `None` to go on. A raised flag wins over
    /// the deadline.
    pub fn should_stop(&self) -> Option<StopReason> {
        if self.is_cancelled() {
            return Some(StopReason::Cancelled);
        }
        if self.is_past_deadline() {
            return Some(StopReason::TimedOut);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use opentrail_types::ManualClock;

    use super::*;

    #[test]
    fn cancel_reports_the_flag_before_the_deadline() {
        let clock = ManualClock::new(Timestamp::from_secs(100));
        let cancel = Cancel::new(Arc::new(clock.clone()), Timestamp::from_secs(110));
        assert_eq!(cancel.should_stop(), None);
        clock.advance_millis(10_000);
        assert_eq!(cancel.should_stop(), Some(StopReason::TimedOut));
        cancel.clone().cancel();
        assert_eq!(cancel.should_stop(), Some(StopReason::Cancelled));
    }
}
