//! The crate's errors: [`Error`] for files and batches, [`RowError`] for one record.

use std::fmt;

/// Result of the file-level operations of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What kind of failure an [`Error`] is, for callers that branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The caller passed something unusable (no batches, mixed schemas, a zero row-group size).
    InvalidInput,
    /// The Parquet file could not be written or read (I/O included).
    Parquet,
    /// A file lacks what this crate writes into every file (metadata keys, key columns).
    NotOurFile,
    /// A broken invariant of this crate: builders and schema disagree. A bug, never bad input.
    Internal,
}

/// A failure while building batches or writing and reading Parquet files.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The caller passed something unusable.
    #[error("{0}")]
    InvalidInput(String),
    /// The Parquet writer or reader failed.
    #[error("parquet {operation} failed")]
    Parquet {
        /// What was being done (`write`, `read`).
        operation: &'static str,
        /// The Parquet crate's error.
        #[source]
        source: parquet::errors::ParquetError,
    },
    /// Arrow refused to assemble a column from the builders (a bug, see [`ErrorKind::Internal`]).
    #[error("arrow {operation} failed")]
    Arrow {
        /// What was being done.
        operation: &'static str,
        /// The Arrow crate's error.
        #[source]
        source: arrow::error::ArrowError,
    },
    /// Decoding a Parquet file's pages into record batches failed (a damaged file).
    #[error("reading record batches from a parquet file failed")]
    ReadBatches {
        /// The Arrow reader's error.
        #[source]
        source: arrow::error::ArrowError,
    },
    /// A file lacks metadata or columns this crate writes into every file.
    #[error("not a file written by opentrail-columnar: {0}")]
    NotOurFile(String),
    /// A broken invariant (a bug): the builders do not match the schema.
    #[error("internal error (bug): {0}")]
    Internal(String),
}

impl Error {
    /// Returns the kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidInput(_) => ErrorKind::InvalidInput,
            Error::Parquet { .. } | Error::ReadBatches { .. } => ErrorKind::Parquet,
            Error::Arrow { .. } | Error::Internal(_) => ErrorKind::Internal,
            Error::NotOurFile(_) => ErrorKind::NotOurFile,
        }
    }

    pub(crate) fn arrow(operation: &'static str) -> impl FnOnce(arrow::error::ArrowError) -> Error {
        move |source| Error::Arrow { operation, source }
    }

    pub(crate) fn parquet(
        operation: &'static str,
    ) -> impl FnOnce(parquet::errors::ParquetError) -> Error {
        move |source| Error::Parquet { operation, source }
    }
}

/// Why one record could not become a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RowErrorKind {
    /// The bytes are not UTF-8 JSON.
    NotJson,
    /// The JSON is valid but not an object.
    NotObject,
    /// A member the table needs (`eventTime`) is absent or `null`.
    MissingMember,
    /// A member has a type or value the column cannot hold.
    InvalidMember,
    /// The builder holds as much text as one batch can; call `finish` first. Not the record's fault.
    BatchFull,
}

/// A record that cannot be mapped to a row; nothing of it was added to the batch.
///
/// `member` is the dotted path of the offending member (`userIdentity.sessionContext`,
/// `resources[2].ARN`), empty when the whole record is at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    kind: RowErrorKind,
    member: String,
    detail: String,
}

impl RowError {
    pub(crate) fn new(
        kind: RowErrorKind,
        member: impl Into<String>,
        detail: impl Into<String>,
    ) -> RowError {
        RowError {
            kind,
            member: member.into(),
            detail: detail.into(),
        }
    }

    /// Returns the kind of this error.
    pub fn kind(&self) -> RowErrorKind {
        self.kind
    }

    /// Returns the dotted path of the offending member, empty for the whole record.
    pub fn member(&self) -> &str {
        &self.member
    }

    /// Returns the detail text (the JSON parser's message or the rule that failed).
    pub fn detail(&self) -> &str {
        &self.detail
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.member.is_empty() {
            write!(formatter, "record cannot be mapped: {}", self.detail)
        } else {
            write!(
                formatter,
                "record member `{}` cannot be mapped: {}",
                self.member, self.detail
            )
        }
    }
}

impl std::error::Error for RowError {}
