//! The crate's error type.

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What kind of failure an [`Error`] is, for callers that branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The selectors break a rule of `spec/trails-and-integrity.md` §5 or §4.2; the API layer
    /// answers `InvalidEventSelectorsException` with the error's text as the message.
    InvalidEventSelectors,
    /// An Insights selector list is malformed (`spec/events-and-queries.md` §4.6); the API
    /// layer answers `InvalidInsightSelectorsException` with the error's text.
    InvalidInsightSelectors,
    /// A record handed to [`EventView::parse`](crate::EventView::parse) is not a JSON object
    /// whose selector fields have the expected types.
    InvalidRecord,
}

/// An error of this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The selectors break a rule. The text is client-visible and follows AWS's wording
    /// (capitalised, ending with a period) rather than the project's log style, because
    /// `InvalidEventSelectorsException` carries it to AWS SDKs and the console.
    #[error("{message}")]
    InvalidEventSelectors {
        /// The AWS-style message naming what is wrong.
        message: String,
    },
    /// An Insights selector list is malformed: an unknown or repeated type, or a bad
    /// category list. The text is client-visible.
    #[error("{message}")]
    InvalidInsightSelectors {
        /// The message naming what is wrong.
        message: String,
    },
    /// A record could not be read for selector evaluation.
    #[error("cannot read the selector fields of the record")]
    InvalidRecord {
        /// What the JSON parser found.
        #[source]
        source: serde_json::Error,
    },
}

impl Error {
    /// Returns the kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidEventSelectors { .. } => ErrorKind::InvalidEventSelectors,
            Error::InvalidInsightSelectors { .. } => ErrorKind::InvalidInsightSelectors,
            Error::InvalidRecord { .. } => ErrorKind::InvalidRecord,
        }
    }

    /// Builds an [`Error::InvalidEventSelectors`] with `message`.
    pub(crate) fn invalid(message: impl Into<String>) -> Error {
        Error::InvalidEventSelectors {
            message: message.into(),
        }
    }

    /// Builds an [`Error::InvalidInsightSelectors`] with `message`.
    pub(crate) fn invalid_insights(message: impl Into<String>) -> Error {
        Error::InvalidInsightSelectors {
            message: message.into(),
        }
    }
}
