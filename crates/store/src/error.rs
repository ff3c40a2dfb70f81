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
    /// Another process owns the data directory.
    Locked,
    /// The data directory does not exist.
    NotFound,
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
    /// The data directory does not exist.
    #[error(
        "data directory `{path}` does not exist; check --data-dir, or import events into it first"
    )]
    NotFound {
        /// The directory.
        path: PathBuf,
    },
    /// Another process owns the data directory.
    #[error(
        "data directory `{path}` is in use by another process (pid {holder}); stop it or use another directory"
    )]
    Locked {
        /// The directory.
        path: PathBuf,
        /// What the holder wrote into the lock file (its process ID).
        holder: String,
    },
}

impl Error {
    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Io { .. } => ErrorKind::Io,
            Error::Journal(_) => ErrorKind::Journal,
            Error::Internal(_) => ErrorKind::Internal,
            Error::Locked { .. } => ErrorKind::Locked,
            Error::NotFound { .. } => ErrorKind::NotFound,
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
