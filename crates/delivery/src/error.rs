//! Errors of the delivery engine.

use std::path::{Path, PathBuf};

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading or writing the delivery state or the outbox.
    Io,
    /// A state file that cannot be trusted.
    Corrupt,
    /// The journal failed.
    Journal,
    /// The destination refused or failed.
    Destination,
    /// Signing a digest failed.
    Signing,
}

/// An error of the delivery engine.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// I/O on a local file.
    #[error("`{path}`: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A damaged state file.
    #[error("`{path}` is damaged: {reason}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The journal.
    #[error(transparent)]
    Journal(#[from] opentrail_journal::Error),
    /// The destination bucket.
    #[error("bucket `{bucket}`: {source}")]
    Destination {
        /// The bucket.
        bucket: String,
        /// The cause.
        #[source]
        source: opentrail_blob::Error,
    },
    /// Signing.
    #[error(transparent)]
    Signing(#[from] opentrail_digest::Error),
    /// The trail registry.
    #[error(transparent)]
    Trails(opentrail_trails::Error),
}

impl Error {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The kind.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Io { .. } => ErrorKind::Io,
            Error::Corrupt { .. } => ErrorKind::Corrupt,
            Error::Journal(_) => ErrorKind::Journal,
            Error::Destination { .. } => ErrorKind::Destination,
            Error::Signing(_) => ErrorKind::Signing,
            Error::Trails(_) => ErrorKind::Io,
        }
    }

    /// The code GetTrailStatus reports (`LatestDeliveryError`): the S3 error code for a
    /// destination failure, else `InternalError`.
    pub fn status_code(&self) -> String {
        match self {
            Error::Destination { source, .. } => source.code().to_owned(),
            _ => String::from("InternalError"),
        }
    }
}

/// Results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
