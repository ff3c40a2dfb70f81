//! The journal's error type.

use std::io;
use std::path::PathBuf;

/// What went wrong, for callers that branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading or writing a journal file failed.
    Io,
    /// A journal file holds bytes that are not a valid frame where good frames must be.
    Corrupt,
    /// A consumer position points before the oldest kept segment (removed by retention).
    Expired,
    /// An append was refused: the journal stopped after a failed write or is shut down.
    Closed,
    /// An entry is not acceptable (empty event ID, oversized payload).
    InvalidEntry,
}

/// A journal error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An I/O operation on a journal file failed.
    #[error("journal i/o failed on `{path}`: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: io::Error,
    },
    /// A frame that should be valid is not.
    #[error("journal segment `{path}` is corrupt at byte {offset}: {reason}")]
    Corrupt {
        /// The segment file.
        path: PathBuf,
        /// Byte offset of the bad frame.
        offset: u64,
        /// What is wrong.
        reason: String,
    },
    /// A position points into a segment that retention removed.
    #[error("journal position {seq} is before the oldest kept event {oldest}")]
    Expired {
        /// The requested sequence number.
        seq: u64,
        /// The oldest sequence number still kept.
        oldest: u64,
    },
    /// The journal no longer accepts appends.
    #[error("journal is closed: {reason}")]
    Closed {
        /// Why (the failed write, or shutdown).
        reason: String,
    },
    /// An entry cannot be appended.
    #[error("invalid journal entry: {reason}")]
    InvalidEntry {
        /// What is wrong with it.
        reason: String,
    },
}

impl Error {
    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Io { .. } => ErrorKind::Io,
            Error::Corrupt { .. } => ErrorKind::Corrupt,
            Error::Expired { .. } => ErrorKind::Expired,
            Error::Closed { .. } => ErrorKind::Closed,
            Error::InvalidEntry { .. } => ErrorKind::InvalidEntry,
        }
    }

    /// Whether trying again later may succeed. A closed journal must be reopened first.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Error::Io { .. })
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Result with the journal's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;
