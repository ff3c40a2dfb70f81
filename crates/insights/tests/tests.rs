//! Integration tests of `opentrail-insights`: detection with a paused clock, metric
//! series, saved state and the record form.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests: a failed unwrap is a failed test"
)]

mod detection;
mod record;
mod state;
mod support;
