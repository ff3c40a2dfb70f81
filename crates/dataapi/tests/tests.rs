//! Integration tests of opentrail-dataapi.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests: a failed unwrap is a failed test"
)]

mod event_checks;
mod golden;
mod properties;
mod query;
mod request_checks;
mod support;
