//! The worker threads: take a queued query, run it through the executor, store the
//! outcome, deliver finished results.

use std::panic::{AssertUnwindSafe, catch_unwind};

use opentrail_types::Timestamp;
use tracing::warn;

use crate::delivery::{self, DeliveryUri};
use crate::executor::{Cancel, ExecFailure, FailureKind, Job, Output};
use crate::model::{DeliveryStatus, QueryStatus, Stats};
use crate::persist::{QueryRecord, encode_results};
use crate::service::{Inner, millis};

/// Shortest and longest `ErrorMessage` (botocore).
const MIN_ERROR_CHARS: usize = 4;
const MAX_ERROR_CHARS: usize = 1000;

/// Runs queries until the service shuts down.
pub(crate) fn run(inner: &Inner) {
    while let Some((job, cancel)) = next_job(inner) {
        // A panicking engine must not take the worker (and the query's status) with it.
        let outcome = catch_unwind(AssertUnwindSafe(|| inner.executor.execute(&job, &cancel)))
            .unwrap_or_else(|_| Err(ExecFailure::failed("the query engine failed unexpectedly")));
        finish(inner, &job, outcome);
    }
}

/// Waits for a queued query, marks it `RUNNING` and returns its job and stop signal;
/// `None` once the service shuts down.
fn next_job(inner: &Inner) -> Option<(Job, Cancel)> {
    let mut state = inner.lock();
    loop {
        if state.shutting_down {
            return None;
        }
        let Some(query_id) = state.queue.pop_front() else {
            state = inner
                .work
                .wait(state)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            continue;
        };
        let Some(entry) = state.queries.get_mut(&query_id) else {
            continue;
        };
        if entry.record.status != QueryStatus::Queued {
            // Cancelled while queued.
            continue;
        }
        let now = inner.clock.now();
        let deadline = now.saturating_add_millis(millis(inner.limits.timeout));
        let cancel = Cancel::new(inner.clock.clone(), deadline);
        entry.cancel = Some(cancel.clone());
        entry.record.status = QueryStatus::Running;
        entry.record.start_time = Some(now);
        persist(inner, &entry.record);
        let record = &entry.record;
        let job = Job {
            query_id: record.query_id.clone(),
            statement: record.statement.clone(),
            account: record.account.clone(),
            store_ids: record.store_ids.clone(),
            owner_account: record.owner_account.clone(),
            delivery_s3_uri: record.delivery_s3_uri.clone(),
            max_result_bytes: inner.limits.max_result_bytes,
        };
        return Some((job, cancel));
    }
}

/// What a query ended with, ready to be stored.
struct Ending {
    status: QueryStatus,
    error_message: Option<String>,
    stats: Stats,
    /// The encoded results file and its row count, when there are rows to keep.
    results: Option<(Vec<u8>, u64)>,
    /// The complete output of a `FINISHED` query, kept for delivery.
    delivered: Option<Output>,
}

fn finish(inner: &Inner, job: &Job, outcome: Result<Output, ExecFailure>) {
    let Some(mut ending) = ending(inner, outcome) else {
        return;
    };
    // The results file is written before the record says the query ended, outside the
    // lock: it may be large.
    if let Some((bytes, _)) = &ending.results
        && let Err(error) = inner.layout.write_results(&job.query_id, bytes)
    {
        warn!(query_id = %job.query_id, error = %error, "writing query results failed");
        let failed = Ending {
            status: QueryStatus::Failed,
            error_message: Some(String::from("the query results could not be stored")),
            stats: ending.stats,
            results: None,
            delivered: None,
        };
        store_ending(inner, job, failed);
        return;
    }
    let delivered = ending.delivered.take();
    let Some(finished_at) = store_ending(inner, job, ending) else {
        return;
    };
    if let (Some(output), Some(uri)) = (delivered, &job.delivery_s3_uri) {
        let status = deliver(inner, job, uri, finished_at, &output);
        let mut state = inner.lock();
        if let Some(entry) = state.queries.get_mut(&job.query_id) {
            entry.record.delivery_status = Some(status);
            persist(inner, &entry.record);
        }
    }
}

