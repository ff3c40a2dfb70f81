//! What an operator watches about rule delivery: each event writes its log line and updates
//! its metric together.
//!
//! | Metric | Type | Labels |
//! | --- | --- | --- |
//! | `opentrail_rules_deliveries_total` | counter | `outcome` = `delivered`, `dead_lettered`; `kind` = `webhook`, `api_destination`, `file`, `stdout`, `invalid` |
//! | `opentrail_rules_retries_total` | counter | `kind` |
//! | `opentrail_rules_dead_letters_total` | counter | `reason` = the [`crate::DeadLetterReason::code`] |
//! | `opentrail_rules_dead_letter_write_failures_total` | counter | — |

use std::path::Path;
use std::time::Duration;

use crate::job::DeadLetterReason;

/// Metric names.
pub mod names {
    /// Deliveries finished, by outcome and target kind.
    pub const DELIVERIES: &str = "opentrail_rules_deliveries_total";
    /// Failed attempts that will be retried, by target kind.
    pub const RETRIES: &str = "opentrail_rules_retries_total";
    /// Events written to a dead-letter file, by reason.
    pub const DEAD_LETTERS: &str = "opentrail_rules_dead_letters_total";
    /// Failed writes of a dead-letter line (each is retried until it succeeds).
    pub const DEAD_LETTER_WRITE_FAILURES: &str = "opentrail_rules_dead_letter_write_failures_total";
}

pub(crate) struct Delivered<'a> {
    pub(crate) rule: &'a str,
    pub(crate) target_id: &'a str,
    pub(crate) event_id: &'a str,
    pub(crate) kind: &'static str,
    pub(crate) attempts: u32,
}

impl Delivered<'_> {
    pub(crate) fn emit(self) {
        tracing::debug!(
            rule = %self.rule,
            target = %self.target_id,
            event_id = %self.event_id,
            attempts = self.attempts,
            "event delivered to rule target"
        );
        metrics::counter!(names::DELIVERIES, "outcome" => "delivered", "kind" => self.kind)
            .increment(1);
    }
}

pub(crate) struct Retried<'a> {
    pub(crate) rule: &'a str,
    pub(crate) target_id: &'a str,
    pub(crate) event_id: &'a str,
    pub(crate) kind: &'static str,
    pub(crate) attempt: u32,
    pub(crate) delay: Duration,
    pub(crate) error: &'a str,
}

impl Retried<'_> {
    pub(crate) fn emit(self) {
        // A dead target fails every event many times: the first failure of an event is
        // worth a warning, the retries that follow only a debug line (the metric counts
        // them all).
        if self.attempt <= 1 {
            tracing::warn!(
                rule = %self.rule,
                target = %self.target_id,
                event_id = %self.event_id,
                attempt = self.attempt,
                delay_ms = u64::try_from(self.delay.as_millis()).unwrap_or(u64::MAX),
                error = %self.error,
                "rule target delivery failed, will retry"
            );
        } else {
            tracing::debug!(
                rule = %self.rule,
                target = %self.target_id,
                event_id = %self.event_id,
                attempt = self.attempt,
                delay_ms = u64::try_from(self.delay.as_millis()).unwrap_or(u64::MAX),
                error = %self.error,
                "rule target delivery failed, will retry"
            );
        }
        metrics::counter!(names::RETRIES, "kind" => self.kind).increment(1);
    }
}

pub(crate) struct DeadLettered<'a> {
    pub(crate) rule: &'a str,
    pub(crate) target_id: &'a str,
    pub(crate) event_id: &'a str,
    pub(crate) kind: &'static str,
    pub(crate) attempts: u32,
    pub(crate) reason: &'a DeadLetterReason,
    pub(crate) file: &'a Path,
}

impl DeadLettered<'_> {
    pub(crate) fn emit(self) {
        tracing::error!(
            rule = %self.rule,
            target = %self.target_id,
            event_id = %self.event_id,
            attempts = self.attempts,
            file = %self.file.display(),
            error = %self.reason,
            "event sent to the dead-letter file"
        );
        metrics::counter!(names::DELIVERIES, "outcome" => "dead_lettered", "kind" => self.kind)
            .increment(1);
        metrics::counter!(names::DEAD_LETTERS, "reason" => self.reason.code()).increment(1);
    }
}

pub(crate) struct DeadLetterWriteFailed<'a> {
    pub(crate) file: &'a Path,
    pub(crate) event_id: &'a str,
    pub(crate) failures: u32,
    pub(crate) error: &'a std::io::Error,
}

impl DeadLetterWriteFailed<'_> {
    pub(crate) fn emit(self) {
        tracing::error!(
            file = %self.file.display(),
            event_id = %self.event_id,
            failures = self.failures,
            error = %self.error,
            "cannot write the dead-letter file; the router waits and retries, the event is not dropped"
        );
        metrics::counter!(names::DEAD_LETTER_WRITE_FAILURES).increment(1);
    }
}
