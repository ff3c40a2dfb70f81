//! The crate's error type and the mapping of DataFusion errors onto its kinds.

use std::fmt;

use datafusion::error::DataFusionError;

/// What went wrong, for callers that branch (the API layer maps each kind to one
/// CloudTrail error code or query status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SqlErrorKind {
    /// The statement is not acceptable: syntax, not read-only, too long, several
    /// statements, unknown table, column or function, type errors, a value that
    /// cannot be converted. `InvalidQueryStatementException` on `StartQuery`,
    /// `FAILED` with this message once running.
    InvalidQueryStatement,
    /// A limit was reached: execution memory or the size of the result.
    ResourcesExceeded,
    /// The caller cancelled the query.
    Cancelled,
    /// A broken invariant or an I/O failure on our side; not the caller's fault.
    Internal,
}

/// An error of the Lake SQL engine: a kind and a message meant for the client
/// (lowercase, naming the bad value), with the underlying DataFusion error kept
/// as the source where there is one.
#[derive(Debug, thiserror::Error)]
pub struct SqlError {
    kind: SqlErrorKind,
    message: String,
    #[source]
    source: Option<Box<DataFusionError>>,
}

/// The conventional name of the crate's error type (STYLE.md §3).
pub type Error = SqlError;

/// Result with [`SqlError`] as the default error.
pub type Result<T, E = SqlError> = std::result::Result<T, E>;

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl SqlError {
    /// Returns what kind of failure this is.
    pub fn kind(&self) -> SqlErrorKind {
        self.kind
    }

    /// Returns the message for the client (also the `Display` text).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Builds an `InvalidQueryStatement` error.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(SqlErrorKind::InvalidQueryStatement, message)
    }

    /// Builds a `ResourcesExceeded` error.
    pub fn resources_exceeded(message: impl Into<String>) -> Self {
        Self::new(SqlErrorKind::ResourcesExceeded, message)
    }

    /// Builds the error of a cancelled query.
    pub fn cancelled() -> Self {
        Self::new(SqlErrorKind::Cancelled, "query cancelled")
    }

    /// Builds an `Internal` error; the message says which invariant broke.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(SqlErrorKind::Internal, message)
    }

    fn new(kind: SqlErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }
}

impl From<DataFusionError> for SqlError {
    fn from(error: DataFusionError) -> Self {
        let kind = classify(&error);
        let message = client_message(&error, kind);
        Self {
            kind,
            message,
            source: Some(Box::new(error)),
        }
    }
}

/// Decides whose fault a DataFusion error is.
fn classify(error: &DataFusionError) -> SqlErrorKind {
    match error.find_root() {
        DataFusionError::SQL(..)
        | DataFusionError::Plan(..)
        | DataFusionError::SchemaError(..)
        | DataFusionError::NotImplemented(..)
        | DataFusionError::Configuration(..) => SqlErrorKind::InvalidQueryStatement,
        // Arrow compute errors during execution come from the data and the query
        // (a string that is no timestamp, a division by zero, an overflow).
        DataFusionError::ArrowError(..) | DataFusionError::Execution(..) => {
            SqlErrorKind::InvalidQueryStatement
        }
        DataFusionError::ResourcesExhausted(..) => SqlErrorKind::ResourcesExceeded,
        _ => SqlErrorKind::Internal,
    }
}

/// Turns DataFusion's text into a message fit for a client: no backtrace, no
/// "Error during planning:" prefix, no list of every valid field of the schema.
fn client_message(error: &DataFusionError, kind: SqlErrorKind) -> String {
    let root = error.find_root();
    let text = match root {
        DataFusionError::SQL(parser_error, _) => parser_error.to_string(),
        DataFusionError::Plan(text)
        | DataFusionError::NotImplemented(text)
        | DataFusionError::Execution(text)
        | DataFusionError::Configuration(text)
        | DataFusionError::ResourcesExhausted(text) => text.clone(),
        DataFusionError::SchemaError(schema_error, _) => schema_error.to_string(),
        other => other.strip_backtrace(),
    };
    // The first line says what is wrong; DataFusion's further lines list every
    // field of the schema, suggest functions or ask to file a bug.
    let first_line = text.lines().next().unwrap_or_default();
    let text = first_line.trim_end_matches(['.', ' ']).to_owned();
    match kind {
        SqlErrorKind::Internal => format!("internal error: {text}"),
        SqlErrorKind::ResourcesExceeded => format!("query exceeded its memory limit: {text}"),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_errors_are_invalid_statements_without_the_field_list() {
        let error = SqlError::from(DataFusionError::Plan(
            "No field named foo.\nValid fields are a, b.".to_owned(),
        ));
        assert_eq!(error.kind(), SqlErrorKind::InvalidQueryStatement);
        assert_eq!(error.to_string(), "No field named foo");
    }

    #[test]
    fn resources_exhausted_is_resources_exceeded() {
        let error = SqlError::from(DataFusionError::ResourcesExhausted("pool full".to_owned()));
        assert_eq!(error.kind(), SqlErrorKind::ResourcesExceeded);
    }

    #[test]
    fn context_is_looked_through() {
        let error = DataFusionError::Context(
            "while planning".to_owned(),
            Box::new(DataFusionError::Internal("bad".to_owned())),
        );
        assert_eq!(SqlError::from(error).kind(), SqlErrorKind::Internal);
    }
}
