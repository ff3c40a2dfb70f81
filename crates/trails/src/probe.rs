//! The outside world a trail depends on, injected: does the bucket exist and may
//! CloudTrail write to it, and which SNS topics are configured.

use std::fmt;

/// Why a bucket cannot take a trail's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BucketProblem {
    /// No such bucket.
    DoesNotExist,
    /// The store refuses the name; the text says why.
    InvalidName(String),
    /// The bucket exists but OpenTrail may not write to it; the text says why.
    AccessDenied(String),
    /// The store could not be asked (down, timed out); the text says why.
    Unavailable(String),
}

/// Checks a bucket before a trail is pointed at it (CreateTrail, UpdateTrail with a new
/// bucket).
pub trait BucketProbe: Send + Sync {
    /// `Ok` when the trail can deliver into `bucket`.
    ///
    /// # Errors
    ///
    /// What stands in the way.
    fn check(&self, bucket: &str) -> Result<(), BucketProblem>;
}

/// The SNS topics trails may notify. Topics must be configured to be usable.
pub trait TopicDirectory: Send + Sync {
    /// The ARN of the topic named `name_or_arn` (a name, looked up in `account` and
    /// `region`, or an ARN), or `None` when it is not configured.
    fn topic_arn(&self, account: &str, region: &str, name_or_arn: &str) -> Option<String>;
}

/// The external checks an operation may need.
#[derive(Clone, Copy)]
pub struct Probes<'a> {
    /// Bucket checks.
    pub buckets: &'a dyn BucketProbe,
    /// Configured SNS topics.
    pub topics: &'a dyn TopicDirectory,
}

impl fmt::Debug for Probes<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.debug_struct("Probes").finish_non_exhaustive()
    }
}

/// A topic directory that knows no topic: every SNS topic is refused.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoTopics;

impl TopicDirectory for NoTopics {
    fn topic_arn(&self, _account: &str, _region: &str, _name_or_arn: &str) -> Option<String> {
        None
    }
}
