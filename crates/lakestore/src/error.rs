//! Errors of the Lake storage layer.

use std::path::{Path, PathBuf};

/// What went wrong, for callers that decide by kind (retry, report, give up).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading or writing the local state failed.
    Io,
    /// The manifest or a Parquet file cannot be understood.
    Corrupt,
    /// The bucket refused or failed a request.
    Bucket,
    /// A record could not be turned into a row.
    Record,
    /// The journal failed.
    Journal,
    /// The store is being shut down or was removed.
    Closed,
    /// Writing a flush's files failed; the writer reads its records again.
    Flush,
}

/// An error of the Lake storage layer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a local file failed.
    #[error("cannot use `{path}`: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The manifest or a file is damaged.
    #[error("`{path}` is damaged: {detail}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// The bucket failed a request.
    #[error("bucket request for `{key}` failed: {source}")]
    Bucket {
        /// The object key.
        key: String,
        /// The cause.
        source: opentrail_blob::Error,
    },
    /// Encoding or decoding Parquet failed.
    #[error("parquet: {0}")]
    Parquet(String),
    /// A record could not be mapped to the store's columns.
    #[error("record `{event_id}` cannot be stored: {detail}")]
    Record {
        /// The record's event ID.
        event_id: String,
        /// Why.
        detail: String,
    },
    /// The journal failed.
    #[error(transparent)]
    Journal(#[from] opentrail_journal::Error),
    /// The store was closed.
    #[error("the store `{0}` is closed")]
    Closed(String),
    /// The store's file thread did not write a flush.
    #[error("flushing the store's rows failed: {0}")]
    Flush(String),
}

impl Error {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_owned(),
            source,
        }
    }

    /// The kind of the error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Io { .. } => ErrorKind::Io,
            Error::Corrupt { .. } | Error::Parquet(_) => ErrorKind::Corrupt,
            Error::Bucket { .. } => ErrorKind::Bucket,
            Error::Record { .. } => ErrorKind::Record,
            Error::Journal(_) => ErrorKind::Journal,
            Error::Closed(_) => ErrorKind::Closed,
            Error::Flush(_) => ErrorKind::Flush,
        }
    }
}

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, Error>;
