//! What the router hands the deliverer, and what it gets back.

use std::fmt;
use std::sync::Arc;

use opentrail_rules::Target;
use opentrail_types::Timestamp;

use crate::envelope::Envelope;
use crate::input::RuleRef;

/// One event for one target of one rule.
#[derive(Debug, Clone)]
pub struct Job {
    /// The rule that matched.
    pub rule: RuleRef,
    /// The target to deliver to.
    pub target: Arc<Target>,
    /// The event.
    pub envelope: Arc<Envelope>,
    /// When the journal acknowledged the event: the event's age (for the target's
    /// `MaximumEventAgeInSeconds`) is measured from it, and it is the
    /// `<aws.events.event.ingestion-time>` of input transformers.
    pub acknowledged: Timestamp,
}

/// How a delivery ended. Either way the event is done with: the router may advance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The target accepted the event.
    Delivered {
        /// Attempts made, the successful one included (1 = first try).
        attempts: u32,
    },
    /// The event was written, durably, to the target's dead-letter file.
    DeadLettered {
        /// Attempts made (0 when the event could not be rendered or the target resolved).
        attempts: u32,
        /// Why delivery stopped.
        reason: DeadLetterReason,
    },
}

/// Why an event went to the dead-letter file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeadLetterReason {
    /// `1 + MaximumRetryAttempts` attempts all failed.
    RetryAttemptsExhausted {
        /// The error of the last attempt.
        last_error: String,
    },
    /// The event grew older than `MaximumEventAgeInSeconds` while being retried.
    EventAgeExceeded {
        /// The error of the last attempt.
        last_error: String,
    },
    /// The target refused it in a way another attempt cannot fix (an HTTP 4xx other than
    /// 429, a request that cannot be built).
    NotRetryable {
        /// What the target answered.
        error: String,
    },
    /// The target's `Input`, `InputPath` or `InputTransformer` cannot be applied.
    Input {
        /// Why.
        error: String,
    },
    /// The target names nothing that can be delivered to (an unknown API destination, an
    /// invalid URL).
    InvalidTarget {
        /// Why.
        error: String,
    },
}

impl DeadLetterReason {
    /// A stable short code: the `reason` label of the dead-letter metric.
    pub fn code(&self) -> &'static str {
        match self {
            DeadLetterReason::RetryAttemptsExhausted { .. } => "retry_attempts_exhausted",
            DeadLetterReason::EventAgeExceeded { .. } => "event_age_exceeded",
            DeadLetterReason::NotRetryable { .. } => "not_retryable",
            DeadLetterReason::Input { .. } => "input",
            DeadLetterReason::InvalidTarget { .. } => "invalid_target",
        }
    }
}

impl fmt::Display for DeadLetterReason {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeadLetterReason::RetryAttemptsExhausted { last_error } => {
                write!(
                    formatter,
                    "maximum retry attempts exhausted; last error: {last_error}"
                )
            }
            DeadLetterReason::EventAgeExceeded { last_error } => {
                write!(
                    formatter,
                    "maximum event age exceeded; last error: {last_error}"
                )
            }
            DeadLetterReason::NotRetryable { error } => {
                write!(formatter, "not retryable: {error}")
            }
            DeadLetterReason::Input { error } => {
                write!(formatter, "the target input cannot be rendered: {error}")
            }
            DeadLetterReason::InvalidTarget { error } => {
                write!(formatter, "the target cannot be delivered to: {error}")
            }
        }
    }
}
