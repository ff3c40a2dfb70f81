//! The crate's error type: a refusal named after the AWS exception it becomes on the wire,
//! or a storage failure.

use std::path::PathBuf;

use opentrail_types::durable::StateFileError;

/// What went wrong, for callers that branch. The refusals are named after CloudTrail's
/// exceptions (`EventDataStoreNotFound` is `EventDataStoreNotFoundException`); the API
/// crate maps each to its error code in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// No event data store of the caller's account has that ARN or ID (in this region).
    EventDataStoreNotFound,
    /// An event data store of that name already exists in the account and region.
    EventDataStoreAlreadyExists,
    /// The region already has the maximum number of event data stores (all states count).
    EventDataStoreMaxLimitExceeded,
    /// A value that should name an event data store is not a well-formed ARN or ID, or is
    /// the ARN of another account.
    EventDataStoreArnInvalid,
    /// DeleteEventDataStore on a store with termination protection on.
    EventDataStoreTerminationProtected,
    /// An import into the store is running.
    EventDataStoreHasOngoingImport,
    /// The store is pending deletion.
    InactiveEventDataStore,
    /// The store's status does not allow the operation.
    InvalidEventDataStoreStatus,
    /// The store's kind does not allow the operation (or a channel destination is not an
    /// `ActivityAuditLog` store).
    InvalidEventDataStoreCategory,
    /// The advanced event selectors break a rule.
    InvalidEventSelectors,
    /// PutInsightSelectors: a bad or repeated Insights type, a category other than
    /// `Management`, a destination that is not an `Insight` store, or a source store that
    /// does not log the management events the types need; UpdateEventDataStore: new
    /// selectors that no longer meet the Insights prerequisites.
    InvalidInsightSelectors,
    /// GetInsightSelectors on a store without Insights selectors.
    InsightNotEnabled,
    /// A parameter is out of its allowed range or form.
    InvalidParameter,
    /// Members that cannot go together.
    InvalidParameterCombination,
    /// The KMS key ID is none of the accepted forms.
    InvalidKmsKeyId,
    /// A tag key or value is malformed, a key repeats, or a new store would have too many.
    InvalidTagParameter,
    /// A resource would carry more tags than allowed.
    TagsLimitExceeded,
    /// A write on a multi-region store from outside its home region.
    InvalidHomeRegion,
    /// `OrganizationEnabled`: OpenTrail has no AWS Organizations.
    OrganizationsNotInUse,
    /// `MaxResults` out of range.
    InvalidMaxResults,
    /// A `NextToken` this registry did not issue.
    InvalidNextToken,
    /// A ListTags `NextToken` (this registry never issues one).
    InvalidToken,
    /// No channel of the caller's account and region has that ARN or ID.
    ChannelNotFound,
    /// A value that should name a channel is not a well-formed channel ARN or ID.
    ChannelArnInvalid,
    /// A channel of that name, or for that source, already exists.
    ChannelAlreadyExists,
    /// The region already has the maximum number of channels.
    ChannelMaxLimitExceeded,
    /// DeleteEventDataStore on a store a channel delivers to.
    ChannelExistsForEds,
    /// The channel `Source` is not valid.
    InvalidSource,
    /// The resource of a tagging or resource-policy call does not exist.
    ResourceNotFound,
    /// The resource ARN of a resource-policy call is malformed.
    ResourceArnNotValid,
    /// The resource has no resource policy.
    ResourcePolicyNotFound,
    /// The resource policy is not a JSON object of at most 8192 characters.
    ResourcePolicyNotValid,
    /// The ARN names a resource type the operation does not take (a trail, a dashboard).
    ResourceTypeNotSupported,
    /// A feature OpenTrail does not offer (configuration-item or evidence stores, trail
    /// aggregation).
    Unsupported,
    /// Reading or writing the state files failed.
    Io,
    /// A state file is damaged or of an unknown version.
    Corrupt,
    /// A broken invariant: a bug.
    Internal,
}

/// An error of the Lake registry.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request was refused; `message` is the text for the client.
    #[error("{message}")]
    Rejected {
        /// Which refusal.
        kind: ErrorKind,
        /// The client-facing message.
        message: String,
    },
    /// The advanced event selectors or Insights selectors were refused by
    /// `opentrail-selectors`.
    #[error("{0}")]
    Selectors(#[source] opentrail_selectors::Error),
    /// A state file could not be read or written.
    #[error("lake state i/o failed on `{path}`: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },
    /// A state file is damaged; it is never silently replaced by an empty state.
    #[error("lake state file `{path}` is damaged: {reason}")]
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
        self.kind() == ErrorKind::Io
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