/// Turns the executor's answer into an [`Ending`]; `None` when there is nothing to store
/// (the query was cancelled).
fn ending(inner: &Inner, outcome: Result<Output, ExecFailure>) -> Option<Ending> {
    let max_bytes = inner.limits.max_result_bytes;
    match outcome {
        Ok(output) => match encode_results(&output.columns, &output.rows, max_bytes) {
            Ok((bytes, rows, true)) => Some(Ending {
                status: QueryStatus::Finished,
                error_message: None,
                stats: output.stats,
                results: Some((bytes, rows)),
                delivered: Some(output),
            }),
            Ok((_, _, false)) => Some(failed(
                format!(
                    "the query results are larger than the limit of {max_bytes} bytes; narrow the query or add a LIMIT"
                ),
                output.stats,
            )),
            Err(error) => Some(failed(error.to_string(), output.stats)),
        },
        Err(ExecFailure {
            kind: FailureKind::Cancelled,
            ..
        }) => None,
        Err(ExecFailure {
            message,
            kind: FailureKind::TimedOut(partial),
        }) => {
            let (stats, results) = match partial {
                Some(output) => match encode_results(&output.columns, &output.rows, max_bytes) {
                    Ok((bytes, rows, _)) => (output.stats, Some((bytes, rows))),
                    Err(error) => return Some(failed(error.to_string(), output.stats)),
                },
                None => (Stats::default(), None),
            };
            Some(Ending {
                status: QueryStatus::TimedOut,
                error_message: Some(bounded_message(message)),
                stats,
                results,
                delivered: None,
            })
        }
        Err(ExecFailure {
            message,
            kind: FailureKind::Failed,
        }) => Some(failed(message, Stats::default())),
    }
}

fn failed(message: String, stats: Stats) -> Ending {
    Ending {
        status: QueryStatus::Failed,
        error_message: Some(bounded_message(message)),
        stats,
        results: None,
        delivered: None,
    }
}

/// Records the ending if the query is still running; returns the end time, or `None` when
/// the query was cancelled meanwhile or the service is shutting down.
fn store_ending(inner: &Inner, job: &Job, ending: Ending) -> Option<Timestamp> {
    let now = inner.clock.now();
    let mut state = inner.lock();
    let shutting_down = state.shutting_down;
    let entry = state
        .queries
        .get_mut(&job.query_id)
        .filter(|entry| entry.record.status == QueryStatus::Running && !shutting_down);
    let Some(entry) = entry else {
        drop(state);
        if ending.results.is_some() {
            // Cancelled (or shutting down) while the rows were written: they are not wanted.
            if let Err(error) = inner.layout.remove_results(&job.query_id) {
                warn!(query_id = %job.query_id, error = %error, "removing unwanted query results failed");
            }
        }
        return None;
    };
    entry.cancel = None;
    let record = &mut entry.record;
    record.status = ending.status;
    record.error_message = ending.error_message;
    record.stats = ending.stats;
    record.end_time = Some(now);
    if let Some((_, rows)) = ending.results {
        record.has_results = true;
        record.total_rows = rows;
    }
    if record.delivery_s3_uri.is_some() {
        record.delivery_status = Some(if ending.status == QueryStatus::Finished {
            DeliveryStatus::Pending
        } else {
            DeliveryStatus::Failed
        });
    }
    persist(inner, record);
    Some(now)
}

/// Writes the result files through the sink; returns the delivery status.
fn deliver(
    inner: &Inner,
    job: &Job,
    uri: &str,
    finished_at: Timestamp,
    output: &Output,
) -> DeliveryStatus {
    let Some(sink) = &inner.sink else {
        return DeliveryStatus::Failed;
    };
    let parsed = match DeliveryUri::parse(uri) {
        Ok(parsed) => parsed,
        Err(error) => {
            warn!(query_id = %job.query_id, error = %error, "delivery uri no longer valid");
            return DeliveryStatus::Failed;
        }
    };
    let files = match delivery::delivery_files(
        &job.account,
        &job.query_id,
        finished_at,
        &output.columns,
        &output.rows,
    ) {
        Ok(files) => files,
        Err(error) => {
            warn!(query_id = %job.query_id, error = %error, "compressing query results failed");
            return DeliveryStatus::Failed;
        }
    };
    match sink.deliver(&parsed, &job.query_id, &job.account, files) {
        Ok(()) => DeliveryStatus::Success,
        Err(error) => {
            warn!(query_id = %job.query_id, uri = %uri, error = %error, "query result delivery failed");
            match error.status {
                DeliveryStatus::Success | DeliveryStatus::Pending => DeliveryStatus::Failed,
                other => other,
            }
        }
    }
}

/// Writes the record, logging a failure: the in-memory state stays authoritative and the
/// worker has no caller to report to.
fn persist(inner: &Inner, record: &QueryRecord) {
    if let Err(error) = inner.layout.write_record(record) {
        warn!(query_id = %record.query_id, error = %error, "writing query record failed");
    }
}

/// Fits an executor's message into `ErrorMessage`'s 4–1000 characters.
fn bounded_message(message: String) -> String {
    if message.chars().count() < MIN_ERROR_CHARS {
        return String::from("the query failed");
    }
    if message.chars().count() <= MAX_ERROR_CHARS {
        return message;
    }
    message.chars().take(MAX_ERROR_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_messages_fit_botocore_bounds() {
        assert_eq!(bounded_message(String::from("x")), "the query failed");
        assert_eq!(
            bounded_message(String::from("bad column `x`")),
            "bad column `x`"
        );
        assert_eq!(bounded_message("é".repeat(1500)).chars().count(), 1000);
    }
}
