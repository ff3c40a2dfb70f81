//! The crate's error type: a refusal named after the AWS exception it becomes on the wire,
//! or a storage failure.

use std::path::PathBuf;

/// What went wrong, for callers that branch. The refusals are named after CloudTrail's
/// exceptions (`QueryIdNotFound` is `QueryIdNotFoundException`); the API crate maps each to
/// its error code in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// StartQuery while the account already has the maximum of queued and running queries.
    MaxConcurrentQueries,
    /// No query of the caller's account has that ID (never started, purged, or another
    /// account's).
    QueryIdNotFound,
    /// CancelQuery on a query that is no longer `QUEUED` or `RUNNING`.
    InactiveQuery,
    /// `MaxQueryResults` or `MaxResults` outside 1–1000.
    InvalidMaxResults,
    /// A `NextToken` not issued for this query or listing, or damaged.
    InvalidNextToken,
    /// ListQueries with `StartTime` after `EndTime`.
    InvalidDateRange,
    /// ListQueries with a `QueryStatus` that is not one of the six values.
    InvalidQueryStatus,
    /// A member out of its documented range or form (statement length, `DeliveryS3Uri` form).
    InvalidParameter,
    /// The bucket part of `DeliveryS3Uri` is not a valid bucket name.
    InvalidS3BucketName,
    /// The prefix part of `DeliveryS3Uri` is not valid.
    InvalidS3Prefix,
    /// A feature this server does not offer (delivery without a configured result sink).
    UnsupportedOperation,
    /// Reading or writing the state files failed.
    Io,
    /// A state file is damaged or of an unknown version.
    Corrupt,
    /// A broken invariant: a bug.
    Internal,
}

/// An error of the query lifecycle.
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
    /// A state file could not be read or written.
    #[error("query state i/o failed on `{path}`: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },
    /// A state file is damaged; it is never silently dropped.
    #[error("query state file `{path}` is damaged: {reason}")]
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
            Error::Io { .. } | Error::Corrupt { .. } | Error::Internal(_) => {
                String::from("an internal error occurred")
            }
        }
    }

    /// Whether trying again later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self.kind(), ErrorKind::Io | ErrorKind::MaxConcurrentQueries)
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

    pub(crate) fn corrupt(path: impl Into<PathBuf>, reason: impl Into<String>) -> Error {
        Error::Corrupt {
            path: path.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn query_not_found(query_id: &str) -> Error {
        Error::rejected(
            ErrorKind::QueryIdNotFound,
            format!("query `{query_id}` was not found"),
        )
    }
}
