//! Integration tests of `opentrail-patterns`: the EventBridge conformance cases under
//! `testdata/eventbridge/`, the language operator by operator, CloudTrail records in the
//! EventBridge envelope, and property tests (one test binary, as STYLE.md asks).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

mod cloudtrail;
mod conformance;
mod language;
mod matcher;
mod properties;
mod support;
mod validation;
