//! The rule store's integration tests (one test binary, STYLE.md §5).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

mod rules;
mod store;
mod support;
mod tags;
mod targets;
mod test_event_pattern;
