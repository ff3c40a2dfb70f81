//! What an operator watches about delivery: each event writes its log line and updates
//! its metric together.

use opentrail_types::Timestamp;

use crate::error::Error;

/// Metric names.
pub mod names {
    /// Log files written to their bucket.
    pub const FILES_DELIVERED: &str = "opentrail_trail_files_delivered_total";
    /// Events in spooled log files.
    pub const EVENTS_SPOOLED: &str = "opentrail_trail_events_spooled_total";
    /// Compressed bytes of spooled log files.
    pub const BYTES_SPOOLED: &str = "opentrail_trail_bytes_spooled_total";
    /// Seconds from a log file's name time to its upload.
    pub const DELIVERY_SECONDS: &str = "opentrail_trail_delivery_seconds";
    /// Failed uploads (retried).
    pub const UPLOAD_FAILURES: &str = "opentrail_trail_upload_failures_total";
    /// Digest files written.
    pub const DIGESTS_DELIVERED: &str = "opentrail_trail_digests_delivered_total";
    /// Worker steps that failed (the worker starts again from its saved state).
    pub const WORKER_FAILURES: &str = "opentrail_trail_worker_failures_total";
}

pub(crate) struct FileSpooled<'a> {
    pub(crate) trail: &'a str,
    pub(crate) events: usize,
    pub(crate) bytes: usize,
}

impl FileSpooled<'_> {
    pub(crate) fn emit(self) {
        tracing::debug!(trail = %self.trail, events = self.events, bytes = self.bytes, "log file spooled");
        metrics::counter!(names::EVENTS_SPOOLED, "trail" => self.trail.to_owned())
            .increment(self.events as u64);
        metrics::counter!(names::BYTES_SPOOLED, "trail" => self.trail.to_owned())
            .increment(self.bytes as u64);
    }
}

pub(crate) struct FileDelivered<'a> {
    pub(crate) trail: &'a str,
    pub(crate) key: &'a str,
    pub(crate) named_at: Timestamp,
    pub(crate) now: Timestamp,
}

impl FileDelivered<'_> {
    pub(crate) fn emit(self) {
        tracing::info!(trail = %self.trail, key = %self.key, "log file delivered");
        metrics::counter!(names::FILES_DELIVERED, "trail" => self.trail.to_owned()).increment(1);
        let seconds = (self.now.as_millis() - self.named_at.as_millis()).max(0) as f64 / 1_000.0;
        metrics::histogram!(names::DELIVERY_SECONDS, "trail" => self.trail.to_owned())
            .record(seconds);
    }
}

pub(crate) struct UploadFailed<'a> {
    pub(crate) trail: &'a str,
    pub(crate) key: &'a str,
    pub(crate) error: &'a Error,
}

impl UploadFailed<'_> {
    pub(crate) fn emit(self) {
        tracing::warn!(trail = %self.trail, key = %self.key, error = %self.error, "upload failed, will retry");
        metrics::counter!(names::UPLOAD_FAILURES, "trail" => self.trail.to_owned()).increment(1);
    }
}

pub(crate) struct DigestDelivered<'a> {
    pub(crate) trail: &'a str,
    pub(crate) key: &'a str,
    pub(crate) backfill: bool,
}

impl DigestDelivered<'_> {
    pub(crate) fn emit(self) {
        tracing::info!(trail = %self.trail, key = %self.key, backfill = self.backfill, "digest delivered");
        metrics::counter!(names::DIGESTS_DELIVERED, "trail" => self.trail.to_owned()).increment(1);
    }
}

pub(crate) struct WorkerFailed<'a> {
    pub(crate) trail: &'a str,
    pub(crate) error: &'a Error,
}

impl WorkerFailed<'_> {
    pub(crate) fn emit(self) {
        tracing::error!(trail = %self.trail, error = %self.error, "delivery step failed, starting again from the saved state");
        metrics::counter!(names::WORKER_FAILURES, "trail" => self.trail.to_owned()).increment(1);
    }
}
