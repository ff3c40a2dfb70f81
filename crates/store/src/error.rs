//! The store's error type.

use std::path::PathBuf;

/// What went wrong, for callers that branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file operation failed.
    Io,
    /// The journal failed.
    Journal,
    /// A broken invariant: a bug.
    Internal,
}

/// A store error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file operation failed.
    #[error("history i/o failed on `{path}`: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },
    /// The journal failed.
    #[error(transparent)]
    Journal(#[from] opentrail_journal::Error),
    /// A broken invariant.
    #[error("internal error (a bug): {0}")]
    Internal(String),
}

impl Error {
    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Io { .. } => ErrorKind::Io,
            Error::Journal(_) => ErrorKind::Journal,
            Error::Internal(_) => ErrorKind::Internal,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn internal(message: String) -> Error {
        Error::Internal(message)
    }
}

/// Result with the store's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;
