//! What a run reports: progress while it works, and a summary with the ground truth of
//! the injected bursts when it is done.

use opentrail_types::Timestamp;

/// Totals so far, passed to the progress callback after each written file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// Files written so far.
    pub files: u64,
    /// Records written so far.
    pub events: u64,
    /// Bytes of JSON written so far, before compression.
    pub bytes_uncompressed: u64,
    /// Bytes written to disk so far.
    pub bytes_compressed: u64,
    /// Records the whole run will write (background plus bursts).
    pub total_events: u64,
}

/// The outcome of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Log files written.
    pub files: u64,
    /// Records written (background plus bursts).
    pub events: u64,
    /// Background records written.
    pub background_events: u64,
    /// Records added by bursts.
    pub burst_events: u64,
    /// Bytes of JSON, before compression.
    pub bytes_uncompressed: u64,
    /// Bytes of the gzip files.
    pub bytes_compressed: u64,
    /// The generated accounts' IDs; index `i` is the account a [`crate::Burst`] with
    /// `account: i` goes to.
    pub account_ids: Vec<String>,
    /// The configured regions.
    pub regions: Vec<String>,
    /// Ground truth of each configured burst, in configuration order.
    pub bursts: Vec<BurstTruth>,
}

/// Where and when a burst was injected, and how many records it added.
///
/// Anomaly detection keys on (`account_id`, `region`, `event_source`, `event_name`), and
/// for error-rate detection on `error_code` too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BurstTruth {
    /// Account the records are in (`recipientAccountId` and the file path).
    pub account_id: String,
    /// Region (`awsRegion` and the file path).
    pub region: String,
    /// `eventSource`.
    pub event_source: String,
    /// `eventName`.
    pub event_name: String,
    /// `errorCode` of every added record, if the burst is an error storm.
    pub error_code: Option<String>,
    /// ARN of the principal making the calls (`userIdentity.arn`; empty for identities
    /// without one).
    pub principal_arn: String,
    /// The minutes that received records, in order, with the count added in each.
    pub minutes: Vec<BurstMinute>,
    /// Records added in total.
    pub events: u64,
}

impl BurstTruth {
    /// First minute with added records, if any.
    pub fn first_minute(&self) -> Option<Timestamp> {
        self.minutes.first().map(|minute| minute.minute)
    }

    /// End of the last minute with added records (exclusive), if any.
    pub fn end(&self) -> Option<Timestamp> {
        self.minutes
            .last()
            .map(|minute| minute.minute.saturating_add_millis(60_000))
    }
}

/// One minute of a burst.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BurstMinute {
    /// Start of the minute.
    pub minute: Timestamp,
    /// Records added with `eventTime` in this minute.
    pub events: u64,
}
