//! The crate's error type: a policy document that [`crate::Policy::parse`] refuses.

use std::fmt;

/// What is wrong with a refused policy document, for callers that branch on it.
///
/// Callers map every kind to one client-visible code (AWS answers all of them with
/// `MalformedPolicyDocument`); the kind exists so tests and logs can tell the cases apart
/// without matching message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PolicyErrorKind {
    /// The text is not JSON, or an element holds the wrong JSON type.
    Syntax,
    /// The document or one of its parts is over a size bound ([`crate::MAX_DOCUMENT_CHARS`],
    /// [`crate::MAX_STATEMENTS`]).
    TooLarge,
    /// An element name IAM does not know (names are case-sensitive: `effect` is unknown).
    UnknownElement,
    /// The same element name twice in one JSON object.
    DuplicateElement,
    /// A required element is missing (`Statement`, `Effect`, a principal, actions,
    /// resources).
    MissingElement,
    /// Both halves of a pair are present (`Action` and `NotAction`, ...), or `NotPrincipal`
    /// is used with `Allow`.
    ConflictingElements,
    /// `Version` is not `2012-10-17` or `2008-10-17`.
    InvalidVersion,
    /// `Effect` is not `Allow` or `Deny`.
    InvalidEffect,
    /// An action is not `*` or `service:Action`.
    InvalidAction,
    /// A resource is not `*` or an ARN.
    InvalidResource,
    /// A principal is not `*`, an account ID or an ARN, or has a partial wildcard.
    InvalidPrincipal,
    /// A condition has an unknown operator, a malformed key, or a value the operator
    /// cannot use (a bad CIDR block, a non-number for `NumericEquals`, ...).
    InvalidCondition,
    /// A valid IAM condition operator that this crate does not evaluate (the `Date*` family
    /// and `BinaryEquals`). Refused so that a policy never silently means less than it says.
    UnsupportedCondition,
    /// Two statements share a `Sid`.
    DuplicateSid,
}

/// A policy document that IAM would refuse, or that this crate cannot evaluate faithfully.
///
/// [`PolicyError::message`] (and `Display`) give IAM's own wording where it is known (for
/// example `Policy statement must contain actions.` or
/// `Resource bucket must be in ARN format or "*".`); the other messages follow the
/// project's style and name the statement (0-based index) and the element. For a syntax
/// error the `serde_json` error, with its line and column, is the
/// [`std::error::Error::source`].
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct PolicyError {
    kind: PolicyErrorKind,
    statement: Option<usize>,
    message: String,
    #[source]
    source: Option<serde_json::Error>,
}

impl PolicyError {
    /// Builds an error about the whole document or, with `statement`, one statement.
    pub(crate) fn new(
        kind: PolicyErrorKind,
        statement: Option<usize>,
        message: impl fmt::Display,
    ) -> PolicyError {
        PolicyError {
            kind,
            statement,
            message: message.to_string(),
            source: None,
        }
    }

    /// Builds the error for text that is not JSON, keeping the parser's error as source.
    pub(crate) fn syntax(source: serde_json::Error) -> PolicyError {
        PolicyError {
            kind: PolicyErrorKind::Syntax,
            statement: None,
            message: SYNTAX_ERRORS.to_owned(),
            source: Some(source),
        }
    }

    /// Returns what is wrong.
    pub fn kind(&self) -> PolicyErrorKind {
        self.kind
    }

    /// Returns the 0-based index of the offending statement, when the error is about one.
    pub fn statement(&self) -> Option<usize> {
        self.statement
    }

    /// Returns the message, the same text as `Display`.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// IAM's message for a document that is not JSON (`CreatePolicy`'s `MalformedPolicyDocument`).
pub(crate) const SYNTAX_ERRORS: &str = "Syntax errors in policy.";

/// The crate's result type.
pub type Result<T, E = PolicyError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    #[test]
    fn syntax_error_keeps_the_json_error_as_source() {
        let json_error = serde_json::from_str::<serde_json::Value>("{").unwrap_err();
        let error = PolicyError::syntax(json_error);
        assert_eq!(error.to_string(), "Syntax errors in policy.");
        assert_eq!(error.kind(), PolicyErrorKind::Syntax);
        assert_eq!(error.statement(), None);
        let source = error.source().expect("source kept");
        assert!(source.to_string().contains("line 1"), "{source}");
    }

    #[test]
    fn statement_errors_carry_their_index() {
        let error = PolicyError::new(PolicyErrorKind::InvalidEffect, Some(3), "Invalid effect: x");
        assert_eq!(error.statement(), Some(3));
        assert_eq!(error.message(), "Invalid effect: x");
        assert!(error.source().is_none());
    }
}
