//! The crate's error type: a refusal named after the AWS exception it becomes on the wire,
//! or a storage failure.

use std::path::PathBuf;

use opentrail_types::durable::StateFileError;

/// What went wrong, for callers that branch. The refusals are named after CloudTrail's
/// exceptions (`TrailNotFound` is `TrailNotFoundException`); the API crate maps each to
/// its error code in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// No trail of the caller's account matches the name or ARN.
    TrailNotFound,
    /// A trail of that name already exists in the region and account.
    TrailAlreadyExists,
    /// The trail name breaks the naming rules.
    InvalidTrailName,
    /// A value that starts with `arn:` is not a well-formed trail ARN.
    CloudTrailArnInvalid,
    /// The region already has the maximum number of trails.
    MaximumNumberOfTrailsExceeded,
    /// The bucket does not exist.
    S3BucketDoesNotExist,
    /// The bucket name breaks S3's naming rules.
    InvalidS3BucketName,
    /// The bucket exists but its policy does not let CloudTrail write.
    InsufficientS3BucketPolicy,
    /// The S3 key prefix is too long.
    InvalidS3Prefix,
    /// The SNS topic name or ARN is malformed.
    InvalidSnsTopicName,
    /// The SNS topic does not exist or does not let CloudTrail publish.
    InsufficientSnsTopicPolicy,
    /// The KMS key ID is none of the accepted forms.
    InvalidKmsKeyId,
    /// Members that cannot go together (multi-region without global events, ...).
    InvalidParameterCombination,
    /// The CloudWatch Logs log group ARN is malformed.
    InvalidCloudWatchLogsLogGroupArn,
    /// The CloudWatch Logs role ARN is malformed.
    InvalidCloudWatchLogsRoleArn,
    /// A write on a trail from a region other than its home region.
    InvalidHomeRegion,
    /// Event selectors rejected (both or neither kind, limits, field rules).
    InvalidEventSelectors,
    /// Insight selectors rejected (type, categories, prerequisites).
    InvalidInsightSelectors,
    /// The trail has no Insights selectors.
    InsightNotEnabled,
    /// A trail would carry more tags than allowed.
    TagsLimitExceeded,
    /// A tag key or value is malformed, or a key repeats.
    InvalidTagParameter,
    /// The tagged resource does not exist.
    ResourceNotFound,
    /// A parameter is out of its allowed range.
    InvalidParameter,
    /// A pagination token that was never issued.
    InvalidToken,
    /// Organization trails: OpenTrail has no AWS Organizations.
    OrganizationsNotInUse,
    /// A feature OpenTrail does not offer (CloudWatch Logs delivery, event data stores).
    Unsupported,
    /// An external check (the bucket probe) could not be made; retrying may work.
    DependencyUnavailable,
    /// Reading or writing the state files failed.
    Io,
    /// A state file is damaged or of an unknown version.
    Corrupt,
    /// A broken invariant: a bug.
    Internal,
}

/// An error of the trail registry.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request was refused; `message` is the text for the client (AWS's own text
    /// where it is known).
    #[error("{message}")]
    Rejected {
        /// Which refusal.
        kind: ErrorKind,
        /// The client-facing message.
        message: String,
    },
    /// The event selectors or Insights selectors were refused by `opentrail-selectors`.
    #[error("{0}")]
    Selectors(#[source] opentrail_selectors::Error),
    /// A state file could not be read or written.
    #[error("trail state i/o failed on `{path}`: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },
    /// A state file is damaged; it is never silently replaced by an empty state.
    #[error("trail state file `{path}` is damaged: {reason}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A broken invariant.
    #[error("internal error (a bug): {0}")]
    Internal(String),
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Rejected { kind, .. } => *kind,
            Error::Selectors(error) => match error.kind() {
                opentrail_selectors::ErrorKind::InvalidInsightSelectors => {
                    ErrorKind::InvalidInsightSelectors
                }
                _ => ErrorKind::InvalidEventSelectors,
            },
            Error::Io { .. } => ErrorKind::Io,
            Error::Corrupt { .. } => ErrorKind::Corrupt,
            Error::Internal(_) => ErrorKind::Internal,
        }
    }

    /// The text for the client. Storage failures and bugs have a generic text: their
    /// details belong in the log, not on the wire.
    pub fn message(&self) -> String {
        match self {
            Error::Rejected { message, .. } => message.clone(),
            Error::Selectors(error) => error.to_string(),
            Error::Io { .. } | Error::Corrupt { .. } | Error::Internal(_) => {
                String::from("an internal error occurred")
            }
        }
    }

    /// Whether trying again later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind(),
            ErrorKind::DependencyUnavailable | ErrorKind::Io
        )
    }

    /// A refusal of `kind` with the client text `message`.
    pub fn rejected(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error::Rejected {
            kind,
            message: message.into(),
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

impl From<StateFileError> for Error {
    fn from(error: StateFileError) -> Error {
        match error {
            StateFileError::Io { path, source, .. } => Error::Io { path, source },
            StateFileError::Corrupt { path, reason } => Error::Corrupt { path, reason },
            // An encoding failure is a bug in a state type, not a storage failure.
            StateFileError::Encode { .. } => Error::Internal(error.to_string()),
        }
    }
}
