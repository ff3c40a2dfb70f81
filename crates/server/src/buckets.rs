//! Where trail buckets are, and the check CreateTrail/UpdateTrail make on them.

use std::sync::Arc;
use std::time::Duration;

use opentrail_blob::{BucketResolver, ErrorKind};
use opentrail_trails::{BucketProbe, BucketProblem};

/// How long CreateTrail waits for a bucket to answer before reporting it unavailable.
const PROBE_TIMEOUT: Duration = Duration::from_secs(20);

/// Checks buckets through the same resolver delivery writes with, so a bucket CreateTrail
/// accepted is the bucket log files go to.
#[derive(Debug, Clone)]
pub struct ResolvedBuckets {
    resolver: Arc<BucketResolver>,
}

impl ResolvedBuckets {
    /// Checks through `resolver`.
    pub fn new(resolver: Arc<BucketResolver>) -> ResolvedBuckets {
        ResolvedBuckets { resolver }
    }

    /// The resolver.
    pub fn resolver(&self) -> &Arc<BucketResolver> {
        &self.resolver
    }
}

impl BucketProbe for ResolvedBuckets {
    fn check(&self, name: &str) -> Result<(), BucketProblem> {
        let bucket = self
            .resolver
            .resolve(name)
            .map_err(|error| match error.kind() {
                ErrorKind::InvalidBucketName => BucketProblem::InvalidName(error.to_string()),
                _ => BucketProblem::Unavailable(error.to_string()),
            })?;
        let probe = async move { tokio::time::timeout(PROBE_TIMEOUT, bucket.exists()).await };
        // API calls run on the blocking pool of the server's runtime; commands without a
        // runtime get a small one for the check.
        let answer = match tokio::runtime::Handle::try_current() {
            Ok(handle) => handle.block_on(probe),
            Err(_) => tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|error| BucketProblem::Unavailable(error.to_string()))?
                .block_on(probe),
        };
        let Ok(answer) = answer else {
            return Err(BucketProblem::Unavailable(format!(
                "bucket `{name}` did not answer within {} s",
                PROBE_TIMEOUT.as_secs()
            )));
        };
        match answer {
            Ok(true) => Ok(()),
            Ok(false) => Err(BucketProblem::DoesNotExist),
            Err(error) if error.kind() == ErrorKind::AccessDenied => {
                Err(BucketProblem::AccessDenied(error.to_string()))
            }
            Err(error) if error.kind() == ErrorKind::NoSuchBucket => {
                Err(BucketProblem::DoesNotExist)
            }
            Err(error) => Err(BucketProblem::Unavailable(error.to_string())),
        }
    }
}
