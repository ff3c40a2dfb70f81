//! The crate's error type: a kind to branch on, an S3-style code for status reports, and
//! whether retrying may help.

use std::borrow::Cow;

/// A boxed source error.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The result type of every fallible operation in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, for callers that branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The object does not exist (S3 `NoSuchKey`).
    NotFound,
    /// The bucket does not exist (S3 `NoSuchBucket`; a local bucket whose directory is missing).
    NoSuchBucket,
    /// A create-only put found an object already at the key (S3 `PreconditionFailed`).
    AlreadyExists,
    /// The store refused the credentials or the operation (HTTP 401/403).
    AccessDenied,
    /// The object key is malformed, would escape a local bucket's directory, or collides with
    /// the local store's own files.
    InvalidKey,
    /// The bucket name breaks S3's naming rules (CreateTrail answers
    /// `InvalidS3BucketNameException`).
    InvalidBucketName,
    /// A user-metadata name or value cannot be stored as an `x-amz-meta-*` header.
    InvalidMetadata,
    /// The object is larger than the bucket's read cap.
    TooLarge,
    /// The store settings (environment, AWS config files, bucket entries) are unusable.
    InvalidConfig,
    /// A local file-system operation failed.
    Io,
    /// The S3 endpoint could not be reached, or the connection failed or timed out.
    Transport,
    /// Anything else, such as an unexpected S3 error response.
    Other,
}

impl ErrorKind {
    /// Returns the S3-style code used when an error of this kind carries no code of its own.
    pub(crate) fn default_code(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "NoSuchKey",
            ErrorKind::NoSuchBucket => "NoSuchBucket",
            ErrorKind::AlreadyExists => "PreconditionFailed",
            ErrorKind::AccessDenied => "AccessDenied",
            ErrorKind::InvalidKey | ErrorKind::InvalidMetadata => "InvalidArgument",
            ErrorKind::InvalidBucketName => "InvalidBucketName",
            ErrorKind::TooLarge => "EntityTooLarge",
            ErrorKind::InvalidConfig => "InvalidConfiguration",
            ErrorKind::Io | ErrorKind::Other => "InternalError",
            ErrorKind::Transport => "ServiceUnavailable",
        }
    }

    /// Returns whether errors of this kind are worth retrying when nothing more specific is
    /// known.
    fn default_retryable(self) -> bool {
        matches!(self, ErrorKind::Io | ErrorKind::Transport)
    }
}

/// An error from a blob store.
///
/// [`kind`](Error::kind) is for branching, [`code`](Error::code) is an S3-style error code
/// for status reports such as `GetTrailStatus`'s `LatestDeliveryError`, and
/// [`is_retryable`](Error::is_retryable) says whether trying again later may succeed.
/// The message is for people; the source chain keeps the underlying error.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    kind: ErrorKind,
    code: Cow<'static, str>,
    message: String,
    retryable: bool,
    #[source]
    source: Option<BoxError>,
}

impl Error {
    /// Creates an error of `kind` with the kind's default code and retryability.
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            code: Cow::Borrowed(kind.default_code()),
            message: message.into(),
            retryable: kind.default_retryable(),
            source: None,
        }
    }

    /// Replaces the S3-style code.
    pub(crate) fn with_code(mut self, code: impl Into<Cow<'static, str>>) -> Error {
        self.code = code.into();
        self
    }

    /// Replaces the retryability.
    pub(crate) fn with_retryable(mut self, retryable: bool) -> Error {
        self.retryable = retryable;
        self
    }

    /// Attaches the underlying error.
    pub(crate) fn with_source(mut self, source: impl Into<BoxError>) -> Error {
        self.source = Some(source.into());
        self
    }

    /// Puts `context` (such as ``bucket `logs` ``) in front of the message.
    pub(crate) fn with_context(mut self, context: &str) -> Error {
        self.message = format!("{context}: {}", self.message);
        self
    }

    /// Returns what went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Returns the S3-style error code: the code from the store's error response when there
    /// was one (`NoSuchBucket`, `AccessDenied`, `SlowDown`, …), else one derived from the
    /// kind (`NoSuchKey`, `PreconditionFailed`, `InternalError`, `RequestTimeout`, …).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// Returns whether the operation may succeed if tried again later (throttling, server
    /// errors, timeouts, broken connections, local I/O failures).
    pub fn is_retryable(&self) -> bool {
        self.retryable
    }

    /// Creates the error for a local I/O failure, classifying the common `errno` cases.
    pub(crate) fn from_io(context: String, error: std::io::Error) -> Error {
        use std::io::ErrorKind as IoKind;
        let kind = match error.kind() {
            IoKind::NotFound => ErrorKind::NotFound,
            IoKind::PermissionDenied | IoKind::ReadOnlyFilesystem => ErrorKind::AccessDenied,
            // A key component that is a file where a folder is needed, or the other way
            // round, or a name the file system cannot hold: the key cannot be stored here.
            IoKind::NotADirectory | IoKind::IsADirectory | IoKind::InvalidFilename => {
                ErrorKind::InvalidKey
            }
            _ => ErrorKind::Io,
        };
        Error::new(kind, format!("{context}: {error}")).with_source(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_codes_follow_kind() {
        let cases = [
            (ErrorKind::NotFound, "NoSuchKey", false),
            (ErrorKind::NoSuchBucket, "NoSuchBucket", false),
            (ErrorKind::AlreadyExists, "PreconditionFailed", false),
            (ErrorKind::AccessDenied, "AccessDenied", false),
            (ErrorKind::InvalidBucketName, "InvalidBucketName", false),
            (ErrorKind::TooLarge, "EntityTooLarge", false),
            (ErrorKind::Io, "InternalError", true),
            (ErrorKind::Transport, "ServiceUnavailable", true),
        ];
        for (kind, code, retryable) in cases {
            let error = Error::new(kind, "boom");
            assert_eq!(error.kind(), kind);
            assert_eq!(error.code(), code, "{kind:?}");
            assert_eq!(error.is_retryable(), retryable, "{kind:?}");
        }
    }

    #[test]
    fn io_errors_are_classified() {
        let not_found = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(
            Error::from_io("x".into(), not_found).kind(),
            ErrorKind::NotFound
        );
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(
            Error::from_io("x".into(), denied).kind(),
            ErrorKind::AccessDenied
        );
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        let error = Error::from_io("writing `a`".into(), full);
        assert_eq!(error.kind(), ErrorKind::Io);
        assert!(error.is_retryable());
        assert!(error.to_string().starts_with("writing `a`: "));
    }
}
