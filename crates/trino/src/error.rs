//! The crate's error type: what a Trino function reports when a call is invalid.

use datafusion::error::DataFusionError;

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An invalid call to a Trino function, detected while planning or evaluating a query.
///
/// Functions hand these to DataFusion wrapped in [`DataFusionError::External`], so a
/// caller finds them again with [`Error::find_in`] and tells "the query is wrong"
/// apart from an engine failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An argument has a value the function rejects, as Trino's `INVALID_FUNCTION_ARGUMENT`.
    #[error("{function}: {message}")]
    InvalidArgument {
        /// The SQL function name.
        function: &'static str,
        /// What is wrong, naming the bad value in backticks.
        message: String,
    },
    /// A JSON path that does not follow the supported JSONPath subset.
    #[error("invalid json path `{path}`: {message}")]
    InvalidJsonPath {
        /// The path as written.
        path: String,
        /// What is wrong with it.
        message: &'static str,
    },
    /// Text that a function needs to be JSON but is not (`json_parse`, `is_json_scalar`).
    #[error("{function}: cannot convert `{value}` to json")]
    InvalidJson {
        /// The SQL function name.
        function: &'static str,
        /// The offending text, cut to 100 characters.
        value: String,
    },
    /// An argument type the function does not accept.
    #[error("{function}: unsupported argument types {types}")]
    UnsupportedTypes {
        /// The SQL function name.
        function: &'static str,
        /// The argument types received.
        types: String,
    },
}

/// The broad class of an [`Error`], for callers that branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A bad argument value (Trino `INVALID_FUNCTION_ARGUMENT`).
    InvalidArgument,
    /// A bad JSON path.
    InvalidJsonPath,
    /// Text that is not JSON where JSON is required.
    InvalidJson,
    /// Argument types the function does not accept (a planning error).
    UnsupportedTypes,
}

impl Error {
    /// Returns the class of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidArgument { .. } => ErrorKind::InvalidArgument,
            Error::InvalidJsonPath { .. } => ErrorKind::InvalidJsonPath,
            Error::InvalidJson { .. } => ErrorKind::InvalidJson,
            Error::UnsupportedTypes { .. } => ErrorKind::UnsupportedTypes,
        }
    }

    /// Returns the Trino function error inside a DataFusion error, if there is one.
    pub fn find_in(error: &DataFusionError) -> Option<&Error> {
        let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
        while let Some(err) = current {
            if let Some(found) = err.downcast_ref::<Error>() {
                return Some(found);
            }
            if let Some(DataFusionError::External(inner)) = err.downcast_ref::<DataFusionError>()
                && let Some(found) = inner.downcast_ref::<Error>()
            {
                return Some(found);
            }
            current = err.source();
        }
        None
    }

    pub(crate) fn invalid_argument(function: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidArgument {
            function,
            message: message.into(),
        }
    }

    pub(crate) fn invalid_json(function: &'static str, value: &str) -> Self {
        Error::InvalidJson {
            function,
            value: value.chars().take(100).collect(),
        }
    }
}

impl From<Error> for DataFusionError {
    fn from(error: Error) -> Self {
        DataFusionError::External(Box::new(error))
    }
}
