//! EventBridge event patterns: the pattern language with EventBridge's validation, and one
//! shared matcher that finds every pattern an event matches in a single pass.
//!
//! - [`Pattern::parse`] validates a pattern as EventBridge's `PutRule` and
//!   `TestEventPattern` do, refusing it with EventBridge's message ([`Error`]).
//! - [`Pattern::matches`] matches one pattern against one event's JSON text.
//! - [`MatcherBuilder`] compiles many patterns, each under a key, into a [`Matcher`] whose
//!   [`Matcher::matching`] returns the keys of every pattern an event matches.
//!
//! The language (specification: `events-and-queries.md` §5.2) follows aws/event-ruler,
//! the library behind EventBridge: exact strings, numbers (compared by value), booleans and
//! `null`; arrays as alternatives; nested objects and dot-joined names as the same path;
//! `prefix`, `suffix` (both also with `equals-ignore-case`), `equals-ignore-case`,
//! `wildcard`, `anything-but` (values, lists, `prefix`, `suffix`, `equals-ignore-case`,
//! `wildcard`), `numeric`, `cidr`, `exists`, `exactly` and `$or`. Values inside arrays of
//! objects match array-consistently: the fields of one pattern object must be satisfied
//! within one array element.
//!
//! ```
//! use opentrail_patterns::{MatcherBuilder, Pattern};
//!
//! let iam = Pattern::parse(r#"{"source": ["aws.iam"]}"#)?;
//! let roles = Pattern::parse(
//!     r#"{"detail": {"eventName": [{"prefix": "CreateRole"}], "readOnly": [false]}}"#,
//! )?;
//! let mut builder = MatcherBuilder::new();
//! builder.add(1u32, &iam);
//! builder.add(2u32, &roles);
//! let matcher = builder.build();
//!
//! let event = br#"{"source": "aws.iam", "detail": {"eventName": "CreateRole", "readOnly": false}}"#;
//! let mut keys = Vec::new();
//! matcher.matching(event, &mut keys)?;
//! assert_eq!(keys, [1, 2]);
//! assert!(roles.matches(event)?);
//!
//! let refused = Pattern::parse(r#"{"source": []}"#).unwrap_err();
//! assert_eq!(
//!     refused.message(),
//!     "Event pattern is not valid. Reason: Empty arrays are not allowed"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

//!
//! # How the matcher works
//!
//! [`MatcherBuilder::build`] expands every pattern into its `$or` alternatives
//! (sub-patterns), puts every path they name into one trie, and indexes every condition
//! under its path: hash maps for exact values, IP addresses and case-folded values, radix
//! trees for prefixes and suffixes, wildcards filed by their literal start or end,
//! `anything-but` filed by what it excludes, short lists for `numeric` and `cidr`. Each
//! sub-pattern has an anchor, the slot with its rarest-looking condition.
//! [`Matcher::matching`] walks the event text once, skipping (while still validating) every
//! subtree no rule looks into, and records the values at rule paths with the array
//! elements around them; each value is looked up in its path's index; anchors that fire
//! make their sub-patterns candidates, the other satisfied slots are counted for candidates
//! only, and a candidate matches when all its slots are satisfied (array-consistently when
//! the values sit in arrays) and its `exists: false` paths hold no value. Working memory is
//! reused from event to event ([`Scratch`]).
//!
//! # Limits
//!
//! - A pattern is at most [`MAX_PATTERN_LENGTH`] UTF-16 code units (the API's constraint;
//!   EventBridge's default quota of 2048 is for callers to enforce), nests at most
//!   [`MAX_PATTERN_DEPTH`] levels, expands to at most [`MAX_ALTERNATIVES`] alternatives of
//!   at most [`MAX_FIELDS`] paths each.
//! - An event nests at most [`MAX_EVENT_DEPTH`] levels and must be a JSON object.
//! - The array-consistency search of one sub-pattern on one event stops after a fixed
//!   amount of work (about a million steps) and then reports no match; only events with
//!   thousands of look-alike array elements get near it.
//!
//! # Decisions where the reference is silent or odd
//!
//! - `exists: false` inside arrays of objects is judged against the array elements of the
//!   values chosen for the pattern's other fields, whatever their key order (event-ruler
//!   looks only at fields before it in key order).
//! - When a pattern fails to parse with `$or` as the alternatives keyword and also as a
//!   plain field name (event-ruler's legacy reading), the `$or` reading's reason is given.
//! - Text after the pattern's closing brace is refused (event-ruler ignores it).
//! - The wildcard complexity limit follows event-ruler's measure (live automaton states);
//!   EventBridge's threshold is not published, and 10 reproduces AWS's known answers.
//! - Numbers compare by value as finite `f64` (the project's decision, after the reference);
//!   numbers that are not finite doubles compare by their text.

#![warn(missing_docs)]

mod affix;
mod compile;
mod consistency;
mod error;
mod exclusions;
mod index;
mod ip;
mod json;
mod matcher;
mod operators;
mod parse;
mod pattern;
mod reference;
mod tokens;
mod walk;
mod wildcard;

pub use error::{Error, EventError, EventErrorKind, Result};
pub use matcher::{Matcher, MatcherBuilder, Scratch};
pub use parse::{MAX_ALTERNATIVES, MAX_FIELDS, MAX_PATTERN_DEPTH, MAX_PATTERN_LENGTH};
pub use pattern::Pattern;
pub use walk::MAX_EVENT_DEPTH;
