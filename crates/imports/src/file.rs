//! Importing one log file: read, split into records, filter by time, hand over in batches.

use std::borrow::Cow;
use std::time::Duration;

use opentrail_archive::records::{FileContent, split};
use opentrail_types::Timestamp;
use serde::Deserialize;

use crate::model::FailureType;
use crate::plan::TimeRange;
use crate::runner::{Halt, RunOptions};
use crate::sink::{ImportSink, SinkError};
use crate::source::{SourceError, SourceReader};

/// How one file went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FileOutcome {
    /// Every record in range was handed over; `events` were accepted.
    Imported { events: u64 },
    /// The file is a failure entry; `events` records were still accepted before or besides
    /// the failure.
    Failed {
        failure_type: FailureType,
        message: String,
        events: u64,
    },
    /// The run was stopped while reading the file; it is not handled.
    Halted,
}

/// The part of a record the time filter needs.
#[derive(Deserialize)]
struct EventTimeProbe<'a> {
    #[serde(rename = "eventTime", borrow, default)]
    event_time: Option<Cow<'a, str>>,
}

fn record_event_time(text: &str) -> Option<Timestamp> {
    let probe: EventTimeProbe<'_> = serde_json::from_str(text).ok()?;
    Timestamp::parse_event_time(probe.event_time?.as_ref()).ok()
}

/// Runs `operation` until it succeeds, fails for good, or the attempts run out, sleeping
/// with doubling backoff between tries while nothing asks to halt.
pub(crate) fn with_retries<T, E: std::fmt::Display>(
    options: &RunOptions,
    halt: &Halt<'_>,
    is_retryable: impl Fn(&E) -> bool,
    mut operation: impl FnMut() -> Result<T, E>,
) -> Result<Option<T>, E> {
    let mut delay = options.backoff;
    let mut attempt = 1;
    loop {
        match operation() {
            Ok(value) => return Ok(Some(value)),
            Err(error) if !is_retryable(&error) || attempt >= options.attempts => {
                return Err(error);
            }
            Err(error) => {
                tracing::debug!(attempt, error = %error, "retrying after a retryable error");
                if !sleep_unless_halted(delay, halt) {
                    return Ok(None);
                }
                delay = (delay * 2).min(options.max_backoff);
                attempt += 1;
            }
        }
    }
}

/// Sleeps `delay` in short slices; returns `false` as soon as the run must halt.
fn sleep_unless_halted(delay: Duration, halt: &Halt<'_>) -> bool {
    const SLICE: Duration = Duration::from_millis(50);
    let mut left = delay;
    while !left.is_zero() {
        if halt.is_set() {
            return false;
        }
        let step = left.min(SLICE);
        std::thread::sleep(step);
        left -= step;
    }
    !halt.is_set()
}

/// Imports the file at `key` into `store_arn`.
pub(crate) fn import_file(
    key: &str,
    store_arn: &str,
    range: &TimeRange,
    source: &dyn SourceReader,
    sink: &dyn ImportSink,
    options: &RunOptions,
    halt: &Halt<'_>,
) -> FileOutcome {
    let read = with_retries(
        options,
        halt,
        |error: &SourceError| error.retryable,
        || source.read(key, options.max_decompressed_bytes),
    );
    let bytes = match read {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return FileOutcome::Halted,
        Err(error) => {
            return FileOutcome::Failed {
                failure_type: error.failure_type,
                message: error.message,
                events: 0,
            };
        }
    };
    let content = match split(&bytes) {
        Ok(content) => content,
        Err(error) => {
            return FileOutcome::Failed {
                failure_type: FailureType::InvalidLogFile,
                message: error.to_string(),
                events: 0,
            };
        }
    };
    if let FileContent::Digest(_) = content {
        return FileOutcome::Failed {
            failure_type: FailureType::InvalidLogFile,
            message: String::from("the file is a digest file, not a log file"),
            events: 0,
        };
    }
    let mut bad_records = 0_u64;
    let mut first_problem: Option<String> = None;
    let mut note_problem = |problem: String| {
        bad_records += 1;
        first_problem.get_or_insert(problem);
    };
    let mut selected: Vec<&[u8]> = Vec::new();
    for (index, record) in content.records().iter().enumerate() {
        let raw = match record {
            Ok(raw) => raw.get(),
            Err(error) => {
                note_problem(error.to_string());
                continue;
            }
        };
        if range.is_set() {
            match record_event_time(raw) {
                Some(event_time) if range.admits_event(event_time) => {}
                Some(_) => continue,
                None => {
                    note_problem(format!("record {index}: no valid `eventTime`"));
                    continue;
                }
            }
        }
        selected.push(raw.as_bytes());
    }
    let mut events = 0_u64;
    for (batch_index, batch) in batches(&selected, options).into_iter().enumerate() {
        // Between batches only: a file whose last batch went through is imported.
        if batch_index > 0 && halt.is_set() {
            return FileOutcome::Halted;
        }
        let added = with_retries(
            options,
            halt,
            |error: &SinkError| error.retryable,
            || sink.add(store_arn, batch),
        );
        match added {
            Ok(Some(counts)) => events += counts.added + counts.duplicates,
            Ok(None) => return FileOutcome::Halted,
            Err(error) => {
                return FileOutcome::Failed {
                    failure_type: FailureType::DestinationFailed,
                    message: error.message,
                    events,
                };
            }
        }
    }
    match first_problem {
        None => FileOutcome::Imported { events },
        Some(first) => FileOutcome::Failed {
            failure_type: FailureType::InvalidRecords,
            message: format!("{bad_records} records were not imported; first: {first}"),
            events,
        },
    }
}

/// Splits `records` into batches bounded by count and bytes (a single oversized record is a
/// batch of its own).
fn batches<'a, 'b>(records: &'a [&'b [u8]], options: &RunOptions) -> Vec<&'a [&'b [u8]]> {
    let mut batches = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (index, record) in records.iter().enumerate() {
        let full = index - start >= options.batch_max_records
            || (index > start && bytes + record.len() > options.batch_max_bytes);
        if full {
            batches.push(&records[start..index]);
            start = index;
            bytes = 0;
        }
        bytes += record.len();
    }
    if start < records.len() {
        batches.push(&records[start..]);
    }
    batches
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_respect_count_and_size() {
        let options = RunOptions {
            batch_max_records: 2,
            batch_max_bytes: 10,
            ..RunOptions::default()
        };
        let records: Vec<&[u8]> = vec![b"aaaa", b"bbbb", b"cccc", b"dddddddddddd", b"e"];
        let sizes: Vec<usize> = batches(&records, &options)
            .iter()
            .map(|b| b.len())
            .collect();
        assert_eq!(sizes, [2, 1, 1, 1]);
        assert!(batches(&[], &options).is_empty());
    }

    #[test]
    fn event_times_are_read_from_records() {
        let time =
            record_event_time(r#"{"eventVersion":"1.08","eventTime":"2023-07-10T11:42:36Z"}"#);
        assert_eq!(
            time,
            Timestamp::parse_event_time("2023-07-10T11:42:36Z").ok()
        );
        assert_eq!(record_event_time(r#"{"eventTime":"yesterday"}"#), None);
        assert_eq!(record_event_time(r#"{"eventName":"x"}"#), None);
    }
}
