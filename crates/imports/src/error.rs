//! The crate's one error type.

use std::path::Path;

/// What went wrong, for callers that branch on it. Each client-visible kind names the
/// CloudTrail exception the API layer maps it to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// No import has the given ID (`ImportNotFoundException`).
    ImportNotFound,
    /// Another import of the same account is `INITIALIZING` or `IN_PROGRESS`
    /// (`AccountHasOngoingImportException`).
    AccountHasOngoingImport,
    /// `S3LocationUri` is not a location imports can read (`InvalidImportSourceException`).
    InvalidImportSource,
    /// A destination is not an event data store ARN (`EventDataStoreARNInvalidException`).
    EventDataStoreArnInvalid,
    /// A parameter is missing, out of range or not allowed in this state
    /// (`InvalidParameterException`).
    InvalidParameter,
    /// A `NextToken` this registry did not hand out (`InvalidNextTokenException`).
    InvalidNextToken,
    /// Reading or writing `imports.json` failed (internal to the server).
    Storage,
    /// A broken invariant: a bug in this crate.
    Internal,
}

/// An error of the import registry or runner.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    kind: ErrorKind,
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            source: None,
        }
    }

    pub(crate) fn not_found(import_id: &str) -> Error {
        Error::new(
            ErrorKind::ImportNotFound,
            format!("import `{import_id}` does not exist"),
        )
    }

    pub(crate) fn invalid_parameter(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidParameter, message)
    }

    pub(crate) fn storage(action: &str, path: &Path, source: std::io::Error) -> Error {
        Error {
            kind: ErrorKind::Storage,
            message: format!("cannot {action} `{}`", path.display()),
            source: Some(Box::new(source)),
        }
    }

    pub(crate) fn storage_format(path: &Path, source: serde_json::Error) -> Error {
        Error {
            kind: ErrorKind::Storage,
            message: format!("`{}` is not a valid imports file", path.display()),
            source: Some(Box::new(source)),
        }
    }

    /// Returns what went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Returns whether trying again later may succeed (only storage failures may).
    pub fn is_retryable(&self) -> bool {
        self.kind == ErrorKind::Storage
    }
}
