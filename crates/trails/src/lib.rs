//! Trails (`spec/trails-and-integrity.md` §4): the trail configuration, its validation and
//! persistence, the delivery status board, and the semantics of every trail operation of
//! CloudTrail's API. Knows nothing of HTTP or AWS error shapes: refusals carry an
//! [`ErrorKind`] named after the AWS exception and AWS's message text; `opentrail-api`
//! turns them into wire errors.
//!
//! - [`Trails`]: the registry (`trails.json` and `status.json` in its folder), one
//!   method per operation taking a [`Caller`], plus [`Trails::snapshot`],
//!   [`Trails::subscribe`], [`Trails::update_status`] and [`Trails::purge`] for the
//!   delivery engine.
//! - [`Trail`]: a checked trail; [`TrailStatus`]: what the delivery engine reports.
//! - [`BucketProbe`] and [`TopicDirectory`]: the outside checks, injected per call
//!   through [`Probes`].
//!
//! ```
//! use std::sync::Arc;
//! use opentrail_trails::{BucketProbe, BucketProblem, Caller, CreateTrailInput, NoTopics, Probes, TrailLimits, Trails};
//! use opentrail_types::{ManualClock, Timestamp};
//!
//! struct AnyBucket;
//! impl BucketProbe for AnyBucket {
//!     fn check(&self, _bucket: &str) -> Result<(), BucketProblem> { Ok(()) }
//! }
//!
//! let dir = tempfile::tempdir()?;
//! let clock = Arc::new(ManualClock::new(Timestamp::from_secs(1_700_000_000)));
//! let trails = Trails::open(dir.path(), clock, TrailLimits::default())?;
//! let caller = Caller { account_id: "111122223333".into(), region: "us-east-1".into() };
//! let probes = Probes { buckets: &AnyBucket, topics: &NoTopics };
//! let input = CreateTrailInput {
//!     name: "management".into(),
//!     s3_bucket_name: "audit-logs".into(),
//!     ..CreateTrailInput::default()
//! };
//! let trail = trails.create_trail(&caller, input, probes)?;
//! assert_eq!(trail.arn, "arn:aws:cloudtrail:us-east-1:111122223333:trail/management");
//! trails.start_logging(&caller, "management")?;
//! assert!(trails.get_trail_status(&caller, &trail.arn)?.is_logging);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

mod checks;
mod error;
mod insights;
mod model;
mod names;
mod ops_config;
mod ops_state;
mod probe;
mod registry;
mod store;

pub use checks::{
    MAX_S3_KEY_PREFIX_CHARS, MAX_SNS_TOPIC_NAME_CHARS, MAX_TAG_KEY_CHARS, MAX_TAG_VALUE_CHARS,
};
pub use error::{Error, ErrorKind, Result};
pub use model::{
    Caller, LoggingInterval, Tag, TagInput, Trail, TrailInfo, TrailLimits, TrailPage, TrailStatus,
    TrailStatusReport,
};
pub use names::{
    MAX_TRAIL_NAME_CHARS, MIN_TRAIL_NAME_CHARS, TrailArn, TrailRef, trail_arn, validate_trail_name,
};
/// The Insights selector types live in `opentrail-selectors` (event data stores use them
/// too); re-exported here so trail code names them as before.
pub use opentrail_selectors::{
    InsightSelector, InsightSelectorInput, InsightType, SourceEventCategory,
};
pub use ops_config::{CreateTrailInput, UpdateTrailInput};
pub use ops_state::{PutInsightSelectorsInput, ResourceTags};
pub use probe::{BucketProbe, BucketProblem, NoTopics, Probes, TopicDirectory};
pub use registry::Trails;
pub use store::{STATUS_FILE, TRAILS_FILE};
