//! Metrics served at `/metrics` in Prometheus' text format. Names are defined here and
//! nowhere else; each thing an operator watches is a typed event whose `emit` records it.
//!
//! | Metric | Type | Labels |
//! | --- | --- | --- |
//! | `opentrail_api_requests_total` | counter | `operation`, `status` (HTTP status) |
//! | `opentrail_api_request_duration_seconds` | histogram | `operation`, `status` |
//! | `opentrail_ingest_records_total` | counter | `outcome` = `accepted`, `duplicate`, `rejected` |
//! | `opentrail_audit_events_total` | counter | `outcome` = `recorded`, `failed` |
//! | `opentrail_journal_committed_events` | gauge | — (sequence number of the next event) |
//! | `opentrail_consumer_lag_events` | gauge | `consumer` (events durable but not yet processed) |
//! | `opentrail_history_segments` | gauge | `kind` = `persisted`, `memory` |
//! | `opentrail_rules_matched_events_total` | counter | — (events that matched a rule) |
//! | `opentrail_rules_lagging_targets` | gauge | — (rule targets catching up from the journal) |
//! | `opentrail_rules_fell_behind_total` | counter | — (times a target's queue was full) |
//!
//! The recorder is process-wide (the `metrics` crate has one global recorder); several
//! servers in one process (tests) share it.

use std::sync::OnceLock;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Requests by operation and status.
pub const REQUESTS: &str = "opentrail_api_requests_total";
/// Request latency by operation and status.
pub const REQUEST_DURATION: &str = "opentrail_api_request_duration_seconds";
/// Records through `/ingest` by outcome.
pub const INGEST_RECORDS: &str = "opentrail_ingest_records_total";
/// Self-audit events by outcome.
pub const AUDIT_EVENTS: &str = "opentrail_audit_events_total";
/// The journal's next sequence number.
pub const JOURNAL_COMMITTED: &str = "opentrail_journal_committed_events";
/// Journal lag of each consumer.
pub const CONSUMER_LAG: &str = "opentrail_consumer_lag_events";
/// History segments by kind.
pub const HISTORY_SEGMENTS: &str = "opentrail_history_segments";

/// Events that matched at least one rule.
pub const RULES_MATCHED: &str = "opentrail_rules_matched_events_total";
/// Rule targets catching up from the journal.
pub const RULES_LAGGING_TARGETS: &str = "opentrail_rules_lagging_targets";
/// Times a rule target's queue was full.
pub const RULES_FELL_BEHIND: &str = "opentrail_rules_fell_behind_total";
/// Records the recording endpoints appended (network activity and data events).
pub const ENDPOINT_EVENTS: &str = "opentrail_endpoint_events_total";

/// Latency buckets, in seconds: fine below 10 ms, where lookups sit.
const DURATION_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process-wide recorder on first use; returns the handle that renders it,
/// or `None` when another recorder was installed first (metrics are then not served).
pub fn handle() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full(String::from(REQUEST_DURATION)),
                    DURATION_BUCKETS,
                )
                .ok()?;
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).ok()?;
            Some(handle)
        })
        .as_ref()
}

/// A request answered.
#[derive(Debug, Clone, Copy)]
pub struct RequestCompleted {
    /// The operation (`LookupEvents`, `Ingest`, `Unknown`...).
    pub operation: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// Time from the first byte read to the response, in seconds.
    pub seconds: f64,
}

impl RequestCompleted {
    /// Records it.
    pub fn emit(self) {
        let labels = [
            ("operation", self.operation.to_owned()),
            ("status", self.status.to_string()),
        ];
        metrics::counter!(REQUESTS, &labels).increment(1);
        metrics::histogram!(REQUEST_DURATION, &labels).record(self.seconds);
    }
}

/// Records of one `/ingest` request.
#[derive(Debug, Clone, Copy)]
pub struct RecordsIngested {
    /// Now durable.
    pub accepted: u64,
    /// Already held.
    pub duplicates: u64,
    /// Refused.
    pub rejected: u64,
}

impl RecordsIngested {
    /// Records it.
    pub fn emit(self) {
        for (outcome, count) in [
            ("accepted", self.accepted),
            ("duplicate", self.duplicates),
            ("rejected", self.rejected),
        ] {
            metrics::counter!(INGEST_RECORDS, "outcome" => outcome).increment(count);
        }
    }
}

/// A self-audit event handed to the journal, or not.
#[derive(Debug, Clone)]
pub struct AuditRecorded {
    /// False when it could not be built or appended.
    pub recorded: bool,
    /// The operation recorded.
    pub operation: &'static str,
    /// Why it failed.
    pub error: Option<String>,
}

impl AuditRecorded {
    /// Records it, and logs a failure.
    pub fn emit(self) {
        let outcome = if self.recorded { "recorded" } else { "failed" };
        metrics::counter!(AUDIT_EVENTS, "outcome" => outcome).increment(1);
        if let Some(error) = self.error {
            tracing::error!(operation = self.operation, error = %error, "self-audit event lost");
        }
    }
}

/// Gauges read when `/metrics` is scraped.
#[derive(Debug, Clone, Copy)]
pub struct EngineGauges {
    /// The journal's next sequence number.
    pub journal_next_seq: u64,
    /// History's next unindexed sequence number.
    pub history_next_seq: u64,
    /// History segments on disk.
    pub persisted_segments: usize,
    /// History segments in memory.
    pub memory_segments: usize,
}

impl EngineGauges {
    /// Records them.
    #[expect(
        clippy::cast_precision_loss,
        reason = "gauges are f64; counts stay far below 2^52"
    )]
    pub fn emit(self) {
        metrics::gauge!(JOURNAL_COMMITTED).set(self.journal_next_seq as f64);
        metrics::gauge!(CONSUMER_LAG, "consumer" => "history")
            .set(self.journal_next_seq.saturating_sub(self.history_next_seq) as f64);
        metrics::gauge!(HISTORY_SEGMENTS, "kind" => "persisted")
            .set(self.persisted_segments as f64);
        metrics::gauge!(HISTORY_SEGMENTS, "kind" => "memory").set(self.memory_segments as f64);
    }
}
