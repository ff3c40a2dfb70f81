//! [`Pattern`]: one validated event pattern.

use std::sync::{Arc, OnceLock};

use crate::compile::Compiled;
use crate::error::{Error, EventError};
use crate::matcher::matches_one;
use crate::parse::{Alternative, parse_alternatives};

/// A validated EventBridge event pattern.
///
/// Cheap to clone (the parsed form is shared). To match many patterns against each event,
/// add them to a [`crate::MatcherBuilder`]; [`Pattern::matches`] is for one pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    alternatives: Vec<Alternative>,
    /// The pattern compiled alone, on first use of [`Pattern::matches`].
    alone: OnceLock<Compiled>,
}

impl Pattern {
    /// Parses and validates a pattern as EventBridge's `PutRule` and `TestEventPattern`
    /// do.
    ///
    /// # Errors
    ///
    /// The pattern is not valid; the error's message is EventBridge's
    /// (`Event pattern is not valid. Reason: …`).
    pub fn parse(text: &str) -> Result<Pattern, Error> {
        Ok(Pattern {
            inner: Arc::new(Inner {
                alternatives: parse_alternatives(text)?,
                alone: OnceLock::new(),
            }),
        })
    }

    /// Returns whether the event (its JSON text) matches the pattern.
    ///
    /// # Errors
    ///
    /// The event is not UTF-8, not a JSON object, or nested deeper than
    /// [`crate::MAX_EVENT_DEPTH`].
    pub fn matches(&self, event: &[u8]) -> Result<bool, EventError> {
        let compiled = self.inner.alone.get_or_init(|| Compiled::new(&[self]));
        matches_one(compiled, event)
    }

    /// Returns whether the event matches, decided by a direct and deliberately simple
    /// evaluation (every condition tried on every value, every combination of values
    /// searched). Much slower than [`Pattern::matches`]; it exists so tests can check the
    /// matcher against an independent implementation of the same rules.
    ///
    /// # Errors
    ///
    /// As [`Pattern::matches`].
    pub fn matches_reference(&self, event: &[u8]) -> Result<bool, EventError> {
        crate::reference::matches(&self.inner.alternatives, event)
    }

    /// Returns how many alternatives the pattern's `$or` operators expand to (1 without
    /// `$or`). EventBridge refuses patterns with more than
    /// [`crate::MAX_ALTERNATIVES`].
    pub fn alternatives(&self) -> usize {
        self.inner.alternatives.len()
    }

    pub(crate) fn alternative_list(&self) -> &[Alternative] {
        &self.inner.alternatives
    }
}
