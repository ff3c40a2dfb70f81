//! The crate's error type: a refusal named after the EventBridge exception it becomes on
//! the wire, or a storage failure.

use std::path::PathBuf;

use opentrail_types::durable::StateFileError;

/// What went wrong, for callers that branch. The refusals are named after EventBridge's
/// exceptions (`ResourceNotFound` is `ResourceNotFoundException`); the API crate maps each
/// to its error code in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A member breaks its constraints, members do not go together, or the operation is
    /// refused in the rule's state (`ValidationException`).
    Validation,
    /// The event pattern does not parse (`InvalidEventPatternException`).
    InvalidEventPattern,
    /// The rule, event bus or resource does not exist (`ResourceNotFoundException`).
    ResourceNotFound,
    /// A quota would be exceeded: rules per bus, targets per rule, pattern size
    /// (`LimitExceededException`).
    LimitExceeded,
    /// Reading or writing `rules.json` failed.
    Io,
    /// `rules.json` is damaged or of an unknown version.
    Corrupt,
    /// A broken invariant: a bug.
    Internal,
}

/// An error of the rule store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request was refused; `message` is the text for the client (EventBridge's own
    /// text where it is known).
    #[error("{message}")]
    Rejected {
        /// Which refusal.
        kind: ErrorKind,
        /// The client-facing message.
        message: String,
    },
    /// The event pattern was refused by `opentrail-patterns`; its text is EventBridge's
    /// (`Event pattern is not valid. Reason: …`).
    #[error("{0}")]
    Pattern(#[source] opentrail_patterns::Error),
    /// The state file could not be read or written.
    #[error("rule state i/o failed on `{path}`: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },
    /// The state file is damaged; it is never silently replaced by an empty state.
    #[error("rule state file `{path}` is damaged: {reason}")]
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
            Error::Pattern(_) => ErrorKind::InvalidEventPattern,
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
            Error::Pattern(error) => error.to_string(),
            Error::Io { .. } | Error::Corrupt { .. } | Error::Internal(_) => {
                String::from("an internal error occurred")
            }
        }
    }

    /// Whether trying again later may succeed (a failed write of the state file).
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

    /// A `ValidationException` refusal.
    pub(crate) fn validation(message: impl Into<String>) -> Error {
        Error::rejected(ErrorKind::Validation, message)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_failures_hide_their_details_from_clients() {
        let error = Error::io("/x/rules.json", std::io::Error::other("disk on fire"));
        assert_eq!(error.kind(), ErrorKind::Io);
        assert!(error.is_retryable());
        assert_eq!(error.message(), "an internal error occurred");
        assert!(error.to_string().contains("disk on fire"));
        let refused = Error::validation("Rule can't be deleted since it has targets.");
        assert_eq!(refused.kind(), ErrorKind::Validation);
        assert!(!refused.is_retryable());
        assert_eq!(
            refused.message(),
            "Rule can't be deleted since it has targets."
        );
    }
}
