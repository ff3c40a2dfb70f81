//! The crate's two error types: a pattern EventBridge would reject ([`Error`]) and an event
//! the matcher cannot read ([`EventError`]).

use std::fmt;

/// What EventBridge puts before every reason in an `InvalidEventPatternException`.
pub(crate) const REASON_PREFIX: &str = "Event pattern is not valid. Reason: ";

/// A pattern EventBridge would reject with `InvalidEventPatternException`.
///
/// `Display` (and [`Error::message`]) give the whole message as EventBridge words it, for
/// example `Event pattern is not valid. Reason: Empty arrays are not allowed`. The reasons
/// follow aws/event-ruler, the library behind EventBridge, word for word where AWS's answer
/// is known; the others are written in the same style.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    message: String,
}

impl Error {
    /// Builds the error for `reason` (the text after `Reason: `).
    pub(crate) fn invalid(reason: impl fmt::Display) -> Error {
        Error {
            message: format!("{REASON_PREFIX}{reason}"),
        }
    }

    /// Returns the whole message, `Event pattern is not valid. Reason: …`.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Returns the reason alone: the message without `Event pattern is not valid. Reason: `.
    pub fn reason(&self) -> &str {
        self.message
            .strip_prefix(REASON_PREFIX)
            .unwrap_or(&self.message)
    }
}

/// The crate's result type for pattern parsing.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why an event could not be matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventErrorKind {
    /// The bytes are not UTF-8.
    NotUtf8,
    /// The text is not JSON.
    Syntax,
    /// The JSON value is not an object.
    NotAnObject,
    /// Objects and arrays are nested deeper than [`crate::MAX_EVENT_DEPTH`].
    TooDeep,
    /// The event is larger than the matcher can index (4 GiB).
    TooLarge,
}

/// An event the matcher cannot read: not UTF-8, not a JSON object, too deeply nested.
///
/// The message names the problem and, for syntax errors, the byte offset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct EventError {
    kind: EventErrorKind,
    message: String,
}

impl EventError {
    pub(crate) fn new(kind: EventErrorKind, message: String) -> EventError {
        EventError { kind, message }
    }

    /// Returns what is wrong, for callers that branch on it.
    pub fn kind(&self) -> EventErrorKind {
        self.kind
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_message_and_reason_split_at_the_prefix() {
        let error = Error::invalid("Empty arrays are not allowed");
        assert_eq!(
            error.to_string(),
            "Event pattern is not valid. Reason: Empty arrays are not allowed"
        );
        assert_eq!(error.message(), error.to_string());
        assert_eq!(error.reason(), "Empty arrays are not allowed");
    }
}
