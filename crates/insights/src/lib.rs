//! CloudTrail Insights for OpenTrail (`spec/events-and-queries.md` §4): per-minute call
//! and error rates per API, baselines over the past days, Start and End events when
//! activity leaves them, with the statistics and top contributors that explain it, and
//! the metric series `ListInsightsMetricData` returns.
//!
//! The [`Analyzer`] is pure: the caller feeds it records ([`Observation::parse`]) and the
//! time ([`Analyzer::tick`]), and takes the decided [`InsightEvent`]s, whose
//! [`InsightEvent::to_record`] is the CloudTrail record. Time is always passed in, so
//! the same events and clock give the same Insights, with the same IDs: replaying after
//! a crash repeats them exactly and the journal drops the repeats.
//!
//! [`score()`] compares detected Insights with injected ground truth (precision, recall,
//! detection delay).
#![warn(missing_docs)]

mod analyzer;
mod config;
mod event;
mod key;
mod metrics;
mod observe;
mod score;
mod snapshot;
mod tally;

pub use analyzer::{Analyzer, Enablement};
pub use config::InsightsConfig;
pub use event::{Attribution, InsightEvent, InsightState};
pub use key::{InsightType, SeriesKey, SourceEventCategory};
pub use metrics::{MetricQuery, Period};
pub use observe::Observation;
pub use score::{Injected, Score, score};
pub use snapshot::SnapshotError;
